package main

import (
	"context"
	"strings"
	"testing"

	"github.com/contactgate/contactgate/auth"
	"github.com/contactgate/contactgate/gormstore"
)

// TestDemoNoticeOnRestart: the first start prints the demo sign-ins; a
// restart on the same database says where they are instead of nothing.
func TestDemoNoticeOnRestart(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	open := func() *gormstore.DB {
		db, err := gormstore.Open(ctx, gormstore.Options{DataDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Migrate(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	db := open()
	if got := demoNotice(ctx, db); got != "" {
		t.Fatalf("notice on an empty database: %q", got)
	}
	first, err := createDemo(ctx, db, auth.NewHasher(true))
	if err != nil || !strings.Contains(first, demoStaffEmail) {
		t.Fatalf("createDemo = %q, %v", first, err)
	}
	db.Close()

	db = open()
	if again, err := createDemo(ctx, db, auth.NewHasher(true)); err != nil || again != "" {
		t.Fatalf("createDemo on restart = %q, %v", again, err)
	}
	notice := demoNotice(ctx, db)
	for _, want := range []string{demoStaffEmail, demoAdminEmail, "/staff"} {
		if !strings.Contains(notice, want) {
			t.Errorf("restart notice %q lacks %q", notice, want)
		}
	}
}
