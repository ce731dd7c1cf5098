package fserr

import (
	"syscall"

	"golang.org/x/sys/unix"
)

func diskFull() []error { return []error{syscall.ENOSPC, syscall.EDQUOT} }
func readOnly() []error { return []error{syscall.EROFS} }
func ioError() []error  { return []error{syscall.EIO} }
func removed() []error {
	return []error{syscall.ENODEV, syscall.ENXIO, syscall.ENOTCONN, syscall.ESHUTDOWN, syscall.ENOMEDIUM}
}
func tooLarge() []error     { return []error{syscall.EFBIG} }
func notSupported() []error { return []error{syscall.EINVAL, syscall.ENOSYS, syscall.ENOTSUP} }
func badName() []error      { return []error{syscall.ENAMETOOLONG, syscall.EINVAL, syscall.EILSEQ} }

// access asks whether this user may make files in dir (access(2)).
func access(dir string) error { return unix.Access(dir, unix.W_OK|unix.X_OK) }
