package models

import (
	_ "embed"
	"golang.org/x/text/unicode/norm"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Password length limits. The upper one bounds the hashing work a request
// can ask for; the lower one follows NIST SP 800-63B's advice for
// passwords chosen by the person (at least 8; we ask for 10).
const (
	MinPasswordLength = 10
	MaxPasswordLength = 128
)

// commonPasswordsText is the list of common passwords of zxcvbn-ts
// (@zxcvbn-ts/language-common, MIT licence: see commonpasswords.LICENSE),
// most common first, one per line, lower-case. It is embedded so that the
// check works offline, as NIST SP 800-63B asks ("passwords obtained from
// previous breach corpuses", "commonly-used passwords").
//
//go:embed commonpasswords.txt
var commonPasswordsText string

// commonPasswords is built on first use: most processes never set a
// password, and the set costs a few MiB.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	lines := strings.Split(commonPasswordsText, "\n")
	set := make(map[string]struct{}, len(lines))
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			set[l] = struct{}{}
		}
	}
	return set
})

// IsCommonPassword reports whether pw is on the list of common passwords,
// ignoring case and surrounding spaces (so "Password123 " counts as
// "password123"), or is one character repeated: guessing attacks try these
// first.
func IsCommonPassword(pw string) bool {
	// Compatibility forms (fullwidth "ｐａｓｓｗｏｒｄ") and invisible
	// characters ("password\u200b") do not make a common password safer.
	p := strings.ToLower(strings.TrimSpace(strings.Map(dropInvisible, norm.NFKC.String(pw))))
	if p == "" {
		return false
	}
	if _, ok := commonPasswords()[p]; ok {
		return true
	}
	if _, ok := publishedPasswords[p]; ok {
		return true
	}
	first, _ := utf8.DecodeRuneInString(p)
	return strings.Trim(p, string(first)) == ""
}

// ValidatePassword is the rule for every password a person sets (accepting
// an invitation, create-staff, any later change): 10 to 128 characters, not
// only spaces, not a common password. Other characters are all allowed —
// spaces and any Unicode included — and the password is stored as given,
// never trimmed. It reports at most one problem, at path.
func ValidatePassword(v *Validation, path, pw string) {
	switch n := utf8.RuneCountInString(pw); {
	case strings.TrimFunc(pw, func(r rune) bool { return unicode.IsSpace(r) || IsInvisible(r) }) == "" && n > 0:
		v.AddCode(path, FieldPasswordBlank, "a password cannot be only spaces")
	case n < MinPasswordLength:
		v.AddCode(path, FieldPasswordTooShort, "use at least %d characters", MinPasswordLength)
	case n > MaxPasswordLength:
		v.AddCode(path, FieldPasswordTooLong, "use at most %d characters", MaxPasswordLength)
	case IsCommonPassword(pw):
		v.AddCode(path, FieldPasswordCommon, "this password is too common: choose one that is harder to guess")
	}
}

// publishedPasswords are passwords printed in this project's own README and
// output (the demo sign-ins) or obvious from its name: public, so never a
// password.
var publishedPasswords = map[string]struct{}{
	"staff-demo-password": {}, "admin-demo-password": {},
	"contactgate": {}, "contactgate1": {}, "contactgate123": {}, "contactgate2026": {},
}

// dropInvisible removes invisible characters (see IsInvisible).
func dropInvisible(r rune) rune {
	if IsInvisible(r) {
		return -1
	}
	return r
}
