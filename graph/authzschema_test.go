package graph_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/contactgate/contactgate/graph"
	"github.com/vektah/gqlparser/v2/ast"
)

// authzDirectives are the directives that authorize a field (common.graphqls).
var authzDirectives = []string{"signedIn", "staffOnly", "member", "gated"}

// publicFields may be resolved without an authorization directive, each
// for the reason given. Anything else on the root types or Account must
// carry a directive: a new field is closed until someone decides here, in
// review, that it is public.
var publicFields = map[string]string{
	"Query.me":                   "answers null when signed out; shows only the caller",
	"Query.portalConfig":         "the sign-in page needs the portal links and catalog",
	"Query.publicSupportContact": "the partner's public support contact, the same answer for every caller",
	"Query.invitation":           "the invitation preview: whoever holds the secret token from the mail",
	"Mutation.signIn":            "how a caller becomes signed in",
	"Mutation.signOut":           "ends the caller's own session; nothing when signed out",
	"Mutation.acceptInvitation":  "whoever holds the secret token from the mail",
	// The owner of an address is usually no user: the token from the
	// verification or test mail is their only credential.
	"Query.contactLink":              "the link preview: whoever holds the secret token from the verification or test mail",
	"Mutation.confirmContactAddress": "whoever holds the secret token from the verification or test mail",
	"Mutation.disputeContactAddress": "whoever holds the secret token from the verification mail",
	// An Account is only ever reached through an authorized field
	// (Query.account, Query.accounts, createAccount, requestLaunch); these
	// are what the caller already knows of it.
	"Account.id":               "reached only through an authorized field",
	"Account.name":             "reached only through an authorized field",
	"Account.integrationTypes": "reached only through an authorized field",
	"Account.createdAt":        "reached only through an authorized field",
}

// TestEveryFieldIsAuthorized walks the schema the server executes and fails
// for a field of Query, Mutation, Subscription or Account that has neither
// an authorization directive nor an entry in publicFields, and for an entry
// of publicFields that is stale (no such field, or it has a directive now).
func TestEveryFieldIsAuthorized(t *testing.T) {
	schema := graph.NewExecutableSchema(graph.Config{}).Schema()
	seen := map[string]bool{}
	for _, typeName := range []string{"Query", "Mutation", "Subscription", "Account"} {
		typ := schema.Types[typeName]
		if typ == nil {
			t.Fatalf("no type %s in the schema", typeName)
		}
		for _, f := range typ.Fields {
			if strings.HasPrefix(f.Name, "__") { // introspection, answered by gqlgen
				continue
			}
			name := typeName + "." + f.Name
			seen[name] = true
			_, public := publicFields[name]
			switch authorized := hasAuthzDirective(f); {
			case !authorized && !public:
				t.Errorf("%s has no authorization directive (@%s) and is not in publicFields",
					name, strings.Join(authzDirectives, ", @"))
			case authorized && public:
				t.Errorf("%s has an authorization directive: remove it from publicFields", name)
			}
		}
	}
	for name := range publicFields {
		if !seen[name] {
			t.Errorf("publicFields lists %s, which the schema does not have", name)
		}
	}
}

func hasAuthzDirective(f *ast.FieldDefinition) bool {
	for _, d := range f.Directives {
		if slices.Contains(authzDirectives, d.Name) {
			return true
		}
	}
	return false
}
