package models

import (
	"io"
	"strings"
	"time"
)

// ReachState is what ContactGate knows about whether mail to one address
// of an account reaches someone who reads it.
type ReachState string

const (
	// ReachUnverified: new or changed, no one has confirmed it yet.
	ReachUnverified ReachState = "UNVERIFIED"
	// ReachVerified: its owner confirmed it (a link, a test message, or
	// an accepted invitation for alert contacts).
	ReachVerified ReachState = "VERIFIED"
	// ReachBounced: the mail server refused it permanently.
	ReachBounced ReachState = "BOUNCED"
	// ReachDisputed: its owner said they are not the right contact.
	ReachDisputed ReachState = "DISPUTED"
)

// Valid reports whether s is a known state.
func (s ReachState) Valid() bool {
	switch s {
	case ReachUnverified, ReachVerified, ReachBounced, ReachDisputed:
		return true
	}
	return false
}

// Unreachable reports whether mail to an address in this state is known
// not to reach the right person (the banner counts these).
func (s ReachState) Unreachable() bool { return s == ReachBounced || s == ReachDisputed }

// VerificationMethod says how an address became VERIFIED.
type VerificationMethod string

const (
	// VerifiedByLink: the owner confirmed through the verification mail.
	VerifiedByLink VerificationMethod = "LINK"
	// VerifiedByTest: the owner confirmed receiving a test message.
	VerifiedByTest VerificationMethod = "TEST_MESSAGE"
	// VerifiedByInvitation: the address is a member's, proven by accepting
	// an invitation (alert contacts).
	VerifiedByInvitation VerificationMethod = "INVITATION"
)

// TestStatus is where the last test message to an address stands.
type TestStatus string

const (
	TestQueued    TestStatus = "QUEUED"
	TestAccepted  TestStatus = "ACCEPTED"
	TestConfirmed TestStatus = "CONFIRMED"
	TestRefused   TestStatus = "REFUSED"
)

// ContactTest is the last test message sent to an address.
type ContactTest struct {
	Field  ContactField
	Status TestStatus
	At     time.Time
}

// Reachability is the state of one distinct address of one account.
type Reachability struct {
	ID        string
	AccountID string
	// Email is the normalized address (see NormalizeEmail).
	Email string
	State ReachState
	Since time.Time
	// Detail: how it was verified, or the mail server's reply for a bounce.
	Detail     *string
	VerifiedBy *VerificationMethod
	LastTest   *ContactTest
}

// ReachFilter selects accounts by the states of their addresses.
type ReachFilter string

const (
	// FilterUnreachable: at least one BOUNCED or DISPUTED address.
	FilterUnreachable ReachFilter = "UNREACHABLE"
	// FilterUnverified: at least one UNVERIFIED address.
	FilterUnverified ReachFilter = "UNVERIFIED"
)

// States are the address states the filter looks for.
func (f ReachFilter) States() []ReachState {
	switch f {
	case FilterUnreachable:
		return []ReachState{ReachBounced, ReachDisputed}
	case FilterUnverified:
		return []ReachState{ReachUnverified}
	}
	return nil
}

func (f ReachFilter) MarshalGQL(w io.Writer) { marshalEnum(w, string(f)) }
func (f *ReachFilter) UnmarshalGQL(v any) error {
	x, err := unmarshalEnum(v, func(x string) bool { return ReachFilter(x).States() != nil }, "ReachabilityFilter")
	*f = ReachFilter(x)
	return err
}

// ReachabilityTTL is how long a verification or test link works.
const ReachabilityTTL = 14 * 24 * time.Hour

// ContactMailsPerDay bounds the mails queued to the contact addresses of
// one account in any ContactMailWindow — verification mails (saves and
// resends) and test messages together — so that an editor cannot make the
// platform mail addresses at will (typing, removing and adding addresses
// again, testing a field over and over). An account's own contacts are far
// fewer.
const (
	ContactMailsPerDay = 50
	ContactMailWindow  = 24 * time.Hour
)

// LinkPurpose says what a verification link was sent for.
type LinkPurpose string

const (
	LinkVerify LinkPurpose = "VERIFY"
	LinkTest   LinkPurpose = "TEST"
)

// NormalizeEmail is the key of an address's reachability: addresses that
// differ only in case or surrounding spaces are one mailbox for ContactGate.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// AddressFields maps each distinct address of info's contact fields to the
// fields it appears in, in field order. Alert contacts are users: their
// addresses come from alertEmails (user id → email).
func AddressFields(info ContactInfo, alertEmails map[string]string) map[string][]ContactField {
	out := map[string][]ContactField{}
	add := func(email string, f ContactField) {
		e := NormalizeEmail(email)
		if e == "" {
			return
		}
		for _, g := range out[e] {
			if g == f {
				return
			}
		}
		out[e] = append(out[e], f)
	}
	for _, f := range ContactFields {
		switch {
		case f.Kind() == KindMembers:
			for _, id := range info.AlertContactIDs {
				add(alertEmails[id], f)
			}
		case f.HoldsContacts():
			for _, c := range info.Contacts(f) {
				add(c.Email, f)
			}
		}
	}
	return out
}

// UnverifiedRequired lists the fields required in PRODUCTION that hold no
// VERIFIED address, in field order: a launch needs a confirmed way to
// reach someone in each. Support hours hold no address and never count.
func UnverifiedRequired(info ContactInfo, alertEmails map[string]string, states map[string]ReachState) []ContactField {
	verified := FieldSet(0)
	for email, fields := range AddressFields(info, alertEmails) {
		if states[email] != ReachVerified {
			continue
		}
		for _, f := range fields {
			verified |= f.Bit()
		}
	}
	out := []ContactField{}
	for _, f := range ContactFields {
		if f.Kind() == KindSupportHours || verified.Has(f) {
			continue
		}
		if f == FieldMerchantIssues && info.MerchantIssuesRequirement != Required {
			continue
		}
		out = append(out, f)
	}
	return out
}

// ReachabilitySummary counts an account's addresses that cannot be
// reached or are not verified yet, and the fields they are in.
type ReachabilitySummary struct {
	Unreachable       int
	Unverified        int
	UnreachableFields []ContactField
	UnverifiedFields  []ContactField
}

// Summarize counts the states of the addresses of info.
func Summarize(fields map[string][]ContactField, states map[string]ReachState) ReachabilitySummary {
	var unreach, unver FieldSet
	s := ReachabilitySummary{}
	for email, fs := range fields {
		st, ok := states[email]
		if !ok {
			st = ReachUnverified
		}
		switch {
		case st.Unreachable():
			s.Unreachable++
			for _, f := range fs {
				unreach |= f.Bit()
			}
		case st == ReachUnverified:
			s.Unverified++
			for _, f := range fs {
				unver |= f.Bit()
			}
		}
	}
	s.UnreachableFields, s.UnverifiedFields = unreach.Fields(), unver.Fields()
	return s
}

func (s ReachState) MarshalGQL(w io.Writer) { marshalEnum(w, string(s)) }
func (s *ReachState) UnmarshalGQL(v any) error {
	x, err := unmarshalEnum(v, func(x string) bool { return ReachState(x).Valid() }, "ReachabilityState")
	*s = ReachState(x)
	return err
}

func (m VerificationMethod) MarshalGQL(w io.Writer) { marshalEnum(w, string(m)) }
func (m *VerificationMethod) UnmarshalGQL(v any) error {
	x, err := unmarshalEnum(v, func(x string) bool {
		return x == string(VerifiedByLink) || x == string(VerifiedByTest) || x == string(VerifiedByInvitation)
	}, "VerificationMethod")
	*m = VerificationMethod(x)
	return err
}

func (t TestStatus) MarshalGQL(w io.Writer) { marshalEnum(w, string(t)) }
func (t *TestStatus) UnmarshalGQL(v any) error {
	x, err := unmarshalEnum(v, func(x string) bool {
		return x == string(TestQueued) || x == string(TestAccepted) || x == string(TestConfirmed) || x == string(TestRefused)
	}, "ContactTestStatus")
	*t = TestStatus(x)
	return err
}

func (p LinkPurpose) MarshalGQL(w io.Writer) { marshalEnum(w, string(p)) }
func (p *LinkPurpose) UnmarshalGQL(v any) error {
	x, err := unmarshalEnum(v, func(x string) bool { return x == string(LinkVerify) || x == string(LinkTest) }, "ContactLinkPurpose")
	*p = LinkPurpose(x)
	return err
}
