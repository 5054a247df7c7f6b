package httpapi

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/contactgate/contactgate/models"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/lexer"
	"github.com/vektah/gqlparser/v2/validator/core"
	"github.com/vektah/gqlparser/v2/validator/rules"
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

// noIntrospection refuses __schema and __type up front, wherever they are
// (aliased, in inline fragments or fragment spreads, nested to any depth),
// so that a client gets a clear VALIDATION_FAILED with reason
// INTROSPECTION_DISABLED instead of gqlgen's resolver error (an INTERNAL).
// __typename stays: clients need it and it tells nothing about the schema.
type noIntrospection struct{}

func (noIntrospection) ExtensionName() string                   { return "NoIntrospection" }
func (noIntrospection) Validate(graphql.ExecutableSchema) error { return nil }

func (noIntrospection) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil || !selectsIntrospection(oc.Operation.SelectionSet, oc.Doc.Fragments, map[string]bool{}) {
		return nil
	}
	err := gqlerror.Errorf("introspection is disabled on this server")
	errcode.Set(err, string(models.EValidation))
	err.Extensions["reason"] = models.ReasonIntrospectionDisabled
	return err
}

// selectsIntrospection walks the whole selection with no depth cut-off (a
// cut-off is a way past it; the parser's token limit bounds the walk), and
// each named fragment once (validation already refused cycles).
func selectsIntrospection(set ast.SelectionSet, frags ast.FragmentDefinitionList, seen map[string]bool) bool {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Name == "__schema" || s.Name == "__type" {
				return true
			}
			if selectsIntrospection(s.SelectionSet, frags, seen) {
				return true
			}
		case *ast.InlineFragment:
			if selectsIntrospection(s.SelectionSet, frags, seen) {
				return true
			}
		case *ast.FragmentSpread:
			if seen[s.Name] {
				continue
			}
			seen[s.Name] = true
			if f := frags.ForName(s.Name); f != nil && selectsIntrospection(f.SelectionSet, frags, seen) {
				return true
			}
		}
	}
	return false
}

// withoutSuggestions is gqlparser's rule set with the variants of every
// rule that suggests names swapped for their silent twins: unknown
// arguments, enum values, input fields and types (gqlgen's own switch
// covers only fields and scalar leaves).
func withoutSuggestions() *rules.Rules {
	r := rules.NewDefaultRules()
	for _, swap := range []struct {
		name string
		rule core.Rule
	}{
		{"KnownArgumentNames", rules.KnownArgumentNamesRuleWithoutSuggestions},
		{"KnownTypeNames", rules.KnownTypeNamesRuleWithoutSuggestions},
		{"ValuesOfCorrectType", rules.ValuesOfCorrectTypeRuleWithoutSuggestions},
		{"FieldsOnCorrectType", rules.FieldsOnCorrectTypeRuleWithoutSuggestions},
		{"ScalarLeafs", rules.ScalarLeafsRuleWithoutSuggestions},
	} {
		r.RemoveRule(swap.name)
		r.AddRule(swap.rule.Name, swap.rule.RuleFunc)
	}
	return r
}

// stripSuggestion cuts a "Did you mean …?" from a message gqlgen or
// gqlparser wrote about the request, should any rule still add one
// (gqlparser appends suggestions at the end of its messages).
func stripSuggestion(err error) error {
	gqlErr, ok := err.(*gqlerror.Error)
	if !ok || gqlErr.Err != nil {
		return err
	}
	i := strings.Index(gqlErr.Message, " Did you mean")
	if i < 0 {
		return err
	}
	out := *gqlErr
	out.Message = gqlErr.Message[:i]
	return &out
}

// tokenLimit refuses a query of more than max tokens with
// QUERY_TOO_COMPLEX before it is parsed. The parser has a token limit of its
// own (SetParserTokenLimit, kept as a backstop), but it reports a plain
// parse error that can only be told apart by its wording. A query shorter
// than max bytes cannot hold max tokens, so everyday operations are not
// lexed twice.
type tokenLimit struct{ max int }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = tokenLimit{}

func (tokenLimit) ExtensionName() string                   { return "TokenLimit" }
func (tokenLimit) Validate(graphql.ExecutableSchema) error { return nil }

func (l tokenLimit) MutateOperationParameters(_ context.Context, p *graphql.RawParams) *gqlerror.Error {
	if len(p.Query) < l.max {
		return nil
	}
	lex := lexer.New(&ast.Source{Input: p.Query})
	for n := 0; ; n++ {
		tok, err := lex.ReadToken()
		if err != nil || tok.Kind == lexer.EOF {
			return nil // the parser reports syntax errors
		}
		if n >= l.max {
			e := gqlerror.Errorf("%s: it has more than %d tokens", tooComplexMessage, l.max)
			errcode.Set(e, string(models.EQueryTooComplex))
			return e
		}
	}
}

// onceFields are the mutations that set or clear the session cookie (or
// create a user): one operation may run each at most once, so that aliases
// cannot multiply their work or their Set-Cookie headers.
var onceFields = []string{"signIn", "signOut", "acceptInvitation", "confirmContactAddress", "disputeContactAddress"}

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
