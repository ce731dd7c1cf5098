package durable_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"sangstudio/internal/durable"
)

func TestRenameNoReplace(t *testing.T) {
	dir := t.TempDir()
	from := filepath.Join(dir, "from")
	if err := os.Mkdir(from, 0o700); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "file")
	empty := filepath.Join(dir, "empty")
	os.WriteFile(file, []byte("x"), 0o600)
	os.Mkdir(empty, 0o700)
	for _, to := range []string{file, empty} {
		if err := durable.RenameNoReplace(from, to); !errors.Is(err, fs.ErrExist) {
			t.Errorf("RenameNoReplace onto %s = %v, want fs.ErrExist", filepath.Base(to), err)
		}
	}
	to := filepath.Join(dir, "to")
	if err := durable.RenameNoReplace(from, to); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(to); err != nil || !fi.IsDir() {
		t.Errorf("after RenameNoReplace: %v", err)
	}
}

func TestRenameReplaces(t *testing.T) {
	dir := t.TempDir()
	from, to := filepath.Join(dir, "new"), filepath.Join(dir, "old")
	os.WriteFile(from, []byte("new"), 0o600)
	os.WriteFile(to, []byte("old"), 0o600)
	if err := durable.Rename(from, to); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(to); err != nil || string(b) != "new" {
		t.Errorf("after Rename: %q, %v", b, err)
	}
	if _, err := os.Lstat(from); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the old name is still there: %v", err)
	}
}
