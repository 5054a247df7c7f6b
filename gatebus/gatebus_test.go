package gatebus

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/contactgate/contactgate/internal/testdb"
	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// pending reports whether ch holds a signal, without waiting: local
// delivery happens inside Publish, so after Publish returns a signal is
// either there or not coming.
func pending(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// receive waits up to d for a signal on ch (deliveries through PostgreSQL).
func receive(ch <-chan struct{}, d time.Duration) bool {
	select {
	case <-ch:
		return true
	case <-time.After(d):
		return false
	}
}

func TestLocalFanOut(t *testing.T) {
	b := NewLocal()
	a1, stop1 := b.Subscribe("acc-a")
	defer stop1()
	a2, stop2 := b.Subscribe("acc-a")
	defer stop2()
	other, stop3 := b.Subscribe("acc-b")
	defer stop3()

	b.Publish(context.Background(), "acc-a")
	if !pending(a1) || !pending(a2) {
		t.Fatal("a subscriber of the account did not hear the change")
	}
	if pending(other) {
		t.Fatal("a subscriber of another account heard the change")
	}
	b.Publish(context.Background(), "acc-nobody") // no subscriber: nothing happens, nothing blocks
	if pending(a1) || pending(a2) || pending(other) {
		t.Fatal("a change of an account nobody watches reached a subscriber")
	}
}

func TestLocalCoalescing(t *testing.T) {
	b := NewLocal()
	ch, stop := b.Subscribe("acc")
	defer stop()
	// A slow reader: many changes while it is busy, Publish never blocks.
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range 1000 {
			b.Publish(context.Background(), "acc")
		}
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Publish blocked on a subscriber that does not read")
	}
	if !pending(ch) {
		t.Fatal("no signal after 1000 changes")
	}
	if pending(ch) {
		t.Fatal("signals did not coalesce: a second one was pending")
	}
	// The next change is heard again.
	b.Publish(context.Background(), "acc")
	if !pending(ch) {
		t.Fatal("no signal for a change after the reader caught up")
	}
}

func TestLocalUnsubscribe(t *testing.T) {
	b := NewLocal()
	ch, stop := b.Subscribe("acc")
	keep, stopKeep := b.Subscribe("acc")
	stop()
	b.Publish(context.Background(), "acc")
	if pending(ch) {
		t.Fatal("an unsubscribed channel still got a signal")
	}
	if !pending(keep) {
		t.Fatal("stopping one subscription stopped another of the same account")
	}
	stop() // a second stop is harmless
	stopKeep()
	b.mu.Lock()
	n := len(b.subs)
	b.mu.Unlock()
	if n != 0 {
		t.Fatalf("%d accounts still tracked after every subscription stopped", n)
	}
	b.Publish(context.Background(), "acc")
	if pending(ch) || pending(keep) {
		t.Fatal("a stopped subscription got a signal")
	}
}

// waitConnects waits until b's listener has made at least n LISTENs.
func waitConnects(t *testing.T, b *Bus, n int64, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for b.connects.Load() < n || !b.listening.Load() {
		if time.Now().After(deadline) {
			t.Fatalf("the listener did not (re)connect within %v (connects %d, want %d)", within, b.connects.Load(), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// backends counts the connections to the database dsn names, other than
// the one asking.
func backends(t *testing.T, admin, dsn string) int {
	t.Helper()
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, cfg.Database).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// TestPostgresAcrossBuses: two buses on one database stand for two server
// processes; a change published on one reaches the subscribers of both,
// and only those of that account. Once their context ends, the buses hold
// no connection, and publishing does not open one again.
func TestPostgresAcrossBuses(t *testing.T) {
	dsn := testdb.Postgres(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a := NewPostgres(ctx, dsn, testLogger(t))
	b := NewPostgres(ctx, dsn, testLogger(t))
	waitConnects(t, a, 1, 15*time.Second)
	waitConnects(t, b, 1, 15*time.Second)

	onB, stopB := b.Subscribe("acc-1")
	defer stopB()
	onA, stopA := a.Subscribe("acc-1")
	defer stopA()
	otherOnB, stopOther := b.Subscribe("acc-2")
	defer stopOther()

	a.Publish(context.Background(), "acc-1")
	if !receive(onB, 10*time.Second) {
		t.Fatal("the other bus did not hear the change")
	}
	if !receive(onA, 10*time.Second) {
		t.Fatal("the publishing bus's own subscribers did not hear the change")
	}
	b.Publish(context.Background(), "acc-2") // ordered after acc-1 on the same channel
	if !receive(otherOnB, 10*time.Second) {
		t.Fatal("the second change was not heard")
	}
	if pending(onB) || pending(onA) {
		t.Fatal("a change of acc-2 reached subscribers of acc-1")
	}

	cancel()
	deadline := time.Now().Add(10 * time.Second)
	for backends(t, testdb.AdminURL(t), dsn) != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d connections left after the buses' context ended", backends(t, testdb.AdminURL(t), dsn))
		}
		time.Sleep(20 * time.Millisecond)
	}
	// After the end, Publish reaches local subscribers only and opens no
	// connection.
	a.Publish(context.Background(), "acc-1")
	if !pending(onA) {
		t.Fatal("a closed bus did not deliver locally")
	}
	if n := backends(t, testdb.AdminURL(t), dsn); n != 0 {
		t.Fatalf("Publish on a closed bus opened %d connections", n)
	}
}

// TestPostgresListenerReconnects: after PostgreSQL restarts, the listener
// connects again by itself, tells its subscribers to re-read (they may have
// missed changes), and hears new changes; the publisher's stale connection
// is replaced without losing the first change after the restart.
func TestPostgresListenerReconnects(t *testing.T) {
	cluster := testdb.NewCluster(t)
	dsn := cluster.Database(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a := NewPostgres(ctx, dsn, testLogger(t))
	b := NewPostgres(ctx, dsn, testLogger(t))
	waitConnects(t, a, 1, 15*time.Second)
	waitConnects(t, b, 1, 15*time.Second)
	ch, stop := b.Subscribe("acc")
	defer stop()
	a.Publish(context.Background(), "acc") // opens a's publishing connection
	if !receive(ch, 10*time.Second) {
		t.Fatal("no change heard before the restart")
	}

	if err := cluster.Restart(); err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	waitConnects(t, b, 2, 15*time.Second)
	t.Logf("listener listening again %v after PostgreSQL accepted connections", time.Since(began).Round(time.Millisecond))
	if !pending(ch) {
		t.Fatal("no re-read signal after the listener reconnected")
	}
	a.Publish(context.Background(), "acc") // a's connection is stale: it must retry on a new one
	if !receive(ch, 10*time.Second) {
		t.Fatal("the first change after the restart was lost")
	}
}
