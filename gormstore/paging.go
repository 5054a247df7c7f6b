package gormstore

import (
	"context"
	"fmt"

	"github.com/contactgate/contactgate/models"
	"github.com/google/uuid"
)

// accountPage loads one page of an account's rows of a time-ordered table
// (history, audit log), newest first, after the row with id `after` (keyset
// on the UUIDv7 id), and the total. A cursor that is not a row id is
// refused: compared as a string it would silently answer some arbitrary
// page, often the first one again.
func accountPage[R any, M any](ctx context.Context, db *DB, what, accountID string, first int, after string, model func(*R) M) ([]M, bool, int64, error) {
	q := db.with(ctx).Where("account_id = ?", accountID)
	if after != "" {
		if u, err := uuid.Parse(after); err != nil || u.String() != after {
			return nil, false, 0, &models.Error{Code: models.EValidation, Message: "invalid cursor",
				Fields: []models.FieldError{{Field: "after", Message: "not a cursor of this list", Code: models.FieldCursorInvalid}}}
		}
		q = q.Where("id < ?", after)
	}
	var rows []R
	if err := q.Order("id DESC").Limit(first + 1).Find(&rows).Error; err != nil {
		return nil, false, 0, fmt.Errorf("load %s: %w", what, err)
	}
	var total int64
	if err := db.with(ctx).Model(new(R)).Where("account_id = ?", accountID).Count(&total).Error; err != nil {
		return nil, false, 0, fmt.Errorf("count %s: %w", what, err)
	}
	hasNext := len(rows) > first
	if hasNext {
		rows = rows[:first]
	}
	out := make([]M, len(rows))
	for i := range rows {
		out[i] = model(&rows[i])
	}
	return out, hasNext, total, nil
}
