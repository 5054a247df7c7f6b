package graph_test

import (
	"fmt"
	"testing"

	"github.com/contactgate/contactgate/internal/apitest"
	"github.com/contactgate/contactgate/internal/testdb"
)

// TestInvisibleCharactersRefused: every free-text input refuses invisible
// and direction-changing characters (Unicode Cf, Zl, Zp) with the field's
// path and the INVISIBLE_CHARACTERS code, and changes nothing.
func TestInvisibleCharactersRefused(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn})
		f := s.Fixture()
		s.CompleteContactInfo(f.AccountA.ID, f.Admin, f.Admin.ID)
		admin, staff := s.As(f.Admin), s.As(f.Staff)
		chars := map[string]string{
			"zero-width space U+200B":       "\u200b",
			"right-to-left override U+202E": "\u202e",
			"line separator U+2028":         "\u2028",
			"paragraph separator U+2029":    "\u2029",
			"byte order mark U+FEFF":        "\ufeff",
			"left-to-right mark U+200E":     "\u200e",
			"soft hyphen U+00AD":            "\u00ad",
			"word joiner U+2060":            "\u2060",
		}
		inputs := []struct {
			name, path string
			client     *apitest.Client
			query      func(bad string) string
		}{
			{"contact email", "technicalEmergency[0].email", admin, func(bad string) string {
				return fmt.Sprintf(`mutation{updateContactInfo(input:{accountId:%q,environment:SANDBOX,technicalEmergency:[{email:%q}]}){account{id}}}`, f.AccountA.ID, "sup"+bad+"port@example.com")
			}},
			{"contact name", "operationalForUsers.name", admin, func(bad string) string {
				return fmt.Sprintf(`mutation{updateContactInfo(input:{accountId:%q,environment:SANDBOX,operationalForUsers:{email:"help@example.com",name:%q}}){account{id}}}`, f.AccountA.ID, "Help"+bad+" desk")
			}},
			{"invitation email", "email", admin, func(bad string) string {
				return fmt.Sprintf(`mutation{inviteUser(input:{accountId:%q,email:%q,role:READ_ONLY}){id}}`, f.AccountA.ID, "new"+bad+"@example.com")
			}},
			{"token name", "name", admin, func(bad string) string {
				return fmt.Sprintf(`mutation{createApiToken(input:{accountId:%q,name:%q,readOnly:true}){token}}`, f.AccountA.ID, "ci"+bad+"bot")
			}},
			{"notification subject", "subject", staff, func(bad string) string {
				return fmt.Sprintf(`mutation{sendNotification(input:{accountId:%q,kind:TECHNICAL_EMERGENCY,subject:%q,body:"It is down"}){id}}`, f.AccountA.ID, "Do"+bad+"wn")
			}},
			{"account name", "name", staff, func(bad string) string {
				return fmt.Sprintf(`mutation{createAccount(input:{name:%q,integrationTypes:["THINGS_TO_DO"],administratorEmail:"boss@gamma.example"}){id}}`, "Gam"+bad+"ma")
			}},
		}
		for _, in := range inputs {
			for cname, c := range chars {
				t.Run(in.name+"/"+cname, func(t *testing.T) {
					r := in.client.Do(in.query(c), nil)
					if r.Code() != "VALIDATION_FAILED" || len(r.Errors) == 0 {
						t.Fatalf("want VALIDATION_FAILED, got %s", r.Raw)
					}
					fields := r.Errors[0].Extensions.Fields
					if len(fields) != 1 || fields[0].Field != in.path || fields[0].Code != "INVISIBLE_CHARACTERS" {
						t.Fatalf("want one INVISIBLE_CHARACTERS problem at %s, got %+v", in.path, fields)
					}
				})
			}
		}
		// Nothing was stored: no account, token or invitation was created,
		// and the contact info kept its version.
		var d struct {
			Account struct {
				ContactInfo struct{ Version int }
				Invitations []struct{ Email string }
			}
		}
		admin.MustData(`query($a:ID!){account(id:$a){contactInfo{version} invitations{email}}}`, map[string]any{"a": f.AccountA.ID}, &d)
		if len(d.Account.Invitations) != 0 {
			t.Errorf("refused invitations were stored: %+v", d.Account.Invitations)
		}
		var accounts struct{ Accounts struct{ TotalCount int } }
		staff.MustData(`{accounts{totalCount}}`, nil, &accounts)
		if accounts.Accounts.TotalCount != 2 {
			t.Errorf("refused accounts were created: %d accounts", accounts.Accounts.TotalCount)
		}
	})
}
