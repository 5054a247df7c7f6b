package graph_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/internal/apitest"
	"github.com/contactgate/contactgate/internal/testdb"
)

const listQuery = `query($first: Int, $after: String, $filter: AccountFilter) {
  accounts(first: $first, after: $after, filter: $filter) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id name } }
  }
}`

type listPage struct {
	Accounts struct {
		TotalCount int
		PageInfo   struct {
			HasNextPage bool
			EndCursor   *string
		}
		Edges []struct {
			Cursor string
			Node   struct{ ID, Name string }
		}
	}
}

// TestStaffListingPaging: through the API, every account appears exactly
// once across pages while accounts are inserted between page fetches, and
// `first` is clamped to 100.
func TestStaffListingPaging(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn})
		f := s.Fixture()
		if _, err := s.DB.Seed(context.Background(), gormstore.SeedOptions{Accounts: 230, Seed: 11}); err != nil {
			t.Fatal(err)
		}
		staff := s.As(f.Staff)
		const existing = 232 // the seed and the fixture's two

		var big listPage
		staff.MustData(listQuery, map[string]any{"first": 500}, &big)
		if len(big.Accounts.Edges) != 100 || !big.Accounts.PageInfo.HasNextPage || big.Accounts.TotalCount != existing {
			t.Fatalf("first: 500 gave %d edges (hasNext %v, total %d), want 100 of %d",
				len(big.Accounts.Edges), big.Accounts.PageInfo.HasNextPage, big.Accounts.TotalCount, existing)
		}
		before := map[string]bool{}
		for after, first := "", true; first || after != ""; first = false {
			var p listPage
			vars := map[string]any{"first": 100}
			if after != "" {
				vars["after"] = after
			}
			staff.MustData(listQuery, vars, &p)
			for _, e := range p.Accounts.Edges {
				before[e.Node.ID] = true
			}
			after = ""
			if p.Accounts.PageInfo.HasNextPage {
				after = *p.Accounts.PageInfo.EndCursor
			}
		}
		if len(before) != existing {
			t.Fatalf("listed %d accounts, want %d", len(before), existing)
		}

		seen := map[string]int{}
		var after *string
		for n := 0; ; n++ {
			var p listPage
			staff.MustData(listQuery, map[string]any{"first": 13, "after": after}, &p)
			for _, e := range p.Accounts.Edges {
				seen[e.Node.ID]++
			}
			if !p.Accounts.PageInfo.HasNextPage {
				break
			}
			after = p.Accounts.PageInfo.EndCursor
			last := p.Accounts.Edges[len(p.Accounts.Edges)-1].Node.Name
			for _, name := range []string{"AAA new " + fmt.Sprint(n), last, "zzz new " + fmt.Sprint(n)} {
				s.Account(name, []string{"BUSINESS_LINK"}, f.AdminB)
			}
		}
		for id := range before {
			if seen[id] != 1 {
				t.Errorf("account %s listed %d times while inserting", id, seen[id])
			}
		}
		for id, n := range seen {
			if n > 1 {
				t.Errorf("account %s listed %d times", id, n)
			}
		}
	})
}

// TestStaffListingFilters: the filters through the API, and who may list.
func TestStaffListingFilters(t *testing.T) {
	s := apitest.New(t)
	f := s.Fixture()
	s.CompleteContactInfo(f.AccountA.ID, f.Admin, f.Admin.ID) // A unlocked in both
	staff := s.As(f.Staff)
	list := func(filter map[string]any) []string {
		t.Helper()
		var p listPage
		staff.MustData(listQuery, map[string]any{"filter": filter}, &p)
		var names []string
		for _, e := range p.Accounts.Edges {
			names = append(names, e.Node.Name)
		}
		if p.Accounts.TotalCount != len(names) {
			t.Errorf("filter %v: totalCount %d for %d accounts", filter, p.Accounts.TotalCount, len(names))
		}
		return names
	}
	for _, c := range []struct {
		filter map[string]any
		want   string
	}{
		{map[string]any{"search": "ALPHA book"}, "[Alpha Bookings]"},
		{map[string]any{"search": "EDITOR@A.EXAMPLE"}, "[Alpha Bookings]"}, // a member's email
		{map[string]any{"search": "pager@partner"}, "[Alpha Bookings]"},    // a contact's email
		{map[string]any{"search": f.AccountB.ID}, "[Beta Tables]"},         // the id
		{map[string]any{"locked": true}, "[Beta Tables]"},                  // SANDBOX
		{map[string]any{"locked": false, "environment": "PRODUCTION"}, "[Alpha Bookings]"},
		{map[string]any{"missing": "ALERT_CONTACTS", "environment": "PRODUCTION"}, "[Beta Tables]"},
		{map[string]any{"missing": "ALERT_CONTACTS"}, "[]"},  // not needed in SANDBOX
		{map[string]any{"missing": "MERCHANT_ISSUES"}, "[]"}, // Beta's type has none
		{map[string]any{"integrationType": "APPOINTMENTS_E2E"}, "[Alpha Bookings]"},
		{map[string]any{"integrationType": "BUSINESS_LINK", "locked": true}, "[Beta Tables]"},
	} {
		if got := fmt.Sprint(list(c.filter)); got != c.want {
			t.Errorf("filter %v: %s, want %s", c.filter, got, c.want)
		}
	}
	for _, c := range []struct {
		name   string
		client *apitest.Client
		code   string
	}{
		{"anonymous", s.Anonymous(), "UNAUTHENTICATED"},
		{"administrator", s.As(f.Admin), "FORBIDDEN"},
	} {
		if r := c.client.Do(listQuery, nil); r.Code() != c.code {
			t.Errorf("%s: %s", c.name, r.Raw)
		}
	}
	if r := staff.Do(listQuery, map[string]any{"after": "not a cursor"}); r.Code() != "VALIDATION_FAILED" {
		t.Errorf("bad cursor: %s", r.Raw)
	}
	// A search text far longer than any name or address is refused, not
	// handed to the database (SQLite answered "pattern too complex").
	long := strings.Repeat("a", 50_001)
	if r := staff.Do(listQuery, map[string]any{"filter": map[string]any{"search": long}}); r.Code() != "VALIDATION_FAILED" ||
		!strings.Contains(r.Raw, `"field":"filter.search"`) || !strings.Contains(r.Raw, "TOO_LONG") {
		t.Errorf("long search: %.300s", r.Raw)
	}
	if got := fmt.Sprint(list(map[string]any{"search": strings.Repeat("é", 200)})); got != "[]" {
		t.Errorf("200 characters: %s", got)
	}
}

// TestStaffSearchRefusesWhatNoNameHolds: a search text with control,
// invisible or direction-changing characters is refused with its field
// code and changes nothing, on both databases; PostgreSQL answered a NUL
// with an internal error before.
func TestStaffSearchRefusesWhatNoNameHolds(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn})
		f := s.Fixture()
		staff := s.As(f.Staff)
		for search, code := range map[string]string{
			"Alpha\x00":   "CONTROL_CHARACTERS",
			"Al\tpha":     "CONTROL_CHARACTERS",
			"Al\u200bpha": "INVISIBLE_CHARACTERS",
			"Alpha\u202e": "INVISIBLE_CHARACTERS",
		} {
			r := staff.Do(listQuery, map[string]any{"filter": map[string]any{"search": search}})
			if r.Code() != "VALIDATION_FAILED" || !strings.Contains(r.Raw, `"field":"filter.search"`) || !strings.Contains(r.Raw, code) {
				t.Errorf("search %q: %.300s", search, r.Raw)
			}
		}
		if r := staff.Do(listQuery, map[string]any{"filter": map[string]any{"search": "  alpha  "}}); len(r.Errors) > 0 {
			t.Errorf("a search with spaces around it: %s", r.Raw)
		}
	})
}
