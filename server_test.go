package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/contactgate/contactgate/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// startRun runs the real program, `run`, on port 0 with the given
// environment, and returns its base URL once it listens.
func startRun(t *testing.T, env map[string]string, args ...string) (string, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	getenv := func(k string) string { return env[k] }
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"contactgate"}, args...), getenv, strings.NewReader(""), pw)
		pw.Close()
	}()
	urlCh := make(chan string, 1)
	var output strings.Builder
	go func() {
		sc := bufio.NewScanner(pr)
		re := regexp.MustCompile(`listening on (http://\S+)`)
		for sc.Scan() {
			output.WriteString(sc.Text() + "\n")
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				urlCh <- m[1]
			}
		}
	}()
	select {
	case u := <-urlCh:
		var once sync.Once
		var stopErr error
		stop := func() error {
			once.Do(func() { cancel(); stopErr = <-done })
			return stopErr
		}
		t.Cleanup(func() { _ = stop() })
		return u, stop
	case err := <-done:
		cancel()
		t.Fatalf("run ended before listening: %v\n%s", err, output.String())
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatalf("server did not start:\n%s", output.String())
	}
	return "", nil
}

type gqlResponse struct {
	Data   map[string]any `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

func post(t *testing.T, c *http.Client, base, query string, vars map[string]any) gqlResponse {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	res, err := c.Post(base+"/graphql", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out gqlResponse
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestEndToEnd runs the program as `go run .` would (embedded SQLite in a
// temp dir, demo sign-ins) and drives sign-in → me → account with the cookie.
func TestEndToEnd(t *testing.T) {
	env := map[string]string{"ADDR": "127.0.0.1:0", "DATA_DIR": t.TempDir(), "CONTACTGATE_INSECURE_FAST_HASH": "true"}
	base, stop := startRun(t, env)

	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	if r := post(t, c, base, `{me{user{email}}}`, nil); r.Data["me"] != nil || len(r.Errors) > 0 {
		t.Fatalf("signed out me: %+v", r)
	}
	r := post(t, c, base, `mutation($e:String!,$p:String!){signIn(email:$e,password:$p){user{email}}}`,
		map[string]any{"e": demoAdminEmail, "p": demoAdminPassword})
	if len(r.Errors) > 0 {
		t.Fatalf("sign in: %+v", r.Errors)
	}
	r = post(t, c, base, `{me{user{email} staff memberships{role account{id name}}}}`, nil)
	me := r.Data["me"].(map[string]any)
	ms := me["memberships"].([]any)
	if len(ms) != 1 || ms[0].(map[string]any)["role"] != "ADMINISTRATOR" {
		t.Fatalf("memberships: %+v", me)
	}
	accID := ms[0].(map[string]any)["account"].(map[string]any)["id"].(string)
	r = post(t, c, base, `query($a:ID!){account(id:$a){name accessGate(environment:PRODUCTION){locked missing}}}`, map[string]any{"a": accID})
	acc := r.Data["account"].(map[string]any)
	if acc["name"] != "Demo Partner" {
		t.Fatalf("account: %+v", r)
	}
	missing := acc["accessGate"].(map[string]any)["missing"].([]any)
	if len(missing) != 7 {
		t.Fatalf("the demo account needs every field, got %v", missing)
	}

	// The app is served, with client-side routes falling back to index.html.
	for _, p := range []string{"/", "/configuration/contact-info"} {
		res, err := http.Get(base + p)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("GET %s: %d %s", p, res.StatusCode, res.Header.Get("Content-Type"))
		}
	}
	if res, _ := http.Get(base + "/assets/missing.js"); res.StatusCode != 404 {
		t.Fatalf("missing asset: %d", res.StatusCode)
	}
	for _, p := range []string{"/healthz", "/readyz"} {
		if res, _ := http.Get(base + p); res.StatusCode != 200 {
			t.Fatalf("GET %s: %d", p, res.StatusCode)
		}
	}

	// Sign-out really ends the session: the old cookie is refused afterwards.
	u, _ := http.NewRequest("GET", base, nil)
	cookies := jar.Cookies(u.URL)
	post(t, c, base, `mutation{signOut}`, nil)
	replay, _ := cookiejar.New(nil)
	replay.SetCookies(u.URL, cookies)
	if r := post(t, &http.Client{Jar: replay}, base, `{me{user{email}}}`, nil); r.Data["me"] != nil {
		t.Fatalf("old session still works after sign-out: %+v", r)
	}

	// A second start on the same database keeps the data and creates no demo again.
	if err := stop(); err != nil {
		t.Fatalf("graceful stop: %v", err)
	}
	base, _ = startRun(t, env)
	c2 := &http.Client{Jar: func() http.CookieJar { j, _ := cookiejar.New(nil); return j }()}
	r = post(t, c2, base, `mutation($e:String!,$p:String!){signIn(email:$e,password:$p){memberships{account{id}}}}`,
		map[string]any{"e": demoAdminEmail, "p": demoAdminPassword})
	if len(r.Errors) > 0 {
		t.Fatalf("sign in after restart: %+v", r.Errors)
	}
}

// TestEndToEndPostgres starts the program on PostgreSQL: migrations run at
// start, and no demo is created without --demo.
func TestEndToEndPostgres(t *testing.T) {
	dsn := testdb.Postgres(t)
	env := map[string]string{"ADDR": "127.0.0.1:0", "DATABASE_URL": dsn, "CONTACTGATE_INSECURE_FAST_HASH": "true"}
	base, stop := startRun(t, env)
	c := &http.Client{}
	r := post(t, c, base, `mutation($e:String!,$p:String!){signIn(email:$e,password:$p){user{email}}}`,
		map[string]any{"e": demoAdminEmail, "p": demoAdminPassword})
	if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "UNAUTHENTICATED" {
		t.Fatalf("no demo expected on PostgreSQL: %+v", r)
	}
	_ = stop()
	base, _ = startRun(t, env, "serve", "--demo")
	jar, _ := cookiejar.New(nil)
	r = post(t, &http.Client{Jar: jar}, base, `mutation($e:String!,$p:String!){signIn(email:$e,password:$p){user{email}}}`,
		map[string]any{"e": demoAdminEmail, "p": demoAdminPassword})
	if len(r.Errors) > 0 {
		t.Fatalf("demo with --demo: %+v", r.Errors)
	}
}

// TestCreateStaff runs the create-staff command with the password on
// stdin, then signs in as that staff user.
func TestCreateStaff(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"DATA_DIR": dir, "CONTACTGATE_INSECURE_FAST_HASH": "true", "ADDR": "127.0.0.1:0"}
	getenv := func(k string) string { return env[k] }
	var out strings.Builder
	err := run(context.Background(), []string{"contactgate", "create-staff", "--email", "Ops@Platform.example"},
		getenv, strings.NewReader("a long staff password\n"), &out)
	if err != nil {
		t.Fatalf("create-staff: %v\n%s", err, out.String())
	}
	// The shared password rule: too short, only spaces, common.
	for _, pw := range []string{"short", "              ", "Password123", "qwertyuiop"} {
		err := run(context.Background(), []string{"contactgate", "create-staff", "--email", "x@platform.example"},
			getenv, strings.NewReader(pw+"\n"), &out)
		if err == nil || !strings.Contains(err.Error(), "password is refused") {
			t.Fatalf("password %q: %v", pw, err)
		}
	}
	if err := run(context.Background(), []string{"contactgate", "migrate"}, getenv, nil, &out); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	base, _ := startRun(t, env)
	r := post(t, &http.Client{}, base, `mutation($e:String!,$p:String!){signIn(email:$e,password:$p){staff}}`,
		map[string]any{"e": "ops@platform.example", "p": "a long staff password"})
	if len(r.Errors) > 0 || r.Data["signIn"].(map[string]any)["staff"] != true {
		t.Fatalf("staff sign-in: %+v", r)
	}
}
