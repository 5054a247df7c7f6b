package gormstore

import (
	"context"
	"fmt"

	"github.com/contactgate/contactgate/auth"
	"github.com/contactgate/contactgate/models"
	"gorm.io/gorm"
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
	err := db.transaction(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return fmt.Errorf("create token: %w", err)
		}
		return db.audit(ctx, tx, []string{accountID}, auditEvent{action: models.AuditAPITokenCreated,
			target: tokenTarget(row), after: tokenAccess(row.ReadOnly)})
	})
	if err != nil {
		return nil, "", err
	}
	return row.model(), secret, nil
}

func tokenTarget(row apiTokenRow) *models.AuditTarget {
	return &models.AuditTarget{Kind: models.TargetAPIToken, ID: row.ID, Label: row.Name}
}

// tokenAccess is a token's access as the audit log records it.
func tokenAccess(readOnly bool) string {
	if readOnly {
		return "READ_ONLY"
	}
	return "READ_WRITE"
}

// TokenBySecret returns the live token behind a secret and records its use;
// NOT_FOUND when unknown or revoked.
func (db *DB) TokenBySecret(ctx context.Context, secret string) (*models.APIToken, error) {
	var row apiTokenRow
	if err := db.with(ctx).Where("token_hash = ? AND revoked_at IS NULL", auth.HashSecret(secret)).Take(&row).Error; err != nil {
		return nil, notFound(err, "token")
	}
	now := db.now()
	if row.LastUsedAt == nil {
		// The first use is recorded once: the conditional update lets only
		// one of several racing first requests write the audit event.
		err := db.transaction(ctx, func(tx *gorm.DB) error {
			res := tx.Model(&apiTokenRow{}).Where("id = ? AND last_used_at IS NULL", row.ID).Update("last_used_at", now)
			if res.Error != nil {
				return fmt.Errorf("record token use: %w", res.Error)
			}
			if res.RowsAffected == 0 {
				return nil
			}
			return db.audit(ctx, tx, []string{row.AccountID}, auditEvent{action: models.AuditAPITokenFirstUsed,
				target: tokenTarget(row), after: tokenAccess(row.ReadOnly), principal: models.PrincipalAPIToken})
		})
		if err != nil {
			return nil, err
		}
		row.LastUsedAt = &now
		return row.model(), nil
	}
	// One write a minute at most per token keeps busy tooling cheap.
	if now.Sub(*row.LastUsedAt) > sessionTouchEvery {
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
	revoked := false
	err := db.transaction(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&apiTokenRow{}).Where("id = ? AND revoked_at IS NULL", id).Update("revoked_at", db.now())
		if res.Error != nil {
			return fmt.Errorf("revoke token: %w", res.Error)
		}
		if revoked = res.RowsAffected == 1; !revoked {
			return nil
		}
		var row apiTokenRow
		if err := tx.Where("id = ?", id).Take(&row).Error; err != nil {
			return fmt.Errorf("find token: %w", err)
		}
		return db.audit(ctx, tx, []string{row.AccountID}, auditEvent{action: models.AuditAPITokenRevoked,
			target: tokenTarget(row), before: tokenAccess(row.ReadOnly)})
	})
	if err != nil {
		return false, err
	}
	if revoked {
		db.accessChanged(TokenAccessKey(id))
	}
	return revoked, nil
}

// TokenAlive reports whether a token (by id) has not been revoked.
func (db *DB) TokenAlive(ctx context.Context, id string) (bool, error) {
	var n int64
	if err := db.with(ctx).Model(&apiTokenRow{}).Where("id = ? AND revoked_at IS NULL", id).Count(&n).Error; err != nil {
		return false, fmt.Errorf("check token: %w", err)
	}
	return n > 0, nil
}
