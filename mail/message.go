package mail

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// Outbox statuses, as stored in outbox.status.
const (
	StatusQueued = "QUEUED"
	StatusSent   = "SENT"
	StatusFailed = "FAILED"
)

// DefaultMessageIDHost is the Message-ID host used when the From address has
// no usable domain.
const DefaultMessageIDHost = "contactgate.local"

// Message is one mail to one recipient.
type Message struct {
	// NotificationID links the mail to a notification (nil for invitations
	// and notices).
	NotificationID *string
	// To is the recipient's address. "Name <a@example.com>" is accepted, but
	// the outbox keeps only the bare address (outbox.to_email).
	To string
	// Subject is the subject line, any Unicode text.
	Subject string
	// Text is the plain text part.
	Text string
	// HTML is the HTML part (already escaped: a complete document).
	HTML string
}

// Enqueue writes m to the outbox as QUEUED, due now. Call it with the
// transaction that makes the change causing the mail, so that the mail
// exists if and only if the change does; kick the Worker after commit.
// from is the sender address the worker will use; its domain becomes the
// Message-ID host.
func Enqueue(tx *gorm.DB, from string, m Message) error {
	_, err := EnqueueID(tx, from, m)
	return err
}

// EnqueueID is Enqueue, returning the outbox row's id (to follow the
// mail's delivery, e.g. a test message's).
func EnqueueID(tx *gorm.DB, from string, m Message) (string, error) {
	if tx == nil {
		return "", errors.New("mail: Enqueue needs a database handle")
	}
	to, err := mail.ParseAddress(m.To)
	if err != nil {
		return "", fmt.Errorf("mail: invalid recipient %q: %w", m.To, err)
	}
	now := dbTime(time.Now())
	id := uuid.Must(uuid.NewV7()).String()
	err = tx.Exec(`INSERT INTO outbox
		(id, notification_id, to_email, subject, text_body, html_body, message_id, status, attempts, next_attempt_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
		id, m.NotificationID, to.Address, m.Subject, m.Text, m.HTML, NewMessageID(from), StatusQueued, now, now).Error
	if err != nil {
		return "", err
	}
	return id, nil
}

// NewMessageID returns a fresh "<uuid@host>" Message-ID whose host is the
// domain of from (an address, possibly with a display name), or
// DefaultMessageIDHost.
func NewMessageID(from string) string {
	return "<" + uuid.Must(uuid.NewV7()).String() + "@" + messageIDHost(from) + ">"
}

func messageIDHost(from string) string {
	a, err := mail.ParseAddress(from)
	if err != nil {
		return DefaultMessageIDHost
	}
	at := strings.LastIndexByte(a.Address, '@')
	if at < 0 {
		return DefaultMessageIDHost
	}
	host := strings.ToLower(strings.Trim(a.Address[at+1:], "[]"))
	if host == "" {
		return DefaultMessageIDHost
	}
	for _, r := range host {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-') {
			return DefaultMessageIDHost
		}
	}
	return host
}

// DefaultFrom derives a sender from the public URL of the server:
// "ContactGate <no-reply@HOST>", with HOST the URL's host name when it looks
// like a domain, else DefaultMessageIDHost.
func DefaultFrom(publicURL string) string {
	host := publicURL
	if i := strings.Index(host, "://"); i >= 0 {
		host = host[i+3:]
	}
	if i := strings.IndexAny(host, "/?#"); i >= 0 {
		host = host[:i]
	}
	if i := strings.LastIndexByte(host, '@'); i >= 0 {
		host = host[i+1:]
	}
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.Contains(host, "]") {
		host = host[:i]
	}
	host = strings.ToLower(host)
	if !strings.Contains(host, ".") || strings.Trim(host, "0123456789.") == "" || messageIDHost("x@"+host) != host {
		host = DefaultMessageIDHost
	}
	return (&mail.Address{Name: "ContactGate", Address: "no-reply@" + host}).String()
}

// BuildRaw renders the complete RFC 5322 message: headers From, To, Subject
// (RFC 2047 encoded when not ASCII), Date (from date), Message-ID, and
// MIME-Version, with a multipart/alternative body holding the text and HTML
// parts, UTF-8 and quoted-printable. Lines end with CRLF.
func BuildRaw(from string, m Message, messageID string, date time.Time) ([]byte, error) {
	fromAddr, err := mail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("mail: invalid sender %q: %w", from, err)
	}
	toAddr, err := mail.ParseAddress(m.To)
	if err != nil {
		return nil, fmt.Errorf("mail: invalid recipient %q: %w", m.To, err)
	}
	if messageID == "" {
		messageID = NewMessageID(from)
	}
	if !strings.HasPrefix(messageID, "<") || !strings.HasSuffix(messageID, ">") || strings.ContainsAny(messageID, " \r\n") {
		return nil, fmt.Errorf("mail: invalid Message-ID %q", messageID)
	}

	var buf bytes.Buffer
	body := multipart.NewWriter(&buf)
	header := func(k, v string) { fmt.Fprintf(&buf, "%s: %s\r\n", k, v) }
	header("From", fromAddr.String())
	header("To", toAddr.String())
	header("Subject", encodeHeader(m.Subject))
	header("Date", date.Format(time.RFC1123Z))
	header("Message-ID", messageID)
	header("MIME-Version", "1.0")
	header("Content-Type", `multipart/alternative; boundary="`+body.Boundary()+`"`)
	buf.WriteString("\r\n")

	for _, part := range []struct{ ctype, content string }{
		{"text/plain; charset=UTF-8", m.Text},
		{"text/html; charset=UTF-8", m.HTML},
	} {
		w, err := body.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {part.ctype},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, err
		}
		qp := quotedprintable.NewWriter(w)
		if _, err := qp.Write([]byte(crlf(part.content))); err != nil {
			return nil, err
		}
		if err := qp.Close(); err != nil {
			return nil, err
		}
	}
	if err := body.Close(); err != nil {
		return nil, err
	}
	buf.WriteString("\r\n")
	return buf.Bytes(), nil
}

// encodeHeader makes s safe for a header value: control characters (a
// header injection vector) become spaces, and non-ASCII text is encoded as
// RFC 2047 words.
func encodeHeader(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	return mime.QEncoding.Encode("UTF-8", s)
}

// crlf normalizes line endings to CRLF, as quoted-printable hard line breaks
// must be.
func crlf(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.ReplaceAll(s, "\n", "\r\n")
}

// dbTime is the form in which times are written to the outbox: UTC, with the
// microsecond precision of a PostgreSQL TIMESTAMP, so that a value read back
// compares equal to the one written.
func dbTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }
