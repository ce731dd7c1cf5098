package openfile

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// TestOpenFileIsBlocking: the file handed out is in blocking mode again
// (O_NONBLOCK cleared), as os.File's reads expect of an ordinary file.
func TestOpenFileIsBlocking(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.wav")
	if err := os.WriteFile(path, make([]byte, 1000), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, open := range []func(string) (*os.File, error){Regular, RegularNoFollow} {
		f, err := open(path)
		if err != nil {
			t.Fatal(err)
		}
		sc, err := f.SyscallConn()
		if err != nil {
			t.Fatal(err)
		}
		var flags int
		var ferr error
		sc.Control(func(fd uintptr) { flags, ferr = unix.FcntlInt(fd, unix.F_GETFL, 0) })
		f.Close()
		if ferr != nil {
			t.Fatal(ferr)
		}
		if flags&unix.O_NONBLOCK != 0 {
			t.Errorf("the opened file is still non-blocking (flags %#x)", flags)
		}
	}
}
