// Package graph is ContactGate's GraphQL API: the schema (*.graphqls), the
// generated executor, thin resolvers, and the directives that enforce
// authorization and the access gate, as service.Authorizer decides.
package graph

import (
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/contactgate/contactgate/auth"
	"github.com/contactgate/contactgate/gatebus"
	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/graph/model"
	"github.com/contactgate/contactgate/service"
)

// Settings are the portal links and cookie policy the API hands out.
type Settings struct {
	SupportURL        string
	ReferenceGuideURL string
}

// Resolver holds the API's dependencies; one is built per server.
type Resolver struct {
	// Services hold the business rules; resolvers decode, call a service
	// and encode.
	Services *service.Services
	DB       *gormstore.DB
	Hasher   *auth.Hasher
	Clock    func() time.Time
	Settings Settings
	Log      *slog.Logger
	// Limits are the rate limits; nil disables them (tests).
	Limits *Limits
	// Bus announces gate changes to subscriptions, and revocations of their
	// callers.
	Bus *gatebus.Bus
	// SubscriptionRecheck is how often a live subscription re-checks its
	// caller without an event; 0 means DefaultSubscriptionRecheck.
	SubscriptionRecheck time.Duration
	// GeneralExecutorOnly turns off direct answers (direct.go, DirectGate):
	// every operation goes through gqlgen's executor. For the tests that
	// compare the two, and as a switch for operators
	// (GENERAL_EXECUTOR_ONLY).
	GeneralExecutorOnly atomic.Bool
	// OnDirect, when set, is told each time an operation or a page was
	// answered directly (metrics, tests).
	OnDirect func(what string)
}

// NewConfig returns the gqlgen configuration with resolvers and directives.
func NewConfig(r *Resolver) Config {
	cfg := Config{Resolvers: r}
	cfg.Directives.SignedIn = r.signedIn
	cfg.Directives.StaffOnly = r.staffOnly
	cfg.Directives.Member = r.member
	cfg.Directives.Gated = r.gated
	// Lists cost their page size times their items, so that one query cannot
	// ask for 100 pages' worth of nested data.
	cfg.Complexity.Query.Accounts = func(child int, _ *model.AccountFilter, first *int, _ *string) int {
		return 1 + child*gormstore.ClampFirst(derefInt(first, 50), 50)
	}
	cfg.Complexity.Account.History = func(child int, first *int, _ *string) int {
		return 1 + child*gormstore.ClampFirst(derefInt(first, 20), 20)
	}
	cfg.Complexity.Account.AuditLog = func(child int, first *int, _ *string) int {
		return 1 + child*gormstore.ClampFirst(derefInt(first, 20), 20)
	}
	return cfg
}
