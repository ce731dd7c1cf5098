package libraryview

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	gm "gitlab.com/gomidi/midi/v2"
	gsmf "gitlab.com/gomidi/midi/v2/smf"

	"sangstudio/audio/demosong"
	"sangstudio/audio/device"
	"sangstudio/internal/uitest"
	"sangstudio/internal/wavtest"
	"sangstudio/projects"
	"sangstudio/projects/library"
	"sangstudio/projects/songlog"
	"sangstudio/ui/explain"
	"sangstudio/ui/i18n"
)

// queue is the tests' UI thread: what the view posts runs on the test's
// goroutine when the test pumps, never concurrently with it.
type queue struct {
	mu  sync.Mutex
	fns []func()
}

func (q *queue) post(f func()) {
	q.mu.Lock()
	q.fns = append(q.fns, f)
	q.mu.Unlock()
}

func (q *queue) run() {
	for {
		q.mu.Lock()
		fns := q.fns
		q.fns = nil
		q.mu.Unlock()
		if len(fns) == 0 {
			return
		}
		for _, f := range fns {
			f()
		}
	}
}

// settle pumps the queue for a while (for checking that nothing happens).
func settle(q *queue) {
	for i := 0; i < 20; i++ {
		q.run()
		time.Sleep(10 * time.Millisecond)
	}
}

// useLang sets the language for one test.
func useLang(t *testing.T, code string) {
	t.Helper()
	for _, v := range []string{"LANGUAGE", "LC_ALL", "LC_MESSAGES"} {
		t.Setenv(v, "")
	}
	t.Setenv("LANG", "en_US.UTF-8")
	if _, err := i18n.Use(code); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { i18n.Use("en") })
}

// testLang is the language useLang chose (i18n.Use sets LANGUAGE).
func testLang() i18n.Lang { return i18n.Lang(os.Getenv("LANGUAGE")) }

// harness is a library screen in a test window.
type harness struct {
	t      *testing.T
	q      *queue
	w      fyne.Window
	v      *View
	lib    *library.Library
	opened []string
}

func newHarness(t *testing.T, lib *library.Library, open OpenPlayer) *harness {
	t.Helper()
	h := &harness{t: t, q: &queue{}, lib: lib}
	h.w = test.NewWindow(nil)
	h.w.Resize(fyne.NewSize(900, 700))
	h.v = New(Options{
		Library:    lib,
		Window:     h.w,
		OpenSong:   func(dir string) { h.opened = append(h.opened, dir) },
		OpenPlayer: open,
		Rate:       48000,
		Post:       h.q.post,
		Lang:       testLang(),
	})
	h.w.SetContent(h.v.Content())
	t.Cleanup(func() {
		h.v.Stop()
		settle(h.q)
		h.w.Close()
	})
	h.wait("the first list", func() bool { return h.v.loaded })
	return h
}

func (h *harness) wait(what string, cond func() bool) {
	h.t.Helper()
	if !uitest.Poll(30*time.Second, h.q.run, cond) {
		var top []string
		if o := h.top(); o != nil {
			top = texts(o)
		}
		h.t.Fatalf("timed out waiting for %s; top dialog: %q", what, top)
	}
}

// walk calls f for every visible object under o.
func walk(o fyne.CanvasObject, f func(fyne.CanvasObject)) {
	if o == nil || !o.Visible() {
		return
	}
	f(o)
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			walk(c, f)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			walk(c, f)
		}
	}
}

// layers are the window's overlays, top first, then its content.
func (h *harness) layers() []fyne.CanvasObject {
	ov := h.w.Canvas().Overlays().List()
	var out []fyne.CanvasObject
	for i := len(ov) - 1; i >= 0; i-- {
		out = append(out, ov[i])
	}
	return append(out, h.w.Canvas().Content())
}

// top is the topmost overlay (a dialog or menu), nil if none.
func (h *harness) top() fyne.CanvasObject { return h.w.Canvas().Overlays().Top() }

// texts are the texts shown under o: labels, buttons, rich text.
func texts(o fyne.CanvasObject) []string {
	var out []string
	walk(o, func(c fyne.CanvasObject) {
		switch x := c.(type) {
		case *widget.Label:
			out = append(out, x.Text)
		case *widget.Button:
			out = append(out, x.Text)
		case *widget.RichText:
			out = append(out, x.String())
		case *canvas.Text:
			out = append(out, x.Text)
		}
	})
	return out
}

// shows reports whether some text under o contains s.
func shows(o fyne.CanvasObject, s string) bool {
	if o == nil {
		return false
	}
	return slices.ContainsFunc(texts(o), func(t string) bool { return strings.Contains(t, s) })
}

// button finds a shown button by its text, in the top layer that has one.
func (h *harness) button(text string) *widget.Button {
	for _, l := range h.layers() {
		var found *widget.Button
		walk(l, func(c fyne.CanvasObject) {
			if b, ok := c.(*widget.Button); ok && found == nil && b.Text == text {
				found = b
			}
		})
		if found != nil {
			return found
		}
	}
	return nil
}

// tap waits for an enabled button with text and taps it.
func (h *harness) tap(text string) {
	h.t.Helper()
	h.wait("button "+text, func() bool { b := h.button(text); return b != nil && !b.Disabled() })
	test.Tap(h.button(text))
	h.q.run()
}

// entry waits for the top dialog's entry.
func (h *harness) entry() *widget.Entry {
	h.t.Helper()
	var e *widget.Entry
	h.wait("an entry", func() bool {
		e = nil
		walk(h.top(), func(c fyne.CanvasObject) {
			if x, ok := c.(*widget.Entry); ok {
				e = x
			}
		})
		return e != nil
	})
	return e
}

// titles are the song titles on the screen, top to bottom.
func (h *harness) titles() []string {
	var out []string
	walk(h.w.Canvas().Content(), func(c fyne.CanvasObject) {
		if l, ok := c.(*widget.Label); ok && l.SizeName == "subHeadingText" && l.TextStyle.Bold {
			out = append(out, l.Text)
		}
	})
	return out
}

// setChanged sets when a song was last saved.
func setChanged(t *testing.T, dir string, when time.Time) {
	t.Helper()
	if err := os.Chtimes(filepath.Join(dir, projects.SongFile), when, when); err != nil {
		t.Fatal(err)
	}
}

// threeSongs makes a library: "Morgenlys" (the demo song, changed an hour
// ago, with a bounce in exports), "Bølgen" (two days ago) and "Alpha" (40
// days ago; two recorded takes, no clips).
func threeSongs(t *testing.T) (*library.Library, map[string]string) {
	t.Helper()
	lib, err := library.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	dirs := map[string]string{}
	now := time.Now()
	for _, s := range []struct {
		title string
		age   time.Duration
	}{{"Alpha", 40 * 24 * time.Hour}, {"Bølgen", 48 * time.Hour}} {
		dir, err := lib.NewSong(s.title, 48000)
		if err != nil {
			t.Fatal(err)
		}
		if s.title == "Bølgen" { // two recorded takes
			song, _, err := projects.Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			for _, name := range []string{"Vokal", "Gitar"} {
				take := wavtest.Take(t, dir, song, name, [][]float32{sine(480)})
				song.Takes = append(song.Takes, projects.TakeInfo{File: take, Frames: 480})
			}
			if err := projects.Save(dir, song); err != nil {
				t.Fatal(err)
			}
		}
		setChanged(t, dir, now.Add(-s.age))
		dirs[s.title] = dir
	}
	demo := filepath.Join(lib.Root, "Morgenlys")
	if err := os.CopyFS(demo, os.DirFS(demoSong(t))); err != nil {
		t.Fatal(err)
	}
	bounce(t, demo, "Morgenlys mix.wav")
	setChanged(t, demo, now.Add(-time.Hour))
	dirs["Morgenlys"] = demo
	return lib, dirs
}

// The demo song is synthesised once (it takes seconds with -race) and
// copied into each test's library.
var (
	demoOnce sync.Once
	demoDir  string
	demoErr  error
)

func demoSong(t *testing.T) string {
	t.Helper()
	demoOnce.Do(func() {
		demoDir, demoErr = os.MkdirTemp("", "libraryview-demo-")
		if demoErr == nil {
			_, demoErr = demosong.Create(filepath.Join(demoDir, "song"), 48000)
		}
	})
	if demoErr != nil {
		t.Fatal(demoErr)
	}
	return filepath.Join(demoDir, "song")
}

func TestMain(m *testing.M) {
	code := m.Run()
	if demoDir != "" {
		os.RemoveAll(demoDir)
	}
	os.Exit(code)
}

// bounce writes a short WAV into a song's exports folder.
func bounce(t *testing.T, dir, name string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, projects.ExportsDir), 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, projects.ExportsDir, name)
	wavtest.Write(t, p, 48000, [][]float32{sine(4800), sine(4800)})
	return p
}

func sine(n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(0.3 * math.Sin(2*math.Pi*440*float64(i)/48000))
	}
	return s
}

func TestListShowsSongsNewestFirst(t *testing.T) {
	test.NewTempApp(t)
	useLang(t, "en")
	lib, _ := threeSongs(t)
	h := newHarness(t, lib, nil)

	if got, want := h.titles(), []string{"Demo: Morgenlys", "Bølgen", "Alpha"}; !slices.Equal(got, want) {
		t.Fatalf("titles %q, want %q", got, want)
	}
	content := h.w.Canvas().Content()
	want := []string{"Your songs", "New song", "Import files…", "Bin (0)", "nothing recorded yet"}
	for _, e := range h.v.entries {
		want = append(want, "changed "+formatWhen(e.Modified, time.Now(), testLang()))
	}
	for _, s := range want {
		if !shows(content, s) {
			t.Errorf("the screen does not show %q: %q", s, texts(content))
		}
	}
	demo := h.v.entries[0]
	if !shows(content, formatLength(demo.Length)) || !shows(content, "2 takes") {
		t.Errorf("the rows do not show the demo's length %s and Bølgen's takes: %q", formatLength(demo.Length), texts(content))
	}
	// Alpha's own time (made 40 days ago; taken from its entry, so that a
	// minute turning over during the test does not matter).
	var old time.Time
	for _, en := range h.v.entries {
		if en.Title == "Alpha" {
			old = en.Modified
		}
	}
	if want := monthsEN[old.Month()-1]; !shows(content, "changed "+formatWhen(old, time.Now(), testLang())) || !strings.Contains(formatWhen(old, time.Now(), testLang()), want) {
		t.Errorf("Alpha's date (%s) not shown: %q", formatWhen(old, time.Now(), testLang()), texts(content))
	}
	if shows(content, "Listen") {
		t.Error("Listen buttons without a player")
	}
	for dir, r := range h.v.rows {
		if hgt := r.obj.MinSize().Height; hgt < minRowHeight {
			t.Errorf("row %s is %.0f px high", filepath.Base(dir), hgt)
		}
	}
}

func TestEmptyLibraryAndProblem(t *testing.T) {
	test.NewTempApp(t)
	useLang(t, "en")
	lib, err := library.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, lib, nil)
	if !shows(h.w.Canvas().Content(), "No songs yet. Press New song to start.") {
		t.Errorf("empty library: %q", texts(h.w.Canvas().Content()))
	}

	// A damaged song is listed with its problem in the warning colour.
	dir := filepath.Join(lib.Root, "Skadet")
	os.Mkdir(dir, 0o700)
	os.WriteFile(filepath.Join(dir, projects.SongFile), []byte("{not json"), 0o600)
	h.v.Reload()
	h.wait("the damaged song", func() bool { return slices.Contains(h.titles(), "Skadet") })
	var warned bool
	walk(h.w.Canvas().Content(), func(c fyne.CanvasObject) {
		if l, ok := c.(*widget.Label); ok && l.Importance == widget.WarningImportance && strings.Contains(l.Text, "Something is wrong") {
			warned = true
		}
	})
	if !warned {
		t.Errorf("no warning line for the damaged song: %q", texts(h.w.Canvas().Content()))
	}
}

func TestNewSong(t *testing.T) {
	test.NewTempApp(t)
	useLang(t, "en")
	lib, _ := threeSongs(t)
	h := newHarness(t, lib, nil)

	h.tap("New song")
	e := h.entry()
	if e.Text != "New song" {
		t.Errorf("default title %q", e.Text)
	}
	test.Type(e, "Sommerfugl") // replaces the selected default
	if e.Text != "Sommerfugl" {
		t.Fatalf("typed title %q", e.Text)
	}
	h.tap("Make the song")
	h.wait("OpenSong", func() bool { return len(h.opened) == 1 })
	dir := h.opened[0]
	if filepath.Dir(dir) != lib.Root || filepath.Base(dir) != "Sommerfugl" {
		t.Errorf("new song in %s", dir)
	}
	s, _, err := projects.Load(dir)
	if err != nil || s.Title != "Sommerfugl" || s.Rate != 48000 {
		t.Fatalf("new song: %+v, %v", s, err)
	}
	h.wait("the new song listed", func() bool { return slices.Contains(h.titles(), "Sommerfugl") })

	// Cancel makes nothing; Enter with the default title makes "New song".
	h.tap("New song")
	h.entry()
	h.tap("Cancel")
	settle(h.q)
	if len(h.opened) != 1 {
		t.Fatal("Cancel made a song")
	}
	h.tap("New song")
	e = h.entry()
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.wait("the second OpenSong", func() bool { return len(h.opened) == 2 })
	if s, _, err := projects.Load(h.opened[1]); err != nil || s.Title != "New song" {
		t.Errorf("default song: %+v, %v", s, err)
	}
}

func TestRename(t *testing.T) {
	test.NewTempApp(t)
	useLang(t, "en")
	lib, dirs := threeSongs(t)
	h := newHarness(t, lib, nil)

	test.Tap(h.v.rows[dirs["Alpha"]].more)
	h.tap("Rename…")
	e := h.entry()
	if e.Text != "Alpha" {
		t.Errorf("rename starts with %q", e.Text)
	}
	test.Type(e, "Omega")
	h.tap("Rename")
	h.wait("the new title on the screen", func() bool { return slices.Contains(h.titles(), "Omega") })
	list, err := lib.List()
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, en := range list {
		if en.Title == "Omega" && filepath.Base(en.Dir) == "Omega" {
			found = true
		}
		if en.Title == "Alpha" {
			t.Error("Alpha still there")
		}
	}
	if !found {
		t.Errorf("after rename: %+v", list)
	}
}

func TestDeleteRestoreAndEmptyBin(t *testing.T) {
	test.NewTempApp(t)
	useLang(t, "en")
	lib, dirs := threeSongs(t)
	h := newHarness(t, lib, nil)
	inBin := func(n int) func() bool {
		return func() bool { b, err := lib.Bin(); return err == nil && len(b) == n }
	}

	// Delete asks first; Cancel keeps the song.
	test.Tap(h.v.rows[dirs["Alpha"]].more)
	h.tap("Delete…")
	h.wait("the delete question", func() bool {
		return shows(h.top(), `Move "Alpha" to the bin?`) && shows(h.top(), "You can get it back from the bin until it is emptied.")
	})
	h.tap("Cancel")
	settle(h.q)
	if _, err := os.Stat(dirs["Alpha"]); err != nil {
		t.Fatal("Cancel deleted the song")
	}

	test.Tap(h.v.rows[dirs["Alpha"]].more)
	h.tap("Delete…")
	h.tap("Move to the bin")
	h.wait("Alpha in the bin", func() bool { return inBin(1)() && h.button("Bin (1)") != nil })
	if slices.Contains(h.titles(), "Alpha") {
		t.Error("Alpha still listed")
	}
	h.tap("Bin (1)")
	h.wait("the bin screen", func() bool {
		c := h.w.Canvas().Content()
		return shows(c, "The bin") && slices.Contains(h.titles(), "Alpha") && shows(c, "deleted today at")
	})

	// Restore brings it back.
	h.tap("Restore")
	h.wait("Alpha restored", func() bool {
		l, _ := lib.List()
		return inBin(0)() && len(l) == 3 && shows(h.w.Canvas().Content(), "The bin is empty.")
	})
	if b := h.button("Empty the bin…"); b == nil || !b.Disabled() {
		t.Error("Empty the bin… is not disabled for an empty bin")
	}
	if _, err := os.Stat(dirs["Alpha"]); err != nil {
		t.Errorf("Alpha not back in its folder: %v", err)
	}
	h.tap("Back to your songs")
	h.wait("Alpha listed again", func() bool { return slices.Contains(h.titles(), "Alpha") })

	// Two songs into the bin; emptying asks clearly, and Cancel keeps them.
	for _, name := range []string{"Alpha", "Bølgen"} {
		h.wait(name+" row", func() bool { return h.v.rows[dirs[name]] != nil })
		test.Tap(h.v.rows[dirs[name]].more)
		h.tap("Delete…")
		h.tap("Move to the bin")
		h.wait(name+" in the bin", func() bool { return !slices.Contains(h.titles(), name) })
	}
	h.tap("Bin (2)")
	h.tap("Empty the bin…")
	h.wait("the empty question", func() bool {
		return shows(h.top(), "This deletes 2 songs for good. They cannot be brought back.")
	})
	h.tap("Cancel")
	settle(h.q)
	if !inBin(2)() {
		t.Fatal("the bin was emptied without the confirm")
	}
	h.tap("Empty the bin…")
	h.tap("Delete for good")
	h.wait("the bin emptied", func() bool { return inBin(0)() && shows(h.w.Canvas().Content(), "The bin is empty.") })
	if l, _ := lib.List(); len(l) != 1 || l[0].Title != "Demo: Morgenlys" {
		t.Errorf("after emptying the bin: %+v", l)
	}
}

// midiFile writes a small MIDI file with one piano channel.
func midiFile(t *testing.T, path string) {
	t.Helper()
	s := gsmf.NewSMF1()
	s.TimeFormat = gsmf.MetricTicks(480)
	var tr gsmf.Track
	tr.Add(0, gsmf.MetaTempo(100))
	tr.Add(0, gm.ProgramChange(0, 0))
	for i := 0; i < 4; i++ {
		tr.Add(0, gm.NoteOn(0, uint8(60+i), 90))
		tr.Add(480, gm.NoteOff(0, uint8(60+i)))
	}
	tr.Close(0)
	if err := s.Add(tr); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := s.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

// names lists the entries of the library folder.
func names(t *testing.T, dir string) []string {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range des {
		out = append(out, d.Name())
	}
	return out
}

func TestImportFiles(t *testing.T) {
	test.NewTempApp(t)
	useLang(t, "en")
	lib, _ := threeSongs(t)
	h := newHarness(t, lib, nil)
	src := t.TempDir()
	wavPath := filepath.Join(src, "Min melodi.wav")
	wavtest.Write(t, wavPath, 44100, [][]float32{sine(4410)})

	h.v.ImportFiles([]string{wavPath})
	e := h.entry()
	if e.Text != "Min melodi" {
		t.Errorf("title from the file name: %q", e.Text)
	}
	if !shows(h.top(), "Min melodi.wav") {
		t.Errorf("the dialog does not name the file: %q", texts(h.top()))
	}
	h.tap("Make the song")
	h.wait("the imported song opened", func() bool { return len(h.opened) == 1 })
	s, _, err := projects.Load(h.opened[0])
	if err != nil {
		t.Fatal(err)
	}
	if s.Title != "Min melodi" || len(s.Tracks) != 1 || s.Tracks[0].Kind != projects.KindAudio || filepath.Base(h.opened[0]) != "Min-melodi" {
		t.Errorf("imported song %q in %s: %+v", s.Title, h.opened[0], s.Tracks)
	}
	for _, n := range names(t, lib.Root) {
		if strings.HasPrefix(n, ".import") {
			t.Errorf("left behind: %s", n)
		}
	}

	// A WAV, a MIDI file and a text file: the text file is left out (and
	// said so), the others become an audio and a MIDI track.
	midPath := filepath.Join(src, "Tema.mid")
	midiFile(t, midPath)
	txt := filepath.Join(src, "notes.txt")
	os.WriteFile(txt, []byte("la la"), 0o600)
	h.v.ImportFiles([]string{wavPath, midPath, txt})
	h.entry()
	if !shows(h.top(), "notes.txt") || !shows(h.top(), "left out") {
		t.Errorf("the text file is not said to be left out: %q", texts(h.top()))
	}
	h.tap("Make the song")
	h.wait("the second song opened", func() bool { return len(h.opened) == 2 })
	s, _, err = projects.Load(h.opened[1])
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Tracks) != 2 || s.Tracks[0].Kind != projects.KindAudio || s.Tracks[1].Kind != projects.KindMIDI {
		t.Errorf("tracks of the mixed import: %+v", s.Tracks)
	}
	if filepath.Base(h.opened[1]) != "Min-melodi 2" {
		t.Errorf("second import in %s", h.opened[1])
	}
}

func TestImportBrokenWAVLeavesNothing(t *testing.T) {
	test.NewTempApp(t)
	useLang(t, "en")
	lib, _ := threeSongs(t)
	h := newHarness(t, lib, nil)
	before := names(t, lib.Root)

	src := t.TempDir()
	good := filepath.Join(src, "God.wav")
	wavtest.Write(t, good, 48000, [][]float32{sine(4800)})
	broken := filepath.Join(src, "broken.wav")
	os.WriteFile(broken, []byte("RIFF\x10\x00\x00\x00WAVEjunk that is not audio"), 0o600)

	h.v.ImportFiles([]string{good, broken})
	h.entry()
	h.tap("Make the song")
	h.wait("the error naming the file", func() bool {
		return shows(h.top(), `Could not bring in "broken.wav"`)
	})
	if len(h.opened) != 0 {
		t.Errorf("a failed import opened %v", h.opened)
	}
	if after := names(t, lib.Root); !slices.Equal(before, after) {
		t.Errorf("the library folder changed: %q -> %q", before, after)
	}
	if l, _ := lib.List(); len(l) != 3 {
		t.Errorf("%d songs after a failed import", len(l))
	}

	// Only files that cannot be imported: say so, make nothing.
	h.tap("OK")
	h.v.ImportFiles([]string{filepath.Join(src, "a.mp3")})
	h.wait("the nothing-to-import note", func() bool { return shows(h.top(), "a.mp3") && shows(h.top(), "Nothing to bring in") })
}

func TestImportCancelledLeavesNothing(t *testing.T) {
	lib, _ := threeSongs(t)
	before := names(t, lib.Root)
	src := filepath.Join(t.TempDir(), "x.wav")
	wavtest.Write(t, src, 48000, [][]float32{sine(480)})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := importSong(ctx, lib, "X", 48000, []string{src}, nil); err == nil {
		t.Fatal("a cancelled import succeeded")
	}
	if after := names(t, lib.Root); !slices.Equal(before, after) {
		t.Errorf("the library folder changed: %q -> %q", before, after)
	}
}

// fakePlayer plays nothing; the test moves its position and ends it.
type fakePlayer struct {
	path    string
	playing atomic.Bool
	closed  atomic.Bool
	pos     atomic.Int64
	done    chan struct{}
	once    sync.Once
}

func (p *fakePlayer) Play()                 { p.playing.Store(true) }
func (p *fakePlayer) Pause()                { p.playing.Store(false) }
func (p *fakePlayer) Position() int64       { return p.pos.Load() }
func (p *fakePlayer) Length() int64         { return 48000 }
func (p *fakePlayer) Playing() bool         { return p.playing.Load() }
func (p *fakePlayer) Done() <-chan struct{} { return p.done }
func (p *fakePlayer) Close() error          { p.closed.Store(true); return nil }
func (p *fakePlayer) end()                  { p.once.Do(func() { close(p.done) }) }

func TestListen(t *testing.T) {
	test.NewTempApp(t)
	useLang(t, "en")
	lib, dirs := threeSongs(t)
	bounce(t, dirs["Alpha"], "Alpha.wav")
	var mu sync.Mutex
	var players []*fakePlayer
	open := func(path string) (Player, error) {
		p := &fakePlayer{path: path, done: make(chan struct{})}
		mu.Lock()
		players = append(players, p)
		mu.Unlock()
		return p, nil
	}
	player := func(i int) *fakePlayer {
		mu.Lock()
		defer mu.Unlock()
		if i < len(players) {
			return players[i]
		}
		return nil
	}
	h := newHarness(t, lib, open)
	demo, alpha := h.v.rows[dirs["Morgenlys"]], h.v.rows[dirs["Alpha"]]
	if demo.listen == nil || alpha.listen == nil || h.v.rows[dirs["Bølgen"]].listen != nil {
		t.Fatal("Listen buttons only for songs with a bounce")
	}

	// Listen turns into Stop; the bar follows the position; the end of the
	// file turns it back.
	test.Tap(demo.listen)
	h.wait("Stop", func() bool { p := player(0); return p != nil && p.Playing() && demo.listen.Text == "Stop" })
	if p := player(0); !strings.HasSuffix(p.path, "Morgenlys mix.wav") {
		t.Errorf("plays %s", p.path)
	}
	player(0).pos.Store(12000)
	h.wait("the bar at a quarter", func() bool { return demo.bar.Visible() && demo.bar.Value == 0.25 && demo.barText == "0:00 / 0:01" })
	player(0).end()
	h.wait("Listen again", func() bool { return demo.listen.Text == "Listen" && player(0).closed.Load() && !demo.bar.Visible() })

	// Stop stops; one song plays at a time.
	test.Tap(demo.listen)
	h.wait("the second player", func() bool { return player(1) != nil && demo.listen.Text == "Stop" })
	test.Tap(alpha.listen)
	h.wait("Alpha playing, Morgenlys stopped", func() bool {
		return player(2) != nil && player(1).closed.Load() && alpha.listen.Text == "Stop" && demo.listen.Text == "Listen"
	})
	if !strings.HasSuffix(player(2).path, "Alpha.wav") {
		t.Errorf("plays %s", player(2).path)
	}
	test.Tap(alpha.listen)
	h.wait("stopped", func() bool { return player(2).closed.Load() && alpha.listen.Text == "Listen" && h.v.play == nil })

	// Opening a song stops what plays.
	test.Tap(alpha.listen)
	h.wait("the fourth player", func() bool { return player(3) != nil && h.v.play != nil && h.v.play.player != nil })
	test.Tap(alpha.open)
	h.wait("stopped by Open", func() bool { return player(3).closed.Load() && len(h.opened) == 1 && h.opened[0] == dirs["Alpha"] })
}

func TestNorwegian(t *testing.T) {
	test.NewTempApp(t)
	useLang(t, "nb")
	lib, _ := threeSongs(t)
	h := newHarness(t, lib, nil)
	c := h.w.Canvas().Content()
	old := time.Now().Add(-40 * 24 * time.Hour)
	for _, s := range []string{"Dine sanger", "Ny sang", "Hent inn filer…", "Papirkurv (0)", "endret " + formatWhen(time.Now().Add(-time.Hour), time.Now(), testLang()), "Åpne",
		"endret " + formatWhen(old, time.Now(), testLang()), monthsNB[old.Month()-1], "ingenting tatt opp ennå", "2 opptak"} {
		if !shows(c, s) {
			t.Errorf("the Norwegian screen does not show %q: %q", s, texts(c))
		}
	}
	if shows(c, "Your songs") || shows(c, "changed") {
		t.Errorf("English left on the Norwegian screen: %q", texts(c))
	}
	h.tap("Ny sang")
	if e := h.entry(); e.Text != "Ny sang" {
		t.Errorf("Norwegian default title %q", e.Text)
	}
	h.tap("Avbryt")
}

func TestChooseFolder(t *testing.T) {
	test.NewTempApp(t)
	useLang(t, "en")
	w := test.NewWindow(nil)
	w.Resize(fyne.NewSize(900, 700))
	defer w.Close()
	q := &queue{}
	want := filepath.Join(t.TempDir(), "home", "Sangstudio")
	var got []string
	ChooseFolder(w, want, q.post, func(dir string) { got = append(got, dir) })
	h := &harness{t: t, q: q, w: w}
	for _, s := range []string{"Where should Sangstudio keep your songs?", want, "Choose another folder…"} {
		if !shows(h.top(), s) {
			t.Errorf("the dialog does not show %q: %q", s, texts(h.top()))
		}
	}
	h.tap("OK")
	h.wait("done", func() bool { return len(got) == 1 })
	if got[0] != want {
		t.Errorf("chose %q, want %q", got[0], want)
	}
	fi, err := os.Stat(want)
	if err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o700 {
		t.Errorf("folder: %v, %v", fi, err)
	}
	if h.top() != nil {
		t.Error("the dialog is still shown")
	}
}

func TestFormat(t *testing.T) {
	useLang(t, "en")
	for d, want := range map[time.Duration]string{
		0:                              "0:00",
		1499 * time.Millisecond:        "0:01",
		2*time.Minute + 31*time.Second: "2:31",
		time.Hour + 2*time.Minute + 3*time.Second: "1:02:03",
	} {
		if got := formatLength(d); got != want {
			t.Errorf("formatLength(%v) = %q, want %q", d, got, want)
		}
	}
	now := time.Date(2025, 11, 27, 10, 0, 0, 0, time.Local)
	for _, c := range []struct {
		t    time.Time
		want string
	}{
		{time.Date(2025, 11, 27, 9, 5, 0, 0, time.Local), "today at 09:05"},
		{time.Date(2025, 11, 26, 23, 59, 0, 0, time.Local), "yesterday at 23:59"},
		{time.Date(2025, 11, 25, 14, 32, 0, 0, time.Local), "25 Nov 14:32"},
		{time.Date(2023, 3, 3, 10, 0, 0, 0, time.Local), "3 Mar 2023 10:00"},
	} {
		if got := formatWhen(c.t, now, testLang()); got != c.want {
			t.Errorf("formatWhen(%v) = %q, want %q", c.t, got, c.want)
		}
	}
	useLang(t, "nb")
	if got := formatWhen(time.Date(2025, 11, 25, 14, 32, 0, 0, time.Local), now, testLang()); got != "25. nov. kl. 14:32" {
		t.Errorf("nb: %q", got)
	}
	if got := formatWhen(time.Date(2025, 11, 27, 9, 5, 0, 0, time.Local), now, testLang()); got != "i dag kl. 09:05" {
		t.Errorf("nb today: %q", got)
	}
}

func TestListenErrorNamesTheSong(t *testing.T) {
	test.NewTempApp(t)
	useLang(t, "en")
	lib, dirs := threeSongs(t)
	// Like playfile.Open on failure: a nil *Player in a non-nil interface.
	open := func(string) (Player, error) {
		return (*fakePlayer)(nil), fmt.Errorf("opening hw:1: %w", device.ErrDeviceBusy)
	}
	h := newHarness(t, lib, open)
	r := h.v.rows[dirs["Morgenlys"]]
	test.Tap(r.listen)
	h.wait("the error", func() bool {
		return shows(h.top(), `Could not play "Demo: Morgenlys".`) && shows(h.top(), explain.Message(device.ErrDeviceBusy))
	})
	if r.listen.Text != "Listen" || r.bar.Visible() || h.v.play != nil {
		t.Errorf("after a failed open: %q, bar %v", r.listen.Text, r.bar.Visible())
	}
}

// TestLogInShort: a song with a log shows it in short under its title:
// sessions, takes and copies, in the chosen language.
func TestLogInShort(t *testing.T) {
	test.NewTempApp(t)
	for _, c := range []struct {
		lang string
		l    songlog.Summary
		want string
	}{
		{"en", songlog.Summary{Sessions: 3, Takes: 12, Copies: 2}, "3 sessions, 12 takes, 2 copies"},
		{"en", songlog.Summary{Sessions: 1, Takes: 1, Copies: 1}, "1 session, 1 take, 1 copy"},
		{"en", songlog.Summary{Sessions: 2}, "2 sessions"},
		{"nb", songlog.Summary{Sessions: 3, Takes: 12, Copies: 2}, "3 økter, 12 opptak, 2 kopier"},
		{"nb", songlog.Summary{Sessions: 1, Takes: 1, Copies: 1}, "1 økt, 1 opptak, 1 kopi"},
	} {
		useLang(t, c.lang)
		if got := logText(c.l); got != c.want {
			t.Errorf("%s %+v: %q, want %q", c.lang, c.l, got, c.want)
		}
	}
	useLang(t, "en")
	lib, dirs := threeSongs(t)
	now := time.Now()
	day := time.Date(now.Year(), now.Month(), now.Day()-1, 10, 0, 0, 0, time.Local) // yesterday 10:00
	if err := songlog.AppendAll(dirs["Bølgen"], []songlog.Entry{
		{Time: day, Event: songlog.Opened}, {Time: day.Add(time.Minute), Event: songlog.Take, Track: "Vokal"},
		{Time: day.Add(50 * time.Minute), Event: songlog.Closed},
	}); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, lib, nil)
	if content := h.w.Canvas().Content(); !shows(content, "1 session, 1 take") {
		t.Errorf("the library does not show Bølgen's log in short: %q", texts(content))
	}
}
