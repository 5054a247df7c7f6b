package gormstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/internal/testdb"
	"github.com/contactgate/contactgate/models"
)

// TestSeed: the seeded data is valid by the domain's own rules (emails,
// phones, names, support hours, alert contacts among the members), its
// stored gates agree with the stored values, it has complete and locked
// accounts in both environments, and a database can be seeded twice.
func TestSeed(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		db := open(t, driver, dsn, nil)
		ctx := context.Background()
		var progress []int
		stats, err := db.Seed(ctx, gormstore.SeedOptions{Accounts: 230, Seed: 42, ChunkSize: 100,
			Progress: func(done int) { progress = append(progress, done) }})
		if err != nil {
			t.Fatal(err)
		}
		if stats.Accounts != 230 || stats.Unlocked+stats.SandboxOnly+stats.Locked != 230 || len(progress) != 3 || progress[2] != 230 {
			t.Fatalf("stats %+v, progress %v", stats, progress)
		}
		if stats.Unlocked == 0 || stats.SandboxOnly == 0 || stats.Locked == 0 || stats.Members <= stats.Accounts || stats.Users < stats.Accounts {
			t.Errorf("unrealistic mix: %+v", stats)
		}
		if _, err := db.Seed(ctx, gormstore.SeedOptions{Accounts: 20, Seed: 42}); err != nil {
			t.Fatalf("seeding again: %v", err)
		}

		var ids []string
		if err := db.Gorm().Table("accounts").Order("id").Pluck("id", &ids).Error; err != nil {
			t.Fatal(err)
		}
		if len(ids) != 250 {
			t.Fatalf("%d accounts", len(ids))
		}
		// A seeded database is in a steady state: the reminders already due
		// are recorded as sent (some are: reviews span 450 days).
		var sent int64
		if err := db.Gorm().Table("review_reminders").Count(&sent).Error; err != nil || sent == 0 {
			t.Errorf("%d review reminders recorded (%v)", sent, err)
		}
		policy := models.DefaultReviewPolicy()
		for _, k := range models.ReminderKinds {
			due, err := db.ReminderCandidates(ctx, k, policy.ReminderThreshold(k, time.Now()), nil, 10)
			if err != nil || len(due) > 0 {
				t.Errorf("reminder %s due after seeding: %d accounts (%v)", k, len(due), err)
			}
		}

		infos, err := db.ContactInfosByAccountIDs(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		gates, err := db.GatesByAccountIDs(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		members, err := db.MembersByAccountIDs(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		accounts, err := db.AccountsByIDs(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		for _, acc := range accounts {
			info := infos[acc.ID]
			if info == nil {
				t.Fatalf("%s has no contact info", acc.Name)
			}
			if got := models.MissingSet(*info); got != gates[acc.ID].Missing {
				t.Errorf("%s: stored gate %v, computed %v", acc.Name, gates[acc.ID], got)
			}
			if info.MerchantIssuesRequirement != db.Catalog().MerchantIssues(acc.IntegrationTypes) {
				t.Errorf("%s: merchant issues %s for %v", acc.Name, info.MerchantIssuesRequirement, acc.IntegrationTypes)
			}
			// Every value passes the same validation as a save through the API.
			patch := models.ContactInfoPatch{Environment: models.EnvironmentProduction}
			in := func(cs []models.Contact) *[]models.ContactInput {
				out := make([]models.ContactInput, len(cs))
				for i, c := range cs {
					out[i] = c.Input()
				}
				return &out
			}
			patch.TechnicalEmergency, patch.TechnicalNonEmergency = in(info.TechnicalEmergency), in(info.TechnicalNonEmergency)
			patch.MerchantIssues, patch.OperationalForGoogle = in(info.MerchantIssues), in(info.OperationalForGoogle)
			if info.MerchantIssuesRequirement == models.Unavailable {
				patch.MerchantIssues = nil
			}
			if u := info.OperationalForUsers; u != nil {
				patch.SetOperationalForUsers = true
				patch.OperationalForUsers = &models.ContactInput{Name: u.Name, Email: u.Email, Phone: u.Phone}
			}
			if h := info.OperationalSupport; h != nil {
				patch.SetOperationalSupport = true
				hin := &models.SupportHoursInput{AlwaysOpen: h.AlwaysOpen}
				for _, w := range h.Windows {
					hin.Windows = append(hin.Windows, &models.SupportWindowInput{Days: w.Days, Opens: w.Opens, Closes: w.Closes, TimeZone: w.TimeZone})
				}
				patch.OperationalSupport = hin
			}
			isMember := map[string]bool{}
			for _, m := range members[acc.ID] {
				isMember[m.UserID] = true
			}
			ids := info.AlertContactIDs
			patch.AlertContactUserIDs = &ids
			if _, err := models.ValidatePatch(patch, models.PatchRules{MerchantIssues: info.MerchantIssuesRequirement,
				IsMember: func(id string) bool { return isMember[id] }}); err != nil {
				t.Fatalf("%s: the seeded contact info is not valid: %v", acc.Name, err)
			}
			admins := 0
			for _, m := range members[acc.ID] {
				if m.Role == models.RoleAdministrator {
					admins++
				}
			}
			if admins == 0 {
				t.Errorf("%s has no administrator", acc.Name)
			}
		}
	})
}
