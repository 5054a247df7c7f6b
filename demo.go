package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/contactgate/contactgate/auth"
	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/models"
	"github.com/contactgate/contactgate/service"
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
	staff, err := service.New(service.Deps{Store: db, Hasher: hasher}).Sessions.UpsertStaffHash(ctx, demoStaffEmail, staffHash)
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

// demoSetting is DEMO / --demo: true, false, or unset (auto). A bool flag,
// so that a bare --demo means true.
type demoSetting struct {
	set, on bool
}

func (d *demoSetting) String() string {
	if d == nil || !d.set {
		return ""
	}
	return strconv.FormatBool(d.on)
}

// Set parses true or false; the empty string means unset.
func (d *demoSetting) Set(s string) error {
	if strings.TrimSpace(s) == "" {
		*d = demoSetting{}
		return nil
	}
	on, err := strconv.ParseBool(strings.TrimSpace(s))
	if err != nil {
		return fmt.Errorf("want true or false, got %q", s)
	}
	*d = demoSetting{set: true, on: on}
	return nil
}

func (d *demoSetting) IsBoolFlag() bool { return true }

// wanted decides whether the demo may be created: always when DEMO=true,
// never when DEMO=false, and when unset only for a developer's own machine
// (embedded SQLite, listening on loopback only), so that `go run .` shows a
// working portal but no deployment ever ships known passwords.
func (d demoSetting) wanted(dialect string, loopback bool) bool {
	if d.set {
		return d.on
	}
	return dialect == "sqlite" && loopback
}

// developersMachine reports whether the server is reachable from this
// machine only: it listens on a loopback address, and its PUBLIC_URL (the
// address people are given) is a loopback one too. A server behind a
// reverse proxy listens on loopback but is public: its PUBLIC_URL says so.
func developersMachine(listen net.Addr, publicURL string) bool {
	if !isLoopback(listen) {
		return false
	}
	u, err := url.Parse(publicURL)
	if err != nil || u.Scheme != "http" {
		return false
	}
	host := u.Hostname()
	if strings.EqualFold(strings.TrimSuffix(host, "."), "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// isLoopback reports whether the listener accepts connections from this
// machine only. An unspecified address (0.0.0.0, ::) is not loopback.
func isLoopback(addr net.Addr) bool {
	tcp, ok := addr.(*net.TCPAddr)
	return ok && tcp.IP != nil && tcp.IP.IsLoopback()
}

// warnDemoStaff logs a warning when the demo staff user, whose password is
// printed in the README, exists on a server reachable from other machines.
// It runs at every start, since the user may have been created earlier
// (before this rule, or while the server listened on loopback).
func warnDemoStaff(ctx context.Context, db *gormstore.DB, log *slog.Logger, listen net.Addr, publicURL string) error {
	if developersMachine(listen, publicURL) {
		return nil
	}
	u, err := db.UserByEmail(ctx, demoStaffEmail)
	switch {
	case models.ErrorCodeOf(err) == models.ENotFound:
		return nil
	case err != nil:
		return fmt.Errorf("look for the demo staff user: %w", err)
	}
	if !u.Staff {
		return nil
	}
	log.WarnContext(ctx, "the demo staff user exists on a server reachable from other machines (or published at a non-loopback PUBLIC_URL); "+
		"its password is public: set a new one with create-staff, or start from a database without the demo",
		"email", demoStaffEmail, "listen", listen.String())
	return nil
}
