package takehomeview_test

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"sangstudio/audio/demosong"
	"sangstudio/audio/device"
	"sangstudio/internal/testtool"
	"sangstudio/internal/uitest"
	"sangstudio/projects/takehome"
	"sangstudio/ui/i18n"
	"sangstudio/ui/studio"
	"sangstudio/ui/takehomeview"
)

var ui = uitest.NewQueue()

func post(f func()) { ui.Post(f) }

func drain() { ui.Drain() }

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	ui.WaitFor(t, what, 60*time.Second, cond)
}

// sticks is a fake list of plugged-in drives the test changes.
type sticks struct {
	mu sync.Mutex
	ds []takehome.Drive
}

func (s *sticks) set(ds ...takehome.Drive) { s.mu.Lock(); s.ds = ds; s.mu.Unlock() }
func (s *sticks) list() ([]takehome.Drive, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]takehome.Drive(nil), s.ds...), nil
}

func setup(t *testing.T, language string) (*studio.Studio, *takehomeview.View, *sticks) {
	test.NewTempApp(t)
	i18n.Use(language)
	t.Cleanup(func() { i18n.Use("en") })
	dir := filepath.Join(t.TempDir(), "song")
	if _, err := demosong.Create(dir, 48000); err != nil {
		t.Fatal(err)
	}
	st, err := studio.Open(dir, testAudio(t, studio.AudioConfig{Device: device.VirtualID}, post), post)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close(); drain() })
	sk := &sticks{}
	v := takehomeview.New(takehomeview.Options{Studio: st, Post: post, Drives: sk.list, Rescan: 20 * time.Millisecond})
	w := test.NewTempWindow(t, v.Content())
	w.Resize(fyne.NewSize(760, 900))
	v.Start()
	t.Cleanup(v.Close)
	return st, v, sk
}

func TestTakeHomeToAStick(t *testing.T) {
	st, v, sk := setup(t, "en")
	waitFor(t, "the first scan", func() bool { return strings.Contains(v.Status(), "No USB stick found") })
	if v.CanCopy() {
		t.Error("Copy is enabled with nowhere to copy to")
	}
	// Plugging a stick in: it appears by itself and, being the only one, is chosen.
	stick := t.TempDir()
	sk.set(takehome.Drive{Path: stick, Label: "KARI", Free: 8 << 30, Total: 16 << 30, Removable: true, FSType: "vfat"})
	waitFor(t, "the stick to show up", func() bool { return v.Selected() == stick })
	if got := v.Destinations(); len(got) != 1 || got[0] != "USB stick “KARI” – 8.6 GB free" {
		t.Errorf("destinations %q", got)
	}
	v.SetPerformer("Kari N.")
	v.SetFormats(true, true, false)
	if !v.CanCopy() {
		t.Fatal("Copy is not enabled")
	}
	v.Copy()
	waitFor(t, "the copy", func() bool { return !v.Running() })
	res := v.Result()
	if !strings.Contains(res, "safe to remove the USB stick “KARI”") {
		t.Fatalf("result: %q", res)
	}
	folder := filepath.Join(stick, "Demo - Morgenlys")
	for _, f := range []string{"Demo - Morgenlys.mp3", "Demo - Morgenlys.wav", "Demo - Morgenlys.txt"} {
		if fi, err := os.Stat(filepath.Join(folder, f)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	if st.Song().Performer != "Kari N." || st.UndoLabel() != "Performer" {
		t.Errorf("performer %q, undo label %q", st.Song().Performer, st.UndoLabel())
	}
	// Unplugged: gone from the list, nothing chosen, Copy disabled.
	sk.set()
	waitFor(t, "the stick to go", func() bool { return v.Selected() == "" })
	if v.CanCopy() {
		t.Error("Copy is enabled after the stick was pulled out")
	}
}

func TestTakeHomeStickTooSmall(t *testing.T) {
	_, v, sk := setup(t, "en")
	small := testtool.SmallDisk(t, "1m")
	sk.set(takehome.Drive{Path: small, Label: "LITEN", Free: 1 << 20, Total: 1 << 20, Removable: true})
	waitFor(t, "the stick", func() bool { return v.Selected() == small })
	v.SetFormats(false, true, false)
	v.Copy()
	waitFor(t, "the copy to fail", func() bool { return !v.Running() })
	if res := v.Result(); !strings.Contains(res, "There is not enough room") {
		t.Errorf("result: %q", res)
	}
	if ents, _ := os.ReadDir(small); len(ents) != 0 {
		t.Errorf("left on the stick: %v", ents)
	}
	// Another stick plugged in instead: what went wrong on the first is
	// no longer said.
	big := t.TempDir()
	sk.set(takehome.Drive{Path: big, Label: "STOR", Free: 8 << 30, Total: 16 << 30, Removable: true})
	waitFor(t, "the other stick", func() bool { return v.Selected() == big })
	if res := v.Result(); res != "" {
		t.Errorf("with another stick chosen, it still says: %q", res)
	}
}

func TestTakeHomeNorwegian(t *testing.T) {
	_, v, sk := setup(t, "nb")
	sk.set(takehome.Drive{Path: t.TempDir(), Label: "PINNE", Free: 3 << 30, Removable: true})
	waitFor(t, "the stick", func() bool { return v.Selected() != "" })
	if got := v.Destinations(); len(got) != 1 || got[0] != "Minnepenn «PINNE» – 3.2 GB ledig" {
		t.Errorf("destinations %q", got)
	}
	v.Copy()
	waitFor(t, "the copy", func() bool { return !v.Running() })
	if res := v.Result(); !strings.Contains(res, "Nå kan du trygt ta ut minnepennen «PINNE»") {
		t.Errorf("result: %q", res)
	}
}

// testAudio is a window's audio device for a test, closed after it.
func testAudio(t testing.TB, cfg studio.AudioConfig, post func(func())) *studio.Audio {
	a := studio.NewAudio(cfg, post)
	t.Cleanup(func() { a.Close() })
	return a
}
