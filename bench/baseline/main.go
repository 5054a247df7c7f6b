// Command baseline is the raw baseline of the benchmark harness: the
// smallest server that answers ContactGate's accessGate query — net/http,
// encoding/json and a pgx pool, no GraphQL, no ORM, no middleware — with
// the same SQL statements ContactGate runs for it (see bench/README.md):
//
//  1. the session by the hash of the cookie, 2. its user, (3. the session's
//     last-seen write, at most once a minute), 4. membership and gate.
//
// It exists to be measured against: ContactGate's accessGate throughput is
// reported as a ratio of this one's.
//
//	baseline -addr 127.0.0.1:8091 -database-url postgres://…
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/contactgate/contactgate/models"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

const (
	sessionIdle   = 7 * 24 * time.Hour
	sessionMaxAge = 30 * 24 * time.Hour
	touchEvery    = time.Minute
)

// The statements, as ContactGate's GORM store sends them (compare with
// pg_stat_statements during a run).
const (
	sessionSQL = `SELECT s.created_at AS session_created_at, s.last_seen_at, s.expires_at,
			u.id, u.email, u.name, u.password_hash, u.staff, u.locale, u.password_changed_at, u.created_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1`
	touchSQL = `UPDATE "sessions" SET "expires_at"=$1,"last_seen_at"=$2 WHERE id = $3`
	gateSQL  = `SELECT ci.missing, m.role FROM contact_infos ci
		LEFT JOIN members m ON m.account_id = ci.account_id AND m.user_id = $1
		WHERE ci.account_id = $2`
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8091", "listen address")
	dbURL := flag.String("database-url", os.Getenv("DATABASE_URL"), "postgres:// URL")
	conns := flag.Int("max-conns", 20, "pool size (ContactGate's default is 20)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg, err := pgxpool.ParseConfig(*dbURL)
	if err != nil {
		log.Fatal(err)
	}
	cfg.MaxConns = int32(*conns)
	cfg.MinConns = int32(*conns)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()
	mux := http.NewServeMux()
	mux.HandleFunc("POST /graphql", func(w http.ResponseWriter, r *http.Request) { accessGate(pool, w, r) })
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if err := pool.Ping(r.Context()); err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		_, _ = io.WriteString(w, "ready\n")
	})
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		_ = srv.Shutdown(context.Background())
	}()
	fmt.Printf("baseline listening on %s\n", *addr)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}

type request struct {
	Variables struct {
		AccountID   string             `json:"accountId"`
		Environment models.Environment `json:"environment"`
	} `json:"variables"`
}

func fail(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, `{"errors":[{"message":"refused","extensions":{"code":%q}}],"data":null}`, code)
}

func accessGate(pool *pgxpool.Pool, w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var req request
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&req); err != nil {
		fail(w, http.StatusBadRequest, "VALIDATION_FAILED")
		return
	}
	c, err := r.Cookie("cg_session")
	if err != nil {
		fail(w, http.StatusOK, "UNAUTHENTICATED")
		return
	}
	sum := sha256.Sum256([]byte(c.Value))
	sessionID := hex.EncodeToString(sum[:])

	var s struct {
		userID, email, passwordHash, locale string
		name                                *string
		staff                               bool
		createdAt, lastSeenAt, expiresAt    time.Time
		passwordChangedAt                   *time.Time
		userCreatedAt                       time.Time
	}
	// The session joined with the whole user row, as ContactGate reads it.
	err = pool.QueryRow(ctx, sessionSQL, sessionID).Scan(&s.createdAt, &s.lastSeenAt, &s.expiresAt,
		&s.userID, &s.email, &s.name, &s.passwordHash, &s.staff, &s.locale, &s.passwordChangedAt, &s.userCreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		fail(w, http.StatusOK, "UNAUTHENTICATED")
		return
	}
	if err != nil {
		fail(w, http.StatusInternalServerError, "INTERNAL")
		return
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	if !now.Before(s.expiresAt) || !now.Before(s.createdAt.Add(sessionMaxAge)) {
		fail(w, http.StatusOK, "UNAUTHENTICATED")
		return
	}
	if now.Sub(s.lastSeenAt) > touchEvery {
		exp := now.Add(sessionIdle)
		if m := s.createdAt.Add(sessionMaxAge); exp.After(m) {
			exp = m
		}
		if _, err := pool.Exec(ctx, touchSQL, exp, now, sessionID); err != nil {
			fail(w, http.StatusInternalServerError, "INTERNAL")
			return
		}
	}

	var missing int
	var role *string
	err = pool.QueryRow(ctx, gateSQL, s.userID, req.Variables.AccountID).Scan(&missing, &role)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && role == nil) {
		fail(w, http.StatusOK, "NOT_FOUND")
		return
	}
	if err != nil {
		fail(w, http.StatusInternalServerError, "INTERNAL")
		return
	}
	env := req.Variables.Environment
	if !env.Valid() {
		fail(w, http.StatusOK, "VALIDATION_FAILED")
		return
	}
	gate := models.FieldSet(missing).Gate(env)
	out := struct {
		Data struct {
			AccessGate struct {
				Locked  bool                  `json:"locked"`
				Missing []models.ContactField `json:"missing"`
			} `json:"accessGate"`
		} `json:"data"`
	}{}
	out.Data.AccessGate.Locked = gate.Locked
	out.Data.AccessGate.Missing = gate.Missing
	if out.Data.AccessGate.Missing == nil {
		out.Data.AccessGate.Missing = []models.ContactField{}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}
