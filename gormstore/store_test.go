package gormstore_test

import (
	"context"
	"github.com/contactgate/contactgate/internal/storetest"
	"strings"
	"testing"
	"time"

	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/internal/testdb"
)

func open(t *testing.T, driver, dsn string, clock func() time.Time) *gormstore.DB {
	return storetest.Open(t, driver, dsn, clock)
}

// TestMigrations runs the same migration set on both databases, twice, and
// checks that it is recorded.
func TestMigrations(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		db := open(t, driver, dsn, nil)
		if err := db.Migrate(); err != nil {
			t.Fatalf("second migrate: %v", err)
		}
		var ids []string
		if err := db.Gorm().Table("schema_migrations").Order("id").Pluck("id", &ids).Error; err != nil {
			t.Fatal(err)
		}
		if len(ids) == 0 || ids[0] != "0001_initial" {
			t.Fatalf("recorded migrations: %v", ids)
		}
		for _, table := range []string{"users", "accounts", "members", "contact_infos", "contacts", "alert_contacts",
			"changes", "sessions", "invitations", "api_tokens", "notifications", "outbox"} {
			if !db.Gorm().Migrator().HasTable(table) {
				t.Errorf("table %s missing", table)
			}
		}
	})
}

// TestSlowQueryIsCancelled: PostgreSQL's statement_timeout (set on every
// connection by Open) cancels a runaway statement, and the pool goes on
// serving.
func TestSlowQueryIsCancelled(t *testing.T) {
	dsn := testdb.Postgres(t)
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	// Migrated first with the default timeout: on a loaded machine a
	// migration statement may itself take longer than 200 ms.
	open(t, testdb.DriverPostgres, dsn, nil)
	db, err := gormstore.Open(context.Background(), gormstore.Options{URL: dsn + sep + "statement_timeout=200"})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	start := time.Now()
	err = db.Gorm().Exec("SELECT pg_sleep(5)").Error
	if err == nil || !strings.Contains(err.Error(), "statement timeout") {
		t.Fatalf("want a statement timeout, got %v", err)
	}
	if took := time.Since(start); took > 4*time.Second {
		t.Fatalf("the slow statement ran %v", took)
	}
	for i := 0; i < 5; i++ {
		if err := db.Ping(context.Background()); err != nil {
			t.Fatalf("pool after a cancelled statement: %v", err)
		}
		if _, err := db.IsEmpty(context.Background()); err != nil {
			t.Fatalf("query after a cancelled statement: %v", err)
		}
	}
	// A request deadline: TestCancelRequestedConnectionIsNotPooled.
}

// TestCancelRequestedConnectionIsNotPooled: a connection whose statement
// was cancelled by a cancel request is closed when it is given back, so no
// caller is ever handed it (a late cancel would hit that caller's
// statement). Refusing it only when it is taken failed callers with
// "driver: bad connection" once database/sql had used up its retries on
// such connections.
func TestCancelRequestedConnectionIsNotPooled(t *testing.T) {
	db := open(t, testdb.DriverPostgres, testdb.Postgres(t), nil)
	db.SQL().SetMaxOpenConns(1)
	pid := backendPID(t, db)

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	err := db.Gorm().WithContext(ctx).Exec("SELECT pg_sleep(5)").Error
	cancel()
	if err == nil {
		t.Fatal("a statement outlived its context")
	}
	if open := db.SQL().Stats().OpenConnections; open != 0 {
		t.Errorf("the cancel-requested connection went back to the pool (%d open)", open)
	}
	if after := backendPID(t, db); after == pid {
		t.Errorf("the next caller got the cancel-requested backend %d", pid)
	}
}

func backendPID(t *testing.T, db *gormstore.DB) int {
	t.Helper()
	var pid int
	if err := db.SQL().QueryRowContext(context.Background(), "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		t.Fatalf("backend pid: %v", err)
	}
	return pid
}
