package cdimage

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Latin1 returns s as CD-TEXT can show it, as a Go string holding only
// runes ≤ 0xFF (ISO-8859-1), and whether anything changed.
//
// The printable Latin-1 characters stay (æøåÆØÅéüß…). Other letters lose
// their diacritics (ł→l, ő→o, š→s, ř→r, ệ→e; ǖ→ü when the letter with
// fewer marks is Latin-1), ligatures and compatibility forms are spelt
// out (œ→oe, ﬁ→fi, ™→TM, full-width Ａ→A), typographic quotes, dashes
// and spaces become ASCII (“”„→", ‘’→', –—→-, …→..., € → EUR),
// Cyrillic and Greek are transliterated (Привет→Privet, Щука→Shchuka,
// Ελλάδα→Ellada), combining marks, zero-width characters and variation
// selectors are dropped, and anything else becomes '?' (an emoji, with
// its modifiers and joined parts, is one '?'; Chinese characters are
// one '?' each). Invalid UTF-8 bytes become '?'. Control characters (line
// breaks, tabs, NUL, C1 controls) become a space, one for a run of them,
// none at the start or end.
func Latin1(s string) (string, bool) {
	out, ctrl, translit := latin1(s)
	return out, ctrl || translit
}

// isControl reports whether r is a control character CD-TEXT cannot hold:
// C0, DEL, C1, and the Unicode line and paragraph separators.
func isControl(r rune) bool {
	return r < 0x20 || (r >= 0x7F && r <= 0x9F) || r == '\u2028' || r == '\u2029' || r == '\u0085'
}

// latin1 is Latin1 reporting the two kinds of change apart: control
// characters replaced (ctrl) and characters outside Latin-1 replaced or
// dropped (translit).
func latin1(s string) (out string, ctrl, translit bool) {
	if isPlainLatin1(s) {
		return s, false, false
	}
	if utf8.ValidString(s) {
		s = norm.NFC.String(s)
	}
	var w latin1Writer
	w.b.Grow(len(s))
	rs := []rune(s)
	for i := range rs {
		w.add(rs, i)
	}
	return w.b.String(), w.ctrl, w.translit
}

// latin1Writer writes latin1's output, rune by rune.
type latin1Writer struct {
	b            strings.Builder
	ctrl         bool // a control character was replaced
	translit     bool // a character outside Latin-1 was replaced or dropped
	pendingSpace bool // control characters seen since the last output
	lastUnknown  bool // the last output was '?' for an unknown character
	joinNext     bool // a ZWJ came after the last unknown character
	lastRI       bool // the previous rune was an unpaired regional indicator
}

// emit writes t, after the space that stands for the control characters
// before it.
func (w *latin1Writer) emit(t string) {
	if t == "" {
		return
	}
	if w.pendingSpace {
		if w.b.Len() > 0 && !strings.HasSuffix(w.b.String(), " ") {
			w.b.WriteByte(' ')
		}
		w.pendingSpace = false
	}
	for _, r := range t {
		w.b.WriteRune(r)
	}
}

// add writes rs[i] as Latin-1 (rs around it decides the case of a
// transliteration).
func (w *latin1Writer) add(rs []rune, i int) {
	r := rs[i]
	if r == utf8.RuneError {
		// Invalid UTF-8 (or U+FFFD itself).
		w.translit = true
		w.emit("?")
		w.lastUnknown, w.joinNext, w.lastRI = true, false, false
		return
	}
	if isControl(r) {
		w.ctrl = true
		if w.b.Len() > 0 {
			w.pendingSpace = true
		}
		return
	}
	if r <= 0xFF {
		w.emit(string(r))
		w.lastUnknown, w.joinNext, w.lastRI = false, false, false
		return
	}
	w.translit = true
	if w.emoji(r) {
		return
	}
	w.lastRI = false
	t, ok := translitRune(r)
	if !ok {
		if t == "" && dropped(r) {
			return
		}
		if w.joinNext {
			w.joinNext = false
			return
		}
		w.emit("?")
		w.lastUnknown = true
		return
	}
	w.emit(matchCase(rs, i, t))
	w.lastUnknown, w.joinNext = false, false
}

// emoji handles the runes that join or modify emoji (r > 0xFF): a ZWJ
// joins the next unknown character to the last, skin tones are dropped,
// and a pair of regional indicators is one flag, one '?'. It reports
// whether r was one of them.
func (w *latin1Writer) emoji(r rune) bool {
	switch {
	case r == '\u200D': // zero-width joiner: joins emoji into one
		w.joinNext = w.lastUnknown
	case r >= 0x1F3FB && r <= 0x1F3FF: // emoji skin tone modifiers
	case r >= 0x1F1E6 && r <= 0x1F1FF: // regional indicators: a pair is one flag
		if w.lastRI {
			w.lastRI = false
			return true
		}
		w.emit("?")
		w.lastUnknown, w.joinNext, w.lastRI = true, false, true
	default:
		return false
	}
	return true
}

// matchCase returns t, the transliteration of rs[i]: multi-letter
// transliterations of capitals are all capitals inside a word in capitals
// (ЩИ → SHCHI, Щи → Shchi).
func matchCase(rs []rune, i int, t string) string {
	if unicode.IsUpper(rs[i]) && utf8.RuneCountInString(t) > 1 {
		if (i+1 < len(rs) && unicode.IsUpper(rs[i+1])) || (i > 0 && unicode.IsUpper(rs[i-1]) && (i+1 >= len(rs) || !unicode.IsLower(rs[i+1]))) {
			return strings.ToUpper(t)
		}
	}
	return t
}

// isPlainLatin1 reports whether s is valid UTF-8 of printable Latin-1
// characters only (the common case, returned unchanged without copying).
func isPlainLatin1(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x80 {
			if c < 0x20 || c == 0x7F {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || r > 0xFF || isControl(r) {
			return false
		}
		i += n
	}
	return true
}

// dropped reports whether r is left out without a trace: combining marks,
// variation selectors, zero-width and other format characters.
func dropped(r rune) bool {
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf)
}

// translitRune maps a rune above 0xFF to Latin-1 text. ok is false when
// there is no mapping (the caller writes '?' or drops it).
func translitRune(r rune) (string, bool) {
	if t, ok := translitTable[r]; ok {
		return t, true
	}
	if unicode.Is(unicode.Zs, r) {
		return " ", true
	}
	if dropped(r) {
		return "", false
	}
	// A letter with diacritics: drop marks from the end until the rest is
	// Latin-1 (ǖ → ü, ř → r), else transliterate the base letter (ά → α → a).
	if d := []rune(norm.NFD.String(string(r))); len(d) > 1 {
		for k := len(d) - 1; k >= 1; k-- {
			if c := norm.NFC.String(string(d[:k])); allLatin1(c) {
				return c, true
			}
		}
		if t, ok := translitTable[d[0]]; ok {
			return t, true
		}
	}
	// Compatibility forms: ligatures, full-width letters, ™, ….
	if k := norm.NFKD.String(string(r)); k != string(r) {
		var b strings.Builder
		for _, c := range k {
			switch {
			case unicode.Is(unicode.Mn, c):
			case c <= 0xFF && !isControl(c):
				b.WriteRune(c)
			default:
				t, ok := translitTable[c]
				if !ok {
					return "", false
				}
				b.WriteString(t)
			}
		}
		if b.Len() > 0 {
			return norm.NFC.String(b.String()), true
		}
	}
	return "", false
}

func allLatin1(s string) bool {
	for _, r := range s {
		if r > 0xFF || isControl(r) {
			return false
		}
	}
	return true
}

// translitTable maps characters outside Latin-1 that neither lose
// diacritics nor decompose: punctuation, a few letters, Cyrillic, Greek.
// Capitals are added from the small letters in init.
var translitTable = map[rune]string{
	// Quotes, dashes, dots and other punctuation.
	'‘': "'", '’': "'", '‚': "'", '‛': "'", '′': "'", '‵': "'", 'ʼ': "'", 'ʻ': "'",
	'“': `"`, '”': `"`, '„': `"`, '‟': `"`, '″': `"`, '‶': `"`, '〃': `"`,
	'‹': "<", '›': ">",
	'‐': "-", '‑': "-", '‒': "-", '–': "-", '—': "-", '―': "-", '−': "-", '⁃': "-",
	'…': "...", '•': "*", '‣': "*", '∙': "·", '⁄': "/", '∕': "/",
	'€': "EUR", '™': "TM", '№': "No", '←': "<-", '→': "->", '↔': "<->", '≤': "<=", '≥': ">=", '≠': "!=", '≈': "~",
	// Letters without a decomposition.
	'œ': "oe", 'ł': "l", 'đ': "d", 'ħ': "h", 'ı': "i", 'ĸ': "k", 'ŀ': "l", 'ŉ': "'n",
	'ŋ': "n", 'ŧ': "t", 'ſ': "s", 'ƒ': "f", 'ə': "e", 'ɛ': "e", 'ɔ': "o", 'ʃ': "sh", 'ʒ': "zh",
	'ẞ': "SS", 'ĳ': "ij", 'ȷ': "j", 'ɨ': "i", 'ʉ': "u", 'ƀ': "b", 'ɍ': "r",
	// Cyrillic (Russian, Ukrainian, Belarusian, Serbian, Macedonian, Bulgarian).
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh",
	'з': "z", 'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o",
	'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts",
	'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu",
	'я': "ya", 'є': "ye", 'і': "i", 'ї': "yi", 'ґ': "g", 'ў': "u", 'ђ': "dj", 'ј': "j",
	'љ': "lj", 'њ': "nj", 'ћ': "c", 'џ': "dz", 'ѓ': "gj", 'ќ': "kj", 'ѕ': "dz",
	// Greek.
	'α': "a", 'β': "v", 'γ': "g", 'δ': "d", 'ε': "e", 'ζ': "z", 'η': "i", 'θ': "th",
	'ι': "i", 'κ': "k", 'λ': "l", 'μ': "m", 'ν': "n", 'ξ': "x", 'ο': "o", 'π': "p",
	'ρ': "r", 'σ': "s", 'ς': "s", 'τ': "t", 'υ': "y", 'φ': "f", 'χ': "ch", 'ψ': "ps",
	'ω': "o",
}

func init() {
	small := make([]rune, 0, len(translitTable))
	for r := range translitTable {
		small = append(small, r)
	}
	for _, r := range small {
		t := translitTable[r]
		u := unicode.ToUpper(r)
		if u == r || u <= 0xFF {
			continue
		}
		if _, ok := translitTable[u]; ok {
			continue
		}
		if t == "" {
			translitTable[u] = ""
			continue
		}
		f, n := utf8.DecodeRuneInString(t)
		translitTable[u] = string(unicode.ToUpper(f)) + t[n:]
	}
}
