package graph_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/contactgate/contactgate/internal/apitest"
	"github.com/contactgate/contactgate/internal/testdb"
	"github.com/contactgate/contactgate/models"
)

// This file tests the review cycle, its reminders, former members, quality
// warnings and the staff health summary through the real server, on SQLite
// and PostgreSQL, moving the injected clock instead of sleeping.

const day = 24 * time.Hour

type reviewGate struct {
	Locked        bool
	ReviewDueAt   time.Time
	ReviewOverdue bool
	ReviewLocked  bool
	ReviewLocksAt *time.Time
}

func gateReview(t *testing.T, c *apitest.Client, accountID string) reviewGate {
	t.Helper()
	var out struct{ AccessGate reviewGate }
	c.MustData(`query($a:ID!){accessGate(accountId:$a,environment:PRODUCTION){locked reviewDueAt reviewOverdue reviewLocked reviewLocksAt}}`,
		map[string]any{"a": accountID}, &out)
	return out.AccessGate
}

const qConfirmInfo = `mutation($a:ID!){confirmContactInfo(accountId:$a){account{contactInfo{reviewedAt reviewDueAt version}}}}`

// TestReviewDuePostponeLockConfirm: a review comes due REVIEW_INTERVAL
// after the last save, may be postponed for REVIEW_GRACE, then blocks; a
// confirmation (recorded in the history) starts a new cycle. Confirming
// incomplete contact info is CONTACT_INFO_REQUIRED and changes nothing.
func TestReviewDuePostponeLockConfirm(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn,
			Review: models.ReviewPolicy{Interval: 365 * day, Grace: 30 * day}})
		f := s.Fixture()
		a := f.AccountA.ID
		s.CompleteContactInfo(a, f.Admin, f.Admin.ID)
		saved := s.Clock.Now()
		// Sessions end after 30 days: each step signs in anew.
		admin := s.As(f.Admin)
		g := gateReview(t, admin, a)
		if g.Locked || g.ReviewOverdue || g.ReviewLocked || !g.ReviewDueAt.Equal(saved.Add(365*day)) ||
			g.ReviewLocksAt == nil || !g.ReviewLocksAt.Equal(saved.Add(395*day)) {
			t.Fatalf("fresh save: %+v", g)
		}

		s.Clock.Advance(365*day + time.Minute)
		admin = s.As(f.Admin)
		if g := gateReview(t, admin, a); !g.ReviewOverdue || g.ReviewLocked || g.Locked {
			t.Fatalf("due, within the grace (review mode, may be postponed): %+v", g)
		}
		var ci struct {
			Account struct {
				ContactInfo struct {
					WarningCodes []string
					Warnings     []struct {
						Field *string
						Code  string
					}
				}
			}
		}
		admin.MustData(`query($a:ID!){account(id:$a){contactInfo{warningCodes warnings{field code}}}}`, map[string]any{"a": a}, &ci)
		if !slices.Contains(ci.Account.ContactInfo.WarningCodes, "REVIEW_DUE") {
			t.Fatalf("an overdue review is a REVIEW_DUE warning: %+v", ci)
		}

		s.Clock.Advance(30 * day)
		admin, editor, reader := s.As(f.Admin), s.As(f.Editor), s.As(f.ReadOnly)
		if g := gateReview(t, admin, a); !g.ReviewOverdue || !g.ReviewLocked {
			t.Fatalf("past the grace the review blocks: %+v", g)
		}

		if r := reader.Do(qConfirmInfo, map[string]any{"a": a}); r.Code() != "FORBIDDEN" {
			t.Fatalf("a reader confirms: %s", r.Raw)
		}
		if r := s.As(f.AdminB).Do(qConfirmInfo, map[string]any{"a": a}); r.Code() != "NOT_FOUND" {
			t.Fatalf("another account's administrator confirms: %s", r.Raw)
		}
		if r := s.As(f.Staff).Do(qConfirmInfo, map[string]any{"a": a}); r.Code() != "FORBIDDEN" {
			t.Fatalf("staff confirm a partner's contacts: %s", r.Raw)
		}
		if g := gateReview(t, admin, a); !g.ReviewLocked {
			t.Fatalf("a refused confirmation changed the review: %+v", g)
		}

		var out struct {
			ConfirmContactInfo struct {
				Account struct {
					ContactInfo struct {
						ReviewedAt, ReviewDueAt time.Time
						Version                 int
					}
				}
			}
		}
		editor.MustData(qConfirmInfo, map[string]any{"a": a}, &out)
		info := out.ConfirmContactInfo.Account.ContactInfo
		if now := s.Clock.Now(); !info.ReviewedAt.Equal(now) || !info.ReviewDueAt.Equal(now.Add(365*day)) || info.Version != 1 {
			t.Fatalf("confirmation: %+v (now %v)", info, now)
		}
		if g := gateReview(t, admin, a); g.ReviewOverdue || g.ReviewLocked {
			t.Fatalf("confirm unlocks: %+v", g)
		}

		var h struct {
			Account struct {
				History struct {
					Edges []struct {
						Node struct {
							Kind  string
							Field *string
							Actor *struct{ ID string }
						}
					}
				}
			}
		}
		admin.MustData(`query($a:ID!){account(id:$a){history(first:1){edges{node{kind field actor{id}}}}}}`, map[string]any{"a": a}, &h)
		if e := h.Account.History.Edges; len(e) != 1 || e[0].Node.Kind != "REVIEW_CONFIRMED" || e[0].Node.Field != nil ||
			e[0].Node.Actor == nil || e[0].Node.Actor.ID != f.Editor.ID {
			t.Fatalf("history after a confirmation: %+v", h)
		}

		// A save is a review too.
		s.Clock.Advance(400 * day)
		admin = s.As(f.Admin)
		if g := gateReview(t, admin, a); !g.ReviewLocked {
			t.Fatalf("a year and more later: %+v", g)
		}
		s.CompleteContactInfo(a, f.Editor, f.Admin.ID)
		if g := gateReview(t, admin, a); g.ReviewOverdue {
			t.Fatalf("a save reviews: %+v", g)
		}

		// Incomplete contact info cannot be confirmed.
		b := f.AccountB.ID
		r := s.As(f.AdminB).Do(qConfirmInfo, map[string]any{"a": b})
		if r.Code() != "CONTACT_INFO_REQUIRED" || len(r.Errors[0].Extensions.Missing) == 0 {
			t.Fatalf("confirming incomplete contact info: %s", r.Raw)
		}
		var n int64
		s.DB.Gorm().Table("changes").Where("account_id = ?", b).Count(&n)
		if n != 0 {
			t.Fatalf("a refused confirmation wrote %d history entries", n)
		}
	})
}

// TestReviewGraceZeroNeverLocks: REVIEW_GRACE 0 never blocks.
func TestReviewGraceZeroNeverLocks(t *testing.T) {
	s := apitest.NewWith(t, apitest.Options{Driver: testdb.DriverSQLite, DSN: testdb.SQLitePath(t),
		Review: models.ReviewPolicy{Interval: 90 * time.Second}})
	f := s.Fixture()
	s.CompleteContactInfo(f.AccountA.ID, f.Admin, f.Admin.ID)
	s.Clock.Advance(1000 * day)
	if g := gateReview(t, s.As(f.Admin), f.AccountA.ID); !g.ReviewOverdue || g.ReviewLocked || g.ReviewLocksAt != nil {
		t.Fatalf("grace 0: %+v", g)
	}
}

// reviewMails counts the review reminders queued to each address.
func reviewMails(t *testing.T, s *apitest.Server) map[string][]string {
	t.Helper()
	var rows []struct{ ToEmail, Subject string }
	if err := s.DB.Gorm().Table("outbox").Select("to_email, subject").
		Where("subject LIKE ? OR subject LIKE ?", "%Review%", "%Verifica%").Order("created_at, to_email").Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, r := range rows {
		out[r.ToEmail] = append(out[r.ToEmail], r.Subject)
	}
	return out
}

// TestReviewRemindersOnceWithTwoProcesses: two servers (two processes'
// worth of services and schedulers) on one database run their scheduler
// passes at the same moments; each reminder (30, 7, 1 days before the due
// date, and once it has passed) reaches the administrators and editors
// exactly once, in their language, and nobody else.
func TestReviewRemindersOnceWithTwoProcesses(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		policy := models.ReviewPolicy{Interval: 365 * day, Grace: 30 * day}
		s1 := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn, Review: policy})
		s2 := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn, Review: policy, Clock: s1.Clock})
		f := s1.Fixture()
		a := f.AccountA.ID
		s1.CompleteContactInfo(a, f.Admin, f.Admin.ID)
		if err := s1.DB.SetLocale(context.Background(), f.Editor.ID, "it"); err != nil {
			t.Fatal(err)
		}
		due := s1.Clock.Now().Add(365 * day)
		ctx := context.Background()
		pass := func() {
			t.Helper()
			var wg sync.WaitGroup
			errs := make(chan error, 4)
			for _, s := range []*apitest.Server{s1, s2, s1, s2} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := s.Services.Review.RunPass(ctx)
					errs <- err
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
		}
		pass()
		if m := reviewMails(t, s1); len(m) != 0 {
			t.Fatalf("reminders before the first offset: %v", m)
		}
		for i, at := range []time.Time{due.Add(-30 * day), due.Add(-7 * day), due.Add(-1 * day), due} {
			s1.Clock.Set(at.Add(-time.Second))
			pass()
			if m := reviewMails(t, s1); len(m[f.Admin.Email]) != i {
				t.Fatalf("offset %d sent early: %v", i, m)
			}
			s1.Clock.Set(at)
			pass()
			pass()
			m := reviewMails(t, s1)
			if len(m[f.Admin.Email]) != i+1 || len(m[f.Editor.Email]) != i+1 || len(m[f.ReadOnly.Email]) != 0 {
				t.Fatalf("after offset %d: %v", i, m)
			}
			if it := m[f.Editor.Email][i]; !strings.Contains(it, "Verifica") {
				t.Errorf("the Italian editor got %q", it)
			}
		}
		var n int64
		s1.DB.Gorm().Table("review_reminders").Where("account_id = ?", a).Count(&n)
		if n != 4 {
			t.Fatalf("%d reminders recorded, want 4", n)
		}
		// A confirmation starts a new cycle: its reminders come again.
		if _, err := s1.Services.ContactInfo.Confirm(ctx, &f.Editor.ID, a); err != nil {
			t.Fatal(err)
		}
		s1.Clock.Advance(336 * day)
		pass()
		if m := reviewMails(t, s1); len(m[f.Admin.Email]) != 5 {
			t.Fatalf("the next cycle's first reminder: %v", m)
		}
	})
}

// TestReminderAfterDowntimeSendsOnlyTheMostUrgent: a scheduler that did
// not run for a while sends the reminder that applies now, not every one
// it missed.
func TestReminderAfterDowntimeSendsOnlyTheMostUrgent(t *testing.T) {
	s := apitest.NewWith(t, apitest.Options{Driver: testdb.DriverSQLite, DSN: testdb.SQLitePath(t)})
	f := s.Fixture()
	s.CompleteContactInfo(f.AccountA.ID, f.Admin, f.Admin.ID)
	s.Clock.Advance(400 * day)
	for range 2 {
		if _, err := s.Services.Review.RunPass(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	m := reviewMails(t, s)
	if len(m[f.Admin.Email]) != 1 || !strings.HasPrefix(m[f.Admin.Email][0], "Review overdue") {
		t.Fatalf("after downtime: %v", m)
	}
}

type warningsOut struct {
	Account struct {
		ContactInfo struct {
			AlertContacts []struct{ ID string }
			WarningCodes  []string
			Warnings      []struct {
				Field   *string
				Code    string
				Message string
			}
		}
	}
}

func warningsOf(t *testing.T, c *apitest.Client, accountID string) warningsOut {
	t.Helper()
	var out warningsOut
	c.MustData(`query($a:ID!){account(id:$a){contactInfo{alertContacts{id} warningCodes warnings{field code message}}}}`,
		map[string]any{"a": accountID}, &out)
	return out
}

func hasWarning(w warningsOut, field, code string) bool {
	for _, x := range w.Account.ContactInfo.Warnings {
		if x.Code == code && x.Field != nil && *x.Field == field {
			return true
		}
	}
	return false
}

// TestRemovedMemberFlagsFieldsAndMailsAdmins: removing a member (or
// revoking an invitation) flags every field listing their email as
// FORMER_MEMBER, tells the administrators by mail which fields, and takes
// them off the alert contacts; the person joining again clears the flag.
func TestRemovedMemberFlagsFieldsAndMailsAdmins(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn})
		f := s.Fixture()
		a := f.AccountA.ID
		admin := s.As(f.Admin)
		admin.MustData(`mutation($a:ID!,$al:[ID!],$e:String!){updateContactInfo(input:{accountId:$a,environment:PRODUCTION,
			alertContactUserIds:$al,
			technicalEmergency:[{email:$e,phone:"+393331234567"},{email:"pager@partner.example"}],
			technicalNonEmergency:[{email:"tech@partner.example"}],merchantIssues:[{email:$e}],
			operationalForGoogle:[{email:"ops@partner.example"},{email:"soon-gone@partner.example"}],
			operationalForUsers:{email:"help@partner.example"},operationalSupport:{alwaysOpen:true,windows:[]}}){account{id}}}`,
			map[string]any{"a": a, "al": []string{f.Admin.ID, f.Editor.ID}, "e": f.Editor.Email}, nil)
		if w := warningsOf(t, admin, a); slices.Contains(w.Account.ContactInfo.WarningCodes, "FORMER_MEMBER") {
			t.Fatalf("before any removal: %+v", w)
		}

		admin.MustData(`mutation($a:ID!,$u:ID!){removeMember(accountId:$a,userId:$u)}`, map[string]any{"a": a, "u": f.Editor.ID}, nil)
		w := warningsOf(t, admin, a)
		if !hasWarning(w, "technicalEmergency[0].email", "FORMER_MEMBER") || !hasWarning(w, "merchantIssues[0].email", "FORMER_MEMBER") ||
			hasWarning(w, "technicalEmergency[1].email", "FORMER_MEMBER") || !slices.Contains(w.Account.ContactInfo.WarningCodes, "FORMER_MEMBER") {
			t.Fatalf("after the removal: %+v", w)
		}
		if ac := w.Account.ContactInfo.AlertContacts; len(ac) != 1 || ac[0].ID != f.Admin.ID {
			t.Fatalf("the removed member stays an alert contact: %+v", ac)
		}
		var mails []struct{ ToEmail, Subject, TextBody string }
		s.DB.Gorm().Table("outbox").Select("to_email, subject, text_body").Where("subject LIKE ?", "%still a contact%").Scan(&mails)
		if len(mails) != 1 || mails[0].ToEmail != f.Admin.Email || !strings.Contains(mails[0].Subject, f.Editor.Email) ||
			!strings.Contains(mails[0].TextBody, "Technical emergency contacts") || !strings.Contains(mails[0].TextBody, "Merchant issues contacts") ||
			strings.Contains(mails[0].TextBody, "Operational contacts for Google") {
			t.Fatalf("the administrators' mail: %+v", mails)
		}

		// A revoked invitation: its address is a former member too.
		var inv struct{ InviteUser struct{ ID string } }
		admin.MustData(`mutation($a:ID!){inviteUser(input:{accountId:$a,email:"soon-gone@partner.example",role:EDITOR}){id}}`, map[string]any{"a": a}, &inv)
		admin.MustData(`mutation($i:ID!){revokeInvitation(id:$i)}`, map[string]any{"i": inv.InviteUser.ID}, nil)
		if w := warningsOf(t, admin, a); !hasWarning(w, "operationalForGoogle[1].email", "FORMER_MEMBER") {
			t.Fatalf("after revoking the invitation: %+v", w)
		}

		// Joining again clears the flag.
		admin.MustData(`mutation($a:ID!,$e:String!){inviteUser(input:{accountId:$a,email:$e,role:EDITOR}){id}}`,
			map[string]any{"a": a, "e": f.Editor.Email}, nil)
		if w := warningsOf(t, admin, a); hasWarning(w, "technicalEmergency[0].email", "FORMER_MEMBER") {
			t.Fatalf("after the person joined again: %+v", w)
		}
	})
}

// TestWarningsThroughTheAPI: the form's warnings come with paths, codes
// and messages; they never refuse a save.
func TestWarningsThroughTheAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn})
		f := s.Fixture()
		a := f.AccountB.ID
		admin := s.As(f.AdminB)
		admin.MustData(`mutation($a:ID!){updateContactInfo(input:{accountId:$a,environment:SANDBOX,
			technicalEmergency:[{email:"admin@b.example",phone:"+390612345678"}],
			technicalNonEmergency:[{email:"someone@gmail.com"}],
			operationalForGoogle:[{email:"admin@b.example"}],
			operationalForUsers:{email:"admin@b.example"},operationalSupport:{alwaysOpen:true,windows:[]}}){account{id}}}`,
			map[string]any{"a": a}, nil)
		w := warningsOf(t, admin, a)
		for _, want := range []struct{ field, code string }{
			{"technicalEmergency", "NO_PAGER_ALIAS"},
			{"technicalEmergency", "NO_PHONE_FOR_EMERGENCY"},
			{"technicalNonEmergency[0].email", "FREE_MAIL_DOMAIN"},
			{"operationalForUsers.email", "USER_FACING_IS_INTERNAL"},
		} {
			if !hasWarning(w, want.field, want.code) {
				t.Errorf("no %s at %s: %+v", want.code, want.field, w.Account.ContactInfo.Warnings)
			}
		}
		codes := w.Account.ContactInfo.WarningCodes
		if !slices.Contains(codes, "FREE_MAIL_DOMAIN") || !slices.Contains(codes, "NO_PAGER_ALIAS") || slices.Contains(codes, "REVIEW_DUE") {
			t.Fatalf("stored codes: %v", codes)
		}
		// Staff filter by a stored code.
		var list struct{ Accounts struct{ TotalCount int } }
		s.As(f.Staff).MustData(`{accounts(filter:{warning:FREE_MAIL_DOMAIN}){totalCount}}`, nil, &list)
		if list.Accounts.TotalCount != 1 {
			t.Fatalf("accounts with FREE_MAIL_DOMAIN: %d", list.Accounts.TotalCount)
		}
	})
}

// TestAccountHealthMatchesListFilters: each count of the staff summary
// equals the totalCount of the accounts list with the filter its chart
// part links to, on a mix of complete, locked, reviewed, overdue and
// warned accounts; partners may not read it.
func TestAccountHealthMatchesListFilters(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn,
			Review: models.ReviewPolicy{Interval: 365 * day, Grace: 30 * day}})
		f := s.Fixture()
		// A: complete long ago (locked review); B: locked gate; C, D: saved
		// later (C due, D current, D with a free-mail warning).
		s.CompleteContactInfo(f.AccountA.ID, f.Admin, f.Admin.ID)
		s.Clock.Advance(40 * day)
		c := s.Account("Gamma", []string{"BUSINESS_LINK"}, f.Admin)
		s.CompleteContactInfo(c.ID, f.Admin, "")
		s.Clock.Advance(340 * day)
		d := s.Account("Delta", []string{"BUSINESS_LINK"}, f.Admin)
		s.CompleteContactInfo(d.ID, f.Admin, "")
		tn := []models.ContactInput{{Email: "delta@gmail.com"}}
		if _, err := s.Services.ContactInfo.Update(context.Background(), &f.Admin.ID, d.ID,
			models.ContactInfoPatch{Environment: models.EnvironmentSandbox, TechnicalNonEmergency: &tn}); err != nil {
			t.Fatal(err)
		}
		s.Clock.Advance(30 * day)

		staff := s.As(f.Staff)
		var h struct{ AccountHealth map[string]json.RawMessage }
		staff.MustData(`{accountHealth(environment:SANDBOX){environment total complete locked reviewCurrent reviewDue reviewLocked withWarnings unreachable unverified warnings{code accounts}}}`, nil, &h)
		num := func(k string) int {
			var n int
			_ = json.Unmarshal(h.AccountHealth[k], &n)
			return n
		}
		// Gamma and Delta were created by the admin of A; B is Beta (locked).
		want := map[string]struct {
			filter string
			n      int
		}{
			"total":         {`{}`, 4},
			"complete":      {`{environment:SANDBOX,locked:false}`, 3},
			"locked":        {`{environment:SANDBOX,locked:true}`, 1},
			"reviewCurrent": {`{review:CURRENT}`, 1},
			"reviewDue":     {`{review:DUE}`, 1},
			"reviewLocked":  {`{review:LOCKED}`, 2},
			"withWarnings":  {`{hasWarnings:true}`, num("withWarnings")},
			"unreachable":   {`{reachability:UNREACHABLE}`, num("unreachable")},
			"unverified":    {`{reachability:UNVERIFIED}`, num("unverified")},
		}
		for k, w := range want {
			var list struct{ Accounts struct{ TotalCount int } }
			staff.MustData(`{accounts(filter:`+w.filter+`){totalCount}}`, nil, &list)
			if got := num(k); got != list.Accounts.TotalCount || got != w.n {
				t.Errorf("%s: summary %d, list %d, want %d", k, got, list.Accounts.TotalCount, w.n)
			}
		}
		if num("withWarnings") < 1 {
			t.Errorf("no account with warnings: %s", h.AccountHealth["withWarnings"])
		}
		var perCode []struct {
			Code     string
			Accounts int
		}
		_ = json.Unmarshal(h.AccountHealth["warnings"], &perCode)
		for _, pc := range perCode {
			var list struct{ Accounts struct{ TotalCount int } }
			staff.MustData(`query($w:ContactWarningCode){accounts(filter:{warning:$w}){totalCount}}`, map[string]any{"w": pc.Code}, &list)
			if pc.Accounts != list.Accounts.TotalCount {
				t.Errorf("%s: summary %d, list %d", pc.Code, pc.Accounts, list.Accounts.TotalCount)
			}
		}
		if r := s.As(f.Admin).Do(`{accountHealth{total}}`, nil); r.Code() != "FORBIDDEN" {
			t.Fatalf("a partner reads the health summary: %s", r.Raw)
		}
	})
}
