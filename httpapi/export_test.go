package httpapi_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/httpapi"
	"github.com/contactgate/contactgate/internal/apitest"
	"github.com/contactgate/contactgate/internal/testdb"
	"github.com/contactgate/contactgate/models"
)

func TestSafeCell(t *testing.T) {
	for in, want := range map[string]string{
		"":                      "",
		"plain":                 "plain",
		"=1+1":                  "'=1+1",
		"+393331234567":         "'+393331234567",
		"-2":                    "'-2",
		"@SUM(A1)":              "'@SUM(A1)",
		"\tx":                   "'\tx",
		"\rx":                   "'\rx",
		"a=b":                   "a=b",
		"'quoted":               "'quoted",
		"=cmd|' /C calc'!A0":    "'=cmd|' /C calc'!A0",
		"ok\n=second line only": "ok\n=second line only",
	} {
		if got := httpapi.SafeCell(in); got != want {
			t.Errorf("SafeCell(%q) = %q, want %q", in, got, want)
		}
	}
}

// get fetches a path with an optional session cookie and bearer token.
func get(t *testing.T, s *apitest.Server, path, session, token string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.URL+path, nil)
	if session != "" {
		req.AddCookie(&http.Cookie{Name: httpapi.SessionCookie, Value: session})
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, body
}

func session(t *testing.T, s *apitest.Server, userID string) string {
	t.Helper()
	secret, err := s.Services.Sessions.CreateSession(context.Background(), userID)
	if err != nil {
		t.Fatal(err)
	}
	return secret
}

// TestExportAccess: staff sessions only.
func TestExportAccess(t *testing.T) {
	s := apitest.New(t)
	f := s.Fixture()
	_, token, err := s.Services.Tokens.Create(context.Background(), &f.Admin.ID, f.AccountA.ID, "t", false)
	if err != nil {
		t.Fatal(err)
	}
	const path = "/api/export/contacts.csv"
	for _, c := range []struct {
		name           string
		session, token string
		status         int
	}{
		{"signed out", "", "", http.StatusUnauthorized},
		{"administrator", session(t, s, f.Admin.ID), "", http.StatusForbidden},
		{"API token", "", token, http.StatusForbidden},
		{"staff", session(t, s, f.Staff.ID), "", http.StatusOK},
	} {
		res, body := get(t, s, path, c.session, c.token)
		if res.StatusCode != c.status {
			t.Errorf("%s: %d %s, want %d", c.name, res.StatusCode, body, c.status)
		}
		if c.status != http.StatusOK && bytes.Contains(body, []byte("Alpha")) {
			t.Errorf("%s: the refusal leaks data: %s", c.name, body)
		}
	}
	res, _ := get(t, s, path+"?environment=MARS", session(t, s, f.Staff.ID), "")
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("bad filter: %d", res.StatusCode)
	}
	// A search the service refuses is the caller's to fix, with the reason.
	for _, search := range []string{"Alpha%00", "Al%09pha", "Al%E2%80%8Bpha", strings.Repeat("a", 201)} {
		res, body := get(t, s, path+"?search="+search, session(t, s, f.Staff.ID), "")
		if res.StatusCode != http.StatusBadRequest || !bytes.Contains(body, []byte("search: ")) {
			t.Errorf("search %q: %d %s", search, res.StatusCode, body)
		}
	}
}

// TestExportQuotingAndInjection: RFC 4180 quoting of commas, quotes and
// line breaks, UTF-8, and formula cells defused, in the raw bytes and after
// parsing.
func TestExportQuotingAndInjection(t *testing.T) {
	s := apitest.New(t)
	f := s.Fixture()
	ctx := context.Background()
	acc, err := s.DB.CreateDemoAccount(ctx, nil, `=HYPERLINK("http://evil.example","Ciao, è"), Srl`, []string{"APPOINTMENTS_E2E"}, f.Admin.Email, "", "")
	if err != nil {
		t.Fatal(err)
	}
	name1, name2, phone := `@Ann "Boss", Jr.`, "Zoë Müller", "+39 02 1234 5678"
	te := []models.ContactInput{{Name: &name1, Email: "-oncall@partner.example", Phone: &phone}, {Name: &name2, Email: "second@partner.example"}}
	hours := &models.SupportHoursInput{Windows: []*models.SupportWindowInput{
		{Days: []models.DayOfWeek{models.Monday, models.Friday}, Opens: "09:00", Closes: "18:00", TimeZone: "Europe/Rome"},
		{Days: []models.DayOfWeek{models.Saturday}, Opens: "22:00", Closes: "02:00", TimeZone: "Asia/Tokyo"},
	}}
	if _, err := s.Services.ContactInfo.Update(ctx, &f.Admin.ID, acc.ID, models.ContactInfoPatch{Environment: models.EnvironmentSandbox,
		TechnicalEmergency: &te, OperationalSupport: hours, SetOperationalSupport: true}); err != nil {
		t.Fatal(err)
	}
	res, body := get(t, s, "/api/export/contacts.csv?search=hyperlink", session(t, s, f.Staff.ID), "")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" ||
		!strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment;") {
		t.Fatalf("%d %v", res.StatusCode, res.Header)
	}
	raw := string(body)
	for _, want := range []string{
		strings.Join(httpapi.ExportHeader, ",") + "\n",
		`,"'=HYPERLINK(""http://evil.example"",""Ciao, è""), Srl",APPOINTMENTS_E2E,technicalEmergency,REQUIRED,false,false,"'@Ann ""Boss"", Jr.` + "\nZoë Müller\",\"'-oncall@partner.example\nsecond@partner.example\",\"'+390212345678\n\",,\"UNVERIFIED\nUNVERIFIED\",2026-11-26T10:00:00Z,2027-11-26T10:00:00Z,NO_PHONE_FOR_EMERGENCY\n",
		",operationalSupport,REQUIRED,false,false,,,,\"MONDAY,FRIDAY 09:00-18:00 Europe/Rome\nSATURDAY 22:00-02:00 Asia/Tokyo\",,2026-11-26T10:00:00Z,2027-11-26T10:00:00Z,NO_PHONE_FOR_EMERGENCY\n",
	} {
		if !strings.Contains(raw, want) {
			t.Errorf("the export lacks %q:\n%s", want, raw)
		}
	}
	rows, err := csv.NewReader(strings.NewReader(raw)).ReadAll()
	if err != nil {
		t.Fatalf("not RFC 4180: %v", err)
	}
	if len(rows) != 1+len(models.ContactFields) {
		t.Fatalf("%d rows, want a header and one per field", len(rows))
	}
	for _, row := range rows[1:] {
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("cell %q would be evaluated by a spreadsheet", cell)
			}
		}
	}
}

// exportQuery reads what the export shows, through the GraphQL API.
const exportQuery = `query($after: String) {
  accounts(first: 50, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node {
      id name integrationTypes
      sandbox: accessGate(environment: SANDBOX) { missing }
      production: accessGate(environment: PRODUCTION) { missing }
      contactInfo {
        merchantIssuesRequirement
        alertContacts { name email }
        technicalEmergency { name email phone }
        technicalNonEmergency { name email phone }
        merchantIssues { name email phone }
        operationalForGoogle { name email phone }
        operationalForUsers { name email phone }
        operationalSupport { alwaysOpen windows { days opens closes timeZone } }
        reviewedAt reviewDueAt warningCodes
      }
      addresses { email state }
    } }
  }
}`

type gqlContact struct{ Name, Email, Phone *string }

type gqlAccount struct {
	ID, Name         string
	IntegrationTypes []string
	Sandbox          struct{ Missing []string }
	Production       struct{ Missing []string }
	Addresses        []struct{ Email, State string }
	ContactInfo      struct {
		ReviewedAt, ReviewDueAt   time.Time
		WarningCodes              []string
		MerchantIssuesRequirement string
		AlertContacts             []gqlContact
		TechnicalEmergency        []gqlContact
		TechnicalNonEmergency     []gqlContact
		MerchantIssues            []gqlContact
		OperationalForGoogle      []gqlContact
		OperationalForUsers       *gqlContact
		OperationalSupport        *struct {
			AlwaysOpen bool
			Windows    []struct {
				Days                    []string
				Opens, Closes, TimeZone string
			}
		}
	}
}

// expectedRows is an independent rendering of the export's rows from the
// GraphQL answer.
func expectedRows(a gqlAccount) [][]string {
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	lists := func(cs []gqlContact) (string, string, string) {
		var n, e, p []string
		for _, c := range cs {
			n, e, p = append(n, str(c.Name)), append(e, str(c.Email)), append(p, str(c.Phone))
		}
		return strings.Join(n, "\n"), strings.Join(e, "\n"), strings.Join(p, "\n")
	}
	ci := a.ContactInfo
	hours := ""
	if h := ci.OperationalSupport; h != nil {
		if h.AlwaysOpen {
			hours = "24/7"
		} else {
			var lines []string
			for _, w := range h.Windows {
				lines = append(lines, strings.Join(w.Days, ",")+" "+w.Opens+"-"+w.Closes+" "+w.TimeZone)
			}
			hours = strings.Join(lines, "\n")
		}
	}
	ofu := []gqlContact{}
	if ci.OperationalForUsers != nil {
		ofu = append(ofu, *ci.OperationalForUsers)
	}
	fields := []struct {
		api, enum string
		contacts  []gqlContact
	}{
		{"alertContacts", "ALERT_CONTACTS", ci.AlertContacts},
		{"technicalEmergency", "TECHNICAL_EMERGENCY", ci.TechnicalEmergency},
		{"technicalNonEmergency", "TECHNICAL_NON_EMERGENCY", ci.TechnicalNonEmergency},
		{"merchantIssues", "MERCHANT_ISSUES", ci.MerchantIssues},
		{"operationalForGoogle", "OPERATIONAL_FOR_GOOGLE", ci.OperationalForGoogle},
		{"operationalForUsers", "OPERATIONAL_FOR_USERS", ofu},
		{"operationalSupport", "OPERATIONAL_SUPPORT", nil},
	}
	var rows [][]string
	for _, f := range fields {
		req := "REQUIRED"
		if f.api == "merchantIssues" {
			req = ci.MerchantIssuesRequirement
		}
		names, emails, phones := lists(f.contacts)
		var states []string
		for _, c := range f.contacts {
			st := "UNVERIFIED"
			for _, ad := range a.Addresses {
				if ad.Email == strings.ToLower(str(c.Email)) {
					st = ad.State
				}
			}
			states = append(states, st)
		}
		if f.api == "alertContacts" {
			phones = strings.Repeat("\n", max(0, len(f.contacts)-1))
		}
		h := ""
		if f.api == "operationalSupport" {
			h = hours
		}
		row := []string{a.ID, a.Name, strings.Join(a.IntegrationTypes, " "), f.api, req,
			fmt.Sprint(slices.Contains(a.Sandbox.Missing, f.enum)), fmt.Sprint(slices.Contains(a.Production.Missing, f.enum)),
			names, emails, phones, h, strings.Join(states, "\n"),
			ci.ReviewedAt.UTC().Format(time.RFC3339), ci.ReviewDueAt.UTC().Format(time.RFC3339), strings.Join(ci.WarningCodes, " ")}
		for i, c := range row {
			if c != "" && strings.IndexAny(c[:1], "=+-@\t\r") == 0 {
				row[i] = "'" + c
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// TestExportMatchesGraphQL streams the export of a seeded database (several
// batches) and compares it row for row with what the GraphQL API answers.
func TestExportMatchesGraphQL(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn})
		f := s.Fixture()
		s.CompleteContactInfo(f.AccountA.ID, f.Admin, f.Admin.ID)
		n := 2*gormstore.ExportBatchSize + 150
		if _, err := s.DB.Seed(context.Background(), gormstore.SeedOptions{Accounts: n, Seed: 5}); err != nil {
			t.Fatal(err)
		}
		staff := s.As(f.Staff)
		want := map[string][][]string{} // account id → its rows
		var after *string
		for {
			var page struct {
				Accounts struct {
					PageInfo struct {
						HasNextPage bool
						EndCursor   *string
					}
					Edges []struct{ Node gqlAccount }
				}
			}
			staff.MustData(exportQuery, map[string]any{"after": after}, &page)
			for _, e := range page.Accounts.Edges {
				want[e.Node.ID] = expectedRows(e.Node)
			}
			if !page.Accounts.PageInfo.HasNextPage {
				break
			}
			after = page.Accounts.PageInfo.EndCursor
		}
		if len(want) != n+2 {
			t.Fatalf("the API lists %d accounts, want %d", len(want), n+2)
		}

		req, _ := http.NewRequest(http.MethodGet, s.URL+"/api/export/contacts.csv", nil)
		req.AddCookie(&http.Cookie{Name: httpapi.SessionCookie, Value: session(t, s, f.Staff.ID)})
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("status %d", res.StatusCode)
		}
		if len(res.TransferEncoding) == 0 || res.TransferEncoding[0] != "chunked" {
			t.Errorf("the export is not streamed (transfer encoding %v)", res.TransferEncoding)
		}
		// The export lists the accounts in id order, each account's seven
		// rows together, each row equal to the API's answer.
		r := csv.NewReader(res.Body)
		r.FieldsPerRecord = len(httpapi.ExportHeader)
		header, err := r.Read()
		if err != nil || !slices.Equal(header, httpapi.ExportHeader) {
			t.Fatalf("header %q: %v", header, err)
		}
		rows, lastID, done := 0, "", map[string]bool{}
		for {
			row, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("row %d: %v", rows+2, err)
			}
			id := row[0]
			exp, ok := want[id]
			if !ok || done[id] {
				t.Fatalf("row %d: account %s unknown to the API or exported twice", rows+2, id)
			}
			if id != lastID {
				if id < lastID {
					t.Fatalf("row %d: account %s after %s: not in id order", rows+2, id, lastID)
				}
				if lastID != "" {
					done[lastID] = true
				}
				lastID = id
			}
			k := rows % len(models.ContactFields)
			if !slices.Equal(row, exp[k]) {
				t.Fatalf("row %d:\n export %q\n api    %q", rows+2, row, exp[k])
			}
			rows++
		}
		if rows != (n+2)*len(models.ContactFields) {
			t.Fatalf("%d rows exported, want %d", rows, (n+2)*len(models.ContactFields))
		}
	})
}
