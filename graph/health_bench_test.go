package graph_test

import (
	"context"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/internal/apitest"
	"github.com/contactgate/contactgate/internal/testdb"
)

// BenchmarkAccountHealth: the staff health summary over a seeded database
// of 100,000 accounts (HEALTH_BENCH_ACCOUNTS to change; BENCH_DRIVER=postgres
// for PostgreSQL). Before timing, it checks that every count of the summary
// equals the totalCount of the accounts list with the filter that part
// links to (the counts come from indexed columns, one statement each).
func BenchmarkAccountHealth(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("HEALTH_BENCH_ACCOUNTS")); err == nil && v > 0 {
		n = v
	}
	// Seeding 100k accounts on PostgreSQL outlasts the server's default
	// statement timeout (its VACUUM ANALYZE): this database gets a longer one.
	o := apitest.Options{Driver: testdb.DriverSQLite, DSN: testdb.SQLitePath(b)}
	if os.Getenv("BENCH_DRIVER") == testdb.DriverPostgres {
		dsn := testdb.Postgres(b)
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		o = apitest.Options{Driver: testdb.DriverPostgres, DSN: dsn + sep + "statement_timeout=600000"}
	}
	s := apitest.NewWith(b, o)
	f := s.Fixture()
	if _, err := s.DB.Seed(context.Background(), gormstore.SeedOptions{Accounts: n, Seed: 9}); err != nil {
		b.Fatal(err)
	}
	staff := s.As(f.Staff)
	const q = `{accountHealth(environment:PRODUCTION){total complete locked reviewCurrent reviewDue reviewLocked withWarnings warnings{code accounts}}}`
	var h struct {
		AccountHealth struct {
			Total, Complete, Locked, ReviewCurrent, ReviewDue, ReviewLocked, WithWarnings int
			Warnings                                                                      []struct {
				Code     string
				Accounts int
			}
		}
	}
	staff.MustData(q, nil, &h)
	a := h.AccountHealth
	if a.Total < n || a.Complete+a.Locked != a.Total || a.ReviewCurrent+a.ReviewDue+a.ReviewLocked != a.Total {
		b.Fatalf("the parts do not add up: %+v", a)
	}
	total := func(filter string, vars map[string]any) int {
		var list struct{ Accounts struct{ TotalCount int } }
		decl := ""
		if vars != nil {
			decl = "($w:ContactWarningCode)"
		}
		staff.MustData(`query`+decl+`{accounts(filter:`+filter+`,first:1){totalCount}}`, vars, &list)
		return list.Accounts.TotalCount
	}
	for name, c := range map[string]struct {
		got    int
		filter string
	}{
		"total": {a.Total, `{}`}, "complete": {a.Complete, `{environment:PRODUCTION,locked:false}`},
		"locked": {a.Locked, `{environment:PRODUCTION,locked:true}`}, "reviewCurrent": {a.ReviewCurrent, `{review:CURRENT}`},
		"reviewDue": {a.ReviewDue, `{review:DUE}`}, "reviewLocked": {a.ReviewLocked, `{review:LOCKED}`},
		"withWarnings": {a.WithWarnings, `{hasWarnings:true}`},
	} {
		if want := total(c.filter, nil); c.got != want {
			b.Fatalf("%s: summary %d, list %d", name, c.got, want)
		}
	}
	for _, w := range a.Warnings {
		if want := total(`{warning:$w}`, map[string]any{"w": w.Code}); w.Accounts != want {
			b.Fatalf("%s: summary %d, list %d", w.Code, w.Accounts, want)
		}
	}
	out, _ := json.Marshal(a)
	b.Logf("%d accounts: %s", n, out)
	s.ResetStatements()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if r := staff.Do(q, nil); len(r.Errors) > 0 {
			b.Fatal(r.Raw)
		}
	}
	b.ReportMetric(float64(s.Statements())/float64(b.N), "statements/op")
}
