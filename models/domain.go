package models

import "time"

// User is a person who can sign in.
type User struct {
	ID           string
	Email        string
	Name         *string
	Staff        bool
	PasswordHash string `json:"-"`
	// Locale is the person's language for mails ("en" or "it"), when known.
	Locale    string
	CreatedAt time.Time
}

// Account is a partner account.
type Account struct {
	ID                string
	Name              string
	IntegrationTypes  []string
	LaunchRequestedAt *time.Time
	CreatedAt         time.Time
}

// Member is a user's access to one account.
type Member struct {
	AccountID string
	UserID    string
	Role      Role
	CreatedAt time.Time
}

// Contact is a way to reach a person or a team.
type Contact struct {
	Name  *string `json:"name,omitempty"`
	Email string  `json:"email"`
	Phone *string `json:"phone,omitempty"`
	// account is the account whose contact info this contact was read
	// from, for its reachability; empty for a contact read on a public
	// path (the support contact), which never shows reachability.
	account string
}

// InAccount returns c marked as listed by accountID (see Account).
func (c Contact) InAccount(accountID string) Contact { c.account = accountID; return c }

// Input is c as a caller would type it.
func (c Contact) Input() ContactInput {
	return ContactInput{Name: c.Name, Email: c.Email, Phone: c.Phone}
}

// Account is the account c was read from for a member or staff, or "".
func (c Contact) Account() string { return c.account }

// ContactInput is a contact as typed by a caller, before validation.
type ContactInput struct {
	Name  *string
	Email string
	Phone *string
}

// SupportWindow is a set of days with local opening and closing times in one
// time zone. Closes before Opens means the window runs overnight.
type SupportWindow struct {
	Days     []DayOfWeek `json:"days"`
	Opens    string      `json:"opens"`
	Closes   string      `json:"closes"`
	TimeZone string      `json:"timeZone"`
}

// SupportWindowInput is a support window as typed by a caller.
type SupportWindowInput struct {
	Days     []DayOfWeek
	Opens    string
	Closes   string
	TimeZone string
}

// SupportHours says when user support is offered.
type SupportHours struct {
	AlwaysOpen bool            `json:"alwaysOpen"`
	Windows    []SupportWindow `json:"windows"`
}

// SupportHoursInput is support hours as typed by a caller.
type SupportHoursInput struct {
	AlwaysOpen bool
	Windows    []*SupportWindowInput
}

// ContactInfo is an account's contact information, shared by both
// environments except AlertContactIDs, which only PRODUCTION needs.
type ContactInfo struct {
	AccountID                 string
	Version                   int
	AlertContactIDs           []string
	TechnicalEmergency        []Contact
	TechnicalNonEmergency     []Contact
	MerchantIssues            []Contact
	MerchantIssuesRequirement Requirement
	OperationalForGoogle      []Contact
	OperationalForUsers       *Contact
	OperationalSupport        *SupportHours
	UpdatedAt                 *time.Time
	UpdatedByID               *string
	// ReviewedAt is the last review: a save or a confirmation.
	ReviewedAt time.Time
	// ReviewCycle numbers the reviews (the reminders' key).
	ReviewCycle int
	// Warnings are the stored warning codes of the data (no REVIEW_DUE).
	Warnings WarningSet
}

// ContactInfoPatch is one save: a nil field is left unchanged, a non-nil one
// replaces the stored value (an empty list empties the field).
type ContactInfoPatch struct {
	Environment           Environment
	ExpectedVersion       *int
	AlertContactUserIDs   *[]string
	TechnicalEmergency    *[]ContactInput
	TechnicalNonEmergency *[]ContactInput
	MerchantIssues        *[]ContactInput
	OperationalForGoogle  *[]ContactInput
	// OperationalForUsers is set (possibly to nil, clearing it) when SetOperationalForUsers.
	OperationalForUsers    *ContactInput
	SetOperationalForUsers bool
	OperationalSupport     *SupportHoursInput
	SetOperationalSupport  bool
}

// AccessGate says whether the portal is locked in one environment.
type AccessGate struct {
	// AccountID is the account the gate is of (for the review fields).
	AccountID   string
	Environment Environment
	Locked      bool
	Missing     []ContactField
	// ReviewedAt is the account's last review, when ReviewRead says it was
	// read with the gate (the review fields follow from it).
	ReviewedAt time.Time
	ReviewRead bool
	// Review is the account's review cycle when it was computed with the
	// gate (nil: the review fields compute it from ReviewedAt).
	Review *Review
}

// Change is one changed field of one save, with JSON before and after, or
// a confirmation of the whole contact info (Kind REVIEW_CONFIRMED, no
// field, before and after empty).
type Change struct {
	ID        string
	AccountID string
	ActorID   *string
	At        time.Time
	Kind      ChangeKind
	Field     ContactField
	Before    string
	After     string
}

// Invitation is a pending offer of membership.
type Invitation struct {
	ID        string
	AccountID string
	Email     string
	Role      Role
	ExpiresAt time.Time
	CreatedAt time.Time
}

// APIToken is a credential for partner tooling, scoped to one account.
type APIToken struct {
	ID         string
	AccountID  string
	Name       string
	ReadOnly   bool
	Prefix     string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	// LastUsedIP is the client IP of the last recorded use.
	LastUsedIP *string
	// ExpiresAt, when set, is when the token stops working.
	ExpiresAt *time.Time
}

// Notification is a message sent to an account's contacts.
type Notification struct {
	ID         string
	AccountID  string
	Kind       NotificationKind
	Subject    string
	Body       string
	Recipients []Contact
	CreatedAt  time.Time
}

// Delivery is one mail of a notification and its state in the outbox.
type Delivery struct {
	Email     string
	Status    DeliveryStatus
	Attempts  int
	LastError *string
	SentAt    *time.Time
}
