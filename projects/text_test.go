package projects

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestCheckNameRefusesControlCharacters(t *testing.T) {
	refused := map[string]string{
		"ab\x1bc":   "the title holds a control character (ESC, at position 3); a title is plain text on one line",
		"\a":        "the title holds a control character (BEL, at position 1); a title is plain text on one line",
		"Rødt\x7f":  "the title holds a control character (DEL, at position 5); a title is plain text on one line",
		"x\u0085y":  "the title holds a control character (U+0085, at position 2); a title is plain text on one line",
		"a\x00":     "the title holds a control character (NUL, at position 2); a title is plain text on one line",
		"a\tb":      "the title holds a control character (TAB, at position 2); a title is plain text on one line",
		"a\nb":      "the title holds a control character (LF (a line break), at position 2); a title is plain text on one line",
		"æ\xff\xfe": "the title is not valid UTF-8 text (byte 0xFF at byte 3); a title is plain text on one line",
	}
	for in, want := range refused {
		err := CheckName(FieldTitle, in)
		var te *TextError
		if !errors.As(err, &te) {
			t.Errorf("CheckName(%q) = %v, want a *TextError", in, err)
			continue
		}
		if err.Error() != want {
			t.Errorf("CheckName(%q):\n got %s\nwant %s", in, err, want)
		}
	}
	// Every C0 and C1 character and DEL, for every one-line field.
	for _, f := range []string{FieldTitle, FieldTrack, FieldLane, FieldMarker, FieldPerformer, FieldAlbum} {
		for r := rune(0); r <= 0x9f; r++ {
			if (r < 0x20 || r >= 0x7f) != (CheckName(f, "a"+string(r)) != nil) {
				t.Errorf("CheckName(%s, U+%04X) = %v", f, r, CheckName(f, "a"+string(r)))
			}
		}
	}
	for _, ok := range []string{"", "Morgenlys", "Blåbærsang – vers 2", "AC\\DC", "🎵 שלום 日本", "Ünïcödé\u00a0nbsp", "x\u202ey"} {
		if err := CheckName(FieldTrack, ok); err != nil {
			t.Errorf("CheckName(%q) = %v, want nil", ok, err)
		}
	}
	if err := CheckName(FieldMarker, "V\x1b"); err == nil || !strings.HasPrefix(err.Error(), "the marker name holds") {
		t.Errorf("marker: %v", err)
	}
}

func TestCheckLyricsAllowsLineBreaksAndTabs(t *testing.T) {
	for _, ok := range []string{"", "Vers 1\n\tNår morgenen kommer\n", "Windows\r\nlinjer\r\n", "\t\t\n\n"} {
		if err := CheckLyrics(ok); err != nil {
			t.Errorf("CheckLyrics(%q) = %v", ok, err)
		}
	}
	refused := map[string]string{
		"a\nb\x1b[2J":  "the lyrics hold a control character (ESC, at position 4); lyrics are plain text: line breaks and tabs are fine, other control characters are not",
		"a\rb":         "the lyrics hold a control character (CR, at position 2); lyrics are plain text: line breaks and tabs are fine, other control characters are not",
		"end\r":        "the lyrics hold a control character (CR, at position 4); lyrics are plain text: line breaks and tabs are fine, other control characters are not",
		"bell\a":       "the lyrics hold a control character (BEL, at position 5); lyrics are plain text: line breaks and tabs are fine, other control characters are not",
		"\u009b31m":    "the lyrics hold a control character (U+009B, at position 1); lyrics are plain text: line breaks and tabs are fine, other control characters are not",
		"a\f":          "the lyrics hold a control character (FF, at position 2); lyrics are plain text: line breaks and tabs are fine, other control characters are not",
		"ok\n\xc3(bad": "the lyrics are not valid UTF-8 text (byte 0xC3 at byte 4); lyrics are plain text: line breaks and tabs are fine, other control characters are not",
	}
	for in, want := range refused {
		err := CheckLyrics(in)
		if err == nil || err.Error() != want {
			t.Errorf("CheckLyrics(%q):\n got %v\nwant %s", in, err, want)
		}
	}
}

func TestShownEscapesControlCharacters(t *testing.T) {
	cases := map[string]string{
		"Morgenlys":              "Morgenlys",
		"Blåbær – 🎵 日本":          "Blåbær – 🎵 日本",
		"AC\\DC":                 "AC\\DC",
		"\x1b[31mRødt\x07":       `\x1b[31mRødt\a`,
		"a\tb\nc\rd\x00\x7f":     `a\tb\nc\rd\x00\x7f`,
		"c1\u0085\u009b":         `c1\u0085\u009b`,
		"abc\u202Egnp.exe":       `abc\u202egnp.exe`,
		"\u2066iso\u2069":        `\u2066iso\u2069`,
		"bad\xff\xfe":            `bad\xff\xfe`,
		"line\u2028sep\u2029par": `line\u2028sep\u2029par`,
	}
	for in, want := range cases {
		if got := Shown(in); got != want {
			t.Errorf("Shown(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPlainName(t *testing.T) {
	for in, want := range map[string]string{"Bass\x1b[1m": "Bass [1m", " Vokal\t2 ": "Vokal 2", "a\xffb": "a\ufffdb", "Kor": "Kor"} {
		if got := PlainName(in); got != want {
			t.Errorf("PlainName(%q) = %q, want %q", in, got, want)
		}
	}
}

// handSong is a song.json as another program (or machine) might write it.
func handSong(title, track, marker, lyrics string) string {
	return `{"schema": 1, "title": "` + title + `", "rate": 48000, "tempo": 100,
"time_signature": {"beats": 4, "unit": 4},
"tracks": [{"name": "` + track + `", "kind": "audio", "channels": 1, "gain_db": 0, "pan": 0, "mute": false, "solo": false, "clips": []}],
"markers": [{"name": "` + marker + `", "position": 0}],
"lyrics": "` + lyrics + `", "master": {"gain_db": 0}}
`
}

// A song file that already holds control characters opens, unchanged: the
// refusal is on input, and nobody is locked out of their song.
func TestLoadKeepsControlCharactersFromFile(t *testing.T) {
	dir := t.TempDir()
	data := handSong(`Red\u001b[31m\u0007`, `Bass\u001b]0;pwned\u0007`, `Vers\u0085`, `a\u001bb`)
	if err := os.WriteFile(filepath.Join(dir, SongFile), []byte(data), FilePerm); err != nil {
		t.Fatal(err)
	}
	s, rec, err := Load(dir)
	if err != nil || rec != nil {
		t.Fatalf("Load: %v, %v", rec, err)
	}
	if s.Title != "Red\x1b[31m\a" || s.Tracks[0].Name != "Bass\x1b]0;pwned\a" || s.Markers[0].Name != "Vers\u0085" || s.Lyrics != "a\x1bb" {
		t.Fatalf("read %q %q %q %q", s.Title, s.Tracks[0].Name, s.Markers[0].Name, s.Lyrics)
	}
	// It can be saved again as it is (a change elsewhere in the song).
	s.Tempo = 90
	if err := Save(dir, s); err != nil {
		t.Fatal(err)
	}
	if s2, _, err := Load(dir); err != nil || s2.Title != s.Title || s2.Tempo != 90 {
		t.Fatalf("after save: %v %v", s2, err)
	}
}

// The bytes FF FE in a title: refused on the raw bytes, naming the byte and
// the line, and treated as damage (an earlier generation opens if there is
// one).
func TestLoadRefusesInvalidUTF8(t *testing.T) {
	bad := strings.Replace(handSong("Morgenlys", "Vokal", "Vers", ""), "Morgenlys", "Morgen\xff\xfelys", 1)
	off := strings.Index(bad, "\xff")
	wantMsg := "byte " + strconv.Itoa(off+1) + " (line 1) is not valid UTF-8 text; the file is damaged or was written by another program"

	if _, err := Decode([]byte(bad)); err == nil || err.Error() != wantMsg {
		t.Fatalf("Decode: %v, want %s", err, wantMsg)
	}

	t.Run("no earlier copy", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, SongFile)
		if err := os.WriteFile(path, []byte(bad), FilePerm); err != nil {
			t.Fatal(err)
		}
		_, _, err := Load(dir)
		want := "song: " + path + ": " + wantMsg + ", and no earlier copy could be opened"
		if err == nil || err.Error() != want {
			t.Fatalf("Load:\n got %v\nwant %s", err, want)
		}
		// The file is untouched: nothing is "repaired" silently.
		if got, _ := os.ReadFile(path); string(got) != bad {
			t.Fatal("the damaged song.json was changed")
		}
	})

	t.Run("earlier copy", func(t *testing.T) {
		dir := t.TempDir()
		s := New("v1", 48000)
		if err := Create(dir, s); err != nil {
			t.Fatal(err)
		}
		s.Title = "v2"
		if err := Save(dir, s); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, SongFile), []byte(bad), FilePerm); err != nil {
			t.Fatal(err)
		}
		got, rec, err := Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != "v1" || rec == nil || rec.From != "song.json.1" || rec.Reason != wantMsg {
			t.Fatalf("got %q from %+v", got.Title, rec)
		}
		// The next save keeps the damaged file aside, byte for byte.
		if err := Save(dir, got); err != nil {
			t.Fatal(err)
		}
		aside, _ := filepath.Glob(filepath.Join(dir, "song.json.damaged-*"))
		if len(aside) != 1 {
			t.Fatalf("damaged file not kept aside: %v", aside)
		}
		if kept, _ := os.ReadFile(aside[0]); string(kept) != bad {
			t.Fatal("the damaged file kept aside differs from what was there")
		}
	})
}

// Lines are counted to the bad byte.
func TestCheckUTF8Line(t *testing.T) {
	err := CheckUTF8([]byte("{\n\"a\": 1,\n\"b\": \"\xc0\"}"))
	var ue *UTF8Error
	if !errors.As(err, &ue) || ue.Offset != 16 || ue.Line != 3 {
		t.Fatalf("%#v", err)
	}
	if err := CheckUTF8([]byte("{\"title\": \"Blåbær \uFFFD\"}")); err != nil {
		t.Fatalf("valid UTF-8 (with an encoded U+FFFD) refused: %v", err)
	}
}
