package graph

import (
	"context"
	"time"

	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/graph/model"
	"github.com/contactgate/contactgate/models"
)

// webhookEndpointFor loads an endpoint named by id and checks that the
// caller administers its account; NOT_FOUND for anyone who may not see it.
func (r *Resolver) webhookEndpointFor(ctx context.Context, id string) (*models.WebhookEndpoint, error) {
	ep, err := r.Services.Webhooks.Endpoint(ctx, id)
	if err != nil {
		return nil, notFoundFor(err, "webhook endpoint")
	}
	if err := r.authorizeAccount(ctx, ep.AccountID, models.RoleAdministrator, false); err != nil {
		return nil, notFoundFor(err, "webhook endpoint")
	}
	return ep, nil
}

func webhookInput(in model.UpdateWebhookEndpointInput) models.WebhookEndpointInput {
	out := models.WebhookEndpointInput{URL: in.URL, Description: in.Description, Enabled: in.Enabled}
	if in.Events != nil {
		evs := in.Events
		out.Events = &evs
	}
	return out
}

func webhookEvents(ep *models.WebhookEndpoint) []string {
	out := make([]string, len(ep.Events))
	for i, e := range ep.Events {
		out[i] = string(e)
	}
	return out
}

// previousSecretExpiresAt is shown only while the old secret still signs.
func (r *Resolver) previousSecretExpiresAt(ep *models.WebhookEndpoint) *time.Time {
	if ep.PreviousSecretUntil == nil || !r.Clock().Before(*ep.PreviousSecretUntil) {
		return nil
	}
	return ep.PreviousSecretUntil
}

func (r *Resolver) webhookDeliveries(ctx context.Context, ep *models.WebhookEndpoint, first *int, after *string) (*model.WebhookDeliveryConnection, error) {
	ds, hasNext, total, err := r.Services.Webhooks.Deliveries(ctx, ep.ID, gormstore.ClampFirst(derefInt(first, 20), 20), derefString(after))
	if err != nil {
		return nil, err
	}
	conn := &model.WebhookDeliveryConnection{TotalCount: int(total), Edges: make([]*model.WebhookDeliveryEdge, len(ds))}
	cursors := make([]string, len(ds))
	for i, d := range ds {
		cursors[i] = d.ID
		conn.Edges[i] = &model.WebhookDeliveryEdge{Cursor: d.ID, Node: d}
	}
	conn.PageInfo = pageInfo(hasNext, cursors)
	return conn, nil
}
