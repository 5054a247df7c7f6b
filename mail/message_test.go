package mail

import (
	"net/mail"
	"regexp"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"
)

func TestBuildRawRoundTrip(t *testing.T) {
	sendTime := time.Date(2026, 5, 20, 14, 30, 5, 0, time.FixedZone("CEST", 2*3600))
	expires := time.Date(2026, 5, 27, 12, 30, 0, 0, time.UTC)
	link := "https://portal.example.com/invitations/accept?token=abc_DEF-123"
	long := strings.Repeat("Una riga molto lunga con caratteri accentati àèìòù e niente a capo. ", 6)

	tests := []struct {
		name        string
		from        string
		msg         Message
		wantFrom    string
		wantSubject string
		encoded     bool     // Subject header must be RFC 2047 encoded
		text, html  []string // substrings of the decoded parts
		notHTML     []string
	}{
		{
			name: "english invitation",
			from: testFrom,
			msg: InvitationMail("en", InvitationData{To: "ada@example.com", AccountName: "Acme Tours",
				InviterName: "Grace Hopper", Role: "ADMINISTRATOR", Link: link, ExpiresAt: expires}),
			wantFrom:    "no-reply@contactgate.example",
			wantSubject: "You're invited to join Acme Tours on ContactGate",
			text:        []string{"Grace Hopper has invited you", `"Acme Tours"`, "Administrator role", link, "May 27, 2026 at 12:30 UTC"},
			html:        []string{`href="` + link + `"`, "<strong>Grace Hopper</strong>", `lang="en"`},
		},
		{
			name: "italian invitation",
			from: "no-reply@portal.example.com",
			msg: InvitationMail("it", InvitationData{To: "Zoë Rossi <zoe@example.it>", AccountName: "Trattoria Già",
				Role: "EDITOR", Link: link, ExpiresAt: expires}),
			wantFrom:    "no-reply@portal.example.com",
			wantSubject: "Invito a unirti all'account «Trattoria Già» su ContactGate",
			encoded:     true,
			text:        []string{"Sei stato invitato a unirti all'account «Trattoria Già»", "ruolo di editor", "scade il 27 maggio 2026 alle 12:30 (UTC)", link, "Con questo ruolo potrai"},
			html:        []string{`lang="it"`, "Accetta l&#39;invito", "Trattoria Già", `href="` + link + `"`},
		},
		{
			name:        "non-ASCII subject and long lines",
			from:        "Ünïcode Sender <sender@example.org>",
			msg:         Message{To: "x@example.org", Subject: "Avviso: è tutto ok — 東京", Text: long, HTML: "<p>" + long + "</p>"},
			wantFrom:    "sender@example.org",
			wantSubject: "Avviso: è tutto ok — 東京",
			encoded:     true,
			text:        []string{long},
			html:        []string{"<p>" + long + "</p>"},
		},
		{
			name:        "header injection in subject",
			from:        testFrom,
			msg:         Message{To: "x@example.org", Subject: "Hello\r\nBcc: victim@example.org", Text: "t", HTML: "<p>h</p>"},
			wantFrom:    "no-reply@contactgate.example",
			wantSubject: "Hello  Bcc: victim@example.org",
			text:        []string{"t"},
			html:        []string{"<p>h</p>"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id := NewMessageID(tc.from)
			raw, err := BuildRaw(tc.from, tc.msg, id, sendTime)
			if err != nil {
				t.Fatal(err)
			}
			p := parseRaw(t, raw)
			if got := p.header.Get("MIME-Version"); got != "1.0" {
				t.Errorf("MIME-Version = %q", got)
			}
			if got := p.header.Get("Message-ID"); got != id {
				t.Errorf("Message-ID = %q, want %q", got, id)
			}
			date, err := p.header.Date()
			if err != nil || !date.Equal(sendTime) {
				t.Errorf("Date = %v (%v), want %v", date, err, sendTime)
			}
			from, err := mail.ParseAddress(p.header.Get("From"))
			if err != nil || from.Address != tc.wantFrom {
				t.Errorf("From = %q (%v), want address %s", p.header.Get("From"), err, tc.wantFrom)
			}
			wantTo, _ := mail.ParseAddress(tc.msg.To)
			to, err := mail.ParseAddress(p.header.Get("To"))
			if err != nil || to.Address != wantTo.Address || to.Name != wantTo.Name {
				t.Errorf("To = %q (%v), want %v", p.header.Get("To"), err, wantTo)
			}
			if p.subject != tc.wantSubject {
				t.Errorf("Subject = %q, want %q", p.subject, tc.wantSubject)
			}
			rawSubject := p.header.Get("Subject")
			if tc.encoded && !strings.HasPrefix(rawSubject, "=?UTF-8?q?") && !strings.HasPrefix(rawSubject, "=?utf-8?q?") {
				t.Errorf("Subject header %q is not RFC 2047 encoded", rawSubject)
			}
			if hdrs := strings.Count(string(raw), "\r\nBcc:"); hdrs != 0 {
				t.Errorf("subject injected a header")
			}
			for _, line := range strings.Split(string(raw), "\r\n") {
				if len(line) > 998 {
					t.Errorf("line of %d characters", len(line))
				}
			}
			for _, s := range tc.text {
				if !strings.Contains(p.text, s) {
					t.Errorf("text part lacks %q:\n%s", s, p.text)
				}
			}
			for _, s := range tc.html {
				if !strings.Contains(p.html, s) {
					t.Errorf("HTML part lacks %q:\n%s", s, p.html)
				}
			}
			if strings.Contains(p.text, "<p") || strings.Contains(p.text, "<strong") || strings.Contains(p.text, "&#39;") {
				t.Errorf("text part contains markup:\n%s", p.text)
			}
		})
	}
}

func TestBuildRawRejects(t *testing.T) {
	ok := Message{To: "a@example.com", Subject: "s", Text: "t", HTML: "h"}
	if _, err := BuildRaw("not an address", ok, "<x@y>", time.Now()); err == nil {
		t.Error("invalid From accepted")
	}
	bad := ok
	bad.To = "nobody"
	if _, err := BuildRaw(testFrom, bad, "<x@y>", time.Now()); err == nil {
		t.Error("invalid To accepted")
	}
	if _, err := BuildRaw(testFrom, ok, "x@y\r\nBcc: z", time.Now()); err == nil {
		t.Error("invalid Message-ID accepted")
	}
}

func TestMessageID(t *testing.T) {
	re := regexp.MustCompile(`^<[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}@([a-z0-9.-]+)>$`)
	for from, host := range map[string]string{
		testFrom:                     "contactgate.example",
		"no-reply@Portal.Example.IT": "portal.example.it",
		"":                           DefaultMessageIDHost,
		"garbage":                    DefaultMessageIDHost,
	} {
		id := NewMessageID(from)
		m := re.FindStringSubmatch(id)
		if m == nil || m[1] != host {
			t.Errorf("NewMessageID(%q) = %q, want <uuidv7@%s>", from, id, host)
		}
	}
	if a, b := NewMessageID(testFrom), NewMessageID(testFrom); a == b {
		t.Error("Message-IDs repeat")
	}
}

func TestDefaultFrom(t *testing.T) {
	for in, want := range map[string]string{
		"https://portal.example.com/":  `"ContactGate" <no-reply@portal.example.com>`,
		"http://localhost:8080":        `"ContactGate" <no-reply@contactgate.local>`,
		"http://127.0.0.1:8080/x":      `"ContactGate" <no-reply@contactgate.local>`,
		"":                             `"ContactGate" <no-reply@contactgate.local>`,
		"https://Gate.Example.org:443": `"ContactGate" <no-reply@gate.example.org>`,
	} {
		if got := DefaultFrom(in); got != want {
			t.Errorf("DefaultFrom(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestEnqueueInsideTransaction(t *testing.T) {
	db := sqliteDB(t)
	nid := "notif-1"
	m := Message{NotificationID: &nid, To: "Ada <ada@example.com>", Subject: "Hello", Text: "t", HTML: "<p>h</p>"}

	// Rolled back with the caller's change: no mail.
	_ = db.Transaction(func(tx *gorm.DB) error {
		if err := Enqueue(tx, testFrom, m); err != nil {
			t.Fatal(err)
		}
		return gorm.ErrInvalidTransaction
	})
	if n := len(rows(t, db)); n != 0 {
		t.Fatalf("rolled back transaction left %d outbox rows", n)
	}

	before := time.Now().Add(-time.Second)
	enqueue(t, db, m)
	r := oneRow(t, db)
	if r.Status != StatusQueued || r.Attempts != 0 || r.SentAt != nil || r.ClaimedUntil != nil || r.LastError != nil {
		t.Errorf("new row = %+v", r)
	}
	if r.ToEmail != "ada@example.com" || r.Subject != "Hello" || r.NotificationID == nil || *r.NotificationID != nid {
		t.Errorf("new row = %+v", r)
	}
	if r.NextAttemptAt.Before(before) || r.NextAttemptAt.After(time.Now().Add(time.Second)) {
		t.Errorf("next_attempt_at = %v, want now", r.NextAttemptAt)
	}
	if !strings.HasSuffix(r.MessageID, "@contactgate.example>") {
		t.Errorf("message_id = %q", r.MessageID)
	}
	if n, err := QueueDepth(t.Context(), db); err != nil || n != 1 {
		t.Errorf("QueueDepth = %d, %v", n, err)
	}

	if err := Enqueue(db, testFrom, Message{To: "not-an-address"}); err == nil {
		t.Error("invalid recipient accepted")
	}
}
