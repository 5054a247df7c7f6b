package models

import (
	"reflect"
	"slices"
	"testing"
	"time"
)

func storedInfo() ContactInfo {
	updated := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	return ContactInfo{
		AccountID:                 "acc1",
		Version:                   4,
		AlertContactIDs:           []string{"u1", "u2"},
		TechnicalEmergency:        []Contact{{Email: "pager@example.com", Phone: ptr("+390612345678")}},
		TechnicalNonEmergency:     []Contact{{Name: ptr("Dev"), Email: "dev@example.com"}, {Email: "ops@example.com"}},
		MerchantIssues:            nil,
		MerchantIssuesRequirement: Optional,
		OperationalForGoogle:      []Contact{{Email: "g@example.com"}},
		OperationalForUsers:       &Contact{Email: "help@example.com"},
		OperationalSupport: &SupportHours{Windows: []SupportWindow{
			{Days: []DayOfWeek{Monday, Friday}, Opens: "09:00", Closes: "17:00", TimeZone: "Europe/Rome"},
		}},
		UpdatedAt:   &updated,
		UpdatedByID: ptr("u1"),
	}
}

func TestApply(t *testing.T) {
	tests := []struct {
		name        string
		patch       NormalizedPatch
		wantChanged []ContactField
		check       func(t *testing.T, got ContactInfo)
	}{
		{name: "empty patch", patch: NormalizedPatch{}},
		{
			name: "every field given with its stored value",
			patch: NormalizedPatch{
				AlertContactUserIDs:    &[]string{"u1", "u2"},
				TechnicalEmergency:     &[]Contact{{Email: "pager@example.com", Phone: ptr("+390612345678")}},
				TechnicalNonEmergency:  &[]Contact{{Name: ptr("Dev"), Email: "dev@example.com"}, {Email: "ops@example.com"}},
				MerchantIssues:         &[]Contact{},
				OperationalForGoogle:   &[]Contact{{Email: "g@example.com"}},
				OperationalForUsers:    &Contact{Email: "help@example.com"},
				SetOperationalForUsers: true,
				OperationalSupport: &SupportHours{Windows: []SupportWindow{
					{Days: []DayOfWeek{Monday, Friday}, Opens: "09:00", Closes: "17:00", TimeZone: "Europe/Rome"},
				}},
				SetOperationalSupport: true,
			},
		},
		{
			name:  "alert contacts are a set: a new order is no change",
			patch: NormalizedPatch{AlertContactUserIDs: &[]string{"u2", "u1"}},
		},
		{
			name:        "alert contact added",
			patch:       NormalizedPatch{AlertContactUserIDs: &[]string{"u2", "u1", "u3"}},
			wantChanged: []ContactField{FieldAlertContacts},
			check: func(t *testing.T, got ContactInfo) {
				if !slices.Equal(got.AlertContactIDs, []string{"u2", "u1", "u3"}) {
					t.Errorf("alert contacts %v", got.AlertContactIDs)
				}
			},
		},
		{
			name:        "contacts reordered is a change: the order is the partner's",
			patch:       NormalizedPatch{TechnicalNonEmergency: &[]Contact{{Email: "ops@example.com"}, {Name: ptr("Dev"), Email: "dev@example.com"}}},
			wantChanged: []ContactField{FieldTechnicalNonEmergency},
		},
		{
			name:        "a phone added",
			patch:       NormalizedPatch{OperationalForGoogle: &[]Contact{{Email: "g@example.com", Phone: ptr("+16502530000")}}},
			wantChanged: []ContactField{FieldOperationalForGoogle},
		},
		{
			name:        "a list emptied",
			patch:       NormalizedPatch{TechnicalEmergency: &[]Contact{}},
			wantChanged: []ContactField{FieldTechnicalEmergency},
			check: func(t *testing.T, got ContactInfo) {
				if len(got.TechnicalEmergency) != 0 {
					t.Errorf("technical emergency %v", got.TechnicalEmergency)
				}
			},
		},
		{
			name:        "user contact cleared",
			patch:       NormalizedPatch{SetOperationalForUsers: true},
			wantChanged: []ContactField{FieldOperationalForUsers},
			check: func(t *testing.T, got ContactInfo) {
				if got.OperationalForUsers != nil {
					t.Errorf("operational for users %v", *got.OperationalForUsers)
				}
			},
		},
		{
			name:  "a value without its Set flag is ignored",
			patch: NormalizedPatch{OperationalForUsers: &Contact{Email: "new@example.com"}},
		},
		{
			name: "several fields, reported in field order",
			patch: NormalizedPatch{
				OperationalSupport:    &SupportHours{AlwaysOpen: true},
				SetOperationalSupport: true,
				MerchantIssues:        &[]Contact{{Email: "m@example.com"}},
				TechnicalEmergency:    &[]Contact{{Email: "pager@example.com", Phone: ptr("+390612345678")}},
				AlertContactUserIDs:   &[]string{"u1"},
			},
			wantChanged: []ContactField{FieldAlertContacts, FieldMerchantIssues, FieldOperationalSupport},
			check: func(t *testing.T, got ContactInfo) {
				if got.OperationalSupport == nil || !got.OperationalSupport.AlwaysOpen {
					t.Errorf("operational support %+v", got.OperationalSupport)
				}
			},
		},
		{
			name: "support hours: same days in the same order is no change",
			patch: NormalizedPatch{
				OperationalSupport: &SupportHours{Windows: []SupportWindow{
					{Days: []DayOfWeek{Monday, Friday}, Opens: "09:00", Closes: "17:00", TimeZone: "Europe/Rome"},
				}},
				SetOperationalSupport: true,
			},
		},
		{
			name: "support hours: another zone is a change",
			patch: NormalizedPatch{
				OperationalSupport: &SupportHours{Windows: []SupportWindow{
					{Days: []DayOfWeek{Monday, Friday}, Opens: "09:00", Closes: "17:00", TimeZone: "Europe/Paris"},
				}},
				SetOperationalSupport: true,
			},
			wantChanged: []ContactField{FieldOperationalSupport},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := storedInfo()
			got, changed := before.Apply(tt.patch)
			if !slices.Equal(changed, tt.wantChanged) {
				t.Fatalf("changed %v, want %v", changed, tt.wantChanged)
			}
			if !reflect.DeepEqual(before, storedInfo()) {
				t.Fatal("Apply modified its receiver")
			}
			if got.Version != before.Version || got.AccountID != before.AccountID ||
				got.MerchantIssuesRequirement != before.MerchantIssuesRequirement ||
				got.UpdatedAt != before.UpdatedAt || got.UpdatedByID != before.UpdatedByID {
				t.Fatalf("Apply touched bookkeeping fields: %+v", got)
			}
			if len(tt.wantChanged) == 0 {
				for _, f := range ContactFields {
					if FieldValueJSON(got, f) != FieldValueJSON(before, f) {
						t.Errorf("%s differs although unchanged", f)
					}
				}
			}
			if tt.check != nil {
				tt.check(t, got)
			}
		})
	}
}

func TestApplyFromEmpty(t *testing.T) {
	// A new account's record has nil everywhere; an empty list saved as a
	// draft is not a change, anything else is.
	var empty ContactInfo
	_, changed := empty.Apply(NormalizedPatch{
		TechnicalEmergency:     &[]Contact{},
		TechnicalNonEmergency:  &[]Contact{{Email: "dev@example.com"}},
		SetOperationalForUsers: true,
	})
	if want := []ContactField{FieldTechnicalNonEmergency}; !slices.Equal(changed, want) {
		t.Fatalf("changed %v, want %v", changed, want)
	}
}

func TestApplyDoesNotAliasThePatch(t *testing.T) {
	list := []Contact{{Name: ptr("Dev"), Email: "dev@example.com"}}
	ids := []string{"u1"}
	hours := SupportHours{Windows: []SupportWindow{{Days: []DayOfWeek{Monday}, Opens: "09:00", Closes: "17:00", TimeZone: "UTC"}}}
	got, _ := ContactInfo{}.Apply(NormalizedPatch{
		AlertContactUserIDs: &ids, TechnicalEmergency: &list,
		OperationalSupport: &hours, SetOperationalSupport: true,
	})
	*list[0].Name = "changed"
	list[0].Email = "changed@example.com"
	ids[0] = "u9"
	hours.Windows[0].Days[0] = Sunday
	if *got.TechnicalEmergency[0].Name != "Dev" || got.TechnicalEmergency[0].Email != "dev@example.com" ||
		got.AlertContactIDs[0] != "u1" || got.OperationalSupport.Windows[0].Days[0] != Monday {
		t.Fatalf("the applied info shares memory with the patch: %+v", got)
	}
}

func TestFieldValueJSON(t *testing.T) {
	full := storedInfo()
	full.AlertContactIDs = []string{"u9", "u10", "u1"}
	tests := []struct {
		name  string
		info  ContactInfo
		field ContactField
		want  string
	}{
		{"empty alert contacts", ContactInfo{}, FieldAlertContacts, `[]`},
		{"empty list", ContactInfo{}, FieldTechnicalEmergency, `[]`},
		{"empty non-nil list", ContactInfo{MerchantIssues: []Contact{}}, FieldMerchantIssues, `[]`},
		{"no user contact", ContactInfo{}, FieldOperationalForUsers, `null`},
		{"no support hours", ContactInfo{}, FieldOperationalSupport, `null`},
		{"alert contacts sorted", full, FieldAlertContacts, `["u1","u10","u9"]`},
		{"contact with phone", full, FieldTechnicalEmergency, `[{"email":"pager@example.com","phone":"+390612345678"}]`},
		{"contacts with a name", full, FieldTechnicalNonEmergency, `[{"name":"Dev","email":"dev@example.com"},{"email":"ops@example.com"}]`},
		{"user contact", full, FieldOperationalForUsers, `{"email":"help@example.com"}`},
		{"support hours", full, FieldOperationalSupport, `{"alwaysOpen":false,"windows":[{"days":["MONDAY","FRIDAY"],"opens":"09:00","closes":"17:00","timeZone":"Europe/Rome"}]}`},
		{"24/7 with nil windows", ContactInfo{OperationalSupport: &SupportHours{AlwaysOpen: true}}, FieldOperationalSupport, `{"alwaysOpen":true,"windows":[]}`},
		{"window with nil days", ContactInfo{OperationalSupport: &SupportHours{Windows: []SupportWindow{{Opens: "09:00", Closes: "10:00", TimeZone: "UTC"}}}}, FieldOperationalSupport, `{"alwaysOpen":false,"windows":[{"days":[],"opens":"09:00","closes":"10:00","timeZone":"UTC"}]}`},
		{"unknown field", full, "PHONE_BOOK", `null`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FieldValueJSON(tt.info, tt.field); got != tt.want {
				t.Fatalf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
	if !slices.Equal(full.AlertContactIDs, []string{"u9", "u10", "u1"}) {
		t.Fatal("FieldValueJSON sorted the caller's slice")
	}
}
