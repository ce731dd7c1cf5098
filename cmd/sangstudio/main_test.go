package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"sangstudio/internal/testtool"
	"sangstudio/projects"
)

// sang runs one command line in-process and returns its exit status and output.
func sang(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func mustSang(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errs := sang(t, args...)
	if code != 0 {
		t.Fatalf("sangstudio %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errs)
	}
	return out
}

func TestNewSetInfo(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "Min sang")
	out := mustSang(t, "new", dir, "--title", "Morgenlys", "--rate", "44100", "--tempo", "90", "--meter", "6/8")
	if !strings.Contains(out, "Morgenlys") {
		t.Errorf("new said %q", out)
	}
	if code, _, errs := sang(t, "new", dir); code != 1 || !strings.Contains(errs, "already exists") {
		t.Errorf("new over an existing song: exit %d, %q", code, errs)
	}
	mustSang(t, "demo", filepath.Join(t.TempDir(), "demo"))
	demo := filepath.Join(t.TempDir(), "d")
	mustSang(t, "demo", demo)

	mustSang(t, "set", demo, "2", "--gain", "-7.5", "--pan", "-0.25", "--mute")
	mustSang(t, "set", demo, "piano", "--solo") // case-insensitive name
	mustSang(t, "set", demo, "master", "--gain", "-2")
	s, _, err := projects.Load(demo)
	if err != nil {
		t.Fatal(err)
	}
	b := s.Tracks[1]
	if b.GainDB != -7.5 || b.Pan != -0.25 || !b.Mute || !s.Tracks[2].Solo || s.Master.GainDB != -2 {
		t.Fatalf("set did not change the song: %+v, solo %v, master %v", b, s.Tracks[2].Solo, s.Master.GainDB)
	}
	mustSang(t, "set", demo, "2", "--unmute")
	s, _, _ = projects.Load(demo)
	if s.Tracks[1].Mute || s.Tracks[1].GainDB != -7.5 {
		t.Fatal("--unmute changed more than the mute")
	}

	info := mustSang(t, "info", demo)
	for _, want := range []string{"Demo: Morgenlys", "48000 Hz", "96 BPM", "4/4", "Master: gain -2.0 dB",
		"2  Bass", "gain -7.5 dB, pan 0.25 left", "solo", "silent: other tracks are soloed", "0001-Drums.wav", "Refreng"} {
		if !strings.Contains(info, want) {
			t.Errorf("info lacks %q:\n%s", want, info)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	demo := filepath.Join(t.TempDir(), "d")
	mustSang(t, "demo", demo)
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"bogus"}, 2, "unknown command"},
		{[]string{"set", demo, "1"}, 2, "nothing to change"},
		{[]string{"set", demo, "1", "--pan", "3"}, 2, "--pan 3"},
		{[]string{"set", demo, "1", "--gain", "99"}, 2, "--gain 99"},
		{[]string{"set", demo, "1", "--mute", "--unmute"}, 2, "together"},
		{[]string{"set", demo, "9", "--mute"}, 1, "no track 9"},
		{[]string{"set", demo, "Trompet", "--mute"}, 1, `no track called "Trompet"`},
		{[]string{"set", demo, "master", "--pan", "1"}, 2, "only --gain"},
		{[]string{"render", demo, "--bits", "12"}, 2, "--bits"},
		{[]string{"new", filepath.Join(t.TempDir(), "x"), "--rate", "22050"}, 2, "22050"},
		{[]string{"new", filepath.Join(t.TempDir(), "x"), "--meter", "four"}, 2, "--meter"},
		{[]string{"info", t.TempDir()}, 1, "not a song folder"},
		{[]string{"info"}, 2, "missing"},
		{[]string{"import", demo}, 2, "missing"},
		{[]string{"render", demo, "--nope"}, 2, "unknown flag"},
	}
	for _, tc := range tests {
		code, _, errs := sang(t, tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.want) {
			t.Errorf("sangstudio %s: exit %d, stderr %q; want exit %d and %q", strings.Join(tc.args, " "), code, errs, tc.code, tc.want)
		}
	}
}

// TestImportRenderRoundTrip: files made by sox are imported, mixed, and the
// mix is read back by sox and checked against sox's own mix of the same files.
func TestImportRenderRoundTrip(t *testing.T) {
	testtool.Require(t, "sox")
	src := t.TempDir()
	a, b := filepath.Join(src, "Gitar.wav"), filepath.Join(src, "Vokal.wav")
	testtool.Run(t, "sox", "-q", "-n", "-r", "48000", "-b", "24", "-c", "1", "-t", "wavpcm", a, "synth", "3", "pluck", "220", "gain", "-6")
	testtool.Run(t, "sox", "-q", "-n", "-r", "48000", "-b", "24", "-c", "1", "-t", "wavpcm", b, "synth", "3", "sine", "440", "gain", "-10")
	song := filepath.Join(t.TempDir(), "Låt")
	mustSang(t, "import", song, a, b)
	mustSang(t, "set", song, "Gitar", "--gain", "-3", "--pan", "-0.5")
	mustSang(t, "set", song, "Vokal", "--pan", "0.5")
	mix := filepath.Join(t.TempDir(), "mix.wav")
	stems := filepath.Join(t.TempDir(), "stems")
	out := mustSang(t, "render", song, "--mix", mix, "--stems", stems, "--bits", "24")
	if !strings.Contains(out, mix) {
		t.Errorf("render does not say where the mix is: %q", out)
	}
	// sox's mix with the same constant-power coefficients.
	ref := filepath.Join(t.TempDir(), "ref.wav")
	testtool.Run(t, "sox", "-M", a, b, "-b", "24", ref, "remix",
		"1v0.654059,2v0.382683", // gain·cos((p+1)π/4) for each track
		"1v0.270918,2v0.923880") // gain·sin((p+1)π/4)
	stats := testtool.Run(t, "sox", "-m", "-v", "1", mix, "-v", "-1", ref, "-n", "stats")
	if !strings.Contains(stats, "RMS lev dB") {
		t.Fatalf("sox stats: %s", stats)
	}
	rms := fieldAfter(stats, "RMS lev dB")
	if rms > -90 {
		t.Errorf("our mix differs from sox's by %.1f dBFS RMS (want below -90)\n%s", rms, stats)
	}
	for _, name := range []string{"01-Gitar.wav", "02-Vokal.wav"} {
		n := testtool.Run(t, "sox", "--i", "-s", filepath.Join(stems, name))
		if strings.TrimSpace(n) != "144000" {
			t.Errorf("stem %s has %s samples, want 144000", name, n)
		}
	}
}

func fieldAfter(stats, label string) float64 {
	for _, line := range strings.Split(stats, "\n") {
		if strings.HasPrefix(line, label) {
			var v float64
			fs := strings.Fields(strings.TrimPrefix(line, label))
			if len(fs) > 0 {
				if fs[0] == "-inf" {
					return -1000
				}
				fmt.Sscan(fs[0], &v)
			}
			return v
		}
	}
	return 0
}

// TestBinaryExitStatus runs the real binary: a bad file gives a message
// naming it and a non-zero exit status.
func TestBinaryExitStatus(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "sangstudio")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	bad := filepath.Join(t.TempDir(), "broken.wav")
	os.WriteFile(bad, []byte("RIFF\x10\x00\x00\x00WAVEjunk"), 0o600)
	song := filepath.Join(t.TempDir(), "s")
	cmd := exec.Command(bin, "import", song, bad)
	out, err := cmd.CombinedOutput()
	if err == nil || cmd.ProcessState.ExitCode() != 1 {
		t.Fatalf("import of a broken file: %v, exit %d", err, cmd.ProcessState.ExitCode())
	}
	if !strings.Contains(string(out), bad) || !strings.Contains(string(out), "Nothing was changed") {
		t.Errorf("message %q should name %s and say nothing changed", out, bad)
	}
	if _, err := os.Stat(song); err == nil {
		t.Error("the failed import created the song folder")
	}
}
