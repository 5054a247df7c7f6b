package graph_test

import (
	"strings"
	"testing"

	"github.com/contactgate/contactgate/internal/apitest"
)

// TestLanguage: a person's chosen language is stored, shown on `me`, and
// used for the invitations they send to people who have none yet.
func TestLanguage(t *testing.T) {
	s := apitest.New(t)
	f := s.Fixture()
	admin := s.As(f.Admin)
	if r := admin.Do(`mutation{setLanguage(language:"fr"){user{language}}}`, nil); r.Code() != "VALIDATION_FAILED" {
		t.Fatalf("fr: %s", r.Raw)
	}
	var d struct {
		SetLanguage struct{ User struct{ Language string } }
	}
	admin.MustData(`mutation{setLanguage(language:"it"){user{language}}}`, nil, &d)
	if d.SetLanguage.User.Language != "it" {
		t.Fatalf("language: %+v", d)
	}
	admin.MustData(`mutation($a:ID!){inviteUser(input:{accountId:$a,email:"nuovo@a.example",role:EDITOR}){id}}`,
		map[string]any{"a": f.AccountA.ID}, nil)
	var subject string
	if err := s.DB.Gorm().Table("outbox").Where("to_email = ?", "nuovo@a.example").Pluck("subject", &subject).Error; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(subject, "Invito") {
		t.Fatalf("invitation subject not Italian: %q", subject)
	}
	if r := s.WithToken(mustToken(t, s, f)).Do(`mutation{setLanguage(language:"it"){user{id}}}`, nil); r.Code() != "FORBIDDEN" {
		t.Fatalf("token: %s", r.Raw)
	}
}

func mustToken(t *testing.T, s *apitest.Server, f *apitest.Fixture) string {
	s.CompleteContactInfo(f.AccountA.ID, f.Admin, "")
	var d struct{ CreateApiToken struct{ Token string } }
	s.As(f.Admin).MustData(`mutation($a:ID!){createApiToken(input:{accountId:$a,name:"t",readOnly:false}){token}}`,
		map[string]any{"a": f.AccountA.ID}, &d)
	return d.CreateApiToken.Token
}
