package graph_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
	"github.com/contactgate/contactgate/internal/apitest"
)

type wsMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// subscribeGate opens a graphql-transport-ws subscription to an account's
// gate and returns a function that waits for the next value.
func subscribeGate(t *testing.T, s *apitest.Server, c *apitest.Client, origin, accountID, env string) (func() (locked bool, missing []string, errs string), error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	h := c.CookieHeader()
	if origin != "" {
		h.Set("Origin", origin)
	}
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(s.URL, "http")+"/graphql",
		&websocket.DialOptions{HTTPHeader: h, Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() { conn.Close(websocket.StatusNormalClosure, "") })
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(wsjson.Write(ctx, conn, wsMessage{Type: "connection_init"}))
	var ack wsMessage
	must(wsjson.Read(ctx, conn, &ack))
	if ack.Type != "connection_ack" {
		t.Fatalf("no ack: %+v", ack)
	}
	payload, _ := json.Marshal(map[string]any{
		"query":     `subscription($a:ID!,$e:Environment!){accessGateChanged(accountId:$a,environment:$e){locked missing}}`,
		"variables": map[string]any{"a": accountID, "e": env},
	})
	must(wsjson.Write(ctx, conn, wsMessage{ID: "1", Type: "subscribe", Payload: payload}))
	return func() (bool, []string, string) {
		for {
			var m wsMessage
			must(wsjson.Read(ctx, conn, &m))
			switch m.Type {
			case "ping", "pong":
				continue
			case "next":
				var p struct {
					Data struct {
						AccessGateChanged struct {
							Locked  bool
							Missing []string
						}
					}
					Errors []struct {
						Extensions struct{ Code string }
					}
				}
				must(json.Unmarshal(m.Payload, &p))
				if len(p.Errors) > 0 {
					return false, nil, p.Errors[0].Extensions.Code
				}
				return p.Data.AccessGateChanged.Locked, p.Data.AccessGateChanged.Missing, ""
			case "error":
				return false, nil, string(m.Payload)
			case "complete":
				return false, nil, "complete"
			default:
				t.Fatalf("unexpected message %+v", m)
			}
		}
	}, nil
}

// TestLiveUnlock: a colleague's portal, subscribed to the gate, unlocks as
// soon as someone else completes the contact info.
func TestLiveUnlock(t *testing.T) {
	s := apitest.New(t)
	f := s.Fixture()
	next, err := subscribeGate(t, s, s.As(f.ReadOnly), "", f.AccountA.ID, "SANDBOX")
	if err != nil {
		t.Fatal(err)
	}
	locked, missing, errs := next()
	if errs != "" || !locked || len(missing) != 6 {
		t.Fatalf("first value: locked=%v missing=%v err=%s", locked, missing, errs)
	}
	s.CompleteContactInfo(f.AccountA.ID, f.Editor, "")
	locked, missing, errs = next()
	if errs != "" || locked || len(missing) != 0 {
		t.Fatalf("after completion: locked=%v missing=%v err=%s", locked, missing, errs)
	}

	// Signing out ends the subscription at once, with an error saying so
	// (socket_test.go covers every revocation).
	reader := s.As(f.ReadOnly)
	next, err = subscribeGate(t, s, reader, "", f.AccountA.ID, "PRODUCTION")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, errs := next(); errs != "" {
		t.Fatalf("first value: %s", errs)
	}
	reader.MustData(`mutation{signOut}`, nil, nil)
	if _, _, errs := next(); !strings.Contains(errs, "UNAUTHENTICATED") {
		t.Fatalf("after sign-out the subscription goes on: %q", errs)
	}

	// A non-member cannot watch, and a foreign origin cannot connect.
	next, err = subscribeGate(t, s, s.As(f.Outsider), "", f.AccountA.ID, "SANDBOX")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, errs := next(); !strings.Contains(errs, "NOT_FOUND") {
		t.Fatalf("outsider: %q", errs)
	}
	if _, err := subscribeGate(t, s, s.As(f.Admin), "https://evil.example", f.AccountA.ID, "SANDBOX"); err == nil {
		t.Fatal("a foreign origin opened a websocket")
	}
}
