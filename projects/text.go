package projects

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Text in songs
//
// One rule for the text a person types: titles, track, lane and marker
// names, the performer and the album are plain text on one line, and the
// lyrics are plain text on many lines (line breaks and tabs allowed). No
// control character gets in on input: C0 (U+0000–U+001F, in lyrics all but
// tab, line feed and a carriage return before a line feed), DEL (U+007F)
// and C1 (U+0080–U+009F). Invalid UTF-8 never gets in either.
//
// A song file made elsewhere may still hold control characters: it opens
// (Validate refuses only what breaks the file's lines: NUL, CR and LF in
// names), so nobody is locked out of their song, and everything read from
// it is shown through Shown, which escapes what a terminal would obey.

// Names of the text fields, as messages say them.
const (
	FieldTitle     = "title"
	FieldTrack     = "track name"
	FieldLane      = "take lane name"
	FieldMarker    = "marker name"
	FieldPerformer = "performer"
	FieldAlbum     = "album"
	FieldLyrics    = "lyrics"
)

// TextError is a text refused on input: it holds a control character, or
// is not valid UTF-8.
type TextError struct {
	Field string // one of the Field constants (or another plain name)
	// Char is the control character; with Invalid set, the first byte that
	// is not UTF-8.
	Char    rune
	Invalid bool
	Pos     int // 1-based: the character (rune) position; with Invalid, the byte position
}

func (e *TextError) Error() string {
	the := "the " + e.Field
	kind := "a " + e.Field + " is plain text on one line"
	if e.Field == FieldLyrics {
		kind = "lyrics are plain text: line breaks and tabs are fine, other control characters are not"
	}
	is, holds := "is", "holds"
	if e.Field == FieldLyrics {
		is, holds = "are", "hold"
	}
	if e.Invalid {
		return fmt.Sprintf("%s %s not valid UTF-8 text (byte 0x%02X at byte %d); %s", the, is, e.Char, e.Pos, kind)
	}
	return fmt.Sprintf("%s %s a control character (%s, at position %d); %s", the, holds, CharName(e.Char), e.Pos, kind)
}

// IsControl reports whether r is a control character: C0, DEL or C1.
func IsControl(r rune) bool {
	return r < 0x20 || r >= 0x7f && r <= 0x9f
}

// CheckName checks a one-line text a person typed (a title, a track, lane
// or marker name, a performer, an album): valid UTF-8 and no control
// character. field names it in the message (FieldTitle, …).
func CheckName(field, v string) error {
	return checkText(field, v, false)
}

// CheckLyrics checks lyrics a person typed: valid UTF-8, and no control
// character but tabs, line feeds and carriage returns before a line feed.
func CheckLyrics(v string) error {
	return checkText(FieldLyrics, v, true)
}

func checkText(field, v string, lines bool) error {
	n := 0
	for i := 0; i < len(v); {
		r, size := utf8.DecodeRuneInString(v[i:])
		n++
		if r == utf8.RuneError && size == 1 {
			return &TextError{Field: field, Char: rune(v[i]), Invalid: true, Pos: i + 1}
		}
		if IsControl(r) && !(lines && (r == '\n' || r == '\t' || r == '\r' && strings.HasPrefix(v[i+1:], "\n"))) {
			return &TextError{Field: field, Char: r, Pos: n}
		}
		i += size
	}
	return nil
}

var c0Names = [32]string{"NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "TAB", "LF (a line break)", "VT", "FF", "CR",
	"SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US"}

// CharName names a control character: "ESC", "BEL", "DEL", "U+0085".
func CharName(r rune) string {
	switch {
	case r >= 0 && r < 0x20:
		return c0Names[r]
	case r == 0x7f:
		return "DEL"
	}
	return fmt.Sprintf("U+%04X", r)
}

// escaped reports whether Shown escapes r: control characters, the bidi
// embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which
// reorder the text around them on a terminal, and the line and paragraph
// separators (U+2028, U+2029).
func escaped(r rune) bool {
	return IsControl(r) || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x2028 || r == 0x2029
}

// Shown is text read from a song (or album) file as a terminal may show
// it: control characters, bidi overrides and isolates and the line
// separators are written as Go escapes (ESC as \x1b, a line feed as \n,
// U+202E as \u202e), bytes that are not UTF-8 as \xff; everything else,
// æøå and every printable character of any script, is kept as it is. A
// backslash is kept as it is too, so "AC\DC" stays readable: the escapes
// are for the eye and the terminal's safety, not to be parsed back.
func Shown(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case escaped(r):
			b.WriteString(escape(r))
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func needsEscape(s string) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || escaped(r) {
			return true
		}
		i += size
	}
	return false
}

func escape(r rune) string {
	switch r {
	case '\a':
		return `\a`
	case '\b':
		return `\b`
	case '\f':
		return `\f`
	case '\n':
		return `\n`
	case '\r':
		return `\r`
	case '\t':
		return `\t`
	case '\v':
		return `\v`
	}
	if r < 0x80 {
		return fmt.Sprintf(`\x%02x`, r)
	}
	return fmt.Sprintf(`\u%04x`, r)
}

// UTF8Error is a file that is not valid UTF-8 text: Offset is the 0-based
// byte offset of the first bad byte, Line its 1-based line. The message
// counts bytes from 1, as cmp does.
type UTF8Error struct {
	Offset int
	Line   int
}

func (e *UTF8Error) Error() string {
	return fmt.Sprintf("byte %d (line %d) is not valid UTF-8 text; the file is damaged or was written by another program", e.Offset+1, e.Line)
}

// CheckUTF8 checks a whole file's raw bytes before they are decoded (JSON
// decoding would silently turn bad bytes into U+FFFD, and the next save
// would keep the replacement for good).
func CheckUTF8(data []byte) error {
	if utf8.Valid(data) {
		return nil
	}
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			return &UTF8Error{Offset: i, Line: 1 + bytes.Count(data[:i], []byte("\n"))}
		}
		i += size
	}
	return nil
}

// PlainName makes a name from a file or folder name, which nobody typed as
// a title: control characters become spaces (as import does for track
// names) and bytes that are not UTF-8 become U+FFFD; surrounding spaces go.
func PlainName(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if IsControl(r) {
			return ' '
		}
		return r
	}, s))
}
