package testdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Driver names passed to the function given to [Each].
const (
	DriverSQLite   = "sqlite"
	DriverPostgres = "postgres"
)

// EnvDatabaseURL names the variable holding the admin URL of an existing
// PostgreSQL server to use instead of a local throwaway cluster.
const EnvDatabaseURL = "TEST_DATABASE_URL"

// UnavailableMessage is the reason given when no PostgreSQL can be had.
const UnavailableMessage = "PostgreSQL not available: set TEST_DATABASE_URL or install postgresql (initdb on PATH)"

// Postgres returns the URL of a new, empty PostgreSQL database made for
// this test alone, dropped (WITH (FORCE)) when the test ends. See the
// package doc for where the server comes from.
func Postgres(t testing.TB) (dsn string) {
	t.Helper()
	return createDatabase(t, AdminURL(t), nil)
}

// AdminURL returns the URL of the "postgres" database on the server that
// [Postgres] uses: TEST_DATABASE_URL, or this test binary's shared local
// cluster (started on first use). Tests must not stop that server; use
// [NewCluster] for a server of their own.
func AdminURL(t testing.TB) string {
	t.Helper()
	if raw, ok := os.LookupEnv(EnvDatabaseURL); ok && raw != "" {
		u, err := parseURL(raw)
		if err != nil {
			t.Fatalf("testdb: %s: %v", EnvDatabaseURL, err)
		}
		return u.String()
	}
	c, err := sharedCluster()
	if errors.Is(err, errNoBinaries) {
		unavailable(t, err)
	}
	if err != nil {
		t.Fatalf("testdb: starting the local PostgreSQL cluster: %v", err)
	}
	return c.AdminURL()
}

// SQLitePath returns the path of a new SQLite database file (not yet
// created) in the test's temp dir.
func SQLitePath(t testing.TB) string {
	t.Helper()
	return filepath.Join(t.TempDir(), "test.sqlite")
}

// Each runs fn as two subtests: "sqlite", with driver [DriverSQLite] and
// dsn a new SQLite file path from [SQLitePath], and "postgres", with driver
// [DriverPostgres] and dsn a fresh database URL from [Postgres]. Where
// PostgreSQL is unavailable outside CI, only the "postgres" subtest skips.
func Each(t *testing.T, fn func(t *testing.T, driver string, dsn string)) {
	t.Helper()
	t.Run(DriverSQLite, func(t *testing.T) {
		fn(t, DriverSQLite, SQLitePath(t))
	})
	t.Run(DriverPostgres, func(t *testing.T) {
		fn(t, DriverPostgres, Postgres(t))
	})
}

// Main runs the package's tests, stops this binary's local PostgreSQL
// clusters and exits. Call it from TestMain:
//
//	func TestMain(m *testing.M) { testdb.Main(m) }
func Main(m *testing.M) {
	code := m.Run()
	Shutdown()
	os.Exit(code)
}

// Shutdown stops and removes every local cluster this test binary started.
// [Main] calls it; a package with its own TestMain calls it after m.Run.
func Shutdown() {
	clustersMu.Lock()
	all := make([]*Cluster, 0, len(clusters))
	for c := range clusters {
		all = append(all, c)
	}
	clustersMu.Unlock()
	for _, c := range all {
		c.destroy()
	}
}

var (
	sharedOnce sync.Once
	shared     *Cluster
	sharedErr  error
)

func sharedCluster() (*Cluster, error) {
	sharedOnce.Do(func() {
		shared, sharedErr = startCluster()
	})
	return shared, sharedErr
}

func ciMode() bool {
	v, err := strconv.ParseBool(os.Getenv("CI"))
	return err == nil && v
}

// unavailable skips the test, or fails it when CI=true.
func unavailable(t testing.TB, why error) {
	t.Helper()
	if ciMode() {
		t.Fatalf("%s (CI=true requires PostgreSQL; %v)", UnavailableMessage, why)
	}
	t.Skip(UnavailableMessage)
}

func parseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "postgres" && u.Scheme != "postgresql" {
		return nil, fmt.Errorf("want a postgres:// URL, got scheme %q", u.Scheme)
	}
	return u, nil
}

// withDatabase returns admin with its database replaced by name.
func withDatabase(admin, name string) (string, error) {
	u, err := parseURL(admin)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	u.RawPath = ""
	return u.String(), nil
}

// createDatabase makes a database on the server at admin and drops it when
// the test ends, unless alive (if given) then reports the server down.
func createDatabase(t testing.TB, admin string, alive func() bool) string {
	t.Helper()
	name := databaseName(t.Name())
	dsn, err := withDatabase(admin, name)
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// template0 is always pristine, whatever the server's template1 holds;
	// C collation keeps ORDER BY the same on every machine.
	sql := "CREATE DATABASE " + pgx.Identifier{name}.Sanitize() +
		" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"
	if err := adminExec(ctx, admin, sql); err != nil {
		t.Fatalf("testdb: creating database %s: %v", name, err)
	}
	t.Cleanup(func() {
		if alive != nil && !alive() {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		err := adminExec(ctx, admin, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
		if err != nil {
			t.Logf("testdb: dropping database %s: %v", name, err)
		}
	})
	return dsn
}

func adminExec(ctx context.Context, admin, sql string) error {
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, sql)
	return err
}

// databaseName makes a valid, unique database name (under 63 bytes) that
// still tells which test it belonged to.
func databaseName(testName string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(testName) {
		if b.Len() >= 32 {
			break
		}
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return "testdb_" + strings.Trim(b.String(), "_") + "_" + randomHex(6)
}

func randomHex(n int) string {
	buf := make([]byte, n)
	if _, err := rand.Read(buf); err != nil {
		panic(err)
	}
	return hex.EncodeToString(buf)
}
