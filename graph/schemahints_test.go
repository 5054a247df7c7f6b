package graph_test

import (
	"strings"
	"testing"

	"github.com/contactgate/contactgate/internal/apitest"
	"github.com/contactgate/contactgate/internal/testdb"
	"github.com/contactgate/contactgate/models"
)

// nested wraps sel in n inline fragments on Query, or in a chain of n named
// fragments when spreads is set.
func nested(sel string, n int, spreads bool) string {
	if !spreads {
		return "{" + strings.Repeat("... on Query {", n) + sel + strings.Repeat("}", n) + "}"
	}
	var b strings.Builder
	b.WriteString("{...F0}")
	for i := 0; i < n; i++ {
		b.WriteString(" fragment F" + itoa(i) + " on Query {")
		if i == n-1 {
			b.WriteString(sel)
		} else {
			b.WriteString("...F" + itoa(i+1))
		}
		b.WriteString("}")
	}
	return b.String()
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// TestNoSchemaHints: with introspection off (the default), no error text
// suggests a name of the schema, and every way to __schema or __type is
// refused with VALIDATION_FAILED / INTROSPECTION_DISABLED, for anonymous
// and signed-in callers alike; __typename keeps working.
func TestNoSchemaHints(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn})
		f := s.Fixture()
		a := f.AccountA.ID
		callers := map[string]*apitest.Client{"anonymous": s.Anonymous(), "signed in": s.As(f.Admin)}

		misspelt := []struct {
			name, query string
			vars        map[string]any
		}{
			{"field", `{me{usr{id}}}`, nil},
			{"field on a union-like parent", `query($a:ID!){account(id:$a){nam}}`, map[string]any{"a": a}},
			{"argument", `query($a:ID!){account(idd:$a){id}}`, map[string]any{"a": a}},
			{"enum value", `query($a:ID!){accessGate(accountId:$a,environment:SANDBOXX){locked}}`, map[string]any{"a": a}},
			{"enum value in a variable", `query($a:ID!,$e:Environment!){accessGate(accountId:$a,environment:$e){locked}}`, map[string]any{"a": a, "e": "SANDBOXX"}},
			{"input field", `mutation($a:ID!){updateContactInfo(input:{accountId:$a,environment:SANDBOX,technicalEmergencyy:[]}){account{id}}}`, map[string]any{"a": a}},
			{"input field in a variable", `mutation($i:UpdateContactInfoInput!){updateContactInfo(input:$i){account{id}}}`,
				map[string]any{"i": map[string]any{"accountId": a, "environment": "SANDBOX", "technicalEmergencyy": []any{}}}},
			{"variable type", `query($e:Environmnt!){portalConfig{supportUrl}}`, nil},
			{"inline fragment type", `{... on Quer{__typename}}`, nil},
			{"fragment type", `{...F} fragment F on Acount{id}`, nil},
			{"selection on a scalar", `{me{user{email{x}}}}`, nil},
			{"missing selection", `{me}`, nil},
		}
		introspection := []struct{ name, query string }{
			{"__schema", `{__schema{types{name}}}`},
			{"__type", `{__type(name:"Account"){fields{name}}}`},
			{"aliased", `{q:__type(name:"Query"){name}}`},
			{"in 12 nested inline fragments", nested(`__type(name:"Account"){fields{name}}`, 12, false)},
			{"in 40 nested inline fragments", nested(`__schema{queryType{name}}`, 40, false)},
			{"in a chain of 12 fragments", nested(`t:__type(name:"Account"){name}`, 12, true)},
			{"beside a normal field", `{portalConfig{supportUrl} ... on Query { ... on Query { __schema{types{name}} } }}`},
		}
		for who, c := range callers {
			for _, m := range misspelt {
				t.Run(who+"/misspelt "+m.name, func(t *testing.T) {
					r := c.Do(m.query, m.vars)
					if len(r.Errors) == 0 {
						t.Fatalf("no error: %s", r.Raw)
					}
					if strings.Contains(strings.ToLower(r.Raw), "did you mean") {
						t.Fatalf("the answer suggests a name: %s", r.Raw)
					}
					if r.Code() != "VALIDATION_FAILED" {
						t.Fatalf("code %q: %s", r.Code(), r.Raw)
					}
				})
			}
			for _, q := range introspection {
				t.Run(who+"/introspection "+q.name, func(t *testing.T) {
					r := c.Do(q.query, nil)
					if r.Code() != "VALIDATION_FAILED" || r.Errors[0].Extensions.Reason != models.ReasonIntrospectionDisabled {
						t.Fatalf("want VALIDATION_FAILED (%s): %s", models.ReasonIntrospectionDisabled, r.Raw)
					}
					if string(r.Data) != "" && string(r.Data) != "null" {
						t.Fatalf("data answered: %s", r.Data)
					}
				})
			}
			t.Run(who+"/__typename", func(t *testing.T) {
				var d struct {
					Typename string `json:"__typename"`
				}
				c.MustData(nested(`__typename`, 12, false), nil, &d)
				if d.Typename != "Query" {
					t.Fatalf("__typename = %q", d.Typename)
				}
			})
		}
		if strings.Contains(s.Log.String(), `"level":"ERROR"`) {
			t.Fatalf("refused introspection logged an error:\n%s", grepLines(s.Log.String(), `"level":"ERROR"`))
		}
	})
}
