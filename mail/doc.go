// Package mail is the outbox: mails are written to the outbox table in the
// same transaction as the change that causes them, and a Worker delivers
// them over SMTP (or to the log in dev mode), with retries, exponential
// backoff and a maximum number of attempts.
//
// # Writing mail
//
// Render a localized message ("en" or "it", anything else falls back to
// "en") and enqueue it with the caller's transaction; kick the worker after
// commit:
//
//	err := db.Transaction(func(tx *gorm.DB) error {
//		// ... create the invitation ...
//		m := mail.InvitationMail(user.Locale, mail.InvitationData{
//			To: email, AccountName: acct.Name, InviterName: me.Name, Role: "EDITOR",
//			Link: publicURL + "/invitations/accept?token=" + url.QueryEscape(token),
//			ExpiresAt: inv.ExpiresAt,
//		})
//		return mail.Enqueue(tx, from, m)
//	})
//	if err == nil {
//		worker.Kick()
//	}
//
// Notification mails set Message.NotificationID so that deliveries can be
// listed (outbox.notification_id, to_email, status, attempts, last_error,
// sent_at).
//
// # Delivering
//
//	sender, err := mail.NewSender(cfg.SMTPURL, log) // "" → LogSender (dev mode)
//	worker := mail.NewWorker(db, sender, mail.WorkerOptions{From: mail.DefaultFrom(cfg.PublicURL), Logger: log})
//	go worker.Run(ctx)
//
// Each pass claims due QUEUED rows by setting claimed_until (on PostgreSQL
// with FOR UPDATE SKIP LOCKED), so that workers in several processes never
// take the same mail; the claim is renewed right before sending and every
// outcome is written with a conditional UPDATE (id and claimed_until), so a
// worker whose claim expired changes nothing. A worker that dies while
// holding a claim delays its mails by at most ClaimTimeout: nothing is lost
// across a restart.
//
// The guarantee is at least once, not exactly once: SMTP cannot make
// "the server accepted the mail" and "the database recorded it" one step.
// The window between them is kept as short as the protocol allows: with an
// AcceptingSender (SMTPSender is one) the row is marked SENT as soon as the
// server answers 250 to the end of DATA, before QUIT. A mail accepted but not
// yet marked when its process dies is sent again once its claim expires,
// with the same Message-ID (chosen when the row is queued, stored in
// outbox.message_id), so that mail clients fold the copies into one.
//
// # Tests
//
// The PostgreSQL tests use internal/testdb (TEST_DATABASE_URL or a local
// throwaway cluster). The real-SMTP tests run when TEST_SMTP_URL (e.g.
// smtp://127.0.0.1:1025) and TEST_MAILPIT_URL (e.g. http://127.0.0.1:8025)
// point at a running mailpit; other packages' end-to-end tests can use the
// Mailpit client of this package to find their mail.
package mail
