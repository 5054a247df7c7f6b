package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/contactgate/contactgate/gormstore"
)

// seed is the `seed --accounts N` command: realistic accounts, members and
// contact info in bulk, for benchmarks and demos at scale. Seeded users have
// no password; sign in as staff (create-staff) to browse them.
func seed(ctx context.Context, cfg *config, log *slog.Logger, stdout io.Writer) error {
	if cfg.seedAccounts <= 0 {
		return fmt.Errorf("seed needs --accounts N with N > 0")
	}
	db, err := openDB(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	step := max(cfg.seedAccounts/10, 5000)
	next := step
	stats, err := db.Seed(ctx, gormstore.SeedOptions{Accounts: cfg.seedAccounts, Progress: func(done int) {
		if done >= next && done < cfg.seedAccounts {
			fmt.Fprintf(stdout, "seeded %d of %d accounts\n", done, cfg.seedAccounts)
			next += step
		}
	}})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "seeded %d accounts (%d unlocked, %d locked in PRODUCTION only, %d locked in both), %d users, %d members, %d contacts, %d alert contacts in %s (%s)\n",
		stats.Accounts, stats.Unlocked, stats.SandboxOnly, stats.Locked, stats.Users, stats.Members, stats.Contacts,
		stats.AlertContacts, stats.Took.Round(time.Millisecond), db.Dialect())
	return nil
}
