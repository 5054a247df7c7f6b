package gormstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/contactgate/contactgate/models"
	"gorm.io/gorm"
)

// Storage of the review cycle, the stored warnings and former members
// (migration 0005_review). The rules (when a review is due, which reminder
// applies, what a warning is) are in models and service.

// ReviewOf is an account's last review and its number.
type ReviewOf struct {
	ReviewedAt time.Time
	Cycle      int
}

// Review loads an account's last review with one primary-key lookup;
// NOT_FOUND when there is no such account.
func (db *DB) Review(ctx context.Context, accountID string) (ReviewOf, error) {
	var rows []struct {
		ReviewedAt  *time.Time
		ReviewCycle int
	}
	if err := db.with(ctx).Table("contact_infos").Select("reviewed_at, review_cycle").
		Where("account_id = ?", accountID).Scan(&rows).Error; err != nil {
		return ReviewOf{}, fmt.Errorf("load review: %w", err)
	}
	if len(rows) == 0 {
		return ReviewOf{}, models.Errorf(models.ENotFound, "account not found")
	}
	out := ReviewOf{Cycle: rows[0].ReviewCycle}
	if rows[0].ReviewedAt != nil {
		out.ReviewedAt = rows[0].ReviewedAt.UTC()
	}
	return out, nil
}

// ConfirmReview records a confirmation of the account's contact info: a
// new review (reviewed_at now, the next cycle) and a history entry. It
// does not bump the version: nothing in the data changed, so a form open
// elsewhere still saves.
func (db *DB) ConfirmReview(ctx context.Context, actorID *string, accountID string) (ReviewOf, error) {
	now := db.now()
	tx := db.with(ctx)
	res := tx.Model(&contactInfoRow{}).Where("account_id = ?", accountID).
		Updates(map[string]any{"reviewed_at": now, "review_cycle": gorm.Expr("review_cycle + 1")})
	if res.Error != nil {
		return ReviewOf{}, fmt.Errorf("confirm review: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return ReviewOf{}, models.Errorf(models.ENotFound, "account not found")
	}
	ch := changeRow{ID: newID(), AccountID: accountID, ActorID: actorID, At: now, Kind: string(models.ChangeReviewConfirmed)}
	if err := tx.Create(&ch).Error; err != nil {
		return ReviewOf{}, fmt.Errorf("record confirmation: %w", err)
	}
	return db.Review(ctx, accountID)
}

// SetWarnings stores the warning set of an account's data, computed with
// the rules of version rules.
func (db *DB) SetWarnings(ctx context.Context, accountID string, set models.WarningSet, rules int) error {
	if err := db.with(ctx).Model(&contactInfoRow{}).Where("account_id = ?", accountID).
		Updates(map[string]any{"warnings": int(set), "warnings_rules": rules}).Error; err != nil {
		return fmt.Errorf("store warnings: %w", err)
	}
	return nil
}

// AccountsWithStaleWarnings lists up to limit accounts whose warnings were
// computed by rules older than version.
func (db *DB) AccountsWithStaleWarnings(ctx context.Context, version, limit int) ([]string, error) {
	var ids []string
	if err := db.with(ctx).Model(&contactInfoRow{}).Where("warnings_rules < ?", version).
		Order("warnings_rules, account_id").Limit(limit).Pluck("account_id", &ids).Error; err != nil {
		return nil, fmt.Errorf("find stale warnings: %w", err)
	}
	return ids, nil
}

// MemberEmails lists the emails of an account's members.
func (db *DB) MemberEmails(ctx context.Context, accountID string) ([]string, error) {
	var emails []string
	if err := db.with(ctx).Table("members m").Joins("JOIN users u ON u.id = m.user_id").
		Where("m.account_id = ?", accountID).Order("u.email").Pluck("u.email", &emails).Error; err != nil {
		return nil, fmt.Errorf("load member emails: %w", err)
	}
	return emails, nil
}

// Recipient is a member who receives an account's mails about its review
// or its members.
type Recipient struct {
	UserID string
	Email  string
	Locale string
	Role   models.Role
}

// MembersWithRoles lists the members of an account holding one of roles,
// with their email and language, ordered by email.
func (db *DB) MembersWithRoles(ctx context.Context, accountID string, roles ...models.Role) ([]Recipient, error) {
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = string(r)
	}
	var rows []struct {
		UserID, Email, Locale, Role string
	}
	if err := db.with(ctx).Table("members m").Select("m.user_id, u.email, u.locale, m.role").
		Joins("JOIN users u ON u.id = m.user_id").Where("m.account_id = ? AND m.role IN ?", accountID, names).
		Order("u.email").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("load members: %w", err)
	}
	out := make([]Recipient, len(rows))
	for i, r := range rows {
		out[i] = Recipient{UserID: r.UserID, Email: r.Email, Locale: r.Locale, Role: models.Role(r.Role)}
	}
	return out, nil
}

// AddFormerMember records that email left the account (removed, or its
// invitation revoked), unless it is a member; true when recorded.
func (db *DB) AddFormerMember(ctx context.Context, accountID, email string) (bool, error) {
	res := db.with(ctx).Exec(`INSERT INTO former_members (account_id, email, since)
		SELECT ?, ?, ? WHERE NOT EXISTS (
			SELECT 1 FROM members m JOIN users u ON u.id = m.user_id WHERE m.account_id = ? AND u.email = ?)
		ON CONFLICT (account_id, email) DO NOTHING`, accountID, email, db.now(), accountID, email)
	if res.Error != nil {
		return false, fmt.Errorf("record former member: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}

// ForgetFormerMember drops email from the account's former members (it is
// a member again).
func (db *DB) ForgetFormerMember(ctx context.Context, accountID, email string) error {
	if err := db.with(ctx).Exec(`DELETE FROM former_members WHERE account_id = ? AND email = ?`, accountID, email).Error; err != nil {
		return fmt.Errorf("forget former member: %w", err)
	}
	return nil
}

// FormerMemberEmails lists the account's former members' emails.
func (db *DB) FormerMemberEmails(ctx context.Context, accountID string) ([]string, error) {
	var emails []string
	if err := db.with(ctx).Table("former_members").Where("account_id = ?", accountID).
		Order("email").Pluck("email", &emails).Error; err != nil {
		return nil, fmt.Errorf("load former members: %w", err)
	}
	return emails, nil
}

// ReminderCandidate is an account whose review cycle may need a reminder.
type ReminderCandidate struct {
	AccountID  string
	ReviewedAt time.Time
	Cycle      int
}

// ReminderCandidates lists up to limit accounts reviewed at or before
// atOrBefore (and after `after`, when given) with no reminder of kind
// recorded for their current cycle: an index range on reviewed_at, then
// the reminders' primary key.
func (db *DB) ReminderCandidates(ctx context.Context, kind models.ReminderKind, atOrBefore time.Time, after *time.Time, limit int) ([]ReminderCandidate, error) {
	q := db.with(ctx).Table("contact_infos ci").Select("ci.account_id, ci.reviewed_at, ci.review_cycle").
		Where("ci.reviewed_at <= ?", atOrBefore).
		Where("NOT EXISTS (SELECT 1 FROM review_reminders r WHERE r.account_id = ci.account_id AND r.kind = ? AND r.cycle = ci.review_cycle)", string(kind))
	if after != nil {
		q = q.Where("ci.reviewed_at > ?", *after)
	}
	var rows []struct {
		AccountID   string
		ReviewedAt  time.Time
		ReviewCycle int
	}
	if err := q.Order("ci.reviewed_at, ci.account_id").Limit(limit).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("find reminders due: %w", err)
	}
	out := make([]ReminderCandidate, len(rows))
	for i, r := range rows {
		out[i] = ReminderCandidate{AccountID: r.AccountID, ReviewedAt: r.ReviewedAt.UTC(), Cycle: r.ReviewCycle}
	}
	return out, nil
}

// ClaimReminder records that reminder kind of the account's review cycle
// is sent, if nobody recorded it before and the cycle is still current:
// true when this call recorded it. The primary key (account, kind, cycle)
// decides between processes racing for the same reminder (insert or
// nothing); the caller enqueues the mails in the same transaction.
func (db *DB) ClaimReminder(ctx context.Context, accountID string, kind models.ReminderKind, cycle int) (bool, error) {
	res := db.with(ctx).Exec(`INSERT INTO review_reminders (account_id, kind, cycle, sent_at)
		SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM contact_infos WHERE account_id = ? AND review_cycle = ?)
		ON CONFLICT (account_id, kind, cycle) DO NOTHING`, accountID, string(kind), cycle, db.now(), accountID, cycle)
	if res.Error != nil {
		return false, fmt.Errorf("record reminder: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}

// ReminderCount counts the reminders recorded for an account (tests and
// the staff view).
func (db *DB) ReminderCount(ctx context.Context, accountID string) (int64, error) {
	var n int64
	if err := db.with(ctx).Table("review_reminders").Where("account_id = ?", accountID).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count reminders: %w", err)
	}
	return n, nil
}

// CountAccountsEach counts the accounts matching each filter in one pass
// over contact_infos (one row per account): each count is a SUM over the
// listing's own WHERE clause for that filter, so that it always equals the
// listing's totalCount with the same filter.
func (db *DB) CountAccountsEach(ctx context.Context, filters []AccountFilter) ([]int64, error) {
	if len(filters) == 0 {
		return nil, nil
	}
	cols := make([]string, len(filters))
	var args []any
	for i, f := range filters {
		where, a := accountConditions(f)
		cols[i] = "COALESCE(SUM(CASE WHEN " + where + " THEN 1 ELSE 0 END), 0)"
		args = append(args, a...)
	}
	rows, err := db.with(ctx).Raw("SELECT "+strings.Join(cols, ", ")+" FROM contact_infos ci", args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("count accounts: %w", err)
	}
	defer rows.Close()
	out := make([]int64, len(filters))
	ptrs := make([]any, len(filters))
	for i := range out {
		ptrs[i] = &out[i]
	}
	if !rows.Next() {
		return nil, fmt.Errorf("count accounts: no row")
	}
	if err := rows.Scan(ptrs...); err != nil {
		return nil, fmt.Errorf("count accounts: %w", err)
	}
	return out, rows.Err()
}
