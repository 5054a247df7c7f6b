package graph

import (
	"context"

	"github.com/contactgate/contactgate/auth"
	"github.com/contactgate/contactgate/graph/model"
	"github.com/contactgate/contactgate/models"
)

// publicSupportContact answers the anonymous end-user question (see
// ContactInfoService.PublicSupportContact), rate limited per address.
func (r *Resolver) publicSupportContact(ctx context.Context, accountID string) (*model.PublicSupportContact, error) {
	if err := limit(ctx, byIP(ctx, r.limits().PublicPerIP)); err != nil {
		return nil, err
	}
	pub, err := r.Services.ContactInfo.PublicSupportContact(ctx, accountID)
	if err != nil {
		return nil, err
	}
	return &model.PublicSupportContact{AccountName: pub.AccountName, Contact: &pub.Contact, OperationalSupport: &pub.OperationalSupport}, nil
}

// notFoundFor hides an object of an account the caller may not see: a
// non-member learns only that there is no such object.
func notFoundFor(err error, what string) error {
	if models.ErrorCodeOf(err) == models.ENotFound {
		return models.Errorf(models.ENotFound, "%s not found", what)
	}
	return err
}

// signIn checks a password under the sign-in limits and starts a session.
func (r *Resolver) signIn(ctx context.Context, email, password string) (*model.Me, error) {
	if err := limit(ctx, byIP(ctx, r.limits().SignInPerIP), byEmail(r.limits().SignInPerEmail, email)); err != nil {
		return nil, err
	}
	user, err := r.Services.Sessions.CheckPassword(ctx, email, password)
	if err != nil {
		return nil, err
	}
	if user == nil {
		return nil, models.Errorf(models.EUnauthenticated, "wrong email or password")
	}
	if err := r.startSession(ctx, user); err != nil {
		return nil, err
	}
	return r.me(ctx, user)
}

// setLanguage records the caller's language (a person, not a token).
func (r *Resolver) setLanguage(ctx context.Context, language string) (*model.Me, error) {
	p := auth.FromContext(ctx)
	if p.Token != nil {
		return nil, models.Errorf(models.EForbidden, "an API token has no language")
	}
	if err := r.Services.Sessions.SetLanguage(ctx, p.User, language); err != nil {
		return nil, err
	}
	return r.me(ctx, p.User)
}
