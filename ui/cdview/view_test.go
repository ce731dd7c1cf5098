package cdview_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"sangstudio/audio/cdburn"
	"sangstudio/audio/demosong"
	"sangstudio/internal/uitest"
	"sangstudio/projects"
	"sangstudio/projects/album"
	"sangstudio/ui/cdview"
	"sangstudio/ui/i18n"
)

var ui = uitest.NewQueue()

func post(f func()) { ui.Post(f) }

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	ui.WaitFor(t, what, 120*time.Second, cond)
}

func song(t *testing.T, root, folder, title string) string {
	dir := filepath.Join(root, folder)
	s, err := demosong.Create(dir, 48000)
	if err != nil {
		t.Fatal(err)
	}
	s.Title = title
	if err := projects.Save(dir, s); err != nil {
		t.Fatal(err)
	}
	return dir
}

// fakeBurner stands in for cdrdao: there is no CD writer on these machines.
type fakeBurner struct {
	mu    sync.Mutex
	calls []cdburn.Options
	tocs  []string
	fail  error
}

func (f *fakeBurner) drives(context.Context) ([]cdburn.Drive, error) {
	return []cdburn.Drive{{Device: "/dev/sr0", Vendor: "ACME", Model: "CD-RW 52x"}}, nil
}

func (f *fakeBurner) burn(ctx context.Context, toc string, need int64, opt cdburn.Options, progress func(cdburn.Progress)) error {
	f.mu.Lock()
	f.calls = append(f.calls, opt)
	f.tocs = append(f.tocs, toc)
	err := f.fail
	f.mu.Unlock()
	progress(cdburn.Progress{Stage: "Writing", Fraction: 0.5})
	progress(cdburn.Progress{Stage: "Done", Fraction: 1})
	return err
}

func TestMakeAndBurnACD(t *testing.T) {
	root, fb, v := newBurnView(t)
	makeTwoSongAlbum(t, v, root)
	albumDir := makeCDImage(t, v, root)

	// A test burn, then a burn that fails in a way CD-TEXT can cause, then
	// the offered burn without CD-TEXT.
	burnTestFailAndWithoutCDText(t, v, fb)
	fb.mu.Lock()
	defer fb.mu.Unlock()
	checkBurns(t, fb)

	// Opened again from song B: the CD is offered, and B is not added twice.
	checkOpenedFromSongB(t, root, albumDir, fb)
}

// newBurnView makes songs A and B under a new root and a CD view, in a
// window, opened from song A with the fake burner.
func newBurnView(t *testing.T) (root string, fb *fakeBurner, v *cdview.View) {
	test.NewTempApp(t)
	i18n.Use("en")
	root = t.TempDir()
	a := song(t, root, "A", "Morgenlys")
	song(t, root, "B", "Kveldssang")
	fb = &fakeBurner{}
	v = cdview.New(cdview.Options{Post: post, Root: root, Song: a, SongTitle: "Morgenlys", Drives: fb.drives, Burn: fb.burn,
		ChooseSongs: func(titles []string, add func([]string)) { add(titles) }})
	w := test.NewTempWindow(t, v.Content())
	w.Resize(fyne.NewSize(1200, 900))
	return root, fb, v
}

// makeTwoSongAlbum makes a new CD from song A, adds every song (B, and
// not A a second time), titles it and waits for it to be saved and
// checked.
func makeTwoSongAlbum(t *testing.T, v *cdview.View, root string) {
	v.NewAlbum()
	waitFor(t, "the new CD", func() bool { return v.Album() != nil && v.Loaded() })
	if v.Tracks() != 1 {
		t.Fatalf("the new CD has %d songs, want the one it was made from", v.Tracks())
	}
	v.AddAll() // adds B, not A a second time
	waitFor(t, "the songs", func() bool { return v.Tracks() == 2 && v.Loaded() })
	v.SetTitle("Høstkonsert")
	waitSaved(t, v, root)
	waitFor(t, "the check", func() bool { return v.CanMake() })
	if !strings.Contains(v.Checks(), "Everything fits on a CD") {
		t.Errorf("checks: %q", v.Checks())
	}
}

// makeCDImage makes the CD image and checks its files and the album
// saved; it returns the album's folder.
func makeCDImage(t *testing.T, v *cdview.View, root string) string {
	v.MakeImage()
	waitFor(t, "the image", func() bool { return !v.Busy() && v.Status() != "" && !strings.Contains(v.Status(), "…") })
	if !strings.Contains(v.Status(), "The CD image is ready") || !v.BurnReady() {
		t.Fatalf("status %q", v.Status())
	}
	dirs, _ := filepath.Glob(filepath.Join(root, "*", album.FileName))
	if len(dirs) != 1 {
		t.Fatalf("albums on disk: %v", dirs)
	}
	albumDir := filepath.Dir(dirs[0])
	for _, f := range []string{"disc.bin", "disc.cue", "disc.toc", "tracklist.png", "01-Morgenlys.wav", "02-Kveldssang.wav"} {
		if _, err := os.Stat(filepath.Join(cdview.ImageDir(albumDir), f)); err != nil {
			t.Error(err)
		}
	}
	saved, _, err := album.Load(albumDir)
	if err != nil || saved.Title != "Høstkonsert" || len(saved.Tracks) != 2 {
		t.Fatalf("saved album: %+v, %v", saved, err)
	}
	return albumDir
}

// burnTestFailAndWithoutCDText burns three times: a test burn, a burn
// that fails in a way CD-TEXT can cause, and the burn without CD-TEXT
// then offered.
func burnTestFailAndWithoutCDText(t *testing.T, v *cdview.View, fb *fakeBurner) {
	waitFor(t, "the writer", func() bool { return true })
	v.Burn(false, true)
	waitFor(t, "the test burn", func() bool { return !v.Busy() && strings.Contains(v.Status(), "test went well") })
	fb.mu.Lock()
	fb.fail = &cdburn.Error{Text: "Writing failed at the lead-in.", TryWithoutCDText: true}
	fb.mu.Unlock()
	v.Burn(false, false)
	waitFor(t, "the failed burn", func() bool { return !v.Busy() && strings.Contains(v.Status(), "could not be burned") })
	if !v.CanBurnAgain() {
		t.Fatal("burning again without CD-TEXT is not offered")
	}
	fb.mu.Lock()
	fb.fail = nil
	fb.mu.Unlock()
	v.Burn(true, false)
	waitFor(t, "the burn", func() bool { return !v.Busy() && strings.Contains(v.Status(), "The CD is ready") })
}

// checkBurns checks what the three burns asked cdrdao for. The caller
// holds fb.mu.
func checkBurns(t *testing.T, fb *fakeBurner) {
	if len(fb.calls) != 3 || !fb.calls[0].Simulate || fb.calls[1].Simulate || fb.calls[0].Device != "/dev/sr0" || !fb.calls[2].Eject {
		t.Errorf("burns: %+v", fb.calls)
	}
	if strings.Contains(fb.tocs[1], "nocdtext") || !strings.Contains(fb.tocs[2], "nocdtext") {
		t.Errorf("tocs burned: %q", fb.tocs)
	}
}

// checkOpenedFromSongB opens a CD view from song B: the CD in albumDir is
// offered, and opening it does not add B a second time.
func checkOpenedFromSongB(t *testing.T, root, albumDir string, fb *fakeBurner) {
	v2 := cdview.New(cdview.Options{Post: post, Root: root, Song: filepath.Join(root, "B"), Drives: fb.drives, Burn: fb.burn})
	waitFor(t, "the picker", func() bool { return v2.Albums() == 1 })
	v2.OpenAlbum(albumDir)
	waitFor(t, "the CD", func() bool { return v2.Album() != nil && v2.Loaded() })
	if v2.Tracks() != 2 {
		t.Errorf("the CD has %d songs after opening it from a song already on it", v2.Tracks())
	}
}

func TestTooShortSongIsRefusedInPlainWords(t *testing.T) {
	for _, tc := range []struct{ lang, want string }{{"en", "nothing recorded"}, {"nb", "har ingenting innspilt"}} {
		t.Run(tc.lang, func(t *testing.T) { tooShort(t, tc.lang, tc.want) })
	}
}

func tooShort(t *testing.T, language, want string) {
	test.NewTempApp(t)
	i18n.Use(language)
	t.Cleanup(func() { i18n.Use("en") })
	root := t.TempDir()
	dir := filepath.Join(root, "Kort")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	s := projects.New("Kort", 48000)
	if err := projects.Save(dir, s); err != nil {
		t.Fatal(err)
	}
	fb := &fakeBurner{}
	v := cdview.New(cdview.Options{Post: post, Root: root, Song: dir, Drives: fb.drives, Burn: fb.burn})
	test.NewTempWindow(t, v.Content())
	v.NewAlbum()
	waitFor(t, "the CD", func() bool { return v.Album() != nil && v.Loaded() && v.Checks() != "" })
	if v.CanMake() || !strings.Contains(v.Checks(), want) {
		t.Errorf("an empty song: can make %v, checks %q", v.CanMake(), v.Checks())
	}
	waitSaved(t, v, root)
}
