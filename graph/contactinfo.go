package graph

import (
	"context"

	"github.com/contactgate/contactgate/graph/model"
	"github.com/contactgate/contactgate/models"
)

// Encoding helpers of the contact info and notification resolvers.

// updateContactInfoPayload answers a save: the request's cached contact
// info and gate are replaced with the saved ones, so that the payload, and
// any later field or mutation of the same request (a gated one included),
// sees the new state.
func (r *Resolver) updateContactInfoPayload(ctx context.Context, saved *models.ContactInfo) (*model.UpdateContactInfoPayload, error) {
	refreshAfterSave(ctx, saved)
	acc, err := loadersFrom(ctx).accounts.Load(ctx, saved.AccountID)
	if err != nil {
		return nil, notFoundAs(err, "account")
	}
	return &model.UpdateContactInfoPayload{Account: acc}, nil
}
