package gormstore_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/internal/storetest"
	"github.com/contactgate/contactgate/internal/testdb"
	"github.com/contactgate/contactgate/models"
	"github.com/contactgate/contactgate/service"
)

// These tests run the contact info store on SQLite and PostgreSQL: values
// round-trip exactly, a refused save changes nothing, the stored gate
// columns that the staff listing filters on agree with the gate, history
// pages by keyset, and concurrent saves neither lose a version nor let two
// holders of one expectedVersion both win.

// ciClock is a settable clock.
type ciClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *ciClock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *ciClock) Set(t time.Time)         { c.mu.Lock(); defer c.mu.Unlock(); c.now = t }
func (c *ciClock) Advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.now = c.now.Add(d) }

// ciWorld is a store with one account (merchant contact REQUIRED), its
// administrator, an editor, and a user of another account.
type ciWorld struct {
	db *gormstore.DB
	// ci saves through the contact info service, which owns the rules
	// these tests check.
	ci                     *service.ContactInfoService
	clock                  *ciClock
	admin, editor, outside *models.User
	acc                    *models.Account
}

func ciOpen(t *testing.T, driver, dsn string) *ciWorld {
	t.Helper()
	ctx := context.Background()
	clock := &ciClock{now: time.Date(2026, 3, 1, 12, 0, 0, 123456789, time.UTC)}
	url := dsn
	if driver == testdb.DriverSQLite {
		url = "sqlite:" + dsn
	}
	db, err := gormstore.Open(ctx, gormstore.Options{URL: url, Clock: clock.Now})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	storetest.CheckContactsDocs(t, db)
	if err := db.Migrate(); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	w := &ciWorld{db: db, ci: service.New(service.Deps{Store: db, Clock: clock.Now}).ContactInfo, clock: clock}
	for _, u := range []struct {
		p     **models.User
		email string
	}{{&w.admin, "admin@alpha.example"}, {&w.editor, "editor@alpha.example"}, {&w.outside, "admin@beta.example"}} {
		name := u.email
		if *u.p, err = db.CreateUser(ctx, u.email, &name, "x", false); err != nil {
			t.Fatal(err)
		}
	}
	if w.acc, err = db.CreateDemoAccount(ctx, nil, "Alpha", []string{"BUSINESS_LINK", "APPOINTMENTS_E2E"}, w.admin.Email, "", ""); err != nil {
		t.Fatal(err)
	}
	if err := db.AddMember(ctx, w.acc.ID, w.editor.ID, models.RoleEditor); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateDemoAccount(ctx, nil, "Beta", []string{"BUSINESS_LINK"}, w.outside.Email, "", ""); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *ciWorld) info(t *testing.T) *models.ContactInfo {
	t.Helper()
	info, err := w.db.ContactInfo(context.Background(), w.acc.ID)
	if err != nil {
		t.Fatal(err)
	}
	return info
}

func (w *ciWorld) history(t *testing.T) ([]*models.Change, int64) {
	t.Helper()
	changes, _, total, err := w.db.History(context.Background(), w.acc.ID, 100, "")
	if err != nil {
		t.Fatal(err)
	}
	return changes, total
}

// listed reports whether the staff listing with filter f includes the account.
func (w *ciWorld) listed(t *testing.T, f gormstore.AccountFilter) bool {
	t.Helper()
	page, err := w.db.ListAccounts(context.Background(), f, 100, "")
	if err != nil {
		t.Fatalf("list %+v: %v", f, err)
	}
	for _, a := range page.Accounts {
		if a.ID == w.acc.ID {
			return true
		}
	}
	return false
}

// checkGate compares the gate with the staff listing's filters, which read
// the denormalised locked/missing columns, in both environments.
func (w *ciWorld) checkGate(t *testing.T, step string, wantSandbox, wantProduction []models.ContactField) {
	t.Helper()
	ctx := context.Background()
	for env, want := range map[models.Environment][]models.ContactField{
		models.EnvironmentSandbox: wantSandbox, models.EnvironmentProduction: wantProduction,
	} {
		gate, err := w.db.Gate(ctx, w.acc.ID, env)
		if err != nil {
			t.Fatal(err)
		}
		if gate.Locked != (len(want) > 0) || !slices.Equal(gate.Missing, want) {
			t.Errorf("%s, %s: gate %+v, want missing %v", step, env, gate, want)
		}
		if want == nil {
			want = []models.ContactField{}
		}
		if m := models.Missing(*w.info(t), env); !slices.Equal(m, want) {
			t.Errorf("%s, %s: stored gate %v, computed from the stored values %v", step, env, want, m)
		}
		for _, locked := range []bool{true, false} {
			if got := w.listed(t, gormstore.AccountFilter{Locked: &locked, Environment: env}); got != (locked == (len(want) > 0)) {
				t.Errorf("%s, %s: listed with locked=%v: %v", step, env, locked, got)
			}
		}
		for _, f := range models.ContactFields {
			if got := w.listed(t, gormstore.AccountFilter{Missing: f, Environment: env}); got != slices.Contains(want, f) {
				t.Errorf("%s, %s: listed with missing=%s: %v", step, env, f, got)
			}
		}
	}
}

func ciPtr[T any](v T) *T { return &v }

func ciContacts(emails ...string) *[]models.ContactInput {
	out := make([]models.ContactInput, len(emails))
	for i, e := range emails {
		out[i] = models.ContactInput{Email: e}
	}
	return &out
}

func TestContactInfoStore(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		ctx := context.Background()
		w := ciOpen(t, driver, dsn)
		sandbox := models.EnvironmentSandbox
		all := slices.Clone(models.ContactFields)
		noAlert := all[1:]

		fresh := w.info(t)
		if fresh.Version != 0 || fresh.MerchantIssuesRequirement != models.Required || fresh.UpdatedAt != nil ||
			fresh.TechnicalEmergency == nil || fresh.AlertContactIDs == nil || fresh.OperationalSupport != nil {
			t.Fatalf("fresh contact info: %+v", fresh)
		}
		w.checkGate(t, "fresh", noAlert, all)

		// A full save: values round-trip exactly, in order.
		ten := make([]models.ContactInput, 10)
		for i := range ten {
			ten[i] = models.ContactInput{Email: fmt.Sprintf("c%02d@alpha.example", 9-i)}
		}
		full := models.ContactInfoPatch{
			Environment:         models.EnvironmentProduction,
			AlertContactUserIDs: &[]string{w.editor.ID, w.admin.ID},
			TechnicalEmergency: &[]models.ContactInput{{Name: ciPtr(" Zoë Ñandú 日本 "), Email: "Pager@Alpha.Example",
				Phone: ciPtr("+39 06 1234 5678")}},
			TechnicalNonEmergency: &ten,
			MerchantIssues:        ciContacts("merchants@alpha.example"),
			OperationalForGoogle:  ciContacts("ops@alpha.example", "ops2@alpha.example"),
			OperationalForUsers:   &models.ContactInput{Email: "help@alpha.example", Name: ciPtr("Help")},
			OperationalSupport: &models.SupportHoursInput{Windows: []*models.SupportWindowInput{
				{Days: []models.DayOfWeek{models.Sunday, models.Monday}, Opens: "22:00", Closes: "06:00", TimeZone: "America/New_York"},
				{Days: []models.DayOfWeek{models.Saturday}, Opens: "09:00", Closes: "12:30", TimeZone: "Europe/Rome"},
			}},
		}
		saved, err := w.ci.Update(ctx, &w.admin.ID, w.acc.ID, full)
		if err != nil {
			t.Fatal(err)
		}
		got := w.info(t)
		if !reflect.DeepEqual(saved, got) {
			t.Errorf("saved and re-read differ:\nsaved %+v\nread  %+v", saved, got)
		}
		if got.Version != 1 || got.UpdatedAt == nil || !got.UpdatedAt.Equal(w.clock.Now().Truncate(time.Microsecond)) ||
			got.UpdatedByID == nil || *got.UpdatedByID != w.admin.ID {
			t.Errorf("version %d, updatedAt %v (clock %v), updatedBy %v", got.Version, got.UpdatedAt, w.clock.Now(), got.UpdatedByID)
		}
		if !slices.Equal(got.AlertContactIDs, []string{w.editor.ID, w.admin.ID}) {
			t.Errorf("alert contacts %v", got.AlertContactIDs)
		}
		if c := got.TechnicalEmergency[0]; *c.Name != "Zoë Ñandú 日本" || c.Email != "pager@alpha.example" || *c.Phone != "+390612345678" {
			t.Errorf("technicalEmergency %+v", c)
		}
		for i, c := range got.TechnicalNonEmergency {
			if c.Email != ten[i].Email {
				t.Errorf("technicalNonEmergency[%d] = %s, want %s (order kept)", i, c.Email, ten[i].Email)
			}
		}
		wantHours := &models.SupportHours{Windows: []models.SupportWindow{
			{Days: []models.DayOfWeek{models.Monday, models.Sunday}, Opens: "22:00", Closes: "06:00", TimeZone: "America/New_York"},
			{Days: []models.DayOfWeek{models.Saturday}, Opens: "09:00", Closes: "12:30", TimeZone: "Europe/Rome"},
		}}
		if !reflect.DeepEqual(got.OperationalSupport, wantHours) {
			t.Errorf("support hours %+v", got.OperationalSupport)
		}
		if _, total := w.history(t); total != 7 {
			t.Errorf("history after a full save: %d records", total)
		}
		w.checkGate(t, "complete", nil, nil)

		// Refused saves change nothing: validation, conflict, unknown account.
		before := w.info(t)
		_, histBefore := w.history(t)
		w.clock.Advance(time.Hour)
		refused := []struct {
			name    string
			account string
			patch   models.ContactInfoPatch
			code    models.ErrorCode
		}{
			{"invalid", w.acc.ID, models.ContactInfoPatch{Environment: sandbox, TechnicalEmergency: ciContacts("ok@alpha.example"),
				OperationalForGoogle: ciContacts("bad")}, models.EValidation},
			{"alert contact of another account", w.acc.ID, models.ContactInfoPatch{Environment: models.EnvironmentProduction,
				AlertContactUserIDs: &[]string{w.outside.ID}}, models.EValidation},
			{"stale version", w.acc.ID, models.ContactInfoPatch{Environment: sandbox, ExpectedVersion: ciPtr(0),
				TechnicalEmergency: &[]models.ContactInput{}, SetOperationalForUsers: true}, models.EConflict},
			{"future version", w.acc.ID, models.ContactInfoPatch{Environment: sandbox, ExpectedVersion: ciPtr(2),
				TechnicalEmergency: &[]models.ContactInput{}}, models.EConflict},
			{"unknown account", "no-such-account", models.ContactInfoPatch{Environment: sandbox,
				TechnicalEmergency: ciContacts("x@alpha.example")}, models.ENotFound},
		}
		for _, r := range refused {
			_, err := w.ci.Update(ctx, &w.admin.ID, r.account, r.patch)
			var domain *models.Error
			if !errors.As(err, &domain) || domain.Code != r.code {
				t.Errorf("%s: got %v, want %s", r.name, err, r.code)
			}
			if after := w.info(t); !reflect.DeepEqual(after, before) {
				t.Errorf("%s changed the contact info:\nbefore %+v\nafter  %+v", r.name, before, after)
			}
			if _, total := w.history(t); total != histBefore {
				t.Errorf("%s recorded history", r.name)
			}
			w.checkGate(t, r.name, nil, nil)
		}

		// Emptying fields one save at a time; the stored gate follows.
		steps := []struct {
			patch                models.ContactInfoPatch
			wantSandbox, wantPrd []models.ContactField
		}{
			{models.ContactInfoPatch{Environment: models.EnvironmentProduction, AlertContactUserIDs: &[]string{}},
				nil, []models.ContactField{models.FieldAlertContacts}},
			{models.ContactInfoPatch{Environment: sandbox, SetOperationalSupport: true},
				[]models.ContactField{models.FieldOperationalSupport},
				[]models.ContactField{models.FieldAlertContacts, models.FieldOperationalSupport}},
			{models.ContactInfoPatch{Environment: sandbox, MerchantIssues: &[]models.ContactInput{}, SetOperationalForUsers: true},
				[]models.ContactField{models.FieldMerchantIssues, models.FieldOperationalForUsers, models.FieldOperationalSupport},
				[]models.ContactField{models.FieldAlertContacts, models.FieldMerchantIssues, models.FieldOperationalForUsers, models.FieldOperationalSupport}},
			{models.ContactInfoPatch{Environment: models.EnvironmentProduction, AlertContactUserIDs: &[]string{w.admin.ID},
				MerchantIssues: ciContacts("m@alpha.example"), OperationalForUsers: &models.ContactInput{Email: "h@alpha.example"},
				OperationalSupport: &models.SupportHoursInput{AlwaysOpen: true}},
				nil, nil},
		}
		for i, s := range steps {
			if _, err := w.ci.Update(ctx, &w.editor.ID, w.acc.ID, s.patch); err != nil {
				t.Fatalf("step %d: %v", i, err)
			}
			w.checkGate(t, fmt.Sprintf("step %d", i), s.wantSandbox, s.wantPrd)
		}
		if got := w.info(t); got.Version != 1+len(steps) || *got.UpdatedByID != w.editor.ID {
			t.Errorf("after %d steps: version %d, updatedBy %v", len(steps), got.Version, *got.UpdatedByID)
		}
	})
}

// TestHistoryPagesStore pages through history by keyset on both databases.
func TestHistoryPagesStore(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		ctx := context.Background()
		w := ciOpen(t, driver, dsn)
		want := 0
		for i := range 15 {
			w.clock.Advance(time.Second)
			p := models.ContactInfoPatch{Environment: models.EnvironmentSandbox,
				TechnicalEmergency: ciContacts(fmt.Sprintf("te%d@alpha.example", i))}
			want++
			if i%3 == 0 {
				p.OperationalForGoogle = ciContacts(fmt.Sprintf("og%d@alpha.example", i))
				want++
			}
			if _, err := w.ci.Update(ctx, &w.admin.ID, w.acc.ID, p); err != nil {
				t.Fatal(err)
			}
		}
		all, total := w.history(t)
		if int(total) != want || len(all) != want {
			t.Fatalf("history: %d of %d, want %d", len(all), total, want)
		}
		for i := 1; i < len(all); i++ {
			if all[i].At.After(all[i-1].At) || all[i].ID >= all[i-1].ID {
				t.Errorf("change %d (%s, %v) is not older than change %d (%s, %v)", i, all[i].ID, all[i].At, i-1, all[i-1].ID, all[i-1].At)
			}
		}
		if _, _, _, err := w.db.History(ctx, w.acc.ID, 5, "not-a-cursor"); models.ErrorCodeOf(err) != models.EValidation {
			t.Errorf("invalid cursor: %v", err)
		}
		for _, first := range []int{1, 4, want - 1, want} {
			var ids []string
			after := ""
			for range want + 1 {
				page, hasNext, total, err := w.db.History(ctx, w.acc.ID, first, after)
				if err != nil {
					t.Fatal(err)
				}
				if int(total) != want || len(page) > first {
					t.Errorf("first=%d: page of %d, total %d", first, len(page), total)
				}
				for _, c := range page {
					ids = append(ids, c.ID)
				}
				if !hasNext {
					break
				}
				after = page[len(page)-1].ID
			}
			if len(ids) != want {
				t.Errorf("first=%d: %d changes paged, want %d", first, len(ids), want)
			}
			for i, c := range all {
				if i < len(ids) && ids[i] != c.ID {
					t.Errorf("first=%d: change %d is %s, want %s", first, i, ids[i], c.ID)
					break
				}
			}
		}
	})
}

// TestConcurrentSavesStore: saves without expectedVersion all apply, one
// version each; saves with the same expectedVersion: exactly one applies.
func TestConcurrentSavesStore(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		ctx := context.Background()
		w := ciOpen(t, driver, dsn)
		const n = 8
		race := func(patch func(i int) models.ContactInfoPatch) []error {
			errs := make([]error, n)
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					<-start
					_, errs[i] = w.ci.Update(ctx, &w.admin.ID, w.acc.ID, patch(i))
				})
			}
			close(start)
			wg.Wait()
			return errs
		}
		for i, err := range race(func(i int) models.ContactInfoPatch {
			return models.ContactInfoPatch{Environment: models.EnvironmentSandbox,
				TechnicalEmergency: ciContacts(fmt.Sprintf("free%d@alpha.example", i))}
		}) {
			if err != nil {
				t.Errorf("save %d: %v", i, err)
			}
		}
		if v := w.info(t).Version; v != n {
			t.Errorf("%d saves: version %d", n, v)
		}
		if _, total := w.history(t); total != n {
			t.Errorf("%d saves: %d history records", n, total)
		}

		for round := range 3 {
			v := w.info(t).Version
			errs := race(func(i int) models.ContactInfoPatch {
				return models.ContactInfoPatch{Environment: models.EnvironmentSandbox, ExpectedVersion: ciPtr(v),
					TechnicalNonEmergency: ciContacts(fmt.Sprintf("r%d-%d@alpha.example", round, i))}
			})
			won := 0
			for i, err := range errs {
				switch code := models.ErrorCodeOf(err); {
				case err == nil:
					won++
				case code != models.EConflict:
					t.Errorf("round %d save %d: %v", round, i, err)
				}
			}
			if won != 1 {
				t.Errorf("round %d: %d saves won", round, won)
			}
			if got := w.info(t).Version; got != v+1 {
				t.Errorf("round %d: version %d → %d", round, v, got)
			}
		}
	})
}

// TestContactsDocsFollowTheRows: the staff listing's contacts document
// (contactsdoc.go) is what the rows hold after each save, also when a
// save's patch differs from the stored value in a way that is no change
// (alert contacts in another order: a set, so not written), and when a
// writer that takes no lock of its own changes a row while a save that
// read the rows before it is in progress (PostgreSQL: the trigger waits
// for the save, then clears the document the save wrote).
func TestContactsDocsFollowTheRows(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		w := ciOpen(t, driver, dsn)
		ctx := context.Background()
		stale := func(step string) {
			t.Helper()
			if ids, err := w.db.StaleContactsDocs(ctx); err != nil || len(ids) > 0 {
				t.Fatalf("%s: stale documents %v (%v)", step, ids, err)
			}
		}
		for _, order := range [][]string{{w.admin.ID, w.editor.ID}, {w.editor.ID, w.admin.ID}} {
			saved, err := w.ci.Update(ctx, &w.admin.ID, w.acc.ID, models.ContactInfoPatch{Environment: models.EnvironmentProduction, AlertContactUserIDs: &order})
			if err != nil {
				t.Fatal(err)
			}
			stale(fmt.Sprintf("alert contacts %v", order))
			// The answer shows the stored order, as the next read does.
			if read := w.info(t).AlertContactIDs; !slices.Equal(saved.AlertContactIDs, read) {
				t.Errorf("alert contacts %v: the save answered %v, a read gives %v", order, saved.AlertContactIDs, read)
			}
		}
		if _, err := w.ci.Update(ctx, &w.admin.ID, w.acc.ID, models.ContactInfoPatch{Environment: models.EnvironmentProduction,
			TechnicalEmergency:   &[]models.ContactInput{{Email: "oncall@alpha.example", Phone: ciPtr("+39 06 1234 5678")}},
			OperationalForGoogle: ciContacts("ops@alpha.example")}); err != nil {
			t.Fatal(err)
		}
		stale("contacts saved")
		if driver != testdb.DriverPostgres {
			return // SQLite's immediate transactions serialise every writer
		}
		gdb := w.db.Gorm()
		// A first fix by hand clears the document; the second comes while
		// a save holds the account and has read the rows.
		if err := gdb.Exec(`UPDATE contacts SET name = 'first fix' WHERE account_id = ? AND field = 'OPERATIONAL_FOR_GOOGLE'`, w.acc.ID).Error; err != nil {
			t.Fatal(err)
		}
		fixed := make(chan error, 1)
		err := w.db.InTx(ctx, func(tx *gormstore.DB) error {
			current, err := tx.ContactInfoForUpdate(ctx, w.acc.ID)
			if err != nil {
				return err
			}
			go func() {
				fixed <- gdb.Exec(`UPDATE contacts SET name = 'second fix' WHERE account_id = ? AND field = 'OPERATIONAL_FOR_GOOGLE'`, w.acc.ID).Error
			}()
			select {
			case err := <-fixed:
				return fmt.Errorf("the fix by hand did not wait for the save (%v)", err)
			case <-time.After(300 * time.Millisecond):
			}
			next := *current
			next.TechnicalEmergency = []models.Contact{{Email: "pager@alpha.example"}}
			_, err = tx.SaveContactInfo(ctx, gormstore.ContactInfoWrite{ActorID: &w.admin.ID, Current: *current, Next: next,
				Changed: []models.ContactField{models.FieldTechnicalEmergency}, Missing: models.MissingSet(next)})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := <-fixed; err != nil {
			t.Fatal(err)
		}
		stale("a fix by hand during a save")
	})
}
