package gormstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/contactgate/contactgate/auth"
	"github.com/contactgate/contactgate/models"
	"gorm.io/gorm"
)

// Session lifetimes: a session ends after SessionIdle without use, and in
// any case SessionMaxAge after sign-in.
const (
	SessionIdle   = 7 * 24 * time.Hour
	SessionMaxAge = 30 * 24 * time.Hour
	// sessionTouchEvery limits last-seen writes to one per session per period.
	sessionTouchEvery = time.Minute
)

// NormalizeEmail is how emails are compared and stored.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// CreateUser inserts a user. An email already taken is a CONFLICT.
func (db *DB) CreateUser(ctx context.Context, email string, name *string, passwordHash string, staff bool) (*models.User, error) {
	row := userRow{ID: newID(), Email: NormalizeEmail(email), Name: name, PasswordHash: passwordHash,
		Staff: staff, CreatedAt: db.now()}
	if err := db.with(ctx).Create(&row).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return nil, models.Errorf(models.EConflict, "a user with this email already exists")
		}
		return nil, fmt.Errorf("create user: %w", err)
	}
	return row.model(), nil
}

// SetStaff makes an existing user staff, or creates a staff user; the
// password hash replaces the stored one.
func (db *DB) UpsertStaff(ctx context.Context, email, passwordHash string) (*models.User, error) {
	var out *models.User
	err := db.with(ctx).Transaction(func(tx *gorm.DB) error {
		var row userRow
		err := tx.Where("email = ?", NormalizeEmail(email)).Take(&row).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			row = userRow{ID: newID(), Email: NormalizeEmail(email), PasswordHash: passwordHash, Staff: true, CreatedAt: db.now()}
			if err := tx.Create(&row).Error; err != nil {
				return fmt.Errorf("create staff user: %w", err)
			}
			out = row.model()
			return nil
		}
		if err != nil {
			return fmt.Errorf("find user: %w", err)
		}
		now := db.now()
		if err := tx.Model(&userRow{}).Where("id = ?", row.ID).Updates(map[string]any{
			"staff": true, "password_hash": passwordHash, "password_changed_at": now}).Error; err != nil {
			return fmt.Errorf("update staff user: %w", err)
		}
		// A new password ends every session made with the old one.
		res := tx.Where("user_id = ?", row.ID).Delete(&sessionRow{})
		if res.Error != nil {
			return fmt.Errorf("end sessions: %w", res.Error)
		}
		if res.RowsAffected > 0 {
			if err := db.auditUserAccounts(ctx, tx, row.ID, auditEvent{action: models.AuditSessionsEnded,
				target: userTarget(row.ID, row.Email), after: fmt.Sprint(res.RowsAffected)}); err != nil {
				return err
			}
		}
		row.Staff, row.PasswordHash = true, passwordHash
		out = row.model()
		return nil
	})
	if err == nil {
		db.accessChanged(UserAccessKey(out.ID))
	}
	return out, err
}

// UserByEmail finds a user by email; NOT_FOUND when there is none.
func (db *DB) UserByEmail(ctx context.Context, email string) (*models.User, error) {
	var row userRow
	if err := db.with(ctx).Where("email = ?", NormalizeEmail(email)).Take(&row).Error; err != nil {
		return nil, notFound(err, "user")
	}
	return row.model(), nil
}

// UsersByIDs loads users by id, in no particular order (for loaders).
func (db *DB) UsersByIDs(ctx context.Context, ids []string) ([]*models.User, error) {
	var rows []userRow
	if err := db.with(ctx).Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load users: %w", err)
	}
	out := make([]*models.User, len(rows))
	for i, r := range rows {
		out[i] = r.model()
	}
	return out, nil
}

// CreateSession starts a session for a user and returns its secret (the
// cookie value); only the secret's hash is stored.
func (db *DB) CreateSession(ctx context.Context, userID string) (secret string, err error) {
	return db.createSession(db.with(ctx), userID)
}

func (db *DB) createSession(tx *gorm.DB, userID string) (string, error) {
	secret := auth.NewSecret()
	now := db.now()
	row := sessionRow{ID: auth.HashSecret(secret), UserID: userID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(SessionIdle)}
	if err := tx.Create(&row).Error; err != nil {
		return "", fmt.Errorf("create session: %w", err)
	}
	return secret, nil
}

// SignIn starts a session for a user whose password was checked, ending
// the caller's previous session (oldSessionID, when not "") so that
// sessions rotate, and records the sign-in in the audit log of each of the
// user's accounts, all in one transaction.
func (db *DB) SignIn(ctx context.Context, user *models.User, oldSessionID string) (secret string, err error) {
	err = db.transaction(ctx, func(tx *gorm.DB) error {
		if oldSessionID != "" {
			if err := tx.Where("id = ?", oldSessionID).Delete(&sessionRow{}).Error; err != nil {
				return fmt.Errorf("end previous session: %w", err)
			}
		}
		if secret, err = db.createSession(tx, user.ID); err != nil {
			return err
		}
		return db.auditUserAccounts(ctx, tx, user.ID, auditEvent{action: models.AuditSignIn,
			target: userTarget(user.ID, user.Email), actorID: &user.ID, principal: personPrincipal(user.Staff)})
	})
	if err == nil && oldSessionID != "" {
		db.accessChanged(UserAccessKey(user.ID))
	}
	return secret, err
}

// SignOut ends one session (by its stored id) of a user and records it in
// the audit log of each of the user's accounts; the user's live
// subscriptions learn it at once, on every replica.
func (db *DB) SignOut(ctx context.Context, user *models.User, sessionID string) error {
	ended := false
	err := db.transaction(ctx, func(tx *gorm.DB) error {
		res := tx.Where("id = ?", sessionID).Delete(&sessionRow{})
		if res.Error != nil {
			return fmt.Errorf("delete session: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return nil // already ended (a concurrent sign-out): nothing to record
		}
		ended = true
		return db.auditUserAccounts(ctx, tx, user.ID, auditEvent{action: models.AuditSignOut, target: userTarget(user.ID, user.Email)})
	})
	if err != nil {
		return err
	}
	if ended {
		db.accessChanged(UserAccessKey(user.ID))
	}
	return nil
}

// RecordFailedSignIn records a wrong password for a known user in the
// audit log of each of their accounts. An unknown email (user nil) belongs
// to no account and is recorded nowhere, but costs the same transaction
// and membership lookup, so that the answer's timing does not tell which
// emails have users.
func (db *DB) RecordFailedSignIn(ctx context.Context, user *models.User) error {
	id, email := "", ""
	if user != nil {
		id, email = user.ID, user.Email
	}
	return db.transaction(ctx, func(tx *gorm.DB) error {
		return db.auditUserAccounts(ctx, tx, id, auditEvent{action: models.AuditSignInFailed, target: userTarget(id, email)})
	})
}

// SessionUser returns the user of a live session and slides its idle
// expiry; NOT_FOUND when the session is unknown or expired.
func (db *DB) SessionUser(ctx context.Context, secret string) (*models.User, string, error) {
	id := auth.HashSecret(secret)
	// One statement for session and user: this runs on every signed-in request.
	var row struct {
		SessionCreatedAt  time.Time
		LastSeenAt        time.Time
		ExpiresAt         time.Time
		ID                string
		Email             string
		Name              *string
		PasswordHash      string
		Staff             bool
		Locale            string
		PasswordChangedAt *time.Time
		CreatedAt         time.Time
	}
	res := db.with(ctx).Raw(`SELECT s.created_at AS session_created_at, s.last_seen_at, s.expires_at,
			u.id, u.email, u.name, u.password_hash, u.staff, u.locale, u.password_changed_at, u.created_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?`, id).Scan(&row)
	if res.Error != nil {
		return nil, "", fmt.Errorf("load session: %w", res.Error)
	}
	if res.RowsAffected == 0 || row.ID == "" {
		return nil, "", models.Errorf(models.ENotFound, "session not found")
	}
	s := sessionRow{ID: id, UserID: row.ID, CreatedAt: row.SessionCreatedAt, LastSeenAt: row.LastSeenAt, ExpiresAt: row.ExpiresAt}
	u := userRow{ID: row.ID, Email: row.Email, Name: row.Name, PasswordHash: row.PasswordHash, Staff: row.Staff,
		Locale: row.Locale, PasswordChangedAt: row.PasswordChangedAt, CreatedAt: row.CreatedAt}
	now := db.now()
	if !now.Before(s.ExpiresAt) || !now.Before(s.CreatedAt.Add(SessionMaxAge)) {
		_ = db.with(ctx).Where("id = ?", id).Delete(&sessionRow{}).Error
		return nil, "", models.Errorf(models.ENotFound, "session expired")
	}
	if now.Sub(s.LastSeenAt) > sessionTouchEvery {
		exp := now.Add(SessionIdle)
		if max := s.CreatedAt.Add(SessionMaxAge); exp.After(max) {
			exp = max
		}
		if err := db.with(ctx).Model(&sessionRow{}).Where("id = ?", id).
			Updates(map[string]any{"last_seen_at": now, "expires_at": exp}).Error; err != nil {
			return nil, "", fmt.Errorf("touch session: %w", err)
		}
	}
	return u.model(), id, nil
}

// Memberships lists a user's memberships, oldest first.
func (db *DB) Memberships(ctx context.Context, userID string) ([]*models.Member, error) {
	var rows []memberRow
	if err := db.with(ctx).Where("user_id = ?", userID).Order("created_at, account_id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load memberships: %w", err)
	}
	out := make([]*models.Member, len(rows))
	for i, r := range rows {
		out[i] = r.model()
	}
	return out, nil
}

// Role returns a user's role in an account, or "" when not a member.
func (db *DB) Role(ctx context.Context, accountID, userID string) (models.Role, error) {
	var rows []memberRow
	if err := db.with(ctx).Where("account_id = ? AND user_id = ?", accountID, userID).Limit(1).Find(&rows).Error; err != nil {
		return "", fmt.Errorf("load membership: %w", err)
	}
	if len(rows) == 0 {
		return "", nil
	}
	return models.Role(rows[0].Role), nil
}

// SetLocale records a user's language for mails.
func (db *DB) SetLocale(ctx context.Context, userID, locale string) error {
	if err := db.with(ctx).Model(&userRow{}).Where("id = ?", userID).Update("locale", locale).Error; err != nil {
		return fmt.Errorf("set language: %w", err)
	}
	return nil
}

// SessionAlive reports whether a session (by its stored id) still exists
// and has not expired; long-lived connections (subscriptions) re-check it.
func (db *DB) SessionAlive(ctx context.Context, id string) (bool, error) {
	var n int64
	if err := db.with(ctx).Model(&sessionRow{}).Where("id = ? AND expires_at > ?", id, db.now()).Count(&n).Error; err != nil {
		return false, fmt.Errorf("check session: %w", err)
	}
	return n > 0, nil
}
