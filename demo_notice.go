package main

import (
	"context"
	"fmt"

	"github.com/contactgate/contactgate/gormstore"
)

// demoNotice reminds, on a restart over an existing demo database, where the
// demo sign-ins are: createDemo prints them only once, on the empty database,
// and a newcomer who restarts has lost them. It says nothing when the demo
// staff user does not exist (a real database), and never prints a password
// that may have been changed since: it names the defaults as such.
func demoNotice(ctx context.Context, db *gormstore.DB) string {
	if _, err := db.UserByEmail(ctx, demoStaffEmail); err != nil {
		return ""
	}
	return fmt.Sprintf(`
Demo sign-ins (created on the first start; passwords as printed then, unless changed):
  staff (all accounts):              %s / %s
  administrator of "Demo Partner":   %s / %s
  staff dashboard: /staff
`, demoStaffEmail, demoStaffPassword, demoAdminEmail, demoAdminPassword)
}
