// Package frontend embeds the built single-page app so that the Go binary
// serves it without Node installed.
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Dist returns the built app (the contents of frontend/dist).
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // "dist" is embedded above
	}
	return sub
}
