package models

import (
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"

	// Time zones are validated with time.LoadLocation, which reads the
	// system's zoneinfo. Embedding the IANA database as a fallback keeps
	// validation identical on a host or container image without tzdata,
	// instead of refusing every zone there.
	_ "time/tzdata"
)

// Limits of the contact information, from DESIGN.md §1.
const (
	MaxContactsPerField  = 10
	MaxAlertContacts     = 10
	MaxSupportWindows    = 20
	MaxEmailLength       = 254 // RFC 5321 path limit minus the angle brackets
	MaxEmailLocalLength  = 64  // RFC 5321 §4.5.3.1.1
	MaxContactNameLength = 64
)

// maxEntriesInspected bounds how many entries of an over-long list are
// validated one by one. A list slightly over its limit is a typo and the
// caller benefits from seeing every problem at once; a list of thousands is
// not, and validating (and reporting) each entry would only turn one request
// into a lot of work and a huge error.
const maxEntriesInspected = 100

// Messages shown under an input. They follow the style of the API contract's
// examples: short, lower-case, no final period, so that a client may show
// them as they are or capitalise them. They go through Validation.AddCode as
// format strings: none may contain a stray %.
const (
	msgEmailRequired   = "enter an email address"
	msgEmailTooLong    = "an email address can have at most %d characters"
	msgEmailLocalLong  = "the part before @ can have at most %d characters"
	msgEmailInvalid    = "enter a valid email address, e.g. support@example.com"
	msgEmailBareOnly   = "enter only the address, e.g. support@example.com, without a name or angle brackets"
	msgEmailDomain     = "the part after @ must be a domain name such as example.com"
	msgEmailDuplicate  = "this email is already in the list"
	msgNameTooLong     = "a name can have at most %d characters"
	msgPhoneCountry    = "include the country code, e.g. +39 06 1234 5678"
	msgPhoneChars      = "a phone number can contain only digits, spaces and + - ( ) . /"
	msgPhoneInvalid    = "this is not a valid phone number: check the digits and the country code"
	msgTooManyContacts = "at most %d contacts"
	msgTooManyWindows  = "at most %d windows"
	msgAlwaysOpenWins  = "remove the windows, or turn off 24/7"
	msgWindowMissing   = "this window is empty"
	msgDaysRequired    = "choose at least one day"
	msgDayUnknown      = "choose days from Monday to Sunday"
	msgDayDuplicate    = "each day can be chosen only once in a window"
	msgTimeFormat      = "use the 24-hour format HH:MM, e.g. 09:00"
	msgTimesEqual      = "the closing time must differ from the opening time"
	msgZoneRequired    = "choose a time zone"
	msgZoneUnknown     = "choose a time zone from the list, e.g. Europe/Rome"
	msgEnvironment     = "choose SANDBOX or PRODUCTION"
	msgExpectedVersion = "the expected version cannot be negative"
	msgAlertOnlyProd   = "alert contacts can only be set in Production"
	msgTooManyAlerts   = "at most %d alert contacts"
	msgAlertDuplicate  = "this person is already in the list"
	msgNotMember       = "not a member of this account"
	msgMerchantUnavail = "not available for this account's integration types"
)

// ValidateContact checks one contact and returns it normalised. Problems are
// added to v at path+".email", path+".name" and path+".phone"; a part that
// fails is left zero in the result (in particular Email is "" when the email
// is refused), so the result is only meaningful when v gained no problem.
//
// Normalisation: name, email and phone are trimmed; an empty name or phone
// becomes nil. The whole email is lower-cased: RFC 5321 lets the part before
// @ be case-sensitive, but no mail provider in practice treats it so, and one
// canonical spelling is what makes duplicate detection and matching contacts
// against users (whose emails are stored lower-cased too) reliable. The phone
// is stored in E.164, e.g. "+390612345678".
func ValidateContact(v *Validation, path string, in ContactInput) Contact {
	var out Contact
	out.Email, _ = validateEmail(v, path+".email", in.Email)
	if in.Name != nil {
		out.Name = validateName(v, path+".name", *in.Name)
	}
	if in.Phone != nil {
		out.Phone = validatePhone(v, path+".phone", *in.Phone)
	}
	return out
}

// validateEmail returns the normalised address and whether it was accepted.
func validateEmail(v *Validation, path, raw string) (string, bool) {
	s := strings.TrimSpace(raw)
	if !checkText(v, path, s, false) {
		return "", false
	}
	// Lower-cased before the other checks, so that what is checked is
	// exactly what is stored: lower-casing can change the length or the
	// characters of a non-ASCII address ("İ" becomes "i" and a combining
	// dot). It has to come after checkText, since it would silently turn
	// invalid UTF-8 into U+FFFD.
	s = strings.ToLower(s)
	switch {
	case s == "":
		v.AddCode(path, FieldRequired, msgEmailRequired)
		return "", false
	case utf8.RuneCountInString(s) > MaxEmailLength:
		v.AddCode(path, FieldEmailTooLong, msgEmailTooLong, MaxEmailLength)
		return "", false
	}
	// A space inside an address (a no-break or ideographic space pasted
	// from a page) is accepted by ParseAddress but looks like nothing.
	if strings.ContainsFunc(s, func(r rune) bool { return r > unicode.MaxASCII && unicode.IsSpace(r) }) {
		v.AddCode(path, FieldEmailInvalid, msgEmailInvalid)
		return "", false
	}
	addr, err := mail.ParseAddress(s)
	if err != nil {
		v.AddCode(path, FieldEmailInvalid, msgEmailInvalid)
		return "", false
	}
	// ParseAddress also accepts "Name <a@b.c>", "<a@b.c>" and quoted local
	// parts, and returns the bare address; requiring it to equal the input
	// keeps exactly one accepted spelling of an address.
	if addr.Address != s {
		v.AddCode(path, FieldEmailAddressOnly, msgEmailBareOnly)
		return "", false
	}
	at := strings.LastIndexByte(s, '@')
	local, domain := s[:at], s[at+1:]
	if utf8.RuneCountInString(local) > MaxEmailLocalLength {
		v.AddCode(path, FieldEmailLocalTooLong, msgEmailLocalLong, MaxEmailLocalLength)
		return "", false
	}
	if !validMailDomain(domain) {
		v.AddCode(path, FieldEmailDomainInvalid, msgEmailDomain)
		return "", false
	}
	return s, true
}

// validMailDomain accepts a host name that mail can be delivered to: at least
// two dot-separated labels, none empty, of letters and combining marks (any
// script, for internationalised domains), digits and inner hyphens. RFC 5322
// would also allow domain literals ("[192.0.2.1]") and symbols such as "_"
// or "!", which pass ParseAddress but are not routable on the public
// internet.
func validMailDomain(domain string) bool {
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i, r := range l {
			switch {
			case r == '-', unicode.IsLetter(r), unicode.IsDigit(r):
			case unicode.IsMark(r) && i > 0: // a mark needs a letter to sit on
			default:
				return false
			}
		}
	}
	return true
}

func validateName(v *Validation, path, raw string) *string {
	s := strings.TrimSpace(raw)
	if !checkText(v, path, s, false) {
		return nil
	}
	if s == "" {
		return nil
	}
	if utf8.RuneCountInString(s) > MaxContactNameLength {
		v.AddCode(path, FieldNameTooLong, msgNameTooLong, MaxContactNameLength)
		return nil
	}
	return &s
}

// validatePhone parses an international phone number and returns it in
// E.164, or nil when it is empty or refused.
func validatePhone(v *Validation, path, raw string) *string {
	s := strings.TrimSpace(raw)
	if !checkText(v, path, s, false) {
		return nil
	}
	if s == "" {
		return nil
	}
	// phonenumbers is lenient: it skips leading text, reads letters as
	// keypad digits ("1-800-FLOWERS") and strips extensions. None of that can
	// be represented in E.164, so anything but digits and the usual
	// separators is refused rather than silently dropped.
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9', r == '+' && i == 0:
		case r == ' ', r == '-', r == '(', r == ')', r == '.', r == '/':
		case unicode.IsSpace(r): // e.g. a no-break space pasted from a web page
		default:
			v.AddCode(path, FieldPhoneCharacters, msgPhoneChars)
			return nil
		}
	}
	// The country is never guessed: a partner may be anywhere, and a number
	// read with the wrong country is a valid-looking number of a stranger.
	// "00" is the international prefix of most of the world; phonenumbers
	// only knows it relative to a region, so it is rewritten to "+" here.
	switch {
	case strings.HasPrefix(s, "+"):
	case strings.HasPrefix(s, "00"):
		s = "+" + s[2:]
	default:
		v.AddCode(path, FieldPhoneNeedsCountryCode, msgPhoneCountry)
		return nil
	}
	num, err := phonenumbers.Parse(s, "ZZ")
	if err != nil || !phonenumbers.IsValidNumber(num) || num.GetExtension() != "" {
		v.AddCode(path, FieldPhoneInvalid, msgPhoneInvalid)
		return nil
	}
	e164 := phonenumbers.Format(num, phonenumbers.E164)
	return &e164
}

// ValidateContacts checks a list field: at most MaxContactsPerField entries,
// each a valid contact at path[i], and no email twice. A duplicate is
// reported at the later entry's path[j].email, since that is the one to
// delete. The result is never nil, so that an empty list stays an empty
// list (a draft) rather than an omitted one.
func ValidateContacts(v *Validation, path string, in []ContactInput) []Contact {
	if len(in) > MaxContactsPerField {
		v.AddCode(path, FieldTooMany, msgTooManyContacts, MaxContactsPerField)
		if len(in) > maxEntriesInspected {
			return []Contact{}
		}
	}
	out := make([]Contact, 0, len(in))
	seen := make(map[string]bool, len(in))
	for i, ci := range in {
		p := path + "[" + strconv.Itoa(i) + "]"
		c := ValidateContact(v, p, ci)
		if c.Email != "" {
			if seen[c.Email] {
				v.AddCode(p+".email", FieldDuplicateEmail, msgEmailDuplicate)
			}
			seen[c.Email] = true
		}
		out = append(out, c)
	}
	return out
}

// ValidateSupportHours checks support hours: either 24/7 with no windows, or
// up to MaxSupportWindows windows, each with at least one day, an opening and
// a closing time that differ, and a loadable IANA time zone. Days are
// returned Monday first. A closing time before the opening time is valid and
// means the window runs overnight. Windows is never nil in the result.
//
// Not being 24/7 and having no window is allowed: it is a draft, and the
// access gate reports the field as missing.
func ValidateSupportHours(v *Validation, path string, in SupportHoursInput) SupportHours {
	out := SupportHours{AlwaysOpen: in.AlwaysOpen, Windows: []SupportWindow{}}
	wpath := path + ".windows"
	if in.AlwaysOpen && len(in.Windows) > 0 {
		v.AddCode(wpath, FieldWindowsWithAlwaysOpen, msgAlwaysOpenWins)
	}
	if len(in.Windows) > MaxSupportWindows {
		v.AddCode(wpath, FieldTooMany, msgTooManyWindows, MaxSupportWindows)
		if len(in.Windows) > maxEntriesInspected {
			return out
		}
	}
	for i, w := range in.Windows {
		p := wpath + "[" + strconv.Itoa(i) + "]"
		if w == nil {
			v.AddCode(p, FieldWindowEmpty, msgWindowMissing)
			continue
		}
		out.Windows = append(out.Windows, validateWindow(v, p, *w))
	}
	return out
}

func validateWindow(v *Validation, path string, in SupportWindowInput) SupportWindow {
	out := SupportWindow{Opens: in.Opens, Closes: in.Closes, TimeZone: in.TimeZone}

	// Days: collect into a set, then emit in the order of Days, which both
	// normalises the order and drops nothing (duplicates are refused).
	var chosen [7]bool
	dayProblem, dayCode := "", ""
	for _, d := range in.Days {
		i := slices.Index(Days, d)
		switch {
		case i < 0:
			dayProblem, dayCode = msgDayUnknown, FieldDayUnknown
		case chosen[i]:
			if dayProblem == "" {
				dayProblem, dayCode = msgDayDuplicate, FieldDuplicateDay
			}
		default:
			chosen[i] = true
		}
	}
	switch {
	case len(in.Days) == 0:
		v.AddCode(path+".days", FieldNoDays, msgDaysRequired)
	case dayProblem != "":
		v.AddCode(path+".days", dayCode, "%s", dayProblem)
	}
	out.Days = make([]DayOfWeek, 0, len(in.Days))
	for i, ok := range chosen {
		if ok {
			out.Days = append(out.Days, Days[i])
		}
	}

	opensOK := checkTime(v, path+".opens", in.Opens)
	closesOK := checkTime(v, path+".closes", in.Closes)
	if opensOK && closesOK && in.Opens == in.Closes {
		v.AddCode(path+".closes", FieldSameOpenClose, msgTimesEqual)
	}

	zpath := path + ".timeZone"
	switch {
	case in.TimeZone == "":
		v.AddCode(zpath, FieldRequired, msgZoneRequired)
	case in.TimeZone == "Local":
		// "Local" loads, but means the server's zone: not a place a partner
		// can name, and it would move if the server did.
		v.AddCode(zpath, FieldTimeZoneUnknown, msgZoneUnknown)
	case checkText(v, zpath, in.TimeZone, false):
		if _, err := time.LoadLocation(in.TimeZone); err != nil {
			v.AddCode(zpath, FieldTimeZoneUnknown, msgZoneUnknown)
		}
	}
	return out
}

// checkTime accepts exactly "HH:MM" from 00:00 to 23:59: no seconds, no
// single-digit hours, no surrounding space, so that what is stored is
// exactly what every reader parses.
func checkTime(v *Validation, path, s string) bool {
	if _, ok := parseClock(s); !ok {
		v.AddCode(path, FieldTimeInvalid, msgTimeFormat)
		return false
	}
	return true
}

// PatchRules is what ValidatePatch needs to know about the account.
type PatchRules struct {
	// MerchantIssues is the account's requirement for the merchant-issues
	// field, from its integration types.
	MerchantIssues Requirement
	// IsMember reports whether a user is a member of the account. A nil
	// IsMember accepts nobody: a caller that forgot it must not let
	// arbitrary user ids become alert contacts.
	IsMember func(userID string) bool
}

// NormalizedPatch is a ContactInfoPatch after validation: nil means "leave
// the field unchanged", a non-nil list replaces the stored one (an empty list
// empties it), and the Set flags say whether the single-value fields are
// replaced (possibly by nil, which clears them).
type NormalizedPatch struct {
	ExpectedVersion        *int
	AlertContactUserIDs    *[]string
	TechnicalEmergency     *[]Contact
	TechnicalNonEmergency  *[]Contact
	MerchantIssues         *[]Contact
	OperationalForGoogle   *[]Contact
	OperationalForUsers    *Contact
	SetOperationalForUsers bool
	OperationalSupport     *SupportHours
	SetOperationalSupport  bool
}

// ValidatePatch checks one save and returns it normalised, or a
// VALIDATION_FAILED *Error listing every problem, addressed by the input's
// API paths (e.g. "technicalEmergency[1].email"). Empty lists are allowed:
// a partial save is a draft, and the access gate says what is missing.
//
// A non-nil OperationalForUsers or OperationalSupport counts as given even
// when its Set flag is false: a caller that sent a value meant to save it.
// Support hours that are neither 24/7 nor have a window carry no
// information and are normalised to nil, so that "cleared" has one spelling
// in the store and in history.
func ValidatePatch(p ContactInfoPatch, rules PatchRules) (NormalizedPatch, error) {
	v := &Validation{}
	var out NormalizedPatch

	if !p.Environment.Valid() {
		v.AddCode("environment", FieldEnvironmentInvalid, msgEnvironment)
	}
	if p.ExpectedVersion != nil {
		if *p.ExpectedVersion < 0 {
			v.AddCode("expectedVersion", FieldVersionNegative, msgExpectedVersion)
		}
		ev := *p.ExpectedVersion
		out.ExpectedVersion = &ev
	}

	if p.AlertContactUserIDs != nil {
		ids := validateAlertContacts(v, p.Environment, *p.AlertContactUserIDs, rules.IsMember)
		out.AlertContactUserIDs = &ids
	}

	list := func(path string, in *[]ContactInput) *[]Contact {
		if in == nil {
			return nil
		}
		cs := ValidateContacts(v, path, *in)
		return &cs
	}
	out.TechnicalEmergency = list("technicalEmergency", p.TechnicalEmergency)
	out.TechnicalNonEmergency = list("technicalNonEmergency", p.TechnicalNonEmergency)
	out.OperationalForGoogle = list("operationalForGoogle", p.OperationalForGoogle)
	if p.MerchantIssues != nil {
		if len(*p.MerchantIssues) > 0 && rules.MerchantIssues == Unavailable {
			// The entries themselves are not checked: all of them have to go,
			// and problems with each would only be noise.
			v.AddCode("merchantIssues", FieldMerchantUnavailable, msgMerchantUnavail)
		} else {
			out.MerchantIssues = list("merchantIssues", p.MerchantIssues)
		}
	}

	if p.SetOperationalForUsers || p.OperationalForUsers != nil {
		out.SetOperationalForUsers = true
		if p.OperationalForUsers != nil {
			c := ValidateContact(v, "operationalForUsers", *p.OperationalForUsers)
			out.OperationalForUsers = &c
		}
	}
	if p.SetOperationalSupport || p.OperationalSupport != nil {
		out.SetOperationalSupport = true
		if p.OperationalSupport != nil {
			h := ValidateSupportHours(v, "operationalSupport", *p.OperationalSupport)
			if h.AlwaysOpen || len(h.Windows) > 0 {
				out.OperationalSupport = &h
			}
		}
	}

	if err := v.Err(); err != nil {
		return NormalizedPatch{}, err
	}
	return out, nil
}

// validateAlertContacts checks the alert contacts' user ids and returns them
// in the given order (never nil).
func validateAlertContacts(v *Validation, env Environment, ids []string, isMember func(string) bool) []string {
	const path = "alertContactUserIds"
	// An invalid environment is reported on its own; saying that alert
	// contacts need Production as well would only repeat it.
	if env.Valid() && env != EnvironmentProduction {
		v.AddCode(path, FieldAlertProductionOnly, msgAlertOnlyProd)
	}
	if len(ids) > MaxAlertContacts {
		v.AddCode(path, FieldTooMany, msgTooManyAlerts, MaxAlertContacts)
		if len(ids) > maxEntriesInspected {
			return []string{}
		}
	}
	out := make([]string, 0, len(ids))
	seen := make(map[string]bool, len(ids))
	for i, id := range ids {
		p := path + "[" + strconv.Itoa(i) + "]"
		switch {
		case seen[id]:
			v.AddCode(p, FieldDuplicateMember, msgAlertDuplicate)
		case isMember == nil || !isMember(id):
			v.AddCode(p, FieldNotAMember, msgNotMember)
		}
		seen[id] = true
		out = append(out, id)
	}
	return out
}
