package graph_test

import (
	"context"
	"strings"
	"testing"

	"github.com/contactgate/contactgate/internal/apitest"
	"github.com/contactgate/contactgate/internal/testdb"
	"github.com/contactgate/contactgate/models"
)

const (
	qAcceptAs      = `mutation($t:String!,$p:String){acceptInvitation(input:{token:$t,password:$p}){staff user{id email} memberships{role account{id}}}}`
	qPreviewExists = `query($t:String!){invitation(token:$t){email existingUser}}`
	qSignInAs      = `mutation($e:String!,$p:String!){signIn(email:$e,password:$p){user{id}}}`
)

// pendingFor invites email to account A (directly in the store, so that no
// rate-limited request is spent) and returns the link's token.
func pendingFor(t *testing.T, s *apitest.Server, f *apitest.Fixture, email string, role models.Role) string {
	t.Helper()
	if _, err := s.Services.Members.Invite(context.Background(), f.Admin, f.AccountA.ID, email, role); err != nil {
		t.Fatal(err)
	}
	_, token := latestInvitationToken(t, s, email)
	return token
}

// acceptWith sends acceptInvitation with a password, or none when pw is nil.
func acceptWith(c *apitest.Client, token string, pw *string) *apitest.Response {
	return c.Do(qAcceptAs, map[string]any{"t": token, "p": pw})
}

// wantRefusal fails unless r was refused with code and reason, set no
// cookie, and returned no data.
func wantRefusal(t *testing.T, what string, r *apitest.Response, code, reason string) {
	t.Helper()
	wantCode(t, what, r, code)
	if reason != "" && r.Errors[0].Extensions.Reason != reason {
		t.Fatalf("%s: reason %q, want %q: %s", what, r.Errors[0].Extensions.Reason, reason, r.Raw)
	}
	if c := r.Header.Values("Set-Cookie"); len(c) > 0 {
		t.Fatalf("%s: a refused acceptance set cookies %v", what, c)
	}
	if string(r.Data) != "null" && len(r.Data) != 0 {
		t.Fatalf("%s: data %s", what, r.Data)
	}
}

// signedOut fails unless c has no session.
func signedOut(t *testing.T, what string, c *apitest.Client) {
	t.Helper()
	r := c.Do(qMe, nil)
	if r.Code() != "" || string(r.Data) != `{"me":null}` {
		t.Fatalf("%s: the client is signed in: %s", what, r.Raw)
	}
}

func ptr(s string) *string { return &s }

// TestInvitationNeverActsAsPassword: an invitation whose email has become a
// user since it was sent (or was made staff with create-staff) is accepted
// only by that user signed in, or with that user's password; the link alone
// gives no session and adds nothing, and wrong passwords are limited like
// signIn.
func TestInvitationNeverActsAsPassword(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn})
		f := s.Fixture()
		ctx := context.Background()
		a := f.AccountA.ID

		// The preview tells a new email from an existing user, and
		// nothing more.
		newToken := pendingFor(t, s, f, "fresh@x.example", models.RoleEditor)
		lateToken := pendingFor(t, s, f, "late@x.example", models.RoleEditor)
		late := s.User("late@x.example", false) // e.g. joined another account meanwhile
		for _, c := range []struct {
			token string
			want  string
		}{{newToken, `{"invitation":{"email":"fresh@x.example","existingUser":false}}`},
			{lateToken, `{"invitation":{"email":"late@x.example","existingUser":true}}`}} {
			r := s.Anonymous().Do(qPreviewExists, map[string]any{"t": c.token})
			if r.Code() != "" || string(r.Data) != c.want {
				t.Fatalf("preview: %s, want %s", r.Raw, c.want)
			}
		}

		// The link alone: refused with or without a (made-up) password, no
		// session, no membership, the invitation still usable.
		anon := s.Anonymous()
		wantRefusal(t, "link alone", acceptWith(anon, lateToken, nil), "UNAUTHENTICATED", models.ReasonSignInRequired)
		wantRefusal(t, "link and an empty password", acceptWith(anon, lateToken, ptr("")), "UNAUTHENTICATED", models.ReasonSignInRequired)
		_, r := accept(s, lateToken, "Mallory", "a brand new password") // yesterday's client: name and a new password
		wantRefusal(t, "link and a new password", r, "UNAUTHENTICATED", models.ReasonWrongPassword)
		signedOut(t, "after the link alone", anon)
		if n := countRows(t, s, "members", "user_id = ?", late.ID); n != 0 {
			t.Fatalf("the link alone added %d memberships", n)
		}
		s.Anonymous().SignIn(late.Email, apitest.Password) // the password is unchanged

		// Signed in as someone else: refused, whatever password is given,
		// and that session is left as it was.
		outsider := s.As(f.Outsider)
		wantRefusal(t, "signed in as another user", acceptWith(outsider, lateToken, nil), "FORBIDDEN", models.ReasonSignedInAsAnotherUser)
		wantRefusal(t, "another user with the password", acceptWith(outsider, lateToken, ptr(apitest.Password)), "FORBIDDEN", models.ReasonSignedInAsAnotherUser)
		var om struct {
			Me struct{ User struct{ Email string } }
		}
		outsider.MustData(qMe, nil, &om)
		if om.Me.User.Email != f.Outsider.Email {
			t.Fatalf("the other user's session changed: %+v", om)
		}
		if n := countRows(t, s, "members", "user_id IN ?", []string{late.ID, f.Outsider.ID}); n != 0 {
			t.Fatalf("a refused acceptance added %d memberships", n)
		}

		// Signed in as the invited user: accepted, the session kept.
		lateClient := s.As(late)
		r = acceptWith(lateClient, lateToken, nil)
		if r.Code() != "" {
			t.Fatalf("accept signed in: %s", r.Raw)
		}
		if c := r.Header.Values("Set-Cookie"); len(c) > 0 {
			t.Fatalf("accepting signed in changed the session: %v", c)
		}
		if memberRoles(t, lateClient, a)[late.ID] != "EDITOR" {
			t.Fatal("the membership was not added")
		}
		wantCode(t, "the used link", acceptWith(s.As(late), lateToken, nil), "NOT_FOUND")

		// Made staff with create-staff after the invitation: the link never
		// gives a staff session.
		staffToken := pendingFor(t, s, f, "ops@x.example", models.RoleAdministrator)
		hash, err := s.Hasher.Hash(ctx, "the staff member's password")
		if err != nil {
			t.Fatal(err)
		}
		ops, err := s.Services.Sessions.UpsertStaffHash(ctx, "ops@x.example", hash)
		if err != nil {
			t.Fatal(err)
		}
		anon = s.Anonymous()
		wantRefusal(t, "staff: link alone", acceptWith(anon, staffToken, nil), "UNAUTHENTICATED", models.ReasonSignInRequired)
		_, r = accept(s, staffToken, "Ops", "a brand new password")
		wantRefusal(t, "staff: link and a new password", r, "UNAUTHENTICATED", models.ReasonWrongPassword)
		wantRefusal(t, "staff: signed in as an administrator", acceptWith(s.As(f.Admin), staffToken, nil), "FORBIDDEN", models.ReasonSignedInAsAnotherUser)
		signedOut(t, "staff: after the link alone", anon)
		if n := countRows(t, s, "members", "user_id = ?", ops.ID); n != 0 {
			t.Fatalf("the link alone made the staff user a member (%d)", n)
		}
		if n := countRows(t, s, "sessions", "user_id = ?", ops.ID); n != 0 {
			t.Fatalf("the link alone made %d staff sessions", n)
		}

		// The right password proves who the caller is: accepted and
		// signed in, as signIn would.
		pwToken := pendingFor(t, s, f, "pw@x.example", models.RoleReadOnly)
		pw := s.User("pw@x.example", false)
		pwClient := s.Anonymous()
		r = acceptWith(pwClient, pwToken, ptr(apitest.Password))
		if r.Code() != "" || len(r.Header.Values("Set-Cookie")) != 1 {
			t.Fatalf("accept with the password: %s %v", r.Raw, r.Header.Values("Set-Cookie"))
		}
		var pm struct {
			Me struct {
				Staff bool
				User  struct{ ID string }
			}
		}
		pwClient.MustData(`{me{staff user{id}}}`, nil, &pm)
		if pm.Me.User.ID != pw.ID || pm.Me.Staff {
			t.Fatalf("me after accepting with the password: %+v", pm)
		}
		if memberRoles(t, pwClient, a)[pw.ID] != "READ_ONLY" {
			t.Fatal("the membership was not added")
		}
	})
}

// TestInvitationPasswordIsRateLimited: wrong passwords given to an
// invitation count against signIn's limit for that email, so that a link
// is no second door for guessing; once limited, even the right password
// (and signIn itself) waits.
func TestInvitationPasswordIsRateLimited(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn})
		f := s.Fixture()
		token := pendingFor(t, s, f, "guess@x.example", models.RoleEditor)
		guess := s.User("guess@x.example", false)
		// A member elsewhere: that account's audit log sees the guessing.
		if err := s.DB.AddMember(context.Background(), f.AccountB.ID, guess.ID, models.RoleReadOnly); err != nil {
			t.Fatal(err)
		}
		anon := s.Anonymous()
		limited := false
		for i := range 15 {
			r := acceptWith(anon, token, ptr("wrong password number "+strings.Repeat("!", i)))
			if r.Code() == "RATE_LIMITED" {
				if i < 5 {
					t.Fatalf("limited after only %d tries", i)
				}
				limited = true
				break
			}
			wantRefusal(t, "wrong password", r, "UNAUTHENTICATED", models.ReasonWrongPassword)
		}
		if !limited {
			t.Fatal("15 wrong passwords were never rate-limited")
		}
		wantCode(t, "the right password once limited", acceptWith(anon, token, ptr(apitest.Password)), "RATE_LIMITED")
		wantCode(t, "signIn once limited", s.Anonymous().Do(qSignInAs, map[string]any{"e": guess.Email, "p": apitest.Password}), "RATE_LIMITED")
		signedOut(t, "after guessing", anon)
		if n := countRows(t, s, "members", "user_id = ? AND account_id = ?", guess.ID, f.AccountA.ID); n != 0 {
			t.Fatalf("guessing added %d memberships", n)
		}
		if n := countRows(t, s, "audit_events", "account_id = ? AND action = ?", f.AccountB.ID, string(models.AuditSignInFailed)); n < 5 {
			t.Fatalf("%d wrong passwords given to the invitation were audited as failed sign-ins, want at least 5", n)
		}
	})
}

// TestPasswordRuleThroughAPI: the shared password rule, at the password
// field of acceptInvitation, and nothing is created when it refuses.
func TestPasswordRuleThroughAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn})
		f := s.Fixture()
		token := pendingFor(t, s, f, "rule@x.example", models.RoleEditor)
		for _, c := range []struct {
			name, password, code string
		}{
			{"spaces", "            ", models.FieldPasswordBlank},
			{"tabs and spaces", " \t \t \t \t \t \t", models.FieldPasswordBlank},
			{"common", "password123", models.FieldPasswordCommon},
			{"common, capitalised", "Qwertyuiop", models.FieldPasswordCommon},
			{"repeated", "aaaaaaaaaaaa", models.FieldPasswordCommon},
			{"short", "abc", models.FieldPasswordTooShort},
			{"long", strings.Repeat("ab", 65), models.FieldPasswordTooLong},
		} {
			_, r := accept(s, token, "Rule", c.password)
			wantFields(t, c.name, r, "password")
			if got := r.Errors[0].Extensions.Fields[0].Code; got != c.code {
				t.Fatalf("%s: code %s, want %s", c.name, got, c.code)
			}
			if c := r.Header.Values("Set-Cookie"); len(c) > 0 {
				t.Fatalf("a refused password set cookies %v", c)
			}
		}
		if n := countRows(t, s, "users", "email = ?", "rule@x.example"); n != 0 {
			t.Fatal("a refused password created a user")
		}
		if c, r := accept(s, token, "Rule", "  a sentence with spaces  "); r.Code() != "" {
			t.Fatalf("a good password: %s", r.Raw)
		} else {
			signedOut := c.Do(qMe, nil)
			if string(signedOut.Data) == `{"me":null}` {
				t.Fatal("accepting did not sign in")
			}
		}
		// Stored as given: the spaces are part of it.
		s.Anonymous().SignIn("rule@x.example", "  a sentence with spaces  ")
	})
}
