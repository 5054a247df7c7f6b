package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/internal/testdb"
	"github.com/contactgate/contactgate/mail"
)

// These tests run the real program against a real SMTP server (mailpit).
// CI (.ci/run) starts mailpit and exports TEST_SMTP_URL and
// TEST_MAILPIT_URL; locally:
//
//	~/go/bin/mailpit --smtp 127.0.0.1:11025 --listen 127.0.0.1:18025 &
//	TEST_SMTP_URL=smtp://127.0.0.1:11025 TEST_MAILPIT_URL=http://127.0.0.1:18025 go test -run Mail .
//
// Other tests may share the mailpit: every recipient here carries a tag
// unique to the run, and nothing is deleted.

// testPublicURL is the PUBLIC_URL the servers build links from. The real
// base URL is only known once the server listens, so tests rewrite the
// links' origin to it.
const testPublicURL = "http://contactgate.test"

// mailpitEnv returns the SMTP URL and a mailpit client, or skips — except
// in CI, which must run these tests.
func mailpitEnv(t *testing.T) (smtpURL string, mp *mail.Mailpit) {
	t.Helper()
	smtpURL, apiURL := os.Getenv("TEST_SMTP_URL"), os.Getenv("TEST_MAILPIT_URL")
	if smtpURL == "" || apiURL == "" {
		msg := "real SMTP test needs mailpit: set TEST_SMTP_URL (e.g. smtp://127.0.0.1:1025) and TEST_MAILPIT_URL (e.g. http://127.0.0.1:8025); " +
			"go install github.com/axllent/mailpit@v1.33.1 && mailpit --smtp 127.0.0.1:1025 --listen 127.0.0.1:8025"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return smtpURL, &mail.Mailpit{URL: apiURL}
}

// runTag is unique to this run of a test.
func runTag(t *testing.T) string {
	t.Helper()
	b := make([]byte, 5)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// browser is one cookie-keeping client of one server.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newBrowser(t *testing.T, base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: base, c: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

func (b *browser) do(query string, vars map[string]any) gqlResponse {
	b.t.Helper()
	return post(b.t, b.c, b.base, query, vars)
}

// must fails on any error and returns data.
func (b *browser) must(query string, vars map[string]any) map[string]any {
	b.t.Helper()
	r := b.do(query, vars)
	if len(r.Errors) > 0 {
		b.t.Fatalf("%s: %+v", query, r.Errors)
	}
	return r.Data
}

func (b *browser) signIn(email, password string) *browser {
	b.t.Helper()
	b.must(`mutation($e:String!,$p:String!){signIn(email:$e,password:$p){user{id}}}`, map[string]any{"e": email, "p": password})
	return b
}

func errCode(r gqlResponse) string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

const qCreateAccount = `mutation($n:String!,$e:String!){createAccount(input:{name:$n,integrationTypes:["APPOINTMENTS_E2E"],administratorEmail:$e}){id name}}`

// createAccount has staff create an account whose first administrator is
// invited at email; it returns the account id.
func (b *browser) createAccount(name, email string) string {
	b.t.Helper()
	d := b.must(qCreateAccount, map[string]any{"n": name, "e": email})
	return d["createAccount"].(map[string]any)["id"].(string)
}

// countTo counts the messages in mailpit addressed to addr.
func countTo(t *testing.T, mp *mail.Mailpit, addr string) int {
	t.Helper()
	msgs, err := mp.Messages(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range msgs {
		if m.SentTo(addr) {
			n++
		}
	}
	return n
}

// outboxState is an outbox row as these tests look at it.
type outboxState struct {
	ToEmail   string
	Status    string
	Attempts  int
	LastError *string
	SentAt    *time.Time
}

// openStore opens the program's database beside it (SQLite in dataDir, or
// a PostgreSQL URL), to look at the outbox.
func openStore(t *testing.T, dataDir, databaseURL string) *gormstore.DB {
	t.Helper()
	u := databaseURL
	if u == "" {
		u = "sqlite:" + filepath.Join(dataDir, "contactgate.db")
	}
	db, err := gormstore.Open(context.Background(), gormstore.Options{URL: u})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func outboxOf(t *testing.T, db *gormstore.DB, emails []string) map[string]outboxState {
	t.Helper()
	var rows []outboxState
	if err := db.Gorm().Raw(`SELECT to_email, status, attempts, last_error, sent_at FROM outbox WHERE to_email IN ?`, emails).
		Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string]outboxState{}
	for _, r := range rows {
		if _, dup := out[r.ToEmail]; dup {
			t.Fatalf("two outbox rows for %s", r.ToEmail)
		}
		out[r.ToEmail] = r
	}
	return out
}

// waitOutbox polls the outbox until ok holds for every email's row.
func waitOutbox(t *testing.T, db *gormstore.DB, emails []string, what string, ok func(outboxState) bool) map[string]outboxState {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		rows := outboxOf(t, db, emails)
		good := len(rows) == len(emails)
		for _, r := range rows {
			good = good && ok(r)
		}
		if good {
			return rows
		}
		if time.Now().After(deadline) {
			t.Fatalf("outbox never got %s: %+v", what, rows)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// dumpOutbox describes every outbox row, for failure messages.
func dumpOutbox(t *testing.T, db *gormstore.DB) string {
	t.Helper()
	var rows []map[string]any
	if err := db.Gorm().Raw(`SELECT to_email, status, attempts, last_error, next_attempt_at, claimed_until, sent_at FROM outbox ORDER BY created_at`).
		Scan(&rows).Error; err != nil {
		return err.Error()
	}
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "\n  %v", r)
	}
	return b.String()
}

// makeDue pulls the next attempt of the emails' mails to now, as if their
// backoff had elapsed (5 s, then 10 s...), to keep the test short.
func makeDue(t *testing.T, db *gormstore.DB, emails []string) {
	t.Helper()
	if err := db.Gorm().Exec(`UPDATE outbox SET next_attempt_at = ? WHERE to_email IN ? AND status = ?`,
		time.Now().UTC().Add(-time.Second).Truncate(time.Microsecond), emails, mail.StatusQueued).Error; err != nil {
		t.Fatal(err)
	}
}

// TestInvitationMailEndToEnd: staff create an account; the invitation mail
// arrives over SMTP with a working link; the invitee previews and accepts
// it, is signed in as ADMINISTRATOR, and can sign in again with the new
// password. Inviting an existing user adds them at once with a notice.
func TestInvitationMailEndToEnd(t *testing.T) {
	smtpURL, mp := mailpitEnv(t)
	tag := runTag(t)
	env := map[string]string{"ADDR": "127.0.0.1:0", "DATA_DIR": t.TempDir(), "CONTACTGATE_INSECURE_FAST_HASH": "true",
		"SMTP_URL": smtpURL, "PUBLIC_URL": testPublicURL, "DEMO": "true"}
	base, _ := startRun(t, env)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()

	staff := newBrowser(t, base).signIn(demoStaffEmail, demoStaffPassword)
	accountName := "Mail Test " + tag
	boss := "boss-" + tag + "@example.com"
	accountID := staff.createAccount(accountName, boss)

	msg, err := mp.WaitFor(ctx, boss, accountName)
	if err != nil {
		t.Fatal(err)
	}
	if !msg.SentTo(boss) || msg.From == nil || msg.From.Address != "no-reply@contactgate.test" {
		t.Errorf("to %v, from %v", msg.To, msg.From)
	}
	if !strings.HasSuffix(msg.MessageID, "@contactgate.test") || time.Since(msg.Date) > time.Minute || time.Until(msg.Date) > time.Minute {
		t.Errorf("Message-ID %q, Date %v", msg.MessageID, msg.Date)
	}
	link := msg.Link("/invitations/accept?token=")
	u, err := url.Parse(link)
	if err != nil || u.Scheme+"://"+u.Host != testPublicURL || u.Path != "/invitations/accept" || u.Query().Get("token") == "" {
		t.Fatalf("link %q is not PUBLIC_URL/invitations/accept?token=…", link)
	}
	if !strings.Contains(msg.HTML, strings.ReplaceAll(link, "&", "&amp;")) {
		t.Errorf("the HTML part lacks the link %s", link)
	}
	token := u.Query().Get("token")

	// The link works: the accept page is served at that path.
	res, err := http.Get(base + u.RequestURI())
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET the link: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}

	// The page previews the invitation, then accepts it.
	invitee := newBrowser(t, base)
	pv := invitee.must(`query($t:String!){invitation(token:$t){email accountName role}}`, map[string]any{"t": token})["invitation"].(map[string]any)
	if pv["email"] != boss || pv["accountName"] != accountName || pv["role"] != "ADMINISTRATOR" {
		t.Fatalf("preview: %v", pv)
	}
	const password = "the boss's new password"
	invitee.must(`mutation($t:String!,$n:String!,$p:String!){acceptInvitation(input:{token:$t,name:$n,password:$p}){user{email}}}`,
		map[string]any{"t": token, "n": "The Boss", "p": password})
	me := func(b *browser) map[string]any {
		t.Helper()
		m, _ := b.must(`{me{user{email name} memberships{role account{id name}}}}`, nil)["me"].(map[string]any)
		return m
	}
	m := me(invitee)
	if m == nil {
		t.Fatal("acceptInvitation did not sign in")
	}
	ms := m["memberships"].([]any)
	if len(ms) != 1 || ms[0].(map[string]any)["role"] != "ADMINISTRATOR" ||
		ms[0].(map[string]any)["account"].(map[string]any)["id"] != accountID || m["user"].(map[string]any)["name"] != "The Boss" {
		t.Fatalf("me after accepting: %v", m)
	}
	// The link is single use.
	r := newBrowser(t, base).do(`mutation($t:String!){acceptInvitation(input:{token:$t,name:"X",password:"another long password"}){user{email}}}`,
		map[string]any{"t": token})
	if errCode(r) != "NOT_FOUND" {
		t.Fatalf("second use of the link: %+v", r)
	}

	// Sign out, and in again with the new password.
	invitee.must(`mutation{signOut}`, nil)
	if me(invitee) != nil {
		t.Fatal("still signed in after signOut")
	}
	invitee.signIn(boss, password)
	if me(invitee) == nil {
		t.Fatal("not signed in with the new password")
	}

	// The new administrator invites an existing user (the demo
	// administrator): a notice arrives, and the membership exists at once.
	invitee.must(`mutation($a:ID!,$e:String!){inviteUser(input:{accountId:$a,email:$e,role:EDITOR}){id}}`,
		map[string]any{"a": accountID, "e": demoAdminEmail})
	notice, err := mp.WaitFor(ctx, demoAdminEmail, accountName)
	if err != nil {
		t.Fatal(err)
	}
	if notice.Link("/invitations/accept") != "" || !strings.Contains(notice.Text, testPublicURL) {
		t.Errorf("notice mail:\n%s", notice.Text)
	}
	demo := newBrowser(t, base).signIn(demoAdminEmail, demoAdminPassword)
	found := false
	for _, x := range me(demo)["memberships"].([]any) {
		mm := x.(map[string]any)
		if mm["account"].(map[string]any)["id"] == accountID {
			found = mm["role"] == "EDITOR"
		}
	}
	if !found {
		t.Fatalf("the existing user is not an EDITOR of the new account: %v", me(demo))
	}
}

// TestOutboxSMTPDownThenUp: while the SMTP server is unreachable mails stay
// QUEUED and are retried (attempts grow, last error recorded); after a
// restart with a working SMTP server on the same database, each is
// delivered once (no duplicate without a crash), including one queued just before the stop.
func TestOutboxSMTPDownThenUp(t *testing.T) {
	smtpURL, mp := mailpitEnv(t)
	tag := runTag(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	dir := t.TempDir()
	env := map[string]string{"ADDR": "127.0.0.1:0", "DATA_DIR": dir, "CONTACTGATE_INSECURE_FAST_HASH": "true",
		"SMTP_URL": "smtp://" + closed, "PUBLIC_URL": testPublicURL, "DEMO": "true"}
	base, stop := startRun(t, env)
	db := openStore(t, dir, "")

	staff := newBrowser(t, base).signIn(demoStaffEmail, demoStaffPassword)
	var emails []string
	for i := range 3 {
		e := fmt.Sprintf("down-%d-%s@example.com", i, tag)
		emails = append(emails, e)
		staff.createAccount(fmt.Sprintf("Down Test %s %d", tag, i), e)
	}
	waitOutbox(t, db, emails, "a failed first attempt", func(r outboxState) bool {
		return r.Status == mail.StatusQueued && r.Attempts >= 1 && r.LastError != nil && *r.LastError != ""
	})
	makeDue(t, db, emails)
	rows := waitOutbox(t, db, emails, "a failed retry", func(r outboxState) bool {
		return r.Status == mail.StatusQueued && r.Attempts >= 2
	})
	for _, r := range rows {
		if !strings.Contains(*r.LastError, strings.Split(closed, ":")[1]) && !strings.Contains(strings.ToLower(*r.LastError), "refused") {
			t.Errorf("last error of %s does not say what failed: %q", r.ToEmail, *r.LastError)
		}
	}
	// One more, queued just before the stop.
	last := "down-last-" + tag + "@example.com"
	staff.createAccount("Down Test "+tag+" last", last)
	emails = append(emails, last)
	if err := stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
	for _, e := range emails {
		if n := countTo(t, mp, e); n != 0 {
			t.Fatalf("%d mails to %s arrived while SMTP was down", n, e)
		}
	}
	for e, r := range outboxOf(t, db, emails) {
		if r.Status != mail.StatusQueued {
			t.Fatalf("mail to %s is %s after the stop, want QUEUED", e, r.Status)
		}
	}

	// A stop that lands between a claim and its delivery can leave the mail
	// claimed (mail.Worker does not release a row whose claim renewal fails
	// because of the shutdown): it is not lost, but waits ClaimTimeout
	// (2 min), longer than this test. Release such claims, and say so.
	res := db.Gorm().Exec(`UPDATE outbox SET claimed_until = NULL WHERE to_email IN ? AND claimed_until IS NOT NULL`, emails)
	if res.Error != nil {
		t.Fatal(res.Error)
	}
	if res.RowsAffected > 0 {
		t.Logf("the graceful stop left %d mails claimed; released them", res.RowsAffected)
	}

	// Up again, on the same database.
	makeDue(t, db, emails)
	env["SMTP_URL"] = smtpURL
	base, _ = startRun(t, env)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	for _, e := range emails {
		if _, err := mp.WaitFor(ctx, e, "Down Test "+tag); err != nil {
			t.Fatalf("%v\noutbox: %s", err, dumpOutbox(t, db))
		}
	}
	rows = waitOutbox(t, db, emails, "SENT", func(r outboxState) bool { return r.Status == mail.StatusSent && r.SentAt != nil })
	// Two more passes of the worker, then each mail must be there once.
	waitOutboxPasses(t, base, 2)
	for _, e := range emails {
		if n := countTo(t, mp, e); n != 1 {
			t.Errorf("%d mails to %s, want exactly 1", n, e)
		}
	}
	if r := rows[emails[0]]; r.Attempts != 3 {
		t.Errorf("attempts of a mail that failed twice then went out: %d, want 3", r.Attempts)
	}
}

// TestTwoServersOnePostgres: two programs on one PostgreSQL database, each
// with its outbox worker, deliver every mail once (no duplicate without a crash). (mail's
// TestTwoWorkersSendEachMailOnce covers the claim itself under heavier
// contention with a fake sender.)
func TestTwoServersOnePostgres(t *testing.T) {
	smtpURL, mp := mailpitEnv(t)
	dsn := testdb.Postgres(t)
	tag := runTag(t)
	env := map[string]string{"ADDR": "127.0.0.1:0", "DATABASE_URL": dsn, "CONTACTGATE_INSECURE_FAST_HASH": "true",
		"SMTP_URL": smtpURL, "PUBLIC_URL": testPublicURL, "DEMO": "true"}
	staffEmail, staffPassword := "ops-"+tag+"@platform.example", "a long staff password"
	var out strings.Builder
	if err := run(context.Background(), []string{"contactgate", "create-staff", "--email", staffEmail},
		func(k string) string { return env[k] }, strings.NewReader(staffPassword+"\n"), &out); err != nil {
		t.Fatalf("create-staff: %v\n%s", err, out.String())
	}
	baseA, _ := startRun(t, env)
	baseB, _ := startRun(t, env)
	staffs := []*browser{newBrowser(t, baseA).signIn(staffEmail, staffPassword), newBrowser(t, baseB).signIn(staffEmail, staffPassword)}

	const n = 12
	emails := make([]string, n)
	var wg sync.WaitGroup
	errs := make(chan string, n)
	for i := range n {
		emails[i] = fmt.Sprintf("two-%d-%s@example.com", i, tag)
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := staffs[i%2]
			r := post(t, b.c, b.base, qCreateAccount, map[string]any{"n": fmt.Sprintf("Two Test %s %d", tag, i), "e": emails[i]})
			if len(r.Errors) > 0 {
				errs <- fmt.Sprintf("createAccount %d: %+v", i, r.Errors)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
	db := openStore(t, "", dsn)
	rows := waitOutbox(t, db, emails, "SENT", func(r outboxState) bool { return r.Status == mail.StatusSent })
	// Two more passes of each worker, then each mail must be there once.
	waitOutboxPasses(t, baseA, 2)
	waitOutboxPasses(t, baseB, 2)
	for _, e := range emails {
		if c := countTo(t, mp, e); c != 1 {
			t.Errorf("%d mails to %s, want exactly 1", c, e)
		}
		if rows[e].Attempts != 1 {
			t.Errorf("mail to %s took %d attempts", e, rows[e].Attempts)
		}
	}
}

// waitOutboxPasses waits until the outbox worker of the server at base has
// made more further passes over the outbox (its heartbeat in /metrics), so
// that a test can tell "nothing more was sent" without sleeping.
func waitOutboxPasses(t *testing.T, base string, more int) {
	t.Helper()
	read := func() int {
		resp, err := http.Get(base + "/metrics")
		if err != nil {
			t.Fatalf("metrics: %v", err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		for _, line := range strings.Split(string(body), "\n") {
			if v, ok := strings.CutPrefix(line, "contactgate_outbox_passes_total "); ok {
				n, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil {
					t.Fatalf("metrics: %q: %v", line, err)
				}
				return int(n)
			}
		}
		t.Fatalf("metrics: no contactgate_outbox_passes_total in\n%s", body)
		return 0
	}
	want := read() + more
	deadline := time.Now().Add(30 * time.Second)
	for read() < want {
		if time.Now().After(deadline) {
			t.Fatalf("the outbox worker did not make %d more passes in 30 s", more)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
