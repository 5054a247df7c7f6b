package service_test

import (
	"context"
	"github.com/contactgate/contactgate/internal/storetest"
	"testing"

	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/internal/testdb"
	"github.com/contactgate/contactgate/models"
	"github.com/contactgate/contactgate/service"
)

func openAccountsStore(t *testing.T, driver, dsn string) *gormstore.DB {
	return storetest.Open(t, driver, dsn, nil)
}

// TestCreateAccountValidation refuses bad input with every problem at once
// and writes nothing.
func TestCreateAccountValidation(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		db := openAccountsStore(t, driver, dsn)
		accounts := service.New(service.Deps{Store: db}).Accounts
		ctx := context.Background()
		_, err := accounts.Create(ctx, nil, "  ", []string{"NOPE", "NOPE"}, "not-an-email")
		var e *models.Error
		if models.ErrorCodeOf(err) != models.EValidation {
			t.Fatalf("want VALIDATION_FAILED, got %v", err)
		}
		e = err.(*models.Error)
		paths := map[string]bool{}
		for _, f := range e.Fields {
			paths[f.Field] = true
		}
		for _, p := range []string{"name", "integrationTypes[0]", "integrationTypes[1]", "administratorEmail"} {
			if !paths[p] {
				t.Errorf("no problem reported at %s: %+v", p, e.Fields)
			}
		}
		var n int64
		db.Gorm().Table("accounts").Count(&n)
		if n != 0 {
			t.Fatalf("%d accounts written", n)
		}
		acc, err := accounts.Create(ctx, nil, "Acme", []string{"THINGS_TO_DO", "RESERVATIONS_E2E"}, "Boss@Acme.example")
		if err != nil {
			t.Fatal(err)
		}
		info, err := db.ContactInfo(ctx, acc.ID)
		if err != nil || info.MerchantIssuesRequirement != models.Required {
			t.Fatalf("strictest requirement: %+v %v", info, err)
		}
		var outbox int64
		db.Gorm().Table("outbox").Where("to_email = ?", "boss@acme.example").Count(&outbox)
		if outbox != 1 {
			t.Fatalf("invitation mail queued %d times", outbox)
		}
	})
}
