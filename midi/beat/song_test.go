package beat_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"sangstudio/midi/beat"
	"sangstudio/midi/smf"
	"sangstudio/projects"
	"sangstudio/projects/history"
)

// beatSong is a song at 48 kHz and 120 BPM in 4/4 (a bar is 96000 frames,
// a tick 25) with a beat track, saved in a new folder.
func beatSong(t *testing.T) (string, *projects.Song) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "song")
	s := projects.New("Beat", 48000)
	s.Tempo = 120
	s.Markers = []projects.Marker{{Name: "Vers", Position: 192000}, {Name: "Refreng", Position: 624000}}
	beat.AddTrack(s, "Beat")
	if err := projects.Create(dir, s); err != nil {
		t.Fatal(err)
	}
	return dir, s
}

func preset(t *testing.T, id string, bars int) *beat.Pattern {
	t.Helper()
	pr, ok := beat.FindPreset(id)
	if !ok {
		t.Fatalf("no preset %s", id)
	}
	p, err := beat.FromPreset(pr, bars)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// noteOns are the frames and keys of the note-ons in a take file.
func noteOns(t *testing.T, path string, rate int) (frames []int64, keys []byte) {
	t.Helper()
	events, err := smf.ReadEvents(path, rate)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range events {
		if e.IsNoteOn() {
			frames, keys = append(frames, e.Frame), append(keys, e.Msg[1])
		}
	}
	return frames, keys
}

// kickFrames are the frames of the kicks in a take file.
func kickFrames(t *testing.T, path string) []int64 {
	frames, keys := noteOns(t, path, 48000)
	var out []int64
	for i, k := range keys {
		if k == 36 {
			out = append(out, frames[i])
		}
	}
	return out
}

// TestPlace: a two-bar rock pattern from Vers to Refreng (4½ bars) is one
// clip whose take repeats the pattern from Vers and is cut at Refreng;
// the take is named by its content.
func TestPlace(t *testing.T) {
	dir, s := beatSong(t)
	p := preset(t, "rock", 2)
	k, take, err := beat.Place(s, 0, p, 192000, 624000)
	if err != nil {
		t.Fatal(err)
	}
	c := s.Tracks[0].Clips[k]
	if k != 0 || c.Position != 192000 || c.Length != 432000 || c.Offset != 0 || c.Take != take.Name || c.Beat == p {
		t.Fatalf("clip %d: %+v (the pattern must be a copy)", k, c)
	}
	if !regexp.MustCompile(`^beat-[0-9a-f]{16}\.mid$`).MatchString(take.Name) {
		t.Errorf("take name %q", take.Name)
	}
	if again, _ := beat.MakeTake(s, p.Clone(), 432000); again.Name != take.Name || !bytes.Equal(again.Data, take.Data) {
		t.Error("the same pattern over the same span gave another take")
	}
	if err := take.Write(dir); err != nil {
		t.Fatal(err)
	}
	// Rock's kicks: bar 1 on 1 and 3, bar 2 on 1, 3 and 3-and; a bar is
	// 96000 frames, a 16th 6000. The half bar at the end has bar 1's.
	var want []int64
	for _, bar := range []int64{0, 1, 2, 3, 4} {
		steps := []int64{0, 8}
		if bar%2 == 1 {
			steps = append(steps, 10)
		}
		for _, st := range steps {
			if f := bar*96000 + st*6000; f < 432000 {
				want = append(want, f)
			}
		}
	}
	if got := kickFrames(t, projects.AudioPath(dir, take.Name)); !slices.Equal(got, want) {
		t.Errorf("kicks at %v\nwant %v", got, want)
	}
	if err := take.Write(dir); err != nil {
		t.Errorf("writing the same take again: %v", err)
	}
	if err := (beat.Take{Name: take.Name, Data: []byte("other")}).Write(dir); err == nil || !strings.Contains(err.Error(), "there already with something else") {
		t.Errorf("a take in the way: %v", err)
	}
}

// TestPlaceOverwrites: placing a beat over part of another cuts that one
// there; the part after goes on playing from where it was in its pattern.
func TestPlaceOverwrites(t *testing.T) {
	_, s := beatSong(t)
	rock := preset(t, "rock", 2)
	_, first, _ := beat.Place(s, 0, rock, 192000, 624000)
	_, pop, err := beat.Place(s, 0, preset(t, "pop", 1), 288000, 384000)
	if err != nil {
		t.Fatal(err)
	}
	clips := s.Tracks[0].Clips
	type span struct{ pos, off, n int64 }
	var got []span
	for _, c := range clips {
		got = append(got, span{c.Position, c.Offset, c.Length})
	}
	want := []span{{192000, 0, 96000}, {288000, 0, 96000}, {384000, 192000, 240000}}
	if !slices.Equal(got, want) {
		t.Fatalf("clips %v, want %v", got, want)
	}
	if clips[0].Take != first.Name || clips[2].Take != first.Name || clips[1].Take != pop.Name || clips[2].Beat.Preset != "rock" {
		t.Errorf("takes %s %s %s", clips[0].Take, clips[1].Take, clips[2].Take)
	}
	// Over everything: one clip is left.
	if _, _, err := beat.Place(s, 0, rock, 0, 700000); err != nil || len(s.Tracks[0].Clips) != 1 {
		t.Errorf("placed over all: %v, %d clips", err, len(s.Tracks[0].Clips))
	}
}

func TestPlaceRefused(t *testing.T) {
	_, s := beatSong(t)
	s.Tracks = append(s.Tracks, projects.NewTrack("Vokal", 1))
	before, _ := projects.Encode(s)
	waltz := preset(t, "waltz", 1)
	for _, c := range []struct {
		name     string
		track    int
		p        *beat.Pattern
		from, to int64
		want     string
	}{
		{"audio track", 1, preset(t, "pop", 1), 0, 96000, `track 2 ("Vokal") is an audio track`},
		{"no track", 2, preset(t, "pop", 1), 0, 96000, "there is no track 3"},
		{"meter", 0, waltz, 0, 96000, "the pattern is in 3/4 and the song in 4/4"},
		{"empty span", 0, preset(t, "pop", 1), 96000, 96000, "a span that ends after it starts"},
		{"no pattern", 0, nil, 0, 96000, "there is no pattern"},
	} {
		if _, _, err := beat.Place(s, c.track, c.p, c.from, c.to); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	if after, _ := projects.Encode(s); !bytes.Equal(after, before) {
		t.Error("a refused Place changed the song")
	}
}

// TestEditClipUndo: an edit of a beat clip writes a new take and points
// the clip at it, as one undo step of the song's history; undo brings the
// old take back, and no take file is ever removed.
func TestEditClipUndo(t *testing.T) {
	dir, s := beatSong(t)
	_, take, err := beat.Place(s, 0, preset(t, "hip-hop", 2), 192000, 576000)
	if err != nil {
		t.Fatal(err)
	}
	if err := take.Write(dir); err != nil {
		t.Fatal(err)
	}
	h, err := history.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := projects.Encode(s)
	old := s.Tracks[0].Clips[0].Beat
	err = beat.EditClip(dir, s, 0, 0, func(p *beat.Pattern) (*beat.Pattern, error) { return beat.Toggle(p, 0, 2) })
	if err != nil {
		t.Fatal(err)
	}
	c := s.Tracks[0].Clips[0]
	if c.Take == take.Name || !c.Beat.Lanes[0].Steps[2].On() || old.Lanes[0].Steps[2].On() {
		t.Fatalf("after the edit the clip plays %s; step on: %v (the old pattern: %v)", c.Take, c.Beat.Lanes[0].Steps[2].On(), old.Lanes[0].Steps[2].On())
	}
	if kicks := kickFrames(t, projects.AudioPath(dir, c.Take)); kicks[1] != 2*6000 {
		t.Errorf("the new take's kicks: %v", kicks)
	}
	after, _ := projects.Encode(s)
	if err := h.Record("Beat: step", before, after); err != nil {
		t.Fatal(err)
	}
	if undo, redo := h.Len(); undo != 1 || redo != 0 {
		t.Fatalf("the edit made %d undo steps", undo)
	}
	back, err := h.Undo()
	if err != nil || back.Tracks[0].Clips[0].Take != take.Name {
		t.Fatalf("undo: %v", err)
	}
	for _, name := range []string{take.Name, c.Take} {
		if _, err := os.Stat(projects.AudioPath(dir, name)); err != nil {
			t.Errorf("take %s: %v", name, err)
		}
	}
	// A failed edit changes nothing.
	now, _ := projects.Encode(s)
	err = beat.EditClip(dir, s, 0, 0, func(p *beat.Pattern) (*beat.Pattern, error) { return beat.Toggle(p, 0, 99) })
	if again, _ := projects.Encode(s); err == nil || !bytes.Equal(again, now) {
		t.Errorf("a failed edit: %v, song changed: %v", err, !bytes.Equal(again, now))
	}
}

// TestSetPatternFlatten: a new pattern keeps the clip's place, length and
// phase; a flattened clip keeps its take and loses its pattern.
func TestSetPatternFlatten(t *testing.T) {
	dir, s := beatSong(t)
	_, take, _ := beat.Place(s, 0, preset(t, "rock", 2), 192000, 624000)
	take.Write(dir)
	s.Tracks[0].Clips[0].Offset, s.Tracks[0].Clips[0].Position, s.Tracks[0].Clips[0].Length = 96000, 288000, 336000 // trimmed at its start
	newTake, err := beat.SetPattern(s, 0, 0, preset(t, "disco", 1))
	if err != nil {
		t.Fatal(err)
	}
	c := s.Tracks[0].Clips[0]
	if c.Position != 288000 || c.Offset != 96000 || c.Length != 336000 || c.Take != newTake.Name || c.Beat.Preset != "disco" {
		t.Fatalf("clip %+v", c)
	}
	if err := beat.Flatten(s, 0, 0); err != nil {
		t.Fatal(err)
	}
	if c := s.Tracks[0].Clips[0]; c.Beat != nil || c.Take != newTake.Name {
		t.Fatalf("flattened: %+v", c)
	}
	if err := beat.Flatten(s, 0, 0); err == nil || !strings.Contains(err.Error(), "is not a beat") {
		t.Errorf("flattening a plain clip: %v", err)
	}
	// A plain MIDI clip given a pattern becomes a beat clip starting with it.
	if _, err := beat.SetPattern(s, 0, 0, preset(t, "pop", 1)); err != nil || s.Tracks[0].Clips[0].Offset != 0 {
		t.Errorf("a pattern on a plain clip: %v, offset %d", err, s.Tracks[0].Clips[0].Offset)
	}
	if err := beat.EditClip(dir, s, 0, 1, nil); err == nil || !strings.Contains(err.Error(), "has no clip 2") {
		t.Errorf("no clip 2: %v", err)
	}
}

// TestBarStart: bars where the click counts them, in 4/4 and in 6/8.
func TestBarStart(t *testing.T) {
	_, s := beatSong(t)
	if got := beat.BarStart(s, 3); got != 192000 {
		t.Errorf("bar 3 at %d", got)
	}
	s.TimeSig = projects.TimeSig{Beats: 6, Unit: 8}
	if got := beat.BarStart(s, 2); got != 144000 || beat.FileTempo(s) != 60 {
		t.Errorf("6/8: bar 2 at %d, file tempo %v", got, beat.FileTempo(s))
	}
}

// TestTakeCut: no note of a take starts at or after the clip's end,
// however the span falls.
func TestTakeCut(t *testing.T) {
	_, s := beatSong(t)
	p := preset(t, "trap", 2)
	for _, n := range []int64{1, 5999, 6000, 6001, 95999, 96000, 100001} {
		take, err := beat.MakeTake(s, p, n)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "t.mid")
		os.WriteFile(path, take.Data, 0o600)
		events, _ := smf.ReadEvents(path, 48000)
		for _, e := range events {
			if e.IsNoteOn() && e.Frame >= n || e.Frame > n+25 {
				t.Errorf("span %d: %v", n, e)
			}
		}
		if len(events) == 0 {
			t.Errorf("span %d: no notes", n)
		}
	}
}

// TestRefresh: after a change of tempo, Refresh gives each beat clip a
// take at the new tempo over the same frames; with nothing changed it
// gives none.
func TestRefresh(t *testing.T) {
	dir, s := beatSong(t)
	_, take, _ := beat.Place(s, 0, preset(t, "disco", 1), 192000, 384000)
	take.Write(dir)
	if takes, err := beat.Refresh(s); err != nil || len(takes) != 0 {
		t.Fatalf("nothing changed: %d takes, %v", len(takes), err)
	}
	s.Tempo = 100 // a 16th: 0.15 s, 7200 frames
	takes, err := beat.Refresh(s)
	if err != nil || len(takes) != 1 || s.Tracks[0].Clips[0].Take != takes[0].Name {
		t.Fatalf("after a change of tempo: %d takes, %v", len(takes), err)
	}
	takes[0].Write(dir)
	want := []int64{0, 28800, 57600, 86400, 115200, 144000, 172800}
	if got := kickFrames(t, projects.AudioPath(dir, takes[0].Name)); !slices.Equal(got, want) {
		t.Errorf("kicks at 100 BPM: %v, want %v", got, want)
	}
}

// TestStepAtFrame: the step under the playhead, for a clip that starts
// half a bar into its pattern.
func TestStepAtFrame(t *testing.T) {
	_, s := beatSong(t)
	beat.Place(s, 0, preset(t, "rock", 2), 192000, 384000)
	c := s.Tracks[0].Clips[0]
	c.Offset, c.Position = 48000, 240000 // trimmed by half a bar at its start
	for _, x := range []struct {
		frame int64
		step  int
		ok    bool
	}{{239999, 0, false}, {240000, 8, true}, {245999, 8, true}, {246000, 9, true}, {240000 + 144000, 0, true}, {c.End(), 0, false}} {
		if step, ok := beat.StepAtFrame(s, c, x.frame); step != x.step || ok != x.ok {
			t.Errorf("StepAtFrame(%d) = %d, %v; want %d, %v", x.frame, step, ok, x.step, x.ok)
		}
	}
}

// TestTakeTooLong: a span longer than any song is refused before its
// notes are made.
func TestTakeTooLong(t *testing.T) {
	_, s := beatSong(t)
	_, err := beat.MakeTake(s, preset(t, "trap", 2), 1<<40)
	if err == nil || !strings.Contains(err.Error(), "the beat is too long") {
		t.Errorf("a take of 2^40 frames: %v", err)
	}
	if _, err := beat.MakeTake(s, preset(t, "trap", 2), 4*3600*48000); err != nil {
		t.Errorf("4 hours of trap: %v", err)
	}
}
