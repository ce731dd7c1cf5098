package archive

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"sangstudio/audio/demosong"
	"sangstudio/internal/openfile"
	"sangstudio/projects"
)

// TestImportRefusesSpecialFiles: an "archive" that is a FIFO (a plain
// open would wait for a writer for ever), a device or a folder is refused
// at once by name, and the library is left as it was.
func TestImportRefusesSpecialFiles(t *testing.T) {
	lib := t.TempDir()
	fifo := filepath.Join(t.TempDir(), "song.zip")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for path, kind := range map[string]openfile.Kind{fifo: openfile.FIFO, "/dev/zero": openfile.Device, t.TempDir(): openfile.Folder} {
		done := make(chan error, 1)
		go func() {
			_, err := Import(context.Background(), path, lib)
			done <- err
		}()
		select {
		case err := <-done:
			var oe *openfile.Error
			if !errors.As(err, &oe) || oe.Kind != kind || oe.Path != path {
				t.Errorf("Import(%s) = %v, want an *openfile.Error (%s)", path, err, kind)
			}
		case <-time.After(time.Second):
			t.Fatalf("Import(%s) did not return within a second", path)
		}
	}
	if ents, _ := os.ReadDir(lib); len(ents) != 0 {
		t.Errorf("the library holds %v", ents)
	}
}

// TestExportRefusesALinkedTake: a take that is a link is refused with
// the song's one message (as Load gives it), and no archive is left.
func TestExportRefusesALinkedTake(t *testing.T) {
	src := filepath.Join(t.TempDir(), "Morgenlys")
	song, err := demosong.Create(src, 48000)
	if err != nil {
		t.Fatal(err)
	}
	take := projects.AudioPath(src, song.AllClips()[0].Take)
	elsewhere := filepath.Join(t.TempDir(), "elsewhere.wav")
	if err := os.Rename(take, elsewhere); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(elsewhere, take); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	err = Export(context.Background(), src, filepath.Join(out, "m.zip"))
	if want := take + " is a link; a song keeps its own audio files"; err == nil || err.Error() != want {
		t.Errorf("Export: %v, want %q", err, want)
	}
	if ents, _ := os.ReadDir(out); len(ents) != 0 {
		t.Errorf("left in the output folder: %v", ents)
	}
}
