package graph

import (
	"context"
	"errors"

	"github.com/contactgate/contactgate/auth"
	"github.com/contactgate/contactgate/graph/model"
	"github.com/contactgate/contactgate/models"
	"github.com/vikstrous/dataloadgen"
)

// publicSupportContact answers the anonymous end-user question. It copies
// only the three public values into a fresh object, so that no other field
// of the contact info can ever leak through it.
//
// An unknown account and one that shares no contact yet get the same
// answer, after the same lookups, so that anonymous callers cannot probe
// which account ids exist.
func (r *Resolver) publicSupportContact(ctx context.Context, accountID string) (*model.PublicSupportContact, error) {
	if err := limit(ctx, byIP(ctx, r.limits().PublicPerIP)); err != nil {
		return nil, err
	}
	acc, accErr := loadersFrom(ctx).accounts.Load(ctx, accountID)
	info, infoErr := loadersFrom(ctx).contactInfos.Load(ctx, accountID)
	for _, err := range []error{accErr, infoErr} {
		if err != nil && !errors.Is(err, dataloadgen.ErrNotFound) {
			return nil, err
		}
	}
	if accErr != nil || infoErr != nil || info.OperationalForUsers == nil || info.OperationalSupport == nil {
		return nil, models.Errorf(models.ENotFound, "no support contact is shared for this account")
	}
	c := *info.OperationalForUsers
	h := *info.OperationalSupport
	return &model.PublicSupportContact{AccountName: acc.Name, Contact: &c, OperationalSupport: &h}, nil
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
