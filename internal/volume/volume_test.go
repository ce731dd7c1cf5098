package volume_test

import (
	"os"
	"path/filepath"
	"testing"

	"sangstudio/internal/volume"
)

func TestStat(t *testing.T) {
	dir := t.TempDir()
	in, err := volume.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if in.Total <= 0 || in.Free < 0 || in.Free > in.Total || in.Block <= 0 || in.ReadOnly {
		t.Errorf("Stat(%s) = %+v", dir, in)
	}
	if _, err := volume.Stat(filepath.Join(dir, "none")); !os.IsNotExist(err) {
		t.Errorf("Stat of a missing folder: %v, want not-exist", err)
	}
}

func TestFreeAsksTheNearestParent(t *testing.T) {
	dir := t.TempDir()
	want, ok := volume.Free(dir)
	if !ok || want <= 0 {
		t.Fatalf("Free(%s) = %d, %v", dir, want, ok)
	}
	got, ok := volume.Free(filepath.Join(dir, "not", "made", "yet"))
	if !ok || got <= 0 {
		t.Errorf("Free of a folder not made yet = %d, %v", got, ok)
	}
}
