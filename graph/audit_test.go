package graph_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/contactgate/contactgate/internal/apitest"
	"github.com/contactgate/contactgate/internal/testdb"
	"github.com/contactgate/contactgate/models"
)

// This file tests Account.auditLog through the real API on SQLite and
// PostgreSQL: an event for every security action, with actor, principal,
// IP, user agent, target and before/after; who may read it; paging; and
// that an event and its change commit together or not at all.

const qAuditLog = `query($a:ID!,$first:Int,$after:String){account(id:$a){auditLog(first:$first,after:$after){
	edges{cursor node{id at action actor{id} principal ip userAgent target{kind id label} before after}}
	pageInfo{hasNextPage endCursor} totalCount}}}`

type auditEventJSON struct {
	ID        string
	Action    string
	Actor     *struct{ ID string }
	Principal string
	IP        *string
	UserAgent *string
	Target    *struct{ Kind, ID, Label string }
	Before    *string
	After     *string
}

type auditPage struct {
	Edges []struct {
		Cursor string
		Node   auditEventJSON
	}
	PageInfo struct {
		HasNextPage bool
		EndCursor   *string
	}
	TotalCount int
}

func auditLogOf(t *testing.T, c *apitest.Client, accountID string, first int, after string) auditPage {
	t.Helper()
	vars := map[string]any{"a": accountID, "first": first}
	if after != "" {
		vars["after"] = after
	}
	var d struct{ Account struct{ AuditLog auditPage } }
	c.MustData(qAuditLog, vars, &d)
	return d.Account.AuditLog
}

// wantEvent is what one recorded event must say; "" and nil mean "absent".
type wantEvent struct {
	action, actor, principal string
	targetKind, targetID     string
	targetLabel              string
	before, after            string
}

func (w wantEvent) String() string {
	return fmt.Sprintf("%s actor=%q %s target=%s:%s(%s) before=%q after=%q", w.action, w.actor, w.principal,
		w.targetKind, w.targetID, w.targetLabel, w.before, w.after)
}

func derefOr(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

func gotEvent(e auditEventJSON) wantEvent {
	w := wantEvent{action: e.Action, principal: e.Principal}
	if e.Actor != nil {
		w.actor = e.Actor.ID
	}
	if e.Target != nil {
		w.targetKind, w.targetID, w.targetLabel = e.Target.Kind, e.Target.ID, e.Target.Label
	}
	if e.Before != nil {
		w.before = *e.Before
	}
	if e.After != nil {
		w.after = *e.After
	}
	return w
}

// TestAuditLogRecordsEvents performs every audited action once and reads
// the account's log back: exactly the expected events, newest first, each
// with its actor, principal, target and before/after, the client's IP and
// user agent; nothing for staff sign-ins or unknown emails, and nothing in
// another account.
func TestAuditLogRecordsEvents(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn})
		f := s.Fixture()
		a := f.AccountA.ID
		s.CompleteContactInfo(a, f.Admin, "") // API tokens are gated
		if n := countRows(t, s, "audit_events", "1 = 1"); n != 0 {
			t.Fatalf("the fixture recorded %d events", n)
		}
		var want []wantEvent
		user := func(u *models.User) (string, string, string) { return "USER", u.ID, u.Email }
		expect := func(action, actor, principal string, target func() (string, string, string), before, after string) {
			w := wantEvent{action: action, actor: actor, principal: principal, before: before, after: after}
			if target != nil {
				w.targetKind, w.targetID, w.targetLabel = target()
			}
			want = append(want, w)
		}
		of := func(u *models.User) func() (string, string, string) {
			return func() (string, string, string) { return user(u) }
		}

		// Sign-ins: the administrator's browser sends a long user agent.
		// 19 ASCII bytes, then two-byte characters: byte 256 falls inside one.
		longUA := "Mozilla/5.0 (Audit)" + strings.Repeat("é", 200)
		admin := s.Anonymous()
		admin.Header.Set("User-Agent", longUA)
		admin.SignIn(f.Admin.Email, apitest.Password)
		expect("SIGN_IN", f.Admin.ID, "SESSION", of(f.Admin), "", "")
		editor := s.As(f.Editor)
		expect("SIGN_IN", f.Editor.ID, "SESSION", of(f.Editor), "", "")
		reader := s.As(f.ReadOnly)
		expect("SIGN_IN", f.ReadOnly.ID, "SESSION", of(f.ReadOnly), "", "")
		staff := s.As(f.Staff) // a member of nothing: recorded nowhere

		// Failed sign-ins: a member's email is recorded, an unknown one is not.
		total := countRows(t, s, "audit_events", "1 = 1")
		wrong := `mutation($e:String!){signIn(email:$e,password:"not the password"){user{id}}}`
		wantCode(t, "unknown email", s.Anonymous().Do(wrong, map[string]any{"e": "nobody@nowhere.example"}), "UNAUTHENTICATED")
		if n := countRows(t, s, "audit_events", "1 = 1"); n != total {
			t.Fatalf("a failed sign-in of an unknown email recorded %d events", n-total)
		}
		wantCode(t, "wrong password", s.Anonymous().Do(wrong, map[string]any{"e": f.Editor.Email}), "UNAUTHENTICATED")
		expect("SIGN_IN_FAILED", "", "ANONYMOUS", of(f.Editor), "", "")

		// Invitations: sent, sent again with another role, accepted.
		var inv struct{ InviteUser invitationJSON }
		admin.MustData(qInvite, map[string]any{"a": a, "e": "new@a.example", "r": "EDITOR"}, &inv)
		invTarget := func() (string, string, string) { return "INVITATION", inv.InviteUser.ID, "new@a.example" }
		expect("INVITATION_SENT", f.Admin.ID, "SESSION", invTarget, "", "EDITOR")
		admin.MustData(qInvite, map[string]any{"a": a, "e": "new@a.example", "r": "READ_ONLY"}, &inv)
		expect("INVITATION_SENT", f.Admin.ID, "SESSION", invTarget, "EDITOR", "READ_ONLY")
		_, token := latestInvitationToken(t, s, "new@a.example")
		_, r := accept(s, token, "New Person", newPassword)
		if r.Code() != "" {
			t.Fatalf("accept: %s", r.Raw)
		}
		newUser, err := s.DB.UserByEmail(context.Background(), "new@a.example")
		if err != nil {
			t.Fatal(err)
		}
		expect("INVITATION_ACCEPTED", newUser.ID, "ANONYMOUS", invTarget, "", "READ_ONLY")
		expect("SIGN_IN", newUser.ID, "SESSION", of(newUser), "", "")

		// Staff invite (principal STAFF); the administrator revokes it.
		var inv2 struct{ InviteUser invitationJSON }
		staff.MustData(qInvite, map[string]any{"a": a, "e": "gone@a.example", "r": "ADMINISTRATOR"}, &inv2)
		inv2Target := func() (string, string, string) { return "INVITATION", inv2.InviteUser.ID, "gone@a.example" }
		expect("INVITATION_SENT", f.Staff.ID, "STAFF", inv2Target, "", "ADMINISTRATOR")
		admin.MustData(`mutation($id:ID!){revokeInvitation(id:$id)}`, map[string]any{"id": inv2.InviteUser.ID}, nil)
		expect("INVITATION_REVOKED", f.Admin.ID, "SESSION", inv2Target, "ADMINISTRATOR", "")
		// Revoking it again changes nothing and records nothing.
		admin.MustData(`mutation($id:ID!){revokeInvitation(id:$id)}`, map[string]any{"id": inv2.InviteUser.ID}, nil)

		// An existing user is added at once.
		admin.MustData(qInvite, map[string]any{"a": a, "e": f.Outsider.Email, "r": "EDITOR"}, nil)
		expect("MEMBER_ADDED", f.Admin.ID, "SESSION", of(f.Outsider), "", "EDITOR")

		// Role change, removal (which ends the reader's only session).
		admin.MustData(qUpdateRole, map[string]any{"a": a, "u": f.Editor.ID, "r": "ADMINISTRATOR"}, nil)
		expect("MEMBER_ROLE_CHANGED", f.Admin.ID, "SESSION", of(f.Editor), "EDITOR", "ADMINISTRATOR")
		admin.MustData(qRemoveMember, map[string]any{"a": a, "u": f.ReadOnly.ID}, nil)
		expect("MEMBER_REMOVED", f.Admin.ID, "SESSION", of(f.ReadOnly), "READ_ONLY", "")
		expect("SESSIONS_ENDED", f.Admin.ID, "SESSION", of(f.ReadOnly), "", "1")
		if r := reader.Do(qMe, nil); string(r.Data) != `{"me":null}` {
			t.Fatalf("the removed reader is still signed in: %s", r.Raw)
		}

		// API token: created, used (recorded the first time only), revoked.
		var created struct {
			CreateAPIToken struct {
				Token    string
				APIToken struct{ ID string }
			} `json:"createApiToken"`
		}
		admin.MustData(qCreateToken, map[string]any{"a": a, "n": "deploy bot", "ro": false}, &created)
		tok := created.CreateAPIToken.APIToken.ID
		tokTarget := func() (string, string, string) { return "API_TOKEN", tok, "deploy bot" }
		expect("API_TOKEN_CREATED", f.Admin.ID, "SESSION", tokTarget, "", "READ_WRITE")
		tool := s.WithToken(created.CreateAPIToken.Token)
		for range 2 {
			tool.MustData(`query($a:ID!){accessGate(accountId:$a,environment:SANDBOX){locked}}`, map[string]any{"a": a}, nil)
			s.Clock.Advance(2 * time.Minute) // past the once-a-minute last-use write
		}
		expect("API_TOKEN_FIRST_USED", "", "API_TOKEN", tokTarget, "", "READ_WRITE")
		admin.MustData(`mutation($id:ID!){revokeApiToken(id:$id)}`, map[string]any{"id": tok}, nil)
		expect("API_TOKEN_REVOKED", f.Admin.ID, "SESSION", tokTarget, "READ_WRITE", "")

		// Sign-out.
		editor.MustData(`mutation{signOut}`, nil, nil)
		expect("SIGN_OUT", f.Editor.ID, "SESSION", of(f.Editor), "", "")

		page := auditLogOf(t, admin, a, 100, "")
		if page.TotalCount != len(want) || len(page.Edges) != len(want) || page.PageInfo.HasNextPage {
			t.Errorf("totalCount %d, %d edges, hasNextPage %v; want %d events", page.TotalCount, len(page.Edges), page.PageInfo.HasNextPage, len(want))
		}
		for i := range max(len(want), len(page.Edges)) {
			var w, g wantEvent
			if i < len(want) {
				w = want[len(want)-1-i] // newest first
			}
			if i < len(page.Edges) {
				g = gotEvent(page.Edges[i].Node)
			}
			if g != w {
				t.Errorf("event %d:\n got  %v\n want %v", i, g, w)
			}
		}
		for _, e := range page.Edges {
			n := e.Node
			if n.IP == nil || *n.IP != "127.0.0.1" {
				t.Errorf("%s: ip %q", n.Action, derefOr(n.IP))
			}
			wantUA := "Go-http-client/1.1"
			if n.Actor != nil && n.Actor.ID == f.Admin.ID {
				// Cut to 256 bytes at a character boundary.
				wantUA = longUA[:255]
			}
			if n.UserAgent == nil || *n.UserAgent != wantUA {
				t.Errorf("%s: user agent %q, want %q", n.Action, derefOr(n.UserAgent), wantUA)
			}
		}

		// Account B saw none of it.
		if b := auditLogOf(t, s.As(f.AdminB), f.AccountB.ID, 100, ""); b.TotalCount != 1 || b.Edges[0].Node.Action != "SIGN_IN" {
			t.Errorf("account B's log: %+v", b)
		}
	})
}

// TestAuditLogAccess: administrators and staff read the log, even while the
// account is locked; editors, readers and API tokens get FORBIDDEN,
// non-members NOT_FOUND, anonymous callers UNAUTHENTICATED.
func TestAuditLogAccess(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn})
		f := s.Fixture()
		a := f.AccountA.ID
		vars := map[string]any{"a": a, "first": 10}
		// The account is still locked: the log is not gated.
		if p := auditLogOf(t, s.As(f.Admin), a, 10, ""); p.TotalCount == 0 {
			t.Fatal("the administrator's own sign-in is not in the log")
		}
		if p := auditLogOf(t, s.As(f.Staff), a, 10, ""); p.TotalCount == 0 {
			t.Fatal("staff read an empty log")
		}
		wantCode(t, "editor", s.As(f.Editor).Do(qAuditLog, vars), "FORBIDDEN")
		wantCode(t, "reader", s.As(f.ReadOnly).Do(qAuditLog, vars), "FORBIDDEN")
		wantCode(t, "administrator of another account", s.As(f.AdminB).Do(qAuditLog, vars), "NOT_FOUND")
		wantCode(t, "outsider", s.As(f.Outsider).Do(qAuditLog, vars), "NOT_FOUND")
		wantCode(t, "anonymous", s.Anonymous().Do(qAuditLog, vars), "UNAUTHENTICATED")

		s.CompleteContactInfo(a, f.Admin, "")
		for _, readOnly := range []bool{false, true} {
			var d struct {
				CreateAPIToken struct{ Token string } `json:"createApiToken"`
			}
			s.As(f.Admin).MustData(qCreateToken, map[string]any{"a": a, "n": fmt.Sprint("t", readOnly), "ro": readOnly}, &d)
			wantCode(t, fmt.Sprintf("token (read-only %v) of an administrator", readOnly), s.WithToken(d.CreateAPIToken.Token).Do(qAuditLog, vars), "FORBIDDEN")
		}
	})
}

// TestAuditLogPaging: pages of `first` events, newest first, every event
// exactly once, the total on every page; a foreign cursor is refused.
func TestAuditLogPaging(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn})
		f := s.Fixture()
		a := f.AccountA.ID
		for range 24 {
			if err := s.Services.Sessions.RecordFailedSignIn(context.Background(), f.Editor); err != nil {
				t.Fatal(err)
			}
		}
		admin := s.As(f.Admin) // the 25th event, the newest
		var ids []string
		after := ""
		for pages := 0; ; pages++ {
			p := auditLogOf(t, admin, a, 10, after)
			if p.TotalCount != 25 {
				t.Fatalf("totalCount %d", p.TotalCount)
			}
			for _, e := range p.Edges {
				if e.Cursor != e.Node.ID {
					t.Fatalf("cursor %q of event %q", e.Cursor, e.Node.ID)
				}
				ids = append(ids, e.Node.ID)
			}
			if !p.PageInfo.HasNextPage {
				if len(p.Edges) != 5 || pages != 2 {
					t.Fatalf("last page: %d edges after %d pages", len(p.Edges), pages)
				}
				break
			}
			if len(p.Edges) != 10 || p.PageInfo.EndCursor == nil {
				t.Fatalf("page %d: %d edges, end %v", pages, len(p.Edges), p.PageInfo.EndCursor)
			}
			after = *p.PageInfo.EndCursor
		}
		seen := map[string]bool{}
		for i, id := range ids {
			if seen[id] || (i > 0 && id >= ids[i-1]) {
				t.Fatalf("not newest first, each once: %v", ids)
			}
			seen[id] = true
		}
		if first := auditLogOf(t, admin, a, 1, ""); first.Edges[0].Node.Action != "SIGN_IN" ||
			first.Edges[0].Node.Principal != "SESSION" {
			t.Fatalf("newest event: %+v", first.Edges[0].Node)
		}
		// Events written outside a request are the system's, without IP.
		if last := auditLogOf(t, admin, a, 1, ids[len(ids)-2]); last.Edges[0].Node.Principal != "SYSTEM" || last.Edges[0].Node.IP != nil {
			t.Fatalf("store-written event: %+v", last.Edges[0].Node)
		}
		r := admin.Do(qAuditLog, map[string]any{"a": a, "first": 10, "after": "not-a-cursor"})
		wantFields(t, "foreign cursor", r, "after")
	})
}

// TestAuditLogAtomic: a refused change records nothing; when the audit
// record cannot be written, the change it records does not happen either
// (one transaction); and the table refuses UPDATE and DELETE.
func TestAuditLogAtomic(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn})
		f := s.Fixture()
		a := f.AccountA.ID
		s.CompleteContactInfo(a, f.Admin, "")
		admin, editor := s.As(f.Admin), s.As(f.Editor)
		before := countRows(t, s, "audit_events", "1 = 1")

		// Refusals record nothing.
		wantCode(t, "remove the last administrator", admin.Do(qRemoveMember, map[string]any{"a": a, "u": f.Admin.ID}), "CONFLICT")
		wantCode(t, "editor changes a role", editor.Do(qUpdateRole, map[string]any{"a": a, "u": f.ReadOnly.ID, "r": "EDITOR"}), "FORBIDDEN")
		wantFields(t, "token without a name", admin.Do(qCreateToken, map[string]any{"a": a, "n": " ", "ro": true}), "name")
		if n := countRows(t, s, "audit_events", "1 = 1"); n != before {
			t.Fatalf("refused changes recorded %d events", n-before)
		}

		// The table is append-only, whatever the caller.
		if err := s.DB.Gorm().Exec(`UPDATE audit_events SET action = 'SIGN_OUT'`).Error; err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Fatalf("UPDATE audit_events: %v", err)
		}
		if err := s.DB.Gorm().Exec(`DELETE FROM audit_events`).Error; err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Fatalf("DELETE FROM audit_events: %v", err)
		}
		if n := countRows(t, s, "audit_events", "action = ?", "SIGN_IN"); n != before || n != 2 {
			t.Fatalf("the log changed: %d sign-ins, want %d", n, before)
		}

		// Without the table, every audited change fails and changes nothing.
		if err := s.DB.Gorm().Exec(`DROP TABLE audit_events`).Error; err != nil {
			t.Fatal(err)
		}
		sessions := countRows(t, s, "sessions", "1 = 1")
		wantCode(t, "role change", admin.Do(qUpdateRole, map[string]any{"a": a, "u": f.Editor.ID, "r": "READ_ONLY"}), "INTERNAL")
		wantCode(t, "removal", admin.Do(qRemoveMember, map[string]any{"a": a, "u": f.ReadOnly.ID}), "INTERNAL")
		if got := memberRoles(t, admin, a); got[f.Editor.ID] != "EDITOR" || got[f.ReadOnly.ID] != "READ_ONLY" {
			t.Fatalf("members changed without their audit record: %v", got)
		}
		wantCode(t, "invitation", admin.Do(qInvite, map[string]any{"a": a, "e": "new@a.example", "r": "EDITOR"}), "INTERNAL")
		wantCode(t, "token", admin.Do(qCreateToken, map[string]any{"a": a, "n": "ci", "ro": true}), "INTERNAL")
		if n := countRows(t, s, "invitations", "email = ?", "new@a.example") + countRows(t, s, "api_tokens", "1 = 1"); n != 0 {
			t.Fatalf("%d invitations and tokens without their audit record", n)
		}
		wantCode(t, "sign-in", s.Anonymous().Do(`mutation($e:String!,$p:String!){signIn(email:$e,password:$p){user{id}}}`,
			map[string]any{"e": f.ReadOnly.Email, "p": apitest.Password}), "INTERNAL")
		wantCode(t, "sign-out", editor.Do(`mutation{signOut}`, nil), "INTERNAL")
		if n := countRows(t, s, "sessions", "1 = 1"); n != sessions {
			t.Fatalf("sessions %d → %d without their audit record", sessions, n)
		}
		if r := editor.Do(qMe, nil); string(r.Data) == `{"me":null}` {
			t.Fatal("a failed sign-out ended the session")
		}
	})
}
