package gormstore_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/internal/testdb"
	"github.com/contactgate/contactgate/models"
	"github.com/contactgate/contactgate/service"
)

// listAll pages through the listing with pages of size n and returns the
// ids in order, checking that totalCount agrees with what was listed.
func listAll(t *testing.T, db *gormstore.DB, f gormstore.AccountFilter, n int) []string {
	t.Helper()
	var ids []string
	after := ""
	var total int64 = -1
	for range 10000 {
		page, err := db.ListAccounts(context.Background(), f, n, after)
		if err != nil {
			t.Fatalf("list %+v: %v", f, err)
		}
		if total >= 0 && page.TotalCount != total {
			t.Fatalf("totalCount changed from %d to %d without writes", total, page.TotalCount)
		}
		total = page.TotalCount
		for _, a := range page.Accounts {
			ids = append(ids, a.ID)
		}
		if len(page.Accounts) != len(page.Cursors) || len(page.Gates) != len(page.Accounts) {
			t.Fatalf("page of %d accounts with %d cursors and %d gates", len(page.Accounts), len(page.Cursors), len(page.Gates))
		}
		if !page.HasNextPage {
			break
		}
		after = page.Cursors[len(page.Cursors)-1]
	}
	if int64(len(ids)) != total {
		t.Fatalf("filter %+v: listed %d accounts, totalCount %d", f, len(ids), total)
	}
	return ids
}

type listedWorld struct {
	db    *gormstore.DB
	named *models.Account // "Trattoria Bella NAPOLI 100% Vera"
	other *models.Account // "Osteria_Mare"
	admin *models.User
}

func newListedWorld(t *testing.T, driver, dsn string) *listedWorld {
	t.Helper()
	db := open(t, driver, dsn, func() time.Time { return time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC) })
	ctx := context.Background()
	if _, err := db.Seed(ctx, gormstore.SeedOptions{Accounts: 250, Seed: 3, ChunkSize: 100}); err != nil {
		t.Fatal(err)
	}
	name := "Owner"
	admin, err := db.CreateUser(ctx, "Owner.Person@Example-Partner.test", &name, "", false)
	if err != nil {
		t.Fatal(err)
	}
	w := &listedWorld{db: db, admin: admin}
	if w.named, err = db.CreateDemoAccount(ctx, nil, "Trattoria Bella NAPOLI 100% Vera", []string{"WAITLIST_E2E"}, admin.Email, "", ""); err != nil {
		t.Fatal(err)
	}
	if w.other, err = db.CreateDemoAccount(ctx, nil, "Osteria_Mare", []string{"BUSINESS_LINK"}, "someone@else.test", "", ""); err != nil {
		t.Fatal(err)
	}
	te := []models.ContactInput{{Email: "Pager-Duty@OnCall.Example.net"}}
	if _, err := service.New(service.Deps{Store: db}).ContactInfo.Update(ctx, &admin.ID, w.other.ID, models.ContactInfoPatch{
		Environment: models.EnvironmentSandbox, TechnicalEmergency: &te}); err != nil {
		t.Fatal(err)
	}
	return w
}

// TestListAccountsFilters checks every filter against the gate and data it
// stands for, on both databases.
func TestListAccountsFilters(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		w := newListedWorld(t, driver, dsn)
		db := w.db
		ctx := context.Background()
		all := listAll(t, db, gormstore.AccountFilter{}, 100)
		if len(all) != 252 {
			t.Fatalf("listed %d accounts, want 252", len(all))
		}

		search := func(s string) []string {
			return listAll(t, db, gormstore.AccountFilter{Search: s}, 100)
		}
		for _, c := range []struct {
			search string
			want   *models.Account
		}{
			{"bella napoli 100% v", w.named}, // name, case-insensitive, % taken literally
			{"  NAPOLI 100%  ", w.named},
			{w.named.ID, w.named},             // the id
			{"owner.person@example", w.named}, // a member's email
			{"ONCALL.example.NET", w.other},   // a contact's email
			{"osteria_mare", w.other},         // _ taken literally
		} {
			got := search(c.search)
			if !slices.Contains(got, c.want.ID) {
				t.Errorf("search %q misses %s", c.search, c.want.Name)
			}
		}
		if got := search("osteria%mare"); len(got) != 0 {
			t.Errorf("search with %% matched %d accounts; LIKE metacharacters must be literal", len(got))
		}
		if got := search("100%"); !slices.Equal(got, []string{w.named.ID}) {
			t.Errorf("search 100%%: %d accounts", len(got))
		}
		if got := search(w.named.ID[:8]); slices.Contains(got, w.named.ID) {
			t.Errorf("a part of an id matched; ids match whole")
		}
		if got := search("no-such-thing-anywhere"); len(got) != 0 {
			t.Errorf("search matched %d accounts", len(got))
		}

		// Gates: locked and missing in each environment agree with Gate().
		gates, err := db.GatesByAccountIDs(ctx, all)
		if err != nil {
			t.Fatal(err)
		}
		for _, env := range []models.Environment{models.EnvironmentSandbox, models.EnvironmentProduction} {
			for _, locked := range []bool{true, false} {
				var want []string
				for _, id := range all {
					if gates[id].Missing.Gate(env).Locked == locked {
						want = append(want, id)
					}
				}
				got := listAll(t, db, gormstore.AccountFilter{Locked: &locked, Environment: env}, 100)
				if !slices.Equal(got, want) {
					t.Errorf("%s locked=%v: %d accounts, want %d", env, locked, len(got), len(want))
				}
				if len(want) == 0 {
					t.Errorf("%s locked=%v: the seed has no such account", env, locked)
				}
			}
			for _, field := range models.ContactFields {
				var want []string
				for _, id := range all {
					if slices.Contains(gates[id].Missing.Gate(env).Missing, field) {
						want = append(want, id)
					}
				}
				got := listAll(t, db, gormstore.AccountFilter{Missing: field, Environment: env}, 100)
				if !slices.Equal(got, want) {
					t.Errorf("%s missing %s: %d accounts, want %d", env, field, len(got), len(want))
				}
			}
		}

		// Integration types, also combined with a search and a gate.
		accs, err := db.AccountsByIDs(ctx, all)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range db.Catalog().Types() {
			var want []string
			for _, id := range all { // AccountsByIDs does not keep the order
				for _, a := range accs {
					if a.ID == id && slices.Contains(a.IntegrationTypes, it.Name) {
						want = append(want, id)
					}
				}
			}
			got := listAll(t, db, gormstore.AccountFilter{IntegrationType: it.Name}, 100)
			if !slices.Equal(got, want) {
				t.Errorf("integration type %s: %d accounts, want %d", it.Name, len(got), len(want))
			}
		}
		locked := true
		got := listAll(t, db, gormstore.AccountFilter{Search: "napoli 100", IntegrationType: "WAITLIST_E2E", Locked: &locked}, 10)
		if !slices.Equal(got, []string{w.named.ID}) {
			t.Errorf("combined filters: %v", got)
		}
		got = listAll(t, db, gormstore.AccountFilter{Search: "napoli 100", IntegrationType: "BUSINESS_LINK"}, 10)
		if len(got) != 0 {
			t.Errorf("combined filters: %v", got)
		}
	})
}

// TestListAccountsPaging: order by name then id, first clamped, bad
// cursors refused, and every account exactly once while accounts are
// inserted between page fetches (before, inside and after the cursor).
func TestListAccountsPaging(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		w := newListedWorld(t, driver, dsn)
		db := w.db
		ctx := context.Background()

		page, err := db.ListAccounts(ctx, gormstore.AccountFilter{}, 1000, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Accounts) != gormstore.MaxPageSize || !page.HasNextPage || page.TotalCount != 252 {
			t.Errorf("first: 1000 gave %d accounts (hasNext %v, total %d), want %d", len(page.Accounts), page.HasNextPage, page.TotalCount, gormstore.MaxPageSize)
		}
		if page, _ = db.ListAccounts(ctx, gormstore.AccountFilter{}, 0, ""); len(page.Accounts) != 50 {
			t.Errorf("first: 0 gave %d accounts, want the default 50", len(page.Accounts))
		}
		for _, bad := range []string{"%%%", "bm90IGEgY3Vyc29y"} {
			if _, err := db.ListAccounts(ctx, gormstore.AccountFilter{}, 10, bad); models.ErrorCodeOf(err) != models.EValidation {
				t.Errorf("cursor %q: %v, want VALIDATION_FAILED", bad, err)
			}
		}

		before := listAll(t, db, gormstore.AccountFilter{}, 100)
		names := map[string]string{}
		accs, _ := db.AccountsByIDs(ctx, before)
		for _, a := range accs {
			names[a.ID] = strings.ToLower(a.Name)
		}
		for i := 1; i < len(before); i++ {
			a, b := before[i-1], before[i]
			if names[a] > names[b] || (names[a] == names[b] && a > b) {
				if driver == testdb.DriverSQLite { // PostgreSQL sorts by the database collation
					t.Fatalf("not ordered by name, id: %q then %q", names[a], names[b])
				}
			}
		}

		seen := map[string]int{}
		after := ""
		inserted := 0
		for pages := 0; ; pages++ {
			page, err := db.ListAccounts(ctx, gormstore.AccountFilter{}, 17, after)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range page.Accounts {
				seen[a.ID]++
			}
			if !page.HasNextPage {
				break
			}
			after = page.Cursors[len(page.Cursors)-1]
			// Insert accounts that sort first, last, and right at the cursor.
			last := page.Accounts[len(page.Accounts)-1].Name
			for _, name := range []string{"!!! first " + fmt.Sprint(pages), "zzzz last " + fmt.Sprint(pages), last, last + " b"} {
				if _, err := db.CreateDemoAccount(ctx, nil, name, []string{"BUSINESS_LINK"}, w.admin.Email, "", ""); err != nil {
					t.Fatal(err)
				}
				inserted++
			}
		}
		for _, id := range before {
			if seen[id] != 1 {
				t.Errorf("account %s (%q) listed %d times", id, names[id], seen[id])
			}
		}
		for id, n := range seen {
			if n != 1 {
				t.Errorf("account %s listed %d times", id, n)
			}
		}
		if inserted == 0 {
			t.Fatal("no accounts were inserted while paging")
		}
		if got := listAll(t, db, gormstore.AccountFilter{}, 100); len(got) != len(before)+inserted {
			t.Errorf("after the inserts %d accounts, want %d", len(got), len(before)+inserted)
		}
	})
}

// TestRoleAndGate: membership and gate in one statement.
func TestRoleAndGate(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		w := newListedWorld(t, driver, dsn)
		ctx := context.Background()
		role, missing, found, err := w.db.RoleAndGate(ctx, w.named.ID, w.admin.ID)
		if err != nil || !found || role != models.RoleAdministrator || !missing.Missing.Gate(models.EnvironmentSandbox).Locked ||
			missing.ReviewedAt.IsZero() {
			t.Errorf("administrator: %q %v %v %v", role, missing, found, err)
		}
		role, missing, found, err = w.db.RoleAndGate(ctx, w.other.ID, w.admin.ID)
		want, _ := w.db.Gate(ctx, w.other.ID, models.EnvironmentProduction)
		if err != nil || !found || role != "" || !slices.Equal(missing.Missing.Gate(models.EnvironmentProduction).Missing, want.Missing) ||
			!missing.ReviewedAt.Equal(want.ReviewedAt) {
			t.Errorf("non-member: %q %v %v %v", role, missing, found, err)
		}
		if _, _, found, err = w.db.RoleAndGate(ctx, "no-such-account", w.admin.ID); found || err != nil {
			t.Errorf("unknown account: found %v, %v", found, err)
		}
	})
}

// TestListingIndexes: the partial indexes of migration 0002 use the bits of
// models.FieldSet, and on PostgreSQL every filter can be served by its index
// (sequential and plain index scans disabled, so that the planner does not
// prefer scanning the tiny test tables or a whole unrelated index; the plans
// at 100k accounts are in bench/README.md).
func TestListingIndexes(t *testing.T) {
	for i, f := range models.ContactFields {
		if f.Bit() != 1<<i {
			t.Fatalf("%s has bit %d; migration 0002_listing_indexes assumes %d", f, f.Bit(), 1<<i)
		}
	}
	db := open(t, testdb.DriverPostgres, testdb.Postgres(t), nil)
	if _, err := db.Seed(context.Background(), gormstore.SeedOptions{Accounts: 200, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	locked := true
	for _, c := range []struct {
		filter gormstore.AccountFilter
		want   []string
	}{
		{gormstore.AccountFilter{Search: "napoli"}, []string{"accounts_name_trgm", "contacts_email_trgm", "users_email_trgm", "accounts_pkey"}},
		{gormstore.AccountFilter{Missing: models.FieldMerchantIssues}, []string{"contact_infos_missing_merchant_issues"}},
		{gormstore.AccountFilter{Missing: models.FieldAlertContacts, Environment: models.EnvironmentProduction}, []string{"contact_infos_missing_alert_contacts"}},
		{gormstore.AccountFilter{Locked: &locked, Environment: models.EnvironmentProduction}, []string{"contact_infos_locked_production"}},
		{gormstore.AccountFilter{IntegrationType: "WAITLIST_E2E"}, []string{"account_integration_types"}},
	} {
		_, count, err := db.ExplainAccounts(context.Background(), gormstore.PageRequest{Filter: c.filter, First: 100}, false, "enable_seqscan = off", "enable_indexscan = off", "enable_indexonlyscan = off")
		if err != nil {
			t.Fatal(err)
		}
		for _, idx := range c.want {
			if !strings.Contains(count, idx) {
				t.Errorf("filter %+v: the plan does not use %s:\n%s", c.filter, idx, count)
			}
		}
	}
	page, _, err := db.ExplainAccounts(context.Background(), gormstore.PageRequest{First: 100}, false, "enable_seqscan = off", "enable_sort = off")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(page, "accounts_name_lower_id") {
		t.Errorf("the page is not read in index order:\n%s", page)
	}
}

// TestAccountTotalsKeptByTheDatabase: the unfiltered total of the staff
// listing, read from the row the database keeps (migration
// 0008_account_totals), is the number of accounts after accounts are
// created one by one, seeded in bulk (COPY on PostgreSQL) and deleted.
func TestAccountTotalsKeptByTheDatabase(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		db := open(t, driver, dsn, time.Now)
		ctx := context.Background()
		check := func(when string) {
			t.Helper()
			var counted int64
			if err := db.Gorm().Raw(`SELECT COUNT(*) FROM accounts`).Scan(&counted).Error; err != nil {
				t.Fatal(err)
			}
			page, err := db.AccountsPage(ctx, gormstore.PageRequest{First: 1, Count: true})
			if err != nil {
				t.Fatal(err)
			}
			if page.TotalCount != counted {
				t.Fatalf("%s: totalCount %d, accounts %d", when, page.TotalCount, counted)
			}
		}
		check("empty")
		var ids []string
		for i := range 3 {
			a, err := db.CreateAccountRows(ctx, fmt.Sprintf("Account %d", i), []string{"WAITLIST_E2E"})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, a.ID)
		}
		check("after three accounts")
		if _, err := db.Seed(ctx, gormstore.SeedOptions{Accounts: 40, Seed: 2}); err != nil {
			t.Fatal(err)
		}
		check("after a seed")
		if err := db.Gorm().Exec(`DELETE FROM accounts WHERE id IN ?`, ids[:2]).Error; err != nil {
			t.Fatal(err)
		}
		check("after deleting two")
	})
}
