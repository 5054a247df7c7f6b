// Package graph is ContactGate's GraphQL API: the schema (*.graphqls), the
// generated executor, thin resolvers, and the directives that enforce
// authorization and the access gate in one place.
package graph

import (
	"log/slog"
	"time"

	"github.com/contactgate/contactgate/auth"
	"github.com/contactgate/contactgate/gormstore"
)

// Settings are the portal links and cookie policy the API hands out.
type Settings struct {
	SupportURL        string
	ReferenceGuideURL string
}

// Resolver holds the API's dependencies; one is built per server.
type Resolver struct {
	DB       *gormstore.DB
	Hasher   *auth.Hasher
	Clock    func() time.Time
	Settings Settings
	Log      *slog.Logger
}

// NewConfig returns the gqlgen configuration with resolvers and directives.
func NewConfig(r *Resolver) Config {
	cfg := Config{Resolvers: r}
	cfg.Directives.SignedIn = r.signedIn
	cfg.Directives.StaffOnly = r.staffOnly
	cfg.Directives.Member = r.member
	cfg.Directives.Gated = r.gated
	return cfg
}
