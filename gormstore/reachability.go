package gormstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/contactgate/contactgate/models"
	"gorm.io/gorm"
)

type reachabilityRow struct {
	ID                  string
	AccountID           string
	Email               string
	State               string
	Since               time.Time
	Detail              *string
	VerifiedBy          *string
	LastTestField       *string
	LastTestAt          *time.Time
	LastTestOutboxID    *string
	LastTestConfirmedAt *time.Time
	CreatedAt           time.Time
}

func (reachabilityRow) TableName() string { return "contact_reachability" }

type reachabilityLinkRow struct {
	ID             string
	ReachabilityID string
	TokenHash      string
	Purpose        string
	Field          *string
	CreatedAt      time.Time
	ExpiresAt      time.Time
	UsedAt         *time.Time
}

func (reachabilityLinkRow) TableName() string { return "reachability_links" }

// reachabilityRead is a row with the status of its last test's mail.
type reachabilityRead struct {
	ID                  string
	AccountID           string
	Email               string
	State               string
	Since               time.Time
	Detail              *string
	VerifiedBy          *string
	LastTestField       *string
	LastTestAt          *time.Time
	LastTestOutboxID    *string
	LastTestConfirmedAt *time.Time
	OutboxStatus        *string
}

func (r reachabilityRead) model() *models.Reachability {
	out := &models.Reachability{ID: r.ID, AccountID: r.AccountID, Email: r.Email, State: models.ReachState(r.State),
		Since: r.Since, Detail: r.Detail}
	if r.VerifiedBy != nil {
		m := models.VerificationMethod(*r.VerifiedBy)
		out.VerifiedBy = &m
	}
	if r.LastTestAt != nil && r.LastTestField != nil {
		t := &models.ContactTest{Field: models.ContactField(*r.LastTestField), At: *r.LastTestAt, Status: models.TestQueued}
		switch {
		case r.LastTestConfirmedAt != nil:
			t.Status = models.TestConfirmed
		case r.OutboxStatus != nil && *r.OutboxStatus == "SENT":
			t.Status = models.TestAccepted
		case r.OutboxStatus != nil && *r.OutboxStatus == "FAILED":
			t.Status = models.TestRefused
		}
		out.LastTest = t
	}
	return out
}

const reachabilitySelect = `SELECT r.*, o.status AS outbox_status FROM contact_reachability r
	LEFT JOIN outbox o ON o.id = r.last_test_outbox_id`

// ReachabilityByAccountIDs loads the reachability of every address of
// several accounts in one statement.
func (db *DB) ReachabilityByAccountIDs(ctx context.Context, ids []string) (map[string][]*models.Reachability, error) {
	out := make(map[string][]*models.Reachability, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	return out, db.readIDs(ctx, ids, reachabilityByAccountRead(out))
}

// reachabilityByAccountRead reads the reachability of every address of the
// accounts into out, scanned by hand (hotpath.go): the staff page reads
// the reachability of every contact of its accounts through here.
func reachabilityByAccountRead(out map[string][]*models.Reachability) idRead {
	return idRead{"reachability", `SELECT r.id, r.account_id, r.email, r.state, r.since, r.detail, r.verified_by,
			r.last_test_field, r.last_test_at, r.last_test_outbox_id, r.last_test_confirmed_at, o.status
		FROM contact_reachability r LEFT JOIN outbox o ON o.id = r.last_test_outbox_id
		WHERE r.account_id IN (?) ORDER BY r.account_id, r.email`, func(rows rowScanner) error {
		var r reachabilityRead
		var detail, verifiedBy, testField, outboxID, outboxStatus sql.NullString
		var testAt, confirmedAt sql.NullTime
		if err := rows.Scan(&r.ID, &r.AccountID, &r.Email, &r.State, &r.Since, &detail, &verifiedBy,
			&testField, &testAt, &outboxID, &confirmedAt, &outboxStatus); err != nil {
			return err
		}
		r.Detail, r.VerifiedBy, r.LastTestField = nullable(detail), nullable(verifiedBy), nullable(testField)
		r.LastTestOutboxID, r.OutboxStatus = nullable(outboxID), nullable(outboxStatus)
		if testAt.Valid {
			r.LastTestAt = &testAt.Time
		}
		if confirmedAt.Valid {
			r.LastTestConfirmedAt = &confirmedAt.Time
		}
		out[r.AccountID] = append(out[r.AccountID], r.model())
		return nil
	}, nil}
}

// ReachabilityOf loads one address of one account; NOT_FOUND when the
// account does not list it.
func (db *DB) ReachabilityOf(ctx context.Context, accountID, email string) (*models.Reachability, error) {
	var rows []reachabilityRead
	if err := db.with(ctx).Raw(reachabilitySelect+` WHERE r.account_id = ? AND r.email = ?`, accountID, email).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("load reachability: %w", err)
	}
	if len(rows) == 0 {
		return nil, models.Errorf(models.ENotFound, "the account lists no such address")
	}
	return rows[0].model(), nil
}

// ReachabilityByEmail loads the rows of one address in every account
// that lists it, locked for update on PostgreSQL.
func (db *DB) ReachabilityByEmail(ctx context.Context, email string) ([]*models.Reachability, error) {
	q := reachabilitySelect + ` WHERE r.email = ? ORDER BY r.account_id`
	if db.dialect == "postgres" {
		q += ` FOR UPDATE OF r`
	}
	var rows []reachabilityRead
	if err := db.with(ctx).Raw(q, email).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("load reachability of an address: %w", err)
	}
	out := make([]*models.Reachability, len(rows))
	for i, r := range rows {
		out[i] = r.model()
	}
	return out, nil
}

// InsertReachability adds an address's first state.
func (db *DB) InsertReachability(ctx context.Context, r models.Reachability) (*models.Reachability, error) {
	row := reachabilityRow{ID: newID(), AccountID: r.AccountID, Email: r.Email, State: string(r.State), Since: r.Since,
		Detail: r.Detail, CreatedAt: r.Since}
	if r.VerifiedBy != nil {
		m := string(*r.VerifiedBy)
		row.VerifiedBy = &m
	}
	if err := db.with(ctx).Create(&row).Error; err != nil {
		return nil, fmt.Errorf("add reachability: %w", err)
	}
	r.ID = row.ID
	return &r, nil
}

// DeleteReachability forgets addresses of an account, with their links.
func (db *DB) DeleteReachability(ctx context.Context, accountID string, emails []string) error {
	if len(emails) == 0 {
		return nil
	}
	tx := db.with(ctx)
	sub := tx.Model(&reachabilityRow{}).Select("id").Where("account_id = ? AND email IN ?", accountID, emails)
	if err := tx.Where("reachability_id IN (?)", sub).Delete(&reachabilityLinkRow{}).Error; err != nil {
		return fmt.Errorf("forget links: %w", err)
	}
	if err := tx.Where("account_id = ? AND email IN ?", accountID, emails).Delete(&reachabilityRow{}).Error; err != nil {
		return fmt.Errorf("forget reachability: %w", err)
	}
	return nil
}

// ReachStateChange is one new state of one address.
type ReachStateChange struct {
	ID     string
	State  models.ReachState
	Since  time.Time
	Detail *string
	// VerifiedBy is set with VERIFIED, cleared otherwise.
	VerifiedBy *models.VerificationMethod
	// From, when not empty, makes the change conditional on the current
	// state (a concurrent change wins; the update then reports false).
	From models.ReachState
}

// SetReachState records a new state; false when the row is gone or its
// state is no longer c.From.
func (db *DB) SetReachState(ctx context.Context, c ReachStateChange) (bool, error) {
	var method *string
	if c.VerifiedBy != nil {
		m := string(*c.VerifiedBy)
		method = &m
	}
	q := db.with(ctx).Model(&reachabilityRow{}).Where("id = ?", c.ID)
	if c.From != "" {
		q = q.Where("state = ?", string(c.From))
	}
	res := q.Updates(map[string]any{"state": string(c.State), "since": c.Since, "detail": c.Detail, "verified_by": method})
	if res.Error != nil {
		return false, fmt.Errorf("set reachability: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}

// RecordTest notes the test message just queued for an address.
func (db *DB) RecordTest(ctx context.Context, id string, field models.ContactField, at time.Time, outboxID string) error {
	f := string(field)
	err := db.with(ctx).Model(&reachabilityRow{}).Where("id = ?", id).Updates(map[string]any{
		"last_test_field": &f, "last_test_at": at, "last_test_outbox_id": outboxID, "last_test_confirmed_at": nil}).Error
	if err != nil {
		return fmt.Errorf("record test: %w", err)
	}
	return nil
}

// ConfirmTest notes that the last test message was received.
func (db *DB) ConfirmTest(ctx context.Context, id string, at time.Time) error {
	if err := db.with(ctx).Model(&reachabilityRow{}).Where("id = ?", id).Update("last_test_confirmed_at", at).Error; err != nil {
		return fmt.Errorf("confirm test: %w", err)
	}
	return nil
}

// NewReachLink is a verification or test link about to be sent.
type NewReachLink struct {
	ReachabilityID string
	TokenHash      string
	Purpose        models.LinkPurpose
	Field          *models.ContactField
	CreatedAt      time.Time
	ExpiresAt      time.Time
}

// InsertReachLink stores a link (its token only hashed).
func (db *DB) InsertReachLink(ctx context.Context, l NewReachLink) error {
	row := reachabilityLinkRow{ID: newID(), ReachabilityID: l.ReachabilityID, TokenHash: l.TokenHash, Purpose: string(l.Purpose),
		CreatedAt: l.CreatedAt, ExpiresAt: l.ExpiresAt}
	if l.Field != nil {
		f := string(*l.Field)
		row.Field = &f
	}
	if err := db.with(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("add link: %w", err)
	}
	return nil
}

// ReachLink is an unused, unexpired link with the address it is about.
type ReachLink struct {
	ID      string
	Purpose models.LinkPurpose
	Field   *models.ContactField
	Reach   *models.Reachability
}

// OpenReachLink finds the open link with this token hash; NOT_FOUND for
// an unknown, used or expired one, or one whose address is gone.
func (db *DB) OpenReachLink(ctx context.Context, tokenHash string, now time.Time) (*ReachLink, error) {
	var link reachabilityLinkRow
	err := db.with(ctx).Where("token_hash = ? AND used_at IS NULL AND expires_at > ?", tokenHash, now).Take(&link).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, models.Errorf(models.ENotFound, "link not valid")
	}
	if err != nil {
		return nil, fmt.Errorf("find link: %w", err)
	}
	var rows []reachabilityRead
	if err := db.with(ctx).Raw(reachabilitySelect+` WHERE r.id = ?`, link.ReachabilityID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("load reachability: %w", err)
	}
	if len(rows) == 0 {
		return nil, models.Errorf(models.ENotFound, "link not valid")
	}
	out := &ReachLink{ID: link.ID, Purpose: models.LinkPurpose(link.Purpose), Reach: rows[0].model()}
	if link.Field != nil {
		f := models.ContactField(*link.Field)
		out.Field = &f
	}
	return out, nil
}

// UseReachLink marks a link used; false when another request used it
// first (the conditional update makes a link single-use under races).
func (db *DB) UseReachLink(ctx context.Context, id string, at time.Time) (bool, error) {
	res := db.with(ctx).Model(&reachabilityLinkRow{}).Where("id = ? AND used_at IS NULL", id).Update("used_at", at)
	if res.Error != nil {
		return false, fmt.Errorf("use link: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}

// ExpireReachLinks ends, at at, the open links of one purpose of an
// address (a resent verification supersedes the links sent before it).
func (db *DB) ExpireReachLinks(ctx context.Context, reachID string, purpose models.LinkPurpose, at time.Time) error {
	if err := db.with(ctx).Model(&reachabilityLinkRow{}).
		Where("reachability_id = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?", reachID, string(purpose), at).
		Update("expires_at", at).Error; err != nil {
		return fmt.Errorf("expire links: %w", err)
	}
	return nil
}

// RecordChange adds one history record outside a contact info save (a
// change of an address's reachability).
func (db *DB) RecordChange(ctx context.Context, accountID string, actorID *string, field models.ContactField, before, after string) error {
	ch := changeRow{ID: newID(), AccountID: accountID, ActorID: actorID, At: db.now(), Field: string(field), BeforeValue: before, AfterValue: after}
	if err := db.with(ctx).Create(&ch).Error; err != nil {
		return fmt.Errorf("record change: %w", err)
	}
	return nil
}

// AdministratorsOf lists the administrators of each account, as users.
func (db *DB) AdministratorsOf(ctx context.Context, accountIDs []string) (map[string][]*models.User, error) {
	var rows []struct {
		AccountID string
		UserID    string
	}
	err := db.with(ctx).Raw(`SELECT m.account_id, u.id AS user_id FROM members m JOIN users u ON u.id = m.user_id
		WHERE m.account_id IN ? AND m.role = ? ORDER BY m.account_id, u.email`, accountIDs, string(models.RoleAdministrator)).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("load administrators: %w", err)
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.UserID
	}
	users, err := db.UsersByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*models.User, len(users))
	for _, u := range users {
		byID[u.ID] = u
	}
	out := map[string][]*models.User{}
	for _, r := range rows {
		if u := byID[r.UserID]; u != nil {
			out[r.AccountID] = append(out[r.AccountID], u)
		}
	}
	return out, nil
}

// ContactMailsSince counts the mails queued to an account's contact
// addresses at or after since.
func (db *DB) ContactMailsSince(ctx context.Context, accountID string, since time.Time) (int, error) {
	var n int64
	if err := db.with(ctx).Table("contact_mails").Where("account_id = ? AND sent_at >= ?", accountID, since).
		Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count contact mails: %w", err)
	}
	return int(n), nil
}

// OldestContactMailSince is when the first mail queued to an account's
// contact addresses at or after since was (since itself when none).
func (db *DB) OldestContactMailSince(ctx context.Context, accountID string, since time.Time) (time.Time, error) {
	var rows []struct{ SentAt time.Time }
	if err := db.with(ctx).Table("contact_mails").Select("sent_at").Where("account_id = ? AND sent_at >= ?", accountID, since).
		Order("sent_at").Limit(1).Scan(&rows).Error; err != nil {
		return time.Time{}, fmt.Errorf("oldest contact mail: %w", err)
	}
	if len(rows) == 0 {
		return since, nil
	}
	return rows[0].SentAt.UTC(), nil
}

// RecordContactMails notes n mails queued to an account's contact
// addresses at at, and forgets the account's notes older than before.
func (db *DB) RecordContactMails(ctx context.Context, accountID string, n int, at, before time.Time) error {
	tx := db.with(ctx)
	if err := tx.Exec(`DELETE FROM contact_mails WHERE account_id = ? AND sent_at < ?`, accountID, before).Error; err != nil {
		return fmt.Errorf("prune contact mails: %w", err)
	}
	if n <= 0 {
		return nil
	}
	rows := make([]map[string]any, n)
	for i := range rows {
		rows[i] = map[string]any{"account_id": accountID, "sent_at": at}
	}
	if err := tx.Table("contact_mails").Create(rows).Error; err != nil {
		return fmt.Errorf("record contact mails: %w", err)
	}
	return nil
}
