package service

import (
	"context"

	"github.com/contactgate/contactgate/auth"
	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/models"
)

// auditEvent completes an event the service decided to record with who
// acted and from where: the caller of the request unless e names its own
// actor (a sign-in records the person signing in, not whoever held the old
// session).
func auditEvent(ctx context.Context, e gormstore.AuditEvent) gormstore.AuditEvent {
	if e.Principal == "" {
		e.ActorID, e.Principal = auditActor(ctx)
	}
	if c, ok := auth.ClientFrom(ctx); ok {
		e.IP, e.UserAgent = c.IP, c.UserAgent
	}
	return e
}

// audit records e in accountIDs, inside the transaction of tx.
func audit(ctx context.Context, tx *gormstore.DB, accountIDs []string, e gormstore.AuditEvent) error {
	return tx.Audit(ctx, accountIDs, auditEvent(ctx, e))
}

// auditUser records e in every account of the user (sign-ins, sign-outs,
// failed sign-ins).
func auditUser(ctx context.Context, tx *gormstore.DB, userID string, e gormstore.AuditEvent) error {
	return tx.AuditUserAccounts(ctx, userID, auditEvent(ctx, e))
}

// auditActor is the caller of the request, as the audit log names it.
// Outside any request (the command line, the demo seed) it is the system;
// a request without a principal is anonymous.
func auditActor(ctx context.Context) (*string, models.AuditPrincipal) {
	p := auth.FromContext(ctx)
	switch {
	case p != nil && p.Token != nil:
		return nil, models.PrincipalAPIToken
	case p != nil && p.User != nil && p.Staff():
		id := p.User.ID
		return &id, models.PrincipalStaff
	case p != nil && p.User != nil:
		id := p.User.ID
		return &id, models.PrincipalSession
	}
	if _, ok := auth.ClientFrom(ctx); ok {
		return nil, models.PrincipalAnonymous
	}
	return nil, models.PrincipalSystem
}

// personPrincipal is the principal kind of a person's own session.
func personPrincipal(staff bool) models.AuditPrincipal {
	if staff {
		return models.PrincipalStaff
	}
	return models.PrincipalSession
}

func userTarget(id, email string) *models.AuditTarget {
	return &models.AuditTarget{Kind: models.TargetUser, ID: id, Label: email}
}

func invitationTarget(id, email string) *models.AuditTarget {
	return &models.AuditTarget{Kind: models.TargetInvitation, ID: id, Label: email}
}

func tokenTarget(t *models.APIToken) *models.AuditTarget {
	return &models.AuditTarget{Kind: models.TargetAPIToken, ID: t.ID, Label: t.Name}
}

func webhookTarget(ep *models.WebhookEndpoint) *models.AuditTarget {
	return &models.AuditTarget{Kind: models.TargetWebhook, ID: ep.ID, Label: ep.URL}
}

// tokenAccess is a token's access as the audit log records it.
func tokenAccess(readOnly bool) string {
	if readOnly {
		return "READ_ONLY"
	}
	return "READ_WRITE"
}
