package apitest

import (
	"context"

	"github.com/contactgate/contactgate/models"
)

// Password is every fixture user's password.
const Password = "correct horse battery"

// Fixture is a small world: account A with one member of each role,
// account B with its own administrator, a staff user, and an outsider who
// belongs to no account.
type Fixture struct {
	AccountA, AccountB                               *models.Account
	Admin, Editor, ReadOnly, AdminB, Staff, Outsider *models.User
}

// Fixture builds the world on the server's database.
func (s *Server) Fixture() *Fixture {
	s.T.Helper()
	ctx := context.Background()
	f := &Fixture{}
	f.Staff = s.User("staff@platform.example", true)
	f.Admin = s.User("admin@a.example", false)
	f.Editor = s.User("editor@a.example", false)
	f.ReadOnly = s.User("reader@a.example", false)
	f.AdminB = s.User("admin@b.example", false)
	f.Outsider = s.User("outsider@c.example", false)
	f.AccountA = s.Account("Alpha Bookings", []string{"APPOINTMENTS_E2E"}, f.Admin)
	f.AccountB = s.Account("Beta Tables", []string{"BUSINESS_LINK"}, f.AdminB)
	for _, m := range []struct {
		u    *models.User
		role models.Role
	}{{f.Editor, models.RoleEditor}, {f.ReadOnly, models.RoleReadOnly}} {
		if err := s.DB.AddMember(ctx, f.AccountA.ID, m.u.ID, m.role); err != nil {
			s.T.Fatalf("add member: %v", err)
		}
	}
	return f
}

// User creates a user with the fixture password.
func (s *Server) User(email string, staff bool) *models.User {
	s.T.Helper()
	ctx := context.Background()
	hash, err := s.Hasher.Hash(ctx, Password)
	if err != nil {
		s.T.Fatal(err)
	}
	name := "User " + email
	u, err := s.DB.CreateUser(ctx, email, &name, hash, staff)
	if err != nil {
		s.T.Fatalf("create user: %v", err)
	}
	return u
}

// Account creates an account administered by admin.
func (s *Server) Account(name string, types []string, admin *models.User) *models.Account {
	s.T.Helper()
	acc, err := s.DB.CreateDemoAccount(context.Background(), nil, name, types, admin.Email, "", "")
	if err != nil {
		s.T.Fatalf("create account: %v", err)
	}
	return acc
}

// As returns a client signed in as u.
func (s *Server) As(u *models.User) *Client { return s.Anonymous().SignIn(u.Email, Password) }

// CompleteContactInfo fills every field but alert contacts (SANDBOX
// unlocks), and also alert contacts when alertUserID is not "".
func (s *Server) CompleteContactInfo(accountID string, actor *models.User, alertUserID string) {
	s.T.Helper()
	c := func(email string) []models.ContactInput { return []models.ContactInput{{Email: email}} }
	te, tn, mi, og := c("pager@partner.example"), c("tech@partner.example"), c("merchants@partner.example"), c("ops@partner.example")
	users := models.ContactInput{Email: "help@partner.example"}
	p := models.ContactInfoPatch{Environment: models.EnvironmentSandbox,
		TechnicalEmergency: &te, TechnicalNonEmergency: &tn, OperationalForGoogle: &og,
		OperationalForUsers: &users, SetOperationalForUsers: true,
		OperationalSupport: &models.SupportHoursInput{AlwaysOpen: true}, SetOperationalSupport: true}
	info, err := s.DB.ContactInfo(context.Background(), accountID)
	if err != nil {
		s.T.Fatal(err)
	}
	if info.MerchantIssuesRequirement != models.Unavailable {
		p.MerchantIssues = &mi
	}
	if alertUserID != "" {
		p.Environment = models.EnvironmentProduction
		ids := []string{alertUserID}
		p.AlertContactUserIDs = &ids
	}
	if _, err := s.Services.ContactInfo.Update(context.Background(), &actor.ID, accountID, p); err != nil {
		s.T.Fatalf("complete contact info: %v", err)
	}
}

// CompleteContactInfoErr unlocks SANDBOX by writing the gate columns
// directly, for tests that have broken the history table on purpose.
func (s *Server) CompleteContactInfoErr(accountID string, _ *models.User) {
	s.T.Helper()
	if err := s.DB.Gorm().Exec("UPDATE contact_infos SET missing = 1, locked_sandbox = false WHERE account_id = ?", accountID).Error; err != nil {
		s.T.Fatal(err)
	}
}

// VerifyAllAddresses marks every address of the account VERIFIED in the
// database, for tests about what follows a verification (how an address
// gets verified is tested through the mails and links themselves).
func (s *Server) VerifyAllAddresses(accountID string) {
	s.T.Helper()
	if err := s.DB.Gorm().Exec("UPDATE contact_reachability SET state = ?, verified_by = ? WHERE account_id = ?",
		string(models.ReachVerified), string(models.VerifiedByLink), accountID).Error; err != nil {
		s.T.Fatal(err)
	}
}
