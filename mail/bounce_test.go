package mail

import (
	"context"
	"net/textproto"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"
)

// bounces records what the worker reports.
type bounces struct {
	mu  sync.Mutex
	got []Bounce
}

func (b *bounces) add(_ context.Context, x Bounce) {
	b.mu.Lock()
	b.got = append(b.got, x)
	b.mu.Unlock()
}

// A 5xx reply to RCPT TO or DATA fails the mail at once with the server's
// reply and reports a permanent bounce; a 4xx reply and a broken
// connection are retried and reported only once retries run out.
func TestWorkerBounces(t *testing.T) {
	eachDB(t, func(t *testing.T, driver, dsn string, db *gorm.DB) {
		tests := []struct {
			name      string
			err       error
			attempts  int
			permanent bool
			reply     string
		}{
			{"550 to RCPT TO", refusal("RCPT TO", &textproto.Error{Code: 550, Msg: "5.1.1 no such mailbox"}), 1, true, "550 5.1.1 no such mailbox"},
			{"554 to DATA", refusal("DATA", &textproto.Error{Code: 554, Msg: "rejected"}), 1, true, "554 rejected"},
			{"452 to RCPT TO", refusal("RCPT TO", &textproto.Error{Code: 452, Msg: "mailbox full"}), 3, false, `smtp: RCPT TO: 452 "mailbox full"`},
			{"connection refused", errDown, 3, false, ""},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				if err := db.Exec(`DELETE FROM outbox`).Error; err != nil {
					t.Fatal(err)
				}
				enqueue(t, db, testMessage(1))
				clock := newFakeClock()
				rec := &bounces{}
				w := NewWorker(db, &fakeSender{fail: func(int) error { return tc.err }}, WorkerOptions{From: testFrom, Logger: quietLog,
					Clock: clock.Now, MaxAttempts: 3, BaseBackoff: time.Second, MaxBackoff: time.Second, OnBounce: rec.add})
				for i := 0; i < 5; i++ {
					if _, err := w.ProcessOnce(t.Context()); err != nil {
						t.Fatal(err)
					}
					if i < tc.attempts-1 && len(rec.got) > 0 {
						t.Fatalf("a temporary failure was reported as a bounce after %d tries", i+1)
					}
					clock.Advance(2 * time.Second)
				}
				r := oneRow(t, db)
				if r.Status != StatusFailed || r.Attempts != tc.attempts {
					t.Fatalf("row: %s after %d attempts, want FAILED after %d", r.Status, r.Attempts, tc.attempts)
				}
				if len(rec.got) != 1 || rec.got[0].Permanent != tc.permanent || rec.got[0].To != r.ToEmail || rec.got[0].OutboxID != r.ID {
					t.Fatalf("bounces: %+v", rec.got)
				}
				if tc.reply != "" && (*r.LastError != tc.reply || rec.got[0].Reply != tc.reply) {
					t.Fatalf("reply recorded %q, reported %q, want %q", *r.LastError, rec.got[0].Reply, tc.reply)
				}
			})
		}
	})
}
