package app

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sangstudio/audio/demosong"
	"sangstudio/audio/device"
	"sangstudio/audio/engine"
	"sangstudio/internal/uitest"
	"sangstudio/ui/studio"
)

// demo is the demo song made once for the package and opened once on the
// virtual device, so that its MIDI track's sound is in the song's cache
// (rendering it takes many seconds under -race); each test gets a copy.
var demo struct {
	once sync.Once
	dir  string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if demo.dir != "" {
		os.RemoveAll(filepath.Dir(demo.dir))
	}
	os.Exit(code)
}

// demoSong copies the package's demo song to dir.
func demoSong(t *testing.T, dir string) {
	t.Helper()
	demo.once.Do(func() {
		tmp, err := os.MkdirTemp("", "app-demo")
		if err != nil {
			demo.err = err
			return
		}
		demo.dir = filepath.Join(tmp, "Demo")
		if _, demo.err = demosong.Create(demo.dir, 48000); demo.err != nil {
			return
		}
		posts := uitest.NewQueue()
		post := posts.Post
		a := studio.NewAudio(studio.AudioConfig{Device: device.VirtualID}, post)
		defer a.Close()
		st, err := studio.Open(demo.dir, a, post)
		if err != nil {
			demo.err = err
			return
		}
		st.StartAudio()
		started := uitest.Poll(time.Minute, posts.Drain, func() bool { return st.Audio().Device != "" && !st.Audio().Starting })
		demo.err = st.Close()
		posts.Drain()
		if !started && demo.err == nil {
			demo.err = errors.New("the virtual device did not start within a minute")
		}
	})
	if demo.err != nil {
		t.Fatal(demo.err)
	}
	if err := os.CopyFS(dir, os.DirFS(demo.dir)); err != nil {
		t.Fatal(err)
	}
}

// menuLabels are the labels of the window's menu named name.
func (h *harness) menuLabels(name string) []string {
	var out []string
	for _, m := range h.ui.win.MainMenu().Items {
		if m.Label == name {
			for _, it := range m.Items {
				out = append(out, it.Label)
			}
		}
	}
	return out
}

// errorDialogs are the texts of the error dialogs on the window (the
// song view shows what went wrong in one), bottom to top.
func (h *harness) errorDialogs() []string {
	var out []string
	for _, o := range h.ui.win.Canvas().Overlays().List() {
		isError, text := false, ""
		walk(o, func(o fyne.CanvasObject) {
			switch c := o.(type) {
			case *canvas.Image:
				isError = isError || (c.Resource != nil && c.Resource.Name() == theme.ErrorIcon().Name())
			case *widget.Label:
				text += c.Text + "\n"
			}
		})
		if isError {
			out = append(out, text)
		}
	}
	return out
}

// radio finds the choices on screen that offer an option containing part.
func (h *harness) radio(part string) *widget.RadioGroup {
	h.t.Helper()
	var found *widget.RadioGroup
	var rec func(o fyne.CanvasObject)
	rec = func(o fyne.CanvasObject) {
		if r, ok := o.(*widget.RadioGroup); ok && found == nil && option(r.Options, part) != "" {
			found = r
		}
		switch c := o.(type) {
		case *fyne.Container:
			for _, ch := range c.Objects {
				rec(ch)
			}
		case fyne.Widget:
			for _, ch := range test.WidgetRenderer(c).Objects() {
				rec(ch)
			}
		}
	}
	rec(h.ui.win.Canvas().Content())
	if found == nil {
		h.t.Fatalf("no choice %q on screen", part)
	}
	return found
}

func option(options []string, part string) string {
	for _, o := range options {
		if strings.Contains(o, part) {
			return o
		}
	}
	return ""
}

// TestWindowArmAndKeepKeys: K with nothing armed explains; A arms track 1
// (the window shows it listens); while playing, K keeps what track 1
// heard as a take, one undo step; A while playing disarms. Keep that set
// in the settings is stored and used (Off: no listening). The Play menu
// lists both keys, in Norwegian too.
func TestWindowArmAndKeepKeys(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "lib", "Demo")
	demoSong(t, dir)
	set := studio.Defaults()
	set.Device, set.Language = "virtual", "en"
	h := newHarness(t, set, dir)
	h.pump("the song view", func() bool { return h.ui.screen == screenSong && h.ui.song != nil })
	st := h.ui.song.st
	h.pump("the virtual device", func() bool { return st.Audio().Device != "" && !st.Audio().Starting })
	if st.Audio().Keep != 2*time.Minute {
		t.Fatalf("Keep that keeps %v by default, want 2 minutes", st.Audio().Keep)
	}
	lanes := len(st.Song().Tracks[0].Lanes)

	h.key(fyne.KeyK)
	if errs := h.errorDialogs(); len(errs) != 1 || !strings.Contains(errs[0], "No track is ready to record") || h.ui.win.Canvas().Overlays().Top() == nil {
		t.Fatalf("K with nothing armed: %q", errs)
	}
	h.ui.win.Canvas().Overlays().Top().Hide()

	h.key(fyne.KeyA)
	if !st.Armed(0) {
		t.Fatal("A did not arm track 1")
	}
	if !strings.Contains(h.markup(), "Listening (the last 2 min are kept)") {
		t.Error("the window does not say it is listening")
	}
	h.key(fyne.KeySpace)
	h.pump("a second and a half of playing", func() bool { return st.State() == engine.Playing && st.Position() > 72000 })
	h.key(fyne.KeyK)
	h.pump("the kept take", func() bool { return len(st.Song().Tracks[0].Lanes) == lanes+1 })
	if l := st.Song().Tracks[0].ActiveLane; !strings.HasPrefix(l, "Kept take") || st.UndoLabel() != "Keep that" {
		t.Errorf("after K: lane %q, undo %q", l, st.UndoLabel())
	}
	h.key(fyne.KeyA)
	if st.Armed(0) || st.State() != engine.Playing {
		t.Errorf("A while playing: armed %v, state %v", st.Armed(0), st.State())
	}
	if strings.Contains(h.markup(), "Listening") {
		t.Error("still listening after A disarmed")
	}
	h.key(fyne.KeySpace)
	h.pump("stopped", func() bool { return st.State() == engine.Stopped })

	// Settings: 5 minutes, then Off, stored in settings.json and used.
	h.shortcut(fyne.KeyComma, fyne.KeyModifierShortcutDefault)
	keep := h.radio("5 minutes")
	keep.SetSelected(option(keep.Options, "5 minutes"))
	if s, _, err := studio.LoadSettings(h.ui.settingsPath); err != nil || s.KeepMinutes == nil || *s.KeepMinutes != 5 || st.Audio().Keep != 5*time.Minute {
		t.Errorf("5 minutes: stored %+v (%v), the device keeps %v", s.KeepMinutes, err, st.Audio().Keep)
	}
	keep.SetSelected("Off")
	if s, _, err := studio.LoadSettings(h.ui.settingsPath); err != nil || s.KeepMinutes == nil || *s.KeepMinutes != 0 || st.Audio().Keep != 0 {
		t.Errorf("Off: stored %+v (%v), the device keeps %v", s.KeepMinutes, err, st.Audio().Keep)
	}
	h.ui.settingsBackAction()
	h.pump("the device reopened", func() bool { return !st.Audio().Starting && st.Audio().Device != "" })
	h.key(fyne.KeyA)
	if !st.Armed(0) || strings.Contains(h.markup(), "Listening") {
		t.Errorf("Keep that off: armed %v, yet listening", st.Armed(0))
	}

	play := strings.Join(h.menuLabels("Play"), "\n")
	for _, want := range []string{"Keep that    (K)", "Arm or disarm the selected track    (A)"} {
		if !strings.Contains(play, want) {
			t.Errorf("the Play menu has no %q:\n%s", want, play)
		}
	}
	nb := h.ui.settings
	nb.Language = "nb"
	h.ui.saveSettings(nb)
	play = strings.Join(h.menuLabels("Spill"), "\n")
	if !strings.Contains(play, "Behold det    (K)") {
		t.Errorf("the Norwegian Play menu has no Keep that:\n%s", play)
	}
	if errs := h.errorDialogs(); len(errs) != 0 { // the first was closed
		t.Errorf("errors: %q", errs)
	}
}
