// Package fserr turns file-system errors into plain words for the people
// using Sangstudio ("the disk is full" rather than "no space left on device").
package fserr

import (
	"errors"
	"io/fs"
	"syscall"

	"golang.org/x/sys/unix"
)

// Error is a described file-system error; Unwrap gives the original.
type Error struct {
	Text string
	Err  error
}

func (e *Error) Error() string { return e.Text }
func (e *Error) Unwrap() error { return e.Err }

// Describe returns err with a plain-language text for the common cases
// (disk full, read-only disk, no permission, file missing), else err itself.
func Describe(err error) error {
	var text string
	switch {
	case err == nil:
		return nil
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
		text = "the disk is full"
	case errors.Is(err, syscall.EROFS):
		text = "the disk is read-only"
	case errors.Is(err, fs.ErrPermission):
		text = "permission denied"
	case errors.Is(err, syscall.EIO):
		text = "input/output error (the disk may be failing or was removed)"
	case errors.Is(err, fs.ErrNotExist):
		text = "the file or folder does not exist"
	default:
		return err
	}
	return &Error{Text: text, Err: err}
}

// IsDiskFull reports whether err means the disk (or quota) is full.
func IsDiskFull(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}

// CannotWrite reports whether err says a folder cannot be written to: its
// permissions, a read-only disk, or a full disk (or quota).
func CannotWrite(err error) bool {
	return IsDiskFull(err) || errors.Is(err, syscall.EROFS) || errors.Is(err, fs.ErrPermission)
}

// CheckWritable reports, without writing anything, whether a file of need
// bytes could be written into the folder dir now: nil, or the reason in
// plain words (see Describe): the disk is full (less than need bytes free
// for this user), the disk is read-only, or permission denied. A nil
// result is no promise: another program may fill the disk first.
func CheckWritable(dir string, need int64) error {
	if err := unix.Access(dir, unix.W_OK|unix.X_OK); err != nil {
		return Describe(&fs.PathError{Op: "write", Path: dir, Err: err})
	}
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return Describe(&fs.PathError{Op: "statfs", Path: dir, Err: err})
	}
	if st.Flags&unix.ST_RDONLY != 0 {
		return Describe(&fs.PathError{Op: "write", Path: dir, Err: syscall.EROFS})
	}
	if free := int64(st.Bavail) * int64(st.Bsize); free < need {
		return Describe(&fs.PathError{Op: "write", Path: dir, Err: syscall.ENOSPC})
	}
	return nil
}
