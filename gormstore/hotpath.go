package gormstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/contactgate/contactgate/models"
	"github.com/jackc/pgx/v5"
)

// The staff page's batched reads (contact info, members, users of a page
// of accounts, also behind the request loaders) bypass GORM, with
// hand-written scans: through GORM, its reflection (a reflect.New per
// column and row), callbacks and SQL formatting were most of their cost.
// On PostgreSQL outside a transaction they run on pgx itself, the reads of
// one page as one batch (readIDs); elsewhere on database/sql. Either way
// they run on the DB's pool, or its transaction, and count in the
// StatementCounter like any statement. A page reads about 1,300 rows, so
// the scans avoid what costs an allocation per row and column where they
// can: nullable columns scan into pointers (pgx boxes a sql.Null* value in
// an interface first), and repeated known values into knownText.

// rowScanner is a row of either database/sql or pgx.
type rowScanner interface{ Scan(dest ...any) error }

// knownText scans a text column whose values are mostly known in advance
// (the account ids a read asked for, contact field names, roles) into the
// known string itself, so that the hundreds of rows of a staff page do not
// each allocate a copy of them. A value not among them is copied.
type knownText struct {
	known map[string]string
	v     string
}

// ScanBytes is how pgx scans text into it; src is valid only during the
// call, and the lookup by string(src) does not allocate.
func (t *knownText) ScanBytes(src []byte) error {
	if s, ok := t.known[string(src)]; ok {
		t.v = s
		return nil
	}
	t.v = string(src)
	return nil
}

// Scan is how database/sql (SQLite) scans into it.
func (t *knownText) Scan(src any) error {
	switch v := src.(type) {
	case string:
		t.v = v
		if s, ok := t.known[v]; ok {
			t.v = s
		}
		return nil
	case []byte:
		return t.ScanBytes(v)
	}
	return fmt.Errorf("cannot scan %T into text", src)
}

// knownStrings is a set of strings for knownText.
func knownStrings[S ~string](values []S) map[string]string {
	m := make(map[string]string, len(values))
	for _, v := range values {
		m[string(v)] = string(v)
	}
	return m
}

var (
	knownFields = knownStrings(models.ContactFields)
	knownRoles  = knownStrings([]models.Role{models.RoleReadOnly, models.RoleEditor, models.RoleAdministrator})
	// knownLocales are the languages of models.User.Locale.
	knownLocales = knownStrings([]string{"en", "it"})
)

// queryIDs runs query, whose `IN (?)` takes the ids, and calls scan for
// each row: readIDs with one read.
func (db *DB) queryIDs(ctx context.Context, what, query string, ids []string, scan func(rowScanner) error) error {
	return db.readIDs(ctx, ids, idRead{what, query, scan, nil})
}

// idRead is one statement of a batch of reads by account (readIDs): its
// text, whose `IN (?)` takes the ids, and the scan of each of its rows.
type idRead struct {
	what, query string
	scan        func(rowScanner) error
	// ids, when set, are this read's own ids instead of readIDs' ids.
	ids []string
}

func (r idRead) idsOr(ids []string) []string {
	if r.ids != nil {
		return r.ids
	}
	return ids
}

// readIDs runs reads, in order, for the same ids. On PostgreSQL outside a
// transaction they run on pgx itself, on a connection of the same pool,
// with the ids as one array parameter (`= ANY($1)`): one statement text
// whatever the number of ids, so pgx's statement cache skips parsing and
// planning, and pgx scans into the typed destinations directly
// (database/sql converts every column through a driver.Value first). They
// go to the server as one pgx batch: one round trip and one pooled
// connection for all of them, where one statement after another would
// take a round trip each and, run concurrently, a connection each.
// Elsewhere they run one after another on database/sql.
func (db *DB) readIDs(ctx context.Context, ids []string, reads ...idRead) error {
	if c := db.opts.StatementCounter; c != nil {
		c.n.Add(int64(len(reads)))
	}
	if db.dialect != "postgres" || db.tx != nil {
		for _, r := range reads {
			if err := db.queryIDsSQL(ctx, r.query, r.idsOr(ids), r.scan); err != nil {
				return fmt.Errorf("load %s: %w", r.what, err)
			}
		}
		return nil
	}
	return db.withPgx(ctx, func(conn *pgx.Conn) error {
		b := &pgx.Batch{}
		for _, r := range reads {
			b.Queue(strings.Replace(r.query, "IN (?)", "= ANY($1)", 1), r.idsOr(ids))
		}
		results := conn.SendBatch(ctx, b)
		for _, r := range reads {
			if err := scanBatchResult(results, r.scan); err != nil {
				_ = results.Close()
				return fmt.Errorf("load %s: %w", r.what, err)
			}
		}
		return results.Close()
	})
}

func scanBatchResult(results pgx.BatchResults, scan func(rowScanner) error) error {
	rows, err := results.Query()
	if err != nil {
		return err
	}
	defer rows.Close()
	return eachRow(rows, scan)
}

// queryArgs runs query, with `?` placeholders for args, and calls scan for
// each row: on PostgreSQL outside a transaction through pgx as readIDs
// does (the placeholders numbered), elsewhere, or when an argument is a
// list for `IN ?`, through GORM, which expands lists.
func (db *DB) queryArgs(ctx context.Context, what, query string, args []any, scan func(rowScanner) error) error {
	var err error
	if db.dialect == "postgres" && db.tx == nil && !hasListArg(args) {
		if c := db.opts.StatementCounter; c != nil {
			c.n.Add(1)
		}
		err = db.queryPgx(ctx, numberPlaceholders(query), args, scan)
	} else {
		err = db.queryGorm(ctx, query, args, scan)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

func (db *DB) queryGorm(ctx context.Context, query string, args []any, scan func(rowScanner) error) error {
	rows, err := db.with(ctx).Raw(query, args...).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	return eachRow(rows, scan)
}

func hasListArg(args []any) bool {
	for _, a := range args {
		switch a.(type) {
		case string, int, int64, bool, time.Time:
		default:
			return true
		}
	}
	return false
}

// numberPlaceholders turns the `?` of query into $1, $2, …; the queries
// given to it hold no `?` of their own (no string literal, no operator).
func numberPlaceholders(query string) string {
	var b strings.Builder
	b.Grow(len(query) + 8)
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

func (db *DB) queryPgx(ctx context.Context, query string, args []any, scan func(rowScanner) error) error {
	return db.withPgx(ctx, func(conn *pgx.Conn) error {
		rows, err := conn.Query(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		return eachRow(rows, scan)
	})
}

// withPgx runs f on pgx itself, on a connection of the same pool (with
// its settings: statement timeout, cancellation of abandoned statements).
func (db *DB) withPgx(ctx context.Context, f func(*pgx.Conn) error) error {
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		pc, ok := dc.(pgxDriverConn)
		if !ok {
			return fmt.Errorf("unexpected driver connection %T", dc)
		}
		return f(pc.Conn())
	})
}

// rowIterator is the rows of either database/sql or pgx.
type rowIterator interface {
	rowScanner
	Next() bool
	Err() error
}

// eachRow calls scan for each row.
func eachRow(rows rowIterator, scan func(rowScanner) error) error {
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (db *DB) queryIDsSQL(ctx context.Context, query string, ids []string, scan func(rowScanner) error) error {
	var b strings.Builder
	args := make([]any, len(ids))
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		if db.dialect == "postgres" {
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(i + 1))
		} else {
			b.WriteByte('?')
		}
		args[i] = id
	}
	query = strings.Replace(query, "IN (?)", "IN ("+b.String()+")", 1)
	rows, err := db.gorm.Statement.ConnPool.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	return eachRow(rows, scan)
}

// UsersByIDs loads users by id, in no particular order, password hashes
// included (for the services).
func (db *DB) UsersByIDs(ctx context.Context, ids []string) ([]*models.User, error) {
	return db.usersByIDs(ctx, ids, true)
}

// UserProfilesByIDs loads users by id, in no particular order, without
// their password hashes: what the API shows of a user (the request
// loaders, the staff page, which reads hundreds of users a page).
func (db *DB) UserProfilesByIDs(ctx context.Context, ids []string) ([]*models.User, error) {
	return db.usersByIDs(ctx, ids, false)
}

func (db *DB) usersByIDs(ctx context.Context, ids []string, withHash bool) ([]*models.User, error) {
	out := make([]*models.User, 0, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	hash := "''"
	if withHash {
		hash = "password_hash"
	}
	err := db.queryIDs(ctx, "users", `SELECT id, email, name, `+hash+`, staff, locale, created_at
		FROM users WHERE id IN (?)`, ids, func(rows rowScanner) error {
		u := &models.User{}
		var name sql.NullString
		if err := rows.Scan(&u.ID, &u.Email, &name, &u.PasswordHash, &u.Staff, &u.Locale, &u.CreatedAt); err != nil {
			return err
		}
		u.Name = nullable(name)
		u.CreatedAt = u.CreatedAt.UTC()
		out = append(out, u)
		return nil
	})
	return out, err
}

// MembersByAccountIDs loads the members of several accounts in one
// statement, each account's oldest first.
func (db *DB) MembersByAccountIDs(ctx context.Context, ids []string) (map[string][]*models.Member, error) {
	out := make(map[string][]*models.Member, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	return out, db.readIDs(ctx, ids, membersRead(knownStrings(ids), out, nil))
}

// membersRead reads members into out, each account's oldest first; with
// users non-nil, also their users' profiles (no password hash), joined in
// the same statement.
func membersRead(knownIDs map[string]string, out map[string][]*models.Member, users map[string]*models.User) idRead {
	accountID, role := knownText{known: knownIDs}, knownText{known: knownRoles}
	var userID string
	var created time.Time
	if users == nil {
		return idRead{"members", `SELECT account_id, user_id, role, created_at FROM members
			WHERE account_id IN (?) ORDER BY account_id, created_at, user_id`, func(rows rowScanner) error {
			if err := rows.Scan(&accountID, &userID, &role, &created); err != nil {
				return err
			}
			out[accountID.v] = append(out[accountID.v], &models.Member{AccountID: accountID.v, UserID: userID,
				Role: models.Role(role.v), CreatedAt: created.UTC()})
			return nil
		}, nil}
	}
	locale := knownText{known: knownLocales}
	var email string
	var name *string
	var staff bool
	var userCreated time.Time
	return idRead{"members", `SELECT m.account_id, m.user_id, m.role, m.created_at,
			u.email, u.name, u.staff, u.locale, u.created_at
		FROM members m JOIN users u ON u.id = m.user_id
		WHERE m.account_id IN (?) ORDER BY m.account_id, m.created_at, m.user_id`, func(rows rowScanner) error {
		name = nil
		if err := rows.Scan(&accountID, &userID, &role, &created, &email, &name, &staff, &locale, &userCreated); err != nil {
			return err
		}
		out[accountID.v] = append(out[accountID.v], &models.Member{AccountID: accountID.v, UserID: userID,
			Role: models.Role(role.v), CreatedAt: created.UTC()})
		if users[userID] == nil {
			users[userID] = &models.User{ID: userID, Email: email, Name: name, Staff: staff,
				Locale: locale.v, CreatedAt: userCreated.UTC()}
		}
		return nil
	}, nil}
}

// ContactInfosByAccountIDs loads the contact info of several accounts in
// three statements (one round trip on PostgreSQL), whatever the number of
// accounts.
func (db *DB) ContactInfosByAccountIDs(ctx context.Context, ids []string) (map[string]*models.ContactInfo, error) {
	out := make(map[string]*models.ContactInfo, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var (
		row       contactInfoRow
		hours, by sql.NullString
		updated   sql.Null[time.Time]
		reviewed  sql.Null[time.Time]
	)
	infoRows := idRead{"contact info", `SELECT account_id, version, merchant_issues_requirement,
		operational_support, updated_at, updated_by, reviewed_at, review_cycle, warnings
		FROM contact_infos WHERE account_id IN (?)`, func(rows rowScanner) error {
		if err := rows.Scan(&row.AccountID, &row.Version, &row.MerchantIssuesRequirement, &hours, &updated, &by,
			&reviewed, &row.ReviewCycle, &row.Warnings); err != nil {
			return err
		}
		row.OperationalSupport, row.UpdatedBy, row.UpdatedAt, row.ReviewedAt = nullable(hours), nullable(by), nil, nil
		if updated.Valid {
			t := updated.V
			row.UpdatedAt = &t
		}
		if reviewed.Valid {
			t := reviewed.V
			row.ReviewedAt = &t
		}
		info, err := newContactInfo(row)
		if err != nil {
			return err
		}
		out[row.AccountID] = info
		return nil
	}, nil}
	reads := append([]idRead{infoRows}, contactsReads(knownStrings(ids), out)...)
	if err := db.readIDs(ctx, ids, reads...); err != nil {
		return nil, err
	}
	return out, nil
}

// contactsReads read the contacts and the alert contacts of the contact
// infos of out, which an earlier read (or the caller) made.
func contactsReads(knownIDs map[string]string, out map[string]*models.ContactInfo) []idRead {
	accountID, field := knownText{known: knownIDs}, knownText{known: knownFields}
	var (
		userID, email string
		name, phone   *string
	)
	// The rows come ordered by account and field, so each field's contacts
	// are one run of a buffer that all the accounts share, set as the
	// field's slice with its capacity cut to its length (an append
	// elsewhere copies), instead of a slice grown contact by contact for
	// each field of each account.
	all := make([]models.Contact, 0, 8*len(knownIDs))
	runStart, runInfo, runField := 0, (*models.ContactInfo)(nil), ""
	return []idRead{{"contacts", `SELECT account_id, field, name, email, phone FROM contacts
		WHERE account_id IN (?) ORDER BY account_id, field, position`, func(rows rowScanner) error {
		// Into *string, not sql.NullString: a NULL scans as nil, and a
		// value costs one string and its pointer, where NullString boxes
		// the string in an interface on pgx first, then nullable copies it.
		name, phone = nil, nil
		if err := rows.Scan(&accountID, &field, &name, &email, &phone); err != nil {
			return err
		}
		info := out[accountID.v]
		if info == nil {
			return nil
		}
		if info != runInfo || field.v != runField {
			runStart, runInfo, runField = len(all), info, field.v
		}
		all = append(all, models.Contact{Name: name, Email: email, Phone: phone})
		if f := models.ContactField(field.v); f.Kind() == models.KindContact {
			info.OperationalForUsers = &all[len(all)-1]
		} else {
			info.SetContacts(f, all[runStart:len(all):len(all)])
		}
		return nil
	}, nil}, {"alert contacts", `SELECT account_id, user_id FROM alert_contacts
		WHERE account_id IN (?) ORDER BY account_id, position`, func(rows rowScanner) error {
		if err := rows.Scan(&accountID, &userID); err != nil {
			return err
		}
		if info := out[accountID.v]; info != nil {
			info.AlertContactIDs = append(info.AlertContactIDs, userID)
		}
		return nil
	}, nil}}
}
