package projects

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"sangstudio/internal/openfile"
)

// oddTake makes, in place of the take file at path, the kind of file
// named by how: a link to an ordinary file outside the song, a link to a
// FIFO, a link to a device, a FIFO, a device node (when the test may make
// one), or a folder. It returns the Kind the song's rule gives it.
func oddTake(t *testing.T, path, how string) openfile.Kind {
	t.Helper()
	outside := t.TempDir()
	os.Remove(path)
	switch how {
	case "link":
		target := filepath.Join(outside, "elsewhere.wav")
		os.WriteFile(target, []byte("RIFF"), FilePerm)
		must(t, os.Symlink(target, path))
		return openfile.Link
	case "link to FIFO":
		target := filepath.Join(outside, "fifo")
		must(t, syscall.Mkfifo(target, 0o600))
		must(t, os.Symlink(target, path))
		return openfile.Link
	case "link to device":
		must(t, os.Symlink("/dev/zero", path))
		return openfile.Link
	case "FIFO":
		must(t, syscall.Mkfifo(path, 0o600))
		return openfile.FIFO
	case "device":
		// /dev/zero's numbers (1, 5); making a device node needs root.
		if err := syscall.Mknod(path, syscall.S_IFCHR|0o600, 1<<8|5); err != nil {
			t.Skipf("cannot make a device node here: %v", err)
		}
		return openfile.Device
	case "folder":
		must(t, os.Mkdir(path, DirPerm))
		return openfile.Folder
	}
	t.Fatalf("unknown kind %q", how)
	return ""
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// loadWithin is Load, failing the test if it takes more than a second (a
// FIFO opened for reading would wait for a writer for ever).
func loadWithin(t *testing.T, dir string) error {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		_, _, err := Load(dir)
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Second):
		t.Fatal("Load did not return within a second")
		return nil
	}
}

// TestLoadRefusesOddTakes: a take that is a link (wherever it points), a
// FIFO, a device or a folder is refused by Load with the one message of
// the song's rule, naming the file; not called "missing".
func TestLoadRefusesOddTakes(t *testing.T) {
	for _, how := range []string{"link", "link to FIFO", "link to device", "FIFO", "device", "folder"} {
		t.Run(how, func(t *testing.T) {
			dir := t.TempDir()
			must(t, Create(dir, testSong()))
			take := filepath.Join(dir, AudioDir, "0001-Vokal.wav")
			kind := oddTake(t, take, how)
			err := loadWithin(t, dir)
			var se *SongFileError
			if !errors.As(err, &se) || se.Path != take || se.Kind != kind {
				t.Fatalf("Load: %v, want a *SongFileError for %s (%s)", err, take, kind)
			}
			want := take + " is " + string(kind) + ", not a file; a song keeps its own audio files"
			if kind == openfile.Link {
				want = take + " is a link; a song keeps its own audio files"
			}
			if err.Error() != want {
				t.Errorf("Load says %q, want %q", err, want)
			}
			if !errors.Is(err, openfile.ErrNotRegular) {
				t.Error("the error is not openfile.ErrNotRegular")
			}
			if err := CheckTakeFile(dir, "0001-Vokal.wav"); err == nil || err.Error() != want {
				t.Errorf("CheckTakeFile: %v", err)
			}
			f, err := OpenSongFile(dir, filepath.Join(AudioDir, "0001-Vokal.wav"))
			if f != nil {
				f.Close()
			}
			if err == nil || err.Error() != want {
				t.Errorf("OpenSongFile: %v", err)
			}
		})
	}
}

// TestLoadRefusesOddSongFile: song.json itself as a link or a FIFO is
// refused the same way, and no earlier generation is opened in its place.
func TestLoadRefusesOddSongFile(t *testing.T) {
	for _, how := range []string{"link", "FIFO", "folder"} {
		t.Run(how, func(t *testing.T) {
			dir := t.TempDir()
			s := testSong()
			s.Tracks = nil
			must(t, Create(dir, s))
			must(t, Save(dir, s)) // song.json.1 exists
			path := filepath.Join(dir, SongFile)
			if how == "link" {
				// A link to a good song elsewhere is refused too.
				other := t.TempDir()
				must(t, Create(other, s))
				os.Remove(path)
				must(t, os.Symlink(filepath.Join(other, SongFile), path))
			} else {
				oddTake(t, path, how)
			}
			err := loadWithin(t, dir)
			var se *SongFileError
			if !errors.As(err, &se) || se.Path != path {
				t.Fatalf("Load: %v, want a *SongFileError for song.json", err)
			}
		})
	}
}

// TestSongFileRace: a link or a FIFO put in a take's place after the
// check is still refused by the open, with the same message, at once.
func TestSongFileRace(t *testing.T) {
	dir := t.TempDir()
	writeTake(t, dir, "a.wav")
	rel := filepath.Join(AudioDir, "a.wav")
	must(t, CheckSongFile(dir, rel))
	path := filepath.Join(dir, rel)
	for _, how := range []string{"FIFO", "link"} {
		kind := oddTake(t, path, how)
		var err error
		done := make(chan struct{})
		go func() {
			var f *os.File
			f, err = openfile.RegularNoFollow(path) // past CheckSongFile
			if f != nil {
				f.Close()
			}
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(time.Second):
			t.Fatalf("opening a %s did not return", how)
		}
		err = asSongFileError(err)
		var se *SongFileError
		if !errors.As(err, &se) || se.Kind != kind {
			t.Errorf("%s past the check: %v", how, err)
		}
	}
}

func TestOpenSongFile(t *testing.T) {
	dir := t.TempDir()
	writeTake(t, dir, "a.wav")
	f, err := OpenSongFile(dir, "audio/a.wav")
	must(t, err)
	b, _ := io.ReadAll(f)
	f.Close()
	if string(b) != "RIFF" {
		t.Errorf("read %q", b)
	}
	if _, err := OpenSongFile(dir, "audio/none.wav"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing take: %v", err)
	}
	// The audio folder itself a link: refused, naming the folder.
	other := t.TempDir()
	writeTake(t, other, "a.wav")
	os.RemoveAll(filepath.Join(dir, AudioDir))
	must(t, os.Symlink(filepath.Join(other, AudioDir), filepath.Join(dir, AudioDir)))
	_, err = OpenSongFile(dir, "audio/a.wav")
	if want := filepath.Join(dir, AudioDir) + " is a link; a song keeps its own audio files"; err == nil || err.Error() != want {
		t.Errorf("audio folder a link: %v, want %q", err, want)
	}
}
