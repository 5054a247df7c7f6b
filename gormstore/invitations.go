package gormstore

import (
	"context"
	"fmt"
	"time"

	"github.com/contactgate/contactgate/models"
)

// NewInvitation is an invitation to insert; the link's token is stored as
// its hash only.
type NewInvitation struct {
	AccountID  string
	Email      string
	Role       models.Role
	TokenHash  string
	InvitedBy  *string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	AcceptedAt *time.Time
}

// InsertInvitation stores an invitation.
func (db *DB) InsertInvitation(ctx context.Context, in NewInvitation) (*models.Invitation, error) {
	row := invitationRow{ID: newID(), AccountID: in.AccountID, Email: in.Email, Role: string(in.Role), TokenHash: in.TokenHash,
		InvitedBy: in.InvitedBy, CreatedAt: in.CreatedAt, ExpiresAt: in.ExpiresAt, AcceptedAt: in.AcceptedAt}
	if err := db.with(ctx).Create(&row).Error; err != nil {
		return nil, fmt.Errorf("create invitation: %w", err)
	}
	return row.model(), nil
}

// RevokePendingInvitations marks the open invitations of an email to an
// account revoked.
func (db *DB) RevokePendingInvitations(ctx context.Context, accountID, email string, at time.Time) error {
	if err := db.with(ctx).Model(&invitationRow{}).Where("account_id = ? AND email = ? AND accepted_at IS NULL AND revoked_at IS NULL", accountID, email).
		Update("revoked_at", at).Error; err != nil {
		return fmt.Errorf("close pending invitation: %w", err)
	}
	return nil
}

// PendingInvitationFor returns the newest open invitation of an email to
// an account that expires after now; nil when there is none.
func (db *DB) PendingInvitationFor(ctx context.Context, accountID, email string, now time.Time) (*models.Invitation, error) {
	var rows []invitationRow
	if err := db.with(ctx).Where("account_id = ? AND email = ? AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?",
		accountID, email, now).Order("created_at DESC").Limit(1).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("find invitation: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return rows[0].model(), nil
}

// RefreshInvitation gives an invitation a new link, role, inviter and
// lifetime.
func (db *DB) RefreshInvitation(ctx context.Context, id string, in NewInvitation) error {
	if err := db.with(ctx).Model(&invitationRow{}).Where("id = ?", id).Updates(map[string]any{
		"role": string(in.Role), "token_hash": in.TokenHash, "invited_by": in.InvitedBy,
		"created_at": in.CreatedAt, "expires_at": in.ExpiresAt}).Error; err != nil {
		return fmt.Errorf("refresh invitation: %w", err)
	}
	return nil
}

// OpenInvitationByHash finds the invitation behind a token's hash that is
// neither accepted nor revoked and expires after now, with its account's
// name; NOT_FOUND otherwise.
func (db *DB) OpenInvitationByHash(ctx context.Context, tokenHash string, now time.Time) (*models.Invitation, string, error) {
	var row invitationRow
	err := db.with(ctx).Where("token_hash = ? AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?",
		tokenHash, now).Take(&row).Error
	if err != nil {
		return nil, "", notFound(err, "invitation")
	}
	var acc accountRow
	if err := db.with(ctx).Where("id = ?", row.AccountID).Take(&acc).Error; err != nil {
		return nil, "", notFound(err, "account")
	}
	return row.model(), acc.Name, nil
}

// OpenInvitationByHashOnly is OpenInvitationByHash without the account,
// for the transaction that uses the invitation.
func (db *DB) OpenInvitationByHashOnly(ctx context.Context, tokenHash string, now time.Time) (*models.Invitation, error) {
	var row invitationRow
	err := db.with(ctx).Where("token_hash = ? AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?",
		tokenHash, now).Take(&row).Error
	if err != nil {
		return nil, notFound(err, "invitation")
	}
	return row.model(), nil
}

// MarkInvitationAccepted marks an unaccepted invitation accepted; false
// when it was accepted already. The conditional update lets only one of
// several racing callers win.
func (db *DB) MarkInvitationAccepted(ctx context.Context, id string, at time.Time) (bool, error) {
	res := db.with(ctx).Model(&invitationRow{}).Where("id = ? AND accepted_at IS NULL", id).Update("accepted_at", at)
	if res.Error != nil {
		return false, fmt.Errorf("accept invitation: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}

// InvitationAccount returns the account of an invitation, for authorization.
func (db *DB) InvitationAccount(ctx context.Context, id string) (string, error) {
	var row invitationRow
	if err := db.with(ctx).Select("account_id").Where("id = ?", id).Take(&row).Error; err != nil {
		return "", notFound(err, "invitation")
	}
	return row.AccountID, nil
}

// RevokeInvitation marks a pending invitation revoked and returns it; nil
// when it was not pending.
func (db *DB) RevokeInvitation(ctx context.Context, id string, at time.Time) (*models.Invitation, error) {
	res := db.with(ctx).Model(&invitationRow{}).Where("id = ? AND accepted_at IS NULL AND revoked_at IS NULL", id).
		Update("revoked_at", at)
	if res.Error != nil {
		return nil, fmt.Errorf("revoke invitation: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return nil, nil
	}
	var inv invitationRow
	if err := db.with(ctx).Where("id = ?", id).Take(&inv).Error; err != nil {
		return nil, fmt.Errorf("find invitation: %w", err)
	}
	return inv.model(), nil
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
