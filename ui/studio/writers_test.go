package studio_test

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sangstudio/audio/importer"
	"sangstudio/audio/wav"
	"sangstudio/projects"
	"sangstudio/ui/studio"
)

// writeTone writes a mono float WAV of seconds at rate.
func writeTone(t *testing.T, path string, rate int, seconds float64) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := wav.NewWriter(f, wav.Format{Rate: rate, Channels: 1, Encoding: wav.Float32}, wav.WriterOptions{NoDither: true})
	if err != nil {
		t.Fatal(err)
	}
	n := int(seconds * float64(rate))
	buf := make([]float32, 4096)
	for done := 0; done < n; done += len(buf) {
		b := buf[:min(len(buf), n-done)]
		for i := range b {
			b[i] = float32(0.3 * math.Sin(float64(done+i)*0.05))
		}
		if err := w.Write([][]float32{b}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// audioFiles lists the files in a song's audio folder.
func audioFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, projects.AudioDir))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestCommandLineImportWhileWindowHasTheSong: the command line's import
// (importer.Import, what `sangstudio import` runs) is refused while the
// window has the song open, naming the window, and leaves nothing behind;
// the window's own edits and imports go on and are saved; once the window
// closed the song, the command line's import goes through, and the window
// opening the song again shows its track.
func TestCommandLineImportWhileWindowHasTheSong(t *testing.T) {
	l := newLoop(t)
	dir := demo(t)
	wavPath := filepath.Join(t.TempDir(), "Fløyte.wav")
	writeTone(t, wavPath, 48000, 1)
	st := open(t, l, dir)
	tracks := len(st.Song().Tracks)
	filesBefore := audioFiles(t, dir)
	songBefore, _ := os.ReadFile(filepath.Join(dir, projects.SongFile))

	_, err := importer.Import(context.Background(), dir, []string{wavPath}, importer.Options{})
	var oe *projects.OpenError
	if !errors.As(err, &oe) || !strings.Contains(err.Error(), "is open in the Sangstudio window (process") {
		t.Fatalf("import while the window has the song: %v", err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, projects.SongFile)); string(got) != string(songBefore) {
		t.Fatal("the refused import changed song.json")
	}
	if got := audioFiles(t, dir); strings.Join(got, ",") != strings.Join(filesBefore, ",") {
		t.Fatalf("the refused import left files: %v, was %v", got, filesBefore)
	}

	// The window imports the same file itself: one undo step, saved.
	var done bool
	var ierr error
	st.Import([]string{wavPath}, func(float64, string) {}, func(err error) { done, ierr = true, err })
	l.pump("the window's import", func() bool { return done })
	if ierr != nil {
		t.Fatal(ierr)
	}
	if err := st.Edit("Rename track", func(s *projects.Song) error { s.Tracks[0].Name = "Vokal inne"; return nil }); err != nil {
		t.Fatal(err)
	}
	st.Wait()
	s := onDisk(t, dir)
	if len(s.Tracks) != tracks+1 || s.Tracks[tracks].Name != "Fløyte" || s.Tracks[0].Name != "Vokal inne" {
		t.Fatalf("after the window's import and edit, on disk: %d tracks", len(s.Tracks))
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	// The window has let go: the command line imports.
	res, err := importer.Import(context.Background(), dir, []string{wavPath}, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st = open(t, l, dir)
	defer st.Close()
	got := st.Song().Tracks
	if len(got) != tracks+2 || got[tracks+1].Name != res.Tracks[0] || got[tracks+1].Clips[0].Take != res.Takes[0] {
		t.Fatalf("the window does not show the command line's track: %d tracks", len(got))
	}
}

// TestWindowOpensWhileImportRuns: a long import is converting when the
// window opens the song. The rule holds whichever comes first: the import
// is refused (the window has the song) and leaves no file, or it finished
// first and the window shows its track. Nothing is half there.
func TestWindowOpensWhileImportRuns(t *testing.T) {
	l := newLoop(t)
	dir := demo(t)
	wavPath := filepath.Join(t.TempDir(), "Lang.wav")
	writeTone(t, wavPath, 44100, 120) // converted to 48000 Hz: long enough to be caught
	filesBefore := audioFiles(t, dir)
	tracks := len(onDisk(t, dir).Tracks)

	started := make(chan struct{})
	result := make(chan error, 1)
	go func() {
		_, err := importer.Import(context.Background(), dir, []string{wavPath}, importer.Options{
			Progress: func(int, string) { close(started) }})
		result <- err
	}()
	<-started
	st := open(t, l, dir)
	defer st.Close()
	err := <-result
	switch {
	case errors.Is(err, projects.ErrOpenInWindow):
		t.Logf("the import was refused: %v", err)
		if got := audioFiles(t, dir); strings.Join(got, ",") != strings.Join(filesBefore, ",") {
			t.Fatalf("the refused import left files: %v, was %v", got, filesBefore)
		}
		if n := len(st.Song().Tracks); n != tracks {
			t.Fatalf("the window shows %d tracks, want %d", n, tracks)
		}
	case err == nil:
		t.Logf("the import finished before the window opened the song")
		if n := len(st.Song().Tracks); n != tracks+1 {
			t.Fatalf("the window shows %d tracks, want the import's too (%d)", n, tracks+1)
		}
	default:
		t.Fatal(err)
	}
	if s := onDisk(t, dir); len(s.Tracks) != len(st.Song().Tracks) {
		t.Fatalf("on disk %d tracks, in the window %d", len(s.Tracks), len(st.Song().Tracks))
	}
}

// TestSyncToolChangeIsSavedAside: a sync tool (or any program) writes
// song.json while the window has the song open. The window's next save
// does not write over it: its song goes beside it (song.json.window-…),
// the error says so once, and later saves go there too.
func TestSyncToolChangeIsSavedAside(t *testing.T) {
	l := newLoop(t)
	dir := demo(t)
	st, err := studio.Open(dir, testAudio(t, virtual(), l.post), l.post)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var errs []error
	st.OnError = func(err error) { errs = append(errs, err) }

	other := projects.New("From the other machine", 48000)
	data, _ := projects.Encode(other)
	if err := os.WriteFile(filepath.Join(dir, projects.SongFile), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := st.Edit("Rename track", func(s *projects.Song) error { s.Tracks[0].Name = "Vokal 1"; return nil }); err != nil {
		t.Fatal(err)
	}
	st.Wait()
	l.pump("the error about the save", func() bool { return len(errs) > 0 })
	if !errors.Is(errs[0], studio.ErrSavedAside) {
		t.Fatalf("error %v, want ErrSavedAside", errs[0])
	}
	if got, _ := os.ReadFile(filepath.Join(dir, projects.SongFile)); string(got) != string(data) {
		t.Fatal("the window wrote over the other program's song.json")
	}
	asides, _ := filepath.Glob(filepath.Join(dir, projects.SongFile+".window-*"))
	if len(asides) != 1 {
		t.Fatalf("saved aside: %v", asides)
	}
	if err := st.Edit("Rename track", func(s *projects.Song) error { s.Tracks[0].Name = "Vokal 2"; return nil }); err != nil {
		t.Fatal(err)
	}
	st.Wait()
	if got, _ := os.ReadFile(filepath.Join(dir, projects.SongFile)); string(got) != string(data) {
		t.Fatal("a later save wrote over the other program's song.json")
	}
	b, err := os.ReadFile(asides[0])
	if err != nil {
		t.Fatal(err)
	}
	kept, err := projects.Decode(b)
	if err != nil || kept.Tracks[0].Name != "Vokal 2" {
		t.Fatalf("the window's song aside: %v", err)
	}
	l.pump("", func() bool { return true })
	if len(errs) != 1 {
		t.Fatalf("%d errors, want the one: %v", len(errs), errs)
	}
}
