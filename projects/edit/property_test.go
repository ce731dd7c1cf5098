package edit_test

import (
	"bytes"
	"fmt"
	"math"
	"math/rand"
	"slices"
	"testing"

	"sangstudio/projects"
	"sangstudio/projects/edit"
)

// randomSong returns a valid song with random tracks, clips, lanes and
// markers, and the length in frames of every take its clips use.
func randomSong(r *rand.Rand) (*projects.Song, map[string]int64) {
	s := projects.New("Tilfeldig", []int{44100, 48000, 96000}[r.Intn(3)])
	s.Tempo = 40 + r.Float64()*200
	takes := map[string]int64{}
	next := 0
	clips := func(midi bool, n int) []projects.Clip {
		out := []projects.Clip{}
		for range n {
			next++
			ext := ".wav"
			if midi {
				ext = ".mid"
			}
			name := fmt.Sprintf("%04d-take%s", next, ext)
			frames := 1 + r.Int63n(500000)
			takes[name] = frames
			off := r.Int63n(frames)
			length := 1 + r.Int63n(frames-off)
			in := r.Int63n(length + 1)
			out = append(out, projects.Clip{Take: name, Position: r.Int63n(2000000), Offset: off, Length: length,
				GainDB: float64(r.Intn(40) - 30), FadeIn: in, FadeOut: r.Int63n(length - in + 1)})
		}
		slices.SortStableFunc(out, func(a, b projects.Clip) int { return int(a.Position - b.Position) })
		return out
	}
	for i := range 1 + r.Intn(4) {
		var t *projects.Track
		switch r.Intn(3) {
		case 0:
			t = projects.NewTrack(fmt.Sprintf("Mono %d", i), 1)
		case 1:
			t = projects.NewTrack(fmt.Sprintf("Stereo %d", i), 2)
		default:
			t = projects.NewMIDITrack(fmt.Sprintf("MIDI %d", i), r.Intn(128), false)
		}
		t.Clips = clips(t.IsMIDI(), r.Intn(6))
		if r.Intn(2) == 0 {
			t.ActiveLane = fmt.Sprintf("Take %d", 3)
		}
		for k := range r.Intn(3) {
			t.Lanes = append(t.Lanes, projects.Lane{Name: fmt.Sprintf("Take %d", 2-k), Clips: clips(t.IsMIDI(), r.Intn(4))})
		}
		s.Tracks = append(s.Tracks, t)
	}
	for i := range r.Intn(5) {
		s.Markers = append(s.Markers, projects.Marker{Name: fmt.Sprintf("M%d", i), Position: r.Int63n(2000000)})
	}
	slices.SortStableFunc(s.Markers, func(a, b projects.Marker) int { return int(a.Position - b.Position) })
	if err := s.Validate(); err != nil {
		panic(err)
	}
	return s, takes
}

// TestRandomEdits applies random edits, sensible and not, to random songs:
// the song always validates, a refused edit changes nothing, the clips of
// every track stay in position order, the markers too, no clip ever plays
// frames outside its take, and a split never changes what is heard.
func TestRandomEdits(t *testing.T) {
	seeds, steps := 60, 150
	if testing.Short() {
		seeds = 15
	}
	done := map[string]int{} // successful edits of each kind
	for seed := range seeds {
		r := rand.New(rand.NewSource(int64(seed)))
		s, takes := randomSong(r)
		for step := range steps {
			before, err := projects.Encode(s)
			if err != nil {
				t.Fatalf("seed %d step %d: %v", seed, step, err)
			}
			name, do := randomEdit(r, s, takes)
			var old []*projects.Track // copies of the tracks before a split
			if name == "Split" {
				for _, tr := range s.Tracks {
					cp := *tr
					cp.Clips = slices.Clone(tr.Clips)
					old = append(old, &cp)
				}
			}
			err = do()
			if err == nil {
				done[name]++
			}
			ctx := fmt.Sprintf("seed %d step %d %s", seed, step, name)
			if verr := s.Validate(); verr != nil {
				t.Fatalf("%s: the song no longer validates: %v", ctx, verr)
			}
			after, _ := projects.Encode(s)
			if err != nil && !bytes.Equal(before, after) {
				t.Fatalf("%s: refused (%v) but the song changed", ctx, err)
			}
			for ti, tr := range s.Tracks {
				if !slices.IsSortedFunc(tr.Clips, func(a, b projects.Clip) int { return cmp64(a.Position, b.Position) }) {
					t.Fatalf("%s: track %d's clips are out of order: %v", ctx, ti+1, spans(tr.Clips))
				}
				if old != nil && err == nil && !sameHeard(old[ti], tr) {
					t.Fatalf("%s: a split changed what track %d plays", ctx, ti+1)
				}
			}
			if !slices.IsSortedFunc(s.Markers, func(a, b projects.Marker) int { return cmp64(a.Position, b.Position) }) {
				t.Fatalf("%s: markers out of order: %v", ctx, s.Markers)
			}
			for _, c := range s.AllClips() {
				if c.Offset < 0 || c.Offset+c.Length > takes[c.Take] {
					t.Fatalf("%s: clip %+v plays frames [%d, %d) of a take of %d frames", ctx, c, c.Offset, c.Offset+c.Length, takes[c.Take])
				}
			}
		}
	}
	for _, name := range []string{"MoveClip", "MoveClipToTrack", "TrimStart", "TrimEnd", "Split", "SetFades", "SetClipGain",
		"DeleteClip", "ActivateTake", "AddMarker", "MoveMarker", "RenameMarker", "DeleteMarker"} {
		if done[name] < 5 {
			t.Errorf("%s succeeded only %d times: the random edits do not exercise it", name, done[name])
		}
	}
	t.Logf("successful edits: %v", done)
}

func cmp64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// sameHeard reports whether two versions of a track play the same take
// frames at every clip edge of either (and next to them): what is heard
// changes only at clip edges.
func sameHeard(a, b *projects.Track) bool {
	var frames []int64
	for _, c := range slices.Concat(a.Clips, b.Clips) {
		frames = append(frames, c.Position-1, c.Position, c.Position+1, c.End()-1, c.End(), c.Position+c.Length/2)
	}
	for _, f := range frames {
		if !slices.Equal(heardMap(a, f, f+1), heardMap(b, f, f+1)) {
			return false
		}
	}
	return true
}

// randomEdit picks an edit with arguments that are often sensible and
// sometimes not.
func randomEdit(r *rand.Rand, s *projects.Song, takes map[string]int64) (string, func() error) {
	ti := r.Intn(len(s.Tracks)+1) - r.Intn(2) // sometimes -1 or out of range
	ci := 0
	var c projects.Clip
	if ti >= 0 && ti < len(s.Tracks) && len(s.Tracks[ti].Clips) > 0 {
		ci = r.Intn(len(s.Tracks[ti].Clips)+1) - r.Intn(2)
		if ci >= 0 && ci < len(s.Tracks[ti].Clips) {
			c = s.Tracks[ti].Clips[ci]
		}
	}
	// frame near the clip, or anywhere, or absurd.
	frame := func() int64 {
		switch r.Intn(10) {
		case 0:
			return -r.Int63n(100000)
		case 1:
			return []int64{math.MaxInt64, math.MinInt64, 1 << 40, 1<<40 + 1}[r.Intn(4)]
		case 2, 3, 4:
			return r.Int63n(3000000)
		default:
			return c.Position - 1000 + r.Int63n(c.Length+2000)
		}
	}
	switch r.Intn(14) {
	case 0:
		f := frame()
		return "MoveClip", func() error { return edit.MoveClip(s, ti, ci, f) }
	case 1:
		to, f := r.Intn(len(s.Tracks)), frame()
		return "MoveClipToTrack", func() error { return edit.MoveClipToTrack(s, ti, ci, to, f) }
	case 2:
		f := frame()
		return "TrimStart", func() error { return edit.TrimStart(s, ti, ci, f) }
	case 3:
		f := frame()
		tf := takes[c.Take]
		if r.Intn(4) == 0 {
			tf = -r.Int63n(2)
		}
		return "TrimEnd", func() error { return edit.TrimEnd(s, ti, ci, f, tf) }
	case 4, 5:
		f := frame()
		return "Split", func() error { return edit.Split(s, ti, ci, f) }
	case 6:
		in, out := r.Int63n(c.Length+100)-50, r.Int63n(c.Length+100)-50
		if r.Intn(3) == 0 {
			in = c.FadeIn
		}
		return "SetFades", func() error { return edit.SetFades(s, ti, ci, in, out) }
	case 7:
		db := r.Float64()*400 - 200
		return "SetClipGain", func() error { return edit.SetClipGain(s, ti, ci, db) }
	case 8:
		return "DeleteClip", func() error { return edit.DeleteClip(s, ti, ci) }
	case 9:
		lane := "Take 1"
		if ti >= 0 && ti < len(s.Tracks) && len(s.Tracks[ti].Lanes) > 0 {
			lane = s.Tracks[ti].Lanes[r.Intn(len(s.Tracks[ti].Lanes))].Name
		}
		return "ActivateTake", func() error { return edit.ActivateTake(s, ti, lane) }
	case 10:
		name, f := []string{"Vers", "", " Bro ", "Refreng"}[r.Intn(4)], frame()
		return "AddMarker", func() error { return edit.AddMarker(s, name, f) }
	case 11:
		i, f := r.Intn(len(s.Markers)+1), frame()
		return "MoveMarker", func() error { return edit.MoveMarker(s, i, f) }
	case 12:
		i, name := r.Intn(len(s.Markers)+1), []string{"Ny", " ", "Coda"}[r.Intn(3)]
		return "RenameMarker", func() error { return edit.RenameMarker(s, i, name) }
	default:
		i := r.Intn(len(s.Markers)+1) - 1
		return "DeleteMarker", func() error { return edit.DeleteMarker(s, i) }
	}
}
