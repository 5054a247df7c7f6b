package graph_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/internal/apitest"
	"github.com/contactgate/contactgate/internal/testdb"
)

// StaffPageQuery is the staff dashboard's page: both gates, every contact
// field with alert contacts, and members with their users. It is kept
// within the complexity limit (5000) for 100 accounts: 49 per account.
const StaffPageQuery = `query StaffPage($first: Int, $after: String, $filter: AccountFilter) {
  accounts(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id name integrationTypes
      sandbox: accessGate(environment: SANDBOX) { locked }
      production: accessGate(environment: PRODUCTION) { locked missing }
      contactInfo {
        alertContacts { email }
        technicalEmergency { name email phone }
        technicalNonEmergency { name email phone }
        merchantIssues { name email phone }
        operationalForGoogle { name email phone }
        operationalForUsers { name email phone }
        operationalSupport { alwaysOpen openNow windows { days opens closes timeZone } }
      }
      members { role user { email } }
    } }
  }
}`

// fullNodeQuery selects every Account field that reads the database
// (invitations, updatedBy, members' account too), for pages of up to 40.
const fullNodeQuery = `query($first: Int) {
  accounts(first: $first) {
    totalCount
    edges { cursor node {
      id name integrationTypes createdAt launchRequestedAt
      sandbox: accessGate(environment: SANDBOX) { environment locked missing }
      production: accessGate(environment: PRODUCTION) { environment locked missing }
      contactInfo {
        version merchantIssuesRequirement updatedAt
        updatedBy { id email name }
        alertContacts { id email name }
        technicalEmergency { name email phone }
        technicalNonEmergency { name email phone }
        merchantIssues { name email phone }
        operationalForGoogle { name email phone }
        operationalForUsers { name email phone }
        operationalSupport { alwaysOpen openNow nextChange windows { days opens closes timeZone } }
      }
      members { role user { id email name } account { id } }
      invitations { id email role }
    } }
  }
}`

// trustNodeQuery is the staff list as the SPA asks it since contacts are
// reviewed and verified: the gates' review fields (AccessGateFields), the
// stored warning codes and each contact's reachability.
const trustNodeQuery = `query($first: Int) {
  accounts(first: $first) {
    edges { node {
      id name
      sandbox: accessGate(environment: SANDBOX) { environment locked missing reviewDueAt reviewOverdue reviewLocked reviewLocksAt }
      production: accessGate(environment: PRODUCTION) { environment locked missing reviewDueAt reviewOverdue reviewLocked reviewLocksAt }
      contactInfo {
        warningCodes
        technicalEmergency { email reachability { state since } }
        operationalForUsers { email reachability { state } }
      }
    } }
  }
}`

type staffPage struct {
	Accounts struct {
		TotalCount int
		PageInfo   struct {
			HasNextPage bool
			EndCursor   *string
		}
		Edges []struct {
			Cursor string
			Node   struct {
				ID          string
				Name        string
				Sandbox     struct{ Locked bool }
				Production  struct{ Locked bool }
				ContactInfo struct {
					AlertContacts []struct{ Email string }
				}
				Members []struct {
					Role string
					User struct{ Email string }
				}
			}
		}
	}
}

// TestStaffPageStatements proves there is no N+1: a staff page costs the
// same number of SQL statements for 10 and for 100 accounts, on the first
// request and every one after. The count includes authentication (the
// session joined with its user: 1 statement; the session's last-seen write happens
// at most once a minute, and the test clock stands still).
func TestStaffPageStatements(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn})
		f := s.Fixture()
		if _, err := s.DB.Seed(context.Background(), gormstore.SeedOptions{Accounts: 120, Seed: 7}); err != nil {
			t.Fatal(err)
		}
		staff := s.As(f.Staff)

		count := func(query string, first int) (int64, staffPage) {
			t.Helper()
			s.ResetStatements()
			r := staff.Do(query, map[string]any{"first": first})
			n := s.Statements()
			if len(r.Errors) > 0 {
				t.Fatalf("first %d: %s", first, r.Raw)
			}
			var page staffPage
			if err := json.Unmarshal(r.Data, &page); err != nil {
				t.Fatal(err)
			}
			if len(page.Accounts.Edges) != first {
				t.Fatalf("first %d: got %d accounts", first, len(page.Accounts.Edges))
			}
			return n, page
		}

		n10, _ := count(StaffPageQuery, 10)
		n100, page := count(StaffPageQuery, 100)
		for i := range 3 {
			if again, _ := count(StaffPageQuery, 100); again != n100 {
				t.Errorf("request %d of 100 accounts: %d statements, the first %d", i+2, again, n100)
			}
			if again, _ := count(StaffPageQuery, 10); again != n10 {
				t.Errorf("request %d of 10 accounts: %d statements, the first %d", i+2, again, n10)
			}
		}
		if n10 != n100 {
			t.Errorf("10 accounts cost %d statements, 100 cost %d: N+1", n10, n100)
		}
		// session joined with its user, count, page (with the contact info
		// rows, the integration types and the contacts documents), members
		// joined with their users.
		const want = 4
		if n100 != want {
			t.Errorf("a staff page costs %d statements, want %d (update the breakdown above if this is intended)", n100, want)
		}
		t.Logf("%s: a staff page costs %d statements for 10 and for 100 accounts", driver, n100)

		// Every database-reading field of Account: one more statement
		// (invitations), still constant.
		f10, _ := count(fullNodeQuery, 10)
		f40, _ := count(fullNodeQuery, 40)
		if f10 != f40 || f10 != want+1 {
			t.Errorf("every Account field: %d statements for 10 accounts, %d for 40, want %d", f10, f40, want+1)
		}
		// Review fields come with the gates, warning codes with the contact
		// info, the contacts' reachability in one statement: session,
		// page, reachability.
		r10, _ := count(trustNodeQuery, 10)
		r100, _ := count(trustNodeQuery, 100)
		if r10 != r100 || r10 != 3 {
			t.Errorf("review, warnings and reachability: %d statements for 10 accounts, %d for 100, want 3", r10, r100)
		}

		// Accounts without a contacts document (cleared by a trigger, or
		// not saved since the migration) read their contacts and alert
		// contacts from the rows: two statements more, still constant.
		if err := s.DB.Gorm().Exec(`UPDATE contact_infos SET contacts_doc = NULL`).Error; err != nil {
			t.Fatal(err)
		}
		c10, _ := count(StaffPageQuery, 10)
		c100, pageFromRows := count(StaffPageQuery, 100)
		if c10 != c100 || c100 != want+2 {
			t.Errorf("without documents: %d statements for 10 accounts, %d for 100, want %d", c10, c100, want+2)
		}
		if !reflect.DeepEqual(pageFromRows, page) {
			t.Errorf("the page read from the rows differs from the page read from the documents")
		}

		// The page is real: gates, alert contacts and members are there.
		var alerts, members, locked int
		for _, e := range page.Accounts.Edges {
			alerts += len(e.Node.ContactInfo.AlertContacts)
			members += len(e.Node.Members)
			if e.Node.Production.Locked {
				locked++
			}
			for _, m := range e.Node.Members {
				if m.User.Email == "" {
					t.Fatalf("member without user in %s", e.Node.Name)
				}
			}
		}
		if alerts == 0 || members < 100 || locked == 0 || locked == 100 {
			t.Errorf("unrealistic page: %d alert contacts, %d members, %d locked", alerts, members, locked)
		}
	})
}

// TestAccessGateStatements: with a session, accessGate costs one statement
// in all, the authentication itself (session, user, membership and gate
// read together), for a member and staff; with an API token one statement
// beyond authentication. Authentication is measured on the same client
// with a query that reads nothing (portalConfig): 1 statement for a
// session (session joined with its user), 1 for a token.
func TestAccessGateStatements(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn})
		f := s.Fixture()
		_, token, err := s.Services.Tokens.Create(context.Background(), &f.Admin.ID, f.AccountA.ID, "bench", true)
		if err != nil {
			t.Fatal(err)
		}
		// As the portal asks it (AccessGateFields): the review fields come
		// with the gate.
		const gate = `query($id: ID!) { accessGate(accountId: $id, environment: PRODUCTION) {
			locked missing reviewDueAt reviewOverdue reviewLocked reviewLocksAt } }`
		const nothing = `{ portalConfig { supportUrl } }`
		for _, c := range []struct {
			name       string
			client     *apitest.Client
			wantAuth   int64
			wantExtra  int64
			accountID  string
			wantLocked bool
		}{
			{"administrator", s.As(f.Admin), 1, 0, f.AccountA.ID, true},
			{"read-only member", s.As(f.ReadOnly), 1, 0, f.AccountA.ID, true},
			{"staff", s.As(f.Staff), 1, 0, f.AccountB.ID, true},
			{"token", s.WithToken(token), 1, 1, f.AccountA.ID, true},
		} {
			c.client.MustData(nothing, nil, nil) // a token records its first use
			s.ResetStatements()
			c.client.MustData(nothing, nil, nil)
			auth := s.Statements()
			for i := range 3 {
				s.ResetStatements()
				var out struct{ AccessGate struct{ Locked bool } }
				c.client.MustData(gate, map[string]any{"id": c.accountID}, &out)
				total := s.Statements()
				if out.AccessGate.Locked != c.wantLocked {
					t.Errorf("%s: locked %v", c.name, out.AccessGate.Locked)
				}
				if auth != c.wantAuth || total-auth != c.wantExtra {
					t.Errorf("%s, request %d: accessGate cost %d statements, authentication %d of them (want %d + %d)",
						c.name, i+1, total, auth, c.wantAuth, c.wantExtra)
				}
			}
		}
		// A non-member still gets NOT_FOUND, from the same single statement.
		outsider := s.As(f.Outsider)
		s.ResetStatements()
		r := outsider.Do(gate, map[string]any{"id": f.AccountA.ID})
		if r.Code() != nf || s.Statements() != 1 {
			t.Errorf("outsider: %d statements: %s", s.Statements(), r.Raw)
		}
	})
}

// benchServer is a server with a seeded database for the benchmarks: SQLite,
// or PostgreSQL with BENCH_DRIVER=postgres, logging at info level as in
// production. CI runs them as a smoke test only (go test -run '^$' -bench .
// -benchtime 20x ./graph); the full harness is bench/ (bench/README.md).
func benchServer(b *testing.B, accounts int) (*apitest.Server, *apitest.Fixture) {
	b.Helper()
	o := apitest.Options{Driver: testdb.DriverSQLite, DSN: testdb.SQLitePath(b), InfoLog: true}
	if os.Getenv("BENCH_DRIVER") == testdb.DriverPostgres {
		o = apitest.Options{Driver: testdb.DriverPostgres, DSN: testdb.Postgres(b), InfoLog: true}
	}
	s := apitest.NewWith(b, o)
	f := s.Fixture()
	if _, err := s.DB.Seed(context.Background(), gormstore.SeedOptions{Accounts: accounts, Seed: 9}); err != nil {
		b.Fatal(err)
	}
	return s, f
}

// discardResponse is a ResponseWriter that keeps the status and drops the
// body, so that a benchmark measures the server alone.
type discardResponse struct {
	h      http.Header
	status int
	n      int
}

func (d *discardResponse) Header() http.Header         { return d.h }
func (d *discardResponse) WriteHeader(code int)        { d.status = code }
func (d *discardResponse) Write(p []byte) (int, error) { d.n += len(p); return len(p), nil }

// serveInProcess calls the server's handler b.N times with the body as
// client c would send it and fails unless it answers 200 without errors. The
// handler runs in process: no client, no network, and the CPU time of the
// process (cpuTime) is the server's own (with SQLite's, on SQLite).
func serveInProcess(b *testing.B, s *apitest.Server, c *apitest.Client, body []byte) {
	b.Helper()
	req := c.Request("application/json", body)
	w := &discardResponse{h: http.Header{}}
	for range b.N {
		r := *req // the handler neither keeps nor changes the request
		r.Body = io.NopCloser(bytes.NewReader(body))
		clear(w.h)
		w.status = 0
		s.Handler().ServeHTTP(w, &r)
		if w.status != 0 && w.status != http.StatusOK {
			b.Fatalf("status %d", w.status)
		}
	}
}

// cpuTime is the process's user and system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func mustJSON(b *testing.B, v any) []byte {
	out, err := json.Marshal(v)
	if err != nil {
		b.Fatal(err)
	}
	return out
}

// BenchmarkStaffPage: one staff page of 100 accounts with all contacts,
// through the real handler in process. cpu-ms/op is the process's CPU time
// per page (the server's; on SQLite the database's too).
func BenchmarkStaffPage(b *testing.B) {
	s, f := benchServer(b, 300)
	staff := s.As(f.Staff)
	if r := staff.Do(StaffPageQuery, map[string]any{"first": 100}); len(r.Errors) > 0 || !strings.Contains(r.Raw, `"members":[{`) {
		b.Fatal(r.Raw)
	}
	body := mustJSON(b, map[string]any{"query": StaffPageQuery, "variables": map[string]any{"first": 100}})
	s.ResetStatements()
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpuTime()
	serveInProcess(b, s, staff, body)
	b.ReportMetric(float64(cpuTime()-cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(s.Statements())/float64(b.N), "statements/op")
}

// BenchmarkAccessGate: accessGate as a member with a session, through the
// real handler in process; with the query text, and by its persisted
// query hash (APQ, as the SPA sends it) which skips parsing and
// validation.
func BenchmarkAccessGate(b *testing.B) {
	s, f := benchServer(b, 10)
	admin := s.As(f.Admin)
	const q = `query AccessGate($id: ID!) { accessGate(accountId: $id, environment: PRODUCTION) { locked missing } }`
	vars := map[string]any{"id": f.AccountA.ID}
	sum := sha256.Sum256([]byte(q))
	apq := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hex.EncodeToString(sum[:])}}
	// Registers the hash (the first request of an APQ client sends both).
	admin.Post("application/json", mustJSON(b, map[string]any{"query": q, "variables": vars, "extensions": apq}))
	for _, c := range []struct {
		name string
		body []byte
	}{
		{"query", mustJSON(b, map[string]any{"query": q, "variables": vars})},
		{"apq", mustJSON(b, map[string]any{"variables": vars, "extensions": apq})},
	} {
		b.Run(c.name, func(b *testing.B) {
			if r := admin.Post("application/json", c.body); len(r.Errors) > 0 || !strings.Contains(r.Raw, `"locked":true`) {
				b.Fatal(r.Raw)
			}
			s.ResetStatements()
			b.ReportAllocs()
			b.ResetTimer()
			cpu := cpuTime()
			serveInProcess(b, s, admin, c.body)
			b.ReportMetric(float64(cpuTime()-cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(s.Statements())/float64(b.N), "statements/op")
		})
	}
}

// TestConcurrentStaffPages: more staff pages at once than the server lets
// execute together (heavy operations wait for a slot, httpapi/heavy.go)
// are all answered, completely, and a light request is answered while
// they run.
func TestConcurrentStaffPages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn})
		f := s.Fixture()
		if _, err := s.DB.Seed(context.Background(), gormstore.SeedOptions{Accounts: 110, Seed: 3}); err != nil {
			t.Fatal(err)
		}
		const n = 12           // more than 2 × CPUs on the machines this runs on
		staff := s.As(f.Staff) // one browser, many tabs
		errs := make(chan string, n)
		for range n {
			go func() {
				r := staff.Do(StaffPageQuery, map[string]any{"first": 100})
				var page staffPage
				switch {
				case r.Status != 200 || len(r.Errors) > 0:
					errs <- r.Raw
				case json.Unmarshal(r.Data, &page) != nil || len(page.Accounts.Edges) != 100:
					errs <- "incomplete page: " + r.Raw[:min(200, len(r.Raw))]
				default:
					errs <- ""
				}
			}()
		}
		var gate struct{ AccessGate struct{ Locked bool } }
		s.As(f.Admin).MustData(`query($id: ID!) { accessGate(accountId: $id, environment: PRODUCTION) { locked } }`,
			map[string]any{"id": f.AccountA.ID}, &gate)
		for range n {
			if e := <-errs; e != "" {
				t.Error(e)
			}
		}
	})
}
