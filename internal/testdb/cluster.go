package testdb

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// binGlob finds Debian's and Ubuntu's PostgreSQL server binaries (a
// variable for tests).
var binGlob = "/usr/lib/postgresql/*/bin/initdb"

// errNoBinaries means no local PostgreSQL server binaries were found.
var errNoBinaries = errors.New("no initdb on PATH or under /usr/lib/postgresql/*/bin")

// dirPrefix names the temp dirs of local clusters (see gcStale).
const dirPrefix = "testdb-pg-"

// Cluster is a throwaway local PostgreSQL server: trust auth on
// 127.0.0.1:Port(), superuser "postgres", fsync=off (committed data
// survives Kill, not a machine crash). Its methods are safe
// to call from several goroutines.
type Cluster struct {
	dir     string // temp dir holding everything below
	data    string // data directory
	sock    string // private unix-socket directory
	logPath string // server log (appended across restarts)
	bin     string // directory of initdb and postgres
	owner   *osUser
	port    int

	mu        sync.Mutex
	proc      *process // nil when stopped
	destroyed bool
}

// NewCluster starts a PostgreSQL cluster of the test's own, stopped and
// removed when the test ends. Unlike the server behind [Postgres], it may
// be stopped and restarted (fault tests). It always runs locally, so it
// skips (or fails, with CI=true) where the PostgreSQL binaries are missing.
func NewCluster(t testing.TB) *Cluster {
	t.Helper()
	c, err := startCluster()
	if errors.Is(err, errNoBinaries) {
		unavailable(t, err)
	}
	if err != nil {
		t.Fatalf("testdb: starting a PostgreSQL cluster: %v", err)
	}
	t.Cleanup(c.destroy)
	return c
}

// AdminURL returns the URL of the cluster's "postgres" database as the
// superuser. It stays the same across Stop and Start.
func (c *Cluster) AdminURL() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", c.port)
}

// Port returns the TCP port the cluster listens on (127.0.0.1 only).
func (c *Cluster) Port() int { return c.port }

// LogPath returns the path of the server's log file.
func (c *Cluster) LogPath() string { return c.logPath }

// Database creates a fresh, empty database on this cluster for the test
// and returns its URL; it is dropped when the test ends, if the cluster is
// running then.
func (c *Cluster) Database(t testing.TB) string {
	t.Helper()
	return createDatabase(t, c.AdminURL(), c.Running)
}

// Running reports whether the server process is up.
func (c *Cluster) Running() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.proc != nil && !c.proc.exited()
}

// Start starts a stopped cluster on the same port and waits until it
// accepts connections (after crash recovery, following Kill). Starting a
// running cluster does nothing.
func (c *Cluster) Start() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.destroyed {
		return errors.New("testdb: cluster already removed")
	}
	if c.proc != nil && !c.proc.exited() {
		return nil
	}
	return c.startLocked()
}

// Stop shuts the server down in "fast" mode (SIGINT: open sessions are
// ended, data is checkpointed) and waits for it to exit.
func (c *Cluster) Stop() error { return c.halt(syscall.SIGINT, time.Minute) }

// Kill shuts the server down in "immediate" mode (SIGQUIT), like a crash:
// no checkpoint, so the next Start runs crash recovery.
func (c *Cluster) Kill() error { return c.halt(syscall.SIGQUIT, 30*time.Second) }

// Restart is Stop then Start.
func (c *Cluster) Restart() error {
	if err := c.Stop(); err != nil {
		return err
	}
	return c.Start()
}

func (c *Cluster) halt(sig syscall.Signal, timeout time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.haltLocked(sig, timeout)
}

func (c *Cluster) haltLocked(sig syscall.Signal, timeout time.Duration) error {
	p := c.proc
	if p == nil {
		return nil
	}
	c.proc = nil
	if p.exited() {
		return nil
	}
	_ = p.cmd.Process.Signal(sig)
	select {
	case <-p.done:
		return nil
	case <-time.After(timeout):
	}
	_ = p.cmd.Process.Kill()
	<-p.done
	return fmt.Errorf("testdb: postgres did not stop on %v within %v; killed", sig, timeout)
}

// destroy stops the server at once and removes its files.
func (c *Cluster) destroy() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.destroyed {
		return
	}
	c.destroyed = true
	_ = c.haltLocked(syscall.SIGQUIT, 30*time.Second)
	_ = os.RemoveAll(c.dir)
	clustersMu.Lock()
	delete(clusters, c)
	clustersMu.Unlock()
}

// clusters holds every live local cluster of this process, for Shutdown.
var (
	clustersMu sync.Mutex
	clusters   = map[*Cluster]struct{}{}
)

// startCluster makes and starts a new cluster in a new temp dir.
func startCluster() (*Cluster, error) {
	bin, err := findBinDir()
	if err != nil {
		return nil, err
	}
	owner, err := serverUser()
	if err != nil {
		return nil, err
	}
	base := baseDir(owner)
	gcStale(base)
	dir, err := os.MkdirTemp(base, dirPrefix)
	if err != nil {
		return nil, err
	}
	c := &Cluster{
		dir:     dir,
		data:    filepath.Join(dir, "data"),
		sock:    filepath.Join(dir, "sock"),
		logPath: filepath.Join(dir, "postgres.log"),
		bin:     bin,
		owner:   owner,
	}
	clustersMu.Lock()
	clusters[c] = struct{}{}
	clustersMu.Unlock()
	if err := c.init(); err != nil {
		c.destroy()
		return nil, err
	}
	if err := c.firstStart(); err != nil {
		c.destroy()
		return nil, err
	}
	return c, nil
}

// firstStart picks a free port and starts the server, picking again if
// another process took the port before postgres could bind it.
func (c *Cluster) firstStart() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for attempt := 1; ; attempt++ {
		port, err := freePort()
		if err != nil {
			return err
		}
		c.port = port
		err = c.startLocked()
		if err == nil || attempt == 5 || !strings.Contains(err.Error(), "could not bind") {
			return err
		}
	}
}

// init lays out the temp dir and runs initdb.
func (c *Cluster) init() error {
	if err := os.WriteFile(filepath.Join(c.dir, "owner.pid"), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		return err
	}
	if err := os.Mkdir(c.sock, 0o700); err != nil {
		return err
	}
	if c.owner != nil {
		for _, p := range []string{c.dir, c.sock} {
			if err := os.Chown(p, c.owner.uid, c.owner.gid); err != nil {
				return err
			}
		}
	}
	var out bytes.Buffer
	cmd := exec.Command(filepath.Join(c.bin, "initdb"),
		"--pgdata", c.data, "--username", "postgres", "--auth", "trust",
		"--encoding", "UTF8", "--locale", "C", "--no-sync")
	cmd.Dir = c.dir
	cmd.Env = serverEnv()
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = sysProcAttr(c.owner)
	p, err := spawn(cmd)
	if err != nil {
		return fmt.Errorf("initdb: %w", err)
	}
	<-p.done
	if p.err != nil {
		return fmt.Errorf("initdb: %v\n%s", p.err, out.Bytes())
	}
	return nil
}

// startLocked starts postgres as a direct child and waits until it accepts
// connections.
func (c *Cluster) startLocked() error {
	logf, err := os.OpenFile(c.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer logf.Close()
	offset, _ := logf.Seek(0, 2)
	cmd := exec.Command(filepath.Join(c.bin, "postgres"),
		"-D", c.data,
		"-p", strconv.Itoa(c.port),
		"-c", "listen_addresses=127.0.0.1",
		"-c", "unix_socket_directories="+c.sock,
		"-c", "fsync=off",
		"-c", "full_page_writes=off",
		"-c", "max_connections=200",
	)
	cmd.Dir = c.dir
	cmd.Env = serverEnv()
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = sysProcAttr(c.owner)
	p, err := spawn(cmd)
	if err != nil {
		return fmt.Errorf("starting postgres: %w", err)
	}
	deadline := time.Now().Add(time.Minute)
	for {
		select {
		case <-p.done:
			return fmt.Errorf("postgres exited (%v); log:\n%s", p.err, c.logSince(offset))
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		conn, err := pgx.Connect(ctx, c.AdminURL())
		if err == nil {
			_ = conn.Close(ctx)
			cancel()
			c.proc = p
			return nil
		}
		cancel()
		if time.Now().After(deadline) {
			_ = p.cmd.Process.Kill()
			<-p.done
			return fmt.Errorf("postgres not ready after a minute (%v); log:\n%s", err, c.logSince(offset))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (c *Cluster) logSince(offset int64) string {
	b, err := os.ReadFile(c.logPath)
	if err != nil || offset > int64(len(b)) {
		return ""
	}
	b = b[offset:]
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// process is a running child whose exit is watched.
type process struct {
	cmd  *exec.Cmd
	done chan struct{} // closed once the child has exited
	err  error         // from Wait, valid after done
}

func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// spawn starts cmd from a goroutine locked to its OS thread that lives
// until the child exits: the parent-death signal (see sysProcAttr) fires
// when the thread that forked the child ends, so that thread must outlast
// the child for as long as this process runs.
func spawn(cmd *exec.Cmd) (*process, error) {
	p := &process{cmd: cmd, done: make(chan struct{})}
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends with this goroutine
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		p.err = cmd.Wait()
		close(p.done)
	}()
	if err := <-started; err != nil {
		return nil, err
	}
	return p, nil
}

// osUser is the account the server runs as when we are root.
type osUser struct {
	name     string
	uid, gid int
}

// serverUser returns nil when the server can run as the current user, and
// the "postgres" account when we are root (initdb and postgres refuse root).
func serverUser() (*osUser, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("running as root, and PostgreSQL refuses root, but there is no \"postgres\" user to run it as (%v); install the postgresql package or set %s", err, EnvDatabaseURL)
	}
	uid, err1 := strconv.Atoi(u.Uid)
	gid, err2 := strconv.Atoi(u.Gid)
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("user postgres: odd uid/gid %q/%q", u.Uid, u.Gid)
	}
	return &osUser{name: u.Username, uid: uid, gid: gid}, nil
}

// serverEnv is the environment for initdb and postgres: ours, with the C
// locale so that messages are in English.
func serverEnv() []string {
	env := make([]string, 0, len(os.Environ())+1)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "LC_ALL=") {
			env = append(env, kv)
		}
	}
	return append(env, "LC_ALL=C")
}

// findBinDir returns the directory holding initdb and postgres.
func findBinDir() (string, error) {
	var candidates []string
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		candidates = append(candidates, filepath.Dir(p))
	}
	// Debian and Ubuntu keep the server binaries off PATH; prefer the newest.
	globbed, _ := filepath.Glob(binGlob)
	sort.Slice(globbed, func(i, j int) bool { return pgVersion(globbed[i]) > pgVersion(globbed[j]) })
	for _, p := range globbed {
		candidates = append(candidates, filepath.Dir(p))
	}
	for _, dir := range candidates {
		if isExecutable(filepath.Join(dir, "initdb")) && isExecutable(filepath.Join(dir, "postgres")) {
			return dir, nil
		}
	}
	return "", errNoBinaries
}

// pgVersion reads the major version from /usr/lib/postgresql/N/bin/initdb.
func pgVersion(initdb string) float64 {
	v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(filepath.Dir(initdb))), 64)
	return v
}

func isExecutable(path string) bool {
	st, err := os.Stat(path)
	return err == nil && !st.IsDir() && st.Mode().Perm()&0o111 != 0
}

// baseDir is where cluster dirs go: the temp dir, or /tmp when the server
// runs as another user who could not reach the temp dir.
func baseDir(owner *osUser) string {
	base := os.TempDir()
	if owner == nil {
		return base
	}
	for d := base; ; d = filepath.Dir(d) {
		st, err := os.Stat(d)
		if err != nil || st.Mode().Perm()&0o001 == 0 {
			return "/tmp"
		}
		if d == filepath.Dir(d) {
			return base
		}
	}
}

// gcStale removes cluster dirs left by test binaries that exited without
// Shutdown (their servers died with them; see the package doc).
func gcStale(base string) {
	dirs, _ := filepath.Glob(filepath.Join(base, dirPrefix+"*"))
	for _, dir := range dirs {
		b, err := os.ReadFile(filepath.Join(dir, "owner.pid"))
		if err != nil {
			// Being set up right now, or not ours: leave it unless old.
			if st, err := os.Stat(dir); err == nil && time.Since(st.ModTime()) > time.Hour {
				_ = os.RemoveAll(dir)
			}
			continue
		}
		if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err != nil || processAlive(pid) {
			continue
		}
		if pm, err := os.ReadFile(filepath.Join(dir, "data", "postmaster.pid")); err == nil {
			line, _, _ := strings.Cut(string(pm), "\n")
			if pid, err := strconv.Atoi(strings.TrimSpace(line)); err == nil && processAlive(pid) {
				continue
			}
		}
		_ = os.RemoveAll(dir)
	}
}

// freePort asks the kernel for a free TCP port on 127.0.0.1.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
