package graph_test

import (
	"strings"
	"testing"
	"time"

	"github.com/contactgate/contactgate/internal/apitest"
	"github.com/contactgate/contactgate/internal/testdb"
)

const qCreateExpiringToken = `mutation($a:ID!,$n:String!,$x:Time){createApiToken(input:{accountId:$a,name:$n,readOnly:true,expiresAt:$x}){token apiToken{id expiresAt lastUsedAt lastUsedIp}}}`

// TestAPITokenHygiene: a token may expire (refused at the next request
// once expired, like a revoked one), shows its last use and IP (written at
// most once a minute), and its creation is mailed to every administrator in
// their language.
func TestAPITokenHygiene(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn})
		f := s.Fixture()
		a := f.AccountA.ID
		s.CompleteContactInfo(a, f.Admin, "")
		// A second administrator who reads Italian.
		second := s.User("seconda@a.example", false)
		if err := s.DB.AddMember(t.Context(), a, second.ID, "ADMINISTRATOR"); err != nil {
			t.Fatal(err)
		}
		if err := s.DB.SetLocale(t.Context(), second.ID, "it"); err != nil {
			t.Fatal(err)
		}
		admin := s.As(f.Admin)
		now := s.Clock.Now()

		// Bad expiry dates: every problem at once, nothing stored or mailed
		// (the fixture's saves queued verification mails before).
		mailsBefore := countRows(t, s, "outbox", "1 = 1")
		wantFieldCodes := func(what string, r *apitest.Response, code string) {
			t.Helper()
			wantFields(t, what, r, "expiresAt")
			if got := r.Errors[0].Extensions.Fields[0].Code; got != code {
				t.Fatalf("%s: code %s, want %s", what, got, code)
			}
		}
		wantFieldCodes("past", admin.Do(qCreateExpiringToken, map[string]any{"a": a, "n": "old", "x": now.Add(-time.Minute)}), "EXPIRY_IN_PAST")
		wantFieldCodes("far", admin.Do(qCreateExpiringToken, map[string]any{"a": a, "n": "far", "x": now.AddDate(3, 0, 0)}), "EXPIRY_TOO_FAR")
		if n := countRows(t, s, "api_tokens", "1 = 1"); n != 0 {
			t.Fatalf("refused tokens stored: %d", n)
		}
		if n := countRows(t, s, "outbox", "1 = 1"); n != mailsBefore {
			t.Fatalf("refused tokens mailed: %d", n-mailsBefore)
		}

		expires := now.Add(time.Hour)
		var d struct {
			CreateAPIToken struct {
				Token    string
				APIToken struct {
					ID         string
					ExpiresAt  *time.Time
					LastUsedAt *time.Time
					LastUsedIP *string `json:"lastUsedIp"`
				}
			} `json:"createApiToken"`
		}
		admin.MustData(qCreateExpiringToken, map[string]any{"a": a, "n": "nightly sync", "x": expires}, &d)
		if e := d.CreateAPIToken.APIToken.ExpiresAt; e == nil || !e.Equal(expires) {
			t.Fatalf("expiresAt %v, want %v", e, expires)
		}

		// Both administrators are told, each in their language; nobody else.
		en, it := mailsTo(t, s, f.Admin.Email), mailsTo(t, s, second.Email)
		if len(en) != 1 || !strings.Contains(en[0].Subject, `New API token "nightly sync"`) || !strings.Contains(en[0].TextBody, "/api-access") {
			t.Fatalf("mail to the administrator: %+v", en)
		}
		if len(it) != 1 || !strings.Contains(it[0].Subject, "Nuovo token API «nightly sync»") {
			t.Fatalf("mail to the Italian administrator: %+v", it)
		}
		if n := len(mailsTo(t, s, f.Editor.Email)); n != 0 {
			t.Fatalf("an editor got %d token mails", n)
		}

		// Use: time and IP recorded at the first request.
		tok := s.WithToken(d.CreateAPIToken.Token)
		tok.MustData(qReadAccount, map[string]any{"a": a}, nil)
		type tokRow struct {
			LastUsedAt *time.Time
			LastUsedIP *string
		}
		read := func() tokRow {
			t.Helper()
			var r tokRow
			if err := s.DB.Gorm().Raw(`SELECT last_used_at, last_used_ip FROM api_tokens WHERE id = ?`, d.CreateAPIToken.APIToken.ID).
				Scan(&r).Error; err != nil {
				t.Fatal(err)
			}
			return r
		}
		if r := read(); r.LastUsedAt == nil || r.LastUsedIP == nil || *r.LastUsedIP != "127.0.0.1" {
			t.Fatalf("after the first use: %+v", r)
		}
		var listed struct {
			Account struct {
				APITokens []struct {
					LastUsedIP *string `json:"lastUsedIp"`
					ExpiresAt  *time.Time
				}
			}
		}
		admin.MustData(`query($a:ID!){account(id:$a){apiTokens{lastUsedIp expiresAt}}}`, map[string]any{"a": a}, &listed)
		if ts := listed.Account.APITokens; len(ts) != 1 || ts[0].LastUsedIP == nil || *ts[0].LastUsedIP != "127.0.0.1" || ts[0].ExpiresAt == nil {
			t.Fatalf("listed %+v", ts)
		}

		// Within a minute no write: a marker put in the row stays.
		if err := s.DB.Gorm().Exec(`UPDATE api_tokens SET last_used_ip = 'marker' WHERE id = ?`, d.CreateAPIToken.APIToken.ID).Error; err != nil {
			t.Fatal(err)
		}
		s.Clock.Advance(30 * time.Second)
		tok.MustData(qReadAccount, map[string]any{"a": a}, nil)
		if r := read(); *r.LastUsedIP != "marker" {
			t.Fatalf("written again within a minute: %+v", r)
		}
		s.Clock.Advance(45 * time.Second)
		tok.MustData(qReadAccount, map[string]any{"a": a}, nil)
		if r := read(); *r.LastUsedIP != "127.0.0.1" || !r.LastUsedAt.Equal(s.Clock.Now()) {
			t.Fatalf("not recorded after a minute: %+v (now %v)", r, s.Clock.Now())
		}

		// Expired: refused at the next request, like a revoked token, also
		// for the schema.
		s.Clock.Set(expires)
		r := tok.Do(qReadAccount, map[string]any{"a": a})
		if r.Status != 401 || r.Code() != "UNAUTHENTICATED" {
			t.Fatalf("expired token: %d %s", r.Status, r.Raw)
		}
		if code, _ := tok.Get("/graphql/schema.graphqls"); code != 401 {
			t.Fatalf("expired token reads the schema: %d", code)
		}
	})
}
