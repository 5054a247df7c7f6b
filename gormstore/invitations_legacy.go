package gormstore

// TRANSITIONAL: CreateAccount (gormstore/accounts.go) still invites the
// first administrator itself. Everything else invites through
// service.MemberService, which owns the invitation rules and mails; once
// AccountService creates accounts and calls MemberService.InviteTx in its
// transaction, delete this file (and with it gormstore's import of mail).

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/contactgate/contactgate/auth"
	"github.com/contactgate/contactgate/mail"
	"github.com/contactgate/contactgate/models"
	"gorm.io/gorm"
)

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
		TokenHash: auth.HashSecret(token), InvitedBy: actorID, CreatedAt: now, ExpiresAt: now.Add(models.InvitationTTL)}
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

// auditEvent is one event to record. Actor, principal kind, IP and user
// agent come from the request context unless set here.
type auditEvent struct {
	action models.AuditAction
	target *models.AuditTarget
	before string
	after  string
	// actorID and principal replace the caller's (a sign-in records the
	// person signing in, not whoever held the old session).
	actorID   *string
	principal models.AuditPrincipal
}

// audit records e in every account of accountIDs, inside tx.
func (db *DB) audit(ctx context.Context, tx *gorm.DB, accountIDs []string, e auditEvent) error {
	if len(accountIDs) == 0 {
		return nil
	}
	actorID, principal := auditActor(ctx)
	if e.principal != "" {
		actorID, principal = e.actorID, e.principal
	}
	var ip, ua *string
	if c, ok := auth.ClientFrom(ctx); ok {
		ip = nonEmpty(cleanText(c.IP, auditIPMax))
		ua = nonEmpty(cleanText(c.UserAgent, auditUserAgentMax))
	}
	now := db.now()
	rows := make([]auditRow, len(accountIDs))
	for i, acc := range accountIDs {
		rows[i] = auditRow{ID: newID(), AccountID: acc, Action: string(e.action), ActorID: actorID, Principal: string(principal),
			IP: ip, UserAgent: ua, At: now, BeforeValue: nonEmpty(e.before), AfterValue: nonEmpty(e.after)}
		if t := e.target; t != nil {
			kind, id, label := string(t.Kind), t.ID, t.Label
			rows[i].TargetKind, rows[i].TargetID, rows[i].TargetLabel = &kind, &id, &label
		}
	}
	// Batches keep a person with many memberships under SQLite's limit of
	// bound variables per statement.
	if err := tx.CreateInBatches(&rows, 500).Error; err != nil {
		return fmt.Errorf("record audit event: %w", err)
	}
	return nil
}

// auditActor is the caller of the request, as the audit log names it.
// Outside any request (the command line, the demo seed) it is the system;
// a request without a principal is anonymous.
func auditActor(ctx context.Context) (*string, models.AuditPrincipal) {
	p := auth.FromContext(ctx)
	switch {
	case p != nil && p.Token != nil:
		return nil, models.PrincipalAPIToken
	case p != nil && p.User != nil && p.Staff():
		id := p.User.ID
		return &id, models.PrincipalStaff
	case p != nil && p.User != nil:
		id := p.User.ID
		return &id, models.PrincipalSession
	}
	if _, ok := auth.ClientFrom(ctx); ok {
		return nil, models.PrincipalAnonymous
	}
	return nil, models.PrincipalSystem
}

func userTarget(id, email string) *models.AuditTarget {
	return &models.AuditTarget{Kind: models.TargetUser, ID: id, Label: email}
}

func invitationTarget(id, email string) *models.AuditTarget {
	return &models.AuditTarget{Kind: models.TargetInvitation, ID: id, Label: email}
}
