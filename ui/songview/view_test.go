package songview_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"sangstudio/audio/demosong"
	"sangstudio/audio/device"
	"sangstudio/audio/engine"
	"sangstudio/internal/uitest"
	"sangstudio/projects"
	"sangstudio/projects/library"
	"sangstudio/projects/songlog"
	"sangstudio/ui/i18n"
	"sangstudio/ui/songview"
	"sangstudio/ui/studio"
	"sangstudio/ui/widgets"
)

// posts is the test's UI thread: Fyne's test driver runs fyne.Do inline on
// the calling goroutine, so the studio's worker posts here instead and
// waitFor runs them on the test goroutine, as the real driver would on its
// main thread.
var posts = uitest.NewQueue()

func post(f func()) { posts.Post(f) }

func drain() { posts.Drain() }

// demo is the demo song made once for the package, opened once on the
// virtual device so that its MIDI track's sound is rendered into the song's
// cache (under -race that takes many seconds); each test gets a copy.
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

// demoSong copies the package's demo song into a folder of the test's.
func demoSong(t testing.TB) string {
	t.Helper()
	demo.once.Do(func() {
		tmp, err := os.MkdirTemp("", "songview-demo")
		if err != nil {
			demo.err = err
			return
		}
		demo.dir = filepath.Join(tmp, "song")
		if _, demo.err = demosong.Create(demo.dir, 48000); demo.err != nil {
			return
		}
		a := studio.NewAudio(studio.AudioConfig{Device: device.VirtualID}, post)
		defer a.Close()
		st, err := studio.Open(demo.dir, a, post)
		if err != nil {
			demo.err = err
			return
		}
		st.StartAudio()
		started := uitest.Poll(time.Minute, drain, func() bool { return st.Audio().Device != "" && !st.Audio().Starting })
		demo.err = st.Close()
		drain()
		if !started && demo.err == nil {
			demo.err = errors.New("the virtual device did not start within a minute")
		}
	})
	if demo.err != nil {
		t.Fatal(demo.err)
	}
	dir := filepath.Join(t.TempDir(), "song")
	if err := os.CopyFS(dir, os.DirFS(demo.dir)); err != nil {
		t.Fatal(err)
	}
	return dir
}

// view is a song view under test, with the errors it showed: it shows
// them through Options.OnError, on the window as the view itself does.
type view struct {
	*songview.View
	errs []error
}

// newView makes a song view that keeps the errors it shows.
func newView(opt songview.Options) *view {
	v := &view{}
	opt.OnError = func(err error) {
		v.errs = append(v.errs, err)
		if opt.Window != nil {
			dialog.ShowError(err, opt.Window)
		}
	}
	v.View = songview.New(opt)
	return v
}

// setup opens the demo song on the virtual device in a test window.
func setup(t testing.TB) (*studio.Studio, *view, fyne.Window) {
	t.Helper()
	return setupKeep(t, 0)
}

// setupKeep is setup with the armed inputs kept for Keep that (0: off).
func setupKeep(t testing.TB, keep time.Duration) (*studio.Studio, *view, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	i18n.Use("en")
	dir := demoSong(t)
	st, err := studio.Open(dir, testAudio(t, sineConfig(keep), post), post)
	if err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, nil)
	v := newView(songview.Options{Window: w, Studio: st})
	st.OnChange = v.Refresh
	st.OnError = func(err error) { t.Errorf("background error: %v", err) }
	w.SetContent(v.Content())
	w.Resize(fyne.NewSize(1400, 900))
	st.StartAudio()
	t.Cleanup(func() { st.Close(); drain() })
	return st, v, w
}

// waitFor polls cond, each time after running what was posted and ticking
// the view like the window's ticker does, so that cond and the checks after
// it see the view as it is then. Where the test checks the view next, cond
// should read the view (a button's text), not the engine behind it.
func waitFor(t *testing.T, v *view, what string, cond func() bool) {
	t.Helper()
	uitest.Until(t, what, 60*time.Second, func() { drain(); v.Tick() }, cond)
}

// button finds a button by its text (or tooltip) anywhere in the window.
func button(t *testing.T, w fyne.Window, text string) *widget.Button {
	t.Helper()
	found := findButton(w, text)
	if found == nil {
		t.Fatalf("no button %q", text)
	}
	return found
}

// findButton is button's search: nil when there is none.
func findButton(w fyne.Window, text string) *widget.Button {
	var found *widget.Button
	look := func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == text && found == nil {
			found = b
		}
		if b, ok := o.(*widgets.TipButton); ok && b.Text == text && found == nil {
			found = &b.Button
		}
	}
	// Dialogs first (they are on top), then the screen.
	for _, o := range w.Canvas().Overlays().List() {
		walk(o, look)
	}
	walk(w.Canvas().Content(), look)
	return found
}

func walk(o fyne.CanvasObject, f func(fyne.CanvasObject)) {
	f(o)
	switch c := o.(type) {
	case *fyne.Container:
		for _, ch := range c.Objects {
			walk(ch, f)
		}
	case fyne.Widget:
		for _, ch := range test.WidgetRenderer(c).Objects() {
			walk(ch, f)
		}
	}
}

// TestRecordStopUndoInTheWindow drives the song screen as a user would:
// arm the first track, Record, Stop, see the new take, Undo it.
func TestRecordStopUndoInTheWindow(t *testing.T) {
	st, v, w := setup(t)
	markup := test.RenderToMarkup(w.Canvas())
	for _, want := range []string{">Record<", ">Play<", ">Stop<", ">Lyrics<", ">Share<", st.Song().Tracks[0].Name} {
		if !strings.Contains(markup, want) {
			t.Errorf("the song view's markup has no %q", want)
		}
	}
	waitFor(t, v, "the virtual device", func() bool { return st.Audio().Device != "" && !st.Audio().Starting })
	if !strings.Contains(test.RenderToMarkup(w.Canvas()), "Virtual device") {
		t.Error("the virtual device is not labelled as such")
	}
	lanes := len(st.Song().Tracks[0].Lanes)

	// Arm track 1 with its round record button.
	var arm *widgets.TipButton
	walk(w.Canvas().Content(), func(o fyne.CanvasObject) {
		if b, ok := o.(*widgets.TipButton); ok && b.Tip == "Ready to record (arm) (A)" && arm == nil {
			arm = b
		}
	})
	test.Tap(arm)
	if !st.Armed(0) || st.Armed(1) {
		t.Fatal("the first strip's record button did not arm the first track")
	}
	st.SetCountIn(0)
	test.Tap(button(t, w, "Record"))
	// The engine records before the view's next tick says so: wait for the
	// button, then check that the engine agrees.
	waitFor(t, v, "the Record button to say Recording", func() bool { return findButton(w, "Recording") != nil })
	if st.State() != engine.Recording {
		t.Fatalf("the Record button says Recording, the engine is in state %v", st.State())
	}
	waitFor(t, v, "a second of recording", func() bool { return st.Position() > 48000 })
	test.Tap(button(t, w, "Stop"))
	waitFor(t, v, "the take on the track", func() bool {
		return !st.Finishing() && len(st.Song().Tracks[0].Lanes) == lanes+1
	})
	take := st.Song().Tracks[0].Clips[0].Take
	if !strings.HasPrefix(take, st.Song().Tracks[0].Name) && !strings.Contains(take, ".wav") {
		t.Errorf("new take %q", take)
	}
	undo := button(t, w, "Undo")
	if undo.Disabled() {
		t.Fatal("Undo is disabled after recording")
	}
	test.Tap(undo)
	waitFor(t, v, "undo", func() bool { return len(st.Song().Tracks[0].Lanes) == lanes })
	if st.Song().Tracks[0].Clips[0].Take == take {
		t.Fatal("undo did not take the new take off the track")
	}
	if button(t, w, "Redo").Disabled() {
		t.Fatal("Redo is disabled after undo")
	}
}

// TestErrorsShownInADialog: without Options.OnError, what went wrong is
// said in an error dialog on the window.
func TestErrorsShownInADialog(t *testing.T) {
	st, _, w := setup(t)
	v := songview.New(songview.Options{Window: w, Studio: st})
	st.OnChange = v.Refresh
	w.SetContent(v.Content())
	if w.Canvas().Overlays().Top() != nil {
		t.Fatal("a dialog before anything went wrong")
	}
	v.Keep() // nothing armed: nothing to keep
	top := w.Canvas().Overlays().Top()
	if top == nil || !strings.Contains(test.RenderObjectToMarkup(top), "No track is ready to record") {
		t.Fatal("Keep that with nothing armed showed no error dialog")
	}
}

// TestMixControlsAreUndoable: mute, solo and a fader drag each become one
// undo step, and reach the song.
func TestMixControlsAreUndoable(t *testing.T) {
	st, _, w := setup(t)
	test.Tap(button(t, w, "M"))
	if !st.Song().Tracks[0].Mute || st.UndoLabel() != "Mute" {
		t.Fatalf("mute: %v, undo %q", st.Song().Tracks[0].Mute, st.UndoLabel())
	}
	test.Tap(button(t, w, "S"))
	if !st.Song().Tracks[0].Solo {
		t.Fatal("solo did not reach the song")
	}
	var fader *widget.Slider
	walk(w.Canvas().Content(), func(o fyne.CanvasObject) {
		if s, ok := o.(*widget.Slider); ok && fader == nil && s.Max == 12 {
			fader = s
		}
	})
	fader.SetValue(-6)
	fader.SetValue(-9)
	fader.OnChangeEnded(-9)
	if got := st.Song().Tracks[0].GainDB; got != -9 {
		t.Fatalf("fader: %v dB", got)
	}
	if st.UndoLabel() != "Change the volume" {
		t.Fatalf("undo label after the fader: %q", st.UndoLabel())
	}
}

// TestLyricsAndMarkers: lyrics typed are saved with the song; M adds a
// marker at the playhead.
func TestLyricsAndMarkers(t *testing.T) {
	st, v, w := setup(t)
	lyrics := v.Lyrics()
	w.Canvas().Focus(lyrics)
	test.Type(lyrics, "x")
	lyrics.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if w.Canvas().Focused() != nil {
		t.Error("Escape did not leave the lyrics box")
	}
	lyrics.SetText("Ny linje\nOg en til")
	waitFor(t, v, "the lyrics saved after a pause", func() bool { return st.UndoLabel() == "Edit lyrics" })
	st.Wait()
	drain()
	s, _, err := projects.Load(st.Dir)
	if err != nil || s.Lyrics != "Ny linje\nOg en til" {
		t.Fatalf("lyrics on disk: %q %v", s.Lyrics, err)
	}
	n := len(st.Song().Markers)
	st.Locate(96000)
	v.AddMarker() // opens a dialog with a suggested name
	test.Tap(button(t, w, "OK"))
	if len(st.Song().Markers) != n+1 {
		t.Fatalf("markers: %d, want %d", len(st.Song().Markers), n+1)
	}
}

// TestNorwegian: after switching the language the rebuilt view speaks
// Norwegian.
func TestNorwegian(t *testing.T) {
	st, _, w := setup(t)
	i18n.Use("nb")
	defer i18n.Use("en")
	v := songview.New(songview.Options{Window: w, Studio: st})
	st.OnChange = v.Refresh
	w.SetContent(v.Content())
	markup := test.RenderToMarkup(w.Canvas())
	for _, want := range []string{">Ta opp<", ">Spill<", ">Stopp<", ">Tekst<"} {
		if !strings.Contains(markup, want) {
			t.Errorf("Norwegian song view has no %q", want)
		}
	}
	if strings.Contains(markup, ">Record<") {
		t.Error("Norwegian song view still says Record")
	}
}

// TestNewSongAddTrackRecord: a new, empty song says how to start; Add track
// makes a track, and recording on it gives the song its first take.
func TestNewSongAddTrackRecord(t *testing.T) {
	test.NewTempApp(t)
	i18n.Use("en")
	lib, err := library.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	dir, err := lib.NewSong("Første sang", 48000)
	if err != nil {
		t.Fatal(err)
	}
	st, err := studio.Open(dir, testAudio(t, studio.AudioConfig{Device: device.VirtualID, VirtualInput: device.VirtualSource{Kind: "sine"}}, post), post)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close(); drain() })
	w := test.NewTempWindow(t, nil)
	v := newView(songview.Options{Studio: st}) // no window: Add track adds a mono track at once
	st.OnChange = v.Refresh
	w.SetContent(v.Content())
	w.Resize(fyne.NewSize(1400, 900))
	if !strings.Contains(test.RenderToMarkup(w.Canvas()), "no tracks yet") {
		t.Error("an empty song does not say how to start")
	}
	v.AddTrack()
	if len(st.Song().Tracks) != 1 || st.Song().Tracks[0].Channels != 1 || st.Song().Tracks[0].Name != "Vocal" {
		t.Fatalf("tracks after Add track: %+v", st.Song().Tracks)
	}
	if strings.Contains(test.RenderToMarkup(w.Canvas()), "no tracks yet") {
		t.Error("the hint stays after a track was added")
	}
	if !st.Armed(0) || !strings.Contains(test.RenderToMarkup(w.Canvas()), "“Vocal” is ready to record") {
		t.Fatal("the first track added is not armed, or the status line does not say so")
	}
	st.SetCountIn(0)
	v.Record()
	waitFor(t, v, "recording", func() bool { return st.State() == engine.Recording })
	waitFor(t, v, "half a second", func() bool { return st.Position() > 24000 })
	st.Stop()
	waitFor(t, v, "the first take", func() bool { return !st.Finishing() && len(st.Song().Tracks[0].Clips) == 1 })
	if c := st.Song().Tracks[0].Clips[0]; c.Position != 0 || c.Length < 24000 {
		t.Fatalf("first take: %+v", c)
	}
}

// TestClipVolume: selecting a clip shows its volume; a drag of the slider
// is one undo step on that clip.
func TestClipVolume(t *testing.T) {
	st, v, w := setup(t)
	v.Timeline().OnSelectClip(1, 0)
	if tr, c := v.Selected(); tr != 1 || c != 0 {
		t.Fatalf("selected %d %d", tr, c)
	}
	var slider *widget.Slider
	walk(w.Canvas().Content(), func(o fyne.CanvasObject) {
		if s, ok := o.(*widget.Slider); ok && s.Min == -24 && slider == nil {
			slider = s
		}
	})
	slider.SetValue(-6)
	slider.OnChangeEnded(-6)
	if got := st.Song().Tracks[1].Clips[0].GainDB; got != -6 || st.UndoLabel() != "Clip volume" {
		t.Fatalf("clip gain %v, undo %q", got, st.UndoLabel())
	}
}

// sineConfig is the virtual device with a sine on its inputs, keeping
// keep of the armed inputs for Keep that.
func sineConfig(keep time.Duration) studio.AudioConfig {
	return studio.AudioConfig{Device: device.VirtualID, VirtualInput: device.VirtualSource{Kind: "sine"}, Keep: keep}
}

// testAudio is a window's audio device for a test, closed after it.
func testAudio(t testing.TB, cfg studio.AudioConfig, post func(func())) *studio.Audio {
	a := studio.NewAudio(cfg, post)
	t.Cleanup(func() { a.Close() })
	return a
}

// TestRecordInANewSongJustWorks: in a new, empty song, in Norwegian, the
// first press of Record makes a mono track "Vokal", arms it and records;
// no error is shown, and the status line says what happened.
func TestRecordInANewSongJustWorks(t *testing.T) {
	test.NewTempApp(t)
	i18n.Use("nb")
	t.Cleanup(func() { i18n.Use("en") })
	lib, err := library.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	dir, err := lib.NewSong("Ny sang", 48000)
	if err != nil {
		t.Fatal(err)
	}
	st, err := studio.Open(dir, testAudio(t, studio.AudioConfig{Device: device.VirtualID, VirtualInput: device.VirtualSource{Kind: "sine"}}, post), post)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close(); drain() })
	w := test.NewTempWindow(t, nil)
	v := newView(songview.Options{Window: w, Studio: st})
	st.OnChange = v.Refresh
	w.SetContent(v.Content())
	w.Resize(fyne.NewSize(1366, 700))
	st.SetCountIn(0)
	test.Tap(button(t, w, "Ta opp"))
	waitFor(t, v, "recording", func() bool { return findButton(w, "Tar opp") != nil })
	if len(v.errs) != 0 {
		t.Fatalf("errors shown: %v", v.errs)
	}
	if tr := st.Song().Tracks; len(tr) != 1 || tr[0].Name != "Vokal" || tr[0].Channels != 1 || !st.Armed(0) {
		t.Fatalf("tracks %+v, armed %v: want one mono track «Vokal», armed", tr, st.Armed(0))
	}
	if markup := test.RenderToMarkup(w.Canvas()); !strings.Contains(markup, "Tar opp på et nytt spor, «Vokal», fra inngang 1.") {
		t.Error("the status line does not say that a track was made")
	}
	waitFor(t, v, "half a second", func() bool { return st.Position() > 24000 })
	test.Tap(button(t, w, "Stopp"))
	waitFor(t, v, "the take", func() bool { return !st.Finishing() && len(st.Song().Tracks[0].Clips) == 1 })
}

// TestResidentMode: resident mode shows Record, Keep that, Play, Stop and
// Undo and the lyrics, nothing to delete, rename or move; the studio
// refuses such changes from anywhere; Record still works; leaving it takes
// a held button.
func TestResidentMode(t *testing.T) {
	var turned []bool
	st, v, w := setupResident(t, func(on bool) { turned = append(turned, on) })
	for _, want := range []string{"Record", "Keep that", "Play", "Stop", "Undo"} {
		if findButton(w, want) == nil {
			t.Errorf("resident mode has no %q button", want)
		}
	}
	for _, gone := range []string{"Share", "Add track", "Songs", "Redo", "M", "S"} {
		if findButton(w, gone) != nil {
			t.Errorf("resident mode shows %q", gone)
		}
	}
	if !strings.Contains(test.RenderToMarkup(w.Canvas()), "Morgenlyset") {
		t.Error("the lyrics are not shown")
	}
	n := len(st.Song().Tracks)
	if err := st.Edit("Delete track", func(s *projects.Song) error { s.Tracks = s.Tracks[1:]; return nil }); !errors.Is(err, studio.ErrResident) || len(st.Song().Tracks) != n {
		t.Fatalf("deleting a track in resident mode: %v, %d tracks", err, len(st.Song().Tracks))
	}
	if err := st.Edit("Move clip", func(s *projects.Song) error { s.Tracks[0].Clips[0].Position += 48000; return nil }); !errors.Is(err, studio.ErrResident) {
		t.Fatalf("moving a clip in resident mode: %v", err)
	}
	st.SetCountIn(0)
	test.Tap(button(t, w, "Record"))
	waitFor(t, v, "recording", func() bool { return findButton(w, "Recording") != nil })
	at := st.Position()
	waitFor(t, v, "half a second", func() bool { return st.Position() > at+24000 })
	test.Tap(button(t, w, "Stop"))
	waitFor(t, v, "the take", func() bool { return !st.Finishing() && st.UndoLabel() == "Record" })
	if len(v.errs) != 0 {
		t.Fatalf("errors in resident mode: %v", v.errs)
	}
	var leave *widgets.HoldButton
	walk(w.Canvas().Content(), func(o fyne.CanvasObject) {
		if b, ok := o.(*widgets.HoldButton); ok {
			leave = b
		}
	})
	if leave == nil {
		t.Fatal("no button to leave resident mode")
	}
	test.Tap(leave)
	leave.Press(time.Now())
	waitFor(t, v, "resident mode left", func() bool { return len(turned) > 0 })
	if len(turned) != 1 || turned[0] {
		t.Fatalf("OnResident calls %v, want one: false", turned)
	}
}

// setupResident opens the demo song in resident mode on the virtual
// device in a test window; onResident is the view's OnResident.
func setupResident(t *testing.T, onResident func(bool)) (*studio.Studio, *view, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	i18n.Use("en")
	st, err := studio.Open(demoSong(t), testAudio(t, sineConfig(0), post), post)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close(); drain() })
	w := test.NewTempWindow(t, nil)
	v := newView(songview.Options{Window: w, Studio: st, Resident: true, Post: post, OnResident: onResident})
	st.OnChange = v.Refresh
	w.SetContent(v.Content())
	w.Resize(fyne.NewSize(1280, 700))
	return st, v, w
}

// TestSessionClockAndNotice: the song view shows how long the song has
// been open today, counting an earlier opening today from the song's log;
// with a session of 60 minutes, from 50 on a quiet notice offers Take it
// home and Burn a CD, each one click away.
func TestSessionClockAndNotice(t *testing.T) {
	test.NewTempApp(t)
	i18n.Use("en")
	dir := demoSong(t)
	// Opened earlier today for 50 minutes (or yesterday, just before
	// midnight, when the test runs just after: then nothing counts).
	now := time.Now()
	earlier := now.Add(-3 * time.Hour)
	if err := songlog.AppendAll(dir, []songlog.Entry{
		{Time: earlier, Event: songlog.Opened}, {Time: earlier.Add(50*time.Minute + 10*time.Second), Event: songlog.Closed},
	}); err != nil {
		t.Fatal(err)
	}
	sameDay := earlier.YearDay() == now.YearDay()
	st, err := studio.Open(dir, testAudio(t, sineConfig(0), post), post)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close(); drain() })
	w := test.NewTempWindow(t, nil)
	homes, cds := 0, 0
	v := newView(songview.Options{Window: w, Studio: st, Session: 60 * time.Minute,
		OnTakeHome: func() { homes++ }, OnBurnCD: func() { cds++ }})
	w.SetContent(v.Content())
	w.Resize(fyne.NewSize(1280, 700))
	if !sameDay {
		t.Skip("the earlier opening was yesterday: run the test again after 03:00")
	}
	waitFor(t, v, "the clock and the notice", func() bool {
		return shows(w, "Open today: 0:50")
	})
	if !shows(w, "The session ends in 10 minutes. Take the song home, or burn a CD?") {
		t.Fatal("no notice 10 minutes before the end of the session")
	}
	test.Tap(button(t, w, "Take it home"))
	if homes != 1 || shows(w, "The session ends in 10 minutes") {
		t.Fatalf("Take it home: called %d times, notice still shown %v", homes, shows(w, "The session ends in 10 minutes"))
	}
}

// shows reports whether a visible text in the window holds s (one inside
// a hidden container is not visible).
func shows(w fyne.Window, s string) bool {
	var rec func(o fyne.CanvasObject) bool
	rec = func(o fyne.CanvasObject) bool {
		if !o.Visible() {
			return false
		}
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, s) {
			return true
		}
		switch c := o.(type) {
		case *fyne.Container:
			for _, ch := range c.Objects {
				if rec(ch) {
					return true
				}
			}
		case fyne.Widget:
			for _, ch := range test.WidgetRenderer(c).Objects() {
				if rec(ch) {
					return true
				}
			}
		}
		return false
	}
	return rec(w.Canvas().Content())
}
