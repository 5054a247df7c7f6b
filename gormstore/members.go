package gormstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/contactgate/contactgate/models"
	"gorm.io/gorm"
)

// LockAccountMembers serialises the member changes of one account on
// PostgreSQL, before their guards read anything: without it two
// administrators removing or demoting each other at once would each count
// the other as "another administrator", and both would commit, leaving
// none. It locks the account's contact_infos row, the row contact info
// saves lock too, so that the alert-contact guard is serialised with them
// as well. SQLite's immediate transactions already serialise every writer.
// Call it inside InTx.
func (db *DB) LockAccountMembers(ctx context.Context, accountID string) error {
	if db.dialect != "postgres" {
		return nil
	}
	var locked []string
	if err := db.with(ctx).Raw(`SELECT account_id FROM contact_infos WHERE account_id = ? FOR UPDATE`, accountID).Scan(&locked).Error; err != nil {
		return fmt.Errorf("lock account: %w", err)
	}
	return nil
}

// Member returns a membership; NOT_FOUND when there is none.
func (db *DB) Member(ctx context.Context, accountID, userID string) (*models.Member, error) {
	var m memberRow
	err := db.with(ctx).Where("account_id = ? AND user_id = ?", accountID, userID).Take(&m).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, models.Errorf(models.ENotFound, "member not found")
	}
	if err != nil {
		return nil, fmt.Errorf("find member: %w", err)
	}
	return m.model(), nil
}

// IsMember reports whether a user is a member of an account.
func (db *DB) IsMember(ctx context.Context, accountID, userID string) (bool, error) {
	var n int64
	if err := db.with(ctx).Model(&memberRow{}).Where("account_id = ? AND user_id = ?", accountID, userID).Count(&n).Error; err != nil {
		return false, fmt.Errorf("check membership: %w", err)
	}
	return n > 0, nil
}

// CountAdministratorsExcept counts an account's administrators other than
// one user.
func (db *DB) CountAdministratorsExcept(ctx context.Context, accountID, userID string) (int64, error) {
	var n int64
	if err := db.with(ctx).Model(&memberRow{}).Where("account_id = ? AND role = ? AND user_id <> ?", accountID, string(models.RoleAdministrator), userID).
		Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count administrators: %w", err)
	}
	return n, nil
}

// SetMemberRole changes a member's role.
func (db *DB) SetMemberRole(ctx context.Context, accountID, userID string, role models.Role) error {
	if err := db.with(ctx).Model(&memberRow{}).Where("account_id = ? AND user_id = ?", accountID, userID).Update("role", string(role)).Error; err != nil {
		return fmt.Errorf("update role: %w", err)
	}
	return nil
}

// DeleteMember deletes a membership.
func (db *DB) DeleteMember(ctx context.Context, accountID, userID string) error {
	if err := db.with(ctx).Where("account_id = ? AND user_id = ?", accountID, userID).Delete(&memberRow{}).Error; err != nil {
		return fmt.Errorf("remove member: %w", err)
	}
	return nil
}

// CountMemberships counts the accounts a user is a member of.
func (db *DB) CountMemberships(ctx context.Context, userID string) (int64, error) {
	var n int64
	if err := db.with(ctx).Model(&memberRow{}).Where("user_id = ?", userID).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count memberships: %w", err)
	}
	return n, nil
}

// AddMember gives an existing user a role in an account.
func (db *DB) AddMember(ctx context.Context, accountID, userID string, role models.Role) error {
	return db.InsertMember(ctx, accountID, userID, role, db.now())
}

// InsertMember stores a membership created at a given time.
func (db *DB) InsertMember(ctx context.Context, accountID, userID string, role models.Role, at time.Time) error {
	if err := db.with(ctx).Create(&memberRow{AccountID: accountID, UserID: userID, Role: string(role), CreatedAt: at}).Error; err != nil {
		return fmt.Errorf("add member: %w", err)
	}
	return nil
}

// UserEmail returns a user's email (audit labels); NOT_FOUND when there is
// no such user.
func (db *DB) UserEmail(ctx context.Context, userID string) (string, error) {
	var u userRow
	if err := db.with(ctx).Select("id", "email").Where("id = ?", userID).Take(&u).Error; err != nil {
		return "", fmt.Errorf("find member: %w", err)
	}
	return u.Email, nil
}
