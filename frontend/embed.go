// Package frontend embeds the built single-page app so that the Go binary
// serves it without Node installed.
package frontend

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// persistedDocuments is graphql-codegen's manifest of the app's operations
// (sha256 of the text → text), written by the same `npm run build` as dist.
//
//go:embed src/gql/persisted-documents.json
var persistedDocuments []byte

// Dist returns the built app (the contents of frontend/dist).
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // "dist" is embedded above
	}
	return sub
}

// PersistedDocuments returns the app's operations by the hash it sends
// instead of their text (lowercase hex sha256 of the text, as in the
// automatic-persisted-query protocol).
func PersistedDocuments() (map[string]string, error) {
	var docs map[string]string
	if err := json.Unmarshal(persistedDocuments, &docs); err != nil {
		return nil, fmt.Errorf("read the embedded persisted-documents.json: %w", err)
	}
	return docs, nil
}
