package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
)

// marshalSliceInline marshals a list element by element in the calling
// goroutine. internal/gqlgenseq makes the generated executor call it
// instead of graphql.MarshalSliceConcurrently for lists whose elements
// resolve nothing concurrently and run no directive (contacts, support
// windows, enums, users): a goroutine per element would only add cost. As
// gqlgen's, each element gets its own FieldContext with its index (for
// error paths), and a panic nulls that element with an error, not the
// request.
func marshalSliceInline(ctx context.Context, length int, _ int64, omitPanicHandler bool,
	marshalElement func(ctx context.Context, i int) graphql.Marshaler) graphql.Array {
	ret := make(graphql.Array, length)
	for i := range length {
		childCtx := graphql.WithFieldContext(ctx, &graphql.FieldContext{Index: &i})
		if omitPanicHandler {
			ret[i] = marshalElement(childCtx, i)
			continue
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					graphql.AddError(childCtx, graphql.Recover(childCtx, r))
					ret[i] = graphql.Null
				}
			}()
			ret[i] = marshalElement(childCtx, i)
		}()
	}
	return ret
}

// deferredGroupFor replaces graphql.NewDeferredGroup in the generated
// object marshallers (internal/gqlgenseq): gqlgen builds a group (the
// object's path, a field set, a map) for every object it marshals; only
// an object with a deferred field uses it. Without one the group is
// empty, which is what the generated code then finds (no Defers).
func deferredGroupFor(ctx context.Context, fields []graphql.CollectedField) graphql.DeferredGroup {
	for i := range fields {
		if fields[i].IsDeferred() {
			return graphql.NewDeferredGroup(ctx)
		}
	}
	return graphql.DeferredGroup{Context: ctx}
}
