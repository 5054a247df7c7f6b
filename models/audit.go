package models

import (
	"io"
	"time"
)

// AuditAction names a security-relevant event of an account (machine
// readable; the API and the browser translate it).
type AuditAction string

const (
	AuditSignIn             AuditAction = "SIGN_IN"
	AuditSignInFailed       AuditAction = "SIGN_IN_FAILED"
	AuditSignOut            AuditAction = "SIGN_OUT"
	AuditSessionsEnded      AuditAction = "SESSIONS_ENDED"
	AuditInvitationSent     AuditAction = "INVITATION_SENT"
	AuditInvitationAccepted AuditAction = "INVITATION_ACCEPTED"
	AuditInvitationRevoked  AuditAction = "INVITATION_REVOKED"
	AuditMemberAdded        AuditAction = "MEMBER_ADDED"
	AuditMemberRoleChanged  AuditAction = "MEMBER_ROLE_CHANGED"
	AuditMemberRemoved      AuditAction = "MEMBER_REMOVED"
	AuditAPITokenCreated    AuditAction = "API_TOKEN_CREATED"
	AuditAPITokenRevoked    AuditAction = "API_TOKEN_REVOKED"
	AuditAPITokenFirstUsed  AuditAction = "API_TOKEN_FIRST_USED"
	// Webhook endpoints receive the account's contact data: who pointed
	// them where is a security event.
	AuditWebhookCreated       AuditAction = "WEBHOOK_ENDPOINT_CREATED"
	AuditWebhookChanged       AuditAction = "WEBHOOK_ENDPOINT_CHANGED"
	AuditWebhookDeleted       AuditAction = "WEBHOOK_ENDPOINT_DELETED"
	AuditWebhookSecretRotated AuditAction = "WEBHOOK_SECRET_ROTATED"
)

// AuditActions lists every action.
var AuditActions = []AuditAction{AuditSignIn, AuditSignInFailed, AuditSignOut, AuditSessionsEnded,
	AuditInvitationSent, AuditInvitationAccepted, AuditInvitationRevoked, AuditMemberAdded,
	AuditMemberRoleChanged, AuditMemberRemoved, AuditAPITokenCreated, AuditAPITokenRevoked, AuditAPITokenFirstUsed,
	AuditWebhookCreated, AuditWebhookChanged, AuditWebhookDeleted, AuditWebhookSecretRotated}

// Valid reports whether a is a known action.
func (a AuditAction) Valid() bool {
	for _, x := range AuditActions {
		if x == a {
			return true
		}
	}
	return false
}

// AuditPrincipal is how the actor of an audit event was authenticated.
type AuditPrincipal string

const (
	PrincipalSession   AuditPrincipal = "SESSION"
	PrincipalAPIToken  AuditPrincipal = "API_TOKEN"
	PrincipalStaff     AuditPrincipal = "STAFF"
	PrincipalSystem    AuditPrincipal = "SYSTEM"
	PrincipalAnonymous AuditPrincipal = "ANONYMOUS"
)

// Valid reports whether p is a known principal kind.
func (p AuditPrincipal) Valid() bool {
	switch p {
	case PrincipalSession, PrincipalAPIToken, PrincipalStaff, PrincipalSystem, PrincipalAnonymous:
		return true
	}
	return false
}

// AuditTargetKind is what an audit event acted on.
type AuditTargetKind string

const (
	TargetUser       AuditTargetKind = "USER"
	TargetInvitation AuditTargetKind = "INVITATION"
	TargetAPIToken   AuditTargetKind = "API_TOKEN"
	TargetWebhook    AuditTargetKind = "WEBHOOK_ENDPOINT"
)

// Valid reports whether k is a known target kind.
func (k AuditTargetKind) Valid() bool {
	return k == TargetUser || k == TargetInvitation || k == TargetAPIToken || k == TargetWebhook
}

// AuditTarget is the object of an audit event, with the label it had then
// (an email, a token name), kept so that the record outlives the object.
type AuditTarget struct {
	Kind  AuditTargetKind
	ID    string
	Label string
}

// AuditEvent is one record of an account's append-only audit log.
type AuditEvent struct {
	ID        string
	AccountID string
	Action    AuditAction
	// ActorID is the person who acted; nil for API tokens, the system and
	// anonymous callers.
	ActorID   *string
	Principal AuditPrincipal
	IP        *string
	UserAgent *string
	At        time.Time
	Target    *AuditTarget
	// Before and After are the state the event changed, as text (a role,
	// a token's access), when it changed one.
	Before *string
	After  *string
}

func (a AuditAction) MarshalGQL(w io.Writer) { marshalEnum(w, string(a)) }
func (a *AuditAction) UnmarshalGQL(v any) error {
	s, err := unmarshalEnum(v, func(s string) bool { return AuditAction(s).Valid() }, "AuditAction")
	*a = AuditAction(s)
	return err
}

func (p AuditPrincipal) MarshalGQL(w io.Writer) { marshalEnum(w, string(p)) }
func (p *AuditPrincipal) UnmarshalGQL(v any) error {
	s, err := unmarshalEnum(v, func(s string) bool { return AuditPrincipal(s).Valid() }, "AuditPrincipal")
	*p = AuditPrincipal(s)
	return err
}

func (k AuditTargetKind) MarshalGQL(w io.Writer) { marshalEnum(w, string(k)) }
func (k *AuditTargetKind) UnmarshalGQL(v any) error {
	s, err := unmarshalEnum(v, func(s string) bool { return AuditTargetKind(s).Valid() }, "AuditTargetKind")
	*k = AuditTargetKind(s)
	return err
}
