package songview_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"sangstudio/audio/engine"
	"sangstudio/midi/beat"
	"sangstudio/projects"
	"sangstudio/ui/studio"
)

// beatTrack is the index of the song's beat track and its beat clip's
// pattern (the test fails when there is none).
func beatTrack(t *testing.T, st *studio.Studio) (int, *projects.Pattern) {
	t.Helper()
	for i, tr := range st.Song().Tracks {
		for _, c := range tr.Clips {
			if c.Beat != nil {
				return i, c.Beat
			}
		}
	}
	t.Fatal("the song has no beat")
	return -1, nil
}

// TestBeatGrid: Beat on a song without one adds a beat track (the first
// preset, from bar 1 to the end of the song) and opens its grid; a tap
// turns a step on, a right-click makes it louder, the swing slider sets the
// swing; each is one undo step that writes a new take, and Undo takes them
// back one by one. While the song plays, the cell under the playhead is
// lit. The grid works in resident mode too.
func TestBeatGrid(t *testing.T) {
	st, v, w := setup(t)
	tracks := len(st.Song().Tracks)
	test.Tap(button(t, w, "Beat"))
	if !v.BeatOpen() {
		t.Fatal("Beat did not open the beat grid")
	}
	if len(st.Song().Tracks) != tracks+1 {
		t.Fatalf("%d tracks, want a beat track added to %d", len(st.Song().Tracks), tracks)
	}
	i, p := beatTrack(t, st)
	tr := st.Song().Tracks[i]
	if !tr.IsMIDI() || !tr.Drums || tr.Clips[0].Position != 0 || tr.Clips[0].End() < st.Song().Length()-1 {
		t.Fatalf("the beat track %+v is not a drum track over the song", tr)
	}
	if want := beat.Presets()[0].ID; p.Preset != want {
		t.Errorf("the new beat is %q, want the first preset %q", p.Preset, want)
	}
	if !strings.Contains(test.RenderToMarkup(w.Canvas()), "Kick") {
		t.Error("the grid does not name its lanes")
	}

	// Lane 0 (kick), step 1 of bar 1: off in the pop preset.
	if p.Lanes[0].Steps[1].On() {
		t.Fatal("the test wants step 2 of the kick off")
	}
	cell, _ := v.BeatCell(0, 1)
	cell.Tapped(nil)
	_, p = beatTrack(t, st)
	if s := p.Lanes[0].Steps[1]; s.Level != beat.Normal {
		t.Fatalf("after a tap the step is %+v, want on (normal)", s)
	}
	if st.UndoLabel() != "Edit the beat" {
		t.Errorf("the undo step is %q", st.UndoLabel())
	}
	take := st.Song().Tracks[i].Clips[0].Take
	if _, err := os.Stat(filepath.Join(st.Dir, "audio", take)); err != nil {
		t.Errorf("the new take is not in the song folder: %v", err)
	}
	cell.TappedSecondary(nil)
	_, p = beatTrack(t, st)
	if s := p.Lanes[0].Steps[1]; s.Level != beat.Accent {
		t.Fatalf("after a right-click the step is %+v, want accent", s)
	}
	drag(t, v.BeatSwing(), 0.5)
	_, p = beatTrack(t, st)
	if p.Swing < 0.45 || p.Swing > 0.55 {
		t.Fatalf("swing %v after dragging to the middle", p.Swing)
	}

	undo(t, st, v) // the swing
	if _, p = beatTrack(t, st); p.Swing != 0 || p.Lanes[0].Steps[1].Level != beat.Accent {
		t.Fatalf("after one undo: swing %v, step %+v", p.Swing, p.Lanes[0].Steps[1])
	}
	undo(t, st, v) // the accent
	undo(t, st, v) // the tap
	if _, p = beatTrack(t, st); p.Lanes[0].Steps[1].On() {
		t.Fatalf("after three undos the step is %+v, want off", p.Lanes[0].Steps[1])
	}

	checkLitAndResident(t, st, v, w)
	if len(v.errs) > 0 {
		t.Fatalf("errors shown: %v", v.errs)
	}
}

// TestBeatGridAddsADrum: the grid offers the drums the pattern has no lane
// for; choosing one adds its lane (one undo step), and it is offered no
// more.
func TestBeatGridAddsADrum(t *testing.T) {
	st, v, w := setup(t)
	test.Tap(button(t, w, "Beat"))
	_, p := beatTrack(t, st)
	lanes := len(p.Lanes)
	sel := selectWith(t, w, "Clap")
	sel.SetSelected("Clap")
	_, p = beatTrack(t, st)
	if len(p.Lanes) != lanes+1 || p.Lanes[lanes].Note != 39 {
		t.Fatalf("lanes %+v after adding the clap", p.Lanes)
	}
	for _, o := range sel.Options {
		if o == "Clap" {
			t.Error("the clap is still offered")
		}
	}
	if st.UndoLabel() != "Edit the beat" {
		t.Errorf("the undo step is %q", st.UndoLabel())
	}
	if !v.BeatOpen() {
		t.Error("the grid closed")
	}
}

// TestTempoChangeRetimesTheBeat: a new tempo typed in makes the beat's
// clip play a new take at that tempo (one undo step with the tempo), the
// take's file is in the song folder, and Undo brings the old take back.
func TestTempoChangeRetimesTheBeat(t *testing.T) {
	st, v, w := setup(t)
	test.Tap(button(t, w, "Beat"))
	i, _ := beatTrack(t, st)
	old := st.Song().Tracks[i].Clips[0].Take
	v.SetTempo("90")
	if st.Song().Tempo != 90 {
		t.Fatalf("tempo %v", st.Song().Tempo)
	}
	c := st.Song().Tracks[i].Clips[0]
	if c.Take == old {
		t.Fatal("the beat still plays its take of the old tempo")
	}
	want, err := beat.MakeTake(st.Song(), c.Beat, c.Offset+c.Length)
	if err != nil || want.Name != c.Take {
		t.Fatalf("the clip plays %s, the pattern at 90 BPM is %s (%v)", c.Take, want.Name, err)
	}
	if _, err := os.Stat(filepath.Join(st.Dir, "audio", c.Take)); err != nil {
		t.Fatalf("the new take is not in the song folder: %v", err)
	}
	undo(t, st, v)
	if got := st.Song().Tracks[i].Clips[0].Take; got != old || st.Song().Tempo == 90 {
		t.Fatalf("after Undo: tempo %v, take %s (want %s)", st.Song().Tempo, got, old)
	}
}

// TestBeatGridMakesPlainMIDI: "Make it plain MIDI notes" keeps the clip
// and its take but drops the pattern (one undo step), and the grid closes.
func TestBeatGridMakesPlainMIDI(t *testing.T) {
	st, v, w := setup(t)
	test.Tap(button(t, w, "Beat"))
	i, _ := beatTrack(t, st)
	take := st.Song().Tracks[i].Clips[0].Take
	test.Tap(button(t, w, "Make it plain MIDI notes"))
	c := st.Song().Tracks[i].Clips[0]
	if c.Beat != nil || c.Take != take {
		t.Fatalf("clip %+v after making it plain MIDI (take was %s)", c, take)
	}
	if v.BeatOpen() {
		t.Error("the grid is still open on a clip that is no beat")
	}
	undo(t, st, v)
	if st.Song().Tracks[i].Clips[0].Beat == nil {
		t.Error("Undo did not bring the pattern back")
	}
}

// checkLitAndResident plays the beat in a loop until a cell is lit, then
// taps a step in resident mode and finds it changed.
func checkLitAndResident(t *testing.T, st *studio.Studio, v *view, w fyne.Window) {
	t.Helper()
	_, p := beatTrack(t, st)
	// Playing: the step under the playhead lights, in the bar shown.
	test.Tap(button(t, w, "Play the beat alone in a loop"))
	waitFor(t, v, "a lit step", func() bool {
		if st.State() != engine.Playing {
			return false
		}
		for k := 0; k < 16; k++ {
			for li := range p.Lanes {
				if _, lit := v.BeatCell(li, k); lit {
					return true
				}
			}
		}
		return false
	})
	st.Stop()

	// Resident mode: the grid still edits.
	st.SetResident(true)
	cell, _ := v.BeatCell(1, 0)
	before := p.Lanes[1].Steps[0].On()
	cell.Tapped(nil)
	if _, p = beatTrack(t, st); p.Lanes[1].Steps[0].On() == before {
		t.Fatal("in resident mode a tap changed nothing")
	}
}
