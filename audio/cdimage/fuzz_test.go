package cdimage

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"sangstudio/internal/fuzzcheck"
)

// fuzzSeeds are titles and performers that have broken sheet writers.
var fuzzSeeds = [][4]string{
	{"Blåbær", "Søren", "Morgenlys", "Kari"},
	{`"`, `\`, `\"`, `"\`},
	{`a\123b`, `\\`, `ends in \`, `"quoted"`},
	{"line\nbreak", "cr\rlf\r\n", "tab\there", "nul\x00here"},
	{"bad \xff\xfe utf8", "\xc3", "\x80\x9f", "\u0085\u2028"},
	{"Привет", "王菲", "😀👍🏽", "Ελλάδα"},
	{"", "", "", ""},
	{"", "", "x", ""},
	{strings.Repeat("æ", 170), strings.Repeat(`"`, 200), strings.Repeat("щ", 50), strings.Repeat(`\`, 161)},
	{"// not a comment", "} CD_TEXT {", "TRACK AUDIO", "FILE \"x\" 0"},
}

// fuzzDisc is a 2-track disc carrying the fuzzed text, laid out.
func fuzzDisc(dt, dp, tt, tp string) *Layout {
	d := Disc{Title: dt, Performer: dp, Tracks: []Track{
		{Title: tt, Performer: tp},
		{Title: tp, Performer: tt, Gap: Rate},
	}}
	return plan(d, []int64{5 * Rate, 5*Rate + 1})
}

// want is what CD-TEXT must say for s.
func want(s string) string {
	out, _, _, _ := cdText(s)
	return out
}

func checkBytes(t *testing.T, name string, b []byte, allowCR bool) {
	for i, c := range b {
		if (c < 0x20 && c != '\n' && !(allowCR && c == '\r')) || (c >= 0x7F && c <= 0x9F) {
			t.Fatalf("%s: byte %#x at %d:\n%q", name, c, i, b)
		}
	}
}

var cueLine = []*regexp.Regexp{
	regexp.MustCompile(`^(PERFORMER|TITLE) "([^"]*)"$`),
	regexp.MustCompile(`^FILE "disc\.bin" BINARY$`),
	regexp.MustCompile(`^  TRACK 0[12] AUDIO$`),
	regexp.MustCompile(`^    (TITLE|PERFORMER) "([^"]*)"$`),
	regexp.MustCompile(`^    INDEX 0[01] \d\d:[0-5]\d:[0-7]\d$`),
}

func FuzzCue(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s[0], s[1], s[2], s[3])
	}
	f.Fuzz(func(t *testing.T, dt, dp, tt, tp string) {
		l := fuzzDisc(dt, dp, tt, tp)
		var cue []byte
		fuzzcheck.Call(t, len(dt)+len(dp)+len(tt)+len(tp), fuzzcheck.Limit{Base: 256 << 10, PerByte: 256}, func() { cue = cueSheet(l) })
		checkBytes(t, "disc.cue", cue, true)
		if !bytes.HasSuffix(cue, []byte("\r\n")) {
			t.Fatalf("disc.cue does not end in CRLF:\n%q", cue)
		}
		// The strings in the order they must appear (empty ones left out).
		type kv struct{ k, v string }
		var exp []kv
		add := func(k, s string) {
			if s = want(s); s != "" {
				exp = append(exp, kv{k, strings.ReplaceAll(s, `"`, "'")})
			}
		}
		add("PERFORMER", dp)
		add("TITLE", dt)
		add("TITLE", tt)
		add("PERFORMER", tp)
		add("TITLE", tp)
		add("PERFORMER", tt)
		var got []kv
		for _, line := range strings.Split(strings.TrimSuffix(string(cue), "\r\n"), "\r\n") {
			if strings.ContainsAny(line, "\r\n") {
				t.Fatalf("bare CR or LF in %q", line)
			}
			ok := false
			for _, re := range cueLine {
				if m := re.FindStringSubmatch(line); m != nil {
					ok = true
					if len(m) == 3 {
						got = append(got, kv{m[1], fromLatin1(m[2])})
					}
					break
				}
			}
			if !ok {
				t.Fatalf("malformed CUE line %q in\n%q", line, cue)
			}
		}
		if len(got) != len(exp) {
			t.Fatalf("CUE strings %q, want %q", got, exp)
		}
		for i := range got {
			if got[i] != exp[i] {
				t.Fatalf("CUE string %d = %q, want %q", i, got[i], exp[i])
			}
		}
	})
}

var tocLine = []*regexp.Regexp{
	regexp.MustCompile(`^$`),
	regexp.MustCompile(`^// [ -~]*$`),
	regexp.MustCompile(`^CD_DA$`),
	regexp.MustCompile(`^CD_TEXT \{$`),
	regexp.MustCompile(`^  LANGUAGE_MAP \{$`),
	regexp.MustCompile(`^    0 : EN$`),
	regexp.MustCompile(`^ *\}$`),
	regexp.MustCompile(`^  LANGUAGE 0 \{$`),
	regexp.MustCompile(`^    (TITLE|PERFORMER) ("(?:\\"|\\[0-7]{3}|[^"\\])*")$`),
	regexp.MustCompile(`^TRACK AUDIO$`),
	regexp.MustCompile(`^FILE "disc\.bin" SWAP \d+ \d+$`),
	regexp.MustCompile(`^START \d\d:[0-5]\d:[0-7]\d$`),
}

// parseTocString decodes a quoted cdrdao TOC string the way cdrdao 1.2.4's
// lexer does: \" is a quote, \ and three octal digits is that byte, any
// other backslash stands for itself. It returns the Latin-1 bytes as runes.
func parseTocString(t *testing.T, q string) string {
	if len(q) < 2 || q[0] != '"' || q[len(q)-1] != '"' {
		t.Fatalf("not a quoted string: %q", q)
	}
	s := q[1 : len(q)-1]
	var out []rune
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && s[i+1] == '"':
			out = append(out, '"')
			i++
		case c == '\\' && i+3 < len(s) && isOctal(s[i+1]) && isOctal(s[i+2]) && isOctal(s[i+3]):
			v := (s[i+1]-'0')*64 + (s[i+2]-'0')*8 + (s[i+3] - '0')
			out = append(out, rune(v))
			i += 3
		case c == '"':
			t.Fatalf("unescaped quote in %q", q)
		default:
			out = append(out, rune(c))
		}
	}
	return string(out)
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }

func FuzzToc(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s[0], s[1], s[2], s[3])
	}
	f.Fuzz(func(t *testing.T, dt, dp, tt, tp string) {
		l := fuzzDisc(dt, dp, tt, tp)
		var toc []byte
		fuzzcheck.Call(t, len(dt)+len(dp)+len(tt)+len(tp), fuzzcheck.Limit{Base: 256 << 10, PerByte: 256}, func() { toc = tocFile(l) })
		for i, c := range toc {
			if c > 0x7E || (c < 0x20 && c != '\n') {
				t.Fatalf("disc.toc: byte %#x at %d", c, i)
			}
		}
		useT := want(dt) != "" || want(tt) != "" || want(tp) != ""
		useP := want(dp) != "" || want(tp) != "" || want(tt) != ""
		var exp []string
		block := func(title, perf string) {
			if useT {
				exp = append(exp, "TITLE="+want(title))
			}
			if useP {
				exp = append(exp, "PERFORMER="+want(perf))
			}
		}
		block(dt, dp)
		block(tt, tp)
		block(tp, tt)
		var got []string
		depth := 0
		for _, line := range strings.Split(string(toc), "\n") {
			ok := false
			for _, re := range tocLine {
				if m := re.FindStringSubmatch(line); m != nil {
					ok = true
					if len(m) == 3 {
						got = append(got, m[1]+"="+parseTocString(t, m[2]))
						line = ""
					}
					break
				}
			}
			if !ok {
				t.Fatalf("malformed TOC line %q in\n%s", line, toc)
			}
			depth += strings.Count(line, "{") - strings.Count(line, "}")
			if depth < 0 {
				t.Fatalf("unbalanced braces:\n%s", toc)
			}
		}
		if depth != 0 {
			t.Fatalf("unbalanced braces:\n%s", toc)
		}
		if strings.Join(got, "\n") != strings.Join(exp, "\n") {
			t.Fatalf("TOC strings\n%q\nwant\n%q", got, exp)
		}
		// And what CD-TEXT says is Latin1 of the input, cut to 160.
		for _, s := range []string{dt, dp, tt, tp} {
			l1, _ := Latin1(s)
			w := want(s)
			if !strings.HasPrefix(l1, w) || latin1Len(w) > MaxTextLen {
				t.Fatalf("CD-TEXT %q is not Latin1(%q) = %q cut to %d", w, s, l1, MaxTextLen)
			}
		}
	})
}
