package gormstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/contactgate/contactgate/models"
	"gorm.io/gorm"
)

// transaction runs fn in a transaction on ctx.
func (db *DB) transaction(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if db.tx != nil {
		return fn(db.with(ctx))
	}
	return db.with(ctx).Transaction(fn)
}

// Account loads one account; NOT_FOUND when there is none.
func (db *DB) Account(ctx context.Context, id string) (*models.Account, error) {
	accs, err := db.AccountsByIDs(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	if len(accs) == 0 {
		return nil, models.Errorf(models.ENotFound, "account not found")
	}
	return accs[0], nil
}

// AccountsByIDs loads accounts with their integration types in two
// statements, whatever the number of ids.
func (db *DB) AccountsByIDs(ctx context.Context, ids []string) ([]*models.Account, error) {
	var rows []accountRow
	if err := db.with(ctx).Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load accounts: %w", err)
	}
	return db.withIntegrationTypes(ctx, rows)
}

func (db *DB) withIntegrationTypes(ctx context.Context, rows []accountRow) ([]*models.Account, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	byAccount := make(map[string][]string, len(ids))
	var accountID, integrationType string
	if err := db.queryIDs(ctx, "integration types", `SELECT account_id, integration_type FROM account_integration_types
		WHERE account_id IN (?) ORDER BY account_id, integration_type`, ids, func(rows rowScanner) error {
		if err := rows.Scan(&accountID, &integrationType); err != nil {
			return err
		}
		byAccount[accountID] = append(byAccount[accountID], integrationType)
		return nil
	}); err != nil {
		return nil, err
	}
	out := make([]*models.Account, len(rows))
	for i, r := range rows {
		its := byAccount[r.ID]
		if its == nil {
			its = []string{}
		}
		out[i] = &models.Account{ID: r.ID, Name: r.Name, IntegrationTypes: its,
			LaunchRequestedAt: r.LaunchRequestedAt, CreatedAt: r.CreatedAt}
	}
	return out, nil
}

// RecordLaunchRequest records that an account asks to launch in
// production.
func (db *DB) RecordLaunchRequest(ctx context.Context, actorID *string, accountID string) error {
	now := db.now()
	return db.transaction(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&launchRequestRow{ID: newID(), AccountID: accountID, RequestedBy: actorID, At: now}).Error; err != nil {
			return fmt.Errorf("record launch request: %w", err)
		}
		if err := tx.Model(&accountRow{}).Where("id = ?", accountID).Update("launch_requested_at", now).Error; err != nil {
			return fmt.Errorf("record launch request: %w", err)
		}
		return nil
	})
}

// CreateDemoAccount creates an account whose administrator already has a
// password, without an invitation: the first-run demo, and test fixtures.
func (db *DB) CreateDemoAccount(ctx context.Context, actor *models.User, name string, types []string, adminEmail, adminName, passwordHash string) (*models.Account, error) {
	acc, err := db.CreateAccountRows(ctx, name, types)
	if err != nil {
		return nil, err
	}
	err = db.transaction(ctx, func(tx *gorm.DB) error {
		var u userRow
		err := tx.Where("email = ?", NormalizeEmail(adminEmail)).Take(&u).Error
		if err != nil {
			u = userRow{ID: newID(), Email: NormalizeEmail(adminEmail), Name: &adminName, PasswordHash: passwordHash, CreatedAt: db.now()}
			if err := tx.Create(&u).Error; err != nil {
				return fmt.Errorf("create administrator: %w", err)
			}
		}
		return tx.Create(&memberRow{AccountID: acc.ID, UserID: u.ID, Role: string(models.RoleAdministrator), CreatedAt: db.now()}).Error
	})
	if err != nil {
		return nil, fmt.Errorf("create demo account: %w", err)
	}
	return acc, nil
}

// CreateAccountRows writes an account, its integration types and its
// empty contact info, with no member yet.
func (db *DB) CreateAccountRows(ctx context.Context, name string, types []string) (*models.Account, error) {
	acc := accountRow{ID: newID(), Name: name, NameLower: strings.ToLower(name), CreatedAt: db.now()}
	err := db.transaction(ctx, func(tx *gorm.DB) error {
		return db.insertAccount(tx, acc, types)
	})
	if err != nil {
		return nil, err
	}
	return &models.Account{ID: acc.ID, Name: acc.Name, IntegrationTypes: types, CreatedAt: acc.CreatedAt}, nil
}

// insertAccount writes an account, its integration types and its empty
// contact info.
func (db *DB) insertAccount(tx *gorm.DB, acc accountRow, types []string) error {
	if err := tx.Create(&acc).Error; err != nil {
		return fmt.Errorf("create account: %w", err)
	}
	for _, t := range types {
		if err := tx.Create(&integrationTypeRow{AccountID: acc.ID, IntegrationType: t}).Error; err != nil {
			return fmt.Errorf("add integration type: %w", err)
		}
	}
	info := models.ContactInfo{AccountID: acc.ID, MerchantIssuesRequirement: db.opts.Catalog.MerchantIssues(types)}
	missing := models.MissingSet(info)
	doc := emptyContactsDoc
	row := contactInfoRow{AccountID: acc.ID, MerchantIssuesRequirement: string(info.MerchantIssuesRequirement),
		Missing: int(missing), LockedSandbox: missing.Gate(models.EnvironmentSandbox).Locked,
		LockedProduction: missing.Gate(models.EnvironmentProduction).Locked, ContactsDoc: &doc}
	// A new account's first cycle starts at its creation.
	now := db.now()
	row.ReviewedAt = &now
	if err := tx.Create(&row).Error; err != nil {
		return fmt.Errorf("create contact info: %w", err)
	}
	return nil
}
