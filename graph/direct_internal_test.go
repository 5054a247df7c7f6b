package graph

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"testing"
)

// TestDirectWritersReadWhatTheExecutorReads: every field the direct
// renderer covers reads what the generated executor's field reads (the
// model field or the resolver), and the executor runs no directive on it
// that the renderer would not run (@member is read from the schema).
func TestDirectWritersReadWhatTheExecutorReads(t *testing.T) {
	src, err := os.ReadFile("generated.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "generated.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	bodies := map[string]string{}
	for _, d := range file.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Body != nil {
			bodies[fn.Name.Name] = string(src[fset.Position(fn.Body.Pos()).Offset:fset.Position(fn.Body.End()).Offset])
		}
	}
	directive := regexp.MustCompile(`ec\.Directives\.(\w+)`)
	for typeName, dt := range directTypes {
		for name, def := range dt.fields {
			body, ok := bodies["_"+typeName+"_"+name]
			if !ok {
				t.Errorf("%s.%s: no such field in the generated executor", typeName, name)
				continue
			}
			read := regexp.MustCompile(`\bec\.` + regexp.QuoteMeta(def.reads) + `\(`)
			if def.reads[:4] == "obj." {
				read = regexp.MustCompile(`\b` + regexp.QuoteMeta(def.reads) + `\b`)
			}
			if !read.MatchString(body) {
				t.Errorf("%s.%s: the direct writer reads %s; the executor does not:\n%s", typeName, name, def.reads, body)
			}
			if def.reads[:4] == "obj." && regexp.MustCompile(`ec\.Resolvers\.`).MatchString(body) {
				t.Errorf("%s.%s: the executor calls a resolver; the direct writer reads %s", typeName, name, def.reads)
			}
			for _, m := range directive.FindAllStringSubmatch(body, -1) {
				if m[1] != "Member" {
					t.Errorf("%s.%s: the executor runs @%s, which the direct renderer does not", typeName, name, m[1])
				}
			}
		}
	}
}
