package main

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/internal/testdb"
)

// TestDatabaseMaxConns: the PostgreSQL pool holds at most
// DATABASE_MAX_CONNS connections (as /metrics reports it), two per CPU
// plus two when unset; a value that is not a positive number stops the
// program at start, naming the setting.
func TestDatabaseMaxConns(t *testing.T) {
	for _, v := range []string{"0", "-3", "many"} {
		env := map[string]string{"ADDR": "127.0.0.1:0", "DATA_DIR": t.TempDir(), "DATABASE_MAX_CONNS": v}
		var out strings.Builder
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err := run(ctx, []string{"contactgate"}, func(k string) string { return env[k] }, strings.NewReader(""), &out)
		cancel()
		if err == nil || !strings.Contains(err.Error(), "DATABASE_MAX_CONNS") || strings.Contains(out.String(), "listening") {
			t.Errorf("DATABASE_MAX_CONNS=%q: err %v, output %q", v, err, out.String())
		}
	}
	if want := 2*runtime.GOMAXPROCS(0) + 2; gormstore.DefaultMaxOpenConns() != want {
		t.Errorf("default pool %d, want %d", gormstore.DefaultMaxOpenConns(), want)
	}

	dsn := testdb.Postgres(t)
	for _, c := range []struct {
		setting string
		want    int
	}{{"", gormstore.DefaultMaxOpenConns()}, {"3", 3}} {
		env := faultEnv(t, dsn)
		env["DATABASE_MAX_CONNS"] = c.setting
		base, stop := startRun(t, env)
		if got := maxOpenConnections(t, base); got != c.want {
			t.Errorf("DATABASE_MAX_CONNS=%q: the pool holds at most %d connections, want %d", c.setting, got, c.want)
		}
		if err := stop(); err != nil {
			t.Fatal(err)
		}
	}
}

var maxOpenMetric = regexp.MustCompile(`(?m)^go_sql_max_open_connections\{db_name="contactgate"\} (\d+)$`)

func maxOpenConnections(t *testing.T, base string) int {
	t.Helper()
	res, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	m := maxOpenMetric.FindSubmatch(body)
	if m == nil {
		t.Fatalf("/metrics has no go_sql_max_open_connections:\n%.2000s", body)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}
