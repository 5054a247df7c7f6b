package mail

import (
	"strings"
	"time"
)

// VerificationData fills the mail asking the owner of an address to
// confirm it.
type VerificationData struct {
	// To is the address to verify.
	To string
	// AccountName is the partner that entered it.
	AccountName string
	// Fields are the contact fields it was entered for, as GraphQL enum
	// values (TECHNICAL_EMERGENCY) or API names.
	Fields []string
	// Link opens the public page with the confirm and "not me" buttons.
	Link      string
	ExpiresAt time.Time
}

// TestData fills a test message sent to one address of one field.
type TestData struct {
	To          string
	AccountName string
	// Field is the contact field tested.
	Field string
	// Link opens the public page with the "I received this" button.
	Link      string
	ExpiresAt time.Time
}

// UnreachableData fills the mail telling an administrator that an address
// of the account bounced or was disputed by its owner.
type UnreachableData struct {
	// To is the administrator.
	To          string
	AccountName string
	// Email is the address that cannot be used.
	Email string
	// Disputed: its owner said they are the wrong person; otherwise the
	// mail server refused it, and Detail is its reply.
	Disputed bool
	Detail   string
	Fields   []string
	// Link points to the account's contact information page.
	Link string
}

type fieldView struct{ Label, Explanation string }

type verificationView struct {
	VerificationData
	pageData
	Fields  []fieldView
	Expires string
}

func (v *verificationView) setPage(p pageData) { v.pageData = p }

// VerificationMail renders the verification request of an address.
func VerificationMail(locale string, d VerificationData) Message {
	loc := NormalizeLocale(locale)
	v := &verificationView{VerificationData: d, Expires: formatTime(loc, d.ExpiresAt)}
	for _, f := range d.Fields {
		v.Fields = append(v.Fields, fieldView{Label: FieldLabel(loc, f), Explanation: label(fieldExplanations, loc, f)})
	}
	return render(loc, "verification", d.To, v)
}

type testView struct {
	TestData
	pageData
	FieldLabel, Explanation, Expires string
}

func (v *testView) setPage(p pageData) { v.pageData = p }

// TestMail renders a test message: which real messages the field gets,
// and the link to confirm receipt.
func TestMail(locale string, d TestData) Message {
	loc := NormalizeLocale(locale)
	v := &testView{TestData: d, FieldLabel: strings.ToLower(FieldLabel(loc, d.Field)),
		Explanation: label(fieldExplanations, loc, d.Field), Expires: formatTime(loc, d.ExpiresAt)}
	return render(loc, "test", d.To, v)
}

type unreachableView struct {
	UnreachableData
	pageData
	FieldList string
}

func (v *unreachableView) setPage(p pageData) { v.pageData = p }

// UnreachableMail renders the notice to an administrator that an address
// of the account bounced or was disputed.
func UnreachableMail(locale string, d UnreachableData) Message {
	loc := NormalizeLocale(locale)
	labels := make([]string, len(d.Fields))
	for i, f := range d.Fields {
		labels[i] = FieldLabel(loc, f)
	}
	v := &unreachableView{UnreachableData: d, FieldList: strings.Join(labels, ", ")}
	return render(loc, "unreachable", d.To, v)
}

// FieldLabel is a contact field's name as the portal shows it (Italian
// from the help page).
func FieldLabel(loc, field string) string { return label(fieldLabels, NormalizeLocale(loc), field) }

var fieldLabels = map[string]map[string]string{
	"alertcontacts":         {"en": "Alert contacts", "it": "Contatti per gli avvisi"},
	"technicalemergency":    {"en": "Technical emergency contacts", "it": "Contatti tecnici di emergenza"},
	"technicalnonemergency": {"en": "Technical non-emergency contacts", "it": "Contatti tecnici non di emergenza"},
	"merchantissues":        {"en": "Merchant issues contacts", "it": "Contatti operativi per problemi con il commerciante"},
	"operationalforgoogle":  {"en": "Operational contacts (for the platform)", "it": "Contatti operativi (per Google)"},
	"operationalforusers":   {"en": "Operational contact (shared with users)", "it": "Contatto operativo (da condividere con gli utenti)"},
}

// fieldExplanations say what each field is for, as the help page does.
var fieldExplanations = map[string]map[string]string{
	"alertcontacts": {
		"en": "automatic alert mails whenever problems are detected in production.",
		"it": "le email di avviso automatiche inviate ogni volta che vengono rilevati problemi in produzione.",
	},
	"technicalemergency": {
		"en": "notifications in an emergency, for example when the integration is disabled.",
		"it": "le notifiche in caso di emergenza (ad esempio, l'integrazione è disabilitata).",
	},
	"technicalnonemergency": {
		"en": "ongoing support that needs technical input, for example API migrations or matching problems.",
		"it": "l'assistenza continuativa che richiede input tecnici (ad esempio attività di migrazione delle API, problemi di corrispondenza).",
	},
	"merchantissues": {
		"en": "merchant problems, for example a merchant asking to remove a partner it has no business relationship with.",
		"it": "i problemi con il commerciante, ad esempio quando un commerciante richiede la rimozione di un partner con cui non ha un rapporto commerciale.",
	},
	"operationalforgoogle": {
		"en": "escalations that need the partner to act (for example a booking that is not fulfilled); never shown to users.",
		"it": "le riassegnazioni dell'utente che richiedono l'intervento del partner (ad es. la prenotazione non viene soddisfatta); non vengono forniti agli utenti.",
	},
	"operationalforusers": {
		"en": "the brand's support address shared with users, for refunds, cancellations or changes of orders.",
		"it": "l'alias email di assistenza del brand condiviso con gli utenti, per rimborsi, annullamenti o modifiche di ordini.",
	},
}
