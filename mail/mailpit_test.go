package mail

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

// mailpitEnv returns TEST_SMTP_URL and TEST_MAILPIT_URL, or skips.
func mailpitEnv(t *testing.T) (smtpURL, apiURL string) {
	t.Helper()
	smtpURL, apiURL = os.Getenv("TEST_SMTP_URL"), os.Getenv("TEST_MAILPIT_URL")
	if smtpURL == "" || apiURL == "" {
		t.Skip("real SMTP test skipped: set TEST_SMTP_URL (e.g. smtp://127.0.0.1:1025) and TEST_MAILPIT_URL (e.g. http://127.0.0.1:8025) " +
			"with mailpit running: go install github.com/axllent/mailpit@v1.33.1 && mailpit --smtp 127.0.0.1:1025 --listen 127.0.0.1:8025")
	}
	return smtpURL, apiURL
}

// Through a real SMTP server: enqueue, run the worker, find the mail in
// mailpit with its subject, both parts and the link.
func TestMailpitDelivery(t *testing.T) {
	smtpURL, apiURL := mailpitEnv(t)
	mp := &Mailpit{URL: apiURL}
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()

	sender, err := NewSender(smtpURL, quietLog)
	if err != nil {
		t.Fatal(err)
	}
	db := sqliteDB(t)
	// Unique per run, so that tests sharing this mailpit do not see each
	// other's mail.
	tag := uuid.Must(uuid.NewV7()).String()[24:]
	tests := []struct {
		locale, subject, phrase, button string
	}{
		{"en", "You're invited to join Mailpit Test " + tag, "has invited you", "Accept the invitation"},
		{"it", "Invito a unirti all'account «Mailpit Test " + tag + "»", "ti ha invitato", "Accetta l&#39;invito"},
	}
	links := map[string]string{}
	for _, tc := range tests {
		to := fmt.Sprintf("mailpit-%s-%s@example.com", tc.locale, tag)
		link := "https://portal.example.com/invitations/accept?token=" + tc.locale + tag
		links[tc.locale] = link
		m := InvitationMail(tc.locale, InvitationData{To: to, AccountName: "Mailpit Test " + tag, InviterName: "Grace",
			Role: "ADMINISTRATOR", Link: link, ExpiresAt: time.Now().Add(7 * 24 * time.Hour)})
		enqueue(t, db, m)
	}
	w := NewWorker(db, sender, WorkerOptions{From: testFrom, Logger: quietLog})
	if n, err := w.ProcessOnce(ctx); err != nil || n != 2 {
		t.Fatalf("ProcessOnce = %d, %v", n, err)
	}
	stored := map[string]row{}
	for _, r := range rows(t, db) {
		if r.Status != StatusSent {
			t.Fatalf("outbox row %s: %s, last error %v", r.ToEmail, r.Status, r.LastError)
		}
		stored[r.ToEmail] = r
	}

	for _, tc := range tests {
		t.Run(tc.locale, func(t *testing.T) {
			to := fmt.Sprintf("mailpit-%s-%s@example.com", tc.locale, tag)
			d, err := mp.WaitFor(ctx, to, "Mailpit Test "+tag)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(d.Subject, tc.subject) {
				t.Errorf("subject = %q, want %q", d.Subject, tc.subject)
			}
			if !d.SentTo(to) || d.From == nil || d.From.Address != "no-reply@contactgate.example" {
				t.Errorf("to %v from %v", d.To, d.From)
			}
			if "<"+d.MessageID+">" != stored[to].MessageID {
				t.Errorf("Message-ID = %q, stored %q", d.MessageID, stored[to].MessageID)
			}
			if time.Since(d.Date).Abs() > 5*time.Minute {
				t.Errorf("Date = %v", d.Date)
			}
			link := links[tc.locale]
			if got := d.Link("/invitations/accept?token="); got != link {
				t.Errorf("link in text part = %q, want %q\n%s", got, link, d.Text)
			}
			if !strings.Contains(d.Text, tc.phrase) || strings.Contains(d.Text, "<p") {
				t.Errorf("text part:\n%s", d.Text)
			}
			if !strings.Contains(d.HTML, `href="`+link+`"`) || !strings.Contains(d.HTML, tc.button) {
				t.Errorf("HTML part lacks the link or button:\n%s", d.HTML)
			}
		})
	}

	msgs, err := mp.Messages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	count := 0
	for _, m := range msgs {
		if strings.Contains(m.Subject, tag) {
			count++
		}
	}
	if count != 2 {
		t.Errorf("mailpit holds %d mails of this test, want 2 (each sent once)", count)
	}
}

// The helper reports a missing mail instead of hanging.
func TestMailpitWaitForTimeout(t *testing.T) {
	_, apiURL := mailpitEnv(t)
	mp := &Mailpit{URL: apiURL}
	ctx, cancel := context.WithTimeout(t.Context(), 500*time.Millisecond)
	defer cancel()
	if _, err := mp.WaitFor(ctx, "nobody-"+uuid.NewString()+"@example.com", "x"); err == nil {
		t.Fatal("WaitFor found a mail that was never sent")
	}
	if _, err := mp.Message(t.Context(), "no-such-id"); err == nil {
		t.Fatal("Message found a mail that does not exist")
	}
}
