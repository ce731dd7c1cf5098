package album

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"sangstudio/internal/durable"
	"sangstudio/internal/filelock"
	"sangstudio/internal/openfile"
	"sangstudio/internal/words"
	"sangstudio/projects"
	"sangstudio/projects/library"
)

// Generations is how many earlier versions of album.json are kept
// (album.json.1 is the newest of them).
const Generations = projects.Generations

const (
	lockFile       = ".lock"
	fallbackFolder = "Album"
)

// ErrNotAnAlbum is returned (wrapped) when a folder has no album.json and
// no earlier generation of one.
var ErrNotAnAlbum = errors.New("not an album folder (no album.json)")

// LoadError names the album file and what is wrong with it; What is
// "album".
type LoadError = projects.LoadError

// Recovery tells that an album was opened from an earlier generation
// because album.json was damaged.
type Recovery = durable.Recovery

func generationPath(dir string, i int) string { return generations(dir).Name(i) }

// generations is album.json in dir with its earlier copies, kept as the
// song store keeps song.json's. A save's temporary file is
// .album.json.tmp-RANDOM; a damaged album.json (or one from a newer
// Sangstudio) is kept aside as album.json.damaged-TIME.
func generations(dir string) durable.Generations {
	return durable.Generations{
		Path:  filepath.Join(dir, FileName),
		Keep:  Generations,
		Temp:  "." + FileName + ".tmp-*",
		Perm:  projects.FilePerm,
		Valid: func(data []byte) error { _, err := Decode(data); return err },
	}
}

// Exists reports whether dir holds an album (album.json or a generation of it).
func Exists(dir string) bool {
	for i := 0; i <= Generations; i++ {
		if fi, err := os.Stat(generationPath(dir, i)); err == nil && fi.Mode().IsRegular() {
			return true
		}
	}
	return false
}

// Load reads the album in dir. If album.json is damaged (cut off, not JSON,
// invalid values), it opens the newest good earlier generation and returns
// a Recovery that says so. An album.json with an unknown schema version is
// an error (*SchemaError inside a *LoadError), never silently replaced.
func Load(dir string) (*Album, *Recovery, error) {
	path := filepath.Join(dir, FileName)
	a, err := loadFile(path)
	if err == nil {
		return a, nil, nil
	}
	var se *SchemaError
	if errors.As(err, &se) {
		return nil, nil, &LoadError{What: "album", Path: path, Err: err}
	}
	if ga, rec, ok := durable.Earlier(generations(dir), loadFile, err); ok {
		return ga, rec, nil
	}
	if errors.Is(err, fs.ErrNotExist) && !Exists(dir) {
		return nil, nil, &LoadError{What: "album", Path: dir, Err: ErrNotAnAlbum}
	}
	return nil, nil, &LoadError{What: "album", Path: path, Err: fmt.Errorf("%s, and no earlier copy could be opened", words.FileReason(err))}
}

func loadFile(path string) (*Album, error) {
	data, err := openfile.ReadFileLimit(path, maxFile+1) // a FIFO or a device is refused, not waited on
	if err != nil {
		return nil, err
	}
	return Decode(data)
}

// Save writes a to dir/album.json atomically and keeps the previous
// generations (album.json.1 … album.json.5, newest first). It sets the
// album's Schema and Generator. An invalid album is not saved. dir is
// created (0700) when missing; the file is 0600.
//
// As for songs (durable.Generations.Save): a crash at any point leaves
// album.json old or new, never half-written. A damaged album.json (or one
// from a newer Sangstudio) is kept aside as album.json.damaged-TIME instead
// of becoming a generation.
func Save(dir string, a *Album) error {
	a.Schema = Schema
	a.Generator = "Sangstudio"
	data, err := Encode(a)
	if err != nil {
		return fmt.Errorf("album: not saved: %w", err)
	}
	if err := os.MkdirAll(dir, projects.DirPerm); err != nil {
		return fmt.Errorf("album: cannot create folder %s: %w", dir, err)
	}
	unlock, err := lock(dir)
	if err != nil {
		return err
	}
	defer unlock()

	if err := generations(dir).Save(data, nil); err != nil {
		return fmt.Errorf("album: %w", err)
	}
	return nil
}

// lock takes the album folder's lock so two programs never interleave
// their saves, waiting up to projects.LockWait for another.
func lock(dir string) (func(), error) {
	l, err := filelock.Acquire(filepath.Join(dir, lockFile), filelock.Me("Sangstudio"), projects.LockWait)
	if errors.Is(err, filelock.ErrBusy) {
		return nil, fmt.Errorf("album: %s is busy (another Sangstudio is saving it): %w", dir, err)
	}
	if err != nil {
		return nil, fmt.Errorf("album: cannot lock %s: %w", dir, err)
	}
	return func() { l.Release() }, nil
}

// Create makes a new album titled title in a new folder under root and
// returns the folder. The folder is named as the library names song
// folders: the title's letters and digits (projects.SafeFileBase, so
// "Min CD" becomes "Min-CD"), "Album" when the title has none, with " 2",
// " 3", … when the name is taken by any entry of root (ignoring case). A
// blank title becomes the folder name.
func Create(root, title string) (string, error) {
	title = library.CleanTitle(title)
	if err := os.MkdirAll(root, projects.DirPerm); err != nil {
		return "", fmt.Errorf("cannot create the library folder %s: %w", root, err)
	}
	base := library.FolderBase(title, fallbackFolder)
	for tries := 0; tries < 1000; tries++ {
		name, err := library.UniqueName(root, base, "")
		if err != nil {
			return "", err
		}
		dir := filepath.Join(root, name)
		if err := os.Mkdir(dir, projects.DirPerm); errors.Is(err, fs.ErrExist) {
			continue // made by someone else just now
		} else if err != nil {
			return "", fmt.Errorf("cannot create the folder for the album %q in %s: %w", title, root, err)
		}
		t := title
		if t == "" {
			t = name
		}
		if err := Save(dir, New(t)); err != nil {
			os.RemoveAll(dir) // made just above; holds nothing else
			return "", fmt.Errorf("cannot create the album %q: %w", t, err)
		}
		durable.SyncDir(root)
		return dir, nil
	}
	return "", fmt.Errorf("cannot find a free folder name for the album %q in %s", title, root)
}

// Entry is one album as a list shows it.
type Entry struct {
	Dir      string    // full path of the album folder
	Title    string    // album title (the folder name if it is blank or cannot be read)
	Tracks   int       // number of tracks
	Modified time.Time // when album.json was last saved (its mtime)
	// Problem is "" when the album opened cleanly; otherwise one plain
	// sentence saying what is wrong.
	Problem string
}

// Problem sentences of Entry.
const (
	ProblemRecovered = "album.json was damaged; it opens from the save before"
	ProblemNewer     = "made by a newer Sangstudio"
	problemUnread    = "cannot be read: "
)

// List returns the albums in root (folders holding album.json or an earlier
// copy of it), newest change first. Hidden folders (such as the bin, .bin),
// links and song folders are skipped. A damaged album still appears, with
// Problem set.
func List(root string) ([]Entry, error) {
	des, err := os.ReadDir(root)
	if err != nil {
		return nil, fmt.Errorf("cannot read the library folder %s: %w", root, err)
	}
	var out []Entry
	for _, de := range des {
		name := de.Name()
		if strings.HasPrefix(name, ".") || !de.IsDir() { // IsDir is false for links
			continue
		}
		dir := filepath.Join(root, name)
		if !Exists(dir) {
			continue
		}
		e := Entry{Dir: dir, Title: name}
		a, rec, err := Load(dir)
		var se *SchemaError
		switch {
		case err == nil:
			if rec != nil {
				e.Problem = ProblemRecovered
			}
			if t := strings.TrimSpace(a.Title); t != "" {
				e.Title = t
			}
			e.Tracks = len(a.Tracks)
		case errors.As(err, &se) && se.Version > Schema:
			e.Problem = ProblemNewer
		default:
			var le *LoadError
			if errors.As(err, &le) {
				err = le.Err
			}
			e.Problem = problemUnread + err.Error()
		}
		for i := 0; i <= Generations; i++ {
			if fi, err := os.Stat(generationPath(dir, i)); err == nil {
				e.Modified = fi.ModTime()
				break
			}
		}
		out = append(out, e)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Modified.Equal(out[j].Modified) {
			return out[i].Modified.After(out[j].Modified)
		}
		return strings.ToLower(out[i].Dir) < strings.ToLower(out[j].Dir)
	})
	return out, nil
}
