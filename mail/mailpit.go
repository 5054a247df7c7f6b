package mail

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// Mailpit is a small client of the mailpit API (https://mailpit.axllent.org),
// for end-to-end tests: URL is the API base, e.g. "http://127.0.0.1:8025".
//
// Tests of several packages may share one mailpit at once: give each test
// its own recipient address and find its mail with WaitFor rather than
// calling DeleteAll.
type Mailpit struct {
	URL string
	// Client is the HTTP client (http.DefaultClient when nil).
	Client *http.Client
}

// MailpitAddress is a mailbox as mailpit reports it.
type MailpitAddress struct {
	Name    string `json:"Name"`
	Address string `json:"Address"`
}

// MailpitMessage is one entry of the message list.
type MailpitMessage struct {
	ID        string           `json:"ID"`
	MessageID string           `json:"MessageID"`
	From      *MailpitAddress  `json:"From"`
	To        []MailpitAddress `json:"To"`
	Subject   string           `json:"Subject"`
	Created   time.Time        `json:"Created"`
	Snippet   string           `json:"Snippet"`
}

// MailpitDetail is one message with its decoded parts.
type MailpitDetail struct {
	ID        string           `json:"ID"`
	MessageID string           `json:"MessageID"`
	From      *MailpitAddress  `json:"From"`
	To        []MailpitAddress `json:"To"`
	Subject   string           `json:"Subject"`
	Date      time.Time        `json:"Date"`
	// Text and HTML are the decoded text/plain and text/html parts.
	Text string `json:"Text"`
	HTML string `json:"HTML"`
}

// SentTo reports whether addr (case-insensitive) is among the recipients.
func (m MailpitMessage) SentTo(addr string) bool { return hasAddress(m.To, addr) }

// SentTo reports whether addr (case-insensitive) is among the recipients.
func (d MailpitDetail) SentTo(addr string) bool { return hasAddress(d.To, addr) }

var textURL = regexp.MustCompile(`https?://[^\s<>"']+`)

// Link returns the first http(s) URL of the text part that contains substr
// (e.g. "/invitations/accept?token="), or "".
func (d MailpitDetail) Link(substr string) string {
	for _, u := range textURL.FindAllString(d.Text, -1) {
		if strings.Contains(u, substr) {
			return u
		}
	}
	return ""
}

func hasAddress(list []MailpitAddress, addr string) bool {
	for _, a := range list {
		if strings.EqualFold(a.Address, strings.TrimSpace(addr)) {
			return true
		}
	}
	return false
}

// Messages lists the stored messages, newest first (at most 1000).
func (m *Mailpit) Messages(ctx context.Context) ([]MailpitMessage, error) {
	var out struct {
		Messages []MailpitMessage `json:"messages"`
	}
	if err := m.do(ctx, http.MethodGet, "/api/v1/messages?limit=1000", &out); err != nil {
		return nil, err
	}
	return out.Messages, nil
}

// Message fetches one message by its mailpit ID.
func (m *Mailpit) Message(ctx context.Context, id string) (MailpitDetail, error) {
	var d MailpitDetail
	err := m.do(ctx, http.MethodGet, "/api/v1/message/"+url.PathEscape(id), &d)
	return d, err
}

// DeleteAll deletes every stored message.
func (m *Mailpit) DeleteAll(ctx context.Context) error {
	return m.do(ctx, http.MethodDelete, "/api/v1/messages", nil)
}

// WaitFor polls until a message to the address to whose subject contains
// subjectContains arrives, and returns it. It gives up when ctx is done, or
// after 30 seconds when ctx has no deadline.
func (m *Mailpit) WaitFor(ctx context.Context, to, subjectContains string) (MailpitDetail, error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
	}
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	var lastErr error
	for {
		msgs, err := m.Messages(ctx)
		lastErr = err
		for _, msg := range msgs {
			if msg.SentTo(to) && strings.Contains(msg.Subject, subjectContains) {
				return m.Message(ctx, msg.ID)
			}
		}
		select {
		case <-ctx.Done():
			if lastErr != nil {
				return MailpitDetail{}, fmt.Errorf("mailpit: no mail to %s with subject containing %q: %w (last error: %v)", to, subjectContains, ctx.Err(), lastErr)
			}
			return MailpitDetail{}, fmt.Errorf("mailpit: no mail to %s with subject containing %q: %w", to, subjectContains, ctx.Err())
		case <-tick.C:
		}
	}
}

func (m *Mailpit) do(ctx context.Context, method, path string, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(m.URL, "/")+path, nil)
	if err != nil {
		return fmt.Errorf("mailpit: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	client := m.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("mailpit: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("mailpit: %s %s: %s: %s", method, path, resp.Status, strings.TrimSpace(string(body)))
	}
	if out == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("mailpit: %s %s: %w", method, path, err)
	}
	return nil
}
