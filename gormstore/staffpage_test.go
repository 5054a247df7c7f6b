package gormstore_test

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/internal/testdb"
	"github.com/contactgate/contactgate/models"
)

// TestPageDetailsReadWhatTheSeparateReadsRead: what PageDetails reads for
// a page of the staff listing (contact infos built from the page's rows,
// contacts and alert contacts, members joined with their users,
// reachability, invitations; one batch on PostgreSQL) is exactly what the
// request loaders' separate reads give for the same accounts, and the
// page's integration types (read with the page) are the accounts'; on both
// databases.
func TestPageDetailsReadWhatTheSeparateReadsRead(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		now := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
		ctx := context.Background()
		url := dsn
		if driver == testdb.DriverSQLite {
			url = "sqlite:" + dsn
		}
		c := &gormstore.StatementCounter{}
		db, err := gormstore.Open(ctx, gormstore.Options{URL: url, Clock: func() time.Time { return now }, StatementCounter: c})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = db.Close() })
		if err := db.Migrate(); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Seed(ctx, gormstore.SeedOptions{Accounts: 60, Seed: 11}); err != nil {
			t.Fatal(err)
		}
		page, err := db.AccountsPage(ctx, gormstore.PageRequest{First: 40})
		if err != nil {
			t.Fatal(err)
		}
		ids := make([]string, len(page.Accounts))
		for i, a := range page.Accounts {
			ids[i] = a.ID
		}
		// Some reachability and an open invitation, so that those reads
		// have rows to compare.
		detail := "confirmed by link"
		for _, id := range ids[:5] {
			info, err := db.ContactInfo(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range info.TechnicalEmergency {
				if _, err := db.InsertReachability(ctx, models.Reachability{AccountID: id, Email: models.NormalizeEmail(c.Email),
					State: models.ReachVerified, Since: now, Detail: &detail}); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := db.InsertInvitation(ctx, gormstore.NewInvitation{AccountID: id, Email: "new.colleague@" + id + ".test",
				Role: models.RoleAdministrator, TokenHash: "hash-" + id, CreatedAt: now, ExpiresAt: now.Add(72 * time.Hour)}); err != nil {
				t.Fatal(err)
			}
		}

		before := c.Count()
		d, err := db.PageDetails(ctx, page, gormstore.PageSelection{ContactInfo: true, Members: true, MemberUsers: true,
			Invitations: true, Reachability: true})
		if err != nil {
			t.Fatal(err)
		}
		// Members with users, reachability, invitations: the contacts
		// and alert contacts came with the page, in its documents.
		if n := c.Count() - before; n != 3 {
			t.Errorf("PageDetails of %d accounts: %d statements, want 3", len(ids), n)
		}

		infos, err := db.ContactInfosByAccountIDs(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(d.ContactInfos, infos) {
			t.Errorf("contact infos differ from ContactInfosByAccountIDs")
			for _, id := range ids {
				if !reflect.DeepEqual(d.ContactInfos[id], infos[id]) {
					t.Fatalf("%s:\n page %+v\n read %+v", id, d.ContactInfos[id], infos[id])
				}
			}
		}
		members, err := db.MembersByAccountIDs(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(d.Members, members) {
			t.Errorf("members differ from MembersByAccountIDs:\n page %v\n read %v", d.Members, members)
		}
		var userIDs []string
		for _, ms := range members {
			for _, m := range ms {
				userIDs = append(userIDs, m.UserID)
			}
		}
		slices.Sort(userIDs)
		users, err := db.UserProfilesByIDs(ctx, slices.Compact(userIDs))
		if err != nil {
			t.Fatal(err)
		}
		byID := map[string]*models.User{}
		for _, u := range users {
			byID[u.ID] = u
		}
		if len(byID) == 0 || !reflect.DeepEqual(d.Users, byID) {
			t.Errorf("members' users differ from UserProfilesByIDs (%d users, page %d)", len(byID), len(d.Users))
		}
		reach, err := db.ReachabilityByAccountIDs(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		if len(reach) == 0 || !reflect.DeepEqual(d.Reachability, reach) {
			t.Errorf("reachability differs from ReachabilityByAccountIDs (%d accounts, page %d)", len(reach), len(d.Reachability))
		}
		invitations, err := db.InvitationsByAccountIDs(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		if len(invitations) != 5 || !reflect.DeepEqual(d.Invitations, invitations) {
			t.Errorf("invitations differ from InvitationsByAccountIDs (%d accounts, page %d)", len(invitations), len(d.Invitations))
		}
		accounts, err := db.AccountsByIDs(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		types := map[string][]string{}
		for _, a := range accounts {
			types[a.ID] = a.IntegrationTypes
		}
		for _, a := range page.Accounts {
			if !reflect.DeepEqual(a.IntegrationTypes, types[a.ID]) {
				t.Errorf("%s: the page's integration types %v, the account's %v", a.ID, a.IntegrationTypes, types[a.ID])
			}
		}

		// Rows written by statements other than a save (a hand-made fix,
		// a cascade) clear their accounts' documents, whose contacts are
		// then read from the rows: two statements more, for those
		// accounts only, and still what the separate reads give.
		gdb := db.Gorm()
		for _, stmt := range []struct {
			sql  string
			args []any
		}{
			{`UPDATE contacts SET name = 'Fixed by hand' WHERE account_id = ?`, []any{ids[0]}},
			{`DELETE FROM contacts WHERE account_id = ? AND field = 'TECHNICAL_EMERGENCY'`, []any{ids[1]}},
			{`INSERT INTO contacts (account_id, field, position, email) VALUES (?, 'MERCHANT_ISSUES', 9, 'added@by.hand.test')`, []any{ids[2]}},
			{`DELETE FROM alert_contacts WHERE account_id = ?`, []any{ids[3]}},
			{`DELETE FROM members WHERE account_id = ? AND user_id IN (SELECT user_id FROM alert_contacts WHERE account_id = ?)`, []any{ids[4], ids[4]}},
		} {
			if err := gdb.Exec(stmt.sql, stmt.args...).Error; err != nil {
				t.Fatal(err)
			}
		}
		var cleared []string
		if err := gdb.Raw(`SELECT account_id FROM contact_infos WHERE contacts_doc IS NULL ORDER BY account_id`).Scan(&cleared).Error; err != nil {
			t.Fatal(err)
		}
		if want := slices.Sorted(slices.Values(ids[:5])); !slices.Equal(cleared, want) {
			t.Errorf("documents cleared: %v, want %v", cleared, want)
		}
		if stale, err := db.StaleContactsDocs(ctx); err != nil || len(stale) > 0 {
			t.Errorf("stale documents %v (%v)", stale, err)
		}
		if page, err = db.AccountsPage(ctx, gormstore.PageRequest{First: 40}); err != nil {
			t.Fatal(err)
		}
		before = c.Count()
		if d, err = db.PageDetails(ctx, page, gormstore.PageSelection{ContactInfo: true}); err != nil {
			t.Fatal(err)
		}
		if n := c.Count() - before; n != 2 {
			t.Errorf("PageDetails with 5 documents cleared: %d statements, want 2", n)
		}
		if infos, err = db.ContactInfosByAccountIDs(ctx, ids); err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			if !reflect.DeepEqual(d.ContactInfos[id], infos[id]) {
				t.Fatalf("%s after a direct write:\n page %+v\n read %+v", id, d.ContactInfos[id], infos[id])
			}
		}
		if *d.ContactInfos[ids[0]].TechnicalEmergency[0].Name != "Fixed by hand" || len(d.ContactInfos[ids[3]].AlertContactIDs) != 0 {
			t.Errorf("the direct writes are not read: %+v", d.ContactInfos[ids[0]])
		}

		// A document that differs from its rows is found.
		if err := gdb.Exec(`UPDATE contact_infos SET contacts_doc = '1' WHERE account_id = ?`, ids[10]).Error; err != nil {
			t.Fatal(err)
		}
		if stale, err := db.StaleContactsDocs(ctx); err != nil || !slices.Equal(stale, []string{ids[10]}) {
			t.Errorf("stale documents %v (%v), want [%s]", stale, err, ids[10])
		}

		// A document this version cannot read (another format, during a
		// rolling deploy) is read from the rows, not an error of the page.
		if err := gdb.Exec(`UPDATE contact_infos SET contacts_doc = '2 a later format' WHERE account_id = ?`, ids[11]).Error; err != nil {
			t.Fatal(err)
		}
		if page, err = db.AccountsPage(ctx, gormstore.PageRequest{First: 40}); err != nil {
			t.Fatal(err)
		}
		if d, err = db.PageDetails(ctx, page, gormstore.PageSelection{ContactInfo: true}); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(d.ContactInfos[ids[11]], infos[ids[11]]) || len(infos[ids[11]].Contacts(models.FieldOperationalForUsers)) == 0 && len(infos[ids[11]].TechnicalEmergency) == 0 {
			t.Errorf("%s with an unreadable document:\n page %+v\n read %+v", ids[11], d.ContactInfos[ids[11]], infos[ids[11]])
		}

		// Nothing selected: nothing read.
		before = c.Count()
		if _, err := db.PageDetails(ctx, page, gormstore.PageSelection{}); err != nil {
			t.Fatal(err)
		}
		if n := c.Count() - before; n != 0 {
			t.Errorf("an empty selection read %d statements", n)
		}
	})
}
