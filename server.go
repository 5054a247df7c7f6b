// Command contactgate serves the ContactGate partner portal: the GraphQL API
// and the embedded single-page app, on an embedded SQLite database by
// default or on PostgreSQL.
//
// Usage:
//
//	contactgate [serve]                  start the server (default)
//	contactgate migrate                  apply database migrations and exit
//	contactgate create-staff --email E   create or update a staff user (password on stdin)
//	contactgate seed --accounts N        fill the database with N realistic accounts (benchmarks, demos)
package main

//go:generate go run ./internal/gqlgenseq graph/generated.go

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/contactgate/contactgate/auth"
	"github.com/contactgate/contactgate/gatebus"
	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/graph"
	"github.com/contactgate/contactgate/httpapi"
	"github.com/contactgate/contactgate/internal/app"
	"github.com/contactgate/contactgate/mail"
	"github.com/contactgate/contactgate/models"
	"github.com/contactgate/contactgate/ratelimit"
	"github.com/contactgate/contactgate/service"
	"golang.org/x/term"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args, os.Getenv, os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "contactgate:", err)
		os.Exit(1)
	}
}

// config is every setting, from flags with environment variables as
// defaults.
type config struct {
	addr                string
	databaseURL         string
	dataDir             string
	smtpURL             string
	mailFrom            string
	publicURL           string
	corsOrigins         string
	allowedHosts        string
	metricsAddr         string
	supportURL          string
	referenceURL        string
	logLevel            string
	demo                demoSetting
	introspection       bool
	generalExecutorOnly bool
	cheapHashing        bool
	staffEmail          string
	seedAccounts        int
	onListen            func(addr string)
	outboxInterval      time.Duration
	// review is REVIEW_INTERVAL and REVIEW_GRACE; reviewCheck how often
	// the review scheduler runs (REVIEW_CHECK_INTERVAL, 0: derived).
	review      models.ReviewPolicy
	reviewCheck time.Duration
	// webhookAllowPrivate: WEBHOOK_ALLOW_PRIVATE; webhookMaxFailures:
	// WEBHOOK_MAX_FAILURES.
	webhookAllowPrivate bool
	webhookMaxFailures  int
	databaseMaxConns    int
}

func parseConfig(name string, args []string, getenv func(string) string, stderr io.Writer) (*config, *flag.FlagSet, error) {
	env := func(key, def string) string {
		if v := getenv(key); v != "" {
			return v
		}
		return def
	}
	c := &config{}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", env("ADDR", "localhost:8080"), "listen address (ADDR)")
	fs.StringVar(&c.databaseURL, "database-url", env("DATABASE_URL", ""), "postgres:// URL; empty for embedded SQLite (DATABASE_URL)")
	fs.IntVar(&c.databaseMaxConns, "database-max-conns", 0, "most PostgreSQL connections the server opens; 0 means 2 per CPU plus 2 (DATABASE_MAX_CONNS)")
	fs.StringVar(&c.dataDir, "data-dir", env("DATA_DIR", "data"), "directory of the embedded SQLite database (DATA_DIR)")
	fs.StringVar(&c.smtpURL, "smtp-url", env("SMTP_URL", ""), "smtp://user:pass@host:port; empty logs mails instead (SMTP_URL)")
	fs.StringVar(&c.mailFrom, "mail-from", env("MAIL_FROM", ""), "sender address of mails (MAIL_FROM)")
	fs.StringVar(&c.publicURL, "public-url", env("PUBLIC_URL", ""), "the portal's public base URL, used in mail links (PUBLIC_URL)")
	fs.StringVar(&c.corsOrigins, "cors-allowed-origins", env("CORS_ALLOWED_ORIGINS", ""), "comma-separated origins allowed to call the API from a browser (CORS_ALLOWED_ORIGINS)")
	fs.StringVar(&c.allowedHosts, "allowed-hosts", env("ALLOWED_HOSTS", ""), "comma-separated further host names the server answers to, besides PUBLIC_URL's and the listen address (ALLOWED_HOSTS)")
	fs.StringVar(&c.metricsAddr, "metrics-addr", env("METRICS_ADDR", ""), "separate listen address for /metrics; empty serves it on ADDR (METRICS_ADDR)")
	fs.StringVar(&c.supportURL, "support-url", env("SUPPORT_URL", "https://support.example.com/contactgate"), "target of the 'Contact support' link (SUPPORT_URL)")
	fs.StringVar(&c.referenceURL, "reference-guide-url", env("REFERENCE_GUIDE_URL", "https://developers.example.com/contactgate/reference"), "target of the reference guide link (REFERENCE_GUIDE_URL)")
	fs.StringVar(&c.logLevel, "log-level", env("LOG_LEVEL", "info"), "debug, info, warn or error (LOG_LEVEL)")
	if err := c.demo.Set(getenv("DEMO")); err != nil {
		return nil, nil, fmt.Errorf("DEMO: %w", err)
	}
	fs.Var(&c.demo, "demo", "create demo sign-ins on an empty database: true, false, or unset for only on SQLite listening on loopback (DEMO)")
	if name == "create-staff" {
		fs.StringVar(&c.staffEmail, "email", "", "the staff member's email (create-staff)")
	}
	if name == "seed" {
		fs.IntVar(&c.seedAccounts, "accounts", 1000, "how many accounts to create (seed)")
	}
	var reviewInterval, reviewGrace, reviewCheck string
	fs.StringVar(&reviewInterval, "review-interval", env("REVIEW_INTERVAL", "365d"), "how long a review of the contact info stays current: days (365d) or a duration (8760h, 90s) (REVIEW_INTERVAL)")
	fs.StringVar(&reviewGrace, "review-grace", env("REVIEW_GRACE", "30d"), "how long an overdue review may be postponed before it blocks the portal; 0 never blocks (REVIEW_GRACE)")
	fs.StringVar(&reviewCheck, "review-check-interval", env("REVIEW_CHECK_INTERVAL", ""), "how often each process looks for review reminders to send; empty derives it from REVIEW_INTERVAL (REVIEW_CHECK_INTERVAL)")
	fs.BoolVar(&c.webhookAllowPrivate, "webhook-allow-private", env("WEBHOOK_ALLOW_PRIVATE", "") == "true", "accept http:// and private, loopback and link-local webhook receivers; development only (WEBHOOK_ALLOW_PRIVATE)")
	fs.IntVar(&c.webhookMaxFailures, "webhook-max-failures", 0, "failed webhook attempts in a row after which an endpoint is disabled; 0 means 20 (WEBHOOK_MAX_FAILURES)")
	fs.BoolVar(&c.introspection, "introspection", env("GRAPHQL_INTROSPECTION", "") == "true", "allow GraphQL introspection (GRAPHQL_INTROSPECTION)")
	fs.BoolVar(&c.generalExecutorOnly, "general-executor-only", env("GENERAL_EXECUTOR_ONLY", "") == "true", "answer every GraphQL operation with gqlgen's executor, none directly (GENERAL_EXECUTOR_ONLY)")
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}
	var err error
	if c.review.Interval, err = models.ParseReviewDuration(reviewInterval, false); err != nil {
		return nil, nil, fmt.Errorf("REVIEW_INTERVAL: %w", err)
	}
	if c.review.Grace, err = models.ParseReviewDuration(reviewGrace, true); err != nil {
		return nil, nil, fmt.Errorf("REVIEW_GRACE: %w", err)
	}
	if reviewCheck != "" {
		if c.reviewCheck, err = time.ParseDuration(reviewCheck); err != nil || c.reviewCheck <= 0 {
			return nil, nil, fmt.Errorf("REVIEW_CHECK_INTERVAL: %q is not a positive duration (e.g. 1m, 10s)", reviewCheck)
		}
	}
	for _, s := range []struct {
		env, flag string
		dst       *int
	}{{"WEBHOOK_MAX_FAILURES", "webhook-max-failures", &c.webhookMaxFailures}, {"DATABASE_MAX_CONNS", "database-max-conns", &c.databaseMaxConns}} {
		if v := getenv(s.env); v != "" && !flagSet(fs, s.flag) {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return nil, nil, fmt.Errorf("%s: want a positive number, got %q", s.env, v)
			}
			*s.dst = n
		}
	}
	if c.publicURL == "" {
		c.publicURL = "http://" + c.addr
	}
	c.cheapHashing = getenv("CONTACTGATE_INSECURE_FAST_HASH") == "true"
	c.outboxInterval = time.Second
	return c, fs, nil
}

// run is the whole program: main only adds the process around it, so that
// tests can run it on port 0 with a temporary database.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout io.Writer) error {
	cmd := "serve"
	rest := args[1:]
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		cmd, rest = rest[0], rest[1:]
	}
	switch cmd {
	case "serve", "migrate", "create-staff", "seed":
	default:
		return fmt.Errorf("unknown command %q (want serve, migrate, create-staff or seed)", cmd)
	}
	cfg, _, err := parseConfig(cmd, rest, getenv, stdout)
	if err != nil {
		return err
	}
	log := newLogger(stdout, cfg.logLevel)
	if cmd == "serve" {
		if limit := applyMemoryLimit(getenv); limit > 0 {
			log.Debug("memory limit", "bytes", limit, "why", "GOMEMLIMIT unset: the default applies")
		}
	}
	switch cmd {
	case "migrate":
		db, err := openDB(ctx, cfg, log)
		if err != nil {
			return err
		}
		defer db.Close()
		fmt.Fprintln(stdout, "migrations applied")
		return nil
	case "create-staff":
		return createStaff(ctx, cfg, log, stdin, stdout)
	case "seed":
		return seed(ctx, cfg, log, stdout)
	}
	return serve(ctx, cfg, log, stdout)
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}

// openDB connects and migrates.
func openDB(ctx context.Context, cfg *config, log *slog.Logger) (*gormstore.DB, error) {
	opts := gormstore.Options{URL: cfg.databaseURL, DataDir: cfg.dataDir, Logger: log, MaxOpenConns: cfg.databaseMaxConns}
	db, err := gormstore.Open(ctx, opts)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(); err != nil {
		_ = db.Close()
		return nil, err
	}
	return db, nil
}

// DefaultMemoryLimit is the Go runtime's soft memory limit when
// GOMEMLIMIT is not set: the garbage collector works harder as the
// server's heap, stacks and runtime memory approach it, and the runtime
// returns freed memory to the system sooner. 64 MiB keeps the process
// under ~90 MiB resident with 32 staff pages at once on 2 CPUs (the binary
// and the embedded app are ~20 MiB of it; heavy operations are admitted a
// few at a time, httpapi/heavy.go), while a quiet server needs ~25 MiB, so
// the limit is not reached in normal use. It is soft: a server that needs
// more gets more (with more collections), it is not killed. Set
// GOMEMLIMIT (e.g. 256MiB, or off) to choose another.
const DefaultMemoryLimit = 64 << 20

// applyMemoryLimit sets DefaultMemoryLimit unless GOMEMLIMIT is set (the
// runtime has read that itself), and returns the limit it set or 0.
func applyMemoryLimit(getenv func(string) string) int64 {
	if getenv("GOMEMLIMIT") != "" {
		return 0
	}
	debug.SetMemoryLimit(DefaultMemoryLimit)
	return DefaultMemoryLimit
}

func serve(ctx context.Context, cfg *config, log *slog.Logger, stdout io.Writer) error {
	db, err := openDB(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	hasher := auth.NewHasher(cfg.cheapHashing)

	// Listening comes first: whether the demo may be created and which Host
	// headers are ours depend on the address actually bound (port 0 in
	// tests). Nothing is served before srv.Serve below.
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.addr, err)
	}
	defer ln.Close()
	demo := ""
	if cfg.demo.wanted(db.Dialect(), developersMachine(ln.Addr(), cfg.publicURL)) {
		if demo, err = createDemo(ctx, db, hasher); err != nil {
			return err
		}
		if demo == "" {
			demo = demoNotice(ctx, db)
		}
	}
	if err := warnDemoStaff(ctx, db, log, ln.Addr(), cfg.publicURL); err != nil {
		return err
	}

	sender, err := mail.NewSender(cfg.smtpURL, log)
	if err != nil {
		return err
	}
	metrics := httpapi.NewMetrics()

	// The bus outlives ctx until the requests in flight at shutdown have
	// finished, so that their changes still reach the other replicas.
	busCtx, stopBus := context.WithCancel(context.WithoutCancel(ctx))
	defer stopBus()
	bus := gatebus.NewLocal()
	if db.Dialect() == "postgres" {
		bus = gatebus.NewPostgres(busCtx, cfg.databaseURL, log)
	}
	a, err := app.New(app.Settings{
		PublicURL: cfg.publicURL, MailFrom: cfg.mailFrom,
		SupportURL: cfg.supportURL, ReferenceGuideURL: cfg.referenceURL,
		AllowedOrigins: splitList(cfg.corsOrigins),
		// A name in ADDR (localhost, a host name) is ours too; an IP is
		// covered by the bound address.
		AllowedHosts:        append(splitList(cfg.allowedHosts), listenHost(cfg.addr)),
		ListenAddr:          ln.Addr(),
		Introspection:       cfg.introspection,
		GeneralExecutorOnly: cfg.generalExecutorOnly,
		MetricsElsewhere:    cfg.metricsAddr != "",
		TokenLimit:          ratelimit.New(600, time.Minute),
		OutboxInterval:      cfg.outboxInterval,
		Review:              cfg.review,
		ReviewCheck:         cfg.reviewCheck,
		Webhooks:            service.WebhookSettings{AllowPrivate: cfg.webhookAllowPrivate, MaxFailures: cfg.webhookMaxFailures},
	}, app.Parts{DB: db, Log: log, Clock: time.Now, Hasher: hasher, Bus: bus, BusCtx: busCtx,
		Sender: sender, Metrics: metrics, Limits: graph.DefaultLimits()})
	if err != nil {
		return err
	}
	worker := a.Worker
	handler := a.Handler
	var metricsLn net.Listener
	var metricsSrv *http.Server
	if cfg.metricsAddr != "" {
		if metricsLn, err = net.Listen("tcp", cfg.metricsAddr); err != nil {
			return fmt.Errorf("listen on %s (METRICS_ADDR): %w", cfg.metricsAddr, err)
		}
		defer metricsLn.Close()
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", httpapi.MetricsHandler(metrics))
		metricsSrv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
			WriteTimeout: 30 * time.Second, IdleTimeout: 120 * time.Second}
	}

	// Requests must not inherit ctx: its end (SIGTERM) would cancel the
	// database calls of the requests in flight, which Shutdown lets finish.
	// Connections taken over by websockets (subscriptions), which Shutdown
	// does not wait for, end with connCtx after it.
	connCtx, endConns := context.WithCancel(context.WithoutCancel(ctx))
	defer endConns()
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return connCtx },
	}
	if metricsLn != nil {
		fmt.Fprintf(stdout, "ContactGate serves metrics on http://%s/metrics\n", metricsLn.Addr().String())
	}
	fmt.Fprintf(stdout, "ContactGate is listening on http://%s (database: %s)\n", ln.Addr().String(), db.Dialect())
	if demo != "" {
		fmt.Fprint(stdout, demo)
	}
	if cfg.onListen != nil {
		cfg.onListen(ln.Addr().String())
	}

	workerCtx, stopWorker := context.WithCancel(context.WithoutCancel(ctx))
	workerDone := make(chan struct{})
	go func() {
		defer close(workerDone)
		_ = worker.Run(workerCtx)
	}()
	// The review scheduler runs on every process (the database decides who
	// sends each reminder) and stops with the outbox worker.
	schedulerDone := make(chan struct{})
	go func() {
		defer close(schedulerDone)
		a.RunScheduler(workerCtx)
	}()
	// Webhook deliveries stop with the outbox worker; one cut short is
	// tried again after its claim expires (at least once).
	hooksDone := make(chan struct{})
	go func() {
		defer close(hooksDone)
		a.Webhooks.Run(workerCtx)
	}()

	serveErr := make(chan error, 2)
	go func() { serveErr <- srv.Serve(ln) }()
	if metricsSrv != nil {
		go func() {
			if err := metricsSrv.Serve(metricsLn); !errors.Is(err, http.ErrServerClosed) {
				serveErr <- fmt.Errorf("metrics: %w", err)
			}
		}()
	}
	select {
	case err := <-serveErr:
		stopWorker()
		<-workerDone
		<-schedulerDone
		<-hooksDone
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	// In-flight requests finish first (their mails are committed to the
	// outbox, QUEUED until sent, by this process or the next), then the
	// subscriptions, the bus and the outbox worker stop.
	err = srv.Shutdown(shutdownCtx)
	if metricsSrv != nil {
		_ = metricsSrv.Shutdown(shutdownCtx)
	}
	endConns()
	stopBus()
	stopWorker()
	<-workerDone
	<-schedulerDone
	<-hooksDone
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// listenHost is the host name of a listen address ("" for ":8080").
func listenHost(addr string) string {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return ""
	}
	return host
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func createStaff(ctx context.Context, cfg *config, log *slog.Logger, stdin io.Reader, stdout io.Writer) error {
	var v models.Validation
	normalized, ok := models.ValidateEmail(&v, "email", cfg.staffEmail)
	if !ok {
		return errors.New("create-staff needs --email with a valid address")
	}
	password, err := readPassword(stdin, stdout)
	if err != nil {
		return err
	}
	var pv models.Validation
	models.ValidatePassword(&pv, "password", password)
	if fs := pv.Fields(); len(fs) > 0 {
		return fmt.Errorf("the password is refused: %s", fs[0].Message)
	}
	db, err := openDB(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	// The staff rules (a new password ends the user's sessions) are the
	// session service's; no server runs here, so nothing listens to events.
	sessions := service.New(service.Deps{Store: db, Hasher: auth.NewHasher(cfg.cheapHashing), Log: log}).Sessions
	u, err := sessions.UpsertStaff(ctx, normalized, password)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "staff user %s is ready\n", u.Email)
	return nil
}

// readPassword prompts without echo on a terminal, and reads one line from
// a pipe otherwise.
func readPassword(stdin io.Reader, stdout io.Writer) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stdout, "Password: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stdout)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		return string(b), nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return "", errors.New("pipe the password on standard input")
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// flagSet tells whether a flag was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
