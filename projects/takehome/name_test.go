package takehome

import (
	"strings"
	"testing"
	"unicode/utf8"

	"sangstudio/internal/fuzzcheck"
)

func TestSafeName(t *testing.T) {
	long := strings.Repeat("ø", 150) // 300 bytes of 2-byte letters
	tests := []struct {
		name, in string
		max      int
		want     string
	}{
		{"plain", "Min sang", 255, "Min sang"},
		{"less than", "a<b", 255, "a_b"},
		{"greater than", "a>b", 255, "a_b"},
		{"colon", "Sang: del 2", 255, "Sang - del 2"},
		{"colon without space", "kl.12:30", 255, "kl.12-30"},
		{"double quote", `Han sa "hei"`, 255, "Han sa 'hei'"},
		{"slash", "AC/DC", 255, "AC-DC"},
		{"backslash", `a\b`, 255, "a-b"},
		{"pipe", "a|b", 255, "a-b"},
		{"question mark", "Hvorfor?", 255, "Hvorfor_"},
		{"asterisk", "a*b", 255, "a_b"},
		{"all forbidden", `<>:"/\|?*`, 255, `__-'---__`},
		{"path traversal", "../../etc/passwd", 255, "-..-etc-passwd"},
		{"NUL byte", "a\x00b", 255, "ab"},
		{"control chars", "a\x01\x1f\x7fb", 255, "ab"},
		{"C1 control", "a\u0085b\u0090c", 255, "a bc"},
		{"tab and newline in the middle", "Første\tvers\nog\r\nrefreng", 255, "Første vers og refreng"},
		{"no-break space", "a\u00a0\u00a0b", 255, "a b"},
		{"trailing dot", "Sang.", 255, "Sang"},
		{"trailing dots and spaces", "Sang . . ", 255, "Sang"},
		{"leading spaces", "   Sang", 255, "Sang"},
		{"leading dot (hidden file)", ".Sang", 255, "Sang"},
		{"runs of spaces", "a    b  c", 255, "a b c"},
		{"CON", "CON", 255, "CON_"},
		{"con.mp3", "con.mp3", 255, "con_.mp3"},
		{"Lpt9", "Lpt9", 255, "Lpt9_"},
		{"nul.tar.gz", "nul.tar.gz", 255, "nul_.tar.gz"},
		{"aux with space before dot", "aux .txt", 255, "aux_ .txt"},
		{"COM superscript", "COM¹", 255, "COM¹_"},
		{"COM10 allowed", "COM10", 255, "COM10"},
		{"CONSOLE allowed", "console.mp3", 255, "console.mp3"},
		{"æøå kept", "Blåbærsyltetøy ÆØÅ", 255, "Blåbærsyltetøy ÆØÅ"},
		{"emoji kept", "Sang 🎵😀", 255, "Sang 🎵😀"},
		{"emoji ZWJ sequence kept", "👨‍👩‍👧", 255, "👨‍👩‍👧"},
		{"other scripts kept", "Пісня كلمات 歌", 255, "Пісня كلمات 歌"},
		{"invalid UTF-8", "a\xffb\xc3", 255, "a_b_"},
		{"decomposed å composed", "Bla\u030abær", 255, "Blåbær"},
		{"decomposed Vietnamese", "a\u0302\u0301", 255, "ấ"},
		{"bidi override removed", "evil\u202egpj.mp3", 255, "evilgpj.mp3"},
		{"BOM removed", "\ufeffSang", 255, "Sang"},
		{"empty", "", 255, "Sang"},
		{"only dots", "...", 255, "Sang"},
		{"only spaces and controls", " \t\x00 ", 255, "Sang"},
		{"dot dot", "..", 255, "Sang"},
		{"cut at boundary", long, 255, strings.Repeat("ø", 127)},
		{"cut small", "Blåbær", 3, "Bl"},
		{"cut then trailing space", "ab cd", 3, "ab"},
		{"cut after composing", "abe\u0301", 4, "abé"},
		{"cut reserved", "CON", 3, "CO"},
		{"max below 1", "abc", 0, "a"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := SafeName(tc.in, tc.max, "Sang")
			if got != tc.want {
				t.Errorf("SafeName(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
			}
			checkSafe(t, tc.in, tc.max, got)
		})
	}
}

func TestSafeNameCutsUncomposableMarks(t *testing.T) {
	// "q" + combining ring has no precomposed form: the mark stays, and a
	// cut between them drops both.
	in := "abq\u030a"
	if got := SafeName(in, 255, "x"); got != in {
		t.Errorf("got %q", got)
	}
	if got := SafeName(in, 4, "x"); got != "ab" {
		t.Errorf("cut: got %q, want %q", got, "ab")
	}
}

func TestSafeNameFallback(t *testing.T) {
	if got := SafeName("", 255, "?"); got != "_" {
		t.Errorf("unsafe fallback: %q", got)
	}
	if got := SafeName("", 255, ""); got != "_" {
		t.Errorf("empty fallback: %q", got)
	}
	if got := SafeName("...", 2, "Sang"); got != "Sa" {
		t.Errorf("long fallback: %q", got)
	}
}

func TestSafeFileName(t *testing.T) {
	tests := []struct{ base, ext, want string }{
		{"Min sang", ".mp3", "Min sang.mp3"},
		{"", ".mp3", "Sang.mp3"},
		{"con", ".mp3", "con_.mp3"},
		{"Sang.", ".wav", "Sang.wav"},
		{"a/b", ".txt", "a-b.txt"},
		{"x", ".", "x"},
		{"x", "", "x"},
		{"x", "./..", "x.-"},
	}
	for _, tc := range tests {
		if got := SafeFileName(tc.base, tc.ext); got != tc.want {
			t.Errorf("SafeFileName(%q, %q) = %q, want %q", tc.base, tc.ext, got, tc.want)
		}
	}
	long := SafeFileName(strings.Repeat("å", 200), ".flac")
	if len(long) > MaxName || !strings.HasSuffix(long, ".flac") || !utf8.ValidString(long) {
		t.Errorf("long name: %d bytes, %q", len(long), long)
	}
	if SafeName(long, MaxName, "") != long {
		t.Errorf("SafeFileName result is not a SafeName: %q", long)
	}
}

func TestSize(t *testing.T) {
	tests := map[int64]string{
		0: "0 bytes", 1: "1 byte", 999: "999 bytes", 1000: "1.0 kB", 950_000: "950 kB",
		8_400_000: "8.4 MB", 9_960: "10 kB", 999_600: "1.0 MB", 1_200_000_000: "1.2 GB",
		123_456_789: "123 MB", -2048: "-2.0 kB",
	}
	for n, want := range tests {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}

// checkSafe checks the promises of SafeName independently of its code.
func checkSafe(t *testing.T, in string, max int, got string) {
	t.Helper()
	if max < 1 {
		max = 1
	}
	if max > MaxName {
		max = MaxName
	}
	if got == "" {
		t.Fatalf("SafeName(%q) is empty", in)
	}
	if !utf8.ValidString(got) {
		t.Fatalf("SafeName(%q) = %q: not valid UTF-8", in, got)
	}
	if len(got) > max {
		t.Fatalf("SafeName(%q, %d) = %q: %d bytes", in, max, got, len(got))
	}
	for i := 0; i < len(got); i++ {
		if c := got[i]; c < 0x20 || c == 0x7f || strings.IndexByte(`<>:"/\|?*`, c) >= 0 {
			t.Fatalf("SafeName(%q) = %q: contains byte %#x", in, got, c)
		}
	}
	if strings.HasSuffix(got, ".") || strings.HasSuffix(got, " ") || strings.HasPrefix(got, " ") || strings.HasPrefix(got, ".") {
		t.Fatalf("SafeName(%q) = %q: dot or space at an end", in, got)
	}
	base, _, _ := strings.Cut(got, ".")
	base = strings.ToUpper(strings.TrimRight(base, " "))
	for _, r := range []string{"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} {
		if base == r {
			t.Fatalf("SafeName(%q) = %q: reserved name", in, got)
		}
	}
	if len(base) == 4 && (strings.HasPrefix(base, "COM") || strings.HasPrefix(base, "LPT")) && base[3] >= '0' && base[3] <= '9' {
		t.Fatalf("SafeName(%q) = %q: reserved name", in, got)
	}
	if again := SafeName(got, max, "Sang"); again != got {
		t.Fatalf("SafeName is not idempotent: %q → %q → %q", in, got, again)
	}
}

func FuzzSafeName(f *testing.F) {
	for _, s := range []string{"", "CON", "con.mp3", "a<b>c", "Bla\u030abær", "...", " x ", "\xff\xfe", "COM¹.txt",
		strings.Repeat("ø", 150), "a\u0302\u0301", "👨‍👩‍👧", "e\u0301\u0301", "aux .txt", "a\t\nb", ". .CON"} {
		f.Add(s, 255)
		f.Add(s, 3)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		max = max%300 + 1 // 1…300 or negative
		var got string
		fuzzcheck.Call(t, len(s), fuzzcheck.Limit{Base: 64 << 10, PerByte: 64}, func() { got = SafeName(s, max, "Sang") })
		checkSafe(t, s, max, got)
	})
}
