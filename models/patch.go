package models

import (
	"encoding/json"
	"slices"
)

// Apply returns info with the patch's given fields replaced, and the fields
// whose value actually changed, in field order. A field is changed when its
// FieldValueJSON differs, so that "changed" means exactly "history has a
// different before and after": saving a list equal to the stored one, or
// swapping an absent list for an empty one, changes nothing.
//
// Apply leaves Version, UpdatedAt and UpdatedByID alone (the store sets them
// when it saves, and only if something changed) and does not check
// ExpectedVersion, which has to be compared inside the store's transaction.
// The result shares no slice with the patch.
func (info ContactInfo) Apply(p NormalizedPatch) (ContactInfo, []ContactField) {
	next := info
	if p.AlertContactUserIDs != nil {
		next.AlertContactIDs = slices.Clone(*p.AlertContactUserIDs)
	}
	if p.TechnicalEmergency != nil {
		next.TechnicalEmergency = cloneContacts(*p.TechnicalEmergency)
	}
	if p.TechnicalNonEmergency != nil {
		next.TechnicalNonEmergency = cloneContacts(*p.TechnicalNonEmergency)
	}
	if p.MerchantIssues != nil {
		next.MerchantIssues = cloneContacts(*p.MerchantIssues)
	}
	if p.OperationalForGoogle != nil {
		next.OperationalForGoogle = cloneContacts(*p.OperationalForGoogle)
	}
	if p.SetOperationalForUsers {
		next.OperationalForUsers = nil
		if p.OperationalForUsers != nil {
			c := cloneContact(*p.OperationalForUsers)
			next.OperationalForUsers = &c
		}
	}
	if p.SetOperationalSupport {
		next.OperationalSupport = nil
		if p.OperationalSupport != nil {
			h := cloneHours(*p.OperationalSupport)
			next.OperationalSupport = &h
		}
	}

	var changed []ContactField
	for _, f := range ContactFields {
		if FieldValueJSON(info, f) != FieldValueJSON(next, f) {
			changed = append(changed, f)
		}
	}
	return next, changed
}

// FieldValueJSON returns a stable JSON encoding of one field's value, as
// history records it before and after a change:
//
//   - ALERT_CONTACTS: the user ids as an array, sorted, since alert contacts
//     are a set (every one gets every alert) and the store need not keep
//     their order;
//   - the contact lists: arrays of {"name","email","phone"} in their order
//     (name and phone omitted when absent), [] when empty;
//   - OPERATIONAL_FOR_USERS: a contact object or null;
//   - OPERATIONAL_SUPPORT: {"alwaysOpen","windows"} or null, with windows
//     and days as arrays ([] when empty).
//
// An unknown field gives null.
func FieldValueJSON(info ContactInfo, f ContactField) string {
	var v any
	switch f.Kind() {
	case KindMembers:
		ids := slices.Clone(info.AlertContactIDs)
		if ids == nil {
			ids = []string{}
		}
		slices.Sort(ids)
		v = ids
	case KindContactList:
		v = nonNilContacts(info.Contacts(f))
	case KindContact:
		v = info.OperationalForUsers
	case KindSupportHours:
		if h := info.OperationalSupport; h != nil {
			// A copy with non-nil slices, so that nil and empty encode alike.
			c := cloneHours(*h)
			if c.Windows == nil {
				c.Windows = []SupportWindow{}
			}
			for i := range c.Windows {
				if c.Windows[i].Days == nil {
					c.Windows[i].Days = []DayOfWeek{}
				}
			}
			v = c
		}
	}
	b, err := json.Marshal(v)
	if err != nil {
		// Strings, slices and structs of them always encode; this is
		// unreachable, and "null" is at least valid JSON.
		return "null"
	}
	return string(b)
}

func nonNilContacts(cs []Contact) []Contact {
	if cs == nil {
		return []Contact{}
	}
	return cs
}

func cloneContacts(cs []Contact) []Contact {
	out := make([]Contact, len(cs))
	for i, c := range cs {
		out[i] = cloneContact(c)
	}
	return out
}

func cloneContact(c Contact) Contact {
	if c.Name != nil {
		n := *c.Name
		c.Name = &n
	}
	if c.Phone != nil {
		p := *c.Phone
		c.Phone = &p
	}
	return c
}

func cloneHours(h SupportHours) SupportHours {
	if h.Windows != nil {
		ws := make([]SupportWindow, len(h.Windows))
		for i, w := range h.Windows {
			w.Days = slices.Clone(w.Days)
			ws[i] = w
		}
		h.Windows = ws
	}
	return h
}
