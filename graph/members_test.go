package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/contactgate/contactgate/internal/apitest"
	"github.com/contactgate/contactgate/internal/testdb"
	"github.com/contactgate/contactgate/models"
)

// ---------------------------------------------------------------- helpers
// (shared by members_test.go, tokens_test.go and notifications_test.go)

// outboxMail is one row of the outbox table, as a test reads it.
type outboxMail struct {
	ID             string
	NotificationID *string
	ToEmail        string
	Subject        string
	TextBody       string
	HTMLBody       string
	Status         string
	Attempts       int
	LastError      *string
}

// mailsTo lists the outbox rows addressed to email, oldest first.
func mailsTo(t *testing.T, s *apitest.Server, email string) []outboxMail {
	t.Helper()
	var rows []outboxMail
	if err := s.DB.Gorm().Raw(`SELECT id, notification_id, to_email, subject, text_body, html_body, status, attempts, last_error
		FROM outbox WHERE to_email = ? ORDER BY created_at, id`, email).Scan(&rows).Error; err != nil {
		t.Fatalf("read outbox: %v", err)
	}
	return rows
}

// notificationMailsTo is mailsTo without the verification mails that
// adding an address queues.
func notificationMailsTo(t *testing.T, s *apitest.Server, email string) []outboxMail {
	t.Helper()
	var out []outboxMail
	for _, m := range mailsTo(t, s, email) {
		if m.NotificationID != nil {
			out = append(out, m)
		}
	}
	return out
}

// countRows counts the rows of a table matching where.
func countRows(t *testing.T, s *apitest.Server, table, where string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := s.DB.Gorm().Table(table).Where(where, args...).Count(&n).Error; err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

var invitationLink = regexp.MustCompile(`https?://\S+/invitations/accept\?token=([^\s"'<>&]+)`)

// latestInvitationToken reads the newest invitation mail to email from the
// outbox and returns its link and token.
func latestInvitationToken(t *testing.T, s *apitest.Server, email string) (link, token string) {
	t.Helper()
	rows := mailsTo(t, s, email)
	for i := len(rows) - 1; i >= 0; i-- {
		if m := invitationLink.FindStringSubmatch(rows[i].TextBody); m != nil {
			tok, err := url.QueryUnescape(m[1])
			if err != nil {
				t.Fatalf("token in %q: %v", m[0], err)
			}
			return m[0], tok
		}
	}
	t.Fatalf("no invitation mail to %s in the outbox (%d mails)", email, len(rows))
	return "", ""
}

// wantCode fails unless r was refused with code.
func wantCode(t *testing.T, what string, r *apitest.Response, code string) {
	t.Helper()
	if r.Code() != code {
		t.Fatalf("%s: code %q, want %q: %s", what, r.Code(), code, r.Raw)
	}
}

// wantFields fails unless r is VALIDATION_FAILED naming exactly fields.
func wantFields(t *testing.T, what string, r *apitest.Response, fields ...string) {
	t.Helper()
	wantCode(t, what, r, "VALIDATION_FAILED")
	var got []string
	for _, f := range r.Errors[0].Extensions.Fields {
		got = append(got, f.Field)
	}
	if strings.Join(got, ",") != strings.Join(fields, ",") {
		t.Fatalf("%s: fields %v, want %v: %s", what, got, fields, r.Raw)
	}
}

// memberRoles returns userID → role of an account's members, as a caller
// who may read them sees them.
func memberRoles(t *testing.T, c *apitest.Client, accountID string) map[string]string {
	t.Helper()
	var d struct {
		Account struct {
			Members []struct {
				Role string
				User struct{ ID string }
			}
		}
	}
	c.MustData(`query($a:ID!){account(id:$a){members{role user{id}}}}`, map[string]any{"a": accountID}, &d)
	out := map[string]string{}
	for _, m := range d.Account.Members {
		out[m.User.ID] = m.Role
	}
	return out
}

// alertContactIDs reads the alert contacts of an account.
func alertContactIDs(t *testing.T, c *apitest.Client, accountID string) []string {
	t.Helper()
	var d struct {
		Account struct {
			ContactInfo struct {
				AlertContacts []struct{ ID string }
			}
		}
	}
	c.MustData(`query($a:ID!){account(id:$a){contactInfo{alertContacts{id}}}}`, map[string]any{"a": accountID}, &d)
	ids := []string{}
	for _, u := range d.Account.ContactInfo.AlertContacts {
		ids = append(ids, u.ID)
	}
	return ids
}

// fillContactInfo saves every field of an account directly in the store:
// each list field gets the given emails, alert contacts the given users.
func fillContactInfo(t *testing.T, s *apitest.Server, accountID string, actor *models.User, fields map[models.ContactField][]string, alertUserIDs []string) {
	t.Helper()
	list := func(f models.ContactField) *[]models.ContactInput {
		emails, ok := fields[f]
		if !ok {
			return nil
		}
		out := []models.ContactInput{}
		for _, e := range emails {
			out = append(out, models.ContactInput{Email: e})
		}
		return &out
	}
	p := models.ContactInfoPatch{Environment: models.EnvironmentSandbox,
		TechnicalEmergency: list(models.FieldTechnicalEmergency), TechnicalNonEmergency: list(models.FieldTechnicalNonEmergency),
		MerchantIssues: list(models.FieldMerchantIssues), OperationalForGoogle: list(models.FieldOperationalForGoogle)}
	if e, ok := fields[models.FieldOperationalForUsers]; ok && len(e) > 0 {
		p.OperationalForUsers, p.SetOperationalForUsers = &models.ContactInput{Email: e[0]}, true
		p.OperationalSupport, p.SetOperationalSupport = &models.SupportHoursInput{AlwaysOpen: true}, true
	}
	if alertUserIDs != nil {
		p.Environment = models.EnvironmentProduction
		p.AlertContactUserIDs = &alertUserIDs
	}
	if _, err := s.Services.ContactInfo.Update(context.Background(), &actor.ID, accountID, p); err != nil {
		t.Fatalf("fill contact info: %v", err)
	}
}

// historyOf returns the history records of an account, newest first.
func historyOf(t *testing.T, c *apitest.Client, accountID string) []struct {
	Field, Before, After string
	Actor                *struct{ ID string }
} {
	t.Helper()
	var d struct {
		Account struct {
			History struct {
				Edges []struct {
					Node struct {
						Field, Before, After string
						Actor                *struct{ ID string }
					}
				}
			}
		}
	}
	c.MustData(`query($a:ID!){account(id:$a){history(first:100){edges{node{field before after actor{id}}}}}}`, map[string]any{"a": accountID}, &d)
	var out []struct {
		Field, Before, After string
		Actor                *struct{ ID string }
	}
	for _, e := range d.Account.History.Edges {
		out = append(out, e.Node)
	}
	return out
}

// ---------------------------------------------------------------- members

const (
	qUpdateRole   = `mutation($a:ID!,$u:ID!,$r:Role!){updateMemberRole(accountId:$a,userId:$u,role:$r){role user{id}}}`
	qRemoveMember = `mutation($a:ID!,$u:ID!){removeMember(accountId:$a,userId:$u)}`
	qMe           = `{me{user{id email name} memberships{role account{id name}}}}`
)

// TestMemberGuards drives every guard of DESIGN through the API, on SQLite
// and PostgreSQL: each refusal has a clear code and changes nothing.
func TestMemberGuards(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn})
		f := s.Fixture()
		a := f.AccountA.ID
		admin, editor := s.As(f.Admin), s.As(f.Editor)
		role := func(u, r string) map[string]any { return map[string]any{"a": a, "u": u, "r": r} }
		before := memberRoles(t, admin, a)

		// Nobody changes their own role, not even an administrator.
		r := admin.Do(qUpdateRole, role(f.Admin.ID, "EDITOR"))
		wantCode(t, "own role", r, "FORBIDDEN")
		if r.Errors[0].Extensions.Reason != models.ReasonOwnRole {
			t.Errorf("own role: want reason %s: %s", models.ReasonOwnRole, r.Raw)
		}
		// The only administrator cannot leave.
		r = admin.Do(qRemoveMember, map[string]any{"a": a, "u": f.Admin.ID})
		wantCode(t, "remove the last administrator", r, "CONFLICT")
		if r.Errors[0].Extensions.Reason != models.ReasonLastAdministrator {
			t.Errorf("last administrator: want reason %s: %s", models.ReasonLastAdministrator, r.Raw)
		}
		if !strings.Contains(r.Errors[0].Message, "administrator") {
			t.Errorf("the refusal should say why: %s", r.Raw)
		}
		// Below the API (where the self-guard cannot hide it), demoting the
		// last administrator is refused too.
		_, err := s.Services.Members.UpdateRole(context.Background(), f.Editor.ID, a, f.Admin.ID, models.RoleEditor)
		if models.ErrorCodeOf(err) != models.EConflict {
			t.Fatalf("store: demoting the last administrator: %v", err)
		}
		// Non-administrators change no roles; unknown members are NOT_FOUND;
		// an invalid role is a validation error.
		wantCode(t, "editor changes a role", editor.Do(qUpdateRole, role(f.ReadOnly.ID, "EDITOR")), "FORBIDDEN")
		wantCode(t, "role of a non-member", admin.Do(qUpdateRole, role(f.Outsider.ID, "EDITOR")), "NOT_FOUND")
		wantCode(t, "remove a non-member", admin.Do(qRemoveMember, map[string]any{"a": a, "u": f.Outsider.ID}), "NOT_FOUND")
		wantCode(t, "remove in another account", admin.Do(qRemoveMember, map[string]any{"a": f.AccountB.ID, "u": f.AdminB.ID}), "NOT_FOUND")
		if after := memberRoles(t, admin, a); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Fatalf("refusals changed the members: %v → %v", before, after)
		}

		// With a second administrator, the first may be demoted — by the
		// other one — and then the second is the last one.
		var up struct{ UpdateMemberRole struct{ Role string } }
		admin.MustData(qUpdateRole, role(f.Editor.ID, "ADMINISTRATOR"), &up)
		if up.UpdateMemberRole.Role != "ADMINISTRATOR" {
			t.Fatalf("promote: %+v", up)
		}
		editor.MustData(qUpdateRole, role(f.Admin.ID, "EDITOR"), nil)
		wantCode(t, "former admin changes a role", admin.Do(qUpdateRole, role(f.ReadOnly.ID, "EDITOR")), "FORBIDDEN")
		wantCode(t, "new last admin leaves", editor.Do(qRemoveMember, map[string]any{"a": a, "u": f.Editor.ID}), "CONFLICT")
		wantCode(t, "new last admin demotes self", editor.Do(qUpdateRole, role(f.Editor.ID, "READ_ONLY")), "FORBIDDEN")
		got := memberRoles(t, editor, a)
		if got[f.Admin.ID] != "EDITOR" || got[f.Editor.ID] != "ADMINISTRATOR" || got[f.ReadOnly.ID] != "READ_ONLY" {
			t.Fatalf("roles: %v", got)
		}
	})
}

// TestRemoveAlertContact: the only alert contact stays until another is
// chosen; one of several is taken off the list with a history record; a
// person removed from their last account is signed out.
func TestRemoveAlertContact(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn})
		f := s.Fixture()
		a := f.AccountA.ID
		s.CompleteContactInfo(a, f.Admin, f.ReadOnly.ID)
		admin := s.As(f.Admin)
		reader := s.As(f.ReadOnly)
		histBefore := len(historyOf(t, admin, a))

		r := admin.Do(qRemoveMember, map[string]any{"a": a, "u": f.ReadOnly.ID})
		wantCode(t, "remove the only alert contact", r, "CONFLICT")
		if r.Errors[0].Extensions.Reason != models.ReasonOnlyAlertContact {
			t.Errorf("only alert contact: want reason %s: %s", models.ReasonOnlyAlertContact, r.Raw)
		}
		if !strings.Contains(r.Errors[0].Message, "alert contact") {
			t.Errorf("the refusal should name alert contacts: %s", r.Raw)
		}
		if ids := alertContactIDs(t, admin, a); len(ids) != 1 || ids[0] != f.ReadOnly.ID {
			t.Fatalf("alert contacts changed by a refusal: %v", ids)
		}
		if _, ok := memberRoles(t, admin, a)[f.ReadOnly.ID]; !ok {
			t.Fatal("a refused removal removed the member")
		}
		if n := len(historyOf(t, admin, a)); n != histBefore {
			t.Fatalf("a refused removal wrote history: %d → %d", histBefore, n)
		}
		if r := reader.Do(qMe, nil); string(r.Data) == `{"me":null}` {
			t.Fatal("a refused removal ended the session")
		}

		// Choose a second alert contact; now the first may go.
		admin.MustData(`mutation($a:ID!,$ids:[ID!]){updateContactInfo(input:{accountId:$a,environment:PRODUCTION,alertContactUserIds:$ids}){account{id}}}`,
			map[string]any{"a": a, "ids": []string{f.ReadOnly.ID, f.Editor.ID}}, nil)
		histBefore = len(historyOf(t, admin, a))
		var rm struct{ RemoveMember bool }
		admin.MustData(qRemoveMember, map[string]any{"a": a, "u": f.ReadOnly.ID}, &rm)
		if !rm.RemoveMember {
			t.Fatal("removeMember answered false")
		}
		if ids := alertContactIDs(t, admin, a); len(ids) != 1 || ids[0] != f.Editor.ID {
			t.Fatalf("alert contacts after removal: %v, want only the editor", ids)
		}
		hist := historyOf(t, admin, a)
		if len(hist) != histBefore+1 {
			t.Fatalf("history records: %d → %d, want one more", histBefore, len(hist))
		}
		h := hist[0] // newest first
		if h.Field != "ALERT_CONTACTS" || !strings.Contains(h.Before, f.ReadOnly.ID) || strings.Contains(h.After, f.ReadOnly.ID) ||
			!strings.Contains(h.After, f.Editor.ID) || h.Actor == nil || h.Actor.ID != f.Admin.ID {
			t.Fatalf("history record: %+v", h)
		}
		var gate struct{ AccessGate struct{ Locked bool } }
		admin.MustData(`query($a:ID!){accessGate(accountId:$a,environment:PRODUCTION){locked}}`, map[string]any{"a": a}, &gate)
		if gate.AccessGate.Locked {
			t.Fatal("removing one of two alert contacts locked the gate")
		}
		// That was the reader's only account: their session has ended.
		if r := reader.Do(qMe, nil); r.Code() != "" || string(r.Data) != `{"me":null}` {
			t.Fatalf("the removed member is still signed in: %s", r.Raw)
		}
		if n := countRows(t, s, "sessions", "user_id = ?", f.ReadOnly.ID); n != 0 {
			t.Fatalf("%d sessions left for a person with no account", n)
		}

		// Someone who keeps another account keeps their session, and loses
		// only the account they were removed from.
		if err := s.DB.AddMember(context.Background(), a, f.Outsider.ID, models.RoleEditor); err != nil {
			t.Fatal(err)
		}
		if err := s.DB.AddMember(context.Background(), f.AccountB.ID, f.Outsider.ID, models.RoleReadOnly); err != nil {
			t.Fatal(err)
		}
		both := s.As(f.Outsider)
		admin.MustData(qRemoveMember, map[string]any{"a": a, "u": f.Outsider.ID}, nil)
		var me struct {
			Me *struct {
				Memberships []struct {
					Role    string
					Account struct{ ID string }
				}
			}
		}
		both.MustData(qMe, nil, &me)
		if me.Me == nil || len(me.Me.Memberships) != 1 || me.Me.Memberships[0].Account.ID != f.AccountB.ID {
			t.Fatalf("member of two accounts after removal from one: %+v", me.Me)
		}
		wantCode(t, "removed account", both.Do(`query($a:ID!){account(id:$a){id}}`, map[string]any{"a": a}), "NOT_FOUND")
	})
}

// TestMemberGuardsConcurrent: two administrators removing (or demoting)
// each other at the same moment on PostgreSQL must leave one administrator.
// Without a lock, each transaction counts the other as "another
// administrator" and both commit.
func TestMemberGuardsConcurrent(t *testing.T) {
	s := apitest.NewWith(t, apitest.Options{Driver: testdb.DriverPostgres, DSN: testdb.Postgres(t)})
	staff := s.As(s.User("staff@platform.example", true))
	for i := range 8 {
		x := s.User(fmt.Sprintf("x%d@race.example", i), false)
		y := s.User(fmt.Sprintf("y%d@race.example", i), false)
		acc := s.Account(fmt.Sprintf("Race %d", i), []string{"BUSINESS_LINK"}, x)
		if err := s.DB.AddMember(context.Background(), acc.ID, y.ID, models.RoleAdministrator); err != nil {
			t.Fatal(err)
		}
		cx, cy := s.As(x), s.As(y)
		q, vars := qRemoveMember, func(u *models.User) map[string]any { return map[string]any{"a": acc.ID, "u": u.ID} }
		if i%2 == 1 {
			q = qUpdateRole
			vars = func(u *models.User) map[string]any { return map[string]any{"a": acc.ID, "u": u.ID, "r": "EDITOR"} }
		}
		var wg sync.WaitGroup
		var rx, ry *apitest.Response
		start := make(chan struct{})
		wg.Add(2)
		go func() { defer wg.Done(); <-start; rx = cx.Do(q, vars(y)) }()
		go func() { defer wg.Done(); <-start; ry = cy.Do(q, vars(x)) }()
		close(start)
		wg.Wait()
		admins := 0
		for _, r := range memberRoles(t, staff, acc.ID) {
			if r == "ADMINISTRATOR" {
				admins++
			}
		}
		if admins != 1 {
			t.Fatalf("round %d (%s): %d administrators left; answers %q / %q", i, q, admins, rx.Raw, ry.Raw)
		}
		// The loser is refused: CONFLICT when its guard ran second, or —
		// when the winner committed before the loser's request was
		// authorised — FORBIDDEN (demoted) or UNAUTHENTICATED (removed from
		// its only account, so signed out).
		if (rx.Code() == "") == (ry.Code() == "") {
			t.Fatalf("round %d: want exactly one success, got %q / %q", i, rx.Raw, ry.Raw)
		}
	}
}

// ---------------------------------------------------------------- invitations

const (
	qInvite     = `mutation($a:ID!,$e:String!,$r:Role!){inviteUser(input:{accountId:$a,email:$e,role:$r}){id email role expiresAt}}`
	qPreview    = `query($t:String!){invitation(token:$t){email accountName role expiresAt}}`
	qAccept     = `mutation($t:String!,$n:String!,$p:String!){acceptInvitation(input:{token:$t,name:$n,password:$p}){user{id email name} memberships{role account{id name}}}}`
	qInvitesOf  = `query($a:ID!){account(id:$a){invitations{id email role expiresAt}}}`
	newPassword = "a brand new password"
)

type invitationJSON struct {
	ID, Email, Role string
	ExpiresAt       time.Time
}

func pendingInvitations(t *testing.T, c *apitest.Client, accountID string) []invitationJSON {
	t.Helper()
	var d struct {
		Account struct{ Invitations []invitationJSON }
	}
	c.MustData(qInvitesOf, map[string]any{"a": accountID}, &d)
	return d.Account.Invitations
}

func previewIsNull(t *testing.T, s *apitest.Server, token string) bool {
	t.Helper()
	r := s.Anonymous().Do(qPreview, map[string]any{"t": token})
	if r.Code() != "" {
		t.Fatalf("invitation(token): %s", r.Raw)
	}
	return string(r.Data) == `{"invitation":null}`
}

func accept(s *apitest.Server, token, name, password string) (*apitest.Client, *apitest.Response) {
	c := s.Anonymous()
	return c, c.Do(qAccept, map[string]any{"t": token, "n": name, "p": password})
}

// TestInvitations: the link, the preview, refreshing a pending invitation,
// weak passwords, accepting once, revoked and expired links, and inviting
// an existing user.
func TestInvitations(t *testing.T) {
	s := apitest.NewWith(t, apitest.Options{Driver: testdb.DriverSQLite, DSN: testdb.SQLitePath(t), PublicURL: "https://portal.example.com/"})
	f := s.Fixture()
	a := f.AccountA.ID
	admin := s.As(f.Admin)
	invite := func(email, role string) invitationJSON {
		t.Helper()
		var d struct{ InviteUser invitationJSON }
		admin.MustData(qInvite, map[string]any{"a": a, "e": email, "r": role}, &d)
		return d.InviteUser
	}

	// A new email gets a pending invitation, valid 7 days, and one mail
	// with a link built from PUBLIC_URL.
	first := invite("  Newbie@A.example ", "EDITOR")
	if first.Email != "newbie@a.example" || first.Role != "EDITOR" || !first.ExpiresAt.Equal(s.Clock.Now().Add(models.InvitationTTL)) {
		t.Fatalf("invitation: %+v (now %v)", first, s.Clock.Now())
	}
	link, oldToken := latestInvitationToken(t, s, "newbie@a.example")
	if !strings.HasPrefix(link, "https://portal.example.com/invitations/accept?token=") {
		t.Fatalf("link %q is not built from PUBLIC_URL", link)
	}
	if n := countRows(t, s, "invitations", "token_hash = ? OR token_hash LIKE ?", oldToken, "%"+oldToken+"%"); n != 0 {
		t.Fatal("the invitation token is stored in clear")
	}
	var pv struct {
		Invitation *struct{ Email, AccountName, Role string }
	}
	s.Anonymous().MustData(qPreview, map[string]any{"t": oldToken}, &pv)
	if pv.Invitation == nil || pv.Invitation.Email != "newbie@a.example" || pv.Invitation.AccountName != "Alpha Bookings" || pv.Invitation.Role != "EDITOR" {
		t.Fatalf("preview: %+v", pv.Invitation)
	}

	// Re-inviting refreshes: one pending invitation, new role, new expiry,
	// a new link; the old link is dead.
	s.Clock.Advance(time.Hour)
	again := invite("newbie@a.example", "READ_ONLY")
	if again.ID != first.ID || again.Role != "READ_ONLY" || !again.ExpiresAt.Equal(first.ExpiresAt.Add(time.Hour)) {
		t.Fatalf("refreshed invitation %+v, first %+v", again, first)
	}
	n := 0
	for _, inv := range pendingInvitations(t, admin, a) {
		if inv.Email == "newbie@a.example" {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d pending invitations for one email", n)
	}
	if got := len(mailsTo(t, s, "newbie@a.example")); got != 2 {
		t.Fatalf("%d mails after re-inviting, want 2", got)
	}
	_, token := latestInvitationToken(t, s, "newbie@a.example")
	if token == oldToken {
		t.Fatal("re-inviting kept the old token")
	}
	if !previewIsNull(t, s, oldToken) {
		t.Fatal("the old link still previews")
	}
	_, r := accept(s, oldToken, "Newbie", newPassword)
	wantCode(t, "accept the old link", r, "NOT_FOUND")

	// Weak passwords and empty names are refused at their field, and leave
	// the invitation usable.
	_, r = accept(s, token, "Newbie", "short")
	wantFields(t, "weak password", r, "password")
	_, r = accept(s, token, "  ", "short")
	wantFields(t, "no name, weak password", r, "name", "password")
	if previewIsNull(t, s, token) {
		t.Fatal("a refused accept used the invitation")
	}

	// Accepting creates the user and the membership with the invited role,
	// and signs in.
	newbie, r := accept(s, token, " Nina Newbie ", newPassword)
	if r.Code() != "" {
		t.Fatalf("accept: %s", r.Raw)
	}
	var me struct {
		Me *struct {
			User        struct{ ID, Email, Name string }
			Memberships []struct {
				Role    string
				Account struct{ ID string }
			}
		}
	}
	newbie.MustData(qMe, nil, &me)
	if me.Me == nil || me.Me.User.Email != "newbie@a.example" || me.Me.User.Name != "Nina Newbie" ||
		len(me.Me.Memberships) != 1 || me.Me.Memberships[0].Role != "READ_ONLY" || me.Me.Memberships[0].Account.ID != a {
		t.Fatalf("me after accepting: %+v", me.Me)
	}
	if memberRoles(t, admin, a)[me.Me.User.ID] != "READ_ONLY" {
		t.Fatal("the membership is not listed")
	}
	s.Anonymous().SignIn("newbie@a.example", newPassword)
	// Single use.
	_, r = accept(s, token, "Mallory", "another long password")
	wantCode(t, "reuse", r, "NOT_FOUND")
	if !previewIsNull(t, s, token) {
		t.Fatal("a used link still previews")
	}
	for _, inv := range pendingInvitations(t, admin, a) {
		if inv.Email == "newbie@a.example" {
			t.Fatal("an accepted invitation is still pending")
		}
	}

	// A revoked invitation is dead.
	rev := invite("revoked@a.example", "EDITOR")
	_, revToken := latestInvitationToken(t, s, "revoked@a.example")
	var rv struct{ RevokeInvitation bool }
	admin.MustData(`mutation($i:ID!){revokeInvitation(id:$i)}`, map[string]any{"i": rev.ID}, &rv)
	if !rv.RevokeInvitation {
		t.Fatal("revokeInvitation answered false")
	}
	if !previewIsNull(t, s, revToken) {
		t.Fatal("a revoked link still previews")
	}
	_, r = accept(s, revToken, "Rev", newPassword)
	wantCode(t, "accept revoked", r, "NOT_FOUND")
	if n := countRows(t, s, "users", "email = ?", "revoked@a.example"); n != 0 {
		t.Fatal("a revoked invitation created a user")
	}

	// Unknown tokens: nothing to see.
	if !previewIsNull(t, s, "not-a-token") {
		t.Fatal("an unknown token previews")
	}
	_, r = accept(s, "not-a-token", "X", newPassword)
	wantCode(t, "unknown token", r, "NOT_FOUND")

	// An existing user is added at once, with a notice instead of a link.
	invite("OUTSIDER@c.example", "EDITOR")
	if memberRoles(t, admin, a)[f.Outsider.ID] != "EDITOR" {
		t.Fatal("an existing user was not added at once")
	}
	notices := mailsTo(t, s, "outsider@c.example")
	if len(notices) != 1 || !strings.Contains(notices[0].Subject, "Alpha Bookings") || invitationLink.MatchString(notices[0].TextBody) ||
		!strings.Contains(notices[0].TextBody, "https://portal.example.com/") {
		t.Fatalf("notice mail: %+v", notices)
	}
	for _, inv := range pendingInvitations(t, admin, a) {
		if inv.Email == "outsider@c.example" {
			t.Fatal("an existing user's membership is listed as a pending invitation")
		}
	}
	var om struct {
		Me struct{ Memberships []struct{ Role string } }
	}
	s.As(f.Outsider).MustData(qMe, nil, &om)
	if len(om.Me.Memberships) != 1 || om.Me.Memberships[0].Role != "EDITOR" {
		t.Fatalf("outsider memberships: %+v", om.Me)
	}
	// Inviting a member again is a validation error at email.
	wantFields(t, "invite a member", admin.Do(qInvite, map[string]any{"a": a, "e": f.Editor.Email, "r": "ADMINISTRATOR"}), "email")
	if memberRoles(t, admin, a)[f.Editor.ID] != "EDITOR" {
		t.Fatal("inviting a member changed their role")
	}
	wantFields(t, "invite a bad email", admin.Do(qInvite, map[string]any{"a": a, "e": "not an email", "r": "EDITOR"}), "email")

	// A person invited to two accounts before having a user: once the
	// first link made the user, the person accepts the second signed in
	// (the link alone is refused: TestInvitationNeverActsAsPassword), and
	// no password changes.
	invite("dual@x.example", "EDITOR")
	_, tokA := latestInvitationToken(t, s, "dual@x.example")
	s.As(f.AdminB).MustData(qInvite, map[string]any{"a": f.AccountB.ID, "e": "dual@x.example", "r": "READ_ONLY"}, nil)
	_, tokB := latestInvitationToken(t, s, "dual@x.example")
	dual, r := accept(s, tokA, "Dual", newPassword)
	if r.Code() != "" {
		t.Fatalf("accept A: %s", r.Raw)
	}
	if r = dual.Do(qAccept, map[string]any{"t": tokB, "n": "ignored", "p": "some other long password"}); r.Code() != "" {
		t.Fatalf("accept B signed in: %s", r.Raw)
	}
	var dm struct {
		Me struct{ Memberships []struct{ Role string } }
	}
	dual.MustData(qMe, nil, &dm)
	if len(dm.Me.Memberships) != 2 {
		t.Fatalf("memberships after two invitations: %+v", dm.Me)
	}
	s.Anonymous().SignIn("dual@x.example", newPassword)
	wantCode(t, "second password", s.Anonymous().Do(`mutation($e:String!,$p:String!){signIn(email:$e,password:$p){user{id}}}`,
		map[string]any{"e": "dual@x.example", "p": "some other long password"}), "UNAUTHENTICATED")

	// A pending invitation is superseded when the person, who has got a
	// user meanwhile, is invited again: the membership is added at once and
	// the old link neither stays listed nor works.
	invite("later@x.example", "READ_ONLY")
	_, laterToken := latestInvitationToken(t, s, "later@x.example")
	later := s.User("later@x.example", false)
	invite("later@x.example", "EDITOR")
	if memberRoles(t, admin, a)[later.ID] != "EDITOR" {
		t.Fatal("the re-invited user is not a member")
	}
	for _, inv := range pendingInvitations(t, admin, a) {
		if inv.Email == "later@x.example" {
			t.Fatal("a superseded invitation is still pending")
		}
	}
	if !previewIsNull(t, s, laterToken) {
		t.Fatal("a superseded link still previews")
	}
	_, r = accept(s, laterToken, "Later", newPassword)
	wantCode(t, "accept a superseded link", r, "NOT_FOUND")

	// Expired: 8 days later the link is dead and no longer pending.
	late := invite("late@a.example", "EDITOR")
	_, lateToken := latestInvitationToken(t, s, "late@a.example")
	s.Clock.Advance(8 * 24 * time.Hour)
	if !previewIsNull(t, s, lateToken) {
		t.Fatal("an expired link still previews")
	}
	_, r = accept(s, lateToken, "Late", newPassword)
	wantCode(t, "accept expired", r, "NOT_FOUND")
	for _, inv := range pendingInvitations(t, s.As(f.Admin), a) {
		if inv.ID == late.ID {
			t.Fatal("an expired invitation is still pending")
		}
	}
	// Re-inviting after expiry works again (a fresh invitation).
	admin = s.As(f.Admin)
	fresh := invite("late@a.example", "EDITOR")
	_, freshToken := latestInvitationToken(t, s, "late@a.example")
	if previewIsNull(t, s, freshToken) || fresh.ExpiresAt.Before(s.Clock.Now()) {
		t.Fatalf("re-invitation after expiry: %+v", fresh)
	}
}

// TestInvitationAtomic: an invitation and its mail commit together — when
// the outbox refuses the mail, no invitation (nor membership) remains.
func TestInvitationAtomic(t *testing.T) {
	s := apitest.New(t)
	f := s.Fixture()
	if err := s.DB.Gorm().Exec(`CREATE TRIGGER outbox_refuses BEFORE INSERT ON outbox
		WHEN NEW.to_email LIKE 'boom%' OR NEW.to_email = 'outsider@c.example'
		BEGIN SELECT RAISE(ABORT, 'outbox refuses'); END`).Error; err != nil {
		t.Fatal(err)
	}
	admin := s.As(f.Admin)
	r := admin.Do(qInvite, map[string]any{"a": f.AccountA.ID, "e": "boom@a.example", "r": "EDITOR"})
	wantCode(t, "invite with a failing outbox", r, "INTERNAL")
	if n := countRows(t, s, "invitations", "email = ?", "boom@a.example"); n != 0 {
		t.Fatalf("%d invitations without their mail", n)
	}
	r = admin.Do(qInvite, map[string]any{"a": f.AccountA.ID, "e": f.Outsider.Email, "r": "EDITOR"})
	wantCode(t, "add an existing user with a failing outbox", r, "INTERNAL")
	if _, ok := memberRoles(t, admin, f.AccountA.ID)[f.Outsider.ID]; ok {
		t.Fatal("a membership was added without its notice")
	}
	staff := s.As(f.Staff)
	r = staff.Do(`mutation{createAccount(input:{name:"Boom Ltd",integrationTypes:["THINGS_TO_DO"],administratorEmail:"boom@boom.example"}){id}}`, nil)
	wantCode(t, "createAccount with a failing outbox", r, "INTERNAL")
	if n := countRows(t, s, "accounts", "name = ?", "Boom Ltd"); n != 0 {
		t.Fatal("an account was created without its invitation mail")
	}
}

// TestCreateAccountInvitesAdministrator: staff create an account; its first
// administrator gets an invitation and, on accepting, is ADMINISTRATOR.
func TestCreateAccountInvitesAdministrator(t *testing.T) {
	s := apitest.New(t)
	f := s.Fixture()
	var d struct{ CreateAccount struct{ ID string } }
	s.As(f.Staff).MustData(`mutation{createAccount(input:{name:"Gamma Tours",integrationTypes:["THINGS_TO_DO"],administratorEmail:"Boss@Gamma.example"}){id}}`, nil, &d)
	_, token := latestInvitationToken(t, s, "boss@gamma.example")
	c, r := accept(s, token, "Boss", newPassword)
	if r.Code() != "" {
		t.Fatalf("accept: %s", r.Raw)
	}
	if roles := memberRoles(t, c, d.CreateAccount.ID); len(roles) != 1 {
		t.Fatalf("members: %v", roles)
	}
	var me struct {
		Me struct {
			Memberships []struct {
				Role    string
				Account struct{ ID, Name string }
			}
		}
	}
	c.MustData(qMe, nil, &me)
	if len(me.Me.Memberships) != 1 || me.Me.Memberships[0].Role != "ADMINISTRATOR" || me.Me.Memberships[0].Account.Name != "Gamma Tours" {
		t.Fatalf("me: %+v", me.Me)
	}
}

// TestInvitationLimits: invitations are mails, so an administrator cannot
// send them without bound (20 an hour per account, 3 an hour to one
// address), and platform staff are never invited: they read every account
// already, and an existing user becomes a member at once, without
// consenting, after which their sign-ins would show in that account's
// audit log.
func TestInvitationLimits(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn})
		f := s.Fixture()
		admin := s.As(f.Admin)
		const invite = `mutation($a: ID!, $e: String!) { inviteUser(input: {accountId: $a, email: $e, role: READ_ONLY}) { id } }`
		const revoke = `mutation($id: ID!) { revokeInvitation(id: $id) }`

		r := admin.Do(invite, map[string]any{"a": f.AccountA.ID, "e": f.Staff.Email})
		if r.Code() != "VALIDATION_FAILED" || !strings.Contains(r.Raw, "STAFF_NOT_INVITABLE") {
			t.Fatalf("inviting staff: %s", r.Raw)
		}
		var members struct {
			Account struct {
				Members []struct{ User struct{ Email string } }
			}
		}
		admin.MustData(`query($a: ID!) { account(id: $a) { members { user { email } } } }`, map[string]any{"a": f.AccountA.ID}, &members)
		for _, m := range members.Account.Members {
			if m.User.Email == f.Staff.Email {
				t.Fatal("staff became a member")
			}
		}

		// One address: three invitations an hour (revoked in between).
		for i := range 4 {
			r := admin.Do(invite, map[string]any{"a": f.AccountA.ID, "e": "again@new.example"})
			if i < 3 {
				var out struct{ InviteUser struct{ ID string } }
				if err := json.Unmarshal(r.Data, &out); err != nil || len(r.Errors) > 0 {
					t.Fatalf("invitation %d: %s", i+1, r.Raw)
				}
				admin.MustData(revoke, map[string]any{"id": out.InviteUser.ID}, nil)
				continue
			}
			if r.Code() != "RATE_LIMITED" {
				t.Fatalf("a 4th invitation to one address in an hour: %s", r.Raw)
			}
		}
		// One account: twenty an hour. Five were asked above (the staff
		// one and the fourth refused count too: each asked for a mail).
		for i := range 15 {
			admin.MustData(invite, map[string]any{"a": f.AccountA.ID, "e": fmt.Sprintf("team%d@new.example", i)}, nil)
		}
		if r := admin.Do(invite, map[string]any{"a": f.AccountA.ID, "e": "one-more@new.example"}); r.Code() != "RATE_LIMITED" {
			t.Fatalf("a 21st invitation in an hour: %s", r.Raw)
		}
		// Another account has its own budget.
		s.As(f.AdminB).MustData(invite, map[string]any{"a": f.AccountB.ID, "e": "one-more@new.example"}, nil)
	})
}
