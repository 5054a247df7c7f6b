package gormstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/contactgate/contactgate/models"
)

// NewAPIToken is a token to insert; the secret itself is never stored.
type NewAPIToken struct {
	AccountID string
	Name      string
	ReadOnly  bool
	Prefix    string
	TokenHash string
	CreatedBy *string
	CreatedAt time.Time
	ExpiresAt *time.Time
}

// InsertAPIToken stores a new token.
func (db *DB) InsertAPIToken(ctx context.Context, t NewAPIToken) (*models.APIToken, error) {
	row := apiTokenRow{ID: newID(), AccountID: t.AccountID, Name: t.Name, ReadOnly: t.ReadOnly,
		Prefix: t.Prefix, TokenHash: t.TokenHash, CreatedBy: t.CreatedBy, CreatedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt}
	if err := db.with(ctx).Create(&row).Error; err != nil {
		return nil, fmt.Errorf("create token: %w", err)
	}
	return row.model(), nil
}

// LiveAPITokenByHash returns the unrevoked token with the hash of a
// secret; NOT_FOUND when there is none.
func (db *DB) LiveAPITokenByHash(ctx context.Context, hash string) (*models.APIToken, error) {
	// Every token-authenticated request runs this: database/sql with a
	// hand-written scan, not GORM's reflection (counted all the same).
	q := liveTokenSQL[0]
	if db.dialect == "postgres" {
		q = liveTokenSQL[1]
	}
	if c := db.opts.StatementCounter; c != nil {
		c.n.Add(1)
	}
	t := &models.APIToken{}
	var used, expires sql.Null[time.Time]
	var ip sql.Null[string]
	switch err := db.sql.QueryRowContext(ctx, q, hash).Scan(&t.ID, &t.AccountID, &t.Name, &t.ReadOnly, &t.Prefix,
		&t.CreatedAt, &used, &ip, &expires); {
	case errors.Is(err, sql.ErrNoRows):
		return nil, models.Errorf(models.ENotFound, "token not found")
	case err != nil:
		return nil, fmt.Errorf("load token: %w", err)
	}
	t.CreatedAt = t.CreatedAt.UTC()
	if used.Valid {
		u := used.V.UTC()
		t.LastUsedAt = &u
	}
	if ip.Valid {
		t.LastUsedIP = &ip.V
	}
	if expires.Valid {
		e := expires.V.UTC()
		t.ExpiresAt = &e
	}
	return t, nil
}

// The expiry is returned, not filtered on: whether a token has expired is
// the service's rule, on its clock.
const liveTokenSQLite = `SELECT id, account_id, name, read_only, prefix, created_at, last_used_at, last_used_ip, expires_at
	FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL`

var liveTokenSQL = [2]string{liveTokenSQLite, pgPlaceholders(liveTokenSQLite)}

// MarkAPITokenFirstUse sets a never-used token's last use; false when it
// had one already. The conditional update lets only one of several racing
// callers win.
func (db *DB) MarkAPITokenFirstUse(ctx context.Context, id string, at time.Time, ip string) (bool, error) {
	res := db.with(ctx).Model(&apiTokenRow{}).Where("id = ? AND last_used_at IS NULL", id).
		Updates(map[string]any{"last_used_at": at, "last_used_ip": optionalString(ip)})
	if res.Error != nil {
		return false, fmt.Errorf("record token use: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}

// SetAPITokenLastUsed records a token's last use and its client IP.
func (db *DB) SetAPITokenLastUsed(ctx context.Context, id string, at time.Time, ip string) error {
	if err := db.with(ctx).Model(&apiTokenRow{}).Where("id = ?", id).
		Updates(map[string]any{"last_used_at": at, "last_used_ip": optionalString(ip)}).Error; err != nil {
		return fmt.Errorf("record token use: %w", err)
	}
	return nil
}

// APITokens lists an account's live tokens, newest first.
func (db *DB) APITokens(ctx context.Context, accountID string) ([]*models.APIToken, error) {
	var rows []apiTokenRow
	if err := db.with(ctx).Where("account_id = ? AND revoked_at IS NULL", accountID).Order("id DESC").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load tokens: %w", err)
	}
	out := make([]*models.APIToken, len(rows))
	for i, r := range rows {
		out[i] = r.model()
	}
	return out, nil
}

// APITokenAccount returns the account of a token, for authorization.
func (db *DB) APITokenAccount(ctx context.Context, id string) (string, error) {
	var row apiTokenRow
	if err := db.with(ctx).Select("account_id").Where("id = ?", id).Take(&row).Error; err != nil {
		return "", notFound(err, "token")
	}
	return row.AccountID, nil
}

// RevokeAPIToken marks a live token revoked and returns it; nil when it
// was revoked already (or never existed).
func (db *DB) RevokeAPIToken(ctx context.Context, id string, at time.Time) (*models.APIToken, error) {
	res := db.with(ctx).Model(&apiTokenRow{}).Where("id = ? AND revoked_at IS NULL", id).Update("revoked_at", at)
	if res.Error != nil {
		return nil, fmt.Errorf("revoke token: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return nil, nil
	}
	var row apiTokenRow
	if err := db.with(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return nil, fmt.Errorf("find token: %w", err)
	}
	return row.model(), nil
}

// TokenAlive reports whether a token (by id) has neither been revoked nor
// expired at now.
func (db *DB) TokenAlive(ctx context.Context, id string, now time.Time) (bool, error) {
	var n int64
	if err := db.with(ctx).Model(&apiTokenRow{}).Where("id = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)", id, now).
		Count(&n).Error; err != nil {
		return false, fmt.Errorf("check token: %w", err)
	}
	return n > 0, nil
}

func optionalString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
