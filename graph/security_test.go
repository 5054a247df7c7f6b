package graph_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/contactgate/contactgate/internal/apitest"
	"github.com/contactgate/contactgate/internal/testdb"
)

// TestAttacks is a table of abuse: each row is an attack, its expected
// answer, and a check that nothing changed.
func TestAttacks(t *testing.T) {
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
	aliases := strings.Builder{}
	aliases.WriteString("{")
	for i := 0; i < 6000; i++ {
		aliases.WriteString("a")
		aliases.WriteString(strings.Repeat("x", i%7))
		aliases.WriteString(string(rune('a' + i%26)))
		aliases.WriteString(": portalConfig { supportUrl } ")
	}
	aliases.WriteString("}")
	deep := "{me{memberships{account{members{account{members{account{members{account{members{account{members{user{id}}}}}}}}}}}}}}"
	staff := s.As(f.Staff)
	cases := []struct {
		name   string
		client *apitest.Client
		query  string
		vars   map[string]any
		code   string
	}{
		{"alias flood", admin, aliases.String(), nil, "QUERY_TOO_COMPLEX"},
		{"deep nesting", admin, deep, nil, "QUERY_TOO_COMPLEX"},
		{"first: 100000 with nested lists", staff, `{accounts(first:100000){edges{node{members{user{email}} history(first:100){edges{node{id}}}}}}}`, nil, "QUERY_TOO_COMPLEX"},
		{"introspection off", admin, `{__schema{types{name}}}`, nil, "VALIDATION_FAILED"},
		{"SQL metacharacters in an id", admin, `query($a:ID!){account(id:$a){id}}`, map[string]any{"a": "' OR 1=1 --"}, "NOT_FOUND"},
		{"SQL metacharacters in a search", staff, `query($s:String!){accounts(filter:{search:$s}){totalCount}}`, map[string]any{"s": `%' OR '1'='1`}, ""},
		{"SQL metacharacters in a contact", admin, `mutation($a:ID!){updateContactInfo(input:{accountId:$a,environment:SANDBOX,expectedVersion:-1,technicalEmergency:[{email:"x'); DROP TABLE users; --@a.example"}]}){account{id}}}`, map[string]any{"a": f.AccountA.ID}, "VALIDATION_FAILED"},
		{"another account via session", admin, `query($a:ID!){account(id:$a){contactInfo{version}}}`, map[string]any{"a": f.AccountB.ID}, "NOT_FOUND"},
		// A scalar's refusal is the caller's mistake, not an internal error.
		{"malformed Time literal", admin, `mutation($a:ID!){createApiToken(input:{accountId:$a,name:"x",readOnly:true,expiresAt:"not-a-date"}){token}}`,
			map[string]any{"a": f.AccountA.ID}, "VALIDATION_FAILED"},
		{"malformed Time variable", admin, `mutation($a:ID!,$t:Time){createApiToken(input:{accountId:$a,name:"x",readOnly:true,expiresAt:$t}){token}}`,
			map[string]any{"a": f.AccountA.ID, "t": "yesterday"}, "VALIDATION_FAILED"},
		{"search text of 50,001 characters", staff, `query($s:String!){accounts(filter:{search:$s}){totalCount}}`,
			map[string]any{"s": strings.Repeat("a", 50_001)}, "VALIDATION_FAILED"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := c.client.Do(c.query, c.vars)
			if r.Code() != c.code {
				t.Fatalf("code %q, want %q: %.500s", r.Code(), c.code, r.Raw)
			}
			if len(r.Raw) > 4000 {
				t.Errorf("the answer is %d bytes; does it echo the request?", len(r.Raw))
			}
		})
	}
	t.Run("argument error names the argument", func(t *testing.T) {
		r := admin.Do(`mutation($a:ID!){createApiToken(input:{accountId:$a,name:"x",readOnly:true,expiresAt:"not-a-date"}){token}}`,
			map[string]any{"a": f.AccountA.ID})
		if !strings.Contains(r.Raw, `"field":"input.expiresAt"`) || strings.Contains(r.Raw, "internal") {
			t.Fatalf("%s", r.Raw)
		}
		if s.Log != nil && strings.Contains(s.Log.String(), "RFC3339") {
			t.Errorf("a caller's mistake was logged as an internal error:\n%s", s.Log.String())
		}
	})
	t.Run("undecodable body", func(t *testing.T) {
		for _, body := range []string{`{"query":"{__typename}","variables":[1]}`, `{"query":{}}`, `{"extensions":"x"}`} {
			r := admin.Post("application/json", []byte(body))
			if r.Code() != "VALIDATION_FAILED" || strings.Contains(r.Raw, "Go struct") || strings.Contains(r.Raw, "map[string]") ||
				strings.Contains(r.Raw, "body:") {
				t.Errorf("%s: %d %s", body, r.Status, r.Raw)
			}
		}
	})
	t.Run("sign-in brute force", func(t *testing.T) {
		anon := s.Anonymous()
		var last *apitest.Response
		for i := 0; i < 12; i++ {
			last = anon.Do(`mutation($e:String!,$p:String!){signIn(email:$e,password:$p){user{id}}}`,
				map[string]any{"e": f.Editor.Email, "p": "guess number " + string(rune('a'+i))})
		}
		if last.Code() != "RATE_LIMITED" || !strings.Contains(last.Raw, "retryAfter") {
			t.Fatalf("want RATE_LIMITED with retryAfter: %s", last.Raw)
		}
		// The right password is refused too while limited: no oracle.
		r := anon.Do(`mutation($e:String!,$p:String!){signIn(email:$e,password:$p){user{id}}}`,
			map[string]any{"e": f.Editor.Email, "p": apitest.Password})
		if r.Code() != "RATE_LIMITED" {
			t.Fatalf("correct password while limited: %s", r.Raw)
		}
	})
	t.Run("cross-site cookie POST", func(t *testing.T) {
		admin.Header.Set("Sec-Fetch-Site", "cross-site")
		admin.Header.Set("Origin", "https://evil.example")
		defer admin.Header.Del("Sec-Fetch-Site")
		defer admin.Header.Del("Origin")
		r := admin.Do(`mutation($a:ID!){updateContactInfo(input:{accountId:$a,environment:SANDBOX,technicalEmergency:[]}){account{id}}}`, map[string]any{"a": f.AccountA.ID})
		if r.Status != http.StatusForbidden || r.Code() != "FORBIDDEN" {
			t.Fatalf("cross-site POST: %d %s", r.Status, r.Raw)
		}
	})
	t.Run("trusted origin POST", func(t *testing.T) {
		admin.Header.Set("Origin", "https://tools.partner.example")
		admin.Header.Set("Sec-Fetch-Site", "cross-site")
		defer admin.Header.Del("Sec-Fetch-Site")
		defer admin.Header.Del("Origin")
		if r := admin.Do(`{me{user{id}}}`, nil); r.Code() != "" {
			t.Fatalf("allowed origin refused: %s", r.Raw)
		}
	})
	t.Run("GET mutation", func(t *testing.T) {
		res, err := http.Get(s.URL + "/graphql?query=mutation%7BsignOut%7D")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusMethodNotAllowed {
			t.Fatalf("GET /graphql: %d", res.StatusCode)
		}
	})
	t.Run("foreign origin preflight", func(t *testing.T) {
		for origin, allowed := range map[string]bool{"https://evil.example": false, "https://tools.partner.example": true} {
			req, _ := http.NewRequest(http.MethodOptions, s.URL+"/graphql", nil)
			req.Header.Set("Origin", origin)
			req.Header.Set("Access-Control-Request-Method", "POST")
			req.Header.Set("Access-Control-Request-Headers", "content-type")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			got := res.Header.Get("Access-Control-Allow-Origin")
			if allowed && (got != origin || res.Header.Get("Access-Control-Allow-Credentials") != "true") {
				t.Errorf("%s: allow-origin %q", origin, got)
			}
			if !allowed && got != "" {
				t.Errorf("%s must not be allowed, got %q", origin, got)
			}
			if got == "*" {
				t.Errorf("wildcard origin")
			}
		}
	})
	t.Run("security headers", func(t *testing.T) {
		res, err := http.Get(s.URL + "/")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		for h, want := range map[string]string{
			"Content-Security-Policy": "frame-ancestors 'none'",
			"X-Content-Type-Options":  "nosniff",
			"Referrer-Policy":         "strict-origin-when-cross-origin",
		} {
			if !strings.Contains(res.Header.Get(h), want) {
				t.Errorf("%s = %q, want %q", h, res.Header.Get(h), want)
			}
		}
		if strings.Contains(res.Header.Get("Content-Security-Policy"), "script-src 'self' 'unsafe-inline'") {
			t.Error("inline scripts allowed")
		}
	})
	if after := versionOf(); after != before {
		t.Fatalf("an attack changed the contact info: version %d → %d", before, after)
	}
	var n int64
	if err := s.DB.Gorm().Table("users").Count(&n).Error; err != nil || n == 0 {
		t.Fatalf("users table: %v %d", err, n)
	}
}

// TestFailedSignInFloor: a wrong password takes at least the floor to be
// answered, for an email with a user (whose failure is written to the
// audit log of each of their accounts) and for an unknown one (written
// nowhere) alike, so that the answer's time does not tell which emails have
// users. Only the floor is checked (a lower bound, what the server waits
// for), never how fast anything is.
func TestFailedSignInFloor(t *testing.T) {
	const floor = 300 * time.Millisecond
	s := apitest.NewWith(t, apitest.Options{Driver: testdb.DriverSQLite, DSN: testdb.SQLitePath(t), SignInFailureFloor: floor})
	f := s.Fixture()
	const signIn = `mutation($e:String!,$p:String!){signIn(email:$e,password:$p){user{id}}}`
	for _, email := range []string{f.Editor.Email, "nobody@unknown.example"} {
		start := time.Now()
		r := s.Anonymous().Do(signIn, map[string]any{"e": email, "p": "not the password"})
		if took := time.Since(start); r.Code() != "UNAUTHENTICATED" || took < floor {
			t.Errorf("%s: %s after %v, want UNAUTHENTICATED after at least %v", email, r.Code(), took, floor)
		}
	}
	// The right password is not held back.
	var out struct {
		SignIn struct{ User struct{ ID string } }
	}
	s.Anonymous().MustData(signIn, map[string]any{"e": f.Editor.Email, "p": apitest.Password}, &out)
	if out.SignIn.User.ID != f.Editor.ID {
		t.Errorf("signed in as %q", out.SignIn.User.ID)
	}
}
