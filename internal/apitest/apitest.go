// Package apitest runs the real HTTP API (handler, middleware, resolvers,
// GORM store) on a fresh database per test, with clients that sign in like
// browsers or tooling, and a fixture of accounts and roles.
package apitest

import (
	"bytes"
	"cmp"
	"context"
	"crypto/x509"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/contactgate/contactgate/auth"
	"github.com/contactgate/contactgate/gatebus"
	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/graph"
	"github.com/contactgate/contactgate/internal/app"
	"github.com/contactgate/contactgate/internal/storetest"
	"github.com/contactgate/contactgate/internal/testdb"
	"github.com/contactgate/contactgate/mail"
	"github.com/contactgate/contactgate/models"
	"github.com/contactgate/contactgate/ratelimit"
	"github.com/contactgate/contactgate/service"
	"github.com/contactgate/contactgate/webhook"
)

// Clock is a settable clock shared by the server and the test.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock starts a test clock at the harness's fixed moment.
func NewClock() *Clock { return &Clock{now: time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

// Set moves the clock.
func (c *Clock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.now = t }

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.now = c.now.Add(d) }

// Server is a running API on its own database.
type Server struct {
	T   testing.TB
	URL string
	DB  *gormstore.DB
	// Services are the server's services, for setting up a test's data
	// through the same rules as the API.
	Services *service.Services
	// Webhooks is the webhook deliverer; tests run its passes themselves
	// (ProcessOnce), as the mail worker's.
	Webhooks *webhook.Deliverer
	Clock    *Clock
	Hasher   *auth.Hasher
	Log      *bytes.Buffer
	// Bus is the server's live channel.
	Bus *gatebus.Bus
	// Resolver is the server's resolver (GeneralExecutorOnly switches
	// direct answers off).
	Resolver *graph.Resolver
	// direct counts operations and pages answered directly, by kind.
	direct *directCounts
	// Statements counts SQL statements since the last ResetStatements.
	counter *gormstore.StatementCounter
	http    *httptest.Server
	handler http.Handler
}

// Options tune a test server.
type Options struct {
	// Driver is testdb.DriverSQLite or testdb.DriverPostgres; DSN the database.
	Driver, DSN string
	// PublicURL is used in mail links.
	PublicURL string
	// SignInFailureFloor is the least time a failed sign-in takes; zero
	// means none (tests sign in wrongly often).
	SignInFailureFloor time.Duration
	// SubscriptionRecheck is how often live subscriptions re-check their
	// caller without an event; 0 means the server's default.
	SubscriptionRecheck time.Duration
	// TokenLimit bounds requests per API token; nil means no limit.
	TokenLimit *ratelimit.Limiter
	// Review is REVIEW_INTERVAL and REVIEW_GRACE; zero means the defaults.
	Review models.ReviewPolicy
	// Clock, when set, is shared with another server of the same test
	// (two processes on one database).
	Clock *Clock
	// InfoLog logs at info level, as in production, instead of debug (for
	// benchmarks: debug formats every SQL statement).
	InfoLog bool
	// SMTPURL, when set, makes the server deliver its outbox through this
	// SMTP server with its own worker running (as the real server does),
	// polling every 50 ms, until the test ends.
	SMTPURL string
	// Webhooks are the webhook rules (private receivers, failures before
	// disabling, a host-name table standing in for DNS); WebhookTimeout
	// bounds an attempt; WebhookRootCAs are the roots receivers' TLS
	// certificates are checked against.
	Webhooks       service.WebhookSettings
	WebhookTimeout time.Duration
	WebhookRootCAs *x509.CertPool
}

// New starts a server on a fresh SQLite database.
func New(t testing.TB) *Server {
	return NewWith(t, Options{Driver: testdb.DriverSQLite, DSN: testdb.SQLitePath(t)})
}

// NewWith starts a server on the database the options name.
func NewWith(t testing.TB, o Options) *Server {
	t.Helper()
	clock := o.Clock
	if clock == nil {
		clock = NewClock()
	}
	logBuf := &bytes.Buffer{}
	level := slog.LevelDebug
	if o.InfoLog {
		level = slog.LevelInfo
	}
	log := slog.New(slog.NewJSONHandler(&lockedWriter{w: logBuf}, &slog.HandlerOptions{Level: level}))
	dbURL := o.DSN
	if o.Driver == testdb.DriverSQLite {
		dbURL = "sqlite:" + o.DSN
	}
	counter := &gormstore.StatementCounter{}
	bus := gatebus.NewLocal()
	db, err := gormstore.Open(context.Background(), gormstore.Options{URL: dbURL, Logger: log, Clock: clock.Now,
		StatementCounter: counter})
	if err != nil {
		t.Fatalf("open database: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	storetest.CheckContactsDocs(t, db)
	if err := db.Migrate(); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	hasher := auth.NewHasher(true)
	// The listener comes first: the handler answers only to its address's
	// Host (and PUBLIC_URL's), as the real server does.
	srv := httptest.NewUnstartedServer(nil)
	publicURL := o.PublicURL
	if publicURL == "" {
		publicURL = "http://portal.test"
	}
	var sender mail.Sender = &mail.LogSender{Logger: log}
	if o.SMTPURL != "" {
		smtp, err := mail.NewSMTPSender(o.SMTPURL)
		if err != nil {
			t.Fatal(err)
		}
		sender = smtp
	}
	a, err := app.New(app.Settings{PublicURL: publicURL, SupportURL: "https://support.example.com",
		ReferenceGuideURL: "https://guide.example.com", AllowedOrigins: []string{"https://tools.partner.example"},
		ListenAddr: srv.Listener.Addr(), TokenLimit: o.TokenLimit,
		SubscriptionRecheck: o.SubscriptionRecheck, Review: o.Review, OutboxInterval: 50 * time.Millisecond,
		SignInFailureFloor: cmp.Or(o.SignInFailureFloor, -1),
		Webhooks:           o.Webhooks, WebhookTimeout: o.WebhookTimeout, WebhookRootCAs: o.WebhookRootCAs},
		app.Parts{DB: db, Log: log, Clock: clock.Now, Hasher: hasher, Bus: bus, Sender: sender, Limits: graph.DefaultLimits()})
	if err != nil {
		srv.Close()
		t.Fatal(err)
	}
	if o.SMTPURL != "" {
		// The worker runs on real time, as Enqueue stamps mail with it (the
		// server's settable clock is for the rules).
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); _ = a.Worker.Run(ctx) }()
		t.Cleanup(func() { cancel(); <-done })
	}
	direct := &directCounts{n: map[string]int{}}
	prev := a.Resolver.OnDirect
	a.Resolver.OnDirect = func(what string) {
		direct.add(what)
		if prev != nil {
			prev(what)
		}
	}
	h := a.Handler
	srv.Config.Handler = h
	srv.Start()
	t.Cleanup(srv.Close)
	return &Server{T: t, URL: srv.URL, DB: db, Services: a.Services, Webhooks: a.Webhooks, Clock: clock, Hasher: hasher, Log: logBuf, Bus: bus, counter: counter, http: srv, handler: h,
		Resolver: a.Resolver, direct: direct}
}

// Handler is the server's HTTP handler, for benchmarks that call it in
// process (no client, no network) with requests from Client.Request.
func (s *Server) Handler() http.Handler { return s.handler }

// DirectAnswers is how many operations or pages of a kind ("accessGate",
// "accounts") were answered directly (graph/direct.go) since the start.
func (s *Server) DirectAnswers(what string) int { return s.direct.get(what) }

type directCounts struct {
	mu sync.Mutex
	n  map[string]int
}

func (d *directCounts) add(what string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.n[what]++
}

func (d *directCounts) get(what string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.n[what]
}

// Close stops the HTTP server and waits until every request it received
// has been handled, so that a test may read Log without a race.
func (s *Server) Close() { s.http.Close() }

// ResetStatements zeroes the SQL statement counter.
func (s *Server) ResetStatements() { s.counter.Reset() }

// Statements returns the SQL statements run since the last reset.
func (s *Server) Statements() int64 { return s.counter.Count() }

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// Client calls the API like one browser (cookie jar) or one tool (token).
type Client struct {
	s     *Server
	http  *http.Client
	Token string
	// Header is added to every request.
	Header http.Header
}

// Anonymous returns a signed-out client.
func (s *Server) Anonymous() *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{s: s, http: &http.Client{Jar: jar}, Header: http.Header{}}
}

// WithToken returns a client that authenticates with an API token.
func (s *Server) WithToken(token string) *Client {
	c := s.Anonymous()
	c.Token = token
	return c
}

// CookieHeader returns the Cookie header this client would send to the
// server (for websocket dials).
func (c *Client) CookieHeader() http.Header {
	h := http.Header{}
	u, _ := url.Parse(c.s.URL)
	for _, ck := range c.http.Jar.Cookies(u) {
		h.Add("Cookie", ck.Name+"="+ck.Value)
	}
	return h
}

// Response is a decoded GraphQL answer.
type Response struct {
	Status int
	Data   json.RawMessage `json:"data"`
	Errors []Error         `json:"errors"`
	Raw    string
	Header http.Header
}

// Error is one GraphQL error.
type Error struct {
	Message    string `json:"message"`
	Path       []any  `json:"path"`
	Extensions struct {
		Code      string              `json:"code"`
		Fields    []models.FieldError `json:"fields"`
		Missing   []string            `json:"missing"`
		RequestID string              `json:"requestId"`
		Reason    string              `json:"reason"`
	} `json:"extensions"`
}

// Code returns the first error's code, or "" when there is none.
func (r *Response) Code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	return r.Errors[0].Extensions.Code
}

// Do sends a query with variables.
func (c *Client) Do(query string, vars map[string]any) *Response {
	c.s.T.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		c.s.T.Fatalf("encode request: %v", err)
	}
	return c.Post("application/json", body)
}

// Request builds the POST /graphql request this client would send with
// body, cookies included, for Server.Handler.
func (c *Client) Request(contentType string, body []byte) *http.Request {
	c.s.T.Helper()
	req, err := http.NewRequest(http.MethodPost, c.s.URL+"/graphql", bytes.NewReader(body))
	if err != nil {
		c.s.T.Fatalf("build request: %v", err)
	}
	req.Header.Set("Content-Type", contentType)
	for k, v := range c.Header {
		req.Header[k] = v
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	for _, ck := range c.http.Jar.Cookies(req.URL) {
		req.AddCookie(ck)
	}
	return req
}

// Post sends a raw body to /graphql.
func (c *Client) Post(contentType string, body []byte) *Response {
	c.s.T.Helper()
	req, err := http.NewRequest(http.MethodPost, c.s.URL+"/graphql", bytes.NewReader(body))
	if err != nil {
		c.s.T.Fatalf("build request: %v", err)
	}
	req.Header.Set("Content-Type", contentType)
	for k, v := range c.Header {
		req.Header[k] = v
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.s.T.Fatalf("POST /graphql: %v", err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := &Response{Status: res.StatusCode, Raw: string(raw), Header: res.Header}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, out); err != nil {
			c.s.T.Fatalf("decode response %q: %v", raw, err)
		}
	}
	return out
}

// MustData fails the test on any error and decodes data into out.
func (c *Client) MustData(query string, vars map[string]any, out any) {
	c.s.T.Helper()
	r := c.Do(query, vars)
	if len(r.Errors) > 0 {
		c.s.T.Fatalf("unexpected errors: %s", r.Raw)
	}
	if out != nil {
		if err := json.Unmarshal(r.Data, out); err != nil {
			c.s.T.Fatalf("decode data %s: %v", r.Data, err)
		}
	}
}

// SignIn signs the client in with a password.
func (c *Client) SignIn(email, password string) *Client {
	c.s.T.Helper()
	c.MustData(`mutation($e:String!,$p:String!){signIn(email:$e,password:$p){user{id}}}`,
		map[string]any{"e": email, "p": password}, nil)
	return c
}

// Get sends a GET to a path of the server with the client's cookies,
// headers and token, and returns the status and body.
func (c *Client) Get(path string) (int, string) {
	c.s.T.Helper()
	req, err := http.NewRequest(http.MethodGet, c.s.URL+path, nil)
	if err != nil {
		c.s.T.Fatalf("build request: %v", err)
	}
	for k, v := range c.Header {
		req.Header[k] = v
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.s.T.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(raw)
}
