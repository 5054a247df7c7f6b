package gormstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/contactgate/contactgate/models"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Gate answers the access gate of one account with one primary-key lookup.
func (db *DB) Gate(ctx context.Context, accountID string, env models.Environment) (models.AccessGate, error) {
	gates, err := db.GatesByAccountIDs(ctx, []string{accountID})
	if err != nil {
		return models.AccessGate{}, err
	}
	g, ok := gates[accountID]
	if !ok {
		return models.AccessGate{}, models.Errorf(models.ENotFound, "account not found")
	}
	return g.Gate(accountID, env), nil
}

// GatesByAccountIDs loads the gate state (missing fields, last review) of
// several accounts in one statement.
func (db *DB) GatesByAccountIDs(ctx context.Context, ids []string) (map[string]models.GateState, error) {
	out := make(map[string]models.GateState, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var (
		id       string
		missing  int64
		reviewed *time.Time
	)
	err := db.queryIDs(ctx, "access gates", `SELECT account_id, missing, reviewed_at FROM contact_infos
		WHERE account_id IN (?)`, ids, func(rows rowScanner) error {
		if err := rows.Scan(&id, &missing, &reviewed); err != nil {
			return err
		}
		out[id] = gateState(missing, reviewed)
		return nil
	})
	return out, err
}

func gateState(missing int64, reviewed *time.Time) models.GateState {
	g := models.GateState{Missing: models.FieldSet(missing)}
	if reviewed != nil {
		g.ReviewedAt = reviewed.UTC()
	}
	return g
}

// RoleAndGate is the gate query of accessGate, the portal's most frequent
// request: in one indexed statement, whether an account exists, a user's
// role in it ("" when not a member, or when userID is "") and its
// missing-field set, so that the membership check and the gate of one
// request cost one statement together. It goes straight to database/sql:
// GORM's callbacks and reflection were a quarter of its cost. It still
// counts in the StatementCounter.
func (db *DB) RoleAndGate(ctx context.Context, accountID, userID string) (role models.Role, gate models.GateState, found bool, err error) {
	q := roleAndGateSQLite
	if db.dialect == "postgres" {
		q = roleAndGatePostgres
	}
	if c := db.opts.StatementCounter; c != nil {
		c.n.Add(1)
	}
	var m int64
	var r sql.NullString
	var reviewed *time.Time
	switch err := db.sql.QueryRowContext(ctx, q, userID, accountID).Scan(&m, &reviewed, &r); {
	case errors.Is(err, sql.ErrNoRows):
		return "", models.GateState{}, false, nil
	case err != nil:
		return "", models.GateState{}, false, fmt.Errorf("load membership and gate: %w", err)
	}
	return models.Role(r.String), gateState(m, reviewed), true, nil
}

const (
	roleAndGatePostgres = `SELECT ci.missing, ci.reviewed_at, m.role FROM contact_infos ci
		LEFT JOIN members m ON m.account_id = ci.account_id AND m.user_id = $1
		WHERE ci.account_id = $2`
	roleAndGateSQLite = `SELECT ci.missing, ci.reviewed_at, m.role FROM contact_infos ci
		LEFT JOIN members m ON m.account_id = ci.account_id AND m.user_id = ?
		WHERE ci.account_id = ?`
)

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

// loadContactInfos reads contact info through GORM inside a save's
// transaction (with the row lock); reads elsewhere use
// ContactInfosByAccountIDs (hotpath.go).
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
		UpdatedByID:               r.UpdatedBy,
		ReviewCycle:               r.ReviewCycle, Warnings: models.WarningSet(r.Warnings),
	}
	if r.UpdatedAt != nil {
		t := r.UpdatedAt.UTC()
		info.UpdatedAt = &t
	}
	if r.ReviewedAt != nil {
		info.ReviewedAt = r.ReviewedAt.UTC()
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

// ContactInfoForUpdate loads one account's contact info for a save: on
// PostgreSQL the row stays locked until the transaction db belongs to ends,
// which serialises concurrent saves of one account (SQLite's immediate
// transactions already do). Call it inside InTx.
func (db *DB) ContactInfoForUpdate(ctx context.Context, accountID string) (*models.ContactInfo, error) {
	infos, err := loadContactInfos(db.with(ctx), []string{accountID}, true)
	if err != nil {
		return nil, err
	}
	info, ok := infos[accountID]
	if !ok {
		return nil, models.Errorf(models.ENotFound, "account not found")
	}
	return info, nil
}

// AccountMemberIDs lists the user ids of an account's members.
func (db *DB) AccountMemberIDs(ctx context.Context, accountID string) ([]string, error) {
	var ids []string
	if err := db.with(ctx).Model(&memberRow{}).Where("account_id = ?", accountID).Pluck("user_id", &ids).Error; err != nil {
		return nil, fmt.Errorf("load members: %w", err)
	}
	return ids, nil
}

// ErrVersionChanged: the contact info is no longer at the version a save
// started from.
var ErrVersionChanged = errors.New("contact info version changed")

// ContactInfoWrite is one save of an account's contact info.
type ContactInfoWrite struct {
	ActorID *string
	// Current is the stored contact info, Next what replaces it.
	Current, Next models.ContactInfo
	// Changed are the fields whose rows are rewritten, each with a history
	// record.
	Changed []models.ContactField
	// Missing is the gate of Next, stored for the gate and the listing.
	Missing models.FieldSet
	// Reviewed: the save is a review (a person's or a tool's save, not a
	// side effect such as a removed member leaving the alert contacts).
	Reviewed bool
}

// SaveContactInfo stores w.Next in place of w.Current: the rows of the
// changed fields, a history record per changed field, the next version and
// the gate. It returns ErrVersionChanged, and writes nothing that its
// transaction keeps, when the stored version is no longer w.Current's; run
// it inside InTx with the rows read by ContactInfoForUpdate.
func (db *DB) SaveContactInfo(ctx context.Context, w ContactInfoWrite) (*models.ContactInfo, error) {
	return db.saveContactInfo(db.with(ctx), w)
}

func (db *DB) saveContactInfo(tx *gorm.DB, w ContactInfoWrite) (*models.ContactInfo, error) {
	accountID := w.Current.AccountID
	now := db.now()
	for _, f := range w.Changed {
		if err := writeField(tx, accountID, f, w.Next); err != nil {
			return nil, err
		}
		ch := changeRow{ID: newID(), AccountID: accountID, ActorID: w.ActorID, At: now, Field: string(f), Kind: string(models.ChangeFieldChanged),
			BeforeValue: models.FieldValueJSON(w.Current, f), AfterValue: models.FieldValueJSON(w.Next, f)}
		if err := tx.Create(&ch).Error; err != nil {
			return nil, fmt.Errorf("record change: %w", err)
		}
	}
	stored := storedContacts(w)
	updates := map[string]any{
		"version":           gorm.Expr("version + 1"),
		"missing":           int(w.Missing),
		"locked_sandbox":    w.Missing.Gate(models.EnvironmentSandbox).Locked,
		"locked_production": w.Missing.Gate(models.EnvironmentProduction).Locked,
		"updated_at":        now,
		"updated_by":        w.ActorID,
		// After writeField's statements, whose triggers cleared it.
		"contacts_doc": encodeContactsDoc(stored),
	}
	if w.Reviewed {
		updates["reviewed_at"] = now
		updates["review_cycle"] = gorm.Expr("review_cycle + 1")
	}
	res := tx.Model(&contactInfoRow{}).Where("account_id = ? AND version = ?", accountID, w.Current.Version).Updates(updates)
	if res.Error != nil {
		return nil, fmt.Errorf("save contact info: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return nil, ErrVersionChanged
	}
	next := w.Next
	// The answer shows what is stored, as every later read will: alert
	// contacts in a new order only are no change (a set), so they keep
	// their stored order.
	next.AlertContactIDs = stored.AlertContactIDs
	next.Version = w.Current.Version + 1
	next.UpdatedAt = &now
	next.UpdatedByID = w.ActorID
	if w.Reviewed {
		next.ReviewedAt = now
		next.ReviewCycle = w.Current.ReviewCycle + 1
	}
	return &next, nil
}

// storedContacts is what the contacts and alert contacts rows hold after
// the save: Current's, but for the fields written (Changed), Next's. Not
// Next itself: a field Apply found unchanged may still differ in Next (the
// alert contacts are a set, so a new order is no change and is not
// written).
func storedContacts(w ContactInfoWrite) *models.ContactInfo {
	stored := w.Current
	for _, f := range w.Changed {
		switch {
		case f.Kind() == models.KindMembers:
			stored.AlertContactIDs = w.Next.AlertContactIDs
		case f.HoldsContacts():
			stored.SetContacts(f, w.Next.Contacts(f))
		}
	}
	return &stored
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
	return accountPage(ctx, db, "history", accountID, first, after, (*changeRow).model)
}
