package models

import (
	"fmt"
	"testing"
	"time"
)

// utc parses "2006-01-02 15:04" (or with seconds) as UTC.
func utc(t *testing.T, s string) time.Time {
	t.Helper()
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02 15:04:05.999999999"} {
		if v, err := time.Parse(layout, s); err == nil {
			return v
		}
	}
	t.Fatalf("bad time %q", s)
	return time.Time{}
}

func hours(ws ...SupportWindow) SupportHours { return SupportHours{Windows: ws} }

func win(zone, opens, closes string, days ...DayOfWeek) SupportWindow {
	return SupportWindow{Days: days, Opens: opens, Closes: closes, TimeZone: zone}
}

var everyDay = []DayOfWeek{Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday}

// Daylight-saving changes of 2026 used below, in UTC:
//
//	Europe/Rome       2026-03-29 01:00  02:00 CET  → 03:00 CEST (+1 → +2)
//	                  2026-10-25 01:00  03:00 CEST → 02:00 CET  (+2 → +1)
//	America/New_York  2026-03-08 07:00  02:00 EST  → 03:00 EDT  (-5 → -4)
//	                  2026-11-01 06:00  02:00 EDT  → 01:00 EST  (-4 → -5)
//
// All four days are Sundays. The expected instants are worked out by hand
// from these, following the rules documented on localInstant.
func TestSupportHours(t *testing.T) {
	rome, ny := "Europe/Rome", "America/New_York"
	tests := []struct {
		name     string
		hours    SupportHours
		at       string // UTC
		wantOpen bool
		wantNext string // UTC; "" for no next change
	}{
		// Overnight: Friday 22:00 to Saturday 02:00, Rome in May (+2).
		{"overnight: Saturday 01:00 is open", hours(win(rome, "22:00", "02:00", Friday)), "2026-05-01 23:00", true, "2026-05-02 00:00"},
		{"overnight: Friday 21:59 is closed", hours(win(rome, "22:00", "02:00", Friday)), "2026-05-01 19:59", false, "2026-05-01 20:00"},
		{"overnight: opening instant is open", hours(win(rome, "22:00", "02:00", Friday)), "2026-05-01 20:00", true, "2026-05-02 00:00"},
		{"overnight: closing instant is closed", hours(win(rome, "22:00", "02:00", Friday)), "2026-05-02 00:00", false, "2026-05-08 20:00"},
		{"overnight: early Friday belongs to Thursday", hours(win(rome, "22:00", "02:00", Friday)), "2026-04-30 23:00", false, "2026-05-01 20:00"},

		// Rome, clocks forward on Sunday 2026-03-29: 02:00–02:59 never shows.
		{"Rome spring: opening at a skipped 02:30 waits for the jump", hours(win(rome, "02:30", "06:00", Sunday)), "2026-03-29 00:59", false, "2026-03-29 01:00"},
		{"Rome spring: open from the jump (03:00 CEST)", hours(win(rome, "02:30", "06:00", Sunday)), "2026-03-29 01:00", true, "2026-03-29 04:00"},
		{"Rome spring: the day before", hours(win(rome, "02:30", "06:00", Sunday)), "2026-03-28 12:00", false, "2026-03-29 01:00"},
		{"Rome spring: closing at a skipped 02:30 closes at the jump", hours(win(rome, "01:00", "02:30", Sunday)), "2026-03-29 00:30", true, "2026-03-29 01:00"},
		{"Rome spring: a window inside the skipped hour does not happen", hours(win(rome, "02:00", "03:00", Sunday)), "2026-03-28 12:00", false, "2026-04-05 00:00"},
		{"Rome spring: overnight across the jump", hours(win(rome, "23:00", "03:30", Saturday)), "2026-03-29 00:30", true, "2026-03-29 01:30"},
		{"Rome spring: overnight opens Saturday in CET", hours(win(rome, "23:00", "03:30", Saturday)), "2026-03-28 21:00", false, "2026-03-28 22:00"},
		{"Rome spring: all day is 23 hours less a minute", hours(win(rome, "00:00", "23:59", everyDay...)), "2026-03-29 21:58", true, "2026-03-29 21:59"},
		{"Rome spring: the last minute of the day is closed", hours(win(rome, "00:00", "23:59", everyDay...)), "2026-03-29 21:59", false, "2026-03-29 22:00"},
		{"Rome spring: the last minute of Saturday (CET)", hours(win(rome, "00:00", "23:59", everyDay...)), "2026-03-28 22:59", false, "2026-03-28 23:00"},

		// Rome, clocks back on Sunday 2026-10-25: 02:00–02:59 shows twice.
		{"Rome fall: closing at a repeated 02:30 closes at the first", hours(win(rome, "01:00", "02:30", Sunday)), "2026-10-25 00:00", true, "2026-10-25 00:30"},
		{"Rome fall: no reopening when 02:15 shows again", hours(win(rome, "01:00", "02:30", Sunday)), "2026-10-25 01:15", false, "2026-11-01 00:00"},
		{"Rome fall: opening at a repeated 02:30 opens at the first", hours(win(rome, "02:30", "05:00", Sunday)), "2026-10-25 00:29", false, "2026-10-25 00:30"},
		{"Rome fall: open through the repeated hour", hours(win(rome, "02:30", "05:00", Sunday)), "2026-10-25 01:15", true, "2026-10-25 04:00"},
		{"Rome fall: overnight ends at the first 02:30", hours(win(rome, "22:00", "02:30", Saturday)), "2026-10-25 00:45", false, "2026-10-31 21:00"},
		{"Rome fall: overnight opens Saturday in CEST", hours(win(rome, "22:00", "02:30", Saturday)), "2026-10-24 19:00", false, "2026-10-24 20:00"},
		{"Rome fall: all day is 25 hours less a minute", hours(win(rome, "00:00", "23:59", everyDay...)), "2026-10-25 12:00", true, "2026-10-25 22:59"},
		{"Rome fall: Sunday opened at 00:00 CEST", hours(win(rome, "00:00", "23:59", everyDay...)), "2026-10-24 21:59", false, "2026-10-24 22:00"},

		// New York, clocks forward on Sunday 2026-03-08. time.Date would put
		// a skipped 02:30 at 01:30 EST here (06:30 UTC), an hour early.
		{"New York spring: opening at a skipped 02:30 waits for the jump", hours(win(ny, "02:30", "06:00", Sunday)), "2026-03-08 06:59", false, "2026-03-08 07:00"},
		{"New York spring: open from the jump (03:00 EDT)", hours(win(ny, "02:30", "06:00", Sunday)), "2026-03-08 07:00", true, "2026-03-08 10:00"},
		{"New York spring: overnight closes at the jump", hours(win(ny, "20:00", "02:30", Saturday)), "2026-03-08 06:45", true, "2026-03-08 07:00"},
		{"New York spring: overnight opens Saturday in EST", hours(win(ny, "20:00", "02:30", Saturday)), "2026-03-08 00:30", false, "2026-03-08 01:00"},

		// New York, clocks back on Sunday 2026-11-01: 01:00–01:59 shows twice.
		{"New York fall: closing at a repeated 01:30 closes at the first", hours(win(ny, "00:00", "01:30", Sunday)), "2026-11-01 05:00", true, "2026-11-01 05:30"},
		{"New York fall: no reopening when 01:15 shows again", hours(win(ny, "00:00", "01:30", Sunday)), "2026-11-01 06:15", false, "2026-11-08 05:00"},
		{"New York fall: opening at a repeated 01:30 opens at the first", hours(win(ny, "01:30", "03:00", Sunday)), "2026-11-01 05:29", false, "2026-11-01 05:30"},
		{"New York fall: open through the repeated hour", hours(win(ny, "01:30", "03:00", Sunday)), "2026-11-01 06:15", true, "2026-11-01 08:00"},
		{"New York fall: 02:00 shows only once, in EST", hours(win(ny, "01:00", "02:00", Sunday)), "2026-11-01 06:30", true, "2026-11-01 07:00"},

		// Several zones: the union.
		{"two zones overlapping in May", hours(win(rome, "09:00", "17:00", Monday), win(ny, "09:00", "17:00", Monday)), "2026-05-04 14:00", true, "2026-05-04 21:00"},
		{"two zones: before Rome opens", hours(win(rome, "09:00", "17:00", Monday), win(ny, "09:00", "17:00", Monday)), "2026-05-04 06:00", false, "2026-05-04 07:00"},
		{"two zones: after New York closes", hours(win(rome, "09:00", "17:00", Monday), win(ny, "09:00", "17:00", Monday)), "2026-05-04 21:00", false, "2026-05-11 07:00"},
		{"two zones when only the US has changed clocks", hours(win(rome, "09:00", "17:00", Monday), win(ny, "09:00", "17:00", Monday)), "2026-03-09 07:00", false, "2026-03-09 08:00"},
		{"two zones when only the US has changed clocks: union", hours(win(rome, "09:00", "17:00", Monday), win(ny, "09:00", "17:00", Monday)), "2026-03-09 12:00", true, "2026-03-09 21:00"},
		{"two zones before any change", hours(win(rome, "09:00", "17:00", Monday), win(ny, "09:00", "17:00", Monday)), "2026-03-02 15:00", true, "2026-03-02 22:00"},
		{"disjoint zones: Tokyo then London", hours(win("Asia/Tokyo", "09:00", "12:00", Monday), win("Europe/London", "09:00", "12:00", Monday)), "2026-05-04 03:00", false, "2026-05-04 08:00"},
		{"disjoint zones: Tokyo's Monday starts on Sunday UTC", hours(win("Asia/Tokyo", "09:00", "12:00", Monday), win("Europe/London", "09:00", "12:00", Monday)), "2026-05-03 23:00", false, "2026-05-04 00:00"},
		{"half-hour offset", hours(win("Asia/Kolkata", "09:00", "17:00", Monday)), "2026-05-04 11:00", true, "2026-05-04 11:30"},

		// Always, never, and everything covered.
		{"24/7", SupportHours{AlwaysOpen: true}, "2026-03-29 01:00", true, ""},
		{"no window", SupportHours{}, "2026-03-29 01:00", false, ""},
		{"windows covering every minute never change", hours(win(rome, "00:00", "23:59", everyDay...), win(rome, "23:59", "00:00", everyDay...)), "2026-03-28 12:00", true, ""},
		{"00:00–23:59 leaves the last minute closed", hours(win("UTC", "00:00", "23:59", everyDay...)), "2026-05-04 23:59:30", false, "2026-05-05 00:00"},
		{"a window that cannot be read is skipped", hours(win("Nowhere/Atlantis", "09:00", "17:00", everyDay...), win("UTC", "9:00", "17:00", everyDay...), win("UTC", "09:00", "17:00", Tuesday)), "2026-05-04 12:00", false, "2026-05-05 09:00"},

		// Sub-second precision at the boundaries.
		{"a nanosecond before opening", hours(win("UTC", "09:00", "17:00", Monday)), "2026-05-04 08:59:59.999999999", false, "2026-05-04 09:00"},
		{"half a second before closing", hours(win("UTC", "09:00", "17:00", Monday)), "2026-05-04 16:59:59.5", true, "2026-05-04 17:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at := utc(t, tt.at)
			if got := tt.hours.OpenAt(at); got != tt.wantOpen {
				t.Errorf("OpenAt(%s) = %v, want %v", tt.at, got, tt.wantOpen)
			}
			next, ok := tt.hours.NextChange(at)
			switch {
			case tt.wantNext == "" && ok:
				t.Errorf("NextChange(%s) = %s, want none", tt.at, next.UTC())
			case tt.wantNext != "" && !ok:
				t.Errorf("NextChange(%s) = none, want %s", tt.at, tt.wantNext)
			case tt.wantNext != "" && !next.Equal(utc(t, tt.wantNext)):
				t.Errorf("NextChange(%s) = %s, want %s", tt.at, next.UTC().Format("2006-01-02 15:04:05"), tt.wantNext)
			}
			open, np := NowOpen(&tt.hours, at)
			if open != tt.wantOpen || (np != nil) != ok || (np != nil && !np.Equal(next)) {
				t.Errorf("NowOpen = %v, %v; want %v, %v", open, np, tt.wantOpen, next)
			}
		})
	}
}

func TestNextChangeInCallersLocation(t *testing.T) {
	rome, _ := time.LoadLocation("Europe/Rome")
	h := hours(win("America/New_York", "09:00", "17:00", Monday))
	next, ok := h.NextChange(time.Date(2026, 5, 4, 12, 0, 0, 0, rome))
	if !ok || next.Location() != rome || next.Format("15:04 MST") != "15:00 CEST" {
		t.Fatalf("NextChange = %v, %v; want 15:00 CEST", next, ok)
	}
}

func TestNowOpenNil(t *testing.T) {
	if open, next := NowOpen(nil, time.Now()); open || next != nil {
		t.Fatalf("NowOpen(nil) = %v, %v", open, next)
	}
}

// TestSupportHoursAgainstBruteForce checks OpenAt and NextChange around
// daylight-saving changes against a slow, independent reading of the rules:
// walk the clock minute by minute, and take as a window's opening (or
// closing) the first minute at which the local date and time shown reach it.
func TestSupportHoursAgainstBruteForce(t *testing.T) {
	transitions := []struct {
		zone string
		at   string // UTC instant of the change
	}{
		{"Europe/Rome", "2026-03-29 01:00"},
		{"Europe/Rome", "2026-10-25 01:00"},
		{"America/New_York", "2026-03-08 07:00"},
		{"America/New_York", "2026-11-01 06:00"},
		{"Australia/Lord_Howe", "2026-04-04 15:00"}, // back half an hour
		{"Australia/Lord_Howe", "2026-10-03 15:30"}, // forward half an hour
		{"Pacific/Apia", "2011-12-30 10:00"},        // Friday 30 December 2011 skipped
	}
	windowSets := [][]SupportWindow{
		{{Opens: "01:00", Closes: "02:30"}},
		{{Opens: "02:30", Closes: "05:00"}},
		{{Opens: "02:00", Closes: "03:00"}},
		{{Opens: "01:30", Closes: "03:00"}},
		{{Opens: "02:15", Closes: "02:45"}},
		{{Opens: "22:00", Closes: "02:30"}},
		{{Opens: "23:30", Closes: "01:45"}},
		{{Opens: "00:00", Closes: "23:59"}},
		{{Opens: "09:00", Closes: "17:00"}, {Opens: "16:00", Closes: "01:00"}},
		{{Opens: "09:00", Closes: "17:00"}, {Opens: "09:00", Closes: "17:00", TimeZone: "UTC"}},
		{{Opens: "02:30", Closes: "02:00"}},
	}
	dayGroups := [][]DayOfWeek{everyDay, {Saturday}, {Sunday}}

	for _, tr := range transitions {
		change := utc(t, tr.at)
		from, to := change.Add(-36*time.Hour), change.Add(36*time.Hour)
		clock := newWallClock(from.Add(-4*24*time.Hour), to.Add(4*24*time.Hour))
		for si, set := range windowSets {
			for gi, days := range dayGroups {
				h := SupportHours{}
				for _, w := range set {
					w.Days = days
					if w.TimeZone == "" {
						w.TimeZone = tr.zone
					}
					h.Windows = append(h.Windows, w)
				}
				name := fmt.Sprintf("%s %s set %d days %d", tr.zone, tr.at, si, gi)
				t.Run(name, func(t *testing.T) {
					checkAgainstOracle(t, h, clock, from, to)
				})
			}
		}
	}
}

// wallClock lists, for every whole minute of a stretch of time, the local
// date and time a clock shows, written as if it were UTC.
type wallClock struct {
	start time.Time
	walls map[*time.Location][]int64
	n     int
}

func newWallClock(start, end time.Time) *wallClock {
	return &wallClock{start: start, walls: map[*time.Location][]int64{}, n: int(end.Sub(start) / time.Minute)}
}

func (c *wallClock) readings(loc *time.Location) []int64 {
	if w, ok := c.walls[loc]; ok {
		return w
	}
	w := make([]int64, c.n)
	for i := range w {
		l := c.start.Add(time.Duration(i) * time.Minute).In(loc)
		w[i] = time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), 0, 0, time.UTC).Unix()
	}
	c.walls[loc] = w
	return w
}

// firstReach returns the index of the first minute whose local reading is at
// or after target.
func (c *wallClock) firstReach(loc *time.Location, target int64) int {
	for i, w := range c.readings(loc) {
		if w >= target {
			return i
		}
	}
	return c.n
}

func checkAgainstOracle(t *testing.T, h SupportHours, clock *wallClock, from, to time.Time) {
	// open[i] is the oracle's state during minute i of the clock.
	open := make([]bool, clock.n)
	for _, w := range h.Windows {
		loc, err := time.LoadLocation(w.TimeZone)
		if err != nil {
			t.Fatal(err)
		}
		opens, _ := parseClock(w.Opens)
		closes, _ := parseClock(w.Closes)
		fy, fm, fd := from.In(loc).Date()
		for d := -3; d <= 5; d++ {
			day := time.Date(fy, fm, fd+d, 0, 0, 0, 0, time.UTC)
			wd, _ := weekdayOf(day.Weekday())
			if !containsDay(w.Days, wd) {
				continue
			}
			start := clock.firstReach(loc, day.Add(time.Duration(opens)*time.Minute).Unix())
			endDay := day
			if closes < opens {
				endDay = day.AddDate(0, 0, 1)
			}
			end := clock.firstReach(loc, endDay.Add(time.Duration(closes)*time.Minute).Unix())
			for i := start; i < end; i++ {
				open[i] = true
			}
		}
	}

	first := int(from.Sub(clock.start) / time.Minute)
	last := int(to.Sub(clock.start) / time.Minute)
	// Beyond horizon the oracle has not built every window's intervals.
	horizon := last + 20*60
	for i := first; i <= last; i++ {
		// Every minute next to a change, at its start and in its middle, and
		// an hourly sample of the others.
		offsets := []time.Duration{0, 30 * time.Second}
		if open[i] == open[i-1] && open[i] == open[i+1] {
			if i%60 != 0 {
				continue
			}
			offsets = offsets[:1]
		}
		for _, offset := range offsets {
			at := clock.start.Add(time.Duration(i)*time.Minute + offset)
			if got := h.OpenAt(at); got != open[i] {
				t.Fatalf("OpenAt(%s) = %v, oracle %v", at.UTC(), got, open[i])
			}
			next, ok := h.NextChange(at)
			j := i + 1
			for j < horizon && open[j] == open[i] {
				j++
			}
			if j == horizon {
				if ok && next.Before(clock.start.Add(time.Duration(horizon)*time.Minute)) {
					t.Fatalf("NextChange(%s) = %s, oracle sees no change before its horizon", at.UTC(), next.UTC())
				}
				continue
			}
			want := clock.start.Add(time.Duration(j) * time.Minute)
			if !ok || !next.Equal(want) {
				t.Fatalf("NextChange(%s) = %s, %v; oracle %s", at.UTC(), next.UTC(), ok, want.UTC())
			}
		}
	}
}

func weekdayOf(wd time.Weekday) (DayOfWeek, bool) {
	for _, d := range Days {
		if w, _ := d.weekday(); w == wd {
			return d, true
		}
	}
	return "", false
}

func containsDay(days []DayOfWeek, d DayOfWeek) bool {
	for _, x := range days {
		if x == d {
			return true
		}
	}
	return false
}

func TestParseClock(t *testing.T) {
	for s, want := range map[string]int{"00:00": 0, "09:05": 545, "23:59": 1439} {
		if got, ok := parseClock(s); !ok || got != want {
			t.Errorf("parseClock(%q) = %d, %v", s, got, ok)
		}
	}
	for _, s := range []string{"", "24:00", "23:60", "9:00", "09:0", "09-00", "09:00 ", "+9:00", "0x:00"} {
		if _, ok := parseClock(s); ok {
			t.Errorf("parseClock(%q) accepted", s)
		}
	}
}

func BenchmarkNowOpen(b *testing.B) {
	h := hours(
		win("Europe/Rome", "09:00", "17:00", weekdays...),
		win("Europe/Rome", "10:00", "13:00", Saturday),
		win("America/New_York", "09:00", "17:00", weekdays...),
	)
	at := time.Date(2026, 5, 2, 1, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		NowOpen(&h, at)
	}
}
