// Package gatebus tells subscribers when an account's access gate may have
// changed: in-process for SQLite (one server), and through PostgreSQL
// LISTEN/NOTIFY so that every server process on one database hears every
// change.
package gatebus

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// Channel is the PostgreSQL notification channel.
const Channel = "contactgate_gate"

// Bus fans out "account X changed" events to local subscribers.
type Bus struct {
	mu     sync.Mutex
	subs   map[string]map[chan struct{}]struct{}
	notify func(ctx context.Context, accountID string) error
	log    *slog.Logger
}

// NewLocal returns a bus for a single process.
func NewLocal() *Bus {
	b := &Bus{subs: map[string]map[chan struct{}]struct{}{}, log: slog.New(slog.DiscardHandler)}
	b.notify = func(_ context.Context, accountID string) error { b.deliver(accountID); return nil }
	return b
}

// NewPostgres returns a bus that publishes with pg_notify over url and
// listens on a dedicated connection until ctx ends, reconnecting after
// failures. Events published while the listener is down are lost; the
// subscription resends the gate after a reconnect, so clients catch up.
func NewPostgres(ctx context.Context, url string, log *slog.Logger) *Bus {
	b := &Bus{subs: map[string]map[chan struct{}]struct{}{}, log: log}
	var pubMu sync.Mutex
	var pub *pgx.Conn
	b.notify = func(ctx context.Context, accountID string) error {
		pubMu.Lock()
		defer pubMu.Unlock()
		if pub == nil || pub.IsClosed() {
			c, err := pgx.Connect(ctx, url)
			if err != nil {
				return fmt.Errorf("connect to publish: %w", err)
			}
			pub = c
		}
		if _, err := pub.Exec(ctx, "SELECT pg_notify($1, $2)", Channel, accountID); err != nil {
			_ = pub.Close(context.Background())
			pub = nil
			return fmt.Errorf("notify: %w", err)
		}
		return nil
	}
	go b.listen(ctx, url)
	go func() {
		<-ctx.Done()
		pubMu.Lock()
		defer pubMu.Unlock()
		if pub != nil {
			_ = pub.Close(context.Background())
		}
	}()
	return b
}

func (b *Bus) listen(ctx context.Context, url string) {
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := b.listenOnce(ctx, url)
		if ctx.Err() != nil {
			return
		}
		b.log.Warn("gate listener lost its connection; reconnecting", "error", err)
		b.deliverAll() // subscribers re-read their gate: nothing missed stays unseen
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 5*time.Second)
	}
}

func (b *Bus) listenOnce(ctx context.Context, url string) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+Channel); err != nil {
		return err
	}
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		b.deliver(n.Payload)
	}
}

// Publish announces that accountID's gate may have changed, to every
// subscriber in every process.
func (b *Bus) Publish(ctx context.Context, accountID string) {
	if err := b.notify(ctx, accountID); err != nil {
		b.log.Warn("publish gate change", "account_id", accountID, "error", err)
		b.deliver(accountID) // at least this process's subscribers hear it
	}
}

// Subscribe returns a channel that receives a signal whenever accountID may
// have changed, and a function to stop. Signals coalesce: a slow reader
// sees one pending signal, not a backlog.
func (b *Bus) Subscribe(accountID string) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	b.mu.Lock()
	if b.subs[accountID] == nil {
		b.subs[accountID] = map[chan struct{}]struct{}{}
	}
	b.subs[accountID][ch] = struct{}{}
	b.mu.Unlock()
	return ch, func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		delete(b.subs[accountID], ch)
		if len(b.subs[accountID]) == 0 {
			delete(b.subs, accountID)
		}
	}
}

func (b *Bus) deliver(accountID string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for ch := range b.subs[accountID] {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

func (b *Bus) deliverAll() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, set := range b.subs {
		for ch := range set {
			select {
			case ch <- struct{}{}:
			default:
			}
		}
	}
}
