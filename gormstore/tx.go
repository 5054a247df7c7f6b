package gormstore

import (
	"context"
	"sync"

	"gorm.io/gorm"
)

// InTx runs fn in one transaction. The *DB that fn receives runs every
// method inside that transaction, so that a service composes several store
// operations (read with a lock, write the change, its history, its audit
// event and its outbox mail) into one atomic unit. Called on a DB that is
// already in a transaction, it runs fn in that same transaction.
//
// Work registered with AfterCommit on the transaction's DB runs once the
// outermost transaction has committed, and never if it rolls back.
func (db *DB) InTx(ctx context.Context, fn func(tx *DB) error) error {
	if db.tx != nil {
		return fn(db)
	}
	state := &txState{}
	// BEGIN, COMMIT and ROLLBACK run without the caller's cancellation: a
	// ROLLBACK cut short makes pgx close the connection (see openPostgres).
	// The statements fn runs still take ctx (db.with), so an abandoned
	// request stops at its next statement, and database/sql does not roll
	// back under fn's feet when ctx ends.
	err := db.gorm.WithContext(context.WithoutCancel(ctx)).Transaction(func(g *gorm.DB) error {
		t := *db
		t.gorm, t.tx = g, state
		return fn(&t)
	})
	if err != nil {
		return err
	}
	state.mu.Lock()
	after := state.after
	state.mu.Unlock()
	for _, f := range after {
		f()
	}
	return nil
}

// AfterCommit runs f after the transaction db belongs to commits, or at
// once when db is not in a transaction.
func (db *DB) AfterCommit(f func()) {
	if db.tx == nil {
		f()
		return
	}
	db.tx.mu.Lock()
	db.tx.after = append(db.tx.after, f)
	db.tx.mu.Unlock()
}

// txState is shared by the DB copies of one transaction.
type txState struct {
	mu    sync.Mutex
	after []func()
}
