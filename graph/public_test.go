package graph_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/contactgate/contactgate/internal/apitest"
	"github.com/contactgate/contactgate/models"
)

// This file tests publicSupportContact, the one query an end user may make
// without signing in, and openNow / nextChange end to end with the server
// clock set.

const ciPublicQuery = `query($a:ID!){publicSupportContact(accountId:$a){
	accountName contact{name email phone}
	operationalSupport{alwaysOpen windows{days opens closes timeZone} openNow nextChange}}}`

// TestPublicSupportContact: signed out, the query answers exactly the
// account name, the users' contact and the support hours; NOT_FOUND until
// both are given; and no other contact ever appears in the raw response,
// whatever the query asks for.
func TestPublicSupportContact(t *testing.T) {
	e := newCIEnv(t)
	a := e.f.AccountA.ID
	admin, anon := e.as(e.f.Admin), e.s.Anonymous()
	vars := map[string]any{"a": a}

	notFound := func(step string, vars map[string]any) {
		t.Helper()
		r := anon.Do(ciPublicQuery, vars)
		if r.Code() != "NOT_FOUND" || len(r.Errors) != 1 || !strings.Contains(r.Raw, `"publicSupportContact":null`) {
			t.Errorf("%s: want NOT_FOUND, got %s", step, r.Raw)
		}
	}
	notFound("fresh account", vars)
	notFound("unknown account", map[string]any{"a": "00000000-0000-7000-8000-000000000000"})

	// Every non-public field filled with a distinctive address.
	secrets := []string{
		"te-secret-1@partner.example", "tne-secret-2@partner.example", "merchant-secret-3@partner.example",
		"google-only-secret-4@partner.example",
		// Members (alert contacts among them), staff and the other account.
		e.f.Admin.Email, e.f.Editor.Email, e.f.ReadOnly.Email, e.f.Staff.Email, e.f.AdminB.Email,
		e.f.Admin.ID, e.f.Editor.ID, "+441234", "Secret Pager",
	}
	e.mustSave(admin, a, models.EnvironmentProduction, map[string]any{
		"alertContactUserIds": []any{e.f.Admin.ID, e.f.Editor.ID},
		"technicalEmergency": []any{map[string]any{"name": "Secret Pager", "email": "te-secret-1@partner.example",
			"phone": "+44 1234 567890"}},
		"technicalNonEmergency": ciContacts("tne-secret-2@partner.example"),
		"merchantIssues":        ciContacts("merchant-secret-3@partner.example"),
		"operationalForGoogle":  ciContacts("google-only-secret-4@partner.example"),
	})
	notFound("no public contact nor hours", vars)
	e.mustSave(admin, a, models.EnvironmentSandbox, map[string]any{
		"operationalForUsers": map[string]any{"name": "Alpha Help", "email": "help@alpha.example", "phone": "+39 06 1234 5678"}})
	notFound("contact without hours", vars)
	e.mustSave(admin, a, models.EnvironmentSandbox, map[string]any{"operationalForUsers": nil,
		"operationalSupport": map[string]any{"alwaysOpen": true, "windows": []any{}}})
	notFound("hours without contact", vars)
	e.mustSave(admin, a, models.EnvironmentSandbox, map[string]any{
		"operationalForUsers": map[string]any{"name": "Alpha Help", "email": "help@alpha.example", "phone": "+39 06 1234 5678"},
		"operationalSupport":  ciHoursIn(ciWindowIn([]string{"MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"}, "09:00", "18:00", "Europe/Rome")),
	})

	// Thursday 2026-11-26 10:00 UTC is 11:00 in Rome: open until 18:00 (17:00 UTC).
	e.s.Clock.Set(time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC))
	want := `{"publicSupportContact":{"accountName":"Alpha Bookings",` +
		`"contact":{"name":"Alpha Help","email":"help@alpha.example","phone":"+390612345678"},` +
		`"operationalSupport":{"alwaysOpen":false,"windows":[{"days":["MONDAY","TUESDAY","WEDNESDAY","THURSDAY","FRIDAY"],` +
		`"opens":"09:00","closes":"18:00","timeZone":"Europe/Rome"}],"openNow":true,"nextChange":"2026-11-26T17:00:00Z"}}}`

	// The same answer for everyone, signed in or not.
	for name, c := range map[string]*apitest.Client{
		"anonymous": anon, "outsider": e.as(e.f.Outsider), "other account's admin": e.as(e.f.AdminB),
		"member": e.as(e.f.ReadOnly), "staff": e.as(e.f.Staff),
	} {
		r := c.Do(ciPublicQuery, vars)
		if len(r.Errors) > 0 || ciCompact(t, r.Data) != want {
			t.Errorf("%s:\n got %s\nwant {\"data\":%s}", name, r.Raw, want)
		}
		ciNoSecrets(t, name, r.Raw, secrets)
	}

	// Whatever an anonymous caller asks for, nothing but the public values
	// comes back: typos, fields of other types, fragments, aliases, and
	// other queries in the same document.
	probes := []struct {
		name, query string
		wantErr     bool
	}{
		{"typo in a field", `query($a:ID!){publicSupportContact(accountId:$a){accountName contact{emial}}}`, true},
		{"typo in the query", `query($a:ID!){publicSupportContacts(accountId:$a){accountName}}`, true},
		{"field of ContactInfo", `query($a:ID!){publicSupportContact(accountId:$a){accountName technicalEmergency{email}}}`, true},
		{"several foreign fields", `query($a:ID!){publicSupportContact(accountId:$a){contact{email} operationalForGoogle{email} merchantIssues{email} alertContacts{email} version}}`, true},
		{"fragment on ContactInfo", `query($a:ID!){publicSupportContact(accountId:$a){accountName ...on ContactInfo{technicalEmergency{email}}}}`, true},
		{"named fragment of the wrong type", `query($a:ID!){publicSupportContact(accountId:$a){...F}} fragment F on ContactInfo{operationalForGoogle{email}}`, true},
		{"account alongside", `query($a:ID!){publicSupportContact(accountId:$a){accountName} account(id:$a){contactInfo{technicalEmergency{email} operationalForGoogle{email}} members{user{email}}}}`, true},
		{"accessGate alongside", `query($a:ID!){publicSupportContact(accountId:$a){accountName} accessGate(accountId:$a,environment:PRODUCTION){missing}}`, true},
		{"aliases and typename", `query($a:ID!){p:publicSupportContact(accountId:$a){__typename n:accountName c:contact{__typename e:email} h:operationalSupport{__typename}}}`, false},
	}
	for _, p := range probes {
		r := anon.Do(p.query, vars)
		if p.wantErr != (len(r.Errors) > 0) {
			t.Errorf("%s: errors %v: %s", p.name, len(r.Errors) > 0, r.Raw)
		}
		ciNoSecrets(t, p.name, r.Raw, secrets)
	}

	// The data holds exactly the three public values.
	var keys map[string]map[string]json.RawMessage
	if err := json.Unmarshal(anon.Do(`query($a:ID!){publicSupportContact(accountId:$a){accountName contact{name email phone} operationalSupport{openNow}}}`, vars).Data, &keys); err != nil {
		t.Fatal(err)
	}
	if got := keys["publicSupportContact"]; len(got) != 3 || got["accountName"] == nil || got["contact"] == nil || got["operationalSupport"] == nil {
		t.Errorf("public keys: %v", keys)
	}

	// A draft elsewhere does not matter; clearing the public contact again
	// hides the account.
	e.mustSave(admin, a, models.EnvironmentSandbox, map[string]any{"technicalEmergency": []any{}})
	if r := anon.Do(ciPublicQuery, vars); r.Code() != "" {
		t.Errorf("with technicalEmergency empty: %s", r.Raw)
	}
	e.mustSave(admin, a, models.EnvironmentSandbox, map[string]any{"operationalForUsers": nil})
	notFound("public contact cleared", vars)
}

// compactJSON returns raw without insignificant white space, keys in the
// order the server sent them.
func ciCompact(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		t.Fatalf("compact %s: %v", raw, err)
	}
	return buf.String()
}

func ciNoSecrets(t *testing.T, name, raw string, secrets []string) {
	t.Helper()
	lower := strings.ToLower(raw)
	for _, s := range secrets {
		if strings.Contains(lower, strings.ToLower(s)) {
			t.Errorf("%s: the response contains %q: %s", name, s, raw)
		}
	}
}

// TestSupportHoursNowThroughAPI checks openNow and nextChange with the
// server clock set, through publicSupportContact and through
// Account.contactInfo: an overnight window, and windows across the
// daylight-saving changes of Europe/Rome and America/New_York. (models'
// unit tests cover the rest of the rules.)
func TestSupportHoursNowThroughAPI(t *testing.T) {
	e := newCIEnv(t)
	a := e.f.AccountA.ID
	admin, anon, staff := e.as(e.f.Admin), e.s.Anonymous(), e.as(e.f.Staff)
	e.mustSave(admin, a, models.EnvironmentSandbox, map[string]any{"operationalForUsers": ciContactIn("help@alpha.example")})
	utc := func(mo time.Month, d, h, mi int) time.Time { return time.Date(2026, mo, d, h, mi, 0, 0, time.UTC) }
	fri := []string{"FRIDAY"}
	tests := []struct {
		name     string
		hours    map[string]any
		now      time.Time
		wantOpen bool
		wantNext *time.Time // nil: no next change
	}{
		// Friday 22:00–02:00 in Rome (CET, UTC+1 in November).
		{"overnight, before it opens", ciHoursIn(ciWindowIn(fri, "22:00", "02:00", "Europe/Rome")),
			utc(11, 27, 20, 30), false, ciTime(utc(11, 27, 21, 0))},
		{"overnight, after midnight", ciHoursIn(ciWindowIn(fri, "22:00", "02:00", "Europe/Rome")),
			utc(11, 28, 0, 30), true, ciTime(utc(11, 28, 1, 0))},
		{"overnight, the moment it closes", ciHoursIn(ciWindowIn(fri, "22:00", "02:00", "Europe/Rome")),
			utc(11, 28, 1, 0), false, ciTime(utc(12, 4, 21, 0))},
		// Europe/Rome springs forward on Sunday 2026-03-29 at 02:00 CET.
		// Sunday 09:00 is then 07:00 UTC (CEST), not 08:00.
		{"Rome, the day before spring forward", ciHoursIn(ciWindowIn([]string{"SUNDAY"}, "09:00", "17:00", "Europe/Rome")),
			utc(3, 28, 12, 0), false, ciTime(utc(3, 29, 7, 0))},
		// Saturday 22:00 CET (21:00 UTC) to Sunday 04:00 CEST (02:00 UTC):
		// five hours, across the gap.
		{"Rome, overnight across the gap", ciHoursIn(ciWindowIn([]string{"SATURDAY"}, "22:00", "04:00", "Europe/Rome")),
			utc(3, 29, 1, 30), true, ciTime(utc(3, 29, 2, 0))},
		// America/New_York falls back on Sunday 2026-11-01 at 02:00 EDT.
		// Saturday 20:00 EDT (00:00 UTC) to Sunday 08:00 EST (13:00 UTC).
		{"New York, overnight across fall back", ciHoursIn(ciWindowIn([]string{"SATURDAY"}, "20:00", "08:00", "America/New_York")),
			utc(11, 1, 12, 30), true, ciTime(utc(11, 1, 13, 0))},
		{"New York, before the window", ciHoursIn(ciWindowIn([]string{"SATURDAY"}, "20:00", "08:00", "America/New_York")),
			utc(10, 31, 23, 59), false, ciTime(utc(11, 1, 0, 0))},
		{"24/7", map[string]any{"alwaysOpen": true, "windows": []any{}}, utc(3, 29, 1, 30), true, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.mustSave(admin, a, models.EnvironmentSandbox, map[string]any{"operationalSupport": tc.hours})
			e.s.Clock.Set(tc.now)
			var pub struct {
				PublicSupportContact struct{ OperationalSupport ciHours }
			}
			anon.MustData(`query($a:ID!){publicSupportContact(accountId:$a){operationalSupport{openNow nextChange}}}`,
				map[string]any{"a": a}, &pub)
			var acc struct {
				Account struct {
					ContactInfo struct{ OperationalSupport ciHours }
				}
			}
			staff.MustData(`query($a:ID!){account(id:$a){contactInfo{operationalSupport{openNow nextChange}}}}`,
				map[string]any{"a": a}, &acc)
			for via, h := range map[string]ciHours{"publicSupportContact": pub.PublicSupportContact.OperationalSupport,
				"Account.contactInfo": acc.Account.ContactInfo.OperationalSupport} {
				if h.OpenNow != tc.wantOpen {
					t.Errorf("%s: openNow %v at %v", via, h.OpenNow, tc.now)
				}
				switch {
				case tc.wantNext == nil && h.NextChange != nil:
					t.Errorf("%s: nextChange %v, want null", via, h.NextChange)
				case tc.wantNext != nil && (h.NextChange == nil || !h.NextChange.Equal(*tc.wantNext)):
					t.Errorf("%s: nextChange %v, want %v", via, h.NextChange, tc.wantNext)
				}
			}
		})
	}
}

func ciTime(t time.Time) *time.Time { return &t }
