// Package filelock holds advisory locks on files, the way every writer of a
// song (the window, the commands, the library, the CD albums) keeps out of
// another's way. The system releases a lock when the program holding it
// dies, so a crash never leaves a song locked.
//
// A lock file also says who holds it ("sangstudio import, process 1234"),
// so that a writer that has to give up can say what it waited for.
//
// The system part is in filelock_linux.go (flock) and filelock_windows.go
// (LockFileEx).
package filelock

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// ErrBusy is wrapped by the error Acquire returns when another program
// held the lock for longer than it waited.
var ErrBusy = errors.New("in use by another program")

// BusyError says what holds a lock.
type BusyError struct {
	Path   string
	Holder string // "" when it did not say
}

func (e *BusyError) Error() string {
	if e.Holder == "" {
		return fmt.Sprintf("%s is in use by another program", e.Path)
	}
	return fmt.Sprintf("%s is in use by %s", e.Path, e.Holder)
}

func (e *BusyError) Unwrap() error { return ErrBusy }

// Lock is a held lock.
type Lock struct{ f *os.File }

// poll is how often Acquire tries again while another program holds the lock.
const poll = 20 * time.Millisecond

// Acquire opens the file at path (creating it, private to the user) and
// locks it exclusively, trying again for up to wait. With a holder, the
// file then says who holds it. A lock held elsewhere for longer gives a
// *BusyError naming its holder.
func Acquire(path, holder string, wait time.Duration) (*Lock, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(wait)
	for {
		ok, err := tryLock(f, true)
		if err != nil {
			f.Close()
			return nil, err
		}
		if ok {
			break
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, &BusyError{Path: path, Holder: Holder(path)}
		}
		time.Sleep(poll)
	}
	if holder != "" {
		// What is written is only said to others; failing to write it
		// (a full disk) does not stop the lock from working.
		if f.Truncate(0) == nil {
			f.WriteAt([]byte(holder), 0)
		}
	}
	return &Lock{f: f}, nil
}

// Release gives the lock up.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	unlock(l.f)
	err := l.f.Close()
	l.f = nil
	return err
}

// Holder is who the lock file at path says holds it ("" if it does not say).
func Holder(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	b, _ := io.ReadAll(io.LimitReader(f, 200))
	return strings.TrimSpace(strings.ToValidUTF8(string(b), ""))
}

// Held reports whether another program holds the lock on the file at
// path now. A file that does not exist is not held.
func Held(path string) (bool, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer f.Close()
	ok, err := tryLock(f, false)
	if err != nil {
		return false, err
	}
	if ok {
		unlock(f)
	}
	return !ok, nil
}

// Me describes this program as a holder: what it does and its process.
func Me(what string) string { return fmt.Sprintf("%s (process %d)", what, os.Getpid()) }
