package graph_test

import (
	"strings"
	"testing"

	"github.com/contactgate/contactgate/internal/apitest"
	"github.com/contactgate/contactgate/internal/testdb"
)

// TestNULIsRefusedOnEveryPath: the NUL character (U+0000), which no stored
// text can hold and PostgreSQL refuses with an error, never makes an
// INTERNAL answer, wherever a request can carry it — a variable or a
// document literal, on the direct gate path and the executor's, in a
// filter, at sign-in, in a forged cursor, on the websocket — and changes
// nothing. Where a rule checks the text (a contact's email, the cursor)
// it is that rule's VALIDATION_FAILED on both databases; elsewhere SQLite
// simply finds nothing (NOT_FOUND, a wrong password, no accounts) and
// PostgreSQL's refusal is told as VALIDATION_FAILED.
func TestNULIsRefusedOnEveryPath(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn})
		f := s.Fixture()
		admin, staff := s.As(f.Admin), s.As(f.Staff)
		nulCursor := "YQBiAGM" // base64url of "a\x00b\x00c"
		for _, c := range []struct {
			name   string
			client *apitest.Client
			query  string
			vars   map[string]any
			code   string
		}{
			{"gate, variable (direct path)", admin, `query($a: ID!) { accessGate(accountId: $a, environment: SANDBOX) { locked } }`,
				map[string]any{"a": f.AccountA.ID + "\x00"}, ""},
			{"gate, literal", admin, `{ accessGate(accountId: "` + f.AccountA.ID + `\u0000", environment: SANDBOX) { locked } }`,
				nil, ""},
			{"account", admin, `query($a: ID!) { account(id: $a) { id } }`, map[string]any{"a": "x\x00"}, ""},
			{"filter, nested variable", staff, `query($f: AccountFilter) { accounts(first: 5, filter: $f) { totalCount } }`,
				map[string]any{"f": map[string]any{"integrationType": "WAITLIST\x00"}}, ""},
			{"save, list of contacts", admin, `mutation($a: ID!, $e: String!) { updateContactInfo(input: {accountId: $a, environment: SANDBOX,
				technicalEmergency: [{email: $e}]}) { account { id } } }`,
				map[string]any{"a": f.AccountA.ID, "e": "ops\x00@a.example"}, "VALIDATION_FAILED"},
			{"sign in", s.Anonymous(), `mutation($e: String!) { signIn(email: $e, password: "x") { staff } }`,
				map[string]any{"e": "a\x00@example.com"}, ""},
			{"forged cursor", staff, `query($c: String) { accounts(first: 5, after: $c) { totalCount } }`,
				map[string]any{"c": nulCursor}, "VALIDATION_FAILED"},
		} {
			r := c.client.Do(c.query, c.vars)
			want := c.code
			if want == "" && driver == testdb.DriverPostgres {
				want = "VALIDATION_FAILED"
			}
			if (want != "" && r.Code() != want) || strings.Contains(r.Raw, "INTERNAL") {
				t.Errorf("%s: %.300s", c.name, r.Raw)
			}
		}
		// Nothing was saved.
		if r := admin.Do(`query($a: ID!) { account(id: $a) { contactInfo { technicalEmergency { email } } } }`,
			map[string]any{"a": f.AccountA.ID}); strings.Contains(r.Raw, "ops") {
			t.Errorf("a refused save changed the contact info: %s", r.Raw)
		}

		// The websocket: refused, no value sent.
		k := dial(t, s, admin.CookieHeader())
		res := k.run(qWatch, map[string]any{"a": f.AccountA.ID + "\x00"})
		if len(res.Errors) != 1 || res.Errors[0].Extensions.Code == "INTERNAL" || len(res.Data) != 0 {
			t.Errorf("websocket: %+v", res)
		}
	})
}
