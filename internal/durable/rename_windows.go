package durable

import (
	"errors"
	"io/fs"
	"os"

	"golang.org/x/sys/windows"
)

// rename is MoveFileEx with MOVEFILE_REPLACE_EXISTING (as os.Rename) and
// MOVEFILE_WRITE_THROUGH: it returns once the rename is on the disk, which
// is what the folder's fsync does on Linux.
func rename(from, to string) error {
	return moveFile(from, to, windows.MOVEFILE_REPLACE_EXISTING|windows.MOVEFILE_WRITE_THROUGH)
}

// renameNoReplace is MoveFileEx without MOVEFILE_REPLACE_EXISTING, which
// fails when to exists (a file or a folder, empty or not).
func renameNoReplace(from, to string) error {
	err := moveFile(from, to, windows.MOVEFILE_WRITE_THROUGH)
	if errors.Is(err, fs.ErrExist) { // ERROR_ALREADY_EXISTS, ERROR_FILE_EXISTS
		return fs.ErrExist
	}
	return err
}

func moveFile(from, to string, flags uint32) error {
	f, err := windows.UTF16PtrFromString(from)
	if err != nil {
		return &os.LinkError{Op: "rename", Old: from, New: to, Err: err}
	}
	t, err := windows.UTF16PtrFromString(to)
	if err != nil {
		return &os.LinkError{Op: "rename", Old: from, New: to, Err: err}
	}
	if err := windows.MoveFileEx(f, t, flags); err != nil {
		return &os.LinkError{Op: "rename", Old: from, New: to, Err: err}
	}
	return nil
}
