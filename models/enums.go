package models

import (
	"fmt"
	"io"
	"strconv"
)

// Role is a member's level of access to one account.
type Role string

const (
	RoleReadOnly      Role = "READ_ONLY"
	RoleEditor        Role = "EDITOR"
	RoleAdministrator Role = "ADMINISTRATOR"
)

// rank orders roles so that a higher role includes every lower one.
func (r Role) rank() int {
	switch r {
	case RoleReadOnly:
		return 1
	case RoleEditor:
		return 2
	case RoleAdministrator:
		return 3
	}
	return 0
}

// Includes reports whether r grants everything other grants.
func (r Role) Includes(other Role) bool { return r.rank() >= other.rank() && r.rank() > 0 }

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool { return r.rank() > 0 }

// Environment is SANDBOX or PRODUCTION.
type Environment string

const (
	EnvironmentSandbox    Environment = "SANDBOX"
	EnvironmentProduction Environment = "PRODUCTION"
)

// Valid reports whether e is a known environment.
func (e Environment) Valid() bool { return e == EnvironmentSandbox || e == EnvironmentProduction }

// ContactField names one of the seven contact information fields.
type ContactField string

const (
	FieldAlertContacts         ContactField = "ALERT_CONTACTS"
	FieldTechnicalEmergency    ContactField = "TECHNICAL_EMERGENCY"
	FieldTechnicalNonEmergency ContactField = "TECHNICAL_NON_EMERGENCY"
	FieldMerchantIssues        ContactField = "MERCHANT_ISSUES"
	FieldOperationalForGoogle  ContactField = "OPERATIONAL_FOR_GOOGLE"
	FieldOperationalForUsers   ContactField = "OPERATIONAL_FOR_USERS"
	FieldOperationalSupport    ContactField = "OPERATIONAL_SUPPORT"
)

// ContactFields lists the fields in the order the gate reports them.
var ContactFields = []ContactField{
	FieldAlertContacts, FieldTechnicalEmergency, FieldTechnicalNonEmergency,
	FieldMerchantIssues, FieldOperationalForGoogle, FieldOperationalForUsers,
	FieldOperationalSupport,
}

// Bit is the field's bit in a FieldSet.
func (f ContactField) Bit() FieldSet {
	for i, g := range ContactFields {
		if g == f {
			return 1 << i
		}
	}
	return 0
}

// Valid reports whether f is a known field.
func (f ContactField) Valid() bool { return f.Bit() != 0 }

// APIName is the field's name in the GraphQL API and in validation paths.
func (f ContactField) APIName() string {
	if spec, ok := fieldSpecs[f]; ok {
		return spec.apiName
	}
	return string(f)
}

// FieldSet is a set of contact fields as a bit mask, stored as an integer so
// that the gate is one indexed lookup.
type FieldSet int

// Has reports whether f is in s.
func (s FieldSet) Has(f ContactField) bool { return s&f.Bit() != 0 }

// Fields lists the members of s in field order.
func (s FieldSet) Fields() []ContactField {
	out := []ContactField{}
	for _, f := range ContactFields {
		if s.Has(f) {
			out = append(out, f)
		}
	}
	return out
}

// DayOfWeek is a day in a support window.
type DayOfWeek string

const (
	Monday    DayOfWeek = "MONDAY"
	Tuesday   DayOfWeek = "TUESDAY"
	Wednesday DayOfWeek = "WEDNESDAY"
	Thursday  DayOfWeek = "THURSDAY"
	Friday    DayOfWeek = "FRIDAY"
	Saturday  DayOfWeek = "SATURDAY"
	Sunday    DayOfWeek = "SUNDAY"
)

// Days lists the days Monday first.
var Days = []DayOfWeek{Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday}

// Valid reports whether d is a known day.
func (d DayOfWeek) Valid() bool {
	for _, x := range Days {
		if x == d {
			return true
		}
	}
	return false
}

// Requirement says whether an account must, may or cannot give a field.
type Requirement string

const (
	Required    Requirement = "REQUIRED"
	Optional    Requirement = "OPTIONAL"
	Unavailable Requirement = "UNAVAILABLE"
)

// NotificationKind decides who a notification goes to.
type NotificationKind string

const (
	KindProductionAlert       NotificationKind = "PRODUCTION_ALERT"
	KindTechnicalEmergency    NotificationKind = "TECHNICAL_EMERGENCY"
	KindTechnicalNonEmergency NotificationKind = "TECHNICAL_NON_EMERGENCY"
	KindMerchantIssue         NotificationKind = "MERCHANT_ISSUE"
	KindOperationalEscalation NotificationKind = "OPERATIONAL_ESCALATION"
)

// DeliveryStatus is where one outbox mail stands.
type DeliveryStatus string

const (
	DeliveryQueued DeliveryStatus = "QUEUED"
	DeliverySent   DeliveryStatus = "SENT"
	DeliveryFailed DeliveryStatus = "FAILED"
)

// The enums marshal themselves for GraphQL (gqlgen binds to these types) with
// only the standard library, so this package stays free of the API layer.

// marshalEnum writes s as a JSON string. Enum values are upper-case ASCII
// names, which need no escaping; anything else (never expected) goes
// through strconv.Quote. Written in one call without a quoted copy: the
// staff page writes thousands of enum values.
func marshalEnum(w io.Writer, s string) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			_, _ = io.WriteString(w, strconv.Quote(s))
			return
		}
	}
	if sw, ok := w.(io.ByteWriter); ok {
		_ = sw.WriteByte('"')
		_, _ = io.WriteString(w, s)
		_ = sw.WriteByte('"')
		return
	}
	_, _ = io.WriteString(w, strconv.Quote(s))
}

func unmarshalEnum(v any, valid func(string) bool, kind string) (string, error) {
	s, ok := v.(string)
	if !ok || !valid(s) {
		return "", fmt.Errorf("%v is not a valid %s", v, kind)
	}
	return s, nil
}

func (r Role) MarshalGQL(w io.Writer) { marshalEnum(w, string(r)) }
func (r *Role) UnmarshalGQL(v any) error {
	s, err := unmarshalEnum(v, func(s string) bool { return Role(s).Valid() }, "Role")
	*r = Role(s)
	return err
}

func (e Environment) MarshalGQL(w io.Writer) { marshalEnum(w, string(e)) }
func (e *Environment) UnmarshalGQL(v any) error {
	s, err := unmarshalEnum(v, func(s string) bool { return Environment(s).Valid() }, "Environment")
	*e = Environment(s)
	return err
}

func (f ContactField) MarshalGQL(w io.Writer) { marshalEnum(w, string(f)) }
func (f *ContactField) UnmarshalGQL(v any) error {
	s, err := unmarshalEnum(v, func(s string) bool { return ContactField(s).Valid() }, "ContactField")
	*f = ContactField(s)
	return err
}

func (d DayOfWeek) MarshalGQL(w io.Writer) { marshalEnum(w, string(d)) }
func (d *DayOfWeek) UnmarshalGQL(v any) error {
	s, err := unmarshalEnum(v, func(s string) bool { return DayOfWeek(s).Valid() }, "DayOfWeek")
	*d = DayOfWeek(s)
	return err
}

func (r Requirement) MarshalGQL(w io.Writer) { marshalEnum(w, string(r)) }
func (r *Requirement) UnmarshalGQL(v any) error {
	s, err := unmarshalEnum(v, func(s string) bool {
		return s == string(Required) || s == string(Optional) || s == string(Unavailable)
	}, "Requirement")
	*r = Requirement(s)
	return err
}

func (k NotificationKind) MarshalGQL(w io.Writer) { marshalEnum(w, string(k)) }
func (k *NotificationKind) UnmarshalGQL(v any) error {
	s, err := unmarshalEnum(v, func(s string) bool { _, ok := NotificationRoutes[NotificationKind(s)]; return ok }, "NotificationKind")
	*k = NotificationKind(s)
	return err
}

func (d DeliveryStatus) MarshalGQL(w io.Writer) { marshalEnum(w, string(d)) }
func (d *DeliveryStatus) UnmarshalGQL(v any) error {
	s, err := unmarshalEnum(v, func(s string) bool {
		return s == string(DeliveryQueued) || s == string(DeliverySent) || s == string(DeliveryFailed)
	}, "DeliveryStatus")
	*d = DeliveryStatus(s)
	return err
}
