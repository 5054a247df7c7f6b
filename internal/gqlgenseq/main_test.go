package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// funcBody returns the source of the generated executor method name.
func funcBody(t *testing.T, src, name string) string {
	t.Helper()
	re := regexp.MustCompile(`(?s)\nfunc \(ec \*executionContext\) ` + regexp.QuoteMeta(name) + `\(.*?\n}\n`)
	m := re.FindString(src)
	if m == "" {
		t.Fatalf("no method %s in graph/generated.go", name)
	}
	return m
}

// TestRewriteOfTheCommittedExecutor: graph/generated.go is what gqlgen
// wrote with this rewrite applied (applying it again changes nothing), and
// the rewrite kept its rules: fields with a directive (authorization) or a
// resolver and lists of objects with resolvers are gqlgen's own code;
// plain fields and lists of plain objects take the direct paths.
func TestRewriteOfTheCommittedExecutor(t *testing.T) {
	path := filepath.Join("..", "..", "graph", "generated.go")
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(t.TempDir(), "generated.go")
	if err := os.WriteFile(tmp, before, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := rewrite(tmp); err != nil {
		t.Fatal(err)
	}
	after, err := os.ReadFile(tmp)
	if err != nil {
		t.Fatal(err)
	}
	if string(after) != string(before) {
		t.Fatal("graph/generated.go is not rewritten: run go generate ./...")
	}
	src := string(before)
	for name, want := range map[string]string{
		// Directives (authorization) and resolvers keep ResolveField.
		"_Account_launchRequestedAt": "ec.Directives.Member(",
		"_Account_contactInfo":       "ec.Directives.Member(",
		"_Account_accessGate":        "ec.Directives.Member(",
		"_Query_accounts":            "ec.Directives.StaffOnly(",
		"_Member_user":               "graphql.ResolveField",
		// inlineObjects: resolved in order, in the object's goroutine.
		"_Contact":              "out.Values[i] = ec._Contact_reachability(ctx, field, obj)",
		"_ContactInfo":          "out.Values[i] = ec._ContactInfo_alertContacts(ctx, field, obj)",
		"_Member":               "out.Values[i] = ec._Member_user(ctx, field, obj)",
		"_SupportHours_openNow": "graphql.ResolveField",
		// Plain fields marshal directly.
		"_Contact_email":           "return ec.marshalNString2string(ctx, field.Selections, obj.Email)",
		"_SupportWindow_opens":     "return ec.marshalNString2string(ctx, field.Selections, obj.Opens)",
		"_SupportHours_alwaysOpen": "return ec.marshalNBoolean2bool(ctx, field.Selections, obj.AlwaysOpen)",
		// Lists: plain elements inline, elements with resolvers concurrently.
		// A contact resolves its reachability in its own goroutine
		// (inlineObjects), so contact lists are inline.
		"marshalNContact2ᚕᚖgithubᚗcomᚋcontactgateᚋcontactgateᚋmodelsᚐContactᚄ":            "marshalSliceInline(",
		"marshalNSupportWindow2ᚕgithubᚗcomᚋcontactgateᚋcontactgateᚋmodelsᚐSupportWindowᚄ": "marshalSliceInline(",
		"marshalNMember2ᚕᚖgithubᚗcomᚋcontactgateᚋcontactgateᚋmodelsᚐMemberᚄ":              "graphql.MarshalSliceConcurrently(",
		// The staff listing's page: inline when preloaded, else concurrently.
		"marshalNAccountEdge2ᚕᚖgithubᚗcomᚋcontactgateᚋcontactgateᚋgraphᚋmodelᚐAccountEdgeᚄ": "marshalEdgesInlineIfPreloaded(ctx, len(v), 100, false,",
		"_Account_members": "ec.Directives.Member(",
		// Objects build a @defer group only when a field is deferred.
		"_Account": "deferredGroupFor(ctx, fields)",
	} {
		if body := funcBody(t, src, name); !strings.Contains(body, want) {
			t.Errorf("%s: want %q in\n%s", name, want, body)
		}
	}
	// Queries' and mutations' responses go into graph's reused buffers.
	if n := strings.Count(src, "buf := responseBuffer(ctx)"); n != 3 || strings.Contains(src, "var buf bytes.Buffer") {
		t.Errorf("Exec: %d response buffers from responseBuffer, want 3", n)
	}
	// An account's resolver fields: inline when its page was preloaded.
	if body := funcBody(t, src, "_Account"); strings.Contains(body, "out.ResolveConcurrently(") ||
		!strings.Contains(body, "resolveInlineIfPreloaded(out, ec.OperationContext, &deferred, i,") {
		t.Errorf("_Account: resolver fields not adaptive:\n%s", body)
	}
}
