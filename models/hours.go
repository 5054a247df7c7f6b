package models

import (
	"math"
	"slices"
	"sync"
	"time"
)

// Support hours are evaluated by listing the open intervals of every window
// for the local dates around the instant asked about, merging them, and
// reading the answer off the merged intervals. It is a few hundred small
// computations per call, with no state kept between calls, and it is exact:
// every DST rule is applied by the time package when a local date and time
// are turned into an instant, never approximated by adding hours.
//
// A window on day D opens at D opens and closes at D closes, or at (D+1)
// closes when closes is earlier than opens (overnight). A local time is
// turned into an instant by localInstant, which defines what happens on the
// days when the clocks change: see there.

// Evaluation bounds. Intervals are built for local dates from
// lookBehindDays before the instant asked about to lookAheadDays after it.
// An interval is shorter than two days (at most 24 hours plus a DST jump),
// so any interval containing t starts on one of the two preceding dates; and
// any interval starting after the last date starts more than
// exactDays after t, so the union is exact from t until t+exactDays.
const (
	lookBehindDays = 2
	lookAheadDays  = 8
	exactDays      = 7
	// searchStepDays moves the search for the next change forward when
	// nothing changes within exactDays (every minute of the week covered);
	// it is less than exactDays so that no instant is skipped.
	searchStepDays = 6
	// maxSearchSteps bounds that search at a little over a year: a weekly
	// schedule that has not changed state in a whole year, through every
	// DST transition, never will (until the time zone rules change).
	maxSearchSteps = 64
)

// span is an open interval [from, to) in Unix seconds. Window boundaries are
// whole minutes of zones whose offsets are whole seconds, so seconds are
// exact, and comparing integers keeps the merge cheap.
type span struct{ from, to int64 }

// compiledWindow is a SupportWindow parsed once per evaluation.
type compiledWindow struct {
	zone          string
	loc           *time.Location
	days          [7]bool // indexed by time.Weekday
	opens, closes int     // minutes after midnight
}

// OpenAt reports whether support is offered at t.
func (h SupportHours) OpenAt(t time.Time) bool {
	open, _, _ := h.evaluate(t, false)
	return open
}

// NextChange returns the next instant strictly after t at which OpenAt
// changes value, in t's location. It returns false when support is always
// open, when there is no usable window, or when the windows together cover
// every minute for over a year (so nothing ever changes).
func (h SupportHours) NextChange(t time.Time) (time.Time, bool) {
	_, next, ok := h.evaluate(t, true)
	return next, ok
}

// NowOpen is OpenAt and NextChange in one evaluation, for the API's openNow
// and nextChange. Hours that are not set (nil) are closed with no next
// change.
func NowOpen(h *SupportHours, now time.Time) (open bool, next *time.Time) {
	if h == nil {
		return false, nil
	}
	open, n, ok := h.evaluate(now, true)
	if !ok {
		return open, nil
	}
	return open, &n
}

// evaluate answers OpenAt(t) and, when wantNext, NextChange(t).
func (h SupportHours) evaluate(t time.Time, wantNext bool) (open bool, next time.Time, ok bool) {
	if h.AlwaysOpen {
		return true, time.Time{}, false
	}
	windows := compileWindows(h.Windows)
	if len(windows) == 0 {
		return false, time.Time{}, false
	}
	// One buffer for every step of the search: windows × dates intervals.
	buf := make([]span, 0, len(windows)*(lookBehindDays+lookAheadDays+1))

	cursor := t.Unix() // t > b ⟺ t.Unix() >= b for whole seconds b, see span
	for step := 0; step < maxSearchSteps; step++ {
		spans := openSpans(buf[:0], windows, cursor)
		if step == 0 {
			open = containing(spans, cursor)
			if !wantNext {
				return open, time.Time{}, false
			}
		}
		if b, found := firstBoundaryAfter(spans, cursor); found && b < cursor+exactDays*86400 {
			return open, time.Unix(b, 0).In(t.Location()), true
		}
		// Nothing changes in (cursor, cursor+exactDays): the state at the
		// new cursor is still the state at t.
		cursor += searchStepDays * 86400
	}
	return open, time.Time{}, false
}

// compileWindows parses the windows and loads their zones, each zone once.
// Windows that cannot be evaluated (stored before validation existed, or
// with a zone this host does not know) are skipped rather than failing the
// whole page they appear on.
func compileWindows(ws []SupportWindow) []compiledWindow {
	out := make([]compiledWindow, 0, len(ws))
	for _, w := range ws {
		opens, ok1 := parseClock(w.Opens)
		closes, ok2 := parseClock(w.Closes)
		if !ok1 || !ok2 || opens == closes || w.TimeZone == "" || w.TimeZone == "Local" {
			continue
		}
		cw := compiledWindow{zone: w.TimeZone, opens: opens, closes: closes}
		anyDay := false
		for _, d := range w.Days {
			if wd, ok := d.weekday(); ok {
				cw.days[wd] = true
				anyDay = true
			}
		}
		if !anyDay {
			continue
		}
		// Windows usually share one zone; LoadLocation reads and parses a
		// file, so reuse an earlier window's location when the name matches.
		for _, prev := range out {
			if prev.zone == w.TimeZone {
				cw.loc = prev.loc
				break
			}
		}
		if cw.loc == nil {
			loc, err := loadLocation(w.TimeZone)
			if err != nil {
				continue
			}
			cw.loc = loc
		}
		out = append(out, cw)
	}
	return out
}

// openSpans appends to buf the open intervals of every window for the local
// dates around the instant at, and returns them sorted and merged: disjoint
// and not touching, so that every endpoint is a change of state.
func openSpans(buf []span, windows []compiledWindow, at int64) []span {
	t := time.Unix(at, 0)
	for _, w := range windows {
		y, m, d := t.In(w.loc).Date()
		for i := -lookBehindDays; i <= lookAheadDays; i++ {
			// Calendar arithmetic in UTC: a date has no zone, and time.Date
			// normalises d+i across month and year ends.
			day := time.Date(y, m, d+i, 0, 0, 0, 0, time.UTC)
			if !w.days[day.Weekday()] {
				continue
			}
			dy, dm, dd := day.Date()
			from := localInstant(w.loc, dy, dm, dd, w.opens)
			var to int64
			if w.closes > w.opens {
				to = localInstant(w.loc, dy, dm, dd, w.closes)
			} else {
				to = localInstant(w.loc, dy, dm, dd+1, w.closes)
			}
			// Empty when the whole window falls in a DST gap, e.g. 02:00–03:00
			// on the night the clocks skip that hour.
			if from < to {
				buf = append(buf, span{from, to})
			}
		}
	}
	slices.SortFunc(buf, func(a, b span) int {
		switch {
		case a.from < b.from:
			return -1
		case a.from > b.from:
			return 1
		}
		return 0
	})
	merged := buf[:0]
	for _, s := range buf {
		if n := len(merged); n > 0 && s.from <= merged[n-1].to {
			merged[n-1].to = max(merged[n-1].to, s.to)
			continue
		}
		merged = append(merged, s)
	}
	return merged
}

// containing reports whether the instant at (whole seconds, floored) is in
// one of the merged spans.
func containing(spans []span, at int64) bool {
	for _, s := range spans {
		if s.from <= at && at < s.to {
			return true
		}
		if s.from > at {
			break
		}
	}
	return false
}

// firstBoundaryAfter returns the first span endpoint strictly after the
// instant whose floored Unix second is at. For whole-second endpoints b and
// an instant t with t.Unix() == at, b > t exactly when b > at.
func firstBoundaryAfter(spans []span, at int64) (int64, bool) {
	for _, s := range spans {
		if s.from > at {
			return s.from, true
		}
		if s.to > at {
			return s.to, true
		}
	}
	return 0, false
}

// localInstant returns the instant (Unix seconds) at which the wall clock in
// loc first reaches the local date y-m-d at the given minute of the day.
//
// On most days that is simply that local time. On the days the clocks change
// it settles the two cases time.Date leaves open ("the choice of time zone,
// and therefore the time, is not guaranteed" — and in practice Go moves a
// skipped 02:30 forward in Europe/Rome but backward in America/New_York):
//
//   - A time skipped by the clocks going forward (02:30 when 02:00 jumps to
//     03:00) becomes the instant of the jump, which the wall clock shows as
//     03:00: the first moment the clock reads 02:30 or later. A window
//     opening at 02:30 opens at 03:00 that day; one closing at 02:30 closes
//     at 03:00, so support is never shown open at a local time outside its
//     window.
//   - A time that happens twice because the clocks go back (02:30 when 03:00
//     returns to 02:00) is its first occurrence, as in RFC 5545, java.time
//     and JavaScript's Temporal. A window closing at 02:30 closes at the
//     first 02:30 and does not reopen when the clock shows 02:00 again.
func localInstant(loc *time.Location, y int, m time.Month, d, minute int) int64 {
	// The wall-clock reading written as if it were UTC; subtracting the
	// zone's offset turns it into an instant.
	wall := time.Date(y, m, d, 0, minute, 0, 0, time.UTC).Unix()

	// The offsets in effect around the reading: a DST change near it makes
	// the ones before and after differ. Each offset gives a candidate
	// instant, which is real when the zone does use that offset then.
	first := int64(math.MaxInt64)
	var tried [3]int
	for k, probe := range [3]int64{wall - 86400, wall, wall + 86400} {
		_, off := time.Unix(probe, 0).In(loc).Zone()
		tried[k] = off
		if slices.Contains(tried[:k], off) {
			continue // the same candidate again
		}
		u := wall - int64(off)
		if _, actual := time.Unix(u, 0).In(loc).Zone(); actual == off && u < first {
			first = u
		}
	}
	if first != math.MaxInt64 {
		return first
	}
	// No offset gives this reading: it is in a gap. Read with the offset from
	// before the gap, it falls just after the jump; the jump is the start of
	// the zone period that instant is in.
	u := wall - int64(tried[0])
	if start, _ := time.Unix(u, 0).In(loc).ZoneBounds(); !start.IsZero() {
		return start.Unix()
	}
	return u
}

// parseClock parses exactly "HH:MM", 00:00 to 23:59, into minutes after
// midnight.
func parseClock(s string) (int, bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	for _, i := range [4]int{0, 1, 3, 4} {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	h := int(s[0]-'0')*10 + int(s[1]-'0')
	m := int(s[3]-'0')*10 + int(s[4]-'0')
	if h > 23 || m > 59 {
		return 0, false
	}
	return h*60 + m, true
}

// weekday maps a DayOfWeek to the time package's weekday.
func (d DayOfWeek) weekday() (time.Weekday, bool) {
	switch d {
	case Monday:
		return time.Monday, true
	case Tuesday:
		return time.Tuesday, true
	case Wednesday:
		return time.Wednesday, true
	case Thursday:
		return time.Thursday, true
	case Friday:
		return time.Friday, true
	case Saturday:
		return time.Saturday, true
	case Sunday:
		return time.Sunday, true
	}
	return 0, false
}

// locations memoises time.LoadLocation, which reads and parses the zone
// file on every call: a staff page computes support hours for 100 accounts.
// Zone data does not change while the process runs, and the set of zone
// names is small and bounded (only names that loaded are kept).
var locations sync.Map // name → *time.Location

func loadLocation(name string) (*time.Location, error) {
	if loc, ok := locations.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	locations.Store(name, loc)
	return loc, nil
}
