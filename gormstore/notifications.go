package gormstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/contactgate/contactgate/models"
)

// CreateNotification records a notification (its id and time are given
// here) and returns it as stored. It runs inside the caller's transaction
// when db is one (InTx), so that the notification and its outbox mails
// commit together.
func (db *DB) CreateNotification(ctx context.Context, senderID *string, n models.Notification) (*models.Notification, error) {
	encoded, err := json.Marshal(n.Recipients)
	if err != nil {
		return nil, fmt.Errorf("encode recipients: %w", err)
	}
	row := notificationRow{ID: newID(), AccountID: n.AccountID, Kind: string(n.Kind), Subject: n.Subject, Body: n.Body,
		Recipients: string(encoded), SenderID: senderID, CreatedAt: db.now()}
	if err := db.with(ctx).Create(&row).Error; err != nil {
		return nil, fmt.Errorf("record notification: %w", err)
	}
	n.ID, n.CreatedAt = row.ID, row.CreatedAt
	return &n, nil
}

// LocalesByEmail returns the language of each of these emails that belongs
// to a user (unknown emails are absent).
func (db *DB) LocalesByEmail(ctx context.Context, emails []string) (map[string]string, error) {
	var known []userRow
	if err := db.with(ctx).Select("email", "locale").Where("email IN ?", emails).Find(&known).Error; err != nil {
		return nil, fmt.Errorf("load recipients' languages: %w", err)
	}
	locales := make(map[string]string, len(known))
	for _, u := range known {
		locales[u.Email] = u.Locale
	}
	return locales, nil
}

// Notifications lists an account's notifications, newest first (at most 100).
func (db *DB) Notifications(ctx context.Context, accountID string) ([]*models.Notification, error) {
	var rows []notificationRow
	if err := db.with(ctx).Where("account_id = ?", accountID).Order("id DESC").Limit(100).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load notifications: %w", err)
	}
	out := make([]*models.Notification, len(rows))
	for i, r := range rows {
		var rc []models.Contact
		if err := json.Unmarshal([]byte(r.Recipients), &rc); err != nil {
			return nil, fmt.Errorf("decode recipients: %w", err)
		}
		out[i] = &models.Notification{ID: r.ID, AccountID: r.AccountID, Kind: models.NotificationKind(r.Kind),
			Subject: r.Subject, Body: r.Body, Recipients: rc, CreatedAt: r.CreatedAt}
	}
	return out, nil
}

// Deliveries lists the outbox mails of a notification.
func (db *DB) Deliveries(ctx context.Context, notificationID string) ([]*models.Delivery, error) {
	var rows []outboxRow
	if err := db.with(ctx).Where("notification_id = ?", notificationID).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load deliveries: %w", err)
	}
	out := make([]*models.Delivery, len(rows))
	for i, r := range rows {
		out[i] = &models.Delivery{Email: r.ToEmail, Status: models.DeliveryStatus(r.Status), Attempts: r.Attempts,
			LastError: r.LastError, SentAt: r.SentAt}
	}
	return out, nil
}
