package gormstore

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/contactgate/contactgate/internal/testdb"
	"github.com/contactgate/contactgate/models"
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// TestContactsDocRoundTrip: a document gives back the contacts and alert
// contacts it was made of, with NULL names and phones, empty and
// non-ASCII values and a separator-like byte kept as they are.
func TestContactsDocRoundTrip(t *testing.T) {
	name, phone, odd := "Anna Rossi", "+39 06 1234 5678", "a:1:-c0"
	empty := ""
	in := &models.ContactInfo{
		AlertContactIDs:       []string{"u1", "u-2"},
		TechnicalEmergency:    []models.Contact{{Name: &name, Email: "oncall@example.com", Phone: &phone}, {Email: "second@example.com"}},
		TechnicalNonEmergency: []models.Contact{},
		MerchantIssues:        []models.Contact{{Name: &odd, Email: "ünïcode@example.com", Phone: &empty}},
		OperationalForGoogle:  []models.Contact{{Email: "ops@example.com"}},
		OperationalForUsers:   &models.Contact{Name: &name, Email: "help@example.com"},
	}
	doc := encodeContactsDoc(in)
	out := &models.ContactInfo{AlertContactIDs: []string{}, TechnicalEmergency: []models.Contact{}, TechnicalNonEmergency: []models.Contact{},
		MerchantIssues: []models.Contact{}, OperationalForGoogle: []models.Contact{}}
	var r contactsDocReader
	if err := r.read(doc, out); err != nil {
		t.Fatalf("%q: %v", doc, err)
	}
	if !sameContacts(in, out) {
		t.Errorf("%q read back as %+v", doc, out)
	}
	if encodeContactsDoc(&models.ContactInfo{}) != emptyContactsDoc {
		t.Errorf("the empty document is %q", encodeContactsDoc(&models.ContactInfo{}))
	}
	// Every cut of a document is refused or read, never a panic; a cut
	// inside a value is refused.
	for i := range len(doc) {
		_ = r.read(doc[:i], &models.ContactInfo{})
	}
	if err := r.read(doc[:strings.Index(doc, "oncall")+2], &models.ContactInfo{}); err == nil {
		t.Error("a document cut inside a value was read")
	}
}

// FuzzContactsDoc: reading any text never panics, and what reads is what
// encodes back to the same document.
func FuzzContactsDoc(f *testing.F) {
	f.Add("1")
	f.Add("1c15:Alice3:a@b-a2:u1")
	f.Add("1c5--3:a@b")
	f.Fuzz(func(t *testing.T, doc string) {
		info := &models.ContactInfo{AlertContactIDs: []string{}, TechnicalEmergency: []models.Contact{}, TechnicalNonEmergency: []models.Contact{},
			MerchantIssues: []models.Contact{}, OperationalForGoogle: []models.Contact{}}
		var r contactsDocReader
		if err := r.read(doc, info); err != nil {
			return
		}
		again := &models.ContactInfo{AlertContactIDs: []string{}}
		if err := r.read(encodeContactsDoc(info), again); err != nil || !sameContacts(info, again) {
			t.Errorf("%q read as %+v, which encodes to a document read as %+v (%v)", doc, info, again, err)
		}
	})
}

// TestMigrationBackfillsContactsDocs: a database migrated before 0009,
// with accounts, contacts and alert contacts, gets every account's
// document from its rows when 0009 runs; on both databases.
func TestMigrationBackfillsContactsDocs(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		ctx := context.Background()
		url := dsn
		if driver == testdb.DriverSQLite {
			url = "sqlite:" + dsn
		}
		db, err := Open(ctx, Options{URL: url})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = db.Close() })
		m := gormigrate.New(db.gorm, &gormigrate.Options{TableName: "schema_migrations", IDColumnName: "id",
			IDColumnSize: 255, UseTransaction: true}, migrations)
		if err := m.MigrateTo("0008_account_totals"); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
		for _, stmt := range []string{
			`INSERT INTO users (id, email, password_hash, staff, locale, created_at) VALUES ('u1', 'anna@example.com', '', false, 'it', ?)`,
			`INSERT INTO users (id, email, password_hash, staff, locale, created_at) VALUES ('u2', 'bruno@example.com', '', false, 'it', ?)`,
		} {
			if err := db.gorm.Exec(stmt, now).Error; err != nil {
				t.Fatal(err)
			}
		}
		for _, id := range []string{"a1", "a2", "a3"} {
			for _, stmt := range []string{
				`INSERT INTO accounts (id, name, name_lower, created_at) VALUES (?, 'Acme', 'acme', ?)`,
				`INSERT INTO contact_infos (account_id, merchant_issues_requirement, missing, locked_sandbox, locked_production, reviewed_at)
					VALUES (?, 'OPTIONAL', 0, false, false, ?)`,
			} {
				if err := db.gorm.Exec(stmt, id, now).Error; err != nil {
					t.Fatal(err)
				}
			}
		}
		for _, stmt := range []string{
			`INSERT INTO members (account_id, user_id, role, created_at) VALUES ('a1', 'u1', 'ADMINISTRATOR', '2026-11-30 10:00:00')`,
			`INSERT INTO members (account_id, user_id, role, created_at) VALUES ('a1', 'u2', 'VIEWER', '2026-11-30 10:00:00')`,
			`INSERT INTO alert_contacts (account_id, user_id, position) VALUES ('a1', 'u2', 0)`,
			`INSERT INTO alert_contacts (account_id, user_id, position) VALUES ('a1', 'u1', 1)`,
			`INSERT INTO contacts (account_id, field, position, name, email, phone) VALUES ('a1', 'TECHNICAL_EMERGENCY', 1, NULL, 'second@example.com', NULL)`,
			`INSERT INTO contacts (account_id, field, position, name, email, phone) VALUES ('a1', 'TECHNICAL_EMERGENCY', 0, 'Anna', 'oncall@example.com', '+39 06 1234 5678')`,
			`INSERT INTO contacts (account_id, field, position, name, email, phone) VALUES ('a1', 'OPERATIONAL_FOR_USERS', 0, NULL, 'help@example.com', NULL)`,
			`INSERT INTO contacts (account_id, field, position, name, email, phone) VALUES ('a2', 'MERCHANT_ISSUES', 0, 'Bruno', 'merchants@example.com', NULL)`,
		} {
			if err := db.gorm.Exec(stmt).Error; err != nil {
				t.Fatal(err)
			}
		}
		// More accounts than one batch of the backfill, after a1…a3.
		err = db.gorm.Transaction(func(tx *gorm.DB) error {
			for i := range 520 {
				id := fmt.Sprintf("b%03d", i)
				if err := tx.Exec(`INSERT INTO accounts (id, name, name_lower, created_at) VALUES (?, 'Bulk', 'bulk', ?)`, id, now).Error; err != nil {
					return err
				}
				if err := tx.Exec(`INSERT INTO contact_infos (account_id, merchant_issues_requirement, missing, locked_sandbox, locked_production)
					VALUES (?, 'OPTIONAL', 0, false, false)`, id).Error; err != nil {
					return err
				}
			}
			return tx.Exec(`INSERT INTO contacts (account_id, field, position, email) VALUES ('b519', 'MERCHANT_ISSUES', 0, 'last@example.com')`).Error
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Migrate(); err != nil {
			t.Fatal(err)
		}
		var docs []struct{ AccountID, ContactsDoc string }
		if err := db.gorm.Raw(`SELECT account_id, contacts_doc FROM contact_infos ORDER BY account_id`).Scan(&docs).Error; err != nil {
			t.Fatal(err)
		}
		want := map[string]string{
			"a1":   "1c14:Anna18:oncall@example.com16:+39 06 1234 5678c1-18:second@example.com-c5-16:help@example.com-a2:u2a2:u1",
			"a2":   "1c35:Bruno21:merchants@example.com-",
			"a3":   "1",
			"b000": "1",
			"b519": "1c3-16:last@example.com-",
		}
		if len(docs) != 523 {
			t.Fatalf("%d documents, want 523", len(docs))
		}
		for _, d := range docs {
			if d.ContactsDoc == "" {
				t.Errorf("%s: no document", d.AccountID)
			}
			if w, ok := want[d.AccountID]; ok && d.ContactsDoc != w {
				t.Errorf("%s: document %q, want %q", d.AccountID, d.ContactsDoc, w)
			}
		}
		if stale, err := db.StaleContactsDocs(ctx); err != nil || len(stale) > 0 {
			t.Errorf("stale documents %v (%v)", stale, err)
		}
	})
}
