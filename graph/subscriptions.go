package graph

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/contactgate/contactgate/auth"
	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/models"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// A live subscription is a long-lived grant: whatever ended its caller's
// access (sign-out, expiry, a revoked token, removal from the account, a
// role below what it needs) must end it too, within seconds and on every
// replica. It re-checks its caller with one statement on primary keys:
//   - at once when the gate bus announces a change of its account (member
//     removed, role changed) or of its caller (sessions ended, token
//     revoked): the store publishes those after the commit, and the bus
//     carries them to every replica through PostgreSQL LISTEN/NOTIFY;
//   - every SubscriptionRecheck otherwise, which bounds what no event
//     announces (a session's expiry) and what a lost event would have
//     (a publish that failed while the database was unreachable).
// It then ends with an error message saying why, instead of a silent end.

// DefaultSubscriptionRecheck is the periodic re-check of a live
// subscription's caller when Resolver.SubscriptionRecheck is 0.
const DefaultSubscriptionRecheck = 5 * time.Second

func (r *Resolver) subscriptionRecheck() time.Duration {
	if r.SubscriptionRecheck > 0 {
		return r.SubscriptionRecheck
	}
	return DefaultSubscriptionRecheck
}

// callerKey is the gate bus key on which revocations of the caller are
// announced.
func callerKey(p *auth.Principal) string {
	switch {
	case p == nil:
		return ""
	case p.Token != nil:
		return gormstore.TokenAccessKey(p.Token.ID)
	default:
		return gormstore.UserAccessKey(p.User.ID)
	}
}

// watchGate sends the gate at once, then again whenever the bus says the
// account changed and the answer differs from the last one sent; it ends
// with an error as soon as the caller may no longer watch the account.
func (r *Resolver) watchGate(ctx context.Context, accountID string, env models.Environment) (<-chan *models.AccessGate, error) {
	var last *models.AccessGate
	return followAccount(ctx, r, accountID, accountID, "gate", func() (*models.AccessGate, error) {
		gate, err := r.Services.ContactInfo.GateWithReview(ctx, accountID, env)
		if err != nil {
			return nil, err
		}
		if last != nil && gate.Locked == last.Locked && slices.Equal(gate.Missing, last.Missing) && sameReview(gate.Review, last.Review) {
			return nil, nil
		}
		last = &gate
		return &gate, nil
	})
}

// followAccount is the life of a live subscription on one account:
// subscribed to busKey and to the caller's revocations before the first
// read (a change committed in between is not missed), the caller checked
// again (no window for a revocation since the directive ran), the first
// value sent at once, then after every change announced on the bus the
// value read returns (nil: nothing new to send), until the caller may no
// longer watch the account, when it ends with an error saying why.
func followAccount[T any](ctx context.Context, r *Resolver, accountID, busKey, what string, read func() (*T, error)) (<-chan *T, error) {
	if r.Bus == nil {
		return nil, models.Errorf(models.EInternal, "subscriptions are not enabled")
	}
	const need = models.RoleReadOnly // as the fields' @member directives
	changes, stopAccount := r.Bus.Subscribe(busKey)
	revoked, stopCaller := r.Bus.Subscribe(callerKey(auth.FromContext(ctx)))
	stop := func() { stopAccount(); stopCaller() }
	if end, err := r.Services.Authz.StillAllowed(ctx, accountID, need); err != nil || end != nil {
		stop()
		if err != nil {
			return nil, err
		}
		return nil, end
	}
	first, err := read()
	if err != nil {
		stop()
		return nil, err
	}
	path := graphql.GetPath(ctx)
	out := make(chan *T, 1)
	go func() {
		defer close(out)
		defer stop()
		select {
		case out <- first:
		case <-ctx.Done():
			return
		}
		recheck := time.NewTicker(r.subscriptionRecheck())
		defer recheck.Stop()
		for {
			reload := false
			select {
			case <-ctx.Done():
				return
			case <-recheck.C:
			case <-revoked:
			case <-changes:
				reload = true
			}
			if r.endIfRevoked(ctx, accountID, need, path) {
				return
			}
			if !reload {
				continue
			}
			v, err := read()
			if err != nil {
				r.Log.WarnContext(ctx, "reload "+what+" for subscription", "account_id", accountID, "error", err)
				continue
			}
			if v == nil {
				continue
			}
			select {
			case out <- v:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}

// endIfRevoked re-checks a live subscription's caller and, when its access
// is gone, records the error the client receives as the subscription ends.
// A failed re-check (the database briefly unreachable) keeps the
// subscription: no revocation can commit while the database is down, and
// the next re-check decides.
func (r *Resolver) endIfRevoked(ctx context.Context, accountID string, need models.Role, path ast.Path) bool {
	end, err := r.Services.Authz.StillAllowed(ctx, accountID, need)
	if err != nil {
		if ctx.Err() == nil {
			r.Log.WarnContext(ctx, "re-check subscription caller", "request_id", RequestID(ctx), "account_id", accountID, "error", err)
		}
		return false
	}
	if end == nil {
		return false
	}
	if s, ok := ctx.Value(endReasonKey{}).(*EndReason); ok {
		s.set(end)
	}
	sendSubscriptionError(ctx, &gqlerror.Error{Message: end.Message, Path: path,
		Extensions: map[string]any{"code": string(end.Code)}})
	return true
}

// sendSubscriptionError hands err to the websocket transport, which sends
// it as the subscription's last message. Outside a websocket (where the
// HTTP layer does not run subscriptions) there is no one to send it to.
func sendSubscriptionError(ctx context.Context, err *gqlerror.Error) {
	defer func() { _ = recover() }() // no websocket: nothing to tell
	transport.AddSubscriptionError(ctx, err)
}

type endReasonKey struct{}

// EndReason is where a subscription records why the server ended it, for
// the transport's log line.
type EndReason struct {
	mu      sync.Mutex
	code    models.ErrorCode
	message string
}

func (e *EndReason) set(err *models.Error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.code, e.message = err.Code, err.Message
}

// Get returns the code and message the subscription ended with, or "" when
// it was not ended for a revocation.
func (e *EndReason) Get() (models.ErrorCode, string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.code, e.message
}

// WithEndReason returns ctx carrying a fresh EndReason for one operation.
func WithEndReason(ctx context.Context) (context.Context, *EndReason) {
	e := &EndReason{}
	return context.WithValue(ctx, endReasonKey{}, e), e
}
