package graph_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/contactgate/contactgate/internal/apitest"
	"github.com/contactgate/contactgate/internal/testdb"
)

// TestSchemaSDL: GET /graphql/schema.graphqls gives the SDL, docstrings
// included, to a signed-in person and to an API token; anonymous callers
// and revoked tokens get 401 (introspection stays off).
func TestSchemaSDL(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn})
		f := s.Fixture()
		if code, body := s.Anonymous().Get("/graphql/schema.graphqls"); code != http.StatusUnauthorized || strings.Contains(body, "type Query") {
			t.Fatalf("anonymous: %d %q", code, body)
		}
		code, sdl := s.As(f.ReadOnly).Get("/graphql/schema.graphqls")
		if code != http.StatusOK {
			t.Fatalf("signed in: %d %q", code, sdl)
		}
		for _, want := range []string{"type Query", "accessGate(", "updateContactInfo(", `"""`, "input CreateApiTokenInput"} {
			if !strings.Contains(sdl, want) {
				t.Fatalf("the SDL lacks %q", want)
			}
		}
		if strings.Contains(sdl, "type __Schema") {
			t.Fatal("the SDL holds the introspection built-ins")
		}
		s.CompleteContactInfo(f.AccountA.ID, f.Admin, "")
		admin := s.As(f.Admin)
		var d struct {
			CreateAPIToken struct {
				Token    string
				APIToken struct{ ID string }
			} `json:"createApiToken"`
		}
		admin.MustData(qCreateToken, map[string]any{"a": f.AccountA.ID, "n": "codegen", "ro": true}, &d)
		tok := s.WithToken(d.CreateAPIToken.Token)
		if code, body := tok.Get("/graphql/schema.graphqls"); code != http.StatusOK || body != sdl {
			t.Fatalf("token: %d, same SDL %v", code, body == sdl)
		}
		admin.MustData(`mutation($id:ID!){revokeApiToken(id:$id)}`, map[string]any{"id": d.CreateAPIToken.APIToken.ID}, nil)
		if code, _ := tok.Get("/graphql/schema.graphqls"); code != http.StatusUnauthorized {
			t.Fatalf("revoked token: %d", code)
		}
	})
}
