package mail

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// TestMarkedSentBeforeQuit: the outbox row is SENT by the time the server
// sees QUIT, i.e. right after its 250 to DATA, so that a crash after
// acceptance costs a duplicate only within one database write.
func TestMarkedSentBeforeQuit(t *testing.T) {
	eachDB(t, func(t *testing.T, driver, dsn string, db *gorm.DB) {
		enqueue(t, db, testMessage(1))
		var mu sync.Mutex
		var atQuit []string
		f := &fakeSMTP{}
		f.onQuit = func() {
			var status string
			if err := db.Raw(`SELECT status FROM outbox`).Scan(&status).Error; err != nil {
				status = err.Error()
			}
			mu.Lock()
			atQuit = append(atQuit, status)
			mu.Unlock()
		}
		sender, err := NewSMTPSender("smtp://" + startFakeSMTP(t, f))
		if err != nil {
			t.Fatal(err)
		}
		var sent int
		w := NewWorker(db, sender, WorkerOptions{From: testFrom, Logger: quietLog, OnSent: func() { sent++ }})
		if n, err := w.ProcessOnce(t.Context()); n != 1 || err != nil {
			t.Fatalf("ProcessOnce = %d, %v", n, err)
		}
		mu.Lock()
		defer mu.Unlock()
		if len(atQuit) != 1 || atQuit[0] != StatusSent {
			t.Errorf("outbox status when the server got QUIT = %v, want [%s]", atQuit, StatusSent)
		}
		if r := oneRow(t, db); r.Status != StatusSent || r.Attempts != 1 || r.SentAt == nil || r.ClaimedUntil != nil || sent != 1 {
			t.Errorf("row after sending = %+v, OnSent %d", r, sent)
		}
	})
}

var errKilled = errors.New("process killed")

// TestRedeliveryKeepsMessageID: through a real SMTP server, a mail accepted
// but never marked SENT (the process dies in between: here the marking
// write fails) is sent again once its claim expires, with the same
// Message-ID, so that mail clients fold the two copies into one.
func TestRedeliveryKeepsMessageID(t *testing.T) {
	smtpURL, apiURL := mailpitEnv(t)
	eachDB(t, func(t *testing.T, driver, dsn string, db *gorm.DB) {
		mp := &Mailpit{URL: apiURL}
		ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
		defer cancel()
		sender, err := NewSender(smtpURL, quietLog)
		if err != nil {
			t.Fatal(err)
		}
		tag := uuid.Must(uuid.NewV7()).String()[24:]
		to := fmt.Sprintf("redelivery-%s-%s@example.com", driver, tag)
		enqueue(t, db, Message{To: to, Subject: "Redelivery " + tag, Text: "text", HTML: "<p>html</p>"})
		stored := oneRow(t, db).MessageID

		// The first process: its own connection pool, whose marking write
		// never reaches the database.
		dying := openDB(t, driver, dsn)
		if err := dying.Callback().Raw().Before("gorm:raw").Register("test:killed", func(tx *gorm.DB) {
			if strings.Contains(tx.Statement.SQL.String(), "sent_at") {
				_ = tx.AddError(errKilled)
			}
		}); err != nil {
			t.Fatal(err)
		}
		clock := newFakeClock()
		opts := WorkerOptions{From: testFrom, Logger: quietLog, Clock: clock.Now, ClaimTimeout: time.Minute}
		if n, err := NewWorker(dying, sender, opts).ProcessOnce(ctx); n != 1 || !errors.Is(err, errKilled) {
			t.Fatalf("dying worker: ProcessOnce = %d, %v", n, err)
		}
		if r := oneRow(t, db); r.Status != StatusQueued || r.ClaimedUntil == nil {
			t.Fatalf("row after the crash = %+v", r)
		}

		// The next process claims it once the claim has expired and sends
		// it again.
		next := NewWorker(db, sender, opts)
		if n, err := next.ProcessOnce(ctx); n != 0 || err != nil {
			t.Fatalf("within the claim: ProcessOnce = %d, %v", n, err)
		}
		clock.Advance(time.Minute + time.Second)
		if n, err := next.ProcessOnce(ctx); n != 1 || err != nil {
			t.Fatalf("after the claim: ProcessOnce = %d, %v", n, err)
		}
		if r := oneRow(t, db); r.Status != StatusSent || r.MessageID != stored {
			t.Fatalf("row after redelivery = %+v", r)
		}

		var copies []MailpitMessage
		for ctx.Err() == nil {
			msgs, err := mp.Messages(ctx)
			if err != nil {
				t.Fatal(err)
			}
			copies = copies[:0]
			for _, m := range msgs {
				if m.SentTo(to) {
					copies = append(copies, m)
				}
			}
			if len(copies) >= 2 {
				break
			}
			select {
			case <-ctx.Done():
			case <-time.After(50 * time.Millisecond):
			}
		}
		if len(copies) != 2 {
			t.Fatalf("mailpit holds %d copies, want 2", len(copies))
		}
		for _, m := range copies {
			if "<"+m.MessageID+">" != stored {
				t.Errorf("copy has Message-ID %q, stored %q", m.MessageID, stored)
			}
		}
	})
}
