package models

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// The review cycle: contact info is reviewed by every save and by an
// explicit confirmation; it is due REVIEW_INTERVAL after the last review,
// and the portal blocks on it REVIEW_GRACE after that (never when the grace
// is 0). Reminders go out before the due date and once it has passed.

// Default review settings (README: REVIEW_INTERVAL, REVIEW_GRACE).
const (
	DefaultReviewInterval = 365 * 24 * time.Hour
	DefaultReviewGrace    = 30 * 24 * time.Hour
)

// ParseReviewDuration reads a review setting: whole days ("365d") or a Go
// duration ("8760h", "90s"). It refuses negative values; a zero interval
// is refused too (a review would always be due), a zero grace is "never
// lock" and allowed (the caller decides with allowZero).
func ParseReviewDuration(s string, allowZero bool) (time.Duration, error) {
	s = strings.TrimSpace(s)
	var d time.Duration
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.ParseInt(days, 10, 64)
		if err != nil || n < 0 || n > 100*366 {
			return 0, fmt.Errorf("%q is not a number of days (e.g. 365d) nor a duration (e.g. 8760h, 90s)", s)
		}
		d = time.Duration(n) * 24 * time.Hour
	} else {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			return 0, fmt.Errorf("%q is not a number of days (e.g. 365d) nor a duration (e.g. 8760h, 90s)", s)
		}
	}
	switch {
	case d < 0:
		return 0, fmt.Errorf("%q is negative", s)
	case d == 0 && !allowZero:
		return 0, fmt.Errorf("%q must be longer than zero", s)
	}
	return d, nil
}

// ReviewPolicy is the server's review settings.
type ReviewPolicy struct {
	// Interval is how long a review stays current.
	Interval time.Duration
	// Grace is how long after the due date the review may be postponed;
	// 0 means it never blocks.
	Grace time.Duration
}

// DefaultReviewPolicy is 365 days with 30 days of grace.
func DefaultReviewPolicy() ReviewPolicy {
	return ReviewPolicy{Interval: DefaultReviewInterval, Grace: DefaultReviewGrace}
}

// ReviewState is where an account is in its review cycle.
type ReviewState string

const (
	// ReviewCurrent: before the due date.
	ReviewCurrent ReviewState = "CURRENT"
	// ReviewDue: the due date has passed; the review may still be postponed.
	ReviewDue ReviewState = "DUE"
	// ReviewLocked: the grace has passed too; the review blocks the portal.
	ReviewLocked ReviewState = "LOCKED"
)

// ReviewStates lists the states in cycle order.
var ReviewStates = []ReviewState{ReviewCurrent, ReviewDue, ReviewLocked}

// Valid reports whether s is a known state.
func (s ReviewState) Valid() bool { return s == ReviewCurrent || s == ReviewDue || s == ReviewLocked }

func (s ReviewState) MarshalGQL(w io.Writer) { marshalEnum(w, string(s)) }
func (s *ReviewState) UnmarshalGQL(v any) error {
	str, err := unmarshalEnum(v, func(x string) bool { return ReviewState(x).Valid() }, "ReviewState")
	*s = ReviewState(str)
	return err
}

// Review is the review cycle of one account at one moment.
type Review struct {
	ReviewedAt time.Time
	DueAt      time.Time
	// LocksAt is when the review starts to block; nil when the grace is 0.
	LocksAt *time.Time
	State   ReviewState
}

// Overdue: the due date has passed (the review mode opens).
func (r Review) Overdue() bool { return r.State != ReviewCurrent }

// Locked: the grace has passed too (the review mode blocks).
func (r Review) Locked() bool { return r.State == ReviewLocked }

// At computes the review cycle of contact info reviewed at reviewedAt, at now.
func (p ReviewPolicy) At(reviewedAt, now time.Time) Review {
	r := Review{ReviewedAt: reviewedAt, DueAt: reviewedAt.Add(p.Interval), State: ReviewCurrent}
	if p.Grace > 0 {
		l := r.DueAt.Add(p.Grace)
		r.LocksAt = &l
	}
	switch {
	case r.LocksAt != nil && !now.Before(*r.LocksAt):
		r.State = ReviewLocked
	case !now.Before(r.DueAt):
		r.State = ReviewDue
	}
	return r
}

// ReviewedBounds are the reviewedAt limits of each state at now, for
// queries on the indexed reviewed_at column: CURRENT is reviewedAt >
// DueBefore; DUE is LockedBefore < reviewedAt <= DueBefore (no lower bound
// when LockedBefore is nil); LOCKED is reviewedAt <= *LockedBefore.
type ReviewedBounds struct {
	DueBefore    time.Time
	LockedBefore *time.Time
}

// Bounds returns the reviewedAt limits of each state at now.
func (p ReviewPolicy) Bounds(now time.Time) ReviewedBounds {
	b := ReviewedBounds{DueBefore: now.Add(-p.Interval)}
	if p.Grace > 0 {
		l := now.Add(-p.Interval - p.Grace)
		b.LockedBefore = &l
	}
	return b
}

// ReminderKind is one of the review reminders of a cycle.
type ReminderKind string

const (
	Reminder30Days ReminderKind = "DUE_IN_30_DAYS"
	Reminder7Days  ReminderKind = "DUE_IN_7_DAYS"
	Reminder1Day   ReminderKind = "DUE_IN_1_DAY"
	ReminderPassed ReminderKind = "DUE_DATE_PASSED"
)

// ReminderKinds lists the reminders most urgent first.
var ReminderKinds = []ReminderKind{ReminderPassed, Reminder1Day, Reminder7Days, Reminder30Days}

// reminderDays is each reminder's offset before the due date at the
// default interval.
var reminderDays = map[ReminderKind]int{Reminder30Days: 30, Reminder7Days: 7, Reminder1Day: 1, ReminderPassed: 0}

// shortInterval is the interval under which the offsets scale down.
const shortInterval = 60 * 24 * time.Hour

// ReminderOffset is how long before the due date a reminder goes out: 30,
// 7 and 1 days (0 for "passed"). Under a 60-day interval the offsets scale
// with it, as the same fraction of a 365-day year (a 90 s interval reminds
// about 7.4 s, 1.7 s and 0.25 s before the due date), so that a short cycle
// (tests, demonstrations) runs the same sequence and never reminds before
// the cycle has started.
func (p ReviewPolicy) ReminderOffset(k ReminderKind) time.Duration {
	days := time.Duration(reminderDays[k])
	if p.Interval < shortInterval {
		return p.Interval * days / 365
	}
	return days * 24 * time.Hour
}

// ReminderDue returns the most urgent reminder that applies at now to a
// cycle reviewed at reviewedAt, and false when none does yet. Only the most
// urgent one is sent: a server that was down for a while sends "passed",
// not every reminder it missed.
func (p ReviewPolicy) ReminderDue(reviewedAt, now time.Time) (ReminderKind, bool) {
	due := reviewedAt.Add(p.Interval)
	for _, k := range ReminderKinds {
		if !now.Before(due.Add(-p.ReminderOffset(k))) {
			return k, true
		}
	}
	return "", false
}

// ReminderThreshold is the latest reviewedAt for which reminder k applies at
// now (for the scheduler's indexed query).
func (p ReviewPolicy) ReminderThreshold(k ReminderKind, now time.Time) time.Time {
	return now.Add(-p.Interval + p.ReminderOffset(k))
}

// ChangeKind says what a history entry records.
type ChangeKind string

const (
	// ChangeFieldChanged: one field's value changed in a save.
	ChangeFieldChanged ChangeKind = "FIELD_CHANGED"
	// ChangeReviewConfirmed: someone confirmed the contact info is still
	// correct (confirmContactInfo).
	ChangeReviewConfirmed ChangeKind = "REVIEW_CONFIRMED"
)

// Valid reports whether k is a known kind.
func (k ChangeKind) Valid() bool { return k == ChangeFieldChanged || k == ChangeReviewConfirmed }

func (k ChangeKind) MarshalGQL(w io.Writer) { marshalEnum(w, string(k)) }
func (k *ChangeKind) UnmarshalGQL(v any) error {
	s, err := unmarshalEnum(v, func(x string) bool { return ChangeKind(x).Valid() }, "ChangeKind")
	*k = ChangeKind(s)
	return err
}
