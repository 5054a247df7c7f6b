package service

import (
	"context"
	"fmt"
	"time"

	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/mail"
	"github.com/contactgate/contactgate/models"
)

// ReviewService owns the review cycle's reminders, the stored warnings
// and their background upkeep. The scheduler runs on every process: the
// database decides who sends a reminder (gormstore.ClaimReminder), so no
// process is special.
type ReviewService struct {
	deps Deps
	// OnPass and OnReminder, when set, count the scheduler's work
	// (/metrics).
	OnPass     func()
	OnReminder func()
}

func newReviewService(d Deps) *ReviewService { return &ReviewService{deps: d} }

// Policy is the server's review settings.
func (s *ReviewService) Policy() models.ReviewPolicy { return s.deps.Review }

// At is the review cycle of contact info reviewed at reviewedAt, now.
func (s *ReviewService) At(reviewedAt time.Time) models.Review {
	return s.deps.Review.At(reviewedAt, s.deps.now())
}

// Bounds turns a review state into reviewed_at bounds of the listing's
// filter, at now.
func (s *ReviewService) Bounds(state models.ReviewState) (after, atOrBefore *time.Time) {
	b := s.deps.Review.Bounds(s.deps.now())
	switch state {
	case models.ReviewCurrent:
		return &b.DueBefore, nil
	case models.ReviewDue:
		return b.LockedBefore, &b.DueBefore
	case models.ReviewLocked:
		if b.LockedBefore == nil {
			// Grace 0: nothing ever locks.
			never := time.Time{}
			return nil, &never
		}
		return nil, b.LockedBefore
	}
	return nil, nil
}

// reminderBatch is how many accounts one query of a pass handles.
const reminderBatch = 200

// RunPass does the scheduler's work once: warnings computed by older rules
// are recomputed, then every review reminder that is due and not yet sent
// is sent (queued in the outbox in the transaction that records it). It
// is idempotent: a second pass, here or on another process, sends nothing
// the first one sent. It returns the number of reminders this call sent.
func (s *ReviewService) RunPass(ctx context.Context) (int, error) {
	if s.OnPass != nil {
		defer s.OnPass()
	}
	if err := s.refreshStaleWarnings(ctx); err != nil {
		return 0, err
	}
	p, now := s.deps.Review, s.deps.now()
	sent := 0
	// Most urgent first; each kind takes only the accounts no more urgent
	// kind applies to, so that one cycle gets the most urgent reminder only.
	var moreUrgent *time.Time
	for _, kind := range models.ReminderKinds {
		threshold := p.ReminderThreshold(kind, now)
		for {
			cands, err := s.deps.Store.ReminderCandidates(ctx, kind, threshold, moreUrgent, reminderBatch)
			if err != nil {
				return sent, err
			}
			for _, c := range cands {
				ok, err := s.sendReminder(ctx, c, kind)
				if err != nil {
					return sent, err
				}
				if ok {
					sent++
				}
			}
			if len(cands) < reminderBatch {
				break
			}
		}
		t := threshold
		moreUrgent = &t
	}
	return sent, nil
}

// sendReminder claims one reminder and queues its mails to the account's
// administrators and editors, each in their language, in one transaction;
// false when another process (or an earlier pass) had it, or the cycle
// ended meanwhile.
func (s *ReviewService) sendReminder(ctx context.Context, c gormstore.ReminderCandidate, kind models.ReminderKind) (bool, error) {
	won := false
	err := s.deps.Store.InTx(ctx, func(tx *gormstore.DB) error {
		ok, err := tx.ClaimReminder(ctx, c.AccountID, kind, c.Cycle)
		if err != nil || !ok {
			return err
		}
		won = true
		acc, err := tx.Account(ctx, c.AccountID)
		if err != nil {
			return err
		}
		to, err := tx.MembersWithRoles(ctx, c.AccountID, models.RoleAdministrator, models.RoleEditor)
		if err != nil {
			return err
		}
		review := s.deps.Review.At(c.ReviewedAt, s.deps.now())
		for _, r := range to {
			m := mail.ReviewReminderMail(r.Locale, mail.ReviewReminderData{To: r.Email, AccountName: acc.Name,
				Passed: kind == models.ReminderPassed, DueAt: review.DueAt, LocksAt: review.LocksAt,
				Link: s.deps.link("/accounts/" + c.AccountID + "/contact-info")})
			if err := mail.Enqueue(tx.Gorm(), s.deps.MailFrom, m); err != nil {
				return fmt.Errorf("queue review reminder: %w", err)
			}
		}
		if len(to) > 0 {
			tx.AfterCommit(s.deps.Events.MailQueued)
		}
		if err := s.deps.webhooks.Enqueue(ctx, tx, c.AccountID, models.EventContactInfoReviewDue, map[string]any{
			"accountId": c.AccountID, "reminder": kind, "reviewedAt": review.ReviewedAt, "dueAt": review.DueAt,
			"locksAt": review.LocksAt}); err != nil {
			return err
		}
		tx.AfterCommit(func() {
			s.deps.Events.ReviewDue(c.AccountID, kind)
			if s.OnReminder != nil {
				s.OnReminder()
			}
		})
		return nil
	})
	if err != nil {
		return false, err
	}
	return won, nil
}

// warningsBatch bounds the accounts one pass recomputes after a change of
// the warning rules (the rest follow at the next passes).
const warningsBatch = 500

func (s *ReviewService) refreshStaleWarnings(ctx context.Context) error {
	ids, err := s.deps.Store.AccountsWithStaleWarnings(ctx, models.WarningRulesVersion, warningsBatch)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := s.deps.Store.InTx(ctx, func(tx *gormstore.DB) error {
			return refreshWarnings(ctx, tx, id, nil)
		}); err != nil {
			return err
		}
	}
	return nil
}

// refreshWarnings recomputes and stores the warning set of an account's
// data (info: its contact info when the caller has it). Every change that
// can alter a warning calls it in its transaction: saves, confirmations,
// members joining and leaving, invitations revoked.
func refreshWarnings(ctx context.Context, tx *gormstore.DB, accountID string, info *models.ContactInfo) error {
	in, err := warningInput(ctx, tx, accountID, info)
	if err != nil {
		return err
	}
	set := models.WarningSetOf(models.Warnings(in))
	if info != nil {
		info.Warnings = set
	}
	return tx.SetWarnings(ctx, accountID, set, models.WarningRulesVersion)
}

// warningInput gathers what the warnings of one account depend on, except
// the review (time).
func warningInput(ctx context.Context, db *gormstore.DB, accountID string, info *models.ContactInfo) (models.WarningInput, error) {
	if info == nil {
		var err error
		if info, err = db.ContactInfo(ctx, accountID); err != nil {
			return models.WarningInput{}, err
		}
	}
	members, err := db.MemberEmails(ctx, accountID)
	if err != nil {
		return models.WarningInput{}, err
	}
	former, err := db.FormerMemberEmails(ctx, accountID)
	if err != nil {
		return models.WarningInput{}, err
	}
	reach, err := db.ReachabilityByAccountIDs(ctx, []string{accountID})
	if err != nil {
		return models.WarningInput{}, err
	}
	var unreachable []string
	for _, r := range reach[accountID] {
		if r.State.Unreachable() {
			unreachable = append(unreachable, r.Email)
		}
	}
	return models.WarningInput{Info: *info, MemberEmails: members, FormerMemberEmails: former, Unreachable: unreachable}, nil
}

// Run runs a pass every interval until ctx ends (the background scheduler
// of every process). A failed pass is logged and retried at the next tick.
func (s *ReviewService) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := s.RunPass(ctx); err != nil && ctx.Err() == nil {
			s.deps.Log.Error("review scheduler pass failed", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
