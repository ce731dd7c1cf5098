package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sangstudio/internal/testtool"
	"sangstudio/projects"
)

// TestFx: presets and settings by hand on a track, the reverb and the
// delay, what info says, and the mistakes refused (exit 2 for the command
// line's, 1 for a value out of range, the song unchanged).
func TestFx(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	mustSang(t, "demo", dir)
	out := mustSang(t, "fx", dir, "1", "--preset", "Vokal – tydelig")
	if !strings.Contains(out, "preset Vocal – clear;") {
		t.Errorf("fx --preset said %q", out)
	}
	out = mustSang(t, "fx", dir, "1", "--eq", "p1:-4@350/1.4", "--comp", "ratio:6", "--reverb", "-9", "--delay", "off")
	for _, want := range []string{"(changed)", "p1 -4 dB at 350 Hz Q 1.4", "-20 dB 6:1", "reverb send -9 dB"} {
		if !strings.Contains(out, want) {
			t.Errorf("fx said %q, want %q in it", out, want)
		}
	}
	if strings.Contains(out, "delay send") {
		t.Errorf("the delay send is still on: %q", out)
	}
	mustSang(t, "fx", dir, "reverb", "--preset", "stor sal", "--wet", "-8")
	mustSang(t, "fx", dir, "delay", "--beats", "0.5", "--feedback", "0.4")
	info := mustSang(t, "info", dir)
	for _, want := range []string{"effects: preset Vocal – clear (changed)", "Buses: reverb: room 0.85, damping 0.35, width 1, back at -8 dB; delay: 0.5 beats, feedback 0.4"} {
		if !strings.Contains(info, want) {
			t.Errorf("info lacks %q:\n%s", want, info)
		}
	}
	before, _ := os.ReadFile(filepath.Join(dir, projects.SongFile))
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"1", "--hpf", "10"}, 1, "high-pass at 10 Hz"},
		{[]string{"1", "--eq", "mid:3@100"}, 2, "the bands are low, p1, p2 and high"},
		{[]string{"1", "--room", "0.3"}, 2, "--room: not for a track"},
		{[]string{"reverb", "--hpf", "80"}, 2, "--hpf: not for the reverb"},
		{[]string{"1", "--preset", "Opera"}, 2, `there is no preset "Opera"`},
		{[]string{"delay", "--ms", "100", "--beats", "1"}, 2, "--ms and --beats together"},
		{[]string{"1"}, 2, "nothing to change"},
	} {
		code, _, errs := sang(t, append([]string{"fx", dir}, c.args...)...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("fx %q: exit %d, %q; want exit %d and %q", c.args, code, errs, c.code, c.want)
		}
	}
	if after, _ := os.ReadFile(filepath.Join(dir, projects.SongFile)); !bytes.Equal(after, before) {
		t.Error("a refused fx changed the song")
	}
	if out := mustSang(t, "fx", dir, "1", "--off"); !strings.Contains(out, "no effects") {
		t.Errorf("fx --off said %q", out)
	}
	if out := mustSang(t, "fx", "--list"); !strings.Contains(out, "big-hall         Big hall / Stor sal") {
		t.Errorf("fx --list said %q", out)
	}
}

// TestFxRendered: effects are in the render, and with sends the stems
// have the reverb's and the delay's; sox reads every file.
func TestFxRendered(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	mustSang(t, "demo", dir)
	dry := filepath.Join(t.TempDir(), "dry.wav")
	mustSang(t, "render", dir, "--mix", dry)
	mustSang(t, "fx", dir, "1", "--preset", "drums")
	mustSang(t, "fx", dir, "3", "--preset", "piano", "--delay", "-6")
	out := t.TempDir()
	mustSang(t, "render", dir, "--mix", filepath.Join(out, "wet.wav"), "--stems", filepath.Join(out, "stems"))
	a, _ := os.ReadFile(dry)
	b, _ := os.ReadFile(filepath.Join(out, "wet.wav"))
	if bytes.Equal(a, b) {
		t.Fatal("the effects change nothing in the render")
	}
	stems, _ := filepath.Glob(filepath.Join(out, "stems", "*.wav"))
	var names []string
	for _, p := range stems {
		names = append(names, filepath.Base(p))
		testtool.Run(t, "sox", "--i", p)
	}
	if got := strings.Join(names, " "); !strings.Contains(got, "07-Reverb.wav 08-Delay.wav") {
		t.Errorf("stems %s, want the buses' after the six tracks", got)
	}
}
