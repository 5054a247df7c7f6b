package graph

import (
	"context"

	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/graph/model"
)

// auditLog answers Account.auditLog; who may read it is the field's
// @member directive (administrators and staff).
func (r *Resolver) auditLog(ctx context.Context, accountID string, first *int, after *string) (*model.AuditEventConnection, error) {
	events, hasNext, total, err := r.Services.Accounts.AuditLog(ctx, accountID, gormstore.ClampFirst(derefInt(first, 20), 20), derefString(after))
	if err != nil {
		return nil, err
	}
	conn := &model.AuditEventConnection{TotalCount: int(total), Edges: make([]*model.AuditEventEdge, len(events))}
	cursors := make([]string, len(events))
	for i, e := range events {
		cursors[i] = e.ID
		conn.Edges[i] = &model.AuditEventEdge{Cursor: e.ID, Node: e}
	}
	conn.PageInfo = pageInfo(hasNext, cursors)
	return conn, nil
}
