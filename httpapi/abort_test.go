package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/contactgate/contactgate/internal/apitest"
	"github.com/contactgate/contactgate/internal/testdb"
	"github.com/contactgate/contactgate/mail"
)

// abortOps are the requests of the storm: the portal's gate (session
// lookup and gate read), the staff page (many statements, long rows) and
// a save (a transaction holding the account's row lock).
var abortOps = []struct {
	name, query string
	staff       bool
}{
	{"accessGate", `query($a: ID!) { accessGate(accountId: $a, environment: PRODUCTION) { locked missing } }`, false},
	{"staffPage", `query($a: ID!) { accounts(first: 50) { totalCount edges { node { id name
		production: accessGate(environment: PRODUCTION) { locked missing }
		contactInfo { technicalEmergency { email } alertContacts { email } } members { role user { email } } } } }
		account(id: $a) { id name } }`, true},
	{"save", `mutation($a: ID!, $e: String!) { updateContactInfo(input: {accountId: $a, environment: SANDBOX,
		technicalNonEmergency: [{email: $e}]}) { account { id } } }`, false},
}

// TestAbortedRequestsNeverFailOthers: clients that abort their requests
// at random points (before, during and after the server's SQL statements,
// inside a transaction) never make another client's request fail, nor the
// outbox worker's passes, and a client going away is not logged as an
// error. A pooled connection left in a bad state by a cancelled statement
// would reach the next caller as "load session: … i/o timeout" (INTERNAL).
func TestAbortedRequestsNeverFailOthers(t *testing.T) {
	s := apitest.NewWith(t, apitest.Options{Driver: testdb.DriverPostgres, DSN: testdb.Postgres(t)})
	f := s.Fixture()
	for i := range 40 { // a staff page with some weight
		s.Account(fmt.Sprintf("Storm %02d", i), []string{"BUSINESS_LINK"}, f.AdminB)
	}
	cookies := map[bool]http.Header{false: s.As(f.Admin).CookieHeader(), true: s.As(f.Staff).CookieHeader()}
	worker := mail.NewWorker(s.DB.Gorm(), &mail.LogSender{Logger: slog.New(slog.DiscardHandler)}, mail.WorkerOptions{})

	post := func(ctx context.Context, op int, seq int64) (int, []byte, error) {
		o := abortOps[op]
		body, _ := json.Marshal(map[string]any{"query": o.query,
			"variables": map[string]any{"a": f.AccountA.ID, "e": fmt.Sprintf("n%d@storm.example", seq)}})
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL+"/graphql", bytes.NewReader(body))
		if err != nil {
			return 0, nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		for k, v := range cookies[o.staff] {
			req.Header[k] = v
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, nil, err
		}
		defer res.Body.Close()
		raw, err := io.ReadAll(res.Body)
		return res.StatusCode, raw, err
	}

	// Aborting clients run until the well-behaved ones have made their
	// requests; the outbox worker passes all along.
	const aborters, normals, normalEach = 10, 3, 30
	var (
		seq                   atomic.Int64
		cancelled, completed  atomic.Int64
		normalDone, workerRun atomic.Int64
		mu                    sync.Mutex
		failures              []string
		normalWG, stormWG     sync.WaitGroup
		stop                  = make(chan struct{})
		fail                  = func(msg string) { mu.Lock(); failures = append(failures, msg); mu.Unlock() }
		stopped               = func() bool {
			select {
			case <-stop:
				return true
			default:
				return false
			}
		}
	)
	for range aborters {
		stormWG.Go(func() {
			for !stopped() {
				ctx, cancel := context.WithTimeout(context.Background(), time.Duration(rand.IntN(20_000))*time.Microsecond)
				_, _, err := post(ctx, rand.IntN(len(abortOps)), seq.Add(1))
				cancel()
				if errors.Is(err, context.DeadlineExceeded) {
					cancelled.Add(1)
				} else {
					completed.Add(1)
				}
			}
		})
	}
	stormWG.Go(func() {
		for !stopped() {
			if _, err := worker.ProcessOnce(context.Background()); err != nil {
				fail(fmt.Sprintf("outbox pass: %v", err))
			}
			workerRun.Add(1)
		}
	})
	for range normals {
		normalWG.Go(func() {
			for i := range normalEach {
				op := i % len(abortOps)
				status, raw, err := post(context.Background(), op, seq.Add(1))
				normalDone.Add(1)
				if err != nil || status != http.StatusOK || bytes.Contains(raw, []byte(`"errors"`)) {
					fail(fmt.Sprintf("%s: status %d, %v: %s", abortOps[op].name, status, err, raw))
				}
			}
		})
	}
	normalWG.Wait()
	close(stop)
	stormWG.Wait()
	s.Close() // waits for the aborted requests' handlers
	t.Logf("aborted %d requests mid-flight (%d completed before their deadline); %d normal requests, %d outbox passes",
		cancelled.Load(), completed.Load(), normalDone.Load(), workerRun.Load())
	if cancelled.Load() < 100 {
		t.Fatalf("only %d requests were aborted: the storm did not storm", cancelled.Load())
	}
	if len(failures) > 0 {
		t.Errorf("%d requests of well-behaved callers failed, e.g.:\n%s", len(failures), strings.Join(failures[:min(len(failures), 5)], "\n"))
	}
	var errorLines []string
	for line := range strings.SplitSeq(s.Log.String(), "\n") {
		if strings.Contains(line, `"level":"ERROR"`) {
			errorLines = append(errorLines, line)
		}
	}
	if len(errorLines) > 0 {
		t.Errorf("clients going away were logged as %d errors, e.g.:\n%s", len(errorLines), strings.Join(errorLines[:min(len(errorLines), 5)], "\n"))
	}
}
