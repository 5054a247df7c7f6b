package gormstore

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/contactgate/contactgate/auth"
	"github.com/contactgate/contactgate/mail"
	"github.com/contactgate/contactgate/models"
	"gorm.io/gorm"
)

// InvitationTTL is how long an invitation link works.
const InvitationTTL = 7 * 24 * time.Hour

// invitationResult is what an invitation did, for after the commit.
type invitationResult struct {
	invitation *models.Invitation
	mailQueued bool
}

func (db *DB) afterCommit(r *invitationResult) {
	if r != nil && r.mailQueued && db.opts.OnMailQueued != nil {
		db.AfterCommit(db.opts.OnMailQueued)
	}
}

// InviteUser invites an email to an account, or adds an existing user at
// once with a notice mail. Re-inviting a pending email refreshes its
// invitation (new link, new expiry, new role) instead of adding another.
func (db *DB) InviteUser(ctx context.Context, actor *models.User, accountID, email string, role models.Role) (*models.Invitation, error) {
	var v models.Validation
	normalized, _ := models.ValidateEmail(&v, "email", email)
	if !role.Valid() {
		v.AddCode("role", models.FieldRoleInvalid, "choose a role")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	acc, err := db.Account(ctx, accountID)
	if err != nil {
		return nil, err
	}
	var res *invitationResult
	err = db.transaction(ctx, func(tx *gorm.DB) error {
		var err error
		res, err = db.inviteTx(ctx, tx, actor, accountID, acc.Name, normalized, role)
		return err
	})
	if err != nil {
		return nil, err
	}
	db.afterCommit(res)
	return res.invitation, nil
}

func (db *DB) inviteTx(ctx context.Context, tx *gorm.DB, actor *models.User, accountID, accountName, email string, role models.Role) (*invitationResult, error) {
	now := db.now()
	var actorID *string
	inviter := "ContactGate"
	if actor != nil {
		actorID = &actor.ID
		inviter = actor.Email
		if actor.Name != nil && *actor.Name != "" {
			inviter = *actor.Name
		}
	}
	var existing userRow
	err := tx.Where("email = ?", email).Take(&existing).Error
	switch {
	case err == nil:
		var n int64
		if err := tx.Model(&memberRow{}).Where("account_id = ? AND user_id = ?", accountID, existing.ID).Count(&n).Error; err != nil {
			return nil, fmt.Errorf("check membership: %w", err)
		}
		if n > 0 {
			return nil, models.FieldErr("already a member", "email", models.FieldAlreadyMember, "this person is already a member of the account")
		}
		if err := tx.Create(&memberRow{AccountID: accountID, UserID: existing.ID, Role: string(role), CreatedAt: now}).Error; err != nil {
			return nil, fmt.Errorf("add member: %w", err)
		}
		// An invitation still pending from before the person had a user is
		// superseded by the membership: it must neither stay listed nor
		// keep a working link.
		if err := tx.Model(&invitationRow{}).Where("account_id = ? AND email = ? AND accepted_at IS NULL AND revoked_at IS NULL", accountID, email).
			Update("revoked_at", now).Error; err != nil {
			return nil, fmt.Errorf("close pending invitation: %w", err)
		}
		// The record of the invitation is kept, already accepted, so that
		// who brought whom in stays visible.
		row := invitationRow{ID: newID(), AccountID: accountID, Email: email, Role: string(role),
			TokenHash: auth.HashSecret(auth.NewSecret()), InvitedBy: actorID, CreatedAt: now,
			ExpiresAt: now, AcceptedAt: &now}
		if err := tx.Create(&row).Error; err != nil {
			return nil, fmt.Errorf("record invitation: %w", err)
		}
		if err := db.audit(ctx, tx, []string{accountID}, auditEvent{action: models.AuditMemberAdded,
			target: userTarget(existing.ID, existing.Email), after: string(role)}); err != nil {
			return nil, err
		}
		msg := mail.MembershipNoticeMail(existing.Locale, mail.NoticeData{
			To: email, AccountName: accountName, InviterName: inviter, Role: string(role), Link: db.link("/"),
		})
		if err := mail.Enqueue(tx, db.opts.MailFrom, msg); err != nil {
			return nil, fmt.Errorf("queue notice: %w", err)
		}
		return &invitationResult{invitation: row.model(), mailQueued: true}, nil
	case !errors.Is(err, gorm.ErrRecordNotFound):
		return nil, fmt.Errorf("find user: %w", err)
	}

	token := auth.NewSecret()
	var pending invitationRow
	err = tx.Where("account_id = ? AND email = ? AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?",
		accountID, email, now).Order("created_at DESC").Take(&pending).Error
	row := invitationRow{ID: newID(), AccountID: accountID, Email: email, Role: string(role),
		TokenHash: auth.HashSecret(token), InvitedBy: actorID, CreatedAt: now, ExpiresAt: now.Add(InvitationTTL)}
	before := ""
	switch {
	case err == nil:
		row.ID = pending.ID
		before = pending.Role
		if err := tx.Model(&invitationRow{}).Where("id = ?", pending.ID).Updates(map[string]any{
			"role": row.Role, "token_hash": row.TokenHash, "invited_by": actorID,
			"created_at": now, "expires_at": row.ExpiresAt}).Error; err != nil {
			return nil, fmt.Errorf("refresh invitation: %w", err)
		}
	case errors.Is(err, gorm.ErrRecordNotFound):
		if err := tx.Create(&row).Error; err != nil {
			return nil, fmt.Errorf("create invitation: %w", err)
		}
	default:
		return nil, fmt.Errorf("find invitation: %w", err)
	}
	// A refreshed invitation is sent again: before is the role it offered.
	if err := db.audit(ctx, tx, []string{accountID}, auditEvent{action: models.AuditInvitationSent,
		target: invitationTarget(row.ID, email), before: before, after: string(role)}); err != nil {
		return nil, err
	}
	// The person has no language yet; the inviter's is the best guess.
	locale := ""
	if actor != nil {
		locale = actor.Locale
	}
	msg := mail.InvitationMail(locale, mail.InvitationData{
		To: email, AccountName: accountName, InviterName: inviter, Role: string(role),
		Link: db.link("/invitations/accept?token=" + url.QueryEscape(token)), ExpiresAt: row.ExpiresAt,
	})
	if err := mail.Enqueue(tx, db.opts.MailFrom, msg); err != nil {
		return nil, fmt.Errorf("queue invitation: %w", err)
	}
	return &invitationResult{invitation: row.model(), mailQueued: true}, nil
}

func (db *DB) link(path string) string {
	base := strings.TrimRight(db.opts.PublicURL, "/")
	if base == "" {
		base = "http://localhost:8080"
	}
	return base + path
}

// PendingInvitation finds the live invitation behind a token; NOT_FOUND when
// the token is unknown, used, revoked or expired.
func (db *DB) PendingInvitation(ctx context.Context, token string) (*models.Invitation, string, error) {
	var row invitationRow
	err := db.with(ctx).Where("token_hash = ? AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?",
		auth.HashSecret(token), db.now()).Take(&row).Error
	if err != nil {
		return nil, "", notFound(err, "invitation")
	}
	var acc accountRow
	if err := db.with(ctx).Where("id = ?", row.AccountID).Take(&acc).Error; err != nil {
		return nil, "", notFound(err, "account")
	}
	return row.model(), acc.Name, nil
}

// Acceptance says who accepts an invitation: either an existing user the
// caller has proved to be (signed in as them, or by their password), or a
// new person with a name and a password hash.
type Acceptance struct {
	// UserID is the existing user accepting; it must be the user of the
	// invited email. Empty for a new person.
	UserID string
	// Name and PasswordHash create the user of a new person.
	Name, PasswordHash string
}

// AcceptInvitation uses an invitation once: it adds the membership with the
// invited role and marks the invitation accepted, creating the user (never
// staff) for a new person. Whether the email has a user is decided again
// inside the transaction: when one appeared since the caller looked (another
// invitation accepted, create-staff), a new person's acceptance is a
// CONFLICT and changes nothing, so that the link never hands out an existing
// user.
func (db *DB) AcceptInvitation(ctx context.Context, token string, a Acceptance) (*models.User, error) {
	var user *models.User
	err := db.transaction(ctx, func(tx *gorm.DB) error {
		now := db.now()
		var inv invitationRow
		err := tx.Where("token_hash = ? AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?",
			auth.HashSecret(token), now).Take(&inv).Error
		if err != nil {
			return notFound(err, "invitation")
		}
		// The conditional update makes the token single-use even when two
		// requests race with it.
		res := tx.Model(&invitationRow{}).Where("id = ? AND accepted_at IS NULL", inv.ID).Update("accepted_at", now)
		if res.Error != nil {
			return fmt.Errorf("accept invitation: %w", res.Error)
		}
		if res.RowsAffected != 1 {
			return models.Errorf(models.ENotFound, "invitation not found")
		}
		var u userRow
		err = tx.Where("email = ?", inv.Email).Take(&u).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			if a.UserID != "" {
				return models.Errorf(models.EConflict, "the invited email has no user")
			}
			n := strings.TrimSpace(a.Name)
			u = userRow{ID: newID(), Email: inv.Email, Name: &n, PasswordHash: a.PasswordHash, CreatedAt: now, PasswordChangedAt: &now}
			if err := tx.Create(&u).Error; err != nil {
				if errors.Is(err, gorm.ErrDuplicatedKey) {
					// Another invitation for this email was accepted at the
					// same moment; this one changes nothing.
					return models.ErrorWithReason(models.EConflict, models.ReasonSignInRequired,
						"this email was just registered; sign in and accept the invitation again")
				}
				return fmt.Errorf("create user: %w", err)
			}
		case err != nil:
			return fmt.Errorf("find user: %w", err)
		case a.UserID == "":
			return models.ErrorWithReason(models.EConflict, models.ReasonSignInRequired,
				"this email was just registered; sign in and accept the invitation again")
		case a.UserID != u.ID:
			return models.ErrorWithReason(models.EForbidden, models.ReasonSignedInAsAnotherUser,
				"this invitation is for another user")
		}
		var n int64
		if err := tx.Model(&memberRow{}).Where("account_id = ? AND user_id = ?", inv.AccountID, u.ID).Count(&n).Error; err != nil {
			return fmt.Errorf("check membership: %w", err)
		}
		if n == 0 {
			if err := tx.Create(&memberRow{AccountID: inv.AccountID, UserID: u.ID, Role: inv.Role, CreatedAt: now}).Error; err != nil {
				return fmt.Errorf("add member: %w", err)
			}
		}
		// The person accepting acts through the link (anonymous unless
		// signed in); they are the actor either way.
		_, principal := auditActor(ctx)
		if err := db.audit(ctx, tx, []string{inv.AccountID}, auditEvent{action: models.AuditInvitationAccepted,
			target: invitationTarget(inv.ID, inv.Email), after: inv.Role, actorID: &u.ID, principal: principal}); err != nil {
			return err
		}
		user = u.model()
		return nil
	})
	return user, err
}

// InvitationAccount returns the account of an invitation, for authorization.
func (db *DB) InvitationAccount(ctx context.Context, id string) (string, error) {
	var row invitationRow
	if err := db.with(ctx).Select("account_id").Where("id = ?", id).Take(&row).Error; err != nil {
		return "", notFound(err, "invitation")
	}
	return row.AccountID, nil
}

// RevokeInvitation ends a pending invitation; false when it was not pending.
func (db *DB) RevokeInvitation(ctx context.Context, id string) (bool, error) {
	revoked := false
	err := db.transaction(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&invitationRow{}).Where("id = ? AND accepted_at IS NULL AND revoked_at IS NULL", id).
			Update("revoked_at", db.now())
		if res.Error != nil {
			return fmt.Errorf("revoke invitation: %w", res.Error)
		}
		if revoked = res.RowsAffected == 1; !revoked {
			return nil
		}
		var inv invitationRow
		if err := tx.Where("id = ?", id).Take(&inv).Error; err != nil {
			return fmt.Errorf("find invitation: %w", err)
		}
		return db.audit(ctx, tx, []string{inv.AccountID}, auditEvent{action: models.AuditInvitationRevoked,
			target: invitationTarget(inv.ID, inv.Email), before: inv.Role})
	})
	return revoked, err
}

func invitationTarget(id, email string) *models.AuditTarget {
	return &models.AuditTarget{Kind: models.TargetInvitation, ID: id, Label: email}
}

// InvitationsByAccountIDs lists the pending invitations of several accounts
// in one statement, newest first.
func (db *DB) InvitationsByAccountIDs(ctx context.Context, ids []string) (map[string][]*models.Invitation, error) {
	var rows []invitationRow
	if err := db.with(ctx).Where("account_id IN ? AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?", ids, db.now()).
		Order("account_id, created_at DESC").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load invitations: %w", err)
	}
	out := map[string][]*models.Invitation{}
	for _, r := range rows {
		out[r.AccountID] = append(out[r.AccountID], r.model())
	}
	return out, nil
}
