package gormstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/contactgate/contactgate/mail"
	"github.com/contactgate/contactgate/models"
	"gorm.io/gorm"
)

// Recipients resolves who a notification of kind reaches, and the field
// they came from. MERCHANT_ISSUE falls back to the operational contacts when
// the account has no merchant-issues contacts and does not require them.
func (db *DB) Recipients(ctx context.Context, accountID string, kind models.NotificationKind) ([]models.Contact, models.ContactField, error) {
	route, ok := models.NotificationRoutes[kind]
	if !ok {
		return nil, "", models.Errorf(models.EValidation, "unknown notification kind")
	}
	info, err := db.ContactInfo(ctx, accountID)
	if err != nil {
		return nil, "", err
	}
	field := route.Field
	if field == models.FieldMerchantIssues && len(info.MerchantIssues) == 0 && info.MerchantIssuesRequirement != models.Required {
		field = route.Fallback
	}
	if field.Kind() != models.KindMembers {
		return info.Contacts(field), field, nil
	}
	users, err := db.UsersByIDs(ctx, info.AlertContactIDs)
	if err != nil {
		return nil, "", err
	}
	byID := map[string]*models.User{}
	for _, u := range users {
		byID[u.ID] = u
	}
	out := []models.Contact{}
	for _, id := range info.AlertContactIDs {
		if u := byID[id]; u != nil {
			out = append(out, models.Contact{Name: u.Name, Email: u.Email})
		}
	}
	return out, field, nil
}

// The texts of a notification: the subject goes into a mail header, the
// body may have line breaks.
var (
	notificationSubjectRule = models.TextRule{Required: true, RequiredMessage: "enter a subject", MaxRunes: 200}
	notificationBodyRule    = models.TextRule{Required: true, RequiredMessage: "enter a message", MaxRunes: 20000, Multiline: true}
)

// SendNotification records a notification and queues one mail per
// recipient in the same transaction. An empty recipient field is refused
// with CONTACT_INFO_REQUIRED naming it.
func (db *DB) SendNotification(ctx context.Context, sender *models.User, accountID string, kind models.NotificationKind, subject, body string) (*models.Notification, error) {
	var v models.Validation
	subject, _ = notificationSubjectRule.Check(&v, "subject", subject)
	body, _ = notificationBodyRule.Check(&v, "body", body)
	if err := v.Err(); err != nil {
		return nil, err
	}
	acc, err := db.Account(ctx, accountID)
	if err != nil {
		return nil, err
	}
	recipients, field, err := db.Recipients(ctx, accountID, kind)
	if err != nil {
		return nil, err
	}
	if len(recipients) == 0 {
		return nil, &models.Error{Code: models.EContactInfoRequired, Missing: []models.ContactField{field},
			Message: fmt.Sprintf("the account has no %s contacts to notify", field.APIName())}
	}
	encoded, err := json.Marshal(recipients)
	if err != nil {
		return nil, fmt.Errorf("encode recipients: %w", err)
	}
	row := notificationRow{ID: newID(), AccountID: accountID, Kind: string(kind), Subject: subject, Body: body,
		Recipients: string(encoded), CreatedAt: db.now()}
	if sender != nil {
		row.SenderID = &sender.ID
	}
	err = db.transaction(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return fmt.Errorf("record notification: %w", err)
		}
		// Mails go out in the recipient's language where known: recipients
		// who are users (alert contacts always are) have a locale.
		emails := make([]string, len(recipients))
		for i, r := range recipients {
			emails[i] = r.Email
		}
		var known []userRow
		if err := tx.Select("email", "locale").Where("email IN ?", emails).Find(&known).Error; err != nil {
			return fmt.Errorf("load recipients' languages: %w", err)
		}
		locales := make(map[string]string, len(known))
		for _, u := range known {
			locales[u.Email] = u.Locale
		}
		for _, r := range recipients {
			msg := mail.NotificationMail(locales[r.Email], mail.NotificationData{
				To: r.Email, AccountName: acc.Name, Kind: string(kind), Field: field.APIName(), Subject: subject, Body: body,
			})
			msg.NotificationID = &row.ID
			if err := mail.Enqueue(tx, db.opts.MailFrom, msg); err != nil {
				return fmt.Errorf("queue notification mail: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if db.opts.OnMailQueued != nil {
		db.AfterCommit(db.opts.OnMailQueued)
	}
	return &models.Notification{ID: row.ID, AccountID: accountID, Kind: kind, Subject: subject, Body: body,
		Recipients: recipients, CreatedAt: row.CreatedAt}, nil
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
