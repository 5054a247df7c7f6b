package gormstore

import (
	"sync/atomic"

	"gorm.io/gorm"
)

// StatementCounter counts the SQL statements GORM runs; tests use it to
// prove that a page costs a constant number of statements (no N+1), and the
// benchmark harness to report statements per request.
type StatementCounter struct{ n atomic.Int64 }

// Count returns the statements counted since the last Reset.
func (c *StatementCounter) Count() int64 { return c.n.Load() }

// Reset zeroes the counter.
func (c *StatementCounter) Reset() { c.n.Store(0) }

func (c *StatementCounter) register(g *gorm.DB) error {
	count := func(*gorm.DB) { c.n.Add(1) }
	cb := g.Callback()
	for _, err := range []error{
		cb.Create().After("gorm:create").Register("contactgate:count", count),
		cb.Query().After("gorm:query").Register("contactgate:count", count),
		cb.Update().After("gorm:update").Register("contactgate:count", count),
		cb.Delete().After("gorm:delete").Register("contactgate:count", count),
		cb.Row().After("gorm:row").Register("contactgate:count", count),
		cb.Raw().After("gorm:raw").Register("contactgate:count", count),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}
