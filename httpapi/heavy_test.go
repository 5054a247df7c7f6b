package httpapi

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/extension"
)

func withComplexity(n int) context.Context {
	oc := &graphql.OperationContext{}
	oc.Stats.SetExtension("ComplexityLimit", &extension.ComplexityStats{Complexity: n, ComplexityLimit: MaxComplexity})
	return graphql.WithOperationContext(context.Background(), oc)
}

// TestHeavyGate: no more heavy operations execute at once than the gate
// has slots, the others wait and all finish; a light operation never
// waits; a heavy one whose client went away while waiting gives up
// without taking a slot.
func TestHeavyGate(t *testing.T) {
	g := newHeavyGate()
	slots := cap(g.slots)
	var running, peak atomic.Int32
	release := make(chan struct{})
	heavyOp := func(ctx context.Context) graphql.ResponseHandler {
		return func(ctx context.Context) *graphql.Response {
			n := running.Add(1)
			for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
			}
			<-release
			running.Add(-1)
			return &graphql.Response{}
		}
	}
	var wg sync.WaitGroup
	for range 3 * slots {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := withComplexity(HeavyComplexity + 1)
			g.around(ctx, heavyOp)(ctx)
		}()
	}
	deadline := time.Now().Add(5 * time.Second)
	for running.Load() < int32(slots) && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if got := running.Load(); got != int32(slots) {
		t.Fatalf("%d heavy operations running, want %d (the slots)", got, slots)
	}

	// A light operation passes while every slot is taken.
	light := withComplexity(10)
	if r := g.around(light, func(ctx context.Context) graphql.ResponseHandler {
		return func(context.Context) *graphql.Response { return &graphql.Response{} }
	})(light); r == nil || len(r.Errors) > 0 {
		t.Fatalf("light operation: %+v", r)
	}

	// A heavy one whose client goes away while it waits gives up.
	ctx, cancel := context.WithCancel(withComplexity(HeavyComplexity))
	cancel()
	if r := g.around(ctx, heavyOp)(ctx); r == nil || len(r.Errors) == 0 {
		t.Fatalf("cancelled heavy operation: %+v", r)
	}

	close(release)
	wg.Wait()
	if p := peak.Load(); p != int32(slots) {
		t.Errorf("peak %d heavy operations at once, want %d", p, slots)
	}
	if len(g.slots) != 0 {
		t.Errorf("%d slots still taken", len(g.slots))
	}
}
