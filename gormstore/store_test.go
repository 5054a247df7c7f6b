package gormstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/internal/testdb"
	"github.com/contactgate/contactgate/models"
)

func open(t *testing.T, driver, dsn string, clock func() time.Time) *gormstore.DB {
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

// TestUsersAndSessions covers case-insensitive email uniqueness, session
// expiry (idle and absolute) and sign-out on both databases.
func TestUsersAndSessions(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		clock := func() time.Time { return now }
		db := open(t, driver, dsn, clock)
		ctx := context.Background()
		u, err := db.CreateUser(ctx, "Ada@Example.com", nil, "hash", false)
		if err != nil {
			t.Fatal(err)
		}
		if u.Email != "ada@example.com" {
			t.Fatalf("email not normalised: %s", u.Email)
		}
		if _, err := db.CreateUser(ctx, "ADA@example.COM", nil, "hash", false); models.ErrorCodeOf(err) != models.EConflict {
			t.Fatalf("duplicate email: %v", err)
		}
		secret, err := db.CreateSession(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		got, _, err := db.SessionUser(ctx, secret)
		if err != nil || got.ID != u.ID {
			t.Fatalf("session user: %v %v", got, err)
		}
		// Used every few days, a session lives until its absolute end.
		for i := 0; i < 5; i++ {
			now = now.Add(5 * 24 * time.Hour)
			if _, _, err := db.SessionUser(ctx, secret); err != nil {
				t.Fatalf("day %d: %v", (i+1)*5, err)
			}
		}
		now = now.Add(6 * 24 * time.Hour) // 31 days after sign-in
		if _, _, err := db.SessionUser(ctx, secret); models.ErrorCodeOf(err) != models.ENotFound {
			t.Fatalf("past the absolute lifetime: %v", err)
		}
		idle, _ := db.CreateSession(ctx, u.ID)
		now = now.Add(gormstore.SessionIdle + time.Minute)
		if _, _, err := db.SessionUser(ctx, idle); models.ErrorCodeOf(err) != models.ENotFound {
			t.Fatalf("idle session still valid: %v", err)
		}
		s3, _ := db.CreateSession(ctx, u.ID)
		u3, id, _ := db.SessionUser(ctx, s3)
		if err := db.SignOut(ctx, u3, id); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.SessionUser(ctx, s3); models.ErrorCodeOf(err) != models.ENotFound {
			t.Fatalf("deleted session still valid: %v", err)
		}
		// A new password for staff ends the user's sessions.
		s4, _ := db.CreateSession(ctx, u.ID)
		if _, err := db.UpsertStaff(ctx, "ada@example.com", "new hash"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.SessionUser(ctx, s4); models.ErrorCodeOf(err) != models.ENotFound {
			t.Fatalf("session survived a password change: %v", err)
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
	db := open(t, testdb.DriverPostgres, dsn+sep+"statement_timeout=200", nil)
	start := time.Now()
	err := db.Gorm().Exec("SELECT pg_sleep(5)").Error
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
	// A request deadline cancels a statement too.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := db.Gorm().WithContext(ctx).Exec("SELECT pg_sleep(0.15)").Error; err == nil {
		t.Fatal("a statement outlived its context")
	}
	if _, err := db.IsEmpty(context.Background()); err != nil {
		t.Fatalf("pool after a cancelled context: %v", err)
	}
}
