package graph_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/contactgate/contactgate/internal/apitest"
)

// TestBadInput sends malformed requests: each gets a clear error with a
// code, and none changes anything.
func TestBadInput(t *testing.T) {
	s := apitest.New(t)
	f := s.Fixture()
	admin := s.As(f.Admin)
	versionOf := func() int {
		var d struct {
			Account struct{ ContactInfo struct{ Version int } }
		}
		admin.MustData(`query($a:ID!){account(id:$a){contactInfo{version}}}`, map[string]any{"a": f.AccountA.ID}, &d)
		return d.Account.ContactInfo.Version
	}
	before := versionOf()
	big := `{"query":"mutation{updateContactInfo(input:{accountId:\"` + f.AccountA.ID + `\",environment:SANDBOX,technicalEmergency:[{email:\"a@b.example\",name:\"` +
		strings.Repeat("x", 2<<20) + `\"}]}){account{id}}}"}`
	cases := []struct {
		name, contentType, body string
		status                  int
		code, reason            string
	}{
		{"malformed JSON", "application/json", `{"query": "{me{user{id}}}"`, 400, "VALIDATION_FAILED", ""},
		{"batch", "application/json", `[{"query":"{me{user{id}}}"}]`, 400, "VALIDATION_FAILED", ""},
		{"text/plain", "text/plain", `{"query":"mutation{signOut}"}`, 415, "VALIDATION_FAILED", ""},
		{"form", "application/x-www-form-urlencoded", `query=mutation{signOut}`, 415, "VALIDATION_FAILED", ""},
		{"oversized", "application/json", big, 413, "VALIDATION_FAILED", ""},
		{"unknown field", "application/json", `{"query":"{me{user{id password}}}"}`, 422, "VALIDATION_FAILED", "GRAPHQL_VALIDATION_FAILED"},
		{"syntax", "application/json", `{"query":"{me{"}`, 422, "VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED"},
		{"bad enum", "application/json", `{"query":"mutation($a:ID!){updateContactInfo(input:{accountId:$a,environment:STAGING}){account{id}}}","variables":{"a":"` + f.AccountA.ID + `"}}`, 422, "VALIDATION_FAILED", "GRAPHQL_VALIDATION_FAILED"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := admin.Post(c.contentType, []byte(c.body))
			if r.Status != c.status {
				t.Errorf("status %d, want %d: %.300s", r.Status, c.status, r.Raw)
			}
			if r.Code() != c.code {
				t.Errorf("code %q, want %q: %.300s", r.Code(), c.code, r.Raw)
			}
			if c.reason != "" && !strings.Contains(r.Raw, c.reason) {
				t.Errorf("want reason %s: %s", c.reason, r.Raw)
			}
			if len(r.Raw) > 2000 || bytes.Contains([]byte(r.Raw), []byte("xxxxxxxxxx")) {
				t.Errorf("the answer echoes the request body (%d bytes)", len(r.Raw))
			}
		})
	}
	if after := versionOf(); after != before {
		t.Fatalf("a refused request changed the contact info: version %d → %d", before, after)
	}
}

// TestWrongPassword gets the same answer whether or not the email exists
// (the unknown email still costs a hash: see auth.Hasher.Check).
func TestWrongPassword(t *testing.T) {
	s := apitest.New(t)
	f := s.Fixture()
	q := `mutation($e:String!,$p:String!){signIn(email:$e,password:$p){user{id}}}`
	known := s.Anonymous().Do(q, map[string]any{"e": f.Admin.Email, "p": "wrong password!"})
	unknown := s.Anonymous().Do(q, map[string]any{"e": "nobody@nowhere.example", "p": "wrong password!"})
	if known.Code() != "UNAUTHENTICATED" || unknown.Code() != "UNAUTHENTICATED" {
		t.Fatalf("codes: %s / %s", known.Raw, unknown.Raw)
	}
	if known.Errors[0].Message != unknown.Errors[0].Message {
		t.Fatalf("answers differ: %q vs %q", known.Errors[0].Message, unknown.Errors[0].Message)
	}
	if c := known.Header.Get("Set-Cookie"); c != "" {
		t.Fatalf("a failed sign-in set a cookie: %s", c)
	}
	// Case and spaces in the email do not matter.
	ok := s.Anonymous().Do(q, map[string]any{"e": "  ADMIN@A.example ", "p": apitest.Password})
	if ok.Code() != "" {
		t.Fatalf("case-insensitive sign-in: %s", ok.Raw)
	}
	cookie := ok.Header.Get("Set-Cookie")
	for _, want := range []string{"HttpOnly", "SameSite=Lax", "Path=/"} {
		if !strings.Contains(cookie, want) {
			t.Errorf("session cookie %q lacks %s", cookie, want)
		}
	}
}

// TestInternalErrorsAreMasked checks that a database failure reaches the
// client only as INTERNAL with a request id, and is logged with it.
func TestInternalErrorsAreMasked(t *testing.T) {
	s := apitest.New(t)
	f := s.Fixture()
	admin := s.As(f.Admin)
	if err := s.DB.Gorm().Exec("DROP TABLE changes").Error; err != nil {
		t.Fatal(err)
	}
	s.CompleteContactInfoErr(f.AccountA.ID, f.Admin)
	r := admin.Do(`query($a:ID!){account(id:$a){history{totalCount}}}`, map[string]any{"a": f.AccountA.ID})
	if r.Code() != "INTERNAL" || r.Errors[0].Extensions.RequestID == "" {
		t.Fatalf("want INTERNAL with a request id: %s", r.Raw)
	}
	for _, leak := range []string{"changes", "SQL", "no such table", "goroutine", ".go:"} {
		if strings.Contains(r.Raw, leak) {
			t.Errorf("the answer leaks %q: %s", leak, r.Raw)
		}
	}
	if !strings.Contains(s.Log.String(), r.Errors[0].Extensions.RequestID) {
		t.Errorf("the request id is not in the log")
	}
}
