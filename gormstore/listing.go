package gormstore

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/contactgate/contactgate/models"
	"gorm.io/gorm"
)

// AccountFilter narrows the staff listing.
type AccountFilter struct {
	Search          string
	Locked          *bool
	Environment     models.Environment
	IntegrationType string
	Missing         models.ContactField
}

// AccountPage is one page of the staff listing.
type AccountPage struct {
	Accounts    []*models.Account
	Cursors     []string
	HasNextPage bool
	TotalCount  int64
}

// MaxPageSize clamps `first` on every connection.
const MaxPageSize = 100

// ListAccounts pages through accounts ordered by name then id, with keyset
// cursors, so that accounts added between two fetches never shift a page.
func (db *DB) ListAccounts(ctx context.Context, f AccountFilter, first int, after string) (*AccountPage, error) {
	first = ClampFirst(first, 50)
	q := db.filteredAccounts(ctx, f)
	var total int64
	if err := q.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, fmt.Errorf("count accounts: %w", err)
	}
	if after != "" {
		name, id, ok := decodeAccountCursor(after)
		if !ok {
			return nil, &models.Error{Code: models.EValidation, Message: "invalid cursor",
				Fields: []models.FieldError{{Field: "after", Message: "not a cursor of this list"}}}
		}
		q = q.Where("(accounts.name_lower > ? OR (accounts.name_lower = ? AND accounts.id > ?))", name, name, id)
	}
	var rows []accountRow
	if err := q.Order("accounts.name_lower, accounts.id").Limit(first + 1).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	page := &AccountPage{TotalCount: total, HasNextPage: len(rows) > first}
	if page.HasNextPage {
		rows = rows[:first]
	}
	accs, err := db.withIntegrationTypes(ctx, rows)
	if err != nil {
		return nil, err
	}
	page.Accounts = accs
	for _, r := range rows {
		page.Cursors = append(page.Cursors, encodeAccountCursor(r.NameLower, r.ID))
	}
	return page, nil
}

func (db *DB) filteredAccounts(ctx context.Context, f AccountFilter) *gorm.DB {
	q := db.with(ctx).Model(&accountRow{})
	if s := strings.ToLower(strings.TrimSpace(f.Search)); s != "" {
		like := "%" + escapeLike(s) + "%"
		q = q.Where(`(accounts.name_lower LIKE ? ESCAPE '\' OR accounts.id = ?
			OR EXISTS (SELECT 1 FROM contacts c WHERE c.account_id = accounts.id AND c.email LIKE ? ESCAPE '\')
			OR EXISTS (SELECT 1 FROM members m JOIN users u ON u.id = m.user_id WHERE m.account_id = accounts.id AND u.email LIKE ? ESCAPE '\'))`,
			like, s, like, like)
	}
	env := f.Environment
	if env == "" {
		env = models.EnvironmentSandbox
	}
	if f.Locked != nil || f.Missing != "" {
		q = q.Joins("JOIN contact_infos ci ON ci.account_id = accounts.id")
		if f.Locked != nil {
			col := "ci.locked_sandbox"
			if env == models.EnvironmentProduction {
				col = "ci.locked_production"
			}
			q = q.Where(col+" = ?", *f.Locked)
		}
		if f.Missing != "" {
			bit := int(models.FieldSet(f.Missing.Bit()).ForEnvironment(env))
			// An unneeded field (alert contacts in SANDBOX) is never missing.
			q = q.Where("(ci.missing & ?) <> 0", bit)
		}
	}
	if f.IntegrationType != "" {
		q = q.Where("EXISTS (SELECT 1 FROM account_integration_types t WHERE t.account_id = accounts.id AND t.integration_type = ?)", f.IntegrationType)
	}
	return q
}

// ClampFirst bounds a page size to 1..MaxPageSize, with def when unset.
func ClampFirst(first, def int) int {
	switch {
	case first <= 0:
		return def
	case first > MaxPageSize:
		return MaxPageSize
	}
	return first
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func encodeAccountCursor(nameLower, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(nameLower + "\x00" + id))
}

func decodeAccountCursor(c string) (string, string, bool) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return "", "", false
	}
	name, id, ok := strings.Cut(string(b), "\x00")
	return name, id, ok
}
