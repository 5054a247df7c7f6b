package service

import (
	"context"
	"fmt"

	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/mail"
	"github.com/contactgate/contactgate/models"
)

// NotificationService routes notifications to contacts and queues their mails.
type NotificationService struct {
	deps  Deps
	authz *Authorizer
}

func newNotificationService(d Deps, authz *Authorizer) *NotificationService {
	return &NotificationService{deps: d, authz: authz}
}

// The texts of a notification: the subject goes into a mail header, the
// body may have line breaks.
var (
	notificationSubjectRule = models.TextRule{Required: true, RequiredMessage: "enter a subject", MaxRunes: 200}
	notificationBodyRule    = models.TextRule{Required: true, RequiredMessage: "enter a message", MaxRunes: 20000, Multiline: true}
)

// Recipients resolves who a notification of kind reaches, and the field
// they came from. MERCHANT_ISSUE falls back to the operational contacts when
// the account has no merchant-issues contacts and does not require them.
func (s *NotificationService) Recipients(ctx context.Context, accountID string, kind models.NotificationKind) ([]models.Contact, models.ContactField, error) {
	route, ok := models.NotificationRoutes[kind]
	if !ok {
		return nil, "", models.Errorf(models.EValidation, "unknown notification kind")
	}
	info, err := s.deps.Store.ContactInfo(ctx, accountID)
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
	// Alert contacts are members: their current name and email, in the
	// order the account chose.
	users, err := s.deps.Store.UsersByIDs(ctx, info.AlertContactIDs)
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

// Send records a notification and queues one mail per recipient in the
// same transaction, so that a notification never exists without its mails
// nor a mail without its notification. An empty recipient field is refused
// with CONTACT_INFO_REQUIRED naming it. sender is nil for API tokens.
func (s *NotificationService) Send(ctx context.Context, sender *models.User, accountID string, kind models.NotificationKind, subject, body string) (*models.Notification, error) {
	var v models.Validation
	subject, _ = notificationSubjectRule.Check(&v, "subject", subject)
	body, _ = notificationBodyRule.Check(&v, "body", body)
	if err := v.Err(); err != nil {
		return nil, err
	}
	acc, err := s.deps.Store.Account(ctx, accountID)
	if err != nil {
		return nil, err
	}
	recipients, field, err := s.Recipients(ctx, accountID, kind)
	if err != nil {
		return nil, err
	}
	if len(recipients) == 0 {
		return nil, &models.Error{Code: models.EContactInfoRequired, Missing: []models.ContactField{field},
			Message: fmt.Sprintf("the account has no %s contacts to notify", field.APIName())}
	}
	var senderID *string
	if sender != nil {
		senderID = &sender.ID
	}
	var sent *models.Notification
	err = s.deps.Store.InTx(ctx, func(tx *gormstore.DB) error {
		var err error
		sent, err = tx.CreateNotification(ctx, senderID, models.Notification{AccountID: accountID, Kind: kind,
			Subject: subject, Body: body, Recipients: recipients})
		if err != nil {
			return err
		}
		// Mails go out in the recipient's language where known: recipients
		// who are users (alert contacts always are) have a locale.
		emails := make([]string, len(recipients))
		for i, r := range recipients {
			emails[i] = r.Email
		}
		locales, err := tx.LocalesByEmail(ctx, emails)
		if err != nil {
			return err
		}
		for _, r := range recipients {
			msg := mail.NotificationMail(locales[r.Email], mail.NotificationData{
				To: r.Email, AccountName: acc.Name, Kind: string(kind), Field: field.APIName(), Subject: subject, Body: body,
			})
			msg.NotificationID = &sent.ID
			if err := mail.Enqueue(tx.Gorm(), s.from(), msg); err != nil {
				return fmt.Errorf("queue notification mail: %w", err)
			}
		}
		tx.AfterCommit(s.deps.Events.MailQueued)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return sent, nil
}

// from is the sender of the queued mails: the configured one, else the
// default for the public URL (as the store had it).
func (s *NotificationService) from() string {
	if s.deps.MailFrom != "" {
		return s.deps.MailFrom
	}
	return mail.DefaultFrom(s.deps.PublicURL)
}

// List lists an account's notifications, newest first (at most 100).
func (s *NotificationService) List(ctx context.Context, accountID string) ([]*models.Notification, error) {
	return s.deps.Store.Notifications(ctx, accountID)
}

// Deliveries lists the outbox mails of a notification.
func (s *NotificationService) Deliveries(ctx context.Context, notificationID string) ([]*models.Delivery, error) {
	return s.deps.Store.Deliveries(ctx, notificationID)
}
