package waveform

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestGrowing feeds a stereo take in uneven pieces: at every point Peaks
// holds the whole peaks written so far, each as Compute would give it, a
// Peaks handed out never changes while more is added, and Finish is the
// take's peaks.
func TestGrowing(t *testing.T) {
	const n = 10000
	rng := rand.New(rand.NewPCG(1, 2))
	audio := [][]float32{make([]float32, n), make([]float32, n)}
	for c := range audio {
		for i := range audio[c] {
			audio[c][i] = rng.Float32()*2 - 1
		}
	}
	want := brutePeaks(44100, audio)
	g := NewGrowing(44100, 0)
	var earlier []*Peaks
	var copies [][]float32
	for at := 0; at < n; {
		k := min(1+rng.IntN(700), n-at)
		g.Add([][]float32{audio[0][at : at+k], audio[1][at : at+k]})
		at += k
		p := g.Peaks()
		whole := at / FramesPerPeak
		if g.Frames() != int64(at) || p.Frames != int64(whole*FramesPerPeak) || len(p.Min) != whole {
			t.Fatalf("after %d frames: Frames %d, peaks of %d frames (%d pairs); want %d whole pairs", at, g.Frames(), p.Frames, len(p.Min), whole)
		}
		if !slices.Equal(p.Min, want.Min[:whole]) || !slices.Equal(p.Max, want.Max[:whole]) {
			t.Fatalf("after %d frames: the peaks differ from the take's", at)
		}
		earlier = append(earlier, p)
		copies = append(copies, slices.Clone(p.Max))
	}
	equalPeaks(t, g.Finish(), want)
	for i, p := range earlier {
		if !slices.Equal(p.Max, copies[i]) {
			t.Fatalf("peaks handed out %d changed as the take grew", i)
		}
	}
}

// TestGrowingSilence: silence gives zero peaks, and no frames no peaks.
func TestGrowingSilence(t *testing.T) {
	g := NewGrowing(48000, 1000)
	if p := g.Peaks(); p.Frames != 0 || len(p.Min) != 0 {
		t.Fatalf("empty: %+v", p)
	}
	g.Add([][]float32{make([]float32, 1000)})
	p := g.Finish()
	if p.Frames != 1000 || len(p.Min) != 4 {
		t.Fatalf("%d frames, %d pairs; want 1000, 4", p.Frames, len(p.Min))
	}
	for i := range p.Min {
		if p.Min[i] != 0 || p.Max[i] != 0 {
			t.Fatalf("pair %d of silence: [%v, %v]", i, p.Min[i], p.Max[i])
		}
	}
}
