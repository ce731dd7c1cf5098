package studio_test

import (
	"math"
	"path/filepath"
	"testing"
	"time"

	"sangstudio/audio/engine"
	"sangstudio/midi/beat"
	"sangstudio/projects"
	"sangstudio/ui/studio"
)

// onsets are the frames where the tap's sound starts after a silence: a
// 5 ms window whose peak passes 0.02 after ten quiet windows, and where
// the sound then reaches more than half of the loudest peak heard within
// 20 ms (a kick's attack; not the tail of one, which a take swapped in
// while it rings can bring in after a silence).
func onsets(x []float32) []int64 {
	const win = 240
	loudest := float32(0)
	for _, v := range x {
		loudest = max(loudest, float32(math.Abs(float64(v))))
	}
	var out []int64
	quiet := 10
	for i := 0; i+win <= len(x); i += win {
		peak := float32(0)
		for _, v := range x[i : i+win] {
			peak = max(peak, float32(math.Abs(float64(v))))
		}
		switch {
		case peak > 0.02 && quiet >= 10:
			attack := float32(0)
			for _, v := range x[i:min(len(x), i+4*win)] {
				attack = max(attack, float32(math.Abs(float64(v))))
			}
			if attack > loudest/2 {
				out = append(out, int64(i))
			}
			quiet = 0
		case peak < 0.002:
			quiet++
		}
	}
	return out
}

// TestJackBeatEditHeardNextPass: a one-bar beat (a kick on the bar's first
// step) loops over two bars on JACK; a kick added on step 9 (half a bar
// later) while it plays the first bar is heard on the next pass at the
// latest: before the edit, the kicks the tap records are a bar apart; from
// the half bar where it is first heard on, half a bar. (The edit makes the
// clip's take anew, synthesised, in the background: it may well be heard
// in the second bar of the same pass.)
func TestJackBeatEditHeardNextPass(t *testing.T) {
	id := jackID(t)
	dir, i := kickSong(t)
	tp := startTap(t, id, 30)
	l := newLoop(t)
	st, errs := openOnJack(t, l, id, dir, studio.AudioConfig{})
	defer st.Close()
	wire(t, [2]string{"sangstudio:out_0", "tap:in_0"})
	st.SetLoop(0, 2*96000, true)
	st.Play()
	l.pump("three passes", func() bool { return st.State() == engine.Playing && len(onsets(tp.heard())) >= 3 })
	l.pump("in the first bar, past its half", func() bool { p := st.Position(); return p > 50000 && p < 80000 })
	edited := int64(len(tp.heard()))
	if err := st.Edit("Edit the beat", func(s *projects.Song) error {
		return beat.EditClip(st.Dir, s, i, 0, func(q *beat.Pattern) (*beat.Pattern, error) { return beat.SetStep(q, 0, 8, beat.Hit(beat.Accent, 1)) })
	}); err != nil {
		t.Fatal(err)
	}
	wait := time.Now().Add(7 * time.Second)
	l.pump("two passes after the edit", func() bool { return time.Now().After(wait) })
	st.Stop()
	on := onsets(tp.heard())
	t.Logf("onsets (tap frames) %v; edit at %d", on, edited)
	first := int64(-1) // the first kick half a bar after another
	// From the second pass on (the first began part of a buffer into
	// the song, as playing does).
	for k := 2; k < len(on); k++ {
		d := on[k] - on[k-1]
		switch {
		case math.Abs(float64(d-48000)) <= 480:
			if first < 0 {
				first = on[k]
			}
		case math.Abs(float64(d-96000)) <= 480:
			if first >= 0 {
				t.Errorf("kicks a bar apart at %d, after the added kick was heard at %d", on[k], first)
			}
		default:
			t.Errorf("kicks %d frames apart at %d: want a bar (96000) or half (48000)", d, on[k])
		}
		if on[k] < edited && math.Abs(float64(d-96000)) > 480 {
			t.Errorf("before the edit, kicks %d frames apart at %d", d, on[k])
		}
	}
	if first < 0 {
		t.Fatal("the kick added while looping was never heard")
	}
	// The edit came 50000–80000 frames into a pass: the next pass plays
	// its half bar at most 2·96000 − 50000 + 48000 frames later.
	if first-edited > 2*96000-50000+48000+9600 {
		t.Errorf("the added kick was first heard %d frames after the edit: not on the next pass", first-edited)
	}
	t.Logf("the added kick heard %.2f s after the edit", float64(first-edited)/48000)
	for _, err := range *errs {
		t.Errorf("background error: %v", err)
	}
}

// kickSong is a song at 120 BPM in 4/4 (a bar: 96000 frames) with a beat
// track (its index i) panned left playing a one-bar beat of a kick on the
// bar's first step for 4 bars.
func kickSong(t *testing.T) (dir string, i int) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "beat")
	s := projects.New("Beat", 48000)
	s.Tempo = 120 // a bar of 4/4: 2 s, 96000 frames
	if err := projects.Create(dir, s); err != nil {
		t.Fatal(err)
	}
	p, err := beat.New(s.TimeSig, 1, false)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(p.Lanes) - 1; i > 0; i-- { // the kick alone
		if p, err = beat.RemoveLane(p, i); err != nil {
			t.Fatal(err)
		}
	}
	if p, err = beat.SetStep(p, 0, 0, beat.Hit(beat.Accent, 1)); err != nil {
		t.Fatal(err)
	}
	i = beat.AddTrack(s, "Beat")
	s.Tracks[i].Pan = -1
	_, take, err := beat.Place(s, i, p, 0, 4*96000)
	if err != nil {
		t.Fatal(err)
	}
	if err := take.Write(dir); err != nil {
		t.Fatal(err)
	}
	if err := projects.Save(dir, s); err != nil {
		t.Fatal(err)
	}
	return dir, i
}
