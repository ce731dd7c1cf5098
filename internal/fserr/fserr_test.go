package fserr_test

import (
	"os"
	"path/filepath"
	"testing"

	"sangstudio/internal/fserr"
	"sangstudio/internal/testtool"
)

// TestCheckWritable: a folder with room is writable; on a full disk and
// in a read-only folder the reason comes in plain words.
func TestCheckWritable(t *testing.T) {
	dir := t.TempDir()
	if err := fserr.CheckWritable(dir, 1000); err != nil {
		t.Fatalf("a temporary folder: %v", err)
	}
	if err := fserr.CheckWritable(filepath.Join(dir, "missing"), 1); err == nil || err.Error() != "the file or folder does not exist" {
		t.Errorf("a missing folder: %v", err)
	}
	small := testtool.SmallDisk(t, "64k")
	if err := fserr.CheckWritable(small, 1000); err != nil {
		t.Fatalf("an empty small disk: %v", err)
	}
	if err := fserr.CheckWritable(small, 1<<20); err == nil || err.Error() != "the disk is full" || !fserr.IsDiskFull(err) {
		t.Errorf("1 MB on a 64 kB disk: %v", err)
	}
	if err := os.WriteFile(filepath.Join(small, "filler"), make([]byte, 64<<10), 0o600); err == nil {
		t.Log("the filler fitted exactly")
	}
	if err := fserr.CheckWritable(small, 1); err == nil || !fserr.IsDiskFull(err) {
		t.Errorf("a full disk: %v", err)
	}
}
