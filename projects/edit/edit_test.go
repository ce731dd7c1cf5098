package edit_test

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"

	"sangstudio/projects"
	"sangstudio/projects/edit"
)

// testSong is a small valid song:
//
//	track 0 "Vokal"    mono audio:   A [1000, 11000) and B [20000, 25000); lane "Take 1"
//	track 1 "Gitar"    mono audio:   C [0, 48000)
//	track 2 "Piano"    stereo audio: D [0, 48000)
//	track 3 "Strykere" MIDI:         E [0, 96000)
func testSong() *projects.Song {
	s := projects.New("Morgenlys", 48000)
	s.Tempo = 120
	vokal := projects.NewTrack("Vokal", 1)
	vokal.Clips = []projects.Clip{
		{Take: "0002-Vokal.wav", Position: 1000, Offset: 500, Length: 10000, GainDB: -3, FadeIn: 100, FadeOut: 200},
		{Take: "0003-Vokal.wav", Position: 20000, Offset: 0, Length: 5000},
	}
	vokal.ActiveLane = "Take 2"
	vokal.Lanes = []projects.Lane{{Name: "Take 1", Clips: []projects.Clip{{Take: "0001-Vokal.wav", Position: 0, Length: 30000}}}}
	gitar := projects.NewTrack("Gitar", 1)
	gitar.Clips = []projects.Clip{{Take: "0004-Gitar.wav", Length: 48000}}
	piano := projects.NewTrack("Piano", 2)
	piano.Clips = []projects.Clip{{Take: "0005-Piano.wav", Length: 48000}}
	str := projects.NewMIDITrack("Strykere", 48, false)
	str.Clips = []projects.Clip{{Take: "0006-Strykere.mid", Length: 96000}}
	s.Tracks = append(s.Tracks, vokal, gitar, piano, str)
	s.Markers = []projects.Marker{{Name: "Vers", Position: 0}, {Name: "Refreng", Position: 48000}}
	if err := s.Validate(); err != nil {
		panic(err)
	}
	return s
}

func encode(t *testing.T, s *projects.Song) []byte {
	t.Helper()
	b, err := projects.Encode(s)
	if err != nil {
		t.Fatalf("the song does not encode: %v", err)
	}
	return b
}

// check runs an edit and checks the outcome: on success the song
// validates; on failure the error mentions wantErr and the song is byte
// for byte unchanged.
func check(t *testing.T, s *projects.Song, wantErr string, do func(*projects.Song) error) {
	t.Helper()
	before := encode(t, s)
	ptrs := slices.Clone(s.Tracks)
	err := do(s)
	switch {
	case wantErr == "" && err != nil:
		t.Fatalf("unexpected error: %v", err)
	case wantErr != "" && err == nil:
		t.Fatalf("no error, want one containing %q", wantErr)
	case wantErr != "" && !strings.Contains(err.Error(), wantErr):
		t.Fatalf("error %q does not contain %q", err, wantErr)
	}
	if err != nil {
		if after := encode(t, s); !bytes.Equal(before, after) {
			t.Fatalf("a refused edit changed the song:\nbefore %s\nafter %s", before, after)
		}
	} else if verr := s.Validate(); verr != nil {
		t.Fatalf("the edited song does not validate: %v", verr)
	}
	for i := range ptrs {
		if i < len(s.Tracks) && s.Tracks[i] != ptrs[i] {
			t.Fatalf("track %d was replaced by a new *Track", i)
		}
	}
}

// spans lists a track's clips as [position, offset, length] for comparing.
func spans(cs []projects.Clip) [][3]int64 {
	out := make([][3]int64, len(cs))
	for i, c := range cs {
		out[i] = [3]int64{c.Position, c.Offset, c.Length}
	}
	return out
}

func wantSpans(t *testing.T, got []projects.Clip, want [][3]int64) {
	t.Helper()
	if g := spans(got); !slices.Equal(g, want) {
		t.Fatalf("clips (position, offset, length) = %v, want %v", g, want)
	}
}

func TestMoveClip(t *testing.T) {
	tests := []struct {
		name    string
		track   int
		clip    int
		pos     int64
		want    [][3]int64
		wantErr string
	}{
		{name: "later, still first", clip: 0, pos: 5000, want: [][3]int64{{5000, 500, 10000}, {20000, 0, 5000}}},
		{name: "past the next clip", clip: 0, pos: 30000, want: [][3]int64{{20000, 0, 5000}, {30000, 500, 10000}}},
		{name: "before the first clip", clip: 1, pos: 10, want: [][3]int64{{10, 0, 5000}, {1000, 500, 10000}}},
		{name: "negative clamps to zero", clip: 0, pos: -500, want: [][3]int64{{0, 500, 10000}, {20000, 0, 5000}}},
		{name: "onto the same start goes on top", clip: 0, pos: 20000, want: [][3]int64{{20000, 0, 5000}, {20000, 500, 10000}}},
		{name: "overlapping is allowed", clip: 1, pos: 2000, want: [][3]int64{{1000, 500, 10000}, {2000, 0, 5000}}},
		{name: "same place changes nothing", clip: 1, pos: 20000, want: [][3]int64{{1000, 500, 10000}, {20000, 0, 5000}}},
		{name: "no such clip", clip: 2, pos: 0, wantErr: `track 1 ("Vokal") has no clip 3 (it has 2 clips)`},
		{name: "negative clip", clip: -1, pos: 0, wantErr: "has no clip 0"},
		{name: "no such track", track: 9, pos: 0, wantErr: "there is no track 10 (the song has 4 tracks)"},
		{name: "beyond any song", clip: 0, pos: 1 << 41, wantErr: "beyond any plausible song length"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := testSong()
			check(t, s, tc.wantErr, func(s *projects.Song) error { return edit.MoveClip(s, tc.track, tc.clip, tc.pos) })
			if tc.wantErr == "" {
				wantSpans(t, s.Tracks[tc.track].Clips, tc.want)
			}
		})
	}
}

func TestMoveClipKeepsEverythingElse(t *testing.T) {
	s := testSong()
	if err := edit.MoveClip(s, 0, 0, 30000); err != nil {
		t.Fatal(err)
	}
	c := s.Tracks[0].Clips[1]
	want := projects.Clip{Take: "0002-Vokal.wav", Position: 30000, Offset: 500, Length: 10000, GainDB: -3, FadeIn: 100, FadeOut: 200}
	if c != want {
		t.Fatalf("moved clip = %+v, want %+v", c, want)
	}
	if len(s.Tracks[0].Lanes) != 1 || s.Tracks[0].ActiveLane != "Take 2" {
		t.Fatalf("lanes changed: %+v", s.Tracks[0])
	}
}

func TestMoveClipToTrack(t *testing.T) {
	tests := []struct {
		name     string
		from     int
		clip     int
		to       int
		pos      int64
		wantFrom [][3]int64
		wantTo   [][3]int64
		wantErr  string
	}{
		{name: "mono to mono, after", from: 0, clip: 1, to: 1, pos: 50000,
			wantFrom: [][3]int64{{1000, 500, 10000}}, wantTo: [][3]int64{{0, 0, 48000}, {50000, 0, 5000}}},
		{name: "mono to mono, same start goes on top", from: 0, clip: 0, to: 1, pos: 0,
			wantFrom: [][3]int64{{20000, 0, 5000}}, wantTo: [][3]int64{{0, 0, 48000}, {0, 500, 10000}}},
		{name: "back the other way", from: 1, clip: 0, to: 0, pos: -7,
			wantFrom: [][3]int64{}, wantTo: [][3]int64{{0, 0, 48000}, {1000, 500, 10000}, {20000, 0, 5000}}},
		{name: "same track is a move", from: 0, clip: 0, to: 0, pos: 40000,
			wantFrom: [][3]int64{{20000, 0, 5000}, {40000, 500, 10000}}, wantTo: [][3]int64{{20000, 0, 5000}, {40000, 500, 10000}}},
		{name: "mono to stereo", from: 0, clip: 0, to: 2, pos: 0, wantErr: `track 1 ("Vokal") is a mono audio track and track 3 ("Piano") is a stereo audio track`},
		{name: "audio to MIDI", from: 2, clip: 0, to: 3, pos: 0, wantErr: "is a stereo MIDI track"},
		{name: "MIDI to audio", from: 3, clip: 0, to: 2, pos: 0, wantErr: "same kind"},
		{name: "no target", from: 0, clip: 0, to: 4, pos: 0, wantErr: "there is no track 5"},
		{name: "negative target", from: 0, clip: 0, to: -1, pos: 0, wantErr: "there is no track 0"},
		{name: "no clip", from: 1, clip: 1, to: 0, pos: 0, wantErr: `track 2 ("Gitar") has no clip 2 (it has 1 clip)`},
		{name: "beyond any song", from: 0, clip: 0, to: 1, pos: math.MaxInt64, wantErr: "beyond any plausible song length"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := testSong()
			check(t, s, tc.wantErr, func(s *projects.Song) error { return edit.MoveClipToTrack(s, tc.from, tc.clip, tc.to, tc.pos) })
			if tc.wantErr == "" {
				wantSpans(t, s.Tracks[tc.from].Clips, tc.wantFrom)
				wantSpans(t, s.Tracks[tc.to].Clips, tc.wantTo)
			}
		})
	}
}

func TestTrimStart(t *testing.T) {
	tests := []struct {
		name    string
		clip    int
		start   int64
		want    projects.Clip // compared in full when no error
		wantErr string
	}{
		{name: "shorter", clip: 0, start: 3000,
			want: projects.Clip{Take: "0002-Vokal.wav", Position: 3000, Offset: 2500, Length: 8000, GainDB: -3, FadeIn: 100, FadeOut: 200}},
		{name: "longer, back to the take's first frame", clip: 0, start: 500,
			want: projects.Clip{Take: "0002-Vokal.wav", Position: 500, Offset: 0, Length: 10500, GainDB: -3, FadeIn: 100, FadeOut: 200}},
		{name: "down to the minimum length", clip: 0, start: 11000 - edit.MinClipLength,
			want: projects.Clip{Take: "0002-Vokal.wav", Position: 11000 - edit.MinClipLength, Offset: 10500 - edit.MinClipLength, Length: edit.MinClipLength, GainDB: -3, FadeIn: 0, FadeOut: edit.MinClipLength}},
		{name: "fade-in gives way to the fade-out", clip: 0, start: 10750,
			want: projects.Clip{Take: "0002-Vokal.wav", Position: 10750, Offset: 10250, Length: 250, GainDB: -3, FadeIn: 50, FadeOut: 200}},
		{name: "unchanged", clip: 1, start: 20000,
			want: projects.Clip{Take: "0003-Vokal.wav", Position: 20000, Length: 5000}},
		{name: "before the take", clip: 0, start: 499, wantErr: "the take begins at frame 500 of the timeline"},
		{name: "offset zero cannot grow", clip: 1, start: 19999, wantErr: "the take begins at frame 20000"},
		{name: "before the song", clip: 0, start: -1, wantErr: "the song starts at frame 0"},
		{name: "too short", clip: 0, start: 11000 - edit.MinClipLength + 1, wantErr: "shorter than 64 frames"},
		{name: "past the end", clip: 1, start: 26000, wantErr: "shorter than 64 frames (it ends at frame 25000)"},
		{name: "no clip", clip: 5, start: 0, wantErr: "has no clip 6"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := testSong()
			check(t, s, tc.wantErr, func(s *projects.Song) error { return edit.TrimStart(s, 0, tc.clip, tc.start) })
			if tc.wantErr == "" {
				if got := s.Tracks[0].Clips[tc.clip]; got != tc.want {
					t.Fatalf("clip = %+v, want %+v", got, tc.want)
				}
			}
		})
	}
}

// TestTrimStartKeepsAudioInPlace: every frame still inside the clip plays
// the same take frame as before.
func TestTrimStartKeepsAudioInPlace(t *testing.T) {
	s := testSong()
	before := s.Tracks[0].Clips[0]
	if err := edit.TrimStart(s, 0, 0, 4321); err != nil {
		t.Fatal(err)
	}
	after := s.Tracks[0].Clips[0]
	for f := after.Position; f < after.End(); f += 97 {
		if f-before.Position+before.Offset != f-after.Position+after.Offset {
			t.Fatalf("timeline frame %d moved in the take", f)
		}
	}
	if after.End() != before.End() {
		t.Fatalf("end moved from %d to %d", before.End(), after.End())
	}
}

func TestTrimEnd(t *testing.T) {
	tests := []struct {
		name       string
		clip       int
		end        int64
		takeFrames int64
		want       projects.Clip
		wantErr    string
	}{
		{name: "shorter", clip: 0, end: 6000,
			want: projects.Clip{Take: "0002-Vokal.wav", Position: 1000, Offset: 500, Length: 5000, GainDB: -3, FadeIn: 100, FadeOut: 200}},
		{name: "longer within the take", clip: 0, end: 12000, takeFrames: 20000,
			want: projects.Clip{Take: "0002-Vokal.wav", Position: 1000, Offset: 500, Length: 11000, GainDB: -3, FadeIn: 100, FadeOut: 200}},
		{name: "to the take's end", clip: 0, end: 20500, takeFrames: 20000,
			want: projects.Clip{Take: "0002-Vokal.wav", Position: 1000, Offset: 500, Length: 19500, GainDB: -3, FadeIn: 100, FadeOut: 200}},
		{name: "fade-out gives way to the fade-in", clip: 0, end: 1250,
			want: projects.Clip{Take: "0002-Vokal.wav", Position: 1000, Offset: 500, Length: 250, GainDB: -3, FadeIn: 100, FadeOut: 150}},
		{name: "minimum length", clip: 1, end: 20000 + edit.MinClipLength,
			want: projects.Clip{Take: "0003-Vokal.wav", Position: 20000, Length: edit.MinClipLength}},
		{name: "shorter with unknown take length", clip: 1, end: 21000, takeFrames: -1,
			want: projects.Clip{Take: "0003-Vokal.wav", Position: 20000, Length: 1000}},
		{name: "past the take's end", clip: 0, end: 20501, takeFrames: 20000, wantErr: `its take "0002-Vokal.wav" ends at frame 20500 of the timeline`},
		{name: "longer with unknown take length", clip: 0, end: 11001, wantErr: "the length of its take \"0002-Vokal.wav\" is not known"},
		{name: "too short", clip: 1, end: 20000 + edit.MinClipLength - 1, wantErr: "shorter than 64 frames (it starts at frame 20000)"},
		{name: "before the start", clip: 1, end: 100, wantErr: "shorter than 64 frames"},
		{name: "no track", clip: 0, end: 100, takeFrames: 1, want: projects.Clip{}, wantErr: "has no clip 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := testSong()
			track := 0
			if tc.name == "no track" {
				s.Tracks[0].Clips = []projects.Clip{}
			}
			check(t, s, tc.wantErr, func(s *projects.Song) error { return edit.TrimEnd(s, track, tc.clip, tc.end, tc.takeFrames) })
			if tc.wantErr == "" {
				if got := s.Tracks[0].Clips[tc.clip]; got != tc.want {
					t.Fatalf("clip = %+v, want %+v", got, tc.want)
				}
			}
		})
	}
}

func TestLimits(t *testing.T) {
	s := testSong()
	if lo, hi, err := edit.StartLimits(s, 0, 0); err != nil || lo != 500 || hi != 11000-edit.MinClipLength {
		t.Errorf("StartLimits = %d, %d, %v; want 500, %d", lo, hi, err, 11000-edit.MinClipLength)
	}
	if lo, hi, err := edit.StartLimits(s, 1, 0); err != nil || lo != 0 || hi != 48000-edit.MinClipLength {
		t.Errorf("StartLimits(track 2) = %d, %d, %v", lo, hi, err)
	}
	if lo, hi, err := edit.EndLimits(s, 0, 0, 20000); err != nil || lo != 1000+edit.MinClipLength || hi != 20500 {
		t.Errorf("EndLimits = %d, %d, %v; want %d, 20500", lo, hi, err, 1000+edit.MinClipLength)
	}
	if lo, hi, err := edit.EndLimits(s, 0, 0, 0); err != nil || lo != 1000+edit.MinClipLength || hi != 11000 {
		t.Errorf("EndLimits(unknown take) = %d, %d, %v", lo, hi, err)
	}
	if _, _, err := edit.StartLimits(s, 0, 7); err == nil {
		t.Error("StartLimits of a missing clip: no error")
	}
	if _, _, err := edit.EndLimits(s, 7, 0, 0); err == nil {
		t.Error("EndLimits of a missing track: no error")
	}
	// A clip already shorter than MinClipLength may stay as it is.
	s.Tracks[0].Clips[1].Length = 10
	if lo, hi, err := edit.StartLimits(s, 0, 1); err != nil || lo != 20000 || hi != 20000 {
		t.Errorf("StartLimits(short clip) = %d, %d, %v", lo, hi, err)
	}
	check(t, s, "", func(s *projects.Song) error { return edit.TrimEnd(s, 0, 1, 20010, 0) })
	check(t, s, "shorter than 10 frames", func(s *projects.Song) error { return edit.TrimEnd(s, 0, 1, 20009, 0) })
}

func TestSplit(t *testing.T) {
	tests := []struct {
		name    string
		clip    int
		at      int64
		want    []projects.Clip
		wantErr string
	}{
		{name: "middle", clip: 0, at: 4000, want: []projects.Clip{
			{Take: "0002-Vokal.wav", Position: 1000, Offset: 500, Length: 3000, GainDB: -3, FadeIn: 100},
			{Take: "0002-Vokal.wav", Position: 4000, Offset: 3500, Length: 7000, GainDB: -3, FadeOut: 200},
			{Take: "0003-Vokal.wav", Position: 20000, Length: 5000},
		}},
		{name: "nearest the start", clip: 0, at: 1000 + edit.MinClipLength, want: []projects.Clip{
			{Take: "0002-Vokal.wav", Position: 1000, Offset: 500, Length: edit.MinClipLength, GainDB: -3, FadeIn: edit.MinClipLength},
			{Take: "0002-Vokal.wav", Position: 1000 + edit.MinClipLength, Offset: 500 + edit.MinClipLength, Length: 10000 - edit.MinClipLength, GainDB: -3, FadeOut: 200},
			{Take: "0003-Vokal.wav", Position: 20000, Length: 5000},
		}},
		{name: "nearest the end", clip: 1, at: 25000 - edit.MinClipLength, want: []projects.Clip{
			{Take: "0002-Vokal.wav", Position: 1000, Offset: 500, Length: 10000, GainDB: -3, FadeIn: 100, FadeOut: 200},
			{Take: "0003-Vokal.wav", Position: 20000, Length: 5000 - edit.MinClipLength},
			{Take: "0003-Vokal.wav", Position: 25000 - edit.MinClipLength, Offset: 5000 - edit.MinClipLength, Length: edit.MinClipLength},
		}},
		{name: "too near the start", clip: 0, at: 1000 + edit.MinClipLength - 1, wantErr: "the cut must lie between frames 1064 and 10936"},
		{name: "too near the end", clip: 0, at: 11000 - edit.MinClipLength + 1, wantErr: "at least 64 frames inside the clip"},
		{name: "at the start", clip: 0, at: 1000, wantErr: "the cut must lie between"},
		{name: "outside", clip: 0, at: 15000, wantErr: "the cut must lie between"},
		{name: "no clip", clip: 3, at: 15000, wantErr: "has no clip 4"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := testSong()
			check(t, s, tc.wantErr, func(s *projects.Song) error { return edit.Split(s, 0, tc.clip, tc.at) })
			if tc.wantErr == "" && !slices.Equal(s.Tracks[0].Clips, tc.want) {
				t.Fatalf("clips = %+v\nwant %+v", s.Tracks[0].Clips, tc.want)
			}
		})
	}
}

func TestSplitShortClip(t *testing.T) {
	s := testSong()
	s.Tracks[0].Clips[1].Length = 2*edit.MinClipLength - 1
	check(t, s, "too short to split", func(s *projects.Song) error { return edit.Split(s, 0, 1, 20000+edit.MinClipLength) })
	s.Tracks[0].Clips[1].Length = 2 * edit.MinClipLength
	check(t, s, "", func(s *projects.Song) error { return edit.Split(s, 0, 1, 20000+edit.MinClipLength) })
	wantSpans(t, s.Tracks[0].Clips, [][3]int64{{1000, 500, 10000}, {20000, 0, 64}, {20064, 64, 64}})
}

// overlapping is a track where clip 1 starts inside clip 0 and covers it
// over [4000, 6000).
func overlapping() *projects.Song {
	s := testSong()
	s.Tracks[1].Clips = []projects.Clip{
		{Take: "0004-Gitar.wav", Position: 0, Length: 10000},
		{Take: "0007-Gitar.wav", Position: 4000, Length: 2000},
		{Take: "0008-Gitar.wav", Position: 8000, Length: 4000},
	}
	return s
}

// TestOverlapsKeepWhatIsHeard: trims and splits that would change which of
// two overlapping clips is heard are refused; the others keep the order.
func TestOverlapsKeepWhatIsHeard(t *testing.T) {
	tests := []struct {
		name    string
		do      func(*projects.Song) error
		want    [][3]int64
		wantErr string
	}{
		{name: "split under a covering clip", do: func(s *projects.Song) error { return edit.Split(s, 1, 0, 5000) },
			wantErr: `cannot split clip 1 on track 2 ("Gitar") at frame 5000: clip 2 on the same track overlaps it there`},
		{name: "split after a covering clip", do: func(s *projects.Song) error { return edit.Split(s, 1, 0, 7000) },
			want: [][3]int64{{0, 0, 7000}, {4000, 0, 2000}, {7000, 7000, 3000}, {8000, 0, 4000}}},
		{name: "split under the clip it covers", do: func(s *projects.Song) error { return edit.Split(s, 1, 2, 9000) },
			want: [][3]int64{{0, 0, 10000}, {4000, 0, 2000}, {8000, 0, 1000}, {9000, 1000, 3000}}},
		{name: "start trimmed past a covering clip's start", do: func(s *projects.Song) error { return edit.TrimStart(s, 1, 0, 5000) },
			wantErr: "clip 2 on the same track overlaps it there"},
		{name: "start trimmed past a whole clip", do: func(s *projects.Song) error { return edit.TrimStart(s, 1, 0, 6000) },
			want: [][3]int64{{4000, 0, 2000}, {6000, 6000, 4000}, {8000, 0, 4000}}},
		{name: "covering clip trimmed", do: func(s *projects.Song) error { return edit.TrimStart(s, 1, 1, 4500) },
			want: [][3]int64{{0, 0, 10000}, {4500, 500, 1500}, {8000, 0, 4000}}},
		{name: "end trimmed", do: func(s *projects.Song) error { return edit.TrimEnd(s, 1, 0, 5000, 0) },
			want: [][3]int64{{0, 0, 5000}, {4000, 0, 2000}, {8000, 0, 4000}}},
		{name: "a move decides by start", do: func(s *projects.Song) error { return edit.MoveClip(s, 1, 0, 5000) },
			want: [][3]int64{{4000, 0, 2000}, {5000, 0, 10000}, {8000, 0, 4000}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := overlapping()
			before := heardMap(s.Tracks[1], 0, 20000)
			check(t, s, tc.wantErr, tc.do)
			if tc.wantErr != "" {
				return
			}
			wantSpans(t, s.Tracks[1].Clips, tc.want)
			if strings.HasPrefix(tc.name, "split") {
				if after := heardMap(s.Tracks[1], 0, 20000); !slices.Equal(before, after) {
					t.Fatal("the split changed what is heard")
				}
			}
		})
	}
}

type heard struct {
	take  string
	frame int64
}

// heardMap lists what track t plays at each frame of [from, to): the take
// and take frame of the topmost clip there, as the player reads them.
func heardMap(t *projects.Track, from, to int64) []heard {
	out := make([]heard, 0, to-from)
	for f := from; f < to; f++ {
		h := heard{}
		for i := len(t.Clips) - 1; i >= 0; i-- {
			if c := t.Clips[i]; f >= c.Position && f < c.End() {
				h = heard{c.Take, f - c.Position + c.Offset}
				break
			}
		}
		out = append(out, h)
	}
	return out
}

func TestSetFades(t *testing.T) {
	tests := []struct {
		name         string
		clip         int
		in, out      int64
		wantIn, wOut int64
		wantErr      string
	}{
		{name: "both", clip: 0, in: 1000, out: 2000, wantIn: 1000, wOut: 2000},
		{name: "none", clip: 0, in: 0, out: 0, wantIn: 0, wOut: 0},
		{name: "negative", clip: 0, in: -5, out: -6, wantIn: 0, wOut: 0},
		{name: "exactly the clip", clip: 0, in: 4000, out: 6000, wantIn: 4000, wOut: 6000},
		{name: "fade-in too long, fade-out kept as it was", clip: 0, in: 9900, out: 200, wantIn: 9900, wOut: 100},
		{name: "fade-in longer than the clip", clip: 0, in: 50000, out: 200, wantIn: 10000, wOut: 0},
		{name: "fade-out too long, fade-in kept as it was", clip: 0, in: 100, out: 9950, wantIn: 50, wOut: 9950},
		{name: "both too long shrink in proportion", clip: 0, in: 6000, out: 9000, wantIn: 4000, wOut: 6000},
		{name: "both far too long", clip: 0, in: math.MaxInt64, out: math.MaxInt64, wantIn: 5000, wOut: 5000},
		{name: "unchanged", clip: 0, in: 100, out: 200, wantIn: 100, wOut: 200},
		{name: "no clip", clip: 2, wantErr: "has no clip 3"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := testSong()
			check(t, s, tc.wantErr, func(s *projects.Song) error { return edit.SetFades(s, 0, tc.clip, tc.in, tc.out) })
			if tc.wantErr == "" {
				c := s.Tracks[0].Clips[tc.clip]
				if c.FadeIn != tc.wantIn || c.FadeOut != tc.wOut {
					t.Fatalf("fades = %d, %d; want %d, %d", c.FadeIn, c.FadeOut, tc.wantIn, tc.wOut)
				}
			}
		})
	}
}

func TestSetClipGain(t *testing.T) {
	tests := []struct {
		name    string
		db      float64
		want    float64
		wantErr string
	}{
		{name: "quieter", db: -6.5, want: -6.5},
		{name: "louder", db: 12, want: 12},
		{name: "unity", db: 0, want: 0},
		{name: "maximum", db: projects.MaxGainDB, want: projects.MaxGainDB},
		{name: "above the maximum", db: 100, want: projects.MaxGainDB},
		{name: "silence", db: projects.MinGainDB, want: projects.MinGainDB},
		{name: "below silence", db: -1000, want: projects.MinGainDB},
		{name: "minus infinity", db: math.Inf(-1), want: projects.MinGainDB},
		{name: "plus infinity", db: math.Inf(1), want: projects.MaxGainDB},
		{name: "not a number", db: math.NaN(), wantErr: `cannot set the gain of clip 1 on track 1 ("Vokal"): the gain is not a number`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := testSong()
			check(t, s, tc.wantErr, func(s *projects.Song) error { return edit.SetClipGain(s, 0, 0, tc.db) })
			if tc.wantErr == "" && s.Tracks[0].Clips[0].GainDB != tc.want {
				t.Fatalf("gain = %v, want %v", s.Tracks[0].Clips[0].GainDB, tc.want)
			}
		})
	}
	s := testSong()
	check(t, s, "there is no track 0", func(s *projects.Song) error { return edit.SetClipGain(s, -1, 0, 0) })
}

func TestDeleteClip(t *testing.T) {
	tests := []struct {
		name    string
		track   int
		clip    int
		want    [][3]int64
		wantErr string
	}{
		{name: "first", clip: 0, want: [][3]int64{{20000, 0, 5000}}},
		{name: "last", clip: 1, want: [][3]int64{{1000, 500, 10000}}},
		{name: "only", track: 1, clip: 0, want: [][3]int64{}},
		{name: "no clip", clip: 2, wantErr: "has no clip 3"},
		{name: "no track", track: 4, wantErr: "there is no track 5"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := testSong()
			takes := len(s.Takes)
			check(t, s, tc.wantErr, func(s *projects.Song) error { return edit.DeleteClip(s, tc.track, tc.clip) })
			if tc.wantErr == "" {
				wantSpans(t, s.Tracks[tc.track].Clips, tc.want)
				if s.Tracks[tc.track].Clips == nil {
					t.Fatal("clips became nil")
				}
				if len(s.Takes) != takes {
					t.Fatal("the take list changed")
				}
			}
		})
	}
}

func TestActivateTake(t *testing.T) {
	tests := []struct {
		name       string
		track      int
		lane       string
		wantActive string
		wantLanes  []string
		wantClips  [][3]int64
		wantErr    string
	}{
		{name: "earlier take", lane: "Take 1", wantActive: "Take 1", wantLanes: []string{"Take 2"}, wantClips: [][3]int64{{0, 0, 30000}}},
		{name: "ignoring case and spaces", lane: "  take 1 ", wantActive: "Take 1", wantLanes: []string{"Take 2"}, wantClips: [][3]int64{{0, 0, 30000}}},
		{name: "already active", lane: "Take 2", wantActive: "Take 2", wantLanes: []string{"Take 1"}, wantClips: [][3]int64{{1000, 500, 10000}, {20000, 0, 5000}}},
		{name: "already active, other case", lane: "TAKE 2", wantActive: "Take 2", wantLanes: []string{"Take 1"}, wantClips: [][3]int64{{1000, 500, 10000}, {20000, 0, 5000}}},
		{name: "no such take", lane: "Take 3", wantErr: `track 1 ("Vokal") has no take called "Take 3" (its other takes: "Take 1")`},
		{name: "empty name", lane: " ", wantErr: `has no take called ""`},
		{name: "track without takes", track: 1, lane: "Take 1", wantErr: `track 2 ("Gitar") has no take called "Take 1" (it has no other takes)`},
		{name: "no track", track: 8, lane: "Take 1", wantErr: "there is no track 9"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := testSong()
			check(t, s, tc.wantErr, func(s *projects.Song) error { return edit.ActivateTake(s, tc.track, tc.lane) })
			if tc.wantErr != "" {
				return
			}
			tr := s.Tracks[tc.track]
			var lanes []string
			for _, l := range tr.Lanes {
				lanes = append(lanes, l.Name)
			}
			if tr.ActiveLane != tc.wantActive || !slices.Equal(lanes, tc.wantLanes) {
				t.Fatalf("active %q, lanes %q; want %q, %q", tr.ActiveLane, lanes, tc.wantActive, tc.wantLanes)
			}
			wantSpans(t, tr.Clips, tc.wantClips)
		})
	}
}

// TestActivateTakeLosesNothing: switching back and forth returns the
// song as it was, and an unnamed active lane becomes "Original".
func TestActivateTakeLosesNothing(t *testing.T) {
	s := testSong()
	orig := encode(t, s)
	check(t, s, "", func(s *projects.Song) error { return edit.ActivateTake(s, 0, "Take 1") })
	check(t, s, "", func(s *projects.Song) error { return edit.ActivateTake(s, 0, "Take 2") })
	if got := encode(t, s); !bytes.Equal(got, orig) {
		t.Fatalf("switching takes back and forth changed the song:\n%s\n%s", orig, got)
	}

	s.Tracks[0].ActiveLane = ""
	check(t, s, "", func(s *projects.Song) error { return edit.ActivateTake(s, 0, "Take 1") })
	if l := s.Tracks[0].Lanes[0]; l.Name != "Original" || len(l.Clips) != 2 {
		t.Fatalf("the unnamed lane became %+v", l)
	}
	check(t, s, "", func(s *projects.Song) error { return edit.ActivateTake(s, 0, "original") })
	wantSpans(t, s.Tracks[0].Clips, [][3]int64{{1000, 500, 10000}, {20000, 0, 5000}})
}

func TestClipAt(t *testing.T) {
	s := overlapping()
	tests := []struct {
		name   string
		track  int
		frame  int64
		want   int
		wantOK bool
	}{
		{name: "start of a clip", track: 0, frame: 1000, want: 0, wantOK: true},
		{name: "last frame of a clip", track: 0, frame: 10999, want: 0, wantOK: true},
		{name: "just after a clip", track: 0, frame: 11000, want: -1},
		{name: "before any clip", track: 0, frame: 999, want: -1},
		{name: "second clip", track: 0, frame: 24999, want: 1, wantOK: true},
		{name: "topmost where clips overlap", track: 1, frame: 4000, want: 1, wantOK: true},
		{name: "under clip ends", track: 1, frame: 6000, want: 0, wantOK: true},
		{name: "negative frame", track: 1, frame: -1, want: -1},
		{name: "no track", track: 4, frame: 0, want: -1},
		{name: "negative track", track: -1, frame: 0, want: -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := edit.ClipAt(s, tc.track, tc.frame)
			if got != tc.want || ok != tc.wantOK {
				t.Fatalf("ClipAt = %d, %v; want %d, %v", got, ok, tc.want, tc.wantOK)
			}
		})
	}
	if _, ok := edit.ClipAt(nil, 0, 0); ok {
		t.Fatal("ClipAt(nil) found a clip")
	}
}

func TestSnapToBeat(t *testing.T) {
	tests := []struct {
		name  string
		rate  int
		tempo float64
		frame int64
		want  int64
	}{
		{name: "on a beat", rate: 48000, tempo: 120, frame: 24000, want: 24000},
		{name: "just before the middle", rate: 48000, tempo: 120, frame: 35999, want: 24000},
		{name: "just after the middle", rate: 48000, tempo: 120, frame: 36001, want: 48000},
		{name: "start", rate: 48000, tempo: 120, frame: 11999, want: 0},
		{name: "negative", rate: 48000, tempo: 120, frame: -5000, want: 0},
		{name: "100 BPM", rate: 48000, tempo: 100, frame: 30000, want: 28800},
		{name: "44.1 kHz at 70 BPM", rate: 44100, tempo: 70, frame: 38000, want: 37800},
		{name: "fractional beat", rate: 48000, tempo: 97, frame: 3 * 29690, want: 89072},
		{name: "no tempo", rate: 48000, tempo: 0, frame: 1234, want: 1234},
		{name: "no rate", rate: 0, tempo: 120, frame: 1234, want: 1234},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := projects.New("x", 48000)
			s.Rate, s.Tempo = tc.rate, tc.tempo
			if got := edit.SnapToBeat(s, tc.frame); got != tc.want {
				t.Fatalf("SnapToBeat(%d) = %d, want %d", tc.frame, got, tc.want)
			}
		})
	}
	if got := edit.SnapToBeat(nil, 5); got != 5 {
		t.Fatalf("SnapToBeat(nil) = %d", got)
	}
}

// TestInvalidSongRefused: an edit of a song that does not validate is
// refused and changes nothing.
func TestInvalidSongRefused(t *testing.T) {
	s := testSong()
	s.Tempo = 1000
	before, _ := jsonOf(s)
	err := edit.MoveClip(s, 0, 0, 5000)
	if err == nil || !strings.Contains(err.Error(), "the song is not valid") {
		t.Fatalf("error = %v", err)
	}
	if after, _ := jsonOf(s); !bytes.Equal(before, after) {
		t.Fatal("the song changed")
	}
	if err := edit.AddMarker(s, "Bro", 5); err == nil || !strings.Contains(err.Error(), "the song is not valid") {
		t.Fatalf("AddMarker error = %v", err)
	}
	if len(s.Markers) != 2 {
		t.Fatal("the markers changed")
	}
}

// jsonOf encodes a song that may not validate (Encode refuses those).
func jsonOf(s *projects.Song) ([]byte, error) { return json.Marshal(s) }

func TestNilSong(t *testing.T) {
	for name, err := range map[string]error{
		"MoveClip":     edit.MoveClip(nil, 0, 0, 0),
		"TrimStart":    edit.TrimStart(nil, 0, 0, 0),
		"AddMarker":    edit.AddMarker(nil, "x", 0),
		"MoveMarker":   edit.MoveMarker(nil, 0, 0),
		"ActivateTake": edit.ActivateTake(nil, 0, "x"),
	} {
		if err == nil || err.Error() != "there is no song to edit" {
			t.Errorf("%s(nil) = %v", name, err)
		}
	}
}
