// Package httpapi is ContactGate's HTTP surface: the GraphQL endpoint with
// its middleware (request ids, logging, authentication, limits, security
// headers), the embedded single-page app, and the health endpoints.
package httpapi

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	coderws "github.com/coder/websocket"
	"github.com/contactgate/contactgate/auth"
	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/graph"
	"github.com/contactgate/contactgate/models"
	"github.com/contactgate/contactgate/ratelimit"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/rs/cors"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// MaxBodyBytes bounds a GraphQL request body.
const MaxBodyBytes = 1 << 20

// SessionCookie is the name of the session cookie.
const SessionCookie = "cg_session"

// Config is what the HTTP layer needs from the composition root.
type Config struct {
	DB       *gormstore.DB
	Resolver *graph.Resolver
	Log      *slog.Logger
	// App is the built single-page app (frontend.Dist()).
	App fs.FS
	// SecureCookies marks cookies Secure (PUBLIC_URL is https).
	SecureCookies bool
	// AllowedOrigins are the CORS origins allowed to call with credentials.
	AllowedOrigins []string
	// PublicURL is the portal's own origin, trusted for cross-origin checks.
	PublicURL string
	// TokenLimit bounds requests per API token; nil means no limit.
	TokenLimit *ratelimit.Limiter
	// Introspection enables schema introspection.
	Introspection bool
	Metrics       *Metrics
	// MetricsElsewhere is true when /metrics has its own listener
	// (METRICS_ADDR): the main one then answers 404 there.
	MetricsElsewhere bool
	// ListenAddr is the address the server is bound to; with PublicURL's
	// host and AllowedHosts it decides which Host headers are served (see
	// hostCheck). Nil allows only PublicURL's host and AllowedHosts.
	ListenAddr net.Addr
	// AllowedHosts are further host names (ALLOWED_HOSTS) the server
	// answers to, e.g. the name a load balancer uses.
	AllowedHosts []string
	// PersistedDocuments are the app's operations by sha256 of their text
	// (frontend.PersistedDocuments): known to the automatic-persisted-query
	// cache from the start, so the app sends only their hash.
	PersistedDocuments map[string]string
}

// New returns the server's root handler.
func New(cfg Config) (http.Handler, error) {
	gcfg := graph.NewConfig(cfg.Resolver)
	es := graph.NewExecutableSchema(gcfg)
	gate, err := graph.NewDirectGate(gcfg)
	if err != nil {
		return nil, err
	}
	gql := handler.New(es)
	gql.AddTransport(postTransport{})
	// Subscriptions only: see socket.go.
	gql.AddTransport(socketTransport(cfg, transport.Websocket{
		KeepAlivePingInterval: 15 * time.Second,
		InitTimeout:           10 * time.Second,
		Implementation: transport.CoderWebsocketImplementation{AcceptOptions: coderws.AcceptOptions{
			// Same origin is always allowed; other origins only from the allow-list.
			OriginPatterns: originHosts(append([]string{cfg.PublicURL}, cfg.AllowedOrigins...)),
		}},
	}))
	gql.SetQueryCache(newParsedQueries(cfg.PersistedDocuments, 1000))
	apq, err := newPersistedQueries(cfg.PersistedDocuments, 100)
	if err != nil {
		return nil, err
	}
	gql.Use(persistedQuery{cache: apq})
	gql.Use(tokenLimit{max: MaxParserTokens})
	rule := transportRule{cfg: cfg, live: &liveByPrincipal{n: map[string]int{}}}
	gql.Use(rule)
	if cfg.Introspection {
		gql.Use(extension.Introspection{})
	} else {
		// Without introspection nothing may hint at the schema: no "Did
		// you mean …" of any kind (see withoutSuggestions), and every path
		// to __schema or __type refused up front (noIntrospection).
		gql.SetDisableSuggestion(true)
		gql.SetValidationRulesFn(withoutSuggestions)
		gql.Use(noIntrospection{})
	}
	gql.SetParserTokenLimit(MaxParserTokens)
	gql.Use(extension.FixedComplexityLimit(MaxComplexity))
	gql.Use(depthLimit{max: MaxDepth})
	gql.Use(singleUse{fields: onceFields})
	gql.Use(sessionAuth{cfg: cfg})
	presenter := graph.ErrorPresenter(cfg.Log)
	gql.SetErrorPresenter(func(ctx context.Context, err error) *gqlerror.Error {
		if !cfg.Introspection {
			err = stripSuggestion(err)
		}
		e := presenter(ctx, err)
		if cfg.Metrics != nil {
			code, _ := e.Extensions["code"].(string)
			cfg.Metrics.GraphQLErrors.WithLabelValues(code).Inc()
		}
		return e
	})
	gql.SetRecoverFunc(graph.Recover(cfg.Log))
	heavy := newHeavyGate()
	gql.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		if socketFrom(ctx) != nil {
			return aroundSocketOperation(rule, ctx, next)
		}
		oc := graphql.GetOperationContext(ctx)
		if oc != nil {
			setOperationName(ctx, oc.OperationName)
		}
		return heavy.around(ctx, next)
	})

	mux := http.NewServeMux()
	// One request context for the GraphQL endpoint: its deadline, the
	// caller and the request's loaders are set by authenticate at once.
	var api http.Handler = newDirectGate(cfg, gate, es.Schema(), apq, gql)
	api = authenticate(cfg, api, authOptions{deferSession: true, deadline: RequestDeadline, loaders: true})
	api = requireJSON(api)
	api, err = crossOriginProtection(append([]string{cfg.PublicURL}, cfg.AllowedOrigins...), api)
	if err != nil {
		return nil, err
	}
	mux.Handle("POST /graphql", api)
	mux.Handle("GET /api/export/contacts.csv", authenticate(cfg, exportContacts(cfg), authOptions{}))
	mux.Handle("GET "+SchemaPath, authenticate(cfg, serveSchema(schemaSDL(es)), authOptions{}))
	// Subscriptions: a websocket upgrade authenticated by the session cookie
	// of the upgrade request, origin-checked by the websocket library.
	ws := markSocket(authenticate(cfg, gql, authOptions{loaders: true}))
	mux.HandleFunc("/graphql", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
			ws.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Allow", "POST")
		http.Error(w, "use POST with a JSON body", http.StatusMethodNotAllowed)
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := cfg.DB.Ping(ctx); err != nil {
			cfg.Log.WarnContext(ctx, "readiness check failed", "error", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("database unavailable\n"))
			return
		}
		_, _ = w.Write([]byte("ready\n"))
	})
	switch {
	case cfg.MetricsElsewhere:
		mux.Handle("/metrics", http.NotFoundHandler())
	case cfg.Metrics != nil:
		mux.Handle("GET /metrics", loopbackOnly(MetricsHandler(cfg.Metrics)))
	}
	mux.Handle("/", spa(cfg.App))

	var h http.Handler = mux
	// rs/cors treats an empty list as "every origin"; an empty allow-list
	// must mean no cross-origin access at all, so no CORS handler then.
	if len(cfg.AllowedOrigins) > 0 {
		h = cors.New(cors.Options{
			AllowedOrigins:   cfg.AllowedOrigins,
			AllowedMethods:   []string{http.MethodPost},
			AllowedHeaders:   []string{"Content-Type", "Authorization"},
			AllowCredentials: true,
			MaxAge:           600,
		}).Handler(h)
	}
	h = hostCheck(newHostPolicy(cfg), h)
	h = securityHeaders(cfg.SecureCookies, h)
	h = observe(cfg.Log, cfg.Metrics, h)
	return h, nil
}

// MetricsHandler serves m in the Prometheus text format, on the main
// listener or on METRICS_ADDR.
func MetricsHandler(m *Metrics) http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{})
}

// RequestDeadline bounds the work of one GraphQL request; database calls
// made with the request context are cancelled when it passes.
const RequestDeadline = 15 * time.Second

// requireJSON refuses GraphQL bodies that are not one JSON object (no
// form or text/plain posts, which browsers send cross-site without a
// preflight, and no batches), and bounds their size before reading them.
func requireJSON(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ct := r.Header.Get("Content-Type")
		if mt, _, _ := strings.Cut(ct, ";"); strings.TrimSpace(strings.ToLower(mt)) != "application/json" {
			writeGraphQLError(w, http.StatusUnsupportedMediaType, models.EValidation, "send the request as application/json")
			return
		}
		if r.ContentLength > MaxBodyBytes {
			writeGraphQLError(w, http.StatusRequestEntityTooLarge, models.EValidation, "the request body is larger than 1 MiB")
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				writeGraphQLError(w, http.StatusRequestEntityTooLarge, models.EValidation, "the request body is larger than 1 MiB")
				return
			}
			writeGraphQLError(w, http.StatusBadRequest, models.EValidation, "the request body could not be read")
			return
		}
		trimmed := bytes.TrimSpace(body)
		switch {
		case !json.Valid(trimmed):
			writeGraphQLError(w, http.StatusBadRequest, models.EValidation, "the request body is not valid JSON")
			return
		case len(trimmed) == 0 || trimmed[0] != '{':
			writeGraphQLError(w, http.StatusBadRequest, models.EValidation, "send one operation as a JSON object; batches are not supported")
			return
		}
		jb := &jsonBody{raw: trimmed}
		jb.Reset(body)
		r.Body = jb
		r.ContentLength = int64(len(body))
		next.ServeHTTP(w, r)
	})
}

// jsonBody is a request body requireJSON has read and checked: the direct
// gate path reads raw without consuming the reader the executor reads.
type jsonBody struct {
	bytes.Reader
	raw []byte
}

func (*jsonBody) Close() error { return nil }

// authOptions say what authenticate sets up besides the caller.
type authOptions struct {
	// deferSession (POST /graphql): a session cookie is not looked up
	// here but once the operation is known (sessionAuth, directGate), so
	// that the lookup can read the membership and gate of the account the
	// operation names in the same statement.
	deferSession bool
	// deadline bounds the request's work; database calls made with its
	// context are cancelled when it passes.
	deadline time.Duration
	// loaders gives the request fresh loaders and Authorizer memo
	// (graph.WithFreshLoaders).
	loaders bool
}

// authenticate puts the caller (session cookie or bearer token) into the
// request context, and a cookie writer for signIn/signOut; with o, the
// request's deadline and loaders too, in the same new request.
func authenticate(cfg Config, next http.Handler, o authOptions) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if o.deadline > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, o.deadline)
			defer cancel()
		}
		ctx = auth.WithSessionCookies(ctx, &cookieWriter{w: w, secure: cfg.SecureCookies})
		var principal *auth.Principal
		if h := r.Header.Get("Authorization"); h != "" {
			scheme, secret, _ := strings.Cut(h, " ")
			if !strings.EqualFold(scheme, "Bearer") || secret == "" {
				writeGraphQLError(w, http.StatusUnauthorized, models.EUnauthenticated, "use Authorization: Bearer <token>")
				return
			}
			tok, err := cfg.Resolver.Services.Tokens.BySecret(ctx, strings.TrimSpace(secret))
			if err != nil {
				if models.ErrorCodeOf(err) != models.ENotFound {
					logFailure(ctx, cfg.Log, "token lookup failed", err)
					writeInternalError(w, graph.RequestID(ctx))
					return
				}
				writeGraphQLError(w, http.StatusUnauthorized, models.EUnauthenticated, "this API token is not valid or was revoked")
				return
			}
			if cfg.TokenLimit != nil {
				if ok, wait := cfg.TokenLimit.Allow(tok.ID); !ok {
					w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
					writeGraphQLError(w, http.StatusTooManyRequests, models.ERateLimited, "too many requests for this API token")
					return
				}
			}
			principal = &auth.Principal{User: &models.User{ID: "token:" + tok.ID}, Token: tok}
		} else if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" && o.deferSession {
			// One allocation for the writer and the pending session.
			pw := &pendingStatus{ResponseWriter: w, session: pendingSession{secret: c.Value}}
			pw.ps = &pw.session
			ps := pw.ps
			ctx = context.WithValue(ctx, pendingSessionKey{}, ps)
			w = pw
		} else if err == nil && c.Value != "" {
			user, sessionID, err := cfg.Resolver.Services.Sessions.Authenticate(ctx, c.Value)
			switch {
			case err == nil:
				principal = &auth.Principal{User: user, SessionID: sessionID}
			case models.ErrorCodeOf(err) == models.ENotFound:
				// A stale cookie is as good as none; drop it.
				(&cookieWriter{w: w, secure: cfg.SecureCookies}).ClearSession()
			default:
				logFailure(ctx, cfg.Log, "session lookup failed", err)
				writeInternalError(w, graph.RequestID(ctx))
				return
			}
		}
		ctx = auth.WithPrincipal(ctx, principal)
		if o.loaders {
			ctx = graph.WithFreshLoaders(ctx, cfg.DB)
			// The response is written when ServeHTTP returns: its
			// buffers can serve another request.
			defer graph.ReleaseBuffers(ctx)
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// logFailure logs a failure to serve a request: an error, unless the
// client went away (closed tab, navigation, stopped load generator) and
// took the request's context with it, which is no fault of the server's.
func logFailure(ctx context.Context, log *slog.Logger, msg string, err error) {
	level := slog.LevelError
	if errors.Is(ctx.Err(), context.Canceled) {
		level, msg = slog.LevelDebug, msg+" (client went away)"
	}
	log.LogAttrs(ctx, level, msg, slog.String("request_id", graph.RequestID(ctx)), slog.Any("error", err))
}

type cookieWriter struct {
	w      http.ResponseWriter
	secure bool
}

func (c *cookieWriter) SetSession(secret string) {
	http.SetCookie(c.w, &http.Cookie{Name: SessionCookie, Value: secret, Path: "/", HttpOnly: true,
		Secure: c.secure, SameSite: http.SameSiteLaxMode, MaxAge: int(models.SessionMaxAge.Seconds())})
}

func (c *cookieWriter) ClearSession() {
	http.SetCookie(c.w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true,
		Secure: c.secure, SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

func writeGraphQLError(w http.ResponseWriter, status int, code models.ErrorCode, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(`{"errors":[{"message":` + jsonString(msg) + `,"extensions":{"code":"` + string(code) + `"}}],"data":null}`))
}

// writeInternalError answers a failure before GraphQL ran (the database
// is down during authentication) like the error presenter would.
func writeInternalError(w http.ResponseWriter, requestID string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusServiceUnavailable)
	_, _ = w.Write([]byte(`{"errors":[{"message":` + jsonString("internal error (request "+requestID+")") +
		`,"extensions":{"code":"` + string(models.EInternal) + `","requestId":` + jsonString(requestID) + `}}],"data":null}`))
}

// spa serves the built app: files by path with long caching for hashed
// assets, index.html (never cached) for client-side routes, and a real 404
// for missing files.
func spa(app fs.FS) http.Handler {
	files := http.FileServerFS(app)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		p := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if p == "" || p == "index.html" {
			serveIndex(w, r, app)
			return
		}
		if _, err := fs.Stat(app, p); err != nil {
			if errors.Is(err, fs.ErrNotExist) && path.Ext(p) == "" {
				serveIndex(w, r, app)
				return
			}
			http.NotFound(w, r)
			return
		}
		if strings.HasPrefix(p, "assets/") {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		files.ServeHTTP(w, r)
	})
}

func serveIndex(w http.ResponseWriter, r *http.Request, app fs.FS) {
	b, err := fs.ReadFile(app, "index.html")
	if err != nil {
		http.Error(w, "the app is not built", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(b)
}

// originHosts turns origins (scheme://host[:port]) into the host patterns
// the websocket library matches.
func originHosts(origins []string) []string {
	var out []string
	for _, o := range origins {
		if u, err := url.Parse(o); err == nil && u.Host != "" {
			out = append(out, u.Host)
		}
	}
	return out
}

func newRequestID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// loopbackOnly serves h to clients on this machine only: on the main
// address /metrics would otherwise tell anyone the server's traffic,
// queues and database pool. A request relayed by a proxy (which may run
// on this machine) is not local. A scraper elsewhere reads METRICS_ADDR.
func loopbackOnly(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		ip, ipErr := netip.ParseAddr(host)
		relayed := r.Header.Get("X-Forwarded-For") != "" || r.Header.Get("Forwarded") != "" || r.Header.Get("X-Real-Ip") != ""
		if err != nil || ipErr != nil || !ip.IsLoopback() || relayed {
			http.Error(w, "metrics are served to this machine only; set METRICS_ADDR to scrape from elsewhere", http.StatusForbidden)
			return
		}
		h.ServeHTTP(w, r)
	})
}
