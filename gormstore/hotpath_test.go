package gormstore_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/internal/testdb"
	"github.com/contactgate/contactgate/models"
)

// TestHotPathReadsMatchGORM: the hand-scanned reads of the staff page
// (hotpath.go) give exactly what the GORM reads of the same rows give —
// the save's ContactInfoForUpdate, UserByEmail, Memberships — inside and
// outside a transaction. A column added to one and not the other fails
// here.
func TestHotPathReadsMatchGORM(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		db := open(t, driver, dsn, nil)
		ctx := context.Background()
		if _, err := db.Seed(ctx, gormstore.SeedOptions{Accounts: 40, Seed: 5}); err != nil {
			t.Fatal(err)
		}
		var ids []string
		if err := db.Gorm().Table("accounts").Order("id").Pluck("id", &ids).Error; err != nil {
			t.Fatal(err)
		}
		check := func(t *testing.T, db *gormstore.DB) {
			infos, err := db.ContactInfosByAccountIDs(ctx, ids)
			if err != nil || len(infos) != len(ids) {
				t.Fatalf("%d infos: %v", len(infos), err)
			}
			members, err := db.MembersByAccountIDs(ctx, ids)
			if err != nil {
				t.Fatal(err)
			}
			var userIDs []string
			for _, id := range ids {
				want, err := db.ContactInfoForUpdate(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(infos[id], want) {
					t.Fatalf("contact info of %s:\nhand-scanned %+v\nGORM         %+v", id, infos[id], want)
				}
				for _, m := range members[id] {
					userIDs = append(userIDs, m.UserID)
				}
			}
			users, err := db.UsersByIDs(ctx, userIDs)
			if err != nil || len(users) == 0 {
				t.Fatalf("%d users: %v", len(users), err)
			}
			for _, u := range users {
				want, err := db.UserByEmail(ctx, u.Email)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(u, want) {
					t.Fatalf("user:\nhand-scanned %+v\nGORM         %+v", u, want)
				}
				ms, err := db.Memberships(ctx, u.ID)
				if err != nil {
					t.Fatal(err)
				}
				for _, m := range ms {
					if !slicesContain(members[m.AccountID], m) {
						t.Fatalf("membership %+v not among the hand-scanned members %+v", m, members[m.AccountID])
					}
				}
			}
		}
		t.Run("outside a transaction", func(t *testing.T) { check(t, db) })
		t.Run("in a transaction", func(t *testing.T) {
			if err := db.InTx(ctx, func(tx *gormstore.DB) error { check(t, tx); return nil }); err != nil {
				t.Fatal(err)
			}
		})
	})
}

func slicesContain(ms []*models.Member, m *models.Member) bool {
	for _, x := range ms {
		if reflect.DeepEqual(x, m) {
			return true
		}
	}
	return false
}

// TestUserProfilesWithoutPasswordHashes: what the API shows of users is
// read without their password hashes; the services' reads keep them.
func TestUserProfilesWithoutPasswordHashes(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		db := open(t, driver, dsn, time.Now)
		ctx := context.Background()
		name := "Ada"
		u, err := db.CreateUser(ctx, "ada@example.com", &name, "argon2id$hash", false)
		if err != nil {
			t.Fatal(err)
		}
		profiles, err := db.UserProfilesByIDs(ctx, []string{u.ID})
		if err != nil || len(profiles) != 1 {
			t.Fatalf("profiles: %v %v", profiles, err)
		}
		if p := profiles[0]; p.PasswordHash != "" || p.Email != u.Email || p.Name == nil || *p.Name != name {
			t.Fatalf("profile %+v", p)
		}
		full, err := db.UsersByIDs(ctx, []string{u.ID})
		if err != nil || len(full) != 1 || full[0].PasswordHash != "argon2id$hash" {
			t.Fatalf("users: %+v %v", full, err)
		}
	})
}
