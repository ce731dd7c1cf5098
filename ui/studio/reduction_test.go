package studio_test

import (
	"testing"

	"sangstudio/audio/engine"
	"sangstudio/projects"
)

// TestTrackReduction: the compressor's meter. Before the device runs it
// reads 0; playing the demo song with a hard compressor on track 1 (−40 dB,
// 10:1, hard knee) it shows the reduction the curve gives its loudest
// parts, while track 0 (no compressor) reads 0; a track that does not
// exist reads 0; after the compressor is turned off it goes back to 0.
func TestTrackReduction(t *testing.T) {
	l := newLoop(t)
	st := open(t, l, demo(t))
	if got := st.TrackReduction(1); got != 0 {
		t.Fatalf("before the device runs: %v dB", got)
	}
	setComp := func(on bool) {
		t.Helper()
		err := st.Edit("Change the sound", func(s *projects.Song) error {
			s.Tracks[1].Effects.Comp = projects.Comp{On: on, ThresholdDB: -40, Ratio: 10, AttackMs: 1, ReleaseMs: 50}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	setComp(true)
	st.SetLoop(0, 48000*8, true)
	st.Play()
	var most float64
	defer func() {
		if t.Failed() {
			p, _ := st.TrackMeter(1)
			t.Logf("at the failure: state %v, playhead %d, device %+v, reduction %v dB (most %v), track 1's meter %v",
				st.State(), st.Position(), st.Audio(), st.TrackReduction(1), most, p)
		}
	}()
	l.pump("the compressor working", func() bool {
		most = max(most, st.TrackReduction(1))
		return st.State() == engine.Playing && most > 6
	})
	if got := st.TrackReduction(0); got != 0 {
		t.Errorf("track 0 has no compressor, its meter reads %v dB", got)
	}
	if got := st.TrackReduction(99); got != 0 {
		t.Errorf("track 99 does not exist, its meter reads %v dB", got)
	}
	setComp(false)
	l.pump("the meter back at 0 with the compressor off", func() bool { return st.TrackReduction(1) == 0 })
	st.Stop()
	t.Logf("track 1's reduction reached %.1f dB", most)
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
}
