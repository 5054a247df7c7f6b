package gormstore

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/contactgate/contactgate/models"
)

// The audit log: security-relevant events of an account, written by the
// services (package service) in the same transaction as the change they record (a
// change that fails records nothing, and no change commits without its
// record). The table is append-only: nothing in the program updates or
// deletes it, and a trigger (migration 0003) refuses both on SQLite and
// PostgreSQL.

type auditRow struct {
	ID          string
	AccountID   string
	Action      string
	ActorID     *string
	Principal   string
	IP          *string
	UserAgent   *string
	At          time.Time
	TargetKind  *string
	TargetID    *string
	TargetLabel *string
	BeforeValue *string
	AfterValue  *string
}

func (auditRow) TableName() string { return "audit_events" }

func (r auditRow) model() *models.AuditEvent {
	e := &models.AuditEvent{ID: r.ID, AccountID: r.AccountID, Action: models.AuditAction(r.Action), ActorID: r.ActorID,
		Principal: models.AuditPrincipal(r.Principal), IP: r.IP, UserAgent: r.UserAgent, At: r.At,
		Before: r.BeforeValue, After: r.AfterValue}
	if r.TargetKind != nil && r.TargetID != nil {
		e.Target = &models.AuditTarget{Kind: models.AuditTargetKind(*r.TargetKind), ID: *r.TargetID, Label: derefStr(r.TargetLabel)}
	}
	return e
}

// Bounds of the request-supplied columns: the user agent is whatever the
// client sends, so it is cut rather than trusted.
const (
	auditUserAgentMax = 256
	auditIPMax        = 64
)

// AuditEvent is one event to record, fully decided by the caller (a
// service): which action, on what, by whom, from where. The store only
// makes the request-supplied text safe to keep and inserts it.
type AuditEvent struct {
	Action    models.AuditAction
	Target    *models.AuditTarget
	Before    string
	After     string
	ActorID   *string
	Principal models.AuditPrincipal
	IP        string
	UserAgent string
}

// Audit records e in every account of accountIDs.
func (db *DB) Audit(ctx context.Context, accountIDs []string, e AuditEvent) error {
	if len(accountIDs) == 0 {
		return nil
	}
	ip := nonEmpty(cleanText(e.IP, auditIPMax))
	ua := nonEmpty(cleanText(e.UserAgent, auditUserAgentMax))
	now := db.now()
	rows := make([]auditRow, len(accountIDs))
	for i, acc := range accountIDs {
		rows[i] = auditRow{ID: newID(), AccountID: acc, Action: string(e.Action), ActorID: e.ActorID, Principal: string(e.Principal),
			IP: ip, UserAgent: ua, At: now, BeforeValue: nonEmpty(e.Before), AfterValue: nonEmpty(e.After)}
		if t := e.Target; t != nil {
			kind, id, label := string(t.Kind), t.ID, t.Label
			rows[i].TargetKind, rows[i].TargetID, rows[i].TargetLabel = &kind, &id, &label
		}
	}
	// Batches keep a person with many memberships under SQLite's limit of
	// bound variables per statement.
	if err := db.with(ctx).CreateInBatches(&rows, 500).Error; err != nil {
		return fmt.Errorf("record audit event: %w", err)
	}
	return nil
}

// AuditUserAccounts records e in every account the user is a member of:
// one row per account, so that an account's log keeps a former member's
// events after their removal.
func (db *DB) AuditUserAccounts(ctx context.Context, userID string, e AuditEvent) error {
	var ids []string
	if err := db.with(ctx).Model(&memberRow{}).Where("user_id = ?", userID).Order("account_id").Pluck("account_id", &ids).Error; err != nil {
		return fmt.Errorf("load memberships: %w", err)
	}
	return db.Audit(ctx, ids, e)
}

// cleanText makes request-supplied text safe to store and show: valid
// UTF-8, no control or invisible formatting characters, at most max bytes.
func cleanText(s string, max int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029' {
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	return s
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func derefStr(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// AuditLog returns one page of an account's audit events, newest first,
// after the event with id `after` (keyset on the time-ordered id), and the
// total.
func (db *DB) AuditLog(ctx context.Context, accountID string, first int, after string) ([]*models.AuditEvent, bool, int64, error) {
	return accountPage(ctx, db, "audit log", accountID, first, after, (*auditRow).model)
}
