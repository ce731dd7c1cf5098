package projects

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"sangstudio/internal/filelock"
)

// Files brought into a song from outside (an import) are written under a
// temporary name in audio/ first and renamed to a take's name only when
// complete, holding the song's lock, in the same change that adds them to
// the song (Incoming.Place inside Change). A killed import so leaves no
// take that the song does not use, only its temporary files, which the
// next change of the song (or its opening in the window) removes.
//
// While it is written, an incoming file's lock (internal/filelock, on the
// file itself) is held: that is how the next change tells a file that a
// running import is still writing from one that a killed import left.

// Names of incoming files in audio/: ".import-RANDOM.tmp".
const (
	incomingPrefix = ".import-"
	incomingSuffix = ".tmp"
)

// IsIncomingName reports whether name (a file name in audio/) is an
// incoming file's temporary name.
func IsIncomingName(name string) bool {
	return strings.HasPrefix(name, incomingPrefix) && strings.HasSuffix(name, incomingSuffix)
}

// Incoming is a file being brought into a song's audio/ folder.
type Incoming struct {
	dir  string
	path string // the temporary file
	take string // its take name once placed
	f    *os.File
	l    *filelock.Lock
}

// NewIncoming creates an incoming file in the song folder dir (which must
// exist: see EnsureFolders), open for writing and locked as in use. The
// caller writes it through File, then places it (Place) or gives it up
// (Close).
func NewIncoming(dir string) (*Incoming, error) {
	audio := filepath.Join(dir, AudioDir)
	// Under the song's lock, so that a change removing the files killed
	// imports left never sees this one between its creation and its lock.
	sl, err := lockSong(dir, filelock.Me("Sangstudio importing"))
	if err != nil {
		return nil, err
	}
	defer sl.Release()
	f, err := os.CreateTemp(audio, incomingPrefix+"*"+incomingSuffix)
	if err != nil {
		return nil, err
	}
	l, err := filelock.Acquire(f.Name(), "", 0)
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return &Incoming{dir: dir, path: f.Name(), f: f, l: l}, nil
}

// File is the file to write; the writer may close it (the lock is held
// apart from it).
func (in *Incoming) File() *os.File { return in.f }

// Path is where the file is now.
func (in *Incoming) Path() string {
	if in.take != "" {
		return AudioPath(in.dir, in.take)
	}
	return in.path
}

// Take is the take name it was placed under ("" until Place).
func (in *Incoming) Take() string { return in.take }

// Place gives the complete file a take name in s (made from base and ext,
// as NewTakeFile makes them) and renames it to that name. The caller holds
// the song's lock (it is called inside Change) and saves s; if the save
// fails, Unplace removes the take again.
func (in *Incoming) Place(s *Song, base, ext string) (string, error) {
	if in.take != "" {
		return "", fmt.Errorf("song: %s is placed already", in.take)
	}
	safe := SafeFileBase(base, 60)
	for tries := 0; tries < 100000; tries++ {
		s.NextTake++
		name := fmt.Sprintf("%04d-%s%s", s.NextTake, safe, ext)
		to := AudioPath(in.dir, name)
		if _, err := os.Lstat(to); err == nil {
			continue
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		// Nothing else names takes while the caller holds the song's lock
		// and no program holds the song open (Change refuses then), so the
		// name stays free until the rename.
		if err := os.Rename(in.path, to); err != nil {
			return "", err
		}
		in.take = name
		return name, nil
	}
	return "", fmt.Errorf("song: cannot find a free take name in %s", filepath.Join(in.dir, AudioDir))
}

// Unplace removes a placed take whose song could not be saved (it is not
// in any song), or the temporary file if it was not placed.
func (in *Incoming) Unplace() {
	os.Remove(in.Path())
	in.take = ""
	in.path = ""
}

// Close ends the import of the file: an unplaced file is removed, and the
// lock is given up.
func (in *Incoming) Close() {
	in.f.Close() // it may be closed already
	if in.take == "" && in.path != "" {
		os.Remove(in.path)
	}
	in.l.Release()
}

// removeKilledImports removes the incoming files that no running import
// writes any more (a killed import left them); the caller holds the
// song's lock. They are partial copies of files the user still has.
func removeKilledImports(dir string) {
	entries, err := os.ReadDir(filepath.Join(dir, AudioDir))
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || !IsIncomingName(e.Name()) {
			continue
		}
		path := filepath.Join(dir, AudioDir, e.Name())
		if held, err := filelock.Held(path); err == nil && !held {
			os.Remove(path)
		}
	}
}

// RemoveIfNoSong removes what a failed import or creation made in dir (its
// audio and exports folders, its lock file, the folder itself), each only
// if it is empty and dir holds no song, checked under the song's lock:
// another program may be making a song there at the same time.
func RemoveIfNoSong(dir string) {
	lock := filepath.Join(dir, lockFile)
	l, err := filelock.Acquire(lock, "", 0)
	if err != nil {
		return // another program is using the folder: it stays
	}
	defer l.Release()
	if Exists(dir) {
		return
	}
	for _, d := range []string{AudioDir, ExportsDir} {
		os.Remove(filepath.Join(dir, d)) // only if empty
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) == 1 && entries[0].Name() == lockFile {
		os.Remove(lock)
		os.Remove(dir)
	}
}
