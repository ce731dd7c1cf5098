package app

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"sangstudio/audio/engine"
	"sangstudio/internal/uitest"
	"sangstudio/ui/i18n"
	"sangstudio/ui/studio"
)

// harness runs the whole window on Fyne's headless test driver. Fyne's
// test driver runs fyne.Do inline on the calling goroutine; the UI's post
// goes to a queue that pump runs on the test goroutine instead, as the real
// driver runs it on its main thread.
type harness struct {
	t     *testing.T
	ui    *UI
	posts uitest.Queue
}

func newHarness(t *testing.T, set studio.Settings, song string) *harness {
	t.Helper()
	a := test.NewTempApp(t)
	language, _ := i18n.Use(set.Language)
	h := &harness{t: t, posts: uitest.NewQueue()}
	w := a.NewWindow("Sangstudio")
	w.Resize(fyne.NewSize(1400, 900))
	path := filepath.Join(t.TempDir(), "settings.json")
	h.ui = &UI{app: a, win: w, settings: set, settingsPath: path, post: h.posts.Post, lang: language}
	h.ui.begin(song, false, nil)
	t.Cleanup(func() {
		h.ui.closeSong()
		h.drain()
		i18n.Use("en")
	})
	return h
}

func (h *harness) drain() { h.posts.Drain() }

// pump runs the UI thread's work until cond holds.
func (h *harness) pump(what string, cond func() bool) {
	h.t.Helper()
	h.posts.WaitFor(h.t, what, 60*time.Second, cond)
}

func (h *harness) key(name fyne.KeyName) {
	h.ui.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: name})
}

func (h *harness) shortcut(name fyne.KeyName, mod fyne.KeyModifier) {
	c := h.ui.win.Canvas().(interface{ TypedShortcut(fyne.Shortcut) })
	c.TypedShortcut(&desktop.CustomShortcut{KeyName: name, Modifier: mod})
}

func (h *harness) markup() string { return test.RenderToMarkup(h.ui.win.Canvas()) }

// demoWindow is the whole window on a copy of the demo song, in English,
// on the virtual device (no count-in), once the song view shows and the
// device runs.
func demoWindow(t *testing.T) (*harness, *studio.Studio) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "lib", "Demo")
	demoSong(t, dir)
	set := studio.Defaults()
	set.Device, set.Language, set.CountIn = "virtual", "en", 0
	h := newHarness(t, set, dir)
	h.pump("the song view", func() bool { return h.ui.screen == screenSong && h.ui.song != nil })
	st := h.ui.song.st
	h.pump("the virtual device", func() bool { return st.Audio().Device != "" && !st.Audio().Starting })
	return h, st
}

// TestWindowKeysAndLanguage opens the demo song in the whole window
// (headless), plays and stops with Space, records with R on an armed track,
// undoes with Ctrl+Z, then switches the language to Norwegian in the
// settings and finds the song view and the menus rebuilt in Norwegian.
func TestWindowKeysAndLanguage(t *testing.T) {
	h, st := demoWindow(t)
	if !strings.Contains(h.markup(), ">Record<") {
		t.Fatal("the song view shows no Record button")
	}

	h.key(fyne.KeySpace)
	h.pump("playing after Space", func() bool { return st.State() == engine.Playing })
	h.key(fyne.KeySpace)
	h.pump("stopped after Space", func() bool { return st.State() == engine.Stopped })
	h.key(fyne.KeyHome)
	// The engine takes the locate on its next buffer.
	h.pump("the playhead back at the start after Home", func() bool { return st.Position() == 0 })

	if err := st.Arm(0, true); err != nil {
		t.Fatal(err)
	}
	lanes := len(st.Song().Tracks[0].Lanes)
	h.key(fyne.KeyR)
	h.pump("recording after R", func() bool { return st.State() == engine.Recording && st.Position() > 24000 })
	h.key(fyne.KeySpace) // stop
	h.pump("the new take", func() bool { return !st.Finishing() && len(st.Song().Tracks[0].Lanes) == lanes+1 })
	h.shortcut(fyne.KeyZ, fyne.KeyModifierShortcutDefault)
	h.pump("undo after Ctrl+Z", func() bool { return len(st.Song().Tracks[0].Lanes) == lanes })
	h.shortcut(fyne.KeyZ, fyne.KeyModifierShortcutDefault|fyne.KeyModifierShift)
	h.pump("redo after Ctrl+Shift+Z", func() bool { return len(st.Song().Tracks[0].Lanes) == lanes+1 })

	// M adds a marker at the playhead (its dialog is confirmed with OK).
	markers := len(st.Song().Markers)
	h.key(fyne.KeyM)
	if top := h.ui.win.Canvas().Overlays().Top(); top == nil {
		t.Fatal("M showed no marker dialog")
	}

	// Settings: Norwegian.
	h.ui.win.Canvas().Overlays().Top().Hide()
	h.shortcut(fyne.KeyComma, fyne.KeyModifierShortcutDefault)
	if h.ui.screen != screenSettings {
		t.Fatal("Ctrl+, did not show the settings")
	}
	nb := h.ui.settings
	nb.Language = "nb"
	h.ui.saveSettings(nb)
	if !strings.Contains(h.markup(), "Lyd") && !strings.Contains(h.markup(), "Språk") {
		t.Errorf("the settings were not rebuilt in Norwegian")
	}
	if menu := h.ui.win.MainMenu(); menu == nil || menu.Items[0].Label != "Sang" {
		t.Errorf("the menus are not in Norwegian: %+v", menu)
	}
	h.ui.settingsBackAction()
	h.pump("back in the song", func() bool { return h.ui.screen == screenSong })
	m := h.markup()
	for _, want := range []string{">Ta opp<", ">Spill<", ">Stopp<", ">Tekst<", ">Behold det<"} {
		if !strings.Contains(m, want) {
			t.Errorf("the song view in Norwegian has no %q", want)
		}
	}
	if strings.Contains(m, ">Keep that<") || strings.Contains(m, ">Record<") {
		t.Error("English is left in the Norwegian song view")
	}
	if len(st.Song().Markers) != markers {
		t.Errorf("a marker dialog closed without OK added a marker")
	}
	s, _, err := studio.LoadSettings(h.ui.settingsPath)
	if err != nil || s.Language != "nb" {
		t.Errorf("the language was not saved: %+v %v", s, err)
	}
}

// TestPlainKeysWaitWhileADialogIsOpen: while a dialog is open, R and Space
// neither record nor play behind it (under X, a key typed while no field of
// the dialog has the keyboard reaches the window); once it is closed, they
// work again.
func TestPlainKeysWaitWhileADialogIsOpen(t *testing.T) {
	h, st := demoWindow(t)
	h.shortcut(fyne.KeyE, fyne.KeyModifierShortcutDefault) // Share
	top := h.ui.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("Ctrl+E showed no dialog")
	}
	h.key(fyne.KeyR)
	h.key(fyne.KeySpace)
	wait := time.Now().Add(500 * time.Millisecond)
	h.pump("half a second", func() bool { return time.Now().After(wait) })
	if s := st.State(); s != engine.Stopped {
		t.Fatalf("R and Space behind an open dialog: %v, want stopped", s)
	}
	top.Hide()
	h.key(fyne.KeySpace)
	h.pump("playing after Space, the dialog closed", func() bool { return st.State() == engine.Playing })
	h.key(fyne.KeySpace)
	h.pump("stopped", func() bool { return st.State() == engine.Stopped })
}

// TestSoundPanelFollowsARebuiltSongView: with a track's Sound panel open,
// switching to resident mode makes the song view again; the panel is open
// again over the new view, for the same track (resident: read-only), and the old
// view's panel is gone (one dialog, not two).
func TestSoundPanelFollowsARebuiltSongView(t *testing.T) {
	h, st := demoWindow(t)
	id := st.Song().Tracks[1].ID
	h.ui.song.view.OpenSoundTrack(id)
	if h.ui.song.view.SoundTrack() != id {
		t.Fatal("the Sound panel did not open")
	}
	old := h.ui.song.view
	res := h.ui.settings
	res.Resident = true
	h.ui.saveSettings(res)
	if h.ui.song.view == old {
		t.Fatal("resident mode did not make the song view again")
	}
	if old.SoundTrack() != "" {
		t.Error("the old view's Sound panel is still open")
	}
	if got := h.ui.song.view.SoundTrack(); got != id {
		t.Fatalf("after the rebuild the Sound panel is open for %q, want %q", got, id)
	}
	if n := len(h.ui.win.Canvas().Overlays().List()); n != 1 {
		t.Errorf("%d dialogs are open, want the one Sound panel", n)
	}
	if !st.Resident() {
		t.Error("the studio is not in resident mode")
	}
}
