package models

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// TextRule is the one rule for free text that people type and others read:
// names, emails, subjects, token names, message bodies. Every place that
// accepts such text checks it through a TextRule, so that they agree on
// what is refused:
//
//   - bytes that are not UTF-8 (the database would refuse them with an
//     internal error);
//   - control characters, Unicode category Cc (C0, DEL and C1): a line break
//     in a name ends up in a mail header or a CSV row;
//   - invisible and direction-changing characters, categories Cf, Zl and Zp
//     (U+200B zero-width space, U+202E right-to-left override, U+2028 line
//     separator, soft hyphen, BOM, …) and the other default-ignorable code
//     points (see IsInvisible): "sup\u200bport@example.com" looks exactly
//     like the real address and misroutes mail, and a direction override
//     makes a name read as something else.
//
// Text is trimmed first, so that a trailing newline pasted with an address
// is forgiven.
type TextRule struct {
	// Required refuses empty text with FieldRequired and RequiredMessage.
	Required        bool
	RequiredMessage string
	// MaxRunes refuses longer text (0: no limit) with TooLongCode
	// (FieldTooLong when empty) and TooLongMessage, a format string that
	// receives MaxRunes.
	MaxRunes       int
	TooLongCode    string
	TooLongMessage string
	// Multiline allows line breaks and tabs (a message body); every other
	// character the rule refuses stays refused.
	Multiline bool
}

// Messages of the text rule, in the style of the other field messages.
const (
	msgControlChars   = "remove the control characters (such as tabs or line breaks)"
	msgInvisibleChars = "remove the invisible or direction-changing characters (such as zero-width spaces), which make text look like something else"
	msgInvalidUTF8    = "this text contains bytes that are not valid UTF-8"
	msgRequiredText   = "this field is required"
	msgTooLongText    = "at most %d characters"
)

// Check adds at most one problem for the text to v at path and returns the
// trimmed text and whether it was accepted. Empty text that is not
// required is accepted.
func (r TextRule) Check(v *Validation, path, raw string) (string, bool) {
	s := strings.TrimSpace(raw)
	if !checkText(v, path, s, r.Multiline) {
		return "", false
	}
	if s == "" {
		if r.Required {
			msg := r.RequiredMessage
			if msg == "" {
				msg = msgRequiredText
			}
			v.AddCode(path, FieldRequired, "%s", msg)
			return "", false
		}
		return "", true
	}
	if r.MaxRunes > 0 && utf8.RuneCountInString(s) > r.MaxRunes {
		code, msg := r.TooLongCode, r.TooLongMessage
		if code == "" {
			code = FieldTooLong
		}
		if msg == "" {
			msg = msgTooLongText
		}
		v.AddCode(path, code, msg, r.MaxRunes)
		return "", false
	}
	return s, true
}

// checkText reports the first character problem of s (see TextRule) and
// tells whether there was none.
func checkText(v *Validation, path, s string, multiline bool) bool {
	if !utf8.ValidString(s) {
		v.AddCode(path, FieldInvalidUTF8, msgInvalidUTF8)
		return false
	}
	for _, c := range s {
		switch {
		case multiline && (c == '\n' || c == '\r' || c == '\t'):
		case unicode.Is(unicode.Cc, c):
			v.AddCode(path, FieldControlCharacters, msgControlChars)
			return false
		case IsInvisible(c):
			v.AddCode(path, FieldInvisibleCharacters, msgInvisibleChars)
			return false
		}
	}
	return true
}

// IsInvisible tells whether r is an invisible or direction-changing
// character: Unicode categories Cf (format), Zl (line separator) and Zp
// (paragraph separator), the other default-ignorable code points (Hangul
// fillers, the combining grapheme joiner, Khmer inherent vowels, …),
// variation selectors, and the blank Braille pattern, which renders as a
// space without being one.
func IsInvisible(r rune) bool {
	return r == '\u2800' || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp,
		unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector)
}

// DisplayNameRule is what a person may call themselves.
var DisplayNameRule = TextRule{Required: true, RequiredMessage: "enter your name",
	MaxRunes: 64, TooLongCode: FieldNameTooLong}
