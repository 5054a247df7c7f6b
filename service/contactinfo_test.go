package service_test

import (
	"context"
	"errors"
	"github.com/contactgate/contactgate/internal/storetest"
	"slices"
	"sync"
	"testing"

	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/internal/testdb"
	"github.com/contactgate/contactgate/models"
	"github.com/contactgate/contactgate/service"
)

// events records what the services announce.
type events struct {
	mu    sync.Mutex
	gates []string
	mails int
	reach []service.ReachabilityChange
}

func (e *events) GateChanged(id string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.gates = append(e.gates, id)
}
func (e *events) AccessChanged(string) {}
func (e *events) MailQueued()          { e.mu.Lock(); defer e.mu.Unlock(); e.mails++ }
func (e *events) ReachabilityChanged(c service.ReachabilityChange) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.reach = append(e.reach, c)
}

func (e *events) ReviewDue(string, models.ReminderKind) {}
func (e *events) MemberRemoved(string, string, string)  {}

func (e *events) take() ([]string, int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	g, m := e.gates, e.mails
	e.gates, e.mails = nil, 0
	return g, m
}

func open(t *testing.T, driver, dsn string) (*gormstore.DB, *service.Services, *events, *models.User, *models.Account) {
	t.Helper()
	ctx := context.Background()
	db := storetest.Open(t, driver, dsn, nil)
	name := "Admin"
	admin, err := db.CreateUser(ctx, "admin@alpha.example", &name, "x", false)
	if err != nil {
		t.Fatal(err)
	}
	acc, err := db.CreateDemoAccount(ctx, nil, "Alpha", []string{"BUSINESS_LINK"}, admin.Email, "", "")
	if err != nil {
		t.Fatal(err)
	}
	ev := &events{}
	return db, service.New(service.Deps{Store: db, Events: ev}), ev, admin, acc
}

// TestContactInfoEventsAfterCommit: a save that changes the gate announces
// it once, after the commit; a refused save, a save that leaves the gate
// as it was and a save rolled back with its caller's transaction announce
// nothing. These announcements were store hooks before; a service must
// keep them tied to the commit.
func TestContactInfoEventsAfterCommit(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		db, s, ev, admin, acc := open(t, driver, dsn)
		ctx := context.Background()
		te := []models.ContactInput{{Email: "pager@alpha.example"}}
		patch := models.ContactInfoPatch{Environment: models.EnvironmentSandbox, TechnicalEmergency: &te}

		// Rolled back with the caller's transaction: nothing announced,
		// nothing saved.
		errRollback := errors.New("roll back")
		err := db.InTx(ctx, func(tx *gormstore.DB) error {
			inner := service.New(service.Deps{Store: tx, Events: ev})
			if _, err := inner.ContactInfo.Update(ctx, &admin.ID, acc.ID, patch); err != nil {
				return err
			}
			if gates, _ := ev.take(); len(gates) != 0 {
				t.Errorf("announced before the commit: %v", gates)
			}
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			t.Fatalf("outer transaction: %v", err)
		}
		if gates, _ := ev.take(); len(gates) != 0 {
			t.Errorf("a rolled-back save announced %v", gates)
		}
		if info, err := s.ContactInfo.Get(ctx, acc.ID); err != nil || info.Version != 0 || len(info.TechnicalEmergency) != 0 {
			t.Fatalf("rolled-back save kept: %+v %v", info, err)
		}

		saved, err := s.ContactInfo.Update(ctx, &admin.ID, acc.ID, patch)
		if err != nil {
			t.Fatal(err)
		}
		if gates, _ := ev.take(); !slices.Equal(gates, []string{acc.ID}) {
			t.Errorf("gate-changing save announced %v, want [%s]", gates, acc.ID)
		}

		stale := saved.Version - 1
		again := patch
		again.ExpectedVersion = &stale
		if _, err := s.ContactInfo.Update(ctx, &admin.ID, acc.ID, again); models.ErrorCodeOf(err) != models.EConflict {
			t.Fatalf("stale version: %v", err)
		}
		bad := []models.ContactInput{{Email: "not an email"}}
		if _, err := s.ContactInfo.Update(ctx, &admin.ID, acc.ID, models.ContactInfoPatch{Environment: models.EnvironmentSandbox, TechnicalEmergency: &bad}); models.ErrorCodeOf(err) != models.EValidation {
			t.Fatalf("invalid email: %v", err)
		}
		if _, err := s.ContactInfo.Update(ctx, &admin.ID, acc.ID, patch); err != nil {
			t.Fatal(err)
		}
		if gates, _ := ev.take(); len(gates) != 0 {
			t.Errorf("refused saves and an unchanged gate announced %v", gates)
		}
	})
}

// TestNotificationMailQueuedAfterCommit: a sent notification wakes the
// outbox once, after its mails committed; a refused one does not.
func TestNotificationMailQueuedAfterCommit(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		_, s, ev, admin, acc := open(t, driver, dsn)
		ctx := context.Background()
		if _, err := s.Notifications.Send(ctx, admin, acc.ID, models.KindTechnicalEmergency, "Down", "It is down"); models.ErrorCodeOf(err) != models.EContactInfoRequired {
			t.Fatalf("no recipients: %v", err)
		}
		if _, err := s.Notifications.Send(ctx, admin, acc.ID, models.KindTechnicalEmergency, " ", "It is down"); models.ErrorCodeOf(err) != models.EValidation {
			t.Fatalf("empty subject: %v", err)
		}
		if _, mails := ev.take(); mails != 0 {
			t.Errorf("refused notifications woke the outbox %d times", mails)
		}
		te := []models.ContactInput{{Email: "pager@alpha.example"}, {Email: "oncall@alpha.example"}}
		if _, err := s.ContactInfo.Update(ctx, &admin.ID, acc.ID, models.ContactInfoPatch{Environment: models.EnvironmentSandbox, TechnicalEmergency: &te}); err != nil {
			t.Fatal(err)
		}
		if _, mails := ev.take(); mails != 1 {
			t.Errorf("a save adding two addresses woke the outbox %d times, want 1 (their verification mails)", mails)
		}
		n, err := s.Notifications.Send(ctx, admin, acc.ID, models.KindTechnicalEmergency, "Down", "It is down")
		if err != nil {
			t.Fatal(err)
		}
		if _, mails := ev.take(); mails != 1 {
			t.Errorf("a notification woke the outbox %d times, want 1", mails)
		}
		ds, err := s.Notifications.Deliveries(ctx, n.ID)
		if err != nil || len(ds) != 2 {
			t.Fatalf("deliveries: %v %v", ds, err)
		}
	})
}
