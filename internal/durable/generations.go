package durable

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"sangstudio/internal/words"
)

// Generations is a file saved with earlier copies of it kept beside it:
// NAME.1 (the newest earlier copy) … NAME.Keep. The song store
// (song.json) and the album store (album.json) keep theirs so.
type Generations struct {
	Path string // the file, e.g. SONG/song.json
	Keep int    // how many earlier copies are kept
	// Temp is the os.CreateTemp pattern of the temporary file a save
	// writes in Path's folder. The caller holds the folder's lock while it
	// saves, so the temporary files matching it are those a killed save
	// left: Save removes them.
	Temp string
	Perm fs.FileMode // the mode of the file
	// Valid says what is wrong with a file's content (nil if nothing). A
	// current file that is not valid is set aside as NAME.damaged-TIME
	// instead of becoming a generation.
	Valid func(data []byte) error
}

// Name is the path of generation i: Path itself for 0, NAME.i after.
func (g Generations) Name(i int) string {
	if i == 0 {
		return g.Path
	}
	return fmt.Sprintf("%s.%d", g.Path, i)
}

// Steps is the number of points at which Save calls its step function.
func (g Generations) Steps() int { return 5 + g.Keep }

// Save writes data as the file and keeps the earlier ones.
//
// The sequence: write a temporary file, fsync it; shift the generations;
// hard-link the current file as NAME.1 (it stays in place); rename the
// temporary file over the file; fsync the folder. A crash at any point
// leaves the file old or new, never half-written, and every step is
// repeated safely by the next save.
//
// step, if not nil, is called before each step with its number (1 to
// Steps); when it returns false the save stops there as a crash would,
// leaving what a crash leaves, and returns nil.
func (g Generations) Save(data []byte, step func(n int) bool) error {
	at := func(n int) bool { return step == nil || step(n) }
	dir := filepath.Dir(g.Path)
	if stale, _ := filepath.Glob(filepath.Join(dir, g.Temp)); len(stale) > 0 {
		for _, f := range stale {
			os.Remove(f)
		}
	}
	tmp, err := os.CreateTemp(dir, g.Temp)
	if err != nil {
		return fmt.Errorf("cannot save in %s: %w", dir, err)
	}
	tmpName := tmp.Name()
	ok, crashed := false, false
	defer func() {
		if !ok {
			tmp.Close()
			if !crashed {
				os.Remove(tmpName)
			}
		}
	}()
	stop := func(n int) bool {
		crashed = !at(n)
		return crashed
	}
	if err := tmp.Chmod(g.Perm); err != nil {
		return err
	}
	if stop(1) {
		return nil
	}
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("cannot save %s: %w", g.Path, err)
	}
	if stop(2) {
		return nil
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("cannot save %s: %w", g.Path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("cannot save %s: %w", g.Path, err)
	}
	if done, err := g.keep(stop); done || err != nil {
		return err
	}
	if stop(4 + g.Keep) {
		return nil
	}
	if err := rename(tmpName, g.Path); err != nil {
		return fmt.Errorf("cannot save %s: %w", g.Path, err)
	}
	ok = true
	if stop(5 + g.Keep) {
		return nil
	}
	return SyncDir(dir)
}

// keep makes the current file generation 1 (shifting the others), or sets
// it aside when it is damaged. stopped is true when stop ended the save.
func (g Generations) keep(stop func(n int) bool) (stopped bool, err error) {
	cur, err := os.ReadFile(g.Path)
	if err != nil {
		return false, nil // none yet (or unreadable: it is replaced)
	}
	if g.Valid(cur) != nil {
		return false, SetAside(g.Path, DamagedName(g.Path))
	}
	for i := g.Keep - 1; i >= 1; i-- {
		if stop(3 + g.Keep - i) {
			return true, nil
		}
		if err := rename(g.Name(i), g.Name(i+1)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return false, fmt.Errorf("keeping earlier versions: %w", err)
		}
	}
	if stop(3 + g.Keep) {
		return true, nil
	}
	g1 := g.Name(1)
	os.Remove(g1) // normally already moved to .2
	if err := os.Link(g.Path, g1); err != nil {
		if err := WriteFile(g1, cur, g.Perm); err != nil {
			return false, fmt.Errorf("keeping earlier versions: %w", err)
		}
	}
	return false, nil
}

// DamagedName is the name a damaged file is set aside under:
// NAME.damaged-TIME (local time, to the second).
func DamagedName(path string) string {
	return fmt.Sprintf("%s.damaged-%s", path, time.Now().Format("20060102-150405"))
}

// SetAside moves a damaged file or folder at path to aside (replacing
// what was there), so that it is kept but no longer read, and syncs the
// folder. The error is that of the move: a folder that cannot be synced
// is left to the next write's SyncDir.
func SetAside(path, aside string) error {
	if err := os.RemoveAll(aside); err != nil {
		return err
	}
	if err := rename(path, aside); err != nil {
		return err
	}
	_ = SyncDir(filepath.Dir(path))
	return nil
}

// Recovery tells that a file was opened from an earlier generation
// because it was damaged. It is a note for the user, not a failure: it is
// an error only so that the window says it as it says errors (ui/explain,
// in its language); Error is the English of the command line.
type Recovery struct {
	File    string    // the damaged file's name, e.g. song.json
	From    string    // the file read instead, e.g. song.json.1
	SavedAt time.Time // when that generation was saved
	Reason  string    // what was wrong with the file
}

func (r *Recovery) String() string { return r.Error() }

func (r *Recovery) Error() string {
	return fmt.Sprintf("%s was damaged (%s); opened the copy saved %s (%s)",
		r.File, r.Reason, r.SavedAt.Format("2006-01-02 15:04"), r.From)
}

// Earlier opens the newest earlier generation that open accepts, when the
// file itself could not be opened (damaged says why), and returns it with
// the Recovery that says so. ok is false when none opens.
func Earlier[T any](g Generations, open func(path string) (T, error), damaged error) (v T, rec *Recovery, ok bool) {
	for i := 1; i <= g.Keep; i++ {
		p := g.Name(i)
		v, err := open(p)
		if err != nil {
			continue
		}
		rec := &Recovery{File: filepath.Base(g.Path), From: filepath.Base(p), Reason: words.FileReason(damaged)}
		if fi, err := os.Stat(p); err == nil {
			rec.SavedAt = fi.ModTime()
		}
		return v, rec, true
	}
	return v, nil, false
}
