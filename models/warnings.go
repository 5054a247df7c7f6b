package models

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// Quality warnings: advice about contact info that is valid but likely to
// fail someone when it matters. They never refuse a save and never block
// anything. Warnings computes every one of them, in one place.

// ContactWarningCode names a kind of warning; the code is stable for
// clients that translate.
type ContactWarningCode string

const (
	// WarnFreeMailDomain: a technical or operational contact at a consumer
	// mail domain (models/free_mail_domains.txt).
	WarnFreeMailDomain ContactWarningCode = "FREE_MAIL_DOMAIN"
	// WarnNoPagerAlias: the technical emergency contacts are only personal
	// addresses of members (the help page recommends a pager alias).
	WarnNoPagerAlias ContactWarningCode = "NO_PAGER_ALIAS"
	// WarnNoPhoneForEmergency: no emergency contact has a phone, or every
	// phone given is a fixed line where a mobile is expected.
	WarnNoPhoneForEmergency ContactWarningCode = "NO_PHONE_FOR_EMERGENCY"
	// WarnSameAddressEverywhere: one address fills four or more fields.
	WarnSameAddressEverywhere ContactWarningCode = "SAME_ADDRESS_EVERYWHERE"
	// WarnUserFacingIsInternal: the contact shared with users is also a
	// platform-only or technical contact.
	WarnUserFacingIsInternal ContactWarningCode = "USER_FACING_IS_INTERNAL"
	// WarnFormerMember: a field names someone removed from the account (or
	// whose invitation was revoked).
	WarnFormerMember ContactWarningCode = "FORMER_MEMBER"
	// WarnUnreachable: an address is known not to receive mail
	// (reachability: bounced or disputed).
	WarnUnreachable ContactWarningCode = "UNREACHABLE"
	// WarnReviewDue: the contact info's review date has passed.
	WarnReviewDue ContactWarningCode = "REVIEW_DUE"
)

// WarningCodes lists every code; a code's position is its bit in a
// WarningSet, which is stored (contact_infos.warnings): append only.
var WarningCodes = []ContactWarningCode{WarnFreeMailDomain, WarnNoPagerAlias, WarnNoPhoneForEmergency,
	WarnSameAddressEverywhere, WarnUserFacingIsInternal, WarnFormerMember, WarnUnreachable, WarnReviewDue}

// WarningRulesVersion is bumped whenever the rules below change what they
// find, so that the stored warning sets are recomputed (the review
// scheduler does it in the background).
const WarningRulesVersion = 1

// Valid reports whether c is a known code.
func (c ContactWarningCode) Valid() bool { return c.Bit() != 0 }

// Bit is the code's bit in a WarningSet.
func (c ContactWarningCode) Bit() WarningSet {
	for i, x := range WarningCodes {
		if x == c {
			return 1 << i
		}
	}
	return 0
}

func (c ContactWarningCode) MarshalGQL(w io.Writer) { marshalEnum(w, string(c)) }
func (c *ContactWarningCode) UnmarshalGQL(v any) error {
	s, err := unmarshalEnum(v, func(x string) bool { return ContactWarningCode(x).Valid() }, "ContactWarningCode")
	*c = ContactWarningCode(s)
	return err
}

// WarningSet is a set of warning codes as a bit mask.
type WarningSet int

// Has reports whether c is in s.
func (s WarningSet) Has(c ContactWarningCode) bool { return s&c.Bit() != 0 }

// Codes lists the members of s in code order.
func (s WarningSet) Codes() []ContactWarningCode {
	out := []ContactWarningCode{}
	for _, c := range WarningCodes {
		if s.Has(c) {
			out = append(out, c)
		}
	}
	return out
}

// ContactWarning is one warning: where (a validation-style path such as
// "technicalEmergency[0].email", or "" for the contact info as a whole),
// what (the code) and an English message.
type ContactWarning struct {
	Field   string
	Code    ContactWarningCode
	Message string
}

// WarningSetOf collects the codes of ws.
func WarningSetOf(ws []ContactWarning) WarningSet {
	var s WarningSet
	for _, w := range ws {
		s |= w.Code.Bit()
	}
	return s
}

// WarningInput is everything the warnings depend on. Emails in the sets
// are compared case-insensitively.
type WarningInput struct {
	Info ContactInfo
	// MemberEmails are the emails of the account's current members.
	MemberEmails []string
	// FormerMemberEmails are the emails of people removed from the account
	// or whose invitation was revoked, and who are not members again.
	FormerMemberEmails []string
	// Unreachable are the addresses reachability knows not to receive mail
	// (issue 13: BOUNCED or DISPUTED); empty until it is wired.
	Unreachable []string
	// Review is the account's review cycle now; nil leaves REVIEW_DUE out
	// (the stored set holds only what depends on the data, not on time).
	Review *Review
}

//go:embed free_mail_domains.txt
var freeMailDomainsFile string

var freeMailDomains = parseDomainList(freeMailDomainsFile)

func parseDomainList(s string) map[string]bool {
	out := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out[strings.ToLower(line)] = true
	}
	return out
}

// IsFreeMailAddress tells whether an address is at a consumer mail domain
// (or a subdomain of one).
func IsFreeMailAddress(email string) bool {
	_, domain, ok := strings.Cut(strings.ToLower(email), "@")
	if !ok {
		return false
	}
	for domain != "" {
		if freeMailDomains[domain] {
			return true
		}
		_, rest, found := strings.Cut(domain, ".")
		if !found {
			break
		}
		domain = rest
	}
	return false
}

// contactFieldsForWarnings are the fields holding contacts, in field order.
var contactFieldsForWarnings = func() []ContactField {
	var out []ContactField
	for _, f := range ContactFields {
		if f.HoldsContacts() {
			out = append(out, f)
		}
	}
	return out
}()

// contactPath is the validation-style path of a contact's part.
func contactPath(f ContactField, i int, part string) string {
	if f.Kind() == KindContact {
		return f.APIName() + "." + part
	}
	return fmt.Sprintf("%s[%d].%s", f.APIName(), i, part)
}

func emailSet(emails []string) map[string]bool {
	out := make(map[string]bool, len(emails))
	for _, e := range emails {
		out[strings.ToLower(strings.TrimSpace(e))] = true
	}
	return out
}

// sameAddressFields is how many fields one address must fill to be "the
// same address everywhere".
const sameAddressFields = 4

// Warnings computes every quality warning of in, in field order (REVIEW_DUE
// last). It never fails.
func Warnings(in WarningInput) []ContactWarning {
	info := in.Info
	members, former, unreachable := emailSet(in.MemberEmails), emailSet(in.FormerMemberEmails), emailSet(in.Unreachable)
	out := []ContactWarning{}
	add := func(path string, code ContactWarningCode, msg string, args ...any) {
		out = append(out, ContactWarning{Field: path, Code: code, Message: fmt.Sprintf(msg, args...)})
	}

	// Per contact: free mail, former members, unreachable addresses.
	fieldsOf := map[string][]ContactField{}
	firstPath := map[string]string{}
	for _, f := range contactFieldsForWarnings {
		for i, c := range info.Contacts(f) {
			email := strings.ToLower(c.Email)
			path := contactPath(f, i, "email")
			if f != FieldOperationalForUsers && IsFreeMailAddress(email) {
				add(path, WarnFreeMailDomain, "%s is a personal mailbox at a consumer mail provider; use an address of your organisation that outlives any one person", c.Email)
			}
			if former[email] {
				add(path, WarnFormerMember, "%s belongs to someone who is no longer a member of this account", c.Email)
			}
			if unreachable[email] {
				add(path, WarnUnreachable, "mail to %s does not arrive", c.Email)
			}
			if !containsField(fieldsOf[email], f) {
				fieldsOf[email] = append(fieldsOf[email], f)
			}
			if _, ok := firstPath[email]; !ok {
				firstPath[email] = path
			}
		}
	}

	// Emergency contacts: a pager alias and a phone that reaches someone.
	if em := info.TechnicalEmergency; len(em) > 0 {
		allMembers := true
		for _, c := range em {
			if !members[strings.ToLower(c.Email)] {
				allMembers = false
			}
		}
		if allMembers {
			add(FieldTechnicalEmergency.APIName(), WarnNoPagerAlias,
				"the emergency contacts are only personal addresses of members; add a pager or on-call alias that reaches whoever is on duty")
		}
		phones, mobileOrUnknown := 0, 0
		for _, c := range em {
			if c.Phone == nil || *c.Phone == "" {
				continue
			}
			phones++
			if !isFixedLine(*c.Phone) {
				mobileOrUnknown++
			}
		}
		switch {
		case phones == 0:
			add(FieldTechnicalEmergency.APIName(), WarnNoPhoneForEmergency,
				"no emergency contact has a phone number; add one that is answered around the clock")
		case mobileOrUnknown == 0:
			add(FieldTechnicalEmergency.APIName(), WarnNoPhoneForEmergency,
				"the emergency phone numbers are all fixed lines; add a mobile or on-call number that is answered outside office hours")
		}
	}

	// One address in four or more fields.
	for _, f := range contactFieldsForWarnings {
		for _, c := range info.Contacts(f) {
			email := strings.ToLower(c.Email)
			if n := len(fieldsOf[email]); n >= sameAddressFields && firstPath[email] == contactPathOf(info, f, c) {
				add(firstPath[email], WarnSameAddressEverywhere,
					"%s fills %d fields; give each kind of problem the people who handle it", c.Email, n)
			}
		}
	}

	// The contact shared with users must not be an internal one.
	if u := info.OperationalForUsers; u != nil {
		email := strings.ToLower(u.Email)
		for _, f := range []ContactField{FieldOperationalForGoogle, FieldTechnicalEmergency, FieldTechnicalNonEmergency} {
			if containsField(fieldsOf[email], f) {
				add(contactPath(FieldOperationalForUsers, 0, "email"), WarnUserFacingIsInternal,
					"%s is shared with your users but is also a %s contact; users should reach your support team, not an internal address", u.Email, f.APIName())
				break
			}
		}
	}

	if in.Review != nil && in.Review.Overdue() {
		add("", WarnReviewDue, "the contact info was due for review on %s; confirm it is still correct or update it",
			in.Review.DueAt.UTC().Format("2006-01-02"))
	}
	return out
}

func containsField(fs []ContactField, f ContactField) bool {
	for _, g := range fs {
		if g == f {
			return true
		}
	}
	return false
}

// contactPathOf is the path of contact c in field f (its first position).
func contactPathOf(info ContactInfo, f ContactField, c Contact) string {
	for i, x := range info.Contacts(f) {
		if strings.EqualFold(x.Email, c.Email) {
			return contactPath(f, i, "email")
		}
	}
	return ""
}

// isFixedLine asks libphonenumber whether an E.164 number is a fixed line
// (and only that: "fixed line or mobile", as in the US, counts as mobile).
func isFixedLine(e164 string) bool {
	num, err := phonenumbers.Parse(e164, "ZZ")
	if err != nil {
		return false
	}
	return phonenumbers.GetNumberType(num) == phonenumbers.FIXED_LINE
}
