package httpapi_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"

	"github.com/contactgate/contactgate/frontend"
	"github.com/contactgate/contactgate/internal/apitest"
	"github.com/contactgate/contactgate/internal/testdb"
)

// byHash is a request body that names its operation by hash only, as the app sends it.
func byHash(t testing.TB, hash string, vars map[string]any) []byte {
	t.Helper()
	body, err := json.Marshal(map[string]any{
		"variables":  vars,
		"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// withText is the same with the query text too (what tooling may send to register a hash).
func withText(t testing.TB, query string, vars map[string]any, hash bool) []byte {
	t.Helper()
	req := map[string]any{"query": query, "variables": vars}
	if hash {
		sum := sha256.Sum256([]byte(query))
		req["extensions"] = map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hex.EncodeToString(sum[:])}}
	}
	body, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	return body
}

func notFound(r *apitest.Response) bool {
	return strings.Contains(r.Raw, "PersistedQueryNotFound") || strings.Contains(r.Raw, "PERSISTED_QUERY_NOT_FOUND")
}

// manifestDoc returns the hash and text of the embedded operation whose text contains marker.
func manifestDoc(t testing.TB, marker string) (string, string) {
	t.Helper()
	docs, err := frontend.PersistedDocuments()
	if err != nil {
		t.Fatal(err)
	}
	for hash, text := range docs {
		if strings.Contains(text, marker) {
			return hash, text
		}
	}
	t.Fatalf("no persisted document contains %q", marker)
	return "", ""
}

// The app's operations (the embedded manifest) are known by hash from the
// server's first request on, without their text; an unknown hash is still
// PersistedQueryNotFound, and tooling still sends full texts.
func TestPersistedDocumentsByHash(t *testing.T) {
	docs, err := frontend.PersistedDocuments()
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) == 0 {
		t.Fatal("the embedded manifest is empty")
	}
	shellHash, shellText := manifestDoc(t, "query PortalShell(")
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn})
		f := s.Fixture()

		// Every first-party hash is known (signed out: no operation here may change anything of the fixture's).
		anon := s.Anonymous()
		for hash := range docs {
			if r := anon.Post("application/json", byHash(t, hash, nil)); notFound(r) {
				t.Errorf("hash %s: %s", hash, r.Raw)
			}
		}

		// The portal shell by hash answers as by its text.
		admin := s.As(f.Admin)
		vars := map[string]any{"accountId": f.AccountA.ID}
		hashed := admin.Post("application/json", byHash(t, shellHash, vars))
		if len(hashed.Errors) > 0 || !strings.Contains(string(hashed.Data), f.AccountA.Name) {
			t.Fatalf("PortalShell by hash: %s", hashed.Raw)
		}
		if text := admin.Do(shellText, vars); string(text.Data) != string(hashed.Data) {
			t.Fatalf("by hash %s, by text %s", hashed.Data, text.Data)
		}

		unknown := strings.Repeat("0", 64)
		if r := admin.Post("application/json", byHash(t, unknown, vars)); !notFound(r) || len(r.Data) > 0 && string(r.Data) != "null" {
			t.Fatalf("unknown hash: %s", r.Raw)
		}

		// Tooling: a full text with its hash registers it; then the hash alone works.
		const q = `query Tool($id: ID!) { account(id: $id) { name } }`
		if r := admin.Post("application/json", withText(t, q, map[string]any{"id": f.AccountA.ID}, true)); len(r.Errors) > 0 {
			t.Fatalf("tool text+hash: %s", r.Raw)
		}
		sum := sha256.Sum256([]byte(q))
		if r := admin.Post("application/json", byHash(t, hex.EncodeToString(sum[:]), map[string]any{"id": f.AccountA.ID})); len(r.Errors) > 0 {
			t.Fatalf("tool by hash: %s", r.Raw)
		}

		// A first-party hash cannot be taken over by another text.
		evil, _ := json.Marshal(map[string]any{"query": `query { __typename }`,
			"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": shellHash}}})
		if r := admin.Post("application/json", evil); len(r.Errors) == 0 {
			t.Fatalf("a text with another's hash was accepted: %s", r.Raw)
		}
		if r := admin.Post("application/json", byHash(t, shellHash, vars)); string(r.Data) != string(hashed.Data) {
			t.Fatalf("PortalShell by hash after the attempt: %s", r.Raw)
		}
	})
}

// BenchmarkPersistedAccessGate: what sending accessGate by hash saves over
// sending its text, through the real handler (loopback HTTP, session
// cookie). The app's shell query (two gates) and the bare accessGate field.
func BenchmarkPersistedAccessGate(b *testing.B) {
	s := apitest.New(b)
	f := s.Fixture()
	admin := s.As(f.Admin)
	shellHash, shellText := manifestDoc(b, "query PortalShell(")
	const gate = `query AccessGate($id: ID!) { accessGate(accountId: $id, environment: PRODUCTION) { __typename environment locked missing } }`
	gateVars := map[string]any{"id": f.AccountA.ID}
	shellVars := map[string]any{"accountId": f.AccountA.ID}
	sum := sha256.Sum256([]byte(gate))
	gateHash := hex.EncodeToString(sum[:])
	// Registers the bare query's hash as a tool would.
	if r := admin.Post("application/json", withText(b, gate, gateVars, true)); len(r.Errors) > 0 {
		b.Fatal(r.Raw)
	}
	cases := []struct {
		name string
		body []byte
	}{
		{"accessGate/text", withText(b, gate, gateVars, false)},
		{"accessGate/hash", byHash(b, gateHash, gateVars)},
		{"PortalShell/text", withText(b, shellText, shellVars, false)},
		{"PortalShell/hash", byHash(b, shellHash, shellVars)},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.body)))
			b.ReportAllocs()
			for b.Loop() {
				if r := admin.Post("application/json", c.body); len(r.Errors) > 0 {
					b.Fatal(r.Raw)
				}
			}
		})
	}
}
