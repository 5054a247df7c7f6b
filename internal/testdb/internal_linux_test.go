package testdb

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

const prSetChildSubreaper = 36 // PR_SET_CHILD_SUBREAPER, linux/prctl.h

// TestHelperOrphan runs only in a subprocess started by
// TestServerDiesWithTestBinary: it starts the shared cluster and exits the
// way a package without testdb.Main (or a crashing one) would.
func TestHelperOrphan(t *testing.T) {
	if os.Getenv("TESTDB_HELPER") != "orphan" {
		t.Skip("helper for TestServerDiesWithTestBinary")
	}
	admin := AdminURL(t)
	c, _ := sharedCluster()
	fmt.Printf("ADMIN=%s\nDIR=%s\nPID=%d\n", admin, c.dir, c.proc.cmd.Process.Pid)
	os.Exit(3) // no Shutdown
}

func TestServerDiesWithTestBinary(t *testing.T) {
	if _, err := findBinDir(); err != nil {
		t.Skip(UnavailableMessage)
	}
	// Become the reaper of orphans for the test, so that the orphaned
	// server is reparented to us and reaped, not left as a zombie of an
	// init that may not reap.
	if _, _, e := syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0); e != 0 {
		t.Fatalf("PR_SET_CHILD_SUBREAPER: %v", e)
	}
	defer syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 0, 0)
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperOrphan$")
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, EnvDatabaseURL+"=") {
			env = append(env, kv)
		}
	}
	cmd.Env = append(env, "TESTDB_HELPER=orphan")
	out, _ := cmd.CombinedOutput()
	var admin, dir string
	var pid int
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "ADMIN="); ok {
			admin = v
		}
		if v, ok := strings.CutPrefix(line, "DIR="); ok {
			dir = v
		}
		if v, ok := strings.CutPrefix(line, "PID="); ok {
			pid, _ = strconv.Atoi(v)
		}
	}
	if admin == "" || dir == "" || pid == 0 {
		t.Fatalf("helper printed no cluster:\n%s", out)
	}
	// The kernel's parent-death signal stops the orphaned server.
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		conn, err := pgx.Connect(ctx, admin)
		cancel()
		if err != nil {
			break
		}
		conn.Close(context.Background())
		if time.Now().After(deadline) {
			t.Fatalf("server at %s still up 30s after its test binary exited", admin)
		}
		time.Sleep(50 * time.Millisecond)
	}
	reaped := make(chan error, 1)
	go func() {
		var ws syscall.WaitStatus
		_, err := syscall.Wait4(pid, &ws, 0, nil)
		reaped <- err
	}()
	select {
	case err := <-reaped:
		if err != nil {
			t.Logf("reaping postmaster %d: %v", pid, err)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("postmaster %d did not exit", pid)
	}
	// Its dir goes when the next cluster starts.
	deadline = time.Now().Add(30 * time.Second)
	for {
		gcStale(filepath.Dir(dir))
		if _, err := os.Stat(dir); os.IsNotExist(err) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s left behind", dir)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
