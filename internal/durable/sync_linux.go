package durable

import (
	"errors"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return err
	}
	return nil
}

// dataSync is fdatasync(2).
func dataSync(f *os.File) error { return unix.Fdatasync(int(f.Fd())) }

// syncFS is syncfs(2).
func syncFS(f *os.File) error { return unix.Syncfs(int(f.Fd())) }

// dropCache is posix_fadvise(POSIX_FADV_DONTNEED) on the whole file.
func dropCache(f *os.File) { _ = unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED) }
