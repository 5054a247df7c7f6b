package service_test

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/contactgate/contactgate/auth"
	"github.com/contactgate/contactgate/internal/testdb"
	"github.com/contactgate/contactgate/models"
	"github.com/contactgate/contactgate/service"
)

// recorder records what the services announce.
type recorder struct {
	mu     sync.Mutex
	events []string
}

func (r *recorder) add(e string)             { r.mu.Lock(); r.events = append(r.events, e); r.mu.Unlock() }
func (r *recorder) GateChanged(id string)    { r.add("gate:" + id) }
func (r *recorder) AccessChanged(key string) { r.add("access:" + key) }
func (r *recorder) MailQueued()              { r.add("mail") }
func (r *recorder) ReviewDue(id string, k models.ReminderKind) {
	r.add("review:" + id + ":" + string(k))
}
func (r *recorder) MemberRemoved(accountID, userID, _ string) {
	r.add("removed:" + accountID + ":" + userID)
}
func (r *recorder) ReachabilityChanged(service.ReachabilityChange) {}
func (r *recorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.events
	r.events = nil
	return out
}

// TestMemberGuardsAndEvents: the member guards hold at the service (below
// any resolver), a refused change announces nothing, and a committed one
// announces exactly what changed, on both databases.
func TestMemberGuardsAndEvents(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		db := openStore(t, driver, dsn, nil)
		rec := &recorder{}
		svc := service.New(service.Deps{Store: db, Hasher: auth.NewHasher(true), Events: rec})
		ctx := context.Background()
		acc, err := svc.Accounts.Create(ctx, nil, "Acme", []string{"THINGS_TO_DO"}, "boss@acme.example")
		if err != nil {
			t.Fatal(err)
		}
		rec.take() // the invitation of the first administrator
		a, _ := db.CreateUser(ctx, "a@acme.example", nil, "", false)
		b, _ := db.CreateUser(ctx, "b@acme.example", nil, "", false)
		for _, u := range []*models.User{a, b} {
			if err := db.AddMember(ctx, acc.ID, u.ID, models.RoleAdministrator); err != nil {
				t.Fatal(err)
			}
		}
		rec.take()

		if _, err := svc.Members.UpdateRole(ctx, a.ID, acc.ID, a.ID, models.RoleEditor); models.ErrorCodeOf(err) != models.EForbidden {
			t.Fatalf("own role: %v", err)
		}
		if _, err := svc.Members.UpdateRole(ctx, a.ID, acc.ID, b.ID, models.RoleEditor); err != nil {
			t.Fatal(err)
		}
		if got := rec.take(); !slices.Equal(got, []string{"access:" + acc.ID}) {
			t.Fatalf("role change announced %v", got)
		}
		// b is an editor now: a is the last administrator.
		if _, err := svc.Members.UpdateRole(ctx, b.ID, acc.ID, a.ID, models.RoleEditor); models.ErrorCodeOf(err) != models.EConflict {
			t.Fatalf("last administrator: %v", err)
		}
		if err := svc.Members.Remove(ctx, &b.ID, acc.ID, a.ID); models.ErrorCodeOf(err) != models.EConflict {
			t.Fatalf("remove the last administrator: %v", err)
		}
		if got := rec.take(); len(got) != 0 {
			t.Fatalf("refused changes announced %v", got)
		}

		if _, err := svc.Members.Invite(ctx, a, acc.ID, "new@acme.example", models.RoleReadOnly); err != nil {
			t.Fatal(err)
		}
		if got := rec.take(); !slices.Equal(got, []string{"mail"}) {
			t.Fatalf("invitation announced %v", got)
		}
		var queued int64
		db.Gorm().Table("outbox").Where("to_email = ?", "new@acme.example").Count(&queued)
		if queued != 1 {
			t.Fatalf("invitation mail queued %d times", queued)
		}
		if err := svc.Members.Remove(ctx, &a.ID, acc.ID, b.ID); err != nil {
			t.Fatal(err)
		}
		if got := rec.take(); !slices.Equal(got, []string{"access:" + acc.ID, "access:user:" + b.ID, "removed:" + acc.ID + ":" + b.ID}) {
			t.Fatalf("removal announced %v", got)
		}
	})
}
