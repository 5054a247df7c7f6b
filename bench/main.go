//go:build linux

// Command bench is ContactGate's performance harness (bench/README.md). In
// one run on one machine it:
//
//  1. starts a throwaway PostgreSQL cluster (with pg_stat_statements), or
//     uses -database-url;
//  2. builds contactgate and the raw baseline (bench/baseline);
//  3. seeds N accounts with `contactgate seed --accounts N` (timed);
//  4. prints the plans of the staff listing's filters (EXPLAIN ANALYZE);
//  5. starts the server and drives load with wrk (bench/wrk.lua) for
//     (a) accessGate, the same against the raw baseline, (b) a staff page of
//     100 accounts with all contacts, (c) updateContactInfo, reporting
//     requests/s, p50, p99, RSS and SQL statements per request (from
//     pg_stat_statements);
//  6. streams the CSV export of every account (time, RSS growth);
//  7. measures readiness after start on SQLite;
//
// and prints a Markdown table of the results beside the targets.
//
//	go run ./bench -accounts 100000 -connections 32 -duration 30s
//
// It runs on Linux (it reads /proc for RSS and ties its children's lives
// to its own).
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"os/user"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/contactgate/contactgate/auth"
	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/models"
	"github.com/jackc/pgx/v5"
)

type options struct {
	accounts    int
	connections int
	threads     int
	duration    time.Duration
	warmup      time.Duration
	databaseURL string
	pgBin       string
	pgSharedBuf string
	sessions    int
	skipSeed    bool
	keep        bool
	out         string
	only        string
	staffLow    int
	rounds      int
	apq         bool
	settle      time.Duration
	serverEnv   string
}

func main() {
	var o options
	flag.IntVar(&o.accounts, "accounts", 100000, "accounts to seed")
	flag.IntVar(&o.connections, "connections", 32, "concurrent connections of the load tool")
	flag.IntVar(&o.threads, "threads", runtime.NumCPU(), "load tool threads")
	flag.DurationVar(&o.duration, "duration", 20*time.Second, "measured load per scenario")
	flag.DurationVar(&o.warmup, "warmup", 3*time.Second, "unmeasured load before each scenario")
	flag.StringVar(&o.databaseURL, "database-url", "", "an existing, empty PostgreSQL database (superuser, pg_stat_statements preloaded) instead of a throwaway cluster")
	flag.StringVar(&o.pgBin, "pg-bin", "", "directory of initdb and pg_ctl (default: PATH, then /usr/lib/postgresql/*/bin)")
	flag.StringVar(&o.pgSharedBuf, "pg-shared-buffers", "", "shared_buffers of the throwaway cluster (default: a quarter of the memory, at most 1GB, as PostgreSQL's documentation advises for a dedicated server)")
	flag.IntVar(&o.sessions, "sessions", 2000, "distinct signed-in members (and accounts) the load rotates over")
	flag.BoolVar(&o.skipSeed, "skip-seed", false, "with -database-url: the database is already seeded")
	flag.BoolVar(&o.keep, "keep", false, "keep the work directory (logs, cluster) after the run")
	flag.StringVar(&o.out, "out", "", "also write the report to this file")
	flag.IntVar(&o.rounds, "rounds", 3, "rounds of accessGate and the baseline, alternating (the ratio is their median), and of the staff page at -connections and -staff-connections (the p99 verdicts read their medians)")
	flag.BoolVar(&o.apq, "apq", true, "send accessGate and the staff page by persisted-query hash, as the SPA does (registered once before the load)")
	flag.DurationVar(&o.settle, "settle", 15*time.Second, "idle time after the load before the server's RSS is read again")
	flag.IntVar(&o.staffLow, "staff-connections", 4, "also run the staff page with this many connections (a few staff at once); 0 skips")
	flag.StringVar(&o.serverEnv, "server-env", "", "extra environment of the server, space-separated (e.g. GOMEMLIMIT=64MiB GOGC=200)")
	flag.StringVar(&o.only, "only", "", "comma-separated scenarios to run (gate,baseline,staff,update,export,allocs,ready); default all")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	h := &harness{o: o}
	err := h.run(ctx)
	h.cleanup()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

type harness struct {
	o         options
	work      string
	repo      string
	bin       string // contactgate
	baseline  string
	dbURL     string
	postgres  *exec.Cmd
	pgData    string
	procs     []*exec.Cmd
	report    bytes.Buffer
	loadStart string
	results   []result
	explain   string
	// pgSharedBuffers is the database's shared_buffers, as it reports it.
	pgSharedBuffers string
}

type result struct {
	name, value, target, verdict string
}

func (h *harness) logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "[%s] %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}

func (h *harness) want(name string) bool {
	if h.o.only == "" {
		return true
	}
	for _, s := range strings.Split(h.o.only, ",") {
		if strings.TrimSpace(s) == name {
			return true
		}
	}
	return false
}

func (h *harness) run(ctx context.Context) error {
	wrkPath, err := exec.LookPath("wrk")
	if err != nil {
		return errors.New("wrk is not installed: apt-get install -y wrk (Debian/Ubuntu), brew install wrk (macOS)")
	}
	_ = wrkPath
	h.loadStart = loadAvg()
	if h.repo, err = repoRoot(); err != nil {
		return err
	}
	if h.work, err = os.MkdirTemp("/tmp", "contactgate-bench-"); err != nil {
		return err
	}
	_ = os.Chmod(h.work, 0o755)
	h.logf("work directory %s", h.work)
	h.bin = filepath.Join(h.work, "contactgate")
	h.baseline = filepath.Join(h.work, "baseline")
	for _, b := range [][2]string{{h.bin, "."}, {h.baseline, "./bench/baseline"}} {
		cmd := exec.CommandContext(ctx, "go", "build", "-o", b[0], b[1])
		cmd.Dir, cmd.Stdout, cmd.Stderr = h.repo, os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("build %s: %w", b[1], err)
		}
	}

	if h.o.databaseURL != "" {
		h.dbURL = h.o.databaseURL
	} else if err := h.startPostgres(ctx); err != nil {
		return err
	}
	conn, err := pgx.Connect(ctx, h.dbURL)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(context.Background())
	if err := conn.QueryRow(ctx, "SHOW shared_buffers").Scan(&h.pgSharedBuffers); err != nil {
		return fmt.Errorf("shared_buffers: %w", err)
	}
	if _, err := conn.Exec(ctx, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"); err != nil {
		h.logf("no pg_stat_statements (%v): statements per request will not be reported", err)
	}

	if !h.o.skipSeed {
		h.logf("seeding %d accounts", h.o.accounts)
		start := time.Now()
		out, err := h.command(ctx, nil, h.bin, "seed", "--accounts", strconv.Itoa(h.o.accounts), "--log-level", "warn")
		if err != nil {
			return fmt.Errorf("seed: %w\n%s", err, out)
		}
		took := time.Since(start)
		h.logf("%s", strings.TrimSpace(lastLine(out)))
		h.add(fmt.Sprintf("seed %d accounts (PostgreSQL, COPY)", h.o.accounts), took.Round(100*time.Millisecond).String(),
			"< 1 min", verdict(took < time.Minute))
	}
	var nAccounts int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM accounts").Scan(&nAccounts); err != nil {
		return err
	}
	fx, err := h.fixtures(ctx, conn)
	if err != nil {
		return err
	}
	if err := h.explainListing(ctx); err != nil {
		return err
	}
	// The seed leaves hundreds of MB of dirty buffers (shared_buffers is
	// large: sharedBuffers) that the checkpointer would otherwise write out
	// during the first scenarios, spending CPU and disk there; write them
	// now, then let the kernel's writeback finish, so that every scenario
	// measures a settled database.
	start := time.Now()
	if _, err := conn.Exec(ctx, "CHECKPOINT"); err != nil {
		h.logf("no CHECKPOINT (%v): the first scenarios may share the machine with the seed's writes", err)
	} else {
		syscall.Sync()
		h.logf("checkpoint and sync after the seed: %s", time.Since(start).Round(time.Millisecond))
	}

	// The server.
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	env := append([]string{"DATABASE_URL=" + h.dbURL, "ADDR=" + addr, "LOG_LEVEL=info"}, strings.Fields(h.o.serverEnv)...)
	srv, ready, err := h.start(ctx, "contactgate", env, h.bin, "serve")
	if err != nil {
		return err
	}
	h.logf("contactgate on PostgreSQL ready in %s", ready)
	url := "http://" + addr
	if h.o.apq {
		if err := registerPersisted(ctx, url, fx.staffCookie, accessGateQuery, staffPageQuery); err != nil {
			return err
		}
	}

	load := time.Duration(0)
	// accessGate and the baseline alternate, round after round, so that a
	// change in the machine's load affects both alike; the ratio is of the
	// summed throughput.
	if h.want("gate") || h.want("baseline") {
		var base *exec.Cmd
		baddr := ""
		if h.want("baseline") {
			if baddr, err = freeAddr(); err != nil {
				return err
			}
			if base, _, err = h.start(ctx, "baseline", nil, h.baseline, "-addr", baddr, "-database-url", h.dbURL); err != nil {
				return err
			}
		}
		var ratios, cpus, rawCPUs, cpuRatios, p99s []float64
		for round := 1; round <= h.o.rounds; round++ {
			var ours, raw, ourCPU float64
			suffix := ""
			if h.o.rounds > 1 {
				suffix = fmt.Sprintf(", round %d", round)
			}
			if h.want("gate") {
				r, err := h.scenario(ctx, conn, "accessGate"+suffix, url, srv.Process.Pid, fx.gateRequests, h.o.connections)
				if err != nil {
					return err
				}
				load += h.o.duration
				ours = r.rps
				ourCPU = float64(r.cpuPerReq) / float64(time.Millisecond)
				cpus = append(cpus, ourCPU)
				p99s = append(p99s, float64(r.p99)/float64(time.Millisecond))
				h.addScenario("(a) accessGate"+suffix, r, "p99 ≤ 25 ms", r.p99 <= 25*time.Millisecond)
			}
			if base != nil {
				r, err := h.scenario(ctx, conn, "baseline"+suffix, "http://"+baddr, base.Process.Pid, fx.gateRequests, h.o.connections)
				if err != nil {
					return err
				}
				raw = r.rps
				rawCPU := float64(r.cpuPerReq) / float64(time.Millisecond)
				rawCPUs = append(rawCPUs, rawCPU)
				if ourCPU > 0 && rawCPU > 0 {
					cpuRatios = append(cpuRatios, ourCPU/rawCPU)
				}
				h.addScenario("(a') accessGate, raw net/http + pgx baseline"+suffix, r, "", true)
			}
			if ours > 0 && raw > 0 {
				ratios = append(ratios, ours/raw)
			}
		}
		h.stop(base)
		if len(ratios) > 0 {
			ratio := median(ratios)
			h.add(fmt.Sprintf("(a) accessGate throughput ÷ baseline, median of %d interleaved rounds", len(ratios)),
				fmt.Sprintf("%.2f (rounds: %s)", ratio, floats(ratios, "%.2f")), "≥ 0.8", verdict(ratio >= 0.8))
		}
		if len(p99s) > 1 {
			p := median(p99s)
			h.add("(a) accessGate p99, median of rounds", fmt.Sprintf("%.1f ms (rounds: %s)", p, floats(p99s, "%.1f")),
				"≤ 25 ms", verdict(p <= 25))
		}
		if len(cpus) > 0 {
			c := median(cpus)
			result := fmt.Sprintf("%.3f ms (rounds: %s)", c, floats(cpus, "%.3f"))
			if len(rawCPUs) > 0 {
				// Beside it, what the floor itself cost in the same rounds.
				result += fmt.Sprintf("; the baseline's %.3f ms (rounds: %s)", median(rawCPUs), floats(rawCPUs, "%.3f"))
			}
			h.add("(a) accessGate server CPU/request, median of rounds", result, "≤ 0.11 ms", verdict(c <= 0.11))
		}
		// The absolute target was set on a machine where the baseline took
		// 0.085 ms; the same machine's CPU varies from day to day, so the
		// ratio to the baseline in the same rounds is reported too.
		if len(cpuRatios) > 0 {
			c := median(cpuRatios)
			h.add("(a) accessGate server CPU/request ÷ baseline's, median of rounds", fmt.Sprintf("%.2f (rounds: %s)", c, floats(cpuRatios, "%.2f")),
				"≤ 1.29 (0.11 ÷ 0.085 ms)", verdict(c <= 1.29))
		}
	}
	if h.want("staff") {
		// Rounds alternate 32 and a few connections, like (a) and (a′): a
		// p99 from one 20 s run on a shared machine moves by a third from
		// one run to the next, so the verdicts read the median of the
		// rounds, and every round is reported.
		var p99s, lowP99s, cpus []float64
		var peak int64
		// run is one round at one number of connections; its p99 is added
		// to p99s.
		run := func(round, connections int, name string, targetMs float64, p99s *[]float64) error {
			r, err := h.scenario(ctx, conn, fmt.Sprintf("%s, round %d", name, round), url, srv.Process.Pid, fx.staffRequests, connections)
			if err != nil {
				return err
			}
			load += h.o.duration
			p99 := float64(r.p99) / float64(time.Millisecond)
			h.addScenario(fmt.Sprintf("(b) staff page of 100 accounts, all contacts, %d connections, round %d", connections, round), r,
				fmt.Sprintf("p99 ≤ %.0f ms", targetMs), p99 <= targetMs)
			*p99s = append(*p99s, p99)
			cpus = append(cpus, float64(r.cpuPerReq)/float64(time.Millisecond))
			if connections == h.o.connections {
				peak = max(peak, r.rssPeak)
			}
			return nil
		}
		for round := 1; round <= max(h.o.rounds, 1); round++ {
			if err := run(round, h.o.connections, "staff page", 400, &p99s); err != nil {
				return err
			}
			if h.o.staffLow > 0 {
				if err := run(round, h.o.staffLow, fmt.Sprintf("staff page, %d connections", h.o.staffLow), 60, &lowP99s); err != nil {
					return err
				}
			}
		}
		p := median(p99s)
		h.add(fmt.Sprintf("(b) staff page p99 at %d connections, median of rounds", h.o.connections),
			fmt.Sprintf("%.0f ms (rounds: %s)", p, floats(p99s, "%.0f")), "≤ 400 ms", verdict(p <= 400))
		if len(lowP99s) > 0 {
			p := median(lowP99s)
			h.add(fmt.Sprintf("(b) staff page p99 at %d connections, median of rounds", h.o.staffLow),
				fmt.Sprintf("%.1f ms (rounds: %s)", p, floats(lowP99s, "%.1f")), "≤ 60 ms", verdict(p <= 60))
		}
		c := median(cpus)
		h.add("(b) staff page server CPU/page, median of all staff runs", fmt.Sprintf("%.2f ms (runs: %s)", c, floats(cpus, "%.2f")), "≤ 8 ms", verdict(c <= 8))
		h.add(fmt.Sprintf("peak RSS during %d concurrent staff pages", h.o.connections), mib(peak), "≤ 90 MiB", verdict(peak <= 90*1024))
	}
	if h.want("update") {
		r, err := h.scenario(ctx, conn, "updateContactInfo", url, srv.Process.Pid, fx.updateRequests, h.o.connections)
		if err != nil {
			return err
		}
		load += h.o.duration
		h.addScenario("(c) updateContactInfo", r, "", true)
	}
	if load > 0 {
		rss := rssKiB(srv.Process.Pid, "VmRSS")
		h.logf("load over; RSS %s, again after %s idle", mib(rss), h.o.settle)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(h.o.settle):
		}
		settled := rssKiB(srv.Process.Pid, "VmRSS")
		h.add(fmt.Sprintf("server RSS after %s of load (at once → after %s idle)", load, h.o.settle),
			mib(rss)+" → "+mib(settled), "≤ 60 MiB", verdict(settled <= 60*1024))
	}
	if h.want("allocs") {
		if err := h.allocs(ctx); err != nil {
			return err
		}
	}
	if h.want("export") {
		if err := h.export(ctx, url, srv.Process.Pid, fx.staffCookie, nAccounts); err != nil {
			return err
		}
	}
	h.stop(srv)
	if b, err := os.ReadFile(filepath.Join(h.work, "contactgate.log")); err == nil {
		var errs []string
		for _, l := range strings.Split(string(b), "\n") {
			if strings.Contains(l, `"level":"ERROR"`) {
				errs = append(errs, l)
			}
		}
		if len(errs) > 0 {
			fmt.Fprintf(&h.report, "\n#### The server logged %d errors; the first:\n```\n%s\n```\n", len(errs), strings.Join(errs[:min(3, len(errs))], "\n"))
		}
	}
	if h.want("ready") {
		if err := h.readiness(ctx); err != nil {
			return err
		}
	}
	h.print(nAccounts)
	return nil
}

// ---------------------------------------------------------------- PostgreSQL

func (h *harness) startPostgres(ctx context.Context) error {
	bin := h.o.pgBin
	if bin == "" {
		if p, err := exec.LookPath("initdb"); err == nil {
			if real, err := filepath.EvalSymlinks(p); err == nil {
				p = real
			}
			bin = filepath.Dir(p)
		} else {
			matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
			if len(matches) == 0 {
				return errors.New("PostgreSQL is not installed (no initdb): apt-get install -y postgresql, or pass -database-url")
			}
			bin = filepath.Dir(matches[len(matches)-1])
		}
	}
	// initdb and postgres refuse to run as root: run them as the postgres
	// user then.
	attr := &syscall.SysProcAttr{Pdeathsig: syscall.SIGINT}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return errors.New("running as root needs a postgres user to run PostgreSQL")
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		attr.Credential = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(h.work, uid, gid); err != nil {
			return err
		}
	}
	h.pgData = filepath.Join(h.work, "pgdata")
	port, err := freePort()
	if err != nil {
		return err
	}
	h.logf("starting PostgreSQL (%s) on port %d", bin, port)
	initdb := exec.CommandContext(ctx, filepath.Join(bin, "initdb"), "-D", h.pgData, "-U", "postgres", "-A", "trust", "-E", "UTF8")
	initdb.SysProcAttr, initdb.Dir = attr, h.work
	if out, err := initdb.CombinedOutput(); err != nil {
		return fmt.Errorf("initdb: %w\n%s", err, out)
	}
	logFile, err := os.Create(filepath.Join(h.work, "postgres.log"))
	if err != nil {
		return err
	}
	// A direct child (not daemonised by pg_ctl), with the parent-death
	// signal set: if the harness dies, the kernel stops PostgreSQL.
	pg := exec.Command(filepath.Join(bin, "postgres"), "-D", h.pgData, "-p", strconv.Itoa(port), "-k", h.work,
		"-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200",
		"-c", "shared_preload_libraries=pg_stat_statements", "-c", "pg_stat_statements.track_utility=off",
		"-c", "shared_buffers="+h.sharedBuffers())
	pg.SysProcAttr, pg.Dir, pg.Stdout, pg.Stderr = attr, h.work, logFile, logFile
	if err := pg.Start(); err != nil {
		return fmt.Errorf("start postgres: %w", err)
	}
	h.postgres = pg
	admin := fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	var c *pgx.Conn
	for start := time.Now(); ; time.Sleep(50 * time.Millisecond) {
		if c, err = pgx.Connect(ctx, admin); err == nil {
			break
		}
		if time.Since(start) > 30*time.Second {
			return fmt.Errorf("PostgreSQL did not start (see %s): %w", logFile.Name(), err)
		}
	}
	defer c.Close(context.Background())
	if _, err := c.Exec(ctx, "CREATE DATABASE contactgate"); err != nil {
		return err
	}
	h.dbURL = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/contactgate?sslmode=disable", port)
	return nil
}

// ---------------------------------------------------------------- fixtures

type fixtures struct {
	gateRequests, staffRequests, updateRequests [][2]string
	staffCookie                                 string
}

const accessGateQuery = `query AccessGate($accountId: ID!, $environment: Environment!) { accessGate(accountId: $accountId, environment: $environment) { locked missing } }`

// staffPageQuery is graph/nplus1_test.go's StaffPageQuery.
const staffPageQuery = `query StaffPage($first: Int, $after: String) {
  accounts(first: $first, after: $after) {
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

const updateMutation = `mutation Save($input: UpdateContactInfoInput!) { updateContactInfo(input: $input) { account { id contactInfo { version technicalNonEmergency { name email phone } } accessGate(environment: SANDBOX) { locked missing } } } }`

// fixtures signs in (by writing sessions, as signIn would) a staff user and
// the administrators of random accounts, and prepares the request bodies.
func (h *harness) fixtures(ctx context.Context, conn *pgx.Conn) (*fixtures, error) {
	rows, err := conn.Query(ctx, `SELECT m.account_id, m.user_id FROM members m
		WHERE m.role = 'ADMINISTRATOR' ORDER BY md5(m.account_id) LIMIT $1`, h.o.sessions)
	if err != nil {
		return nil, err
	}
	type pair struct{ account, user string }
	var admins []pair
	for rows.Next() {
		var p pair
		if err := rows.Scan(&p.account, &p.user); err != nil {
			return nil, err
		}
		admins = append(admins, p)
	}
	if rows.Err() != nil || len(admins) == 0 {
		return nil, fmt.Errorf("no administrators in the database: %v", rows.Err())
	}
	now := time.Now().UTC()
	newSession := func(userID string) (string, error) {
		secret := auth.NewSecret()
		_, err := conn.Exec(ctx, `INSERT INTO sessions (id, user_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $3, $4)`,
			auth.HashSecret(secret), userID, now, now.Add(models.SessionIdle))
		return secret, err
	}
	var staffID string
	err = conn.QueryRow(ctx, `INSERT INTO users (id, email, name, password_hash, staff, locale, created_at)
		VALUES (gen_random_uuid()::text, 'bench-staff-' || md5(random()::text) || '@contactgate.local', 'Bench staff', '', true, '', $1) RETURNING id`, now).Scan(&staffID)
	if err != nil {
		return nil, err
	}
	fx := &fixtures{}
	if fx.staffCookie, err = newSession(staffID); err != nil {
		return nil, err
	}
	body := func(query, op string, vars map[string]any) string {
		req := map[string]any{"query": query, "operationName": op, "variables": vars}
		if h.o.apq && query != updateMutation {
			delete(req, "query")
			req["extensions"] = persistedQuery(query)
		}
		b, _ := json.Marshal(req)
		return string(b)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	envs := []models.Environment{models.EnvironmentSandbox, models.EnvironmentProduction}
	var updatesA, updatesB [][2]string
	for i, p := range admins {
		cookie, err := newSession(p.user)
		if err != nil {
			return nil, err
		}
		fx.gateRequests = append(fx.gateRequests, [2]string{cookie, body(accessGateQuery, "AccessGate",
			map[string]any{"accountId": p.account, "environment": envs[i%2]})})
		// Two saves per account, alternating, so that every save changes
		// a field (a history record and rewritten contact rows).
		for k, list := range []*[][2]string{&updatesA, &updatesB} {
			name := fmt.Sprintf("Bench Tech %d", rng.IntN(1000))
			*list = append(*list, [2]string{cookie, body(updateMutation, "Save", map[string]any{"input": map[string]any{
				"accountId": p.account, "environment": "SANDBOX",
				"technicalNonEmergency": []map[string]any{
					{"name": name, "email": fmt.Sprintf("tech-%d-%d@bench.example", i, k), "phone": "+390212345678"},
					{"email": fmt.Sprintf("api-%d@bench.example", i)},
				},
				"operationalSupport": map[string]any{"alwaysOpen": false, "windows": []map[string]any{
					{"days": []string{"MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"}, "opens": "09:00", "closes": "18:00", "timeZone": "Europe/Rome"},
				}},
			}})})
		}
	}
	fx.updateRequests = append(updatesA, updatesB...)

	// Staff pages: the first page and pages after 199 random accounts.
	fx.staffRequests = append(fx.staffRequests, [2]string{fx.staffCookie, body(staffPageQuery, "StaffPage", map[string]any{"first": 100})})
	crows, err := conn.Query(ctx, `SELECT name_lower, id FROM accounts ORDER BY md5(id) LIMIT 199`)
	if err != nil {
		return nil, err
	}
	for crows.Next() {
		var name, id string
		if err := crows.Scan(&name, &id); err != nil {
			return nil, err
		}
		fx.staffRequests = append(fx.staffRequests, [2]string{fx.staffCookie, body(staffPageQuery, "StaffPage",
			map[string]any{"first": 100, "after": gormstore.AccountCursor(name, id)})})
	}
	return fx, crows.Err()
}

// ---------------------------------------------------------------- EXPLAIN

func (h *harness) explainListing(ctx context.Context) error {
	db, err := gormstore.Open(ctx, gormstore.Options{URL: h.dbURL})
	if err != nil {
		return err
	}
	defer db.Close()
	var email string
	if err := db.Gorm().Raw(`SELECT email FROM users WHERE NOT staff ORDER BY md5(id) LIMIT 1`).Scan(&email).Error; err != nil {
		return err
	}
	locked := true
	var b strings.Builder
	for _, c := range []struct {
		name   string
		filter gormstore.AccountFilter
	}{
		{"no filter", gormstore.AccountFilter{}},
		{"search: a common word (\"napoli\")", gormstore.AccountFilter{Search: "napoli"}},
		{"search: part of a person's email", gormstore.AccountFilter{Search: email[:min(len(email), 12)]}},
		{"search: a whole email", gormstore.AccountFilter{Search: email}},
		{"locked in PRODUCTION", gormstore.AccountFilter{Locked: &locked, Environment: models.EnvironmentProduction}},
		{"missing OPERATIONAL_FOR_USERS", gormstore.AccountFilter{Missing: models.FieldOperationalForUsers}},
		{"integration type WAITLIST_E2E", gormstore.AccountFilter{IntegrationType: "WAITLIST_E2E"}},
		{"WAITLIST_E2E, locked in PRODUCTION, search \"studio\"", gormstore.AccountFilter{IntegrationType: "WAITLIST_E2E", Locked: &locked, Environment: models.EnvironmentProduction, Search: "studio"}},
	} {
		// Twice: the second plan is the one with warm caches.
		var page, count string
		for range 2 {
			if page, count, err = db.ExplainAccounts(ctx, gormstore.PageRequest{Filter: c.filter, First: 100}, true); err != nil {
				return fmt.Errorf("explain %s: %w", c.name, err)
			}
		}
		fmt.Fprintf(&b, "### %s\n\npage (first 100):\n```\n%s```\ncount:\n```\n%s```\n\n", c.name, page, count)
		h.logf("EXPLAIN %-55s page %8s  count %8s", c.name, execTime(page), execTime(count))
	}
	h.explain = b.String()
	return os.WriteFile(filepath.Join(h.work, "explain.md"), []byte(h.explain), 0o644)
}

func execTime(plan string) string {
	for _, l := range strings.Split(plan, "\n") {
		if strings.HasPrefix(l, "Execution Time:") {
			return strings.TrimSpace(strings.TrimPrefix(l, "Execution Time:"))
		}
	}
	return "?"
}

// ---------------------------------------------------------------- load

type runResult struct {
	rps              float64
	p50, p90, p99    time.Duration
	requests, failed int64
	statementsPerReq float64
	// dbPerReq is PostgreSQL's execution time of all statements, per
	// request (pg_stat_statements' total_exec_time).
	dbPerReq     time.Duration
	rss, rssPeak int64
	cpuPerReq    time.Duration
	// dbCPUPerReq is the CPU time of the harness's PostgreSQL cluster (all
	// its processes, from /proc) per request; 0 with -database-url.
	dbCPUPerReq   time.Duration
	topStatements []string
}

type wrkOutput struct {
	Requests     int64   `json:"requests"`
	DurationUS   int64   `json:"duration_us"`
	P50          int64   `json:"p50_us"`
	P90          int64   `json:"p90_us"`
	P99          int64   `json:"p99_us"`
	MeanUS       float64 `json:"mean_us"`
	SocketErrors int64   `json:"socket_errors"`
	Failed       int64   `json:"failed"`
	Sample       string  `json:"sample"`
}

func (h *harness) scenario(ctx context.Context, conn *pgx.Conn, name, url string, pid int, reqs [][2]string, connections int) (*runResult, error) {
	file := filepath.Join(h.work, strings.ReplaceAll(name, " ", "-")+".lua")
	var b strings.Builder
	b.WriteString("return {\n")
	for _, r := range reqs {
		if strings.Contains(r[1], "]==]") {
			return nil, errors.New("request body cannot be quoted for Lua")
		}
		fmt.Fprintf(&b, "{[==[%s]==], [==[%s]==]},\n", r[0], r[1])
	}
	b.WriteString("}\n")
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		return nil, err
	}
	if h.o.warmup > 0 {
		h.logf("%s: warming up for %s", name, h.o.warmup)
		if _, err := h.wrk(ctx, file, url, h.o.warmup, connections); err != nil {
			return nil, err
		}
	}
	// Sessions were last seen "now": no last-seen writes during the run
	// (they happen at most once a minute per session, in both servers).
	if _, err := conn.Exec(ctx, `UPDATE sessions SET last_seen_at = $1`, time.Now().UTC()); err != nil {
		return nil, err
	}
	_, statsErr := conn.Exec(ctx, "SELECT pg_stat_statements_reset()")
	h.logf("%s: %d connections for %s", name, connections, h.o.duration)
	sampler := startRSSSampler(pid)
	cpu0, db0 := cpuTime(pid), h.clusterCPU()
	out, err := h.wrk(ctx, file, url, h.o.duration, connections)
	cpu, dbCPU := cpuTime(pid)-cpu0, h.clusterCPU()-db0
	peak := sampler.stop()
	if err != nil {
		return nil, err
	}
	r := &runResult{
		rps: float64(out.Requests) / (float64(out.DurationUS) / 1e6),
		p50: time.Duration(out.P50) * time.Microsecond, p90: time.Duration(out.P90) * time.Microsecond,
		p99: time.Duration(out.P99) * time.Microsecond, requests: out.Requests, failed: out.Failed + out.SocketErrors,
		rss: rssKiB(pid, "VmRSS"), rssPeak: peak, statementsPerReq: -1,
	}
	r.cpuPerReq = cpu / time.Duration(max(out.Requests, 1))
	r.dbCPUPerReq = dbCPU / time.Duration(max(out.Requests, 1))
	if statsErr == nil {
		// Every request of every scenario authenticates with a session, so
		// the session lookups count the requests the server handled,
		// including those still running when wrk stopped.
		var calls, served int64
		var execMs float64
		if err := conn.QueryRow(ctx, `SELECT coalesce(sum(calls), 0)::bigint,
				coalesce(sum(calls) FILTER (WHERE query LIKE '%FROM sessions s JOIN users u ON u.id = s.user_id%'), 0)::bigint,
				coalesce(sum(total_exec_time), 0)::float8
			FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
			WHERE d.datname = current_database() AND s.query NOT LIKE '%pg_stat_statements%'`).Scan(&calls, &served, &execMs); err != nil {
			return nil, err
		}
		served = max(served, 1)
		r.statementsPerReq = float64(calls) / float64(served)
		r.dbPerReq = time.Duration(execMs * float64(time.Millisecond) / float64(served))
		rows, err := conn.Query(ctx, `SELECT calls, total_exec_time / greatest(calls, 1), regexp_replace(query, '\s+', ' ', 'g') FROM pg_stat_statements s
			JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = current_database() AND s.query NOT LIKE '%pg_stat_statements%'
			ORDER BY calls DESC LIMIT 14`)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var n int64
			var mean float64
			var q string
			if err := rows.Scan(&n, &mean, &q); err != nil {
				return nil, err
			}
			r.topStatements = append(r.topStatements, fmt.Sprintf("%8.3f/req %8.3f ms  %.150s", float64(n)/float64(served), mean, q))
		}
		rows.Close()
	}
	h.logf("%s: %.0f req/s, p50 %s, p99 %s, %d failed of %d, %.2f statements/req (PostgreSQL %s/req, CPU %s/req), server CPU %s/req, RSS %s (peak %s)",
		name, r.rps, r.p50, r.p99, r.failed, r.requests, r.statementsPerReq, r.dbPerReq, r.dbCPUPerReq, r.cpuPerReq, mib(r.rss), mib(r.rssPeak))
	if out.Failed > 0 {
		h.logf("%s: a failed answer: %s", name, out.Sample)
		if _, id, ok := strings.Cut(out.Sample, "requestId : "); ok {
			id, _, _ = strings.Cut(id, " ")
			logs, _ := filepath.Glob(filepath.Join(h.work, "*.log"))
			for _, l := range logs {
				b, _ := os.ReadFile(l)
				for _, line := range strings.Split(string(b), "\n") {
					if strings.Contains(line, id) && strings.Contains(line, `"level":"ERROR"`) {
						h.logf("%s: %s", name, line)
						fmt.Fprintf(&h.report, "\n%s: a failed request, in the server log: `%s`\n", name, line)
					}
				}
			}
		}
	}
	fmt.Fprintf(&h.report, "\n#### %s: SQL statements per request (pg_stat_statements)\n```\n%s\n```\n", name, strings.Join(r.topStatements, "\n"))
	return r, nil
}

func (h *harness) wrk(ctx context.Context, script, url string, d time.Duration, connections int) (*wrkOutput, error) {
	cmd := exec.CommandContext(ctx, "wrk", "-t", strconv.Itoa(min(h.o.threads, connections)), "-c", strconv.Itoa(connections),
		"-d", fmt.Sprintf("%ds", int(d.Seconds())), "--timeout", "10s", "-s", filepath.Join(h.repo, "bench", "wrk.lua"), url)
	cmd.Env = append(os.Environ(), "CG_REQUESTS="+script)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("wrk: %w\n%s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if js, ok := strings.CutPrefix(line, "CGRESULT "); ok {
			var w wrkOutput
			if err := json.Unmarshal([]byte(js), &w); err != nil {
				return nil, fmt.Errorf("wrk result %q: %w", js, err)
			}
			return &w, nil
		}
	}
	return nil, fmt.Errorf("wrk printed no result:\n%s", out)
}

// ---------------------------------------------------------------- export

func (h *harness) export(ctx context.Context, url string, pid int, cookie string, accounts int) error {
	before := rssKiB(pid, "VmRSS")
	sampler := startRSSSampler(pid)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url+"/api/export/contacts.csv", nil)
	req.AddCookie(&http.Cookie{Name: "cg_session", Value: cookie})
	start := time.Now()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(res.Body)
		return fmt.Errorf("export: %d %s", res.StatusCode, b)
	}
	var bytesRead, lines int64
	var first time.Duration
	buf := make([]byte, 256<<10)
	for {
		n, err := res.Body.Read(buf)
		if n > 0 && first == 0 {
			first = time.Since(start)
		}
		bytesRead += int64(n)
		lines += int64(bytes.Count(buf[:n], []byte{'\n'}))
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
	}
	took := time.Since(start)
	peak := sampler.stop()
	growth := peak - before
	h.logf("export: %d accounts, %.1f MB, %d lines in %s (first byte after %s); RSS %s before, peak %s",
		accounts, float64(bytesRead)/1e6, lines, took.Round(time.Millisecond), first.Round(time.Millisecond), mib(before), mib(peak))
	h.add(fmt.Sprintf("CSV export of %d accounts (%d rows, %.0f MB)", accounts, accounts*len(models.ContactFields), float64(bytesRead)/1e6),
		took.Round(100*time.Millisecond).String(), "≤ 10 s", verdict(took <= 10*time.Second))
	h.add("CSV export: server RSS growth", fmt.Sprintf("%s (%s → %s)", mib(growth), mib(before), mib(peak)), "≤ 50 MiB", verdict(growth <= 50*1024))
	return nil
}

// ---------------------------------------------------------------- readiness

func (h *harness) readiness(ctx context.Context) error {
	dir := filepath.Join(h.work, "sqlite")
	for i, label := range []string{"first start: migrations and demo", "restart"} {
		addr, err := freeAddr()
		if err != nil {
			return err
		}
		p, ready, err := h.start(ctx, "contactgate-sqlite-"+strconv.Itoa(i), []string{"DATA_DIR=" + dir, "ADDR=" + addr, "DATABASE_URL="}, h.bin, "serve")
		if err != nil {
			return err
		}
		h.stop(p)
		h.add("ready after start on SQLite ("+label+")", ready.Round(time.Millisecond).String(), "≤ 1 s", verdict(ready <= time.Second))
	}
	return nil
}

// ---------------------------------------------------------------- processes

// start runs a server and waits until GET /readyz answers 200; it returns
// the time from exec to ready.
func (h *harness) start(ctx context.Context, name string, env []string, argv ...string) (*exec.Cmd, time.Duration, error) {
	logFile, err := os.Create(filepath.Join(h.work, name+".log"))
	if err != nil {
		return nil, 0, err
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	addr := ""
	for _, e := range env {
		if a, ok := strings.CutPrefix(e, "ADDR="); ok {
			addr = a
		}
	}
	for i, a := range argv {
		if a == "-addr" && i+1 < len(argv) {
			addr = argv[i+1]
		}
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, 0, err
	}
	h.procs = append(h.procs, cmd)
	client := &http.Client{Timeout: time.Second}
	for time.Since(start) < 60*time.Second {
		if ctx.Err() != nil {
			return nil, 0, ctx.Err()
		}
		res, err := client.Get("http://" + addr + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return cmd, time.Since(start), nil
			}
		}
		time.Sleep(2 * time.Millisecond)
	}
	return nil, 0, fmt.Errorf("%s did not become ready; see %s", name, logFile.Name())
}

func (h *harness) stop(cmd *exec.Cmd) {
	if cmd == nil || cmd.Process == nil {
		return
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
	for i, p := range h.procs {
		if p == cmd {
			h.procs = append(h.procs[:i], h.procs[i+1:]...)
			break
		}
	}
}

func (h *harness) cleanup() {
	for len(h.procs) > 0 {
		h.stop(h.procs[len(h.procs)-1])
	}
	if h.postgres != nil {
		// SIGINT: a fast shutdown.
		_ = h.postgres.Process.Signal(syscall.SIGINT)
		_ = h.postgres.Wait()
	}
	if h.work != "" && !h.o.keep {
		_ = os.RemoveAll(h.work)
	} else if h.work != "" {
		h.logf("kept %s", h.work)
	}
}

func (h *harness) command(ctx context.Context, env []string, argv ...string) (string, error) {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), env...)
	if h.dbURL != "" {
		cmd.Env = append(cmd.Env, "DATABASE_URL="+h.dbURL)
	}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// ---------------------------------------------------------------- RSS

type rssSampler struct {
	stopped chan struct{}
	peak    atomic.Int64
	wg      sync.WaitGroup
}

func startRSSSampler(pid int) *rssSampler {
	s := &rssSampler{stopped: make(chan struct{})}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			if v := rssKiB(pid, "VmRSS"); v > s.peak.Load() {
				s.peak.Store(v)
			}
			select {
			case <-s.stopped:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

func (s *rssSampler) stop() int64 {
	close(s.stopped)
	s.wg.Wait()
	return s.peak.Load()
}

// rssKiB reads a memory field (VmRSS, VmHWM) of /proc/PID/status in KiB.
func rssKiB(pid int, field string) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}

// cpuTime is the user and system CPU time a process has used
// (/proc/PID/stat, in clock ticks of 10 ms).
func cpuTime(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name may hold spaces: the fields follow the last ')'.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// clusterCPU is the CPU time used so far by the harness's PostgreSQL: the
// postmaster and its children (backends, background processes). 0 when
// the harness did not start the cluster.
func (h *harness) clusterCPU() time.Duration {
	if h.postgres == nil || h.postgres.Process == nil {
		return 0
	}
	root := h.postgres.Process.Pid
	total := cpuTime(root)
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil || pid == root {
			continue
		}
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue
		}
		f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
		if len(f) > 1 && f[1] == strconv.Itoa(root) {
			total += cpuTime(pid)
		}
	}
	return total
}

func loadAvg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	return strings.Join(strings.Fields(string(b))[:min(3, len(strings.Fields(string(b))))], " ")
}

func mib(kib int64) string { return fmt.Sprintf("%.1f MiB", float64(kib)/1024) }

// ---------------------------------------------------------------- report

func (h *harness) add(name, value, target, verdict string) {
	h.results = append(h.results, result{name, value, target, verdict})
}

func (h *harness) addScenario(name string, r *runResult, target string, ok bool) {
	stmts := "n/a"
	if r.statementsPerReq >= 0 {
		stmts = fmt.Sprintf("%.2f", r.statementsPerReq)
	}
	v := verdict(ok)
	if target == "" {
		v = ""
	}
	if r.failed > 0 {
		v = fmt.Sprintf("%d FAILED", r.failed)
	}
	if r.dbPerReq > 0 {
		stmts += fmt.Sprintf(" (PostgreSQL %s", ms(r.dbPerReq))
		if r.dbCPUPerReq > 0 {
			stmts += fmt.Sprintf(", its CPU %s", ms(r.dbCPUPerReq))
		}
		stmts += ")"
	}
	h.add(name, fmt.Sprintf("%.0f req/s, p50 %s, p99 %s, %s statements/req, server CPU %s/req, RSS %s (peak %s)",
		r.rps, ms(r.p50), ms(r.p99), stmts, ms(r.cpuPerReq), mib(r.rss), mib(r.rssPeak)), target, v)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "MISSED"
}

func (h *harness) print(accounts int) {
	var b strings.Builder
	fmt.Fprintf(&b, "\n## ContactGate benchmark: %d accounts, %d connections, %d wrk threads, %s per scenario, %d CPUs (%s/%s), %s\n\n",
		accounts, h.o.connections, h.o.threads, h.o.duration, runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, time.Now().UTC().Format(time.RFC3339))
	fmt.Fprintf(&b, "Machine: %s, %d CPUs, %s MiB of memory; Go %s. Load average (1, 5, 15 min) at the start: %s, at the end: %s; server environment: %q; requests by persisted-query hash: %v; PostgreSQL shared_buffers: %s.\n\n",
		cpuModel(), runtime.NumCPU(), memTotalMiB(), runtime.Version(), h.loadStart, loadAvg(), h.o.serverEnv, h.o.apq, h.pgSharedBuffers)
	b.WriteString("| measure | result | target | |\n|---|---|---|---|\n")
	for _, r := range h.results {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", r.name, r.value, r.target, r.verdict)
	}
	b.WriteString(h.report.String())
	if h.explain != "" {
		b.WriteString("\n### Staff listing plans (EXPLAIN ANALYZE)\n\n")
		b.WriteString(h.explain)
	}
	fmt.Print(b.String())
	if h.o.out != "" {
		if err := os.WriteFile(h.o.out, []byte(b.String()), 0o644); err != nil {
			h.logf("write %s: %v", h.o.out, err)
		}
	}
}

// ---------------------------------------------------------------- helpers

func repoRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", err
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("run the harness from the repository (go run ./bench)")
	}
	return filepath.Dir(mod), nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func freeAddr() (string, error) {
	p, err := freePort()
	return fmt.Sprintf("127.0.0.1:%d", p), err
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// ---------------------------------------------------------------- persisted queries

// persistedQuery is the extensions member of a request that names its
// query by hash (automatic persisted queries, as the SPA sends them).
func persistedQuery(query string) map[string]any {
	sum := sha256.Sum256([]byte(query))
	return map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hex.EncodeToString(sum[:])}}
}

// registerPersisted sends each query once with its hash, as a client does
// after PersistedQueryNotFound, so that the load can send hashes only.
func registerPersisted(ctx context.Context, url, cookie string, queries ...string) error {
	for _, q := range queries {
		b, _ := json.Marshal(map[string]any{"query": q, "extensions": persistedQuery(q), "variables": map[string]any{}})
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+"/graphql", bytes.NewReader(b))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Cookie", "cg_session="+cookie)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return fmt.Errorf("register persisted query: %w", err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
	return nil
}

// ---------------------------------------------------------------- allocations

// allocs runs the in-process benchmarks of graph/ (go test -bench
// -benchmem, the real handler without network or client) on this run's
// PostgreSQL and reports allocations, bytes and CPU per request.
func (h *harness) allocs(ctx context.Context) error {
	h.logf("go test -bench (allocations per request)")
	cmd := exec.CommandContext(ctx, "go", "test", "-run", "^$", "-bench", "AccessGate|StaffPage", "-benchmem",
		"-benchtime", "300x", "-count", "1", "./graph")
	cmd.Dir = h.repo
	cmd.Env = append(os.Environ(), "BENCH_DRIVER=postgres", "TEST_DATABASE_URL="+h.dbURL, "CI=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("go test -bench: %w\n%s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) < 3 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		metric := map[string]string{}
		for i := 2; i+1 < len(f); i += 2 {
			metric[f[i+1]] = f[i]
		}
		name := strings.TrimSuffix(strings.TrimPrefix(f[0], "Benchmark"), "-"+strconv.Itoa(runtime.GOMAXPROCS(0)))
		value := fmt.Sprintf("%s allocs, %s B, %s ms CPU, %s statements per request", metric["allocs/op"], metric["B/op"],
			metric["cpu-ms/op"], metric["statements/op"])
		allocs, _ := strconv.ParseFloat(metric["allocs/op"], 64)
		switch {
		case strings.HasPrefix(name, "AccessGate"):
			how := map[string]string{"AccessGate/apq": "by persisted-query hash", "AccessGate/query": "with the query text"}[name]
			h.add("(a) accessGate allocations/request (go test -benchmem, in process, "+how+")", value, "≤ 100", verdict(allocs <= 100))
		default:
			h.add("(b) staff page allocations/page (go test -benchmem, in process)", value, "", "")
		}
	}
	return nil
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func floats(v []float64, format string) string {
	out := make([]string, len(v))
	for i, x := range v {
		out[i] = fmt.Sprintf(format, x)
	}
	return strings.Join(out, ", ")
}

func cpuModel() string {
	b, _ := os.ReadFile("/proc/cpuinfo")
	for _, l := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

// sharedBuffers is the throwaway cluster's shared_buffers. PostgreSQL's
// default, 128MB, is sized for machines where it must not take much: the
// staff page's working set at 100,000 accounts (the tables and primary keys
// it reads, about 300 MB) would not fit, and every page would then copy
// some 400 blocks from the kernel's cache and evict as many, which costs
// more CPU than the page's queries themselves. A dedicated database server
// is given a quarter of the memory ("Resource Consumption" in the
// PostgreSQL documentation); the harness does the same, up to 1GB.
func (h *harness) sharedBuffers() string {
	if h.o.pgSharedBuf != "" {
		return h.o.pgSharedBuf
	}
	mib, err := strconv.Atoi(memTotalMiB())
	if err != nil {
		return "128MB"
	}
	return strconv.Itoa(min(mib/4, 1024)) + "MB"
}

func memTotalMiB() string {
	b, _ := os.ReadFile("/proc/meminfo")
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "MemTotal:" {
			kib, _ := strconv.ParseInt(f[1], 10, 64)
			return strconv.FormatInt(kib/1024, 10)
		}
	}
	return "?"
}
