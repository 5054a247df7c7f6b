package httpapi

import (
	"context"
	"fmt"
	"net/http"

	"github.com/99designs/gqlgen/graphql"
	"github.com/contactgate/contactgate/auth"
	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/graph"
	"github.com/contactgate/contactgate/models"
	"github.com/contactgate/contactgate/service"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// pendingSessionKey holds the session cookie of a POST /graphql request
// until sessionAuth looks it up.
type pendingSessionKey struct{}

type pendingSession struct {
	secret string
	// failed: the lookup failed (the database), answered 503 as when
	// authentication ran before GraphQL; err is the answer.
	failed bool
	err    *gqlerror.Error
}

// pendingStatus answers 503 instead of 200 when the deferred session
// lookup failed.
type pendingStatus struct {
	http.ResponseWriter
	ps      *pendingSession
	session pendingSession
	wrote   bool
}

func (p *pendingStatus) WriteHeader(code int) {
	if !p.wrote && p.ps.failed && code == http.StatusOK {
		code = http.StatusServiceUnavailable
	}
	p.wrote = true
	p.ResponseWriter.WriteHeader(code)
}

func (p *pendingStatus) Write(b []byte) (int, error) {
	if !p.wrote {
		p.WriteHeader(http.StatusOK)
	}
	return p.ResponseWriter.Write(b)
}

func (p *pendingStatus) Unwrap() http.ResponseWriter { return p.ResponseWriter }

// sessionAuth authenticates a POST /graphql request's session cookie once
// its operation has been parsed and validated, before any field resolves.
// When a query names an account (a root field's accountId argument:
// accessGate, the portal's most frequent request), one statement reads the
// session, its user, the user's membership in that account and the
// account's gate, and the request's Authorizer keeps the last two: the
// portal's gate check costs one round trip. Nothing outlives the request,
// so sign-out, expiry, removal and demotion take effect at the next one.
type sessionAuth struct{ cfg Config }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = sessionAuth{}

func (sessionAuth) ExtensionName() string                   { return "SessionAuth" }
func (sessionAuth) Validate(graphql.ExecutableSchema) error { return nil }

func (a sessionAuth) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	return authenticatePending(ctx, a.cfg, namedAccount(oc))
}

// authenticatePending looks up the request's session cookie, once: with
// the membership and gate of accountID when the operation names an
// account. A failed lookup is remembered and answered again, so that the
// direct gate path (directgate.go) and the executor answer it alike.
func authenticatePending(ctx context.Context, cfg Config, accountID string) *gqlerror.Error {
	ps, _ := ctx.Value(pendingSessionKey{}).(*pendingSession)
	if ps != nil && ps.err != nil {
		return ps.err
	}
	if ps == nil || ps.secret == "" || auth.FromContext(ctx) != nil {
		return nil
	}
	secret := ps.secret
	ps.secret = "" // once per request
	sessions := cfg.Resolver.Services.Sessions
	var (
		user      *models.User
		sessionID string
		gate      service.GateRead
		err       error
	)
	if accountID != "" {
		user, sessionID, gate, err = sessions.AuthenticateFor(ctx, secret, accountID)
	} else {
		user, sessionID, err = sessions.Authenticate(ctx, secret)
	}
	switch {
	case err == nil:
		auth.SetPrincipal(ctx, &auth.Principal{User: user, SessionID: sessionID})
		if accountID != "" {
			cfg.Resolver.Services.Authz.Prime(ctx, accountID, gate)
		}
	case models.ErrorCodeOf(err) == models.ENotFound:
		// A stale cookie is as good as none; drop it.
		auth.SessionCookiesFrom(ctx).ClearSession()
	case gormstore.TextRefused(err): // a NUL in the operation's account id
		ps.failed = true
		ps.err = &gqlerror.Error{Message: gormstore.ErrTextRefused.Message,
			Extensions: map[string]any{"code": string(models.EValidation)}}
		return ps.err
	default:
		logFailure(ctx, cfg.Log, "session lookup failed", err)
		ps.failed = true
		id := graph.RequestID(ctx)
		ps.err = &gqlerror.Error{Message: fmt.Sprintf("internal error (request %s)", id),
			Extensions: map[string]any{"code": string(models.EInternal), "requestId": id}}
		return ps.err
	}
	return nil
}

// namedAccount is the account a query names in a root field's accountId
// argument, or "".
func namedAccount(oc *graphql.OperationContext) string {
	if oc.Operation == nil || oc.Operation.Operation != ast.Query {
		return ""
	}
	for _, sel := range oc.Operation.SelectionSet {
		f, ok := sel.(*ast.Field)
		if !ok {
			continue
		}
		if arg := f.Arguments.ForName("accountId"); arg != nil {
			if v, err := arg.Value.Value(oc.Variables); err == nil {
				if id, ok := v.(string); ok && id != "" {
					return id
				}
			}
		}
	}
	return ""
}
