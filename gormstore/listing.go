package gormstore

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/contactgate/contactgate/models"
	"gorm.io/gorm"
)

// The staff listing and the cheap paths of dashboards at scale.
//
// Every account has exactly one contact_infos row (created with it, deleted
// with it), which holds the denormalised gate: the missing-field bit set and
// one locked flag per environment. The listing therefore filters on
// contact_infos and counts contact_infos rows, and the page query returns
// each account's missing set, so that the gates of a page cost nothing more.
//
// Indexes (migrations 0001 and 0002_listing_indexes):
//   - order and keyset: accounts (name_lower, id);
//   - locked: contact_infos (locked_sandbox, account_id) and
//     (locked_production, account_id);
//   - missing field: one partial index per field on contact_infos
//     (account_id) WHERE (missing & bit) <> 0 — the bit is written into the
//     SQL as a literal, so that both planners can match the predicate;
//   - integration type: account_integration_types (integration_type, account_id);
//   - search: on PostgreSQL, pg_trgm GIN indexes on accounts.name_lower,
//     contacts.email and users.email (substring search, see the migration);
//     the id is the primary key. SQLite scans for the substring search.

// AccountFilter narrows the staff listing.
type AccountFilter struct {
	// Search matches, case-insensitively, a substring of the account name or
	// of any contact or member email, or the whole account id.
	Search string
	// Locked keeps the accounts whose gate in Environment is (un)locked.
	Locked *bool
	// Environment is the one Locked and Missing refer to (SANDBOX if empty).
	Environment     models.Environment
	IntegrationType string
	// Missing keeps the accounts where this field is required in
	// Environment and empty.
	Missing models.ContactField
	// ReviewedAfter and ReviewedAtOrBefore bound the last review (the
	// service turns a review state into these bounds with its settings):
	// an index range on contact_infos (reviewed_at, account_id).
	ReviewedAfter, ReviewedAtOrBefore *time.Time
	// HasWarnings keeps the accounts whose stored warnings are (not) empty
	// (the partial index contact_infos_warned).
	HasWarnings *bool
	// Warning keeps the accounts whose stored warnings hold this code.
	Warning models.ContactWarningCode
	// Reachability keeps the accounts with at least one address that is
	// unreachable or unverified.
	Reachability models.ReachFilter
}

// AccountPage is one page of the staff listing.
type AccountPage struct {
	Accounts []*models.Account
	Cursors  []string
	// Gates is the gate state of each listed account.
	Gates       map[string]models.GateState
	HasNextPage bool
	// TotalCount is the number of accounts matching the filter, when asked.
	TotalCount int64
	// infoRows are the listed accounts' contact info rows, read with the
	// page (PageDetails builds their contact info from them).
	infoRows []contactInfoRow
}

// PageRequest asks for one page of the staff listing.
type PageRequest struct {
	Filter AccountFilter
	// First is the page size, clamped to 1..MaxPageSize (50 when unset).
	First int
	// After is the EndCursor of the previous page.
	After string
	// Count asks for TotalCount (one more statement).
	Count bool
}

// MaxPageSize clamps `first` on every connection.
const MaxPageSize = 100

// ListAccounts pages through accounts ordered by name then id, with keyset
// cursors, so that accounts added between two fetches never shift a page,
// and counts the matches.
func (db *DB) ListAccounts(ctx context.Context, f AccountFilter, first int, after string) (*AccountPage, error) {
	return db.AccountsPage(ctx, PageRequest{Filter: f, First: first, After: after, Count: true})
}

// AccountsPage is ListAccounts with the count optional: two statements
// (page, integration types), three with the count, whatever the page size.
func (db *DB) AccountsPage(ctx context.Context, req PageRequest) (*AccountPage, error) {
	first := ClampFirst(req.First, 50)
	var afterName, afterID string
	if req.After != "" {
		var ok bool
		if afterName, afterID, ok = decodeAccountCursor(req.After); !ok {
			return nil, &models.Error{Code: models.EValidation, Message: "invalid cursor",
				Fields: []models.FieldError{{Field: "after", Message: "not a cursor of this list", Code: models.FieldCursorInvalid}}}
		}
	}
	page := &AccountPage{Gates: map[string]models.GateState{}}
	if req.Count {
		q, args := countSQL(req.Filter)
		if err := db.queryArgs(ctx, "count accounts", q, args, func(r rowScanner) error { return r.Scan(&page.TotalCount) }); err != nil {
			return nil, err
		}
	}
	rows, err := db.accountBatch(ctx, nil, req.Filter, afterName, afterID, first+1, false, true)
	if err != nil {
		return nil, err
	}
	if page.HasNextPage = len(rows) > first; page.HasNextPage {
		rows = rows[:first]
	}
	page.Accounts = make([]*models.Account, len(rows))
	page.infoRows = make([]contactInfoRow, len(rows))
	for i, r := range rows {
		page.Accounts[i] = &models.Account{ID: r.accountRow.ID, Name: r.Name, IntegrationTypes: r.integrationTypes,
			LaunchRequestedAt: r.LaunchRequestedAt, CreatedAt: r.accountRow.CreatedAt}
		page.infoRows[i] = r.contactInfoRow
		g := models.GateState{Missing: models.FieldSet(r.Missing)}
		if r.ReviewedAt != nil {
			g.ReviewedAt = r.ReviewedAt.UTC()
		}
		page.Gates[r.ID] = g
		page.Cursors = append(page.Cursors, encodeAccountCursor(r.NameLower, r.ID))
	}
	return page, nil
}

// listedAccount is an account row with the columns of its contact info
// that the listing and the export need.
type listedAccount struct {
	accountRow
	contactInfoRow
	// integrationTypes are the account's integration types, in order.
	integrationTypes []string
}

// accountBatch returns up to limit accounts matching f after the keyset
// position (afterName, afterID), in listing order (name, id) — or, with
// byID, in id order after afterID — with their contact info row, in one
// statement.
//
// withDocs also reads each account's contacts document (contactsdoc.go),
// for PageDetails; the export reads the rows in a pass of its own.
func (db *DB) accountBatch(ctx context.Context, tx *gorm.DB, f AccountFilter, afterName, afterID string, limit int, byID, withDocs bool) ([]listedAccount, error) {
	where, args := accountConditions(f)
	order := "a.name_lower, a.id"
	switch {
	case byID:
		order = "a.id"
		if afterID != "" {
			// Both sides: PostgreSQL's merge join would otherwise read
			// contact_infos from its start for every batch.
			where += " AND a.id > ? AND ci.account_id > ?"
			args = append(args, afterID, afterID)
		}
	case afterID != "":
		// A row-value comparison is a range start on the (name_lower, id)
		// index on both databases.
		where += " AND (a.name_lower, a.id) > (?, ?)"
		args = append(args, afterName, afterID)
	}
	args = append(args, limit)
	// Scanned by hand, not by GORM's reflection: the export reads every
	// account through here (in its transaction, tx), the listing on the
	// DB's own connection (tx nil: pgx on PostgreSQL, queryArgs).
	query := `SELECT a.id, a.name, a.name_lower, a.launch_requested_at, a.created_at,
			ci.version, ci.merchant_issues_requirement, ci.operational_support, ci.missing,
			ci.locked_sandbox, ci.locked_production, ci.updated_at, ci.updated_by,
			ci.reviewed_at, ci.review_cycle, ci.warnings, ` + docsColumn[withDocs] + `, ` + integrationTypesColumn[db.dialect == "postgres"] + `
		FROM accounts a JOIN contact_infos ci ON ci.account_id = a.id
		WHERE ` + where + `
		ORDER BY ` + order + `
		LIMIT ?`
	out := make([]listedAccount, 0, min(limit, 1024))
	scan := func(rows rowScanner) error {
		// Nullable columns scan straight into the row's pointers (NULL
		// scans as nil), without a sql.Null* each, which pgx would box.
		var r listedAccount
		var integrationTypes string
		if err := rows.Scan(&r.accountRow.ID, &r.Name, &r.NameLower, &r.LaunchRequestedAt, &r.accountRow.CreatedAt,
			&r.Version, &r.MerchantIssuesRequirement, &r.OperationalSupport, &r.Missing,
			&r.LockedSandbox, &r.LockedProduction, &r.UpdatedAt, &r.UpdatedBy,
			&r.ReviewedAt, &r.ReviewCycle, &r.Warnings, &r.ContactsDoc, &integrationTypes); err != nil {
			return err
		}
		r.integrationTypes = []string{}
		if integrationTypes != "" {
			r.integrationTypes = strings.Split(integrationTypes, ",")
			slices.Sort(r.integrationTypes)
		}
		r.AccountID = r.accountRow.ID
		out = append(out, r)
		return nil
	}
	if tx == nil {
		if err := db.queryArgs(ctx, "list accounts", query, args, scan); err != nil {
			return nil, err
		}
		return out, nil
	}
	rows, err := tx.Raw(query, args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	defer rows.Close()
	if err := eachRow(rows, scan); err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	return out, nil
}

// docsColumn is, by "with documents", the listing's column of the contacts
// documents, or a NULL in its place.
var docsColumn = map[bool]string{true: "ci.contacts_doc", false: "NULL"}

// integrationTypesColumn is, by "is PostgreSQL", the listing's column of
// each account's integration types, comma-separated (their names are
// identifiers): read with the page, not by a statement of their own after
// it. SQLite's group_concat keeps no order; the scan sorts.
var integrationTypesColumn = map[bool]string{
	true:  `coalesce((SELECT string_agg(t.integration_type, ',') FROM account_integration_types t WHERE t.account_id = a.id), '')`,
	false: `coalesce((SELECT group_concat(t.integration_type, ',') FROM account_integration_types t WHERE t.account_id = a.id), '')`,
}

// accountConditions is the filter as a WHERE clause on contact_infos ci
// (one row per account), usable with or without the join to accounts a.
func accountConditions(f AccountFilter) (string, []any) {
	conds := []string{"1 = 1"}
	var args []any
	if s := strings.ToLower(strings.TrimSpace(f.Search)); s != "" {
		like := "%" + escapeLike(s) + "%"
		// A UNION of indexed lookups, not an OR of EXISTS: each branch can
		// use its own (trigram) index, and the planner hashes the ids.
		conds = append(conds, `ci.account_id IN (
			SELECT n.id FROM accounts n WHERE n.name_lower LIKE ? ESCAPE '\'
			UNION SELECT c.account_id FROM contacts c WHERE c.email LIKE ? ESCAPE '\'
			UNION SELECT m.account_id FROM members m JOIN users u ON u.id = m.user_id WHERE u.email LIKE ? ESCAPE '\'
			UNION SELECT i.id FROM accounts i WHERE i.id = ?)`)
		args = append(args, like, like, like, s)
	}
	env := f.Environment
	if env == "" {
		env = models.EnvironmentSandbox
	}
	if f.Locked != nil {
		col := "ci.locked_sandbox"
		if env == models.EnvironmentProduction {
			col = "ci.locked_production"
		}
		conds = append(conds, col+" = ?")
		args = append(args, *f.Locked)
	}
	if f.Missing != "" {
		// A literal, so that the partial index of the field matches. An
		// unneeded field (alert contacts in SANDBOX) is never missing.
		bit := int(models.FieldSet(f.Missing.Bit()).ForEnvironment(env))
		if bit == 0 {
			conds = append(conds, "1 = 0")
		} else {
			conds = append(conds, fmt.Sprintf("(ci.missing & %d) <> 0", bit))
		}
	}
	if f.ReviewedAfter != nil {
		conds = append(conds, "ci.reviewed_at > ?")
		args = append(args, *f.ReviewedAfter)
	}
	if f.ReviewedAtOrBefore != nil {
		conds = append(conds, "ci.reviewed_at <= ?")
		args = append(args, *f.ReviewedAtOrBefore)
	}
	if f.HasWarnings != nil {
		if *f.HasWarnings {
			conds = append(conds, "ci.warnings <> 0")
		} else {
			conds = append(conds, "ci.warnings = 0")
		}
	}
	if f.Warning != "" {
		// A literal bit (within the partial index's predicate).
		conds = append(conds, fmt.Sprintf("ci.warnings <> 0 AND (ci.warnings & %d) <> 0", int(f.Warning.Bit())))
	}
	if f.IntegrationType != "" {
		conds = append(conds, "EXISTS (SELECT 1 FROM account_integration_types t WHERE t.account_id = ci.account_id AND t.integration_type = ?)")
		args = append(args, f.IntegrationType)
	}
	if f.Reachability != "" {
		states := []string{}
		for _, st := range f.Reachability.States() {
			states = append(states, string(st))
		}
		conds = append(conds, "ci.account_id IN (SELECT r.account_id FROM contact_reachability r WHERE r.state IN ?)")
		args = append(args, states)
	}
	return strings.Join(conds, " AND "), args
}

// countSQL counts the accounts matching f: all of them, read from the
// kept total; contact_infos rows (one per account); or, for an integration
// type alone, that type's index entries
// (an index-only scan instead of a join: 2 ms instead of 40 at 100k).
func countSQL(f AccountFilter) (string, []any) {
	if f == (AccountFilter{Environment: f.Environment}) {
		// Unfiltered: the total the database keeps (migration
		// 0008_account_totals).
		return "SELECT accounts FROM account_totals", nil
	}
	if f.IntegrationType != "" && f == (AccountFilter{IntegrationType: f.IntegrationType, Environment: f.Environment}) {
		return "SELECT COUNT(*) FROM account_integration_types WHERE integration_type = ?", []any{f.IntegrationType}
	}
	where, args := accountConditions(f)
	return "SELECT COUNT(*) FROM contact_infos ci WHERE " + where, args
}

// ClampFirst bounds a page size to 1..MaxPageSize, with def when unset.
func ClampFirst(first, def int) int {
	switch {
	case first <= 0:
		return def
	case first > MaxPageSize:
		return MaxPageSize
	}
	return first
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// AccountCursor is the listing's cursor of the account with this
// lower-cased name and id (the benchmark harness makes cursors of random
// accounts with it).
func AccountCursor(nameLower, id string) string { return encodeAccountCursor(nameLower, id) }

func encodeAccountCursor(nameLower, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(nameLower + "\x00" + id))
}

func decodeAccountCursor(c string) (string, string, bool) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return "", "", false
	}
	name, id, ok := strings.Cut(string(b), "\x00")
	// A forged cursor could carry what no stored name or id holds (another
	// NUL, bytes that are not UTF-8), which PostgreSQL refuses in text with
	// an error: it is simply not a cursor of this list.
	return name, id, ok && id != "" && strings.IndexByte(id, 0) < 0 && utf8.ValidString(name) && utf8.ValidString(id)
}

// ExplainAccounts returns the plans of the listing's page and count
// statements for req (EXPLAIN ANALYZE on PostgreSQL when analyze, EXPLAIN
// QUERY PLAN on SQLite), for the benchmark harness and index tests.
// settings are PostgreSQL parameters set for these statements only, e.g.
// "enable_seqscan = off" to check that an index can serve a filter at all.
func (db *DB) ExplainAccounts(ctx context.Context, req PageRequest, analyze bool, settings ...string) (page, count string, err error) {
	where, args := accountConditions(req.Filter)
	pageSQL := `SELECT a.id, ci.missing FROM accounts a JOIN contact_infos ci ON ci.account_id = a.id WHERE ` + where +
		` ORDER BY a.name_lower, a.id LIMIT ?`
	pageArgs := append(append([]any{}, args...), ClampFirst(req.First, 50)+1)
	countQuery, countArgs := countSQL(req.Filter)
	prefix := "EXPLAIN QUERY PLAN "
	if db.dialect == "postgres" {
		prefix = "EXPLAIN "
		if analyze {
			prefix = "EXPLAIN (ANALYZE, BUFFERS) "
		}
	}
	err = db.with(ctx).Transaction(func(tx *gorm.DB) error {
		if db.dialect == "postgres" {
			for _, s := range settings {
				if err := tx.Exec("SET LOCAL " + s).Error; err != nil {
					return err
				}
			}
		}
		explain := func(q string, args []any) (string, error) {
			rows, err := tx.Raw(prefix+q, args...).Rows()
			if err != nil {
				return "", err
			}
			defer rows.Close()
			cols, err := rows.Columns()
			if err != nil {
				return "", err
			}
			var b strings.Builder
			for rows.Next() {
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					return "", err
				}
				// PostgreSQL: one column of text; SQLite: id, parent, notused, detail.
				switch v := vals[len(vals)-1].(type) {
				case []byte:
					fmt.Fprintln(&b, string(v))
				default:
					fmt.Fprintln(&b, v)
				}
			}
			return b.String(), rows.Err()
		}
		var err error
		if page, err = explain(pageSQL, pageArgs); err != nil {
			return err
		}
		count, err = explain(countQuery, countArgs)
		return err
	})
	return page, count, err
}
