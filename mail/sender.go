package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Sender delivers one raw RFC 5322 message to one recipient. from and to may
// carry display names; only the addresses go into the SMTP envelope.
type Sender interface {
	Send(ctx context.Context, from string, to string, raw []byte) error
}

// AcceptingSender is a Sender that reports the moment the server takes
// responsibility for the message (its 250 reply to the end of DATA), before
// anything else (QUIT, closing the connection). The worker records the mail
// as sent right then, so that the window in which a crash makes it send
// the mail again is as short as SMTP allows.
type AcceptingSender interface {
	Sender
	// SendAccepted is Send, calling accepted (when not nil) once the server
	// has accepted the message. After accepted, it returns nil.
	SendAccepted(ctx context.Context, from, to string, raw []byte, accepted func()) error
}

// NewSender returns the sender for SMTP_URL: a LogSender writing to log when
// smtpURL is empty (dev mode), else an SMTPSender.
func NewSender(smtpURL string, log *slog.Logger) (Sender, error) {
	if strings.TrimSpace(smtpURL) == "" {
		return &LogSender{Logger: log, Out: os.Stderr}, nil
	}
	return NewSMTPSender(smtpURL)
}

// LogSender is the dev-mode sender: it writes a summary of each mail and its
// text part to Logger (slog.Default() when nil) and never fails.
type LogSender struct {
	Logger *slog.Logger
	// Out, when set, also gets a short block a person can read at a glance
	// (to, subject, links): the JSON line escapes the text beyond use.
	Out io.Writer
}

// linkPattern finds the links of a mail's text part (invitation, reset).
var linkPattern = regexp.MustCompile(`https?://[^\s<>"']+`)

// Send logs the mail.
func (s *LogSender) Send(ctx context.Context, from, to string, raw []byte) error {
	log := s.Logger
	if log == nil {
		log = slog.Default()
	}
	subject, messageID, text := summarize(raw)
	log.InfoContext(ctx, "mail not sent (no SMTP_URL): logged instead",
		"from", from, "to", to, "subject", subject, "message_id", messageID, "text", text)
	if s.Out != nil {
		var b strings.Builder
		fmt.Fprintf(&b, "\n--- mail (not sent: no SMTP_URL) ---\nTo:      %s\nSubject: %s\n", to, subject)
		for _, link := range linkPattern.FindAllString(text, 5) {
			fmt.Fprintf(&b, "Link:    %s\n", link)
		}
		b.WriteString("------------------------------------\n")
		_, _ = io.WriteString(s.Out, b.String())
	}
	return nil
}

// summarize extracts the decoded subject, the Message-ID and the text part of
// raw, as well as it can.
func summarize(raw []byte) (subject, messageID, text string) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return "", "", string(raw)
	}
	dec := new(mime.WordDecoder)
	subject = msg.Header.Get("Subject")
	if s, err := dec.DecodeHeader(subject); err == nil {
		subject = s
	}
	messageID = msg.Header.Get("Message-ID")
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(mediaType, "multipart/") {
		b, _ := io.ReadAll(decodePart(msg.Header.Get("Content-Transfer-Encoding"), msg.Body))
		return subject, messageID, string(b)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextRawPart()
		if err != nil {
			return subject, messageID, text
		}
		if mt, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type")); mt == "text/plain" {
			b, _ := io.ReadAll(decodePart(p.Header.Get("Content-Transfer-Encoding"), p))
			return subject, messageID, string(b)
		}
	}
}

func decodePart(cte string, r io.Reader) io.Reader {
	if strings.EqualFold(strings.TrimSpace(cte), "quoted-printable") {
		return quotedprintable.NewReader(r)
	}
	return r
}

// SMTPSender delivers over SMTP, one connection per message.
//
// URL forms: smtp://[user:pass@]host[:port] (port 587 by default; STARTTLS
// is used whenever the server offers it) and smtps://[user:pass@]host[:port]
// (implicit TLS, port 465 by default). Credentials are optional; when given,
// AUTH PLAIN is used, and only over TLS or to a loopback host (net/smtp
// refuses otherwise, so a password never crosses the network in clear).
// Query parameters: skip_verify=true accepts any server certificate (for a
// self-signed relay in development), helo=NAME sets the EHLO name.
type SMTPSender struct {
	// Host and Port of the server.
	Host, Port string
	// ImplicitTLS is true for smtps://.
	ImplicitTLS bool
	// Username and Password, when Username is not empty, authenticate with
	// AUTH PLAIN.
	Username, Password string
	// HeloName is the EHLO name ("localhost" when empty).
	HeloName string
	// TLSConfig is used for STARTTLS and smtps (ServerName defaults to Host).
	TLSConfig *tls.Config
	// DialTimeout bounds connecting (default 10s).
	DialTimeout time.Duration
	// SendTimeout bounds one whole delivery, connection included (default
	// 60s); a deadline of the context given to Send shortens it.
	SendTimeout time.Duration
}

// NewSMTPSender parses an smtp:// or smtps:// URL. Errors never include the
// password.
func NewSMTPSender(rawURL string) (*SMTPSender, error) {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil {
		return nil, fmt.Errorf("mail: SMTP_URL %s is not a valid URL", RedactURL(rawURL))
	}
	s := &SMTPSender{DialTimeout: 10 * time.Second, SendTimeout: 60 * time.Second}
	switch strings.ToLower(u.Scheme) {
	case "smtp":
		s.Port = "587"
	case "smtps":
		s.Port, s.ImplicitTLS = "465", true
	default:
		return nil, fmt.Errorf("mail: SMTP_URL %s: scheme must be smtp or smtps", RedactURL(rawURL))
	}
	s.Host = u.Hostname()
	if s.Host == "" {
		return nil, fmt.Errorf("mail: SMTP_URL %s has no host", RedactURL(rawURL))
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n <= 0 || n > 65535 {
			return nil, fmt.Errorf("mail: SMTP_URL %s: invalid port", RedactURL(rawURL))
		}
		s.Port = p
	}
	if u.User != nil {
		s.Username = u.User.Username()
		s.Password, _ = u.User.Password()
	}
	q := u.Query()
	s.HeloName = q.Get("helo")
	s.TLSConfig = &tls.Config{ServerName: s.Host, MinVersion: tls.VersionTLS12}
	if v := q.Get("skip_verify"); v != "" {
		skip, err := strconv.ParseBool(v)
		if err != nil {
			return nil, fmt.Errorf("mail: SMTP_URL %s: skip_verify must be true or false", RedactURL(rawURL))
		}
		s.TLSConfig.InsecureSkipVerify = skip
	}
	return s, nil
}

// String describes the sender without its password.
func (s *SMTPSender) String() string {
	scheme := "smtp"
	if s.ImplicitTLS {
		scheme = "smtps"
	}
	user := ""
	if s.Username != "" {
		user = url.User(s.Username).String() + ":***@"
	}
	return scheme + "://" + user + net.JoinHostPort(s.Host, s.Port)
}

// Send delivers raw to the server, within SendTimeout and the context.
func (s *SMTPSender) Send(ctx context.Context, from, to string, raw []byte) error {
	return s.SendAccepted(ctx, from, to, raw, nil)
}

// SendAccepted is Send, calling accepted as soon as the server has
// accepted the message and before QUIT.
func (s *SMTPSender) SendAccepted(ctx context.Context, from, to string, raw []byte, accepted func()) (err error) {
	fromAddr, err := mail.ParseAddress(from)
	if err != nil {
		return fmt.Errorf("smtp: invalid sender %q: %w", from, err)
	}
	toAddr, err := mail.ParseAddress(to)
	if err != nil {
		return fmt.Errorf("smtp: invalid recipient %q: %w", to, err)
	}
	timeout := s.SendTimeout
	if timeout <= 0 {
		timeout = 60 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	deadline, _ := ctx.Deadline()
	dialTimeout := s.DialTimeout
	if dialTimeout <= 0 {
		dialTimeout = 10 * time.Second
	}
	addr := net.JoinHostPort(s.Host, s.Port)
	dialer := &net.Dialer{Timeout: dialTimeout}
	tlsConfig := s.tlsConfig()

	var conn net.Conn
	if s.ImplicitTLS {
		conn, err = (&tls.Dialer{NetDialer: dialer, Config: tlsConfig}).DialContext(ctx, "tcp", addr)
	} else {
		conn, err = dialer.DialContext(ctx, "tcp", addr)
	}
	if err != nil {
		return s.redact(fmt.Errorf("smtp: connect to %s: %w", addr, err))
	}
	defer conn.Close()
	if err := conn.SetDeadline(deadline); err != nil {
		return s.redact(fmt.Errorf("smtp: %w", err))
	}
	// Cancelling the context interrupts any pending read or write.
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	defer func() {
		if err != nil && ctx.Err() != nil {
			err = fmt.Errorf("%w (%v)", err, context.Cause(ctx))
		}
		err = s.redact(err)
	}()

	c, err := smtp.NewClient(conn, s.Host)
	if err != nil {
		return fmt.Errorf("smtp: greeting from %s: %w", addr, err)
	}
	defer c.Close()
	helo := s.HeloName
	if helo == "" {
		helo = "localhost"
	}
	if err := c.Hello(helo); err != nil {
		return fmt.Errorf("smtp: EHLO: %w", err)
	}
	if !s.ImplicitTLS {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(tlsConfig); err != nil {
				return fmt.Errorf("smtp: STARTTLS: %w", err)
			}
		}
	}
	if s.Username != "" {
		if ok, _ := c.Extension("AUTH"); !ok {
			return errors.New("smtp: credentials given but the server offers no AUTH")
		}
		if err := c.Auth(smtp.PlainAuth("", s.Username, s.Password, s.Host)); err != nil {
			return fmt.Errorf("smtp: AUTH PLAIN: %w", err)
		}
	}
	if err := c.Mail(fromAddr.Address); err != nil {
		return fmt.Errorf("smtp: MAIL FROM: %w", err)
	}
	if err := c.Rcpt(toAddr.Address); err != nil {
		return refusal("RCPT TO", err)
	}
	w, err := c.Data()
	if err != nil {
		return refusal("DATA", err)
	}
	if _, err := w.Write(raw); err != nil {
		return fmt.Errorf("smtp: DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return refusal("DATA", err)
	}
	// The message is accepted once DATA is: report it before anything else
	// (a crash during QUIT must not cost a duplicate); a failing QUIT
	// changes nothing.
	if accepted != nil {
		accepted()
	}
	_ = c.Quit()
	return nil
}

// RefusedError is a permanent refusal of the recipient or the message:
// a 5xx reply to RCPT TO or DATA. Retrying cannot help; the worker fails
// the mail at once and reports a bounce.
type RefusedError struct {
	// Stage is "RCPT TO" or "DATA".
	Stage string
	// Code and Reply are the server's reply.
	Code  int
	Reply string
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("smtp: %s refused: %d %s", e.Stage, e.Code, e.Reply)
}

// refusal wraps the error of an SMTP command: a 5xx reply becomes a
// *RefusedError, anything else (4xx, connection) stays temporary.
func refusal(stage string, err error) error {
	var tp *textproto.Error
	if errors.As(err, &tp) && tp.Code >= 500 && tp.Code < 600 {
		return &RefusedError{Stage: stage, Code: tp.Code, Reply: tp.Msg}
	}
	return fmt.Errorf("smtp: %s: %w", stage, err)
}

func (s *SMTPSender) tlsConfig() *tls.Config {
	if s.TLSConfig == nil {
		return &tls.Config{ServerName: s.Host, MinVersion: tls.VersionTLS12}
	}
	c := s.TLSConfig.Clone()
	if c.ServerName == "" {
		c.ServerName = s.Host
	}
	return c
}

// redact removes the password from err's text, should a server echo it.
func (s *SMTPSender) redact(err error) error {
	if err == nil || s.Password == "" || !strings.Contains(err.Error(), s.Password) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), s.Password, "***"))
}

// RedactURL returns rawURL with any password replaced by "***", for logs
// and errors.
func RedactURL(rawURL string) string {
	if u, err := url.Parse(rawURL); err == nil {
		return u.Redacted()
	}
	return redactText(rawURL)
}
