package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/contactgate/contactgate/internal/testdb"
)

// served is a run of the program started by serveRun.
type served struct {
	base    string // http://127.0.0.1:PORT, also when listening on 0.0.0.0
	port    string
	metrics string // the METRICS_ADDR URL, when set
	mu      sync.Mutex
	out     strings.Builder
	stop    func() error
}

// output is what the program wrote so far (logs included).
func (s *served) output() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.String()
}

// serveRun runs `run` like startRun, keeping its output: everything
// logged before the listening line is in output() when it returns.
func serveRun(t *testing.T, env map[string]string, args ...string) *served {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"contactgate"}, args...), func(k string) string { return env[k] }, strings.NewReader(""), pw)
		pw.Close()
	}()
	s := &served{}
	listening := regexp.MustCompile(`listening on http://(\S+)`)
	metrics := regexp.MustCompile(`serves metrics on (http://\S+)`)
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			s.mu.Lock()
			s.out.WriteString(sc.Text() + "\n")
			if m := metrics.FindStringSubmatch(sc.Text()); m != nil {
				s.metrics = m[1]
			}
			s.mu.Unlock()
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				ready <- m[1]
			}
		}
		_, _ = io.Copy(io.Discard, pr)
	}()
	select {
	case addr := <-ready:
		u, _ := url.Parse("http://" + addr)
		s.port = u.Port()
		s.base = "http://127.0.0.1:" + s.port
		var once sync.Once
		var stopErr error
		s.stop = func() error { once.Do(func() { cancel(); stopErr = <-done }); return stopErr }
		t.Cleanup(func() { _ = s.stop() })
		return s
	case err := <-done:
		cancel()
		t.Fatalf("run ended before listening: %v\n%s", err, s.output())
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatalf("server did not start:\n%s", s.output())
	}
	return nil
}

// demoSignIn reports whether the demo administrator can sign in.
func demoSignIn(t *testing.T, base string) bool {
	t.Helper()
	r := post(t, &http.Client{}, base, `mutation($e:String!,$p:String!){signIn(email:$e,password:$p){user{email}}}`,
		map[string]any{"e": demoAdminEmail, "p": demoAdminPassword})
	if len(r.Errors) > 0 && r.Errors[0].Extensions["code"] != "UNAUTHENTICATED" {
		t.Fatalf("demo sign-in: %+v", r.Errors)
	}
	return len(r.Errors) == 0
}

const demoWarning = "the demo staff user exists on a server reachable from other machines"

// TestDemoOnlyOnDevelopersMachine: the demo (known passwords) is created
// with DEMO=true, or with DEMO unset on SQLite listening on loopback only
// (`go run .`); never with DEMO=false, nor by default on 0.0.0.0 (the
// Docker image) or PostgreSQL. A server reachable from other machines
// warns at every start while the demo staff user exists.
func TestDemoOnlyOnDevelopersMachine(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		newDB := func(env map[string]string) map[string]string {
			env["CONTACTGATE_INSECURE_FAST_HASH"] = "true"
			if driver == testdb.DriverSQLite {
				env["DATA_DIR"] = t.TempDir()
			} else {
				env["DATABASE_URL"] = testdb.Postgres(t)
			}
			return env
		}
		cases := []struct {
			name, demo, addr string
			args             []string
			want             bool // demo created
			warn             bool
			publicURL        string
		}{
			{"unset on loopback", "", "127.0.0.1:0", nil, driver == testdb.DriverSQLite, false, ""},
			{"unset on every address", "", "0.0.0.0:0", nil, false, false, ""},
			{"false on loopback", "false", "127.0.0.1:0", nil, false, false, ""},
			{"false on every address", "false", "0.0.0.0:0", nil, false, false, ""},
			{"true on loopback", "true", "127.0.0.1:0", nil, true, false, ""},
			{"true on every address", "true", "0.0.0.0:0", nil, true, true, ""},
			{"--demo=false beats DEMO=true", "true", "127.0.0.1:0", []string{"serve", "--demo=false"}, false, false, ""},
			{"--demo on every address", "", "0.0.0.0:0", []string{"serve", "--demo"}, true, true, ""},
			// Behind a reverse proxy: loopback listener, public address.
			{"unset on loopback behind https", "", "127.0.0.1:0", nil, false, false, "https://portal.example.com"},
			{"true on loopback behind https", "true", "127.0.0.1:0", nil, true, true, "https://portal.example.com"},
			{"unset on loopback, PUBLIC_URL localhost", "", "127.0.0.1:0", nil, driver == testdb.DriverSQLite, false, "http://localhost:8080"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				env := map[string]string{"DEMO": tc.demo, "ADDR": tc.addr}
				if tc.publicURL != "" {
					env["PUBLIC_URL"] = tc.publicURL
				}
				s := serveRun(t, newDB(env), tc.args...)
				if got := demoSignIn(t, s.base); got != tc.want {
					t.Errorf("demo created = %v, want %v\n%s", got, tc.want, s.output())
				}
				if got := strings.Contains(s.output(), demoWarning); got != tc.warn {
					t.Errorf("warning logged = %v, want %v\n%s", got, tc.warn, s.output())
				}
			})
		}

		// A database that got the demo on a developer's machine, later served
		// on every address: the warning comes at every start, and not on
		// loopback.
		env := newDB(map[string]string{"DEMO": "true", "ADDR": "127.0.0.1:0"})
		s := serveRun(t, env)
		if !demoSignIn(t, s.base) {
			t.Fatal("no demo with DEMO=true")
		}
		_ = s.stop()
		env["DEMO"], env["ADDR"] = "", "0.0.0.0:0"
		for i := range 2 {
			s := serveRun(t, env)
			if !strings.Contains(s.output(), demoWarning) || !strings.Contains(s.output(), `"level":"WARN"`) {
				t.Errorf("start %d on 0.0.0.0: no warning\n%s", i+1, s.output())
			}
			_ = s.stop()
		}
		env["ADDR"] = "127.0.0.1:0"
		if s := serveRun(t, env); strings.Contains(s.output(), demoWarning) {
			t.Errorf("warning on loopback:\n%s", s.output())
		}
	})

	// Refused before serving; the deadline only ends a server that would
	// wrongly start.
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	var out strings.Builder
	err := run(ctx, []string{"contactgate"}, func(k string) string {
		return map[string]string{"DEMO": "yes please", "DATA_DIR": t.TempDir(), "ADDR": "127.0.0.1:0"}[k]
	}, nil, &out)
	if err == nil || !strings.Contains(err.Error(), "DEMO") {
		t.Errorf("DEMO=yes please: err = %v", err)
	}
}

// get sends a request with the given Host header.
func get(t *testing.T, method, u, host string, header http.Header) (*http.Response, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, u, strings.NewReader(`{"query":"{me{user{id}}}"}`))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if host != "" {
		req.Host = host
	}
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode == http.StatusSwitchingProtocols {
		return res, "" // a websocket: nothing to read
	}
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

var jsonHeader = http.Header{"Content-Type": {"application/json"}}

// TestHostCheck: a request whose Host is none of the server's names (DNS
// rebinding: an attacker's name resolved to this server) is refused with
// 421 on every route but the health probes; PUBLIC_URL's host,
// ALLOWED_HOSTS and the listen address (with localhost and the loopback
// addresses when listening on loopback, any IP address when listening on
// every address) are served.
func TestHostCheck(t *testing.T) {
	env := map[string]string{"ADDR": "127.0.0.1:0", "DATA_DIR": t.TempDir(), "CONTACTGATE_INSECURE_FAST_HASH": "true",
		"PUBLIC_URL": "https://portal.example.com", "ALLOWED_HOSTS": "lb.internal, Other.Example."}
	s := serveRun(t, env)
	p := s.port
	foreign := []string{"evil.example", "evil.example:" + p, "127.0.0.1.evil.example:" + p, "localhost.evil.example",
		"portal.example.com.evil.example", "10.1.2.3:" + p, "[2001:db8::1]:" + p}
	routes := []struct {
		method, path string
		header       http.Header
		want         int
	}{
		{"POST", "/graphql", jsonHeader, 200},
		{"GET", "/", nil, 200},
		{"GET", "/configuration/contact-info", nil, 200},
		{"GET", "/metrics", nil, 200},
		{"GET", "/api/export/contacts.csv", nil, 401},
		{"GET", "/graphql", http.Header{"Upgrade": {"websocket"}, "Connection": {"Upgrade"},
			"Sec-Websocket-Version": {"13"}, "Sec-Websocket-Key": {"dGhlIHNhbXBsZSBub25jZQ=="},
			"Sec-Websocket-Protocol": {"graphql-transport-ws"}}, 101},
	}
	for _, host := range foreign {
		for _, r := range routes {
			res, body := get(t, r.method, s.base+r.path, host, r.header)
			if res.StatusCode != http.StatusMisdirectedRequest || !strings.Contains(body, "unknown host") {
				t.Errorf("Host %s, %s %s: %d %q, want 421", host, r.method, r.path, res.StatusCode, body)
			}
		}
	}
	own := []string{"portal.example.com", "PORTAL.example.com:443", "portal.example.com.", "lb.internal:8080", "other.example",
		"localhost:" + p, "127.0.0.1:" + p, "[::1]:" + p, "127.0.0.1"}
	for _, host := range own {
		for _, r := range routes {
			if r.want == 101 {
				continue // the websocket library checks the Origin too; the refusal above is what matters
			}
			if res, body := get(t, r.method, s.base+r.path, host, r.header); res.StatusCode != r.want {
				t.Errorf("Host %s, %s %s: %d %q, want %d", host, r.method, r.path, res.StatusCode, body, r.want)
			}
		}
	}
	// Probes are exempt: Kubernetes sends the pod IP, balancers anything.
	for _, path := range []string{"/healthz", "/readyz"} {
		if res, body := get(t, "GET", s.base+path, "evil.example", nil); res.StatusCode != 200 {
			t.Errorf("GET %s with a foreign Host: %d %q", path, res.StatusCode, body)
		}
	}
	_ = s.stop()

	// Listening on every address: any IP literal is ours (it cannot be
	// rebound), names still must be configured.
	env["ADDR"] = "0.0.0.0:0"
	s = serveRun(t, env)
	for host, want := range map[string]int{"10.1.2.3:" + s.port: 200, "[2001:db8::1]:" + s.port: 200, "localhost:" + s.port: 200,
		"portal.example.com": 200, "evil.example": 421, "evil.example:" + s.port: 421} {
		if res, body := get(t, "POST", s.base+"/graphql", host, jsonHeader); res.StatusCode != want {
			t.Errorf("on 0.0.0.0, Host %s: %d %q, want %d", host, res.StatusCode, body, want)
		}
	}
}

// TestCORSEmptyAllowList: without CORS_ALLOWED_ORIGINS no origin gets
// cross-origin access: neither a preflight nor a simple request is
// answered with Access-Control-Allow-Origin (rs/cors alone would answer
// every origin). A configured origin still is.
func TestCORSEmptyAllowList(t *testing.T) {
	preflight := http.Header{"Origin": {"https://evil.example"}, "Access-Control-Request-Method": {"POST"},
		"Access-Control-Request-Headers": {"content-type"}}
	simple := http.Header{"Origin": {"https://evil.example"}, "Content-Type": {"application/json"}}
	check := func(t *testing.T, base string) {
		t.Helper()
		for _, c := range []struct {
			method string
			header http.Header
		}{{"OPTIONS", preflight}, {"POST", simple}} {
			res, _ := get(t, c.method, base+"/graphql", "", c.header)
			for _, h := range []string{"Access-Control-Allow-Origin", "Access-Control-Allow-Credentials"} {
				if v := res.Header.Get(h); v != "" {
					t.Errorf("%s from https://evil.example: %s: %q", c.method, h, v)
				}
			}
		}
	}
	dir := t.TempDir()
	s := serveRun(t, map[string]string{"ADDR": "127.0.0.1:0", "DATA_DIR": dir, "CONTACTGATE_INSECURE_FAST_HASH": "true"})
	check(t, s.base)
	_ = s.stop()

	s = serveRun(t, map[string]string{"ADDR": "127.0.0.1:0", "DATA_DIR": dir, "CONTACTGATE_INSECURE_FAST_HASH": "true",
		"CORS_ALLOWED_ORIGINS": "https://tools.partner.example"})
	check(t, s.base)
	allowed := preflight.Clone()
	allowed.Set("Origin", "https://tools.partner.example")
	res, _ := get(t, "OPTIONS", s.base+"/graphql", "", allowed)
	if res.Header.Get("Access-Control-Allow-Origin") != "https://tools.partner.example" {
		t.Errorf("configured origin: preflight answered %d %v", res.StatusCode, res.Header)
	}
}

// TestMetricsAddr: with METRICS_ADDR, /metrics is served there and not on
// the main listener; without it, on the main listener.
func TestMetricsAddr(t *testing.T) {
	dir := t.TempDir()
	s := serveRun(t, map[string]string{"ADDR": "127.0.0.1:0", "DATA_DIR": dir, "CONTACTGATE_INSECURE_FAST_HASH": "true",
		"METRICS_ADDR": "127.0.0.1:0"})
	s.mu.Lock()
	metricsURL := s.metrics
	s.mu.Unlock()
	if metricsURL == "" {
		t.Fatalf("no metrics address printed:\n%s", s.output())
	}
	post(t, &http.Client{}, s.base, `{me{user{id}}}`, nil)
	res, body := get(t, "GET", metricsURL, "", nil)
	if res.StatusCode != 200 || !strings.Contains(body, "contactgate_http_requests_total") {
		t.Errorf("GET %s: %d %.200q", metricsURL, res.StatusCode, body)
	}
	res, body = get(t, "GET", s.base+"/metrics", "", nil)
	if res.StatusCode != 404 || strings.Contains(body, "contactgate_") {
		t.Errorf("main listener /metrics with METRICS_ADDR: %d %.200q", res.StatusCode, body)
	}
	// The metrics listener serves nothing else.
	if res, _ := get(t, "POST", strings.TrimSuffix(metricsURL, "/metrics")+"/graphql", "", jsonHeader); res.StatusCode != 404 && res.StatusCode != 405 {
		t.Errorf("metrics listener answered /graphql: %d", res.StatusCode)
	}
	_ = s.stop()

	s = serveRun(t, map[string]string{"ADDR": "127.0.0.1:0", "DATA_DIR": dir, "CONTACTGATE_INSECURE_FAST_HASH": "true"})
	if res, body := get(t, "GET", s.base+"/metrics", "", nil); res.StatusCode != 200 || !strings.Contains(body, "contactgate_") {
		t.Errorf("main listener /metrics without METRICS_ADDR: %d %.200q", res.StatusCode, body)
	}
	// Without METRICS_ADDR, the main listener serves /metrics to this
	// machine only: not through a proxy (which may run on this machine).
	for _, h := range []http.Header{{"X-Forwarded-For": {"203.0.113.7"}}, {"Forwarded": {"for=203.0.113.7"}}} {
		if res, body := get(t, "GET", s.base+"/metrics", "", h); res.StatusCode != 403 || strings.Contains(body, "contactgate_") {
			t.Errorf("relayed /metrics (%v): %d %.200q", h, res.StatusCode, body)
		}
	}
}
