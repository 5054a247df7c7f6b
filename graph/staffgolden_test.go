package graph_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/internal/apitest"
	"github.com/contactgate/contactgate/internal/testdb"
)

var updateGolden = flag.Bool("update-golden", false, "rewrite graph/testdata/*.golden.json from the current server")

// goldenAliasQuery marshals the same values through aliases, fragments and
// __typename, which take other paths through the executor than plain fields.
const goldenAliasQuery = `query($first: Int) {
  accounts(first: $first) {
    edges { node {
      __typename
      ...Acc
      gate: accessGate(environment: PRODUCTION) { __typename e: environment missing }
      contactInfo { __typename ...Info alerts: alertContacts { __typename id } }
    } }
  }
}
fragment Acc on Account { i: id n: name integrationTypes members { __typename r: role user { __typename email name } } }
fragment Info on ContactInfo {
  version merchantIssuesRequirement
  technicalEmergency { __typename ...C }
  tne: technicalNonEmergency { ...C }
  merchantIssues { email }
  operationalForGoogle { phone name }
  operationalForUsers { ...C }
  operationalSupport { __typename alwaysOpen openNow nextChange windows { __typename days opens closes timeZone } }
}
fragment C on Contact { name email phone }`

// TestStaffPageGolden pins the staff page's answer byte for byte: the
// answers for a seeded database, through the real server, must equal the
// recorded ones (graph/testdata/staffpage.<driver>.golden.json: timestamps
// have microseconds on PostgreSQL, nanoseconds on SQLite) on SQLite and
// PostgreSQL. It guards the marshalling of the page (plain fields instead
// of resolvers, precomputed values) against any change of behaviour.
// Generated ids are random, so each UUID is replaced by its order of first
// appearance, and cursors (base64 of name and id) are shown decoded.
func TestStaffPageGolden(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn})
		staff := s.As(s.User("golden-staff@contactgate.test", true))
		if _, err := s.DB.Seed(context.Background(), gormstore.SeedOptions{Accounts: 150, Seed: 12}); err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		for _, c := range []struct {
			name, query string
			first       int
		}{
			{"staff page", StaffPageQuery, 100},
			{"every field", fullNodeQuery, 40},
			{"aliases and fragments", goldenAliasQuery, 30},
		} {
			r := staff.Do(c.query, map[string]any{"first": c.first})
			if r.Status != 200 || len(r.Errors) > 0 {
				t.Fatalf("%s: %d %s", c.name, r.Status, r.Raw)
			}
			fmt.Fprintf(&got, "# %s\n%s\n", c.name, r.Raw)
		}
		out := normalizeIDs(got.Bytes())
		path := filepath.Join("testdata", "staffpage."+driver+".golden.json")
		if *updateGolden {
			if err := os.WriteFile(path, out, 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out, want) {
			_ = os.WriteFile(filepath.Join(t.TempDir(), "got.json"), out, 0o644)
			t.Fatalf("the staff page's answer changed:\n%s", firstDiff(want, out))
		}
	})
}

var (
	uuidRE   = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	cursorRE = regexp.MustCompile(`"(cursor|endCursor)":"([A-Za-z0-9_-]+)"`)
)

// normalizeIDs decodes cursors and numbers UUIDs by first appearance.
func normalizeIDs(raw []byte) []byte {
	raw = cursorRE.ReplaceAllFunc(raw, func(m []byte) []byte {
		sub := cursorRE.FindSubmatch(m)
		dec, err := base64.RawURLEncoding.DecodeString(string(sub[2]))
		if err != nil {
			return m
		}
		return []byte(fmt.Sprintf(`"%s":%q`, sub[1], strings.ReplaceAll(string(dec), "\x00", "|")))
	})
	labels := map[string]string{}
	return uuidRE.ReplaceAllFunc(raw, func(m []byte) []byte {
		l, ok := labels[string(m)]
		if !ok {
			l = fmt.Sprintf("id-%d", len(labels)+1)
			labels[string(m)] = l
		}
		return []byte(l)
	})
}

func firstDiff(want, got []byte) string {
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	from := max(0, i-200)
	return fmt.Sprintf("at byte %d\nwant …%s…\ngot  …%s…", i, want[from:min(len(want), i+200)], got[from:min(len(got), i+200)])
}
