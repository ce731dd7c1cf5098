// Package takehome puts a resident's finished song (MP3, WAV, FLAC, lyrics)
// on a USB stick safely, so they can take it home.
//
// Another part of the program renders the files into a local folder; Deliver
// copies them to the stick, reads them back to check them, and flushes the
// stick, so that when it returns without error the files are complete on the
// stick. Drives lists the sticks that can be written to, and SafeName makes
// names that every file system and every player (Windows, macOS, phones, car
// stereos) accepts.
package takehome

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxName is the longest file or folder name, in bytes, that SafeName makes.
// 255 bytes of UTF-8 are at most 255 UTF-16 units, which fits FAT32 and
// exFAT long names, NTFS and ext4.
const MaxName = 255

// SafeName makes s usable as a file or folder name on FAT32, exFAT, NTFS,
// ext4 and HFS+/APFS, and in Windows, macOS, phones and car stereos. The
// rules, in order:
//
//   - invalid UTF-8 bytes become "_";
//   - tab, newline and every other kind of space (no-break space, …) become a
//     plain space; other control characters (U+0000–U+001F, U+007F–U+009F)
//     are removed, and so are the invisible characters that can disguise a
//     name: bidirectional controls (U+200E/F, U+202A–U+202E, U+2066–U+2069,
//     U+061C), zero-width space, word joiner, soft hyphen and byte-order mark;
//   - the characters Windows forbids are replaced without look-alikes:
//     / \ | : become "-", < > ? * become "_", and " becomes ';
//   - decomposed letters (as macOS writes them: "a" + ring above) are
//     composed ("å") for Latin, Greek and Cyrillic letters. This is not a full
//     Unicode NFC (which would need golang.org/x/text): marks in non-canonical
//     order and other scripts are left as they are;
//   - runs of spaces become one space; spaces and dots are removed from both
//     ends (a leading dot would hide the file on macOS and Linux, Windows
//     drops trailing ones, and "." and ".." are not names);
//   - a reserved DOS device name (CON, PRN, AUX, NUL, COM0–COM9, LPT0–LPT9,
//     COM¹²³, LPT¹²³, CONIN$, CONOUT$, in any case, alone or before the first
//     dot as in "con.mp3") gets "_" after it: "CON" → "CON_", "con.mp3" →
//     "con_.mp3". "COM10" is not reserved;
//   - the result is cut to at most maxBytes bytes (maxBytes is taken as 1 if
//     smaller, MaxName if larger) at a character boundary, keeping combining
//     marks with their letter;
//   - letters of every script (æøå, emoji, …) are kept as they are.
//
// If nothing is left, SafeName returns fallback made safe the same way, or
// "_" if even that is empty. SafeName(SafeName(x)) == SafeName(x).
func SafeName(s string, maxBytes int, fallback string) string {
	if maxBytes < 1 {
		maxBytes = 1
	}
	if maxBytes > MaxName {
		maxBytes = MaxName
	}
	if out := safeName(s, maxBytes); out != "" {
		return out
	}
	if out := safeName(fallback, maxBytes); out != "" {
		return out
	}
	return "_"
}

// maxExt bounds the extension SafeFileName keeps.
const maxExt = 32

// SafeFileName returns a safe file name made of base and the extension ext
// (like ".mp3"): base is made safe with SafeName and cut so that the whole
// name fits MaxName bytes; ext is kept (made safe too, and cut to 32 bytes if
// longer). An empty base becomes "Sang". The result is a SafeName.
func SafeFileName(base, ext string) string {
	ext = strings.TrimRight(cleanRunes(ext), ". ")
	ext = cutName(ext, maxExt)
	name := SafeName(base, MaxName-len(ext), "Sang") + ext
	return SafeName(name, MaxName, "Sang")
}

// safeName applies SafeName's rules; "" if nothing is left.
func safeName(s string, max int) string {
	// A title's "Demo: Morgenlys" reads best as "Demo - Morgenlys".
	s = strings.ReplaceAll(s, ": ", " - ")
	s = strings.Trim(cleanRunes(s), ". ")
	for {
		t := fixReserved(strings.TrimRight(s, ". "))
		if len(t) <= max {
			return t
		}
		// Cut s (not t) so that every round makes it strictly shorter.
		s = cutName(s, min(max, len(s)-1))
	}
}

// replacement maps the characters Windows forbids in names.
var replacement = map[rune]rune{
	'/': '-', '\\': '-', '|': '-', ':': '-',
	'<': '_', '>': '_', '?': '_', '*': '_',
	'"': '\'',
}

// invisible reports runes SafeName removes because they are invisible and
// can make one name look like another.
func invisible(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7f && r < 0xa0: // control characters
		return true
	case r == 0xad, r == 0x61c, r == 0x200b, r == 0x200e, r == 0x200f, r == 0x2060, r == 0xfeff:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// cleanRunes replaces invalid, forbidden and space characters, removes
// invisible ones, collapses spaces (dropping them at both ends) and composes
// decomposed letters.
func cleanRunes(s string) string {
	buf := make([]byte, 0, len(s))
	last := -1 // start of the last rune in buf, -1 if none
	space := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r == utf8.RuneError && size == 1 {
			r = '_'
		}
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if invisible(r) {
			continue
		}
		if x, ok := replacement[r]; ok {
			r = x
		}
		if space && len(buf) > 0 {
			buf = append(buf, ' ')
			last = len(buf) - 1
		}
		space = false
		if last >= 0 && unicode.Is(unicode.Mn, r) {
			prev, _ := utf8.DecodeRune(buf[last:])
			if c, ok := compose(prev, r); ok {
				buf = utf8.AppendRune(buf[:last], c)
				continue
			}
		}
		last = len(buf)
		buf = utf8.AppendRune(buf, r)
	}
	return string(buf)
}

var composeMap map[[2]rune]rune

func init() {
	composeMap = make(map[[2]rune]rune, len(compositions))
	for _, c := range compositions {
		composeMap[[2]rune{c[0], c[1]}] = c[2]
	}
}

func compose(base, mark rune) (rune, bool) {
	c, ok := composeMap[[2]rune{base, mark}]
	return c, ok
}

// reserved are the DOS device names Windows does not allow as a file name,
// with or without an extension (upper case).
var reserved = func() map[string]bool {
	m := map[string]bool{"CON": true, "PRN": true, "AUX": true, "NUL": true, "CONIN$": true, "CONOUT$": true}
	for _, d := range []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "¹", "²", "³"} {
		m["COM"+d] = true
		m["LPT"+d] = true
	}
	return m
}()

// isReserved reports whether name is a reserved DOS device name, alone or
// before its first dot (trailing spaces before the dot are ignored, as
// Windows does).
func isReserved(name string) bool {
	return reserved[asciiUpper(reservedWord(name))]
}

func reservedWord(name string) string {
	if i := strings.IndexByte(name, '.'); i >= 0 {
		name = name[:i]
	}
	return strings.TrimRight(name, " ")
}

// asciiUpper upper-cases ASCII letters only (Windows compares device names
// that way; strings.ToUpper would turn "ſ" into "S").
func asciiUpper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// fixReserved appends "_" to a reserved device name: "con.mp3" → "con_.mp3".
func fixReserved(s string) string {
	if !isReserved(s) {
		return s
	}
	w := reservedWord(s)
	return w + "_" + s[len(w):]
}

// extends reports runes that belong to the character before them: combining
// marks, joiners, variation selectors, emoji modifiers and tags.
func extends(r rune) bool {
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc) ||
		r == 0x200c || r == 0x200d ||
		(r >= 0x1f3fb && r <= 0x1f3ff) ||
		(r >= 0xe0020 && r <= 0xe007f)
}

// cutName returns s cut to at most n bytes at a character boundary; a letter
// whose combining marks do not fit is dropped with them, and a joiner is not
// left at the end.
func cutName(s string, n int) string {
	if n < 0 {
		n = 0
	}
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	for i > 0 {
		r, _ := utf8.DecodeRuneInString(s[i:])
		if !extends(r) {
			break
		}
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	for i > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		if r != 0x200d && r != 0x200c {
			break
		}
		i -= size
	}
	return s[:i]
}

// Size returns n bytes in words for people: "950 bytes", "8.4 MB",
// "950 kB", "1.2 GB" (powers of 1000, one decimal below 10).
func Size(n int64) string {
	sign, v := "", float64(n)
	if n < 0 {
		sign, v = "-", -v
	}
	if v < 1000 {
		if v == 1 {
			return sign + "1 byte"
		}
		return fmt.Sprintf("%s%.0f bytes", sign, v)
	}
	units := []string{"kB", "MB", "GB", "TB", "PB", "EB"}
	for i, u := range units {
		v /= 1000
		if v < 9.95 {
			return fmt.Sprintf("%s%.1f %s", sign, v, u)
		}
		if v < 999.5 || i == len(units)-1 {
			return fmt.Sprintf("%s%.0f %s", sign, v, u)
		}
	}
	panic("not reached")
}
