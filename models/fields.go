package models

// FieldKind is the shape of a contact field's value.
type FieldKind int

const (
	// KindMembers: users of the account, by id (ALERT_CONTACTS).
	KindMembers FieldKind = iota + 1
	// KindContactList: up to MaxContactsPerField contacts.
	KindContactList
	// KindContact: exactly one contact, or none yet (OPERATIONAL_FOR_USERS).
	KindContact
	// KindSupportHours: the support hours (OPERATIONAL_SUPPORT).
	KindSupportHours
)

// fieldSpec is everything that differs between the seven fields. It is the
// one place that maps a ContactField to the ContactInfo member holding it:
// the store, the history, notifications, the export and the gate read and
// write fields through the accessors below instead of switching on fields.
type fieldSpec struct {
	apiName  string
	kind     FieldKind
	contacts func(*ContactInfo) *[]Contact // KindContactList only
}

var fieldSpecs = map[ContactField]fieldSpec{
	FieldAlertContacts:         {apiName: "alertContacts", kind: KindMembers},
	FieldTechnicalEmergency:    {apiName: "technicalEmergency", kind: KindContactList, contacts: func(i *ContactInfo) *[]Contact { return &i.TechnicalEmergency }},
	FieldTechnicalNonEmergency: {apiName: "technicalNonEmergency", kind: KindContactList, contacts: func(i *ContactInfo) *[]Contact { return &i.TechnicalNonEmergency }},
	FieldMerchantIssues:        {apiName: "merchantIssues", kind: KindContactList, contacts: func(i *ContactInfo) *[]Contact { return &i.MerchantIssues }},
	FieldOperationalForGoogle:  {apiName: "operationalForGoogle", kind: KindContactList, contacts: func(i *ContactInfo) *[]Contact { return &i.OperationalForGoogle }},
	FieldOperationalForUsers:   {apiName: "operationalForUsers", kind: KindContact},
	FieldOperationalSupport:    {apiName: "operationalSupport", kind: KindSupportHours},
}

// Kind is the shape of the field's value (0 for an unknown field).
func (f ContactField) Kind() FieldKind { return fieldSpecs[f].kind }

// HoldsContacts tells whether the field's value is contacts (a list, or the
// one user-facing contact).
func (f ContactField) HoldsContacts() bool {
	k := f.Kind()
	return k == KindContactList || k == KindContact
}

// Contacts returns the contacts of a contact field, in order: the list, or
// the one user-facing contact as a list of zero or one. It returns nil for
// the other fields (alert contacts are users: see AlertContactIDs).
func (info *ContactInfo) Contacts(f ContactField) []Contact {
	switch spec := fieldSpecs[f]; spec.kind {
	case KindContactList:
		return *spec.contacts(info)
	case KindContact:
		if info.OperationalForUsers != nil {
			return []Contact{*info.OperationalForUsers}
		}
		return []Contact{}
	}
	return nil
}

// SetContacts replaces the contacts of a contact field (for the one
// user-facing contact: the first of cs, or none). It does nothing for the
// other fields.
func (info *ContactInfo) SetContacts(f ContactField, cs []Contact) {
	switch spec := fieldSpecs[f]; spec.kind {
	case KindContactList:
		*spec.contacts(info) = cs
	case KindContact:
		info.OperationalForUsers = nil
		if len(cs) > 0 {
			c := cs[0]
			info.OperationalForUsers = &c
		}
	}
}

// AppendContact adds c at the end of a contact field (for the one
// user-facing contact: replaces it).
func (info *ContactInfo) AppendContact(f ContactField, c Contact) {
	if f.Kind() == KindContact {
		info.OperationalForUsers = &c
		return
	}
	info.SetContacts(f, append(info.Contacts(f), c))
}

// IsEmpty tells whether the field has no value yet: no member, no contact,
// or no support hours (neither 24/7 nor any window).
func (info *ContactInfo) IsEmpty(f ContactField) bool {
	switch f.Kind() {
	case KindMembers:
		return len(info.AlertContactIDs) == 0
	case KindContactList:
		return len(*fieldSpecs[f].contacts(info)) == 0
	case KindContact:
		return info.OperationalForUsers == nil
	case KindSupportHours:
		h := info.OperationalSupport
		return h == nil || (!h.AlwaysOpen && len(h.Windows) == 0)
	}
	return true
}
