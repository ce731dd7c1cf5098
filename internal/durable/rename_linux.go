package durable

import (
	"errors"
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// rename is rename(2): atomic, and durable once the folder is synced.
func rename(from, to string) error { return os.Rename(from, to) }

// renameNoReplace is renameat2(RENAME_NOREPLACE); where the file system
// does not have it, a check for to and a plain rename.
func renameNoReplace(from, to string) error {
	err := unix.Renameat2(unix.AT_FDCWD, from, unix.AT_FDCWD, to, unix.RENAME_NOREPLACE)
	if errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EINVAL) {
		if _, lerr := os.Lstat(to); lerr == nil {
			return fs.ErrExist
		}
		err = os.Rename(from, to)
		if errors.Is(err, unix.ENOTEMPTY) { // a folder made at to meanwhile
			return fs.ErrExist
		}
		return err
	}
	if errors.Is(err, unix.EEXIST) {
		return fs.ErrExist
	}
	return err
}
