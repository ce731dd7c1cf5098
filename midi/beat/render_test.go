package beat_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"sangstudio/audio/render"
	"sangstudio/internal/testtool"
	"sangstudio/internal/wavtest"
	"sangstudio/midi/beat"
	"sangstudio/midi/smf"
	"sangstudio/projects"
)

// hatSong is a song at 48 kHz and 60 BPM in 4/4 (a 16th is 12000 frames,
// a tick 50, a bar 192000) playing the built-in instrument, with a beat
// track; its beat plays closed hats on steps 0, 2, 5, 8 and 13, swung by
// 0.4 (the off-beats 5 and 13 come 48 ticks, 2400 frames, late), from bar
// 2 to a quarter and a half into bar 4. Each hat has died out (below the
// instrument's quiet level: exact zeros) before the next. It returns the
// frames where the hats start, by the formula.
func hatSong(t *testing.T) (string, *projects.Song, []int64) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "song")
	s := projects.New("Hats", 48000)
	s.Tempo, s.SoundFont = 60, projects.BuiltinSound
	beat.AddTrack(s, "Beat")
	p, err := beat.Parse("hat:x.x..x..x....x..", fourFour(), false)
	if err != nil {
		t.Fatal(err)
	}
	p, _ = beat.SetSwing(p, 0.4)
	from, to := beat.BarStart(s, 2), beat.BarStart(s, 4)+72000
	_, take, err := beat.Place(s, 0, p, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if err := projects.Create(dir, s); err != nil {
		t.Fatal(err)
	}
	if err := take.Write(dir); err != nil {
		t.Fatal(err)
	}
	var want []int64
	for base := from; base < to; base += 192000 {
		for _, k := range []int64{0, 2, 5, 8, 13} {
			f := base + k*12000 + k%2*2400
			if f < to {
				want = append(want, f)
			}
		}
	}
	return dir, s, want
}

// onsets are the frames where sound starts after at least quiet frames of
// exact silence (or at the start).
func onsets(x []float32, quiet int) []int64 {
	var out []int64
	zeros := quiet
	for i, v := range x {
		if v == 0 {
			zeros++
			continue
		}
		if zeros >= quiet {
			out = append(out, int64(i))
		}
		zeros = 0
	}
	return out
}

// TestRenderedOnsets: the song rendered offline (audio/render, as every
// render is made) starts each hat within one sample of where the pattern
// puts it, and where the take's file says, swung off-beats included.
func TestRenderedOnsets(t *testing.T) {
	dir, s, want := hatSong(t)
	var left []float32
	_, err := render.Render(context.Background(), dir, s, render.Options{Sink: func(l, _ []float32) error {
		left = append(left, l...)
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	got := onsets(left, 2000)
	if len(got) != len(want) {
		t.Fatalf("%d onsets %v, want %d %v", len(got), got, len(want), want)
	}
	c := s.Tracks[0].Clips[0]
	inFile, _ := noteOns(t, projects.AudioPath(dir, c.Take), s.Rate)
	worst := int64(0)
	for i := range want {
		worst = max(worst, got[i]-want[i], want[i]-got[i])
		if d := got[i] - want[i]; d < -1 || d > 1 {
			t.Errorf("hat %d sounds at frame %d, the pattern puts it at %d", i+1, got[i], want[i])
		}
		if d := got[i] - (c.Position + inFile[i]); d < -1 || d > 1 {
			t.Errorf("hat %d sounds at frame %d, the take says %d", i+1, got[i], c.Position+inFile[i])
		}
	}
	t.Logf("%d hats, at most %d samples from their place: first at %d (bar 2), last at %d", len(got), worst, got[0], got[len(got)-1])
}

// TestExport: the beat track exported as a Standard MIDI File, read back
// by our reader and by gomidi's, has its notes on the song's bars (bar 2
// of the song is bar 2 of the file: tick 3840) on channel 10; timidity
// plays it without a complaint, each hat within 10 ms of its place.
func TestExport(t *testing.T) {
	dir, s, want := hatSong(t)
	path := filepath.Join(t.TempDir(), "beat.mid")
	var buf bytes.Buffer
	if err := beat.Export(&buf, dir, s, 0); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(path, buf.Bytes(), 0o600)
	f, err := smf.ReadFile(path, s.Rate)
	if err != nil {
		t.Fatal(err)
	}
	if f.Format != 0 || f.Tempo != 60 || f.TimeSig != [2]int{4, 4} || f.Name != "Beat" || len(f.Channels) != 1 || f.Channels[0].Channel != 9 {
		t.Fatalf("format %d, %v BPM, %v, %q, %d channels", f.Format, f.Tempo, f.TimeSig, f.Name, len(f.Channels))
	}
	notes := readTicks(t, buf.Bytes())
	if len(notes) != len(want) {
		t.Fatalf("%d notes in the file, want %d", len(notes), len(want))
	}
	for i, n := range notes {
		if n.tick*50 != want[i] || n.key != 42 {
			t.Errorf("note %d at tick %d (bar %d, tick %d in it), want frame %d", i+1, n.tick, 1+n.tick/3840, n.tick%3840, want[i])
		}
	}
	if notes[0].tick != 3840 {
		t.Errorf("the first hat is at tick %d, not at bar 2 (3840)", notes[0].tick)
	}
	timidityOnsets(t, path, want)
}

// timidityOnsets plays the file through timidity (Debian's timidity, with
// the TimGM6mb SoundFont's configuration) into a WAV file and checks that
// it says nothing is wrong with the file and that a sound starts within
// 10 ms of each frame of want.
func timidityOnsets(t *testing.T, path string, want []int64) {
	t.Helper()
	testtool.Require(t, "timidity")
	cfg := "/etc/timidity/timgm6mb.cfg"
	if _, err := os.Stat(cfg); err != nil {
		t.Skipf("no %s (Debian's timgm6mb-soundfont): %v", cfg, err)
	}
	out := filepath.Join(t.TempDir(), "timidity.wav")
	said := testtool.Run(t, "timidity", "-c", cfg, "--preserve-silence", "-s", "48000", "-Ow", "-o", out, path)
	for _, line := range strings.Split(said, "\n") {
		if strings.Contains(line, path) && (strings.Contains(line, "Warning") || strings.Contains(line, "rror")) {
			t.Errorf("timidity: %s", line)
		}
	}
	if !strings.Contains(said, "Notes lost totally: 0") {
		t.Errorf("timidity lost notes:\n%s", said)
	}
	_, audio := wavtest.Read(t, out)
	const tol = 480 // 10 ms
	lo, hi := int64(tol), int64(-tol)
	defer func() { t.Logf("timidity: %d hats, starting %d to %d samples after their place", len(want), lo, hi) }()
	for _, f := range want {
		first := int64(-1)
		for i := max(f-tol, 0); i < min(f+tol, int64(len(audio[0]))); i++ {
			if abs32(audio[0][i])+abs32(audio[1][i]) > 0.002 {
				first = i
				break
			}
		}
		if first < 0 {
			t.Errorf("timidity: nothing sounds within 10 ms of frame %d", f)
			continue
		}
		lo, hi = min(lo, first-f), max(hi, first-f)
		// Where the sound starts, the 10 ms before it were quiet.
		for i := max(first-tol, 0); i < first-tol/2; i++ {
			if abs32(audio[0][i])+abs32(audio[1][i]) > 0.002 {
				t.Errorf("timidity: sound before frame %d already at %d", f, i)
				break
			}
		}
	}
}

func abs32(x float32) float32 { return max(x, -x) }

// TestExportSixEight: in 6/8 at 120 BPM (eighths) a bar lasts 3 s; the
// file says 6/8 at 60 quarter notes a minute, so its bar 2 (tick 2880)
// is the song's bar 2 (frame 144000).
func TestExportSixEight(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "song")
	s := projects.New("Seks", 48000)
	s.Tempo, s.TimeSig = 120, projects.TimeSig{Beats: 6, Unit: 8}
	beat.AddTrack(s, "Beat")
	p := preset(t, "six-eight", 1)
	_, take, err := beat.Place(s, 0, p, beat.BarStart(s, 2), beat.BarStart(s, 4))
	if err != nil {
		t.Fatal(err)
	}
	projects.Create(dir, s)
	take.Write(dir)
	var buf bytes.Buffer
	if err := beat.Export(&buf, dir, s, 0); err != nil {
		t.Fatal(err)
	}
	notes := readTicks(t, buf.Bytes())
	var kicks []int64
	for _, n := range notes {
		if n.key == 36 {
			kicks = append(kicks, n.tick)
		}
	}
	// The kick on 1 and on the last eighth of each bar: bars of 2880 ticks.
	if want := []int64{2880, 2880 + 2400, 5760, 5760 + 2400}; !slices.Equal(kicks, want) {
		t.Errorf("kicks at ticks %v, want %v", kicks, want)
	}
	path := filepath.Join(t.TempDir(), "six.mid")
	os.WriteFile(path, buf.Bytes(), 0o600)
	f, err := smf.ReadFile(path, 48000)
	if err != nil || f.TimeSig != [2]int{6, 8} || f.Tempo != 60 {
		t.Fatalf("%v: %v %v", err, f.TimeSig, f.Tempo)
	}
	if first := f.Channels[0].Events[0].Frame; first != 144000 {
		t.Errorf("the first note at frame %d, want 144000 (3 s: bar 2)", first)
	}
}
