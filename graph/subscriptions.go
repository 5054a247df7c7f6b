package graph

import (
	"context"
	"slices"

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
		for {
			select {
			case <-ctx.Done():
				return
			case <-signals:
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
