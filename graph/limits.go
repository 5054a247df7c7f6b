package graph

import (
	"context"
	"math"
	"strings"
	"time"

	"github.com/contactgate/contactgate/auth"
	"github.com/contactgate/contactgate/models"
	"github.com/contactgate/contactgate/ratelimit"
)

// Limits are the per-process rate limits of the unauthenticated doors.
type Limits struct {
	SignInPerIP    *ratelimit.Limiter
	SignInPerEmail *ratelimit.Limiter
	InvitePerIP    *ratelimit.Limiter
	PublicPerIP    *ratelimit.Limiter
	// LinkPerIP bounds the public verification-link doors (preview,
	// confirm, dispute) per address.
	LinkPerIP *ratelimit.Limiter
	// ResendPerAddress bounds verification mails resent to one address of
	// one account; TestPerField test messages to one field of one account.
	ResendPerAddress *ratelimit.Limiter
	TestPerField     *ratelimit.Limiter
	// InvitePerAccount and InvitePerEmail bound invitations (each a mail)
	// sent by one account, and to one address from any account.
	InvitePerAccount *ratelimit.Limiter
	InvitePerEmail   *ratelimit.Limiter
}

// DefaultLimits: 10 sign-ins a minute per email, 30 per IP (an office
// behind one address), 20 invitation look-ups a minute per IP, 120 public
// contact reads a minute per IP, 30 verification-link requests a minute
// per IP, 3 verification resends an hour per address, 3 test messages
// per 10 minutes per field, and 20 invitations an hour per account and 3
// per invited address.
func DefaultLimits() *Limits {
	return &Limits{
		SignInPerIP:    ratelimit.New(30, time.Minute),
		SignInPerEmail: ratelimit.New(10, time.Minute),
		InvitePerIP:    ratelimit.New(20, time.Minute),
		PublicPerIP:    ratelimit.New(120, time.Minute),
		LinkPerIP:      ratelimit.New(30, time.Minute),
		// 3 an hour: enough to retry after fixing a mailbox, too few to
		// turn ContactGate into a way of mailing someone repeatedly.
		ResendPerAddress: ratelimit.New(3, time.Hour),
		TestPerField:     ratelimit.New(3, 10*time.Minute),
		// Onboarding a team is a handful of invitations; a mail cannon is
		// not.
		InvitePerAccount: ratelimit.New(20, time.Hour),
		InvitePerEmail:   ratelimit.New(3, time.Hour),
	}
}

// limit refuses with RATE_LIMITED when any of the buckets is empty.
func limit(ctx context.Context, checks ...limitCheck) error {
	for _, c := range checks {
		if c.l == nil {
			continue
		}
		if ok, wait := c.l.Allow(c.key); !ok {
			secs := int(math.Ceil(wait.Seconds()))
			return &models.Error{Code: models.ERateLimited, RetryAfterSeconds: secs,
				Message: "too many attempts; try again in a little while"}
		}
	}
	return nil
}

type limitCheck struct {
	l   *ratelimit.Limiter
	key string
}

func (r *Resolver) limits() *Limits {
	if r.Limits == nil {
		return &Limits{}
	}
	return r.Limits
}

func byIP(ctx context.Context, l *ratelimit.Limiter) limitCheck {
	return limitCheck{l: l, key: "ip:" + auth.ClientIP(ctx)}
}

func byEmail(l *ratelimit.Limiter, email string) limitCheck {
	return limitCheck{l: l, key: "email:" + strings.ToLower(strings.TrimSpace(email))}
}
