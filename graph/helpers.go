package graph

import (
	"context"

	"github.com/contactgate/contactgate/auth"
	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/graph/model"
	"github.com/contactgate/contactgate/models"
)

// Helpers of the resolvers live here so that the generated *.resolvers.go
// files stay thin.

// actorID is the user behind the caller, for history and audit (nil for
// API tokens, whose changes are attributed to no person).
func actorID(ctx context.Context) *string {
	if p := auth.FromContext(ctx); p != nil && p.User != nil && p.Token == nil {
		return &p.User.ID
	}
	return nil
}

func actorUser(ctx context.Context) *models.User {
	if p := auth.FromContext(ctx); p != nil && p.Token == nil {
		return p.User
	}
	return nil
}

// patchFromInput turns the GraphQL input into a domain patch: an omitted
// field stays nil (unchanged), a given one is set.
func patchFromInput(in model.UpdateContactInfoInput) models.ContactInfoPatch {
	p := models.ContactInfoPatch{Environment: in.Environment, ExpectedVersion: in.ExpectedVersion}
	if in.AlertContactUserIds != nil {
		ids := in.AlertContactUserIds
		p.AlertContactUserIDs = &ids
	}
	p.TechnicalEmergency = contactList(in.TechnicalEmergency)
	p.TechnicalNonEmergency = contactList(in.TechnicalNonEmergency)
	p.MerchantIssues = contactList(in.MerchantIssues)
	p.OperationalForGoogle = contactList(in.OperationalForGoogle)
	if v, set := in.OperationalForUsers.ValueOK(); set {
		p.SetOperationalForUsers = true
		p.OperationalForUsers = v
	}
	if v, set := in.OperationalSupport.ValueOK(); set {
		p.SetOperationalSupport = true
		p.OperationalSupport = v
	}
	return p
}

func contactList(in []*models.ContactInput) *[]models.ContactInput {
	if in == nil {
		return nil
	}
	out := make([]models.ContactInput, 0, len(in))
	for _, c := range in {
		if c != nil {
			out = append(out, *c)
		}
	}
	return &out
}

func (r *Resolver) me(ctx context.Context, user *models.User) (*model.Me, error) {
	ms, err := r.Services.Sessions.Memberships(ctx, user.ID)
	if err != nil {
		return nil, err
	}
	return &model.Me{User: user, Staff: user.Staff, Memberships: ms}, nil
}

// startSession signs a user in: a fresh session (rotated: the caller's old
// one, if any, ends) and its cookie.
func (r *Resolver) startSession(ctx context.Context, user *models.User) error {
	old := ""
	if p := auth.FromContext(ctx); p != nil {
		old = p.SessionID
	}
	secret, err := r.Services.Sessions.SignIn(ctx, user, old)
	if err != nil {
		return err
	}
	auth.SessionCookiesFrom(ctx).SetSession(secret)
	auth.SetPrincipal(ctx, &auth.Principal{User: user, SessionID: auth.HashSecret(secret)})
	r.Services.Authz.CallerChanged(ctx)
	return nil
}

func pageInfo(hasNext bool, cursors []string) *model.PageInfo {
	pi := &model.PageInfo{HasNextPage: hasNext}
	if len(cursors) > 0 {
		pi.EndCursor = &cursors[len(cursors)-1]
	}
	return pi
}

func (r *Resolver) accountFilter(f *model.AccountFilter) gormstore.AccountFilter {
	var out gormstore.AccountFilter
	if f == nil {
		return out
	}
	if f.Review != nil {
		out.ReviewedAfter, out.ReviewedAtOrBefore = r.Services.Review.Bounds(*f.Review)
	}
	out.HasWarnings = f.HasWarnings
	if f.Warning != nil {
		out.Warning = *f.Warning
	}
	if f.Search != nil {
		out.Search = *f.Search
	}
	out.Locked = f.Locked
	if f.Environment != nil {
		out.Environment = *f.Environment
	}
	if f.IntegrationType != nil {
		out.IntegrationType = *f.IntegrationType
	}
	if f.Missing != nil {
		out.Missing = *f.Missing
	}
	if f.Reachability != nil {
		out.Reachability = *f.Reachability
	}
	return out
}

func derefInt(p *int, def int) int {
	if p == nil {
		return def
	}
	return *p
}

func derefString(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// refreshAfterSave replaces the request's cached contact info and gate with
// the saved ones, so that the payload, and any later field or mutation of
// the same request (a gated one included), sees the new state.
func refreshAfterSave(ctx context.Context, saved *models.ContactInfo) {
	l := loadersFrom(ctx)
	l.contactInfos.Clear(saved.AccountID)
	l.contactInfos.Prime(saved.AccountID, saved)
	l.gates.Clear(saved.AccountID)
	l.gates.Prime(saved.AccountID, models.GateState{Missing: models.MissingSet(*saved), ReviewedAt: saved.ReviewedAt})
}

// accountMembers is Account.members. It loads the members' users too, in
// one batch, before returning: gqlgen resolves a Member's fields in order,
// in the list's goroutine (internal/gqlgenseq), so each member's user must
// already be there.
func (r *Resolver) accountMembers(ctx context.Context, accountID string) ([]*models.Member, error) {
	l := loadersFrom(ctx)
	members, err := l.members.Load(ctx, accountID)
	if err != nil || len(members) == 0 {
		return members, err
	}
	ids := make([]string, len(members))
	for i, m := range members {
		ids[i] = m.UserID
	}
	if _, err := l.users.LoadAll(ctx, ids); err != nil {
		return nil, notFoundAs(err, "user")
	}
	return members, nil
}

// inviteUser is Mutation.inviteUser, rate-limited per account and per
// invited address (each invitation is a mail).
func (r *Resolver) inviteUser(ctx context.Context, input model.InviteUserInput) (*models.Invitation, error) {
	if err := limit(ctx, limitCheck{l: r.limits().InvitePerAccount, key: "account:" + input.AccountID},
		byEmail(r.limits().InvitePerEmail, input.Email)); err != nil {
		return nil, err
	}
	return r.Services.Members.Invite(ctx, actorUser(ctx), input.AccountID, input.Email, input.Role)
}
