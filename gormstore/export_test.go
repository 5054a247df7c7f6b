package gormstore_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"

	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/internal/testdb"
	"github.com/contactgate/contactgate/models"
)

// TestExportAccounts: the export reads keyset batches of at most the batch
// size (its memory bound), visits every account of the filter exactly once
// in id order, and carries the same data as the single-account reads.
func TestExportAccounts(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		w := newListedWorld(t, driver, dsn)
		ctx := context.Background()
		locked := true
		for _, f := range []gormstore.AccountFilter{{}, {Locked: &locked, Environment: models.EnvironmentProduction}, {Search: "napoli"}} {
			want := listAll(t, w.db, f, 100)
			slices.Sort(want) // the export is in id order
			var got []string
			batches := 0
			err := w.db.ExportAccounts(ctx, f, 40, func(batch []gormstore.ExportedAccount) error {
				batches++
				if len(batch) == 0 || len(batch) > 40 {
					t.Fatalf("batch of %d accounts", len(batch))
				}
				for _, a := range batch {
					got = append(got, a.Account.ID)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("filter %+v: exported %d accounts, the listing has %d (or another order)", f, len(got), len(want))
			}
			if batches != (len(want)+39)/40 {
				t.Errorf("filter %+v: %d batches for %d accounts", f, batches, len(want))
			}
		}

		// A failing consumer (a client that went away) stops the export
		// with its error, after the reader let go of the transaction.
		stop := errors.New("client gone")
		calls := 0
		err := w.db.ExportAccounts(ctx, gormstore.AccountFilter{}, 10, func([]gormstore.ExportedAccount) error {
			if calls++; calls == 2 {
				return stop
			}
			return nil
		})
		if !errors.Is(err, stop) || calls != 2 {
			t.Fatalf("export with a failing consumer: %v after %d batches", err, calls)
		}

		checked := 0
		err = w.db.ExportAccounts(ctx, gormstore.AccountFilter{}, 100, func(batch []gormstore.ExportedAccount) error {
			for _, a := range batch {
				info, err := w.db.ContactInfo(ctx, a.Account.ID)
				if err != nil {
					return err
				}
				if !reflect.DeepEqual(a.Info, info) {
					t.Fatalf("%s: exported contact info %+v, stored %+v", a.Account.Name, a.Info, info)
				}
				acc, err := w.db.Account(ctx, a.Account.ID)
				if err != nil {
					return err
				}
				if !reflect.DeepEqual(a.Account, acc) {
					t.Fatalf("exported account %+v, stored %+v", a.Account, acc)
				}
				gate, _ := w.db.Gate(ctx, a.Account.ID, models.EnvironmentProduction)
				if !slices.Equal(a.Missing.Gate(models.EnvironmentProduction).Missing, gate.Missing) {
					t.Fatalf("%s: exported gate %v, stored %v", a.Account.Name, a.Missing, gate.Missing)
				}
				var ids []string
				for _, u := range a.AlertContacts {
					ids = append(ids, u.ID)
				}
				if !slices.Equal(ids, info.AlertContactIDs) && len(info.AlertContactIDs) > 0 {
					t.Fatalf("%s: alert contacts %v, want %v", a.Account.Name, ids, info.AlertContactIDs)
				}
				checked++
			}
			return nil
		})
		if err != nil || checked != 252 {
			t.Fatalf("checked %d accounts: %v", checked, err)
		}
	})
}
