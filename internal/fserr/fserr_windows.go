package fserr

import (
	"syscall"

	"golang.org/x/sys/windows"
)

// Each list holds Windows' codes and the errno value that Sangstudio's
// own code (and Go's) uses to make such an error, such as syscall.ENOSPC
// for a check that found too little room.

func diskFull() []error {
	return []error{syscall.ENOSPC, syscall.EDQUOT,
		windows.ERROR_DISK_FULL, windows.ERROR_HANDLE_DISK_FULL, windows.ERROR_DISK_QUOTA_EXCEEDED}
}

func readOnly() []error { return []error{syscall.EROFS, windows.ERROR_WRITE_PROTECT} }

func ioError() []error {
	return []error{syscall.EIO, windows.ERROR_CRC, windows.ERROR_IO_DEVICE, windows.ERROR_READ_FAULT,
		windows.ERROR_WRITE_FAULT, windows.ERROR_GEN_FAILURE, windows.ERROR_SECTOR_NOT_FOUND}
}

func removed() []error {
	return []error{syscall.ENODEV, syscall.ENXIO, syscall.ENOTCONN, syscall.ESHUTDOWN, syscall.ENOMEDIUM,
		windows.ERROR_DEV_NOT_EXIST, windows.ERROR_NOT_READY, windows.ERROR_DEVICE_NOT_CONNECTED,
		windows.ERROR_NO_MEDIA_IN_DRIVE, windows.ERROR_DEVICE_REMOVED}
}

func tooLarge() []error { return []error{syscall.EFBIG, windows.ERROR_FILE_TOO_LARGE} }

func badName() []error {
	return []error{syscall.ENAMETOOLONG, syscall.EINVAL, syscall.EILSEQ,
		windows.ERROR_INVALID_NAME, windows.ERROR_FILENAME_EXCED_RANGE, windows.ERROR_BAD_PATHNAME}
}

func notSupported() []error {
	return []error{syscall.EINVAL, syscall.ENOSYS, syscall.ENOTSUP,
		windows.ERROR_NOT_SUPPORTED, windows.ERROR_INVALID_FUNCTION, windows.ERROR_INVALID_PARAMETER}
}

// access is nil: whether a folder's ACL lets this user make files in it
// is known on Windows only by trying, which CheckWritable must not do.
// The read-only and free-space checks still apply.
func access(string) error { return nil }
