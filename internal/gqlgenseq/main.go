// Command gqlgenseq runs gqlgen (gqlgen.yml) with a plugin that resolves
// the fields of a few object types in their object's goroutine
// (generate.go), then rewrites gqlgen's generated executor so that a list
// whose elements resolve nothing concurrently is marshalled in the calling
// goroutine instead of one goroutine per element.
//
// gqlgen (v0.17.98) marshals every list of objects or enums with
// graphql.MarshalSliceConcurrently: a goroutine, a FieldContext and a
// context per element, whatever the element is. That concurrency is what
// lets the elements' resolvers overlap (and their dataloader batches
// fill); for a list whose elements have no resolver, no directive and no
// such list below them (a contact's fields, support windows, the fields of
// an access gate) it buys nothing and costs a goroutine start and a stack
// growth per element: on the staff page, about 1,000 per page.
//
// The rule, decided from the generated code itself: a list marshaller is
// rewritten to call marshalSliceInline (graph/marshal.go, same signature)
// when no executor method reachable from it schedules a field concurrently
// (ResolveConcurrently) or calls a directive. Everything else is left as
// gqlgen wrote it. `go generate` runs it (server.go), so CI's "go
// generate changes nothing" check covers it.
package main

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"sort"
	"strings"
)

const (
	concurrentSlice = "MarshalSliceConcurrently"
	inlineSlice     = "marshalSliceInline"
	newDeferred     = "NewDeferredGroup"
	// deferredGroupFor(ctx, fields) builds the group only when a field
	// of the object is deferred.
	lazyDeferred = "deferredGroupFor(ctx, fields)"
	// The preloaded staff page (graph/marshal.go).
	preloadedObject = "_Account"
	preloadedField  = "resolveInlineIfPreloaded"
	preloadedList   = "marshalNAccountEdge2ᚕ"
	preloadedEdges  = "marshalEdgesInlineIfPreloaded"
	// A preloaded page rendered directly (graph/direct.go).
	pageField      = "_Query_accounts"
	pageMarshaller = "marshalNAccountConnection2"
	pageRenderer   = "renderAccountPage"
	responseBuffer = "buf := responseBuffer(ctx)"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gqlgenseq graph/generated.go")
		os.Exit(2)
	}
	if err := generate(); err != nil {
		fmt.Fprintln(os.Stderr, "gqlgenseq:", err)
		os.Exit(1)
	}
	if err := rewrite(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "gqlgenseq:", err)
		os.Exit(1)
	}
}

type method struct {
	decl  *ast.FuncDecl
	calls []string // executor methods it calls
	// blocking: it schedules a field concurrently or runs a directive.
	blocking bool
}

func rewrite(path string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, path, src, parser.ParseComments)
	if err != nil {
		return err
	}
	methods := map[string]*method{}
	for _, d := range file.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Recv == nil || fn.Body == nil || len(fn.Recv.List) != 1 {
			continue
		}
		if star, ok := fn.Recv.List[0].Type.(*ast.StarExpr); !ok || fmt.Sprint(star.X) != "executionContext" {
			continue
		}
		m := &method{decl: fn}
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			switch x := sel.X.(type) {
			case *ast.Ident:
				if x.Name == "ec" {
					m.calls = append(m.calls, sel.Sel.Name)
				}
			case *ast.SelectorExpr:
				// ec.Directives.X / ec.directives.X
				if strings.EqualFold(x.Sel.Name, "directives") {
					m.blocking = true
				}
			}
			if strings.HasPrefix(sel.Sel.Name, "ResolveConcurrently") || strings.HasPrefix(sel.Sel.Name, "ResolveRootConcurrently") {
				m.blocking = true
			}
			return true
		})
		methods[fn.Name.Name] = m
	}

	// blocks reports whether name, or any executor method it reaches,
	// is blocking.
	memo := map[string]bool{}
	var blocks func(name string, seen map[string]bool) bool
	blocks = func(name string, seen map[string]bool) bool {
		if v, ok := memo[name]; ok {
			return v
		}
		if seen[name] {
			return false // a cycle decides nothing by itself
		}
		seen[name] = true
		m := methods[name]
		out := m != nil && m.blocking
		if m != nil && !out {
			for _, c := range m.calls {
				if blocks(c, seen) {
					out = true
					break
				}
			}
		}
		delete(seen, name)
		if m != nil && (out || len(seen) == 0) {
			memo[name] = out
		}
		return out
	}

	type edit struct {
		from, to int
		text     string
	}
	var edits []edit
	var names []string
	for name, m := range methods {
		if !strings.HasPrefix(name, "marshal") || blocks(name, map[string]bool{}) {
			continue
		}
		ast.Inspect(m.decl.Body, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if ok && sel.Sel.Name == concurrentSlice {
				if x, ok := sel.X.(*ast.Ident); ok && x.Name == "graphql" {
					edits = append(edits, edit{fset.Position(sel.Pos()).Offset, fset.Position(sel.End()).Offset, inlineSlice})
					names = append(names, name)
				}
			}
			return true
		})
	}
	// A page of the staff listing is preloaded (graph/preload.go): its
	// edges and its accounts' resolver fields resolve inline when the
	// request's loaders say so, concurrently otherwise (graph/marshal.go).
	adaptive := 0
	for name, m := range methods {
		switch {
		case name == preloadedObject:
			ast.Inspect(m.decl.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "ResolveConcurrently" && fmt.Sprint(sel.X) == "out" {
					edits = append(edits,
						edit{fset.Position(call.Fun.Pos()).Offset, fset.Position(call.Lparen).Offset + 1, preloadedField + "(out, "},
						edit{fset.Position(call.Rparen).Offset, fset.Position(call.Rparen).Offset, ", ctx, obj.ID, field"})
					adaptive++
				}
				return true
			})
		case name == pageField:
			ast.Inspect(m.decl.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok || len(call.Args) != 3 {
					return true
				}
				if sel, ok := call.Fun.(*ast.SelectorExpr); ok && strings.HasPrefix(sel.Sel.Name, pageMarshaller) && fmt.Sprint(sel.X) == "ec" {
					edits = append(edits, edit{fset.Position(call.Pos()).Offset, fset.Position(call.End()).Offset,
						fmt.Sprintf("ec.%s(ctx, selections, v, ec.%s)", pageRenderer, sel.Sel.Name)})
					adaptive++
				}
				return true
			})
		case strings.HasPrefix(name, preloadedList):
			ast.Inspect(m.decl.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == concurrentSlice && fmt.Sprint(sel.X) == "graphql" {
					edits = append(edits,
						edit{fset.Position(call.Fun.Pos()).Offset, fset.Position(call.Fun.End()).Offset, preloadedEdges},
						edit{fset.Position(call.Rparen).Offset, fset.Position(call.Rparen).Offset, ", v"})
					adaptive++
				}
				return true
			})
		}
	}
	// Every object marshaller starts a @defer group (its path, a field
	// set and a map: most of an object's allocations) before knowing
	// whether any of its fields is deferred; deferredGroupFor decides
	// from the collected fields.
	deferred := 0
	for _, m := range methods {
		declaresFields := false
		ast.Inspect(m.decl.Body, func(n ast.Node) bool {
			if as, ok := n.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
				for _, l := range as.Lhs {
					if id, ok := l.(*ast.Ident); ok && id.Name == "fields" {
						declaresFields = true
					}
				}
			}
			call, ok := n.(*ast.CallExpr)
			if !ok || !declaresFields || len(call.Args) != 1 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != newDeferred || fmt.Sprint(sel.X) != "graphql" || fmt.Sprint(call.Args[0]) != "ctx" {
				return true
			}
			edits = append(edits, edit{fset.Position(call.Pos()).Offset, fset.Position(call.End()).Offset, lazyDeferred})
			deferred++
			return true
		})
	}
	// A plain field (a struct field read, no resolver, no directive, no
	// arguments) of a scalar or enum type goes through graphql.ResolveField
	// all the same: a FieldContext, a context, three closures, a deferred
	// recover and the value boxed in an interface, for each value of each
	// object; most of the staff page's ~7,000 values are such fields. Such
	// a field cannot fail or panic, and its marshaller (checked below) adds
	// no error that would need the field's path, so it is marshalled
	// directly. Field middleware (AroundFields) would not see these
	// fields; the server installs none.
	plain := 0
	for name, m := range methods {
		if !strings.HasPrefix(name, "_") || len(m.decl.Body.List) != 1 {
			continue
		}
		fieldExpr, marshal, ok := plainField(m.decl)
		if !ok || !safeMarshaller(methods[marshal], src, fset) {
			continue
		}
		body := fmt.Sprintf("{\n\treturn ec.%s(ctx, field.Selections, %s)\n}", marshal, fieldExpr)
		edits = append(edits, edit{fset.Position(m.decl.Body.Pos()).Offset, fset.Position(m.decl.Body.End()).Offset, body})
		plain++
	}
	// The response buffer of an operation comes from graph's
	// responseBuffer: after a direct render (graph/direct.go) a reused
	// buffer as large as what was rendered, instead of a new one doubling
	// its way up to a staff page's size.
	sized := 0
	for _, d := range file.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Name.Name != "Exec" || fn.Recv == nil || fn.Body == nil {
			continue
		}
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.DeclStmt:
				from, to := fset.Position(n.Pos()).Offset, fset.Position(n.End()).Offset
				if string(src[from:to]) == "var buf bytes.Buffer" {
					edits = append(edits, edit{from, to, responseBuffer})
					sized++
				}
			case *ast.UnaryExpr:
				from, to := fset.Position(n.Pos()).Offset, fset.Position(n.End()).Offset
				if string(src[from:to]) == "&buf" {
					edits = append(edits, edit{from, to, "buf"})
				}
			}
			return true
		})
	}
	sort.Slice(edits, func(i, j int) bool { return edits[i].from > edits[j].from })
	out := src
	for _, e := range edits {
		out = append(out[:e.from:e.from], append([]byte(e.text), out[e.to:]...)...)
	}
	if sized == 0 && !bytes.Contains(src, []byte(responseBuffer)) {
		// gqlgen's Exec no longer declares its buffers as it did (and
		// they were not rewritten before): say so rather than lose the
		// reused buffers without a word.
		return errors.New("no response buffer found in Exec (var buf bytes.Buffer): update internal/gqlgenseq")
	}
	if sized > 0 && !bytes.Contains(out, []byte("bytes.")) {
		// The response buffers were bytes' last use.
		out = bytes.Replace(out, []byte("\t\"bytes\"\n"), nil, 1)
	}
	out, err = format.Source(out)
	if err != nil {
		return fmt.Errorf("format: %w", err)
	}
	if bytes.Equal(out, src) {
		return nil
	}
	sort.Strings(names)
	fmt.Fprintf(os.Stderr, "gqlgenseq: %d lists marshalled inline, %d objects start a @defer group only when needed, %d plain fields marshalled directly, %d calls inline when preloaded, %d response buffers sized\n",
		len(names), deferred, plain, adaptive, sized)
	return os.WriteFile(path, out, 0o644)
}

// plainField recognises a field marshaller of the form
//
//	return graphql.ResolveField(ctx, ec.OperationContext, field, <field context>,
//		func(ctx context.Context) (any, error) { return obj.F, nil },
//		nil, // no directive
//		func(ctx context.Context, selections ast.SelectionSet, v T) graphql.Marshaler {
//			return ec.marshalX(ctx, selections, v)
//		}, true, nonNull)
//
// and returns "obj.F" and marshalX.
func plainField(fn *ast.FuncDecl) (fieldExpr, marshal string, ok bool) {
	ret, ok := fn.Body.List[0].(*ast.ReturnStmt)
	if !ok || len(ret.Results) != 1 {
		return "", "", false
	}
	call, ok := ret.Results[0].(*ast.CallExpr)
	if !ok || len(call.Args) != 9 {
		return "", "", false
	}
	if sel, ok := call.Fun.(*ast.SelectorExpr); !ok || sel.Sel.Name != "ResolveField" || fmt.Sprint(sel.X) != "graphql" {
		return "", "", false
	}
	if id, ok := call.Args[5].(*ast.Ident); !ok || id.Name != "nil" {
		return "", "", false
	}
	res := singleReturn(call.Args[4])
	if len(res) != 2 || fmt.Sprint(res[1]) != "nil" {
		return "", "", false
	}
	sel, ok := res[0].(*ast.SelectorExpr)
	if !ok || fmt.Sprint(sel.X) != "obj" {
		return "", "", false
	}
	m := singleReturn(call.Args[6])
	if len(m) != 1 {
		return "", "", false
	}
	mc, ok := m[0].(*ast.CallExpr)
	if !ok || len(mc.Args) != 3 {
		return "", "", false
	}
	ms, ok := mc.Fun.(*ast.SelectorExpr)
	if !ok || fmt.Sprint(ms.X) != "ec" {
		return "", "", false
	}
	return "obj." + sel.Sel.Name, ms.Sel.Name, true
}

// singleReturn returns the results of a function literal whose body is
// one return statement.
func singleReturn(e ast.Expr) []ast.Expr {
	lit, ok := e.(*ast.FuncLit)
	if !ok || len(lit.Body.List) != 1 {
		return nil
	}
	ret, ok := lit.Body.List[0].(*ast.ReturnStmt)
	if !ok {
		return nil
	}
	return ret.Results
}

// safeMarshallers are the scalar marshallers that never answer null for
// a value and never add an error.
var safeMarshallers = map[string]bool{"MarshalString": true, "MarshalBoolean": true, "MarshalInt": true,
	"MarshalInt64": true, "MarshalFloat": true, "MarshalID": true, "MarshalTime": true}

// safeMarshaller: m marshals one scalar or enum value (no list, no object)
// with a marshaller that cannot fail, so nothing it does needs the field's
// own context.
func safeMarshaller(m *method, src []byte, fset *token.FileSet) bool {
	if m == nil || strings.Contains(m.decl.Name.Name, "ᚕ") || len(m.calls) > 0 {
		return false
	}
	safe := true
	ast.Inspect(m.decl.Body, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		if fmt.Sprint(sel.X) == "graphql" {
			switch name := sel.Sel.Name; {
			case safeMarshallers[name], name == "Null", name == "AddInvalidNullFromMarshaler":
				// AddInvalidNullFromMarshaler runs only when a safe
				// marshaller answered null, which it does not.
			default:
				safe = false
			}
		}
		return true
	})
	if !safe {
		return false
	}
	// An enum bound to a Go type marshals itself: its body is "return v".
	body := string(src[fset.Position(m.decl.Body.Pos()).Offset:fset.Position(m.decl.Body.End()).Offset])
	if strings.Contains(body, "graphql.Marshal") {
		return true
	}
	return strings.Join(strings.Fields(body), " ") == "{ return v }"
}
