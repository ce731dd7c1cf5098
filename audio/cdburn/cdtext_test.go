package cdburn

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"sangstudio/internal/fuzzcheck"
	"sangstudio/internal/testtool"
)

// A TOC in pieces: keep[i] is kept as it is, and block[i] (a CD_TEXT
// block, nested, with braces and \" in its strings) comes after it.
var (
	tocKeep = []string{
		"// written by sangstudio: a comment with } and CD_TEXT { in it\nCD_DA\n",
		"\nTRACK AUDIO\nNO COPY\n",
		"\nFILE \"a {b} \\\"c\\\" CD_TEXT {.bin\" 0\n\nTRACK AUDIO\n  ",
		"\nPREGAP 00:02:00\nFILE \"b.bin\" 0 // CD_TEXT { not a block\nTRACK AUDIO\n",
		"\nFILE \"c.bin\" 0\n",
	}
	tocBlocks = []string{
		`CD_TEXT {
  LANGUAGE_MAP {
    0 : EN
  }
  LANGUAGE 0 {
    TITLE "Morgenlys {live} \"2025\""
    PERFORMER "Gruppa } {"
    SIZE_INFO { 1, 1, 3, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
  }
}`,
		`CD_TEXT {
  // a closing brace in a comment: }
  LANGUAGE 0 {
    TITLE "Sang \"én\" }"
    MESSAGE "back\slash"
  }
}`,
		`CD_TEXT { LANGUAGE 0 { TITLE "To" } }`,
		"CD_TEXT\n// the brace comes later\n{ LANGUAGE 0 { TITLE \"Tre \\101\" } }",
	}
)

func tocParts() (in, want []byte) {
	var a, b bytes.Buffer
	for i, k := range tocKeep {
		a.WriteString(k)
		b.WriteString(k)
		if i < len(tocBlocks) {
			a.WriteString(tocBlocks[i])
		}
	}
	return a.Bytes(), b.Bytes()
}

func TestWithoutCDText(t *testing.T) {
	in, want := tocParts()
	dir := t.TempDir()
	toc := filepath.Join(dir, "disc.toc")
	if err := os.WriteFile(toc, in, 0o644); err != nil {
		t.Fatal(err)
	}
	path, err := WithoutCDText(toc)
	if err != nil {
		t.Fatal(err)
	}
	if path != filepath.Join(dir, "disc-nocdtext.toc") {
		t.Errorf("path %s", path)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if orig, _ := os.ReadFile(toc); !bytes.Equal(orig, in) {
		t.Error("the original TOC was changed")
	}
	if !hasCDText(toc) || hasCDText(path) {
		t.Error("hasCDText")
	}
	// Nothing else is left in the folder (no temporary file).
	if ents, _ := os.ReadDir(dir); len(ents) != 2 {
		t.Errorf("folder: %v", ents)
	}
	// Again: the same copy, replaced.
	if p2, err := WithoutCDText(toc); err != nil || p2 != path {
		t.Errorf("again: %s %v", p2, err)
	}

	for _, bad := range []string{
		"CD_DA\nCD_TEXT { LANGUAGE 0 { TITLE \"x\" }\nTRACK AUDIO\n", // not closed
		"CD_DA\nCD_TEXT { LANGUAGE 0 { TITLE \"x } }\nTRACK AUDIO\n", // string not closed
		"CD_TEXT { TITLE \"a\\\\\" }",                                // "a\\" is not closed for cdrdao
	} {
		if out, err := stripCDText([]byte(bad)); err == nil {
			t.Errorf("%q: no error, got %q", bad, out)
		}
	}
	for in, want := range map[string]string{
		"CD_TEXTX { }":          "CD_TEXTX { }",
		"MY_CD_TEXT { }":        "MY_CD_TEXT { }",
		"CD_TEXT":               "CD_TEXT",
		"CD_TEXT TRACK":         "CD_TEXT TRACK",
		"a CD_TEXT{}CD_TEXT{}b": "a b",
		"/CD_TEXT{}/":           "/ /",
		"":                      "",
	} {
		if got, err := stripCDText([]byte(in)); err != nil || string(got) != want {
			t.Errorf("%q: got %q %v, want %q", in, got, err, want)
		}
	}
}

// cdrdao itself reads both TOCs, and the copy is as long as the original.
func TestWithoutCDTextReadByCdrdao(t *testing.T) {
	testtool.Require(t, "cdrdao")
	dir := t.TempDir()
	for _, f := range []string{"a {b} \"c\" CD_TEXT {.bin", "b.bin", "c.bin"} {
		// 6 seconds of silence, raw 16-bit stereo.
		if err := os.WriteFile(filepath.Join(dir, f), make([]byte, 6*44100*4), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	in, _ := tocParts()
	toc := filepath.Join(dir, "disc.toc")
	if err := os.WriteFile(toc, in, 0o644); err != nil {
		t.Fatal(err)
	}
	plain, err := WithoutCDText(toc)
	if err != nil {
		t.Fatal(err)
	}
	size := func(path string) string {
		// cdrdao 1.2.4 opens the audio files from its working folder.
		cmd := exec.Command("cdrdao", "toc-size", path)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil || strings.Contains(string(out), "ERROR") {
			t.Fatalf("cdrdao toc-size %s: %v\n%s", path, err, out)
		}
		f := strings.Fields(string(out))
		return f[len(f)-1]
	}
	if a, b := size(toc), size(plain); a != b || a != "1500" {
		t.Errorf("toc-size: %s with CD-TEXT, %s without (want 1500)", a, b)
	}
}

func FuzzWithoutCDText(f *testing.F) {
	in, _ := tocParts()
	f.Add(in)
	f.Add([]byte("CD_TEXT { \"}\" }"))
	f.Add([]byte("CD_TEXT // {\n{ \"\\\"\" { } }"))
	f.Add([]byte("/CD_TEXT{}/CD_TEXT{}/"))
	f.Add([]byte("\"CD_TEXT {\" CD_TEXT {"))
	f.Fuzz(func(t *testing.T, in []byte) {
		var out []byte
		var err error
		fuzzcheck.Call(t, len(in), fuzzcheck.Limit{Base: 64 << 10, PerByte: 64}, func() { out, err = stripCDText(in) })
		if len(out) > len(in) {
			t.Fatalf("longer: %q → %q", in, out)
		}
		if err != nil {
			return
		}
		again, err := stripCDText(out)
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("not idempotent: %q → %q → %q (%v)", in, out, again, err)
		}
	})
}
