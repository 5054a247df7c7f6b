package graph_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"

	"github.com/contactgate/contactgate/internal/apitest"
	"github.com/contactgate/contactgate/internal/testdb"
)

// TestPersistedQueries: automatic persisted queries as the SPA uses them.
// A hash the server does not know is answered PersistedQueryNotFound (the
// client then sends the query with its hash, which registers it); after
// that the hash alone runs the query, with the same authorization. A hash
// that does not match its query and an unknown version are refused.
func TestPersistedQueries(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn})
		f := s.Fixture()
		admin := s.As(f.Admin)
		const q = `query Gate($id: ID!) { accessGate(accountId: $id, environment: PRODUCTION) { locked missing } }`
		sum := sha256.Sum256([]byte(q))
		hash := hex.EncodeToString(sum[:])
		vars := map[string]any{"id": f.AccountA.ID}
		post := func(c *apitest.Client, body map[string]any) *apitest.Response {
			t.Helper()
			b, err := json.Marshal(body)
			if err != nil {
				t.Fatal(err)
			}
			return c.Post("application/json", b)
		}
		ext := func(version any, hash any) map[string]any {
			return map[string]any{"persistedQuery": map[string]any{"version": version, "sha256Hash": hash}}
		}
		want := func(r *apitest.Response, message, code string) {
			t.Helper()
			if len(r.Errors) != 1 || r.Errors[0].Message != message || r.Errors[0].Extensions.Code != code {
				t.Fatalf("want %q (%s), got %s", message, code, r.Raw)
			}
		}

		want(post(admin, map[string]any{"variables": vars, "extensions": ext(1, hash)}), "PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")
		if r := post(admin, map[string]any{"query": q, "variables": vars, "extensions": ext(1, hash)}); len(r.Errors) > 0 {
			t.Fatalf("register: %s", r.Raw)
		}
		var out struct{ AccessGate struct{ Locked bool } }
		r := post(admin, map[string]any{"variables": vars, "extensions": ext(1, hash)})
		if len(r.Errors) > 0 || json.Unmarshal(r.Data, &out) != nil || !out.AccessGate.Locked {
			t.Fatalf("by hash: %s", r.Raw)
		}
		// The hash names a query; it authorizes nothing.
		if r := post(s.As(f.Outsider), map[string]any{"variables": vars, "extensions": ext(1, hash)}); r.Code() != nf {
			t.Fatalf("outsider by hash: %s", r.Raw)
		}
		if r := post(s.Anonymous(), map[string]any{"variables": vars, "extensions": ext(1, hash)}); r.Code() != "UNAUTHENTICATED" {
			t.Fatalf("signed out by hash: %s", r.Raw)
		}

		other := `query { portalConfig { supportUrl } }`
		want(post(admin, map[string]any{"query": other, "extensions": ext(1, hash)}), "provided APQ hash does not match query", "VALIDATION_FAILED")
		want(post(admin, map[string]any{"query": q, "variables": vars, "extensions": ext(2, hash)}), "unsupported APQ version", "VALIDATION_FAILED")
		want(post(admin, map[string]any{"variables": vars, "extensions": map[string]any{"persistedQuery": "x"}}), "invalid APQ extension data", "VALIDATION_FAILED")
		want(post(admin, map[string]any{"variables": vars, "extensions": ext("one", hash)}), "invalid APQ extension data", "VALIDATION_FAILED")
	})
}
