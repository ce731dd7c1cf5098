package filelock_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sangstudio/internal/filelock"
)

// TestMain lets the test binary hold a lock as another process would.
func TestMain(m *testing.M) {
	if p := os.Getenv("FILELOCK_HOLD"); p != "" {
		l, err := filelock.Acquire(p, "the helper", 0)
		if err != nil {
			os.Exit(2)
		}
		os.Stdout.WriteString("held\n")
		time.Sleep(time.Minute)
		l.Release()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// hold holds the lock at path in another process until the test ends.
func hold(t *testing.T, path string) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "FILELOCK_HOLD="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	buf := make([]byte, 5)
	if _, err := out.Read(buf); err != nil || string(buf) != "held\n" {
		t.Fatalf("the helper did not take the lock: %v %q", err, buf)
	}
}

func TestLockAcrossProcesses(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".lock")
	if held, err := filelock.Held(path); held || err != nil {
		t.Fatalf("a lock file that does not exist: held %v, %v", held, err)
	}
	hold(t, path)
	held, err := filelock.Held(path)
	if !held || err != nil {
		t.Fatalf("held by another process: Held = %v, %v", held, err)
	}
	start := time.Now()
	_, err = filelock.Acquire(path, "me", 200*time.Millisecond)
	var be *filelock.BusyError
	if !errors.As(err, &be) || !errors.Is(err, filelock.ErrBusy) || be.Holder != "the helper" {
		t.Fatalf("Acquire while another holds it: %v", err)
	}
	if waited := time.Since(start); waited < 200*time.Millisecond || waited > 2*time.Second {
		t.Fatalf("waited %v, want about 200 ms", waited)
	}
	if !strings.Contains(err.Error(), "the helper") {
		t.Fatalf("the message %q does not say who holds it", err)
	}
}

func TestLockReleasedAndTakenAgain(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".lock")
	l, err := filelock.Acquire(path, filelock.Me("a test"), 0)
	if err != nil {
		t.Fatal(err)
	}
	if h := filelock.Holder(path); !strings.HasPrefix(h, "a test (process ") {
		t.Fatalf("holder %q", h)
	}
	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
	l2, err := filelock.Acquire(path, "", 0)
	if err != nil {
		t.Fatalf("after Release: %v", err)
	}
	l2.Release()
}
