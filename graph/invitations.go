package graph

import (
	"context"

	"github.com/contactgate/contactgate/graph/model"
	"github.com/contactgate/contactgate/service"
)

// invitationPreview is what an anonymous holder of a link may learn (see
// service.MemberService.Preview).
func (r *Resolver) invitationPreview(ctx context.Context, token string) (*model.InvitationPreview, error) {
	if err := limit(ctx, byIP(ctx, r.limits().InvitePerIP)); err != nil {
		return nil, err
	}
	p, err := r.Services.Members.Preview(ctx, token)
	if p == nil || err != nil {
		return nil, err
	}
	inv := p.Invitation
	return &model.InvitationPreview{Email: inv.Email, AccountID: inv.AccountID, AccountName: p.AccountName, Role: inv.Role,
		ExpiresAt: inv.ExpiresAt, ExistingUser: p.ExistingUser}, nil
}

// acceptInvitation uses an invitation under the invitation limits; a
// password given for an existing user is checked under signIn's limits too,
// so that invitation links do not open a second door for guessing
// passwords. The rules are service.MemberService.Accept's.
func (r *Resolver) acceptInvitation(ctx context.Context, in model.AcceptInvitationInput) (*model.Me, error) {
	if err := limit(ctx, byIP(ctx, r.limits().InvitePerIP)); err != nil {
		return nil, err
	}
	accepted, err := r.Services.Members.Accept(ctx, service.AcceptInput{Token: in.Token,
		Name: derefString(in.Name), Password: derefString(in.Password),
		BeforePasswordCheck: func(email string) error {
			return limit(ctx, byIP(ctx, r.limits().SignInPerIP), byEmail(r.limits().SignInPerEmail, email))
		}})
	if err != nil {
		return nil, notFoundFor(err, "invitation")
	}
	if accepted.SignIn {
		if err := r.startSession(ctx, accepted.User); err != nil {
			return nil, err
		}
	}
	return r.me(ctx, accepted.User)
}
