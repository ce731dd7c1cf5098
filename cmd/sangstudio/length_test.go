package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sangstudio/internal/testtool"
	"sangstudio/internal/wavtest"
	"sangstudio/projects"
)

// songWithClipAt makes a song of two 3-second audio tracks, the second
// one's clip moved to the given second.
func songWithClipAt(t *testing.T, second int64) string {
	t.Helper()
	src := t.TempDir()
	sig := make([]float32, 3*48000)
	for i := range sig {
		sig[i] = 0.2 * float32(i%100-50) / 50
	}
	a, b := filepath.Join(src, "vokal.wav"), filepath.Join(src, "gitar.wav")
	wavtest.Write(t, a, 48000, [][]float32{sig})
	wavtest.Write(t, b, 48000, [][]float32{sig})
	dir := filepath.Join(t.TempDir(), "song")
	mustSang(t, "import", dir, a, b)
	if _, _, err := projects.Change(dir, "test", func(s *projects.Song) error {
		s.Tracks[1].Clips[0].Position = second * int64(s.Rate)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestSongTooLongToRender (issue 17, item 8): a clip 30 days into the song
// makes every renderer refuse it, before anything else, saying how long
// the song is because of which clip, where the rest ends and what to do,
// not that the disk is full; nothing is written. info still shows the song
// and notes the clip.
func TestSongTooLongToRender(t *testing.T) {
	dir := songWithClipAt(t, 30*24*3600)
	out := t.TempDir()
	want := []string{"the song is 720.0 hours long because clip 1 on track 2", "starts at 720:00:00 (30.0 days in)",
		"far beyond the rest of the song, which ends at 0:03", "move or delete that clip"}
	says := func(what, text string, want []string) {
		t.Helper()
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s does not say %q:\n%s", what, w, text)
			}
		}
		if strings.Contains(text, "disk") || strings.Contains(text, "MB") {
			t.Errorf("%s speaks of the disk:\n%s", what, text)
		}
	}
	before := testtool.Listing(t, dir)
	for _, args := range [][]string{
		{"render", dir, "--mix", filepath.Join(out, "mix.wav"), "--stems", filepath.Join(out, "stems")},
		{"master", dir, "--out", filepath.Join(out, "master.mp3")},
		{"loudness", dir},
		{"takehome", dir, "--to", out},
	} {
		code, o, errs := sang(t, args...)
		if code != 1 {
			t.Errorf("%s: exit %d\n%s%s", args[0], code, o, errs)
		}
		says(args[0], errs, want)
	}
	code, o, errs := sang(t, "cd", "--title", "Plata", dir, "--out", filepath.Join(out, "cd"))
	if code != 1 {
		t.Errorf("cd: exit %d\n%s%s", code, o, errs)
	}
	says("cd", errs, []string{"is 720.0 hours long because a clip on track 2", "far beyond the rest of the song (which ends at 0:03): move or delete that clip"})
	if ents, _ := os.ReadDir(out); len(ents) != 0 {
		t.Errorf("the refused renders left %v", ents)
	}
	if after := testtool.Listing(t, dir); after != before {
		t.Errorf("the song folder changed:\n%s\nwas\n%s", after, before)
	}
	o = mustSang(t, "info", dir)
	says("info", o, append(want, "It cannot be rendered until then"))
}

// TestOutlierOnAFullDisk: a song within the limit whose last clip lies 20
// minutes after the rest: the render to a disk too small for it says the
// disk is full and that the song is that long because of that clip.
func TestOutlierOnAFullDisk(t *testing.T) {
	small := testtool.SmallDisk(t, "1m")
	dir := songWithClipAt(t, 23*60)
	code, o, errs := sang(t, "render", dir, "--mix", filepath.Join(small, "mix.wav"))
	if code != 1 {
		t.Fatalf("render: exit %d\n%s%s", code, o, errs)
	}
	for _, w := range []string{"the disk is full", `The song is that long because clip 1 on track 2 ("gitar") starts at 23:00, far beyond the rest of the song, which ends at 0:03`} {
		if !strings.Contains(errs, w) {
			t.Errorf("render does not say %q:\n%s", w, errs)
		}
	}
	if ents, _ := os.ReadDir(small); len(ents) != 0 {
		t.Errorf("the refused render left %v", ents)
	}
	if o := mustSang(t, "info", dir); !strings.Contains(o, `Note: clip 1 on track 2 ("gitar") starts at 23:00`) {
		t.Errorf("info does not note the clip:\n%s", o)
	}
}
