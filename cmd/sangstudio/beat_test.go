package main

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"sangstudio/internal/wavtest"
	"sangstudio/midi/smf"
	"sangstudio/projects"
)

// beatSong makes a song at 90 BPM in 4/4 (a bar is 128000 frames) with
// the markers Vers at bar 3 and Refreng at bar 11.
func beatSong(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "song")
	mustSang(t, "new", dir, "--tempo", "90")
	_, _, err := projects.Change(dir, "test", func(s *projects.Song) error {
		s.Markers = []projects.Marker{{Name: "Vers", Position: 2 * 128000}, {Name: "Refreng", Position: 10 * 128000}}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestBeat: the command lines, what they say, and what the song
// holds afterwards.
func TestBeat(t *testing.T) {
	dir := beatSong(t)
	out := mustSang(t, "beat", dir, "--preset", "hip-hop", "--bars", "2", "--from", "Vers", "--to", "Refreng", "--swing", "0.3")
	for _, want := range []string{
		"Added track 1 (Beat): MIDI, the drum kit.",
		"Track 1 (Beat): the preset Hip-hop (boom bap), 2 bars of 4/4, swing 0.3 (Kick, Snare, Closed hat, Open hat), from bar 3 (the marker Vers) to bar 11 (the marker Refreng): it plays 4 times.",
		"  Kick         x... ...x .xx. .... | x... .... ..x. x...",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("beat said:\n%s\nwant a line %q", out, want)
		}
	}
	s := onDisk(t, dir)
	c := s.Tracks[0].Clips[0]
	if !s.Tracks[0].Drums || c.Position != 256000 || c.Length != 1024000 || c.Beat == nil || c.Beat.Swing != 0.3 || c.Beat.Preset != "hip-hop" {
		t.Fatalf("clip %+v", c)
	}
	events, err := smf.ReadEvents(projects.AudioPath(dir, c.Take), s.Rate)
	if err != nil || len(events) == 0 {
		t.Fatalf("the take: %v", err)
	}

	// A pattern as text, with its accent velocity, on a track of its own
	// name, twice from bar 1.
	out = mustSang(t, "beat", dir, "--pattern", "kick:x...x...,snare:....X...,hat:x.x.x3.x.", "--accent", "110", "--from", "bar 1", "--times", "2", "--track", "Trommer")
	if !strings.Contains(out, "Track 2 (Trommer): a pattern of your own, 1 bar of 4/4 (Kick, Snare, Closed hat), from bar 1 to bar 3: it plays 2 times.") || strings.Contains(out, "Note:") {
		t.Errorf("beat --pattern said:\n%s", out)
	}
	s = onDisk(t, dir)
	var vels []byte
	events, _ = smf.ReadEvents(projects.AudioPath(dir, s.Tracks[1].Clips[0].Take), s.Rate)
	for _, e := range events {
		if e.IsNoteOn() && e.Msg[1] == 38 {
			vels = append(vels, e.Msg[2])
		}
	}
	if fmt.Sprint(vels) != "[110 110 110 110]" {
		t.Errorf("snare velocities %v, want the accent's 110 four times", vels)
	}
	info := mustSang(t, "info", dir)
	if !strings.Contains(info, "beat: the preset Hip-hop (boom bap), 2 bars of 4/4, swing 0.3") {
		t.Errorf("info:\n%s", info)
	}
	// A fill in the last bar, over what was there: the rest stays.
	out = mustSang(t, "beat", dir, "--preset", "rock", "--fill", "toms", "--from", "bar 5", "--to", "bar 7")
	if !strings.Contains(out, "Floor tom") || len(onDisk(t, dir).Tracks[0].Clips) != 3 {
		t.Errorf("rock with a fill over bars 5–6:\n%s\n%d clips", out, len(onDisk(t, dir).Tracks[0].Clips))
	}
}

// TestBeatRefused: mistakes in the command line (exit 2) and a preset in
// another meter (exit 1) change nothing.
func TestBeatRefused(t *testing.T) {
	dir := beatSong(t)
	mustSang(t, "add-track", dir, "Vokal")
	before, _ := os.ReadFile(filepath.Join(dir, projects.SongFile))
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "give --preset NAME or --pattern TEXT"},
		{[]string{"--preset", "rock", "--pattern", "kick:x"}, 2, "one of them"},
		{[]string{"--preset", "polka"}, 2, `there is no preset "polka"`},
		{[]string{"--preset", "rock", "--fill", "gong"}, 2, `there is no fill "gong"`},
		{[]string{"--preset", "pop", "--fill", "toms"}, 2, "add --bars 2 or more"},
		{[]string{"--preset", "rock", "--bars", "5"}, 2, "a pattern is 1 to 4 bars"},
		{[]string{"--preset", "rock", "--to", "Bro"}, 2, `--to: the song has no marker "Bro" (its markers: Vers, Refreng)`},
		{[]string{"--preset", "rock", "--from", "Refreng", "--to", "Vers"}, 2, "--to the marker Vers is not after --from (bar 11)"},
		{[]string{"--preset", "rock", "--to", "bar x"}, 2, `write a bar as "bar 9"`},
		{[]string{"--preset", "rock", "--to", "end"}, 2, "the song has nothing in it yet, so it has no end"},
		{[]string{"--preset", "rock", "--swing", "2"}, 2, "--swing: swing is from 0 to 1, not 2"},
		{[]string{"--preset", "rock", "--seed", "3"}, 2, "--seed is for --humanize"},
		{[]string{"--preset", "shuffle", "--swing", "0.2"}, 2, "no off-beat 16ths to swing"},
		{[]string{"--pattern", "kick:x.y."}, 2, `--pattern: kick: 'y' at character 3 is not a step`},
		{[]string{"--pattern", "kick:x", "--accent", "128"}, 2, "--accent 128: a velocity is 1 to 127"},
		{[]string{"--preset", "waltz"}, 1, `the preset "Waltz 3/4" is in 3/4, and the song is in 4/4`},
		{[]string{"--preset", "rock", "--track", "Vokal"}, 1, "track 1 (Vokal) is mono audio, not a MIDI track playing the drum kit"},
		{[]string{"--preset", "rock", "--track", "7"}, 1, "there is no track 7"},
		{[]string{"--export", "x.wav"}, 2, "the file's name ends in .mid"},
		{[]string{"--export", "x.mid", "--preset", "rock"}, 2, "--preset: not with --export"},
	} {
		code, _, errs := sang(t, append([]string{"beat", dir}, c.args...)...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("beat %q: exit %d, %q; want exit %d and %q", c.args, code, errs, c.code, c.want)
		}
		if strings.Contains(errs, "%!") || strings.Contains(errs, "beat: beat:") {
			t.Errorf("beat %q: %q", c.args, errs)
		}
	}
	if after, _ := os.ReadFile(filepath.Join(dir, projects.SongFile)); !bytes.Equal(after, before) {
		t.Error("a refused beat changed the song")
	}
	if ents, _ := os.ReadDir(filepath.Join(dir, projects.AudioDir)); len(ents) != 0 {
		t.Errorf("a refused beat wrote %d takes", len(ents))
	}
	out := mustSang(t, "beat", "--list")
	for _, want := range []string{"hip-hop", "trap", "reggae", "waltz", "six-eight", "Vals 3/4", "hat-roll", "Basstromme", "kick:x...x...x...x..."} {
		if !strings.Contains(out, want) {
			t.Errorf("--list lacks %q", want)
		}
	}
	if code, _, errs := sang(t, "beat", "--list", "--preset", "rock"); code != 2 || !strings.Contains(errs, "--list takes nothing else") {
		t.Errorf("--list with --preset: %d %q", code, errs)
	}
	if out := mustSang(t, "help", "beat"); !strings.Contains(out, "--pattern TEXT") {
		t.Errorf("help beat: %q", out)
	}
}

// TestBeatExportRender: the beat track exports as a MIDI file on the
// song's bars, and the song renders with it (not silent; sox reads it).
func TestBeatExportRender(t *testing.T) {
	dir := beatSong(t)
	mustSang(t, "beat", dir, "--preset", "disco", "--from", "Vers", "--times", "2")
	mid := filepath.Join(t.TempDir(), "beat.mid")
	out := mustSang(t, "beat", dir, "--export", mid)
	if !strings.Contains(out, "Wrote track 1 (Beat) to "+mid+": a Standard MIDI File in 4/4 at 90 BPM, the drum kit on channel 10.") {
		t.Errorf("export said %q", out)
	}
	f, err := smf.ReadFile(mid, 48000)
	if err != nil {
		t.Fatal(err)
	}
	first := f.Channels[0].Events[0]
	// Bar 3 at 90 BPM: 2 bars of 4 beats of 2/3 s = 5.333 s = 256000 frames.
	if f.Channels[0].Channel != 9 || math.Abs(f.Tempo-90) > 1e-4 || first.Frame != 256000 || first.Msg[1] != 36 {
		t.Errorf("channel %d, %v BPM, first event %v", f.Channels[0].Channel+1, f.Tempo, first)
	}
	mix := filepath.Join(t.TempDir(), "mix.wav")
	mustSang(t, "render", dir, "--mix", mix, "--bits", "32f")
	_, audio := wavtest.Read(t, mix)
	var peakBefore, peak float32
	for i, v := range audio[0] {
		if i < 256000 {
			peakBefore = max(peakBefore, v, -v)
		} else {
			peak = max(peak, v, -v)
		}
	}
	if peakBefore != 0 || peak < 0.01 {
		t.Errorf("the render's peak before Vers %v, after %v", peakBefore, peak)
	}
	if code, _, errs := sang(t, "beat", dir, "--export", mid, "--track", "Nope"); code != 1 || !strings.Contains(errs, `there is no track called "Nope": give the beat track with --track`) {
		t.Errorf("export of a missing track: %d %q", code, errs)
	}
}

// TestParallelBeats: two `sangstudio beat` processes on one song at once,
// ten times, keep every clip: each waits for the other's save.
func TestParallelBeats(t *testing.T) {
	bin := binary(t)
	dir := beatSong(t)
	const rounds = 10
	for r := 0; r < rounds; r++ {
		var wg sync.WaitGroup
		for _, track := range []string{"A", "B"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				b, err := exec.Command(bin, "beat", dir, "--preset", "pop", "--track", track, "--from", fmt.Sprintf("bar %d", 2*r+1), "--times", "1").CombinedOutput()
				if err != nil {
					t.Errorf("round %d, track %s: %v\n%s", r+1, track, err, b)
				}
			}()
		}
		wg.Wait()
	}
	s := onDisk(t, dir)
	if len(s.Tracks) != 2 || len(s.Tracks[0].Clips) != rounds || len(s.Tracks[1].Clips) != rounds {
		t.Fatalf("%d tracks; clips: %d, %d", len(s.Tracks), len(s.Tracks[0].Clips), len(s.Tracks[min(1, len(s.Tracks)-1)].Clips))
	}
}

// onDisk is the song in dir as it is saved.
func onDisk(t *testing.T, dir string) *projects.Song {
	t.Helper()
	s, _, err := projects.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
