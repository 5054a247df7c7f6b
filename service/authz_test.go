package service_test

import (
	"context"
	"testing"

	"github.com/contactgate/contactgate/auth"
	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/internal/testdb"
	"github.com/contactgate/contactgate/models"
	"github.com/contactgate/contactgate/service"
)

// TestExportAsksTheAuthorizer: the export service refuses everyone but
// staff signed in with a session before it reads anything, whatever the
// transport in front of it checked.
func TestExportAsksTheAuthorizer(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		db := openAccountsStore(t, driver, dsn)
		svc := service.New(service.Deps{Store: db})
		ctx := context.Background()
		acc, err := db.CreateDemoAccount(ctx, nil, "Acme", []string{"BUSINESS_LINK"}, "admin@acme.example", "Ada", "")
		if err != nil {
			t.Fatal(err)
		}
		admin, err := db.UserByEmail(ctx, "admin@acme.example")
		if err != nil {
			t.Fatal(err)
		}
		staff, err := svc.Sessions.UpsertStaffHash(ctx, "staff@contactgate.example", "")
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			p    *auth.Principal
			want models.ErrorCode
		}{
			{"signed out", nil, models.EUnauthenticated},
			{"administrator", &auth.Principal{User: admin, SessionID: "s"}, models.EForbidden},
			{"staff's API token", &auth.Principal{User: staff, Token: &models.APIToken{ID: "t", AccountID: acc.ID}}, models.EForbidden},
		} {
			read := false
			err := svc.Accounts.Export(auth.WithPrincipal(ctx, c.p), gormstore.AccountFilter{}, func([]gormstore.ExportedAccount) error {
				read = true
				return nil
			})
			if models.ErrorCodeOf(err) != c.want || read {
				t.Errorf("%s: got %v (read: %v), want %s and nothing read", c.name, err, read, c.want)
			}
		}
		var got []string
		err = svc.Accounts.Export(auth.WithPrincipal(ctx, &auth.Principal{User: staff, SessionID: "s"}), gormstore.AccountFilter{},
			func(batch []gormstore.ExportedAccount) error {
				for _, a := range batch {
					got = append(got, a.Account.ID)
				}
				return nil
			})
		if err != nil || len(got) != 1 || got[0] != acc.ID {
			t.Fatalf("staff export: %v %v", got, err)
		}
	})
}

// TestListedByStaffGrantsNothingToOthers: the listing's shortcut (every
// listed account exists, so its fields need no membership lookup) is taken
// for staff only; a member who asked for it still gets NOT_FOUND for an
// account that is not theirs.
func TestListedByStaffGrantsNothingToOthers(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		db := openAccountsStore(t, driver, dsn)
		authz := service.New(service.Deps{Store: db}).Authz
		ctx := context.Background()
		if _, err := db.CreateDemoAccount(ctx, nil, "Mine", []string{"BUSINESS_LINK"}, "admin@mine.example", "Ada", ""); err != nil {
			t.Fatal(err)
		}
		other, err := db.CreateDemoAccount(ctx, nil, "Other", []string{"BUSINESS_LINK"}, "admin@other.example", "Bob", "")
		if err != nil {
			t.Fatal(err)
		}
		admin, err := db.UserByEmail(ctx, "admin@mine.example")
		if err != nil {
			t.Fatal(err)
		}
		ctx = service.WithMemo(auth.WithPrincipal(ctx, &auth.Principal{User: admin, SessionID: "s"}))
		authz.ListedByStaff(ctx, []string{other.ID})
		if err := authz.Account(ctx, other.ID, models.RoleReadOnly, false); models.ErrorCodeOf(err) != models.ENotFound {
			t.Fatalf("a member reads another account after ListedByStaff: %v", err)
		}
		if _, ok := authz.KnownGate(ctx, other.ID); ok {
			t.Fatal("the gate of an account the caller may not see was remembered")
		}
	})
}
