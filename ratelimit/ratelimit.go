// Package ratelimit keeps token buckets per key (an IP, an email, a token)
// with golang.org/x/time/rate, forgetting keys that have been idle.
package ratelimit

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limiter allows each key `burst` events at once and refills at `every`.
type Limiter struct {
	mu      sync.Mutex
	every   rate.Limit
	burst   int
	buckets map[string]*bucket
	now     func() time.Time
	sweepAt time.Time
}

type bucket struct {
	l    *rate.Limiter
	seen time.Time
}

// New returns a limiter of `burst` events per `per`, per key.
func New(burst int, per time.Duration) *Limiter {
	return &Limiter{every: rate.Every(per / time.Duration(burst)), burst: burst,
		buckets: map[string]*bucket{}, now: time.Now}
}

// Allow takes one event for key; when refused it says how long to wait.
func (l *Limiter) Allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if now.After(l.sweepAt) {
		// Idle buckets are full again, so forgetting them changes nothing.
		full := time.Duration(float64(l.burst)/float64(l.every)) * time.Second
		for k, b := range l.buckets {
			if now.Sub(b.seen) > full {
				delete(l.buckets, k)
			}
		}
		l.sweepAt = now.Add(time.Minute)
	}
	b := l.buckets[key]
	if b == nil {
		b = &bucket{l: rate.NewLimiter(l.every, l.burst)}
		l.buckets[key] = b
	}
	b.seen = now
	r := b.l.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}
