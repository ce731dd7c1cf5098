package durable

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"sangstudio/internal/filelock"
)

// Files the program writes (renders, stems, song files, caches) are
// written under a temporary name beside the final one and renamed into
// place when complete (CreateTemp). A program killed while writing leaves
// its temporary file; the next writer into that folder removes it.
//
// Two things make that safe: the names carry the program's own marker
// (".NAME.tmp-sangstudio-RANDOM"), so no other program's file is ever
// matched; and a writer holds a lock on its temporary file
// (internal/filelock) until it has renamed or removed it, so a render
// running in another process at the same time keeps its file. The system
// drops the lock when a program dies: an unlocked temporary file is one
// nobody writes any more.

// tempMarker is in every temporary name CreateTemp makes.
const tempMarker = ".tmp-sangstudio-"

// IsTempName reports whether name (a file name, no folder) is a temporary
// file of the program's writers: ".NAME.tmp-sangstudio-DIGITS".
func IsTempName(name string) bool {
	i := strings.LastIndex(name, tempMarker)
	if i < 2 || name[0] != '.' {
		return false
	}
	digits := name[i+len(tempMarker):]
	if digits == "" {
		return false
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// CreateTemp creates the temporary file for a writer of path, in path's
// folder with mode perm, and locks it as in use. First it removes
// the temporary files killed writers left in that folder
// (RemoveStaleTemps). The caller writes the file (it may close it: the
// lock is held apart from it), renames it to path or removes it, and then
// calls release.
func CreateTemp(path string, perm fs.FileMode) (f *os.File, release func(), err error) {
	dir := filepath.Dir(path)
	RemoveStaleTemps(dir)
	for tries := 0; tries < 10; tries++ {
		f, err := os.CreateTemp(dir, "."+filepath.Base(path)+tempMarker+"*")
		if err != nil {
			return nil, nil, err
		}
		name := f.Name()
		if err := f.Chmod(perm); err != nil {
			f.Close()
			os.Remove(name)
			return nil, nil, err
		}
		// Another writer's RemoveStaleTemps may have removed the file
		// before it was locked: then the name holds another file (or
		// none), and a new name is tried.
		l, lerr := filelock.Acquire(name, "", 0)
		if lerr == nil && sameFile(f, name) {
			return f, func() { l.Release() }, nil
		}
		if lerr == nil {
			// Acquire made an empty file of its own under the free name.
			os.Remove(name)
			l.Release()
		}
		f.Close()
		if lerr != nil && !errors.Is(lerr, filelock.ErrBusy) {
			return nil, nil, lerr
		}
	}
	return nil, nil, fmt.Errorf("cannot create a temporary file in %s", dir)
}

// sameFile reports whether the name still holds the open file f.
func sameFile(f *os.File, name string) bool {
	a, err := f.Stat()
	if err != nil {
		return false
	}
	b, err := os.Lstat(name)
	return err == nil && os.SameFile(a, b)
}

// RemoveStaleTemps removes from dir the temporary files of the program's
// writers that no running writer holds (writers killed while writing left
// them), and returns their names. Only names CreateTemp makes are
// touched. Errors are not returned: what cannot be removed now is tried
// again by the next writer.
func RemoveStaleTemps(dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var removed []string
	for _, e := range entries {
		if !e.Type().IsRegular() || !IsTempName(e.Name()) {
			continue
		}
		if ok, _ := filelock.RemoveUnheld(filepath.Join(dir, e.Name())); ok {
			removed = append(removed, e.Name())
		}
	}
	return removed
}
