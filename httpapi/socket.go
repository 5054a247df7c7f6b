package httpapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/contactgate/contactgate/auth"
	"github.com/contactgate/contactgate/graph"
	"github.com/contactgate/contactgate/models"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// The websocket carries subscriptions only; queries and mutations are
// served over POST /graphql. A socket is authenticated once, when it opens,
// and lives for hours: running queries and mutations over it would need
// every one of them re-authenticated, re-authorised, rate-limited and given
// fresh loaders exactly as an HTTP request is, and every such step left out
// would be a way around a revocation (a signed-out session still reading,
// a revoked token still writing, a demoted editor still saving, reads
// answered from a memo made before a write). Refusing them removes that
// whole class of bugs; a subscription instead re-checks its caller for as
// long as it lives (graph/subscriptions.go), and its start is
// re-authenticated and rate-limited here.

type socketKey struct{}

// socketConn is what the operations of one websocket share: the time it
// opened (for log lines) and how many subscriptions it has live.
type socketConn struct {
	opened time.Time
	live   atomic.Int32
}

// Bounds on live subscriptions: each one holds a goroutine and re-checks
// its caller every few seconds, so one signed-in caller must not be able
// to open thousands. The portal needs one per open tab.
const (
	MaxSubscriptionsPerSocket    = 10
	MaxSubscriptionsPerPrincipal = 50
)

// liveByPrincipal counts the live subscriptions of each caller across
// sockets (one process; per replica).
type liveByPrincipal struct {
	mu sync.Mutex
	n  map[string]int
}

func (l *liveByPrincipal) add(key string, max int) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.n[key] >= max {
		return false
	}
	l.n[key]++
	return true
}

func (l *liveByPrincipal) done(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.n[key]--; l.n[key] <= 0 {
		delete(l.n, key)
	}
}

func socketFrom(ctx context.Context) *socketConn {
	s, _ := ctx.Value(socketKey{}).(*socketConn)
	return s
}

// markSocket tells the GraphQL layer that operations come over a websocket.
func markSocket(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), socketKey{}, &socketConn{opened: time.Now()})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// principalLabel names the caller in log lines: its kind and id, never a
// secret.
func principalLabel(p *auth.Principal) string {
	switch {
	case p == nil:
		return "anonymous"
	case p.Token != nil:
		return "token:" + p.Token.ID
	case p.Staff():
		return "staff:" + p.User.ID
	default:
		return "user:" + p.User.ID
	}
}

// socketTransport is the websocket transport with one log line per
// connection start and end, like the line of an HTTP request.
func socketTransport(cfg Config, t transport.Websocket) transport.Websocket {
	t.InitFunc = func(ctx context.Context, payload transport.InitPayload) (context.Context, *transport.InitPayload, error) {
		p := auth.FromContext(ctx)
		outcome := "accepted"
		if p == nil {
			outcome = "refused"
		}
		cfg.Log.LogAttrs(ctx, slog.LevelInfo, "websocket", slog.String("request_id", graph.RequestID(ctx)),
			slog.String("event", "connection_init"), slog.String("principal", principalLabel(p)),
			slog.String("outcome", outcome))
		if p == nil {
			// Every subscription is for members: an anonymous socket could
			// only hold a connection (and memory) open.
			ctx = transport.WithWebsocketCloseCode(ctx, 4403) // graphql-transport-ws: Forbidden
			ctx = transport.AppendCloseReason(ctx, "Forbidden: sign in first")
			return ctx, nil, errors.New("sign in first: subscriptions are for signed-in people and API tokens")
		}
		return ctx, nil, nil
	}
	t.CloseFunc = func(ctx context.Context, code int) {
		attrs := []slog.Attr{slog.String("request_id", graph.RequestID(ctx)), slog.String("event", "connection_closed"),
			slog.String("principal", principalLabel(auth.FromContext(ctx))), slog.Int("close_code", code)}
		if s := socketFrom(ctx); s != nil {
			attrs = append(attrs, slog.Duration("duration", time.Since(s.opened)))
		}
		cfg.Log.LogAttrs(ctx, slog.LevelInfo, "websocket", attrs...)
	}
	return t
}

// transportRule refuses queries and mutations over the websocket and
// subscriptions over POST, and re-authenticates and rate-limits each
// subscription start on a socket as an HTTP request is at its start.
type transportRule struct {
	cfg  Config
	live *liveByPrincipal
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = transportRule{}

func (transportRule) ExtensionName() string                   { return "TransportRule" }
func (transportRule) Validate(graphql.ExecutableSchema) error { return nil }

func (t transportRule) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	subscription := oc.Operation.Operation == ast.Subscription
	if socketFrom(ctx) == nil {
		if subscription {
			return refusal(models.EValidation, models.ReasonWebsocketOnly,
				"subscriptions are served over the websocket at /graphql (graphql-transport-ws); queries and mutations over POST /graphql")
		}
		return nil
	}
	err := t.admit(ctx, subscription)
	outcome := "started"
	attrs := []slog.Attr{slog.String("request_id", graph.RequestID(ctx)), slog.String("event", "subscribe"),
		slog.String("operation", operationName(oc)), slog.String("operation_type", string(oc.Operation.Operation)),
		slog.String("principal", principalLabel(auth.FromContext(ctx)))}
	if err != nil {
		outcome = "refused"
		code, _ := err.Extensions["code"].(string)
		attrs = append(attrs, slog.String("code", code))
	}
	t.cfg.Log.LogAttrs(ctx, slog.LevelInfo, "websocket", append(attrs, slog.String("outcome", outcome))...)
	return err
}

// admit decides whether an operation may start on a socket.
func (t transportRule) admit(ctx context.Context, subscription bool) *gqlerror.Error {
	if !subscription {
		return refusal(models.EValidation, models.ReasonSubscriptionsOnly,
			"queries and mutations are served over POST /graphql; the websocket carries subscriptions only")
	}
	// The socket's caller was authenticated when it opened; it may have
	// signed out or been revoked since.
	end, err := t.cfg.Resolver.Services.Authz.StillSignedIn(ctx)
	if err != nil {
		t.cfg.Log.ErrorContext(ctx, "re-authenticate websocket caller", "request_id", graph.RequestID(ctx), "error", err)
		id := graph.RequestID(ctx)
		return &gqlerror.Error{Message: "internal error (request " + id + ")",
			Extensions: map[string]any{"code": string(models.EInternal), "requestId": id}}
	}
	if end != nil {
		return refusal(end.Code, "", end.Message)
	}
	p := auth.FromContext(ctx)
	if p != nil && p.Token != nil && t.cfg.TokenLimit != nil {
		if ok, wait := t.cfg.TokenLimit.Allow(p.Token.ID); !ok {
			e := refusal(models.ERateLimited, "", "too many requests for this API token")
			e.Extensions["retryAfter"] = int(wait.Seconds()) + 1
			return e
		}
	}
	// Sessions' subscription starts count against the same per-caller
	// budget as a token's requests.
	if p != nil && p.SessionID != "" && t.cfg.TokenLimit != nil {
		if ok, wait := t.cfg.TokenLimit.Allow("session:" + p.SessionID); !ok {
			e := refusal(models.ERateLimited, "", "too many subscriptions started; wait a moment")
			e.Extensions["retryAfter"] = int(wait.Seconds()) + 1
			return e
		}
	}
	conn := socketFrom(ctx)
	if conn == nil {
		return nil
	}
	if conn.live.Add(1) > MaxSubscriptionsPerSocket {
		conn.live.Add(-1)
		return refusal(models.ERateLimited, "", fmt.Sprintf("at most %d live subscriptions per connection", MaxSubscriptionsPerSocket))
	}
	if t.live != nil && !t.live.add(principalLabel(p), MaxSubscriptionsPerPrincipal) {
		conn.live.Add(-1)
		return refusal(models.ERateLimited, "", fmt.Sprintf("at most %d live subscriptions per caller", MaxSubscriptionsPerPrincipal))
	}
	return nil
}

// subscriptionEnded gives back what admit took for a subscription.
func (t transportRule) subscriptionEnded(ctx context.Context) {
	if conn := socketFrom(ctx); conn != nil {
		conn.live.Add(-1)
		if t.live != nil {
			t.live.done(principalLabel(auth.FromContext(ctx)))
		}
	}
}

// operationName is the operation's name as chosen by the client, or the
// name in the document when the request did not repeat it.
func operationName(oc *graphql.OperationContext) string {
	if oc.OperationName == "" && oc.Operation != nil {
		return oc.Operation.Name
	}
	return oc.OperationName
}

func refusal(code models.ErrorCode, reason, msg string) *gqlerror.Error {
	ext := map[string]any{"code": string(code)}
	if reason != "" {
		ext["reason"] = reason
	}
	return &gqlerror.Error{Message: msg, Extensions: ext}
}

// aroundSocketOperation gives each operation on a socket fresh loaders (no
// role or data remembered from an earlier one), and logs its end and why.
func aroundSocketOperation(rule transportRule, ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	cfg := rule.cfg
	oc := graphql.GetOperationContext(ctx)
	ctx = graph.WithFreshLoaders(ctx, cfg.DB)
	ctx, reason := graph.WithEndReason(ctx)
	started := time.Now()
	responses := next(ctx)
	var once sync.Once
	sent, firstErr := 0, ""
	return func(ctx context.Context) *graphql.Response {
		resp := responses(ctx)
		if resp != nil {
			sent++
			if firstErr == "" && len(resp.Errors) > 0 {
				firstErr, _ = resp.Errors[0].Extensions["code"].(string)
			}
			return resp
		}
		once.Do(func() {
			rule.subscriptionEnded(ctx)
			why := "completed"
			code, msg := reason.Get()
			switch {
			case code != "":
				why = "access ended: " + msg
			case firstErr != "":
				why = "error"
			case ctx.Err() != nil:
				why = "stopped by the client or the connection closed"
			}
			attrs := []slog.Attr{slog.String("request_id", graph.RequestID(ctx)), slog.String("event", "end"),
				slog.String("operation", operationName(oc)), slog.String("principal", principalLabel(auth.FromContext(ctx))),
				slog.String("outcome", why), slog.Int("responses", sent), slog.Duration("duration", time.Since(started))}
			if code != "" {
				attrs = append(attrs, slog.String("code", string(code)))
			} else if firstErr != "" {
				attrs = append(attrs, slog.String("code", firstErr))
			}
			cfg.Log.LogAttrs(ctx, slog.LevelInfo, "websocket", attrs...)
		})
		return nil
	}
}
