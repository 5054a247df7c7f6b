package graph_test

import (
	"context"
	"sync"
	"testing"

	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/internal/apitest"
)

// TestReusedBuffersNeverMixAnswers: staff pages asked for at once, over
// and over, each get exactly the answer that page gets alone, although
// their response buffers are reused (graph/buffers.go): a buffer handed
// to another request before its response was written would show as
// another page's bytes, or as a data race under -race.
func TestReusedBuffersNeverMixAnswers(t *testing.T) {
	s := apitest.New(t)
	staff := s.As(s.User("buffers-staff@contactgate.test", true))
	if _, err := s.DB.Seed(context.Background(), gormstore.SeedOptions{Accounts: 60, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	sizes := []int{5, 20, 60}
	want := map[int]string{}
	for _, n := range sizes {
		r := staff.Do(StaffPageQuery, map[string]any{"first": n})
		if len(r.Errors) > 0 || len(r.Raw) < 100*n {
			t.Fatalf("page of %d: %.300s", n, r.Raw)
		}
		want[n] = r.Raw
	}
	var wg sync.WaitGroup
	for g := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 8 {
				n := sizes[(g+i)%len(sizes)]
				if r := staff.Do(StaffPageQuery, map[string]any{"first": n}); r.Raw != want[n] {
					t.Errorf("page of %d, request %d of client %d: another answer (%d bytes, want %d)", n, i, g, len(r.Raw), len(want[n]))
					return
				}
			}
		}()
	}
	wg.Wait()
}
