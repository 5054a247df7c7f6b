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
	if err := db.Migrate(); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return db
}
