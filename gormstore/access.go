package gormstore

import (
	"context"
	"fmt"

	"github.com/contactgate/contactgate/models"
)

// Keys of access changes, announced by the services (Events.AccessChanged)
// after the commit: a long-lived connection (a subscription) listening on its
// caller's key and its account re-checks its caller at once instead of at
// its next periodic re-check. An account's key is its id (the same key as
// its gate changes); these prefixes cannot collide with ids.

// UserAccessKey is announced when sessions of a user end (sign-out,
// removal from the last account, a new password).
func UserAccessKey(userID string) string { return "user:" + userID }

// TokenAccessKey is announced when an API token is revoked.
func TokenAccessKey(tokenID string) string { return "token:" + tokenID }

// SessionAccess is what a session's holder may still do in one account.
type SessionAccess struct {
	// Alive is false once the session has ended (signed out, expired,
	// ended by a new password or the removal from the last account).
	Alive bool
	Staff bool
	// Role is the holder's role in the account, "" when not a member.
	Role models.Role
}

// SessionAccessIn re-checks a session and its holder's role in an account
// in one statement on primary keys: subscriptions run it every few seconds.
func (db *DB) SessionAccessIn(ctx context.Context, sessionID, accountID string) (SessionAccess, error) {
	now := db.now()
	var rows []struct {
		Staff bool
		Role  *string
	}
	err := db.with(ctx).Raw(`SELECT u.staff, m.role FROM sessions s
		JOIN users u ON u.id = s.user_id
		LEFT JOIN members m ON m.account_id = ? AND m.user_id = s.user_id
		WHERE s.id = ? AND s.expires_at > ? AND s.created_at > ?`,
		accountID, sessionID, now, now.Add(-models.SessionMaxAge)).Scan(&rows).Error
	if err != nil {
		return SessionAccess{}, fmt.Errorf("check session access: %w", err)
	}
	if len(rows) == 0 {
		return SessionAccess{}, nil
	}
	out := SessionAccess{Alive: true, Staff: rows[0].Staff}
	if rows[0].Role != nil {
		out.Role = models.Role(*rows[0].Role)
	}
	return out, nil
}

// ReachabilityKey is announced when an address of an account changes
// reachability (or its last test does), for live views.
func ReachabilityKey(accountID string) string { return "reach:" + accountID }
