package service

import (
	"context"

	"github.com/contactgate/contactgate/auth"
	"github.com/contactgate/contactgate/gormstore"
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

// Create creates a token and returns its secret, shown once; only a hash
// is stored. The creation is recorded in the account's audit log.
func (s *TokenService) Create(ctx context.Context, actorID *string, accountID, name string, readOnly bool) (*models.APIToken, string, error) {
	var v models.Validation
	name, _ = tokenNameRule.Check(&v, "name", name)
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	secret := TokenPrefix + auth.NewSecret()
	var tok *models.APIToken
	err := s.deps.Store.InTx(ctx, func(tx *gormstore.DB) error {
		var err error
		tok, err = tx.InsertAPIToken(ctx, gormstore.NewAPIToken{AccountID: accountID, Name: name, ReadOnly: readOnly,
			Prefix: secret[:len(TokenPrefix)+6], TokenHash: auth.HashSecret(secret), CreatedBy: actorID, CreatedAt: s.deps.now()})
		if err != nil {
			return err
		}
		return audit(ctx, tx, []string{accountID}, gormstore.AuditEvent{Action: models.AuditAPITokenCreated,
			Target: tokenTarget(tok), After: tokenAccess(tok.ReadOnly)})
	})
	if err != nil {
		return nil, "", err
	}
	return tok, secret, nil
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

// BySecret returns the live token behind a secret and records its use;
// NOT_FOUND when unknown or revoked. The first use is recorded in the
// audit log, once.
func (s *TokenService) BySecret(ctx context.Context, secret string) (*models.APIToken, error) {
	tok, err := s.deps.Store.LiveAPITokenByHash(ctx, auth.HashSecret(secret))
	if err != nil {
		return nil, err
	}
	now := s.deps.now()
	if tok.LastUsedAt == nil {
		// The conditional update lets only one of several racing first
		// requests write the audit event.
		err := s.deps.Store.InTx(ctx, func(tx *gormstore.DB) error {
			first, err := tx.MarkAPITokenFirstUse(ctx, tok.ID, now)
			if err != nil || !first {
				return err
			}
			return audit(ctx, tx, []string{tok.AccountID}, gormstore.AuditEvent{Action: models.AuditAPITokenFirstUsed,
				Target: tokenTarget(tok), After: tokenAccess(tok.ReadOnly), Principal: models.PrincipalAPIToken})
		})
		if err != nil {
			return nil, err
		}
		tok.LastUsedAt = &now
		return tok, nil
	}
	// One write a minute at most per token keeps busy tooling cheap.
	if now.Sub(*tok.LastUsedAt) > models.TouchEvery {
		if err := s.deps.Store.SetAPITokenLastUsed(ctx, tok.ID, now); err != nil {
			return nil, err
		}
		tok.LastUsedAt = &now
	}
	return tok, nil
}

// Alive reports whether a token (by id) has not been revoked.
func (s *TokenService) Alive(ctx context.Context, id string) (bool, error) {
	return s.deps.Store.TokenAlive(ctx, id)
}
