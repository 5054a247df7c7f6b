package main

// Two server processes on one PostgreSQL database, as behind a load
// balancer: sessions, live unlocks and the outbox must not care which
// replica a request reaches.

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
	"github.com/contactgate/contactgate/internal/testdb"
	"github.com/contactgate/contactgate/mail"
)

// withSessionOf returns a client of base carrying c's session cookie:
// the same browser, routed to another replica. (A cookie jar ignores
// ports, so the cookie is copied explicitly to make the point.)
func withSessionOf(t *testing.T, c *faultClient, base string) *faultClient {
	t.Helper()
	from, _ := url.Parse(c.base)
	to, _ := url.Parse(base)
	jar, _ := cookiejar.New(nil)
	var session []*http.Cookie
	for _, ck := range c.http.Jar.Cookies(from) {
		if ck.Name == "cg_session" {
			session = append(session, ck)
		}
	}
	if len(session) != 1 {
		t.Fatalf("no session cookie from %s", c.base)
	}
	jar.SetCookies(to, session)
	return &faultClient{base: base, http: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

// me returns the signed-in user's email, or "" when signed out.
func (c *faultClient) me(t *testing.T) string {
	t.Helper()
	d := c.must(t, `{me{user{email}}}`, nil)
	m, _ := d["me"].(map[string]any)
	if m == nil {
		return ""
	}
	return m["user"].(map[string]any)["email"].(string)
}

type wsMsg struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// gateValue is one value of the accessGateChanged subscription.
type gateValue struct {
	Locked  bool
	Missing []string
}

// watchGate subscribes to accountID's SANDBOX gate on c's server over a
// websocket (graphql-transport-ws) with c's session, and returns a function
// that waits for the next value, and the connection.
func watchGate(t *testing.T, c *faultClient, accountID string) (func() gateValue, *websocket.Conn) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	u, _ := url.Parse(c.base)
	h := http.Header{}
	for _, ck := range c.http.Jar.Cookies(u) {
		h.Add("Cookie", ck.String())
	}
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(c.base, "http")+"/graphql",
		&websocket.DialOptions{HTTPHeader: h, Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatalf("websocket: %v", err)
	}
	t.Cleanup(func() { conn.Close(websocket.StatusNormalClosure, "") })
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(wsjson.Write(ctx, conn, wsMsg{Type: "connection_init"}))
	var ack wsMsg
	must(wsjson.Read(ctx, conn, &ack))
	if ack.Type != "connection_ack" {
		t.Fatalf("no connection_ack: %+v", ack)
	}
	payload, _ := json.Marshal(map[string]any{
		"query":     `subscription($a:ID!){accessGateChanged(accountId:$a,environment:SANDBOX){locked missing}}`,
		"variables": map[string]any{"a": accountID},
	})
	must(wsjson.Write(ctx, conn, wsMsg{ID: "1", Type: "subscribe", Payload: payload}))
	return func() gateValue {
		t.Helper()
		for {
			var m wsMsg
			if err := wsjson.Read(ctx, conn, &m); err != nil {
				t.Fatalf("waiting for the gate: %v", err)
			}
			switch m.Type {
			case "ping", "pong":
				continue
			case "next":
				var p struct {
					Data struct {
						AccessGateChanged gateValue
					}
					Errors []json.RawMessage
				}
				must(json.Unmarshal(m.Payload, &p))
				if len(p.Errors) > 0 {
					t.Fatalf("subscription error: %s", m.Payload)
				}
				return p.Data.AccessGateChanged
			default:
				t.Fatalf("unexpected message %s %s", m.Type, m.Payload)
			}
		}
	}, conn
}

// qComplete fills every field the SANDBOX gate needs for an
// APPOINTMENTS_E2E account.
const qComplete = `mutation($a:ID!){updateContactInfo(input:{accountId:$a,environment:SANDBOX,
	technicalEmergency:[{email:"pager@replicas.example.com"}],
	technicalNonEmergency:[{email:"tech@replicas.example.com"}],
	merchantIssues:[{email:"merchants@replicas.example.com"}],
	operationalForGoogle:[{email:"ops@replicas.example.com"}],
	operationalForUsers:{email:"support@replicas.example.com"},
	operationalSupport:{alwaysOpen:true,windows:[]}}){account{accessGate(environment:SANDBOX){locked missing}}}}`

// TestReplicas runs two programs on one PostgreSQL database.
func TestReplicas(t *testing.T) {
	dsn := testdb.Postgres(t)
	smtpURL, mp := realSMTP(t)
	env := faultEnv(t, dsn)
	if mp != nil {
		env["SMTP_URL"] = smtpURL
	}
	baseA, _ := startRun(t, env) // creates the demo
	envB := maps.Clone(env)
	envB["DATA_DIR"] = t.TempDir()
	baseB, stopB := startRun(t, envB)
	admin := faultSignIn(t, baseA, demoAdminEmail, demoAdminPassword)
	accountID := admin.firstAccountID(t)

	t.Run("session", func(t *testing.T) {
		onA := faultSignIn(t, baseA, demoAdminEmail, demoAdminPassword)
		onB := withSessionOf(t, onA, baseB)
		if got := onB.me(t); got != demoAdminEmail {
			t.Fatalf("a session made on A is not known on B: me = %q", got)
		}
		// Signing out on B ends the session on A too.
		onB.must(t, `mutation{signOut}`, nil)
		if got := onA.me(t); got != "" {
			t.Fatalf("signed out on B, still signed in on A as %q", got)
		}
	})

	t.Run("subscription", func(t *testing.T) {
		viewer := withSessionOf(t, faultSignIn(t, baseB, demoAdminEmail, demoAdminPassword), baseB)
		next, _ := watchGate(t, viewer, accountID)
		if g := next(); !g.Locked || len(g.Missing) == 0 {
			t.Fatalf("first value on B: %+v, want locked", g)
		}
		started := time.Now()
		d := admin.must(t, qComplete, map[string]any{"a": accountID}) // through A
		gate := d["updateContactInfo"].(map[string]any)["account"].(map[string]any)["accessGate"].(map[string]any)
		if gate["locked"] != false {
			t.Fatalf("A still reports the gate locked: %v", gate)
		}
		if g := next(); g.Locked || len(g.Missing) != 0 {
			t.Fatalf("value on B after the change on A: %+v, want unlocked", g)
		}
		t.Logf("the unlock on A reached the subscriber on B in %v", time.Since(started).Round(time.Millisecond))
	})

	// Signing out through A ends a live subscription on B with an error
	// message: the revocation travels on the bus (LISTEN/NOTIFY).
	t.Run("sign-out ends a subscription on the other replica", func(t *testing.T) {
		onA := faultSignIn(t, baseA, demoAdminEmail, demoAdminPassword)
		next, conn := watchGate(t, withSessionOf(t, onA, baseB), accountID)
		next()
		onA.must(t, `mutation{signOut}`, nil)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		for {
			var m wsMsg
			if err := wsjson.Read(ctx, conn, &m); err != nil {
				t.Fatalf("no end of the subscription on B after the sign-out on A: %v", err)
			}
			if m.Type == "next" || m.Type == "ping" || m.Type == "pong" {
				continue
			}
			if m.Type != "error" || !strings.Contains(string(m.Payload), "UNAUTHENTICATED") {
				t.Fatalf("the subscription on B ended with %s %s, want an UNAUTHENTICATED error", m.Type, m.Payload)
			}
			break
		}
	})

	t.Run("outbox", func(t *testing.T) {
		if mp == nil {
			t.Skip(noMailpit)
		}
		tag := randomTag(t)
		clients := []*faultClient{admin, withSessionOf(t, admin, baseB)}
		const n = 10
		emails := make([]string, n)
		var wg sync.WaitGroup
		failures := make(chan string, n)
		for i := range n {
			emails[i] = fmt.Sprintf("replica-%d-%s@replicas.example.com", i, tag)
			wg.Add(1)
			go func() {
				defer wg.Done()
				if r := clients[i%2].call("invite", qInvite, map[string]any{"a": accountID, "e": emails[i]}); r.failed() {
					failures <- r.String()
				}
			}()
		}
		wg.Wait()
		close(failures)
		for f := range failures {
			t.Fatal(f)
		}
		deadline := time.Now().Add(30 * time.Second)
		for {
			st := outboxStatus(t, dsn, emails)
			done := len(st) == n
			for _, e := range emails {
				done = done && slices.Equal(st[e], []string{mail.StatusSent})
			}
			if done {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("invitations not all SENT after 30 s: %v", st)
			}
			time.Sleep(100 * time.Millisecond)
		}
		got := mailsTo(t, mp, emails)
		for _, e := range emails {
			if got[e] != 1 {
				t.Errorf("%d mails to %s, want exactly 1", got[e], e)
			}
		}
	})

	// A replica that stops ends its subscriptions (the browser reconnects
	// to another one) instead of leaving them open past its end.
	t.Run("stop ends subscriptions", func(t *testing.T) {
		next, conn := watchGate(t, withSessionOf(t, faultSignIn(t, baseB, demoAdminEmail, demoAdminPassword), baseB), accountID)
		next()
		if err := stopB(); err != nil {
			t.Fatalf("stop B: %v", err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		for {
			var m wsMsg
			err := wsjson.Read(ctx, conn, &m)
			if err == nil {
				continue // a ping, or a value sent before the end
			}
			if ctx.Err() != nil {
				t.Fatal("the subscription is still open 10 s after its server stopped")
			}
			break
		}
		if r := admin.gate(accountID); r.failed() {
			t.Fatalf("A stopped working when B stopped: %s", r)
		}
	})
}
