package service

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/mail"
	"github.com/contactgate/contactgate/models"
	"github.com/google/uuid"
)

// WebhookSettings are the deployment's webhook rules.
type WebhookSettings struct {
	// AllowPrivate accepts http:// and private, loopback and link-local
	// receivers (WEBHOOK_ALLOW_PRIVATE, development and tests only).
	AllowPrivate bool
	// MaxFailures is the run of failed attempts after which an endpoint
	// is disabled (WEBHOOK_MAX_FAILURES); 0 means DefaultWebhookMaxFailures.
	MaxFailures int
	// MaxAttempts bounds the attempts of one delivery; 0 means 8.
	MaxAttempts int
	// BaseBackoff is the wait after a delivery's first failed attempt,
	// doubled after each further one up to an hour; 0 means 30 s.
	BaseBackoff time.Duration
	// LookupIP resolves receiver host names (net.DefaultResolver in
	// production; tests stand in a fixed table).
	LookupIP func(ctx context.Context, host string) ([]net.IP, error)
	// Kick wakes the delivery worker after a commit that queued deliveries.
	Kick func()
}

// DefaultWebhookMaxFailures disables an endpoint after this many failed
// attempts in a row (with retries and backoff, more than a day of failure).
const DefaultWebhookMaxFailures = 20

// WebhookService owns webhook endpoints and their deliveries: the URL and
// event rules, signing secrets and their rotation, queueing events in the
// transaction of the change that causes them, and the outcome of each
// attempt (retries, backoff, disabling after a run of failures).
type WebhookService struct {
	deps Deps
	set  WebhookSettings
}

func newWebhookService(d Deps) *WebhookService {
	set := d.Webhooks
	if set.MaxFailures <= 0 {
		set.MaxFailures = DefaultWebhookMaxFailures
	}
	if set.MaxAttempts <= 0 {
		set.MaxAttempts = 8
	}
	if set.BaseBackoff <= 0 {
		set.BaseBackoff = 30 * time.Second
	}
	if set.LookupIP == nil {
		set.LookupIP = func(ctx context.Context, host string) ([]net.IP, error) {
			return net.DefaultResolver.LookupIP(ctx, "ip", host)
		}
	}
	return &WebhookService{deps: d, set: set}
}

// Settings are the rules in force (for the delivery worker).
func (s *WebhookService) Settings() WebhookSettings { return s.set }

// newWebhookSecret is a Standard Webhooks secret: "whsec_" and 32 random
// bytes in base64.
func newWebhookSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return "whsec_" + base64.StdEncoding.EncodeToString(b)
}

// checkEndpoint validates an endpoint's fields and, for a new URL, that
// its host resolves to addresses deliveries may reach. The delivery worker
// checks the address it connects to again, so that a name rebound later
// still cannot reach an internal service.
func (s *WebhookService) checkEndpoint(ctx context.Context, in models.WebhookEndpointInput) (models.WebhookEndpointInput, error) {
	out, err := models.ValidWebhookEndpoint(in, s.set.AllowPrivate)
	if err != nil || out.URL == nil || s.set.AllowPrivate {
		return out, err
	}
	u, _ := url.Parse(*out.URL)
	host := u.Hostname()
	if _, perr := netip.ParseAddr(host); perr == nil {
		return out, nil // an IP literal was checked by the models rule
	}
	lctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	ips, lerr := s.set.LookupIP(lctx, host)
	switch {
	case lerr != nil || len(ips) == 0:
		return out, models.FieldErr("some fields are not valid", "url", models.FieldURLUnresolvable,
			"the host name of the URL does not resolve")
	case !models.WebhookIPsAllowed(ips, false):
		return out, models.FieldErr("some fields are not valid", "url", models.FieldURLPrivateAddress,
			"the URL points to a private, loopback or link-local address")
	}
	return out, nil
}

// Create registers an endpoint and returns it with its signing secret,
// shown this once. The secret is stored as is: signing needs it, so it
// cannot be hashed (see README, Webhooks).
func (s *WebhookService) Create(ctx context.Context, accountID, rawURL string, events []string, description string) (*models.WebhookEndpoint, string, error) {
	in, err := s.checkEndpoint(ctx, models.WebhookEndpointInput{URL: &rawURL, Events: &events, Description: &description})
	if err != nil {
		return nil, "", err
	}
	secret := newWebhookSecret()
	var ep *models.WebhookEndpoint
	err = s.deps.Store.InTx(ctx, func(tx *gormstore.DB) error {
		n, err := tx.CountWebhookEndpoints(ctx, accountID)
		if err != nil {
			return err
		}
		if n >= models.MaxWebhookEndpoints {
			return models.FieldErr("some fields are not valid", "accountId", models.FieldTooMany,
				fmt.Sprintf("an account has at most %d webhook endpoints", models.MaxWebhookEndpoints))
		}
		ep, err = tx.InsertWebhookEndpoint(ctx, gormstore.NewWebhookEndpoint{AccountID: accountID, URL: *in.URL,
			Description: *in.Description, Events: *in.Events, Secret: secret, At: s.deps.now()})
		if err != nil {
			return err
		}
		return audit(ctx, tx, []string{accountID}, gormstore.AuditEvent{Action: models.AuditWebhookCreated,
			Target: webhookTarget(ep), After: ep.URL})
	})
	if err != nil {
		return nil, "", err
	}
	return ep, secret, nil
}

// Endpoint loads one endpoint (for authorization: its account).
func (s *WebhookService) Endpoint(ctx context.Context, id string) (*models.WebhookEndpoint, error) {
	return s.deps.Store.WebhookEndpoint(ctx, id)
}

// List lists an account's endpoints, oldest first.
func (s *WebhookService) List(ctx context.Context, accountID string) ([]*models.WebhookEndpoint, error) {
	return s.deps.Store.WebhookEndpoints(ctx, accountID)
}

// Update changes the given fields of an endpoint; enabling it again
// clears its run of failures.
func (s *WebhookService) Update(ctx context.Context, id string, in models.WebhookEndpointInput) (*models.WebhookEndpoint, error) {
	in, err := s.checkEndpoint(ctx, in)
	if err != nil {
		return nil, err
	}
	err = s.deps.Store.InTx(ctx, func(tx *gormstore.DB) error {
		ep, err := tx.WebhookEndpointForUpdate(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.UpdateWebhookEndpoint(ctx, id, gormstore.WebhookEndpointChange{URL: in.URL, Description: in.Description,
			Events: in.Events, Enabled: in.Enabled, At: s.deps.now()}); err != nil {
			return err
		}
		e := gormstore.AuditEvent{Action: models.AuditWebhookChanged, Target: webhookTarget(ep)}
		switch {
		case in.URL != nil && *in.URL != ep.URL:
			e.Before, e.After = ep.URL, *in.URL
		case in.Enabled != nil && *in.Enabled != ep.Enabled:
			e.After = map[bool]string{true: "ENABLED", false: "DISABLED"}[*in.Enabled]
		case in.Events == nil || sameEvents(*in.Events, ep.Events):
			return nil // the description alone: not a security event
		}
		return audit(ctx, tx, []string{ep.AccountID}, e)
	})
	if err != nil {
		return nil, err
	}
	if in.Enabled != nil && *in.Enabled {
		s.kick() // deliveries held while it was disabled may go now
	}
	return s.deps.Store.WebhookEndpoint(ctx, id)
}

// Delete deletes an endpoint and its delivery log.
func (s *WebhookService) Delete(ctx context.Context, id string) error {
	return s.deps.Store.InTx(ctx, func(tx *gormstore.DB) error {
		ep, err := tx.WebhookEndpointForUpdate(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteWebhookEndpoint(ctx, id); err != nil {
			return err
		}
		return audit(ctx, tx, []string{ep.AccountID}, gormstore.AuditEvent{Action: models.AuditWebhookDeleted,
			Target: webhookTarget(ep), Before: ep.URL})
	})
}

// Rotate gives an endpoint a new secret, returned this once. For overlap
// the old secret signs deliveries too (a second signature in the
// webhook-signature header), so that receivers can switch without losing
// events; 0 ends the old secret at once.
func (s *WebhookService) Rotate(ctx context.Context, id string, overlap time.Duration) (string, error) {
	if overlap < 0 || overlap > models.MaxWebhookOverlap {
		return "", models.FieldErr("some fields are not valid", "overlapHours", models.FieldOverlapInvalid,
			"choose an overlap between 0 and 168 hours")
	}
	secret := newWebhookSecret()
	err := s.deps.Store.InTx(ctx, func(tx *gormstore.DB) error {
		ep, err := tx.WebhookEndpointForUpdate(ctx, id)
		if err != nil {
			return err
		}
		now := s.deps.now()
		if err := tx.RotateWebhookSecret(ctx, id, secret, ep.Secret, now.Add(overlap), now); err != nil {
			return err
		}
		return audit(ctx, tx, []string{ep.AccountID}, gormstore.AuditEvent{Action: models.AuditWebhookSecretRotated,
			Target: webhookTarget(ep), After: strconv.Itoa(int(overlap.Hours()))})
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}

// SendTest queues a "webhook.test" event to one endpoint, whatever it
// subscribes to and even while it is disabled, so that a receiver can be
// checked before it is enabled again.
func (s *WebhookService) SendTest(ctx context.Context, id string) (*models.WebhookDelivery, error) {
	var d *models.WebhookDelivery
	err := s.deps.Store.InTx(ctx, func(tx *gormstore.DB) error {
		ep, err := tx.WebhookEndpoint(ctx, id)
		if err != nil {
			return err
		}
		eventID, payload, err := s.payload(models.EventWebhookTest, map[string]any{"accountId": ep.AccountID, "endpointId": ep.ID})
		if err != nil {
			return err
		}
		d, err = tx.InsertWebhookDelivery(ctx, gormstore.NewWebhookDelivery{EndpointID: id, EventID: eventID,
			Event: models.EventWebhookTest, Payload: payload, At: s.deps.now()})
		if err == nil {
			tx.AfterCommit(s.kick)
		}
		return err
	})
	return d, err
}

// Deliveries returns a page of an endpoint's delivery log, newest first.
func (s *WebhookService) Deliveries(ctx context.Context, endpointID string, first int, after string) ([]*models.WebhookDelivery, bool, int64, error) {
	return s.deps.Store.WebhookDeliveries(ctx, endpointID, first, after)
}

// payload is a Standard Webhooks payload: type, timestamp and data, with
// a new event id (the webhook-id header, the same on every retry and for
// every endpoint, for deduplication).
func (s *WebhookService) payload(event models.WebhookEvent, data any) (string, string, error) {
	b, err := json.Marshal(struct {
		Type      models.WebhookEvent `json:"type"`
		Timestamp string              `json:"timestamp"`
		Data      any                 `json:"data"`
	}{event, s.deps.now().Format(time.RFC3339Nano), data})
	if err != nil {
		return "", "", fmt.Errorf("encode webhook payload: %w", err)
	}
	return "evt_" + strings.ReplaceAll(uuid.Must(uuid.NewV7()).String(), "-", ""), string(b), nil
}

// Enqueue queues event, with data as its payload's "data", for every
// enabled endpoint of the account that subscribes to it, inside the
// caller's transaction: the deliveries exist exactly when the change
// commits. Any service calls it from its transaction in one line:
//
//	s.deps.webhooks.Enqueue(ctx, tx, accountID, models.EventMemberRemoved, data)
func (s *WebhookService) Enqueue(ctx context.Context, tx *gormstore.DB, accountID string, event models.WebhookEvent, data any) error {
	ids, err := tx.SubscribedWebhookEndpoints(ctx, accountID, event)
	if err != nil || len(ids) == 0 {
		return err
	}
	eventID, payload, err := s.payload(event, data)
	if err != nil {
		return err
	}
	now := s.deps.now()
	for _, id := range ids {
		if _, err := tx.InsertWebhookDelivery(ctx, gormstore.NewWebhookDelivery{EndpointID: id, EventID: eventID, Event: event,
			Payload: payload, At: now}); err != nil {
			return err
		}
	}
	tx.AfterCommit(s.kick)
	return nil
}

func (s *WebhookService) kick() {
	if s.set.Kick != nil {
		s.set.Kick()
	}
}

// FieldChange is one changed field of a contact_info.updated event.
type FieldChange struct {
	Field  string          `json:"field"`
	Before json.RawMessage `json:"before"`
	After  json.RawMessage `json:"after"`
}

// contactInfoChanged queues contact_info.updated (the changed fields,
// before and after) and, when the missing-field set moved,
// access_gate.changed (each environment's gate after the change).
func (s *WebhookService) contactInfoChanged(ctx context.Context, tx *gormstore.DB, before, after models.ContactInfo, version int, changed []models.ContactField) error {
	if len(changed) > 0 {
		changes := make([]FieldChange, len(changed))
		for i, f := range changed {
			changes[i] = FieldChange{Field: f.APIName(), Before: json.RawMessage(models.FieldValueJSON(before, f)),
				After: json.RawMessage(models.FieldValueJSON(after, f))}
		}
		if err := s.Enqueue(ctx, tx, before.AccountID, models.EventContactInfoUpdated, map[string]any{
			"accountId": before.AccountID, "version": version, "changes": changes}); err != nil {
			return err
		}
	}
	mb, ma := models.MissingSet(before), models.MissingSet(after)
	if mb == ma {
		return nil
	}
	var gates []map[string]any
	for _, env := range []models.Environment{models.EnvironmentSandbox, models.EnvironmentProduction} {
		gb, ga := mb.Gate(env), ma.Gate(env)
		if fmt.Sprint(gb.Missing) == fmt.Sprint(ga.Missing) {
			continue
		}
		missing := make([]string, len(ga.Missing))
		for i, f := range ga.Missing {
			missing[i] = string(f)
		}
		gates = append(gates, map[string]any{"environment": env, "locked": ga.Locked, "wasLocked": gb.Locked, "missing": missing})
	}
	if len(gates) == 0 {
		return nil
	}
	return s.Enqueue(ctx, tx, before.AccountID, models.EventAccessGateChanged, map[string]any{
		"accountId": before.AccountID, "gates": gates})
}

// Claim claims due deliveries for the worker until the claim expires.
func (s *WebhookService) Claim(ctx context.Context, limit int, hold time.Duration) ([]gormstore.ClaimedWebhookDelivery, error) {
	now := s.deps.now()
	return s.deps.Store.ClaimWebhookDeliveries(ctx, now, now.Add(hold), limit)
}

// Now is the service clock (the worker signs with it).
func (s *WebhookService) Now() time.Time { return s.deps.now() }

// Release gives a claimed delivery back untried (shutdown).
func (s *WebhookService) Release(ctx context.Context, d gormstore.ClaimedWebhookDelivery) error {
	return s.deps.Store.ReleaseWebhookDelivery(ctx, d.ID, d.ClaimedUntil)
}

// WebhookOutcome is what one attempt came to.
type WebhookOutcome struct {
	// OK: the receiver answered 2xx with a small enough body.
	OK bool
	// ResponseCode is the receiver's HTTP status, when it answered.
	ResponseCode *int
	Latency      time.Duration
	// Error says why it failed (no secrets, no body); Code is its stable
	// code (models.WebhookError*).
	Error string
	Code  string
}

// Record writes an attempt's outcome: SUCCEEDED, or PENDING again after a
// backoff that doubles with each attempt, or FAILED after MaxAttempts. A
// success resets the endpoint's run of failures; MaxFailures failures in
// a row disable it and mail its administrators, in the same transaction.
func (s *WebhookService) Record(ctx context.Context, d gormstore.ClaimedWebhookDelivery, o WebhookOutcome) error {
	now := s.deps.now()
	attempts := d.Attempts + 1
	a := gormstore.WebhookAttempt{DeliveryID: d.ID, ClaimedUntil: d.ClaimedUntil, ResponseCode: o.ResponseCode,
		LatencyMs: int(o.Latency / time.Millisecond), At: now, NextAttemptAt: now}
	switch {
	case o.OK:
		a.Status = models.WebhookSucceeded
	case attempts >= s.set.MaxAttempts:
		a.Status = models.WebhookFailed
	default:
		a.Status = models.WebhookPending
		a.NextAttemptAt = now.Add(models.WebhookBackoff(attempts, s.set.BaseBackoff))
	}
	if !o.OK {
		msg, code := o.Error, o.Code
		if code == "" {
			code = models.WebhookErrorOther
		}
		a.Error, a.ErrorCode = &msg, &code
	}
	return s.deps.Store.InTx(ctx, func(tx *gormstore.DB) error {
		ep, err := tx.WebhookEndpointForUpdate(ctx, d.EndpointID)
		if models.ErrorCodeOf(err) == models.ENotFound {
			return nil // deleted while delivering
		}
		if err != nil {
			return err
		}
		if held, err := tx.RecordWebhookAttempt(ctx, a); err != nil || !held {
			return err
		}
		if o.OK {
			if ep.ConsecutiveFailures == 0 {
				return nil
			}
			return tx.SetWebhookFailures(ctx, ep.ID, 0, false, "", now)
		}
		failures := ep.ConsecutiveFailures + 1
		disable := ep.Enabled && failures >= s.set.MaxFailures
		reason := fmt.Sprintf("disabled after %d failed deliveries in a row; last: %s", failures, o.Error)
		if err := tx.SetWebhookFailures(ctx, ep.ID, failures, disable, reason, now); err != nil || !disable {
			return err
		}
		s.deps.Log.WarnContext(ctx, "webhook endpoint disabled after failures", "endpoint", ep.ID, "failures", failures)
		return s.mailDisabled(ctx, tx, ep, failures, o.Error)
	})
}

func (s *WebhookService) mailDisabled(ctx context.Context, tx *gormstore.DB, ep *models.WebhookEndpoint, failures int, lastErr string) error {
	acc, err := tx.Account(ctx, ep.AccountID)
	if err != nil {
		return err
	}
	admins, err := tx.AccountAdministrators(ctx, ep.AccountID)
	if err != nil {
		return err
	}
	for _, a := range admins {
		msg := mail.WebhookDisabledMail(a.Locale, mail.WebhookDisabledData{To: a.Email, AccountName: acc.Name, URL: ep.URL,
			Failures: failures, LastError: lastErr, Link: s.deps.link("/accounts/" + acc.ID + "/api-access")})
		if err := mail.Enqueue(tx.Gorm(), s.deps.MailFrom, msg); err != nil {
			return fmt.Errorf("queue webhook notice: %w", err)
		}
	}
	tx.AfterCommit(s.deps.Events.MailQueued)
	return nil
}

// sameEvents tells whether an endpoint's new event list is its old one.
func sameEvents(in []string, had []models.WebhookEvent) bool {
	return slices.EqualFunc(in, had, func(a string, b models.WebhookEvent) bool { return a == string(b) })
}
