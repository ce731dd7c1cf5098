package projects

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"sangstudio/internal/filelock"
	"sangstudio/internal/testtool"
)

func newTestSong(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "song")
	if err := Create(dir, New("Two writers", 48000)); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestChangeSerializes: 16 writers at once, each adding one track through
// Change, give 16 tracks: none is written over by another.
func TestChangeSerializes(t *testing.T) {
	dir := newTestSong(t)
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, _, err := Change(dir, "test", func(s *Song) error {
				time.Sleep(2 * time.Millisecond) // a slow change: another writer would come between
				s.Tracks = append(s.Tracks, NewTrack(fmt.Sprintf("T%d", i), 1))
				return nil
			})
			errs <- err
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	s, _, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Tracks) != 16 {
		t.Fatalf("%d tracks after 16 changes at once", len(s.Tracks))
	}
}

// TestChangeFailsSavesNothing: a change that fails leaves song.json as it was.
func TestChangeFailsSavesNothing(t *testing.T) {
	dir := newTestSong(t)
	before, _ := os.ReadFile(filepath.Join(dir, SongFile))
	boom := errors.New("boom")
	_, _, err := Change(dir, "test", func(s *Song) error {
		s.Title = "changed"
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Change: %v", err)
	}
	after, _ := os.ReadFile(filepath.Join(dir, SongFile))
	if string(after) != string(before) {
		t.Fatal("a failed change was saved")
	}
}

// TestChangeBusy: a writer that keeps the song longer than LockWait makes
// the next one give up, saying by what.
func TestChangeBusy(t *testing.T) {
	dir := newTestSong(t)
	l, err := lockSong(dir, filelock.Me("sangstudio import"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	start := time.Now()
	_, _, err = Change(dir, "sangstudio set", func(*Song) error { return nil })
	waited := time.Since(start)
	var be *BusyError
	if !errors.As(err, &be) || !errors.Is(err, ErrBusy) {
		t.Fatalf("Change while another holds the song: %v", err)
	}
	want := fmt.Sprintf("sangstudio import (process %d)", os.Getpid())
	if be.Holder != want || !strings.Contains(err.Error(), "is busy: "+want+" is changing it") {
		t.Fatalf("message %q, holder %q", err, be.Holder)
	}
	if waited < LockWait-100*time.Millisecond || waited > LockWait+2*time.Second {
		t.Fatalf("waited %v, want about %v", waited, LockWait)
	}
}

// TestChangeRefusedWhileOpen: a song held open (the window, a recording)
// is not changed by Change, and the message names the holder; the holder's
// own Change goes through.
func TestChangeRefusedWhileOpen(t *testing.T) {
	dir := newTestSong(t)
	o, err := LockOpen(dir, "the Sangstudio window")
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(dir, SongFile))
	_, _, err = Change(dir, "sangstudio set", func(s *Song) error { s.Title = "x"; return nil })
	var oe *OpenError
	if !errors.As(err, &oe) || !errors.Is(err, ErrOpenInWindow) || !strings.Contains(err.Error(), "is open in the Sangstudio window (process") {
		t.Fatalf("Change of a song open in the window: %v", err)
	}
	if after, _ := os.ReadFile(filepath.Join(dir, SongFile)); string(after) != string(before) {
		t.Fatal("the song was changed while open in the window")
	}
	if _, err := LockOpen(dir, "another window"); !errors.Is(err, ErrOpenInWindow) {
		t.Fatalf("a second LockOpen: %v", err)
	}
	if _, _, err := o.Change("the Sangstudio window", func(s *Song) error { s.Title = "by the holder"; return nil }); err != nil {
		t.Fatal(err)
	}
	o.Release()
	if _, _, err := Change(dir, "sangstudio set", func(s *Song) error { return nil }); err != nil {
		t.Fatalf("Change after the window let go: %v", err)
	}
	s, _, _ := Load(dir)
	if s.Title != "by the holder" {
		t.Fatalf("title %q", s.Title)
	}
}

// TestSaveOverNeverWritesOverAnother: the window's save goes through over
// the song.json it read (and the one it wrote last), and is refused when
// another program (a sync tool) wrote song.json meanwhile; SaveAside then
// keeps the window's song beside it.
func TestSaveOverNeverWritesOverAnother(t *testing.T) {
	dir := newTestSong(t)
	s, _, v, err := LoadForWindow(dir)
	if err != nil {
		t.Fatal(err)
	}
	s.Title = "window 1"
	if v, err = SaveOver(dir, s, v); err != nil {
		t.Fatal(err)
	}
	s.Title = "window 2"
	if v, err = SaveOver(dir, s, v); err != nil {
		t.Fatal(err)
	}
	// A sync tool writes the folder's song.json (another machine's edit).
	other := New("from the other machine", 48000)
	data, _ := Encode(other)
	if err := os.WriteFile(filepath.Join(dir, SongFile), data, 0o644); err != nil {
		t.Fatal(err)
	}
	s.Title = "window 3"
	if _, err := SaveOver(dir, s, v); !errors.Is(err, ErrChangedElsewhere) {
		t.Fatalf("SaveOver after another program's change: %v", err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, SongFile)); string(got) != string(data) {
		t.Fatal("the other program's song.json was written over")
	}
	name, err := SaveAside(dir, s, "")
	if err != nil {
		t.Fatal(err)
	}
	aside, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	kept, err := Decode(aside)
	if err != nil || kept.Title != "window 3" {
		t.Fatalf("the song saved aside in %s: %v %+v", name, err, kept)
	}
	// The next save aside goes to the same file.
	s.Title = "window 4"
	if again, err := SaveAside(dir, s, name); err != nil || again != name {
		t.Fatalf("second SaveAside: %q %v, want %q", again, err, name)
	}
	aside, _ = os.ReadFile(filepath.Join(dir, name))
	if kept, err := Decode(aside); err != nil || kept.Title != "window 4" {
		t.Fatalf("the second save aside: %v", err)
	}
}

// TestIncoming: an incoming file is placed under a new take name in the
// change that adds it; a killed import's file is removed by the next
// change, a running import's is not.
func TestIncoming(t *testing.T) {
	dir := newTestSong(t)
	in, err := NewIncoming(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !IsIncomingName(filepath.Base(in.Path())) {
		t.Fatalf("incoming name %s", in.Path())
	}
	in.File().WriteString("audio")
	in.File().Close()
	// A file a killed import left (no lock held on it).
	killed := filepath.Join(dir, AudioDir, incomingPrefix+"killed"+incomingSuffix)
	os.WriteFile(killed, []byte("partial"), 0o644)

	// A change meanwhile removes the killed import's file only.
	if _, _, err := Change(dir, "test", func(*Song) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(killed); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the killed import's file is still there: %v", err)
	}
	if _, err := os.Stat(in.Path()); err != nil {
		t.Fatalf("the running import's file was removed: %v", err)
	}
	var take string
	if _, _, err := Change(dir, "test", func(s *Song) error {
		take, err = in.Place(s, "Gitar", ".wav")
		tr := NewTrack("Gitar", 1)
		tr.Clips = []Clip{{Take: take, Length: 1}}
		s.Tracks = append(s.Tracks, tr)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	in.Close()
	if take != "0001-Gitar.wav" {
		t.Fatalf("take %q", take)
	}
	if b, err := os.ReadFile(AudioPath(dir, take)); err != nil || string(b) != "audio" {
		t.Fatalf("the placed take: %q %v", b, err)
	}
	entries, _ := os.ReadDir(filepath.Join(dir, AudioDir))
	if len(entries) != 1 {
		t.Fatalf("audio/ holds %d files, want the take alone", len(entries))
	}

	// Given up before it was placed: removed.
	in2, err := NewIncoming(dir)
	if err != nil {
		t.Fatal(err)
	}
	p := in2.Path()
	in2.Close()
	if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("an incoming file given up is still there: %v", err)
	}
}

// TestLockOpenReadOnlyDisk: a song on a write-protected disk cannot be
// opened for changes, and the message says so, naming the song folder.
func TestLockOpenReadOnlyDisk(t *testing.T) {
	disk := testtool.SmallDisk(t, "1m")
	dir := filepath.Join(disk, "song")
	if err := Create(dir, New("On a stick", 48000)); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-o", "remount,ro", disk).CombinedOutput(); err != nil {
		t.Skipf("cannot make the disk read-only: %v %s", err, out)
	}
	_, err := LockOpen(dir, "the Sangstudio window")
	var re *ReadOnlyError
	if !errors.As(err, &re) || re.Dir != dir {
		t.Fatalf("LockOpen on a read-only disk: %v", err)
	}
	want := "the song folder " + dir + " may not be written to (the disk is read-only), so it cannot be opened for changes"
	if !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("message %q, want it to start %q", err, want)
	}
	if _, _, err := Load(dir); err != nil {
		t.Fatalf("reading the song: %v", err)
	}
}
