// Package gormstore stores ContactGate's data with GORM, on the embedded
// SQLite database (github.com/glebarez/sqlite, pure Go) or on PostgreSQL.
// It also holds the services that change that data, so that every rule that
// needs a transaction (versions, history, the outbox) lives next to the SQL.
package gormstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/contactgate/contactgate/models"
	"github.com/glebarez/sqlite"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Options configures a DB.
type Options struct {
	// URL is a postgres:// URL, "sqlite:PATH", or "" for SQLite in DataDir.
	URL string
	// DataDir holds the SQLite file when URL is "".
	DataDir string
	Logger  *slog.Logger
	// Clock returns "now"; tests inject a fixed one.
	Clock   func() time.Time
	Catalog *models.Catalog
	// MaxOpenConns caps the pool (PostgreSQL); 0 picks a default.
	MaxOpenConns int
	// StatementCounter, when set, counts every SQL statement.
	StatementCounter *StatementCounter
}

// DB is the database handle: persistence only (the rules are in service).
type DB struct {
	// tx is set on the copy InTx hands to its function.
	tx      *txState
	gorm    *gorm.DB
	sql     *sql.DB
	dialect string
	opts    Options
	log     *slog.Logger
}

// Open connects to the database the options name. It does not migrate.
func Open(ctx context.Context, opts Options) (*DB, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	if opts.Catalog == nil {
		opts.Catalog = models.DefaultCatalog()
	}
	cfg := &gorm.Config{
		Logger:         logger.Discard,
		TranslateError: true,
		// Every multi-statement write opens its own transaction explicitly.
		SkipDefaultTransaction: true,
		PrepareStmt:            false,
		NowFunc:                func() time.Time { return opts.Clock().UTC().Truncate(time.Microsecond) },
	}
	var dialector gorm.Dialector
	dialect := "postgres"
	switch {
	case strings.HasPrefix(opts.URL, "postgres://"), strings.HasPrefix(opts.URL, "postgresql://"):
		pool, err := openPostgres(withTimeouts(opts.URL))
		if err != nil {
			return nil, err
		}
		dialector = postgres.New(postgres.Config{Conn: pool})
	case opts.URL == "" || strings.HasPrefix(opts.URL, "sqlite:"):
		dialect = "sqlite"
		path := strings.TrimPrefix(opts.URL, "sqlite:")
		if path == "" {
			dir := opts.DataDir
			if dir == "" {
				dir = "data"
			}
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("create data directory: %w", err)
			}
			path = filepath.Join(dir, "contactgate.db")
		}
		// WAL lets readers run beside the writer; immediate transactions take
		// the write lock up front so that two writers queue on busy_timeout
		// instead of failing with SQLITE_BUSY when a read upgrades to a write.
		dsn := path + "?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_txlock=immediate"
		dialector = sqlite.Open(dsn)
	default:
		return nil, errors.New("DATABASE_URL must be a postgres:// URL or sqlite:PATH")
	}
	g, err := gorm.Open(dialector, cfg)
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", dialect, err)
	}
	if opts.StatementCounter != nil {
		if err := opts.StatementCounter.register(g); err != nil {
			return nil, fmt.Errorf("register statement counter: %w", err)
		}
	}
	sqlDB, err := g.DB()
	if err != nil {
		return nil, fmt.Errorf("database handle: %w", err)
	}
	if dialect == "postgres" {
		n := opts.MaxOpenConns
		if n <= 0 {
			n = DefaultMaxOpenConns()
		}
		sqlDB.SetMaxOpenConns(n)
		sqlDB.SetMaxIdleConns(n)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
		sqlDB.SetConnMaxLifetime(30 * time.Minute)
	} else {
		sqlDB.SetMaxOpenConns(8)
		sqlDB.SetMaxIdleConns(8)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pingCtx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("connect to %s database: %w", dialect, err)
	}
	return &DB{gorm: g, sql: sqlDB, dialect: dialect, opts: opts, log: opts.Logger}, nil
}

// openPostgres opens the PostgreSQL pool (pgx through database/sql) so
// that a caller who gives up never damages a connection the next caller
// gets. pgx's default reaction to a cancelled context is to set a past
// deadline on the socket, which interrupts the read and leaves the
// protocol state unknown, so the connection is closed; under a storm of
// aborted requests (browser navigations, closed tabs, a load generator
// stopping) the pool closed and re-dialled connections as fast as clients
// aborted, PostgreSQL forked a backend for each, and well-behaved callers
// (the next request's session lookup, the outbox worker) timed out
// dialling: "load session: … i/o timeout". Instead:
//
//   - a cancelled statement is cancelled on the server (a CancelRequest)
//     and its answer read to the end, so the connection stays in sync and
//     goes back to the pool; most statements finish within the delay and
//     need no cancel at all. The socket deadline remains as a fallback for
//     a server that does not answer;
//   - a new connection is dialled to the end even when the caller who
//     asked for it has gone (connect_timeout bounds it): the pool keeps it
//     instead of PostgreSQL forking a backend for nothing.
//
// InTx detaches its transaction's BEGIN, COMMIT and ROLLBACK from the
// caller's cancellation for the same reason (pgx closes a connection
// whose ROLLBACK failed).
func openPostgres(url string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse DATABASE_URL: %w", err)
	}
	var cancelled sync.Map // *pgconn.PgConn → struct{}: a cancel request may still land
	cfg.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
		return &cancelTracker{CancelRequestContextWatcherHandler: pgconn.CancelRequestContextWatcherHandler{Conn: c,
			CancelRequestDelay: cancelRequestDelay, DeadlineDelay: cancelDeadlineDelay}, cancelled: &cancelled}
	}
	return sql.OpenDB(trackingConnector{Connector: stdlib.GetConnector(*cfg), cancelled: &cancelled}), nil
}

// trackingConnector dials new connections without the caller's
// cancellation (see openPostgres) and wraps them so that database/sql
// drops a connection whose statement was cancelled by a cancel request:
// PostgreSQL delivers a cancel request to the backend asynchronously, so
// one that arrives late cancels whatever that backend runs next — another
// request's statement ("canceling statement due to user request"). Such
// connections are few (statements still running cancelRequestDelay after
// their caller left); the others stay pooled.
//
// The check is IsValid, which database/sql asks when a connection is given
// back, not ResetSession, asked when one is taken: a connection refused at
// checkout fails that caller with driver.ErrBadConn once database/sql has
// used up its retries, and a waiting caller is handed a returned
// connection even on its "always new" retry.
type trackingConnector struct {
	driver.Connector
	cancelled *sync.Map // *pgconn.PgConn → struct{}: a cancel request may still land
}

func (c trackingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(context.WithoutCancel(ctx))
	if err != nil {
		return nil, err
	}
	return trackedConn{stdlibConn: conn.(*stdlib.Conn), cancelled: c.cancelled}, nil
}

// trackedConn is pgx's database/sql connection (every optional interface
// promoted) that database/sql asks before pooling it again: not when
// closed, nor after a cancel request.
type trackedConn struct {
	*stdlibConn
	cancelled *sync.Map
}

// stdlibConn names the embedded field, so that the connection's own Conn
// method (the pgx connection) is promoted.
type stdlibConn = stdlib.Conn

func (c trackedConn) IsValid() bool {
	if _, ok := c.cancelled.LoadAndDelete(c.Conn().PgConn()); ok {
		return false
	}
	return !c.Conn().IsClosed()
}

// pgxDriverConn is what conn.Raw hands over on PostgreSQL.
type pgxDriverConn interface{ Conn() *pgx.Conn }

// cancelTracker is pgx's cancel-request handler that also remembers the
// connections for which a cancel request may have been sent.
type cancelTracker struct {
	pgconn.CancelRequestContextWatcherHandler
	cancelled *sync.Map
	since     time.Time
}

func (h *cancelTracker) HandleCancel(ctx context.Context) {
	h.since = time.Now()
	h.CancelRequestContextWatcherHandler.HandleCancel(ctx)
}

func (h *cancelTracker) HandleUnwatchAfterCancel() {
	h.CancelRequestContextWatcherHandler.HandleUnwatchAfterCancel()
	if time.Since(h.since) >= h.CancelRequestDelay {
		h.cancelled.Store(h.Conn, struct{}{})
	}
}

const (
	// cancelRequestDelay is how long a cancelled statement may still run
	// before the server is asked to cancel it: the hot statements take
	// well under a millisecond, and a cancel request costs the server a
	// process of its own.
	cancelRequestDelay = 100 * time.Millisecond
	// cancelDeadlineDelay bounds the wait for a cancelled statement's
	// answer; past it the connection is closed (the server is gone).
	cancelDeadlineDelay = 5 * time.Second
)

// withTimeouts makes PostgreSQL cancel any statement running longer than
// 10 s, so that one slow query cannot hold a pooled connection forever, and
// gives up a new connection after 5 s, so that requests fail fast when the
// database host does not answer at all (unless the URL sets its own).
func withTimeouts(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	q := u.Query()
	if q.Get("statement_timeout") == "" {
		q.Set("statement_timeout", "10000")
	}
	if q.Get("connect_timeout") == "" {
		q.Set("connect_timeout", "5")
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// Close closes the connection pool.
func (db *DB) Close() error { return db.sql.Close() }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.sql.PingContext(ctx) }

// Dialect is "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.dialect }

// Gorm exposes the handle to adapters that share the database (the outbox
// worker, tests).
func (db *DB) Gorm() *gorm.DB { return db.gorm }

// SQL exposes the pool for metrics.
func (db *DB) SQL() *sql.DB { return db.sql }

// Catalog is the integration type catalogue in use.
func (db *DB) Catalog() *models.Catalog { return db.opts.Catalog }

func (db *DB) now() time.Time { return db.opts.Clock().UTC().Truncate(time.Microsecond) }

func (db *DB) with(ctx context.Context) *gorm.DB { return db.gorm.WithContext(ctx) }

// newID returns a time-ordered identifier, so that ordering by id is
// ordering by creation.
func newID() string { return uuid.Must(uuid.NewV7()).String() }

// IsEmpty reports whether no user exists yet (a fresh database).
func (db *DB) IsEmpty(ctx context.Context) (bool, error) {
	var n int64
	if err := db.with(ctx).Table("users").Count(&n).Error; err != nil {
		return false, fmt.Errorf("count users: %w", err)
	}
	return n == 0, nil
}

// notFound maps gorm.ErrRecordNotFound to a NOT_FOUND domain error.
func notFound(err error, what string) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return models.Errorf(models.ENotFound, "%s not found", what)
	}
	return err
}

// DefaultMaxOpenConns is the PostgreSQL pool's size when none is
// configured: two connections per CPU of this process plus two, the usual
// starting point (more connections than the CPUs can run only queue inside
// the database, where they cost context switches and lock contention
// instead of waiting in the pool).
func DefaultMaxOpenConns() int { return 2*runtime.GOMAXPROCS(0) + 2 }

// TextRefused tells whether err is PostgreSQL refusing a text value it
// cannot store: the NUL character (U+0000), which no stored text holds,
// so a request carrying one in a field no rule checks (an id, a filter)
// is the caller's mistake, not the server's (SQLSTATE 22021; 22P05 for a
// character the encoding lacks).
func TextRefused(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && (pg.Code == "22021" || pg.Code == "22P05")
}

// ErrTextRefused is how a TextRefused error is told to the caller.
var ErrTextRefused = &models.Error{Code: models.EValidation, Message: "text may not contain the NUL character (U+0000)"}
