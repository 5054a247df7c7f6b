package main

import (
	"math"
	"runtime/debug"
	"testing"
)

// TestDefaultMemoryLimit: without GOMEMLIMIT the server sets its default
// soft memory limit; with it, the runtime's own reading stands.
func TestDefaultMemoryLimit(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(before) })

	debug.SetMemoryLimit(math.MaxInt64)
	if got := applyMemoryLimit(func(string) string { return "256MiB" }); got != 0 {
		t.Errorf("with GOMEMLIMIT set: applied %d", got)
	}
	if now := debug.SetMemoryLimit(-1); now != math.MaxInt64 {
		t.Errorf("with GOMEMLIMIT set the limit changed to %d", now)
	}
	if got := applyMemoryLimit(func(string) string { return "" }); got != DefaultMemoryLimit {
		t.Errorf("without GOMEMLIMIT: applied %d", got)
	}
	if now := debug.SetMemoryLimit(-1); now != DefaultMemoryLimit {
		t.Errorf("without GOMEMLIMIT the limit is %d, want %d", now, DefaultMemoryLimit)
	}
}
