package service

import (
	"context"
	"fmt"
	"time"

	"github.com/contactgate/contactgate/auth"
	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/mail"
	"github.com/contactgate/contactgate/models"
)

// TokenPrefix marks ContactGate API tokens, so that leaked ones are
// recognisable by secret scanners.
const TokenPrefix = "cg_"

var tokenNameRule = models.TextRule{Required: true, RequiredMessage: "give the token a name",
	MaxRunes: 64, TooLongCode: models.FieldNameTooLong}

// TokenService owns API tokens: their creation, revocation and the
// recording of their use.
type TokenService struct {
	deps  Deps
	authz *Authorizer
}

func newTokenService(d Deps, authz *Authorizer) *TokenService {
	return &TokenService{deps: d, authz: authz}
}

// Create creates a token that does not expire (see CreateExpiring).
func (s *TokenService) Create(ctx context.Context, actorID *string, accountID, name string, readOnly bool) (*models.APIToken, string, error) {
	return s.CreateExpiring(ctx, actorID, accountID, name, readOnly, nil)
}

// CreateExpiring creates a token and returns its secret, shown once; only a hash
// is stored. expiresAt, when given, is when it stops working. The creation
// is recorded in the account's audit log and mailed to its
// administrators (each in their language), in the same transaction.
func (s *TokenService) CreateExpiring(ctx context.Context, actorID *string, accountID, name string, readOnly bool, expiresAt *time.Time) (*models.APIToken, string, error) {
	var v models.Validation
	name, _ = tokenNameRule.Check(&v, "name", name)
	now := s.deps.now()
	models.CheckTokenExpiry(&v, "expiresAt", expiresAt, now)
	if expiresAt != nil {
		e := expiresAt.UTC()
		expiresAt = &e
	}
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	secret := TokenPrefix + auth.NewSecret()
	var tok *models.APIToken
	err := s.deps.Store.InTx(ctx, func(tx *gormstore.DB) error {
		var err error
		tok, err = tx.InsertAPIToken(ctx, gormstore.NewAPIToken{AccountID: accountID, Name: name, ReadOnly: readOnly,
			Prefix: secret[:len(TokenPrefix)+6], TokenHash: auth.HashSecret(secret), CreatedBy: actorID, CreatedAt: now,
			ExpiresAt: expiresAt})
		if err != nil {
			return err
		}
		if err := audit(ctx, tx, []string{accountID}, gormstore.AuditEvent{Action: models.AuditAPITokenCreated,
			Target: tokenTarget(tok), After: tokenAccess(tok.ReadOnly)}); err != nil {
			return err
		}
		return s.mailAdministrators(ctx, tx, actorID, tok)
	})
	if err != nil {
		return nil, "", err
	}
	return tok, secret, nil
}

// mailAdministrators tells every administrator of the token's account
// that it was created: a token is a standing key to the account, and a
// colleague's (or an attacker's) new one should not go unnoticed.
func (s *TokenService) mailAdministrators(ctx context.Context, tx *gormstore.DB, actorID *string, tok *models.APIToken) error {
	acc, err := tx.Account(ctx, tok.AccountID)
	if err != nil {
		return err
	}
	admins, err := tx.AccountAdministrators(ctx, tok.AccountID)
	if err != nil {
		return err
	}
	creator := ""
	if actorID != nil {
		if us, err := tx.UsersByIDs(ctx, []string{*actorID}); err == nil && len(us) == 1 {
			creator = us[0].Email
			if us[0].Name != nil && *us[0].Name != "" {
				creator = *us[0].Name
			}
		} else if err != nil {
			return err
		}
	}
	for _, a := range admins {
		msg := mail.TokenCreatedMail(a.Locale, mail.TokenCreatedData{To: a.Email, AccountName: acc.Name, TokenName: tok.Name,
			CreatorName: creator, ReadOnly: tok.ReadOnly, ExpiresAt: tok.ExpiresAt, Link: s.deps.link("/accounts/" + acc.ID + "/api-access")})
		if err := mail.Enqueue(tx.Gorm(), s.deps.MailFrom, msg); err != nil {
			return fmt.Errorf("queue token notice: %w", err)
		}
	}
	if len(admins) > 0 {
		tx.AfterCommit(s.deps.Events.MailQueued)
	}
	return nil
}

// List lists an account's live tokens, newest first.
func (s *TokenService) List(ctx context.Context, accountID string) ([]*models.APIToken, error) {
	return s.deps.Store.APITokens(ctx, accountID)
}

// Account returns the account of a token, for authorization.
func (s *TokenService) Account(ctx context.Context, id string) (string, error) {
	return s.deps.Store.APITokenAccount(ctx, id)
}

// Revoke revokes a token; false when it was already revoked. The token's
// live connections learn it at once.
func (s *TokenService) Revoke(ctx context.Context, id string) (bool, error) {
	var tok *models.APIToken
	err := s.deps.Store.InTx(ctx, func(tx *gormstore.DB) error {
		var err error
		if tok, err = tx.RevokeAPIToken(ctx, id, s.deps.now()); err != nil || tok == nil {
			return err
		}
		return audit(ctx, tx, []string{tok.AccountID}, gormstore.AuditEvent{Action: models.AuditAPITokenRevoked,
			Target: tokenTarget(tok), Before: tokenAccess(tok.ReadOnly)})
	})
	if err != nil || tok == nil {
		return false, err
	}
	s.deps.Events.AccessChanged(gormstore.TokenAccessKey(id))
	return true, nil
}

// BySecret returns the live token behind a secret and records its use
// (time and client IP); NOT_FOUND when unknown, revoked or expired. The
// first use is recorded in the audit log, once; later uses at most once a
// minute per token (models.TouchEvery), so busy tooling costs no write per
// request.
func (s *TokenService) BySecret(ctx context.Context, secret string) (*models.APIToken, error) {
	tok, err := s.deps.Store.LiveAPITokenByHash(ctx, auth.HashSecret(secret))
	if err != nil {
		return nil, err
	}
	now := s.deps.now()
	if tok.ExpiresAt != nil && !now.Before(*tok.ExpiresAt) {
		return nil, models.Errorf(models.ENotFound, "token expired")
	}
	ip := auth.ClientIP(ctx)
	if tok.LastUsedAt == nil {
		// The conditional update lets only one of several racing first
		// requests write the audit event.
		err := s.deps.Store.InTx(ctx, func(tx *gormstore.DB) error {
			first, err := tx.MarkAPITokenFirstUse(ctx, tok.ID, now, ip)
			if err != nil || !first {
				return err
			}
			return audit(ctx, tx, []string{tok.AccountID}, gormstore.AuditEvent{Action: models.AuditAPITokenFirstUsed,
				Target: tokenTarget(tok), After: tokenAccess(tok.ReadOnly), Principal: models.PrincipalAPIToken})
		})
		if err != nil {
			return nil, err
		}
		tok.LastUsedAt, tok.LastUsedIP = &now, optional(ip)
		return tok, nil
	}
	// One write a minute at most per token keeps busy tooling cheap.
	if now.Sub(*tok.LastUsedAt) > models.TouchEvery {
		if err := s.deps.Store.SetAPITokenLastUsed(ctx, tok.ID, now, ip); err != nil {
			return nil, err
		}
		tok.LastUsedAt, tok.LastUsedIP = &now, optional(ip)
	}
	return tok, nil
}

// Alive reports whether a token (by id) has neither been revoked nor
// expired.
func (s *TokenService) Alive(ctx context.Context, id string) (bool, error) {
	return s.deps.Store.TokenAlive(ctx, id, s.deps.now())
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
