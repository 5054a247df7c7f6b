package models

import (
	"strings"
	"testing"
)

func TestValidatePassword(t *testing.T) {
	tests := []struct {
		name, pw, code string
	}{
		{"empty", "", FieldPasswordTooShort},
		{"short", "abc", FieldPasswordTooShort},
		{"spaces", strings.Repeat(" ", 12), FieldPasswordBlank},
		{"few spaces", "   ", FieldPasswordBlank},
		{"tabs and non-breaking spaces", "\t\u00a0\u2003 \t\u00a0\u2003 \t\u00a0", FieldPasswordBlank},
		{"too long", strings.Repeat("x7", 65), FieldPasswordTooLong},
		{"common", "password123", FieldPasswordCommon},
		{"common, other case and spaces", " PassWord123 ", FieldPasswordCommon},
		{"common, most common of 10", "1234567890", FieldPasswordCommon},
		{"one character repeated", "zzzzzzzzzzzz", FieldPasswordCommon},
		{"ok", "correct horse battery", ""},
		{"ok with inner spaces", "  a b c d e f  ", ""},
		{"ok unicode", "pâté-de-campagne", ""},
		{"ok at 128", strings.Repeat("x7", 64), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v Validation
			ValidatePassword(&v, "password", tt.pw)
			fs := v.Fields()
			if tt.code == "" {
				if len(fs) != 0 {
					t.Fatalf("%q refused: %+v", tt.pw, fs)
				}
				return
			}
			if len(fs) != 1 || fs[0].Field != "password" || fs[0].Code != tt.code {
				t.Fatalf("%q: got %+v, want one %s at password", tt.pw, fs, tt.code)
			}
		})
	}
}

// The embedded list is there, and the check is not fooled by the line
// structure of the file (no empty entry, no entry with a line break).
func TestCommonPasswordList(t *testing.T) {
	set := commonPasswords()
	if len(set) < 10000 {
		t.Fatalf("only %d common passwords", len(set))
	}
	if _, ok := set[""]; ok {
		t.Fatal("the empty string is on the list")
	}
	for _, p := range []string{"123456", "password", "qwertyuiop", "basketball"} {
		if !IsCommonPassword(p) {
			t.Errorf("%q is not found", p)
		}
	}
	if IsCommonPassword("correct horse battery") {
		t.Error("a passphrase is taken for a common password")
	}
}
