package graph_test

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/contactgate/contactgate/internal/apitest"
	"github.com/contactgate/contactgate/internal/testdb"
	"github.com/contactgate/contactgate/models"
	"github.com/contactgate/contactgate/service"
	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

const (
	qCreateHook = `mutation($a:ID!,$u:String!,$e:[String!]!,$d:String){createWebhookEndpoint(input:{accountId:$a,url:$u,events:$e,description:$d}){secret endpoint{id url events enabled description}}}`
	qHooks      = `query($a:ID!){account(id:$a){webhookEndpoints{id url events enabled disabledReason consecutiveFailures previousSecretExpiresAt
		deliveries(first:50){totalCount pageInfo{hasNextPage} edges{node{id eventId event status attempts responseCode latencyMs lastError lastErrorCode payload nextAttemptAt}}}}}}`
	qUpdateHook = `mutation($id:ID!,$en:Boolean,$u:String,$e:[String!]){updateWebhookEndpoint(input:{id:$id,enabled:$en,url:$u,events:$e}){id enabled consecutiveFailures url events}}`
	qDeleteHook = `mutation($id:ID!){deleteWebhookEndpoint(id:$id)}`
	qRotateHook = `mutation($id:ID!,$h:Int){rotateWebhookSecret(id:$id,overlapHours:$h){secret endpoint{id previousSecretExpiresAt}}}`
	qTestHook   = `mutation($id:ID!){sendTestWebhookEvent(endpointId:$id){id event status}}`
)

// receiver is a real HTTPS webhook receiver; mode scripts its next answers.
type receiver struct {
	mu   sync.Mutex
	mode string
	got  []*http.Request
	body [][]byte
	srv  *httptest.Server
}

func newReceiver(t *testing.T) *receiver {
	rc := &receiver{mode: "ok"}
	rc.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		rc.mu.Lock()
		rc.got = append(rc.got, r)
		rc.body = append(rc.body, b)
		mode := rc.mode
		rc.mu.Unlock()
		switch mode {
		case "500":
			w.WriteHeader(http.StatusInternalServerError)
		case "hang":
			<-r.Context().Done() // until the sender gives up
		case "redirect":
			http.Redirect(w, r, "https://elsewhere.example/", http.StatusFound)
		case "huge":
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write([]byte(strings.Repeat("x", 1<<20)))
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) set(mode string) { rc.mu.Lock(); rc.mode = mode; rc.mu.Unlock() }

func (rc *receiver) count() int { rc.mu.Lock(); defer rc.mu.Unlock(); return len(rc.got) }

func (rc *receiver) last() (http.Header, []byte) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.got[len(rc.got)-1].Header, rc.body[len(rc.body)-1]
}

func (rc *receiver) pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(rc.srv.Certificate())
	return p
}

type hookDelivery struct {
	ID, EventID, Event, Status string
	Attempts                   int
	ResponseCode, LatencyMs    *int
	LastError, LastErrorCode   *string
	Payload                    string
	NextAttemptAt              *time.Time
}

type hookEndpoint struct {
	ID, URL                 string
	Events                  []string
	Enabled                 bool
	DisabledReason          *string
	ConsecutiveFailures     int
	PreviousSecretExpiresAt *time.Time
	Deliveries              struct {
		TotalCount int
		PageInfo   struct{ HasNextPage bool }
		Edges      []struct{ Node hookDelivery }
	}
}

func hooksOf(t *testing.T, c *apitest.Client, accountID string) []hookEndpoint {
	t.Helper()
	var d struct {
		Account struct{ WebhookEndpoints []hookEndpoint }
	}
	c.MustData(qHooks, map[string]any{"a": accountID}, &d)
	return d.Account.WebhookEndpoints
}

// lastDelivery is the newest delivery of the account's only endpoint.
func lastDelivery(t *testing.T, c *apitest.Client, accountID string) hookDelivery {
	t.Helper()
	hs := hooksOf(t, c, accountID)
	if len(hs) != 1 || len(hs[0].Deliveries.Edges) == 0 {
		t.Fatalf("endpoints %+v", hs)
	}
	return hs[0].Deliveries.Edges[0].Node
}

func process(t *testing.T, s *apitest.Server) int {
	t.Helper()
	n, err := s.Webhooks.ProcessOnce(context.Background())
	if err != nil {
		t.Fatalf("deliver: %v", err)
	}
	return n
}

// TestWebhookDelivery drives webhooks through the real server to a real
// HTTPS receiver: Standard Webhooks signatures checked with the library's
// verifier, a stable event id across retries, retries after a 500 and a
// timeout with backoff, redirects and huge answers as failures, disabling
// after the run of failures with the administrators mailed, test events,
// rotation with both signatures during the overlap, and the delivery log.
func TestWebhookDelivery(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		rc := newReceiver(t)
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn,
			Webhooks:       service.WebhookSettings{AllowPrivate: true, MaxFailures: 3},
			WebhookTimeout: 300 * time.Millisecond, WebhookRootCAs: rc.pool()})
		// The library's verifier compares the signed timestamp with the
		// real time.
		s.Clock.Set(time.Now().UTC().Truncate(time.Second))
		f := s.Fixture()
		a := f.AccountA.ID
		s.CompleteContactInfo(a, f.Admin, "")
		admin := s.As(f.Admin)

		var created struct {
			CreateWebhookEndpoint struct {
				Secret   string
				Endpoint struct {
					ID, URL, Description string
					Events               []string
					Enabled              bool
				}
			} `json:"createWebhookEndpoint"`
		}
		admin.MustData(qCreateHook, map[string]any{"a": a, "u": rc.srv.URL + "/hooks", "d": " CRM sync ",
			"e": []string{"contact_info.updated", "access_gate.changed", "member.removed", "contact_info.updated"}}, &created)
		ep := created.CreateWebhookEndpoint.Endpoint
		secret := created.CreateWebhookEndpoint.Secret
		if !strings.HasPrefix(secret, "whsec_") || !ep.Enabled || ep.Description != "CRM sync" ||
			strings.Join(ep.Events, ",") != "contact_info.updated,access_gate.changed,member.removed" {
			t.Fatalf("created %+v", created)
		}
		// The secret is shown once: no later answer holds it.
		if r := admin.Do(qHooks, map[string]any{"a": a}); strings.Contains(r.Raw, secret) {
			t.Fatal("the endpoint list shows the secret")
		}

		// A change queues contact_info.updated in its transaction; the
		// receiver gets it signed.
		admin.MustData(qSaveTNE, map[string]any{"a": a, "e": "new-tech@partner.example"}, nil)
		if n := countRows(t, s, "webhook_deliveries", "status = 'PENDING'"); n != 1 {
			t.Fatalf("%d deliveries queued", n)
		}
		process(t, s)
		if rc.count() != 1 {
			t.Fatalf("receiver got %d requests", rc.count())
		}
		h, body := rc.last()
		wh, err := standardwebhooks.NewWebhook(secret)
		if err != nil {
			t.Fatal(err)
		}
		if err := wh.Verify(body, h); err != nil {
			t.Fatalf("signature: %v (headers %v)", err, h)
		}
		var payload struct {
			Type string
			Data struct {
				AccountID string
				Version   int
				Changes   []struct {
					Field         string
					Before, After json.RawMessage
				}
			}
		}
		if err := json.Unmarshal(body, &payload); err != nil {
			t.Fatal(err)
		}
		if payload.Type != "contact_info.updated" || payload.Data.AccountID != a || len(payload.Data.Changes) != 1 ||
			payload.Data.Changes[0].Field != "technicalNonEmergency" || !strings.Contains(string(payload.Data.Changes[0].Before), "tech@partner.example") ||
			!strings.Contains(string(payload.Data.Changes[0].After), "new-tech@partner.example") {
			t.Fatalf("payload %s", body)
		}
		if d := lastDelivery(t, admin, a); d.Status != "SUCCEEDED" || d.Attempts != 1 || d.ResponseCode == nil || *d.ResponseCode != 204 ||
			d.LatencyMs == nil || d.EventID != h.Get("webhook-id") || d.Event != "contact_info.updated" {
			t.Fatalf("delivery log %+v", d)
		}

		// A 500 is retried after the backoff, with the same event id.
		rc.set("500")
		admin.MustData(qSaveTNE, map[string]any{"a": a, "e": "retry@partner.example"}, nil)
		process(t, s)
		d := lastDelivery(t, admin, a)
		firstID, _ := rc.last()
		if d.Status != "PENDING" || d.Attempts != 1 || d.ResponseCode == nil || *d.ResponseCode != 500 || d.NextAttemptAt == nil ||
			!d.NextAttemptAt.After(s.Clock.Now()) {
			t.Fatalf("after a 500: %+v", d)
		}
		if process(t, s) != 0 {
			t.Fatal("retried before its backoff")
		}
		rc.set("ok")
		s.Clock.Set(*d.NextAttemptAt)
		process(t, s)
		retryH, retryBody := rc.last()
		if d := lastDelivery(t, admin, a); d.Status != "SUCCEEDED" || d.Attempts != 2 || retryH.Get("webhook-id") != firstID.Get("webhook-id") {
			t.Fatalf("after the retry: %+v, ids %q %q", d, retryH.Get("webhook-id"), firstID.Get("webhook-id"))
		}
		if err := wh.Verify(retryBody, retryH); err != nil {
			t.Fatalf("retry signature: %v", err)
		}

		// A receiver that does not answer in time fails the attempt; the
		// retry succeeds.
		rc.set("hang")
		admin.MustData(qSaveTNE, map[string]any{"a": a, "e": "slow@partner.example"}, nil)
		process(t, s)
		d = lastDelivery(t, admin, a)
		if d.Status != "PENDING" || d.ResponseCode != nil || d.LastError == nil || !strings.Contains(*d.LastError, "in time") ||
			d.LastErrorCode == nil || *d.LastErrorCode != "TIMEOUT" {
			t.Fatalf("after a timeout: %+v", d)
		}
		rc.set("ok")
		s.Clock.Set(*d.NextAttemptAt)
		process(t, s)
		if d := lastDelivery(t, admin, a); d.Status != "SUCCEEDED" || d.Attempts != 2 {
			t.Fatalf("after the retry of a timeout: %+v", d)
		}

		// A run of failures (a redirect, a huge answer, a 500) disables the
		// endpoint; its administrators are mailed.
		for _, mode := range []string{"redirect", "huge", "500"} {
			rc.set(mode)
			admin.MustData(qSaveTNE, map[string]any{"a": a, "e": mode + "@partner.example"}, nil)
			process(t, s)
			d := lastDelivery(t, admin, a)
			if d.Status != "PENDING" || d.LastError == nil {
				t.Fatalf("%s: %+v", mode, d)
			}
			want := map[string]string{"redirect": "REDIRECT", "huge": "BODY_TOO_LARGE", "500": "HTTP_STATUS"}[mode]
			if d.LastErrorCode == nil || *d.LastErrorCode != want ||
				mode == "redirect" && !strings.Contains(*d.LastError, "redirect") || mode == "huge" && !strings.Contains(*d.LastError, "larger") {
				t.Fatalf("%s: error %q", mode, *d.LastError)
			}
		}
		hs := hooksOf(t, admin, a)
		if hs[0].Enabled || hs[0].DisabledReason == nil || hs[0].ConsecutiveFailures != 3 {
			t.Fatalf("after the run of failures: %+v", hs[0])
		}
		if ms := mailsTo(t, s, f.Admin.Email); len(ms) != 1 || !strings.Contains(ms[0].Subject, "Webhook endpoint disabled") {
			t.Fatalf("mails to the administrator: %+v", ms)
		}
		// Disabled: no new deliveries, the pending ones wait.
		before := countRows(t, s, "webhook_deliveries", "1 = 1")
		rc.set("ok")
		admin.MustData(qSaveTNE, map[string]any{"a": a, "e": "quiet@partner.example"}, nil)
		s.Clock.Advance(2 * time.Hour)
		if n := countRows(t, s, "webhook_deliveries", "1 = 1"); n != before {
			t.Fatalf("a disabled endpoint got %d new deliveries", n-before)
		}
		if process(t, s) != 0 {
			t.Fatal("delivered to a disabled endpoint")
		}
		s.Clock.Set(time.Now().UTC().Truncate(time.Second))

		// A test event goes even to a disabled endpoint.
		var sent struct {
			SendTestWebhookEvent struct{ ID, Event, Status string }
		}
		admin.MustData(qTestHook, map[string]any{"id": ep.ID}, &sent)
		if sent.SendTestWebhookEvent.Event != "webhook.test" || sent.SendTestWebhookEvent.Status != "PENDING" {
			t.Fatalf("test event %+v", sent)
		}
		n := rc.count()
		process(t, s)
		if rc.count() != n+1 {
			t.Fatal("the test event was not delivered")
		}
		h, body = rc.last()
		if err := wh.Verify(body, h); err != nil || !strings.Contains(string(body), `"type":"webhook.test"`) {
			t.Fatalf("test event: %v %s", err, body)
		}
		var upd struct{ UpdateWebhookEndpoint struct{ Enabled bool } }
		admin.MustData(qUpdateHook, map[string]any{"id": ep.ID, "en": true}, &upd)
		if !upd.UpdateWebhookEndpoint.Enabled {
			t.Fatal("not enabled again")
		}

		// Rotation: during the overlap both secrets sign; after it, only
		// the new one.
		var rot struct {
			RotateWebhookSecret struct {
				Secret   string
				Endpoint struct{ PreviousSecretExpiresAt *time.Time }
			}
		}
		admin.MustData(qRotateHook, map[string]any{"id": ep.ID, "h": 1}, &rot)
		newSecret := rot.RotateWebhookSecret.Secret
		if newSecret == secret || !strings.HasPrefix(newSecret, "whsec_") || rot.RotateWebhookSecret.Endpoint.PreviousSecretExpiresAt == nil {
			t.Fatalf("rotated %+v", rot)
		}
		whNew, _ := standardwebhooks.NewWebhook(newSecret)
		admin.MustData(qTestHook, map[string]any{"id": ep.ID}, nil)
		process(t, s)
		h, body = rc.last()
		if sigs := strings.Fields(h.Get("webhook-signature")); len(sigs) != 2 {
			t.Fatalf("signatures during the overlap: %q", h.Get("webhook-signature"))
		}
		if err := wh.Verify(body, h); err != nil {
			t.Fatalf("old secret during the overlap: %v", err)
		}
		if err := whNew.Verify(body, h); err != nil {
			t.Fatalf("new secret during the overlap: %v", err)
		}
		s.Clock.Advance(time.Hour)
		admin.MustData(qTestHook, map[string]any{"id": ep.ID}, nil)
		process(t, s)
		h, body = rc.last()
		if sigs := strings.Fields(h.Get("webhook-signature")); len(sigs) != 1 {
			t.Fatalf("signatures after the overlap: %q", h.Get("webhook-signature"))
		}
		if err := whNew.VerifyIgnoringTimestamp(body, h); err != nil {
			t.Fatalf("new secret after the overlap: %v", err)
		}
		if err := wh.VerifyIgnoringTimestamp(body, h); err == nil {
			t.Fatal("the old secret still verifies after the overlap")
		}
		if hooksOf(t, admin, a)[0].PreviousSecretExpiresAt != nil {
			t.Fatal("previousSecretExpiresAt shown after the overlap")
		}

		// access_gate.changed: emptying a required field locks the sandbox.
		admin.MustData(`mutation($a:ID!){updateContactInfo(input:{accountId:$a,environment:SANDBOX,technicalNonEmergency:[]}){account{id}}}`,
			map[string]any{"a": a}, nil)
		process(t, s)
		var gateEvent struct {
			Type string
			Data struct {
				Gates []struct {
					Environment       string
					Locked, WasLocked bool
					Missing           []string
				}
			}
		}
		for _, b := range rc.body[len(rc.body)-2:] {
			_ = json.Unmarshal(b, &gateEvent)
			if gateEvent.Type == "access_gate.changed" {
				break
			}
		}
		if gateEvent.Type != "access_gate.changed" || len(gateEvent.Data.Gates) == 0 || gateEvent.Data.Gates[0].Environment != "SANDBOX" ||
			!gateEvent.Data.Gates[0].Locked || gateEvent.Data.Gates[0].WasLocked ||
			!strings.Contains(strings.Join(gateEvent.Data.Gates[0].Missing, ","), "TECHNICAL_NON_EMERGENCY") {
			t.Fatalf("access_gate.changed: %+v", gateEvent)
		}
		admin.MustData(qSaveTNE, map[string]any{"a": a, "e": "tech@partner.example"}, nil)

		// member.removed.
		admin.MustData(`mutation($a:ID!,$u:ID!){removeMember(accountId:$a,userId:$u)}`, map[string]any{"a": a, "u": f.Editor.ID}, nil)
		if d := lastDelivery(t, admin, a); d.Event != "member.removed" || !strings.Contains(d.Payload, f.Editor.ID) {
			t.Fatalf("member.removed: %+v", d)
		}

		// Deleting removes the endpoint and its log.
		admin.MustData(qDeleteHook, map[string]any{"id": ep.ID}, nil)
		if n := countRows(t, s, "webhook_deliveries", "1 = 1") + countRows(t, s, "webhook_endpoints", "1 = 1"); n != 0 {
			t.Fatalf("%d rows left after delete", n)
		}
	})
}

// TestWebhookRules: URL and event rules with their field codes (all at
// once, nothing stored), who may manage endpoints, and no delivery to a
// private address, also when a name is rebound after registration.
func TestWebhookRules(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		rc := newReceiver(t)
		var mu sync.Mutex
		dns := map[string][]net.IP{
			"hooks.partner.example":    {net.ParseIP("93.184.216.34")},
			"internal.partner.example": {net.ParseIP("93.184.216.34"), net.ParseIP("10.1.2.3")},
			"rebind.partner.example":   {net.ParseIP("93.184.216.34")},
		}
		lookup := func(_ context.Context, host string) ([]net.IP, error) {
			mu.Lock()
			defer mu.Unlock()
			if ips, ok := dns[host]; ok {
				return ips, nil
			}
			return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
		}
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn,
			Webhooks: service.WebhookSettings{LookupIP: lookup}, WebhookRootCAs: rc.pool()})
		f := s.Fixture()
		a := f.AccountA.ID
		s.CompleteContactInfo(a, f.Admin, "")
		admin := s.As(f.Admin)
		ev := []string{"contact_info.updated"}
		create := func(c *apitest.Client, url string, events []string) *apitest.Response {
			return c.Do(qCreateHook, map[string]any{"a": a, "u": url, "e": events})
		}
		wantFieldCode := func(what string, r *apitest.Response, field, code string) {
			t.Helper()
			wantFields(t, what, r, field)
			if got := r.Errors[0].Extensions.Fields[0].Code; got != code {
				t.Fatalf("%s: code %s, want %s: %s", what, got, code, r.Raw)
			}
		}
		_, port, _ := net.SplitHostPort(strings.TrimPrefix(rc.srv.URL, "https://"))
		for _, tc := range []struct{ what, url, code string }{
			{"http", "http://hooks.partner.example/x", "URL_NOT_HTTPS"},
			{"ftp", "ftp://hooks.partner.example/x", "URL_NOT_HTTPS"},
			{"credentials", "https://user:pw@hooks.partner.example/x", "URL_HAS_CREDENTIALS"},
			{"too long", "https://hooks.partner.example/" + strings.Repeat("a", 2049), "TOO_LONG"},
			{"relative", "/hooks", "URL_INVALID"},
			{"empty", " ", "REQUIRED"},
			{"loopback", "https://127.0.0.1:" + port + "/x", "URL_PRIVATE_ADDRESS"},
			{"loopback v6", "https://[::1]/x", "URL_PRIVATE_ADDRESS"},
			{"mapped", "https://[::ffff:10.0.0.1]/x", "URL_PRIVATE_ADDRESS"},
			{"metadata", "https://169.254.169.254/latest", "URL_PRIVATE_ADDRESS"},
			{"private", "https://192.168.1.10/x", "URL_PRIVATE_ADDRESS"},
			{"localhost", "https://localhost/x", "URL_PRIVATE_ADDRESS"},
			{"resolves to private", "https://internal.partner.example/x", "URL_PRIVATE_ADDRESS"},
			{"unresolvable", "https://nowhere.partner.example/x", "URL_UNRESOLVABLE"},
		} {
			wantFieldCode(tc.what, create(admin, tc.url, ev), "url", tc.code)
		}
		wantFieldCode("unknown event", create(admin, "https://hooks.partner.example/x", []string{"contact_info.updated", "contact.created"}),
			"events[1]", "EVENT_UNKNOWN")
		wantFieldCode("no events", create(admin, "https://hooks.partner.example/x", []string{}), "events", "REQUIRED")
		wantFields(t, "all at once", create(admin, "http://hooks.partner.example/x", []string{"Contact_Info.Updated"}), "url", "events[0]")
		if n := countRows(t, s, "webhook_endpoints", "1 = 1"); n != 0 {
			t.Fatalf("refused endpoints stored: %d", n)
		}

		// Who may: administrators; staff read; nobody else.
		wantCode(t, "editor", create(s.As(f.Editor), "https://hooks.partner.example/x", ev), "FORBIDDEN")
		wantCode(t, "staff", create(s.As(f.Staff), "https://hooks.partner.example/x", ev), "FORBIDDEN")
		wantCode(t, "other account's admin", create(s.As(f.AdminB), "https://hooks.partner.example/x", ev), "NOT_FOUND")
		_, rw, err := s.Services.Tokens.Create(context.Background(), &f.Admin.ID, a, "rw", false)
		if err != nil {
			t.Fatal(err)
		}
		wantCode(t, "token", create(s.WithToken(rw), "https://hooks.partner.example/x", ev), "FORBIDDEN")
		wantCode(t, "anonymous", create(s.Anonymous(), "https://hooks.partner.example/x", ev), "UNAUTHENTICATED")

		// Registered while the name pointed outside; then it is rebound to
		// the receiver on loopback. Nothing reaches it.
		var created struct {
			CreateWebhookEndpoint struct{ Endpoint struct{ ID string } } `json:"createWebhookEndpoint"`
		}
		admin.MustData(qCreateHook, map[string]any{"a": a, "u": "https://rebind.partner.example:" + port + "/x", "e": ev}, &created)
		id := created.CreateWebhookEndpoint.Endpoint.ID
		if hs := hooksOf(t, s.As(f.Staff), a); len(hs) != 1 {
			t.Fatalf("staff read %+v", hs)
		}
		for _, c := range []*apitest.Client{s.As(f.Editor), s.As(f.AdminB), s.As(f.Staff)} {
			if r := c.Do(qTestHook, map[string]any{"id": id}); r.Code() != "NOT_FOUND" && r.Code() != "FORBIDDEN" {
				t.Fatalf("a non-administrator sent a test event: %s", r.Raw)
			}
			if r := c.Do(qDeleteHook, map[string]any{"id": id}); r.Code() != "NOT_FOUND" && r.Code() != "FORBIDDEN" {
				t.Fatalf("a non-administrator deleted: %s", r.Raw)
			}
		}
		wantFieldCode("update to private", admin.Do(qUpdateHook, map[string]any{"id": id, "u": "https://10.0.0.8/x"}), "url", "URL_PRIVATE_ADDRESS")
		wantFieldCode("rotation overlap", admin.Do(qRotateHook, map[string]any{"id": id, "h": 169}), "overlapHours", "OVERLAP_INVALID")

		mu.Lock()
		dns["rebind.partner.example"] = []net.IP{net.ParseIP("127.0.0.1")}
		mu.Unlock()
		admin.MustData(qSaveTNE, map[string]any{"a": a, "e": "rebound@partner.example"}, nil)
		process(t, s)
		if rc.count() != 0 {
			t.Fatalf("the receiver on loopback got %d requests", rc.count())
		}
		d := lastDelivery(t, admin, a)
		if d.Status != "PENDING" || d.LastError == nil || !strings.Contains(*d.LastError, "private") || *d.LastErrorCode != "PRIVATE_ADDRESS" {
			t.Fatalf("delivery to a rebound name: %+v", d)
		}
		// An IP literal stored before the rule (or by hand) is refused at
		// delivery too.
		if err := s.DB.Gorm().Exec(`UPDATE webhook_endpoints SET url = ? WHERE id = ?`, rc.srv.URL+"/x", id).Error; err != nil {
			t.Fatal(err)
		}
		admin.MustData(qTestHook, map[string]any{"id": id}, nil)
		process(t, s)
		if rc.count() != 0 {
			t.Fatalf("the receiver on loopback got %d requests", rc.count())
		}
	})
}

// TestWebhookReachabilityAndReviewEvents: the two events other features
// raise are queued in the transaction of their change —
// contact.reachability_changed when an address bounces,
// contact_info.review_due when the scheduler claims a reminder — and only
// for endpoints subscribed to them.
func TestWebhookReachabilityAndReviewEvents(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		rc := newReceiver(t)
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn,
			Review:   models.ReviewPolicy{Interval: 365 * day, Grace: 30 * day},
			Webhooks: service.WebhookSettings{AllowPrivate: true}, WebhookRootCAs: rc.pool()})
		f := s.Fixture()
		a := f.AccountA.ID
		s.CompleteContactInfo(a, f.Admin, "")
		admin := s.As(f.Admin)
		admin.MustData(qCreateHook, map[string]any{"a": a, "u": rc.srv.URL + "/hooks",
			"e": []string{"contact.reachability_changed", "contact_info.review_due"}}, nil)
		ctx := context.Background()
		queued := func(event string) []hookDelivery {
			t.Helper()
			var out []hookDelivery
			for _, e := range hooksOf(t, admin, a)[0].Deliveries.Edges {
				if e.Node.Event == event {
					out = append(out, e.Node)
				}
			}
			return out
		}

		if err := s.Services.Reachability.Bounced(ctx, "pager@partner.example", "550 5.1.1 no such user"); err != nil {
			t.Fatal(err)
		}
		got := queued("contact.reachability_changed")
		if len(got) != 1 {
			t.Fatalf("reachability events %+v", got)
		}
		var change struct {
			Data struct {
				AccountID, Email, Before, After string
				Fields                          []string
			}
		}
		if err := json.Unmarshal([]byte(got[0].Payload), &change); err != nil {
			t.Fatal(err)
		}
		if d := change.Data; d.AccountID != a || d.Email != "pager@partner.example" || d.After != "BOUNCED" ||
			d.Before != "UNVERIFIED" || strings.Join(d.Fields, ",") != "TECHNICAL_EMERGENCY" {
			t.Fatalf("reachability payload %s", got[0].Payload)
		}
		// Saves are not subscribed: no contact_info.updated.
		if n := countRows(t, s, "webhook_deliveries", "event = 'contact_info.updated'"); n != 0 {
			t.Fatalf("%d unsubscribed events queued", n)
		}

		s.Clock.Advance(335*day + time.Minute)
		admin = s.As(f.Admin) // the session ended meanwhile
		if _, err := s.Services.Review.RunPass(ctx); err != nil {
			t.Fatal(err)
		}
		due := queued("contact_info.review_due")
		if len(due) != 1 || !strings.Contains(due[0].Payload, `"reminder":"DUE_IN_30_DAYS"`) {
			t.Fatalf("review events %+v", due)
		}
		if _, err := s.Services.Review.RunPass(ctx); err != nil {
			t.Fatal(err)
		}
		if n := len(queued("contact_info.review_due")); n != 1 {
			t.Fatalf("a second pass queued %d review events", n)
		}
	})
}

// TestWebhookChangesAudited: registering, re-pointing, switching off,
// rotating and deleting a webhook endpoint are security events of the
// account (an endpoint receives its contact data), each in the audit log
// with the administrator who did it; a new description alone is not.
func TestWebhookChangesAudited(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		lookup := func(context.Context, string) ([]net.IP, error) { return []net.IP{net.ParseIP("93.184.216.34")}, nil }
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn, Webhooks: service.WebhookSettings{LookupIP: lookup}})
		f := s.Fixture()
		a := f.AccountA.ID
		s.CompleteContactInfo(a, f.Admin, "")
		admin := s.As(f.Admin)
		var created struct {
			CreateWebhookEndpoint struct{ Endpoint struct{ ID string } }
		}
		admin.MustData(qCreateHook, map[string]any{"a": a, "u": "https://hooks.partner.example/a", "e": []string{"contact_info.updated"}}, &created)
		id := created.CreateWebhookEndpoint.Endpoint.ID
		admin.MustData(qUpdateHook, map[string]any{"id": id, "u": "https://hooks.partner.example/b"}, nil)
		admin.MustData(qUpdateHook, map[string]any{"id": id, "en": false}, nil)
		admin.MustData(`mutation($id:ID!){updateWebhookEndpoint(input:{id:$id,description:"renamed"}){id}}`, map[string]any{"id": id}, nil)
		admin.MustData(qRotateHook, map[string]any{"id": id, "h": 24}, nil)
		admin.MustData(qDeleteHook, map[string]any{"id": id}, nil)

		var got []string
		for _, e := range auditLogOf(t, admin, a, 20, "").Edges {
			n := e.Node
			if !strings.HasPrefix(n.Action, "WEBHOOK_") {
				continue
			}
			if n.Actor == nil || n.Actor.ID != f.Admin.ID || n.Target == nil || n.Target.Kind != "WEBHOOK_ENDPOINT" || n.Target.ID != id {
				t.Errorf("%s: actor %+v target %+v", n.Action, n.Actor, n.Target)
			}
			got = append(got, fmt.Sprintf("%s %s→%s", n.Action, derefOr(n.Before), derefOr(n.After)))
		}
		want := []string{ // newest first
			"WEBHOOK_ENDPOINT_DELETED https://hooks.partner.example/b→<nil>",
			"WEBHOOK_SECRET_ROTATED <nil>→24",
			"WEBHOOK_ENDPOINT_CHANGED <nil>→DISABLED",
			"WEBHOOK_ENDPOINT_CHANGED https://hooks.partner.example/a→https://hooks.partner.example/b",
			"WEBHOOK_ENDPOINT_CREATED <nil>→https://hooks.partner.example/a",
		}
		if !slices.Equal(got, want) {
			t.Errorf("audit log:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}
