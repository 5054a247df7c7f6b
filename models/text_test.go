package models

import "testing"

func TestTextRule(t *testing.T) {
	rule := TextRule{Required: true, MaxRunes: 10, TooLongCode: FieldNameTooLong}
	body := TextRule{Multiline: true}
	cases := []struct {
		name string
		rule TextRule
		in   string
		want string // field code, "" for accepted
		out  string
	}{
		{"plain", rule, "  Ops team ", "", "Ops team"},
		{"empty required", rule, "   ", FieldRequired, ""},
		{"empty optional", body, "", "", ""},
		{"too long", rule, "abcdefghijk", FieldNameTooLong, ""},
		{"accented letters count as one", rule, "àèìòùàèìòù", "", "àèìòùàèìòù"},
		{"invalid UTF-8", rule, "a\xffb", FieldInvalidUTF8, ""},
		{"tab", rule, "a\tb", FieldControlCharacters, ""},
		{"DEL", rule, "a\x7fb", FieldControlCharacters, ""},
		{"C1 control U+0085", rule, "a\u0085b", FieldControlCharacters, ""},
		{"C1 control U+009B", rule, "a\u009bb", FieldControlCharacters, ""},
		{"zero-width space", rule, "a\u200bb", FieldInvisibleCharacters, ""},
		{"zero-width joiner", rule, "a\u200db", FieldInvisibleCharacters, ""},
		{"right-to-left override", rule, "a\u202eb", FieldInvisibleCharacters, ""},
		{"first strong isolate", rule, "a\u2068b", FieldInvisibleCharacters, ""},
		{"line separator inside", rule, "a\u2028b", FieldInvisibleCharacters, ""},
		{"paragraph separator inside", rule, "a\u2029b", FieldInvisibleCharacters, ""},
		{"soft hyphen", rule, "a\u00adb", FieldInvisibleCharacters, ""},
		{"byte order mark", rule, "\ufeffab", FieldInvisibleCharacters, ""},
		{"combining grapheme joiner", rule, "a\u034fb", FieldInvisibleCharacters, ""},
		{"Hangul filler", rule, "a\u3164b", FieldInvisibleCharacters, ""},
		{"Hangul choseong filler", rule, "a\u115fb", FieldInvisibleCharacters, ""},
		{"Khmer inherent vowel", rule, "a\u17b4b", FieldInvisibleCharacters, ""},
		{"variation selector 16", rule, "a\ufe0fb", FieldInvisibleCharacters, ""},
		{"blank Braille pattern", rule, "a\u2800b", FieldInvisibleCharacters, ""},
		{"multiline keeps line breaks", body, "line 1\r\nline 2\tend", "", "line 1\r\nline 2\tend"},
		{"multiline still refuses U+202E", body, "line\u202e 1", FieldInvisibleCharacters, ""},
		{"multiline still refuses NUL", body, "line\x00 1", FieldControlCharacters, ""},
		{"emoji without joiner", rule, "ok 👍", "", "ok 👍"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var v Validation
			out, ok := c.rule.Check(&v, "p", c.in)
			if c.want == "" {
				if !ok || v.Err() != nil || out != c.out {
					t.Fatalf("Check(%q) = %q, %v, %v; want %q accepted", c.in, out, ok, v.Err(), c.out)
				}
				return
			}
			if ok {
				t.Fatalf("Check(%q) accepted %q; want %s", c.in, out, c.want)
			}
			if len(v.Fields()) != 1 || v.Fields()[0].Field != "p" || v.Fields()[0].Code != c.want {
				t.Fatalf("Check(%q) problems %+v; want one %s at p", c.in, v.Fields(), c.want)
			}
		})
	}
}

// TestInvisibleCharactersInContacts: the contact fields use the same rule.
func TestInvisibleCharactersInContacts(t *testing.T) {
	name, phone := "Help\u202edesk", "+39 06\u200b 1234 5678"
	var v Validation
	ValidateContact(&v, "c", ContactInput{Email: "sup\u200bport@example.com", Name: &name, Phone: &phone})
	got := map[string]string{}
	for _, f := range v.Fields() {
		got[f.Field] = f.Code
	}
	for _, p := range []string{"c.email", "c.name", "c.phone"} {
		if got[p] != FieldInvisibleCharacters {
			t.Errorf("%s: got %q, want %s (all problems: %+v)", p, got[p], FieldInvisibleCharacters, v.Fields())
		}
	}
}

// TestFieldAccessors: every field has one accessor shape, and the contacts
// written through SetContacts are read back by Contacts.
func TestFieldAccessors(t *testing.T) {
	c := []Contact{{Email: "a@example.com"}, {Email: "b@example.com"}}
	for _, f := range ContactFields {
		if f.Kind() == 0 {
			t.Fatalf("%s has no accessor", f)
		}
		if f.APIName() == string(f) {
			t.Errorf("%s has no API name", f)
		}
		var info ContactInfo
		if !info.IsEmpty(f) {
			t.Errorf("%s: zero value is not empty", f)
		}
		if !f.HoldsContacts() {
			continue
		}
		info.SetContacts(f, c)
		want := 2
		if f.Kind() == KindContact {
			want = 1
		}
		if got := info.Contacts(f); len(got) != want || got[0].Email != "a@example.com" || info.IsEmpty(f) {
			t.Errorf("%s: read back %+v", f, got)
		}
	}
}

// TestSpacesInsideEmails: a no-break or ideographic space inside an email
// is refused (it looks like nothing).
func TestSpacesInsideEmails(t *testing.T) {
	for _, e := range []string{"new\u00a0user@example.com", "new\u3000user@example.com", "new user@example.com"} {
		var v Validation
		if _, ok := validateEmail(&v, "e", e); ok {
			t.Errorf("%q accepted", e)
		}
	}
}

// TestPasswordDisguises: a common or published password stays common
// behind compatibility forms and invisible characters, and a password of
// invisible characters only is blank.
func TestPasswordDisguises(t *testing.T) {
	for pw, want := range map[string]string{
		"ｐａｓｓｗｏｒｄ１２３":          FieldPasswordCommon,
		"password123\u200b":    FieldPasswordCommon,
		"staff-demo-password":  FieldPasswordCommon,
		"Admin-Demo-Password ": FieldPasswordCommon,
		"\u200b\u200c\u200b\u200c\u200b\u200c\u200b\u200c\u200b\u200c": FieldPasswordBlank,
		"correct horse battery": "",
	} {
		var v Validation
		ValidatePassword(&v, "p", pw)
		got := ""
		if fs := v.Fields(); len(fs) > 0 {
			got = fs[0].Code
		}
		if got != want {
			t.Errorf("%q: %q, want %q", pw, got, want)
		}
	}
}
