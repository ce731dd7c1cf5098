package openfile

import (
	"errors"
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// openRegular opens path read-only without waiting (O_NONBLOCK: a FIFO
// opens at once instead of waiting for a writer), checks on the open file
// that it is an ordinary file, and only then makes it blocking again, as
// an *os.File expects. With follow false a link is refused (O_NOFOLLOW).
func openRegular(path string, follow bool) (*os.File, error) {
	flags := unix.O_RDONLY | unix.O_NONBLOCK | unix.O_NOCTTY | unix.O_CLOEXEC
	if !follow {
		flags |= unix.O_NOFOLLOW
	}
	var fd int
	var err error
	for {
		fd, err = unix.Open(path, flags, 0)
		if !errors.Is(err, unix.EINTR) {
			break
		}
	}
	switch {
	case err == nil:
	case !follow && errors.Is(err, unix.ELOOP):
		return nil, &Error{Path: path, Kind: Link}
	case errors.Is(err, unix.ENXIO): // a socket, or a device with no driver
		if k := kindNow(path, follow); k != "" {
			return nil, &Error{Path: path, Kind: k}
		}
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	default:
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		unix.Close(fd)
		return nil, &fs.PathError{Op: "stat", Path: path, Err: err}
	}
	if k := kindOfRaw(st.Mode); k != "" {
		unix.Close(fd)
		return nil, &Error{Path: path, Kind: k}
	}
	if err := unix.SetNonblock(fd, false); err != nil {
		unix.Close(fd)
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	return os.NewFile(uintptr(fd), path), nil
}

// kindOfRaw is KindOf for a raw st_mode.
func kindOfRaw(mode uint32) Kind {
	switch mode & unix.S_IFMT {
	case unix.S_IFREG:
		return ""
	case unix.S_IFDIR:
		return Folder
	case unix.S_IFIFO:
		return FIFO
	case unix.S_IFCHR, unix.S_IFBLK:
		return Device
	case unix.S_IFSOCK:
		return Socket
	case unix.S_IFLNK:
		return Link
	}
	return Special
}

// kindNow is the Kind of the file at path now ("" if it is an ordinary
// file or cannot be looked at).
func kindNow(path string, follow bool) Kind {
	stat := os.Stat
	if !follow {
		stat = os.Lstat
	}
	fi, err := stat(path)
	if err != nil {
		return ""
	}
	return KindOf(fi.Mode())
}
