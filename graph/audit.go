package graph

import (
	"context"

	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/graph/model"
	"github.com/contactgate/contactgate/models"
)

// auditLog answers Account.auditLog; who may read it is the field's
// @member directive (administrators and staff).
func (r *Resolver) auditLog(ctx context.Context, accountID string, first *int, after *string) (*model.AuditEventConnection, error) {
	events, hasNext, total, err := r.Services.Accounts.AuditLog(ctx, accountID, gormstore.ClampFirst(derefInt(first, 20), 20), derefString(after))
	if err != nil {
		return nil, err
	}
	edges, info := connectionPage(events, hasNext, func(e *models.AuditEvent) string { return e.ID },
		func(cursor string, e *models.AuditEvent) *model.AuditEventEdge {
			return &model.AuditEventEdge{Cursor: cursor, Node: e}
		})
	return &model.AuditEventConnection{TotalCount: int(total), Edges: edges, PageInfo: info}, nil
}
