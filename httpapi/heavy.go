package httpapi

import (
	"context"
	"runtime"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/contactgate/contactgate/models"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// HeavyComplexity is the query complexity from which an operation counts
// as heavy: a staff page of 100 accounts with every contact is about
// 4,900, the portal's requests are under 100.
const HeavyComplexity = 1000

// heavyGate lets a bounded number of heavy operations execute at once
// (twice the CPUs); the others wait their turn in arrival order, or until
// their client goes away. Executing more at once than there are CPUs
// finishes none sooner, but each one in progress holds its result tree and
// response buffer (a few MiB for a staff page): 32 staff pages at once
// took the server's memory from ~50 to ~125 MiB. Light operations
// (accessGate, saves) never wait here.
type heavyGate struct {
	min   int
	slots chan struct{}
}

func newHeavyGate() *heavyGate {
	return &heavyGate{min: HeavyComplexity, slots: make(chan struct{}, max(2, 2*runtime.GOMAXPROCS(0)))}
}

// around runs an HTTP operation, taking a slot first when it is heavy. The
// slot is taken when the response is computed (gqlgen resolves and
// marshals inside the response handler), so an operation that never gets
// that far holds none, and released when it is done.
func (g *heavyGate) around(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	stats := extension.GetComplexityStats(ctx)
	if stats == nil || stats.Complexity < g.min {
		return next(ctx)
	}
	rh := next(ctx)
	return func(ctx context.Context) *graphql.Response {
		select {
		case g.slots <- struct{}{}:
		case <-ctx.Done():
			return &graphql.Response{Errors: gqlerror.List{{Message: "the request was cancelled",
				Extensions: map[string]any{"code": string(models.EInternal)}}}}
		}
		defer func() { <-g.slots }()
		return rh(ctx)
	}
}
