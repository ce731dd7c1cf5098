package app

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"sangstudio/audio/wav"
	"sangstudio/projects"
	"sangstudio/ui/studio"
)

// TestRecoveredTakeSaidInNorwegian: a song a crash left with an
// unfinished take opens in the Norwegian window with the take back on its
// track, and the "good to know" dialog says so in Norwegian, naming the
// time and the track, with none of the command line's English.
func TestRecoveredTakeSaidInNorwegian(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "lib", "Demo")
	demoSong(t, dir)
	track := crashedTake(t, dir, time.Date(2026, 11, 25, 14, 32, 0, 0, time.Local))
	set := studio.Defaults()
	set.Device, set.Language, set.CountIn = "virtual", "nb", 0
	h := newHarness(t, set, dir)
	h.pump("the song view", func() bool { return h.ui.screen == screenSong && h.ui.song != nil })
	if n := h.ui.song.st.Notices; len(n) != 1 {
		t.Fatalf("notices %q, want the recovered take", n)
	}
	shown := strings.Join(h.overlayTexts(), "\n")
	want := "Et opptak fra 14:32 ble reddet etter at Sangstudio stoppet uventet. Det ligger på sporet «" + track + "» (1 s)."
	if !strings.Contains(shown, want) || !strings.Contains(shown, "Greit å vite") {
		t.Errorf("the window shows %q, want %q", shown, want)
	}
	for _, english := range []string{"recovered", "Good to know", "track", ".wav"} {
		if strings.Contains(shown, english) {
			t.Errorf("the Norwegian window shows %q: %q", english, shown)
		}
	}
}

// crashedTake leaves a take of one second on the first audio track of the
// song in dir, as a crash at started leaves it: in the recording journal,
// not in song.json. It returns the track's name.
func crashedTake(t *testing.T, dir string, started time.Time) string {
	t.Helper()
	s, _, err := projects.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	tr := s.Tracks[0]
	f, name, err := projects.NewTakeFile(dir, s, tr.Name, ".wav")
	if err != nil {
		t.Fatal(err)
	}
	w, err := wav.NewWriter(f, wav.Format{Rate: s.Rate, Channels: tr.Channels, Encoding: wav.Float32}, wav.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	audio := make([][]float32, tr.Channels)
	for c := range audio {
		audio[c] = make([]float32, s.Rate)
	}
	w.Write(audio)
	if err := w.Sync(); err != nil {
		t.Fatal(err)
	}
	f.Close() // the process "dies": the Writer is never closed
	journal := fmt.Sprintf(`{"takes":[{"file":%q,"track":%q,"track_id":%q,"channels":%d,"start":0,"latency":0,"started":%q}]}`,
		name, tr.Name, tr.ID, tr.Channels, started.Format(time.RFC3339))
	if err := os.WriteFile(filepath.Join(dir, projects.RecordingJournal), []byte(journal), 0o600); err != nil {
		t.Fatal(err)
	}
	return tr.Name
}

// overlayTexts are the texts of the labels in the window's dialogs.
func (h *harness) overlayTexts() []string {
	var out []string
	for _, o := range h.ui.win.Canvas().Overlays().List() {
		walk(o, func(o fyne.CanvasObject) {
			if l, ok := o.(*widget.Label); ok {
				out = append(out, l.Text)
			}
		})
	}
	return out
}

// walk calls visit with o and everything in it, parents first.
func walk(o fyne.CanvasObject, visit func(fyne.CanvasObject)) {
	visit(o)
	switch c := o.(type) {
	case *fyne.Container:
		for _, ch := range c.Objects {
			walk(ch, visit)
		}
	case fyne.Widget:
		for _, ch := range test.WidgetRenderer(c).Objects() {
			walk(ch, visit)
		}
	}
}
