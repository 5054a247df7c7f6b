package graph_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/contactgate/contactgate/internal/apitest"
	"github.com/contactgate/contactgate/internal/testdb"
	"github.com/contactgate/contactgate/mail"
	"github.com/contactgate/contactgate/models"
)

const (
	qRecipients = `query($a:ID!,$k:NotificationKind!){recipients(accountId:$a,kind:$k){name email}}`
	qNotify     = `mutation($a:ID!,$k:NotificationKind!,$s:String!,$b:String!){sendNotification(input:{accountId:$a,kind:$k,subject:$s,body:$b}){
		id kind subject createdAt recipients{email} deliveries{email status attempts lastError sentAt}}}`
	qNotifications = `query($a:ID!){account(id:$a){notifications{id kind subject recipients{email} deliveries{email status attempts lastError sentAt}}}}`
)

type deliveryJSON struct {
	Email, Status string
	Attempts      int
	LastError     *string
	SentAt        *time.Time
}

type notificationJSON struct {
	ID, Kind, Subject string
	CreatedAt         time.Time
	Recipients        []struct{ Email string }
	Deliveries        []deliveryJSON
}

func recipientEmails(t *testing.T, staff *apitest.Client, accountID, kind string) []string {
	t.Helper()
	var d struct {
		Recipients []struct {
			Name  *string
			Email string
		}
	}
	staff.MustData(qRecipients, map[string]any{"a": accountID, "k": kind}, &d)
	out := []string{}
	for _, c := range d.Recipients {
		out = append(out, c.Email)
	}
	return out
}

// TestRecipientsRouting checks the routing table of DESIGN for every kind,
// and the merchant-issues fallback for accounts that do not carry it.
func TestRecipientsRouting(t *testing.T) {
	s := apitest.New(t)
	f := s.Fixture()
	staff := s.As(f.Staff)
	all := func(prefix string) map[models.ContactField][]string {
		return map[models.ContactField][]string{
			models.FieldTechnicalEmergency:    {prefix + "-te1@x.example", prefix + "-te2@x.example"},
			models.FieldTechnicalNonEmergency: {prefix + "-tne@x.example"},
			models.FieldMerchantIssues:        {prefix + "-mi@x.example"},
			models.FieldOperationalForGoogle:  {prefix + "-og1@x.example", prefix + "-og2@x.example"},
			models.FieldOperationalForUsers:   {prefix + "-users@x.example"},
		}
	}
	// A: APPOINTMENTS_E2E (merchant issues REQUIRED), two alert contacts.
	fillContactInfo(t, s, f.AccountA.ID, f.Admin, all("a"), []string{f.Editor.ID, f.Admin.ID})
	// B: BUSINESS_LINK (merchant issues UNAVAILABLE).
	fieldsB := all("b")
	delete(fieldsB, models.FieldMerchantIssues)
	fillContactInfo(t, s, f.AccountB.ID, f.AdminB, fieldsB, []string{f.AdminB.ID})
	// W: WAITLIST_E2E (merchant issues OPTIONAL), none given yet.
	waitAdmin := s.User("admin@w.example", false)
	w := s.Account("Waitlist Co", []string{"WAITLIST_E2E"}, waitAdmin)
	fieldsW := all("w")
	delete(fieldsW, models.FieldMerchantIssues)
	fillContactInfo(t, s, w.ID, waitAdmin, fieldsW, nil)

	cases := []struct {
		account, kind string
		want          []string
	}{
		{f.AccountA.ID, "PRODUCTION_ALERT", []string{f.Editor.Email, f.Admin.Email}},
		{f.AccountA.ID, "TECHNICAL_EMERGENCY", []string{"a-te1@x.example", "a-te2@x.example"}},
		{f.AccountA.ID, "TECHNICAL_NON_EMERGENCY", []string{"a-tne@x.example"}},
		{f.AccountA.ID, "MERCHANT_ISSUE", []string{"a-mi@x.example"}},
		{f.AccountA.ID, "OPERATIONAL_ESCALATION", []string{"a-og1@x.example", "a-og2@x.example"}},
		{f.AccountB.ID, "PRODUCTION_ALERT", []string{f.AdminB.Email}},
		{f.AccountB.ID, "TECHNICAL_EMERGENCY", []string{"b-te1@x.example", "b-te2@x.example"}},
		{f.AccountB.ID, "MERCHANT_ISSUE", []string{"b-og1@x.example", "b-og2@x.example"}}, // UNAVAILABLE: falls back
		{f.AccountB.ID, "OPERATIONAL_ESCALATION", []string{"b-og1@x.example", "b-og2@x.example"}},
		{w.ID, "MERCHANT_ISSUE", []string{"w-og1@x.example", "w-og2@x.example"}}, // OPTIONAL and empty: falls back
		{w.ID, "PRODUCTION_ALERT", []string{}},
	}
	for _, c := range cases {
		if got := recipientEmails(t, staff, c.account, c.kind); strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("recipients(%s) of %s: %v, want %v", c.kind, c.account, got, c.want)
		}
	}
	// Alert contacts are people: their names come along.
	var d struct{ Recipients []struct{ Name *string } }
	staff.MustData(qRecipients, map[string]any{"a": f.AccountA.ID, "k": "PRODUCTION_ALERT"}, &d)
	if d.Recipients[0].Name == nil || *d.Recipients[0].Name != "User "+f.Editor.Email {
		t.Errorf("alert contact name: %+v", d.Recipients[0].Name)
	}
	// OPTIONAL with merchant contacts given: they are used.
	fillContactInfo(t, s, w.ID, waitAdmin, map[models.ContactField][]string{models.FieldMerchantIssues: {"w-mi@x.example"}}, nil)
	if got := recipientEmails(t, staff, w.ID, "MERCHANT_ISSUE"); strings.Join(got, ",") != "w-mi@x.example" {
		t.Errorf("OPTIONAL with merchant contacts: %v", got)
	}
	wantCode(t, "unknown account", staff.Do(qRecipients, map[string]any{"a": "no-such-account", "k": "TECHNICAL_EMERGENCY"}), "NOT_FOUND")
	wantCode(t, "member asks", s.As(f.Admin).Do(qRecipients, map[string]any{"a": f.AccountA.ID, "k": "TECHNICAL_EMERGENCY"}), "FORBIDDEN")
}

// fakeSender records mails and fails for the addresses in fail.
type fakeSender struct {
	mu   sync.Mutex
	sent map[string][][]byte
	fail map[string]error
}

func (f *fakeSender) Send(_ context.Context, _ string, to string, raw []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.fail[to]; err != nil {
		return err
	}
	if f.sent == nil {
		f.sent = map[string][][]byte{}
	}
	f.sent[to] = append(f.sent[to], raw)
	return nil
}

// TestSendNotification: refusals (empty field, bad subject/body) store
// nothing; a notification queues one mail per recipient, listed as
// deliveries, whose states follow the worker.
func TestSendNotification(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn})
		f := s.Fixture()
		a := f.AccountA.ID
		staff := s.As(f.Staff)
		notify := func(account, kind, subject, body string) *apitest.Response {
			return staff.Do(qNotify, map[string]any{"a": account, "k": kind, "s": subject, "b": body})
		}
		nothingStored := func(what string) {
			t.Helper()
			if n := countRows(t, s, "notifications", "1 = 1"); n != 0 {
				t.Fatalf("%s: %d notifications stored", what, n)
			}
			if n := countRows(t, s, "outbox", "notification_id IS NOT NULL"); n != 0 {
				t.Fatalf("%s: %d notification mails queued", what, n)
			}
		}

		// An empty recipient field is refused, naming the field.
		for _, c := range []struct{ account, kind, field, apiName string }{
			{a, "TECHNICAL_EMERGENCY", "TECHNICAL_EMERGENCY", "technicalEmergency"},
			{a, "TECHNICAL_NON_EMERGENCY", "TECHNICAL_NON_EMERGENCY", "technicalNonEmergency"},
			{a, "PRODUCTION_ALERT", "ALERT_CONTACTS", "alertContacts"},
			{a, "MERCHANT_ISSUE", "MERCHANT_ISSUES", "merchantIssues"},
			{a, "OPERATIONAL_ESCALATION", "OPERATIONAL_FOR_GOOGLE", "operationalForGoogle"},
			{f.AccountB.ID, "MERCHANT_ISSUE", "OPERATIONAL_FOR_GOOGLE", "operationalForGoogle"},
		} {
			r := notify(c.account, c.kind, "Subject", "Body")
			wantCode(t, c.kind, r, "CONTACT_INFO_REQUIRED")
			if m := r.Errors[0].Extensions.Missing; len(m) != 1 || m[0] != c.field || !strings.Contains(r.Errors[0].Message, c.apiName) {
				t.Fatalf("%s: missing %v, message %q; want %s", c.kind, m, r.Errors[0].Message, c.field)
			}
		}
		nothingStored("empty fields")

		fillContactInfo(t, s, a, f.Admin, map[models.ContactField][]string{
			models.FieldTechnicalEmergency: {"pager@a.example", "oncall@a.example", "cto@a.example"},
		}, nil)

		// Subject and body are validated, all problems at once.
		wantFields(t, "empty subject and body", notify(a, "TECHNICAL_EMERGENCY", " ", "\n"), "subject", "body")
		wantFields(t, "long subject", notify(a, "TECHNICAL_EMERGENCY", strings.Repeat("s", 201), "b"), "subject")
		wantFields(t, "subject with a newline", notify(a, "TECHNICAL_EMERGENCY", "Bcc: x@evil.example\nHi", "b"), "subject")
		wantFields(t, "long body", notify(a, "TECHNICAL_EMERGENCY", "s", strings.Repeat("b", 20001)), "body")
		wantCode(t, "unknown account", notify("no-such-account", "TECHNICAL_EMERGENCY", "s", "b"), "NOT_FOUND")
		wantCode(t, "admin sends", s.As(f.Admin).Do(qNotify, map[string]any{"a": a, "k": "TECHNICAL_EMERGENCY", "s": "s", "b": "b"}), "FORBIDDEN")
		nothingStored("refusals")

		// Sent: one QUEUED delivery per recipient, in the outbox.
		var d struct{ SendNotification notificationJSON }
		staff.MustData(qNotify, map[string]any{"a": a, "k": "TECHNICAL_EMERGENCY", "s": " Integration disabled ",
			"b": "We disabled your integration.\nPlease call us."}, &d)
		n := d.SendNotification
		if n.Kind != "TECHNICAL_EMERGENCY" || n.Subject != "Integration disabled" || len(n.Recipients) != 3 || len(n.Deliveries) != 3 {
			t.Fatalf("notification: %+v", n)
		}
		for i, want := range []string{"pager@a.example", "oncall@a.example", "cto@a.example"} {
			if n.Recipients[i].Email != want {
				t.Fatalf("recipient %d: %s, want %s", i, n.Recipients[i].Email, want)
			}
		}
		for _, dl := range n.Deliveries {
			if dl.Status != "QUEUED" || dl.Attempts != 0 || dl.LastError != nil || dl.SentAt != nil {
				t.Fatalf("fresh delivery: %+v", dl)
			}
			rows := notificationMailsTo(t, s, dl.Email)
			if len(rows) != 1 || rows[0].NotificationID == nil || *rows[0].NotificationID != n.ID ||
				!strings.Contains(rows[0].Subject, "Integration disabled") || !strings.Contains(rows[0].Subject, "Alpha Bookings") ||
				!strings.Contains(rows[0].TextBody, "Please call us.") || rows[0].HTMLBody == "" {
				t.Fatalf("outbox for %s: %+v", dl.Email, rows)
			}
		}

		// The verification mails of the new addresses are out of this
		// test's scope (see internal/apitest's reachability tests).
		if err := s.DB.Gorm().Exec(`UPDATE outbox SET status = 'SENT' WHERE notification_id IS NULL`).Error; err != nil {
			t.Fatal(err)
		}
		// The worker sends; one address is refused by the server.
		sender := &fakeSender{fail: map[string]error{"oncall@a.example": errors.New("452 mailbox full")}}
		worker := mail.NewWorker(s.DB.Gorm(), sender, mail.WorkerOptions{Logger: slog.New(slog.DiscardHandler)})
		if k, err := worker.ProcessOnce(context.Background()); err != nil || k != 3 {
			t.Fatalf("ProcessOnce = %d, %v", k, err)
		}
		var list struct {
			Account struct{ Notifications []notificationJSON }
		}
		staff.MustData(qNotifications, map[string]any{"a": a}, &list)
		if len(list.Account.Notifications) != 1 || list.Account.Notifications[0].ID != n.ID {
			t.Fatalf("notifications: %+v", list.Account.Notifications)
		}
		byEmail := map[string]deliveryJSON{}
		for _, dl := range list.Account.Notifications[0].Deliveries {
			byEmail[dl.Email] = dl
		}
		for _, e := range []string{"pager@a.example", "cto@a.example"} {
			if dl := byEmail[e]; dl.Status != "SENT" || dl.Attempts != 1 || dl.SentAt == nil || len(sender.sent[e]) != 1 {
				t.Fatalf("delivery to %s: %+v (%d sent)", e, dl, len(sender.sent[e]))
			}
		}
		if dl := byEmail["oncall@a.example"]; dl.Status != "QUEUED" || dl.Attempts != 1 || dl.LastError == nil || !strings.Contains(*dl.LastError, "mailbox full") {
			t.Fatalf("failed delivery: %+v", dl)
		}
		if !strings.Contains(string(sender.sent["pager@a.example"][0]), "Integration disabled") {
			t.Fatal("the sent mail lacks the subject")
		}
		// A second pass sends nothing twice (the failed one waits for its
		// backoff).
		if k, err := worker.ProcessOnce(context.Background()); err != nil || k != 0 {
			t.Fatalf("second ProcessOnce = %d, %v", k, err)
		}
		// Members do not see notifications.
		wantCode(t, "admin lists notifications", s.As(f.Admin).Do(qNotifications, map[string]any{"a": a}), "FORBIDDEN")

		// A second notification is listed first.
		staff.MustData(qNotify, map[string]any{"a": a, "k": "TECHNICAL_EMERGENCY", "s": "Back up", "b": "All good."}, nil)
		staff.MustData(qNotifications, map[string]any{"a": a}, &list)
		if len(list.Account.Notifications) != 2 || list.Account.Notifications[0].Subject != "Back up" {
			t.Fatalf("notifications, newest first: %+v", list.Account.Notifications)
		}
	})
}

// TestSendNotificationAtomic: the notification and its mails commit
// together — when one mail cannot be queued, nothing is stored.
func TestSendNotificationAtomic(t *testing.T) {
	s := apitest.New(t)
	f := s.Fixture()
	fillContactInfo(t, s, f.AccountA.ID, f.Admin, map[models.ContactField][]string{
		models.FieldTechnicalEmergency: {"first@a.example", "boom@a.example"},
	}, nil)
	if err := s.DB.Gorm().Exec(`CREATE TRIGGER outbox_refuses BEFORE INSERT ON outbox
		WHEN NEW.to_email = 'boom@a.example' BEGIN SELECT RAISE(ABORT, 'outbox refuses'); END`).Error; err != nil {
		t.Fatal(err)
	}
	r := s.As(f.Staff).Do(qNotify, map[string]any{"a": f.AccountA.ID, "k": "TECHNICAL_EMERGENCY", "s": "s", "b": "b"})
	wantCode(t, "notification with a failing outbox", r, "INTERNAL")
	if strings.Contains(r.Raw, "outbox refuses") || strings.Contains(r.Raw, "INSERT") {
		t.Errorf("the internal error leaks SQL: %s", r.Raw)
	}
	if n := countRows(t, s, "notifications", "1 = 1"); n != 0 {
		t.Fatalf("%d notifications without their mails", n)
	}
	if rows := notificationMailsTo(t, s, "first@a.example"); len(rows) != 0 {
		t.Fatalf("a mail of a failed notification was queued: %+v", rows)
	}
}

// TestNotificationLanguage: recipients who are users with a known language
// get the mail in it; others get English.
func TestNotificationLanguage(t *testing.T) {
	s := apitest.New(t)
	f := s.Fixture()
	a := f.AccountA.ID
	if err := s.DB.Gorm().Exec(`UPDATE users SET locale = 'it' WHERE id = ?`, f.Editor.ID).Error; err != nil {
		t.Fatal(err)
	}
	fillContactInfo(t, s, a, f.Admin, map[models.ContactField][]string{
		models.FieldTechnicalEmergency: {f.Editor.Email, "pager@a.example"},
	}, []string{f.Editor.ID, f.Admin.ID})
	staff := s.As(f.Staff)
	for _, kind := range []string{"PRODUCTION_ALERT", "TECHNICAL_EMERGENCY"} {
		staff.MustData(qNotify, map[string]any{"a": a, "k": kind, "s": "Check " + kind, "b": "Body"}, nil)
	}
	subjects := func(email string) string {
		var out []string
		for _, m := range mailsTo(t, s, email) {
			out = append(out, m.Subject)
		}
		return strings.Join(out, " | ")
	}
	if got := subjects(f.Editor.Email); !strings.Contains(got, "Avviso di produzione") || !strings.Contains(got, "Emergenza tecnica") {
		t.Errorf("Italian user's mails: %s", got)
	}
	if got := subjects(f.Admin.Email); !strings.Contains(got, "Production alert") {
		t.Errorf("English user's mail: %s", got)
	}
	if got := subjects("pager@a.example"); !strings.Contains(got, "Technical emergency") {
		t.Errorf("contact without a user: %s", got)
	}
}
