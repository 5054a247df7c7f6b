package main

import (
	"context"
	"fmt"

	"github.com/contactgate/contactgate/auth"
	"github.com/contactgate/contactgate/gormstore"
)

// Demo sign-ins, created on an empty database so that `go run .` shows a
// working portal at once. They are printed, never used on a database that
// already has users.
const (
	demoStaffEmail    = "staff@contactgate.local"
	demoStaffPassword = "staff-demo-password"
	demoAdminEmail    = "admin@demo-partner.example"
	demoAdminPassword = "admin-demo-password"
)

// createDemo fills an empty database with one staff user and one partner
// account, "Demo Partner", whose integration types require every field, with
// one administrator. It returns the text to print, or "" when the database
// was not empty.
func createDemo(ctx context.Context, db *gormstore.DB, hasher *auth.Hasher) (string, error) {
	empty, err := db.IsEmpty(ctx)
	if err != nil || !empty {
		return "", err
	}
	staffHash, err := hasher.Hash(ctx, demoStaffPassword)
	if err != nil {
		return "", err
	}
	staff, err := db.UpsertStaff(ctx, demoStaffEmail, staffHash)
	if err != nil {
		return "", err
	}
	adminHash, err := hasher.Hash(ctx, demoAdminPassword)
	if err != nil {
		return "", err
	}
	if _, err := db.CreateDemoAccount(ctx, staff, "Demo Partner", []string{"APPOINTMENTS_E2E"}, demoAdminEmail, "Demo Administrator", adminHash); err != nil {
		return "", err
	}
	return fmt.Sprintf(`
Demo sign-ins (created because the database was empty):
  staff (all accounts):              %s / %s
  administrator of "Demo Partner":   %s / %s
`, demoStaffEmail, demoStaffPassword, demoAdminEmail, demoAdminPassword), nil
}
