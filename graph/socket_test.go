package graph_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
	"github.com/contactgate/contactgate/httpapi"
	"github.com/contactgate/contactgate/internal/apitest"
	"github.com/contactgate/contactgate/internal/testdb"
	"github.com/contactgate/contactgate/models"
	"github.com/contactgate/contactgate/ratelimit"
)

// socket is a graphql-transport-ws client on the real server.
type socket struct {
	t    *testing.T
	ctx  context.Context
	conn *websocket.Conn
	ids  int
}

// wsError is one GraphQL error as the websocket carries it.
type wsError struct {
	Message    string
	Extensions struct {
		Code   string
		Reason string
	}
}

// wsResult is what became of one operation on a socket: the values it
// sent, and how it ended ("complete", or "error" with its errors).
type wsResult struct {
	End    string
	Data   []json.RawMessage
	Errors []wsError
}

// dial opens a socket with the headers (cookie or bearer token) and waits
// for the connection_ack.
func dial(t *testing.T, s *apitest.Server, h http.Header) *socket {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(s.URL, "http")+"/graphql",
		&websocket.DialOptions{HTTPHeader: h, Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { conn.Close(websocket.StatusNormalClosure, "") })
	k := &socket{t: t, ctx: ctx, conn: conn}
	k.write(wsMessage{Type: "connection_init"})
	if m := k.read(); m.Type != "connection_ack" {
		t.Fatalf("no connection_ack: %+v", m)
	}
	return k
}

func bearer(token string) http.Header {
	return http.Header{"Authorization": []string{"Bearer " + token}}
}

func (k *socket) write(m wsMessage) {
	k.t.Helper()
	if err := wsjson.Write(k.ctx, k.conn, m); err != nil {
		k.t.Fatalf("write %s: %v", m.Type, err)
	}
}

// read returns the next message that is not a ping or pong.
func (k *socket) read() wsMessage {
	k.t.Helper()
	for {
		var m wsMessage
		if err := wsjson.Read(k.ctx, k.conn, &m); err != nil {
			k.t.Fatalf("read: %v", err)
		}
		if m.Type != "ping" && m.Type != "pong" && m.Type != "ka" {
			return m
		}
	}
}

// start sends an operation and returns its id.
func (k *socket) start(query string, vars map[string]any) string {
	k.t.Helper()
	k.ids++
	id := string(rune('0' + k.ids))
	payload, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	k.write(wsMessage{ID: id, Type: "subscribe", Payload: payload})
	return id
}

// next waits for the next value of operation id; ok is false when the
// operation ended instead (its end is then in res).
func (k *socket) next(id string) (data json.RawMessage, errs []wsError, ended *wsResult) {
	k.t.Helper()
	m := k.read()
	if m.ID != id {
		k.t.Fatalf("message for operation %q, want %q: %+v", m.ID, id, m)
	}
	switch m.Type {
	case "next":
		var p struct {
			Data   json.RawMessage
			Errors []wsError
		}
		if err := json.Unmarshal(m.Payload, &p); err != nil {
			k.t.Fatal(err)
		}
		return p.Data, p.Errors, nil
	case "complete":
		return nil, nil, &wsResult{End: "complete"}
	case "error":
		res := &wsResult{End: "error"}
		if err := json.Unmarshal(m.Payload, &res.Errors); err != nil {
			k.t.Fatalf("error payload %s: %v", m.Payload, err)
		}
		return nil, nil, res
	}
	k.t.Fatalf("unexpected message %+v", m)
	return nil, nil, nil
}

// run sends an operation and collects everything it answers until it ends.
func (k *socket) run(query string, vars map[string]any) wsResult {
	k.t.Helper()
	id := k.start(query, vars)
	var out wsResult
	for {
		data, errs, end := k.next(id)
		if end != nil {
			out.End = end.End
			out.Errors = append(out.Errors, end.Errors...)
			return out
		}
		if len(data) > 0 && string(data) != "null" {
			out.Data = append(out.Data, data)
		}
		out.Errors = append(out.Errors, errs...)
	}
}

const qWatch = `subscription Watch($a:ID!){accessGateChanged(accountId:$a,environment:SANDBOX){locked missing}}`

// watch starts the gate subscription and checks its first value.
func (k *socket) watch(accountID string) string {
	k.t.Helper()
	id := k.start(qWatch, map[string]any{"a": accountID})
	data, errs, end := k.next(id)
	if end != nil || len(errs) > 0 || !strings.Contains(string(data), "locked") {
		k.t.Fatalf("first value: %s %+v %+v", data, errs, end)
	}
	return id
}

// endsWith waits until subscription id ends and checks that it ended with
// an error message carrying code.
func (k *socket) endsWith(id, code string) wsError {
	k.t.Helper()
	for {
		_, errs, end := k.next(id)
		if end == nil {
			if len(errs) > 0 {
				k.t.Fatalf("an error value instead of the end: %+v", errs)
			}
			continue // a gate value sent before the end
		}
		if end.End != "error" || len(end.Errors) != 1 {
			k.t.Fatalf("the subscription ended with %+v, want one error %s", end, code)
		}
		e := end.Errors[0]
		if e.Extensions.Code != code || e.Message == "" {
			k.t.Fatalf("the subscription ended with %+v, want code %s and a message", e, code)
		}
		return e
	}
}

// refused checks that a query or mutation over the socket is refused
// without running.
func refused(t *testing.T, r wsResult) {
	t.Helper()
	if len(r.Data) != 0 || len(r.Errors) != 1 || r.Errors[0].Extensions.Code != "VALIDATION_FAILED" ||
		r.Errors[0].Extensions.Reason != models.ReasonSubscriptionsOnly ||
		!strings.Contains(r.Errors[0].Message, "POST /graphql") {
		t.Fatalf("want the operation refused with VALIDATION_FAILED (%s): %+v", models.ReasonSubscriptionsOnly, r)
	}
}

const qSaveOnSocket = `mutation($a:ID!){updateContactInfo(input:{accountId:$a,environment:SANDBOX,technicalEmergency:[{email:"socket@attacker.example"}]}){account{id}}}`

// TestSocketRevocation: the websocket carries subscriptions only, and a
// live subscription ends with an error message as soon as its caller's
// access ends, for a session and for an API token. The periodic re-check
// is an hour here: the ends below come from the revocation events.
func TestSocketRevocation(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn, SubscriptionRecheck: time.Hour})
		f := s.Fixture()
		a := f.AccountA.ID
		ctx := context.Background()
		admin := s.As(f.Admin)
		version := func() int {
			var d struct {
				Account struct{ ContactInfo struct{ Version int } }
			}
			admin.MustData(`query($a:ID!){account(id:$a){contactInfo{version}}}`, map[string]any{"a": a}, &d)
			return d.Account.ContactInfo.Version
		}
		_, secret, err := s.Services.Tokens.Create(ctx, &f.Admin.ID, a, "pager sync", false)
		if err != nil {
			t.Fatal(err)
		}

		t.Run("queries and mutations are refused", func(t *testing.T) {
			before := version()
			for name, h := range map[string]http.Header{"session": s.As(f.Editor).CookieHeader(), "token": bearer(secret)} {
				k := dial(t, s, h)
				refused(t, k.run(`{me{user{email}}}`, nil))
				refused(t, k.run(`query($a:ID!){account(id:$a){name}}`, map[string]any{"a": a}))
				refused(t, k.run(qSaveOnSocket, map[string]any{"a": a}))
				refused(t, k.run(`mutation{signOut}`, nil))
				// The socket still serves subscriptions.
				k.watch(a)
				t.Logf("%s: refused", name)
			}
			if after := version(); after != before {
				t.Fatalf("a mutation over the websocket saved contact info: version %d → %d", before, after)
			}
		})

		t.Run("a subscription over POST is refused", func(t *testing.T) {
			r := admin.Do(qWatch, map[string]any{"a": a})
			if r.Code() != "VALIDATION_FAILED" || r.Errors[0].Extensions.Reason != models.ReasonWebsocketOnly {
				t.Fatalf("subscription over POST: %s", r.Raw)
			}
		})

		t.Run("demotion keeps what the role still allows", func(t *testing.T) {
			u := s.User("demoted@a.example", false)
			if err := s.DB.AddMember(ctx, a, u.ID, models.RoleEditor); err != nil {
				t.Fatal(err)
			}
			k := dial(t, s, s.As(u).CookieHeader())
			id := k.watch(a)
			admin.MustData(`mutation($a:ID!,$u:ID!){updateMemberRole(accountId:$a,userId:$u,role:READ_ONLY){role}}`,
				map[string]any{"a": a, "u": u.ID}, nil)
			// A reader may watch the gate: the subscription goes on and
			// sees the next change; the editor's save over the socket is
			// refused like any mutation there.
			s.CompleteContactInfo(a, f.Admin, "")
			for {
				data, errs, end := k.next(id)
				if end != nil || len(errs) > 0 {
					t.Fatalf("the demoted reader's subscription ended: %+v %+v", end, errs)
				}
				if strings.Contains(string(data), `"locked":false`) {
					break
				}
			}
			before := version()
			refused(t, k.run(qSaveOnSocket, map[string]any{"a": a}))
			if after := version(); after != before {
				t.Fatal("the demoted editor saved over the websocket")
			}
		})

		t.Run("removal", func(t *testing.T) {
			// A member of two accounts, removed from one: the session
			// stays, the subscription to that account ends.
			u := s.User("removed@a.example", false)
			for _, acc := range []string{a, f.AccountB.ID} {
				if err := s.DB.AddMember(ctx, acc, u.ID, models.RoleReadOnly); err != nil {
					t.Fatal(err)
				}
			}
			k := dial(t, s, s.As(u).CookieHeader())
			gone := k.watch(a)
			kept := k.watch(f.AccountB.ID)
			admin.MustData(`mutation($a:ID!,$u:ID!){removeMember(accountId:$a,userId:$u)}`, map[string]any{"a": a, "u": u.ID}, nil)
			k.endsWith(gone, "NOT_FOUND")
			// Subscribing again on the same socket is refused too.
			again := k.start(qWatch, map[string]any{"a": a})
			if _, errs, end := k.next(again); len(errs) == 0 || errs[0].Extensions.Code != "NOT_FOUND" {
				t.Fatalf("a new subscription after removal: %+v %+v", errs, end)
			}
			_ = kept
		})

		t.Run("removal from the last account", func(t *testing.T) {
			u := s.User("leaver@a.example", false)
			if err := s.DB.AddMember(ctx, a, u.ID, models.RoleReadOnly); err != nil {
				t.Fatal(err)
			}
			k := dial(t, s, s.As(u).CookieHeader())
			id := k.watch(a)
			admin.MustData(`mutation($a:ID!,$u:ID!){removeMember(accountId:$a,userId:$u)}`, map[string]any{"a": a, "u": u.ID}, nil)
			// Removed from their only account, the person is signed out
			// everywhere: the subscription says so.
			k.endsWith(id, "UNAUTHENTICATED")
		})

		t.Run("sign-out", func(t *testing.T) {
			reader := s.As(f.ReadOnly)
			k := dial(t, s, reader.CookieHeader())
			id := k.watch(a)
			reader.MustData(`mutation{signOut}`, nil, nil)
			if e := k.endsWith(id, "UNAUTHENTICATED"); !strings.Contains(e.Message, "session") {
				t.Fatalf("message %q does not say the session ended", e.Message)
			}
			// The socket's session is gone: a new subscription on it is
			// refused at its start.
			r := k.run(qWatch, map[string]any{"a": a})
			if len(r.Data) != 0 || len(r.Errors) == 0 || r.Errors[0].Extensions.Code != "UNAUTHENTICATED" {
				t.Fatalf("a subscription on a signed-out socket: %+v", r)
			}
		})

		t.Run("token revocation", func(t *testing.T) {
			tok, secret, err := s.Services.Tokens.Create(ctx, &f.Admin.ID, a, "leaked", true)
			if err != nil {
				t.Fatal(err)
			}
			k := dial(t, s, bearer(secret))
			id := k.watch(a)
			admin.MustData(`mutation($id:ID!){revokeApiToken(id:$id)}`, map[string]any{"id": tok.ID}, nil)
			if e := k.endsWith(id, "UNAUTHENTICATED"); !strings.Contains(e.Message, "revoked") {
				t.Fatalf("message %q does not say the token was revoked", e.Message)
			}
			r := k.run(qWatch, map[string]any{"a": a})
			if len(r.Data) != 0 || len(r.Errors) == 0 || r.Errors[0].Extensions.Code != "UNAUTHENTICATED" {
				t.Fatalf("a subscription with a revoked token: %+v", r)
			}
			// Each operation on the socket is logged with its principal and
			// outcome, the end with why.
			logs := s.Log.String()
			for _, want := range []string{
				`"event":"subscribe","operation":"Watch","operation_type":"subscription","principal":"token:` + tok.ID + `","outcome":"started"`,
				`"event":"subscribe","operation":"Watch","operation_type":"subscription","principal":"token:` + tok.ID + `","code":"UNAUTHENTICATED","outcome":"refused"`,
				`"event":"end","operation":"Watch","principal":"token:` + tok.ID + `","outcome":"access ended: this API token was revoked"`,
				`"event":"connection_init","principal":"token:` + tok.ID + `","outcome":"accepted"`,
			} {
				if !strings.Contains(logs, want) {
					t.Errorf("no log line with %s in\n%s", want, grepLines(logs, "websocket"))
				}
			}
		})
	})
}

// TestSocketSessionExpiry: a session that expires while its subscription
// is open ends it at the periodic re-check (no event announces an expiry).
func TestSocketSessionExpiry(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn, SubscriptionRecheck: 20 * time.Millisecond})
		f := s.Fixture()
		k := dial(t, s, s.As(f.ReadOnly).CookieHeader())
		id := k.watch(f.AccountA.ID)
		s.Clock.Advance(models.SessionIdle + time.Minute)
		k.endsWith(id, "UNAUTHENTICATED")
	})
}

// TestSocketTokenRateLimit: subscription starts count against the API
// token's rate limit like HTTP requests.
func TestSocketTokenRateLimit(t *testing.T) {
	s := apitest.NewWith(t, apitest.Options{Driver: testdb.DriverSQLite, DSN: testdb.SQLitePath(t), TokenLimit: ratelimit.New(3, time.Hour)})
	f := s.Fixture()
	_, secret, err := s.Services.Tokens.Create(context.Background(), &f.Admin.ID, f.AccountA.ID, "busy", true)
	if err != nil {
		t.Fatal(err)
	}
	k := dial(t, s, bearer(secret)) // the upgrade request counts: 1
	k.watch(f.AccountA.ID)          // 2
	k.watch(f.AccountA.ID)          // 3
	r := k.run(qWatch, map[string]any{"a": f.AccountA.ID})
	if len(r.Data) != 0 || len(r.Errors) != 1 || r.Errors[0].Extensions.Code != "RATE_LIMITED" {
		t.Fatalf("the fourth start: %+v", r)
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// TestSocketSubscriptionCap: one connection holds at most
// MaxSubscriptionsPerSocket live subscriptions (each holds a goroutine and
// re-checks its caller), for a session as for a token; a stopped one frees
// its place.
func TestSocketSubscriptionCap(t *testing.T) {
	s := apitest.New(t)
	f := s.Fixture()
	k := dial(t, s, s.As(f.ReadOnly).CookieHeader())
	var ids []string
	for range httpapi.MaxSubscriptionsPerSocket {
		ids = append(ids, k.watch(f.AccountA.ID))
	}
	r := k.run(qWatch, map[string]any{"a": f.AccountA.ID})
	if len(r.Data) != 0 || len(r.Errors) != 1 || r.Errors[0].Extensions.Code != "RATE_LIMITED" {
		t.Fatalf("subscription %d on one connection: %+v", httpapi.MaxSubscriptionsPerSocket+1, r)
	}
	// The client stops one: its place is free again once the server has
	// ended it (the server confirms with a "complete" of its own).
	k.write(wsMessage{ID: ids[0], Type: "complete"})
	if m := k.read(); m.ID != ids[0] || m.Type != "complete" {
		t.Fatalf("after stopping %s: %+v", ids[0], m)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		id := k.start(qWatch, map[string]any{"a": f.AccountA.ID})
		data, errs, end := k.next(id)
		if end == nil && len(errs) == 0 && strings.Contains(string(data), "locked") {
			return
		}
		if end == nil || len(end.Errors) != 1 || end.Errors[0].Extensions.Code != "RATE_LIMITED" {
			t.Fatalf("after a stop: %s %+v %+v", data, errs, end)
		}
		if time.Now().After(deadline) {
			t.Fatal("a stopped subscription never gave its place back")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestSocketRefusesAnonymous: every subscription is for members, so a
// socket without a signed-in caller is closed at connection_init instead
// of being held open (thousands of anonymous sockets were a cheap way to
// use up the server's memory).
func TestSocketRefusesAnonymous(t *testing.T) {
	s := apitest.New(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(s.URL, "http")+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer conn.Close(websocket.StatusNormalClosure, "")
	if err := wsjson.Write(ctx, conn, wsMessage{Type: "connection_init"}); err != nil {
		t.Fatal(err)
	}
	var m wsMessage
	err = wsjson.Read(ctx, conn, &m)
	if err == nil {
		t.Fatalf("anonymous socket answered %+v", m)
	}
	if status := websocket.CloseStatus(err); status != 4403 {
		t.Fatalf("anonymous socket: %v (close status %d), want 4403 Forbidden", err, status)
	}
	// A signed-in caller's socket is acknowledged as before.
	dial(t, s, s.As(s.Fixture().Admin).CookieHeader())
}
