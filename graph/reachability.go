package graph

import (
	"context"
	"slices"
	"strings"

	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/models"
	"github.com/contactgate/contactgate/service"
)

// accountContacts marks contacts as read from an account's contact info
// for a member or staff, so that their reachability may be shown.
func accountContacts(accountID string, cs []models.Contact) []*models.Contact {
	out := make([]*models.Contact, len(cs))
	marked := make([]models.Contact, len(cs)) // one allocation for all the copies
	for i, c := range cs {
		marked[i] = c.InAccount(accountID)
		out[i] = &marked[i]
	}
	return out
}

// contactReachability answers Contact.reachability: null for a contact
// not read from an account (the public support contact). The account is
// checked again here, on top of the field that led to the contact.
func (r *Resolver) contactReachability(ctx context.Context, c *models.Contact) (*models.Reachability, error) {
	accountID := c.Account()
	if accountID == "" {
		return nil, nil
	}
	if err := r.Services.Authz.Account(ctx, accountID, models.RoleReadOnly, false); err != nil {
		return nil, err
	}
	states, err := loadersFrom(ctx).reach.Load(ctx, accountID)
	if err != nil {
		return nil, err
	}
	return states[models.NormalizeEmail(c.Email)], nil
}

// reachabilitySummary counts an account's unreachable and unverified
// addresses from the request's loaders.
func (r *Resolver) reachabilitySummary(ctx context.Context, accountID string) (*models.ReachabilitySummary, error) {
	l := loadersFrom(ctx)
	info, err := l.contactInfos.Load(ctx, accountID)
	if err != nil {
		return nil, notFoundAs(err, "account")
	}
	states, err := l.reach.Load(ctx, accountID)
	if err != nil {
		return nil, err
	}
	s, err := r.Services.Reachability.Summary(ctx, *info, states)
	return &s, err
}

// accountAddresses lists every address of an account with its state, by
// email.
func (r *Resolver) accountAddresses(ctx context.Context, accountID string) ([]*models.Reachability, error) {
	states, err := loadersFrom(ctx).reach.Load(ctx, accountID)
	if err != nil {
		return nil, err
	}
	out := make([]*models.Reachability, 0, len(states))
	for _, st := range states {
		out = append(out, st)
	}
	slices.SortFunc(out, func(a, b *models.Reachability) int { return strings.Compare(a.Email, b.Email) })
	return out, nil
}

// contactLink previews a verification or test link, rate limited per IP.
func (r *Resolver) contactLink(ctx context.Context, token string) (*service.LinkPreview, error) {
	if err := limit(ctx, byIP(ctx, r.limits().LinkPerIP)); err != nil {
		return nil, err
	}
	return r.Services.Reachability.Preview(ctx, token)
}

// useContactLink confirms or disputes with a link, rate limited per IP.
func (r *Resolver) useContactLink(ctx context.Context, token string, dispute bool) (*service.LinkPreview, error) {
	if err := limit(ctx, byIP(ctx, r.limits().LinkPerIP)); err != nil {
		return nil, err
	}
	if dispute {
		return r.Services.Reachability.Dispute(ctx, token)
	}
	return r.Services.Reachability.Confirm(ctx, token)
}

// resendVerification resends a verification mail, rate limited per
// address of the account. A refusal (VERIFIED, not listed) costs a token
// too, so that probing for listed addresses is bounded as well.
func (r *Resolver) resendVerification(ctx context.Context, accountID, email string) (*models.Reachability, error) {
	key := "resend:" + accountID + ":" + models.NormalizeEmail(email)
	if err := limit(ctx, limitCheck{l: r.limits().ResendPerAddress, key: key}); err != nil {
		return nil, err
	}
	return r.Services.Reachability.Resend(ctx, actorUser(ctx), accountID, email)
}

// sendTestMessage sends test messages to a field, rate limited per field
// of the account.
func (r *Resolver) sendTestMessage(ctx context.Context, accountID string, field models.ContactField) ([]*models.Reachability, error) {
	key := "test:" + accountID + ":" + string(field)
	if err := limit(ctx, limitCheck{l: r.limits().TestPerField, key: key}); err != nil {
		return nil, err
	}
	return r.Services.Reachability.SendTest(ctx, actorUser(ctx), accountID, field)
}

// watchReachability sends the account's reachability summary at once,
// then after every change announced on the bus (from any replica); it ends
// like watchGate when the caller's access ends.
func (r *Resolver) watchReachability(ctx context.Context, accountID string) (<-chan *models.ReachabilitySummary, error) {
	// Sent after every change, even when the counts are the same: a state
	// or a last test changed, and open portals refresh their chips.
	read := func() (*models.ReachabilitySummary, error) {
		info, err := r.Services.ContactInfo.Get(ctx, accountID)
		if err != nil {
			return nil, err
		}
		states, err := r.Services.Reachability.ByAccountIDs(ctx, []string{accountID})
		if err != nil {
			return nil, err
		}
		s, err := r.Services.Reachability.Summary(ctx, *info, states[accountID])
		return &s, err
	}
	return followAccount(ctx, r, accountID, gormstore.ReachabilityKey(accountID), "reachability", read)
}
