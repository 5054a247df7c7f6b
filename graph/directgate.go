package graph

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/contactgate/contactgate/models"
	"github.com/vektah/gqlparser/v2/ast"
)

// The gate check answered directly.
//
// Query.accessGate is the portal's most frequent request and partner
// tooling's way to ask whether an integration may launch. Its answer is
// one statement (the session, the membership and the gate together, see
// httpapi's sessionAuth); what gqlgen's general executor adds around it
// (decoding the request into generic maps, an operation context with its
// variables coerced, extension hooks, a field context per value, the
// response re-encoded) cost more than the statement itself. A GateQuery is
// a query whose only root field is accessGate, recognised once per query
// text: httpapi answers it with DirectGate.Answer after the same
// authentication, and through the same @member directive function and
// the same resolvers as the executor; anything else, and any error, goes
// to the executor, which then answers exactly as it always did
// (TestDirectGateMatchesExecutor compares the two).

// GateQuery is a compiled query whose only root field is accessGate.
type GateQuery struct {
	// name is the operation's name, "" when anonymous.
	name string
	// root is the root selection in order: __typename keys and the gate.
	root []gateRootField
	// The arguments: a variable's name, or a literal.
	accountVar, accountLit string
	envVar, envLit         string
	field                  *ast.Field
	member                 *memberCheck
	gate                   *directPlan
}

type gateRootField struct {
	key  string
	gate bool // false: __typename
}

// CompileGateQuery recognises a parsed and validated document as a
// GateQuery: one query operation, no fragments and no directives in it,
// root fields accessGate (once) and __typename, arguments given as
// variables of their exact types or as literals, and a selection of
// AccessGate fields without aliases repeated. Anything else answers nil.
func CompileGateQuery(doc *ast.QueryDocument) *GateQuery {
	if len(doc.Operations) != 1 || len(doc.Fragments) != 0 {
		return nil
	}
	op := doc.Operations[0]
	if op.Operation != ast.Query || len(op.Directives) != 0 {
		return nil
	}
	varTypes := map[string]string{}
	for _, v := range op.VariableDefinitions {
		if len(v.Directives) != 0 || v.DefaultValue != nil || v.Type == nil || !v.Type.NonNull || v.Type.Elem != nil {
			return nil
		}
		varTypes[v.Variable] = v.Type.NamedType
	}
	q := &GateQuery{name: op.Name}
	keys := map[string]bool{}
	for _, sel := range op.SelectionSet {
		f, ok := sel.(*ast.Field)
		if !ok || len(f.Directives) != 0 || keys[f.Alias] {
			return nil
		}
		keys[f.Alias] = true
		switch {
		case f.Name == "__typename":
			q.root = append(q.root, gateRootField{key: f.Alias})
		case f.Name == "accessGate" && q.field == nil && f.Definition != nil:
			if !q.compileGate(f, varTypes) {
				return nil
			}
			q.root = append(q.root, gateRootField{key: f.Alias, gate: true})
		default:
			return nil
		}
	}
	if q.field == nil {
		return nil
	}
	return q
}

func (q *GateQuery) compileGate(f *ast.Field, varTypes map[string]string) bool {
	q.field = f
	for _, d := range f.Definition.Directives {
		switch {
		case codegenDirectives[d.Name]:
		case d.Name == "member" && q.member == nil:
			args := d.ArgumentMap(nil)
			role, _ := args["role"].(string)
			staff, _ := args["staff"].(bool)
			q.member = &memberCheck{role: models.Role(role), staff: staff}
		default:
			return false
		}
	}
	if len(f.Arguments) != 2 {
		return false
	}
	for _, a := range f.Arguments {
		var variable, literal *string
		var wantType string
		var wantKind ast.ValueKind
		switch a.Name {
		case "accountId":
			variable, literal, wantType, wantKind = &q.accountVar, &q.accountLit, "ID", ast.StringValue
		case "environment":
			variable, literal, wantType, wantKind = &q.envVar, &q.envLit, "Environment", ast.EnumValue
		default:
			return false
		}
		switch a.Value.Kind {
		case ast.Variable:
			if varTypes[a.Value.Raw] != wantType {
				return false
			}
			*variable = a.Value.Raw
		case wantKind:
			*literal = a.Value.Raw
		default:
			return false
		}
	}
	if q.envLit != "" && !models.Environment(q.envLit).Valid() {
		return false
	}
	gateType := directTypes["AccessGate"]
	q.gate = &directPlan{typeName: "AccessGate"}
	keys := map[string]bool{}
	for _, sel := range f.SelectionSet {
		g, ok := sel.(*ast.Field)
		if !ok || len(g.Directives) != 0 || len(g.Arguments) != 0 || keys[g.Alias] {
			return false
		}
		keys[g.Alias] = true
		df := directField{key: g.Alias, name: g.Name}
		if g.Name != "__typename" {
			def, ok := gateType.fields[g.Name]
			if !ok || g.Definition == nil || !onlyCodegenDirectives(g.Definition.Directives) {
				return false
			}
			df.write = def.write
		}
		q.gate.fields = append(q.gate.fields, df)
	}
	return len(q.gate.fields) > 0
}

func onlyCodegenDirectives(ds ast.DirectiveList) bool {
	for _, d := range ds {
		if !codegenDirectives[d.Name] {
			return false
		}
	}
	return true
}

// Name is the operation's name ("" when anonymous).
func (q *GateQuery) Name() string { return q.name }

// Arguments reads the gate's account and environment from the literals
// or the request's variables (variable reads a variable's JSON string).
// ok is false when a variable is missing, not a string, or not an
// Environment: the executor answers those with its own errors.
func (q *GateQuery) Arguments(variable func(name string) (string, bool)) (accountID string, env models.Environment, ok bool) {
	accountID, env = q.accountLit, models.Environment(q.envLit)
	if q.accountVar != "" {
		if accountID, ok = variable(q.accountVar); !ok {
			return "", "", false
		}
	}
	if q.envVar != "" {
		s, ok := variable(q.envVar)
		if !ok || !models.Environment(s).Valid() {
			return "", "", false
		}
		env = models.Environment(s)
	}
	return accountID, env, true
}

// DirectGate answers GateQuery operations.
type DirectGate struct {
	r          *Resolver
	directives DirectiveRoot
}

// NewDirectGate answers gate queries with cfg's resolvers and directives.
func NewDirectGate(cfg Config) (*DirectGate, error) {
	r, ok := cfg.Resolvers.(*Resolver)
	if !ok {
		return nil, fmt.Errorf("direct gate: resolvers are %T", cfg.Resolvers)
	}
	return &DirectGate{r: r, directives: cfg.Directives}, nil
}

// Enabled is false when every operation must go through the executor.
func (g *DirectGate) Enabled() bool { return !g.r.GeneralExecutorOnly.Load() }

// Answer runs q for the caller in ctx (authenticated already) and returns
// the whole JSON response, or an error: then the executor must answer.
func (g *DirectGate) Answer(ctx context.Context, q *GateQuery, accountID string, env models.Environment) ([]byte, error) {
	fc := &graphql.FieldContext{Object: "Query", Field: graphql.CollectedField{Field: q.field},
		Args: map[string]any{"accountId": accountID, "environment": env}, IsMethod: true, IsResolver: true}
	ctx = graphql.WithFieldContext(ctx, fc)
	if q.member != nil {
		if g.directives.Member == nil {
			return nil, errNotDirect
		}
		if _, err := g.directives.Member(ctx, nil, allowed, q.member.role, q.member.staff); err != nil {
			return nil, err
		}
	}
	gate, err := g.r.Query().AccessGate(ctx, accountID, env)
	if err != nil {
		return nil, err
	}
	if gate == nil {
		return nil, errNotDirect
	}
	d := &directRender{ctx: ctx, accessGate: g.r.AccessGate()}
	d.buf = &d.own
	d.buf.Grow(256)
	d.buf.WriteString(`{"data":{`)
	for i, f := range q.root {
		if i > 0 {
			d.buf.WriteByte(',')
		}
		d.string(f.key)
		d.buf.WriteByte(':')
		if !f.gate {
			d.string("Query")
			continue
		}
		if err := d.object(q.gate, gate); err != nil {
			return nil, err
		}
	}
	d.buf.WriteString(`}}`)
	if g.r.OnDirect != nil {
		g.r.OnDirect("accessGate")
	}
	return d.buf.Bytes(), nil
}
