package gormstore

import (
	"time"

	"github.com/contactgate/contactgate/models"
)

// The row types below mirror the migrations; they are private so that the
// rest of the program only sees models types.

type userRow struct {
	ID                string
	Email             string
	Name              *string
	PasswordHash      string
	Staff             bool
	Locale            string
	PasswordChangedAt *time.Time
	CreatedAt         time.Time
}

func (userRow) TableName() string { return "users" }

func (r userRow) model() *models.User {
	return &models.User{ID: r.ID, Email: r.Email, Name: r.Name, Staff: r.Staff,
		PasswordHash: r.PasswordHash, Locale: r.Locale, CreatedAt: r.CreatedAt}
}

type accountRow struct {
	ID                string
	Name              string
	NameLower         string
	LaunchRequestedAt *time.Time
	CreatedAt         time.Time
}

func (accountRow) TableName() string { return "accounts" }

type integrationTypeRow struct {
	AccountID       string
	IntegrationType string
}

func (integrationTypeRow) TableName() string { return "account_integration_types" }

type memberRow struct {
	AccountID string
	UserID    string
	Role      string
	CreatedAt time.Time
}

func (memberRow) TableName() string { return "members" }

func (r memberRow) model() *models.Member {
	return &models.Member{AccountID: r.AccountID, UserID: r.UserID, Role: models.Role(r.Role), CreatedAt: r.CreatedAt}
}

type contactInfoRow struct {
	AccountID                 string `gorm:"primaryKey"`
	Version                   int
	MerchantIssuesRequirement string
	OperationalSupport        *string
	Missing                   int
	LockedSandbox             bool
	LockedProduction          bool
	UpdatedAt                 *time.Time `gorm:"autoUpdateTime:false"`
	UpdatedBy                 *string
	ReviewedAt                *time.Time
	ReviewCycle               int
	Warnings                  int
	WarningsRules             int
	// ContactsDoc is the contacts document (contactsdoc.go); nil when the
	// rows must be read.
	ContactsDoc *string
}

func (contactInfoRow) TableName() string { return "contact_infos" }

type contactRow struct {
	AccountID string
	Field     string
	Position  int
	Name      *string
	Email     string
	Phone     *string
}

func (contactRow) TableName() string { return "contacts" }

type alertContactRow struct {
	AccountID string
	UserID    string
	Position  int
}

func (alertContactRow) TableName() string { return "alert_contacts" }

type changeRow struct {
	ID          string
	AccountID   string
	ActorID     *string
	At          time.Time
	Field       string
	BeforeValue string
	AfterValue  string
	Kind        string
}

func (changeRow) TableName() string { return "changes" }

func (r changeRow) model() *models.Change {
	c := &models.Change{ID: r.ID, AccountID: r.AccountID, ActorID: r.ActorID, At: r.At, Kind: models.ChangeKind(r.Kind),
		Field: models.ContactField(r.Field), Before: r.BeforeValue, After: r.AfterValue}
	if c.Kind == "" {
		c.Kind = models.ChangeFieldChanged
	}
	return c
}

type sessionRow struct {
	ID         string
	UserID     string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

func (sessionRow) TableName() string { return "sessions" }

type invitationRow struct {
	ID         string
	AccountID  string
	Email      string
	Role       string
	TokenHash  string
	InvitedBy  *string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	AcceptedAt *time.Time
	RevokedAt  *time.Time
}

func (invitationRow) TableName() string { return "invitations" }

func (r invitationRow) model() *models.Invitation {
	return &models.Invitation{ID: r.ID, AccountID: r.AccountID, Email: r.Email, Role: models.Role(r.Role),
		ExpiresAt: r.ExpiresAt, CreatedAt: r.CreatedAt}
}

type apiTokenRow struct {
	ID         string
	AccountID  string
	Name       string
	ReadOnly   bool
	Prefix     string
	TokenHash  string
	CreatedBy  *string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	LastUsedIP *string `gorm:"column:last_used_ip"`
	ExpiresAt  *time.Time
	RevokedAt  *time.Time
}

func (apiTokenRow) TableName() string { return "api_tokens" }

func (r apiTokenRow) model() *models.APIToken {
	return &models.APIToken{ID: r.ID, AccountID: r.AccountID, Name: r.Name, ReadOnly: r.ReadOnly,
		Prefix: r.Prefix, CreatedAt: r.CreatedAt, LastUsedAt: utcPtr(r.LastUsedAt), LastUsedIP: r.LastUsedIP,
		ExpiresAt: utcPtr(r.ExpiresAt)}
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

type launchRequestRow struct {
	ID          string
	AccountID   string
	RequestedBy *string
	At          time.Time
}

func (launchRequestRow) TableName() string { return "launch_requests" }

type notificationRow struct {
	ID         string
	AccountID  string
	Kind       string
	Subject    string
	Body       string
	Recipients string
	SenderID   *string
	CreatedAt  time.Time
}

func (notificationRow) TableName() string { return "notifications" }

type outboxRow struct {
	ID             string
	NotificationID *string
	ToEmail        string
	Status         string
	Attempts       int
	LastError      *string
	SentAt         *time.Time
}

func (outboxRow) TableName() string { return "outbox" }
