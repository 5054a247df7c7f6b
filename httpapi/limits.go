package httpapi

import (
	"context"
	"fmt"
	"net"
	"net/http"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/contactgate/contactgate/auth"
	"github.com/contactgate/contactgate/models"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Query limits: the complexity of one operation (lists count their page
// size), its nesting depth, and the tokens the parser reads.
const (
	MaxComplexity     = 10000
	MaxDepth          = 12
	MaxParserTokens   = 15000
	tooComplexMessage = "the query is too complex"
)

// depthLimit refuses operations nested deeper than max, following
// fragments (each fragment is expanded once per path, so cycles, already
// refused by validation, cannot loop here).
type depthLimit struct{ max int }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = depthLimit{}

func (depthLimit) ExtensionName() string                   { return "DepthLimit" }
func (depthLimit) Validate(graphql.ExecutableSchema) error { return nil }

func (d depthLimit) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	if depth := selectionDepth(oc.Operation.SelectionSet, oc.Doc.Fragments, 0, d.max+1); depth > d.max {
		err := gqlerror.Errorf("%s: it is nested more than %d levels deep", tooComplexMessage, d.max)
		errcode.Set(err, string(models.EQueryTooComplex))
		return err
	}
	return nil
}

func selectionDepth(set ast.SelectionSet, frags ast.FragmentDefinitionList, depth, stop int) int {
	if depth >= stop {
		return depth
	}
	deepest := depth
	for _, sel := range set {
		var d int
		switch s := sel.(type) {
		case *ast.Field:
			if len(s.SelectionSet) == 0 {
				d = depth + 1
			} else {
				d = selectionDepth(s.SelectionSet, frags, depth+1, stop)
			}
		case *ast.InlineFragment:
			d = selectionDepth(s.SelectionSet, frags, depth, stop)
		case *ast.FragmentSpread:
			if f := frags.ForName(s.Name); f != nil {
				d = selectionDepth(f.SelectionSet, frags, depth, stop)
			}
		}
		deepest = max(deepest, d)
	}
	return deepest
}

// clientIP is the TCP peer: X-Forwarded-For is not trusted, since any
// client could forge it (behind a load balancer, limits are per balancer
// address unless it is configured to preserve the client address).
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func withClientIP(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(auth.WithClientIP(r.Context(), clientIP(r))))
	})
}

// crossOriginProtection refuses cross-site POSTs from browsers (Go's
// Sec-Fetch-Site / Origin check), trusting the portal's own origin and the
// CORS allow-list; tooling without those headers is unaffected.
func crossOriginProtection(trusted []string, next http.Handler) (http.Handler, error) {
	p := http.NewCrossOriginProtection()
	for _, o := range trusted {
		if err := p.AddTrustedOrigin(o); err != nil {
			return nil, fmt.Errorf("trusted origin %q: %w", o, err)
		}
	}
	p.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeGraphQLError(w, http.StatusForbidden, models.EForbidden, "cross-site requests are not allowed")
	}))
	return p.Handler(next), nil
}

// noIntrospection refuses __schema and __type up front, so that a client
// gets a clear VALIDATION_FAILED instead of gqlgen's resolver error.
type noIntrospection struct{}

func (noIntrospection) ExtensionName() string                   { return "NoIntrospection" }
func (noIntrospection) Validate(graphql.ExecutableSchema) error { return nil }

func (noIntrospection) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil || !selectsIntrospection(oc.Operation.SelectionSet, oc.Doc.Fragments, 0) {
		return nil
	}
	err := gqlerror.Errorf("introspection is disabled on this server")
	errcode.Set(err, string(models.EValidation))
	return err
}

func selectsIntrospection(set ast.SelectionSet, frags ast.FragmentDefinitionList, depth int) bool {
	if depth > MaxDepth {
		return false
	}
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Name == "__schema" || s.Name == "__type" {
				return true
			}
			if selectsIntrospection(s.SelectionSet, frags, depth+1) {
				return true
			}
		case *ast.InlineFragment:
			if selectsIntrospection(s.SelectionSet, frags, depth+1) {
				return true
			}
		case *ast.FragmentSpread:
			if f := frags.ForName(s.Name); f != nil && selectsIntrospection(f.SelectionSet, frags, depth+1) {
				return true
			}
		}
	}
	return false
}

// onceFields are the mutations that set or clear the session cookie (or
// create a user): one operation may run each at most once, so that aliases
// cannot multiply their work or their Set-Cookie headers.
var onceFields = []string{"signIn", "signOut", "acceptInvitation"}

// singleUse refuses an operation that runs one of fields more than once
// (under two aliases, also through fragments), before anything runs.
type singleUse struct{ fields []string }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = singleUse{}

func (singleUse) ExtensionName() string                   { return "SingleUse" }
func (singleUse) Validate(graphql.ExecutableSchema) error { return nil }

func (s singleUse) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	keys := map[string]map[string]bool{}
	for _, f := range s.fields {
		keys[f] = map[string]bool{}
	}
	rootResponseKeys(oc.Operation.SelectionSet, oc.Doc.Fragments, keys, map[string]bool{})
	for _, f := range s.fields {
		if len(keys[f]) > 1 {
			err := gqlerror.Errorf("%s may appear only once per operation", f)
			errcode.Set(err, string(models.EValidation))
			return err
		}
	}
	return nil
}

// rootResponseKeys collects, for each root field named in keys, the
// response keys (aliases) it is selected under: selections with the same
// key are merged and run once, different keys run once each. seen stops a
// fragment from being expanded twice (validation already refuses cycles).
func rootResponseKeys(set ast.SelectionSet, frags ast.FragmentDefinitionList, keys map[string]map[string]bool, seen map[string]bool) {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if k, ok := keys[s.Name]; ok {
				alias := s.Alias
				if alias == "" {
					alias = s.Name
				}
				k[alias] = true
			}
		case *ast.InlineFragment:
			rootResponseKeys(s.SelectionSet, frags, keys, seen)
		case *ast.FragmentSpread:
			if f := frags.ForName(s.Name); f != nil && !seen[s.Name] {
				seen[s.Name] = true
				rootResponseKeys(f.SelectionSet, frags, keys, seen)
			}
		}
	}
}
