package graph_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/contactgate/contactgate/internal/apitest"
	"github.com/contactgate/contactgate/internal/testdb"
)

const (
	qCreateToken = `mutation($a:ID!,$n:String!,$ro:Boolean!){createApiToken(input:{accountId:$a,name:$n,readOnly:$ro}){token apiToken{id name readOnly prefix createdAt lastUsedAt}}}`
	qTokens      = `query($a:ID!){account(id:$a){apiTokens{id name readOnly prefix lastUsedAt}}}`
	qSaveTNE     = `mutation($a:ID!,$e:String!){updateContactInfo(input:{accountId:$a,environment:SANDBOX,technicalNonEmergency:[{email:$e}]}){account{contactInfo{version technicalNonEmergency{email}}}}}`
	qReadAccount = `query($a:ID!){account(id:$a){name contactInfo{version technicalNonEmergency{email}}}}`
)

type tokenJSON struct {
	ID, Name, Prefix string
	ReadOnly         bool
	LastUsedAt       *time.Time
}

func listTokens(t *testing.T, c *apitest.Client, accountID string) map[string]tokenJSON {
	t.Helper()
	var d struct {
		Account struct{ APITokens []tokenJSON }
	}
	c.MustData(qTokens, map[string]any{"a": accountID}, &d)
	out := map[string]tokenJSON{}
	for _, tok := range d.Account.APITokens {
		out[tok.ID] = tok
	}
	return out
}

// TestAPITokens: created only behind the gate, shown once, stored hashed,
// listed with prefix and last use; Bearer reaches exactly what its scope
// allows; revoked tokens stop working.
func TestAPITokens(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn})
		f := s.Fixture()
		a := f.AccountA.ID
		admin := s.As(f.Admin)
		create := func(name string, readOnly bool) (string, tokenJSON) {
			t.Helper()
			var d struct {
				CreateAPIToken struct {
					Token    string
					APIToken tokenJSON
				} `json:"createApiToken"`
			}
			admin.MustData(qCreateToken, map[string]any{"a": a, "n": name, "ro": readOnly}, &d)
			return d.CreateAPIToken.Token, d.CreateAPIToken.APIToken
		}

		// Gated: while SANDBOX is locked, no tokens.
		r := admin.Do(qCreateToken, map[string]any{"a": a, "n": "ci", "ro": false})
		wantCode(t, "createApiToken while locked", r, "CONTACT_INFO_REQUIRED")
		if len(r.Errors[0].Extensions.Missing) == 0 {
			t.Fatalf("the refusal lists no missing fields: %s", r.Raw)
		}
		if n := countRows(t, s, "api_tokens", "1 = 1"); n != 0 {
			t.Fatalf("a refused createApiToken stored %d tokens", n)
		}
		s.CompleteContactInfo(a, f.Admin, "")

		// Validation.
		wantFields(t, "empty name", admin.Do(qCreateToken, map[string]any{"a": a, "n": "  ", "ro": false}), "name")
		wantFields(t, "long name", admin.Do(qCreateToken, map[string]any{"a": a, "n": strings.Repeat("n", 65), "ro": false}), "name")

		rw, rwTok := create(" deploy bot ", false)
		ro, roTok := create("dashboard", true)
		if !strings.HasPrefix(rw, "cg_") || len(rw) < 30 || rw == ro {
			t.Fatalf("secrets %q, %q", rw, ro)
		}
		if rwTok.Name != "deploy bot" || rwTok.ReadOnly || !roTok.ReadOnly || !strings.HasPrefix(rw, rwTok.Prefix) ||
			!strings.HasPrefix(rwTok.Prefix, "cg_") || len(rwTok.Prefix) >= len(rw)/2 || rwTok.LastUsedAt != nil {
			t.Fatalf("token details %+v for %q", rwTok, rw)
		}

		// Only a hash is stored: no column of any token row holds the secret.
		var rows []map[string]any
		if err := s.DB.Gorm().Raw(`SELECT * FROM api_tokens`).Scan(&rows).Error; err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 {
			t.Fatalf("%d token rows", len(rows))
		}
		for _, row := range rows {
			for col, v := range row {
				str := fmt.Sprint(v)
				if b, ok := v.([]byte); ok {
					str = string(b)
				}
				if strings.Contains(str, rw[len("cg_"):]) || strings.Contains(str, ro[len("cg_"):]) {
					t.Fatalf("column %s stores the secret: %q", col, str)
				}
			}
		}

		// The secret is shown once: the list has prefixes, never secrets.
		list := listTokens(t, admin, a)
		if len(list) != 2 || list[rwTok.ID].Prefix != rwTok.Prefix || list[roTok.ID].LastUsedAt != nil {
			t.Fatalf("token list %+v", list)
		}
		if rl := admin.Do(qTokens, map[string]any{"a": a}); strings.Contains(rl.Raw, rw) || strings.Contains(rl.Raw, ro) {
			t.Fatal("the list shows a secret")
		}

		// Bearer, read-write: reads and edits its account.
		tokRW, tokRO := s.WithToken(rw), s.WithToken(ro)
		var acc struct {
			Account struct {
				Name        string
				ContactInfo struct{ Version int }
			}
		}
		tokRW.MustData(qReadAccount, map[string]any{"a": a}, &acc)
		if acc.Account.Name != "Alpha Bookings" {
			t.Fatalf("account through the token: %+v", acc)
		}
		version := acc.Account.ContactInfo.Version
		tokRW.MustData(qSaveTNE, map[string]any{"a": a, "e": "bot@partner.example"}, nil)
		tokRW.MustData(qReadAccount, map[string]any{"a": a}, &acc)
		if acc.Account.ContactInfo.Version != version+1 {
			t.Fatalf("version after a token save: %d, want %d", acc.Account.ContactInfo.Version, version+1)
		}
		version++
		if used := listTokens(t, admin, a)[rwTok.ID].LastUsedAt; used == nil || !used.Equal(s.Clock.Now()) {
			t.Fatalf("lastUsedAt %v, want %v", used, s.Clock.Now())
		}

		// Read-only: reads, but every write is FORBIDDEN and changes nothing.
		tokRO.MustData(qReadAccount, map[string]any{"a": a}, nil)
		wantCode(t, "read-only token saves", tokRO.Do(qSaveTNE, map[string]any{"a": a, "e": "ro@partner.example"}), "FORBIDDEN")
		tokRO.MustData(qReadAccount, map[string]any{"a": a}, &acc)
		if acc.Account.ContactInfo.Version != version {
			t.Fatal("a refused token save changed the contact info")
		}
		if listTokens(t, admin, a)[roTok.ID].LastUsedAt == nil {
			t.Fatal("the read-only token's use is not recorded")
		}

		// Neither token reaches account B, staff data, people or tokens.
		for name, c := range map[string]*apitest.Client{"rw": tokRW, "ro": tokRO} {
			b := map[string]any{"a": f.AccountB.ID}
			wantCode(t, name+": account B", c.Do(qReadAccount, b), "NOT_FOUND")
			wantCode(t, name+": save B", c.Do(qSaveTNE, map[string]any{"a": f.AccountB.ID, "e": "x@partner.example"}), "NOT_FOUND")
			wantCode(t, name+": accounts", c.Do(`{accounts{totalCount}}`, nil), "FORBIDDEN")
			wantCode(t, name+": recipients", c.Do(`query($a:ID!){recipients(accountId:$a,kind:TECHNICAL_EMERGENCY){email}}`, map[string]any{"a": a}), "FORBIDDEN")
			wantCode(t, name+": notify", c.Do(`mutation($a:ID!){sendNotification(input:{accountId:$a,kind:TECHNICAL_EMERGENCY,subject:"s",body:"b"}){id}}`, map[string]any{"a": a}), "FORBIDDEN")
			wantCode(t, name+": createAccount", c.Do(`mutation{createAccount(input:{name:"T",integrationTypes:["THINGS_TO_DO"],administratorEmail:"t@t.example"}){id}}`, nil), "FORBIDDEN")
			wantCode(t, name+": create a token", c.Do(qCreateToken, map[string]any{"a": a, "n": "more", "ro": false}), "FORBIDDEN")
			wantCode(t, name+": revoke a token", c.Do(`mutation($i:ID!){revokeApiToken(id:$i)}`, map[string]any{"i": roTok.ID}), "FORBIDDEN")
			wantCode(t, name+": list tokens", c.Do(qTokens, map[string]any{"a": a}), "FORBIDDEN")
			wantCode(t, name+": invite", c.Do(qInvite, map[string]any{"a": a, "e": "t@a.example", "r": "ADMINISTRATOR"}), "FORBIDDEN")
			if r := c.Do(qMe, nil); r.Code() != "" || string(r.Data) != `{"me":null}` {
				t.Fatalf("%s: me is not null for a token: %s", name, r.Raw)
			}
		}

		// Another account's administrator cannot see or revoke A's tokens.
		adminB := s.As(f.AdminB)
		wantCode(t, "B revokes A's token", adminB.Do(`mutation($i:ID!){revokeApiToken(id:$i)}`, map[string]any{"i": rwTok.ID}), "NOT_FOUND")
		tokRW.MustData(qReadAccount, map[string]any{"a": a}, nil)

		// Revoked: UNAUTHENTICATED, and gone from the list.
		var rv struct {
			RevokeAPIToken bool `json:"revokeApiToken"`
		}
		admin.MustData(`mutation($i:ID!){revokeApiToken(id:$i)}`, map[string]any{"i": rwTok.ID}, &rv)
		if !rv.RevokeAPIToken {
			t.Fatal("revokeApiToken answered false")
		}
		r = tokRW.Do(qReadAccount, map[string]any{"a": a})
		wantCode(t, "revoked token", r, "UNAUTHENTICATED")
		if r.Status != 401 {
			t.Errorf("revoked token: HTTP %d, want 401", r.Status)
		}
		if _, ok := listTokens(t, admin, a)[rwTok.ID]; ok {
			t.Fatal("a revoked token is still listed")
		}
		admin.MustData(`mutation($i:ID!){revokeApiToken(id:$i)}`, map[string]any{"i": rwTok.ID}, &rv)
		if rv.RevokeAPIToken {
			t.Fatal("revoking twice answered true")
		}
		tokRO.MustData(qReadAccount, map[string]any{"a": a}, nil) // the other one still works

		// Malformed or unknown credentials.
		wantCode(t, "unknown token", s.WithToken("cg_notatoken").Do(qReadAccount, map[string]any{"a": a}), "UNAUTHENTICATED")
		basic := s.Anonymous()
		basic.Header.Set("Authorization", "Basic "+ro)
		wantCode(t, "Basic scheme", basic.Do(qReadAccount, map[string]any{"a": a}), "UNAUTHENTICATED")
	})
}
