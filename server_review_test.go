package main

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestBadReviewSettingsStopTheServer: a REVIEW_INTERVAL or REVIEW_GRACE
// that does not parse stops the program at start with a message naming
// the setting and the accepted forms; nothing listens.
func TestBadReviewSettingsStopTheServer(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"REVIEW_INTERVAL": "a year"}, "REVIEW_INTERVAL"},
		{map[string]string{"REVIEW_INTERVAL": "0d"}, "REVIEW_INTERVAL"},
		{map[string]string{"REVIEW_GRACE": "-1d"}, "REVIEW_GRACE"},
		{map[string]string{"REVIEW_GRACE": "30 days"}, "REVIEW_GRACE"},
		{map[string]string{"REVIEW_CHECK_INTERVAL": "often"}, "REVIEW_CHECK_INTERVAL"},
	} {
		env := map[string]string{"ADDR": "127.0.0.1:0", "DATA_DIR": t.TempDir(), "CONTACTGATE_INSECURE_FAST_HASH": "true"}
		for k, v := range c.env {
			env[k] = v
		}
		var out strings.Builder
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err := run(ctx, []string{"contactgate"}, func(k string) string { return env[k] }, strings.NewReader(""), &out)
		cancel()
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(out.String(), "listening") {
			t.Errorf("%v: err %v, output %q", c.env, err, out.String())
		}
	}
}

// TestReviewSchedulerRunsInTheServer: with a 90 s cycle the server's
// scheduler runs on its own, and its passes show in /metrics.
func TestReviewSchedulerRunsInTheServer(t *testing.T) {
	env := map[string]string{"ADDR": "127.0.0.1:0", "DATA_DIR": t.TempDir(), "CONTACTGATE_INSECURE_FAST_HASH": "true",
		"REVIEW_INTERVAL": "90s", "REVIEW_GRACE": "0", "REVIEW_CHECK_INTERVAL": "50ms"}
	base, stop := startRun(t, env)
	re := regexp.MustCompile(`(?m)^contactgate_review_scheduler_passes_total (\d+)`)
	deadline := time.Now().Add(20 * time.Second)
	for {
		res, err := http.Get(base + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if m := re.FindSubmatch(body); m != nil {
			if n, _ := strconv.Atoi(string(m[1])); n >= 2 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no scheduler passes in /metrics:\n%s", body)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := stop(); err != nil {
		t.Fatalf("shutdown with the scheduler running: %v", err)
	}
}
