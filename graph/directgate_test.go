package graph_test

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/contactgate/contactgate/internal/apitest"
	"github.com/contactgate/contactgate/internal/testdb"
)

// TestDirectGateMatchesExecutor: a gate query answered directly
// (graph/directgate.go, httpapi/directgate.go) is the executor's answer,
// status, content type, cookies and bytes, for every kind of caller, and
// every request the direct path does not recognise, or cannot answer
// without an error, is the executor's own answer.
func TestDirectGateMatchesExecutor(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn})
		f := s.Fixture()
		a := f.AccountA.ID
		s.CompleteContactInfo(a, f.Admin, f.Admin.ID)

		const harness = `query AccessGate($accountId: ID!, $environment: Environment!) { accessGate(accountId: $accountId, environment: $environment) { locked missing } }`
		every := fmt.Sprintf(`query Every { __typename g: accessGate(accountId: %q, environment: PRODUCTION) { __typename environment locked missing reviewDueAt reviewOverdue reviewLocked reviewLocksAt again: locked } t: __typename }`, a)
		sum := sha256.Sum256([]byte(harness))
		hash := hex.EncodeToString(sum[:])
		apq := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}
		vars := func(id, env any) map[string]any { return map[string]any{"accountId": id, "environment": env} }

		admin := s.As(f.Admin)
		// The hash is registered as an APQ client does (query and hash).
		if r := admin.Post("application/json", mustMarshal(t, map[string]any{"query": harness, "variables": vars(a, "SANDBOX"), "extensions": apq})); r.Status != 200 {
			t.Fatal(r.Raw)
		}
		token := struct {
			CreateAPIToken struct{ Token string } `json:"createApiToken"`
		}{}
		admin.MustData(`mutation($a:ID!){createApiToken(input:{accountId:$a,name:"ci",readOnly:true}){token}}`, map[string]any{"a": a}, &token)
		signedOut := s.As(f.Editor)
		stale := signedOut.CookieHeader()
		signedOut.MustData(`mutation { signOut }`, nil, nil)
		staleClient := s.Anonymous()
		staleClient.Header = stale

		callers := []struct {
			name   string
			c      *apitest.Client
			direct bool // a gate query of account A is answered directly
		}{
			{"administrator", admin, true},
			{"read-only member", s.As(f.ReadOnly), true},
			{"staff", s.As(f.Staff), true},
			{"token", s.WithToken(token.CreateAPIToken.Token), true},
			{"administrator of another account", s.As(f.AdminB), false},
			{"outsider", s.As(f.Outsider), false},
			{"anonymous", s.Anonymous(), false},
			{"signed-out session", staleClient, false},
			{"wrong token", s.WithToken("cg_nope"), false},
		}
		requests := []struct {
			name   string
			body   map[string]any
			accept string
			direct bool // recognised as a gate query
			// raw replaces body; contentType replaces application/json.
			raw, contentType string
		}{
			{"harness query", map[string]any{"query": harness, "operationName": "AccessGate", "variables": vars(a, "PRODUCTION")}, "", true, "", ""},
			{"by hash", map[string]any{"variables": vars(a, "SANDBOX"), "extensions": apq}, "", true, "", ""},
			{"every field, literals, aliases, __typename", map[string]any{"query": every}, "", true, "", ""},
			{"anonymous operation", map[string]any{"query": `query($id: ID!) { accessGate(accountId: $id, environment: SANDBOX) { missing } }`, "variables": map[string]any{"id": a}}, "", true, "", ""},
			{"extra variables are ignored", map[string]any{"query": harness, "variables": map[string]any{"accountId": a, "environment": "SANDBOX", "x": 1}}, "", true, "", ""},
			{"accept any", map[string]any{"query": harness, "variables": vars(a, "SANDBOX")}, "*/*", true, "", ""},
			{"unknown account", map[string]any{"query": harness, "variables": vars("00000000-0000-0000-0000-000000000000", "SANDBOX")}, "", false, "", ""},
			{"graphql-response+json", map[string]any{"query": harness, "variables": vars(a, "SANDBOX")}, "application/graphql-response+json", false, "", ""},
			{"accept text/html", map[string]any{"query": harness, "variables": vars(a, "SANDBOX")}, "text/html", false, "", ""},
			{"accept html, then json", map[string]any{"query": harness, "variables": vars(a, "SANDBOX")}, "text/html, application/json", true, "", ""},
			{"number as id", map[string]any{"query": harness, "variables": vars(12, "SANDBOX")}, "", false, "", ""},
			{"no such environment", map[string]any{"query": harness, "variables": vars(a, "STAGING")}, "", false, "", ""},
			{"missing variable", map[string]any{"query": harness, "variables": map[string]any{"accountId": a}}, "", false, "", ""},
			{"other operation name", map[string]any{"query": harness, "operationName": "Other", "variables": vars(a, "SANDBOX")}, "", false, "", ""},
			{"fragment", map[string]any{"query": `query($id: ID!) { accessGate(accountId: $id, environment: SANDBOX) { ...G } } fragment G on AccessGate { locked }`, "variables": map[string]any{"id": a}}, "", false, "", ""},
			{"directive", map[string]any{"query": `query($id: ID!) { accessGate(accountId: $id, environment: SANDBOX) { locked @include(if: true) } }`, "variables": map[string]any{"id": a}}, "", false, "", ""},
			{"two root fields", map[string]any{"query": `query($id: ID!) { accessGate(accountId: $id, environment: SANDBOX) { locked } me { id } }`, "variables": map[string]any{"id": a}}, "", false, "", ""},
			{"invalid query", map[string]any{"query": `query($id: ID!) { accessGate(accountId: $id, environment: SANDBOX) { lockd } }`, "variables": map[string]any{"id": a}}, "", false, "", ""},
			{"unknown hash", map[string]any{"variables": vars(a, "SANDBOX"), "extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": "00"}}}, "", false, "", ""},
			{"apq version 1.5", map[string]any{"variables": vars(a, "SANDBOX"), "extensions": map[string]any{"persistedQuery": map[string]any{"version": 1.5, "sha256Hash": hash}}}, "", false, "", ""},
			{"apq version 2", map[string]any{"variables": vars(a, "SANDBOX"), "extensions": map[string]any{"persistedQuery": map[string]any{"version": 2, "sha256Hash": hash}}}, "", false, "", ""},
			// Found by an attack on the direct path: each once answered
			// where the executor refuses.
			{name: "apq version 1.0", raw: `{"variables":` + string(mustMarshal(t, vars(a, "SANDBOX"))) +
				`,"extensions":{"persistedQuery":{"version":1.0,"sha256Hash":"` + hash + `"}}}`},
			{name: "repeated extensions are merged", raw: `{"query":` + string(mustMarshal(t, harness)) + `,"variables":` +
				string(mustMarshal(t, vars(a, "SANDBOX"))) + `,"extensions":{"persistedQuery":{"version":1,"sha256Hash":"deadbeef"}},"extensions":{"x":1}}`},
			{name: "content type the transport refuses", body: map[string]any{"query": harness, "variables": vars(a, "SANDBOX")},
				contentType: "application/json;charset"},
		}
		for _, c := range callers {
			for _, rq := range requests {
				t.Run(c.name+"/"+rq.name, func(t *testing.T) {
					body := []byte(rq.raw)
					if rq.raw == "" {
						body = mustMarshal(t, rq.body)
					}
					contentType := cmp.Or(rq.contentType, "application/json")
					c.c.Header.Del("Accept")
					if rq.accept != "" {
						c.c.Header.Set("Accept", rq.accept)
					}
					s.Resolver.GeneralExecutorOnly.Store(true)
					want := c.c.Post(contentType, body)
					s.Resolver.GeneralExecutorOnly.Store(false)
					before := s.DirectAnswers("accessGate")
					got := c.c.Post(contentType, body)
					c.c.Header.Del("Accept")
					if got.Status != want.Status || got.Raw != want.Raw ||
						got.Header.Get("Content-Type") != want.Header.Get("Content-Type") ||
						fmt.Sprint(got.Header.Values("Set-Cookie")) != fmt.Sprint(want.Header.Values("Set-Cookie")) {
						t.Fatalf("direct path answers differently:\ndirect:   %d %s %v %s\nexecutor: %d %s %v %s",
							got.Status, got.Header.Get("Content-Type"), got.Header.Values("Set-Cookie"), got.Raw,
							want.Status, want.Header.Get("Content-Type"), want.Header.Values("Set-Cookie"), want.Raw)
					}
					wantDirect := c.direct && rq.direct
					if direct := s.DirectAnswers("accessGate") > before; direct != wantDirect {
						t.Fatalf("answered directly: %v, want %v (%s)", direct, wantDirect, got.Raw)
					}
				})
			}
		}
	})
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
