package graph

import (
	"context"
	"sync"

	"github.com/contactgate/contactgate/auth"
	"github.com/contactgate/contactgate/models"
	"github.com/contactgate/contactgate/service"
)

// The access gate of Query.accessGate, the portal's most frequent request,
// comes from the gate query (gormstore RoleAndGate): one statement that
// reads an account's gate together with the caller's membership in it.
// accessGate asks for that read itself, and so does the membership check
// of its @member directive; the read is memoised per request and per
// (account, user), so that whichever asks first pays the one statement and
// neither depends on the other having run.

// gateReads memoises the gate query's answers for one request.
type gateReads struct {
	mu   sync.Mutex
	byID map[[2]string]service.GateRead
}

func newGateReads() *gateReads { return &gateReads{byID: map[[2]string]service.GateRead{}} }

// readGate answers the gate query for an account and a user ("" for none),
// once per request.
func (r *Resolver) readGate(ctx context.Context, accountID, userID string) (service.GateRead, error) {
	memo := loadersFrom(ctx).gateReads
	memo.mu.Lock()
	defer memo.mu.Unlock()
	key := [2]string{accountID, userID}
	if read, ok := memo.byID[key]; ok {
		return read, nil
	}
	read, err := r.Services.ContactInfo.ReadGate(ctx, accountID, userID)
	if err != nil {
		return service.GateRead{}, err
	}
	memo.byID[key] = read
	return read, nil
}

// gateUser is the user whose membership the gate query reads along with
// the gate: a person's own; none for staff, who read every account, and
// for API tokens, whose membership needs no lookup.
func gateUser(p *auth.Principal) string {
	if p == nil || p.Token != nil || p.Staff() || p.User == nil {
		return ""
	}
	return p.User.ID
}

// accessGate answers Query.accessGate. Only this root query field reads the
// memoised gate: it is read in the same request, before any field
// resolves, and a query writes nothing (Account.accessGate reads the
// request's gate loader, which a save refreshes).
func (r *Resolver) accessGate(ctx context.Context, accountID string, env models.Environment) (*models.AccessGate, error) {
	read, err := r.readGate(ctx, accountID, gateUser(auth.FromContext(ctx)))
	if err != nil {
		return nil, err
	}
	if !read.Found {
		return nil, models.Errorf(models.ENotFound, "account not found")
	}
	gate := read.Missing.Gate(env)
	return &gate, nil
}
