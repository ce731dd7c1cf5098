package session_test

import (
	"math"
	"path/filepath"
	"testing"

	"sangstudio/audio/device"
	"sangstudio/audio/session"
	"sangstudio/projects"
)

// TestLiveTakes records a sine of amplitude 0.5 (input 1) and silence
// (input 2) on the virtual device: while recording, both takes are seen
// growing, placed where their clips will go (moved earlier by the latency
// compensation), with the peaks of their inputs; after the recording,
// none is, and the clips are where the live takes were drawn.
func TestLiveTakes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "song")
	s := projects.New("x", 48000)
	projects.Create(dir, s)
	in := filepath.Join(t.TempDir(), "in.wav")
	writeWav(t, in, 48000, [][]float32{sine(48000, 2*math.Pi/128, 0.5), make([]float32, 48000)})
	s.Tracks = []*projects.Track{projects.NewTrack("Sine", 1), projects.NewTrack("Quiet", 1)}
	ss, err := session.Open(dir, s, session.Options{
		// In real time: Fast would outrun the butler, which then drops
		// captured audio (silence in the takes).
		Device: device.Config{Device: "virtual", Buffer: 256, VirtualInput: device.VirtualSource{Kind: "file", Path: in, Loop: true}},
		Arm:    []session.Arm{{Track: 0, Inputs: []int{0}}, {Track: 1, Inputs: []int{1}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	closed := false
	t.Cleanup(func() {
		if !closed {
			ss.Close()
		}
	})
	ss.SetLatency(300)
	e := ss.Engine()
	e.Locate(1000)
	e.Record(0)
	var frames [2]int64
	for round := range 3 {
		var live []session.LiveTake
		waitFor(t, "the live takes to grow", func() bool {
			live = ss.LiveTakes()
			return len(live) == 2 && live[0].Clip.Length > frames[0]+4800 && live[1].Clip.Length > frames[1]+4800
		})
		// What the butler wrote may be ahead of the playhead it read by the
		// buffer being captured.
		for _, lt := range live {
			i := s.TrackByID(lt.TrackKey)
			if c := lt.Clip; c.Position != 700 || c.Offset != 0 || c.Take != lt.File || c.Length > e.Position()-1000+256 {
				t.Fatalf("round %d, track %d: clip %+v with the playhead at %d, want one at 700 up to the playhead", round, i, c, e.Position())
			}
			frames[i] = lt.Clip.Length
			checkLivePeaks(t, lt, float32(0.5)*float32(1-i))
		}
	}
	takes, err := ss.Close()
	closed = true
	if err != nil {
		t.Fatal(err)
	}
	if live := ss.LiveTakes(); live != nil {
		t.Fatalf("live takes after the recording: %+v", live)
	}
	for _, tk := range takes {
		if c := tk.Clips[0]; c.Position != 700 || c.Length < frames[s.TrackByID(tk.TrackKey)] {
			t.Errorf("take %s: clip %+v, shorter than seen live or elsewhere", tk.File, c)
		}
	}
}

// checkLivePeaks checks that a live take's peaks cover what it wrote and
// are ±want (a sine with two whole periods in each peak, or silence).
func checkLivePeaks(t *testing.T, lt session.LiveTake, want float32) {
	t.Helper()
	p := lt.Peaks
	if p == nil || len(p.Max) == 0 || p.Frames > lt.Clip.Length || p.Frames < lt.Clip.Length-int64(p.FramesPerPeak) {
		t.Fatalf("%s: peaks %v for %d frames written", lt.File, p, lt.Clip.Length)
	}
	for k := range p.Max {
		if math.Abs(float64(p.Max[k]-want)) > 0.001 || math.Abs(float64(p.Min[k]+want)) > 0.001 {
			t.Fatalf("%s, peak %d: [%v, %v], want ±%v", lt.File, k, p.Min[k], p.Max[k], want)
		}
	}
}
