package projects

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"time"

	"sangstudio/internal/durable"
	"sangstudio/internal/filelock"
	"sangstudio/internal/fserr"
	"sangstudio/internal/openfile"
)

// Two writers at once (the window and a command, two commands, a sync tool)
// must never lose each other's work. The rules:
//
//   - Every change a command makes is load → change → save under the song's
//     lock (SONG_DIR/.lock), held from before the load to after the save
//     (Change). A second writer waits for it, up to LockWait, then says
//     plainly that the song is busy and by what.
//   - While the window has a song open, or a command records it, that
//     program holds SONG_DIR/.open (LockOpen). No other program changes
//     the song meanwhile (*OpenError): the window would not know of the
//     change, and a recording's takes are not finished yet.
//   - The window loads the song under the lock, and saves with SaveOver:
//     a save never writes over a song.json it did not read (another program
//     changed it meanwhile: ErrChangedElsewhere), so nothing is lost.

// LockWait is how long a writer waits for another to finish with the song.
const LockWait = 5 * time.Second

// ErrOpenInWindow is wrapped by *OpenError: the song is open in a window
// (or being recorded by a command).
var ErrOpenInWindow = errors.New("the song is open elsewhere")

// OpenError says which program has the song open.
type OpenError struct {
	Dir    string
	Holder string // "the Sangstudio window (process 1234)", "sangstudio record (process 99)"
}

func (e *OpenError) Error() string {
	who := "the Sangstudio window"
	if e.Holder != "" {
		who = e.Holder
	}
	return fmt.Sprintf("the song %s is open in %s: make the change there, or close it (in the window: go back to Your songs) and try again", e.Dir, who)
}

func (e *OpenError) Unwrap() error { return ErrOpenInWindow }

// ErrBusy is wrapped when another writer kept the song for longer than
// LockWait.
var ErrBusy = errors.New("the song is busy")

// BusyError says which song is busy and what is changing it.
type BusyError struct {
	Dir    string
	Holder string // "sangstudio import (process 1234)", or "" if unknown
}

func (e *BusyError) Error() string {
	who := "another Sangstudio"
	if e.Holder != "" {
		who = e.Holder
	}
	return fmt.Sprintf("the song %s is busy: %s is changing it; try again in a moment", e.Dir, who)
}

func (e *BusyError) Unwrap() error { return ErrBusy }

// ErrChangedElsewhere: song.json was changed by another program after the
// caller read it, so SaveOver did not write over it.
var ErrChangedElsewhere = errors.New("song.json was changed by another program after it was read")

// lockSong takes the song's lock for who, waiting up to LockWait.
func lockSong(dir, who string) (*filelock.Lock, error) {
	l, err := filelock.Acquire(filepath.Join(dir, lockFile), who, LockWait)
	var be *filelock.BusyError
	if errors.As(err, &be) {
		return nil, &BusyError{Dir: dir, Holder: be.Holder}
	}
	if err != nil {
		return nil, fmt.Errorf("song: cannot lock %s: %w", dir, err)
	}
	return l, nil
}

// OpenInWindow reports whether the song in dir is open in a Sangstudio
// window (or being recorded by a command) now, and by what.
func OpenInWindow(dir string) (holder string, open bool) {
	path := filepath.Join(dir, windowFile)
	held, _ := filelock.Held(path)
	if !held {
		return "", false
	}
	return filelock.Holder(path), true
}

// LockOpen marks the song in dir as open in who ("the Sangstudio window",
// "sangstudio record") until the returned lock is released: other
// programs then leave the song alone, and a second window refuses it (an
// *OpenError). The system releases it if the program dies.
func LockOpen(dir, who string) (*Opened, error) {
	if !Exists(dir) {
		return nil, fmt.Errorf("%s: %w", dir, ErrNotASong)
	}
	path := filepath.Join(dir, windowFile)
	l, err := filelock.Acquire(path, filelock.Me(who), 0)
	var be *filelock.BusyError
	if errors.As(err, &be) {
		return nil, &OpenError{Dir: dir, Holder: be.Holder}
	}
	if err != nil && fserr.CannotWrite(err) {
		return nil, &ReadOnlyError{Dir: dir, Err: fserr.Describe(err)}
	}
	if err != nil {
		return nil, fmt.Errorf("cannot open the song %s: %w", dir, err)
	}
	return &Opened{dir: dir, l: l}, nil
}

// ReadOnlyError: the song folder cannot be written to (its permissions, a
// write-protected disk), so it cannot be opened for changes. Everything
// that only reads it (playing, rendering, mastering, a CD, an archive)
// still works from the command line.
type ReadOnlyError struct {
	Dir string
	Err error // in plain words (fserr.Describe)
}

func (e *ReadOnlyError) Error() string {
	return fmt.Sprintf("the song folder %s may not be written to (%v), so it cannot be opened for changes. "+
		"Copy the song folder to a place you can write to and open the copy", e.Dir, e.Err)
}

func (e *ReadOnlyError) Unwrap() error { return e.Err }

// Opened is a song held open by LockOpen.
type Opened struct {
	dir string
	l   *filelock.Lock
}

// Release lets other programs use the song again.
func (o *Opened) Release() error { return o.l.Release() }

// Change is Change for the program that holds the song open.
func (o *Opened) Change(who string, change func(s *Song) error) (*Song, *Recovery, error) {
	return changeSong(o.dir, who, change)
}

// Change loads the song in dir, calls change on it and saves the result,
// holding the song's lock from before the load to after the save, so no
// other writer comes between. who says what is changing it (a second
// writer is told). A song open in the window is not changed
// (an *OpenError). If change fails, nothing is saved and its error is
// returned. It returns the song as saved, and a Recovery if song.json was
// damaged and an earlier generation was used.
func Change(dir, who string, change func(s *Song) error) (*Song, *Recovery, error) {
	if holder, open := OpenInWindow(dir); open {
		return nil, nil, &OpenError{Dir: dir, Holder: holder}
	}
	return changeSong(dir, who, change)
}

// changeSong is Change without the check for a program holding it open.
func changeSong(dir, who string, change func(s *Song) error) (*Song, *Recovery, error) {
	s, rec, _, err := changeLocked(dir, who, nil, change)
	return s, rec, err
}

// ChangeOrCreate is Change for a song that may not exist yet: if dir holds
// no song when the lock is taken, create makes it (the folders are made
// first) and change is called on that. created says which it was.
func ChangeOrCreate(dir, who string, create func() *Song, change func(s *Song) error) (s *Song, rec *Recovery, created bool, err error) {
	if holder, open := OpenInWindow(dir); open {
		return nil, nil, false, &OpenError{Dir: dir, Holder: holder}
	}
	return changeLocked(dir, who, create, change)
}

// changeLocked loads (or, with create, makes) the song under its lock,
// changes it and saves it.
func changeLocked(dir, who string, create func() *Song, change func(s *Song) error) (*Song, *Recovery, bool, error) {
	if err := ensureDirs(dir); err != nil {
		return nil, nil, false, err
	}
	l, err := lockSong(dir, filelock.Me(who))
	if err != nil {
		return nil, nil, false, err
	}
	defer l.Release()
	removeKilledImports(dir)
	var (
		s       *Song
		rec     *Recovery
		created bool
	)
	if create != nil && !Exists(dir) {
		s, created = create(), true
	} else if s, rec, err = Load(dir); err != nil {
		return nil, nil, false, err
	}
	if err := change(s); err != nil {
		return nil, rec, false, err
	}
	data, err := encodeForSave(s)
	if err != nil {
		return nil, rec, false, err
	}
	if err := saveLocked(dir, data, nil); err != nil {
		return nil, rec, false, err
	}
	return s, rec, created, nil
}

// EnsureFolders makes the song folder dir and its audio and exports
// folders if they are not there.
func EnsureFolders(dir string) error { return ensureDirs(dir) }

// Version names one content of a song.json (a hash of its bytes); the zero
// Version is "no song.json".
type Version [32]byte

// LoadForWindow is Load under the song's lock (a command changing the song
// now finishes first), and the Version of the song.json read, for SaveOver.
func LoadForWindow(dir string) (*Song, *Recovery, Version, error) {
	l, err := lockSong(dir, filelock.Me("the Sangstudio window"))
	if err != nil {
		return nil, nil, Version{}, err
	}
	defer l.Release()
	removeKilledImports(dir)
	v, err := readVersion(dir)
	if err != nil {
		return nil, nil, Version{}, err
	}
	s, rec, err := Load(dir)
	return s, rec, v, err
}

// CurrentVersion is the Version of dir's song.json now (after a save the
// caller made itself, for SaveOver).
func CurrentVersion(dir string) (Version, error) { return readVersion(dir) }

// readVersion is the Version of dir's song.json now.
func readVersion(dir string) (Version, error) {
	// Not following a link nor waiting on a FIFO: Load refuses those by
	// the song's rule (CheckSongFile) right after.
	f, err := openfile.RegularNoFollow(filepath.Join(dir, SongFile))
	if errors.Is(err, fs.ErrNotExist) {
		return Version{}, nil
	}
	if err != nil {
		return Version{}, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, io.LimitReader(f, maxSongFile+1)); err != nil {
		return Version{}, err
	}
	var v Version
	h.Sum(v[:0])
	return v, nil
}

// SaveOver saves s as Save does, but only if song.json is still the one
// read (read: its Version, from LoadForWindow or the last SaveOver); else
// it writes nothing and returns ErrChangedElsewhere. It returns the Version
// of the song.json it wrote.
func SaveOver(dir string, s *Song, read Version) (Version, error) {
	data, err := encodeForSave(s)
	if err != nil {
		return read, err
	}
	if err := ensureDirs(dir); err != nil {
		return read, err
	}
	l, err := lockSong(dir, filelock.Me("the Sangstudio window"))
	if err != nil {
		return read, err
	}
	defer l.Release()
	now, err := readVersion(dir)
	if err != nil {
		return read, err
	}
	if now != read {
		return read, fmt.Errorf("%s: %w", filepath.Join(dir, SongFile), ErrChangedElsewhere)
	}
	if err := saveLocked(dir, data, nil); err != nil {
		return read, err
	}
	return sha256.Sum256(data), nil
}

// SaveAside writes s beside song.json as song.json.window-TIME, without
// touching song.json (what the window saves when song.json was changed by
// another program), and returns the file's name. Given the name of an
// earlier one (name), it writes that again.
func SaveAside(dir string, s *Song, name string) (string, error) {
	data, err := encodeForSave(s)
	if err != nil {
		return "", err
	}
	if name == "" || filepath.Base(name) != name || !strings.HasPrefix(name, SongFile+".window-") {
		name = fmt.Sprintf("%s.window-%s", SongFile, time.Now().Format("20060102-150405"))
	}
	if err := durable.WriteFile(filepath.Join(dir, name), data, FilePerm); err != nil {
		return "", err
	}
	return name, nil
}
