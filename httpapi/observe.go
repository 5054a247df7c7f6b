package httpapi

import (
	"context"
	"database/sql"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/contactgate/contactgate/auth"
	"github.com/contactgate/contactgate/graph"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics are the server's Prometheus collectors.
type Metrics struct {
	Registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	// GraphQLErrors counts errors answered, by extensions.code.
	GraphQLErrors *prometheus.CounterVec
	// DirectAnswers counts gate queries and staff pages answered without
	// gqlgen's general executor (graph/direct.go), by kind.
	DirectAnswers *prometheus.CounterVec
	// MailSent, MailRetried and MailFailed count outbox deliveries.
	MailSent, MailRetried, MailFailed prometheus.Counter
	// OutboxPasses counts the outbox worker's passes (its heartbeat).
	OutboxPasses prometheus.Counter
	// ReviewPasses counts the review scheduler's passes; ReviewReminders
	// the reminders this process sent (each one exactly once across all
	// processes).
	ReviewPasses, ReviewReminders prometheus.Counter
}

// NewMetrics registers the HTTP collectors and the Go runtime ones.
func NewMetrics() *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		Registry: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "contactgate_http_requests_total", Help: "HTTP requests by route, GraphQL operation and status.",
		}, []string{"route", "operation", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "contactgate_http_request_duration_seconds", Help: "HTTP request latency by route and GraphQL operation.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route", "operation"}),
	}
	m.GraphQLErrors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "contactgate_graphql_errors_total", Help: "GraphQL errors answered, by code.",
	}, []string{"code"})
	m.DirectAnswers = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "contactgate_direct_answers_total", Help: "Gate queries (accessGate) and staff pages (accounts) answered without the general GraphQL executor.",
	}, []string{"kind"})
	m.MailSent = prometheus.NewCounter(prometheus.CounterOpts{Name: "contactgate_outbox_sent_total", Help: "Mails accepted by the SMTP server."})
	m.MailRetried = prometheus.NewCounter(prometheus.CounterOpts{Name: "contactgate_outbox_retries_total", Help: "Failed mail attempts that will be retried."})
	m.MailFailed = prometheus.NewCounter(prometheus.CounterOpts{Name: "contactgate_outbox_failed_total", Help: "Mails given up after the last attempt."})
	m.OutboxPasses = prometheus.NewCounter(prometheus.CounterOpts{Name: "contactgate_outbox_passes_total", Help: "Passes of the outbox worker over the outbox."})
	m.ReviewPasses = prometheus.NewCounter(prometheus.CounterOpts{Name: "contactgate_review_scheduler_passes_total", Help: "Passes of the review scheduler."})
	m.ReviewReminders = prometheus.NewCounter(prometheus.CounterOpts{Name: "contactgate_review_reminders_sent_total", Help: "Review reminders this process sent."})
	reg.MustRegister(m.requests, m.duration, m.GraphQLErrors, m.DirectAnswers, m.MailSent, m.MailRetried, m.MailFailed, m.OutboxPasses,
		m.ReviewPasses, m.ReviewReminders,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// WatchDatabase adds the connection pool statistics and a gauge of the
// outbox queue depth (read at scrape time).
func (m *Metrics) WatchDatabase(db *sql.DB, queueDepth func(context.Context) (int64, error)) {
	m.Registry.MustRegister(collectors.NewDBStatsCollector(db, "contactgate"))
	m.Registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "contactgate_outbox_queued", Help: "Mails waiting in the outbox.",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		n, err := queueDepth(ctx)
		if err != nil {
			return -1
		}
		return float64(n)
	}))
}

type opNameKey struct{}

// setOperationName lets the GraphQL layer tell the log line which
// operation a request ran.
func setOperationName(ctx context.Context, name string) {
	if p, ok := ctx.Value(opNameKey{}).(*string); ok && name != "" {
		*p = name
	}
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// observe gives every request an id (echoed as X-Request-Id), logs one
// line per request with its GraphQL operation and duration, and counts it.
func observe(log *slog.Logger, m *Metrics, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := newRequestID()
		op := ""
		ctx := graph.WithRequestID(r.Context(), id)
		ctx = context.WithValue(ctx, opNameKey{}, &op)
		ctx = auth.WithClient(ctx, auth.Client{IP: clientIP(r), UserAgent: r.UserAgent()})
		w.Header().Set("X-Request-Id", id)
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r.WithContext(ctx))
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		took := time.Since(start)
		route := "app"
		switch r.URL.Path {
		case "/graphql", "/healthz", "/readyz", "/metrics", "/api/export/contacts.csv":
			route = r.URL.Path
		}
		if m != nil {
			m.requests.WithLabelValues(route, op, strconv.Itoa(rec.status)).Inc()
			m.duration.WithLabelValues(route, op).Observe(took.Seconds())
		}
		// Checked first so that a server logging above info spends nothing
		// on the attributes of a record it would drop.
		if route == "/healthz" || route == "/readyz" || route == "/metrics" || !log.Enabled(ctx, slog.LevelInfo) {
			return
		}
		log.LogAttrs(ctx, slog.LevelInfo, "request", slog.String("request_id", id), slog.String("method", r.Method),
			slog.String("path", r.URL.Path), slog.String("operation", op), slog.Int("status", rec.status),
			slog.Duration("duration", took))
	})
}

// securityHeaders sets the headers every response carries.
func securityHeaders(https bool, next http.Handler) http.Handler {
	const csp = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
		"font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
	// The values are shared by every response (a Header.Set would
	// allocate a slice per header and request); nothing appends to them,
	// and an append would copy (their capacity is their length).
	var (
		cspV      = []string{csp}
		nosniff   = []string{"nosniff"}
		referrer  = []string{"strict-origin-when-cross-origin"}
		deny      = []string{"DENY"}
		hstsValue = []string{"max-age=63072000; includeSubDomains"}
	)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Content-Security-Policy"] = cspV
		h["X-Content-Type-Options"] = nosniff
		h["Referrer-Policy"] = referrer
		h["X-Frame-Options"] = deny
		if https {
			h["Strict-Transport-Security"] = hstsValue
		}
		next.ServeHTTP(w, r)
	})
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
