// Package words holds the small helpers that put numbers and errors into
// the program's sentences: a count with its noun ("3 takes") and the
// reason an error gives without the path it names ("permission denied"),
// and a text made fit for one line of a menu or a list (OneLine).
// Every package that writes messages uses these, so they read the same
// everywhere.
package words

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Plural returns one when n is 1, many otherwise: "take" or "takes".
func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Count returns n with its noun: "1 byte", "0 bytes", "9 bytes".
func Count(n int, one, many string) string {
	return fmt.Sprintf("%d %s", n, Plural(n, one, many))
}

// CountNo is Count with "no" for zero: "no takes", "1 take", "2 takes".
func CountNo(n int, one, many string) string {
	if n == 0 {
		return "no " + many
	}
	return Count(n, one, many)
}

// Reason is what err says without the operation and path of a file
// error: "no such file or directory" rather than "open /x/y: no such file
// or directory".
func Reason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// FileReason is Reason with a missing file said in plain words: "the file
// is missing".
func FileReason(err error) string {
	if errors.Is(err, fs.ErrNotExist) {
		return "the file is missing"
	}
	return Reason(err)
}

// OneLine makes s fit for one line: valid UTF-8 (each run of invalid bytes
// becomes invalid), control characters turned into spaces, trimmed, and at
// most max bytes, cut between characters and trimmed again.
func OneLine(s, invalid string, max int) string {
	s = strings.ToValidUTF8(s, invalid)
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = strings.TrimSpace(s[:cut])
	}
	return s
}
