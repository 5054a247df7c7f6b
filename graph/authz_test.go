package graph_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/contactgate/contactgate/internal/apitest"
	"github.com/contactgate/contactgate/models"
)

// world is the fixture plus the ids that operations need.
type world struct {
	*apitest.Fixture
	s            *apitest.Server
	invitationID string
	tokenID      string
	tokenRW      string
	tokenRO      string
}

func newWorld(t *testing.T) *world {
	s := apitest.New(t)
	f := s.Fixture()
	w := &world{Fixture: f, s: s}
	s.CompleteContactInfo(f.AccountA.ID, f.Admin, f.Admin.ID)
	s.VerifyAllAddresses(f.AccountA.ID) // requestLaunch needs verified contacts
	ctx := context.Background()
	inv, err := s.Services.Members.Invite(ctx, f.Admin, f.AccountA.ID, "newcomer@a.example", models.RoleEditor)
	if err != nil {
		t.Fatal(err)
	}
	w.invitationID = inv.ID
	tok, secret, err := s.Services.Tokens.Create(ctx, &f.Admin.ID, f.AccountA.ID, "rw", false)
	if err != nil {
		t.Fatal(err)
	}
	w.tokenID, w.tokenRW = tok.ID, secret
	if _, w.tokenRO, err = s.Services.Tokens.Create(ctx, &f.Admin.ID, f.AccountA.ID, "ro", true); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *world) client(caller string) *apitest.Client {
	switch caller {
	case "anonymous":
		return w.s.Anonymous()
	case "outsider":
		return w.s.As(w.Outsider)
	case "otherAdmin":
		return w.s.As(w.AdminB)
	case "readOnly":
		return w.s.As(w.ReadOnly)
	case "editor":
		return w.s.As(w.Editor)
	case "admin":
		return w.s.As(w.Admin)
	case "staff":
		return w.s.As(w.Staff)
	case "tokenRW":
		return w.s.WithToken(w.tokenRW)
	case "tokenRO":
		return w.s.WithToken(w.tokenRO)
	}
	panic(caller)
}

var callers = []string{"anonymous", "outsider", "otherAdmin", "readOnly", "editor", "admin", "staff", "tokenRW", "tokenRO"}

const (
	ok     = ""
	unauth = "UNAUTHENTICATED"
	forb   = "FORBIDDEN"
	nf     = "NOT_FOUND"
)

// TestAuthorization runs every operation as every kind of caller against a
// fresh database, and checks the error code (or success).
func TestAuthorization(t *testing.T) {
	type op struct {
		name  string
		query func(w *world) (string, map[string]any)
		// want per caller, in the order of callers.
		want []string
	}
	acc := func(q string) func(w *world) (string, map[string]any) {
		return func(w *world) (string, map[string]any) {
			return q, map[string]any{"a": w.AccountA.ID}
		}
	}
	memberRead := []string{unauth, nf, nf, ok, ok, ok, ok, ok, ok}
	staffOnly := []string{unauth, forb, forb, forb, forb, forb, ok, forb, forb}
	ops := []op{
		{"account", acc(`query($a:ID!){account(id:$a){id name}}`), memberRead},
		{"accessGate", acc(`query($a:ID!){accessGate(accountId:$a,environment:PRODUCTION){locked}}`), memberRead},
		{"account.contactInfo", acc(`query($a:ID!){account(id:$a){contactInfo{version alertContacts{email}}}}`), memberRead},
		{"account.members", acc(`query($a:ID!){account(id:$a){members{role user{email}}}}`), memberRead},
		{"account.invitations", acc(`query($a:ID!){account(id:$a){invitations{email}}}`), memberRead},
		{"account.history", acc(`query($a:ID!){account(id:$a){history{totalCount}}}`), memberRead},
		{"account.apiTokens", acc(`query($a:ID!){account(id:$a){apiTokens{name}}}`),
			[]string{unauth, nf, nf, forb, forb, ok, ok, forb, forb}},
		{"accounts", acc(`{accounts{totalCount}}`), staffOnly},
		{"recipients", acc(`query($a:ID!){recipients(accountId:$a,kind:TECHNICAL_EMERGENCY){email}}`), staffOnly},
		{"publicSupportContact", acc(`query($a:ID!){publicSupportContact(accountId:$a){accountName}}`),
			[]string{ok, ok, ok, ok, ok, ok, ok, ok, ok}},
		{"portalConfig", acc(`{portalConfig{supportUrl}}`), []string{ok, ok, ok, ok, ok, ok, ok, ok, ok}},
		{"updateContactInfo", acc(`mutation($a:ID!){updateContactInfo(input:{accountId:$a,environment:SANDBOX,technicalNonEmergency:[{email:"t@x.example"}]}){account{id}}}`),
			[]string{unauth, nf, nf, forb, ok, ok, forb, ok, forb}},
		{"requestLaunch", acc(`mutation($a:ID!){requestLaunch(accountId:$a){launchRequestedAt}}`),
			[]string{unauth, nf, nf, forb, ok, ok, forb, ok, forb}},
		{"inviteUser", acc(`mutation($a:ID!){inviteUser(input:{accountId:$a,email:"x@a.example",role:READ_ONLY}){id}}`),
			[]string{unauth, nf, nf, forb, forb, ok, ok, forb, forb}},
		{"updateMemberRole", func(w *world) (string, map[string]any) {
			return `mutation($a:ID!,$u:ID!){updateMemberRole(accountId:$a,userId:$u,role:READ_ONLY){role}}`,
				map[string]any{"a": w.AccountA.ID, "u": w.Editor.ID}
		}, []string{unauth, nf, nf, forb, forb, ok, forb, forb, forb}},
		{"removeMember", func(w *world) (string, map[string]any) {
			return `mutation($a:ID!,$u:ID!){removeMember(accountId:$a,userId:$u)}`,
				map[string]any{"a": w.AccountA.ID, "u": w.ReadOnly.ID}
		}, []string{unauth, nf, nf, forb, forb, ok, forb, forb, forb}},
		{"revokeInvitation", func(w *world) (string, map[string]any) {
			return `mutation($i:ID!){revokeInvitation(id:$i)}`, map[string]any{"i": w.invitationID}
		}, []string{unauth, nf, nf, forb, forb, ok, ok, forb, forb}},
		{"createApiToken", acc(`mutation($a:ID!){createApiToken(input:{accountId:$a,name:"ci",readOnly:true}){token}}`),
			[]string{unauth, nf, nf, forb, forb, ok, forb, forb, forb}},
		{"revokeApiToken", func(w *world) (string, map[string]any) {
			return `mutation($i:ID!){revokeApiToken(id:$i)}`, map[string]any{"i": w.tokenID}
		}, []string{unauth, nf, nf, forb, forb, ok, forb, forb, forb}},
		{"createAccount", acc(`mutation{createAccount(input:{name:"Gamma",integrationTypes:["THINGS_TO_DO"],administratorEmail:"boss@gamma.example"}){id}}`), staffOnly},
		{"sendNotification", acc(`mutation($a:ID!){sendNotification(input:{accountId:$a,kind:TECHNICAL_EMERGENCY,subject:"Down",body:"It is down"}){id}}`), staffOnly},
	}
	for _, o := range ops {
		if len(o.want) != len(callers) {
			t.Fatalf("%s: %d expectations for %d callers", o.name, len(o.want), len(callers))
		}
		t.Run(o.name, func(t *testing.T) {
			t.Parallel()
			for i, caller := range callers {
				t.Run(caller, func(t *testing.T) {
					w := newWorld(t)
					q, vars := o.query(w)
					r := w.client(caller).Do(q, vars)
					if got := r.Code(); got != o.want[i] {
						t.Fatalf("%s as %s: got code %q, want %q\n%s", o.name, caller, got, o.want[i], r.Raw)
					}
					if o.want[i] == ok && string(r.Data) == "null" {
						t.Fatalf("no data: %s", r.Raw)
					}
				})
			}
		})
	}
}

// TestOtherAccountIsInvisible checks that ids of another account are
// answered NOT_FOUND through every door: session, token and nested fields.
func TestOtherAccountIsInvisible(t *testing.T) {
	w := newWorld(t)
	for _, c := range []struct {
		name   string
		client *apitest.Client
	}{{"session", w.client("admin")}, {"token", w.client("tokenRW")}} {
		for _, q := range []string{
			`query($a:ID!){account(id:$a){id}}`,
			`query($a:ID!){accessGate(accountId:$a,environment:SANDBOX){locked}}`,
			`mutation($a:ID!){updateContactInfo(input:{accountId:$a,environment:SANDBOX}){account{id}}}`,
			`mutation($a:ID!){inviteUser(input:{accountId:$a,email:"z@z.example",role:ADMINISTRATOR}){id}}`,
		} {
			r := c.client.Do(q, map[string]any{"a": w.AccountB.ID})
			if r.Code() != nf {
				t.Errorf("%s %s: got %q, want NOT_FOUND: %s", c.name, q, r.Code(), r.Raw)
			}
		}
	}
	r := w.client("tokenRW").Do(`{me{user{id}}}`, nil)
	if r.Code() != ok || string(r.Data) != `{"me":null}` {
		t.Errorf("a token is not a person: %s", r.Raw)
	}
	_ = fmt.Sprint
}
