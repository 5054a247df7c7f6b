package models

import (
	"net/mail"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

// FuzzValidateContact checks that ValidateContact never panics, reports
// problems only at the contact's own paths, and that whatever it accepts is
// stored in canonical form: a lower-case bare address, a trimmed name without
// control characters, an E.164 phone. Accepting is also idempotent: the
// stored contact validates again to itself, so a value read back from the
// store and saved unchanged never fails.
func FuzzValidateContact(f *testing.F) {
	seeds := []struct {
		name, email, phone string
		hasName, hasPhone  bool
	}{
		{"Ada", "ada@example.com", "+39 06 1234 5678", true, true},
		{"", "Support@Example.COM", "0039 06 1234 5678", true, true},
		{"  ", " a@b.co ", "", true, true},
		{"Pager", "oncall@example.com", "06 1234 5678", true, true},
		{"", "Ada <ada@example.com>", "+1 (650) 253-0000", false, true},
		{"x\ny", "\"q\"@example.com", "+1 800 FLOWERS", true, true},
		{"é", "JOSÉ@EXÄMPLE.IT", "+44 20 7031 3000 ext. 9", true, true},
		{"", "a@İx.com", "+", false, true},
		{"", "ada@[192.0.2.1]", "00", false, false},
		{"", "a\xff@example.com", "+39\u00a006 1234 5678", false, true},
	}
	for _, s := range seeds {
		f.Add(s.name, s.email, s.phone, s.hasName, s.hasPhone)
	}
	f.Fuzz(func(t *testing.T, name, email, phone string, hasName, hasPhone bool) {
		in := ContactInput{Email: email}
		if hasName {
			in.Name = &name
		}
		if hasPhone {
			in.Phone = &phone
		}
		v := &Validation{}
		c := ValidateContact(v, "c", in)
		for _, p := range v.Fields() {
			if p.Field != "c.email" && p.Field != "c.name" && p.Field != "c.phone" {
				t.Fatalf("problem at unexpected path %q", p.Field)
			}
			if p.Message == "" {
				t.Fatalf("empty message at %s", p.Field)
			}
		}
		if len(v.Fields()) > 0 {
			return
		}
		checkStoredContact(t, c)

		again := &Validation{}
		c2 := ValidateContact(again, "c", c.Input())
		if len(again.Fields()) > 0 || !reflect.DeepEqual(c, c2) {
			t.Fatalf("stored contact %s does not validate to itself: %s, %v", contactString(c), contactString(c2), problems(again))
		}
	})
}

func checkStoredContact(t *testing.T, c Contact) {
	t.Helper()
	e := c.Email
	if e == "" || e != strings.ToLower(e) || e != strings.TrimSpace(e) || utf8.RuneCountInString(e) > MaxEmailLength {
		t.Fatalf("email %q is not a trimmed lower-case address of at most 254 characters", e)
	}
	addr, err := mail.ParseAddress(e)
	if err != nil || addr.Address != e || addr.Name != "" {
		t.Fatalf("email %q is not a bare RFC 5322 address: %v", e, err)
	}
	at := strings.LastIndexByte(e, '@')
	if at < 1 || !strings.Contains(e[at+1:], ".") || !validMailDomain(e[at+1:]) {
		t.Fatalf("email %q has no valid domain", e)
	}
	if c.Name != nil {
		n := *c.Name
		if n == "" || n != strings.TrimSpace(n) || utf8.RuneCountInString(n) > MaxContactNameLength ||
			!utf8.ValidString(n) || strings.IndexFunc(n, unicode.IsControl) >= 0 {
			t.Fatalf("name %q is not stored canonically", n)
		}
	}
	if c.Phone != nil {
		p := *c.Phone
		if !isE164(p) {
			t.Fatalf("phone %q is not E.164", p)
		}
		num, err := phonenumbers.Parse(p, "ZZ")
		if err != nil || !phonenumbers.IsValidNumber(num) || phonenumbers.Format(num, phonenumbers.E164) != p {
			t.Fatalf("phone %q does not parse back to itself: %v", p, err)
		}
	}
}

// isE164 reports whether s is "+" and 2 to 15 digits, the first not 0.
func isE164(s string) bool {
	if len(s) < 3 || len(s) > 16 || s[0] != '+' || s[1] == '0' {
		return false
	}
	for _, r := range s[1:] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// FuzzValidateSupportHours checks that ValidateSupportHours never panics,
// that accepted hours are normalised (days Monday first and unique, times
// HH:MM, loadable zones) and validate again to themselves, and that OpenAt
// and NextChange agree with each other on them: NextChange is after t, the
// state differs there and holds until just before it.
func FuzzValidateSupportHours(f *testing.F) {
	// days is a comma-separated list of day names; two windows share days and
	// zone so that the fuzzer explores overlaps. unix is the instant asked
	// about, folded into 1900–2200.
	f.Add(false, "MONDAY,FRIDAY", "09:00", "17:00", "22:00", "02:00", "Europe/Rome", int64(1774746000))
	f.Add(false, "SUNDAY", "02:30", "06:00", "01:00", "02:30", "Europe/Rome", int64(1774746000))
	f.Add(false, "SUNDAY,SATURDAY", "01:30", "03:00", "00:00", "01:30", "America/New_York", int64(1793512800))
	f.Add(false, "SATURDAY", "00:00", "23:59", "23:59", "00:00", "UTC", int64(0))
	f.Add(true, "", "", "", "", "", "", int64(-1))
	f.Add(true, "MONDAY", "09:00", "17:00", "09:00", "09:00", "Local", int64(42))
	f.Add(false, "MONDAY,MONDAY,FUNDAY", "9:00", "24:00", "23:60", "17:00 ", "Mars/Olympus", int64(4102444800))
	f.Add(false, "FRIDAY", "09:00", "17:00", "09:00", "17:00", "Pacific/Apia", int64(1325239200))
	f.Add(false, "SUNDAY", "01:45", "02:15", "02:00", "01:00", "Australia/Lord_Howe", int64(1775314800))
	f.Fuzz(func(t *testing.T, alwaysOpen bool, days, opens1, closes1, opens2, closes2, zone string, unix int64) {
		var ds []DayOfWeek
		if days != "" {
			for _, d := range strings.Split(days, ",") {
				ds = append(ds, DayOfWeek(d))
			}
		}
		in := SupportHoursInput{AlwaysOpen: alwaysOpen}
		if opens1 != "" || closes1 != "" || zone != "" {
			in.Windows = append(in.Windows, &SupportWindowInput{Days: ds, Opens: opens1, Closes: closes1, TimeZone: zone})
		}
		if opens2 != "" || closes2 != "" {
			in.Windows = append(in.Windows, &SupportWindowInput{Days: slices.Clone(ds), Opens: opens2, Closes: closes2, TimeZone: zone})
		}

		v := &Validation{}
		h := ValidateSupportHours(v, "h", in)
		for _, p := range v.Fields() {
			if !strings.HasPrefix(p.Field, "h.windows") || p.Message == "" {
				t.Fatalf("problem %q at unexpected path %q", p.Message, p.Field)
			}
		}
		if len(v.Fields()) > 0 {
			return
		}
		checkStoredHours(t, h)

		// Folded into 1900–2200: the schedule is weekly, so that range holds
		// every kind of day, and it keeps times clear of overflow.
		const from, span = -2208988800, 300 * 365 * 86400
		at := time.Unix(from+((unix%span)+span)%span, 0).UTC()
		open := h.OpenAt(at)
		next, ok := h.NextChange(at)
		if h.AlwaysOpen && (!open || ok) {
			t.Fatalf("24/7 hours: OpenAt %v, NextChange %v %v", open, next, ok)
		}
		if !ok {
			return
		}
		if !next.After(at) {
			t.Fatalf("NextChange(%s) = %s, not after it", at, next)
		}
		if h.OpenAt(next) == open {
			t.Fatalf("NextChange(%s) = %s, but OpenAt is %v at both", at, next, open)
		}
		if before := next.Add(-time.Nanosecond); h.OpenAt(before) != open {
			t.Fatalf("OpenAt changes before NextChange(%s) = %s", at, next)
		}
		if mid := at.Add(next.Sub(at) / 2); h.OpenAt(mid) != open {
			t.Fatalf("OpenAt changes between %s and NextChange %s", at, next)
		}
	})
}

func checkStoredHours(t *testing.T, h SupportHours) {
	t.Helper()
	if h.Windows == nil || (h.AlwaysOpen && len(h.Windows) > 0) {
		t.Fatalf("hours not normalised: %+v", h)
	}
	for _, w := range h.Windows {
		last := -1
		for _, d := range w.Days {
			i := slices.Index(Days, d)
			if i <= last {
				t.Fatalf("days %v not unique and Monday first", w.Days)
			}
			last = i
		}
		o, ok1 := parseClock(w.Opens)
		c, ok2 := parseClock(w.Closes)
		if len(w.Days) == 0 || !ok1 || !ok2 || o == c {
			t.Fatalf("window not valid: %+v", w)
		}
		if _, err := time.LoadLocation(w.TimeZone); err != nil || w.TimeZone == "" || w.TimeZone == "Local" {
			t.Fatalf("zone %q accepted: %v", w.TimeZone, err)
		}
	}
	in := SupportHoursInput{AlwaysOpen: h.AlwaysOpen}
	for _, w := range h.Windows {
		in.Windows = append(in.Windows, &SupportWindowInput{Days: w.Days, Opens: w.Opens, Closes: w.Closes, TimeZone: w.TimeZone})
	}
	v := &Validation{}
	if again := ValidateSupportHours(v, "h", in); len(v.Fields()) > 0 || !reflect.DeepEqual(again, h) {
		t.Fatalf("stored hours %+v do not validate to themselves: %+v, %v", h, again, problems(v))
	}
}
