// Package shown is how the window shows text read from song and album
// files, and how it says that typed text was refused.
//
// Text people type is checked by projects.CheckName and CheckLyrics (no
// control characters). A song file from elsewhere may still hold some: it
// opens, and every label, list and entry that shows its text uses Text (or
// Lines for the lyrics), which draws each control character as a visible
// symbol: the Unicode control pictures (␛ for ESC, ␇ for BEL, ␡ for DEL),
// and \u0085-style escapes for the C1 characters and the bidi overrides
// and isolates, which have no picture.
package shown

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2/lang"

	"sangstudio/projects"
)

// Text is a one-line text from a file as the window shows it: control
// characters (line breaks and tabs too) as visible symbols.
func Text(s string) string { return show(s, false) }

// Lines is a many-line text (the lyrics) as the window shows it: line
// breaks, tabs and a carriage return before a line break stay as they are,
// every other control character becomes a visible symbol.
func Lines(s string) string { return show(s, true) }

func show(s string, lines bool) string {
	var b strings.Builder
	changed := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		keep := lines && (r == '\n' || r == '\t' || r == '\r' && strings.HasPrefix(s[i+1:], "\n"))
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
			changed = true
		case keep:
			b.WriteRune(r)
		case r < 0x20:
			b.WriteRune(0x2400 + r) // ␀ … ␟
			changed = true
		case r == 0x7f:
			b.WriteRune(0x2421) // ␡
			changed = true
		case projects.Shown(string(r)) != string(r):
			b.WriteString(projects.Shown(string(r))) // C1, bidi, separators
			changed = true
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	if !changed {
		return s
	}
	return b.String()
}

// Refusal is the window's message for a text refused on input (a
// *projects.TextError anywhere in err's chain), in the chosen language;
// ok is false for any other error.
func Refusal(err error) (msg string, ok bool) {
	var te *projects.TextError
	if !errors.As(err, &te) {
		return "", false
	}
	if te.Invalid {
		return lang.L("This text has characters Sangstudio cannot read (it is not UTF-8 text). Please type it again."), true
	}
	char := projects.CharName(te.Char)
	switch te.Char {
	case '\n':
		char = lang.L("a line break")
	case '\t':
		char = lang.L("a tab")
	case '\r':
		char = lang.L("a carriage return")
	}
	if te.Field == projects.FieldLyrics {
		return fmt.Sprintf(lang.L("The lyrics can have line breaks and tabs, but not other control characters: there is one (%s) at character %d. It was not added."), char, te.Pos), true
	}
	return fmt.Sprintf(lang.L("This name has an invisible control character (%s) at character %d. Names are plain text on one line: please remove it."), char, te.Pos), true
}

// Validator checks a one-line entry for field (projects.FieldTitle, …) and
// says what is wrong in the chosen language: for an entry's Validator.
func Validator(field string) func(string) error {
	return func(s string) error {
		if msg, ok := Refusal(projects.CheckName(field, s)); ok {
			return errors.New(msg)
		}
		return nil
	}
}
