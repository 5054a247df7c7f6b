package graph

import (
	"context"

	"github.com/contactgate/contactgate/auth"
	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/graph/model"
	"github.com/contactgate/contactgate/models"
)

// invitationPreview is what an anonymous holder of a link may learn: the
// invitation itself, and whether its email already has a user (so that the
// page asks for a sign-in instead of a new password) — nothing about that
// user.
func (r *Resolver) invitationPreview(ctx context.Context, token string) (*model.InvitationPreview, error) {
	if err := limit(ctx, byIP(ctx, r.limits().InvitePerIP)); err != nil {
		return nil, err
	}
	inv, accountName, err := r.DB.PendingInvitation(ctx, token)
	if models.ErrorCodeOf(err) == models.ENotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	existing, err := r.invitedUser(ctx, inv.Email)
	if err != nil {
		return nil, err
	}
	return &model.InvitationPreview{Email: inv.Email, AccountID: inv.AccountID, AccountName: accountName, Role: inv.Role,
		ExpiresAt: inv.ExpiresAt, ExistingUser: existing != nil}, nil
}

// invitedUser is the user of an invited email, or nil when there is none.
func (r *Resolver) invitedUser(ctx context.Context, email string) (*models.User, error) {
	u, err := r.DB.UserByEmail(ctx, email)
	if models.ErrorCodeOf(err) == models.ENotFound {
		return nil, nil
	}
	return u, err
}

// acceptInvitation uses an invitation. The link proves only that its holder
// can read the invited mailbox, which is enough to create a user for a new
// email but never to act as a user who already exists: that takes their
// session or their password (see the schema's acceptInvitation).
func (r *Resolver) acceptInvitation(ctx context.Context, in model.AcceptInvitationInput) (*model.Me, error) {
	if err := limit(ctx, byIP(ctx, r.limits().InvitePerIP)); err != nil {
		return nil, err
	}
	p := auth.FromContext(ctx)
	if p != nil && p.Token != nil {
		// A token acts for an account, not for a person.
		return nil, models.Errorf(models.EForbidden, "an API token cannot accept invitations")
	}
	inv, _, err := r.DB.PendingInvitation(ctx, in.Token)
	if err != nil {
		return nil, notFoundFor(err, "invitation")
	}
	existing, err := r.invitedUser(ctx, inv.Email)
	if err != nil {
		return nil, err
	}
	if existing != nil {
		return r.acceptAsExistingUser(ctx, p, existing, in)
	}
	return r.acceptAsNewUser(ctx, in)
}

// acceptAsNewUser creates the invited person's user and signs them in.
func (r *Resolver) acceptAsNewUser(ctx context.Context, in model.AcceptInvitationInput) (*model.Me, error) {
	name, password := derefString(in.Name), derefString(in.Password)
	var v models.Validation
	validateDisplayName(&v, "name", name)
	models.ValidatePassword(&v, "password", password)
	if err := v.Err(); err != nil {
		return nil, err
	}
	hash, err := r.Hasher.Hash(ctx, password)
	if err != nil {
		return nil, err
	}
	user, err := r.DB.AcceptInvitation(ctx, in.Token, gormstore.Acceptance{Name: name, PasswordHash: hash})
	if err != nil {
		return nil, notFoundFor(err, "invitation")
	}
	if err := r.startSession(ctx, user); err != nil {
		return nil, err
	}
	return r.me(ctx, user)
}

// acceptAsExistingUser adds the membership to a user the caller is signed
// in as, or has given the password of. A password is checked exactly as
// signIn checks it, under signIn's limits, so that invitation links do not
// open a second door for guessing passwords.
func (r *Resolver) acceptAsExistingUser(ctx context.Context, p *auth.Principal, user *models.User, in model.AcceptInvitationInput) (*model.Me, error) {
	signedIn := p != nil && p.User != nil
	switch {
	case signedIn && p.User.ID != user.ID:
		return nil, models.ErrorWithReason(models.EForbidden, models.ReasonSignedInAsAnotherUser,
			"this invitation is for another user: sign out, then open the link again")
	case !signedIn && derefString(in.Password) == "":
		return nil, models.ErrorWithReason(models.EUnauthenticated, models.ReasonSignInRequired,
			"this email already has a user: sign in as that user to accept the invitation")
	case !signedIn:
		if err := limit(ctx, byIP(ctx, r.limits().SignInPerIP), byEmail(r.limits().SignInPerEmail, user.Email)); err != nil {
			return nil, err
		}
		ok, err := r.Hasher.Check(ctx, *in.Password, user.PasswordHash)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, models.ErrorWithReason(models.EUnauthenticated, models.ReasonWrongPassword, "wrong password")
		}
	}
	accepted, err := r.DB.AcceptInvitation(ctx, in.Token, gormstore.Acceptance{UserID: user.ID})
	if err != nil {
		return nil, notFoundFor(err, "invitation")
	}
	if !signedIn {
		// The password proved who the caller is, as signIn would have.
		if err := r.startSession(ctx, accepted); err != nil {
			return nil, err
		}
	}
	return r.me(ctx, accepted)
}
