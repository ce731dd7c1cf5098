package durable_test

import (
	"path/filepath"
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
