package testtool

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"sangstudio/internal/fserr"
)

// Listing describes every file and folder under dir, one line each in
// name order: name, mode, size, modification time and a hash of the
// content. Two listings differ when anything under dir was made, removed,
// changed or touched.
func Listing(t testing.TB, dir string) string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		line := fmt.Sprintf("%s %v %d %d", p, fi.Mode(), fi.Size(), fi.ModTime().UnixNano())
		if fi.Mode().IsRegular() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			h := sha256.Sum256(b)
			line += " " + hex.EncodeToString(h[:8])
		}
		lines = append(lines, line)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// FillDisk writes the file at path until its disk is full (SmallDisk
// makes a disk to fill).
func FillDisk(t testing.TB, path string) {
	t.Helper()
	full := fserr.IsDiskFull
	f, err := os.Create(path)
	if err != nil {
		if full(err) {
			return
		}
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	for {
		if _, err := f.Write(buf); err != nil {
			if !full(err) {
				t.Fatal(err)
			}
			return
		}
	}
}
