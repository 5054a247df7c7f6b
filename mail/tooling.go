package mail

import (
	htmltemplate "html/template"
	texttemplate "text/template"
	"time"
)

// The mails of partner tooling (API tokens, webhooks) are loaded here, next
// to the others, so that each kind of mail stays in one place.
func init() {
	funcs := htmltemplate.FuncMap{
		"button": func(url, label string) any { return struct{ URL, Label string }{url, label} },
	}
	for _, loc := range Locales {
		for _, kind := range []string{"api_token_created", "webhook_disabled"} {
			base := "templates/" + loc + "/" + kind
			templates[loc][kind] = mailTemplates{
				text: texttemplate.Must(texttemplate.New(kind).ParseFS(templateFS, base+".txt")),
				html: htmltemplate.Must(htmltemplate.New(kind).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", base+".html")),
			}
		}
	}
}

// TokenCreatedData fills the mail telling an administrator that an API
// token was created.
type TokenCreatedData struct {
	To, AccountName, TokenName string
	// CreatorName is who created it (may be empty).
	CreatorName string
	ReadOnly    bool
	ExpiresAt   *time.Time
	// Link is the account's API access page.
	Link string
}

type tokenCreatedView struct {
	TokenCreatedData
	pageData
	Access, Expires string
}

func (v *tokenCreatedView) setPage(p pageData) { v.pageData = p }

// TokenCreatedMail renders the notice of a new API token to an
// administrator.
func TokenCreatedMail(locale string, d TokenCreatedData) Message {
	loc := NormalizeLocale(locale)
	v := &tokenCreatedView{TokenCreatedData: d, Access: tokenAccessLabel(loc, d.ReadOnly)}
	if d.ExpiresAt != nil {
		v.Expires = formatTime(loc, *d.ExpiresAt)
	}
	return render(loc, "api_token_created", d.To, v)
}

func tokenAccessLabel(loc string, readOnly bool) string {
	switch {
	case loc == "it" && readOnly:
		return "sola lettura"
	case loc == "it":
		return "lettura e scrittura"
	case readOnly:
		return "read-only"
	}
	return "read and write"
}

// WebhookDisabledData fills the mail telling an administrator that an
// endpoint was disabled after failures.
type WebhookDisabledData struct {
	To, AccountName, URL string
	Failures             int
	LastError            string
	Link                 string
}

type webhookDisabledView struct {
	WebhookDisabledData
	pageData
}

func (v *webhookDisabledView) setPage(p pageData) { v.pageData = p }

// WebhookDisabledMail renders the notice that a webhook endpoint was
// disabled.
func WebhookDisabledMail(locale string, d WebhookDisabledData) Message {
	return render(NormalizeLocale(locale), "webhook_disabled", d.To, &webhookDisabledView{WebhookDisabledData: d})
}
