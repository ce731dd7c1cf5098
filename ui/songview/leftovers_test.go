package songview_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"sangstudio/projects"
	"sangstudio/ui/i18n"
	"sangstudio/ui/songview"
	"sangstudio/ui/studio"
)

// leftoverWindow opens a copy of the demo song whose audio folder also
// holds two takes no version of the song uses (an audio take and a MIDI
// take, as a killed program leaves them).
func leftoverWindow(t *testing.T) (*studio.Studio, *view, fyne.Window, map[string][]byte) {
	t.Helper()
	test.NewTempApp(t)
	i18n.Use("en")
	dir := demoSong(t)
	s, _, err := projects.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	extra := map[string][]byte{}
	for _, tr := range s.Tracks {
		name := "0090-Gammel.wav"
		if tr.Kind == projects.KindMIDI {
			name = "0091-Orgel.mid"
		}
		if _, ok := extra[name]; ok {
			continue
		}
		b, err := os.ReadFile(projects.AudioPath(dir, tr.Clips[0].Take))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(projects.AudioPath(dir, name), b, projects.FilePerm); err != nil {
			t.Fatal(err)
		}
		extra[name] = b
	}
	if len(extra) != 2 {
		t.Fatalf("the demo song should have audio and MIDI tracks: %v", len(extra))
	}
	st, err := studio.Open(dir, testAudio(t, sineConfig(0), post), post)
	if err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, nil)
	v := newView(songview.Options{Window: w, Studio: st})
	st.OnChange = v.Refresh
	st.OnError = func(err error) { t.Errorf("background error: %v", err) }
	w.SetContent(v.Content())
	w.Resize(fyne.NewSize(1400, 900))
	t.Cleanup(func() { st.Close(); drain() })
	return st, v, w, extra
}

func markup(w fyne.Window) string { return test.RenderToMarkup(w.Canvas()) }

func TestLeftoversNoticeMovesToTheBin(t *testing.T) {
	st, v, w, extra := leftoverWindow(t)
	var size int
	for _, b := range extra {
		size += len(b)
	}
	// The notice comes once the listing (on the worker) is back.
	waitFor(t, v, "the leftovers notice", func() bool { return strings.Contains(markup(w), "2 recordings are not in the song") })
	before, err := projects.Encode(st.Song())
	if err != nil {
		t.Fatal(err)
	}
	test.Tap(button(t, w, "Choose what to do…"))
	m := markup(w)
	for name := range extra {
		if !strings.Contains(m, name) {
			t.Errorf("the dialog does not name %s", name)
		}
	}
	test.Tap(button(t, w, "Move to the song's bin"))
	if !strings.Contains(markup(w), "Nothing is deleted") {
		t.Fatal("no confirmation before moving")
	}
	test.Tap(button(t, w, "Yes"))
	bin := filepath.Join(st.Dir, projects.BinDir)
	waitFor(t, v, "the takes in the bin", func() bool {
		ents, _ := os.ReadDir(bin)
		return len(ents) == 2
	})
	waitFor(t, v, "the notice to go", func() bool { return !strings.Contains(markup(w), "recordings are not in the song") })
	for name, b := range extra {
		got, err := os.ReadFile(filepath.Join(bin, name))
		if err != nil || string(got) != string(b) {
			t.Errorf("%s is not in the bin as it was (%v)", name, err)
		}
		if _, err := os.Stat(projects.AudioPath(st.Dir, name)); !os.IsNotExist(err) {
			t.Errorf("%s is still in audio/", name)
		}
	}
	after, _ := projects.Encode(st.Song())
	if string(before) != string(after) {
		t.Error("moving leftovers changed the song")
	}
	if st.CanUndo() {
		t.Error("moving leftovers made an undo step")
	}
	st.Close()
	drain()
	if _, _, err := projects.Load(st.Dir); err != nil {
		t.Fatalf("the song does not load after tidying: %v", err)
	}
	if list, err := projects.Leftovers(st.Dir); err != nil || len(list) != 0 {
		t.Errorf("leftovers after moving them: %v %v", list, err)
	}
}

func TestLeftoversBroughtBackAsTracks(t *testing.T) {
	st, v, w, _ := leftoverWindow(t)
	waitFor(t, v, "the leftovers notice", func() bool { return strings.Contains(markup(w), "2 recordings are not in the song") })
	n := len(st.Song().Tracks)
	test.Tap(button(t, w, "Choose what to do…"))
	test.Tap(button(t, w, "Bring back as tracks"))
	test.Tap(button(t, w, "Yes"))
	waitFor(t, v, "the new tracks", func() bool { return len(st.Song().Tracks) == n+2 })
	s := st.Song()
	if g, o := s.Tracks[n], s.Tracks[n+1]; g.Name != "Gammel" || g.Kind != projects.KindAudio || o.Name != "Orgel" || o.Kind != projects.KindMIDI ||
		g.Clips[0].Take != "0090-Gammel.wav" || o.Clips[0].Take != "0091-Orgel.mid" {
		t.Errorf("new tracks: %+v %+v", g, o)
	}
	waitFor(t, v, "the notice to go", func() bool { return !strings.Contains(markup(w), "recordings are not in the song") })
	if st.UndoLabel() != "Bring back recordings" {
		t.Errorf("undo label %q", st.UndoLabel())
	}
	st.Undo()
	waitFor(t, v, "undo", func() bool { return len(st.Song().Tracks) == n })
}
