package projects

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"sangstudio/internal/openfile"
)

// One rule for the files of a song (its takes and song.json): each is an
// ordinary file of its own, inside the song folder. A link (to a file
// elsewhere, or to a FIFO or a device), a named pipe, a device, a socket
// or a folder in its place is refused, by every command and the window
// alike, with the same message. A song stays self-contained: what it
// plays, renders and archives is what it holds.

// SongFileError is a file of a song that is not an ordinary file of its
// own: Kind says what it is (openfile.Link for a link).
type SongFileError struct {
	Path string
	Kind openfile.Kind
}

func (e *SongFileError) Error() string {
	if e.Kind == openfile.Link {
		return e.Path + " is a link; a song keeps its own audio files"
	}
	return e.Path + " is " + string(e.Kind) + ", not a file; a song keeps its own audio files"
}

// Unwrap makes errors.Is(err, openfile.ErrNotRegular) hold.
func (e *SongFileError) Unwrap() error { return openfile.ErrNotRegular }

// CheckSongFile reports whether rel (slash- or OS-separated, below the
// song folder dir, such as "audio/take-1.wav" or SongFile) is an ordinary
// file of the song, looking at the file and every folder on the way
// without following links: nil, a *SongFileError, or the error of Lstat
// (fs.ErrNotExist for a missing file).
func CheckSongFile(dir, rel string) error {
	p := dir
	parts := strings.Split(filepath.ToSlash(filepath.Clean(rel)), "/")
	for i, part := range parts {
		p = filepath.Join(p, part)
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		last := i == len(parts)-1
		switch k := openfile.KindOf(fi.Mode()); {
		case last && k != "":
			return &SongFileError{Path: p, Kind: k}
		case !last && fi.Mode()&fs.ModeSymlink != 0:
			return &SongFileError{Path: p, Kind: openfile.Link}
		}
	}
	return nil
}

// CheckTakeFile is CheckSongFile for the take file take (in AudioDir).
func CheckTakeFile(dir, take string) error {
	return CheckSongFile(dir, filepath.Join(AudioDir, take))
}

// OpenSongFile opens the file rel of the song in dir for reading, if it is
// an ordinary file of the song (see CheckSongFile); a link, a FIFO or a
// device put in its place after the check is refused as well, without
// waiting on it. Errors are a *SongFileError or the *fs.PathError of the
// failed operation.
func OpenSongFile(dir, rel string) (*os.File, error) {
	if err := CheckSongFile(dir, rel); err != nil {
		return nil, err
	}
	f, err := openfile.RegularNoFollow(filepath.Join(dir, rel))
	return f, asSongFileError(err)
}

// asSongFileError words an *openfile.Error about a song's file as a
// *SongFileError; other errors are returned as they are.
func asSongFileError(err error) error {
	var oe *openfile.Error
	if errors.As(err, &oe) {
		return &SongFileError{Path: oe.Path, Kind: oe.Kind}
	}
	return err
}
