package httpapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"

	"github.com/99designs/gqlgen/graphql"
	"github.com/contactgate/contactgate/auth"
	"github.com/contactgate/contactgate/models"
	"github.com/vektah/gqlparser/v2/formatter"
)

// SchemaPath serves the schema's SDL for client generators and the
// portal's explorer.
const SchemaPath = "/graphql/schema.graphqls"

// schemaSDL prints the executable schema (docstrings and directives
// included, built-in types and directives left out) once.
func schemaSDL(es graphql.ExecutableSchema) []byte {
	var b bytes.Buffer
	formatter.NewFormatter(&b, formatter.WithIndent("  ")).FormatSchema(es.Schema())
	return b.Bytes()
}

// serveSchema answers GET /graphql/schema.graphqls to signed-in people and
// API token holders, and 401 to anyone else: introspection stays off, and
// an anonymous caller learns nothing about the deployment's exact version.
func serveSchema(sdl []byte) http.Handler {
	sum := sha256.Sum256(sdl)
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if auth.FromContext(r.Context()) == nil {
			writeGraphQLError(w, http.StatusUnauthorized, models.EUnauthenticated, "sign in or send Authorization: Bearer <token> to read the schema")
			return
		}
		h := w.Header()
		h.Set("Content-Type", "text/plain; charset=utf-8")
		h.Set("Cache-Control", "private, no-cache")
		h.Set("Vary", "Cookie, Authorization")
		h.Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		if r.Method == http.MethodHead {
			return
		}
		_, _ = w.Write(sdl)
	})
}
