package gormstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/contactgate/contactgate/models"
	"gorm.io/gorm"
)

// ExportedAccount is one account of the contacts export, with everything
// its rows show.
type ExportedAccount struct {
	Account *models.Account
	Info    *models.ContactInfo
	// Missing is the account's missing-field set (the gate of both
	// environments).
	Missing models.FieldSet
	// AlertContacts are the users behind Info.AlertContactIDs, in order.
	AlertContacts []*models.User
	// Reach is the state of each of the account's addresses (normalized).
	Reach map[string]models.ReachState
}

// ExportBatchSize is the default number of accounts ExportAccounts reads per
// batch.
const ExportBatchSize = 1000

// ExportAccounts calls fn with every account matching f, in id order (ids
// are time-ordered: oldest account first), batchSize accounts at a time,
// reading each batch with a keyset query: memory stays proportional to
// batchSize, however many accounts there are. Id order, not the listing's
// name order, because a batch of consecutive ids is one range of the
// contacts, alert contacts and integration types primary keys; a batch of
// names is scattered across them (measured: 4 times the database time). A batch costs 5 statements: accounts with their
// contact info row, integration types, contacts, alert contacts with their
// users, the addresses' reachability. On PostgreSQL the whole export reads one
// snapshot (a read-only REPEATABLE READ transaction); on SQLite each batch
// reads the latest data (a transaction there would take the write lock).
func (db *DB) ExportAccounts(ctx context.Context, f AccountFilter, batchSize int, fn func([]ExportedAccount) error) error {
	if batchSize <= 0 {
		batchSize = ExportBatchSize
	}
	// One goroutine reads the next batch while fn writes the current one,
	// so that the database and the caller work at the same time; at most
	// three batches are in memory.
	run := func(tx *gorm.DB) error {
		readCtx, cancel := context.WithCancel(ctx)
		defer cancel()
		batches := make(chan []ExportedAccount, 1)
		readErr := make(chan error, 1)
		go func() {
			defer close(batches)
			readErr <- func() error {
				afterID := ""
				dense := f == (AccountFilter{})
				for {
					rows, err := db.accountBatch(ctx, tx, f, "", afterID, batchSize, true, false)
					if err != nil || len(rows) == 0 {
						return err
					}
					batch, err := db.exportBatch(tx, rows, dense)
					if err != nil {
						return err
					}
					select {
					case batches <- batch:
					case <-readCtx.Done():
						return readCtx.Err()
					}
					if len(rows) < batchSize {
						return nil
					}
					afterID = rows[len(rows)-1].ID
				}
			}()
		}()
		for batch := range batches {
			if err := fn(batch); err != nil {
				cancel()
				for range batches { // let the reader finish with tx
				}
				<-readErr
				return err
			}
		}
		return <-readErr
	}
	if db.dialect == "postgres" {
		return db.with(ctx).Transaction(run, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	}
	return run(db.with(ctx))
}

// exportBatch completes a batch of listed accounts, in id order (which
// carry their contact_infos row), with three statements: integration types,
// contacts, and alert contacts with their users. A dense batch (no filter:
// every account between its first and last id) reads id ranges; a filtered
// one, its ids. Rows are scanned by hand: GORM's reflection was most of the
// export's CPU.
func (db *DB) exportBatch(tx *gorm.DB, rows []listedAccount, dense bool) ([]ExportedAccount, error) {
	ids := make([]string, len(rows))
	out := make([]ExportedAccount, len(rows))
	byID := make(map[string]*ExportedAccount, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
		row := r.contactInfoRow
		row.AccountID = r.ID
		info, err := newContactInfo(row)
		if err != nil {
			return nil, err
		}
		out[i] = ExportedAccount{
			Account: &models.Account{ID: r.ID, Name: r.Name, IntegrationTypes: []string{},
				LaunchRequestedAt: r.LaunchRequestedAt, CreatedAt: r.accountRow.CreatedAt},
			Info:    info,
			Missing: models.FieldSet(r.Missing),
			Reach:   map[string]models.ReachState{},
		}
		byID[r.ID] = &out[i]
	}
	cond, args := "IN ?", []any{ids}
	if dense && len(ids) > 0 {
		cond, args = "BETWEEN ? AND ?", []any{ids[0], ids[len(ids)-1]}
	}
	each := func(what, query string, scan func(*sql.Rows) error) error {
		rs, err := tx.Raw(strings.ReplaceAll(query, "IN ?", cond), args...).Rows()
		if err != nil {
			return fmt.Errorf("load %s: %w", what, err)
		}
		defer rs.Close()
		for rs.Next() {
			if err := scan(rs); err != nil {
				return fmt.Errorf("load %s: %w", what, err)
			}
		}
		return rs.Err()
	}
	var accountID, value string
	err := each("integration types", `SELECT account_id, integration_type FROM account_integration_types
		WHERE account_id IN ? ORDER BY account_id, integration_type`, func(rs *sql.Rows) error {
		if err := rs.Scan(&accountID, &value); err != nil {
			return err
		}
		if e := byID[accountID]; e != nil {
			e.Account.IntegrationTypes = append(e.Account.IntegrationTypes, value)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var field string
	var name, phone sql.NullString
	err = each("contacts", `SELECT account_id, field, name, email, phone FROM contacts
		WHERE account_id IN ? ORDER BY account_id, field, position`, func(rs *sql.Rows) error {
		if err := rs.Scan(&accountID, &field, &name, &value, &phone); err != nil {
			return err
		}
		e := byID[accountID]
		if e == nil {
			return nil
		}
		e.Info.AppendContact(models.ContactField(field), models.Contact{Email: value, Name: nullable(name), Phone: nullable(phone)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	var userID string
	err = each("alert contacts", `SELECT ac.account_id, u.id, u.email, u.name FROM alert_contacts ac
		JOIN users u ON u.id = ac.user_id
		WHERE ac.account_id IN ? ORDER BY ac.account_id, ac.position`, func(rs *sql.Rows) error {
		if err := rs.Scan(&accountID, &userID, &value, &name); err != nil {
			return err
		}
		if e := byID[accountID]; e != nil {
			e.Info.AlertContactIDs = append(e.Info.AlertContactIDs, userID)
			e.AlertContacts = append(e.AlertContacts, &models.User{ID: userID, Email: value, Name: nullable(name)})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = each("reachability", `SELECT account_id, email, state FROM contact_reachability
		WHERE account_id IN ?`, func(rs *sql.Rows) error {
		if err := rs.Scan(&accountID, &value, &field); err != nil {
			return err
		}
		if e := byID[accountID]; e != nil {
			e.Reach[value] = models.ReachState(field)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func nullable(s sql.NullString) *string {
	if !s.Valid {
		return nil
	}
	v := s.String
	return &v
}
