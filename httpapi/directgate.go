package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/contactgate/contactgate/graph"
	"github.com/valyala/fastjson"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
)

// directGate answers gate queries (graph.GateQuery: the only root field is
// accessGate) before the GraphQL executor, after the same middleware
// (limits, CORS, the deadline, authentication of tokens) and the same
// session lookup (authenticatePending: session, membership and gate in one
// statement). Whatever it does not recognise, or cannot answer without an
// error, it passes on untouched to the executor, which answers as it
// always did; so an error, a malformed variable or a revoked caller is
// always the executor's answer.
//
// A query text is recognised once: parsed with the server's token limit,
// validated with the server's rules and matched against the gate shape;
// the outcome (a GateQuery or "no") is kept by text in a bounded cache.
type directGate struct {
	cfg    Config
	answer *graph.DirectGate
	schema *ast.Schema
	apq    persistedQueries
	plans  *lru.LRU[*graph.GateQuery]
	next   http.Handler
}

// maxGateQueryBytes bounds the texts considered: a gate query is short,
// and the cache keeps texts.
const maxGateQueryBytes = 2048

func newDirectGate(cfg Config, answer *graph.DirectGate, schema *ast.Schema, apq persistedQueries, next http.Handler) *directGate {
	return &directGate{cfg: cfg, answer: answer, schema: schema, apq: apq, plans: lru.New[*graph.GateQuery](1000), next: next}
}

// gateRequest is what the gate path reads of a request body: the values
// of the executor's request fields (query, operationName, variables,
// extensions), parsed without reflection or maps.
type gateRequest struct {
	query, operationName  string
	variables, extensions *fastjson.Object
}

// gateParser is a JSON parser and a scratch buffer, kept between requests
// (gateParsers).
type gateParser struct {
	fastjson.Parser
	scratch []byte
}

var gateParsers = sync.Pool{New: func() any { return new(gateParser) }}

func (g *directGate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !g.answer.Enabled() || !g.serve(w, r) {
		g.next.ServeHTTP(w, r)
	}
}

// serve answers r directly, or answers false having written nothing.
func (g *directGate) serve(w http.ResponseWriter, r *http.Request) bool {
	body, ok := r.Body.(*jsonBody)
	// Only what the executor's transport would take (its Content-Type
	// check is stricter than requireJSON's), and only where it answers
	// application/json, not application/graphql-response+json.
	if !ok || len(body.raw) > maxGateQueryBytes+1024 || !(postTransport{}).Supports(r) ||
		!answersPlainJSON(r.Header.Get("Accept")) {
		return false
	}
	p := gateParsers.Get().(*gateParser)
	defer gateParsers.Put(p)
	req, ok := parseGateRequest(p, body.raw)
	if !ok {
		return false
	}
	ctx := r.Context()
	text, ok := g.text(ctx, p, &req)
	if !ok {
		return false
	}
	q := g.plan(ctx, text)
	if q == nil || (req.operationName != "" && req.operationName != q.Name()) {
		return false
	}
	accountID, env, ok := q.Arguments(func(name string) (string, bool) { return p.objectString(req.variables, name) })
	if !ok {
		return false
	}
	if err := authenticatePending(ctx, g.cfg, accountID); err != nil {
		return false
	}
	out, err := g.answer.Answer(ctx, q, accountID, env)
	if err != nil {
		return false
	}
	setOperationName(ctx, req.operationName)
	w.Header()["Content-Type"] = contentTypeJSON
	_, _ = w.Write(out)
	return true
}

// parseGateRequest reads body as the executor's request decoding would
// (encoding/json into gqlgen's RawParams: the last of repeated keys wins,
// null leaves a field empty, a value of the wrong type is an error). A
// key the executor would match only case-insensitively makes it answer
// false: the executor then decides.
func parseGateRequest(p *gateParser, body []byte) (gateRequest, bool) {
	var req gateRequest
	v, err := p.ParseBytes(body)
	if err != nil || v.Type() != fastjson.TypeObject {
		return req, false
	}
	top, _ := v.Object()
	ok := true
	var seen [4]bool
	once := func(i int) bool {
		if seen[i] {
			// encoding/json merges a repeated object into the first
			// (variables, extensions): the executor decides.
			return false
		}
		seen[i] = true
		return true
	}
	top.Visit(func(key []byte, v *fastjson.Value) {
		if !ok {
			return
		}
		switch string(key) {
		case "query":
			req.query, ok = p.optString(v)
			ok = ok && once(0)
		case "operationName":
			req.operationName, ok = p.optString(v)
			ok = ok && once(1)
		case "variables":
			req.variables, ok = optObject(v)
			ok = ok && once(2)
		case "extensions":
			req.extensions, ok = optObject(v)
			ok = ok && once(3)
		default:
			for _, name := range []string{"query", "operationName", "variables", "extensions"} {
				if strings.EqualFold(string(key), name) || !isASCII(key) {
					ok = false
				}
			}
		}
	})
	return req, ok
}

// optString is a JSON string or null, decoded exactly as encoding/json
// decodes it.
func (p *gateParser) optString(v *fastjson.Value) (string, bool) {
	raw := v.MarshalTo(p.scratch[:0]) // before Type(), which unescapes in place
	p.scratch = raw
	if string(raw) == "null" {
		return "", true
	}
	if len(raw) < 2 || raw[0] != '"' {
		return "", false
	}
	inner := raw[1 : len(raw)-1]
	if bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
		return string(inner), true
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", false
	}
	return s, true
}

func optObject(v *fastjson.Value) (*fastjson.Object, bool) {
	switch v.Type() {
	case fastjson.TypeNull:
		return nil, true
	case fastjson.TypeObject:
		o, _ := v.Object()
		return o, true
	}
	return nil, false
}

// objectValue is the value of the last key exactly equal to name (a map's
// decoding).
func objectValue(o *fastjson.Object, name string) *fastjson.Value {
	var out *fastjson.Value
	o.Visit(func(key []byte, v *fastjson.Value) {
		if string(key) == name {
			out = v
		}
	})
	return out
}

// objectString is the string at name in o; false when absent or not a
// string.
func (p *gateParser) objectString(o *fastjson.Object, name string) (string, bool) {
	v := objectValue(o, name)
	if v == nil {
		return "", false
	}
	s, ok := p.optString(v)
	return s, ok && v.Type() == fastjson.TypeString
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// text is the request's query text: sent, or named by its persisted-query
// hash (only a lookup; registering a hash is the executor's).
func (g *directGate) text(ctx context.Context, p *gateParser, req *gateRequest) (string, bool) {
	var pq *fastjson.Value
	if req.extensions != nil {
		pq = objectValue(req.extensions, "persistedQuery")
	}
	if pq == nil || pq.Type() == fastjson.TypeNull {
		return req.query, req.query != "" && len(req.query) <= maxGateQueryBytes
	}
	ext, ok := optObject(pq)
	if req.query != "" || !ok || ext == nil {
		return "", false
	}
	// The executor's persistedQuery extension takes the version's text,
	// exactly "1" (not 1.0 or 1e0).
	version := objectValue(ext, "version")
	if version == nil || version.Type() != fastjson.TypeNumber || string(version.MarshalTo(p.scratch[:0])) != "1" {
		return "", false
	}
	hash, ok := p.objectString(ext, "sha256Hash")
	if !ok {
		return "", false
	}
	text, ok := g.apq.Get(ctx, hash)
	return text, ok && len(text) <= maxGateQueryBytes
}

// plan is text's GateQuery, or nil.
func (g *directGate) plan(ctx context.Context, text string) *graph.GateQuery {
	if q, ok := g.plans.Get(ctx, text); ok {
		return q
	}
	var q *graph.GateQuery
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: text}, MaxParserTokens)
	if err == nil && len(validator.ValidateWithRules(g.schema, doc, withoutSuggestions())) == 0 {
		q = graph.CompileGateQuery(doc)
	}
	g.plans.Add(ctx, text, q)
	return q
}
