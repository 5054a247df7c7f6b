package service_test

import (
	"context"
	"github.com/contactgate/contactgate/internal/storetest"
	"testing"
	"time"

	"github.com/contactgate/contactgate/auth"
	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/internal/testdb"
	"github.com/contactgate/contactgate/models"
	"github.com/contactgate/contactgate/service"
)

func openStore(t *testing.T, driver, dsn string, clock func() time.Time) *gormstore.DB {
	return storetest.Open(t, driver, dsn, clock)
}

// TestUsersAndSessions covers case-insensitive email uniqueness, session
// expiry (idle and absolute), sign-out and the staff password rule on both
// databases.
func TestUsersAndSessions(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		clock := func() time.Time { return now }
		db := openStore(t, driver, dsn, clock)
		sessions := service.New(service.Deps{Store: db, Hasher: auth.NewHasher(true), Clock: clock}).Sessions
		ctx := context.Background()
		u, err := db.CreateUser(ctx, "Ada@Example.com", nil, "hash", false)
		if err != nil {
			t.Fatal(err)
		}
		if u.Email != "ada@example.com" {
			t.Fatalf("email not normalised: %s", u.Email)
		}
		if _, err := db.CreateUser(ctx, "ADA@example.COM", nil, "hash", false); models.ErrorCodeOf(err) != models.EConflict {
			t.Fatalf("duplicate email: %v", err)
		}
		secret, err := sessions.CreateSession(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		got, _, err := sessions.Authenticate(ctx, secret)
		if err != nil || got.ID != u.ID {
			t.Fatalf("session user: %v %v", got, err)
		}
		// Used every few days, a session lives until its absolute end.
		for i := 0; i < 5; i++ {
			now = now.Add(5 * 24 * time.Hour)
			if _, _, err := sessions.Authenticate(ctx, secret); err != nil {
				t.Fatalf("day %d: %v", (i+1)*5, err)
			}
		}
		now = now.Add(6 * 24 * time.Hour) // 31 days after sign-in
		if _, _, err := sessions.Authenticate(ctx, secret); models.ErrorCodeOf(err) != models.ENotFound {
			t.Fatalf("past the absolute lifetime: %v", err)
		}
		idle, _ := sessions.CreateSession(ctx, u.ID)
		now = now.Add(models.SessionIdle + time.Minute)
		if _, _, err := sessions.Authenticate(ctx, idle); models.ErrorCodeOf(err) != models.ENotFound {
			t.Fatalf("idle session still valid: %v", err)
		}
		s3, _ := sessions.CreateSession(ctx, u.ID)
		u3, id, _ := sessions.Authenticate(ctx, s3)
		if err := sessions.SignOut(ctx, u3, id); err != nil {
			t.Fatal(err)
		}
		if _, _, err := sessions.Authenticate(ctx, s3); models.ErrorCodeOf(err) != models.ENotFound {
			t.Fatalf("deleted session still valid: %v", err)
		}
		// A new password for staff ends the user's sessions.
		s4, _ := sessions.CreateSession(ctx, u.ID)
		if _, err := sessions.UpsertStaffHash(ctx, "ada@example.com", "new hash"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := sessions.Authenticate(ctx, s4); models.ErrorCodeOf(err) != models.ENotFound {
			t.Fatalf("session survived a password change: %v", err)
		}
	})
}
