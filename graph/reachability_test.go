package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/internal/apitest"
	"github.com/contactgate/contactgate/internal/testdb"
	"github.com/contactgate/contactgate/mail"
	"github.com/contactgate/contactgate/models"
)

// These tests run the real server with its outbox worker delivering to a
// mailpit of their own that refuses (5xx to RCPT TO) every recipient not
// ending in .example, read the links out of the mails and follow them.

const (
	qSave = `mutation($in:UpdateContactInfoInput!){updateContactInfo(input:$in){account{id}}}`
	qInfo = `query($a:ID!){account(id:$a){
		reachability{unreachable unverified unreachableFields unverifiedFields}
		addresses{email state since detail verifiedBy lastTest{field status at}}
		contactInfo{technicalEmergency{email reachability{state detail verifiedBy lastTest{status}}}
			technicalNonEmergency{email reachability{state}}
			operationalForGoogle{email reachability{state detail}}
			operationalForUsers{email reachability{state}}}}}`
	qLink    = `query($t:String!){contactLink(token:$t){accountName email purpose fields}}`
	qConfirm = `mutation($t:String!){confirmContactAddress(token:$t){email purpose fields}}`
	qDispute = `mutation($t:String!){disputeContactAddress(token:$t){email}}`
	qResend  = `mutation($a:ID!,$e:String!){resendVerification(accountId:$a,email:$e){email state}}`
	qTest    = `mutation($a:ID!,$f:ContactField!){sendTestMessage(accountId:$a,field:$f){email lastTest{field status}}}`
	qLaunch  = `mutation($a:ID!){requestLaunch(accountId:$a){launchRequestedAt}}`
)

type reachJSON struct {
	State      string
	Detail     *string
	VerifiedBy *string
	LastTest   *struct{ Field, Status string }
}

type addressJSON struct {
	Email string
	reachJSON
}

type reachInfo struct {
	Account struct {
		Reachability struct {
			Unreachable, Unverified             int
			UnreachableFields, UnverifiedFields []string
		}
		Addresses   []addressJSON
		ContactInfo struct {
			TechnicalEmergency, TechnicalNonEmergency, OperationalForGoogle []struct {
				Email        string
				Reachability *reachJSON
			}
		}
	}
}

func readReach(t *testing.T, c *apitest.Client, accountID string) reachInfo {
	t.Helper()
	var out reachInfo
	c.MustData(qInfo, map[string]any{"a": accountID}, &out)
	return out
}

func (r reachInfo) state(email string) addressJSON {
	for _, a := range r.Account.Addresses {
		if a.Email == email {
			return a
		}
	}
	return addressJSON{}
}

func contactsIn(emails ...string) []map[string]any {
	out := make([]map[string]any, len(emails))
	for i, e := range emails {
		out[i] = map[string]any{"email": e}
	}
	return out
}

// waitMail waits for the mail to `to` whose subject contains subject.
func waitMail(t *testing.T, mp *mail.Mailpit, to, subject string) mail.MailpitDetail {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	d, err := mp.WaitFor(ctx, to, subject)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// tokenOf reads the token of the verification link in a mail.
func tokenOf(t *testing.T, d mail.MailpitDetail) string {
	t.Helper()
	link := d.Link("/verify-contact?token=")
	u, err := url.Parse(link)
	if err != nil || link == "" {
		t.Fatalf("no verification link in %q: %s", d.Subject, d.Text)
	}
	return u.Query().Get("token")
}

// countMails counts the mails mailpit holds for `to` with subject.
func countMails(t *testing.T, mp *mail.Mailpit, to, subject string) int {
	t.Helper()
	msgs, err := mp.Messages(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range msgs {
		if m.SentTo(to) && strings.Contains(m.Subject, subject) {
			n++
		}
	}
	return n
}

// eventually polls cond until it holds, or fails after 30 seconds.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestReachabilityVerifyDisputeAndTest(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		smtpURL, mp := apitest.StartMailpit(t, `\.example$`)
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn, SMTPURL: smtpURL})
		f := s.Fixture()
		a := f.AccountA.ID
		admin, editor, anon := s.As(f.Admin), s.As(f.Editor), s.Anonymous()
		if err := s.Services.Sessions.SetLanguage(context.Background(), f.Editor, "it"); err != nil {
			t.Fatal(err)
		}
		reach, stopReach := s.Bus.Subscribe(gormstore.ReachabilityKey(a))
		defer stopReach()

		// One address in two fields gets one mail naming both; the editor's
		// language (Italian) is the mail's.
		editor.MustData(qSave, map[string]any{"in": map[string]any{"accountId": a, "environment": "SANDBOX",
			"technicalEmergency":    contactsIn("pager@partner.example", "Oncall@Partner.example"),
			"technicalNonEmergency": contactsIn("pager@partner.example")}}, nil)
		pager := waitMail(t, mp, "pager@partner.example", "Conferma il tuo indirizzo")
		if !strings.Contains(pager.Text, "Contatti tecnici di emergenza") || !strings.Contains(pager.Text, "Contatti tecnici non di emergenza") ||
			!strings.Contains(pager.Text, "Alpha Bookings") || !strings.Contains(pager.Text, "l'integrazione è disabilitata") {
			t.Fatalf("verification mail: %s", pager.Text)
		}
		oncall := waitMail(t, mp, "oncall@partner.example", "Conferma il tuo indirizzo")
		got := readReach(t, admin, a)
		if st := got.state("pager@partner.example"); st.State != "UNVERIFIED" || st.VerifiedBy != nil {
			t.Fatalf("new address: %+v", st)
		}
		if r := got.Account.Reachability; r.Unverified != 2 || r.Unreachable != 0 ||
			!slices.Equal(r.UnverifiedFields, []string{"TECHNICAL_EMERGENCY", "TECHNICAL_NON_EMERGENCY"}) {
			t.Fatalf("summary: %+v", r)
		}
		if c := got.Account.ContactInfo.TechnicalEmergency; len(c) != 2 || c[0].Reachability == nil || c[0].Reachability.State != "UNVERIFIED" {
			t.Fatalf("Contact.reachability: %+v", c)
		}

		// The page's preview changes nothing; the button confirms once.
		token := tokenOf(t, pager)
		var link struct {
			ContactLink struct {
				AccountName, Email, Purpose string
				Fields                      []string
			}
		}
		anon.MustData(qLink, map[string]any{"t": token}, &link)
		if l := link.ContactLink; l.AccountName != "Alpha Bookings" || l.Email != "pager@partner.example" || l.Purpose != "VERIFY" ||
			!slices.Equal(l.Fields, []string{"TECHNICAL_EMERGENCY", "TECHNICAL_NON_EMERGENCY"}) {
			t.Fatalf("preview: %+v", l)
		}
		if st := readReach(t, admin, a).state("pager@partner.example"); st.State != "UNVERIFIED" {
			t.Fatalf("the preview changed the state: %+v", st)
		}
		anon.MustData(qConfirm, map[string]any{"t": token}, nil)
		if st := readReach(t, admin, a).state("pager@partner.example"); st.State != "VERIFIED" || st.VerifiedBy == nil || *st.VerifiedBy != "LINK" {
			t.Fatalf("confirmed: %+v", st)
		}
		select {
		case <-reach:
		case <-time.After(10 * time.Second):
			t.Fatal("no reachability event on the live channel")
		}

		// Bad links: used, tampered, unknown, empty: one answer.
		var messages []string
		for name, tok := range map[string]string{"used": token, "tampered": token[:len(token)-2] + "xx", "unknown": "nope", "empty": ""} {
			for _, q := range []string{qConfirm, qDispute, qLink} {
				r := anon.Do(q, map[string]any{"t": tok})
				if r.Code() != "NOT_FOUND" || r.Errors[0].Extensions.Reason != "LINK_INVALID" {
					t.Fatalf("%s token: %s", name, r.Raw)
				}
				messages = append(messages, r.Errors[0].Message)
			}
		}
		for _, m := range messages {
			if m != messages[0] {
				t.Fatalf("bad links answer differently: %q vs %q", m, messages[0])
			}
		}

		// "This is not me": DISPUTED, administrators mailed, history kept.
		anon.MustData(qDispute, map[string]any{"t": tokenOf(t, oncall)}, nil)
		got = readReach(t, admin, a)
		if st := got.state("oncall@partner.example"); st.State != "DISPUTED" {
			t.Fatalf("disputed: %+v", st)
		}
		if r := got.Account.Reachability; r.Unreachable != 1 || !slices.Equal(r.UnreachableFields, []string{"TECHNICAL_EMERGENCY"}) {
			t.Fatalf("summary after dispute: %+v", r)
		}
		notice := waitMail(t, mp, f.Admin.Email, "says it is the wrong person")
		if !strings.Contains(notice.Text, "oncall@partner.example") || !strings.Contains(notice.Text, "/accounts/"+a+"/contact-info") {
			t.Fatalf("dispute notice: %s", notice.Text)
		}
		var hist struct {
			Account struct {
				History struct {
					Edges []struct {
						Node struct{ Field, Before, After string }
					}
				}
			}
		}
		s.CompleteContactInfo(a, f.Admin, "") // history is gated in SANDBOX
		admin.MustData(`query($a:ID!){account(id:$a){history(first:50){edges{node{field before after}}}}}`, map[string]any{"a": a}, &hist)
		found := false
		for _, e := range hist.Account.History.Edges {
			if strings.Contains(e.Node.After, `"reachability":"DISPUTED"`) && strings.Contains(e.Node.Before, `"UNVERIFIED"`) {
				found = true
			}
		}
		if !found {
			t.Fatalf("history lacks the dispute: %+v", hist)
		}

		// A test message to a field: every address, which messages come
		// there, "I received this" verifies; the last test is followed.
		var sent struct {
			SendTestMessage []struct {
				Email    string
				LastTest struct{ Field, Status string }
			}
		}
		s.CompleteContactInfo(a, f.Admin, "") // the form saved again: nothing new to verify
		editor.MustData(qSave, map[string]any{"in": map[string]any{"accountId": a, "environment": "SANDBOX",
			"technicalEmergency": contactsIn("pager@partner.example", "oncall@partner.example")}}, nil)
		editor.MustData(qTest, map[string]any{"a": a, "f": "TECHNICAL_EMERGENCY"}, &sent)
		if len(sent.SendTestMessage) != 2 || sent.SendTestMessage[0].LastTest.Status != "QUEUED" {
			t.Fatalf("sendTestMessage: %+v", sent)
		}
		test := waitMail(t, mp, "oncall@partner.example", "Messaggio di prova")
		if !strings.Contains(test.Text, "contatti tecnici di emergenza") || !strings.Contains(test.Text, "l'integrazione è disabilitata") {
			t.Fatalf("test mail: %s", test.Text)
		}
		eventually(t, "the test accepted by the server", func() bool {
			lt := readReach(t, admin, a).state("oncall@partner.example").LastTest
			return lt != nil && lt.Status == "ACCEPTED"
		})
		var used struct{ ConfirmContactAddress struct{ Purpose string } }
		anon.MustData(qConfirm, map[string]any{"t": tokenOf(t, test)}, &used)
		if used.ConfirmContactAddress.Purpose != "TEST" {
			t.Fatalf("test link: %+v", used)
		}
		st := readReach(t, admin, a).state("oncall@partner.example")
		if st.State != "VERIFIED" || *st.VerifiedBy != "TEST_MESSAGE" || st.LastTest.Status != "CONFIRMED" || st.LastTest.Field != "TECHNICAL_EMERGENCY" {
			t.Fatalf("after the receipt: %+v", st)
		}
		// Rate limited per field; support hours hold no address; READ_ONLY
		// and other accounts' members may not.
		editor.MustData(qTest, map[string]any{"a": a, "f": "TECHNICAL_EMERGENCY"}, nil)
		editor.MustData(qTest, map[string]any{"a": a, "f": "TECHNICAL_EMERGENCY"}, nil)
		wantCode(t, "fourth test in 10 minutes", editor.Do(qTest, map[string]any{"a": a, "f": "TECHNICAL_EMERGENCY"}), "RATE_LIMITED")
		wantCode(t, "test support hours", editor.Do(qTest, map[string]any{"a": a, "f": "OPERATIONAL_SUPPORT"}), "VALIDATION_FAILED")
		wantCode(t, "test as READ_ONLY", s.As(f.ReadOnly).Do(qTest, map[string]any{"a": a, "f": "TECHNICAL_NON_EMERGENCY"}), "FORBIDDEN")
		wantCode(t, "test another account", s.As(f.AdminB).Do(qTest, map[string]any{"a": a, "f": "TECHNICAL_NON_EMERGENCY"}), "NOT_FOUND")
		wantCode(t, "resend as READ_ONLY", s.As(f.ReadOnly).Do(qResend, map[string]any{"a": a, "e": "pager@partner.example"}), "FORBIDDEN")
		wantCode(t, "resend a verified address", editor.Do(qResend, map[string]any{"a": a, "e": "pager@partner.example"}), "CONFLICT")
		wantCode(t, "resend an unlisted address", editor.Do(qResend, map[string]any{"a": a, "e": "who@partner.example"}), "NOT_FOUND")

		// Changing an address starts anew; a link of the removed one
		// changes nothing.
		editor.MustData(qSave, map[string]any{"in": map[string]any{"accountId": a, "environment": "SANDBOX",
			"technicalNonEmergency": contactsIn("newtech@partner.example")}}, nil)
		techMail := waitMail(t, mp, "newtech@partner.example", "Conferma il tuo indirizzo")
		editor.MustData(qSave, map[string]any{"in": map[string]any{"accountId": a, "environment": "SANDBOX",
			"technicalNonEmergency": contactsIn("tech2@partner.example")}}, nil)
		r := anon.Do(qConfirm, map[string]any{"t": tokenOf(t, techMail)})
		wantCode(t, "confirm a removed address", r, "NOT_FOUND")
		got = readReach(t, admin, a)
		if st := got.state("newtech@partner.example"); st.State != "" {
			t.Fatalf("a removed address is remembered: %+v", st)
		}
		if st := got.state("tech2@partner.example"); st.State != "UNVERIFIED" {
			t.Fatalf("a changed address: %+v", st)
		}

		// The public support contact never shows reachability.
		var pub struct {
			PublicSupportContact struct {
				Contact struct{ Reachability *reachJSON }
			}
		}
		anon.MustData(`query($a:ID!){publicSupportContact(accountId:$a){contact{reachability{state}}}}`, map[string]any{"a": a}, &pub)
		if pub.PublicSupportContact.Contact.Reachability != nil {
			t.Fatalf("public reachability: %+v", pub)
		}
	})
}

// A recipient the server refuses permanently becomes BOUNCED in every
// account listing it, with the server's reply; each account's
// administrators are mailed; staff find both with the filter, and
// notifications flag it before sending.
func TestReachabilityBounceAcrossAccounts(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		smtpURL, mp := apitest.StartMailpit(t, `\.example$`)
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn, SMTPURL: smtpURL})
		f := s.Fixture()
		gone := "gone@refused.test"
		s.As(f.Admin).MustData(qSave, map[string]any{"in": map[string]any{"accountId": f.AccountA.ID, "environment": "SANDBOX",
			"operationalForGoogle": contactsIn(gone, "ops@partner.example")}}, nil)
		s.As(f.AdminB).MustData(qSave, map[string]any{"in": map[string]any{"accountId": f.AccountB.ID, "environment": "SANDBOX",
			"technicalEmergency": contactsIn(gone)}}, nil)

		for _, admin := range []*models.User{f.Admin, f.AdminB} {
			d := waitMail(t, mp, admin.Email, "cannot be reached")
			if !strings.Contains(d.Text, gone) || !strings.Contains(d.Text, "550") {
				t.Fatalf("bounce notice to %s: %s", admin.Email, d.Text)
			}
		}
		for _, tc := range []struct {
			u     *models.User
			acc   string
			field string
		}{{f.Admin, f.AccountA.ID, "OPERATIONAL_FOR_GOOGLE"}, {f.AdminB, f.AccountB.ID, "TECHNICAL_EMERGENCY"}} {
			got := readReach(t, s.As(tc.u), tc.acc)
			st := got.state(gone)
			if st.State != "BOUNCED" || st.Detail == nil || !strings.Contains(*st.Detail, "550") {
				t.Fatalf("%s: %+v", tc.acc, st)
			}
			if r := got.Account.Reachability; r.Unreachable != 1 || !slices.Equal(r.UnreachableFields, []string{tc.field}) {
				t.Fatalf("%s summary: %+v", tc.acc, r)
			}
		}
		var failed struct{ LastError string }
		s.DB.Gorm().Raw(`SELECT last_error FROM outbox WHERE to_email = ? AND status = 'FAILED' AND attempts = 1`, gone).Scan(&failed)
		if !strings.HasPrefix(failed.LastError, "550") {
			t.Fatalf("the failed delivery records %q, want the server's reply", failed.LastError)
		}

		// Staff: the filter, the recipients preview flags it.
		staff := s.As(f.Staff)
		var list struct {
			Accounts struct {
				Edges []struct{ Node struct{ ID string } }
			}
		}
		staff.MustData(`{accounts(filter:{reachability:UNREACHABLE}){edges{node{id}}}}`, nil, &list)
		if len(list.Accounts.Edges) != 2 {
			t.Fatalf("unreachable filter: %+v", list)
		}
		var rec struct {
			Recipients []struct {
				Email        string
				Reachability *reachJSON
			}
		}
		staff.MustData(`query($a:ID!){recipients(accountId:$a,kind:OPERATIONAL_ESCALATION){email reachability{state}}}`,
			map[string]any{"a": f.AccountA.ID}, &rec)
		if len(rec.Recipients) != 2 || rec.Recipients[0].Reachability == nil || rec.Recipients[0].Reachability.State != "BOUNCED" {
			t.Fatalf("recipients: %+v", rec)
		}

		// Resending to a bounced address is allowed, within its limit.
		admin := s.As(f.Admin)
		vars := map[string]any{"a": f.AccountA.ID, "e": gone}
		for i := 0; i < 3; i++ {
			admin.MustData(qResend, vars, nil)
		}
		wantCode(t, "fourth resend in an hour", admin.Do(qResend, vars), "RATE_LIMITED")
	})
}

// requestLaunch is refused with CONTACT_UNVERIFIED, listing the fields,
// until every required field has a verified address: confirmed through
// the links of the mails.
func TestLaunchNeedsVerifiedContacts(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		smtpURL, mp := apitest.StartMailpit(t, `\.example$`)
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn, SMTPURL: smtpURL})
		f := s.Fixture()
		a := f.AccountA.ID
		s.CompleteContactInfo(a, f.Admin, f.Admin.ID)
		admin := s.As(f.Admin)
		r := admin.Do(qLaunch, map[string]any{"a": a})
		wantCode(t, "launch unverified", r, "CONTACT_UNVERIFIED")
		var ext struct {
			Errors []struct {
				Extensions struct{ Unverified []string }
			}
		}
		_ = json.Unmarshal([]byte(r.Raw), &ext)
		want := []string{"TECHNICAL_EMERGENCY", "TECHNICAL_NON_EMERGENCY", "MERCHANT_ISSUES", "OPERATIONAL_FOR_GOOGLE", "OPERATIONAL_FOR_USERS"}
		info, _ := s.DB.ContactInfo(context.Background(), a)
		if info.MerchantIssuesRequirement != models.Required {
			want = slices.DeleteFunc(want, func(f string) bool { return f == "MERCHANT_ISSUES" })
		}
		if len(ext.Errors) != 1 || !slices.Equal(ext.Errors[0].Extensions.Unverified, want) {
			t.Fatalf("unverified fields (alert contacts are verified by the invitation): %s", r.Raw)
		}
		// Confirm all but the user-facing contact: still refused, for it.
		for _, e := range []string{"pager@partner.example", "tech@partner.example", "merchants@partner.example", "ops@partner.example"} {
			if e == "merchants@partner.example" && info.MerchantIssuesRequirement == models.Unavailable {
				continue
			}
			s.Anonymous().MustData(qConfirm, map[string]any{"t": tokenOf(t, waitMail(t, mp, e, "Please confirm"))}, nil)
		}
		r = admin.Do(qLaunch, map[string]any{"a": a})
		wantCode(t, "launch with one field unverified", r, "CONTACT_UNVERIFIED")
		if !strings.Contains(r.Raw, `"unverified":["OPERATIONAL_FOR_USERS"]`) {
			t.Fatalf("extensions: %s", r.Raw)
		}
		s.Anonymous().MustData(qConfirm, map[string]any{"t": tokenOf(t, waitMail(t, mp, "help@partner.example", "Please confirm"))}, nil)
		admin.MustData(qLaunch, map[string]any{"a": a}, nil)
	})
}

// Two server processes on one PostgreSQL database, both delivering the
// outbox: each verification mail is sent once.
func TestReachabilityTwoServersSendOnce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		if driver != testdb.DriverPostgres {
			t.Skip("two processes share a PostgreSQL database")
		}
		smtpURL, mp := apitest.StartMailpit(t, "")
		one := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn, SMTPURL: smtpURL})
		two := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn, SMTPURL: smtpURL})
		f := one.Fixture()
		var emails []string
		for _, p := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
			emails = append(emails, "two-"+p+"@partner.example")
		}
		one.As(f.Admin).MustData(qSave, map[string]any{"in": map[string]any{"accountId": f.AccountA.ID, "environment": "SANDBOX",
			"technicalEmergency": contactsIn(emails[:4]...), "operationalForGoogle": contactsIn(emails[4:]...)}}, nil)
		// The other server sees the same states.
		if st := readReach(t, two.As(f.Admin), f.AccountA.ID).state(emails[7]); st.State != "UNVERIFIED" {
			t.Fatalf("second server: %+v", st)
		}
		eventually(t, "every verification mail sent", func() bool {
			var queued int64
			two.DB.Gorm().Raw(`SELECT COUNT(*) FROM outbox WHERE status <> 'SENT'`).Scan(&queued)
			return queued == 0
		})
		for _, e := range emails {
			waitMail(t, mp, e, "Please confirm")
			if n := countMails(t, mp, e, "Please confirm"); n != 1 {
				t.Fatalf("%s got %d verification mails", e, n)
			}
		}
	})
}

// TestVerificationMailQuota: an account's verification mails are bounded
// per day (models.ContactMailsPerDay), saves and resends together,
// however the addresses come and go. Past the quota a resend is
// RATE_LIMITED with a retry time, and a save still saves: its new address
// stays UNVERIFIED and no mail is queued for it.
func TestVerificationMailQuota(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn})
		f := s.Fixture()
		a := f.AccountA.ID
		editor := s.As(f.Editor)
		outboxTo := func(email string) int64 {
			var n int64
			if err := s.DB.Gorm().Table("outbox").Where("to_email = ?", email).Count(&n).Error; err != nil {
				t.Fatal(err)
			}
			return n
		}
		save := func(emails ...string) {
			editor.MustData(qSave, map[string]any{"in": map[string]any{"accountId": a, "environment": "SANDBOX",
				"technicalEmergency": contactsIn(emails...)}}, nil)
		}

		// Adding, removing and adding an address again: two mails.
		save("first@partner.example")
		save("other@partner.example")
		save("first@partner.example")
		if n := outboxTo("first@partner.example"); n != 2 {
			t.Fatalf("first@: %d verification mails, want 2", n)
		}
		// A test message of the field: one more mail.
		editor.MustData(qTest, map[string]any{"a": a, "f": "TECHNICAL_EMERGENCY"}, nil)
		if n := outboxTo("first@partner.example"); n != 3 {
			t.Fatalf("first@: %d mails after a test, want 3", n)
		}
		// Then new addresses, five a save, up to the quota.
		sent, listed := 4, ""
		for batch := 0; sent < models.ContactMailsPerDay; batch++ {
			var emails []string
			for i := range min(5, models.ContactMailsPerDay-sent) {
				emails = append(emails, fmt.Sprintf("n%d-%d@partner.example", batch, i))
			}
			save(emails...)
			sent, listed = sent+len(emails), emails[0]
		}
		var total int64
		if err := s.DB.Gorm().Table("outbox").Where("to_email LIKE ?", "%@partner.example").Count(&total).Error; err != nil ||
			total != models.ContactMailsPerDay {
			t.Fatalf("%d verification mails (%v), want %d", total, err, models.ContactMailsPerDay)
		}

		r := editor.Do(qResend, map[string]any{"a": a, "e": listed})
		if len(r.Errors) != 1 || r.Code() != "RATE_LIMITED" || !strings.Contains(r.Raw, `"retryAfter":`) ||
			!strings.Contains(r.Raw, `"reason":"CONTACT_MAIL_QUOTA"`) {
			t.Fatalf("resend past the quota: %s", r.Raw)
		}
		r = editor.Do(qTest, map[string]any{"a": a, "f": "TECHNICAL_EMERGENCY"})
		if r.Code() != "RATE_LIMITED" || !strings.Contains(r.Raw, `"reason":"CONTACT_MAIL_QUOTA"`) {
			t.Fatalf("test message past the quota: %s", r.Raw)
		}
		save(listed, "late@partner.example")
		if n := outboxTo("late@partner.example"); n != 0 {
			t.Errorf("a verification mail past the quota: %d", n)
		}
		if st := readReach(t, s.As(f.Admin), a).state("late@partner.example"); st.State != "UNVERIFIED" {
			t.Errorf("address saved past the quota: %+v", st)
		}
		// Another account has its own quota.
		other := s.As(f.AdminB)
		other.MustData(qSave, map[string]any{"in": map[string]any{"accountId": f.AccountB.ID, "environment": "SANDBOX",
			"technicalEmergency": contactsIn("b@partner.example")}}, nil)
		if n := outboxTo("b@partner.example"); n != 1 {
			t.Errorf("another account's address: %d mails, want 1", n)
		}
	})
}

// TestResendSupersedesEarlierLinks: a resent verification mail's link is
// the one that works; the links of earlier mails (forwarded, leaked) no
// longer verify the address.
func TestResendSupersedesEarlierLinks(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn})
		f := s.Fixture()
		a := f.AccountA.ID
		editor, anon := s.As(f.Editor), s.Anonymous()
		const email = "pager@partner.example"
		tokens := func() []string {
			var bodies []string
			if err := s.DB.Gorm().Table("outbox").Where("to_email = ?", email).Order("created_at, id").
				Pluck("text_body", &bodies).Error; err != nil {
				t.Fatal(err)
			}
			var out []string
			re := regexp.MustCompile(`/verify-contact\?token=(\S+)`)
			for _, b := range bodies {
				if m := re.FindStringSubmatch(b); m != nil {
					tok, err := url.QueryUnescape(m[1])
					if err != nil {
						t.Fatal(err)
					}
					out = append(out, tok)
				}
			}
			return out
		}
		editor.MustData(qSave, map[string]any{"in": map[string]any{"accountId": a, "environment": "SANDBOX",
			"technicalEmergency": contactsIn(email)}}, nil)
		editor.MustData(qResend, map[string]any{"a": a, "e": email}, nil)
		toks := tokens()
		if len(toks) != 2 {
			t.Fatalf("%d verification mails, want 2", len(toks))
		}
		if r := anon.Do(qConfirm, map[string]any{"t": toks[0]}); r.Code() != "NOT_FOUND" || r.Errors[0].Extensions.Reason != "LINK_INVALID" {
			t.Fatalf("the first mail's link after a resend: %s", r.Raw)
		}
		anon.MustData(qConfirm, map[string]any{"t": toks[1]}, nil)
		if st := readReach(t, s.As(f.Admin), a).state(email); st.State != "VERIFIED" {
			t.Fatalf("after the resent link: %+v", st)
		}
	})
}

// TestRemovedMemberAddressForgotten: an alert contact's address is
// VERIFIED by their membership; removing the member takes them out of the
// alert contacts and forgets the address, unless another field still
// names it.
func TestRemovedMemberAddressForgotten(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn})
		f := s.Fixture()
		a := f.AccountA.ID
		admin := s.As(f.Admin)
		admin.MustData(qSave, map[string]any{"in": map[string]any{"accountId": a, "environment": "PRODUCTION",
			"alertContactUserIds": []string{f.Admin.ID, f.Editor.ID, f.ReadOnly.ID},
			"technicalEmergency":  contactsIn(f.ReadOnly.Email)}}, nil)
		got := readReach(t, admin, a)
		for _, e := range []string{f.Editor.Email, f.ReadOnly.Email} {
			if st := got.state(e); st.State != "VERIFIED" {
				t.Fatalf("%s as an alert contact: %+v", e, st)
			}
		}
		const remove = `mutation($a:ID!,$u:ID!){removeMember(accountId:$a,userId:$u)}`
		admin.MustData(remove, map[string]any{"a": a, "u": f.Editor.ID}, nil)
		admin.MustData(remove, map[string]any{"a": a, "u": f.ReadOnly.ID}, nil)
		got = readReach(t, admin, a)
		for _, ad := range got.Account.Addresses {
			if ad.Email == f.Editor.Email {
				t.Errorf("the removed alert contact's address is still listed: %+v", ad)
			}
		}
		if st := got.state(f.ReadOnly.Email); st.State != "VERIFIED" {
			t.Errorf("an address still named by a field: %+v", st)
		}
	})
}
