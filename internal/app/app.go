// Package app is ContactGate's one composition root: it builds the
// services, the GraphQL resolver, the HTTP handler and the outbox worker
// from a database, settings and the few parts a caller may swap (clock,
// password hasher, mail sender, bus). The contactgate command (server.go)
// and the test harness (internal/apitest) both build their server here, so
// a test runs the same wiring as production with test doubles passed in.
package app

import (
	"context"
	"crypto/x509"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/contactgate/contactgate/auth"
	"github.com/contactgate/contactgate/frontend"
	"github.com/contactgate/contactgate/gatebus"
	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/graph"
	"github.com/contactgate/contactgate/httpapi"
	"github.com/contactgate/contactgate/mail"
	"github.com/contactgate/contactgate/models"
	"github.com/contactgate/contactgate/ratelimit"
	"github.com/contactgate/contactgate/service"
	"github.com/contactgate/contactgate/webhook"
)

// Settings are the server's configuration, as parsed by the command.
type Settings struct {
	// PublicURL is the portal's base URL: links in mails, the trusted
	// origin, Secure cookies when https.
	PublicURL string
	// MailFrom is the sender of every mail; empty derives it from PublicURL.
	MailFrom          string
	SupportURL        string
	ReferenceGuideURL string
	// AllowedOrigins may call the API from a browser with credentials.
	AllowedOrigins []string
	// AllowedHosts are Host names answered besides PUBLIC_URL's and the
	// listen address's.
	AllowedHosts []string
	// ListenAddr is the bound address of the main listener.
	ListenAddr    net.Addr
	Introspection bool
	// GeneralExecutorOnly answers every operation with gqlgen's executor:
	// no direct gate answers and no directly rendered staff pages
	// (graph/direct.go). A switch for operators; the answers are the same.
	GeneralExecutorOnly bool
	// MetricsElsewhere: /metrics is served on its own listener.
	MetricsElsewhere bool
	// TokenLimit bounds requests per API token; nil means no limit.
	TokenLimit *ratelimit.Limiter
	// SubscriptionRecheck is how often live subscriptions re-check their
	// caller without an event; 0 means the default.
	SubscriptionRecheck time.Duration
	// OutboxInterval is how often the outbox worker polls when idle.
	OutboxInterval time.Duration
	// Review is REVIEW_INTERVAL and REVIEW_GRACE; zero means the defaults.
	Review models.ReviewPolicy
	// SignInFailureFloor is the least time a failed sign-in takes to
	// answer; zero means service.DefaultSignInFailureFloor, negative none.
	SignInFailureFloor time.Duration
	// ReviewCheck is how often the review scheduler runs; 0 derives it
	// from the interval (see ReviewCheckInterval).
	ReviewCheck time.Duration
	// Webhooks are the webhook rules (WEBHOOK_ALLOW_PRIVATE,
	// WEBHOOK_MAX_FAILURES); WebhookTimeout bounds one delivery attempt
	// (0: 10 s).
	Webhooks       service.WebhookSettings
	WebhookTimeout time.Duration
	// WebhookRootCAs, when set, are the only roots receivers' certificates
	// are checked against (tests).
	WebhookRootCAs *x509.CertPool
}

// Parts are what the caller provides: the migrated database and the parts
// tests swap for doubles.
type Parts struct {
	DB  *gormstore.DB
	Log *slog.Logger
	// Clock returns "now" (time.Now in production).
	Clock  func() time.Time
	Hasher *auth.Hasher
	// Bus carries gate changes and revocations to live views; BusCtx bounds
	// publishing on it (it outlives the requests in flight).
	Bus    *gatebus.Bus
	BusCtx context.Context
	// Sender delivers the outbox's mail.
	Sender mail.Sender
	// Metrics, when set, counts requests, errors and mail.
	Metrics *httpapi.Metrics
	// Limits are the rate limits; nil disables them.
	Limits *graph.Limits
}

// App is a built server.
type App struct {
	Handler http.Handler
	Worker  *mail.Worker
	// Webhooks delivers webhook events; the caller runs it like Worker.
	Webhooks *webhook.Deliverer
	Services *service.Services
	Resolver *graph.Resolver
	// reviewCheck is the scheduler's tick.
	reviewCheck time.Duration
}

// RunScheduler runs the review scheduler until ctx ends: reminders and the
// upkeep of stored warnings, a pass every tick. Every process runs it.
func (a *App) RunScheduler(ctx context.Context) {
	a.Services.Review.Run(ctx, a.reviewCheck)
}

// ReviewCheckInterval is the scheduler's default tick: a minute, or a
// twentieth of a short review interval (at least a second), so that the
// scaled reminder offsets of a short cycle are met closely.
func ReviewCheckInterval(p models.ReviewPolicy) time.Duration {
	d := time.Minute
	if p.Interval > 0 && p.Interval/20 < d {
		d = max(p.Interval/20, time.Second)
	}
	return d
}

// New wires a server.
func New(s Settings, p Parts) (*App, error) {
	if p.Clock == nil {
		p.Clock = time.Now
	}
	if p.BusCtx == nil {
		p.BusCtx = context.Background()
	}
	from := MailFrom(s)
	var onSent, onRetry, onFailed, onPass func()
	if m := p.Metrics; m != nil {
		onSent, onRetry, onFailed, onPass = m.MailSent.Inc, m.MailRetried.Inc, m.MailFailed.Inc, m.OutboxPasses.Inc
		m.WatchDatabase(p.DB.SQL(), func(ctx context.Context) (int64, error) { return mail.QueueDepth(ctx, p.DB.Gorm()) })
	}
	// A bounce is reported by the worker and judged by the reachability
	// service (mail/ knows no accounts): the services are built right
	// below, before the worker can run.
	var services *service.Services
	bounceLog := p.Log
	if bounceLog == nil {
		bounceLog = slog.Default()
	}
	onBounce := func(ctx context.Context, b mail.Bounce) {
		if err := services.Reachability.Bounced(ctx, b.To, b.Reply); err != nil {
			bounceLog.ErrorContext(ctx, "record bounce", "outbox_id", b.OutboxID, "error", err)
		}
	}
	worker := mail.NewWorker(p.DB.Gorm(), p.Sender, mail.WorkerOptions{From: from, Logger: p.Log, PollInterval: s.OutboxInterval,
		OnSent: onSent, OnRetry: onRetry, OnFailed: onFailed, OnPass: onPass, OnBounce: onBounce})
	if s.Review.Interval == 0 {
		s.Review = models.DefaultReviewPolicy()
	}
	wake := make(chan struct{}, 1)
	hooks := s.Webhooks
	hooks.Kick = func() {
		select {
		case wake <- struct{}{}:
		default:
		}
	}
	floor := s.SignInFailureFloor
	if floor == 0 {
		floor = service.DefaultSignInFailureFloor
	}
	services = service.New(service.Deps{Store: p.DB, Hasher: p.Hasher, Clock: p.Clock, Log: p.Log,
		Events: service.BusEvents{Ctx: p.BusCtx, Bus: p.Bus, Kick: worker.Kick}, MailFrom: from, PublicURL: s.PublicURL,
		Review: s.Review, Webhooks: hooks, SignInFailureFloor: max(floor, 0)})
	if m := p.Metrics; m != nil {
		services.Review.OnPass, services.Review.OnReminder = m.ReviewPasses.Inc, m.ReviewReminders.Inc
	}
	check := s.ReviewCheck
	if check <= 0 {
		check = ReviewCheckInterval(s.Review)
	}
	deliverer := webhook.New(services.Webhooks, webhook.Options{Log: p.Log, Timeout: s.WebhookTimeout,
		RootCAs: s.WebhookRootCAs, Wake: wake})
	resolver := &graph.Resolver{Services: services, DB: p.DB, Hasher: p.Hasher, Clock: p.Clock, Log: p.Log, Limits: p.Limits,
		Bus: p.Bus, SubscriptionRecheck: s.SubscriptionRecheck,
		Settings: graph.Settings{SupportURL: s.SupportURL, ReferenceGuideURL: s.ReferenceGuideURL}}
	resolver.GeneralExecutorOnly.Store(s.GeneralExecutorOnly)
	if m := p.Metrics; m != nil {
		resolver.OnDirect = func(what string) { m.DirectAnswers.WithLabelValues(what).Inc() }
	}
	persisted, err := frontend.PersistedDocuments()
	if err != nil {
		return nil, err
	}
	handler, err := httpapi.New(httpapi.Config{
		DB: p.DB, Resolver: resolver, Log: p.Log, App: frontend.Dist(), PersistedDocuments: persisted, PublicURL: publicOrigin(s.PublicURL),
		TokenLimit:       s.TokenLimit,
		SecureCookies:    strings.HasPrefix(s.PublicURL, "https://"),
		AllowedOrigins:   s.AllowedOrigins,
		Introspection:    s.Introspection,
		Metrics:          p.Metrics,
		ListenAddr:       s.ListenAddr,
		AllowedHosts:     s.AllowedHosts,
		MetricsElsewhere: s.MetricsElsewhere,
	})
	if err != nil {
		return nil, fmt.Errorf("build the HTTP handler: %w", err)
	}
	return &App{Handler: handler, Worker: worker, Webhooks: deliverer, Services: services, Resolver: resolver, reviewCheck: check}, nil
}

// MailFrom is the sender of mails: MAIL_FROM, or one derived from
// PUBLIC_URL's host. This is the one place the default is computed.
func MailFrom(s Settings) string {
	if s.MailFrom != "" {
		return s.MailFrom
	}
	return mail.DefaultFrom(s.PublicURL)
}

// publicOrigin is the scheme://host[:port] of PUBLIC_URL.
func publicOrigin(publicURL string) string {
	u, err := url.Parse(publicURL)
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}
