package models

import "time"

// Missing returns the fields that info still needs in env, in field order.
// A list field is complete with at least one entry; MERCHANT_ISSUES counts
// only when the account's integration types make it REQUIRED; ALERT_CONTACTS
// only in PRODUCTION.
func Missing(info ContactInfo, env Environment) []ContactField {
	return MissingSet(info).ForEnvironment(env).Fields()
}

// MissingSet returns every required-but-empty field, alert contacts included.
func MissingSet(info ContactInfo) FieldSet {
	var s FieldSet
	for _, f := range ContactFields {
		if !info.IsEmpty(f) {
			continue
		}
		if f == FieldMerchantIssues && info.MerchantIssuesRequirement != Required {
			continue
		}
		s |= f.Bit()
	}
	return s
}

// ForEnvironment drops the fields env does not require.
func (s FieldSet) ForEnvironment(env Environment) FieldSet {
	if env != EnvironmentProduction {
		return s &^ FieldAlertContacts.Bit()
	}
	return s
}

// GateState is what an account's gates and review fields follow from, as
// read in one row of contact_infos: its missing-field set and its last
// review (zero when never reviewed).
type GateState struct {
	Missing    FieldSet
	ReviewedAt time.Time
}

// Gate is the account's gate in env, with the review it was read with.
func (g GateState) Gate(accountID string, env Environment) AccessGate {
	gate := g.Missing.Gate(env)
	gate.AccountID, gate.ReviewedAt, gate.ReviewRead = accountID, g.ReviewedAt, true
	return gate
}

// Gate builds the access gate of env from the set of missing fields.
func (s FieldSet) Gate(env Environment) AccessGate {
	m := s.ForEnvironment(env).Fields()
	return AccessGate{Environment: env, Locked: len(m) > 0, Missing: m}
}

// NotificationRoutes says which field each notification kind goes to, with a
// fallback for when that field is UNAVAILABLE to the account.
var NotificationRoutes = map[NotificationKind]struct{ Field, Fallback ContactField }{
	KindProductionAlert:       {FieldAlertContacts, ""},
	KindTechnicalEmergency:    {FieldTechnicalEmergency, ""},
	KindTechnicalNonEmergency: {FieldTechnicalNonEmergency, ""},
	KindMerchantIssue:         {FieldMerchantIssues, FieldOperationalForGoogle},
	KindOperationalEscalation: {FieldOperationalForGoogle, ""},
}
