package models

import "time"

// Lifetimes of what ContactGate hands out. The session and token rules
// that use them live in package service; the values are here so that the
// store's re-checks (subscriptions) and the cookie agree with them.
const (
	// A session ends after SessionIdle without use, and in any case
	// SessionMaxAge after sign-in.
	SessionIdle   = 7 * 24 * time.Hour
	SessionMaxAge = 30 * 24 * time.Hour
	// TouchEvery limits last-seen writes (sessions, API tokens) to one per
	// credential per period, so that busy callers stay cheap.
	TouchEvery = time.Minute
	// InvitationTTL is how long an invitation link works.
	InvitationTTL = 7 * 24 * time.Hour
)
