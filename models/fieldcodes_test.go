package models

import (
	"errors"
	"regexp"
	"strings"
	"testing"
)

// TestFieldCodes checks the machine-readable code of every rule, next to
// the path it is reported at.
func TestFieldCodes(t *testing.T) {
	rules := PatchRules{MerchantIssues: Required, IsMember: members}
	contacts := func(cs ...ContactInput) *[]ContactInput { return &cs }
	email := func(s string) ContactInput { return ContactInput{Email: s} }
	phone := func(p string) *[]ContactInput { return contacts(ContactInput{Email: "a@partner.example", Phone: &p}) }
	name := func(n string) *[]ContactInput { return contacts(ContactInput{Email: "a@partner.example", Name: &n}) }
	hours := func(h SupportHoursInput) ContactInfoPatch {
		return ContactInfoPatch{Environment: EnvironmentSandbox, OperationalSupport: &h}
	}
	window := func(days []DayOfWeek, opens, closes, zone string) SupportHoursInput {
		return SupportHoursInput{Windows: []*SupportWindowInput{{Days: days, Opens: opens, Closes: closes, TimeZone: zone}}}
	}
	mon := []DayOfWeek{Days[0]}
	sandbox := func(te *[]ContactInput) ContactInfoPatch {
		return ContactInfoPatch{Environment: EnvironmentSandbox, TechnicalEmergency: te}
	}
	eleven := make([]ContactInput, 11)
	for i := range eleven {
		eleven[i] = email(strings.Repeat("c", i+1) + "@partner.example")
	}
	elevenIDs := make([]string, 11)
	for i := range elevenIDs {
		elevenIDs[i] = "u" + strings.Repeat("1", i+1)
	}
	manyWindows := SupportHoursInput{}
	for range MaxSupportWindows + 1 {
		manyWindows.Windows = append(manyWindows.Windows, &SupportWindowInput{Days: mon, Opens: "09:00", Closes: "17:00", TimeZone: "Europe/Rome"})
	}

	tests := []struct {
		name  string
		patch ContactInfoPatch
		rules PatchRules
		path  string
		code  string
	}{
		{"invalid UTF-8", sandbox(contacts(email("a\xffb@partner.example"))), rules, "technicalEmergency[0].email", FieldInvalidUTF8},
		{"control characters", sandbox(name("Ops\tTeam")), rules, "technicalEmergency[0].name", FieldControlCharacters},
		{"email required", sandbox(contacts(email(" "))), rules, "technicalEmergency[0].email", FieldRequired},
		{"email too long", sandbox(contacts(email(strings.Repeat("x", 64) + "@" + strings.Repeat("y", 190) + ".example"))), rules, "technicalEmergency[0].email", FieldEmailTooLong},
		{"email invalid", sandbox(contacts(email("no-at-sign"))), rules, "technicalEmergency[0].email", FieldEmailInvalid},
		{"email with a name", sandbox(contacts(email("Ops <ops@partner.example>"))), rules, "technicalEmergency[0].email", FieldEmailAddressOnly},
		{"email local part too long", sandbox(contacts(email(strings.Repeat("x", 65) + "@partner.example"))), rules, "technicalEmergency[0].email", FieldEmailLocalTooLong},
		{"email domain", sandbox(contacts(email("ops@localhost"))), rules, "technicalEmergency[0].email", FieldEmailDomainInvalid},
		{"duplicate email", sandbox(contacts(email("a@partner.example"), email("A@partner.example"))), rules, "technicalEmergency[1].email", FieldDuplicateEmail},
		{"name too long", sandbox(name(strings.Repeat("n", 65))), rules, "technicalEmergency[0].name", FieldNameTooLong},
		{"phone characters", sandbox(phone("+39 06 CALL ME")), rules, "technicalEmergency[0].phone", FieldPhoneCharacters},
		{"phone without country code", sandbox(phone("06 1234 5678")), rules, "technicalEmergency[0].phone", FieldPhoneNeedsCountryCode},
		{"phone invalid", sandbox(phone("+39 12")), rules, "technicalEmergency[0].phone", FieldPhoneInvalid},
		{"too many contacts", sandbox(&eleven), rules, "technicalEmergency", FieldTooMany},
		{"windows with 24/7", hours(SupportHoursInput{AlwaysOpen: true, Windows: window(mon, "09:00", "17:00", "Europe/Rome").Windows}), rules, "operationalSupport.windows", FieldWindowsWithAlwaysOpen},
		{"too many windows", hours(manyWindows), rules, "operationalSupport.windows", FieldTooMany},
		{"empty window", hours(SupportHoursInput{Windows: []*SupportWindowInput{nil}}), rules, "operationalSupport.windows[0]", FieldWindowEmpty},
		{"no days", hours(window(nil, "09:00", "17:00", "Europe/Rome")), rules, "operationalSupport.windows[0].days", FieldNoDays},
		{"unknown day", hours(window([]DayOfWeek{"FUNDAY"}, "09:00", "17:00", "Europe/Rome")), rules, "operationalSupport.windows[0].days", FieldDayUnknown},
		{"duplicate day", hours(window([]DayOfWeek{Days[0], Days[0]}, "09:00", "17:00", "Europe/Rome")), rules, "operationalSupport.windows[0].days", FieldDuplicateDay},
		{"time format", hours(window(mon, "9:00", "17:00", "Europe/Rome")), rules, "operationalSupport.windows[0].opens", FieldTimeInvalid},
		{"same open and close", hours(window(mon, "10:00", "10:00", "Europe/Rome")), rules, "operationalSupport.windows[0].closes", FieldSameOpenClose},
		{"time zone required", hours(window(mon, "09:00", "17:00", "")), rules, "operationalSupport.windows[0].timeZone", FieldRequired},
		{"time zone unknown", hours(window(mon, "09:00", "17:00", "Nowhere/City")), rules, "operationalSupport.windows[0].timeZone", FieldTimeZoneUnknown},
		{"time zone Local", hours(window(mon, "09:00", "17:00", "Local")), rules, "operationalSupport.windows[0].timeZone", FieldTimeZoneUnknown},
		{"environment", ContactInfoPatch{Environment: "STAGING"}, rules, "environment", FieldEnvironmentInvalid},
		{"negative version", ContactInfoPatch{Environment: EnvironmentSandbox, ExpectedVersion: ptr(-1)}, rules, "expectedVersion", FieldVersionNegative},
		{"merchant unavailable", ContactInfoPatch{Environment: EnvironmentSandbox, MerchantIssues: contacts(email("m@partner.example"))},
			PatchRules{MerchantIssues: Unavailable, IsMember: members}, "merchantIssues", FieldMerchantUnavailable},
		{"alert contacts in Sandbox", ContactInfoPatch{Environment: EnvironmentSandbox, AlertContactUserIDs: &[]string{}}, rules, "alertContactUserIds", FieldAlertProductionOnly},
		{"too many alert contacts", ContactInfoPatch{Environment: EnvironmentProduction, AlertContactUserIDs: &elevenIDs}, PatchRules{IsMember: func(string) bool { return true }}, "alertContactUserIds", FieldTooMany},
		{"duplicate alert contact", ContactInfoPatch{Environment: EnvironmentProduction, AlertContactUserIDs: &[]string{"u1", "u1"}}, PatchRules{IsMember: func(string) bool { return true }}, "alertContactUserIds[1]", FieldDuplicateMember},
		{"alert contact not a member", ContactInfoPatch{Environment: EnvironmentProduction, AlertContactUserIDs: &[]string{"stranger"}}, PatchRules{IsMember: func(string) bool { return false }}, "alertContactUserIds[0]", FieldNotAMember},
	}
	upperSnake := regexp.MustCompile(`^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ValidatePatch(tt.patch, tt.rules)
			var e *Error
			if !errors.As(err, &e) || e.Code != EValidation {
				t.Fatalf("error %v, want VALIDATION_FAILED", err)
			}
			found := false
			for _, f := range e.Fields {
				if !upperSnake.MatchString(f.Code) || f.Message == "" {
					t.Errorf("field %+v: code not UPPER_SNAKE or message empty", f)
				}
				if f.Field == tt.path {
					found = true
					if f.Code != tt.code {
						t.Errorf("%s: code %s, want %s (message %q)", f.Field, f.Code, tt.code, f.Message)
					}
				}
			}
			if !found {
				t.Errorf("no problem at %s: %+v", tt.path, e.Fields)
			}
		})
	}
}

func TestValidationAddCode(t *testing.T) {
	var v Validation
	v.Add("a", "at most %d", 3)
	v.AddCode("b", FieldRequired, "enter %s", "b")
	want := []FieldError{{Field: "a", Message: "at most 3", Code: FieldInvalid}, {Field: "b", Message: "enter b", Code: FieldRequired}}
	if got := v.Fields(); len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("fields %+v, want %+v", got, want)
	}
	e := ErrorWithReason(EConflict, ReasonLastAdministrator, "need %d admin", 1)
	if e.Code != EConflict || e.Reason != ReasonLastAdministrator || e.Message != "need 1 admin" {
		t.Fatalf("ErrorWithReason = %+v", e)
	}
	f := FieldErr("unknown role", "role", FieldRoleInvalid, "choose a role")
	if f.Code != EValidation || len(f.Fields) != 1 || f.Fields[0].Code != FieldRoleInvalid {
		t.Fatalf("FieldErr = %+v", f)
	}
}
