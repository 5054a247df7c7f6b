// Package storetest opens a migrated store for tests, on the database a
// testdb driver and DSN name.
package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/internal/testdb"
)

// Open opens and migrates the database (a testdb.DriverSQLite file path or
// a PostgreSQL URL), closed when the test ends. clock may be nil.
func Open(t testing.TB, driver, dsn string, clock func() time.Time) *gormstore.DB {
	t.Helper()
	url := dsn
	if driver == testdb.DriverSQLite {
		url = "sqlite:" + dsn
	}
	db, err := gormstore.Open(context.Background(), gormstore.Options{URL: url, Clock: clock})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	CheckContactsDocs(t, db)
	if err := db.Migrate(); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return db
}

// CheckContactsDocs makes a test fail if, when it ends, an account's
// contacts document differs from its rows (gormstore/contactsdoc.go): every
// test that saves contact info, removes members or writes rows checks the
// documents' invariant this way. Register it after the database's Close,
// so that it runs before. Benchmarks skip it; a test that closed the
// database itself is not checked.
func CheckContactsDocs(t testing.TB, db *gormstore.DB) {
	if _, ok := t.(*testing.T); !ok {
		return
	}
	t.Cleanup(func() {
		stale, err := db.StaleContactsDocs(context.Background())
		if err != nil {
			t.Logf("contacts documents not checked: %v", err)
			return
		}
		if len(stale) > 0 {
			t.Errorf("contacts documents differ from their rows: %v", stale)
		}
	})
}
