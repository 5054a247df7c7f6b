package graph_test

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/contactgate/contactgate/internal/apitest"
	"github.com/contactgate/contactgate/internal/testdb"
)

// TestSessionMutationsOncePerOperation: signIn, signOut and
// acceptInvitation run at most once per operation. Two aliases (directly,
// through a fragment or an inline fragment) are refused with
// VALIDATION_FAILED before anything runs: no session is created or ended,
// no cookie is set.
func TestSessionMutationsOncePerOperation(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn})
		f := s.Fixture()
		signIn := `signIn(email:"` + f.Admin.Email + `",password:"` + apitest.Password + `"){user{id}}`
		accept := `acceptInvitation(input:{token:"nope",name:"N",password:"a long password 1"}){user{id}}`
		refused := []struct{ name, query, field string }{
			{"two aliased signOuts", `mutation{a:signOut b:signOut}`, "signOut"},
			{"many aliased signOuts", `mutation{` + aliases("signOut", 50) + `}`, "signOut"},
			{"signOut and an alias", `mutation{signOut b:signOut}`, "signOut"},
			{"through a fragment", `mutation{signOut ...F} fragment F on Mutation{again:signOut}`, "signOut"},
			{"through an inline fragment", `mutation{signOut ... on Mutation{again:signOut}}`, "signOut"},
			{"two signIns", `mutation{a:` + signIn + ` b:` + signIn + `}`, "signIn"},
			{"two acceptInvitations", `mutation{a:` + accept + ` b:` + accept + `}`, "acceptInvitation"},
		}
		admin := s.As(f.Admin)
		for _, tc := range refused {
			for _, c := range []*apitest.Client{s.Anonymous(), admin} {
				r := c.Do(tc.query, nil)
				if r.Code() != "VALIDATION_FAILED" || len(r.Errors) != 1 ||
					!strings.Contains(r.Errors[0].Message, tc.field+" may appear only once per operation") {
					t.Errorf("%s: want VALIDATION_FAILED naming %s, got %d %s", tc.name, tc.field, r.Status, r.Raw)
				}
				if sc := r.Header.Values("Set-Cookie"); len(sc) != 0 {
					t.Errorf("%s: refused operation set cookies %v", tc.name, sc)
				}
				if string(r.Data) != "" && string(r.Data) != "null" {
					t.Errorf("%s: refused operation answered data %s", tc.name, r.Data)
				}
			}
		}
		// Nothing ran: the session of admin still works.
		var me struct {
			Me *struct{ User struct{ ID string } }
		}
		admin.MustData(`{me{user{id}}}`, nil, &me)
		if me.Me == nil || me.Me.User.ID != f.Admin.ID {
			t.Fatalf("the refused signOuts ended the session: %+v", me)
		}

		// Once is fine, and the same response key twice is one field (GraphQL
		// merges it), so it runs once: one Set-Cookie.
		r := s.Anonymous().Do(`mutation{`+signIn+` `+signIn+`}`, nil)
		if len(r.Errors) > 0 || len(r.Header.Values("Set-Cookie")) != 1 {
			t.Errorf("merged signIn: %s, cookies %v", r.Raw, r.Header.Values("Set-Cookie"))
		}
		r = admin.Do(`mutation{signOut}`, nil)
		if len(r.Errors) > 0 || len(r.Header.Values("Set-Cookie")) != 1 {
			t.Errorf("one signOut: %s, cookies %v", r.Raw, r.Header.Values("Set-Cookie"))
		}
		if r.Status != http.StatusOK {
			t.Errorf("one signOut: status %d", r.Status)
		}
	})
}

func aliases(field string, n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(" a")
		b.WriteString(strings.Repeat("x", i))
		b.WriteString(":")
		b.WriteString(field)
	}
	return b.String()
}

// TestPublicSupportContactNoProbing: an unknown account id, a malformed
// one and an account that shares no support contact yet get byte for byte
// the same answer, so that anonymous callers cannot tell which ids exist.
func TestPublicSupportContactNoProbing(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn})
		f := s.Fixture()
		anon := s.Anonymous()
		answer := func(id string) (string, string) {
			t.Helper()
			r := anon.Do(ciPublicQuery, map[string]any{"a": id})
			if r.Code() != "NOT_FOUND" {
				t.Errorf("%s: want NOT_FOUND, got %s", id, r.Raw)
			}
			// The response without the request id the server adds to logs.
			var body struct {
				Errors []map[string]any `json:"errors"`
				Data   json.RawMessage  `json:"data"`
			}
			if err := json.Unmarshal([]byte(r.Raw), &body); err != nil {
				t.Fatal(err)
			}
			norm, _ := json.Marshal(body)
			return string(norm), r.Raw
		}
		want, raw := answer(f.AccountA.ID) // exists, shares nothing yet
		for _, id := range []string{"00000000-0000-7000-8000-000000000000", f.AccountB.ID + "0", "not-an-id"} {
			if got, gotRaw := answer(id); !reflect.DeepEqual(got, want) {
				t.Errorf("unknown account %q answers differently from an account without contact:\n%s\n%s", id, gotRaw, raw)
			}
		}
	})
}
