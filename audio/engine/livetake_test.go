package engine_test

import (
	"math"
	"path/filepath"
	"testing"

	"sangstudio/audio/engine"
	"sangstudio/projects"
)

// TestLiveTakes records a sine of amplitude 0.5 on one track and silence
// on another: while recording, each take's frames grow with the playhead
// and its peaks are those of its input (±0.5, and 0); peaks handed out
// earlier stay as they were; once the recording is over there is no live
// take, and the finished takes are as long as the live ones last said.
func TestLiveTakes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "song")
	s := projects.New("Live takes", 48000)
	if err := projects.Create(dir, s); err != nil {
		t.Fatal(err)
	}
	s.Tracks = []*projects.Track{projects.NewTrack("Sine", 1), projects.NewTrack("Quiet", 1)}
	r := newRig(t, dir, s, 256, 2, map[int][]int{0: {0}, 1: {1}}, false)
	fill := func(pos int64, in [][]float32) {
		for i := range in[0] {
			in[0][i] = 0.5 * float32(math.Sin(2*math.Pi*375*float64(pos+int64(i))/48000))
			in[1][i] = 0
		}
	}
	const start = 1000
	r.e.Locate(start)
	r.step(fill)
	if live := r.b.LiveTakes(); live != nil {
		t.Fatalf("live takes before recording: %+v", live)
	}
	r.e.Record(0)
	var frames [2]int64
	var first *engine.LiveTake
	var firstMax []float32
	for round := range 3 {
		for range 40 {
			r.step(fill)
		}
		r.b.Service()
		live := r.b.LiveTakes()
		if len(live) != 2 {
			t.Fatalf("round %d: %d live takes, want 2", round, len(live))
		}
		for _, lt := range live {
			i := r.song.TrackByID(lt.Key)
			checkLive(t, lt, i, r.e.Position(), frames[i])
			frames[i] = lt.Frames
			if i == 0 && first == nil {
				first, firstMax = &lt, append([]float32(nil), lt.Peaks.Max...)
			}
		}
	}
	for k, v := range firstMax {
		if first.Peaks.Max[k] != v {
			t.Fatalf("peak %d of an earlier live take changed to %v", k, first.Peaks.Max[k])
		}
	}
	r.e.Stop()
	for i := 0; i < 10 && (r.b.Recording() || i < 2); i++ {
		r.step(fill)
	}
	if live := r.b.LiveTakes(); live != nil {
		t.Fatalf("live takes after the recording: %+v", live)
	}
	for _, tk := range r.b.TakeRecorded() {
		if got := frames[r.index(tk)]; tk.Frames < got {
			t.Errorf("take %s has %d frames, fewer than the %d seen live", tk.File, tk.Frames, got)
		}
	}
}

// checkLive checks one live take of TestLiveTakes (track 0: the sine, 1:
// silence) at the playhead pos, having had before frames earlier.
func checkLive(t *testing.T, lt engine.LiveTake, track int, pos, before int64) {
	t.Helper()
	if lt.Start != 1000 || lt.MIDI || lt.File == "" {
		t.Fatalf("track %d: live take %+v, want one starting at 1000", track, lt)
	}
	if lt.Frames <= before || lt.Frames > pos-lt.Start || lt.Frames < pos-lt.Start-4096 {
		t.Fatalf("track %d: %d frames written (%d before) with the playhead %d frames in", track, lt.Frames, before, pos-lt.Start)
	}
	p := lt.Peaks
	if p == nil || len(p.Max) == 0 || p.Frames > lt.Frames || p.Frames < lt.Frames-int64(p.FramesPerPeak) {
		t.Fatalf("track %d: peaks of %v frames for %d frames written", track, p, lt.Frames)
	}
	want := float32(0.5)
	if track == 1 {
		want = 0
	}
	for k := range p.Max {
		// 375 Hz: every 256-frame peak holds two whole periods.
		if math.Abs(float64(p.Max[k]-want)) > 0.001 || math.Abs(float64(p.Min[k]+want)) > 0.001 {
			t.Fatalf("track %d, peak %d: [%v, %v], want ±%v", track, k, p.Min[k], p.Max[k], want)
		}
	}
}
