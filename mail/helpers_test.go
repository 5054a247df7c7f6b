package mail

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/contactgate/contactgate/internal/testdb"
	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// outboxDDL is the table as the app's migrations create it.
var outboxDDL = []string{
	`CREATE TABLE outbox (
  id TEXT PRIMARY KEY,
  notification_id TEXT,
  to_email TEXT NOT NULL,
  subject TEXT NOT NULL,
  text_body TEXT NOT NULL,
  html_body TEXT NOT NULL,
  message_id TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TIMESTAMP NOT NULL,
  last_error TEXT,
  created_at TIMESTAMP NOT NULL,
  sent_at TIMESTAMP,
  claimed_until TIMESTAMP
)`,
	`CREATE INDEX outbox_due ON outbox (status, next_attempt_at)`,
	`CREATE INDEX outbox_notification ON outbox (notification_id)`,
}

// openDB opens a new connection pool on dsn (an SQLite file path or a
// PostgreSQL URL), closed when the test ends.
func openDB(t testing.TB, driver, dsn string) *gorm.DB {
	t.Helper()
	var d gorm.Dialector
	switch driver {
	case testdb.DriverSQLite:
		d = sqlite.Open(dsn + "?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)")
	case testdb.DriverPostgres:
		d = postgres.Open(dsn)
	default:
		t.Fatalf("unknown driver %q", driver)
	}
	db, err := gorm.Open(d, &gorm.Config{Logger: logger.Default.LogMode(logger.Silent)})
	if err != nil {
		t.Fatalf("open %s: %v", driver, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sqlDB.Close() })
	return db
}

// newOutboxDB opens a database with the outbox table.
func newOutboxDB(t testing.TB, driver, dsn string) *gorm.DB {
	t.Helper()
	db := openDB(t, driver, dsn)
	for _, q := range outboxDDL {
		if err := db.Exec(q).Error; err != nil {
			t.Fatalf("create outbox: %v", err)
		}
	}
	return db
}

// sqliteDB is an SQLite outbox in a temp file.
func sqliteDB(t testing.TB) *gorm.DB {
	return newOutboxDB(t, testdb.DriverSQLite, testdb.SQLitePath(t))
}

// row is an outbox row as tests read it.
type row struct {
	ID             string
	NotificationID *string
	ToEmail        string
	Subject        string
	TextBody       string
	HTMLBody       string `gorm:"column:html_body"`
	MessageID      string
	Status         string
	Attempts       int
	NextAttemptAt  time.Time
	LastError      *string
	CreatedAt      time.Time
	SentAt         *time.Time
	ClaimedUntil   *time.Time
}

func rows(t testing.TB, db *gorm.DB) []row {
	t.Helper()
	var out []row
	if err := db.Raw(`SELECT * FROM outbox ORDER BY created_at, id`).Scan(&out).Error; err != nil {
		t.Fatalf("read outbox: %v", err)
	}
	return out
}

func oneRow(t testing.TB, db *gorm.DB) row {
	t.Helper()
	rs := rows(t, db)
	if len(rs) != 1 {
		t.Fatalf("outbox has %d rows, want 1", len(rs))
	}
	return rs[0]
}

func enqueue(t testing.TB, db *gorm.DB, m Message) {
	t.Helper()
	if err := db.Transaction(func(tx *gorm.DB) error { return Enqueue(tx, testFrom, m) }); err != nil {
		t.Fatalf("Enqueue: %v", err)
	}
}

const testFrom = "ContactGate <no-reply@contactgate.example>"

// fakeClock is a settable clock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Now().UTC()} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fakeSender records what it is asked to send and fails when fail says so.
type fakeSender struct {
	mu    sync.Mutex
	calls int
	// byID counts accepted sends per Message-ID.
	byID map[string]int
	raws [][]byte
	// fail, when set, decides the outcome of call n (1-based).
	fail  func(n int) error
	delay time.Duration
}

func (f *fakeSender) Send(ctx context.Context, from, to string, raw []byte) error {
	f.mu.Lock()
	f.calls++
	n := f.calls
	fail := f.fail
	f.mu.Unlock()
	if f.delay > 0 {
		time.Sleep(f.delay)
	}
	if fail != nil {
		if err := fail(n); err != nil {
			return err
		}
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.byID == nil {
		f.byID = map[string]int{}
	}
	f.byID[msg.Header.Get("Message-ID")]++
	f.raws = append(f.raws, raw)
	return nil
}

func (f *fakeSender) accepted() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.raws)
}

var errDown = errors.New("dial tcp 127.0.0.1:25: connect: connection refused (smtp://bob:hunter2@relay.example)")

// parsed is a raw message read back.
type parsed struct {
	header      mail.Header
	subject     string
	text, html  string
	textHeaders []string // Content-Type, Content-Transfer-Encoding
	htmlHeaders []string
}

func parseRaw(t testing.TB, raw []byte) parsed {
	t.Helper()
	if bytes.Contains(bytes.ReplaceAll(raw, []byte("\r\n"), nil), []byte("\n")) {
		t.Errorf("raw message has bare LF line endings")
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("ReadMessage: %v", err)
	}
	var p parsed
	p.header = msg.Header
	dec := new(mime.WordDecoder)
	p.subject, err = dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("decode subject: %v", err)
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type = %q (%v), want multipart/alternative", msg.Header.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		part, err := mr.NextRawPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("next part: %v", err)
		}
		if cte := part.Header.Get("Content-Transfer-Encoding"); cte != "quoted-printable" {
			t.Errorf("part Content-Transfer-Encoding = %q", cte)
		}
		body, err := io.ReadAll(quotedprintable.NewReader(part))
		if err != nil {
			t.Fatalf("decode part: %v", err)
		}
		hs := []string{part.Header.Get("Content-Type"), part.Header.Get("Content-Transfer-Encoding")}
		switch ct, cp, _ := mime.ParseMediaType(part.Header.Get("Content-Type")); {
		case ct == "text/plain" && strings.EqualFold(cp["charset"], "utf-8"):
			p.text, p.textHeaders = string(body), hs
		case ct == "text/html" && strings.EqualFold(cp["charset"], "utf-8"):
			p.html, p.htmlHeaders = string(body), hs
		default:
			t.Errorf("unexpected part %q", part.Header.Get("Content-Type"))
		}
	}
	if p.text == "" || p.html == "" {
		t.Fatalf("missing part: text %d bytes, html %d bytes", len(p.text), len(p.html))
	}
	return p
}
