package filelock

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// LockFileEx locks a byte range, and on Windows a locked range cannot be
// read by others: the lock is therefore taken on one byte far past the end
// (at offset 2^62, which no lock file reaches), so that Holder can still
// read what the file says while another program holds it.
const (
	lockOffsetHigh = 1 << 30 // the high 32 bits of the offset 2^62
	lockLen        = 1
)

func lockOverlapped() *windows.Overlapped { return &windows.Overlapped{OffsetHigh: lockOffsetHigh} }

// tryLock takes f's lock (exclusive or shared) if it is free: ok is false
// when another program holds it. Windows releases it when the handle is
// closed or the program ends.
func tryLock(f *os.File, exclusive bool) (ok bool, err error) {
	flags := uint32(windows.LOCKFILE_FAIL_IMMEDIATELY)
	if exclusive {
		flags |= windows.LOCKFILE_EXCLUSIVE_LOCK
	}
	err = windows.LockFileEx(windows.Handle(f.Fd()), flags, 0, lockLen, 0, lockOverlapped())
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) || errors.Is(err, windows.ERROR_IO_PENDING) {
		return false, nil
	}
	return err == nil, err
}

func unlock(f *os.File) {
	windows.UnlockFileEx(windows.Handle(f.Fd()), 0, lockLen, 0, lockOverlapped())
}
