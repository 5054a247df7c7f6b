package gormstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/contactgate/contactgate/models"
	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"
)

// NormalizeEmail is how emails are compared and stored.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// CreateUser inserts a user. An email already taken is a CONFLICT.
func (db *DB) CreateUser(ctx context.Context, email string, name *string, passwordHash string, staff bool) (*models.User, error) {
	return db.InsertUser(ctx, NewUser{Email: email, Name: name, PasswordHash: passwordHash, Staff: staff, CreatedAt: db.now()})
}

// NewUser is a user to insert.
type NewUser struct {
	Email             string
	Name              *string
	PasswordHash      string
	Staff             bool
	CreatedAt         time.Time
	PasswordChangedAt *time.Time
}

// InsertUser inserts a user, its email normalised. An email already taken
// is a CONFLICT.
func (db *DB) InsertUser(ctx context.Context, u NewUser) (*models.User, error) {
	row := userRow{ID: newID(), Email: NormalizeEmail(u.Email), Name: u.Name, PasswordHash: u.PasswordHash,
		Staff: u.Staff, CreatedAt: u.CreatedAt, PasswordChangedAt: u.PasswordChangedAt}
	if err := db.with(ctx).Create(&row).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return nil, models.Errorf(models.EConflict, "a user with this email already exists")
		}
		return nil, fmt.Errorf("create user: %w", err)
	}
	return row.model(), nil
}

// SetStaffPassword makes a user staff with a new password hash.
func (db *DB) SetStaffPassword(ctx context.Context, userID, passwordHash string, at time.Time) error {
	if err := db.with(ctx).Model(&userRow{}).Where("id = ?", userID).Updates(map[string]any{
		"staff": true, "password_hash": passwordHash, "password_changed_at": at}).Error; err != nil {
		return fmt.Errorf("update staff user: %w", err)
	}
	return nil
}

// UserByEmail finds a user by email; NOT_FOUND when there is none.
func (db *DB) UserByEmail(ctx context.Context, email string) (*models.User, error) {
	var row userRow
	if err := db.with(ctx).Where("email = ?", NormalizeEmail(email)).Take(&row).Error; err != nil {
		return nil, notFound(err, "user")
	}
	return row.model(), nil
}

// Session is a stored session: its id is the hash of the cookie's secret.
type Session struct {
	ID         string
	UserID     string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// InsertSession stores a new session.
func (db *DB) InsertSession(ctx context.Context, s Session) error {
	row := sessionRow(s)
	if err := db.with(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// DeleteSession deletes one session; false when it did not exist.
func (db *DB) DeleteSession(ctx context.Context, id string) (bool, error) {
	res := db.with(ctx).Where("id = ?", id).Delete(&sessionRow{})
	if res.Error != nil {
		return false, fmt.Errorf("delete session: %w", res.Error)
	}
	return res.RowsAffected > 0, nil
}

// DeleteUserSessions deletes every session of a user and says how many
// there were.
func (db *DB) DeleteUserSessions(ctx context.Context, userID string) (int64, error) {
	res := db.with(ctx).Where("user_id = ?", userID).Delete(&sessionRow{})
	if res.Error != nil {
		return 0, fmt.Errorf("end sessions: %w", res.Error)
	}
	return res.RowsAffected, nil
}

// SessionUser returns a session and its user; NOT_FOUND when the session
// does not exist. Whether it is still alive is the caller's decision.
func (db *DB) SessionUser(ctx context.Context, id string) (*models.User, *Session, error) {
	u, s, _, err := db.sessionQuery(ctx, id, "")
	return u, s, err
}

// SessionGate is SessionUser together with RoleAndGate of one account for
// the session's user, in one statement: a signed-in request that names an
// account (accessGate, the portal's most frequent one) authenticates and
// reads its membership and gate in one round trip. Nothing is cached: the
// session, the user and the membership are read as they are now.
func (db *DB) SessionGate(ctx context.Context, id, accountID string) (*models.User, *Session, GateRow, error) {
	return db.sessionQuery(ctx, id, accountID)
}

// GateRow is what RoleAndGate reads: whether the account exists, the
// user's role in it ("" when none) and its gate state.
type GateRow struct {
	Found bool
	Role  models.Role
	State models.GateState
}

// sessionQuery runs on every signed-in request, so it goes straight to
// database/sql with a hand-written scan (GORM's callbacks, reflection and
// SQL formatting were most of its cost); it still counts in the
// StatementCounter. accountID "" reads no account.
func (db *DB) sessionQuery(ctx context.Context, id, accountID string) (*models.User, *Session, GateRow, error) {
	queries := &sessionSQL[0]
	if db.dialect == "postgres" {
		queries = &sessionSQL[1]
	}
	q := queries[0]
	if accountID != "" {
		q = queries[1]
	}
	if c := db.opts.StatementCounter; c != nil {
		c.n.Add(1)
	}
	// One allocation for the row's destinations and arguments.
	row := &struct {
		s        Session
		u        models.User
		missing  *int64
		reviewed *time.Time
		role     *string
		dest     [13]any
		args     [2]any
	}{s: Session{ID: id}}
	s, u := &row.s, &row.u
	dest := append(row.dest[:0], &s.CreatedAt, &s.LastSeenAt, &s.ExpiresAt, &u.ID, &u.Email, &u.Name, &u.PasswordHash,
		&u.Staff, &u.Locale, &u.CreatedAt)
	args := append(row.args[:0], id)
	if accountID != "" {
		args = append(args[:0], accountID, id)
		dest = append(dest, &row.missing, &row.reviewed, &row.role)
	}
	missing, reviewed, role := &row.missing, &row.reviewed, &row.role
	switch err := db.queryRow(ctx, q, args, dest); {
	case errors.Is(err, sql.ErrNoRows):
		return nil, nil, GateRow{}, models.Errorf(models.ENotFound, "session not found")
	case err != nil:
		return nil, nil, GateRow{}, fmt.Errorf("load session: %w", err)
	}
	s.UserID = u.ID
	s.CreatedAt, s.LastSeenAt, s.ExpiresAt = s.CreatedAt.UTC(), s.LastSeenAt.UTC(), s.ExpiresAt.UTC()
	u.CreatedAt = u.CreatedAt.UTC()
	g := GateRow{Found: *missing != nil}
	if *missing != nil {
		g.State = gateState(**missing, *reviewed)
	}
	if *role != nil {
		g.Role = models.Role(**role)
	}
	return u, s, g, nil
}

// queryRow scans one row into dest; sql.ErrNoRows when there is none. On
// PostgreSQL it scans with pgx itself, on a connection of the same pool:
// database/sql's driver layer converts every column through a
// driver.Value (about 40 allocations for the session row), pgx scans into
// the typed destinations directly. The connection keeps its settings
// (statement timeout, cancellation of abandoned statements).
func (db *DB) queryRow(ctx context.Context, q string, args, dest []any) error {
	if db.dialect != "postgres" || db.tx != nil {
		return db.sql.QueryRowContext(ctx, q, args...).Scan(dest...)
	}
	return db.withPgx(ctx, func(conn *pgx.Conn) error {
		err := conn.QueryRow(ctx, q, args...).Scan(dest...)
		if errors.Is(err, pgx.ErrNoRows) {
			return sql.ErrNoRows
		}
		return err
	})
}

const (
	sessionUserSQLite = `SELECT s.created_at, s.last_seen_at, s.expires_at,
			u.id, u.email, u.name, u.password_hash, u.staff, u.locale, u.created_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?`
	// The account's row and the membership are outer-joined: a missing
	// account or membership still authenticates.
	sessionGateSQLite = `SELECT s.created_at, s.last_seen_at, s.expires_at,
			u.id, u.email, u.name, u.password_hash, u.staff, u.locale, u.created_at,
			ci.missing, ci.reviewed_at, m.role
		FROM sessions s JOIN users u ON u.id = s.user_id
		LEFT JOIN contact_infos ci ON ci.account_id = ?
		LEFT JOIN members m ON m.account_id = ci.account_id AND m.user_id = u.id
		WHERE s.id = ?`
)

// sessionSQL are the session statements (user; user and gate) for SQLite
// and for PostgreSQL.
var sessionSQL = [2][2]string{
	{sessionUserSQLite, sessionGateSQLite},
	{pgPlaceholders(sessionUserSQLite), pgPlaceholders(sessionGateSQLite)},
}

// pgPlaceholders numbers a statement's ? placeholders for PostgreSQL.
func pgPlaceholders(q string) string {
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// TouchSession records a session's use and its new idle expiry.
func (db *DB) TouchSession(ctx context.Context, id string, lastSeen, expires time.Time) error {
	if err := db.with(ctx).Model(&sessionRow{}).Where("id = ?", id).
		Updates(map[string]any{"last_seen_at": lastSeen, "expires_at": expires}).Error; err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}

// Memberships lists a user's memberships, oldest first.
func (db *DB) Memberships(ctx context.Context, userID string) ([]*models.Member, error) {
	var rows []memberRow
	if err := db.with(ctx).Where("user_id = ?", userID).Order("created_at, account_id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load memberships: %w", err)
	}
	out := make([]*models.Member, len(rows))
	for i, r := range rows {
		out[i] = r.model()
	}
	return out, nil
}

// Role returns a user's role in an account, or "" when not a member.
func (db *DB) Role(ctx context.Context, accountID, userID string) (models.Role, error) {
	var rows []memberRow
	if err := db.with(ctx).Where("account_id = ? AND user_id = ?", accountID, userID).Limit(1).Find(&rows).Error; err != nil {
		return "", fmt.Errorf("load membership: %w", err)
	}
	if len(rows) == 0 {
		return "", nil
	}
	return models.Role(rows[0].Role), nil
}

// SetLocale records a user's language for mails.
func (db *DB) SetLocale(ctx context.Context, userID, locale string) error {
	if err := db.with(ctx).Model(&userRow{}).Where("id = ?", userID).Update("locale", locale).Error; err != nil {
		return fmt.Errorf("set language: %w", err)
	}
	return nil
}

// SessionAlive reports whether a session (by its stored id) still exists
// and expires after now; long-lived connections (subscriptions) re-check it.
func (db *DB) SessionAlive(ctx context.Context, id string) (bool, error) {
	var n int64
	if err := db.with(ctx).Model(&sessionRow{}).Where("id = ? AND expires_at > ?", id, db.now()).Count(&n).Error; err != nil {
		return false, fmt.Errorf("check session: %w", err)
	}
	return n > 0, nil
}
