package gormstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/contactgate/contactgate/models"
	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

type webhookEndpointRow struct {
	ID                  string
	AccountID           string
	URL                 string `gorm:"column:url"`
	Description         string
	Events              string
	Enabled             bool
	DisabledReason      *string
	ConsecutiveFailures int
	Secret              string
	PreviousSecret      *string
	PreviousSecretUntil *time.Time
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

func (webhookEndpointRow) TableName() string { return "webhook_endpoints" }

func (r *webhookEndpointRow) model() *models.WebhookEndpoint {
	var evs []models.WebhookEvent
	for _, e := range strings.Split(r.Events, ",") {
		if e != "" {
			evs = append(evs, models.WebhookEvent(e))
		}
	}
	return &models.WebhookEndpoint{ID: r.ID, AccountID: r.AccountID, URL: r.URL, Description: r.Description, Events: evs,
		Enabled: r.Enabled, DisabledReason: r.DisabledReason, ConsecutiveFailures: r.ConsecutiveFailures, Secret: r.Secret,
		PreviousSecret: r.PreviousSecret, PreviousSecretUntil: utcPtr(r.PreviousSecretUntil), CreatedAt: r.CreatedAt.UTC()}
}

type webhookDeliveryRow struct {
	ID            string
	EndpointID    string
	EventID       string
	Event         string
	Payload       string
	Status        string
	Attempts      int
	NextAttemptAt time.Time
	ClaimedUntil  *time.Time
	ResponseCode  *int
	LatencyMs     *int
	LastError     *string
	LastErrorCode *string
	LastAttemptAt *time.Time
	CreatedAt     time.Time
}

func (webhookDeliveryRow) TableName() string { return "webhook_deliveries" }

func (r *webhookDeliveryRow) model() *models.WebhookDelivery {
	d := &models.WebhookDelivery{ID: r.ID, EndpointID: r.EndpointID, EventID: r.EventID, Event: models.WebhookEvent(r.Event),
		Payload: r.Payload, Status: models.WebhookDeliveryStatus(r.Status), Attempts: r.Attempts, ResponseCode: r.ResponseCode,
		LatencyMs: r.LatencyMs, LastError: r.LastError, LastErrorCode: r.LastErrorCode, CreatedAt: r.CreatedAt.UTC(), LastAttemptAt: utcPtr(r.LastAttemptAt)}
	if d.Status == models.WebhookPending {
		d.NextAttemptAt = utcPtr(&r.NextAttemptAt)
	}
	return d
}

func joinEvents(evs []string) string { return strings.Join(evs, ",") }

// NewWebhookEndpoint is an endpoint to insert.
type NewWebhookEndpoint struct {
	AccountID, URL, Description, Secret string
	Events                              []string
	At                                  time.Time
}

// InsertWebhookEndpoint stores a new, enabled endpoint.
func (db *DB) InsertWebhookEndpoint(ctx context.Context, e NewWebhookEndpoint) (*models.WebhookEndpoint, error) {
	row := webhookEndpointRow{ID: newID(), AccountID: e.AccountID, URL: e.URL, Description: e.Description,
		Events: joinEvents(e.Events), Enabled: true, Secret: e.Secret, CreatedAt: e.At, UpdatedAt: e.At}
	if err := db.with(ctx).Create(&row).Error; err != nil {
		return nil, fmt.Errorf("create webhook endpoint: %w", err)
	}
	return row.model(), nil
}

// CountWebhookEndpoints counts an account's endpoints.
func (db *DB) CountWebhookEndpoints(ctx context.Context, accountID string) (int64, error) {
	var n int64
	if err := db.with(ctx).Model(&webhookEndpointRow{}).Where("account_id = ?", accountID).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count webhook endpoints: %w", err)
	}
	return n, nil
}

// WebhookEndpoint loads one endpoint; NOT_FOUND when there is none.
func (db *DB) WebhookEndpoint(ctx context.Context, id string) (*models.WebhookEndpoint, error) {
	var row webhookEndpointRow
	if _, err := uuid.Parse(id); err != nil {
		return nil, models.Errorf(models.ENotFound, "webhook endpoint not found")
	}
	if err := db.with(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return nil, notFound(err, "webhook endpoint")
	}
	return row.model(), nil
}

// WebhookEndpoints lists an account's endpoints, oldest first.
func (db *DB) WebhookEndpoints(ctx context.Context, accountID string) ([]*models.WebhookEndpoint, error) {
	var rows []webhookEndpointRow
	if err := db.with(ctx).Where("account_id = ?", accountID).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load webhook endpoints: %w", err)
	}
	out := make([]*models.WebhookEndpoint, len(rows))
	for i := range rows {
		out[i] = rows[i].model()
	}
	return out, nil
}

// WebhookEndpointChange is an update of an endpoint; nil leaves a field.
type WebhookEndpointChange struct {
	URL, Description *string
	Events           *[]string
	Enabled          *bool
	At               time.Time
}

// UpdateWebhookEndpoint writes the given fields. Enabling clears the
// failure run and its reason.
func (db *DB) UpdateWebhookEndpoint(ctx context.Context, id string, c WebhookEndpointChange) error {
	set := map[string]any{"updated_at": c.At}
	if c.URL != nil {
		set["url"] = *c.URL
	}
	if c.Description != nil {
		set["description"] = *c.Description
	}
	if c.Events != nil {
		set["events"] = joinEvents(*c.Events)
	}
	if c.Enabled != nil {
		set["enabled"] = *c.Enabled
		if *c.Enabled {
			set["consecutive_failures"] = 0
			set["disabled_reason"] = nil
		}
	}
	if err := db.with(ctx).Model(&webhookEndpointRow{}).Where("id = ?", id).Updates(set).Error; err != nil {
		return fmt.Errorf("update webhook endpoint: %w", err)
	}
	return nil
}

// RotateWebhookSecret replaces an endpoint's secret, keeping the old one
// until `until` for signing too.
func (db *DB) RotateWebhookSecret(ctx context.Context, id, secret, previous string, until, at time.Time) error {
	if err := db.with(ctx).Model(&webhookEndpointRow{}).Where("id = ?", id).Updates(map[string]any{
		"secret": secret, "previous_secret": previous, "previous_secret_until": until, "updated_at": at,
	}).Error; err != nil {
		return fmt.Errorf("rotate webhook secret: %w", err)
	}
	return nil
}

// DeleteWebhookEndpoint deletes an endpoint and its deliveries.
func (db *DB) DeleteWebhookEndpoint(ctx context.Context, id string) error {
	if err := db.with(ctx).Where("endpoint_id = ?", id).Delete(&webhookDeliveryRow{}).Error; err != nil {
		return fmt.Errorf("delete webhook deliveries: %w", err)
	}
	if err := db.with(ctx).Where("id = ?", id).Delete(&webhookEndpointRow{}).Error; err != nil {
		return fmt.Errorf("delete webhook endpoint: %w", err)
	}
	return nil
}

// SubscribedWebhookEndpoints returns the ids of an account's enabled
// endpoints that subscribe to event.
func (db *DB) SubscribedWebhookEndpoints(ctx context.Context, accountID string, event models.WebhookEvent) ([]string, error) {
	var rows []webhookEndpointRow
	if err := db.with(ctx).Select("id", "events").Where("account_id = ? AND enabled = ?", accountID, true).Order("id").
		Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load webhook endpoints: %w", err)
	}
	var out []string
	for _, r := range rows {
		for _, e := range strings.Split(r.Events, ",") {
			if e == string(event) {
				out = append(out, r.ID)
			}
		}
	}
	return out, nil
}

// NewWebhookDelivery is one event queued for one endpoint.
type NewWebhookDelivery struct {
	EndpointID, EventID string
	Event               models.WebhookEvent
	Payload             string
	At                  time.Time
}

// InsertWebhookDelivery queues a delivery, due at once.
func (db *DB) InsertWebhookDelivery(ctx context.Context, d NewWebhookDelivery) (*models.WebhookDelivery, error) {
	row := webhookDeliveryRow{ID: newID(), EndpointID: d.EndpointID, EventID: d.EventID, Event: string(d.Event),
		Payload: d.Payload, Status: string(models.WebhookPending), NextAttemptAt: d.At, CreatedAt: d.At}
	if err := db.with(ctx).Create(&row).Error; err != nil {
		return nil, fmt.Errorf("queue webhook delivery: %w", err)
	}
	return row.model(), nil
}

// WebhookDeliveries loads one page of an endpoint's deliveries, newest
// first, after the delivery with id `after`, whether another page follows,
// and the total.
func (db *DB) WebhookDeliveries(ctx context.Context, endpointID string, first int, after string) ([]*models.WebhookDelivery, bool, int64, error) {
	q := db.with(ctx).Where("endpoint_id = ?", endpointID)
	if after != "" {
		if u, err := uuid.Parse(after); err != nil || u.String() != after {
			return nil, false, 0, &models.Error{Code: models.EValidation, Message: "invalid cursor",
				Fields: []models.FieldError{{Field: "after", Message: "not a cursor of this list", Code: models.FieldCursorInvalid}}}
		}
		q = q.Where("id < ?", after)
	}
	var rows []webhookDeliveryRow
	if err := q.Order("id DESC").Limit(first + 1).Find(&rows).Error; err != nil {
		return nil, false, 0, fmt.Errorf("load webhook deliveries: %w", err)
	}
	var total int64
	if err := db.with(ctx).Model(&webhookDeliveryRow{}).Where("endpoint_id = ?", endpointID).Count(&total).Error; err != nil {
		return nil, false, 0, fmt.Errorf("count webhook deliveries: %w", err)
	}
	hasNext := len(rows) > first
	if hasNext {
		rows = rows[:first]
	}
	out := make([]*models.WebhookDelivery, len(rows))
	for i := range rows {
		out[i] = rows[i].model()
	}
	return out, hasNext, total, nil
}

// ClaimedWebhookDelivery is a delivery claimed by a worker, with what it
// needs to send it.
type ClaimedWebhookDelivery struct {
	models.WebhookDelivery
	Endpoint     models.WebhookEndpoint
	ClaimedUntil time.Time
}

// ClaimWebhookDeliveries claims up to limit due deliveries of enabled
// endpoints (test events go to disabled ones too) until `until`. On
// PostgreSQL, SKIP LOCKED lets replicas claim disjoint sets.
func (db *DB) ClaimWebhookDeliveries(ctx context.Context, now, until time.Time, limit int) ([]ClaimedWebhookDelivery, error) {
	lock := " FOR UPDATE OF d SKIP LOCKED"
	if db.dialect != "postgres" {
		lock = ""
	}
	q := `UPDATE webhook_deliveries SET claimed_until = ?
		WHERE id IN (
			SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
			WHERE d.status = ? AND d.next_attempt_at <= ? AND (d.claimed_until IS NULL OR d.claimed_until < ?)
				AND (e.enabled = ? OR d.event = ?)
			ORDER BY d.next_attempt_at, d.id
			LIMIT ?` + lock + `)
		RETURNING id`
	var ids []string
	if err := db.with(ctx).Raw(q, until, string(models.WebhookPending), now, now, true, string(models.EventWebhookTest), limit).
		Scan(&ids).Error; err != nil {
		return nil, fmt.Errorf("claim webhook deliveries: %w", err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []webhookDeliveryRow
	if err := db.with(ctx).Where("id IN ?", ids).Order("next_attempt_at, id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load claimed deliveries: %w", err)
	}
	eps := map[string]*models.WebhookEndpoint{}
	var epIDs []string
	for _, r := range rows {
		epIDs = append(epIDs, r.EndpointID)
	}
	var epRows []webhookEndpointRow
	if err := db.with(ctx).Where("id IN ?", epIDs).Find(&epRows).Error; err != nil {
		return nil, fmt.Errorf("load endpoints of deliveries: %w", err)
	}
	for i := range epRows {
		eps[epRows[i].ID] = epRows[i].model()
	}
	out := make([]ClaimedWebhookDelivery, 0, len(rows))
	for i := range rows {
		ep, ok := eps[rows[i].EndpointID]
		if !ok {
			continue // deleted meanwhile
		}
		out = append(out, ClaimedWebhookDelivery{WebhookDelivery: *rows[i].model(), Endpoint: *ep, ClaimedUntil: until})
	}
	return out, nil
}

// WebhookAttempt is the outcome of one delivery attempt.
type WebhookAttempt struct {
	DeliveryID   string
	ClaimedUntil time.Time
	Status       models.WebhookDeliveryStatus
	ResponseCode *int
	LatencyMs    int
	Error        *string
	ErrorCode    *string
	At           time.Time
	// NextAttemptAt is when a PENDING delivery is tried again.
	NextAttemptAt time.Time
}

// RecordWebhookAttempt writes an attempt's outcome if the caller still
// holds the claim; false when the claim was lost (expired and taken).
func (db *DB) RecordWebhookAttempt(ctx context.Context, a WebhookAttempt) (bool, error) {
	res := db.with(ctx).Model(&webhookDeliveryRow{}).Where("id = ? AND claimed_until = ?", a.DeliveryID, a.ClaimedUntil).
		Updates(map[string]any{"status": string(a.Status), "attempts": gorm.Expr("attempts + 1"), "response_code": a.ResponseCode,
			"latency_ms": a.LatencyMs, "last_error": a.Error, "last_error_code": a.ErrorCode, "last_attempt_at": a.At, "next_attempt_at": a.NextAttemptAt,
			"claimed_until": nil})
	if res.Error != nil {
		return false, fmt.Errorf("record webhook attempt: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}

// ReleaseWebhookDelivery gives a claimed delivery back untried.
func (db *DB) ReleaseWebhookDelivery(ctx context.Context, id string, claimedUntil time.Time) error {
	if err := db.with(ctx).Model(&webhookDeliveryRow{}).Where("id = ? AND claimed_until = ?", id, claimedUntil).
		Update("claimed_until", nil).Error; err != nil {
		return fmt.Errorf("release webhook delivery: %w", err)
	}
	return nil
}

// WebhookEndpointForUpdate loads an endpoint, locking its row on
// PostgreSQL, for a change that depends on its current state.
func (db *DB) WebhookEndpointForUpdate(ctx context.Context, id string) (*models.WebhookEndpoint, error) {
	q := db.with(ctx).Where("id = ?", id)
	if db.dialect == "postgres" {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var row webhookEndpointRow
	if err := q.Take(&row).Error; err != nil {
		return nil, notFound(err, "webhook endpoint")
	}
	return row.model(), nil
}

// SetWebhookFailures records an endpoint's run of failed attempts and,
// when disable, disables it with a reason.
func (db *DB) SetWebhookFailures(ctx context.Context, id string, failures int, disable bool, reason string, at time.Time) error {
	set := map[string]any{"consecutive_failures": failures}
	if disable {
		set["enabled"] = false
		set["disabled_reason"] = reason
		set["updated_at"] = at
	}
	if err := db.with(ctx).Model(&webhookEndpointRow{}).Where("id = ?", id).Updates(set).Error; err != nil {
		return fmt.Errorf("record webhook failures: %w", err)
	}
	return nil
}

// AccountAdministrators returns an account's administrators (for mails).
func (db *DB) AccountAdministrators(ctx context.Context, accountID string) ([]*models.User, error) {
	var rows []userRow
	if err := db.with(ctx).Table("users").Joins("JOIN members ON members.user_id = users.id").
		Where("members.account_id = ? AND members.role = ?", accountID, string(models.RoleAdministrator)).
		Order("users.id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load administrators: %w", err)
	}
	out := make([]*models.User, len(rows))
	for i := range rows {
		out[i] = rows[i].model()
	}
	return out, nil
}
