// Package auth knows who is calling: the principal in a request's context,
// password hashing and the random secrets behind sessions, invitations and
// API tokens.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"

	"github.com/contactgate/contactgate/models"
)

// Principal is the caller of one request: a signed-in person, or an API
// token acting for one account.
type Principal struct {
	User *models.User
	// SessionID is the hash of the session cookie, when signed in by cookie.
	SessionID string
	// Token is set when the caller authenticated with an API token.
	Token *models.APIToken
}

// Staff reports whether the caller is platform support staff. A token is
// never staff, whoever created it.
func (p *Principal) Staff() bool { return p != nil && p.Token == nil && p.User != nil && p.User.Staff }

type principalKey struct{}

// principalSlot is mutable so that signIn can make the rest of its own
// request (e.g. the `me` it returns) see the new caller.
type principalSlot struct{ p *Principal }

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, &principalSlot{p: p})
}

// SetPrincipal replaces the caller for the rest of the request; ctx must
// come from WithPrincipal (the HTTP layer always installs one).
func SetPrincipal(ctx context.Context, p *Principal) {
	if s, ok := ctx.Value(principalKey{}).(*principalSlot); ok {
		s.p = p
	}
}

// FromContext returns the caller, or nil when signed out.
func FromContext(ctx context.Context) *Principal {
	if s, ok := ctx.Value(principalKey{}).(*principalSlot); ok {
		return s.p
	}
	return nil
}

// NewSecret returns a random URL-safe secret with 256 bits of entropy.
func NewSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashSecret is how secrets (session cookies, invitation and API tokens) are
// stored: they are high-entropy, so a plain SHA-256 suffices and keeps
// lookups indexable.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// SessionCookies sets and clears the session cookie of the current HTTP
// response; the HTTP layer puts one in each request's context so that the
// signIn and signOut resolvers can reach the response.
type SessionCookies interface {
	SetSession(secret string)
	ClearSession()
}

type cookiesKey struct{}

// WithSessionCookies returns ctx carrying c.
func WithSessionCookies(ctx context.Context, c SessionCookies) context.Context {
	return context.WithValue(ctx, cookiesKey{}, c)
}

// SessionCookiesFrom returns the cookie writer of ctx; a no-op one when the
// request did not come over HTTP.
func SessionCookiesFrom(ctx context.Context) SessionCookies {
	if c, ok := ctx.Value(cookiesKey{}).(SessionCookies); ok {
		return c
	}
	return noCookies{}
}

type noCookies struct{}

func (noCookies) SetSession(string) {}
func (noCookies) ClearSession()     {}

type clientKey struct{}

// Client is what a request says about where it comes from: the IP rate
// limits and the audit log use, and the user agent the audit log records.
// The HTTP layer puts it into every request's context, in one place.
type Client struct {
	IP        string
	UserAgent string
}

// WithClient returns ctx carrying the request's client.
func WithClient(ctx context.Context, c Client) context.Context {
	return context.WithValue(ctx, clientKey{}, c)
}

// ClientFrom returns the request's client; false outside a request (the
// command line, background work).
func ClientFrom(ctx context.Context) (Client, bool) {
	c, ok := ctx.Value(clientKey{}).(Client)
	return c, ok
}

// WithClientIP returns ctx carrying the caller's IP, for rate limits.
func WithClientIP(ctx context.Context, ip string) context.Context {
	return WithClient(ctx, Client{IP: ip})
}

// ClientIP returns the caller's IP, or "".
func ClientIP(ctx context.Context) string {
	c, _ := ClientFrom(ctx)
	return c.IP
}
