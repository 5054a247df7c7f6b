package graph_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/contactgate/contactgate/internal/apitest"
	"github.com/contactgate/contactgate/models"
)

// This file tests the access gate through the API: accessGate and
// Account.accessGate, every field missing in turn in both environments, the
// merchant requirement of each integration type, and the @gated features.

type ciGate struct {
	Environment string   `json:"environment"`
	Locked      bool     `json:"locked"`
	Missing     []string `json:"missing"`
}

// gateOf asks the gate both ways, accessGate(accountId, environment) and
// Account.accessGate(environment), fails unless they agree and are
// consistent, and returns locked and missing.
func ciGateOf(t *testing.T, c *apitest.Client, accountID string, env models.Environment) (bool, []string) {
	t.Helper()
	var out struct {
		AccessGate ciGate
		Account    struct{ AccessGate ciGate }
	}
	c.MustData(`query($a:ID!,$e:Environment!){
		accessGate(accountId:$a,environment:$e){environment locked missing}
		account(id:$a){accessGate(environment:$e){environment locked missing}}}`,
		map[string]any{"a": accountID, "e": string(env)}, &out)
	q, f := out.AccessGate, out.Account.AccessGate
	if q.Environment != string(env) || f.Environment != string(env) {
		t.Errorf("gate environment %q / %q, asked %s", q.Environment, f.Environment, env)
	}
	if q.Locked != f.Locked || !slices.Equal(q.Missing, f.Missing) {
		t.Errorf("accessGate %+v and Account.accessGate %+v disagree", q, f)
	}
	if q.Missing == nil || q.Locked != (len(q.Missing) > 0) {
		t.Errorf("locked %v with missing %v", q.Locked, q.Missing)
	}
	return q.Locked, q.Missing
}

var ciAllFields = []string{"ALERT_CONTACTS", "TECHNICAL_EMERGENCY", "TECHNICAL_NON_EMERGENCY", "MERCHANT_ISSUES",
	"OPERATIONAL_FOR_GOOGLE", "OPERATIONAL_FOR_USERS", "OPERATIONAL_SUPPORT"}

// without returns fields minus drop, keeping the order.
func ciWithout(fields []string, drop ...string) []string {
	return slices.DeleteFunc(slices.Clone(fields), func(f string) bool { return slices.Contains(drop, f) })
}

// TestGateEachFieldMissing empties each field in turn (and some pairs) of a
// complete account whose merchant contact is REQUIRED, and checks the gate
// of both environments: SANDBOX ignores alert contacts, PRODUCTION needs
// them, and missing is in field order.
func TestGateEachFieldMissing(t *testing.T) {
	e := newCIEnv(t)
	a := e.f.AccountA.ID
	admin, reader := e.as(e.f.Admin), e.as(e.f.ReadOnly)
	prod, sandbox := models.EnvironmentProduction, models.EnvironmentSandbox

	// A fresh account misses everything, in field order.
	for _, env := range []models.Environment{sandbox, prod} {
		want := ciAllFields
		if env == sandbox {
			want = ciWithout(ciAllFields, "ALERT_CONTACTS")
		}
		if locked, missing := ciGateOf(t, reader, a, env); !locked || !slices.Equal(missing, want) {
			t.Errorf("fresh account, %s: locked %v missing %v, want %v", env, locked, missing, want)
		}
	}

	// What empties each field, and what fills it again.
	empty := map[string]map[string]any{
		"ALERT_CONTACTS":          {"alertContactUserIds": []any{}},
		"TECHNICAL_EMERGENCY":     {"technicalEmergency": []any{}},
		"TECHNICAL_NON_EMERGENCY": {"technicalNonEmergency": []any{}},
		"MERCHANT_ISSUES":         {"merchantIssues": []any{}},
		"OPERATIONAL_FOR_GOOGLE":  {"operationalForGoogle": []any{}},
		"OPERATIONAL_FOR_USERS":   {"operationalForUsers": nil},
		"OPERATIONAL_SUPPORT":     {"operationalSupport": nil},
	}
	fill := map[string]any{
		"alertContactUserIds":   []any{e.f.Editor.ID},
		"technicalEmergency":    ciContacts("pager@partner.example"),
		"technicalNonEmergency": ciContacts("tech@partner.example"),
		"merchantIssues":        ciContacts("merchants@partner.example"),
		"operationalForGoogle":  ciContacts("ops@partner.example"),
		"operationalForUsers":   ciContactIn("help@partner.example"),
		"operationalSupport":    ciHoursIn(ciWindowIn([]string{"MONDAY"}, "09:00", "17:00", "Europe/Rome")),
	}
	e.mustSave(admin, a, prod, fill)
	for _, env := range []models.Environment{sandbox, prod} {
		if locked, missing := ciGateOf(t, reader, a, env); locked || len(missing) != 0 {
			t.Fatalf("complete account, %s: locked %v missing %v", env, locked, missing)
		}
	}

	cases := [][]string{
		{"ALERT_CONTACTS"}, {"TECHNICAL_EMERGENCY"}, {"TECHNICAL_NON_EMERGENCY"}, {"MERCHANT_ISSUES"},
		{"OPERATIONAL_FOR_GOOGLE"}, {"OPERATIONAL_FOR_USERS"}, {"OPERATIONAL_SUPPORT"},
		// Pairs given in reverse order still come back in field order.
		{"OPERATIONAL_SUPPORT", "TECHNICAL_EMERGENCY"},
		{"OPERATIONAL_FOR_USERS", "ALERT_CONTACTS"},
		{"ALERT_CONTACTS", "MERCHANT_ISSUES", "OPERATIONAL_FOR_GOOGLE"},
	}
	for _, gone := range cases {
		t.Run(ciJoin(gone), func(t *testing.T) {
			patch := map[string]any{}
			for _, f := range gone {
				for k, v := range empty[f] {
					patch[k] = v
				}
			}
			e.mustSave(admin, a, prod, patch)
			for _, env := range []models.Environment{sandbox, prod} {
				want := ciWithout(ciAllFields, ciWithout(ciAllFields, gone...)...)
				if env == sandbox {
					want = ciWithout(want, "ALERT_CONTACTS")
				}
				locked, missing := ciGateOf(t, reader, a, env)
				if locked != (len(want) > 0) || !slices.Equal(missing, want) {
					t.Errorf("%s: locked %v missing %v, want missing %v", env, locked, missing, want)
				}
			}
			e.mustSave(admin, a, prod, fill)
			for _, env := range []models.Environment{sandbox, prod} {
				if locked, _ := ciGateOf(t, reader, a, env); locked {
					t.Errorf("%s still locked after filling again", env)
				}
			}
		})
	}
}

// TestGateMerchantRequirement checks the merchant-issues requirement that
// each integration type (and each mix) gives, and what it does to the gate
// and to saves.
func TestGateMerchantRequirement(t *testing.T) {
	e := newCIEnv(t)
	s := e.s
	tests := []struct {
		types []string
		want  string
	}{
		{[]string{"APPOINTMENTS_E2E"}, "REQUIRED"},
		{[]string{"RESERVATIONS_E2E"}, "REQUIRED"},
		{[]string{"ORDERING_E2E"}, "REQUIRED"},
		{[]string{"BUSINESS_LINK"}, "UNAVAILABLE"},
		{[]string{"ORDERING_REDIRECT"}, "UNAVAILABLE"},
		{[]string{"THINGS_TO_DO"}, "UNAVAILABLE"},
		{[]string{"WAITLIST_E2E"}, "OPTIONAL"},
		// A mixed account takes the strictest, whatever the order.
		{[]string{"BUSINESS_LINK", "WAITLIST_E2E"}, "OPTIONAL"},
		{[]string{"WAITLIST_E2E", "THINGS_TO_DO"}, "OPTIONAL"},
		{[]string{"BUSINESS_LINK", "APPOINTMENTS_E2E"}, "REQUIRED"},
		{[]string{"WAITLIST_E2E", "ORDERING_E2E"}, "REQUIRED"},
		{[]string{"THINGS_TO_DO", "ORDERING_REDIRECT", "BUSINESS_LINK"}, "UNAVAILABLE"},
	}
	for i, tc := range tests {
		t.Run(tc.want+"/"+ciJoin(tc.types), func(t *testing.T) {
			admin := s.User("admin"+string(rune('a'+i))+"@types.example", false)
			acc := s.Account("Types "+ciJoin(tc.types), tc.types, admin)
			c := e.as(admin)
			var out struct {
				Account struct {
					IntegrationTypes []string
					ContactInfo      struct{ MerchantIssuesRequirement string }
				}
			}
			c.MustData(`query($a:ID!){account(id:$a){integrationTypes contactInfo{merchantIssuesRequirement}}}`,
				map[string]any{"a": acc.ID}, &out)
			if got := out.Account.ContactInfo.MerchantIssuesRequirement; got != tc.want {
				t.Errorf("merchantIssuesRequirement %s, want %s", got, tc.want)
			}
			wantFresh := ciWithout(ciAllFields, "ALERT_CONTACTS")
			if tc.want != "REQUIRED" {
				wantFresh = ciWithout(wantFresh, "MERCHANT_ISSUES")
			}
			if _, missing := ciGateOf(t, c, acc.ID, models.EnvironmentSandbox); !slices.Equal(missing, wantFresh) {
				t.Errorf("fresh SANDBOX missing %v, want %v", missing, wantFresh)
			}

			// Everything but merchant contacts: locked only when REQUIRED.
			e.completeVia(c, acc.ID, false, admin.ID)
			for _, env := range []models.Environment{models.EnvironmentSandbox, models.EnvironmentProduction} {
				locked, missing := ciGateOf(t, c, acc.ID, env)
				if tc.want == "REQUIRED" {
					if !locked || !slices.Equal(missing, []string{"MERCHANT_ISSUES"}) {
						t.Errorf("%s without merchant contacts: locked %v missing %v", env, locked, missing)
					}
				} else if locked {
					t.Errorf("%s without merchant contacts: locked, missing %v", env, missing)
				}
			}

			// Merchant contacts are refused only when UNAVAILABLE; an empty
			// list is always accepted.
			r := e.save(c, acc.ID, models.EnvironmentSandbox, map[string]any{"merchantIssues": ciContacts("m@partner.example")})
			if tc.want == "UNAVAILABLE" {
				if got := ciFieldPaths(t, r, "VALIDATION_FAILED"); !slices.Equal(got, []string{"merchantIssues"}) {
					t.Errorf("merchant contacts on an UNAVAILABLE account: %s", r.Raw)
				}
			} else if r.Code() != "" {
				t.Errorf("merchant contacts on a %s account: %s", tc.want, r.Raw)
			}
			if r := e.save(c, acc.ID, models.EnvironmentSandbox, map[string]any{"merchantIssues": []any{}}); r.Code() != "" {
				t.Errorf("empty merchant list: %s", r.Raw)
			}
			if locked, missing := ciGateOf(t, c, acc.ID, models.EnvironmentProduction); locked != (tc.want == "REQUIRED") {
				t.Errorf("PRODUCTION after emptying merchant contacts: locked %v missing %v", locked, missing)
			}
		})
	}
}

func ciJoin(ss []string) string { return strings.Join(ss, "+") }

// TestGateAlertContactsOnlyInProduction: alert contacts given with
// environment SANDBOX are refused, even an empty list, and even next to
// valid fields, which are then not saved either.
func TestGateAlertContactsOnlyInProduction(t *testing.T) {
	e := newCIEnv(t)
	a := e.f.AccountA.ID
	admin := e.as(e.f.Admin)
	for _, ids := range [][]any{{e.f.Admin.ID}, {}} {
		before := e.snap(a)
		r := e.save(admin, a, models.EnvironmentSandbox, map[string]any{
			"alertContactUserIds": ids, "technicalEmergency": ciContacts("pager@partner.example")})
		if got := ciFieldPaths(t, r, "VALIDATION_FAILED"); !slices.Equal(got, []string{"alertContactUserIds"}) {
			t.Errorf("alert contacts %v in SANDBOX: %s", ids, r.Raw)
		}
		e.requireUnchanged(a, before, "alert contacts in SANDBOX")
	}
	// In PRODUCTION they save, and only PRODUCTION's gate cares.
	e.completeVia(admin, a, true, "")
	if locked, missing := ciGateOf(t, admin, a, models.EnvironmentProduction); !locked || !slices.Equal(missing, []string{"ALERT_CONTACTS"}) {
		t.Errorf("PRODUCTION without alert contacts: %v %v", locked, missing)
	}
	e.mustSave(admin, a, models.EnvironmentProduction, map[string]any{"alertContactUserIds": []any{e.f.ReadOnly.ID, e.f.Admin.ID}})
	if locked, _ := ciGateOf(t, admin, a, models.EnvironmentProduction); locked {
		t.Errorf("PRODUCTION locked with alert contacts")
	}
	// A SANDBOX save that leaves them out keeps them.
	e.mustSave(admin, a, models.EnvironmentSandbox, map[string]any{"technicalEmergency": ciContacts("new@partner.example")})
	if got := e.snap(a).Info.AlertContacts; len(got) != 2 || got[0].ID != e.f.ReadOnly.ID {
		t.Errorf("alert contacts after a SANDBOX save: %v", got)
	}
}

// TestGatedFeatures: history, createApiToken and apiTokens (gated in
// SANDBOX) and requestLaunch (gated in PRODUCTION) answer
// CONTACT_INFO_REQUIRED with extensions.missing while locked and work once
// unlocked; the features needed to unlock never are gated; staff never are;
// non-members learn nothing from the gate.
func TestGatedFeatures(t *testing.T) {
	e := newCIEnv(t)
	a := e.f.AccountA.ID
	admin := e.as(e.f.Admin)
	_, rwToken, err := e.s.Services.Tokens.Create(t.Context(), &e.f.Admin.ID, a, "rw", false)
	if err != nil {
		t.Fatal(err)
	}
	token := e.s.WithToken(rwToken)
	vars := map[string]any{"a": a}

	const (
		history      = `query($a:ID!){account(id:$a){history{totalCount}}}`
		apiTokens    = `query($a:ID!){account(id:$a){apiTokens{name}}}`
		createToken  = `mutation($a:ID!){createApiToken(input:{accountId:$a,name:"ci",readOnly:true}){token}}`
		launch       = `mutation($a:ID!){requestLaunch(accountId:$a){launchRequestedAt}}`
		launchedAtQL = `query($a:ID!){account(id:$a){launchRequestedAt}}`
	)
	sandboxMissing := ciWithout(ciAllFields, "ALERT_CONTACTS")

	type call struct {
		name   string
		c      *apitest.Client
		q      string
		code   string
		missng []string
	}
	expect := func(step string, calls []call) {
		t.Helper()
		for _, c := range calls {
			r := c.c.Do(c.q, vars)
			if r.Code() != c.code {
				t.Errorf("%s: %s: got %q, want %q: %s", step, c.name, r.Code(), c.code, r.Raw)
				continue
			}
			if c.code == "CONTACT_INFO_REQUIRED" {
				if len(r.Errors) != 1 || !slices.Equal(r.Errors[0].Extensions.Missing, c.missng) {
					t.Errorf("%s: %s: missing %v, want %v: %s", step, c.name, r.Errors[0].Extensions.Missing, c.missng, r.Raw)
				}
			}
			if c.code == "" && string(r.Data) == "null" {
				t.Errorf("%s: %s: no data: %s", step, c.name, r.Raw)
			}
		}
	}

	// Locked in both environments.
	expect("locked", []call{
		{"history (admin)", admin, history, "CONTACT_INFO_REQUIRED", sandboxMissing},
		{"history (READ_ONLY)", e.as(e.f.ReadOnly), history, "CONTACT_INFO_REQUIRED", sandboxMissing},
		{"history (token)", token, history, "CONTACT_INFO_REQUIRED", sandboxMissing},
		{"apiTokens", admin, apiTokens, "CONTACT_INFO_REQUIRED", sandboxMissing},
		{"createApiToken", admin, createToken, "CONTACT_INFO_REQUIRED", sandboxMissing},
		{"requestLaunch (admin)", admin, launch, "CONTACT_INFO_REQUIRED", ciAllFields},
		{"requestLaunch (token)", token, launch, "CONTACT_INFO_REQUIRED", ciAllFields},
		// The role check comes before the gate.
		{"createApiToken (EDITOR)", e.as(e.f.Editor), createToken, "FORBIDDEN", nil},
		{"requestLaunch (READ_ONLY)", e.as(e.f.ReadOnly), launch, "FORBIDDEN", nil},
		// Non-members get NOT_FOUND, never the gate and its missing fields.
		{"history (outsider)", e.as(e.f.Outsider), history, "NOT_FOUND", nil},
		{"requestLaunch (other admin)", e.as(e.f.AdminB), launch, "NOT_FOUND", nil},
		{"createApiToken (other admin)", e.as(e.f.AdminB), createToken, "NOT_FOUND", nil},
		{"history (anonymous)", e.s.Anonymous(), history, "UNAUTHENTICATED", nil},
		// Staff are never gated.
		{"history (staff)", e.as(e.f.Staff), history, "", nil},
		{"apiTokens (staff)", e.as(e.f.Staff), apiTokens, "", nil},
		// What unlocks the portal stays open.
		{"me", admin, `{me{user{id} memberships{role}}}`, "", nil},
		{"portalConfig", admin, `{portalConfig{supportUrl integrationTypes{name merchantIssues}}}`, "", nil},
		{"account", admin, `query($a:ID!){account(id:$a){name contactInfo{version} members{role} invitations{email}}}`, "", nil},
		{"accessGate", admin, `query($a:ID!){accessGate(accountId:$a,environment:PRODUCTION){locked}}`, "", nil},
		{"inviteUser", admin, `mutation($a:ID!){inviteUser(input:{accountId:$a,email:"helper@a.example",role:EDITOR}){id}}`, "", nil},
		{"updateContactInfo (token)", token, `mutation($a:ID!){updateContactInfo(input:{accountId:$a,environment:SANDBOX,technicalEmergency:[{email:"p@partner.example"}]}){account{id}}}`, "", nil},
	})
	if r := admin.Do(launchedAtQL, vars); !ciJSONHas(r.Data, `"launchRequestedAt":null`) {
		t.Errorf("a refused requestLaunch recorded it: %s", r.Raw)
	}

	// SANDBOX unlocked, PRODUCTION still missing alert contacts.
	e.completeVia(admin, a, true, "")
	expect("SANDBOX unlocked", []call{
		{"history", admin, history, "", nil},
		{"history (token)", token, history, "", nil},
		{"apiTokens", admin, apiTokens, "", nil},
		{"createApiToken", admin, createToken, "", nil},
		{"requestLaunch", admin, launch, "CONTACT_INFO_REQUIRED", []string{"ALERT_CONTACTS"}},
		{"requestLaunch (token)", token, launch, "CONTACT_INFO_REQUIRED", []string{"ALERT_CONTACTS"}},
	})

	// Both unlocked, but no address confirmed yet but the alert contact's
	// (a member's, VERIFIED by the invitation): CONTACT_UNVERIFIED.
	e.mustSave(admin, a, models.EnvironmentProduction, map[string]any{"alertContactUserIds": []any{e.f.Admin.ID}})
	unverified := `mutation($a:ID!){requestLaunch(accountId:$a){launchRequestedAt}}`
	if r := admin.Do(unverified, vars); r.Code() != "CONTACT_UNVERIFIED" {
		t.Fatalf("requestLaunch with unverified addresses: %s", r.Raw)
	}
	// Once every address is confirmed, requestLaunch records the request.
	e.s.VerifyAllAddresses(a)
	expect("PRODUCTION unlocked", []call{
		{"requestLaunch (EDITOR)", e.as(e.f.Editor), launch, "", nil},
		{"requestLaunch (token)", token, launch, "", nil},
		{"requestLaunch (staff)", e.as(e.f.Staff), launch, "FORBIDDEN", nil},
	})
	var out struct {
		Account struct{ LaunchRequestedAt *string }
	}
	admin.MustData(launchedAtQL, vars, &out)
	if out.Account.LaunchRequestedAt == nil {
		t.Errorf("launchRequestedAt not recorded")
	}

	// Emptying a field locks again.
	e.mustSave(admin, a, models.EnvironmentSandbox, map[string]any{"operationalForUsers": nil})
	expect("locked again", []call{
		{"history", admin, history, "CONTACT_INFO_REQUIRED", []string{"OPERATIONAL_FOR_USERS"}},
		{"createApiToken", admin, createToken, "CONTACT_INFO_REQUIRED", []string{"OPERATIONAL_FOR_USERS"}},
		{"requestLaunch", admin, launch, "CONTACT_INFO_REQUIRED", []string{"OPERATIONAL_FOR_USERS"}},
		{"history (staff)", e.as(e.f.Staff), history, "", nil},
	})
}

func ciJSONHas(raw json.RawMessage, fragment string) bool {
	return json.Valid(raw) && strings.Contains(string(raw), fragment)
}
