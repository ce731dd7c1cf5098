// Package fserr turns file-system errors into plain words for the people
// using Sangstudio ("the disk is full" rather than "no space left on device").
//
// What an error means is asked of it through the Is… functions, which know
// each system's codes: errno values on Linux (fserr_linux.go), Windows'
// ERROR_… codes on Windows (fserr_windows.go). Code outside internal/
// asks them instead of comparing with syscall's errno values. An error
// made here or by a caller with a syscall errno (syscall.ENOSPC, …) is
// recognised on every system.
package fserr

import (
	"errors"
	"io/fs"
	"syscall"

	"sangstudio/internal/volume"
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
	case IsDiskFull(err):
		text = "the disk is full"
	case IsReadOnly(err):
		text = "the disk is read-only"
	case errors.Is(err, fs.ErrPermission):
		text = "permission denied"
	case IsIOError(err):
		text = "input/output error (the disk may be failing or was removed)"
	case errors.Is(err, fs.ErrNotExist):
		text = "the file or folder does not exist"
	default:
		return err
	}
	return &Error{Text: text, Err: err}
}

// isAny reports whether err is (errors.Is) one of codes.
func isAny(err error, codes []error) bool {
	for _, c := range codes {
		if errors.Is(err, c) {
			return true
		}
	}
	return false
}

// IsDiskFull reports whether err means the disk (or quota) is full.
func IsDiskFull(err error) bool { return isAny(err, diskFull()) }

// IsReadOnly reports whether err means the disk is read-only
// (write-protected).
func IsReadOnly(err error) bool { return isAny(err, readOnly()) }

// IsIOError reports whether err is the disk's read or write error (a
// failing disk, or one removed while in use).
func IsIOError(err error) bool { return isAny(err, ioError()) }

// IsRemoved reports whether err says the device is gone (a USB stick
// pulled out, no medium in the drive).
func IsRemoved(err error) bool { return isAny(err, removed()) }

// IsTooLarge reports whether err says the file is too large for the file
// system.
func IsTooLarge(err error) bool { return isAny(err, tooLarge()) }

// IsBadName reports whether err says the file system does not accept a
// name (too long, or characters it cannot store).
func IsBadName(err error) bool { return isAny(err, badName()) }

// IsNotSupported reports whether err, from an fsync-like call, means the
// file system does not support it.
func IsNotSupported(err error) bool { return isAny(err, notSupported()) }

// CannotWrite reports whether err says a folder cannot be written to: its
// permissions, a read-only disk, or a full disk (or quota).
func CannotWrite(err error) bool {
	return IsDiskFull(err) || IsReadOnly(err) || errors.Is(err, fs.ErrPermission)
}

// CheckWritable reports, without writing anything, whether a file of need
// bytes could be written into the folder dir now: nil, or the reason in
// plain words (see Describe): the disk is full (less than need bytes free
// for this user), the disk is read-only, or permission denied. A nil
// result is no promise: another program may fill the disk first.
func CheckWritable(dir string, need int64) error {
	if err := access(dir); err != nil {
		return Describe(&fs.PathError{Op: "write", Path: dir, Err: err})
	}
	in, err := volume.Stat(dir)
	if err != nil {
		return Describe(&fs.PathError{Op: "statfs", Path: dir, Err: err})
	}
	if in.ReadOnly {
		return Describe(&fs.PathError{Op: "write", Path: dir, Err: syscall.EROFS})
	}
	if in.Free < need {
		return Describe(&fs.PathError{Op: "write", Path: dir, Err: syscall.ENOSPC})
	}
	return nil
}
