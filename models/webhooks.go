package models

import (
	"io"
	"net"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// WebhookEvent is the name of a webhook event: lower-case, dotted.
type WebhookEvent string

// The events an endpoint may subscribe to. The list is part of the API
// contract (the WebhookEvent enum): add names, never rename one.
const (
	EventContactInfoUpdated   WebhookEvent = "contact_info.updated"
	EventAccessGateChanged    WebhookEvent = "access_gate.changed"
	EventReachabilityChanged  WebhookEvent = "contact.reachability_changed"
	EventContactInfoReviewDue WebhookEvent = "contact_info.review_due"
	EventMemberRemoved        WebhookEvent = "member.removed"
	// EventWebhookTest is sent by sendTestWebhookEvent only; endpoints do
	// not subscribe to it.
	EventWebhookTest WebhookEvent = "webhook.test"
)

// WebhookEvents are the events an endpoint may subscribe to, in the order
// the portal lists them.
var WebhookEvents = []WebhookEvent{EventContactInfoUpdated, EventAccessGateChanged, EventReachabilityChanged,
	EventContactInfoReviewDue, EventMemberRemoved}

// Valid tells whether an endpoint may subscribe to e.
func (e WebhookEvent) Valid() bool { return slices.Contains(WebhookEvents, e) }

// Field codes of webhook endpoints and API tokens.
const (
	FieldURLInvalid        = "URL_INVALID"
	FieldURLNotHTTPS       = "URL_NOT_HTTPS"
	FieldURLCredentials    = "URL_HAS_CREDENTIALS"
	FieldURLPrivateAddress = "URL_PRIVATE_ADDRESS"
	FieldURLUnresolvable   = "URL_UNRESOLVABLE"
	FieldEventUnknown      = "EVENT_UNKNOWN"
	FieldExpiryInPast      = "EXPIRY_IN_PAST"
	FieldExpiryTooFar      = "EXPIRY_TOO_FAR"
	FieldOverlapInvalid    = "OVERLAP_INVALID"
)

// Limits of webhook endpoints.
const (
	MaxWebhookURLLength        = 2048
	MaxWebhookEndpoints        = 10
	MaxWebhookOverlap          = 7 * 24 * time.Hour
	DefaultWebhookRotationHold = 24 * time.Hour
	// MaxAPITokenLifetime bounds a token's expiry date.
	MaxAPITokenLifetime = 2 * 366 * 24 * time.Hour
)

var webhookDescriptionRule = TextRule{MaxRunes: 200}

// WebhookEndpoint is a partner's receiver of webhook events.
type WebhookEndpoint struct {
	ID          string
	AccountID   string
	URL         string
	Description string
	Events      []WebhookEvent
	Enabled     bool
	// DisabledReason says why the server disabled it (failures), if it did.
	DisabledReason      *string
	ConsecutiveFailures int
	// Secret signs deliveries; PreviousSecret, until PreviousSecretUntil,
	// signs them too (rotation overlap).
	Secret              string  `json:"-"`
	PreviousSecret      *string `json:"-"`
	PreviousSecretUntil *time.Time
	CreatedAt           time.Time
}

// SigningSecrets are the secrets deliveries are signed with at now: the
// current one, and the previous one during its overlap.
func (e *WebhookEndpoint) SigningSecrets(now time.Time) []string {
	out := []string{e.Secret}
	if e.PreviousSecret != nil && e.PreviousSecretUntil != nil && now.Before(*e.PreviousSecretUntil) {
		out = append(out, *e.PreviousSecret)
	}
	return out
}

// Codes of failed delivery attempts (WebhookDelivery.lastErrorCode), for
// clients that translate.
const (
	WebhookErrorTimeout        = "TIMEOUT"
	WebhookErrorRedirect       = "REDIRECT"
	WebhookErrorHTTPStatus     = "HTTP_STATUS"
	WebhookErrorBodyTooLarge   = "BODY_TOO_LARGE"
	WebhookErrorPrivateAddress = "PRIVATE_ADDRESS"
	WebhookErrorTLS            = "TLS"
	WebhookErrorDNS            = "DNS"
	WebhookErrorConnect        = "CONNECT"
	WebhookErrorOther          = "OTHER"
)

// WebhookDeliveryStatus is where a delivery stands.
type WebhookDeliveryStatus string

// Delivery states: PENDING (not yet delivered, retries included),
// SUCCEEDED (the receiver answered 2xx), FAILED (given up).
const (
	WebhookPending   WebhookDeliveryStatus = "PENDING"
	WebhookSucceeded WebhookDeliveryStatus = "SUCCEEDED"
	WebhookFailed    WebhookDeliveryStatus = "FAILED"
)

// WebhookDelivery is one event for one endpoint, with its attempts.
type WebhookDelivery struct {
	ID           string
	EndpointID   string
	EventID      string
	Event        WebhookEvent
	Payload      string
	Status       WebhookDeliveryStatus
	Attempts     int
	ResponseCode *int
	LatencyMs    *int
	LastError    *string
	// LastErrorCode is LastError's stable code (WebhookError*).
	LastErrorCode *string
	CreatedAt     time.Time
	LastAttemptAt *time.Time
	NextAttemptAt *time.Time
}

// WebhookEndpointInput is a new endpoint or a change (nil: unchanged).
type WebhookEndpointInput struct {
	URL         *string
	Events      *[]string
	Description *string
	Enabled     *bool
}

// ValidWebhookEndpoint checks an endpoint's fields (every problem at once)
// and returns them normalised. The URL's address is checked by the caller
// once resolved (see WebhookIPAllowed). Fields left nil are not checked.
func ValidWebhookEndpoint(in WebhookEndpointInput, allowPrivate bool) (WebhookEndpointInput, error) {
	var v Validation
	out := in
	if in.URL != nil {
		u := CheckWebhookURL(&v, "url", *in.URL, allowPrivate)
		out.URL = &u
	}
	if in.Events != nil {
		var evs []string
		if len(*in.Events) == 0 {
			v.AddCode("events", FieldRequired, "choose at least one event")
		}
		for i, e := range *in.Events {
			ev := WebhookEvent(strings.TrimSpace(e))
			if !ev.Valid() {
				v.AddCode(pathIndex("events", i), FieldEventUnknown, "unknown event %q", e)
				continue
			}
			if !slices.Contains(evs, string(ev)) {
				evs = append(evs, string(ev))
			}
		}
		out.Events = &evs
	}
	if in.Description != nil {
		d, _ := webhookDescriptionRule.Check(&v, "description", *in.Description)
		out.Description = &d
	}
	return out, v.Err()
}

func pathIndex(p string, i int) string { return p + "[" + strconv.Itoa(i) + "]" }

// CheckWebhookURL checks a receiver URL: absolute https (http only when
// private addresses are allowed, for development), no user or password,
// at most MaxWebhookURLLength bytes, no fragment, and, when the host is an
// IP literal, a public address unless allowPrivate. It returns the URL
// trimmed.
func CheckWebhookURL(v *Validation, path, raw string, allowPrivate bool) string {
	s := strings.TrimSpace(raw)
	if s == "" {
		v.AddCode(path, FieldRequired, "give the URL that receives the events")
		return s
	}
	if len(s) > MaxWebhookURLLength {
		v.AddCode(path, FieldTooLong, "the URL is longer than %d characters", MaxWebhookURLLength)
		return s
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Hostname() == "" || u.Opaque != "" || u.Fragment != "" ||
		strings.ContainsAny(s, " \t\r\n\\") {
		v.AddCode(path, FieldURLInvalid, "enter an absolute URL such as https://hooks.example.com/contactgate")
		return s
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && allowPrivate:
	default:
		v.AddCode(path, FieldURLNotHTTPS, "the URL must start with https://")
		return s
	}
	if u.User != nil {
		v.AddCode(path, FieldURLCredentials, "remove the user name and password from the URL; verify our signature instead")
		return s
	}
	if ip, err := netip.ParseAddr(strings.Trim(u.Hostname(), "[]")); err == nil && !WebhookIPAllowed(ip, allowPrivate) {
		v.AddCode(path, FieldURLPrivateAddress, "the URL points to a private, loopback or link-local address")
		return s
	}
	if !allowPrivate && isLocalName(u.Hostname()) {
		v.AddCode(path, FieldURLPrivateAddress, "the URL points to a private, loopback or link-local address")
	}
	return s
}

// isLocalName: names that always mean this machine or the local network.
func isLocalName(host string) bool {
	h := strings.TrimSuffix(strings.ToLower(host), ".")
	return h == "localhost" || strings.HasSuffix(h, ".localhost") || strings.HasSuffix(h, ".local") ||
		strings.HasSuffix(h, ".internal") || !strings.Contains(h, ".")
}

// WebhookIPAllowed tells whether deliveries may go to ip: a public unicast
// address, or anything when private addresses are allowed (development).
// Refused: loopback, private (RFC 1918, fc00::/7), link-local (cloud
// metadata at 169.254.169.254), unspecified, multicast, CGNAT
// (100.64.0.0/10) and the IPv4-mapped forms of all of these.
func WebhookIPAllowed(ip netip.Addr, allowPrivate bool) bool {
	if allowPrivate {
		return true
	}
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() {
		return false
	}
	for _, p := range refusedPrefixes {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

var refusedPrefixes = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("64:ff9b::/96"),
	netip.MustParsePrefix("2001:db8::/32"),
}

// WebhookIPsAllowed: every address a name resolves to must be allowed, so
// that a name cannot smuggle an internal address in among public ones.
func WebhookIPsAllowed(ips []net.IP, allowPrivate bool) bool {
	if len(ips) == 0 {
		return false
	}
	for _, ip := range ips {
		a, ok := netip.AddrFromSlice(ip)
		if !ok || !WebhookIPAllowed(a, allowPrivate) {
			return false
		}
	}
	return true
}

// CheckTokenExpiry checks an API token's expiry date: in the future and at
// most MaxAPITokenLifetime away.
func CheckTokenExpiry(v *Validation, path string, at *time.Time, now time.Time) {
	switch {
	case at == nil:
	case !at.After(now):
		v.AddCode(path, FieldExpiryInPast, "choose an expiry date in the future")
	case at.Sub(now) > MaxAPITokenLifetime:
		v.AddCode(path, FieldExpiryTooFar, "choose an expiry date within two years")
	}
}

// WebhookBackoff is the wait before a delivery's next attempt after
// `attempts` failed ones: base, doubled each time, at most an hour.
func WebhookBackoff(attempts int, base time.Duration) time.Duration {
	d := base
	for i := 1; i < attempts && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

func (s WebhookDeliveryStatus) MarshalGQL(w io.Writer) { marshalEnum(w, string(s)) }
func (s *WebhookDeliveryStatus) UnmarshalGQL(v any) error {
	str, err := unmarshalEnum(v, func(x string) bool {
		return slices.Contains([]WebhookDeliveryStatus{WebhookPending, WebhookSucceeded, WebhookFailed}, WebhookDeliveryStatus(x))
	}, "WebhookDeliveryStatus")
	*s = WebhookDeliveryStatus(str)
	return err
}
