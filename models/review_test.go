package models

import (
	"strings"
	"testing"
	"time"
)

func TestParseReviewDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{"365d": 365 * 24 * time.Hour, "8760h": 8760 * time.Hour, "90s": 90 * time.Second, " 30d ": 30 * 24 * time.Hour} {
		if got, err := ParseReviewDuration(in, false); err != nil || got != want {
			t.Errorf("%q: %v %v", in, got, err)
		}
	}
	if got, err := ParseReviewDuration("0", true); err != nil || got != 0 {
		t.Errorf("grace 0: %v %v", got, err)
	}
	for _, in := range []string{"", "abc", "365", "-1d", "-5s", "1.5d", "d", "0d", "0"} {
		if _, err := ParseReviewDuration(in, false); err == nil {
			t.Errorf("%q parsed", in)
		}
	}
	if _, err := ParseReviewDuration("soon", false); err == nil || !strings.Contains(err.Error(), "365d") {
		t.Errorf("the message shows the accepted forms: %v", err)
	}
}

func TestReviewStates(t *testing.T) {
	p := ReviewPolicy{Interval: 365 * 24 * time.Hour, Grace: 30 * 24 * time.Hour}
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		after time.Duration
		want  ReviewState
	}{{0, ReviewCurrent}, {364 * 24 * time.Hour, ReviewCurrent}, {365 * 24 * time.Hour, ReviewDue},
		{394 * 24 * time.Hour, ReviewDue}, {395 * 24 * time.Hour, ReviewLocked}} {
		if got := p.At(at, at.Add(c.after)); got.State != c.want {
			t.Errorf("after %v: %s, want %s", c.after, got.State, c.want)
		}
		// The bounds the listing filters with agree with At.
		b := p.Bounds(at.Add(c.after))
		var bs ReviewState
		switch {
		case at.After(b.DueBefore):
			bs = ReviewCurrent
		case b.LockedBefore != nil && !at.After(*b.LockedBefore):
			bs = ReviewLocked
		default:
			bs = ReviewDue
		}
		if bs != c.want {
			t.Errorf("after %v the bounds say %s", c.after, bs)
		}
	}
	never := ReviewPolicy{Interval: time.Hour}
	if r := never.At(at, at.Add(1000*time.Hour)); r.State != ReviewDue || r.LocksAt != nil {
		t.Errorf("grace 0 never locks: %+v", r)
	}
}

func TestReminderOffsets(t *testing.T) {
	year := ReviewPolicy{Interval: 365 * 24 * time.Hour}
	for k, d := range map[ReminderKind]time.Duration{Reminder30Days: 30 * 24 * time.Hour, Reminder7Days: 7 * 24 * time.Hour,
		Reminder1Day: 24 * time.Hour, ReminderPassed: 0} {
		if got := year.ReminderOffset(k); got != d {
			t.Errorf("%s: %v", k, got)
		}
	}
	// A short interval scales the offsets, never before the cycle starts.
	short := ReviewPolicy{Interval: 90 * time.Second}
	for _, k := range ReminderKinds {
		if o := short.ReminderOffset(k); o < 0 || o >= short.Interval {
			t.Errorf("%s: offset %v of a 90 s interval", k, o)
		}
	}
	if short.ReminderOffset(Reminder30Days) <= short.ReminderOffset(Reminder7Days) || short.ReminderOffset(Reminder7Days) <= short.ReminderOffset(Reminder1Day) {
		t.Errorf("offsets out of order")
	}
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, ok := short.ReminderDue(at, at); ok {
		t.Errorf("a reminder at the start of a cycle")
	}
	for _, c := range []struct {
		after time.Duration
		want  ReminderKind
	}{{83 * time.Second, Reminder30Days}, {89800 * time.Millisecond, Reminder1Day}, {89 * time.Second, Reminder7Days}, {90 * time.Second, ReminderPassed}} {
		if k, ok := short.ReminderDue(at, at.Add(c.after)); !ok || k != c.want {
			t.Errorf("after %v: %s %v, want %s", c.after, k, ok, c.want)
		}
	}
}
