package testdb_test

import (
	"context"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/contactgate/contactgate/internal/testdb"
	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) { testdb.Main(m) }

func connect(t *testing.T, dsn string) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect %s: %v", dsn, err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func queryInt(t *testing.T, conn *pgx.Conn, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := conn.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

func exec(t *testing.T, conn *pgx.Conn, sql string, args ...any) {
	t.Helper()
	if _, err := conn.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func dbName(t *testing.T, dsn string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimPrefix(u.Path, "/")
}

func TestPostgresGivesFreshEmptyDatabases(t *testing.T) {
	t.Parallel()
	a, b := testdb.Postgres(t), testdb.Postgres(t)
	if dbName(t, a) == dbName(t, b) {
		t.Fatalf("two calls gave the same database %s", dbName(t, a))
	}
	ca, cb := connect(t, a), connect(t, b)
	for _, c := range []*pgx.Conn{ca, cb} {
		if n := queryInt(t, c, `SELECT count(*) FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')`); n != 0 {
			t.Errorf("new database has %d tables", n)
		}
	}
	var cur string
	if err := ca.QueryRow(context.Background(), "SELECT current_database()").Scan(&cur); err != nil || cur != dbName(t, a) {
		t.Fatalf("current_database() = %q, %v; want %q", cur, err, dbName(t, a))
	}
	exec(t, ca, "CREATE TABLE contacts (id serial PRIMARY KEY, email text NOT NULL)")
	exec(t, ca, "INSERT INTO contacts (email) VALUES ('a@example.com')")
	if n := queryInt(t, ca, "SELECT count(*) FROM contacts"); n != 1 {
		t.Fatalf("count = %d", n)
	}
	if n := queryInt(t, cb, "SELECT count(*) FROM pg_tables WHERE tablename = 'contacts'"); n != 0 {
		t.Fatal("a table made in one database shows in the other")
	}
}

func TestPostgresDatabaseIsDroppedAfterTest(t *testing.T) {
	t.Parallel()
	var name string
	t.Run("user", func(t *testing.T) {
		dsn := testdb.Postgres(t)
		name = dbName(t, dsn)
		// An open session must not keep the database alive (WITH (FORCE)).
		conn, err := pgx.Connect(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		_ = conn // deliberately left open
	})
	if name == "" {
		t.Fatal("subtest did not run")
	}
	admin := connect(t, testdb.AdminURL(t))
	if n := queryInt(t, admin, "SELECT count(*) FROM pg_database WHERE datname = $1", name); n != 0 {
		t.Fatalf("database %s still exists after its test", name)
	}
}

func TestPostgresConcurrent(t *testing.T) {
	t.Parallel()
	var wg sync.WaitGroup
	names := make([]string, 8)
	for i := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			names[i] = dbName(t, testdb.Postgres(t))
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			t.Fatalf("duplicate database %s", n)
		}
		seen[n] = true
	}
}

func TestSQLitePath(t *testing.T) {
	a, b := testdb.SQLitePath(t), testdb.SQLitePath(t)
	if a == b {
		t.Fatal("two calls gave the same path")
	}
	for _, p := range []string{a, b} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: want a path not yet created, got %v", p, err)
		}
		if st, err := os.Stat(filepath.Dir(p)); err != nil || !st.IsDir() {
			t.Errorf("%s: parent dir missing: %v", p, err)
		}
		if err := os.WriteFile(p, nil, 0o600); err != nil {
			t.Errorf("%s not writable: %v", p, err)
		}
	}
}

func TestEach(t *testing.T) {
	var got []string
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		got = append(got, driver)
		switch driver {
		case testdb.DriverSQLite:
			if !filepath.IsAbs(dsn) || filepath.Ext(dsn) != ".sqlite" {
				t.Errorf("sqlite dsn = %q", dsn)
			}
		case testdb.DriverPostgres:
			conn := connect(t, dsn)
			if n := queryInt(t, conn, "SELECT 1"); n != 1 {
				t.Errorf("SELECT 1 = %d", n)
			}
		default:
			t.Errorf("unknown driver %q", driver)
		}
	})
	if len(got) == 0 || got[0] != "sqlite" {
		t.Fatalf("ran %v", got)
	}
}

// TestDatabaseURLFromEnv points TEST_DATABASE_URL at a cluster of its own
// and checks that Postgres uses that server.
func TestDatabaseURLFromEnv(t *testing.T) {
	c := testdb.NewCluster(t)
	t.Setenv("TEST_DATABASE_URL", c.AdminURL())
	if got := testdb.AdminURL(t); got != c.AdminURL() {
		t.Fatalf("AdminURL = %s, want %s", got, c.AdminURL())
	}
	conn := connect(t, testdb.Postgres(t))
	if port := queryInt(t, conn, "SELECT inet_server_port()"); port != c.Port() {
		t.Fatalf("database is on port %d, want %d", port, c.Port())
	}
}

func TestClusterStopStartKill(t *testing.T) {
	t.Parallel()
	c := testdb.NewCluster(t)
	dsn := c.Database(t)
	conn := connect(t, dsn)
	exec(t, conn, "CREATE TABLE t (n int)")
	exec(t, conn, "INSERT INTO t VALUES (1)")

	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	if c.Running() {
		t.Fatal("Running after Stop")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := pgx.Connect(ctx, dsn); err == nil {
		t.Fatal("connected to a stopped cluster")
	}
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	conn = connect(t, dsn)
	if n := queryInt(t, conn, "SELECT count(*) FROM t"); n != 1 {
		t.Fatalf("after restart: %d rows", n)
	}

	exec(t, conn, "INSERT INTO t VALUES (2)")
	if err := c.Kill(); err != nil {
		t.Fatal(err)
	}
	if err := c.Start(); err != nil { // crash recovery
		t.Fatal(err)
	}
	conn = connect(t, dsn)
	if n := queryInt(t, conn, "SELECT count(*) FROM t"); n != 2 {
		t.Fatalf("after crash recovery: %d rows, want 2 (committed rows must survive Kill)", n)
	}
}

// TestClusterRestartUnderLoad restarts the server while writers run, as a
// fault test would, and checks that writes resume.
func TestClusterRestartUnderLoad(t *testing.T) {
	t.Parallel()
	c := testdb.NewCluster(t)
	dsn := c.Database(t)
	exec(t, connect(t, dsn), "CREATE TABLE hits (n int)")

	var ok, failed atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var conn *pgx.Conn
			for i := 0; i < 100000; i++ { // bounded
				select {
				case <-stop:
					if conn != nil {
						conn.Close(context.Background())
					}
					return
				default:
				}
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				if conn == nil {
					conn, _ = pgx.Connect(ctx, dsn)
				}
				if conn != nil {
					if _, err := conn.Exec(ctx, "INSERT INTO hits VALUES (1)"); err != nil {
						failed.Add(1)
						conn.Close(context.Background())
						conn = nil
					} else {
						ok.Add(1)
					}
				} else {
					failed.Add(1)
					time.Sleep(20 * time.Millisecond)
				}
				cancel()
			}
		}()
	}
	waitFor := func(n int64) {
		deadline := time.Now().Add(30 * time.Second)
		for ok.Load() < n {
			if time.Now().After(deadline) {
				t.Fatalf("writes stuck at %d (failed %d)", ok.Load(), failed.Load())
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	waitFor(50)
	if err := c.Restart(); err != nil {
		t.Fatal(err)
	}
	after := ok.Load()
	waitFor(after + 50)
	close(stop)
	wg.Wait()
	if failed.Load() == 0 {
		t.Log("no write failed during the restart (all writers were between statements)")
	}
	if n := queryInt(t, connect(t, dsn), "SELECT count(*) FROM hits"); int64(n) != ok.Load() {
		t.Fatalf("table has %d rows, %d inserts succeeded", n, ok.Load())
	}
}
