package gormstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/contactgate/contactgate/models"
	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Gate answers the access gate of one account with one primary-key lookup.
func (db *DB) Gate(ctx context.Context, accountID string, env models.Environment) (models.AccessGate, error) {
	gates, err := db.GatesByAccountIDs(ctx, []string{accountID})
	if err != nil {
		return models.AccessGate{}, err
	}
	s, ok := gates[accountID]
	if !ok {
		return models.AccessGate{}, models.Errorf(models.ENotFound, "account not found")
	}
	return s.Gate(env), nil
}

// GatesByAccountIDs loads the missing-field sets of several accounts in one
// statement.
func (db *DB) GatesByAccountIDs(ctx context.Context, ids []string) (map[string]models.FieldSet, error) {
	var rows []struct {
		AccountID string
		Missing   int
	}
	if err := db.with(ctx).Table("contact_infos").Select("account_id, missing").Where("account_id IN ?", ids).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("load access gates: %w", err)
	}
	out := make(map[string]models.FieldSet, len(rows))
	for _, r := range rows {
		out[r.AccountID] = models.FieldSet(r.Missing)
	}
	return out, nil
}

// ContactInfo loads one account's contact info.
func (db *DB) ContactInfo(ctx context.Context, accountID string) (*models.ContactInfo, error) {
	infos, err := db.ContactInfosByAccountIDs(ctx, []string{accountID})
	if err != nil {
		return nil, err
	}
	info, ok := infos[accountID]
	if !ok {
		return nil, models.Errorf(models.ENotFound, "account not found")
	}
	return info, nil
}

// ContactInfosByAccountIDs loads the contact info of several accounts in
// three statements, whatever the number of accounts.
func (db *DB) ContactInfosByAccountIDs(ctx context.Context, ids []string) (map[string]*models.ContactInfo, error) {
	return loadContactInfos(db.with(ctx), ids, false)
}

func loadContactInfos(tx *gorm.DB, ids []string, forUpdate bool) (map[string]*models.ContactInfo, error) {
	q := tx.Where("account_id IN ?", ids)
	if forUpdate && tx.Dialector.Name() == "postgres" {
		// Serialises concurrent saves of one account; SQLite's immediate
		// transactions already do.
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var rows []contactInfoRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load contact info: %w", err)
	}
	out := make(map[string]*models.ContactInfo, len(rows))
	for _, r := range rows {
		info, err := newContactInfo(r)
		if err != nil {
			return nil, err
		}
		out[r.AccountID] = info
	}
	if len(out) == 0 {
		return out, nil
	}
	var contacts []contactRow
	if err := tx.Where("account_id IN ?", ids).Order("account_id, field, position").Find(&contacts).Error; err != nil {
		return nil, fmt.Errorf("load contacts: %w", err)
	}
	for _, c := range contacts {
		info := out[c.AccountID]
		if info == nil {
			continue
		}
		info.AppendContact(models.ContactField(c.Field), models.Contact{Name: c.Name, Email: c.Email, Phone: c.Phone})
	}
	var alerts []alertContactRow
	if err := tx.Where("account_id IN ?", ids).Order("account_id, position").Find(&alerts).Error; err != nil {
		return nil, fmt.Errorf("load alert contacts: %w", err)
	}
	for _, a := range alerts {
		if info := out[a.AccountID]; info != nil {
			info.AlertContactIDs = append(info.AlertContactIDs, a.UserID)
		}
	}
	return out, nil
}

// newContactInfo builds the contact info of a stored row, with every list
// empty (not nil) until its rows are added.
func newContactInfo(r contactInfoRow) (*models.ContactInfo, error) {
	info := &models.ContactInfo{
		AccountID: r.AccountID, Version: r.Version, AlertContactIDs: []string{},
		TechnicalEmergency: []models.Contact{}, TechnicalNonEmergency: []models.Contact{},
		MerchantIssues: []models.Contact{}, OperationalForGoogle: []models.Contact{},
		MerchantIssuesRequirement: models.Requirement(r.MerchantIssuesRequirement),
		UpdatedAt:                 r.UpdatedAt, UpdatedByID: r.UpdatedBy,
	}
	if r.OperationalSupport != nil {
		var h models.SupportHours
		if err := json.Unmarshal([]byte(*r.OperationalSupport), &h); err != nil {
			return nil, fmt.Errorf("decode support hours of %s: %w", r.AccountID, err)
		}
		if h.Windows == nil {
			h.Windows = []models.SupportWindow{}
		}
		info.OperationalSupport = &h
	}
	return info, nil
}

// UpdateContactInfo validates and saves one patch: the changed fields, one
// history record each, a new version and the recomputed gate, all in one
// transaction. A refused save changes nothing.
func (db *DB) UpdateContactInfo(ctx context.Context, actorID *string, accountID string, patch models.ContactInfoPatch) (*models.ContactInfo, error) {
	var saved *models.ContactInfo
	gateChanged := false
	err := db.transaction(ctx, func(tx *gorm.DB) error {
		infos, err := loadContactInfos(tx, []string{accountID}, true)
		if err != nil {
			return err
		}
		current, ok := infos[accountID]
		if !ok {
			return models.Errorf(models.ENotFound, "account not found")
		}
		var memberIDs map[string]bool
		if patch.AlertContactUserIDs != nil {
			var ids []string
			if err := tx.Model(&memberRow{}).Where("account_id = ?", accountID).Pluck("user_id", &ids).Error; err != nil {
				return fmt.Errorf("load members: %w", err)
			}
			memberIDs = make(map[string]bool, len(ids))
			for _, id := range ids {
				memberIDs[id] = true
			}
		}
		normalized, err := models.ValidatePatch(patch, models.PatchRules{
			MerchantIssues: current.MerchantIssuesRequirement,
			IsMember:       func(id string) bool { return memberIDs[id] },
		})
		if err != nil {
			return err
		}
		if patch.ExpectedVersion != nil && *patch.ExpectedVersion != current.Version {
			return &models.Error{Code: models.EConflict,
				Message: fmt.Sprintf("the contact info was changed by someone else (version %d, you edited version %d); reload and re-apply your changes", current.Version, *patch.ExpectedVersion)}
		}
		next, changed := current.Apply(normalized)
		saved, gateChanged, err = db.writeContactInfo(tx, actorID, *current, next, changed)
		return err
	})
	if err != nil {
		return nil, err
	}
	if gateChanged && db.opts.OnGateChanged != nil {
		db.AfterCommit(func() { db.opts.OnGateChanged(accountID) })
	}
	return saved, nil
}

// writeContactInfo stores next in place of current: the rows of the changed
// fields, a history record per changed field, version and gate. Every save
// bumps the version, even one that changes nothing, so that a client always
// learns it saved.
func (db *DB) writeContactInfo(tx *gorm.DB, actorID *string, current, next models.ContactInfo, changed []models.ContactField) (*models.ContactInfo, bool, error) {
	accountID := current.AccountID
	now := db.now()
	for _, f := range changed {
		if err := writeField(tx, accountID, f, next); err != nil {
			return nil, false, err
		}
		ch := changeRow{ID: newID(), AccountID: accountID, ActorID: actorID, At: now, Field: string(f),
			BeforeValue: models.FieldValueJSON(current, f), AfterValue: models.FieldValueJSON(next, f)}
		if err := tx.Create(&ch).Error; err != nil {
			return nil, false, fmt.Errorf("record change: %w", err)
		}
	}
	before, after := models.MissingSet(current), models.MissingSet(next)
	updates := map[string]any{
		"version":           gorm.Expr("version + 1"),
		"missing":           int(after),
		"locked_sandbox":    after.Gate(models.EnvironmentSandbox).Locked,
		"locked_production": after.Gate(models.EnvironmentProduction).Locked,
		"updated_at":        now,
		"updated_by":        actorID,
	}
	res := tx.Model(&contactInfoRow{}).Where("account_id = ? AND version = ?", accountID, current.Version).Updates(updates)
	if res.Error != nil {
		return nil, false, fmt.Errorf("save contact info: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return nil, false, models.Errorf(models.EConflict, "the contact info was changed by someone else; reload and re-apply your changes")
	}
	next.Version = current.Version + 1
	next.UpdatedAt = &now
	next.UpdatedByID = actorID
	return &next, before != after, nil
}

func writeField(tx *gorm.DB, accountID string, f models.ContactField, info models.ContactInfo) error {
	switch f.Kind() {
	case models.KindMembers:
		if err := tx.Where("account_id = ?", accountID).Delete(&alertContactRow{}).Error; err != nil {
			return fmt.Errorf("clear alert contacts: %w", err)
		}
		for i, id := range info.AlertContactIDs {
			if err := tx.Create(&alertContactRow{AccountID: accountID, UserID: id, Position: i}).Error; err != nil {
				return fmt.Errorf("add alert contact: %w", err)
			}
		}
		return nil
	case models.KindSupportHours:
		var value *string
		if info.OperationalSupport != nil {
			b, err := json.Marshal(info.OperationalSupport)
			if err != nil {
				return fmt.Errorf("encode support hours: %w", err)
			}
			s := string(b)
			value = &s
		}
		if err := tx.Model(&contactInfoRow{}).Where("account_id = ?", accountID).Update("operational_support", value).Error; err != nil {
			return fmt.Errorf("save support hours: %w", err)
		}
		return nil
	}
	if !f.HoldsContacts() {
		return fmt.Errorf("unknown field %s", f)
	}
	list := info.Contacts(f)
	if err := tx.Where("account_id = ? AND field = ?", accountID, string(f)).Delete(&contactRow{}).Error; err != nil {
		return fmt.Errorf("clear %s: %w", f, err)
	}
	if len(list) == 0 {
		return nil
	}
	rows := make([]contactRow, len(list))
	for i, c := range list {
		rows[i] = contactRow{AccountID: accountID, Field: string(f), Position: i, Name: c.Name, Email: c.Email, Phone: c.Phone}
	}
	if err := tx.Create(&rows).Error; err != nil {
		return fmt.Errorf("save %s: %w", f, err)
	}
	return nil
}

// History returns one page of an account's changes, newest first, after
// the change with id `after` (keyset on the time-ordered id), and the total.
func (db *DB) History(ctx context.Context, accountID string, first int, after string) ([]*models.Change, bool, int64, error) {
	q := db.with(ctx).Where("account_id = ?", accountID)
	if after != "" {
		// A cursor is a change id. Anything else would compare as a string
		// and silently answer some arbitrary page (often the first one
		// again), so it is refused like the accounts listing's cursors.
		if u, err := uuid.Parse(after); err != nil || u.String() != after {
			return nil, false, 0, &models.Error{Code: models.EValidation, Message: "invalid cursor",
				Fields: []models.FieldError{{Field: "after", Message: "not a cursor of this list", Code: models.FieldCursorInvalid}}}
		}
		q = q.Where("id < ?", after)
	}
	var rows []changeRow
	if err := q.Order("id DESC").Limit(first + 1).Find(&rows).Error; err != nil {
		return nil, false, 0, fmt.Errorf("load history: %w", err)
	}
	var total int64
	if err := db.with(ctx).Model(&changeRow{}).Where("account_id = ?", accountID).Count(&total).Error; err != nil {
		return nil, false, 0, fmt.Errorf("count history: %w", err)
	}
	hasNext := len(rows) > first
	if hasNext {
		rows = rows[:first]
	}
	out := make([]*models.Change, len(rows))
	for i, r := range rows {
		out[i] = r.model()
	}
	return out, hasNext, total, nil
}
