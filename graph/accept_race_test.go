package graph_test

import (
	"context"
	"testing"
	"time"

	"github.com/contactgate/contactgate/internal/apitest"
	"github.com/contactgate/contactgate/internal/testdb"
	"github.com/contactgate/contactgate/models"
)

// TestAcceptRacesAnotherRegistration: while an invitation is being accepted,
// the same email is registered by another transaction (another invitation
// accepted at the same moment). The acceptance must answer CONFLICT, not
// INTERNAL, change nothing, and work when tried again by the registered
// user, signed in (the link alone never acts as that user's password). The race is made
// deterministic on PostgreSQL: the other transaction holds the new user row
// uncommitted until the acceptance waits on its unique index.
func TestAcceptRacesAnotherRegistration(t *testing.T) {
	s := apitest.NewWith(t, apitest.Options{Driver: testdb.DriverPostgres, DSN: testdb.Postgres(t)})
	f := s.Fixture()
	email := "twice@new.example"
	ctx := context.Background()
	if _, err := s.Services.Members.Invite(ctx, f.Admin, f.AccountA.ID, email, models.RoleEditor); err != nil {
		t.Fatal(err)
	}
	_, token := latestInvitationToken(t, s, email)

	hash, err := s.Hasher.Hash(ctx, apitest.Password)
	if err != nil {
		t.Fatal(err)
	}
	other := s.DB.Gorm().Begin()
	if err := other.Exec(`INSERT INTO users (id, email, password_hash, staff, locale, created_at)
		VALUES ('racing-user', ?, ?, false, '', ?)`, email, hash, time.Now().UTC()).Error; err != nil {
		t.Fatal(err)
	}
	done := make(chan *apitest.Response, 1)
	go func() {
		_, r := accept(s, token, "Twice", "a long enough password")
		done <- r
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var waiting int64
		if err := s.DB.Gorm().Raw(`SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&waiting).Error; err != nil {
			t.Fatal(err)
		}
		if waiting > 0 {
			break
		}
		if time.Now().After(deadline) {
			other.Rollback()
			t.Fatal("the acceptance never waited on the other registration")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := other.Commit().Error; err != nil {
		t.Fatal(err)
	}
	r := <-done
	if r.Code() != "CONFLICT" {
		t.Fatalf("racing acceptance: %s", r.Raw)
	}
	if n := countRows(t, s, "members", "user_id = ?", "racing-user"); n != 0 {
		t.Fatalf("a refused acceptance added %d memberships", n)
	}
	// The email now has a user: the link alone no longer accepts (it would
	// sign in as somebody else's user); signed in as that user, it does.
	if _, r := accept(s, token, "Twice", "a long enough password"); r.Code() != "UNAUTHENTICATED" {
		t.Fatalf("accepting again with the link alone: %s", r.Raw)
	}
	if n := countRows(t, s, "sessions", "user_id = ?", "racing-user"); n != 0 {
		t.Fatalf("the link alone made %d sessions for the other registration's user", n)
	}
	if r := s.Anonymous().SignIn(email, apitest.Password).Do(qAccept, map[string]any{"t": token, "n": "Twice", "p": ""}); r.Code() != "" {
		t.Fatalf("accepting again signed in: %s", r.Raw)
	}
	if n := countRows(t, s, "members", "user_id = ?", "racing-user"); n != 1 {
		t.Fatalf("memberships after accepting again: %d", n)
	}
}
