package studio_test

import (
	"testing"

	"sangstudio/audio/engine"
)

// TestListenAlone: while the demo song loops, ListenAlone(one of the tracks
// heard) leaves only its meter moving, the song unchanged (no solo, no
// undo step); Stop ends it, and the next Play has the others back.
func TestListenAlone(t *testing.T) {
	l := newLoop(t)
	st := open(t, l, demo(t))
	n := len(st.Song().Tracks)
	moving := func() (on []bool) {
		for i := range n {
			p, _ := st.TrackMeter(i)
			on = append(on, p > 1e-3) // a meter falls back smoothly
		}
		return on
	}
	heard := map[int]bool{} // the tracks heard in the loop
	count := func(on []bool) (k int) {
		for i, h := range on {
			if h {
				heard[i] = true
				k++
			}
		}
		return k
	}
	st.SetLoop(0, 48000*8, true)
	st.Play()
	l.pump("two tracks heard", func() bool { return st.State() == engine.Playing && count(moving()) >= 2 && len(heard) >= 2 })
	alone := -1
	for i := range heard {
		alone = max(alone, i)
	}
	undo := st.UndoLabel()
	st.ListenAlone(st.Song().Tracks[alone].ID)
	l.pump("one track alone", func() bool {
		on := moving()
		for i := range n {
			if on[i] && i != alone {
				return false
			}
		}
		return on[alone]
	})
	for i, tr := range st.Song().Tracks {
		if tr.Solo {
			t.Errorf("track %d is soloed in the song", i)
		}
	}
	if st.UndoLabel() != undo {
		t.Errorf("listening alone made an undo step %q", st.UndoLabel())
	}
	st.Stop()
	st.Play()
	l.pump("another track heard again after Stop", func() bool {
		on := moving()
		for i := range n {
			if on[i] && i != alone {
				return true
			}
		}
		return false
	})
	st.Stop()
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
}
