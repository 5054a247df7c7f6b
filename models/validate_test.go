package models

import (
	"errors"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func ptr[T any](v T) *T { return &v }

// problems returns the recorded problems as "path: message" lines, in order.
func problems(v *Validation) []string {
	out := []string{}
	for _, f := range v.Fields() {
		out = append(out, f.Field+": "+f.Message)
	}
	return out
}

func TestValidateContact(t *testing.T) {
	tests := []struct {
		name string
		in   ContactInput
		want Contact // compared only when wantErrs is empty
		// wantErrs maps each expected problem's path to a fragment of its
		// message; the set of paths must match exactly.
		wantErrs map[string]string
	}{
		{
			name: "all fields, trimmed and normalised",
			in:   ContactInput{Name: ptr("  Ada Lovelace "), Email: " Support@Example.COM ", Phone: ptr(" +39 06 1234 5678 ")},
			want: Contact{Name: ptr("Ada Lovelace"), Email: "support@example.com", Phone: ptr("+390612345678")},
		},
		{
			name: "email only",
			in:   ContactInput{Email: "oncall@example.com"},
			want: Contact{Email: "oncall@example.com"},
		},
		{
			name: "empty name and phone become nil",
			in:   ContactInput{Name: ptr("   "), Email: "a@example.com", Phone: ptr("")},
			want: Contact{Email: "a@example.com"},
		},
		{
			name: "trailing newline pasted with the email is trimmed",
			in:   ContactInput{Email: "a@example.com\r\n"},
			want: Contact{Email: "a@example.com"},
		},
		{
			name: "internationalised address lower-cased",
			in:   ContactInput{Email: "JOSÉ@EXÄMPLE.IT"},
			want: Contact{Email: "josé@exämple.it"},
		},
		{
			name: "name of 64 characters",
			in:   ContactInput{Name: ptr(strings.Repeat("é", 64)), Email: "a@example.com"},
			want: Contact{Name: ptr(strings.Repeat("é", 64)), Email: "a@example.com"},
		},

		// Phones.
		{
			name: "phone with 00 international prefix",
			in:   ContactInput{Email: "a@example.com", Phone: ptr("0039 06 1234 5678")},
			want: Contact{Email: "a@example.com", Phone: ptr("+390612345678")},
		},
		{
			name: "phone with punctuation",
			in:   ContactInput{Email: "a@example.com", Phone: ptr("+1 (650) 253-0000")},
			want: Contact{Email: "a@example.com", Phone: ptr("+16502530000")},
		},
		{
			name: "phone with no-break spaces",
			in:   ContactInput{Email: "a@example.com", Phone: ptr("+44\u00a020\u00a07031\u00a03000")},
			want: Contact{Email: "a@example.com", Phone: ptr("+442070313000")},
		},
		{
			name:     "phone without country code is not guessed",
			in:       ContactInput{Email: "a@example.com", Phone: ptr("06 1234 5678")},
			wantErrs: map[string]string{"c.phone": "include the country code, e.g. +39 06 1234 5678"},
		},
		{
			name:     "phone too short",
			in:       ContactInput{Email: "a@example.com", Phone: ptr("+39 12")},
			wantErrs: map[string]string{"c.phone": "not a valid phone number"},
		},
		{
			name:     "phone with a country code that does not exist",
			in:       ContactInput{Email: "a@example.com", Phone: ptr("+999 1234 5678")},
			wantErrs: map[string]string{"c.phone": "not a valid phone number"},
		},
		{
			name:     "bare plus",
			in:       ContactInput{Email: "a@example.com", Phone: ptr("+")},
			wantErrs: map[string]string{"c.phone": "not a valid phone number"},
		},
		{
			name:     "vanity letters are not read as digits",
			in:       ContactInput{Email: "a@example.com", Phone: ptr("+1 800 FLOWERS")},
			wantErrs: map[string]string{"c.phone": "only digits"},
		},
		{
			name:     "extension cannot be stored in E.164",
			in:       ContactInput{Email: "a@example.com", Phone: ptr("+39 06 1234 5678 ext. 12")},
			wantErrs: map[string]string{"c.phone": "only digits"},
		},
		{
			name:     "plus inside the number",
			in:       ContactInput{Email: "a@example.com", Phone: ptr("++39 06 1234 5678")},
			wantErrs: map[string]string{"c.phone": "only digits"},
		},
		{
			name:     "phone with a line break",
			in:       ContactInput{Email: "a@example.com", Phone: ptr("+39 06\n1234 5678")},
			wantErrs: map[string]string{"c.phone": "control characters"},
		},

		// Emails.
		{
			name:     "email required",
			in:       ContactInput{Email: "  "},
			wantErrs: map[string]string{"c.email": "enter an email address"},
		},
		{
			name:     "display name refused",
			in:       ContactInput{Email: "Ada <ada@example.com>"},
			wantErrs: map[string]string{"c.email": "only the address"},
		},
		{
			name:     "angle brackets refused",
			in:       ContactInput{Email: "<ada@example.com>"},
			wantErrs: map[string]string{"c.email": "only the address"},
		},
		{
			name:     "quoted local part refused",
			in:       ContactInput{Email: `"ada lovelace"@example.com`},
			wantErrs: map[string]string{"c.email": "only the address"},
		},
		{
			name:     "not an address",
			in:       ContactInput{Email: "ada.example.com"},
			wantErrs: map[string]string{"c.email": "valid email address"},
		},
		{
			name:     "domain without a dot",
			in:       ContactInput{Email: "ada@localhost"},
			wantErrs: map[string]string{"c.email": "domain name"},
		},
		{
			name:     "empty domain label",
			in:       ContactInput{Email: "ada@example..com"},
			wantErrs: map[string]string{"c.email": ""},
		},
		{
			name:     "domain ending with a dot",
			in:       ContactInput{Email: "ada@example.com."},
			wantErrs: map[string]string{"c.email": ""},
		},
		{
			name:     "domain literal",
			in:       ContactInput{Email: "ada@[192.0.2.1]"},
			wantErrs: map[string]string{"c.email": "domain name"},
		},
		{
			name:     "label starting with a hyphen",
			in:       ContactInput{Email: "ada@-example.com"},
			wantErrs: map[string]string{"c.email": "domain name"},
		},
		{
			name:     "symbol in the domain",
			in:       ContactInput{Email: "ada@exa_mple.com"},
			wantErrs: map[string]string{"c.email": "domain name"},
		},
		{
			name:     "email of 255 characters",
			in:       ContactInput{Email: strings.Repeat("a", 60) + "@" + strings.Repeat("b", 60) + "." + strings.Repeat("c", 60) + "." + strings.Repeat("d", 60) + "." + strings.Repeat("e", 11) + ".com"},
			wantErrs: map[string]string{"c.email": "at most 254 characters"},
		},
		{
			name:     "local part of 65 characters",
			in:       ContactInput{Email: strings.Repeat("a", 65) + "@example.com"},
			wantErrs: map[string]string{"c.email": "at most 64 characters"},
		},
		{
			name:     "tab inside the email",
			in:       ContactInput{Email: "ada\t@example.com"},
			wantErrs: map[string]string{"c.email": "control characters"},
		},
		{
			name:     "invalid UTF-8",
			in:       ContactInput{Email: "ada\xff@example.com"},
			wantErrs: map[string]string{"c.email": "UTF-8"},
		},

		// Names.
		{
			name:     "name of 65 characters",
			in:       ContactInput{Name: ptr(strings.Repeat("é", 65)), Email: "a@example.com"},
			wantErrs: map[string]string{"c.name": "at most 64 characters"},
		},
		{
			name:     "line break in the name",
			in:       ContactInput{Name: ptr("Ada\nBcc: x@example.com"), Email: "a@example.com"},
			wantErrs: map[string]string{"c.name": "control characters"},
		},
		{
			name:     "DEL in the name",
			in:       ContactInput{Name: ptr("Ada\x7f"), Email: "a@example.com"},
			wantErrs: map[string]string{"c.name": "control characters"},
		},

		{
			name: "every part wrong at once",
			in:   ContactInput{Name: ptr(strings.Repeat("x", 65)), Email: "nope", Phone: ptr("555 1234")},
			wantErrs: map[string]string{
				"c.email": "valid email address",
				"c.name":  "at most 64 characters",
				"c.phone": "include the country code",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := &Validation{}
			got := ValidateContact(v, "c", tt.in)
			if len(tt.wantErrs) == 0 {
				if len(v.Fields()) != 0 {
					t.Fatalf("unexpected problems: %v", problems(v))
				}
				if !reflect.DeepEqual(got, tt.want) {
					t.Fatalf("got %s, want %s", contactString(got), contactString(tt.want))
				}
				return
			}
			checkProblems(t, v, tt.wantErrs)
		})
	}
}

// checkProblems asserts that v holds exactly one problem per path of want,
// each message containing want's fragment.
func checkProblems(t *testing.T, v *Validation, want map[string]string) {
	t.Helper()
	got := map[string]string{}
	for _, f := range v.Fields() {
		if _, dup := got[f.Field]; dup {
			t.Errorf("two problems at %s: %v", f.Field, problems(v))
		}
		got[f.Field] = f.Message
	}
	for path, frag := range want {
		msg, ok := got[path]
		if !ok {
			t.Errorf("no problem at %s; got %v", path, problems(v))
			continue
		}
		if !strings.Contains(msg, frag) {
			t.Errorf("%s: message %q does not contain %q", path, msg, frag)
		}
	}
	for path := range got {
		if _, ok := want[path]; !ok {
			t.Errorf("unexpected problem %s: %s", path, got[path])
		}
	}
}

func contactString(c Contact) string {
	s := func(p *string) string {
		if p == nil {
			return "<nil>"
		}
		return strconv.Quote(*p)
	}
	return "{name " + s(c.Name) + ", email " + strconv.Quote(c.Email) + ", phone " + s(c.Phone) + "}"
}

func contacts(emails ...string) []ContactInput {
	out := make([]ContactInput, len(emails))
	for i, e := range emails {
		out[i] = ContactInput{Email: e}
	}
	return out
}

func numbered(n int) []ContactInput {
	out := make([]ContactInput, n)
	for i := range out {
		out[i] = ContactInput{Email: "c" + strconv.Itoa(i) + "@example.com"}
	}
	return out
}

func TestValidateContacts(t *testing.T) {
	tests := []struct {
		name       string
		in         []ContactInput
		wantErrs   map[string]string
		wantEmails []string // when no problem is expected
	}{
		{name: "empty list is a draft", in: []ContactInput{}, wantEmails: []string{}},
		{name: "nil list", in: nil, wantEmails: []string{}},
		{name: "ten contacts", in: numbered(10), wantEmails: func() []string {
			var out []string
			for i := range 10 {
				out = append(out, "c"+strconv.Itoa(i)+"@example.com")
			}
			return out
		}()},
		{
			name:     "eleven contacts",
			in:       numbered(11),
			wantErrs: map[string]string{"tech": "at most 10 contacts"},
		},
		{
			name: "eleven contacts, one of them wrong: both reported",
			in: func() []ContactInput {
				in := numbered(11)
				in[3].Email = "broken"
				return in
			}(),
			wantErrs: map[string]string{"tech": "at most 10 contacts", "tech[3].email": "valid email"},
		},
		{
			name: "a huge list gets only the count problem",
			in: func() []ContactInput {
				in := numbered(maxEntriesInspected + 1)
				in[3].Email = "broken"
				return in
			}(),
			wantErrs: map[string]string{"tech": "at most 10 contacts"},
		},
		{
			name:     "second entry wrong",
			in:       contacts("a@example.com", "b@"),
			wantErrs: map[string]string{"tech[1].email": "valid email"},
		},
		{
			name:     "duplicate reported at the later entry, case-insensitively",
			in:       contacts("a@example.com", "b@example.com", " A@Example.com"),
			wantErrs: map[string]string{"tech[2].email": "this email is already in the list"},
		},
		{
			name:     "every further duplicate reported",
			in:       contacts("a@example.com", "a@example.com", "a@example.com"),
			wantErrs: map[string]string{"tech[1].email": "already in the list", "tech[2].email": "already in the list"},
		},
		{
			name: "entries' own problems and duplicates at once",
			in: []ContactInput{
				{Email: "a@example.com"},
				{Email: "A@EXAMPLE.COM", Phone: ptr("12345")},
				{Email: "", Name: ptr("Nobody")},
			},
			wantErrs: map[string]string{
				"tech[1].email": "already in the list",
				"tech[1].phone": "country code",
				"tech[2].email": "enter an email address",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := &Validation{}
			got := ValidateContacts(v, "tech", tt.in)
			if tt.wantErrs != nil {
				checkProblems(t, v, tt.wantErrs)
				return
			}
			if len(v.Fields()) != 0 {
				t.Fatalf("unexpected problems: %v", problems(v))
			}
			if got == nil {
				t.Fatal("result is nil, want an empty list")
			}
			var emails []string
			for _, c := range got {
				emails = append(emails, c.Email)
			}
			if emails == nil {
				emails = []string{}
			}
			if !slices.Equal(emails, tt.wantEmails) {
				t.Fatalf("emails %v, want %v", emails, tt.wantEmails)
			}
		})
	}
}

func window(days []DayOfWeek, opens, closes, zone string) *SupportWindowInput {
	return &SupportWindowInput{Days: days, Opens: opens, Closes: closes, TimeZone: zone}
}

var weekdays = []DayOfWeek{Monday, Tuesday, Wednesday, Thursday, Friday}

func TestValidateSupportHours(t *testing.T) {
	tests := []struct {
		name     string
		in       SupportHoursInput
		want     *SupportHours
		wantErrs map[string]string
	}{
		{
			name: "24/7",
			in:   SupportHoursInput{AlwaysOpen: true},
			want: &SupportHours{AlwaysOpen: true, Windows: []SupportWindow{}},
		},
		{
			name: "no window is a draft",
			in:   SupportHoursInput{},
			want: &SupportHours{Windows: []SupportWindow{}},
		},
		{
			name: "days sorted Monday first, overnight window, UTC",
			in: SupportHoursInput{Windows: []*SupportWindowInput{
				window([]DayOfWeek{Sunday, Monday, Wednesday}, "09:00", "17:30", "Europe/Rome"),
				window([]DayOfWeek{Friday}, "22:00", "02:00", "UTC"),
				window([]DayOfWeek{Saturday}, "00:00", "23:59", "America/New_York"),
			}},
			want: &SupportHours{Windows: []SupportWindow{
				{Days: []DayOfWeek{Monday, Wednesday, Sunday}, Opens: "09:00", Closes: "17:30", TimeZone: "Europe/Rome"},
				{Days: []DayOfWeek{Friday}, Opens: "22:00", Closes: "02:00", TimeZone: "UTC"},
				{Days: []DayOfWeek{Saturday}, Opens: "00:00", Closes: "23:59", TimeZone: "America/New_York"},
			}},
		},
		{
			name: "24/7 with a window",
			in: SupportHoursInput{AlwaysOpen: true, Windows: []*SupportWindowInput{
				window(weekdays, "09:00", "17:00", "Europe/Rome"),
			}},
			wantErrs: map[string]string{"h.windows": "24/7"},
		},
		{
			name: "21 windows",
			in: SupportHoursInput{Windows: func() []*SupportWindowInput {
				var ws []*SupportWindowInput
				for range 21 {
					ws = append(ws, window(weekdays, "09:00", "17:00", "Europe/Rome"))
				}
				return ws
			}()},
			wantErrs: map[string]string{"h.windows": "at most 20 windows"},
		},
		{
			name: "nil window",
			in: SupportHoursInput{Windows: []*SupportWindowInput{
				window(weekdays, "09:00", "17:00", "Europe/Rome"), nil,
			}},
			wantErrs: map[string]string{"h.windows[1]": "empty"},
		},
		{
			name: "no day",
			in: SupportHoursInput{Windows: []*SupportWindowInput{
				window(nil, "09:00", "17:00", "Europe/Rome"),
			}},
			wantErrs: map[string]string{"h.windows[0].days": "at least one day"},
		},
		{
			name: "duplicate day",
			in: SupportHoursInput{Windows: []*SupportWindowInput{
				window([]DayOfWeek{Monday, Tuesday, Monday}, "09:00", "17:00", "Europe/Rome"),
			}},
			wantErrs: map[string]string{"h.windows[0].days": "only once"},
		},
		{
			name: "unknown day",
			in: SupportHoursInput{Windows: []*SupportWindowInput{
				window([]DayOfWeek{Monday, "monday"}, "09:00", "17:00", "Europe/Rome"),
			}},
			wantErrs: map[string]string{"h.windows[0].days": "Monday to Sunday"},
		},
		{
			name: "opening equals closing",
			in: SupportHoursInput{Windows: []*SupportWindowInput{
				window(weekdays, "09:00", "09:00", "Europe/Rome"),
			}},
			wantErrs: map[string]string{"h.windows[0].closes": "must differ"},
		},
		{
			name: "times not HH:MM",
			in: SupportHoursInput{Windows: []*SupportWindowInput{
				window(weekdays, "9:00", "17:00", "UTC"),
				window(weekdays, "09:00", "24:00", "UTC"),
				window(weekdays, "09:00:00", "23:60", "UTC"),
				window(weekdays, " 09:00", "1700", "UTC"),
				window(weekdays, "", "17:00 ", "UTC"),
				window(weekdays, "٠٩:٠٠", "17:00", "UTC"),
			}},
			wantErrs: map[string]string{
				"h.windows[0].opens":  "HH:MM",
				"h.windows[1].closes": "HH:MM",
				"h.windows[2].opens":  "HH:MM",
				"h.windows[2].closes": "HH:MM",
				"h.windows[3].opens":  "HH:MM",
				"h.windows[3].closes": "HH:MM",
				"h.windows[4].opens":  "HH:MM",
				"h.windows[4].closes": "HH:MM",
				"h.windows[5].opens":  "HH:MM",
			},
		},
		{
			name: "time zones",
			in: SupportHoursInput{Windows: []*SupportWindowInput{
				window(weekdays, "09:00", "17:00", ""),
				window(weekdays, "09:00", "17:00", "Local"),
				window(weekdays, "09:00", "17:00", "Mars/Olympus_Mons"),
				window(weekdays, "09:00", "17:00", "../../etc/passwd"),
				window(weekdays, "09:00", "17:00", "Europe/Rome\n"),
				window(weekdays, "09:00", "17:00", "UTC"),
				window(weekdays, "09:00", "17:00", "Asia/Kolkata"),
			}},
			wantErrs: map[string]string{
				"h.windows[0].timeZone": "choose a time zone",
				"h.windows[1].timeZone": "from the list",
				"h.windows[2].timeZone": "from the list",
				"h.windows[3].timeZone": "from the list",
				"h.windows[4].timeZone": "control characters",
			},
		},
		{
			name: "every problem of a window at once",
			in: SupportHoursInput{AlwaysOpen: true, Windows: []*SupportWindowInput{
				nil,
				window([]DayOfWeek{}, "7", "7", "Nowhere"),
			}},
			wantErrs: map[string]string{
				"h.windows":             "24/7",
				"h.windows[0]":          "empty",
				"h.windows[1].days":     "at least one day",
				"h.windows[1].opens":    "HH:MM",
				"h.windows[1].closes":   "HH:MM",
				"h.windows[1].timeZone": "from the list",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := &Validation{}
			got := ValidateSupportHours(v, "h", tt.in)
			if tt.wantErrs != nil {
				checkProblems(t, v, tt.wantErrs)
				return
			}
			if len(v.Fields()) != 0 {
				t.Fatalf("unexpected problems: %v", problems(v))
			}
			if !reflect.DeepEqual(got, *tt.want) {
				t.Fatalf("got %+v, want %+v", got, *tt.want)
			}
		})
	}
}

// members is an IsMember for the tests: u1 to u12 are members.
func members(id string) bool {
	n, err := strconv.Atoi(strings.TrimPrefix(id, "u"))
	return strings.HasPrefix(id, "u") && err == nil && n >= 1 && n <= 12
}

func TestValidatePatchProblems(t *testing.T) {
	rules := PatchRules{MerchantIssues: Required, IsMember: members}
	unavailable := PatchRules{MerchantIssues: Unavailable, IsMember: members}
	tests := []struct {
		name     string
		patch    ContactInfoPatch
		rules    PatchRules
		wantErrs map[string]string
	}{
		{
			name:     "unknown environment",
			patch:    ContactInfoPatch{Environment: "STAGING"},
			rules:    rules,
			wantErrs: map[string]string{"environment": "SANDBOX or PRODUCTION"},
		},
		{
			name:     "negative expected version",
			patch:    ContactInfoPatch{Environment: EnvironmentSandbox, ExpectedVersion: ptr(-1)},
			rules:    rules,
			wantErrs: map[string]string{"expectedVersion": "negative"},
		},
		{
			name:     "alert contacts in Sandbox",
			patch:    ContactInfoPatch{Environment: EnvironmentSandbox, AlertContactUserIDs: &[]string{"u1"}},
			rules:    rules,
			wantErrs: map[string]string{"alertContactUserIds": "alert contacts can only be set in Production"},
		},
		{
			name:     "even an empty alert list is refused in Sandbox",
			patch:    ContactInfoPatch{Environment: EnvironmentSandbox, AlertContactUserIDs: &[]string{}},
			rules:    rules,
			wantErrs: map[string]string{"alertContactUserIds": "only be set in Production"},
		},
		{
			name: "eleven alert contacts",
			patch: ContactInfoPatch{Environment: EnvironmentProduction, AlertContactUserIDs: &[]string{
				"u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9", "u10", "u11",
			}},
			rules:    rules,
			wantErrs: map[string]string{"alertContactUserIds": "at most 10 alert contacts"},
		},
		{
			name:  "duplicate and non-member alert contacts",
			patch: ContactInfoPatch{Environment: EnvironmentProduction, AlertContactUserIDs: &[]string{"u1", "x9", "u1", ""}},
			rules: rules,
			wantErrs: map[string]string{
				"alertContactUserIds[1]": "not a member of this account",
				"alertContactUserIds[2]": "already in the list",
				"alertContactUserIds[3]": "not a member of this account",
			},
		},
		{
			name:     "no IsMember accepts nobody",
			patch:    ContactInfoPatch{Environment: EnvironmentProduction, AlertContactUserIDs: &[]string{"u1"}},
			rules:    PatchRules{MerchantIssues: Required},
			wantErrs: map[string]string{"alertContactUserIds[0]": "not a member"},
		},
		{
			name:     "merchant issues unavailable",
			patch:    ContactInfoPatch{Environment: EnvironmentSandbox, MerchantIssues: &[]ContactInput{{Email: "broken"}}},
			rules:    unavailable,
			wantErrs: map[string]string{"merchantIssues": "not available for this account's integration types"},
		},
		{
			name: "each list field at its own path",
			patch: ContactInfoPatch{
				Environment:           EnvironmentProduction,
				TechnicalEmergency:    &[]ContactInput{{Email: "a@example.com"}, {Email: "b@example"}},
				TechnicalNonEmergency: ptr(contacts("a@example.com", "A@example.com")),
				MerchantIssues:        ptr(numbered(11)),
				OperationalForGoogle:  &[]ContactInput{{Email: "g@example.com", Phone: ptr("333 1234567")}},
			},
			rules: rules,
			wantErrs: map[string]string{
				"technicalEmergency[1].email":    "domain",
				"technicalNonEmergency[1].email": "already in the list",
				"merchantIssues":                 "at most 10 contacts",
				"operationalForGoogle[0].phone":  "country code",
			},
		},
		{
			name: "single contact and support hours",
			patch: ContactInfoPatch{
				Environment:         EnvironmentSandbox,
				OperationalForUsers: &ContactInput{Email: "help@example.com", Name: ptr(strings.Repeat("n", 65))},
				OperationalSupport: &SupportHoursInput{Windows: []*SupportWindowInput{
					window(weekdays, "09:00", "17:00", "Europe/Rome"),
					window([]DayOfWeek{Saturday}, "10:00", "10:00", "Europe/Roma"),
				}},
			},
			rules: rules,
			wantErrs: map[string]string{
				"operationalForUsers.name":               "at most 64",
				"operationalSupport.windows[1].closes":   "must differ",
				"operationalSupport.windows[1].timeZone": "from the list",
			},
		},
		{
			name: "everything wrong at once",
			patch: ContactInfoPatch{
				Environment:           EnvironmentSandbox,
				ExpectedVersion:       ptr(-3),
				AlertContactUserIDs:   &[]string{"u1", "u1"},
				TechnicalEmergency:    &[]ContactInput{{Email: "ok@example.com"}, {Email: "not an email"}},
				TechnicalNonEmergency: &[]ContactInput{{Email: "x@example.com", Phone: ptr("+39 1")}},
				MerchantIssues:        &[]ContactInput{{Email: "m@example.com"}},
				OperationalForGoogle:  ptr(contacts("g@example.com", "G@EXAMPLE.COM")),
				OperationalForUsers:   &ContactInput{Email: ""},
				OperationalSupport:    &SupportHoursInput{AlwaysOpen: true, Windows: []*SupportWindowInput{nil}},
			},
			rules: unavailable,
			wantErrs: map[string]string{
				"expectedVersion":                "negative",
				"alertContactUserIds":            "only be set in Production",
				"alertContactUserIds[1]":         "already in the list",
				"technicalEmergency[1].email":    "valid email",
				"technicalNonEmergency[0].phone": "not a valid phone number",
				"merchantIssues":                 "not available",
				"operationalForGoogle[1].email":  "already in the list",
				"operationalForUsers.email":      "enter an email address",
				"operationalSupport.windows":     "24/7",
				"operationalSupport.windows[0]":  "empty",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ValidatePatch(tt.patch, tt.rules)
			if err == nil {
				t.Fatalf("no error; patch %+v", got)
			}
			var e *Error
			if !errors.As(err, &e) || e.Code != EValidation {
				t.Fatalf("error %v, want a VALIDATION_FAILED *Error", err)
			}
			if ErrorCodeOf(err) != EValidation {
				t.Fatalf("ErrorCodeOf = %s", ErrorCodeOf(err))
			}
			if !reflect.DeepEqual(got, NormalizedPatch{}) {
				t.Errorf("a refused patch returned %+v, want the zero patch", got)
			}
			v := &Validation{}
			for _, f := range e.Fields {
				v.Add(f.Field, "%s", f.Message)
			}
			checkProblems(t, v, tt.wantErrs)
		})
	}
}

func TestValidatePatchNormalises(t *testing.T) {
	tests := []struct {
		name  string
		patch ContactInfoPatch
		rules PatchRules
		want  NormalizedPatch
	}{
		{
			name:  "nothing given changes nothing",
			patch: ContactInfoPatch{Environment: EnvironmentSandbox},
			want:  NormalizedPatch{},
		},
		{
			name: "lists normalised, empty lists kept as empty",
			patch: ContactInfoPatch{
				Environment:           EnvironmentProduction,
				ExpectedVersion:       ptr(0),
				AlertContactUserIDs:   &[]string{"u2", "u1"},
				TechnicalEmergency:    &[]ContactInput{{Email: "Pager@Example.com", Phone: ptr("0039 06 1234 5678")}},
				TechnicalNonEmergency: &[]ContactInput{},
				MerchantIssues:        &[]ContactInput{},
				OperationalForGoogle:  &[]ContactInput{{Email: "ops@example.com", Name: ptr(" Ops ")}},
			},
			rules: PatchRules{MerchantIssues: Unavailable, IsMember: members},
			want: NormalizedPatch{
				ExpectedVersion:       ptr(0),
				AlertContactUserIDs:   &[]string{"u2", "u1"},
				TechnicalEmergency:    &[]Contact{{Email: "pager@example.com", Phone: ptr("+390612345678")}},
				TechnicalNonEmergency: &[]Contact{},
				MerchantIssues:        &[]Contact{},
				OperationalForGoogle:  &[]Contact{{Name: ptr("Ops"), Email: "ops@example.com"}},
			},
		},
		{
			name: "single values set",
			patch: ContactInfoPatch{
				Environment:            EnvironmentSandbox,
				OperationalForUsers:    &ContactInput{Email: "Help@Example.com"},
				SetOperationalForUsers: true,
				OperationalSupport: &SupportHoursInput{Windows: []*SupportWindowInput{
					window([]DayOfWeek{Friday, Monday}, "22:00", "02:00", "Europe/Rome"),
				}},
				SetOperationalSupport: true,
			},
			rules: PatchRules{MerchantIssues: Optional, IsMember: members},
			want: NormalizedPatch{
				OperationalForUsers:    &Contact{Email: "help@example.com"},
				SetOperationalForUsers: true,
				OperationalSupport: &SupportHours{Windows: []SupportWindow{
					{Days: []DayOfWeek{Monday, Friday}, Opens: "22:00", Closes: "02:00", TimeZone: "Europe/Rome"},
				}},
				SetOperationalSupport: true,
			},
		},
		{
			name: "a value without its Set flag still counts as given",
			patch: ContactInfoPatch{
				Environment:         EnvironmentSandbox,
				OperationalForUsers: &ContactInput{Email: "help@example.com"},
				OperationalSupport:  &SupportHoursInput{AlwaysOpen: true},
			},
			want: NormalizedPatch{
				OperationalForUsers:    &Contact{Email: "help@example.com"},
				SetOperationalForUsers: true,
				OperationalSupport:     &SupportHours{AlwaysOpen: true, Windows: []SupportWindow{}},
				SetOperationalSupport:  true,
			},
		},
		{
			name: "clearing, and empty support hours are a clear",
			patch: ContactInfoPatch{
				Environment:            EnvironmentSandbox,
				SetOperationalForUsers: true,
				OperationalSupport:     &SupportHoursInput{Windows: []*SupportWindowInput{}},
				SetOperationalSupport:  true,
			},
			want: NormalizedPatch{SetOperationalForUsers: true, SetOperationalSupport: true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ValidatePatch(tt.patch, tt.rules)
			if err != nil {
				t.Fatalf("unexpected error %v: %+v", err, err.(*Error).Fields)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got  %s\nwant %s", patchString(got), patchString(tt.want))
			}
		})
	}
}

// patchString shows a NormalizedPatch through what it would do, readably.
func patchString(p NormalizedPatch) string {
	info, _ := ContactInfo{}.Apply(p)
	var b strings.Builder
	for _, f := range ContactFields {
		b.WriteString(f.APIName() + "=" + FieldValueJSON(info, f) + " ")
	}
	if p.ExpectedVersion != nil {
		b.WriteString("expectedVersion=" + strconv.Itoa(*p.ExpectedVersion))
	}
	return b.String()
}
