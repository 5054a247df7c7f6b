package mail

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestNewSender(t *testing.T) {
	s, err := NewSender("", quietLog)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s.(*LogSender); !ok {
		t.Errorf("NewSender(\"\") = %T, want *LogSender", s)
	}

	tests := []struct {
		url                      string
		host, port, user, pass   string
		implicit, skip, wantFail bool
	}{
		{url: "smtp://relay.example.com", host: "relay.example.com", port: "587"},
		{url: "smtp://bob:s%40cret@relay.example.com:2525", host: "relay.example.com", port: "2525", user: "bob", pass: "s@cret"},
		{url: "smtps://bob:pw@relay.example.com", host: "relay.example.com", port: "465", user: "bob", pass: "pw", implicit: true},
		{url: "SMTP://127.0.0.1:1025?skip_verify=true&helo=gate.example", host: "127.0.0.1", port: "1025", skip: true},
		{url: "http://bob:hunter2@relay.example.com", wantFail: true},
		{url: "smtp://bob:hunter2@:25", wantFail: true},
		{url: "smtp://bob:hunter2@relay.example.com:99999", wantFail: true},
		{url: "smtp://bob:hunter2@relay.example.com?skip_verify=maybe", wantFail: true},
		{url: "smtp://bob:hunter2@relay example.com:25/%zz", wantFail: true},
	}
	for _, tc := range tests {
		s, err := NewSender(tc.url, quietLog)
		if tc.wantFail {
			if err == nil {
				t.Errorf("NewSender(%q) accepted", tc.url)
			} else if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("NewSender(%q) error leaks the password: %v", tc.url, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("NewSender(%q): %v", tc.url, err)
			continue
		}
		ss := s.(*SMTPSender)
		if ss.Host != tc.host || ss.Port != tc.port || ss.Username != tc.user || ss.Password != tc.pass ||
			ss.ImplicitTLS != tc.implicit || ss.TLSConfig.InsecureSkipVerify != tc.skip {
			t.Errorf("NewSender(%q) = %+v", tc.url, ss)
		}
		if tc.pass != "" && strings.Contains(ss.String(), tc.pass) {
			t.Errorf("String() leaks the password: %s", ss)
		}
	}
}

// TestLogSenderReadableBlock: in development each mail is also printed as a
// short block a newcomer can read and click (to, subject, links).
func TestLogSenderReadableBlock(t *testing.T) {
	var out bytes.Buffer
	s := &LogSender{Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)), Out: &out}
	m := InvitationMail("en", InvitationData{To: "zoe@example.com", AccountName: "Caffè", Role: "EDITOR",
		Link: "https://portal.example.com/invitations/accept?token=t0k", ExpiresAt: time.Now()})
	raw, err := BuildRaw(testFrom, m, NewMessageID(testFrom), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(t.Context(), testFrom, m.To, raw); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{"To:      zoe@example.com\n", "Subject: " + m.Subject + "\n", "Link:    https://portal.example.com/invitations/accept?token=t0k\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("block %q lacks %q", got, want)
		}
	}
	if lines := strings.Count(got, "\n"); lines > 10 {
		t.Errorf("block has %d lines, want a short one:\n%s", lines, got)
	}
}

func TestLogSender(t *testing.T) {
	var buf bytes.Buffer
	s := &LogSender{Logger: slog.New(slog.NewJSONHandler(&buf, nil))}
	m := InvitationMail("it", InvitationData{To: "zoe@example.it", AccountName: "Caffè", Role: "EDITOR",
		Link: "https://portal.example.com/invitations/accept?token=t0k", ExpiresAt: time.Now()})
	id := NewMessageID(testFrom)
	raw, err := BuildRaw(testFrom, m, id, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(t.Context(), testFrom, m.To, raw); err != nil {
		t.Fatalf("LogSender failed: %v", err)
	}
	var rec map[string]any
	if err := json.Unmarshal(buf.Bytes(), &rec); err != nil {
		t.Fatalf("log record %q: %v", buf.String(), err)
	}
	if rec["to"] != "zoe@example.it" || rec["subject"] != m.Subject || rec["message_id"] != id {
		t.Errorf("log record = %v", rec)
	}
	if text, _ := rec["text"].(string); !strings.Contains(text, "https://portal.example.com/invitations/accept?token=t0k") ||
		!strings.Contains(text, "Caffè") || strings.Contains(text, "<p") {
		t.Errorf("logged text = %q", text)
	}
	// Never fails, whatever it is given.
	if err := (&LogSender{Out: &bytes.Buffer{}}).Send(t.Context(), "", "", []byte("garbage")); err != nil {
		t.Errorf("LogSender failed on garbage: %v", err)
	}
}

// fakeSMTP is a minimal SMTP server recording its sessions.
type fakeSMTP struct {
	ln            net.Listener
	tlsConfig     *tls.Config
	implicitTLS   bool
	offerStartTLS bool
	offerAuth     bool
	silent        bool // accept connections but never greet
	// onQuit, when set, runs when QUIT arrives, before the reply.
	onQuit func()

	mu       sync.Mutex
	sessions []*smtpSession
}

type smtpSession struct {
	tls        bool   // the connection was encrypted at the end
	auth       string // decoded AUTH PLAIN response
	authOverTL bool
	from, rcpt string
	data       []byte
}

func (f *fakeSMTP) last() *smtpSession {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.sessions) == 0 {
		return nil
	}
	return f.sessions[len(f.sessions)-1]
}

func startFakeSMTP(t *testing.T, f *fakeSMTP) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f.ln = ln
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go f.serve(t, c)
		}
	}()
	return ln.Addr().String()
}

func (f *fakeSMTP) serve(t *testing.T, conn net.Conn) {
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	s := &smtpSession{}
	f.mu.Lock()
	f.sessions = append(f.sessions, s)
	f.mu.Unlock()
	if f.silent {
		_, _ = conn.Read(make([]byte, 1))
		return
	}
	if f.implicitTLS {
		conn = tls.Server(conn, f.tlsConfig)
		s.tls = true
	}
	tp := textproto.NewConn(conn)
	_ = tp.PrintfLine("220 fake ESMTP")
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO", "HELO":
			lines := []string{"fake"}
			if f.offerStartTLS && !s.tls {
				lines = append(lines, "STARTTLS")
			}
			if f.offerAuth {
				lines = append(lines, "AUTH PLAIN")
			}
			lines = append(lines, "8BITMIME")
			for i, l := range lines {
				sep := "-"
				if i == len(lines)-1 {
					sep = " "
				}
				_ = tp.PrintfLine("250%s%s", sep, l)
			}
		case "STARTTLS":
			_ = tp.PrintfLine("220 go ahead")
			tc := tls.Server(conn, f.tlsConfig)
			if err := tc.Handshake(); err != nil {
				return
			}
			conn, s.tls = tc, true
			tp = textproto.NewConn(conn)
		case "AUTH":
			mech, resp, _ := strings.Cut(arg, " ")
			if !strings.EqualFold(mech, "PLAIN") {
				_ = tp.PrintfLine("504 unsupported")
				continue
			}
			if resp == "" {
				_ = tp.PrintfLine("334 ")
				if resp, err = tp.ReadLine(); err != nil {
					return
				}
			}
			b, _ := base64.StdEncoding.DecodeString(resp)
			s.auth, s.authOverTL = string(b), s.tls
			_ = tp.PrintfLine("235 ok")
		case "MAIL":
			s.from = arg
			_ = tp.PrintfLine("250 ok")
		case "RCPT":
			s.rcpt = arg
			_ = tp.PrintfLine("250 ok")
		case "DATA":
			_ = tp.PrintfLine("354 go")
			if s.data, err = tp.ReadDotBytes(); err != nil {
				return
			}
			_ = tp.PrintfLine("250 queued")
		case "QUIT":
			if f.onQuit != nil {
				f.onQuit()
			}
			_ = tp.PrintfLine("221 bye")
			return
		case "RSET", "NOOP":
			_ = tp.PrintfLine("250 ok")
		default:
			_ = tp.PrintfLine("502 unknown")
		}
	}
}

// selfSigned returns a server config and a client pool trusting it.
func selfSigned(t *testing.T) (*tls.Config, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "fake smtp"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:     []string{"localhost"},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}, pool
}

func TestSMTPSender(t *testing.T) {
	serverTLS, pool := selfSigned(t)
	m := InvitationMail("en", InvitationData{To: "Ada <ada@example.com>", AccountName: "Acme", Role: "EDITOR",
		Link: "https://portal.example.com/invitations/accept?token=x", ExpiresAt: time.Now()})
	raw, err := BuildRaw(testFrom, m, NewMessageID(testFrom), time.Now())
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name     string
		server   *fakeSMTP
		scheme   string
		userinfo string
		wantTLS  bool
		wantAuth string
		wantErr  string
	}{
		{name: "STARTTLS offered, credentials", server: &fakeSMTP{offerStartTLS: true, offerAuth: true},
			scheme: "smtp", userinfo: "alice:p%40ss@", wantTLS: true, wantAuth: "\x00alice\x00p@ss"},
		{name: "STARTTLS offered, no credentials", server: &fakeSMTP{offerStartTLS: true, offerAuth: true},
			scheme: "smtp", wantTLS: true},
		{name: "plain server, no credentials", server: &fakeSMTP{},
			scheme: "smtp"},
		{name: "implicit TLS", server: &fakeSMTP{implicitTLS: true, offerAuth: true},
			scheme: "smtps", userinfo: "alice:pw@", wantTLS: true, wantAuth: "\x00alice\x00pw"},
		{name: "credentials but no AUTH offered", server: &fakeSMTP{offerStartTLS: true},
			scheme: "smtp", userinfo: "alice:hunter2@", wantErr: "offers no AUTH"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.server
			f.tlsConfig = serverTLS
			addr := startFakeSMTP(t, f)
			s, err := NewSMTPSender(tc.scheme + "://" + tc.userinfo + addr)
			if err != nil {
				t.Fatal(err)
			}
			s.TLSConfig.RootCAs = pool
			err = s.Send(t.Context(), testFrom, m.To, raw)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || strings.Contains(err.Error(), "hunter2") {
					t.Fatalf("Send = %v, want error %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			sess := f.last()
			if sess.tls != tc.wantTLS {
				t.Errorf("TLS = %v, want %v", sess.tls, tc.wantTLS)
			}
			if sess.auth != tc.wantAuth {
				t.Errorf("AUTH PLAIN = %q, want %q", sess.auth, tc.wantAuth)
			}
			if sess.auth != "" && !sess.authOverTL {
				t.Error("credentials sent before TLS")
			}
			if !strings.HasPrefix(sess.from, "FROM:<no-reply@contactgate.example>") || sess.rcpt != "TO:<ada@example.com>" {
				t.Errorf("envelope %q -> %q", sess.from, sess.rcpt)
			}
			got := bytes.ReplaceAll(sess.data, []byte("\r\n"), []byte("\n"))
			want := bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n"))
			if !bytes.Equal(bytes.TrimRight(got, "\n"), bytes.TrimRight(want, "\n")) {
				t.Errorf("DATA differs from the message:\n%s", sess.data)
			}
		})
	}
}

func TestSMTPSenderTimeouts(t *testing.T) {
	f := &fakeSMTP{silent: true}
	addr := startFakeSMTP(t, f)
	s, err := NewSMTPSender("smtp://" + addr)
	if err != nil {
		t.Fatal(err)
	}
	s.SendTimeout = 300 * time.Millisecond
	start := time.Now()
	err = s.Send(t.Context(), testFrom, "a@example.com", []byte("x"))
	if err == nil || time.Since(start) > 5*time.Second {
		t.Fatalf("Send to a silent server = %v after %v", err, time.Since(start))
	}

	// Cancelling the context stops a send at once.
	s.SendTimeout = time.Minute
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(200*time.Millisecond, cancel)
	start = time.Now()
	err = s.Send(ctx, testFrom, "a@example.com", []byte("x"))
	if err == nil || time.Since(start) > 5*time.Second {
		t.Fatalf("cancelled Send = %v after %v", err, time.Since(start))
	}

	// Nobody listening: a connection error, not a hang.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := ln.Addr().String()
	ln.Close()
	s2, _ := NewSMTPSender(fmt.Sprintf("smtp://bob:hunter2@%s", closed))
	err = s2.Send(t.Context(), testFrom, "a@example.com", []byte("x"))
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("Send to a closed port = %v", err)
	}
}
