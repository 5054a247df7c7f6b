// Package service holds ContactGate's business rules: one service per
// aggregate (contact info and its gate, members and invitations, sessions
// and sign-in, API tokens, notifications, accounts and the staff listing)
// and the one Authorizer that every transport asks. A service owns its
// rules and its transaction boundaries; it reads and writes through the
// store (gormstore), which knows no rule, composes mails with the mail
// package and announces what changed after the commit (Events).
//
// See docs/ARCHITECTURE.md for the layers and the request paths.
package service

import (
	"log/slog"
	"time"

	"github.com/contactgate/contactgate/auth"
	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/mail"
	"github.com/contactgate/contactgate/models"
)

// Events are what services announce once a change has committed: the
// live views (subscriptions, on every replica) and the outbox worker
// listen.
type Events interface {
	// GateChanged: the access gate of the account may have changed.
	GateChanged(accountID string)
	// AccessChanged: sessions ended, a token was revoked or a membership
	// changed (keys: gormstore.UserAccessKey, TokenAccessKey, an account id).
	AccessChanged(key string)
	// MailQueued: the outbox has new mail to send.
	MailQueued()
	// ReviewDue: a review reminder of kind went out for the account (the
	// hook of the contact_info.review_due webhook).
	ReviewDue(accountID string, kind models.ReminderKind)
	// MemberRemoved: a member left the account (removed; the hook of the
	// member.removed webhook). email is theirs, for fields still naming it.
	MemberRemoved(accountID, userID, email string)
	// ReachabilityChanged: an address of an account changed state (or its
	// last test did; then State is empty). Live views refresh; webhooks
	// (contact.reachability_changed) may hook here.
	ReachabilityChanged(c ReachabilityChange)
}

// Deps are the dependencies every service is built from.
type Deps struct {
	Store  *gormstore.DB
	Hasher *auth.Hasher
	Clock  func() time.Time
	Log    *slog.Logger
	Events Events
	// MailFrom is the sender of the mails services queue; PublicURL the
	// base of the links in them.
	MailFrom  string
	PublicURL string
	// Review is the review cycle's settings (REVIEW_INTERVAL, REVIEW_GRACE);
	// zero means the defaults.
	Review models.ReviewPolicy
	// Webhooks are the webhook rules of the deployment.
	Webhooks WebhookSettings
	// SignInFailureFloor is the least time a failed password check takes
	// (see SessionService.CheckPassword); zero: none.
	SignInFailureFloor time.Duration
	// webhooks queues webhook events; every service may call
	// webhooks.Enqueue inside its transaction.
	webhooks *WebhookService
}

// Services are all the services of one server.
type Services struct {
	Authz         *Authorizer
	Accounts      *AccountService
	ContactInfo   *ContactInfoService
	Members       *MemberService
	Sessions      *SessionService
	Tokens        *TokenService
	Notifications *NotificationService
	Review        *ReviewService
	Reachability  *ReachabilityService
	Webhooks      *WebhookService
}

// New builds the services.
func New(d Deps) *Services {
	if d.Clock == nil {
		d.Clock = time.Now
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Events == nil {
		d.Events = NoEvents{}
	}
	if d.Review.Interval == 0 {
		d.Review = models.DefaultReviewPolicy()
	}
	if d.MailFrom == "" {
		d.MailFrom = mail.DefaultFrom(d.PublicURL)
	}
	d.webhooks = newWebhookService(d)
	authz := newAuthorizer(d)
	reach := newReachabilityService(d)
	members := newMemberService(d, authz, reach)
	review := newReviewService(d)
	return &Services{
		Review:        review,
		Authz:         authz,
		Accounts:      newAccountService(d, authz, members, reach),
		ContactInfo:   newContactInfoService(d, authz, review, reach),
		Reachability:  reach,
		Members:       members,
		Sessions:      newSessionService(d, authz),
		Tokens:        newTokenService(d, authz),
		Notifications: newNotificationService(d, authz),
		Webhooks:      d.webhooks,
	}
}

// NoEvents announces nothing (commands that run without a server).
type NoEvents struct{}

func (NoEvents) GateChanged(string)   {}
func (NoEvents) AccessChanged(string) {}
func (NoEvents) MailQueued()          {}

func (NoEvents) ReviewDue(string, models.ReminderKind)  {}
func (NoEvents) MemberRemoved(string, string, string)   {}
func (NoEvents) ReachabilityChanged(ReachabilityChange) {}
