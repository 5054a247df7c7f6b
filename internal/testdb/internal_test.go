package testdb

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestHelperUnavailable runs only in a subprocess started by
// TestUnavailable, with no PostgreSQL to be found.
func TestHelperUnavailable(t *testing.T) {
	if os.Getenv("TESTDB_HELPER") != "1" {
		t.Skip("helper for TestUnavailable")
	}
	binGlob = "/nonexistent/*/bin/initdb"
	Postgres(t)
	t.Error("Postgres returned without PostgreSQL")
}

func TestUnavailable(t *testing.T) {
	for _, tc := range []struct {
		ci   string
		want string
	}{
		{"", "--- SKIP: TestHelperUnavailable"},
		{"true", "--- FAIL: TestHelperUnavailable"},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperUnavailable$", "-test.v")
		var env []string
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "PATH=") && !strings.HasPrefix(kv, "CI=") && !strings.HasPrefix(kv, EnvDatabaseURL+"=") {
				env = append(env, kv)
			}
		}
		cmd.Env = append(env, "TESTDB_HELPER=1", "PATH=/nonexistent", "CI="+tc.ci)
		out, _ := cmd.CombinedOutput()
		if !strings.Contains(string(out), tc.want) || !strings.Contains(string(out), UnavailableMessage) {
			t.Errorf("CI=%q: want %q and %q in:\n%s", tc.ci, tc.want, UnavailableMessage, out)
		}
	}
}

func TestDatabaseName(t *testing.T) {
	long := strings.Repeat("TestSomething/With Spaces/", 10)
	a, b := databaseName(long), databaseName(long)
	if a == b {
		t.Fatal("names repeat")
	}
	if len(a) > 63 {
		t.Fatalf("%q is %d bytes, over PostgreSQL's 63", a, len(a))
	}
	for _, r := range a {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			t.Fatalf("%q has %q", a, r)
		}
	}
}
