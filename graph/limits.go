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
}

// DefaultLimits: 10 sign-ins a minute per email, 30 per IP (an office
// behind one address), 20 invitation look-ups a minute per IP, 120 public
// contact reads a minute per IP.
func DefaultLimits() *Limits {
	return &Limits{
		SignInPerIP:    ratelimit.New(30, time.Minute),
		SignInPerEmail: ratelimit.New(10, time.Minute),
		InvitePerIP:    ratelimit.New(20, time.Minute),
		PublicPerIP:    ratelimit.New(120, time.Minute),
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
