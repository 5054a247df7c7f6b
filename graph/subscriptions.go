package graph

import (
	"context"
	"slices"
	"time"

	"github.com/contactgate/contactgate/auth"

	"github.com/contactgate/contactgate/models"
)

// watchGate sends the gate at once, then again whenever the bus says the
// account changed and the answer differs from the last one sent.
func (r *Resolver) watchGate(ctx context.Context, accountID string, env models.Environment) (<-chan *models.AccessGate, error) {
	if r.Bus == nil {
		return nil, models.Errorf(models.EInternal, "subscriptions are not enabled")
	}
	// Subscribe before the first read, so that a change committed in
	// between is not missed.
	signals, stop := r.Bus.Subscribe(accountID)
	first, err := r.DB.Gate(ctx, accountID, env)
	if err != nil {
		stop()
		return nil, err
	}
	out := make(chan *models.AccessGate, 1)
	go func() {
		defer close(out)
		defer stop()
		last := first
		select {
		case out <- &first:
		case <-ctx.Done():
			return
		}
		recheck := time.NewTicker(stillAllowedEvery)
		defer recheck.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-recheck.C:
				if !r.stillAllowed(ctx, accountID) {
					return
				}
				continue
			case <-signals:
			}
			if !r.stillAllowed(ctx, accountID) {
				return
			}
			gate, err := r.DB.Gate(ctx, accountID, env)
			if err != nil {
				r.Log.WarnContext(ctx, "reload gate for subscription", "account_id", accountID, "error", err)
				continue
			}
			if gate.Locked == last.Locked && slices.Equal(gate.Missing, last.Missing) {
				continue
			}
			last = gate
			select {
			case out <- &gate:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}

// stillAllowedEvery is how often an idle subscription re-checks its caller.
const stillAllowedEvery = 30 * time.Second

// stillAllowed re-checks a long-lived subscription's caller: the session (or
// token) must still be valid and, for a member, the membership must remain.
// Signing out, expiry, revocation or removal from the account ends the
// subscription at the next change or within stillAllowedEvery.
func (r *Resolver) stillAllowed(ctx context.Context, accountID string) bool {
	p := auth.FromContext(ctx)
	if p == nil {
		return false
	}
	var alive bool
	var err error
	switch {
	case p.Token != nil:
		alive, err = r.DB.TokenAlive(ctx, p.Token.ID)
	case p.SessionID != "":
		alive, err = r.DB.SessionAlive(ctx, p.SessionID)
	}
	if err != nil || !alive {
		return false
	}
	if p.Token != nil || p.Staff() {
		return true
	}
	role, err := r.DB.Role(ctx, accountID, p.User.ID)
	return err == nil && role != ""
}
