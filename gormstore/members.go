package gormstore

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/contactgate/contactgate/models"
	"gorm.io/gorm"
)

// UpdateMemberRole changes a member's role. Nobody changes their own role,
// and an account always keeps at least one administrator.
func (db *DB) UpdateMemberRole(ctx context.Context, actorID, accountID, userID string, role models.Role) (*models.Member, error) {
	if !role.Valid() {
		return nil, models.FieldErr("unknown role", "role", models.FieldRoleInvalid, "choose a role")
	}
	if actorID == userID {
		return nil, models.ErrorWithReason(models.EForbidden, models.ReasonOwnRole, "you cannot change your own role; ask another administrator")
	}
	var out *models.Member
	err := db.transaction(ctx, func(tx *gorm.DB) error {
		if err := lockAccountMembers(tx, accountID); err != nil {
			return err
		}
		m, err := lockMember(tx, accountID, userID)
		if err != nil {
			return err
		}
		if models.Role(m.Role) == models.RoleAdministrator && role != models.RoleAdministrator {
			if err := requireAnotherAdministrator(tx, accountID, userID); err != nil {
				return err
			}
		}
		if err := tx.Model(&memberRow{}).Where("account_id = ? AND user_id = ?", accountID, userID).Update("role", string(role)).Error; err != nil {
			return fmt.Errorf("update role: %w", err)
		}
		if err := db.auditMember(ctx, tx, accountID, userID, auditEvent{action: models.AuditMemberRoleChanged,
			before: m.Role, after: string(role)}); err != nil {
			return err
		}
		m.Role = string(role)
		out = m.model()
		return nil
	})
	if err == nil {
		db.accessChanged(accountID)
	}
	return out, err
}

// RemoveMember removes a member. The account keeps at least one
// administrator; the only alert contact stays until another is chosen; a
// member who was one of several alert contacts is taken off the list, and
// that change is recorded in the history. A person removed from their last
// account is signed out everywhere.
func (db *DB) RemoveMember(ctx context.Context, actorID *string, accountID, userID string) error {
	gateChanged := false
	err := db.transaction(ctx, func(tx *gorm.DB) error {
		if err := lockAccountMembers(tx, accountID); err != nil {
			return err
		}
		m, err := lockMember(tx, accountID, userID)
		if err != nil {
			return err
		}
		if models.Role(m.Role) == models.RoleAdministrator {
			if err := requireAnotherAdministrator(tx, accountID, userID); err != nil {
				return err
			}
		}
		infos, err := loadContactInfos(tx, []string{accountID}, true)
		if err != nil {
			return err
		}
		info := infos[accountID]
		if info != nil && slices.Contains(info.AlertContactIDs, userID) {
			if len(info.AlertContactIDs) == 1 {
				return models.ErrorWithReason(models.EConflict, models.ReasonOnlyAlertContact, "this member is the only alert contact; choose another alert contact first")
			}
			next := *info
			next.AlertContactIDs = slices.DeleteFunc(slices.Clone(info.AlertContactIDs), func(id string) bool { return id == userID })
			if _, gateChanged, err = db.writeContactInfo(tx, actorID, *info, next, []models.ContactField{models.FieldAlertContacts}); err != nil {
				return err
			}
		}
		if err := tx.Where("account_id = ? AND user_id = ?", accountID, userID).Delete(&memberRow{}).Error; err != nil {
			return fmt.Errorf("remove member: %w", err)
		}
		var left int64
		if err := tx.Model(&memberRow{}).Where("user_id = ?", userID).Count(&left).Error; err != nil {
			return fmt.Errorf("count memberships: %w", err)
		}
		if err := db.auditMember(ctx, tx, accountID, userID, auditEvent{action: models.AuditMemberRemoved, before: m.Role}); err != nil {
			return err
		}
		if left == 0 {
			res := tx.Where("user_id = ?", userID).Delete(&sessionRow{})
			if res.Error != nil {
				return fmt.Errorf("end sessions: %w", res.Error)
			}
			if res.RowsAffected > 0 {
				if err := db.auditMember(ctx, tx, accountID, userID, auditEvent{action: models.AuditSessionsEnded,
					after: fmt.Sprint(res.RowsAffected)}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err == nil && gateChanged && db.opts.OnGateChanged != nil {
		db.AfterCommit(func() { db.opts.OnGateChanged(accountID) })
	}
	if err == nil {
		db.accessChanged(accountID, UserAccessKey(userID))
	}
	return err
}

// auditMember records an event about a member of an account, labelled
// with the member's email.
func (db *DB) auditMember(ctx context.Context, tx *gorm.DB, accountID, userID string, e auditEvent) error {
	var u userRow
	if err := tx.Select("id", "email").Where("id = ?", userID).Take(&u).Error; err != nil {
		return fmt.Errorf("find member: %w", err)
	}
	e.target = userTarget(u.ID, u.Email)
	return db.audit(ctx, tx, []string{accountID}, e)
}

// lockAccountMembers serialises the member changes of one account on
// PostgreSQL, before their guards read anything: without it two
// administrators removing or demoting each other at once would each count
// the other as "another administrator", and both would commit, leaving
// none. It locks the account's contact_infos row, the row contact info
// saves lock too, so that the alert-contact guard is serialised with them
// as well. SQLite's immediate transactions already serialise every writer.
func lockAccountMembers(tx *gorm.DB, accountID string) error {
	if tx.Dialector.Name() != "postgres" {
		return nil
	}
	var locked []string
	if err := tx.Raw(`SELECT account_id FROM contact_infos WHERE account_id = ? FOR UPDATE`, accountID).Scan(&locked).Error; err != nil {
		return fmt.Errorf("lock account: %w", err)
	}
	return nil
}

func lockMember(tx *gorm.DB, accountID, userID string) (*memberRow, error) {
	var m memberRow
	err := tx.Where("account_id = ? AND user_id = ?", accountID, userID).Take(&m).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, models.Errorf(models.ENotFound, "member not found")
	}
	if err != nil {
		return nil, fmt.Errorf("find member: %w", err)
	}
	return &m, nil
}

func requireAnotherAdministrator(tx *gorm.DB, accountID, userID string) error {
	var n int64
	if err := tx.Model(&memberRow{}).Where("account_id = ? AND role = ? AND user_id <> ?", accountID, string(models.RoleAdministrator), userID).
		Count(&n).Error; err != nil {
		return fmt.Errorf("count administrators: %w", err)
	}
	if n == 0 {
		return models.ErrorWithReason(models.EConflict, models.ReasonLastAdministrator, "an account needs at least one administrator; make someone else administrator first")
	}
	return nil
}

// AddMember gives an existing user a role in an account (fixtures, seeding).
func (db *DB) AddMember(ctx context.Context, accountID, userID string, role models.Role) error {
	if err := db.with(ctx).Create(&memberRow{AccountID: accountID, UserID: userID, Role: string(role), CreatedAt: db.now()}).Error; err != nil {
		return fmt.Errorf("add member: %w", err)
	}
	return nil
}
