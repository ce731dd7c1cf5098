package openfile

import (
	"errors"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// specials makes, in a fresh folder, one file of each kind that is
// refused, and returns their paths by kind.
func specials(t *testing.T) map[Kind]string {
	t.Helper()
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.wav")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(dir, "sock.wav")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	folder := filepath.Join(dir, "folder.wav")
	if err := os.Mkdir(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	return map[Kind]string{FIFO: fifo, Socket: sock, Folder: folder, Device: "/dev/zero"}
}

// within fails the test if f does not return within a second (a FIFO
// open that waits for a writer would never return).
func within(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { f(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Second):
		t.Fatalf("%s did not return within a second", what)
	}
}

func TestRegularRefusesSpecialFiles(t *testing.T) {
	for kind, path := range specials(t) {
		for name, open := range map[string]func(string) (*os.File, error){
			"Regular": Regular, "RegularNoFollow": RegularNoFollow, "ReadFile": func(p string) (*os.File, error) {
				_, err := ReadFile(p)
				return nil, err
			},
			"openRegular": func(p string) (*os.File, error) { return openRegular(p, true) }, // past the check: the race
		} {
			var f *os.File
			var err error
			within(t, name+" of "+string(kind), func() { f, err = open(path) })
			if f != nil {
				f.Close()
			}
			var oe *Error
			if !errors.As(err, &oe) || oe.Kind != kind || oe.Path != path || !errors.Is(err, ErrNotRegular) {
				t.Errorf("%s(%s): %v, want an *Error of kind %q", name, path, err, kind)
				continue
			}
			want := path + " is " + string(kind) + ", not a file; Sangstudio reads only ordinary files"
			if err.Error() != want {
				t.Errorf("%s(%s) says %q, want %q", name, path, err, want)
			}
		}
		if err := Check(path); !errors.Is(err, ErrNotRegular) {
			t.Errorf("Check(%s) = %v", path, err)
		}
	}
}

// TestFIFOSwappedInDoesNotBlock opens a FIFO with the low-level open, as
// it happens when a FIFO takes an ordinary file's place after the check:
// it returns at once, refused, with no writer on the other end.
func TestFIFOSwappedInDoesNotBlock(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "take.wav")
	if err := os.WriteFile(path, []byte("RIFF"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Check(path); err != nil {
		t.Fatal(err)
	}
	os.Remove(path)
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, follow := range []bool{true, false} {
		var err error
		within(t, "openRegular of a FIFO", func() {
			var f *os.File
			if f, err = openRegular(path, follow); f != nil {
				f.Close()
			}
		})
		var oe *Error
		if !errors.As(err, &oe) || oe.Kind != FIFO {
			t.Errorf("openRegular(FIFO, follow %v) = %v, want a FIFO *Error", follow, err)
		}
	}
}

func TestRegularReadsOrdinaryFilesAndLinks(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.wav")
	if err := os.WriteFile(path, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.wav")
	if err := os.Symlink(path, link); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, link} {
		f, err := Regular(p)
		if err != nil {
			t.Fatalf("Regular(%s): %v", p, err)
		}
		b, err := io.ReadAll(f)
		f.Close()
		if err != nil || string(b) != "hello" {
			t.Errorf("Regular(%s) read %q, %v", p, b, err)
		}
		if b, err := ReadFile(p); err != nil || string(b) != "hello" {
			t.Errorf("ReadFile(%s) = %q, %v", p, b, err)
		}
	}
	f, err := RegularNoFollow(path)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()

	// A link is refused without following it, also past the check.
	for name, open := range map[string]func(string) (*os.File, error){
		"RegularNoFollow": RegularNoFollow,
		"openRegular":     func(p string) (*os.File, error) { return openRegular(p, false) },
	} {
		f, err := open(link)
		if f != nil {
			f.Close()
		}
		var oe *Error
		if !errors.As(err, &oe) || oe.Kind != Link {
			t.Errorf("%s(link) = %v, want a Link *Error", name, err)
		}
	}
	// A link to a FIFO is refused as a FIFO when followed.
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	toFIFO := filepath.Join(dir, "to-fifo.wav")
	os.Symlink(fifo, toFIFO)
	var oe *Error
	if _, err := Regular(toFIFO); !errors.As(err, &oe) || oe.Kind != FIFO {
		t.Errorf("Regular(link to a FIFO) = %v", err)
	}
	if _, err := Regular(filepath.Join(dir, "none.wav")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Regular(missing) = %v, want fs.ErrNotExist", err)
	}
}

func TestReadFileLimit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.json")
	if err := os.WriteFile(path, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	for n, want := range map[int64]string{0: "", 3: "hel", 5: "hello", 6: "hello", 1 << 20: "hello"} {
		if b, err := ReadFileLimit(path, n); err != nil || string(b) != want {
			t.Errorf("ReadFileLimit(%d) = %q, %v; want %q", n, b, err, want)
		}
	}
	for kind, path := range specials(t) {
		var err error
		within(t, "ReadFileLimit of "+string(kind), func() { _, err = ReadFileLimit(path, 10) })
		var oe *Error
		if !errors.As(err, &oe) || oe.Kind != kind {
			t.Errorf("ReadFileLimit(%s) = %v, want an *Error of kind %q", path, err, kind)
		}
	}
}
