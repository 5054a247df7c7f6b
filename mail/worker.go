package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// WorkerOptions configure a Worker; zero values take the defaults.
type WorkerOptions struct {
	// From is the sender of every mail, e.g. "ContactGate <no-reply@example.com>".
	// Default: DefaultFrom("").
	From string
	// Logger receives delivery errors and lost claims (default slog.Default()).
	Logger *slog.Logger
	// PollInterval is how long Run sleeps when the outbox has nothing due
	// (default 1s); Kick wakes it earlier.
	PollInterval time.Duration
	// BatchSize is the number of mails claimed at once (default 20).
	BatchSize int
	// MaxAttempts is the number of tries before a mail is FAILED (default 8).
	MaxAttempts int
	// BaseBackoff is the wait after the first failure; it doubles after each
	// further failure, plus up to 20% jitter, capped at MaxBackoff
	// (default 5s).
	BaseBackoff time.Duration
	// MaxBackoff caps the wait between tries (default 1h).
	MaxBackoff time.Duration
	// ClaimTimeout is how long a claim keeps other workers off a mail
	// (default 2m). A worker that dies holding a claim delays its mails by at
	// most this long.
	ClaimTimeout time.Duration
	// SendTimeout bounds one Send call (default and maximum: ClaimTimeout/2,
	// so that a claim outlives the attempt that holds it).
	SendTimeout time.Duration
	// Clock tells the time (default time.Now); tests move it.
	Clock func() time.Time
	// OnSent is called after each mail accepted by the server.
	OnSent func()
	// OnRetry is called after each failed try that will be retried.
	OnRetry func()
	// OnFailed is called when a mail is given up (status FAILED).
	OnFailed func()
	// OnBounce is called when a mail is given up because of its recipient:
	// refused permanently (a 5xx reply to RCPT TO or DATA), or failing
	// temporarily until MaxAttempts ran out. The worker only reports it;
	// what a bounce means for the address is the caller's rule.
	OnBounce func(ctx context.Context, b Bounce)
	// OnPass is called after each pass over the outbox, whatever it found:
	// the worker's heartbeat, counted in /metrics and awaited by tests.
	OnPass func()
}

// Worker delivers the outbox. Several workers, in one process or many
// sharing a database, may run at once: each mail is claimed by one of them
// before it is sent.
type Worker struct {
	db     *gorm.DB
	sender Sender
	opts   WorkerOptions
	log    *slog.Logger
	kick   chan struct{}
	mu     sync.Mutex // serializes ProcessOnce within one Worker
}

// NewWorker returns a worker that delivers db's outbox through sender.
func NewWorker(db *gorm.DB, sender Sender, opts WorkerOptions) *Worker {
	if opts.From == "" {
		opts.From = DefaultFrom("")
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = time.Second
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 20
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 8
	}
	if opts.BaseBackoff <= 0 {
		opts.BaseBackoff = 5 * time.Second
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = time.Hour
	}
	if opts.ClaimTimeout <= 0 {
		opts.ClaimTimeout = 2 * time.Minute
	}
	if opts.SendTimeout <= 0 || opts.SendTimeout > opts.ClaimTimeout/2 {
		opts.SendTimeout = opts.ClaimTimeout / 2
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	return &Worker{
		db:     db,
		sender: sender,
		opts:   opts,
		log:    opts.Logger.With("component", "mail.worker"),
		kick:   make(chan struct{}, 1),
	}
}

// Kick wakes Run at once; call it after committing a transaction that
// enqueued mail. It never blocks.
func (w *Worker) Kick() {
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// Run delivers mail until ctx is done, then returns nil. It processes
// batches back to back while full ones come, and otherwise waits
// PollInterval or a Kick.
func (w *Worker) Run(ctx context.Context) error {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-timer.C:
		case <-w.kick:
		}
		n, err := w.ProcessOnce(ctx)
		if err != nil && ctx.Err() == nil {
			w.log.ErrorContext(ctx, "outbox pass failed", "error", err)
		}
		if w.opts.OnPass != nil {
			w.opts.OnPass()
		}
		wait := w.opts.PollInterval
		if err == nil && n >= w.opts.BatchSize {
			wait = 0 // more may be due
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		timer.Reset(wait)
	}
}

// Bounce is a mail given up because of its recipient.
type Bounce struct {
	OutboxID string
	// To is the recipient's address as queued.
	To string
	// Reply is the server's reply (or the last error when retries ran out).
	Reply string
	// Permanent: refused with a 5xx reply; false when retries ran out.
	Permanent bool
}

// claimed is one outbox row held by this worker.
type claimed struct {
	ID        string
	ToEmail   string
	Subject   string
	TextBody  string
	HTMLBody  string
	MessageID string
	Attempts  int
	until     time.Time
}

// ProcessOnce claims the mails that are due (at most BatchSize) and tries to
// send each; it returns how many it tried. Delivery failures are recorded
// on the rows, not returned: err is a database error.
func (w *Worker) ProcessOnce(ctx context.Context) (n int, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()

	rows, err := w.claim(ctx)
	if err != nil {
		return 0, err
	}
	for i := range rows {
		if ctx.Err() != nil {
			w.release(rows[i:])
			return n, nil
		}
		tried, err := w.deliver(ctx, &rows[i])
		if tried {
			n++
		}
		if err != nil {
			// A row not tried (its claim renewal failed, e.g. at shutdown)
			// is released too, so that it need not wait out its claim.
			if tried {
				w.release(rows[i+1:])
			} else {
				w.release(rows[i:])
			}
			return n, err
		}
	}
	return n, nil
}

// claim marks due, unclaimed QUEUED rows as ours until now+ClaimTimeout in
// one statement. On PostgreSQL, FOR UPDATE SKIP LOCKED makes concurrent
// claimers take disjoint rows (a row another claimer just took is locked,
// and once committed no longer matches). SQLite runs one writing statement
// at a time, so the plain statement is atomic there.
func (w *Worker) claim(ctx context.Context) ([]claimed, error) {
	now := dbTime(w.opts.Clock())
	until := dbTime(now.Add(w.opts.ClaimTimeout))
	lock := " FOR UPDATE SKIP LOCKED"
	if w.db.Dialector.Name() == "sqlite" {
		lock = ""
	}
	q := `UPDATE outbox SET claimed_until = ?
		WHERE id IN (
			SELECT id FROM outbox
			WHERE status = ? AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)
			ORDER BY next_attempt_at, id
			LIMIT ?` + lock + `)
		RETURNING id, to_email, subject, text_body, html_body, message_id, attempts`
	sqlRows, err := w.db.WithContext(ctx).Raw(q, until, StatusQueued, now, now, w.opts.BatchSize).Rows()
	if err != nil {
		return nil, fmt.Errorf("mail: claim outbox rows: %w", err)
	}
	defer sqlRows.Close()
	var out []claimed
	for sqlRows.Next() {
		var r claimed
		if err := sqlRows.Scan(&r.ID, &r.ToEmail, &r.Subject, &r.TextBody, &r.HTMLBody, &r.MessageID, &r.Attempts); err != nil {
			return nil, fmt.Errorf("mail: claim outbox rows: %w", err)
		}
		r.until = until
		out = append(out, r)
	}
	if err := sqlRows.Err(); err != nil {
		return nil, fmt.Errorf("mail: claim outbox rows: %w", err)
	}
	return out, nil
}

// deliver sends one claimed row and records the outcome. tried is false
// when the claim was lost before sending.
func (w *Worker) deliver(ctx context.Context, r *claimed) (tried bool, err error) {
	// Renew the claim so that the whole SendTimeout fits inside it, and make
	// sure it is still ours (a slow batch may have outlived it).
	now := dbTime(w.opts.Clock())
	until := dbTime(now.Add(w.opts.ClaimTimeout))
	res := w.db.WithContext(ctx).Exec(`UPDATE outbox SET claimed_until = ? WHERE id = ? AND status = ? AND claimed_until = ?`,
		until, r.ID, StatusQueued, r.until)
	if res.Error != nil {
		return false, fmt.Errorf("mail: renew claim: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		w.log.WarnContext(ctx, "outbox claim lost before sending; another worker has the mail", "id", r.ID)
		return false, nil
	}
	r.until = until

	raw, sendErr := BuildRaw(w.opts.From, Message{To: r.ToEmail, Subject: r.Subject, Text: r.TextBody, HTML: r.HTMLBody}, r.MessageID, w.opts.Clock())
	unbuildable := sendErr != nil // a message that cannot be built never will be
	permanent := unbuildable
	// The mail is marked SENT the moment the server accepts it, before the
	// SMTP session ends, even when ctx was cancelled meanwhile: a mail
	// accepted but not marked is sent again (with the same Message-ID) by
	// whichever worker claims it next.
	var marked bool
	var markErr error
	markSent := func() {
		marked = true
		markErr = w.markSent(ctx, r)
	}
	if sendErr == nil {
		sendCtx, cancel := context.WithTimeout(ctx, w.opts.SendTimeout)
		if as, ok := w.sender.(AcceptingSender); ok {
			sendErr = as.SendAccepted(sendCtx, w.opts.From, r.ToEmail, raw, markSent)
		} else if sendErr = w.sender.Send(sendCtx, w.opts.From, r.ToEmail, raw); sendErr == nil {
			markSent()
		}
		cancel()
	}
	if marked {
		if markErr != nil {
			return true, markErr
		}
		if w.opts.OnSent != nil {
			w.opts.OnSent()
		}
		return true, nil
	}

	mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	now = dbTime(w.opts.Clock())
	if ctx.Err() != nil && !permanent {
		// Interrupted by shutdown, not refused by the server: not an attempt.
		w.release([]claimed{*r})
		return true, nil
	}
	var refused *RefusedError
	if errors.As(sendErr, &refused) {
		permanent = true
	}
	attempts := r.Attempts + 1
	status := StatusQueued
	if permanent || attempts >= w.opts.MaxAttempts {
		status = StatusFailed
	}
	next := dbTime(now.Add(w.backoff(attempts)))
	msg := cleanError(sendErr)
	if refused != nil {
		// The server's own words, as administrators will read them.
		msg = cleanError(fmt.Errorf("%d %s", refused.Code, refused.Reply))
	}
	res = w.db.WithContext(mctx).Exec(`UPDATE outbox SET status = ?, attempts = attempts + 1, last_error = ?, next_attempt_at = ?, claimed_until = NULL
		WHERE id = ? AND claimed_until = ?`, status, msg, next, r.ID, r.until)
	if res.Error != nil {
		return true, fmt.Errorf("mail: record failure of %s: %w", r.ID, res.Error)
	}
	if res.RowsAffected == 0 {
		w.log.WarnContext(ctx, "outbox claim expired while sending", "id", r.ID)
	}
	if status == StatusFailed {
		w.log.ErrorContext(ctx, "mail given up", "id", r.ID, "to", r.ToEmail, "attempts", attempts, "error", msg)
		if w.opts.OnFailed != nil {
			w.opts.OnFailed()
		}
		if w.opts.OnBounce != nil && !unbuildable && res.RowsAffected == 1 {
			w.opts.OnBounce(mctx, Bounce{OutboxID: r.ID, To: r.ToEmail, Reply: msg, Permanent: refused != nil})
		}
	} else {
		w.log.WarnContext(ctx, "mail not sent; will retry", "id", r.ID, "to", r.ToEmail, "attempts", attempts, "retry_at", next, "error", msg)
		if w.opts.OnRetry != nil {
			w.opts.OnRetry()
		}
	}
	return true, nil
}

// markSent records r as accepted by the server, if the claim is still
// ours (a worker whose claim expired changes nothing).
func (w *Worker) markSent(ctx context.Context, r *claimed) error {
	mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	res := w.db.WithContext(mctx).Exec(`UPDATE outbox SET status = ?, attempts = attempts + 1, sent_at = ?, claimed_until = NULL
		WHERE id = ? AND claimed_until = ?`, StatusSent, dbTime(w.opts.Clock()), r.ID, r.until)
	if res.Error != nil {
		return fmt.Errorf("mail: mark %s sent: %w", r.ID, res.Error)
	}
	if res.RowsAffected == 0 {
		w.log.WarnContext(ctx, "outbox claim expired while sending; the mail may be sent twice", "id", r.ID)
	}
	return nil
}

// release gives up claims on rows not processed, so that they need not wait
// for the claim to expire.
func (w *Worker) release(rows []claimed) {
	if len(rows) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, r := range rows {
		if err := w.db.WithContext(ctx).Exec(`UPDATE outbox SET claimed_until = NULL WHERE id = ? AND claimed_until = ?`, r.ID, r.until).Error; err != nil {
			w.log.Warn("could not release outbox claim; it will expire", "id", r.ID, "error", err)
		}
	}
}

// backoff is the wait after the attempts-th failed try: BaseBackoff doubled
// attempts-1 times, plus up to 20% jitter, at most MaxBackoff.
func (w *Worker) backoff(attempts int) time.Duration {
	d := w.opts.BaseBackoff
	for i := 1; i < attempts && d < w.opts.MaxBackoff; i++ {
		d *= 2
	}
	if d >= w.opts.MaxBackoff {
		return w.opts.MaxBackoff
	}
	d += time.Duration(rand.Int64N(int64(d)/5 + 1))
	return min(d, w.opts.MaxBackoff)
}

// MaxErrorLen is the most characters of an error kept in outbox.last_error.
const MaxErrorLen = 500

var urlCredentials = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.-]*://[^\s/@:]*):[^\s/@]*@`)

// redactText hides the password of any URL in s.
func redactText(s string) string { return urlCredentials.ReplaceAllString(s, "$1:***@") }

// cleanError makes err fit for last_error: credentials hidden, valid UTF-8,
// at most MaxErrorLen characters.
func cleanError(err error) string {
	s := redactText(strings.ToValidUTF8(err.Error(), "?"))
	s = strings.ReplaceAll(s, "\x00", "")
	if utf8.RuneCountInString(s) > MaxErrorLen {
		r := []rune(s)
		s = string(r[:MaxErrorLen-1]) + "…"
	}
	return s
}

// QueueDepth counts the mails waiting to be sent (QUEUED), for metrics.
func QueueDepth(ctx context.Context, db *gorm.DB) (int64, error) {
	var n int64
	err := db.WithContext(ctx).Raw(`SELECT COUNT(*) FROM outbox WHERE status = ?`, StatusQueued).Scan(&n).Error
	if err != nil {
		return 0, fmt.Errorf("mail: queue depth: %w", err)
	}
	return n, nil
}
