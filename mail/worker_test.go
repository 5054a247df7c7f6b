package mail

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/contactgate/contactgate/internal/testdb"
	"golang.org/x/sync/errgroup"
	"gorm.io/gorm"
)

var quietLog = slog.New(slog.NewTextHandler(io.Discard, nil))

func testMessage(i int) Message {
	return Message{To: fmt.Sprintf("user%d@example.com", i), Subject: fmt.Sprintf("Mail %d", i), Text: "text", HTML: "<p>html</p>"}
}

// eachDB runs fn on SQLite and, where available, PostgreSQL.
func eachDB(t *testing.T, fn func(t *testing.T, driver, dsn string, db *gorm.DB)) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		fn(t, driver, dsn, newOutboxDB(t, driver, dsn))
	})
}

func TestWorkerSendsOnce(t *testing.T) {
	eachDB(t, func(t *testing.T, driver, dsn string, db *gorm.DB) {
		for i := range 3 {
			enqueue(t, db, testMessage(i))
		}
		clock := newFakeClock()
		sender := &fakeSender{}
		var sent atomic.Int32
		w := NewWorker(db, sender, WorkerOptions{From: testFrom, Logger: quietLog, Clock: clock.Now, OnSent: func() { sent.Add(1) }})

		n, err := w.ProcessOnce(t.Context())
		if err != nil || n != 3 {
			t.Fatalf("ProcessOnce = %d, %v; want 3", n, err)
		}
		for range 2 {
			if n, err := w.ProcessOnce(t.Context()); err != nil || n != 0 {
				t.Fatalf("second ProcessOnce = %d, %v; want 0", n, err)
			}
		}
		if sender.accepted() != 3 || sent.Load() != 3 {
			t.Errorf("sent %d (OnSent %d), want 3", sender.accepted(), sent.Load())
		}
		for _, r := range rows(t, db) {
			if sender.byID[r.MessageID] != 1 {
				t.Errorf("%s sent %d times", r.MessageID, sender.byID[r.MessageID])
			}
			if r.Status != StatusSent || r.Attempts != 1 || r.SentAt == nil || r.ClaimedUntil != nil || r.LastError != nil {
				t.Errorf("row after sending = %+v", r)
			}
			if r.SentAt != nil && r.SentAt.Sub(clock.Now()).Abs() > time.Millisecond {
				t.Errorf("sent_at = %v, want %v", r.SentAt, clock.Now())
			}
		}
		// The raw message carries the stored Message-ID and both parts.
		p := parseRaw(t, sender.raws[0])
		if !strings.HasPrefix(p.subject, "Mail ") || p.text != "text\r\n" && p.text != "text" {
			t.Errorf("sent message: subject %q, text %q", p.subject, p.text)
		}
		if depth, err := QueueDepth(t.Context(), db); err != nil || depth != 0 {
			t.Errorf("QueueDepth = %d, %v", depth, err)
		}
	})
}

func TestWorkerBackoffThenFailed(t *testing.T) {
	eachDB(t, func(t *testing.T, driver, dsn string, db *gorm.DB) {
		enqueue(t, db, testMessage(1))
		clock := newFakeClock()
		sender := &fakeSender{fail: func(int) error { return errDown }}
		var retries, failed atomic.Int32
		const maxAttempts = 5
		base := 10 * time.Second
		w := NewWorker(db, sender, WorkerOptions{
			From: testFrom, Logger: quietLog, Clock: clock.Now,
			MaxAttempts: maxAttempts, BaseBackoff: base, MaxBackoff: 50 * time.Second,
			OnRetry: func() { retries.Add(1) }, OnFailed: func() { failed.Add(1) },
		})

		// Nominal waits: 10s, 20s, 40s, then capped at 50s.
		wantWait := []time.Duration{10 * time.Second, 20 * time.Second, 40 * time.Second, 50 * time.Second}
		for attempt := 1; attempt <= maxAttempts; attempt++ {
			now := clock.Now()
			if n, err := w.ProcessOnce(t.Context()); err != nil || n != 1 {
				t.Fatalf("attempt %d: ProcessOnce = %d, %v; want 1", attempt, n, err)
			}
			r := oneRow(t, db)
			if r.Attempts != attempt {
				t.Fatalf("attempts = %d, want %d", r.Attempts, attempt)
			}
			if r.LastError == nil || !strings.Contains(*r.LastError, "connection refused") {
				t.Errorf("last_error = %v", r.LastError)
			} else if strings.Contains(*r.LastError, "hunter2") {
				t.Errorf("last_error leaks the password: %s", *r.LastError)
			}
			if r.ClaimedUntil != nil || r.SentAt != nil {
				t.Errorf("row after failure = %+v", r)
			}
			if attempt == maxAttempts {
				if r.Status != StatusFailed {
					t.Fatalf("status after %d attempts = %s, want FAILED", attempt, r.Status)
				}
				break
			}
			if r.Status != StatusQueued {
				t.Fatalf("status after attempt %d = %s, want QUEUED", attempt, r.Status)
			}
			wait := r.NextAttemptAt.Sub(now)
			nominal := wantWait[attempt-1]
			upper := nominal + nominal/5
			if nominal == 50*time.Second {
				upper = nominal
			}
			if wait < nominal-time.Millisecond || wait > upper+time.Millisecond {
				t.Errorf("attempt %d: next try in %v, want %v..%v", attempt, wait, nominal, upper)
			}
			// Not due yet: nothing to do.
			clock.Advance(nominal - time.Second)
			if n, err := w.ProcessOnce(t.Context()); err != nil || n != 0 {
				t.Fatalf("before the backoff elapsed: ProcessOnce = %d, %v; want 0", n, err)
			}
			clock.Advance(upper - nominal + 2*time.Second)
		}
		if retries.Load() != maxAttempts-1 || failed.Load() != 1 {
			t.Errorf("OnRetry %d, OnFailed %d", retries.Load(), failed.Load())
		}
		// A FAILED mail is never tried again.
		clock.Advance(24 * time.Hour)
		if n, err := w.ProcessOnce(t.Context()); err != nil || n != 0 {
			t.Fatalf("after FAILED: ProcessOnce = %d, %v; want 0", n, err)
		}
		if sender.calls != maxAttempts {
			t.Errorf("sender called %d times, want %d", sender.calls, maxAttempts)
		}
		if depth, _ := QueueDepth(t.Context(), db); depth != 0 {
			t.Errorf("QueueDepth = %d after FAILED", depth)
		}
	})
}

func TestWorkerSenderDownThenUp(t *testing.T) {
	eachDB(t, func(t *testing.T, driver, dsn string, db *gorm.DB) {
		for i := range 4 {
			enqueue(t, db, testMessage(i))
		}
		clock := newFakeClock()
		var down atomic.Bool
		down.Store(true)
		sender := &fakeSender{fail: func(int) error {
			if down.Load() {
				return errDown
			}
			return nil
		}}
		w := NewWorker(db, sender, WorkerOptions{From: testFrom, Logger: quietLog, Clock: clock.Now, BaseBackoff: time.Second})

		for range 3 {
			if n, err := w.ProcessOnce(t.Context()); err != nil || n != 4 {
				t.Fatalf("ProcessOnce while down = %d, %v; want 4", n, err)
			}
			for _, r := range rows(t, db) {
				if r.Status != StatusQueued {
					t.Fatalf("status while down = %s", r.Status)
				}
			}
			clock.Advance(time.Minute)
		}
		if depth, _ := QueueDepth(t.Context(), db); depth != 4 {
			t.Fatalf("QueueDepth while down = %d, want 4", depth)
		}

		// A new worker (a restarted server) takes over once SMTP is back.
		down.Store(false)
		w2 := NewWorker(openDB(t, driver, dsn), sender, WorkerOptions{From: testFrom, Logger: quietLog, Clock: clock.Now})
		if n, err := w2.ProcessOnce(t.Context()); err != nil || n != 4 {
			t.Fatalf("ProcessOnce when up = %d, %v; want 4", n, err)
		}
		clock.Advance(time.Hour)
		for _, w := range []*Worker{w, w2} {
			if n, err := w.ProcessOnce(t.Context()); err != nil || n != 0 {
				t.Fatalf("ProcessOnce after delivery = %d, %v; want 0", n, err)
			}
		}
		if sender.accepted() != 4 {
			t.Errorf("accepted %d mails, want 4", sender.accepted())
		}
		for _, r := range rows(t, db) {
			if r.Status != StatusSent || r.Attempts != 4 || sender.byID[r.MessageID] != 1 {
				t.Errorf("row %s: status %s, attempts %d, sent %d times", r.ID, r.Status, r.Attempts, sender.byID[r.MessageID])
			}
			if r.LastError == nil {
				t.Errorf("row %s: the last error of the failed tries was dropped", r.ID)
			}
		}
	})
}

// A worker that dies holding a claim delays its mails by ClaimTimeout; a
// worker whose claim expired cannot send or mark the mail any more.
func TestWorkerClaimExpiry(t *testing.T) {
	eachDB(t, func(t *testing.T, driver, dsn string, db *gorm.DB) {
		enqueue(t, db, testMessage(1))
		clock := newFakeClock()
		dead := &fakeSender{}
		w1 := NewWorker(db, dead, WorkerOptions{From: testFrom, Logger: quietLog, Clock: clock.Now, ClaimTimeout: time.Minute})
		held, err := w1.claim(t.Context())
		if err != nil || len(held) != 1 {
			t.Fatalf("claim = %v, %v", held, err)
		}
		if r := oneRow(t, db); r.ClaimedUntil == nil || r.ClaimedUntil.Sub(clock.Now().Add(time.Minute)).Abs() > time.Millisecond {
			t.Fatalf("claimed_until = %v", r.ClaimedUntil)
		}

		live := &fakeSender{}
		w2 := NewWorker(openDB(t, driver, dsn), live, WorkerOptions{From: testFrom, Logger: quietLog, Clock: clock.Now, ClaimTimeout: time.Minute})
		if n, err := w2.ProcessOnce(t.Context()); err != nil || n != 0 {
			t.Fatalf("ProcessOnce on a claimed mail = %d, %v; want 0", n, err)
		}
		clock.Advance(time.Minute + time.Second)
		if n, err := w2.ProcessOnce(t.Context()); err != nil || n != 1 {
			t.Fatalf("ProcessOnce after the claim expired = %d, %v; want 1", n, err)
		}

		// The first worker wakes up: its claim is gone, so it neither sends
		// nor marks.
		tried, err := w1.deliver(t.Context(), &held[0])
		if err != nil || tried {
			t.Fatalf("stale deliver = %v, %v; want not tried", tried, err)
		}
		if dead.calls != 0 || live.accepted() != 1 {
			t.Errorf("stale worker sent %d, live %d", dead.calls, live.accepted())
		}
		r := oneRow(t, db)
		if r.Status != StatusSent || r.Attempts != 1 {
			t.Errorf("row = %+v", r)
		}
	})
}

// A worker whose claim expired while its Send was running does not
// overwrite what the next owner recorded.
func TestWorkerConditionalMark(t *testing.T) {
	db := sqliteDB(t)
	enqueue(t, db, testMessage(1))
	clock := newFakeClock()
	var w2 *Worker
	var inner sync.Once
	slow := &fakeSender{fail: func(int) error {
		// While the first worker is "sending", its claim expires and a
		// second worker takes and fails the mail.
		inner.Do(func() {
			clock.Advance(3 * time.Minute)
			if n, err := w2.ProcessOnce(context.Background()); err != nil || n != 1 {
				t.Errorf("second worker: %d, %v", n, err)
			}
		})
		return nil
	}}
	w1 := NewWorker(db, slow, WorkerOptions{From: testFrom, Logger: quietLog, Clock: clock.Now, ClaimTimeout: time.Minute})
	w2 = NewWorker(db, &fakeSender{fail: func(int) error { return errDown }}, WorkerOptions{From: testFrom, Logger: quietLog, Clock: clock.Now})
	if n, err := w1.ProcessOnce(t.Context()); err != nil || n != 1 {
		t.Fatalf("ProcessOnce = %d, %v", n, err)
	}
	r := oneRow(t, db)
	if r.Status != StatusQueued || r.Attempts != 1 || r.LastError == nil {
		t.Errorf("the expired claim's outcome overwrote the new owner's: %+v", r)
	}
}

func TestWorkerPermanentAndOddRows(t *testing.T) {
	db := sqliteDB(t)
	// A row that can never be built (bad address written by hand) fails at
	// once instead of being retried.
	now := dbTime(time.Now())
	if err := db.Exec(`INSERT INTO outbox (id, to_email, subject, text_body, html_body, message_id, status, attempts, next_attempt_at, created_at)
		VALUES ('bad', 'not an address', 's', 't', 'h', '<x@y>', 'QUEUED', 0, ?, ?)`, now, now).Error; err != nil {
		t.Fatal(err)
	}
	sender := &fakeSender{}
	w := NewWorker(db, sender, WorkerOptions{From: testFrom, Logger: quietLog})
	if n, err := w.ProcessOnce(t.Context()); err != nil || n != 1 {
		t.Fatalf("ProcessOnce = %d, %v", n, err)
	}
	r := oneRow(t, db)
	if r.Status != StatusFailed || r.Attempts != 1 || r.LastError == nil || sender.calls != 0 {
		t.Errorf("row = %+v, sender calls %d", r, sender.calls)
	}
}

func TestCleanError(t *testing.T) {
	long := strings.Repeat("é", 2000)
	tests := []struct {
		in   string
		want func(string) bool
	}{
		{"dial smtp://bob:s3cret@relay.example:587 failed", func(s string) bool {
			return !strings.Contains(s, "s3cret") && strings.Contains(s, "smtp://bob:***@relay.example")
		}},
		{long, func(s string) bool { return len([]rune(s)) == MaxErrorLen && strings.HasSuffix(s, "…") }},
		{"bad \xff utf8 \x00 nul", func(s string) bool { return !strings.Contains(s, "\x00") && strings.ToValidUTF8(s, "") == s }},
	}
	for _, tc := range tests {
		if got := cleanError(errors.New(tc.in)); !tc.want(got) {
			t.Errorf("cleanError(%.40q) = %.80q", tc.in, got)
		}
	}
}

func TestBackoff(t *testing.T) {
	w := NewWorker(nil, nil, WorkerOptions{})
	prevMax := time.Duration(0)
	for attempts := 1; attempts <= 30; attempts++ {
		nominal := min(5*time.Second<<min(attempts-1, 20), time.Hour)
		for range 50 {
			d := w.backoff(attempts)
			if d < nominal || d > nominal+nominal/5 || d > time.Hour {
				t.Fatalf("backoff(%d) = %v, nominal %v", attempts, d, nominal)
			}
			prevMax = max(prevMax, d)
		}
	}
	if prevMax != time.Hour {
		t.Errorf("backoff never reaches the 1h cap: %v", prevMax)
	}
}

func TestRunAndKick(t *testing.T) {
	db := sqliteDB(t)
	sender := &fakeSender{}
	sentCh := make(chan struct{}, 10)
	passes := make(chan struct{}, 10)
	w := NewWorker(db, sender, WorkerOptions{From: testFrom, Logger: quietLog, PollInterval: time.Hour,
		OnSent: func() { sentCh <- struct{}{} }, OnPass: func() { passes <- struct{}{} }})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()

	// The first pass runs at once, on an empty outbox; after it only Kick
	// can wake the worker (PollInterval is 1h), so the mail enqueued now is
	// sent only if Kick works.
	select {
	case <-passes:
	case <-time.After(10 * time.Second):
		t.Fatal("the first pass did not run")
	}
	enqueue(t, db, testMessage(1))
	w.Kick()
	w.Kick() // never blocks
	select {
	case <-sentCh:
	case <-time.After(10 * time.Second):
		t.Fatal("Kick did not wake the worker")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not stop")
	}
	if r := oneRow(t, db); r.Status != StatusSent {
		t.Errorf("status = %s", r.Status)
	}
}

// Two workers with their own connections (as two server processes) share
// one database: every mail is sent once (claims never overlap; only a crash between acceptance and marking could duplicate).
func TestTwoWorkersSendEachMailOnce(t *testing.T) {
	eachDB(t, func(t *testing.T, driver, dsn string, db *gorm.DB) {
		const mails = 50
		for i := range mails {
			enqueue(t, db, testMessage(i))
		}
		sender := &fakeSender{delay: time.Millisecond}
		var perWorker [2]atomic.Int32
		g, ctx := errgroup.WithContext(t.Context())
		start := make(chan struct{})
		for i := range 2 {
			wdb := openDB(t, driver, dsn)
			if err := wdb.Exec("SELECT 1").Error; err != nil { // connect before the start
				t.Fatal(err)
			}
			w := NewWorker(wdb, sender, WorkerOptions{From: testFrom, Logger: quietLog, BatchSize: 4,
				OnSent: func() { perWorker[i].Add(1) }})
			g.Go(func() error {
				<-start
				deadline := time.Now().Add(30 * time.Second)
				for time.Now().Before(deadline) {
					if _, err := w.ProcessOnce(ctx); err != nil {
						return err
					}
					depth, err := QueueDepth(ctx, db)
					if err != nil {
						return err
					}
					if depth == 0 {
						return nil
					}
				}
				return errors.New("outbox not drained in 30s")
			})
		}
		close(start)
		if err := g.Wait(); err != nil {
			t.Fatal(err)
		}
		if sender.accepted() != mails {
			t.Errorf("%d sends for %d mails", sender.accepted(), mails)
		}
		for _, r := range rows(t, db) {
			if c := sender.byID[r.MessageID]; c != 1 || r.Status != StatusSent || r.Attempts != 1 {
				t.Errorf("mail %s: sent %d times, status %s, attempts %d", r.ID, c, r.Status, r.Attempts)
			}
		}
		t.Logf("%s: worker 1 sent %d, worker 2 sent %d", driver, perWorker[0].Load(), perWorker[1].Load())
	})
}

// Stopping the server while a mail is being sent does not count as an
// attempt: the mail is released for the next worker.
func TestWorkerShutdownDuringSend(t *testing.T) {
	db := sqliteDB(t)
	enqueue(t, db, testMessage(1))
	enqueue(t, db, testMessage(2))
	ctx, cancel := context.WithCancel(t.Context())
	blocking := &fakeSender{fail: func(int) error {
		cancel()
		return context.Canceled
	}}
	w := NewWorker(db, blocking, WorkerOptions{From: testFrom, Logger: quietLog})
	if _, err := w.ProcessOnce(ctx); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows(t, db) {
		if r.Status != StatusQueued || r.Attempts != 0 || r.ClaimedUntil != nil {
			t.Errorf("after shutdown: %+v", r)
		}
	}
	if blocking.calls != 1 {
		t.Errorf("sender called %d times after shutdown", blocking.calls)
	}
	sender := &fakeSender{}
	if n, err := NewWorker(db, sender, WorkerOptions{From: testFrom, Logger: quietLog}).ProcessOnce(t.Context()); err != nil || n != 2 {
		t.Fatalf("next worker: %d, %v", n, err)
	}
}
