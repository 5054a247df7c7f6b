package mail

import (
	"strings"
	"testing"
	"time"
)

func TestNormalizeLocale(t *testing.T) {
	for in, want := range map[string]string{
		"it": "it", "it-IT": "it", "it_CH": "it", "IT": "it", " it ": "it",
		"en": "en", "en-GB": "en", "": "en", "fr": "en", "de-DE": "en", "italian": "en",
	} {
		if got := NormalizeLocale(in); got != want {
			t.Errorf("NormalizeLocale(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTemplates(t *testing.T) {
	expires := time.Date(2026, 3, 29, 1, 5, 0, 0, time.UTC)
	link := "https://portal.example.com/invitations/accept?token=tok123"
	hostile := `Evil <script>alert("x")</script> & Co`

	tests := []struct {
		name        string
		msg         Message
		subject     []string
		text        []string
		html        []string
		notHTML     []string
		notText     []string
		wantTo      string
		italianText bool
	}{
		{
			name: "invitation en",
			msg: InvitationMail("en", InvitationData{To: "a@example.com", AccountName: "Acme", InviterName: "Bob",
				Role: "READ_ONLY", Link: link, ExpiresAt: expires}),
			subject: []string{"You're invited to join Acme on ContactGate"},
			text:    []string{"Bob has invited you", "Read-only role", link, "March 29, 2026 at 01:05 UTC", "can be used only once"},
			html:    []string{`<a href="` + link + `"`, "Accept the invitation"},
			wantTo:  "a@example.com",
		},
		{
			name: "invitation it, regional tag",
			msg: InvitationMail("it-IT", InvitationData{To: "a@example.com", AccountName: "Acme", InviterName: "Bruno",
				Role: "ADMINISTRATOR", Link: link, ExpiresAt: expires}),
			subject:     []string{"Invito a unirti all'account «Acme» su ContactGate"},
			text:        []string{"Bruno ti ha invitato a unirti all'account «Acme»", "ruolo di amministratore", "29 marzo 2026 alle 01:05 (UTC)", link, "gestire i token API"},
			html:        []string{"Accetta l&#39;invito", `<a href="` + link + `"`, `lang="it"`},
			italianText: true,
		},
		{
			name: "invitation without inviter, unknown locale falls back to en",
			msg: InvitationMail("fr", InvitationData{To: "a@example.com", AccountName: "Acme",
				Role: "EDITOR", Link: link, ExpiresAt: expires}),
			subject: []string{"You're invited"},
			text:    []string{"You have been invited to join", "Editor role", "read and edit the contact information"},
		},
		{
			name: "invitation escapes HTML",
			msg: InvitationMail("en", InvitationData{To: "a@example.com", AccountName: hostile, InviterName: "<b>Mallory</b>",
				Role: "EDITOR", Link: "javascript:alert(1)", ExpiresAt: expires}),
			text:    []string{hostile, "<b>Mallory</b>"},
			html:    []string{"Evil &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co", "&lt;b&gt;Mallory&lt;/b&gt;", "#ZgotmplZ"},
			notHTML: []string{"<script>", "<b>Mallory", `href="javascript:`},
		},
		{
			name: "notice en",
			msg: MembershipNoticeMail("en", NoticeData{To: "b@example.com", AccountName: "Acme", InviterName: "Bob",
				Role: "EDITOR", Link: "https://portal.example.com/"}),
			subject: []string{"You now have access to Acme on ContactGate"},
			text:    []string{"Bob has added you to the account \"Acme\"", "Editor role", "https://portal.example.com/"},
			html:    []string{`href="https://portal.example.com/"`, "Open ContactGate"},
			notText: []string{"invitations/accept"},
			wantTo:  "b@example.com",
		},
		{
			name: "notice it",
			msg: MembershipNoticeMail("it", NoticeData{To: "b@example.com", AccountName: "Acme",
				Role: "READ_ONLY", Link: "https://portal.example.com/"}),
			subject:     []string{"Ora hai accesso all'account «Acme» su ContactGate"},
			text:        []string{"Sei stato aggiunto all'account «Acme»", "lettore (sola lettura)", "Accedi con il tuo indirizzo email"},
			html:        []string{"Apri ContactGate"},
			italianText: true,
		},
		{
			name: "notification en",
			msg: NotificationMail("en", NotificationData{To: "c@example.com", AccountName: "Acme", Kind: "TECHNICAL_EMERGENCY",
				Field: "TECHNICAL_EMERGENCY", Subject: "Integration  disabled", Body: "Your integration was disabled.\nPlease act.\n\nThanks <team>"}),
			subject: []string{"[Acme] Technical emergency: Integration disabled"},
			text:    []string{"Your integration was disabled.\nPlease act.\n\nThanks <team>", "you are listed as a technical emergency contact of Acme"},
			html:    []string{"<p style=\"margin:0 0 16px;\">Your integration was disabled.<br>Please act.</p>", "Thanks &lt;team&gt;", "a technical emergency contact of <strong>Acme</strong>"},
			wantTo:  "c@example.com",
		},
		{
			name: "notification it, field from kind, API field name",
			msg: NotificationMail("it", NotificationData{To: "c@example.com", AccountName: "Acme", Kind: "PRODUCTION_ALERT",
				Subject: "Errori in produzione", Body: "Tasso di errore oltre il 5%."}),
			subject:     []string{"[Acme] Avviso di produzione: Errori in produzione"},
			text:        []string{"Ricevi questo messaggio perché sei indicato tra i contatti per gli avvisi dell'account «Acme»", "Tasso di errore"},
			html:        []string{"tra i contatti per gli avvisi dell'account <strong>Acme</strong>"},
			italianText: true,
		},
		{
			name: "notification merchant issue routed to operational contacts",
			msg: NotificationMail("it", NotificationData{To: "c@example.com", AccountName: "Acme", Kind: "MERCHANT_ISSUE",
				Field: "operationalForGoogle", Subject: "S", Body: "B", Link: "https://portal.example.com/contact-info"}),
			subject: []string{"Problema con un commerciante: S"},
			text:    []string{"tra i contatti operativi (per Google)", "Controlla i dati di contatto: https://portal.example.com/contact-info"},
			html:    []string{`href="https://portal.example.com/contact-info"`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := tc.msg
			if tc.wantTo != "" && m.To != tc.wantTo {
				t.Errorf("To = %q, want %q", m.To, tc.wantTo)
			}
			if strings.ContainsAny(m.Subject, "\r\n") {
				t.Errorf("subject has a line break: %q", m.Subject)
			}
			for _, s := range tc.subject {
				if !strings.Contains(m.Subject, s) {
					t.Errorf("subject %q lacks %q", m.Subject, s)
				}
			}
			for _, s := range tc.text {
				if !strings.Contains(m.Text, s) {
					t.Errorf("text lacks %q:\n%s", s, m.Text)
				}
			}
			for _, s := range tc.notText {
				if strings.Contains(m.Text, s) {
					t.Errorf("text contains %q:\n%s", s, m.Text)
				}
			}
			for _, s := range tc.html {
				if !strings.Contains(m.HTML, s) {
					t.Errorf("HTML lacks %q:\n%s", s, m.HTML)
				}
			}
			for _, s := range tc.notHTML {
				if strings.Contains(m.HTML, s) {
					t.Errorf("HTML contains %q:\n%s", s, m.HTML)
				}
			}
			if !strings.HasPrefix(m.HTML, "<!DOCTYPE html>") || !strings.Contains(m.HTML, "</html>") {
				t.Errorf("HTML is not a document:\n%s", m.HTML)
			}
			if strings.Contains(m.Text, "&#39;") || strings.Contains(m.Text, "&lt;") || strings.Contains(m.Text, "<p") {
				t.Errorf("text part is escaped or has markup:\n%s", m.Text)
			}
			if strings.Contains(m.Text, "<no value>") || strings.Contains(m.HTML, "<no value>") {
				t.Errorf("template used a missing field")
			}
			english := strings.Contains(m.Text, "Hello,") || strings.Contains(m.Text, "You receive this message")
			if tc.italianText && english {
				t.Errorf("Italian mail has English text:\n%s", m.Text)
			}
		})
	}
}

// Every locale has every template, and they all render.
func TestAllTemplatesRender(t *testing.T) {
	for _, loc := range Locales {
		for _, role := range []string{"READ_ONLY", "EDITOR", "ADMINISTRATOR", "SOMETHING_NEW"} {
			InvitationMail(loc, InvitationData{To: "a@example.com", AccountName: "A", Role: role, Link: "https://x.example/", ExpiresAt: time.Now()})
			MembershipNoticeMail(loc, NoticeData{To: "a@example.com", AccountName: "A", Role: role, Link: "https://x.example/"})
		}
		for kind := range kindLabels {
			m := NotificationMail(loc, NotificationData{To: "a@example.com", AccountName: "A", Kind: strings.ToUpper(kind), Subject: "s", Body: "b"})
			if strings.Contains(m.Text, " a contact ") || strings.HasSuffix(m.Text, "tra i contatti dell'") {
				t.Errorf("%s/%s: no field phrase:\n%s", loc, kind, m.Text)
			}
		}
	}
}
