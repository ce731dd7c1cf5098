package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"sangstudio/internal/testtool"
	"sangstudio/projects"
)

func TestLoudnessCommand(t *testing.T) {
	demo := filepath.Join(t.TempDir(), "d")
	mustSang(t, "demo", demo)
	out := mustSang(t, "loudness", demo)
	for _, want := range []string{"Integrated loudness:", "LUFS", "Loudness range:", "True peak:", "dBTP", "Sample peak:"} {
		if !strings.Contains(out, want) {
			t.Errorf("loudness output lacks %q:\n%s", want, out)
		}
	}
	// A file, and a broken file.
	wavPath := filepath.Join(t.TempDir(), "mix.wav")
	mustSang(t, "render", demo, "--mix", wavPath)
	fileOut := mustSang(t, "loudness", wavPath)
	if integrated(t, fileOut) != integrated(t, out) {
		t.Errorf("the song's loudness %v differs from its rendered mix's %v", integrated(t, out), integrated(t, fileOut))
	}
	bad := filepath.Join(t.TempDir(), "broken.wav")
	os.WriteFile(bad, []byte("RIFF\x10\x00\x00\x00WAVEjunk"), 0o600)
	if code, _, errs := sang(t, "loudness", bad); code != 1 || !strings.Contains(errs, "broken.wav") {
		t.Errorf("broken file: exit %d, %q", code, errs)
	}
}

func integrated(t *testing.T, out string) float64 {
	t.Helper()
	m := regexp.MustCompile(`Integrated loudness:\s+(-?[\d.]+) LUFS`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no integrated loudness in %q", out)
	}
	v, _ := strconv.ParseFloat(m[1], 64)
	return v
}

func TestMasterCommand(t *testing.T) {
	demo := filepath.Join(t.TempDir(), "d")
	mustSang(t, "demo", demo)
	mustSang(t, "set", demo, "master", "--gain", "-6")
	dir := t.TempDir()
	flacOut := filepath.Join(dir, "song.flac")
	out := mustSang(t, "master", demo, "--out", flacOut, "--preset", "cd", "--artist", "Kari", "--album", "Høst")
	if !strings.Contains(out, "Loudness: -10.0 LUFS") {
		t.Errorf("master said:\n%s", out)
	}
	if _, err := exec.LookPath("flac"); err == nil {
		if b, err := exec.Command("flac", "-t", "-s", flacOut).CombinedOutput(); err != nil {
			t.Errorf("flac -t: %v %s", err, b)
		}
	}
	// The file measures as promised.
	if got := integrated(t, mustSang(t, "loudness", mustDecode(t, flacOut))); got < -10.5 || got > -9.5 {
		t.Errorf("the FLAC measures %.1f LUFS", got)
	}
	// Mistakes in the command line.
	for _, args := range [][]string{
		{"master", demo},
		{"master", demo, "--out", filepath.Join(dir, "x.ogg")},
		{"master", demo, "--out", filepath.Join(dir, "x.wav"), "--preset", "loud"},
		{"master", demo, "--out", filepath.Join(dir, "x.wav"), "--ceiling", "2"},
		{"master", demo, "--out", filepath.Join(dir, "x.wav"), "--target", "-80"},
	} {
		if code, _, errs := sang(t, args...); code != 2 {
			t.Errorf("%q: exit %d, %s", args, code, errs)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "x.wav")); err == nil {
		t.Error("a refused command wrote a file")
	}
}

// mustDecode turns a FLAC into a WAV with the flac tool (skipping without it).
func mustDecode(t *testing.T, path string) string {
	t.Helper()
	if _, err := exec.LookPath("flac"); err != nil {
		t.Skip("flac is not installed")
	}
	out := filepath.Join(t.TempDir(), "decoded.wav")
	if b, err := exec.Command("flac", "-d", "-s", "-o", out, path).CombinedOutput(); err != nil {
		t.Fatalf("flac -d: %v %s", err, b)
	}
	return out
}

func TestTakeHomeCommand(t *testing.T) {
	demo := filepath.Join(t.TempDir(), "d")
	mustSang(t, "demo", demo)
	s, _, _ := projects.Load(demo)
	s.Title = `Sang: "Morgen"/kveld?`
	s.Performer = "Kari Nordmann"
	if err := projects.Save(demo, s); err != nil {
		t.Fatal(err)
	}
	stick := t.TempDir()
	out := mustSang(t, "takehome", demo, "--to", stick, "--lyrics")
	if !strings.Contains(out, "safe to remove") {
		t.Errorf("takehome said:\n%s", out)
	}
	folder := filepath.Join(stick, "Sang - 'Morgen'-kveld_")
	ents, err := os.ReadDir(folder)
	if err != nil {
		t.Fatalf("the song's folder: %v (stick has %v)", err, list(stick))
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	want := []string{"Sang - 'Morgen'-kveld_.mp3", "Sang - 'Morgen'-kveld_.txt"}
	if strings.Join(names, "|") != strings.Join(want, "|") {
		t.Errorf("files on the stick: %q, want %q", names, want)
	}
	if _, err := exec.LookPath("ffprobe"); err == nil {
		b, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "format_tags=title,artist:stream=codec_name,bit_rate", "-of", "default=nw=1", filepath.Join(folder, want[0])).CombinedOutput()
		if err != nil {
			t.Fatalf("ffprobe: %v %s", err, b)
		}
		got := string(b)
		for _, w := range []string{"codec_name=mp3", "bit_rate=256000", `TAG:title=Sang: "Morgen"/kveld?`, "TAG:artist=Kari Nordmann"} {
			if !strings.Contains(got, w) {
				t.Errorf("ffprobe: no %q in\n%s", w, got)
			}
		}
	}
	txt, _ := os.ReadFile(filepath.Join(folder, want[1]))
	if !strings.Contains(string(txt), "Kari Nordmann") || !strings.Contains(string(txt), "\r\n") {
		t.Errorf("lyrics file: %q", txt)
	}

	// A stick too small: a clear message, nothing left on it.
	small := testtool.SmallDisk(t, "2m")
	code, _, errs := sang(t, "takehome", demo, "--to", small, "--wav")
	if code != 1 || !strings.Contains(errs, "not enough space") {
		t.Errorf("small stick: exit %d, %q", code, errs)
	}
	if l := list(small); len(l) != 0 {
		t.Errorf("left on the small stick: %v", l)
	}
	// Nothing left in the song's working folder either.
	if l, _ := filepath.Glob(filepath.Join(demo, ".cache", "takehome-*")); len(l) > 0 {
		t.Errorf("left in the song: %v", l)
	}
	if code, _, errs := sang(t, "takehome", demo, "--to", filepath.Join(stick, "missing")); code != 1 || !strings.Contains(errs, "missing") {
		t.Errorf("missing destination: exit %d, %q", code, errs)
	}
	if code, _, _ := sang(t, "takehome", demo); code != 2 {
		t.Errorf("no --to: exit %d", code)
	}
	mustSang(t, "takehome", "--list")
}

func list(dir string) []string {
	var l []string
	filepath.Walk(dir, func(p string, _ os.FileInfo, _ error) error {
		if p != dir {
			l = append(l, p)
		}
		return nil
	})
	return l
}
