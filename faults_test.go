package main

// Fault tests: the real program on PostgreSQL while the database restarts,
// while the process is told to stop, and while the database stays down.
// They need local PostgreSQL binaries for a cluster of their own
// (testdb.NewCluster) and skip without them (they fail with CI=true).

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/contactgate/contactgate/internal/testdb"
	"github.com/contactgate/contactgate/mail"
	"github.com/jackc/pgx/v5"
)

// faultEnv is the environment of a program on PostgreSQL with the demo
// sign-ins.
func faultEnv(t *testing.T, dsn string) map[string]string {
	return map[string]string{"ADDR": "127.0.0.1:0", "DATABASE_URL": dsn, "DATA_DIR": t.TempDir(),
		"CONTACTGATE_INSECURE_FAST_HASH": "true", "DEMO": "true", "PUBLIC_URL": "http://contactgate.test"}
}

// faultClient is a signed-in API client of one server, safe for use from
// several goroutines; it never fails the test itself, so that load loops
// can record what happened.
type faultClient struct {
	base string
	http *http.Client
}

// faultResult is one request as the load loops record it.
type faultResult struct {
	what       string
	start, end time.Time
	status     int
	requestID  string // X-Request-Id
	body       []byte
	resp       gqlResponse
	err        error // transport or decoding
}

func (r faultResult) failed() bool { return r.err != nil || r.status != 200 || len(r.resp.Errors) > 0 }

func (r faultResult) took() time.Duration { return r.end.Sub(r.start) }

func (r faultResult) String() string {
	if r.err != nil {
		return fmt.Sprintf("%s: %v", r.what, r.err)
	}
	return fmt.Sprintf("%s: %d %s", r.what, r.status, bytes.TrimSpace(r.body))
}

func newFaultClient(base string) *faultClient {
	jar, _ := cookiejar.New(nil)
	return &faultClient{base: base, http: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

func (c *faultClient) call(what, query string, vars map[string]any) faultResult {
	r := faultResult{what: what, start: time.Now()}
	defer func() { r.end = time.Now() }()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	res, err := c.http.Post(c.base+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		r.err = err
		r.end = time.Now()
		return r
	}
	defer res.Body.Close()
	r.status, r.requestID = res.StatusCode, res.Header.Get("X-Request-Id")
	r.body, r.err = io.ReadAll(res.Body)
	if r.err == nil {
		if err := json.Unmarshal(r.body, &r.resp); err != nil {
			r.err = fmt.Errorf("decode %q: %w", r.body, err)
		}
	}
	r.end = time.Now()
	return r
}

// must runs a request that has to succeed.
func (c *faultClient) must(t *testing.T, query string, vars map[string]any) map[string]any {
	t.Helper()
	r := c.call("", query, vars)
	if r.failed() {
		t.Fatalf("%s: %s", query, r)
	}
	return r.resp.Data
}

// faultSignIn signs in on base and returns the client with the session.
func faultSignIn(t *testing.T, base, email, password string) *faultClient {
	t.Helper()
	c := newFaultClient(base)
	c.must(t, `mutation($e:String!,$p:String!){signIn(email:$e,password:$p){user{id}}}`, map[string]any{"e": email, "p": password})
	return c
}

// firstAccountID is the id of the caller's first account.
func (c *faultClient) firstAccountID(t *testing.T) string {
	t.Helper()
	d := c.must(t, `{me{memberships{account{id}}}}`, nil)
	ms := d["me"].(map[string]any)["memberships"].([]any)
	if len(ms) == 0 {
		t.Fatal("the caller has no account")
	}
	return ms[0].(map[string]any)["account"].(map[string]any)["id"].(string)
}

const (
	qGate = `query($a:ID!){accessGate(accountId:$a,environment:SANDBOX){locked missing}}`
	// qSave sets two fields at once, so that a save is either wholly there
	// (version +1 and two history records) or not at all.
	qSave = `mutation($a:ID!,$te:String!,$tn:String!){updateContactInfo(input:{accountId:$a,environment:SANDBOX,
		technicalEmergency:[{email:$te}],technicalNonEmergency:[{email:$tn}]}){account{contactInfo{version}}}}`
	qPublic = `query($a:ID!){publicSupportContact(accountId:$a){accountName}}`
	qInvite = `mutation($a:ID!,$e:String!){inviteUser(input:{accountId:$a,email:$e,role:EDITOR}){id}}`
)

func (c *faultClient) gate(accountID string) faultResult {
	return c.call("accessGate", qGate, map[string]any{"a": accountID})
}

// save stores key in both fields (te-KEY@…, tn-KEY@…).
func (c *faultClient) save(accountID, key string) faultResult {
	return c.call("save "+key, qSave, map[string]any{"a": accountID,
		"te": "te-" + key + "@faults.example.com", "tn": "tn-" + key + "@faults.example.com"})
}

func savedVersion(r faultResult) int {
	v, _ := r.resp.Data["updateContactInfo"].(map[string]any)["account"].(map[string]any)["contactInfo"].(map[string]any)["version"].(float64)
	return int(v)
}

// leakMarkers are texts that tell of the database or the code behind an
// answer; none may reach a client.
func leakMarkers(dsn string) []string {
	out := []string{"sqlstate", "pq:", "pgx", "pgconn", "postgres", "sql:", "dial tcp", "connection refused",
		"terminating connection", "fatal", "database system", "broken pipe", "eof", "goroutine", ".go:",
		"sslmode", "password", "select ", "insert into", "gorm"}
	if u, err := url.Parse(dsn); err == nil {
		out = append(out, strings.ToLower(u.Host), strings.ToLower(strings.TrimPrefix(u.Path, "/")))
		if p := u.Port(); p != "" {
			out = append(out, ":"+p)
		}
	}
	return out
}

// requireExtensionsRequestID makes checkMasked insist on
// extensions.requestId. The errors httpapi answers itself before GraphQL
// runs (a session or token lookup that fails: 503) carry the id only in
// the message and the X-Request-Id header so far; set this to true once
// they carry extensions.requestId like the GraphQL errors do.
const requireExtensionsRequestID = true

// checkMasked returns why a failed answer is not the contract's masked
// internal error (code INTERNAL with the request id, nothing about the
// database), or "".
func checkMasked(r faultResult, markers []string) string {
	if r.err != nil {
		return "no answer: " + r.err.Error()
	}
	if len(r.resp.Errors) == 0 {
		return fmt.Sprintf("status %d without a GraphQL error", r.status)
	}
	low := strings.ToLower(string(r.body))
	for _, m := range markers {
		if m != "" && strings.Contains(low, m) {
			return fmt.Sprintf("the answer reveals %q", m)
		}
	}
	for _, e := range r.resp.Errors {
		if code, _ := e.Extensions["code"].(string); code != "INTERNAL" {
			return fmt.Sprintf("code %q, want INTERNAL", code)
		}
		if r.requestID == "" {
			return "no X-Request-Id header"
		}
		id, _ := e.Extensions["requestId"].(string)
		if id != r.requestID && (requireExtensionsRequestID || !strings.Contains(e.Message, r.requestID)) {
			return fmt.Sprintf("extensions.requestId %q, want the request's id %q", id, r.requestID)
		}
	}
	return ""
}

// readyz returns the status of GET /readyz.
func readyz(t *testing.T, base string) int {
	t.Helper()
	res, err := http.Get(base + "/readyz")
	if err != nil {
		t.Fatalf("readyz: %v", err)
	}
	res.Body.Close()
	return res.StatusCode
}

// waitGateOK polls the gate until it answers, and returns how long that
// took; it fails the test after within.
func waitGateOK(t *testing.T, c *faultClient, accountID string, within time.Duration, markers []string) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		r := c.gate(accountID)
		if !r.failed() {
			return time.Since(start)
		}
		if why := checkMasked(r, markers); why != "" {
			t.Errorf("while recovering: %s: %s", why, r)
		}
		if time.Since(start) > within {
			t.Fatalf("the server did not recover within %v: %s", within, r)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// pgQuery runs fn on a new connection to dsn.
func pgQuery(t *testing.T, dsn string, fn func(ctx context.Context, conn *pgx.Conn) error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if err := fn(ctx, conn); err != nil {
		t.Fatal(err)
	}
}

// contactVersion reads the stored version of an account's contact info.
func contactVersion(t *testing.T, dsn, accountID string) int {
	t.Helper()
	var v int
	pgQuery(t, dsn, func(ctx context.Context, conn *pgx.Conn) error {
		return conn.QueryRow(ctx, `SELECT version FROM contact_infos WHERE account_id = $1`, accountID).Scan(&v)
	})
	return v
}

var saveKey = regexp.MustCompile(`(te|tn)-([0-9]+-[0-9]+)@faults\.example\.com`)

// TestFaultPostgresRestartUnderLoad restarts PostgreSQL while four clients
// read the gate and save contact info. Requests fail only around the
// restart, each with a masked INTERNAL error; /readyz says 503 while the
// database is down; the server recovers by itself; and every save is
// wholly there or wholly absent.
func TestFaultPostgresRestartUnderLoad(t *testing.T) {
	cluster := testdb.NewCluster(t)
	dsn := cluster.Database(t)
	markers := leakMarkers(dsn)
	base, _ := startRun(t, faultEnv(t, dsn))
	admin := faultSignIn(t, base, demoAdminEmail, demoAdminPassword)
	accountID := admin.firstAccountID(t)
	v0 := contactVersion(t, dsn, accountID)
	// A portal open across the restart: its subscription must still hear
	// the unlock afterwards (the gate bus's listener reconnects).
	nextGate, _ := watchGate(t, newFaultClientWith(admin), accountID)
	if g := nextGate(); !g.Locked {
		t.Fatalf("first gate: %+v, want locked", g)
	}

	const workers = 4
	var (
		mu      sync.Mutex
		results []faultResult
		wg      sync.WaitGroup
	)
	stopLoad := make(chan struct{})
	var haltOnce sync.Once
	halt := func() { haltOnce.Do(func() { close(stopLoad); wg.Wait() }) }
	defer halt() // also when the test fails half-way
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stopLoad:
					return
				default:
				}
				var r faultResult
				if i%2 == 0 {
					r = admin.gate(accountID)
				} else {
					r = admin.save(accountID, fmt.Sprintf("%d-%d", w, i))
				}
				mu.Lock()
				results = append(results, r)
				mu.Unlock()
				if r.failed() {
					time.Sleep(5 * time.Millisecond) // fail fast, but do not spin
				}
			}
		}()
	}

	time.Sleep(700 * time.Millisecond) // load on a healthy database
	stopAt := time.Now()
	if err := cluster.Stop(); err != nil {
		t.Fatal(err)
	}
	if code := readyz(t, base); code != http.StatusServiceUnavailable {
		t.Errorf("/readyz while PostgreSQL is down: %d, want 503", code)
	}
	// Every way of failing is masked: the session lookup before GraphQL
	// (the load above), a resolver without a session, sign-in.
	anon := newFaultClient(base)
	for _, r := range []faultResult{
		anon.call("public contact", qPublic, map[string]any{"a": accountID}),
		anon.call("sign-in", `mutation($e:String!,$p:String!){signIn(email:$e,password:$p){user{id}}}`,
			map[string]any{"e": demoAdminEmail, "p": demoAdminPassword}),
	} {
		if !r.failed() {
			t.Errorf("succeeded while PostgreSQL is down: %s", r)
		} else if why := checkMasked(r, markers); why != "" {
			t.Errorf("failure not masked: %s: %s", why, r)
		}
	}
	time.Sleep(500 * time.Millisecond) // load on a database that is down
	if err := cluster.Start(); err != nil {
		t.Fatal(err)
	}
	upAt := time.Now()
	recovery := waitGateOK(t, newFaultClientWith(admin), accountID, 3*time.Second, markers)
	readyIn := time.Duration(0)
	for readyz(t, base) != http.StatusOK {
		if readyIn = time.Since(upAt); readyIn > 3*time.Second {
			t.Fatal("/readyz still not 200 3 s after PostgreSQL came back")
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(1500 * time.Millisecond) // load after recovery
	halt()

	// Failures only around the restart, each masked.
	var ok, failed, before, after int
	var lastFailure time.Time
	window := upAt.Add(3 * time.Second)
	for _, r := range results {
		if !r.failed() {
			ok++
			if r.end.Before(stopAt) {
				before++
			}
			if r.start.After(upAt.Add(recovery)) {
				after++
			}
			continue
		}
		failed++
		if r.end.After(lastFailure) {
			lastFailure = r.end
		}
		if why := checkMasked(r, markers); why != "" {
			t.Errorf("failure not masked: %s: %s", why, r)
		}
		if r.end.Before(stopAt) || r.start.After(window) {
			t.Errorf("a request failed away from the restart (%v after PostgreSQL came back): %s", r.start.Sub(upAt), r)
		}
	}
	if before == 0 || after == 0 {
		t.Errorf("load did not succeed both before the restart (%d) and after recovery (%d)", before, after)
	}
	if failed == 0 {
		t.Error("no request failed while PostgreSQL was down: the test did not test anything")
	}
	t.Logf("%d requests: %d ok, %d failed (masked); PostgreSQL down for %v; "+
		"first success %v after it was back, /readyz 200 after %v; last failure %v after it was back",
		len(results), ok, failed, upAt.Sub(stopAt).Round(time.Millisecond),
		recovery.Round(time.Millisecond), readyIn.Round(time.Millisecond), lastFailure.Sub(upAt).Round(time.Millisecond))

	// No save is half-applied: each has both its history records or
	// neither, the version grew by the number of saves that are there, and
	// every save answered as successful is there with a version of its own.
	type rec struct{ te, tn int }
	history := map[string]*rec{}
	var teNow, tnNow string
	pgQuery(t, dsn, func(ctx context.Context, conn *pgx.Conn) error {
		rows, err := conn.Query(ctx, `SELECT field, after_value FROM changes WHERE account_id = $1`, accountID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var field, after string
			if err := rows.Scan(&field, &after); err != nil {
				return err
			}
			m := saveKey.FindStringSubmatch(after)
			if m == nil {
				continue
			}
			if history[m[2]] == nil {
				history[m[2]] = &rec{}
			}
			switch {
			case m[1] == "te" && field == "TECHNICAL_EMERGENCY":
				history[m[2]].te++
			case m[1] == "tn" && field == "TECHNICAL_NON_EMERGENCY":
				history[m[2]].tn++
			default:
				return fmt.Errorf("history record of %s for field %s holds %s", m[2], field, after)
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return conn.QueryRow(ctx, `SELECT
			(SELECT email FROM contacts WHERE account_id = $1 AND field = 'TECHNICAL_EMERGENCY'),
			(SELECT email FROM contacts WHERE account_id = $1 AND field = 'TECHNICAL_NON_EMERGENCY')`, accountID).Scan(&teNow, &tnNow)
	})
	for key, r := range history {
		if r.te != 1 || r.tn != 1 {
			t.Errorf("save %s is half-applied or doubled: %d TECHNICAL_EMERGENCY and %d TECHNICAL_NON_EMERGENCY records", key, r.te, r.tn)
		}
	}
	if v := contactVersion(t, dsn, accountID); v-v0 != len(history) {
		t.Errorf("version went from %d to %d, but %d saves are in the history", v0, v, len(history))
	}
	if a, b := saveKey.FindStringSubmatch(teNow), saveKey.FindStringSubmatch(tnNow); a == nil || b == nil || a[2] != b[2] {
		t.Errorf("the stored fields come from different saves: %q and %q", teNow, tnNow)
	}
	saved, unsure := 0, 0
	for _, r := range results {
		key, isSave := strings.CutPrefix(r.what, "save ")
		if !isSave {
			continue
		}
		if r.failed() {
			if history[key] != nil {
				unsure++ // committed, but the answer was lost: allowed, and counted
			}
			continue
		}
		saved++
		if history[key] == nil {
			t.Errorf("save %s answered version %d but is not in the history", key, savedVersion(r))
		}
	}
	t.Logf("%d saves answered ok, %d saves in the history (%d of them committed although the client saw an error)", saved, len(history), unsure)

	// The subscription saw the load's first save narrow the gate (perhaps
	// only after the listener reconnected); completing it unlocks.
	admin.must(t, qComplete, map[string]any{"a": accountID})
	for g := nextGate(); g.Locked || len(g.Missing) != 0; g = nextGate() {
		if len(g.Missing) != 4 {
			t.Fatalf("gate value %+v; want the 4 fields the load leaves missing, then unlocked", g)
		}
	}
}

// newFaultClientWith returns a client with the same session as c but its
// own connections.
func newFaultClientWith(c *faultClient) *faultClient {
	return &faultClient{base: c.base, http: &http.Client{Jar: c.http.Jar, Timeout: 30 * time.Second}}
}

// randomTag is unique to one run of a test.
func randomTag(t *testing.T) string {
	t.Helper()
	b := make([]byte, 5)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// closedAddr is a loopback address where nothing listens.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// realSMTP returns mailpit's SMTP URL and API client, or "" and nil when
// TEST_SMTP_URL and TEST_MAILPIT_URL are not set (an error in CI).
func realSMTP(t *testing.T) (string, *mail.Mailpit) {
	t.Helper()
	smtpURL, apiURL := os.Getenv("TEST_SMTP_URL"), os.Getenv("TEST_MAILPIT_URL")
	if smtpURL == "" || apiURL == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true needs TEST_SMTP_URL and TEST_MAILPIT_URL (mailpit)")
		}
		return "", nil
	}
	return smtpURL, &mail.Mailpit{URL: apiURL}
}

const noMailpit = "real SMTP part needs mailpit: set TEST_SMTP_URL and TEST_MAILPIT_URL " +
	"(go install github.com/axllent/mailpit@v1.33.1; mailpit --smtp 127.0.0.1:1025 --listen 127.0.0.1:8025)"

// mailsTo counts mailpit's messages to each address.
func mailsTo(t *testing.T, mp *mail.Mailpit, emails []string) map[string]int {
	t.Helper()
	msgs, err := mp.Messages(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, e := range emails {
		for _, m := range msgs {
			if m.SentTo(e) {
				out[e]++
			}
		}
	}
	return out
}

// outboxStatus reads the outbox status of each address's mails.
func outboxStatus(t *testing.T, dsn string, emails []string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	pgQuery(t, dsn, func(ctx context.Context, conn *pgx.Conn) error {
		rows, err := conn.Query(ctx, `SELECT to_email, status FROM outbox WHERE to_email = ANY($1) ORDER BY to_email`, emails)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e, s string
			if err := rows.Scan(&e, &s); err != nil {
				return err
			}
			out[e] = append(out[e], s)
		}
		return rows.Err()
	})
	return out
}

// deliverEachOnce starts the program on dsn with a working SMTP server and
// checks that each address gets exactly one mail.
func deliverEachOnce(t *testing.T, env map[string]string, dsn string, emails []string) {
	t.Helper()
	smtpURL, mp := realSMTP(t)
	if mp == nil {
		t.Skip(noMailpit)
	}
	// Their retry is due now rather than after the backoff of the failed
	// attempts (5 s and more).
	pgQuery(t, dsn, func(ctx context.Context, conn *pgx.Conn) error {
		_, err := conn.Exec(ctx, `UPDATE outbox SET next_attempt_at = now() - interval '1 second' WHERE to_email = ANY($1) AND status = 'QUEUED'`, emails)
		return err
	})
	env = maps.Clone(env)
	env["SMTP_URL"] = smtpURL
	startRun(t, env)
	deadline := time.Now().Add(30 * time.Second)
	for {
		st := outboxStatus(t, dsn, emails)
		done := len(st) == len(emails)
		for _, e := range emails {
			done = done && slices.Equal(st[e], []string{mail.StatusSent})
		}
		if done {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("mails not all SENT 30 s after the restart: %v", st)
		}
		time.Sleep(100 * time.Millisecond)
	}
	// SENT is recorded after the SMTP server accepted the mail, and a SENT
	// mail is never claimed again: the counts are final.
	for e, n := range mailsTo(t, mp, emails) {
		if n != 1 {
			t.Errorf("%d mails to %s, want exactly 1", n, e)
		}
	}
	if got := mailsTo(t, mp, emails); len(got) != len(emails) {
		t.Errorf("mails arrived for %d of %d addresses", len(got), len(emails))
	}
}

// TestFaultShutdownDuringLoad stops the program (what SIGTERM does: main's
// signal.NotifyContext cancels run's context) while requests are in
// flight. They finish with 200; the mails queued before and by them stay
// QUEUED while the SMTP server is unreachable; after a restart with a
// working SMTP server each is delivered once (no duplicate: nothing crashed between acceptance and marking).
func TestFaultShutdownDuringLoad(t *testing.T) {
	dsn := testdb.Postgres(t)
	env := faultEnv(t, dsn)
	env["SMTP_URL"] = "smtp://" + closedAddr(t)
	base, stop := startRun(t, env)
	admin := faultSignIn(t, base, demoAdminEmail, demoAdminPassword)
	accountID := admin.firstAccountID(t)
	tag := randomTag(t)

	var emails []string
	for i := range 3 {
		e := fmt.Sprintf("queued-%d-%s@faults.example.com", i, tag)
		emails = append(emails, e)
		admin.must(t, qInvite, map[string]any{"a": accountID, "e": e})
	}

	// Hold the locks the next saves and invitations need, so that they are
	// in flight, provably, when the stop begins.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	lockConn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer lockConn.Close(context.Background())
	tx, err := lockConn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(context.Background())
	if _, err := tx.Exec(ctx, `SELECT 1 FROM contact_infos WHERE account_id = $1 FOR UPDATE`, accountID); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `LOCK TABLE invitations IN EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	const each = 3
	inflight := make(chan faultResult, 2*each)
	for i := range each {
		c := newFaultClientWith(admin) // a connection of its own
		go func() { inflight <- c.save(accountID, fmt.Sprintf("9-%d", i)) }()
		e := fmt.Sprintf("inflight-%d-%s@faults.example.com", i, tag)
		emails = append(emails, e)
		go func() { inflight <- c.call("invite "+e, qInvite, map[string]any{"a": accountID, "e": e}) }()
	}
	waitLockWaiters(t, dsn, 2*each)

	stopped := make(chan error, 1)
	go func() { stopped <- stop() }()
	// Shutdown has begun once the listener is closed.
	addr := strings.TrimPrefix(base, "http://")
	for deadline := time.Now().Add(10 * time.Second); ; {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("the server still accepts connections 10 s after the stop")
		}
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case r := <-inflight:
		t.Fatalf("an in-flight request ended when the stop began, before its lock was released: %s", r)
	case err := <-stopped:
		t.Fatalf("run returned (%v) while requests were in flight", err)
	default:
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	for range 2 * each {
		select {
		case r := <-inflight:
			if r.failed() {
				t.Errorf("in-flight request did not finish: %s", r)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("in-flight requests did not finish")
		}
	}
	select {
	case err := <-stopped:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("run did not return after the stop")
	}

	st := outboxStatus(t, dsn, emails)
	for _, e := range emails {
		if !slices.Equal(st[e], []string{mail.StatusQueued}) {
			t.Errorf("outbox of %s after the stop: %v, want one QUEUED mail", e, st[e])
		}
	}
	if t.Failed() {
		return
	}
	deliverEachOnce(t, env, dsn, emails)
}

// waitLockWaiters waits until n sessions on dsn's database wait for a lock.
func waitLockWaiters(t *testing.T, dsn string, n int) {
	t.Helper()
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		var waiting int
		pgQuery(t, dsn, func(ctx context.Context, conn *pgx.Conn) error {
			return conn.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`,
				cfg.Database).Scan(&waiting)
		})
		if waiting == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d requests wait for the locks, want %d", waiting, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// metricValue reads one sample from /metrics: the first line of name
// (with any labels).
func metricValue(t *testing.T, base, name string) float64 {
	t.Helper()
	res, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, name+"{") || strings.HasPrefix(line, name+" ") {
			f := strings.Fields(line)
			v, err := strconv.ParseFloat(f[len(f)-1], 64)
			if err != nil {
				t.Fatalf("metric line %q: %v", line, err)
			}
			return v
		}
	}
	t.Fatalf("no metric %s", name)
	return 0
}

// stableGoroutines is the goroutine count once it has stayed the same for
// 200 ms (finished requests and closed connections gone), within 5 s.
func stableGoroutines() int {
	n, same := runtime.NumGoroutine(), 0
	for deadline := time.Now().Add(5 * time.Second); same < 4 && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
		if m := runtime.NumGoroutine(); m == n {
			same++
		} else {
			n, same = m, 0
		}
	}
	return n
}

// goroutinesAtMost waits up to 10 s for the goroutine count to fall to
// limit, and returns the last count.
func goroutinesAtMost(limit int) int {
	n := runtime.NumGoroutine()
	for deadline := time.Now().Add(10 * time.Second); n > limit && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
		n = runtime.NumGoroutine()
	}
	return n
}

// outageFlag is how long TestFaultPostgresDown keeps PostgreSQL down: a
// few seconds by default, so that the suite's longest test does not
// dominate CI; `go test -run TestFaultPostgresDown -outage 30s .` runs the
// long soak.
var outageFlag = flag.Duration("outage", 5*time.Second, "how long TestFaultPostgresDown keeps PostgreSQL down")

// TestFaultPostgresDown keeps PostgreSQL down under load for -outage.
// Requests fail fast with masked errors; afterwards the server recovers,
// and neither goroutines nor pooled connections have piled up.
func TestFaultPostgresDown(t *testing.T) {
	if testing.Short() {
		t.Skip("keeps PostgreSQL down for a while; skipped with -short")
	}
	cluster := testdb.NewCluster(t)
	dsn := cluster.Database(t)
	markers := leakMarkers(dsn)
	base, _ := startRun(t, faultEnv(t, dsn))
	admin := faultSignIn(t, base, demoAdminEmail, demoAdminPassword)
	accountID := admin.firstAccountID(t)

	const workers = 4
	clients := make([]*faultClient, workers)
	for i := range clients {
		clients[i] = newFaultClientWith(admin)
	}
	// Warm up, so that the pool holds connections to lose.
	var wg sync.WaitGroup
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 10 {
				if i%2 == 0 {
					clients[i].gate(accountID)
				} else {
					clients[i].save(accountID, fmt.Sprintf("%d-%d", i, j))
				}
			}
		}()
	}
	wg.Wait()
	var anon *faultClient
	closeIdle := func() {
		admin.http.CloseIdleConnections()
		if anon != nil {
			anon.http.CloseIdleConnections()
		}
		for _, c := range clients {
			c.http.CloseIdleConnections()
		}
	}
	closeIdle()
	baseGoroutines := stableGoroutines()
	baseOpen := metricValue(t, base, "go_sql_open_connections")

	if err := cluster.Stop(); err != nil {
		t.Fatal(err)
	}
	downAt := time.Now()
	outage := *outageFlag
	var (
		mu      sync.Mutex
		results []faultResult
	)
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; time.Since(downAt) < outage; j++ {
				var r faultResult
				if j%2 == 0 {
					r = clients[i].gate(accountID)
				} else {
					r = clients[i].save(accountID, fmt.Sprintf("%d-%d", i+workers, j))
				}
				mu.Lock()
				results = append(results, r)
				mu.Unlock()
				time.Sleep(100 * time.Millisecond)
			}
		}()
	}
	// Once a second: readiness, and a request without a session (its
	// failure comes from a resolver, not from the session lookup).
	notReady := 0
	anon = newFaultClient(base)
	for time.Since(downAt) < outage-time.Second {
		if readyz(t, base) != http.StatusServiceUnavailable {
			notReady++
		}
		r := anon.call("public contact", qPublic, map[string]any{"a": accountID})
		mu.Lock()
		results = append(results, r)
		mu.Unlock()
		time.Sleep(time.Second)
	}
	wg.Wait()
	if notReady > 0 {
		t.Errorf("/readyz was not 503 %d times while PostgreSQL was down", notReady)
	}
	var slowest time.Duration
	var took []time.Duration
	for _, r := range results {
		if !r.failed() {
			t.Errorf("a request succeeded while PostgreSQL was down: %s", r)
			continue
		}
		if why := checkMasked(r, markers); why != "" {
			t.Errorf("failure not masked: %s: %s", why, r)
		}
		took = append(took, r.took())
		slowest = max(slowest, r.took())
	}
	slices.Sort(took)
	if slowest > 5*time.Second {
		t.Errorf("a request took %v to fail; requests must fail fast while the database is down", slowest)
	}

	if err := cluster.Start(); err != nil {
		t.Fatal(err)
	}
	recovery := waitGateOK(t, newFaultClientWith(admin), accountID, 3*time.Second, markers)
	if r := admin.save(accountID, "99-0"); r.failed() {
		t.Errorf("save after recovery: %s", r)
	}
	closeIdle()
	after := goroutinesAtMost(baseGoroutines + 5)
	if after > baseGoroutines+5 {
		buf := make([]byte, 1<<20)
		t.Errorf("goroutines: %d before the outage, %d after; stacks:\n%s", baseGoroutines, after, buf[:runtime.Stack(buf, true)])
	}
	// A connection may be in use for a moment by the outbox worker's poll or
	// by the scrape's own queue-depth gauge: read until the pool is idle.
	var open, inUse float64
	for range 30 {
		open = metricValue(t, base, "go_sql_open_connections")
		inUse = metricValue(t, base, "go_sql_in_use_connections")
		if inUse == 0 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	var backends int
	pgQuery(t, cluster.AdminURL(), func(ctx context.Context, conn *pgx.Conn) error {
		cfg, _ := pgx.ParseConfig(dsn)
		return conn.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE datname = $1`, cfg.Database).Scan(&backends)
	})
	if inUse != 0 || open > max(baseOpen, workers) || backends > int(open)+2 {
		t.Errorf("pool after the outage: %v open (%v before), %v in use; %d server connections (pool + gate bus)", open, baseOpen, inUse, backends)
	}
	p := func(q float64) time.Duration { return took[int(q*float64(len(took)-1))].Round(time.Microsecond) }
	t.Logf("%d requests during %v down: all failed masked, in p50 %v, p99 %v, max %v; first success %v after PostgreSQL was back; "+
		"goroutines %d before, %d after; pool open %v before, %v after, %v in use; %d server connections",
		len(results), outage, p(0.5), p(0.99), slowest.Round(time.Microsecond), recovery.Round(time.Millisecond),
		baseGoroutines, after, baseOpen, open, inUse, backends)
}
