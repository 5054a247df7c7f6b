package graph_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/contactgate/contactgate/internal/apitest"
	"github.com/contactgate/contactgate/internal/testdb"
	"github.com/contactgate/contactgate/models"
)

// This file tests updateContactInfo through the real HTTP API on a real
// database: validation (every rule, at its exact path, and that a refused
// save changes nothing), partial saves, the optimistic lock, concurrent
// saves on SQLite and PostgreSQL, and who may read and write. It also holds
// the helpers that gate_test.go, history_test.go and public_test.go share.

// ciEnv is a server with the fixture and one signed-in client per user.
type ciEnv struct {
	t       *testing.T
	s       *apitest.Server
	f       *apitest.Fixture
	mu      sync.Mutex
	clients map[string]*apitest.Client
}

func newCIEnv(t *testing.T) *ciEnv {
	t.Helper()
	return ciEnvOn(t, apitest.New(t))
}

func ciEnvOn(t *testing.T, s *apitest.Server) *ciEnv {
	t.Helper()
	return &ciEnv{t: t, s: s, f: s.Fixture(), clients: map[string]*apitest.Client{}}
}

// as returns a client signed in as u (signed in once, then reused).
func (e *ciEnv) as(u *models.User) *apitest.Client {
	e.t.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	if c, ok := e.clients[u.ID]; ok {
		return c
	}
	c := e.s.As(u)
	e.clients[u.ID] = c
	return c
}

// ciSaveMutation asks for the version only; readers use ciInfoQuery.
const ciSaveMutation = `mutation($in:UpdateContactInfoInput!){updateContactInfo(input:$in){account{id contactInfo{version}}}}`

// save sends updateContactInfo with accountId, environment and the given
// input fields (nil values are sent as JSON null).
func (e *ciEnv) save(c *apitest.Client, accountID string, env models.Environment, fields map[string]any) *apitest.Response {
	e.t.Helper()
	in := map[string]any{"accountId": accountID, "environment": string(env)}
	maps.Copy(in, fields)
	return c.Do(ciSaveMutation, map[string]any{"in": in})
}

// mustSave is save, failing the test on any error; it returns the new version.
func (e *ciEnv) mustSave(c *apitest.Client, accountID string, env models.Environment, fields map[string]any) int {
	e.t.Helper()
	r := e.save(c, accountID, env, fields)
	if len(r.Errors) > 0 {
		e.t.Fatalf("save %v: %s", fields, r.Raw)
	}
	var out struct {
		UpdateContactInfo struct {
			Account struct {
				ContactInfo struct{ Version int }
			}
		}
	}
	if err := json.Unmarshal(r.Data, &out); err != nil {
		e.t.Fatalf("decode %s: %v", r.Raw, err)
	}
	return out.UpdateContactInfo.Account.ContactInfo.Version
}

type ciContact struct {
	Name  *string `json:"name"`
	Email string  `json:"email"`
	Phone *string `json:"phone"`
}

type ciWindow struct {
	Days     []string `json:"days"`
	Opens    string   `json:"opens"`
	Closes   string   `json:"closes"`
	TimeZone string   `json:"timeZone"`
}

type ciHours struct {
	AlwaysOpen bool       `json:"alwaysOpen"`
	Windows    []ciWindow `json:"windows"`
	OpenNow    bool       `json:"openNow"`
	NextChange *time.Time `json:"nextChange"`
}

type ciInfo struct {
	Version                   int         `json:"version"`
	AlertContacts             []ciID      `json:"alertContacts"`
	TechnicalEmergency        []ciContact `json:"technicalEmergency"`
	TechnicalNonEmergency     []ciContact `json:"technicalNonEmergency"`
	MerchantIssues            []ciContact `json:"merchantIssues"`
	MerchantIssuesRequirement string      `json:"merchantIssuesRequirement"`
	OperationalForGoogle      []ciContact `json:"operationalForGoogle"`
	OperationalForUsers       *ciContact  `json:"operationalForUsers"`
	OperationalSupport        *ciHours    `json:"operationalSupport"`
	UpdatedAt                 *time.Time  `json:"updatedAt"`
	UpdatedBy                 *ciID       `json:"updatedBy"`
}

type ciID struct {
	ID string `json:"id"`
}

const ciContactFieldsQL = `name email phone`

// ciInfoQuery reads every stored value of the contact info (not openNow and
// nextChange, which depend on the clock) and the history's size.
const ciInfoQuery = `query($a:ID!){account(id:$a){contactInfo{
	version alertContacts{id}
	technicalEmergency{` + ciContactFieldsQL + `} technicalNonEmergency{` + ciContactFieldsQL + `}
	merchantIssues{` + ciContactFieldsQL + `} merchantIssuesRequirement
	operationalForGoogle{` + ciContactFieldsQL + `} operationalForUsers{` + ciContactFieldsQL + `}
	operationalSupport{alwaysOpen windows{days opens closes timeZone}}
	updatedAt updatedBy{id}
} history(first:1){totalCount}}}`

// ciSnapshot is what a refused save must leave alone.
type ciSnapshot struct {
	Info         ciInfo
	Raw          string // the contactInfo object as the API returned it
	HistoryTotal int
}

// snap reads an account's contact info and history size as staff, who are
// never gated, so that it also works while the account is locked.
func (e *ciEnv) snap(accountID string) ciSnapshot {
	e.t.Helper()
	r := e.as(e.f.Staff).Do(ciInfoQuery, map[string]any{"a": accountID})
	if len(r.Errors) > 0 {
		e.t.Fatalf("read contact info: %s", r.Raw)
	}
	var out struct {
		Account struct {
			ContactInfo json.RawMessage
			History     struct{ TotalCount int }
		}
	}
	if err := json.Unmarshal(r.Data, &out); err != nil {
		e.t.Fatalf("decode %s: %v", r.Raw, err)
	}
	s := ciSnapshot{Raw: string(out.Account.ContactInfo), HistoryTotal: out.Account.History.TotalCount}
	if err := json.Unmarshal(out.Account.ContactInfo, &s.Info); err != nil {
		e.t.Fatalf("decode %s: %v", out.Account.ContactInfo, err)
	}
	return s
}

// requireUnchanged fails when an account's contact info or history differs
// from before.
func (e *ciEnv) requireUnchanged(accountID string, before ciSnapshot, what string) {
	e.t.Helper()
	after := e.snap(accountID)
	if after.Info.Version != before.Info.Version {
		e.t.Errorf("%s: version %d → %d", what, before.Info.Version, after.Info.Version)
	}
	if after.HistoryTotal != before.HistoryTotal {
		e.t.Errorf("%s: history totalCount %d → %d", what, before.HistoryTotal, after.HistoryTotal)
	}
	if after.Raw != before.Raw {
		e.t.Errorf("%s: stored values changed:\nbefore %s\nafter  %s", what, before.Raw, after.Raw)
	}
}

// completeVia fills every field through the API: in PRODUCTION with alert
// contacts when alertUserID is not "", else in SANDBOX; merchant contacts
// only when merchant is true.
func (e *ciEnv) completeVia(c *apitest.Client, accountID string, merchant bool, alertUserID string) int {
	e.t.Helper()
	fields := map[string]any{
		"technicalEmergency":    []any{ciContactIn("pager@partner.example")},
		"technicalNonEmergency": []any{ciContactIn("tech@partner.example")},
		"operationalForGoogle":  []any{ciContactIn("ops@partner.example")},
		"operationalForUsers":   ciContactIn("help@partner.example"),
		"operationalSupport":    map[string]any{"alwaysOpen": true, "windows": []any{}},
	}
	if merchant {
		fields["merchantIssues"] = []any{ciContactIn("merchants@partner.example")}
	}
	env := models.EnvironmentSandbox
	if alertUserID != "" {
		env = models.EnvironmentProduction
		fields["alertContactUserIds"] = []any{alertUserID}
	}
	return e.mustSave(c, accountID, env, fields)
}

func ciContactIn(email string) map[string]any { return map[string]any{"email": email} }

func ciContacts(emails ...string) []any {
	out := make([]any, len(emails))
	for i, m := range emails {
		out[i] = ciContactIn(m)
	}
	return out
}

func ciWindowIn(days []string, opens, closes, zone string) map[string]any {
	return map[string]any{"days": days, "opens": opens, "closes": closes, "timeZone": zone}
}

func ciHoursIn(windows ...map[string]any) map[string]any {
	ws := make([]any, len(windows))
	for i, w := range windows {
		ws[i] = w
	}
	return map[string]any{"alwaysOpen": false, "windows": ws}
}

// fieldPaths returns the extensions.fields paths of a response's only
// error, failing unless it has exactly one error with the given code.
func ciFieldPaths(t *testing.T, r *apitest.Response, code string) []string {
	t.Helper()
	if len(r.Errors) != 1 || r.Code() != code {
		t.Fatalf("want exactly one %s error, got %s", code, r.Raw)
	}
	out := []string{}
	for _, f := range r.Errors[0].Extensions.Fields {
		if f.Message == "" {
			t.Errorf("field %s has no message: %s", f.Field, r.Raw)
		}
		// Every problem of a domain validation has its own machine-readable
		// code, never the generic INVALID.
		if f.Code == "" || f.Code == models.FieldInvalid {
			t.Errorf("field %s has no specific code: %s", f.Field, r.Raw)
		}
		out = append(out, f.Field)
	}
	return out
}

func ciStr(s string) *string { return &s }

// TestUpdateContactInfoValidation runs one refused save per rule through the
// API and checks the exact extensions.fields paths, and that the refused save
// changed nothing: version, history and every stored value.
func TestUpdateContactInfoValidation(t *testing.T) {
	e := newCIEnv(t)
	a, b := e.f.AccountA.ID, e.f.AccountB.ID
	// Stored values worth protecting: account A complete with alert
	// contacts, account B (BUSINESS_LINK, merchant UNAVAILABLE) complete.
	e.completeVia(e.as(e.f.Admin), a, true, e.f.Admin.ID)
	e.completeVia(e.as(e.f.AdminB), b, false, "")

	long := func(n int) string { return strings.Repeat("x", n) }
	// A 255-character address that is valid in every other way.
	email255 := long(64) + "@" + long(63) + "." + long(63) + "." + long(54) + ".example"
	if len(email255) != 255 {
		t.Fatalf("email255 has %d characters", len(email255))
	}
	eleven := make([]string, 11)
	for i := range eleven {
		eleven[i] = fmt.Sprintf("c%d@partner.example", i)
	}
	day := []string{"MONDAY"}
	rome := "Europe/Rome"

	tests := []struct {
		name    string
		account string // "" means account A
		env     models.Environment
		fields  map[string]any
		want    []string
	}{
		{name: "email syntax", fields: map[string]any{"technicalEmergency": ciContacts("ok@partner.example", "not-an-email")},
			want: []string{"technicalEmergency[1].email"}},
		{name: "email without a dot in the domain", fields: map[string]any{"technicalNonEmergency": ciContacts("root@localhost")},
			want: []string{"technicalNonEmergency[0].email"}},
		{name: "email with a display name", fields: map[string]any{"operationalForGoogle": ciContacts("Ops <ops@partner.example>")},
			want: []string{"operationalForGoogle[0].email"}},
		{name: "empty email", fields: map[string]any{"merchantIssues": ciContacts("   ")},
			want: []string{"merchantIssues[0].email"}},
		{name: "email of 255 characters", fields: map[string]any{"technicalEmergency": ciContacts(email255)},
			want: []string{"technicalEmergency[0].email"}},
		{name: "name of 65 characters", fields: map[string]any{"technicalEmergency": []any{
			map[string]any{"name": long(65), "email": "a@partner.example"}}},
			want: []string{"technicalEmergency[0].name"}},
		{name: "phone without country code", fields: map[string]any{"technicalEmergency": []any{
			map[string]any{"email": "a@partner.example", "phone": "06 1234 5678"}}},
			want: []string{"technicalEmergency[0].phone"}},
		{name: "unparseable phone", fields: map[string]any{"technicalNonEmergency": []any{
			map[string]any{"email": "a@partner.example"},
			map[string]any{"email": "b@partner.example", "phone": "+39 12"}}},
			want: []string{"technicalNonEmergency[1].phone"}},
		{name: "phone with letters", fields: map[string]any{"operationalForUsers": map[string]any{
			"email": "help@partner.example", "phone": "+1 800 FLOWERS"}},
			want: []string{"operationalForUsers.phone"}},
		{name: "more than 10 entries", fields: map[string]any{"operationalForGoogle": ciContacts(eleven...)},
			want: []string{"operationalForGoogle"}},
		{name: "duplicate emails, case-insensitive", fields: map[string]any{
			"technicalEmergency": ciContacts("a@partner.example", "b@partner.example", " A@Partner.Example ")},
			want: []string{"technicalEmergency[2].email"}},
		{name: "alert contact not a member", env: models.EnvironmentProduction,
			fields: map[string]any{"alertContactUserIds": []any{e.f.Admin.ID, e.f.AdminB.ID}},
			want:   []string{"alertContactUserIds[1]"}},
		{name: "alert contact that is no user", env: models.EnvironmentProduction,
			fields: map[string]any{"alertContactUserIds": []any{"no-such-user"}},
			want:   []string{"alertContactUserIds[0]"}},
		{name: "alert contact twice", env: models.EnvironmentProduction,
			fields: map[string]any{"alertContactUserIds": []any{e.f.Editor.ID, e.f.Editor.ID}},
			want:   []string{"alertContactUserIds[1]"}},
		{name: "alert contacts in SANDBOX", env: models.EnvironmentSandbox, fields: map[string]any{"alertContactUserIds": []any{e.f.Admin.ID}},
			want: []string{"alertContactUserIds"}},
		{name: "merchant contacts when UNAVAILABLE", account: b,
			fields: map[string]any{"merchantIssues": ciContacts("m@partner.example")},
			want:   []string{"merchantIssues"}},
		{name: "bad time zone", fields: map[string]any{"operationalSupport": ciHoursIn(ciWindowIn(day, "09:00", "17:00", "Mars/Olympus_Mons"))},
			want: []string{"operationalSupport.windows[0].timeZone"}},
		{name: "time zone Local", fields: map[string]any{"operationalSupport": ciHoursIn(ciWindowIn(day, "09:00", "17:00", "Local"))},
			want: []string{"operationalSupport.windows[0].timeZone"}},
		{name: "opens equals closes", fields: map[string]any{"operationalSupport": ciHoursIn(
			ciWindowIn(day, "09:00", "17:00", rome), ciWindowIn(day, "20:00", "20:00", rome))},
			want: []string{"operationalSupport.windows[1].closes"}},
		{name: "no days", fields: map[string]any{"operationalSupport": ciHoursIn(ciWindowIn([]string{}, "09:00", "17:00", rome))},
			want: []string{"operationalSupport.windows[0].days"}},
		{name: "day twice", fields: map[string]any{"operationalSupport": ciHoursIn(ciWindowIn([]string{"MONDAY", "MONDAY"}, "09:00", "17:00", rome))},
			want: []string{"operationalSupport.windows[0].days"}},
		{name: "time not HH:MM", fields: map[string]any{"operationalSupport": ciHoursIn(ciWindowIn(day, "9:00", "24:00", rome))},
			want: []string{"operationalSupport.windows[0].opens", "operationalSupport.windows[0].closes"}},
		{name: "windows with alwaysOpen", fields: map[string]any{"operationalSupport": map[string]any{
			"alwaysOpen": true, "windows": []any{ciWindowIn(day, "09:00", "17:00", rome)}}},
			want: []string{"operationalSupport.windows"}},
		{name: "control character in a name", fields: map[string]any{"technicalEmergency": []any{
			map[string]any{"name": "Ops\u0007Team", "email": "a@partner.example"}}},
			want: []string{"technicalEmergency[0].name"}},
		{name: "line break inside a name", fields: map[string]any{"operationalForUsers": map[string]any{
			"name": "Help\nDesk", "email": "help@partner.example"}},
			want: []string{"operationalForUsers.name"}},
		{name: "control character in an email", fields: map[string]any{"operationalForGoogle": ciContacts("ops\u0000@partner.example")},
			want: []string{"operationalForGoogle[0].email"}},
		{name: "control character in a phone", fields: map[string]any{"technicalEmergency": []any{
			map[string]any{"email": "a@partner.example", "phone": "+39 06\t1234 5678"}}},
			want: []string{"technicalEmergency[0].phone"}},
		{name: "negative expectedVersion", fields: map[string]any{"expectedVersion": -1, "technicalEmergency": ciContacts("a@partner.example")},
			want: []string{"expectedVersion"}},
		{
			name: "several problems at once, valid fields not saved either",
			env:  models.EnvironmentSandbox,
			fields: map[string]any{
				"alertContactUserIds": []any{e.f.Admin.ID},
				"technicalEmergency":  ciContacts("fine@partner.example", "bad@"),
				"technicalNonEmergency": []any{
					map[string]any{"name": long(65), "email": "t@partner.example", "phone": "0612345678"},
				},
				"merchantIssues":       ciContacts("fine-merchant@partner.example"),
				"operationalForGoogle": ciContacts("fine-google@partner.example"),
				"operationalForUsers":  ciContactIn("no-at-sign"),
				"operationalSupport":   ciHoursIn(ciWindowIn([]string{}, "10:00", "10:00", "Nowhere/City")),
			},
			want: []string{
				"alertContactUserIds",
				"technicalEmergency[1].email",
				"technicalNonEmergency[0].name", "technicalNonEmergency[0].phone",
				"operationalForUsers.email",
				"operationalSupport.windows[0].days", "operationalSupport.windows[0].closes", "operationalSupport.windows[0].timeZone",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			acc, caller := a, e.f.Admin
			if tc.account == b {
				acc, caller = b, e.f.AdminB
			}
			env := tc.env
			if env == "" {
				env = models.EnvironmentProduction
			}
			before := e.snap(acc)
			r := e.save(e.as(caller), acc, env, tc.fields)
			if got := ciFieldPaths(t, r, "VALIDATION_FAILED"); !slices.Equal(got, tc.want) {
				t.Errorf("extensions.fields paths\n got %q\nwant %q\n%s", got, tc.want, r.Raw)
			}
			if r.Errors[0].Message == "" {
				t.Errorf("no message: %s", r.Raw)
			}
			e.requireUnchanged(acc, before, tc.name)
		})
	}
}

// TestValidationFieldCodes checks that extensions.fields carries each
// problem's machine-readable code next to its unchanged English message.
func TestValidationFieldCodes(t *testing.T) {
	e := newCIEnv(t)
	a := e.f.AccountA.ID
	r := e.save(e.as(e.f.Admin), a, models.EnvironmentProduction, map[string]any{
		"technicalEmergency": []any{map[string]any{"email": "a@partner.example", "phone": "06 1234 5678"}},
		"operationalSupport": ciHoursIn(ciWindowIn([]string{}, "10:00", "10:00", "Nowhere/City")),
	})
	if got := ciFieldPaths(t, r, "VALIDATION_FAILED"); len(got) == 0 {
		t.Fatalf("no fields: %s", r.Raw)
	}
	fields := r.Errors[0].Extensions.Fields
	if f := fields[0]; f.Field != "technicalEmergency[0].phone" || f.Code != "PHONE_NEEDS_COUNTRY_CODE" ||
		f.Message != "include the country code, e.g. +39 06 1234 5678" {
		t.Errorf("fields[0] = %+v\n%s", f, r.Raw)
	}
	if !strings.Contains(r.Raw, `"code":"PHONE_NEEDS_COUNTRY_CODE"`) {
		t.Errorf("extensions.fields[0].code missing from the JSON: %s", r.Raw)
	}
	codes := map[string]string{}
	for _, f := range fields {
		codes[f.Field] = f.Code
	}
	want := map[string]string{
		"technicalEmergency[0].phone":            "PHONE_NEEDS_COUNTRY_CODE",
		"operationalSupport.windows[0].days":     "NO_DAYS",
		"operationalSupport.windows[0].closes":   "SAME_OPEN_CLOSE",
		"operationalSupport.windows[0].timeZone": "TIME_ZONE_UNKNOWN",
	}
	if fmt.Sprint(codes) != fmt.Sprint(want) {
		t.Errorf("codes\n got %v\nwant %v", codes, want)
	}
}

// TestUpdateContactInfoNormalises checks what a valid save stores: inputs
// trimmed, emails lower-cased, phones in E.164, empty name and phone absent,
// days in week order, and the limits themselves accepted.
func TestUpdateContactInfoNormalises(t *testing.T) {
	e := newCIEnv(t)
	a := e.f.AccountA.ID
	long := func(n int) string { return strings.Repeat("y", n) }
	email254 := long(64) + "@" + long(63) + "." + long(63) + "." + long(53) + ".example"
	if len(email254) != 254 {
		t.Fatalf("email254 has %d characters", len(email254))
	}
	ten := make([]string, 10)
	for i := range ten {
		ten[i] = fmt.Sprintf("c%d@partner.example", i)
	}
	e.mustSave(e.as(e.f.Editor), a, models.EnvironmentProduction, map[string]any{
		"alertContactUserIds": []any{e.f.ReadOnly.ID, e.f.Editor.ID},
		"technicalEmergency": []any{
			map[string]any{"name": "  Pager team\t", "email": "  Pager@Partner.Example \n", "phone": " +39 06 1234 5678 "},
			map[string]any{"name": "   ", "email": "second@partner.example", "phone": ""},
			map[string]any{"name": long(64), "email": email254, "phone": "0039 06 1234 5678"},
		},
		"technicalNonEmergency": ciContacts(ten...),
		"operationalForUsers":   map[string]any{"email": "Help@Partner.Example", "phone": "+1 (650) 253-0000"},
		"operationalSupport": ciHoursIn(
			ciWindowIn([]string{"SUNDAY", "MONDAY", "WEDNESDAY"}, "22:00", "06:00", "America/New_York")),
	})
	got := e.snap(a).Info
	wantTE := []ciContact{
		{Name: ciStr("Pager team"), Email: "pager@partner.example", Phone: ciStr("+390612345678")},
		{Email: "second@partner.example"},
		{Name: ciStr(long(64)), Email: email254, Phone: ciStr("+390612345678")},
	}
	if !reflect.DeepEqual(got.TechnicalEmergency, wantTE) {
		t.Errorf("technicalEmergency = %s", ciJSON(got.TechnicalEmergency))
	}
	if len(got.TechnicalNonEmergency) != 10 || got.TechnicalNonEmergency[9].Email != "c9@partner.example" {
		t.Errorf("technicalNonEmergency = %s", ciJSON(got.TechnicalNonEmergency))
	}
	if want := (&ciContact{Email: "help@partner.example", Phone: ciStr("+16502530000")}); !reflect.DeepEqual(got.OperationalForUsers, want) {
		t.Errorf("operationalForUsers = %s", ciJSON(got.OperationalForUsers))
	}
	wantHours := &ciHours{Windows: []ciWindow{{Days: []string{"MONDAY", "WEDNESDAY", "SUNDAY"},
		Opens: "22:00", Closes: "06:00", TimeZone: "America/New_York"}}}
	if !reflect.DeepEqual(got.OperationalSupport, wantHours) {
		t.Errorf("operationalSupport = %s", ciJSON(got.OperationalSupport))
	}
	if ids := []string{got.AlertContacts[0].ID, got.AlertContacts[1].ID}; !slices.Equal(ids, []string{e.f.ReadOnly.ID, e.f.Editor.ID}) {
		t.Errorf("alertContacts = %v", ids)
	}
	if got.MerchantIssuesRequirement != "REQUIRED" || len(got.MerchantIssues) != 0 {
		t.Errorf("merchant issues: %s %s", got.MerchantIssuesRequirement, ciJSON(got.MerchantIssues))
	}
}

func ciJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// TestUpdateContactInfoPartialSaves follows one account through drafts:
// partial saves are kept, the gate lists what is missing, omitted fields are
// left alone, given lists replace, null clears, and every save bumps the
// version and records who saved when.
func TestUpdateContactInfoPartialSaves(t *testing.T) {
	e := newCIEnv(t)
	a := e.f.AccountA.ID
	admin, editor := e.as(e.f.Admin), e.as(e.f.Editor)
	gate := func(env models.Environment) []string {
		t.Helper()
		_, missing := ciGateOf(t, admin, a, env)
		return missing
	}
	check := func(step string, wantVersion int, wantBy *models.User, wantMissing []string) ciInfo {
		t.Helper()
		info := e.snap(a).Info
		if info.Version != wantVersion {
			t.Errorf("%s: version %d, want %d", step, info.Version, wantVersion)
		}
		if info.UpdatedAt == nil || !info.UpdatedAt.Equal(e.s.Clock.Now()) {
			t.Errorf("%s: updatedAt %v, want %v", step, info.UpdatedAt, e.s.Clock.Now())
		}
		switch {
		case wantBy == nil && info.UpdatedBy != nil:
			t.Errorf("%s: updatedBy %v, want null", step, info.UpdatedBy)
		case wantBy != nil && (info.UpdatedBy == nil || info.UpdatedBy.ID != wantBy.ID):
			t.Errorf("%s: updatedBy %v, want %s", step, info.UpdatedBy, wantBy.Email)
		}
		if got := gate(models.EnvironmentSandbox); !slices.Equal(got, wantMissing) {
			t.Errorf("%s: SANDBOX missing %v, want %v", step, got, wantMissing)
		}
		return info
	}

	fresh := e.snap(a).Info
	if fresh.Version != 0 || fresh.UpdatedAt != nil || fresh.UpdatedBy != nil || fresh.OperationalSupport != nil {
		t.Fatalf("fresh contact info: %+v", fresh)
	}

	// A draft with most fields empty is saved.
	e.s.Clock.Advance(time.Minute)
	v := e.mustSave(admin, a, models.EnvironmentSandbox, map[string]any{
		"technicalEmergency": ciContacts("one@partner.example", "two@partner.example"),
		"merchantIssues":     []any{},
		"operationalSupport": nil,
	})
	if v != 1 {
		t.Errorf("first save answered version %d", v)
	}
	info := check("draft", 1, e.f.Admin, []string{"TECHNICAL_NON_EMERGENCY", "MERCHANT_ISSUES",
		"OPERATIONAL_FOR_GOOGLE", "OPERATIONAL_FOR_USERS", "OPERATIONAL_SUPPORT"})
	if len(info.TechnicalEmergency) != 2 {
		t.Errorf("draft not kept: %s", ciJSON(info))
	}

	// Omitted fields are left unchanged.
	e.s.Clock.Advance(time.Minute)
	e.mustSave(editor, a, models.EnvironmentSandbox, map[string]any{
		"technicalNonEmergency": ciContacts("tech@partner.example"),
		"operationalForUsers":   ciContactIn("help@partner.example"),
		"operationalSupport":    ciHoursIn(ciWindowIn([]string{"MONDAY"}, "09:00", "17:00", "Europe/Rome")),
	})
	info = check("second field", 2, e.f.Editor, []string{"MERCHANT_ISSUES", "OPERATIONAL_FOR_GOOGLE"})
	if len(info.TechnicalEmergency) != 2 || info.OperationalForUsers == nil || info.OperationalSupport == nil {
		t.Errorf("omitted fields changed: %s", ciJSON(info))
	}

	// A given list replaces the stored one; an empty list empties it.
	e.s.Clock.Advance(time.Minute)
	e.mustSave(admin, a, models.EnvironmentSandbox, map[string]any{
		"technicalEmergency":    ciContacts("three@partner.example"),
		"technicalNonEmergency": []any{},
	})
	info = check("replace", 3, e.f.Admin, []string{"TECHNICAL_NON_EMERGENCY", "MERCHANT_ISSUES", "OPERATIONAL_FOR_GOOGLE"})
	if len(info.TechnicalEmergency) != 1 || info.TechnicalEmergency[0].Email != "three@partner.example" {
		t.Errorf("list not replaced: %s", ciJSON(info.TechnicalEmergency))
	}

	// null clears the single-value fields.
	e.s.Clock.Advance(time.Minute)
	e.mustSave(admin, a, models.EnvironmentSandbox, map[string]any{"operationalForUsers": nil, "operationalSupport": nil})
	info = check("null clears", 4, e.f.Admin, []string{"TECHNICAL_NON_EMERGENCY", "MERCHANT_ISSUES",
		"OPERATIONAL_FOR_GOOGLE", "OPERATIONAL_FOR_USERS", "OPERATIONAL_SUPPORT"})
	if info.OperationalForUsers != nil || info.OperationalSupport != nil {
		t.Errorf("not cleared: %s", ciJSON(info))
	}
	// Support hours that are neither 24/7 nor have a window are "not given".
	e.s.Clock.Advance(time.Minute)
	e.mustSave(admin, a, models.EnvironmentSandbox, map[string]any{"operationalSupport": ciHoursIn()})
	if info = check("empty hours", 5, e.f.Admin, []string{"TECHNICAL_NON_EMERGENCY", "MERCHANT_ISSUES",
		"OPERATIONAL_FOR_GOOGLE", "OPERATIONAL_FOR_USERS", "OPERATIONAL_SUPPORT"}); info.OperationalSupport != nil {
		t.Errorf("empty hours stored: %s", ciJSON(info.OperationalSupport))
	}

	// A save that changes nothing still bumps the version (the client learns
	// it saved) but records no history.
	histBefore := e.snap(a).HistoryTotal
	e.s.Clock.Advance(time.Minute)
	e.mustSave(editor, a, models.EnvironmentSandbox, map[string]any{"technicalEmergency": ciContacts("three@partner.example")})
	check("no-op save", 6, e.f.Editor, []string{"TECHNICAL_NON_EMERGENCY", "MERCHANT_ISSUES",
		"OPERATIONAL_FOR_GOOGLE", "OPERATIONAL_FOR_USERS", "OPERATIONAL_SUPPORT"})
	if got := e.snap(a).HistoryTotal; got != histBefore {
		t.Errorf("no-op save recorded history: %d → %d", histBefore, got)
	}

	// expectedVersion: the current one saves, a stale one is CONFLICT and
	// changes nothing.
	e.s.Clock.Advance(time.Minute)
	if v := e.mustSave(admin, a, models.EnvironmentSandbox, map[string]any{"expectedVersion": 6,
		"operationalForGoogle": ciContacts("ops@partner.example")}); v != 7 {
		t.Errorf("save with the current expectedVersion answered version %d", v)
	}
	before := e.snap(a)
	for _, stale := range []int{0, 6, 8} {
		r := e.save(editor, a, models.EnvironmentSandbox, map[string]any{"expectedVersion": stale,
			"operationalForGoogle": ciContacts("other@partner.example"), "operationalForUsers": nil})
		if r.Code() != "CONFLICT" || len(r.Errors) != 1 {
			t.Errorf("expectedVersion %d (current 7): %s", stale, r.Raw)
		}
		if !strings.Contains(r.Raw, `"updateContactInfo":null`) && !strings.Contains(r.Raw, `"data":null`) {
			t.Errorf("a refused save answered data: %s", r.Raw)
		}
		e.requireUnchanged(a, before, fmt.Sprintf("stale expectedVersion %d", stale))
	}

	// An API token saves for no person: updatedBy becomes null.
	_, secret, err := e.s.Services.Tokens.Create(t.Context(), &e.f.Admin.ID, a, "ci", false)
	if err != nil {
		t.Fatal(err)
	}
	e.s.Clock.Advance(time.Minute)
	e.mustSave(e.s.WithToken(secret), a, models.EnvironmentSandbox, map[string]any{"expectedVersion": 7,
		"merchantIssues": ciContacts("m@partner.example")})
	check("token save", 8, nil, []string{"TECHNICAL_NON_EMERGENCY", "OPERATIONAL_FOR_USERS", "OPERATIONAL_SUPPORT"})
}

// TestUpdateContactInfoPayloadIsFresh checks that the payload of a save
// shows the saved state, also when one request carries several saves.
func TestUpdateContactInfoPayloadIsFresh(t *testing.T) {
	e := newCIEnv(t)
	a := e.f.AccountA.ID
	q := `mutation($a:ID!){
		one: updateContactInfo(input:{accountId:$a,environment:SANDBOX,technicalEmergency:[{email:"one@partner.example"}]}){
			account{contactInfo{version technicalEmergency{email}} accessGate(environment:SANDBOX){missing}}}
		two: updateContactInfo(input:{accountId:$a,environment:SANDBOX,expectedVersion:1,technicalEmergency:[{email:"two@partner.example"}],technicalNonEmergency:[{email:"t@partner.example"}]}){
			account{contactInfo{version technicalEmergency{email}} accessGate(environment:SANDBOX){missing}}}
	}`
	var out map[string]struct {
		Account struct {
			ContactInfo struct {
				Version            int
				TechnicalEmergency []ciContact
			}
			AccessGate struct{ Missing []string }
		}
	}
	e.as(e.f.Admin).MustData(q, map[string]any{"a": a}, &out)
	one, two := out["one"].Account, out["two"].Account
	if one.ContactInfo.Version != 1 || one.ContactInfo.TechnicalEmergency[0].Email != "one@partner.example" ||
		slices.Contains(one.AccessGate.Missing, "TECHNICAL_EMERGENCY") {
		t.Errorf("first payload: %+v", one)
	}
	if two.ContactInfo.Version != 2 || two.ContactInfo.TechnicalEmergency[0].Email != "two@partner.example" ||
		slices.Contains(two.AccessGate.Missing, "TECHNICAL_NON_EMERGENCY") {
		t.Errorf("second payload shows a stale state: %+v", two)
	}

	// The gate a gated field checks is the one after the saves before it.
	r := e.as(e.f.Admin).Do(`mutation($a:ID!){
		save: updateContactInfo(input:{accountId:$a,environment:SANDBOX,merchantIssues:[{email:"m@partner.example"}],
			operationalForGoogle:[{email:"o@partner.example"}],operationalForUsers:{email:"h@partner.example"},
			operationalSupport:{alwaysOpen:true,windows:[]}}){account{accessGate(environment:SANDBOX){locked}}}
		token: createApiToken(input:{accountId:$a,name:"ci",readOnly:true}){token}
	}`, map[string]any{"a": a})
	if len(r.Errors) > 0 || !strings.Contains(r.Raw, `"locked":false`) {
		t.Errorf("createApiToken right after the save that unlocks: %s", r.Raw)
	}
}

// TestConcurrentSavesOneWins races saves carrying the same expectedVersion:
// exactly one wins, the others get CONFLICT and change nothing. Saves
// without expectedVersion all succeed and none is lost. On SQLite and
// PostgreSQL.
func TestConcurrentSavesOneWins(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		e := ciEnvOn(t, apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn}))
		a := e.f.AccountA.ID
		// Each racer is its own browser: its own session and connection.
		racers := []*apitest.Client{e.as(e.f.Admin), e.as(e.f.Editor), e.s.As(e.f.Admin), e.s.As(e.f.Editor), e.s.As(e.f.Admin)}
		race := func(n int, body func(i int) map[string]any) []*apitest.Response {
			start := make(chan struct{})
			out := make([]*apitest.Response, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					<-start
					out[i] = e.save(racers[i], a, models.EnvironmentSandbox, body(i))
				})
			}
			close(start)
			wg.Wait()
			return out
		}

		for round := range 10 {
			n := 2 + round%4
			before := e.snap(a)
			v := before.Info.Version
			rs := race(n, func(i int) map[string]any {
				return map[string]any{"expectedVersion": v,
					"technicalEmergency": ciContacts(fmt.Sprintf("r%d-c%d@partner.example", round, i))}
			})
			winner, conflicts := -1, 0
			for i, r := range rs {
				switch r.Code() {
				case "":
					if winner >= 0 {
						t.Errorf("round %d: racers %d and %d both won", round, winner, i)
					}
					winner = i
				case "CONFLICT":
					conflicts++
				default:
					t.Errorf("round %d racer %d: %s", round, i, r.Raw)
				}
			}
			if winner < 0 || conflicts != n-1 {
				t.Fatalf("round %d: %d racers, winner %d, %d conflicts", round, n, winner, conflicts)
			}
			after := e.snap(a)
			if after.Info.Version != v+1 {
				t.Errorf("round %d: version %d → %d", round, v, after.Info.Version)
			}
			if got, want := after.Info.TechnicalEmergency[0].Email, fmt.Sprintf("r%d-c%d@partner.example", round, winner); got != want {
				t.Errorf("round %d: stored %s, the winner sent %s", round, got, want)
			}
			if after.HistoryTotal != before.HistoryTotal+1 {
				t.Errorf("round %d: history %d → %d, want one record", round, before.HistoryTotal, after.HistoryTotal)
			}
		}

		// Without expectedVersion every save wins, one after the other.
		before := e.snap(a)
		rs := race(5, func(i int) map[string]any {
			return map[string]any{"technicalNonEmergency": ciContacts(fmt.Sprintf("free-%d@partner.example", i))}
		})
		for i, r := range rs {
			if r.Code() != "" {
				t.Errorf("save %d without expectedVersion: %s", i, r.Raw)
			}
		}
		after := e.snap(a)
		if after.Info.Version != before.Info.Version+5 || after.HistoryTotal != before.HistoryTotal+5 {
			t.Errorf("5 saves: version %d → %d, history %d → %d", before.Info.Version, after.Info.Version,
				before.HistoryTotal, after.HistoryTotal)
		}
	})
}

// TestContactInfoRoles extends TestAuthorization (which checks the codes)
// with what it cannot see: readers read every field, a refused save changes
// nothing, and writers are recorded as updatedBy.
func TestContactInfoRoles(t *testing.T) {
	e := newCIEnv(t)
	a := e.f.AccountA.ID
	e.completeVia(e.as(e.f.Admin), a, true, e.f.Admin.ID)
	_, roSecret, err := e.s.Services.Tokens.Create(t.Context(), &e.f.Admin.ID, a, "ro", true)
	if err != nil {
		t.Fatal(err)
	}
	full := e.snap(a)

	readers := []struct {
		name string
		c    *apitest.Client
	}{
		{"READ_ONLY", e.as(e.f.ReadOnly)}, {"EDITOR", e.as(e.f.Editor)}, {"ADMINISTRATOR", e.as(e.f.Admin)},
		{"staff", e.as(e.f.Staff)}, {"read-only token", e.s.WithToken(roSecret)},
	}
	for _, rd := range readers {
		r := rd.c.Do(ciInfoQuery, map[string]any{"a": a})
		var out struct {
			Account struct{ ContactInfo json.RawMessage }
		}
		if len(r.Errors) > 0 || json.Unmarshal(r.Data, &out) != nil || string(out.Account.ContactInfo) != full.Raw {
			t.Errorf("%s reads: %s", rd.name, r.Raw)
		}
	}

	refused := []struct {
		name string
		c    *apitest.Client
		code string
	}{
		{"READ_ONLY", e.as(e.f.ReadOnly), "FORBIDDEN"},
		{"staff", e.as(e.f.Staff), "FORBIDDEN"},
		{"read-only token", e.s.WithToken(roSecret), "FORBIDDEN"},
		{"administrator of another account", e.as(e.f.AdminB), "NOT_FOUND"},
		{"outsider", e.as(e.f.Outsider), "NOT_FOUND"},
		{"anonymous", e.s.Anonymous(), "UNAUTHENTICATED"},
	}
	for _, rf := range refused {
		for _, env := range []models.Environment{models.EnvironmentSandbox, models.EnvironmentProduction} {
			r := e.save(rf.c, a, env, map[string]any{"technicalEmergency": ciContacts("hijack@evil.example"),
				"operationalForUsers": nil})
			if r.Code() != rf.code || len(r.Errors) != 1 {
				t.Errorf("%s saves in %s: got %s, want %s", rf.name, env, r.Raw, rf.code)
			}
			if strings.Contains(r.Raw, "pager@partner.example") {
				t.Errorf("%s: a refused save shows contact info: %s", rf.name, r.Raw)
			}
		}
		e.requireUnchanged(a, full, rf.name)
	}

	for i, w := range []*models.User{e.f.Editor, e.f.Admin} {
		e.s.Clock.Advance(time.Minute)
		e.mustSave(e.as(w), a, models.EnvironmentProduction, map[string]any{
			"technicalEmergency": ciContacts(fmt.Sprintf("pager%d@partner.example", i))})
		if got := e.snap(a).Info; got.UpdatedBy == nil || got.UpdatedBy.ID != w.ID || got.Version != full.Info.Version+i+1 {
			t.Errorf("%s saved: %s", w.Email, ciJSON(got))
		}
	}
}
