package studio_test

import (
	"os"
	"path/filepath"
	"testing"

	"sangstudio/midi/beat"
	"sangstudio/projects"
)

// TestBeatEditIsOneUndoStep: the way the window edits a beat (a pattern
// edit through beat.EditClip inside Studio.Edit) is one undo step with its
// label; the new take is on disk and the clip plays it; undo brings the
// old take back, redo the new one, and neither file is removed.
func TestBeatEditIsOneUndoStep(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "song")
	s := projects.New("Beat", 48000)
	s.Tempo = 120
	beat.AddTrack(s, "Beat")
	pr, _ := beat.FindPreset("pop")
	p, _ := beat.FromPreset(pr, 2)
	_, take, err := beat.Place(s, 0, p, 0, 4*96000)
	if err != nil {
		t.Fatal(err)
	}
	if err := projects.Create(dir, s); err != nil {
		t.Fatal(err)
	}
	if err := take.Write(dir); err != nil {
		t.Fatal(err)
	}
	l := newLoop(t)
	st := open(t, l, dir)
	defer st.Close()
	err = st.Edit("Beat: step", func(s *projects.Song) error {
		return beat.EditClip(st.Dir, s, 0, 0, func(p *beat.Pattern) (*beat.Pattern, error) { return beat.Toggle(p, 1, 0) })
	})
	if err != nil {
		t.Fatal(err)
	}
	edited := st.Song().Tracks[0].Clips[0].Take
	if edited == take.Name || st.UndoLabel() != "Beat: step" || !st.Song().Tracks[0].Clips[0].Beat.Lanes[1].Steps[0].On() {
		t.Fatalf("after the edit: take %s, undo %q", edited, st.UndoLabel())
	}
	st.Wait()
	if got := onDisk(t, dir).Tracks[0].Clips[0].Take; got != edited {
		t.Fatalf("on disk the clip plays %s, want %s", got, edited)
	}
	st.Undo()
	l.pump("undo", func() bool { return st.Song().Tracks[0].Clips[0].Take == take.Name })
	if st.CanUndo() {
		t.Errorf("after one undo there is still %q to undo", st.UndoLabel())
	}
	st.Redo()
	l.pump("redo", func() bool { return st.Song().Tracks[0].Clips[0].Take == edited })
	for _, name := range []string{take.Name, edited} {
		if _, err := os.Stat(projects.AudioPath(dir, name)); err != nil {
			t.Errorf("take %s: %v", name, err)
		}
	}
}
