package gormstore

import (
	"context"
	"fmt"

	"github.com/contactgate/contactgate/auth"
	"github.com/contactgate/contactgate/models"
)

// TokenPrefix marks ContactGate API tokens, so that leaked ones are
// recognisable by secret scanners.
const TokenPrefix = "cg_"

var tokenNameRule = models.TextRule{Required: true, RequiredMessage: "give the token a name",
	MaxRunes: 64, TooLongCode: models.FieldNameTooLong}

// CreateAPIToken creates a token and returns its secret, shown once; only a
// hash is stored.
func (db *DB) CreateAPIToken(ctx context.Context, actorID *string, accountID, name string, readOnly bool) (*models.APIToken, string, error) {
	var v models.Validation
	name, _ = tokenNameRule.Check(&v, "name", name)
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	secret := TokenPrefix + auth.NewSecret()
	row := apiTokenRow{ID: newID(), AccountID: accountID, Name: name, ReadOnly: readOnly,
		Prefix: secret[:len(TokenPrefix)+6], TokenHash: auth.HashSecret(secret), CreatedBy: actorID, CreatedAt: db.now()}
	if err := db.with(ctx).Create(&row).Error; err != nil {
		return nil, "", fmt.Errorf("create token: %w", err)
	}
	return row.model(), secret, nil
}

// TokenBySecret returns the live token behind a secret and records its use;
// NOT_FOUND when unknown or revoked.
func (db *DB) TokenBySecret(ctx context.Context, secret string) (*models.APIToken, error) {
	var row apiTokenRow
	if err := db.with(ctx).Where("token_hash = ? AND revoked_at IS NULL", auth.HashSecret(secret)).Take(&row).Error; err != nil {
		return nil, notFound(err, "token")
	}
	now := db.now()
	// One write a minute at most per token keeps busy tooling cheap.
	if row.LastUsedAt == nil || now.Sub(*row.LastUsedAt) > sessionTouchEvery {
		if err := db.with(ctx).Model(&apiTokenRow{}).Where("id = ?", row.ID).Update("last_used_at", now).Error; err != nil {
			return nil, fmt.Errorf("record token use: %w", err)
		}
		row.LastUsedAt = &now
	}
	return row.model(), nil
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

// RevokeAPIToken revokes a token; false when it was already revoked.
func (db *DB) RevokeAPIToken(ctx context.Context, id string) (bool, error) {
	res := db.with(ctx).Model(&apiTokenRow{}).Where("id = ? AND revoked_at IS NULL", id).Update("revoked_at", db.now())
	if res.Error != nil {
		return false, fmt.Errorf("revoke token: %w", res.Error)
	}
	if res.RowsAffected == 1 {
		db.accessChanged(TokenAccessKey(id))
	}
	return res.RowsAffected == 1, nil
}

// TokenAlive reports whether a token (by id) has not been revoked.
func (db *DB) TokenAlive(ctx context.Context, id string) (bool, error) {
	var n int64
	if err := db.with(ctx).Model(&apiTokenRow{}).Where("id = ? AND revoked_at IS NULL", id).Count(&n).Error; err != nil {
		return false, fmt.Errorf("check token: %w", err)
	}
	return n > 0, nil
}
