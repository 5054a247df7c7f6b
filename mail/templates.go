package mail

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
	"time"
)

//go:embed templates
var templateFS embed.FS

// Locales lists the languages mails are written in; the first is the
// fallback.
var Locales = []string{"en", "it"}

// NormalizeLocale maps a language tag ("it", "it-IT", "it_IT", "IT") to one
// of Locales, falling back to "en".
func NormalizeLocale(locale string) string {
	l := strings.ToLower(strings.TrimSpace(locale))
	if i := strings.IndexAny(l, "-_"); i >= 0 {
		l = l[:i]
	}
	for _, known := range Locales {
		if l == known {
			return known
		}
	}
	return Locales[0]
}

// InvitationData fills the invitation mail.
type InvitationData struct {
	// To is the invited address.
	To string
	// AccountName is the account the person is invited to.
	AccountName string
	// InviterName is who invited them (empty: the sentence is impersonal).
	InviterName string
	// Role is READ_ONLY, EDITOR or ADMINISTRATOR.
	Role string
	// Link is PUBLIC_URL/invitations/accept?token=..., built by the caller.
	Link string
	// ExpiresAt is when the link stops working.
	ExpiresAt time.Time
}

// NoticeData fills the mail telling an existing user they were added to an
// account.
type NoticeData struct {
	// To is the user's address.
	To string
	// AccountName is the account they were added to.
	AccountName string
	// InviterName is who added them (may be empty).
	InviterName string
	// Role is READ_ONLY, EDITOR or ADMINISTRATOR.
	Role string
	// Link is where to sign in (PUBLIC_URL).
	Link string
}

// NotificationData fills a notification mail.
type NotificationData struct {
	// To is the contact's address.
	To string
	// AccountName is the account the notification is about.
	AccountName string
	// Kind is the notification kind (PRODUCTION_ALERT, TECHNICAL_EMERGENCY,
	// TECHNICAL_NON_EMERGENCY, MERCHANT_ISSUE, OPERATIONAL_ESCALATION).
	Kind string
	// Field is the contact field that made this address a recipient, as the
	// GraphQL enum (TECHNICAL_EMERGENCY) or API name (technicalEmergency).
	// Empty: the field the kind routes to first.
	Field string
	// Subject and Body are the staff's text (plain text).
	Subject string
	Body    string
	// Link optionally points to the account's contact information page.
	Link string
}

type mailTemplates struct {
	text *texttemplate.Template
	html *htmltemplate.Template
}

// templates[locale][kind]
var templates = loadTemplates()

func loadTemplates() map[string]map[string]mailTemplates {
	out := map[string]map[string]mailTemplates{}
	funcs := htmltemplate.FuncMap{
		"button": func(url, label string) any { return struct{ URL, Label string }{url, label} },
	}
	for _, loc := range Locales {
		out[loc] = map[string]mailTemplates{}
		for _, kind := range []string{"invitation", "notice", "notification", "review_reminder", "former_member", "verification", "test", "unreachable"} {
			base := "templates/" + loc + "/" + kind
			out[loc][kind] = mailTemplates{
				text: texttemplate.Must(texttemplate.New(kind).ParseFS(templateFS, base+".txt")),
				html: htmltemplate.Must(htmltemplate.New(kind).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", base+".html")),
			}
		}
	}
	return out
}

// pageData is what the HTML layout needs besides each mail's own data.
type pageData struct {
	Lang        string
	MailSubject string
}

func render(locale, kind, to string, data interface{ setPage(pageData) }) Message {
	locale = NormalizeLocale(locale)
	t := templates[locale][kind]
	var subject, text, html bytes.Buffer
	if err := t.text.ExecuteTemplate(&subject, "subject", data); err != nil {
		panic(fmt.Sprintf("mail: template %s/%s subject: %v", locale, kind, err))
	}
	subj := strings.Join(strings.Fields(subject.String()), " ")
	data.setPage(pageData{Lang: locale, MailSubject: subj})
	if err := t.text.ExecuteTemplate(&text, "text", data); err != nil {
		panic(fmt.Sprintf("mail: template %s/%s text: %v", locale, kind, err))
	}
	if err := t.html.ExecuteTemplate(&html, "layout", data); err != nil {
		panic(fmt.Sprintf("mail: template %s/%s html: %v", locale, kind, err))
	}
	return Message{
		To:      to,
		Subject: subj,
		Text:    strings.TrimSpace(text.String()) + "\n",
		HTML:    strings.TrimSpace(html.String()) + "\n",
	}
}

type invitationView struct {
	InvitationData
	pageData
	RoleLabel, RoleDescription, Expires string
}

func (v *invitationView) setPage(p pageData) { v.pageData = p }

// InvitationMail renders the invitation to join an account, in locale ("en"
// or "it"; anything else falls back to "en").
func InvitationMail(locale string, d InvitationData) Message {
	loc := NormalizeLocale(locale)
	v := &invitationView{
		InvitationData:  d,
		RoleLabel:       roleLabel(loc, d.Role),
		RoleDescription: roleDescription(loc, d.Role),
		Expires:         formatTime(loc, d.ExpiresAt),
	}
	return render(loc, "invitation", d.To, v)
}

type noticeView struct {
	NoticeData
	pageData
	RoleLabel, RoleDescription string
}

func (v *noticeView) setPage(p pageData) { v.pageData = p }

// MembershipNoticeMail renders the notice that an existing user was added to
// an account.
func MembershipNoticeMail(locale string, d NoticeData) Message {
	loc := NormalizeLocale(locale)
	v := &noticeView{
		NoticeData:      d,
		RoleLabel:       roleLabel(loc, d.Role),
		RoleDescription: roleDescription(loc, d.Role),
	}
	return render(loc, "notice", d.To, v)
}

type notificationView struct {
	NotificationData
	pageData
	KindLabel, FieldPhrase string
	Paragraphs             [][]string
}

func (v *notificationView) setPage(p pageData) { v.pageData = p }

// NotificationMail renders a notification sent to an account's contacts,
// saying why the recipient receives it. The caller sets NotificationID on
// the result.
func NotificationMail(locale string, d NotificationData) Message {
	loc := NormalizeLocale(locale)
	field := d.Field
	if field == "" {
		field = kindFields[normKey(d.Kind)]
	}
	v := &notificationView{
		NotificationData: d,
		KindLabel:        label(kindLabels, loc, d.Kind),
		FieldPhrase:      fieldPhrase(loc, field),
		Paragraphs:       paragraphs(d.Body),
	}
	v.Subject = strings.Join(strings.Fields(d.Subject), " ")
	v.Body = strings.TrimSpace(strings.ReplaceAll(d.Body, "\r\n", "\n"))
	return render(loc, "notification", d.To, v)
}

// paragraphs splits plain text at blank lines, and each paragraph into lines.
func paragraphs(body string) [][]string {
	body = strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\r", "\n")
	var out [][]string
	var cur []string
	for _, line := range strings.Split(body, "\n") {
		line = strings.TrimRight(line, " \t")
		if line == "" {
			if len(cur) > 0 {
				out = append(out, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, line)
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// normKey makes "TECHNICAL_EMERGENCY", "technicalEmergency" and
// "technical-emergency" the same key.
func normKey(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '_' || r == '-' || r == ' ' {
			return -1
		}
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

func label(m map[string]map[string]string, loc, key string) string {
	if l, ok := m[normKey(key)]; ok {
		if s, ok := l[loc]; ok {
			return s
		}
		return l["en"]
	}
	return key
}

var roleLabels = map[string]map[string]string{
	"readonly":      {"en": "Read-only", "it": "lettore (sola lettura)"},
	"editor":        {"en": "Editor", "it": "editor"},
	"administrator": {"en": "Administrator", "it": "amministratore"},
}

var roleDescriptions = map[string]map[string]string{
	"readonly": {
		"en": "read the contact information, the members and the history of changes",
		"it": "consultare i dati di contatto, i membri e la cronologia delle modifiche",
	},
	"editor": {
		"en": "read and edit the contact information, and read the members and the history of changes",
		"it": "consultare e modificare i dati di contatto e consultare i membri e la cronologia delle modifiche",
	},
	"administrator": {
		"en": "edit the contact information, invite and remove members, change their roles and manage API tokens",
		"it": "modificare i dati di contatto, invitare e rimuovere membri, cambiarne i ruoli e gestire i token API",
	},
}

func roleLabel(loc, role string) string { return label(roleLabels, loc, role) }

func roleDescription(loc, role string) string {
	if _, ok := roleDescriptions[normKey(role)]; !ok {
		return ""
	}
	return label(roleDescriptions, loc, role)
}

var kindLabels = map[string]map[string]string{
	"productionalert":       {"en": "Production alert", "it": "Avviso di produzione"},
	"technicalemergency":    {"en": "Technical emergency", "it": "Emergenza tecnica"},
	"technicalnonemergency": {"en": "Technical notice", "it": "Comunicazione tecnica"},
	"merchantissue":         {"en": "Merchant issue", "it": "Problema con un commerciante"},
	"operationalescalation": {"en": "Operational escalation", "it": "Escalation operativa"},
}

// kindFields is the first field each kind routes to (DESIGN, Notifications).
var kindFields = map[string]string{
	"productionalert":       "alertContacts",
	"technicalemergency":    "technicalEmergency",
	"technicalnonemergency": "technicalNonEmergency",
	"merchantissue":         "merchantIssues",
	"operationalescalation": "operationalForGoogle",
}

// fieldPhrases complete "you are listed as ... of ACCOUNT" (en) and
// "sei indicato tra i ... dell'account" (it); Italian wording from the
// portal's help page.
var fieldPhrases = map[string]map[string]string{
	"alertcontacts":         {"en": "an alert contact", "it": "contatti per gli avvisi"},
	"technicalemergency":    {"en": "a technical emergency contact", "it": "contatti tecnici di emergenza"},
	"technicalnonemergency": {"en": "a technical non-emergency contact", "it": "contatti tecnici non di emergenza"},
	"merchantissues":        {"en": "a merchant issues contact", "it": "contatti operativi per problemi con il commerciante"},
	"operationalforgoogle":  {"en": "an operational contact (for Google)", "it": "contatti operativi (per Google)"},
	"operationalforusers":   {"en": "the operational contact shared with users", "it": "contatti operativi da condividere con gli utenti"},
}

func fieldPhrase(loc, field string) string {
	if _, ok := fieldPhrases[normKey(field)]; ok {
		return label(fieldPhrases, loc, field)
	}
	if loc == "it" {
		return "contatti"
	}
	return "a contact"
}

var italianMonths = [...]string{"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno",
	"luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"}

// formatTime writes t in UTC, the way each language writes dates.
func formatTime(loc string, t time.Time) string {
	if t.IsZero() {
		return "?"
	}
	t = t.UTC()
	if loc == "it" {
		return fmt.Sprintf("%d %s %d alle %02d:%02d (UTC)", t.Day(), italianMonths[t.Month()-1], t.Year(), t.Hour(), t.Minute())
	}
	return t.Format("January 2, 2006 at 15:04 UTC")
}
