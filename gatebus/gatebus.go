// Package gatebus tells subscribers when an account's access gate may have
// changed, or when access itself changed (a key per account, user or API
// token, see gormstore.UserAccessKey): in-process for SQLite (one server),
// and through PostgreSQL LISTEN/NOTIFY so that every server process on one
// database hears every change.
package gatebus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
)

// Channel is the PostgreSQL notification channel.
const Channel = "contactgate_gate"

// timeouts of the PostgreSQL side: a connect (with LISTEN) and a publish.
// A database that does not answer must not hold a request (Publish runs
// after the commit of a save) or the listener for long.
const (
	connectTimeout = 10 * time.Second
	publishTimeout = 5 * time.Second
	maxBackoff     = 5 * time.Second
)

// errClosed is returned by notify once the bus's context has ended.
var errClosed = errors.New("gate bus closed")

// Bus fans out "account X changed" events to local subscribers.
type Bus struct {
	mu     sync.Mutex
	subs   map[string]map[chan struct{}]struct{}
	notify func(ctx context.Context, accountID string) error
	log    *slog.Logger

	// listening is true while the PostgreSQL listener holds a LISTEN
	// connection; connects counts the LISTENs that succeeded (tests wait on
	// them).
	listening atomic.Bool
	connects  atomic.Int64
}

// NewLocal returns a bus for a single process.
func NewLocal() *Bus {
	b := &Bus{subs: map[string]map[chan struct{}]struct{}{}, log: slog.New(slog.DiscardHandler)}
	b.notify = func(_ context.Context, accountID string) error { b.deliver(accountID); return nil }
	return b
}

// NewPostgres returns a bus that publishes with pg_notify over url and
// listens on a dedicated connection until ctx ends, reconnecting after
// failures. Events published while the listener is down are lost; after it
// reconnects every subscriber is signalled to re-read its gate, so clients
// catch up. Once ctx has ended the bus holds no connection and Publish only
// reaches this process's subscribers.
func NewPostgres(ctx context.Context, url string, log *slog.Logger) *Bus {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	b := &Bus{subs: map[string]map[chan struct{}]struct{}{}, log: log}
	var pubMu sync.Mutex
	var pub *pgx.Conn
	closed := false
	send := func(ctx context.Context, accountID string) error {
		_, err := pub.Exec(ctx, "SELECT pg_notify($1, $2)", Channel, accountID)
		return err
	}
	b.notify = func(ctx context.Context, accountID string) error {
		pubMu.Lock()
		defer pubMu.Unlock()
		if closed {
			return errClosed
		}
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), publishTimeout)
		defer cancel()
		if pub != nil && !pub.IsClosed() {
			err := send(ctx, accountID)
			if err == nil {
				return nil
			}
			// The connection may have gone stale (a database restart, an
			// idle timeout): try once more on a new one.
			_ = pub.Close(context.Background())
			pub = nil
			if ctx.Err() != nil {
				return fmt.Errorf("notify: %w", err)
			}
		}
		c, err := pgx.Connect(ctx, url)
		if err != nil {
			return fmt.Errorf("connect to publish: %w", err)
		}
		pub = c
		if err := send(ctx, accountID); err != nil {
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
		closed = true
		if pub != nil {
			_ = pub.Close(context.Background())
			pub = nil
		}
	}()
	return b
}

func (b *Bus) listen(ctx context.Context, url string) {
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := b.listenOnce(ctx, url, func() {
			// Listening: events published while no listener was up (before
			// the first connect, or during an outage) are lost, so every
			// subscriber re-reads its gate now that the database answers.
			b.deliverAll()
			backoff = 100 * time.Millisecond
			b.listening.Store(true)
			b.connects.Add(1)
		})
		b.listening.Store(false)
		if ctx.Err() != nil {
			return
		}
		b.log.Warn("gate listener lost its connection; reconnecting", "error", err, "retry_in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, maxBackoff)
	}
}

func (b *Bus) listenOnce(ctx context.Context, url string, connected func()) error {
	cctx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	conn, err := pgx.Connect(cctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(cctx, "LISTEN "+Channel); err != nil {
		return err
	}
	connected()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		b.deliver(n.Payload)
	}
}

// Publish announces that accountID's gate may have changed, to every
// subscriber in every process. It waits at most a few seconds for the
// database; when that fails only this process's subscribers hear it.
func (b *Bus) Publish(ctx context.Context, accountID string) {
	if err := b.notify(ctx, accountID); err != nil {
		if !errors.Is(err, errClosed) {
			b.log.Warn("publish gate change", "account_id", accountID, "error", err)
		}
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
