package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"sangstudio/projects"
	"sangstudio/projects/album"
)

// sangExit runs the real binary and returns its exit status, standard
// output and standard error (so that what reaches a terminal is checked
// byte for byte).
func sangExit(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0, out.String(), errb.String()
	case errors.As(err, &ee):
		return ee.ExitCode(), out.String(), errb.String()
	}
	t.Fatalf("sangstudio %s: %v", strings.Join(args, " "), err)
	return 0, "", ""
}

// Every command-line way to type a title, name, performer or album refuses
// control characters and text that is not UTF-8 (exit 2, nothing written),
// naming the flag, the character and where it is.
func TestTextWithControlCharactersRefused(t *testing.T) {
	root := t.TempDir()
	demo := filepath.Join(root, "demo")
	mustSang(t, "demo", demo)
	before, _ := os.ReadFile(filepath.Join(demo, projects.SongFile))
	alb := filepath.Join(root, "Album")
	mustSang(t, "album", alb, "--title", "Høst", demo)
	albBefore, _ := os.ReadFile(filepath.Join(alb, album.FileName))
	newSong := filepath.Join(root, "new")
	out := filepath.Join(root, "out")

	bad := []struct{ text, char string }{
		{"Rødt\x1b[31m", "ESC, at position 5"},
		{"Ring\a", "BEL, at position 5"},
		{"Sl\x7fett", "DEL, at position 3"},
		{"C1\u009b31m", "U+009B, at position 3"},
		{"Morgen\xff\xfelys", ""},
	}
	for _, b := range bad {
		want := func(flag, field string) string {
			if b.char == "" {
				return flag + ": the " + field + " is not valid UTF-8 text (byte 0xFF at byte 7)"
			}
			return flag + ": the " + field + " holds a control character (" + b.char + ")"
		}
		cases := []struct {
			args []string
			want string
		}{
			{[]string{"new", newSong, "--title", b.text}, want("--title", "title")},
			{[]string{"import", newSong, "nothing.wav", "--title", b.text}, want("--title", "title")},
			{[]string{"add-track", demo, b.text}, want("NAME", "track name")},
			{[]string{"add-track", demo, b.text, "--midi"}, want("NAME", "track name")},
			{[]string{"album", alb, "--title", b.text}, want("--title", "title")},
			{[]string{"album", alb, "--performer", b.text}, want("--performer", "performer")},
			{[]string{"cd", alb, "--out", out, "--title", b.text}, want("--title", "title")},
			{[]string{"cd", alb, "--out", out, "--performer", b.text}, want("--performer", "performer")},
			{[]string{"master", demo, "--out", filepath.Join(out, "x.wav"), "--title", b.text}, want("--title", "title")},
			{[]string{"master", demo, "--out", filepath.Join(out, "x.wav"), "--artist", b.text}, want("--artist", "performer")},
			{[]string{"master", demo, "--out", filepath.Join(out, "x.wav"), "--album", b.text}, want("--album", "album")},
			{[]string{"takehome", demo, "--to", out, "--artist", b.text}, want("--artist", "performer")},
		}
		for _, c := range cases {
			code, stdout, stderr := sangExit(t, c.args...)
			if code != 2 || !strings.Contains(stderr, c.want) {
				t.Errorf("sangstudio %q: exit %d, stderr %q; want exit 2 and %q", c.args, code, stderr, c.want)
			}
			if strings.ContainsAny(stdout+stderr, "\x1b\a\x7f\u009b") {
				t.Errorf("sangstudio %q printed a control character: %q %q", c.args, stdout, stderr)
			}
		}
	}
	if _, err := os.Stat(newSong); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused new or import left %s: %v", newSong, err)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused cd, master or takehome wrote %s: %v", out, err)
	}
	if after, _ := os.ReadFile(filepath.Join(demo, projects.SongFile)); !bytes.Equal(before, after) {
		t.Error("a refused add-track changed the song")
	}
	if after, _ := os.ReadFile(filepath.Join(alb, album.FileName)); !bytes.Equal(albBefore, after) {
		t.Error("a refused album changed the album")
	}

	// Plain text of any script passes, and a folder name holding a control
	// character gives a title with a space instead.
	mustSang(t, "new", newSong, "--title", "Blåbær – vers 2 🎵")
	mustSang(t, "add-track", newSong, "Kor (alt)")
	odd := filepath.Join(root, "odd\x1bname")
	mustSang(t, "new", odd)
	if s, _, err := projects.Load(odd); err != nil || s.Title != "odd name" {
		t.Fatalf("title from the folder name: %q, %v", s.Title, err)
	}
}

// A song.json written elsewhere that already holds control characters
// opens; every command prints them escaped, never raw.
func TestSongFileWithControlCharactersShownEscaped(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "song")
	if err := os.MkdirAll(filepath.Join(dir, projects.AudioDir), 0o700); err != nil {
		t.Fatal(err)
	}
	song := `{"schema": 1, "title": "Red\u001b[31m\u0007!", "rate": 48000, "tempo": 100,
"time_signature": {"beats": 4, "unit": 4},
"tracks": [{"name": "Bass\u001b]0;pwned\u0007", "kind": "audio", "channels": 1, "gain_db": 0, "pan": 0, "mute": false, "solo": false, "clips": []}],
"markers": [{"name": "Vers\u0085\u202eevil", "position": 48000}],
"lyrics": "la\nla", "master": {"gain_db": 0}}
`
	if err := os.WriteFile(filepath.Join(dir, projects.SongFile), []byte(song), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := sangExit(t, "info", dir)
	if code != 0 {
		t.Fatalf("info: exit %d\n%s", code, errs)
	}
	for _, want := range []string{
		"Song: Red\\x1b[31m\\a!\n",
		"Markers: Vers\\u0085\\u202eevil at 0:01.000\n",
		"   1  Bass\\x1b]0;pwned\\a  [",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("info lacks %q:\n%s", want, out)
		}
	}
	raw := func(what, s string) {
		t.Helper()
		if strings.ContainsAny(s, "\x1b\a\u0085\u202e") {
			t.Errorf("%s printed a raw control character: %q", what, s)
		}
	}
	raw("info", out+errs)

	_, out, errs = sangExit(t, "set", dir, "1", "--gain", "-3")
	if !strings.Contains(out, "Track 1 (Bass\\x1b]0;pwned\\a): gain -3.0 dB") {
		t.Errorf("set said %q %q", out, errs)
	}
	raw("set", out+errs)

	// The album lists the song's title, escaped.
	code, out, errs = sangExit(t, "album", filepath.Join(root, "Album"), "--title", "Høst", dir)
	if code != 0 || !strings.Contains(out, "   1  Red\\x1b[31m\\a! — ") {
		t.Errorf("album: exit %d\n%s%s", code, out, errs)
	}
	raw("album", out+errs)
}

// A song.json with bytes that are not UTF-8 is refused with a message
// naming the file, the byte and the line.
func TestSongFileNotUTF8Refused(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "song")
	mustSang(t, "new", dir, "--title", "Morgenlys")
	path := filepath.Join(dir, projects.SongFile)
	data, _ := os.ReadFile(path)
	bad := bytes.Replace(data, []byte("Morgenlys"), []byte("Morgen\xff\xfelys"), 1)
	if err := os.WriteFile(path, bad, 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs := sangExit(t, "info", dir)
	off := bytes.IndexByte(bad, 0xff)
	line := 1 + bytes.Count(bad[:off], []byte("\n"))
	want := path + ": byte " + strconv.Itoa(off+1) + " (line " + strconv.Itoa(line) + ") is not valid UTF-8 text; the file is damaged or was written by another program, and no earlier copy could be opened"
	if code != 1 || !strings.Contains(errs, want) {
		t.Fatalf("info: exit %d, %q; want %q", code, errs, want)
	}
	if strings.Contains(errs, "\xff") {
		t.Error("the message holds the bad bytes")
	}
}
