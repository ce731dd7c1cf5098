package source

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"sangstudio/internal/openfile"
	"sangstudio/internal/wavtest"
	"sangstudio/projects"
)

// TestOpenRefusesOddTakes: Open and OpenSong refuse an audio take that is
// a link or a FIFO, and RenderTake a MIDI take that is a link, with the
// song's one message, also when the song was not checked by Load first.
func TestOpenRefusesOddTakes(t *testing.T) {
	dir := t.TempDir()
	s := projects.New("t", 48000)
	take := wavtest.Take(t, dir, s, "a", [][]float32{make([]float32, 480)})
	tr := projects.NewTrack("A", 1)
	tr.Clips = []projects.Clip{{Take: take, Length: 480}}
	s.Tracks = append(s.Tracks, tr)
	path := projects.AudioPath(dir, take)
	elsewhere := filepath.Join(t.TempDir(), "elsewhere.wav")
	if err := os.Rename(path, elsewhere); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(elsewhere, path); err != nil {
		t.Fatal(err)
	}
	check := func(what string, err error, kind openfile.Kind) {
		t.Helper()
		var se *projects.SongFileError
		if !errors.As(err, &se) || se.Path != path || se.Kind != kind {
			t.Errorf("%s: %v, want a *projects.SongFileError for %s (%s)", what, err, path, kind)
		}
	}
	_, err := Open(dir, tr, 48000)
	check("Open of a linked take", err, openfile.Link)
	_, err = OpenSong(dir, s, 0, nil)
	check("OpenSong of a linked take", err, openfile.Link)

	os.Remove(path)
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = Open(dir, tr, 48000)
	check("Open of a FIFO take", err, openfile.FIFO)

	mid := filepath.Join(dir, projects.AudioDir, "m.mid")
	if err := os.Symlink("/dev/zero", mid); err != nil {
		t.Fatal(err)
	}
	_, err = RenderTake(dir, "m.mid", SoundOf(tr), nil, 48000, 480)
	path = mid
	check("RenderTake of a linked MIDI take", err, openfile.Link)
}
