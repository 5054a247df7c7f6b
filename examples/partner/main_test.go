package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/contactgate/contactgate/internal/apitest"
	"github.com/contactgate/contactgate/internal/testdb"
	"github.com/contactgate/contactgate/models"
)

// competingSave is a transport that, before the script's first save
// reaches the server, lets a colleague save the contact info first: the
// script must meet a real CONFLICT and recover from it.
type competingSave struct {
	once sync.Once
	save func()
}

func (c *competingSave) RoundTrip(r *http.Request) (*http.Response, error) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	if bytes.Contains(body, []byte("updateContactInfo")) {
		c.once.Do(c.save)
	}
	return http.DefaultTransport.RoundTrip(r)
}

// TestPartnerScript runs the examples/partner script against the real
// server with a real API token: it reads the gate, meets a CONFLICT from a
// colleague's save in between, reads again and saves with the new version,
// keeping the colleague's change.
func TestPartnerScript(t *testing.T) {
	testdb.Each(t, func(t *testing.T, driver, dsn string) {
		s := apitest.NewWith(t, apitest.Options{Driver: driver, DSN: dsn})
		f := s.Fixture()
		a := f.AccountA.ID
		s.CompleteContactInfo(a, f.Admin, "")
		ctx := context.Background()
		_, token, err := s.Services.Tokens.Create(ctx, &f.Admin.ID, a, "partner script", false)
		if err != nil {
			t.Fatal(err)
		}
		colleague := &competingSave{save: func() {
			cs := []models.ContactInput{{Email: "tech@partner.example"}, {Email: "colleague@partner.example"}}
			if _, err := s.Services.ContactInfo.Update(ctx, &f.Editor.ID, a, models.ContactInfoPatch{
				Environment: models.EnvironmentSandbox, TechnicalNonEmergency: &cs}); err != nil {
				t.Errorf("the colleague's save: %v", err)
			}
		}}
		var out strings.Builder
		c := &Client{URL: s.URL, Token: token, HTTP: &http.Client{Transport: colleague}}
		if err := Run(ctx, c, a, "script@partner.example", &out); err != nil {
			t.Fatalf("run: %v\n%s", err, out.String())
		}
		for _, want := range []string{"sandbox gate: locked=false", "was changed by someone else", "added script@partner.example"} {
			if !strings.Contains(out.String(), want) {
				t.Fatalf("output lacks %q:\n%s", want, out.String())
			}
		}
		info, err := s.DB.ContactInfo(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		var emails []string
		for _, c := range info.TechnicalNonEmergency {
			emails = append(emails, c.Email)
		}
		if strings.Join(emails, ",") != "tech@partner.example,colleague@partner.example,script@partner.example" {
			t.Fatalf("contacts after the script: %v", emails)
		}
		// Run again: nothing to do.
		out.Reset()
		if err := Run(ctx, &Client{URL: s.URL, Token: token, HTTP: http.DefaultClient}, a, "script@partner.example", &out); err != nil ||
			!strings.Contains(out.String(), "already") {
			t.Fatalf("second run: %v\n%s", err, out.String())
		}
	})
}
