package apitest

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/contactgate/contactgate/mail"
)

// Mailpit ports this package's own mailpits take (SMTP and HTTP): a
// range no shared service uses, so that parallel test runs can start
// their own next to the shared one.
const (
	mailpitSMTPPorts = 1200
	mailpitHTTPPorts = 8200
	mailpitPortCount = 100
)

// StartMailpit starts a mailpit of this test's own (stopped when the test
// ends) that refuses, with a permanent 5xx reply to RCPT TO, every
// recipient not matching allowedRecipients (a regular expression; empty
// allows all). It returns the SMTP URL and a client of its API. It skips
// the test when the mailpit binary is neither on PATH nor in
// $(go env GOPATH)/bin, and fails instead when CI=true.
func StartMailpit(t testing.TB, allowedRecipients string) (string, *mail.Mailpit) {
	t.Helper()
	bin, err := exec.LookPath("mailpit")
	if err != nil {
		gopath := os.Getenv("GOPATH")
		if gopath == "" {
			if home, herr := os.UserHomeDir(); herr == nil {
				gopath = filepath.Join(home, "go")
			}
		}
		bin = filepath.Join(gopath, "bin", "mailpit")
		if _, serr := os.Stat(bin); serr != nil {
			msg := "mailpit not found on PATH or in $(go env GOPATH)/bin: go install github.com/axllent/mailpit@v1.33.1"
			if os.Getenv("CI") == "true" {
				t.Fatal(msg)
			}
			t.Skip(msg)
		}
	}
	smtpPort, httpPort := freePort(t, mailpitSMTPPorts), freePort(t, mailpitHTTPPorts)
	args := []string{"--smtp", "127.0.0.1:" + smtpPort, "--listen", "127.0.0.1:" + httpPort,
		"--database", filepath.Join(t.TempDir(), "mailpit.db"), "--disable-version-check"}
	if allowedRecipients != "" {
		args = append(args, "--smtp-allowed-recipients", allowedRecipients)
	}
	cmd := exec.Command(bin, args...)
	if err := cmd.Start(); err != nil {
		t.Fatalf("start mailpit: %v", err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	mp := &mail.Mailpit{URL: "http://127.0.0.1:" + httpPort}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for {
		if _, err := mp.Messages(ctx); err == nil {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("mailpit did not answer on %s", mp.URL)
		case <-time.After(50 * time.Millisecond):
		}
	}
	return "smtp://127.0.0.1:" + smtpPort, mp
}

// freePort finds a port of the range starting at base that nothing
// listens on.
func freePort(t testing.TB, base int) string {
	t.Helper()
	for p := base; p < base+mailpitPortCount; p++ {
		l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p))
		if err != nil {
			continue
		}
		_ = l.Close()
		return strconv.Itoa(p)
	}
	t.Fatalf("no free port in %d-%d", base, base+mailpitPortCount-1)
	return ""
}
