package service

import (
	"context"
	"fmt"
	"time"

	"github.com/contactgate/contactgate/auth"
	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/models"
)

// SessionService owns sign-in, sessions and their lifetime, and the
// password rules of staff users.
type SessionService struct {
	deps  Deps
	authz *Authorizer
}

func newSessionService(d Deps, authz *Authorizer) *SessionService {
	return &SessionService{deps: d, authz: authz}
}

// now is the services' "now", at the precision the databases store.
func (d Deps) now() time.Time { return d.Clock().UTC().Truncate(time.Microsecond) }

// UserByEmail finds a user by email; NOT_FOUND when there is none.
func (s *SessionService) UserByEmail(ctx context.Context, email string) (*models.User, error) {
	return s.deps.Store.UserByEmail(ctx, email)
}

// CheckPassword checks a sign-in: the user of the email when the password
// is theirs, nil otherwise. An unknown email costs the same hashing work as
// a known one, and a refusal is recorded in the audit log of the user's
// accounts.
func (s *SessionService) CheckPassword(ctx context.Context, email, password string) (*models.User, error) {
	started := time.Now()
	user, err := s.deps.Store.UserByEmail(ctx, email)
	if err != nil && models.ErrorCodeOf(err) != models.ENotFound {
		return nil, err
	}
	hash := ""
	if user != nil {
		hash = user.PasswordHash
	}
	ok, err := s.deps.Hasher.Check(ctx, password, hash)
	if err != nil {
		return nil, err
	}
	if !ok || user == nil {
		if err := s.RecordFailedSignIn(ctx, user); err != nil {
			return nil, err
		}
		// A known user's failure writes to the audit log of each of
		// their accounts, an unknown email's writes nothing: without a
		// floor the answer's time told which emails have users.
		waitUntil(ctx, started.Add(s.deps.SignInFailureFloor))
		return nil, nil
	}
	return user, nil
}

// DefaultSignInFailureFloor is the least time a wrong password takes to be
// answered: longer than the slowest audit write of a known user's failure
// on the machines we measured (about 0.1–0.25 s), short enough not to annoy
// someone who mistyped.
const DefaultSignInFailureFloor = 500 * time.Millisecond

// waitUntil returns at t, or when ctx ends.
func waitUntil(ctx context.Context, t time.Time) {
	d := time.Until(t)
	if d <= 0 {
		return
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
	case <-ctx.Done():
	}
}

// RecordFailedSignIn records a wrong password for a known user in the
// audit log of each of their accounts. An unknown email (user nil) belongs
// to no account and is recorded nowhere, but costs the same transaction
// and membership lookup, so that the answer's timing does not tell which
// emails have users.
func (s *SessionService) RecordFailedSignIn(ctx context.Context, user *models.User) error {
	id, email := "", ""
	if user != nil {
		id, email = user.ID, user.Email
	}
	return s.deps.Store.InTx(ctx, func(tx *gormstore.DB) error {
		return auditUser(ctx, tx, id, gormstore.AuditEvent{Action: models.AuditSignInFailed, Target: userTarget(id, email)})
	})
}

// CreateSession starts a session for a user and returns its secret (the
// cookie value); only the secret's hash is stored.
func (s *SessionService) CreateSession(ctx context.Context, userID string) (string, error) {
	return s.createSession(ctx, s.deps.Store, userID)
}

func (s *SessionService) createSession(ctx context.Context, tx *gormstore.DB, userID string) (string, error) {
	secret := auth.NewSecret()
	now := s.deps.now()
	err := tx.InsertSession(ctx, gormstore.Session{ID: auth.HashSecret(secret), UserID: userID,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(models.SessionIdle)})
	return secret, err
}

// SignIn starts a session for a user whose identity was proved (password,
// invitation), ending the caller's previous session (oldSessionID, when not
// "") so that sessions rotate, and records the sign-in in the audit log of
// each of the user's accounts, all in one transaction.
func (s *SessionService) SignIn(ctx context.Context, user *models.User, oldSessionID string) (secret string, err error) {
	err = s.deps.Store.InTx(ctx, func(tx *gormstore.DB) error {
		if oldSessionID != "" {
			if _, err := tx.DeleteSession(ctx, oldSessionID); err != nil {
				return fmt.Errorf("end previous session: %w", err)
			}
		}
		if secret, err = s.createSession(ctx, tx, user.ID); err != nil {
			return err
		}
		return auditUser(ctx, tx, user.ID, gormstore.AuditEvent{Action: models.AuditSignIn,
			Target: userTarget(user.ID, user.Email), ActorID: &user.ID, Principal: personPrincipal(user.Staff)})
	})
	if err == nil && oldSessionID != "" {
		s.deps.Events.AccessChanged(gormstore.UserAccessKey(user.ID))
	}
	return secret, err
}

// SignOut ends one session (by its stored id) of a user and records it in
// the audit log of each of the user's accounts; the user's live
// subscriptions learn it at once, on every replica.
func (s *SessionService) SignOut(ctx context.Context, user *models.User, sessionID string) error {
	ended := false
	err := s.deps.Store.InTx(ctx, func(tx *gormstore.DB) error {
		var err error
		if ended, err = tx.DeleteSession(ctx, sessionID); err != nil || !ended {
			return err // !ended: a concurrent sign-out ended it; nothing to record
		}
		return auditUser(ctx, tx, user.ID, gormstore.AuditEvent{Action: models.AuditSignOut, Target: userTarget(user.ID, user.Email)})
	})
	if err != nil {
		return err
	}
	if ended {
		s.deps.Events.AccessChanged(gormstore.UserAccessKey(user.ID))
	}
	return nil
}

// Authenticate returns the user of a live session and its stored id, and
// slides the session's idle expiry; NOT_FOUND when the session is unknown
// or expired. A session ends after models.SessionIdle without use and in
// any case models.SessionMaxAge after sign-in; its use is written at most
// once per models.TouchEvery. It runs on every signed-in request: one
// statement, plus one write a minute.
func (s *SessionService) Authenticate(ctx context.Context, secret string) (*models.User, string, error) {
	id := auth.HashSecret(secret)
	user, sess, err := s.deps.Store.SessionUser(ctx, id)
	if err != nil {
		return nil, "", err
	}
	if err := s.admit(ctx, sess); err != nil {
		return nil, "", err
	}
	return user, id, nil
}

// AuthenticateFor is Authenticate for a request about one account: the
// same statement also reads the user's membership in it and its gate,
// which the request's Authorizer then uses (Authorizer.Prime), so that
// accessGate costs one statement in all. Like Authenticate it reads the
// session as it is now: sign-out, expiry, removal and demotion take
// effect at the very next request.
func (s *SessionService) AuthenticateFor(ctx context.Context, secret, accountID string) (*models.User, string, GateRead, error) {
	id := auth.HashSecret(secret)
	user, sess, g, err := s.deps.Store.SessionGate(ctx, id, accountID)
	if err != nil {
		return nil, "", GateRead{}, err
	}
	if err := s.admit(ctx, sess); err != nil {
		return nil, "", GateRead{}, err
	}
	return user, id, GateRead{Found: g.Found, Role: g.Role, State: g.State}, nil
}

// admit ends an expired session (NOT_FOUND) and slides a live one's idle
// expiry, writing its use at most once per models.TouchEvery.
func (s *SessionService) admit(ctx context.Context, sess *gormstore.Session) error {
	now := s.deps.now()
	if !now.Before(sess.ExpiresAt) || !now.Before(sess.CreatedAt.Add(models.SessionMaxAge)) {
		_, _ = s.deps.Store.DeleteSession(ctx, sess.ID)
		return models.Errorf(models.ENotFound, "session expired")
	}
	if now.Sub(sess.LastSeenAt) > models.TouchEvery {
		exp := now.Add(models.SessionIdle)
		if max := sess.CreatedAt.Add(models.SessionMaxAge); exp.After(max) {
			exp = max
		}
		if err := s.deps.Store.TouchSession(ctx, sess.ID, now, exp); err != nil {
			return err
		}
	}
	return nil
}

// Alive reports whether a session (by its stored id) still exists and has
// not expired; long-lived connections re-check it.
func (s *SessionService) Alive(ctx context.Context, id string) (bool, error) {
	return s.deps.Store.SessionAlive(ctx, id)
}

// UpsertStaff makes an existing user staff, or creates a staff user, with
// a new password (create-staff, the demo). The password is checked against
// the password rules; a new password for an existing user ends every
// session made with the old one.
func (s *SessionService) UpsertStaff(ctx context.Context, email, password string) (*models.User, error) {
	var v models.Validation
	models.ValidatePassword(&v, "password", password)
	if err := v.Err(); err != nil {
		return nil, err
	}
	hash, err := s.deps.Hasher.Hash(ctx, password)
	if err != nil {
		return nil, err
	}
	return s.UpsertStaffHash(ctx, email, hash)
}

// UpsertStaffHash is UpsertStaff with a password already checked and
// hashed.
func (s *SessionService) UpsertStaffHash(ctx context.Context, email, passwordHash string) (*models.User, error) {
	var out *models.User
	err := s.deps.Store.InTx(ctx, func(tx *gormstore.DB) error {
		u, err := tx.UserByEmail(ctx, email)
		if models.ErrorCodeOf(err) == models.ENotFound {
			out, err = tx.CreateUser(ctx, email, nil, passwordHash, true)
			return err
		}
		if err != nil {
			return err
		}
		if err := tx.SetStaffPassword(ctx, u.ID, passwordHash, s.deps.now()); err != nil {
			return err
		}
		// A new password ends every session made with the old one.
		n, err := tx.DeleteUserSessions(ctx, u.ID)
		if err != nil {
			return err
		}
		if n > 0 {
			if err := auditUser(ctx, tx, u.ID, gormstore.AuditEvent{Action: models.AuditSessionsEnded,
				Target: userTarget(u.ID, u.Email), After: fmt.Sprint(n)}); err != nil {
				return err
			}
		}
		u.Staff, u.PasswordHash = true, passwordHash
		out = u
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.deps.Events.AccessChanged(gormstore.UserAccessKey(out.ID))
	return out, nil
}

// Memberships lists a user's memberships, oldest first.
func (s *SessionService) Memberships(ctx context.Context, userID string) ([]*models.Member, error) {
	return s.deps.Store.Memberships(ctx, userID)
}

// SetLanguage records a person's language for mails (en or it).
func (s *SessionService) SetLanguage(ctx context.Context, user *models.User, language string) error {
	if language != "en" && language != "it" {
		return models.FieldErr("unsupported language", "language", models.FieldLanguageUnsupported, "choose en or it")
	}
	if err := s.deps.Store.SetLocale(ctx, user.ID, language); err != nil {
		return err
	}
	user.Locale = language
	return nil
}
