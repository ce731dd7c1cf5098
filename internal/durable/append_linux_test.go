package durable_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"sangstudio/internal/durable"
)

// TestAppendLineRefusesAFIFO: a named pipe where the log should be is
// refused at once instead of blocking.
func TestAppendLineRefusesAFIFO(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log.jsonl")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	if err := durable.AppendLine(path, []byte("x"), 0o600); err == nil {
		t.Fatal("appending to a FIFO succeeded")
	}
}

// TestAppendLineOnAFullDisk: a log that cannot get its first line (the
// disk is full) is not left behind, empty; one that exists keeps its lines.
func TestAppendLineOnAFullDisk(t *testing.T) {
	// A full disk: a tiny tmpfs where mounting is allowed (else skipped;
	// cmd/sangstudio's TestRecordingFillsTheDisk covers it there too).
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=4k", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small tmpfs: %v %s", err, out)
	}
	defer exec.Command("umount", dir).Run()
	filler := filepath.Join(dir, "filler")
	os.WriteFile(filler, make([]byte, 64<<10), 0o600) // fills it (short write)
	path := filepath.Join(dir, "log.jsonl")
	if err := durable.AppendLine(path, []byte(strings.Repeat("x", 8000)), 0o600); err == nil {
		t.Fatal("appending to a full disk succeeded")
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("an empty log was left behind: %v", err)
	}
}
