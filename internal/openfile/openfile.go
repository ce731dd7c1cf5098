// Package openfile opens a file for reading only if it is an ordinary
// file. A named pipe (FIFO), a device, a socket or a folder is refused
// with a message that names it and says what it is, before it is opened:
// opening a FIFO would wait for a writer for ever, and reading a device
// (/dev/zero, a terminal) never ends or has side effects.
//
// The type is checked twice: by name first, and again on the open file,
// which is opened so that it cannot block (on Linux with O_NONBLOCK, which
// is cleared once the file is known to be an ordinary one). So a FIFO put
// in the file's place between the check and the open is refused as well.
package openfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
)

// Kind says, in plain words, what a file that is not an ordinary file is.
type Kind string

// The kinds of file that are refused.
const (
	Folder  Kind = "a folder"
	FIFO    Kind = "a named pipe (FIFO)"
	Device  Kind = "a device"
	Socket  Kind = "a socket"
	Link    Kind = "a link"
	Special Kind = "a special file"
)

// KindOf is the Kind of a file with mode m, or "" for an ordinary file.
func KindOf(m fs.FileMode) Kind {
	switch {
	case m.IsRegular():
		return ""
	case m&fs.ModeSymlink != 0:
		return Link
	case m.IsDir():
		return Folder
	case m&fs.ModeNamedPipe != 0:
		return FIFO
	case m&fs.ModeDevice != 0, m&fs.ModeCharDevice != 0:
		return Device
	case m&fs.ModeSocket != 0:
		return Socket
	}
	return Special
}

// ErrNotRegular is what every *Error is (errors.Is).
var ErrNotRegular = errors.New("not an ordinary file")

// Error is a file that was refused because it is not an ordinary file.
type Error struct {
	Path string
	Kind Kind
}

func (e *Error) Error() string { return e.Path + " " + e.Reason() }

// Reason is the message without the file's name, for a caller that names
// it already: "is a named pipe (FIFO), not a file; Sangstudio reads only
// ordinary files".
func (e *Error) Reason() string {
	return "is " + string(e.Kind) + ", not a file; Sangstudio reads only ordinary files"
}

// Unwrap makes errors.Is(err, ErrNotRegular) hold.
func (e *Error) Unwrap() error { return ErrNotRegular }

// Regular opens the file at path for reading if it is an ordinary file,
// following links (it is a file the user named). Anything else is an
// *Error; a file that cannot be found or read gives the *fs.PathError.
func Regular(path string) (*os.File, error) {
	if err := Check(path); err != nil {
		return nil, err
	}
	return openRegular(path, true)
}

// RegularNoFollow is Regular for a file that must itself be an ordinary
// file: a link is refused too (Kind Link), also one put in its place
// after the check.
func RegularNoFollow(path string) (*os.File, error) {
	if err := checkStat(path, os.Lstat); err != nil {
		return nil, err
	}
	return openRegular(path, false)
}

// Check reports, without opening it, whether the file at path is an
// ordinary file (following links): nil, an *Error, or the error of Stat.
func Check(path string) error { return checkStat(path, os.Stat) }

// checkStat is Check with stat: os.Stat, or os.Lstat not to follow a link.
func checkStat(path string, stat func(string) (fs.FileInfo, error)) error {
	fi, err := stat(path)
	if err != nil {
		return err
	}
	if k := KindOf(fi.Mode()); k != "" {
		return &Error{Path: path, Kind: k}
	}
	return nil
}

// ReadFile reads the whole file at path as os.ReadFile does, if it is an
// ordinary file (see Regular).
func ReadFile(path string) ([]byte, error) {
	f, err := Regular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// ReadFileLimit reads the file at path as ReadFile does, but at most n
// bytes: a caller that asks for one byte more than it accepts tells a file
// that is too long by the length of what it gets.
func ReadFileLimit(path string, n int64) ([]byte, error) {
	f, err := Regular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, n))
}
