package graph_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/contactgate/contactgate/frontend"
	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/internal/apitest"
	"github.com/contactgate/contactgate/internal/testdb"
)

// directEveryFieldQuery selects every field the direct page renderer
// covers (graph/direct.go), through aliases, fragments, __typename,
// @include and @skip, and an argument from a variable.
const directEveryFieldQuery = `query($first: Int, $after: String, $yes: Boolean!, $env: Environment!) {
  accounts(first: $first, after: $after) {
    __typename totalCount
    pageInfo { __typename hasNextPage endCursor }
    edges { __typename cursor node {
      __typename id name integrationTypes createdAt launchRequestedAt
      g: accessGate(environment: $env) { __typename environment locked missing reviewDueAt reviewOverdue reviewLocked reviewLocksAt }
      sandbox: accessGate(environment: SANDBOX) @include(if: $yes) { locked }
      contactInfo { ...Info }
      members { __typename role createdAt user { __typename id email name language } }
    } }
  }
}
fragment Info on ContactInfo {
  __typename version merchantIssuesRequirement updatedAt reviewedAt reviewDueAt warningCodes
  updatedBy { id email } alertContacts { id email name language }
  technicalEmergency { ...C } technicalNonEmergency { ...C } merchantIssues { ...C } operationalForGoogle { ...C }
  operationalForUsers { ...C } skipped: version @skip(if: $yes)
  operationalSupport { __typename alwaysOpen openNow nextChange windows { __typename days opens closes timeZone } }
}
fragment C on Contact { __typename name email phone reachability { __typename email state since detail } }`

// TestDirectPageMatchesExecutor: a preloaded staff page rendered directly
// is the same bytes as gqlgen's executor answers, for every covered field
// and the ways a query can reach them, on both databases; a query that
// selects anything not covered is answered by the executor.
func TestDirectPageMatchesExecutor(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn})
		f := s.Fixture()
		staff := s.As(f.Staff)
		if _, err := s.DB.Seed(context.Background(), gormstore.SeedOptions{Accounts: 60, Seed: 5}); err != nil {
			t.Fatal(err)
		}
		// Characters the JSON writer must escape as gqlgen does, stored
		// behind the rules' back (no rule would store a control character).
		if err := s.DB.Gorm().Exec(`UPDATE accounts SET name = ? WHERE id = ?`,
			"Caffè \"Luna\" \\ <b>&</b> ☕\t\x01\u2028", f.AccountA.ID).Error; err != nil {
			t.Fatal(err)
		}
		persisted, err := frontend.PersistedDocuments()
		if err != nil {
			t.Fatal(err)
		}
		var spaStaffPage string
		for _, text := range persisted {
			if strings.Contains(text, "query StaffAccounts(") {
				spaStaffPage = text
			}
		}
		if spaStaffPage == "" {
			t.Fatal("the app has no StaffAccounts document")
		}
		var first struct {
			Accounts struct{ PageInfo struct{ EndCursor string } }
		}
		staff.MustData(StaffPageQuery, map[string]any{"first": 20}, &first)

		for _, c := range []struct {
			name   string
			query  string
			vars   map[string]any
			direct bool
		}{
			{"staff page", StaffPageQuery, map[string]any{"first": 100}, true},
			{"every field, included", directEveryFieldQuery, map[string]any{"first": 40, "yes": true, "env": "PRODUCTION"}, true},
			{"every field, skipped", directEveryFieldQuery, map[string]any{"first": 40, "yes": false, "env": "SANDBOX"}, true},
			{"second page", directEveryFieldQuery, map[string]any{"first": 40, "after": first.Accounts.PageInfo.EndCursor, "yes": true, "env": "PRODUCTION"}, true},
			{"aliases and fragments", goldenAliasQuery, map[string]any{"first": 30}, true},
			{"trust fields", trustNodeQuery, map[string]any{"first": 50}, true},
			{"the app's staff page", spaStaffPage, map[string]any{"first": 50}, true},
			{"empty page", StaffPageQuery, map[string]any{"first": 10, "filter": map[string]any{"search": "no account is called this"}}, true},
			{"invitations and a member's account (not covered)", fullNodeQuery, map[string]any{"first": 20}, false},
			{"warnings (not covered)", `query { accounts(first: 5) { edges { node { id contactInfo { warnings { code } } } } } }`, nil, false},
		} {
			t.Run(c.name, func(t *testing.T) {
				body, err := json.Marshal(map[string]any{"query": c.query, "variables": c.vars})
				if err != nil {
					t.Fatal(err)
				}
				s.Resolver.GeneralExecutorOnly.Store(true)
				want := staff.Post("application/json", body)
				s.Resolver.GeneralExecutorOnly.Store(false)
				before := s.DirectAnswers("accounts")
				got := staff.Post("application/json", body)
				if want.Status != 200 || len(want.Errors) > 0 {
					t.Fatalf("executor: %d %s", want.Status, want.Raw)
				}
				if got.Raw != want.Raw || got.Status != want.Status {
					t.Fatalf("direct answer differs from the executor's:\ndirect:   %s\nexecutor: %s", got.Raw, want.Raw)
				}
				if direct := s.DirectAnswers("accounts") > before; direct != c.direct {
					t.Fatalf("answered directly: %v, want %v", direct, c.direct)
				}
			})
		}
	})
}
