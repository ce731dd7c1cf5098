package filelock

import (
	"errors"
	"io/fs"
	"os"
)

// RemoveUnheld removes the file at path if no program holds its lock: a
// temporary file whose writer keeps it locked while it writes is then
// removed only once that writer is gone (it finished, or it was killed).
// The lock is held while removing, so a writer that locks the file at the
// same moment either keeps it (the removal is skipped) or finds it gone.
// removed is false when the file is held, no longer there, or not a
// regular file.
func RemoveUnheld(path string) (removed bool, err error) {
	if fi, err := os.Lstat(path); err != nil || !fi.Mode().IsRegular() {
		return false, nil // gone, or not a file a writer of ours makes
	}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer f.Close()
	ok, err := tryLock(f, true)
	if err != nil || !ok {
		return false, err
	}
	defer unlock(f)
	// The name may have been given to another file since it was opened.
	fi, err := f.Stat()
	if err != nil {
		return false, err
	}
	now, err := os.Lstat(path)
	if err != nil || !os.SameFile(fi, now) {
		return false, nil
	}
	if err := os.Remove(path); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return false, nil
		}
		return false, err
	}
	return true, nil
}
