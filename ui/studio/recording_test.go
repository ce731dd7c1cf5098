package studio_test

import (
	"math"
	"testing"

	"sangstudio/audio/device"
	"sangstudio/audio/engine"
	"sangstudio/ui/studio"
)

// TestRecordingTakes records the virtual device's sine on an armed track:
// while it records, the track shows one take growing from where its clip
// will be placed up to the playhead, with the sine's peaks; after Stop
// there is none, and the clip is where the take was shown.
func TestRecordingTakes(t *testing.T) {
	l := newLoop(t)
	st := open(t, l, demo(t))
	if got := st.RecordingTakes(); got != nil {
		t.Fatalf("before recording: %+v", got)
	}
	if err := st.Arm(1, true); err != nil {
		t.Fatal(err)
	}
	st.SetCountIn(0)
	st.Locate(48000)
	if err := st.Record(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if t.Failed() {
			t.Logf("at the failure: state %v, playhead %d, device %+v, recording %+v", st.State(), st.Position(), st.Audio(), st.RecordingTakes())
		}
	}()
	var first studio.RecordingTake
	l.pump("a take growing", func() bool {
		rt := st.RecordingTakes()
		if len(rt) == 1 && rt[0].Peaks != nil && len(rt[0].Peaks.Max) > 10 {
			first = rt[0]
		}
		return first.Peaks != nil
	})
	var last studio.RecordingTake
	l.pump("the take to grow", func() bool {
		if rt := st.RecordingTakes(); len(rt) == 1 {
			last = rt[0]
		}
		return last.Peaks != nil && last.Peaks.Frames > first.Peaks.Frames+4800
	})
	pos := st.Position()
	if st.State() != engine.Recording || last.Track != 1 || last.MIDI || last.Start != first.Start || last.Start > 48000 || last.End <= first.End || last.End > pos {
		t.Fatalf("recording take %+v after %+v, playhead %d: want track 1 growing, from at most 48000 up to the playhead", last, first, pos)
	}
	for k := range last.Peaks.Max {
		if math.Abs(float64(last.Peaks.Max[k]-device.SineLevel)) > 0.01 || math.Abs(float64(last.Peaks.Min[k]+device.SineLevel)) > 0.01 {
			t.Fatalf("peak %d: [%v, %v], want ±%v (the virtual sine)", k, last.Peaks.Min[k], last.Peaks.Max[k], device.SineLevel)
		}
	}
	st.Stop()
	l.pump("take placed", func() bool { return !st.Finishing() && len(st.Song().Tracks[1].Lanes) > 0 })
	if got := st.RecordingTakes(); got != nil {
		t.Fatalf("after Stop: %+v", got)
	}
	if c := st.Song().Tracks[1].Clips; len(c) != 1 || c[0].Position != last.Start || c[0].End() < last.End-48000 {
		t.Fatalf("the clip %+v is not where the take was shown (%d–%d)", c, last.Start, last.End)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
}
