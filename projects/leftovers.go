package projects

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"sangstudio/internal/durable"
	"sangstudio/internal/filelock"
)

// Leftovers are files in a song's audio/ folder that the song does not use:
// takes a killed program left (an import, a recording whose song was never
// saved), or takes whose clips were removed long ago. They may be the only
// copy of something, so they are never deleted silently: `info` and the
// window list them, and `tidy` (or the window) moves them into the song's
// bin (BinDir) or brings them back as tracks, after asking.
//
// A take is used when any song document kept in the folder names it:
// song.json, its earlier generations (song.json.1 …), a copy the window
// saved aside (song.json.window-…), a damaged song.json set aside, the undo
// history's snapshots (.history/, also a damaged one set aside), and the
// recording journal (RecordingJournal: takes a crash left, which the next
// opening recovers). A document that cannot be read as a song is searched
// for take names all the same: a take is never called a leftover because a
// file naming it is damaged.

// BinDir is the song's bin: the folder inside the song folder that
// leftovers are moved into. Nothing in it is part of the song, and nothing
// in it is ever deleted by the program.
const BinDir = "bin"

// RecordingJournal is the file in the song folder that lists the takes
// being recorded (audio/session), so that a crash loses none of them.
const RecordingJournal = ".recording.json"

// LeftoverKind says what a leftover file is.
type LeftoverKind int

const (
	// LeftoverTake is a take no version of the song uses.
	LeftoverTake LeftoverKind = iota
	// LeftoverImport is an unfinished import (a killed import's partial
	// copy of a file the user still has; see Incoming).
	LeftoverImport
)

func (k LeftoverKind) String() string {
	if k == LeftoverImport {
		return "an unfinished import"
	}
	return "a take no version of the song uses"
}

// Leftover is one file in audio/ the song does not use.
type Leftover struct {
	Name string // file name inside audio/
	Size int64  // bytes
	Kind LeftoverKind
}

// MIDI reports whether the leftover is a MIDI take.
func (l Leftover) MIDI() bool { return l.Kind == LeftoverTake && IsMIDITake(l.Name) }

// LeftoversSize is the total size of list in bytes.
func LeftoversSize(list []Leftover) int64 {
	var n int64
	for _, l := range list {
		n += l.Size
	}
	return n
}

// Leftovers lists the files in dir's audio/ folder the song does not use
// (see above), by name. It only reads: a read-only song works. Files that
// are not regular files (folders, links) are not listed, nor are an
// import's temporary files while the import still runs, nor other hidden
// files.
func Leftovers(dir string) ([]Leftover, error) {
	entries, err := os.ReadDir(filepath.Join(dir, AudioDir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot list the takes of %s: %w", dir, err)
	}
	used, err := UsedTakes(dir)
	if err != nil {
		return nil, err
	}
	var out []Leftover
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || used[name] {
			continue
		}
		kind := LeftoverTake
		if strings.HasPrefix(name, ".") {
			if !IsIncomingName(name) {
				continue
			}
			if held, err := filelock.Held(filepath.Join(dir, AudioDir, name)); err != nil || held {
				continue // an import is writing it now
			}
			kind = LeftoverImport
		}
		fi, err := e.Info()
		if err != nil {
			continue // removed meanwhile
		}
		out = append(out, Leftover{Name: name, Size: fi.Size(), Kind: kind})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// UsedTakes is the set of take names the song documents in dir name (see
// above).
func UsedTakes(dir string) (map[string]bool, error) {
	used := map[string]bool{}
	var docs []string
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("cannot read the song folder %s: %w", dir, err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), SongFile) || e.Name() == RecordingJournal {
			docs = append(docs, filepath.Join(dir, e.Name()))
		}
	}
	for _, h := range []string{".history", ".history.damaged"} {
		hs, _ := os.ReadDir(filepath.Join(dir, h))
		for _, e := range hs {
			if strings.HasSuffix(e.Name(), ".json") {
				docs = append(docs, filepath.Join(dir, h, e.Name()))
			}
		}
	}
	for _, p := range docs {
		if err := takesNamedIn(p, used); err != nil {
			return nil, err
		}
	}
	return used, nil
}

// takeKey finds "take": "…" and "file": "…" in a document that is not
// valid JSON (cut off, damaged).
var takeKey = regexp.MustCompile(`"(?:take|file)"\s*:\s*("(?:[^"\\]|\\.)*")`)

// takesNamedIn adds to used every take name the document at path names:
// the values of its "take" (clips) and "file" (the take list, the journal)
// keys, wherever they are.
func takesNamedIn(path string, used map[string]bool) error {
	fi, err := os.Lstat(path)
	if err != nil || !fi.Mode().IsRegular() {
		return nil // gone meanwhile, or not a file the program wrote
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("cannot read %s to see which takes it uses: %w", path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxSongFile))
	if err != nil {
		return fmt.Errorf("cannot read %s to see which takes it uses: %w", path, err)
	}
	var doc any
	if json.Unmarshal(data, &doc) == nil {
		walkTakes(doc, used)
		return nil
	}
	for _, m := range takeKey.FindAllSubmatch(data, -1) {
		var s string
		if json.Unmarshal(m[1], &s) == nil {
			used[s] = true
		}
	}
	return nil
}

func walkTakes(v any, used map[string]bool) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if s, ok := x.(string); ok && (k == "take" || k == "file") {
				used[s] = true
				continue
			}
			walkTakes(x, used)
		}
	case []any:
		for _, x := range v {
			walkTakes(x, used)
		}
	}
}

// Binned is one leftover moved into the song's bin.
type Binned struct {
	Name string // its name in audio/
	Bin  string // its name in BinDir (another if that name was taken)
}

// TidyResult is what BinLeftovers did.
type TidyResult struct {
	Binned  []Binned
	Removed []string // unfinished imports removed (partial copies)
	// Skipped are files of the list that are no longer leftovers (a
	// version of the song uses them now, or they changed or went).
	Skipped []string
}

// BinLeftovers moves the leftovers in list (from Leftovers, as shown to
// the user) into dir's bin (BinDir), and removes the unfinished imports
// in it, holding the song's lock. A file that is no longer a leftover, or
// changed size since it was listed, is skipped. who says what is tidying
// (a writer waiting for the lock is told). A song open in a window or being
// recorded is not touched (an *OpenError).
func BinLeftovers(dir, who string, list []Leftover) (*TidyResult, error) {
	if holder, open := OpenInWindow(dir); open {
		return nil, &OpenError{Dir: dir, Holder: holder}
	}
	return binLeftovers(dir, who, list)
}

// BinLeftovers is BinLeftovers for the program that holds the song open.
func (o *Opened) BinLeftovers(who string, list []Leftover) (*TidyResult, error) {
	return binLeftovers(o.dir, who, list)
}

func binLeftovers(dir, who string, list []Leftover) (*TidyResult, error) {
	l, err := lockSong(dir, filelock.Me(who))
	if err != nil {
		return nil, err
	}
	defer l.Release()
	now, err := Leftovers(dir)
	if err != nil {
		return nil, err
	}
	still := map[string]Leftover{}
	for _, x := range now {
		still[x.Name] = x
	}
	res := &TidyResult{}
	audio := filepath.Join(dir, AudioDir)
	bin := filepath.Join(dir, BinDir)
	for _, x := range list {
		cur, ok := still[x.Name]
		if !ok || cur.Size != x.Size || cur.Kind != x.Kind {
			res.Skipped = append(res.Skipped, x.Name)
			continue
		}
		from := filepath.Join(audio, x.Name)
		if x.Kind == LeftoverImport {
			if ok, err := filelock.RemoveUnheld(from); err != nil {
				return res, fmt.Errorf("cannot remove the unfinished import %s: %w", from, err)
			} else if ok {
				res.Removed = append(res.Removed, x.Name)
			} else {
				res.Skipped = append(res.Skipped, x.Name)
			}
			continue
		}
		if err := os.MkdirAll(bin, DirPerm); err != nil {
			return res, fmt.Errorf("cannot make the song's bin %s: %w", bin, err)
		}
		name, err := moveNoReplace(from, bin, x.Name)
		if err != nil {
			return res, fmt.Errorf("cannot move %s into the song's bin: %w", from, err)
		}
		res.Binned = append(res.Binned, Binned{Name: x.Name, Bin: name})
	}
	if len(res.Binned) > 0 {
		if err := durable.SyncDir(bin); err != nil {
			return res, err
		}
	}
	if len(res.Binned)+len(res.Removed) > 0 {
		if err := durable.SyncDir(audio); err != nil {
			return res, err
		}
	}
	return res, nil
}

// moveNoReplace moves the file from into the folder to under name, or
// under "name (2)", "name (3)" … if that is taken, never over a file, and
// returns the name used.
func moveNoReplace(from, to, name string) (string, error) {
	ext := filepath.Ext(name)
	base := strings.TrimSuffix(name, ext)
	for i := 1; i < 10000; i++ {
		n := name
		if i > 1 {
			n = fmt.Sprintf("%s (%d)%s", base, i, ext)
		}
		dst := filepath.Join(to, n)
		// A hard link fails if the name is taken, so nothing is ever
		// written over; disks without hard links (FAT on a stick) get a
		// check and a rename (the song's lock keeps other writers out).
		err := os.Link(from, dst)
		if err == nil {
			if err := os.Remove(from); err != nil {
				os.Remove(dst)
				return "", err
			}
			return n, nil
		}
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if _, serr := os.Lstat(dst); serr == nil {
			continue
		} else if !errors.Is(serr, fs.ErrNotExist) {
			return "", serr
		}
		if err := os.Rename(from, dst); err != nil {
			return "", err
		}
		return n, nil
	}
	return "", fmt.Errorf("no free name for %s in %s", name, to)
}
