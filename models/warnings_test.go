package models

import (
	"slices"
	"testing"
	"time"
)

// TestWarnings: each warning code from a table of inputs, and what must
// not warn.
func TestWarnings(t *testing.T) {
	c := func(email string) Contact { return Contact{Email: email} }
	withPhone := func(email, phone string) Contact { return Contact{Email: email, Phone: ptr(phone)} }
	// A complete, warning-free base: an on-call alias with a mobile phone,
	// distinct addresses, a user-facing support alias.
	base := func() ContactInfo {
		return ContactInfo{
			TechnicalEmergency:    []Contact{withPhone("oncall@partner.example", "+393331234567")},
			TechnicalNonEmergency: []Contact{c("tech@partner.example")},
			MerchantIssues:        []Contact{c("merchants@partner.example")},
			OperationalForGoogle:  []Contact{c("ops@partner.example")},
			OperationalForUsers:   &Contact{Email: "help@partner.example"},
		}
	}
	due := ReviewPolicy{Interval: 365 * 24 * time.Hour, Grace: 30 * 24 * time.Hour}.
		At(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC))
	current := ReviewPolicy{Interval: 365 * 24 * time.Hour}.At(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC))

	type want struct {
		field string
		code  ContactWarningCode
	}
	cases := []struct {
		name string
		in   func() WarningInput
		want []want
	}{
		{"nothing to say", func() WarningInput {
			return WarningInput{Info: base(), MemberEmails: []string{"anna@partner.example"}, Review: &current}
		}, nil},
		{"free mail in technical and operational fields", func() WarningInput {
			i := base()
			i.TechnicalNonEmergency = []Contact{c("tech@partner.example"), c("Mario.Rossi@GMAIL.com")}
			i.OperationalForGoogle = []Contact{c("ops@mail.libero.it")}
			return WarningInput{Info: i}
		}, []want{{"technicalNonEmergency[1].email", WarnFreeMailDomain}, {"operationalForGoogle[0].email", WarnFreeMailDomain}}},
		{"free mail is fine for the user-facing contact", func() WarningInput {
			i := base()
			i.OperationalForUsers = &Contact{Email: "pizzeria.da.mario@gmail.com"}
			return WarningInput{Info: i}
		}, nil},
		{"emergency contacts are only members", func() WarningInput {
			i := base()
			i.TechnicalEmergency = []Contact{withPhone("anna@partner.example", "+393331234567"), withPhone("Bruno@partner.example", "+393331234568")}
			return WarningInput{Info: i, MemberEmails: []string{"anna@partner.example", "bruno@partner.example"}}
		}, []want{{"technicalEmergency", WarnNoPagerAlias}}},
		{"no phone for emergencies", func() WarningInput {
			i := base()
			i.TechnicalEmergency = []Contact{c("oncall@partner.example")}
			return WarningInput{Info: i}
		}, []want{{"technicalEmergency", WarnNoPhoneForEmergency}}},
		{"only fixed lines for emergencies", func() WarningInput {
			i := base()
			// +39 06 (Rome) and +44 20 (London) are fixed lines.
			i.TechnicalEmergency = []Contact{withPhone("oncall@partner.example", "+390612345678"), withPhone("pager@partner.example", "+442071838750")}
			return WarningInput{Info: i}
		}, []want{{"technicalEmergency", WarnNoPhoneForEmergency}}},
		{"a fixed line beside a mobile is fine", func() WarningInput {
			i := base()
			i.TechnicalEmergency = []Contact{withPhone("oncall@partner.example", "+390612345678"), withPhone("pager@partner.example", "+393331234567")}
			return WarningInput{Info: i}
		}, nil},
		{"the same address in four fields", func() WarningInput {
			i := base()
			i.TechnicalNonEmergency = []Contact{c("all@partner.example")}
			i.MerchantIssues = []Contact{c("ALL@partner.example")}
			i.OperationalForGoogle = []Contact{c("ops@partner.example"), c("all@partner.example")}
			i.TechnicalEmergency = append(i.TechnicalEmergency, c("all@partner.example"))
			return WarningInput{Info: i}
		}, []want{{"technicalEmergency[1].email", WarnSameAddressEverywhere}}},
		{"the same address in three fields is fine", func() WarningInput {
			i := base()
			i.TechnicalNonEmergency = []Contact{c("all@partner.example")}
			i.MerchantIssues = []Contact{c("all@partner.example")}
			i.OperationalForGoogle = []Contact{c("all@partner.example")}
			return WarningInput{Info: i}
		}, nil},
		{"user-facing equals a Google-only contact", func() WarningInput {
			i := base()
			i.OperationalForUsers = &Contact{Email: "Ops@partner.example"}
			return WarningInput{Info: i}
		}, []want{{"operationalForUsers.email", WarnUserFacingIsInternal}}},
		{"user-facing equals a technical contact", func() WarningInput {
			i := base()
			i.OperationalForUsers = &Contact{Email: "tech@partner.example"}
			return WarningInput{Info: i}
		}, []want{{"operationalForUsers.email", WarnUserFacingIsInternal}}},
		{"a former member", func() WarningInput {
			i := base()
			i.MerchantIssues = []Contact{c("left@partner.example")}
			return WarningInput{Info: i, FormerMemberEmails: []string{"Left@partner.example"}}
		}, []want{{"merchantIssues[0].email", WarnFormerMember}}},
		{"an unreachable address (from reachability)", func() WarningInput {
			return WarningInput{Info: base(), Unreachable: []string{"ops@partner.example", "help@partner.example"}}
		}, []want{{"operationalForGoogle[0].email", WarnUnreachable}, {"operationalForUsers.email", WarnUnreachable}}},
		{"review due", func() WarningInput {
			return WarningInput{Info: base(), Review: &due}
		}, []want{{"", WarnReviewDue}}},
		{"empty contact info", func() WarningInput { return WarningInput{} }, nil},
	}
	seen := map[ContactWarningCode]bool{}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Warnings(tc.in())
			var gotPairs []want
			for _, w := range got {
				if w.Message == "" {
					t.Errorf("%s at %s has no message", w.Code, w.Field)
				}
				gotPairs = append(gotPairs, want{w.Field, w.Code})
				seen[w.Code] = true
			}
			if !slices.Equal(gotPairs, tc.want) {
				t.Fatalf("got %v, want %v", gotPairs, tc.want)
			}
			var codes []ContactWarningCode
			for _, w := range tc.want {
				if !slices.Contains(codes, w.code) {
					codes = append(codes, w.code)
				}
			}
			if set := WarningSetOf(got); len(set.Codes()) != len(codes) {
				t.Fatalf("set %v from %v", set.Codes(), got)
			}
		})
	}
	for _, code := range WarningCodes {
		if !seen[code] {
			t.Errorf("no case for %s", code)
		}
	}
}

func TestFreeMailDomainsFile(t *testing.T) {
	if len(freeMailDomains) < 50 {
		t.Fatalf("%d domains", len(freeMailDomains))
	}
	for _, e := range []string{"a@gmail.com", "a@sub.yahoo.it", "A@LIBERO.IT"} {
		if !IsFreeMailAddress(e) {
			t.Errorf("%s is free mail", e)
		}
	}
	for _, e := range []string{"a@partner.example", "a@notgmail.com", "a@gmail.com.partner.example"} {
		if IsFreeMailAddress(e) {
			t.Errorf("%s is not free mail", e)
		}
	}
}
