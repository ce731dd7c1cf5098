// Package library is the model behind the song library: the folder that
// holds a user's songs, one sub-folder per song, and its bin.
//
//	ROOT/<song folder>/song.json          a song (see package projects)
//	ROOT/.bin/<folder> <YYYY-MM-DD HHMMSS>  a deleted song, kept until the bin is emptied
//
// Nothing here touches anything outside ROOT: every folder passed in must be
// a direct child of ROOT (or of ROOT/.bin), moves are renames inside ROOT,
// and links are moved or removed, never followed. The package does no GUI
// work and may be called from any goroutine.
package library

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"

	"sangstudio/internal/durable"
	"sangstudio/internal/filelock"
	"sangstudio/internal/words"
	"sangstudio/projects"
	"sangstudio/projects/songlog"
)

// BinDir is the name of the bin folder inside Root.
const BinDir = ".bin"

const (
	maxFolderBytes = 80  // folder names made from titles
	maxTitleBytes  = 200 // as projects validates
	fallbackName   = "Song"
	binTimeLayout  = "2006-01-02 150405"
	listWorkers    = 8 // songs read at once by List
)

// Library is the folder that holds a user's songs, one sub-folder per song
// (default ~/Sangstudio).
type Library struct {
	Root string
}

// DefaultRoot returns $HOME/Sangstudio.
func DefaultRoot() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return "Sangstudio"
	}
	return filepath.Join(home, "Sangstudio")
}

// Open makes sure root exists (created 0700 if missing) and returns the
// library. Root is stored as a clean absolute path.
func Open(root string) (*Library, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("cannot use %s as the song library: %w", root, err)
	}
	if err := os.MkdirAll(abs, projects.DirPerm); err != nil {
		return nil, fmt.Errorf("cannot create the song library folder %s: %w", abs, err)
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("cannot open the song library folder %s: %w", abs, err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("cannot open the song library: %s is a file, not a folder", abs)
	}
	return &Library{Root: abs}, nil
}

// Entry is one song as the library shows it.
type Entry struct {
	Dir      string        // full path of the song folder
	Name     string        // folder base name; in the bin, the name it had before it was deleted
	Title    string        // song title (the folder name if the song cannot be read)
	Modified time.Time     // when song.json was last saved (its mtime)
	Length   time.Duration // the song's length (end of its last clip)
	Tracks   int           // number of tracks
	Takes    int           // recorded takes known to the song (len(Song.Takes)); audio files are not counted
	Bounce   string        // newest .wav in SONG_DIR/exports (by mtime), "" if none
	Deleted  time.Time     // when the song was moved to the bin; zero outside the bin
	// Log is the song's log in short (songlog): sessions, takes and copies.
	Log songlog.Summary
	// Problem is "" when the song opened cleanly; otherwise one plain
	// sentence saying what is wrong.
	Problem string
}

// Problem sentences.
const (
	ProblemRecovered = "song.json was damaged; it opens from the save before"
	ProblemNewer     = "made by a newer Sangstudio"
	ProblemMissing   = "some recordings are missing"
	problemUnread    = "cannot be read: "
	problemLink      = "a link to a folder elsewhere, not a song folder"
)

// List returns the songs in Root, newest change first. Sub-folders that hold
// no song (no song.json nor an earlier copy of it), hidden folders (names
// starting with "." such as .bin) and links are skipped. A damaged song still
// appears, with Problem set. Audio files are never read.
func (l *Library) List() ([]Entry, error) {
	des, err := os.ReadDir(l.Root)
	if err != nil {
		return nil, fmt.Errorf("cannot read the song library folder %s: %w", l.Root, err)
	}
	var names []string
	for _, de := range des {
		if !hidden(de.Name()) && de.IsDir() { // IsDir is false for links
			names = append(names, de.Name())
		}
	}
	// Songs are read in parallel: the time goes into file-system calls.
	all := make([]Entry, len(names))
	song := make([]bool, len(names))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(listWorkers, len(names)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				all[i], song[i] = readEntry(filepath.Join(l.Root, names[i]), names[i])
			}
		}()
	}
	for i := range names {
		next <- i
	}
	close(next)
	wg.Wait()
	out := make([]Entry, 0, len(names))
	for i, e := range all {
		if song[i] {
			out = append(out, e)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Modified.Equal(out[j].Modified) {
			return out[i].Modified.After(out[j].Modified)
		}
		return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name)
	})
	return out, nil
}

// readEntry describes the song in dir; problems go into Entry.Problem. It
// reports false when dir holds no song.
func readEntry(dir, name string) (Entry, bool) {
	e := Entry{Dir: dir, Name: name, Title: name}
	s, rec, err := projects.Load(dir)
	switch {
	case errors.Is(err, projects.ErrNotASong):
		return e, false
	case err == nil:
		if rec != nil {
			e.Problem = ProblemRecovered
		}
	case errors.As(err, new(*projects.MissingTakesError)):
		e.Problem = ProblemMissing
		s = looseSong(dir, true)
	case isNewer(err):
		e.Problem = ProblemNewer
		s = looseSong(dir, false)
	default:
		e.Problem = problemUnread + plainError(err)
	}
	if s != nil {
		if t := strings.TrimSpace(s.Title); t != "" {
			e.Title = t
		}
		if n, r := s.Length(), int64(s.Rate); r > 0 { // split so long songs do not overflow
			e.Length = time.Duration(n/r)*time.Second + time.Duration(n%r)*time.Second/time.Duration(r)
		}
		e.Tracks = len(s.Tracks)
		e.Takes = len(s.Takes)
	}
	e.Modified = songTime(dir)
	e.Bounce = newestBounce(dir)
	if es, _, err := songlog.Read(dir); err == nil { // a log that cannot be read shows no summary
		e.Log = songlog.Summarize(songlog.Sessions(es, time.Now(), false))
	}
	return e, true
}

// songTime is the mtime of song.json, else of its newest earlier copy, else
// of the folder.
func songTime(dir string) time.Time {
	names := []string{projects.SongFile}
	for i := 1; i <= projects.Generations; i++ {
		names = append(names, fmt.Sprintf("%s.%d", projects.SongFile, i))
	}
	names = append(names, "")
	for _, n := range names {
		if fi, err := os.Stat(filepath.Join(dir, n)); err == nil {
			return fi.ModTime()
		}
	}
	return time.Time{}
}

// looseSong reads song.json without validation, for a song that cannot be
// opened but whose file is readable JSON: it gives the title and, when all
// is true, the counts and length.
func looseSong(dir string, all bool) *projects.Song {
	data, err := os.ReadFile(filepath.Join(dir, projects.SongFile))
	if err != nil {
		return nil
	}
	var s projects.Song
	if err := json.Unmarshal(data, &s); err == nil && all {
		return &s
	}
	return &projects.Song{Title: s.Title}
}

func isNewer(err error) bool {
	var se *projects.SchemaError
	return errors.As(err, &se) && se.Version > projects.Schema
}

// plainError drops the "song: path:" prefix of a projects.LoadError.
func plainError(err error) string {
	var le *projects.LoadError
	if errors.As(err, &le) {
		return le.Err.Error()
	}
	return err.Error()
}

// newestBounce returns the newest .wav file in dir/exports, or "".
func newestBounce(dir string) string {
	exp := filepath.Join(dir, projects.ExportsDir)
	des, err := os.ReadDir(exp)
	if err != nil {
		return ""
	}
	var best string
	var bestTime time.Time
	for _, de := range des {
		n := de.Name()
		if hidden(n) || !de.Type().IsRegular() || !strings.EqualFold(filepath.Ext(n), ".wav") {
			continue
		}
		fi, err := de.Info()
		if err != nil {
			continue
		}
		if best == "" || fi.ModTime().After(bestTime) {
			best, bestTime = filepath.Join(exp, n), fi.ModTime()
		}
	}
	return best
}

// NewSong creates a new empty song titled title (at rate Hz; 0 means 48000)
// in a new folder named after the title, and returns the folder. The folder
// name keeps the title's letters and digits (projects.SafeFileBase), is
// "Song" when the title has none, and gets " 2", " 3", … when the name is
// taken (ignoring case). A blank title becomes the folder name.
func (l *Library) NewSong(title string, rate int) (string, error) {
	if rate == 0 {
		rate = projects.DefaultRate
	}
	if !projects.ValidRate(rate) {
		return "", fmt.Errorf("cannot create a song at %d Hz: use 44100, 48000 or 96000", rate)
	}
	title = CleanTitle(title)
	base := FolderBase(title, fallbackName)
	for tries := 0; tries < 1000; tries++ {
		name, err := UniqueName(l.Root, base, "")
		if err != nil {
			return "", err
		}
		dir := filepath.Join(l.Root, name)
		if err := os.Mkdir(dir, projects.DirPerm); errors.Is(err, fs.ErrExist) {
			continue // made by someone else just now
		} else if err != nil {
			return "", fmt.Errorf("cannot create the folder for %q in %s: %w", title, l.Root, err)
		}
		t := title
		if t == "" {
			t = name
		}
		if err := projects.Create(dir, projects.New(t, rate)); err != nil {
			os.RemoveAll(dir) // the folder made just above; nothing else is in it
			return "", fmt.Errorf("cannot create the song %q: %s", t, plainError(err))
		}
		durable.SyncDir(l.Root)
		return dir, nil
	}
	return "", fmt.Errorf("cannot find a free folder name for %q in %s", title, l.Root)
}

// Rename gives the song in dir a new title and renames its folder to match
// (made unique as in NewSong); it returns the song's folder afterwards. If
// the folder cannot be renamed, the new title is still saved, the old folder
// is kept and returned, and the error says so. A song that is locked by
// another program (a flock on SONG_DIR/.lock), cannot be opened, or was made
// by a newer Sangstudio is left unchanged.
func (l *Library) Rename(dir, title string) (string, error) {
	dir, name, err := l.child(l.Root, dir, "song folder")
	if err != nil {
		return "", err
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return "", fmt.Errorf("cannot rename %q: %w", name, notFound(err))
	}
	if !fi.IsDir() {
		return "", fmt.Errorf("cannot rename %q: it is not a song folder", name)
	}
	title = CleanTitle(title)
	if title == "" {
		return "", fmt.Errorf("cannot rename %q: the new title is empty", name)
	}
	if err := checkUnlocked(dir); err != nil {
		return "", fmt.Errorf("cannot rename %q: %w", name, err)
	}
	s, _, err := projects.Load(dir)
	if err != nil {
		if isNewer(err) {
			return "", fmt.Errorf("cannot rename %q: it was %s", name, ProblemNewer)
		}
		return "", fmt.Errorf("cannot rename %q: %s", name, plainError(err))
	}
	if s.Title != title {
		_, _, err := projects.Change(dir, "the song library", func(s *projects.Song) error {
			s.Title = title
			return nil
		})
		if err != nil {
			return "", fmt.Errorf("cannot rename %q: %s", name, plainError(err))
		}
	}
	newName, err := UniqueName(l.Root, FolderBase(title, fallbackName), name)
	if err != nil || newName == name {
		return dir, err
	}
	unlock, err := tryLock(dir)
	if err == nil {
		newDir := filepath.Join(l.Root, newName)
		err = os.Rename(dir, newDir)
		unlock()
		if err == nil {
			durable.SyncDir(l.Root)
			return newDir, nil
		}
	}
	return dir, fmt.Errorf("the title was changed to %q, but the folder %q could not be renamed: %w", title, name, err)
}

// Delete moves the song in dir to the bin (Root/.bin/<folder name>
// <YYYY-MM-DD HHMMSS>); nothing is removed. A link is moved as a link, never
// followed. A song locked by another program is left in place.
func (l *Library) Delete(dir string) error {
	dir, name, err := l.child(l.Root, dir, "song folder")
	if err != nil {
		return err
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("cannot move %q to the bin: %w", name, notFound(err))
	}
	switch {
	case fi.Mode()&fs.ModeSymlink != 0:
	case !fi.IsDir() || !projects.Exists(dir):
		return fmt.Errorf("cannot move %q to the bin: it is not a song folder", name)
	default:
		if err := checkUnlocked(dir); err != nil {
			return fmt.Errorf("cannot move %q to the bin: %w", name, err)
		}
	}
	bin, err := l.bin(true)
	if err != nil {
		return err
	}
	stamp := name + " " + time.Now().Format(binTimeLayout)
	target := filepath.Join(bin, stamp)
	for i := 2; exists(target); i++ {
		target = filepath.Join(bin, fmt.Sprintf("%s %d", stamp, i))
	}
	if err := os.Rename(dir, target); err != nil {
		return fmt.Errorf("cannot move %q to the bin: %w", name, err)
	}
	durable.SyncDir(bin)
	durable.SyncDir(l.Root)
	return nil
}

// binName matches "<folder name> <YYYY-MM-DD HHMMSS>[ N]".
var binName = regexp.MustCompile(`^(.+) (\d{4}-\d\d-\d\d \d{6})(?: \d+)?$`)

// parseBinName returns the folder name a bin entry had and when it was
// deleted (zero when the name does not say).
func parseBinName(n string) (string, time.Time) {
	m := binName.FindStringSubmatch(n)
	if m == nil {
		return n, time.Time{}
	}
	t, err := time.ParseInLocation(binTimeLayout, m[2], time.Local)
	if err != nil {
		return n, time.Time{}
	}
	return m[1], t
}

// Bin lists the songs in the bin, newest deletion first. Dir points into the
// bin, Name is the folder name before deletion, Deleted is taken from the
// bin folder's name (or its modification time). A link in the bin is listed
// with a Problem and is not followed.
func (l *Library) Bin() ([]Entry, error) {
	bin, err := l.bin(false)
	if err != nil || bin == "" {
		return nil, err
	}
	des, err := os.ReadDir(bin)
	if err != nil {
		return nil, fmt.Errorf("cannot read the bin %s: %w", bin, err)
	}
	var out []Entry
	for _, de := range des {
		if hidden(de.Name()) {
			continue
		}
		dir := filepath.Join(bin, de.Name())
		name, deleted := parseBinName(de.Name())
		var e Entry
		if de.IsDir() {
			e, _ = readEntry(dir, name) // listed even when it holds no song
		} else {
			e = Entry{Dir: dir, Name: name, Title: name, Problem: problemLink}
			if de.Type()&fs.ModeSymlink == 0 {
				e.Problem = "not a song folder"
			}
		}
		if deleted.IsZero() {
			if fi, err := os.Lstat(dir); err == nil {
				deleted = fi.ModTime()
			}
		}
		e.Deleted = deleted
		out = append(out, e)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Deleted.Equal(out[j].Deleted) {
			return out[i].Deleted.After(out[j].Deleted)
		}
		return out[i].Dir < out[j].Dir
	})
	return out, nil
}

// Restore moves a song from the bin (binDir, a direct child of Root/.bin)
// back into Root under the name it had (with " 2", " 3", … if that name is
// now taken) and returns its new folder.
func (l *Library) Restore(binDir string) (string, error) {
	bin, err := l.bin(false)
	if err != nil {
		return "", err
	}
	if bin == "" {
		return "", errors.New("cannot restore: the bin is empty")
	}
	binDir, n, err := l.child(bin, binDir, "song in the bin")
	if err != nil {
		return "", err
	}
	name, _ := parseBinName(n)
	if _, err := os.Lstat(binDir); err != nil {
		return "", fmt.Errorf("cannot restore %q: %w", name, notFound(err))
	}
	newName, err := UniqueName(l.Root, name, "")
	if err != nil {
		return "", err
	}
	newDir := filepath.Join(l.Root, newName)
	if err := os.Rename(binDir, newDir); err != nil {
		return "", fmt.Errorf("cannot restore %q: %w", name, err)
	}
	durable.SyncDir(bin)
	durable.SyncDir(l.Root)
	return newDir, nil
}

// EmptyBin permanently removes what is in Root/.bin and returns how many
// songs (entries Bin lists) were removed. Links in the bin are removed
// themselves; what they point at is never touched.
func (l *Library) EmptyBin() (int, error) {
	bin, err := l.bin(false)
	if err != nil || bin == "" {
		return 0, err
	}
	des, err := os.ReadDir(bin)
	if err != nil {
		return 0, fmt.Errorf("cannot read the bin %s: %w", bin, err)
	}
	n := 0
	var firstErr error
	for _, de := range des {
		p := filepath.Join(bin, de.Name())
		if filepath.Dir(p) != bin { // never anything outside the bin
			continue
		}
		// RemoveAll unlinks a link without following it, and never
		// follows links inside the folders it removes.
		if err := os.RemoveAll(p); err != nil {
			if firstErr == nil {
				firstErr = fmt.Errorf("cannot remove %q from the bin: %w", de.Name(), err)
			}
			continue
		}
		if !hidden(de.Name()) {
			n++
		}
	}
	durable.SyncDir(bin)
	return n, firstErr
}

// bin returns Root/.bin, creating it when create is set; "" when it does not
// exist. It refuses a bin that is a link or a file.
func (l *Library) bin(create bool) (string, error) {
	bin := filepath.Join(l.Root, BinDir)
	fi, err := os.Lstat(bin)
	if errors.Is(err, fs.ErrNotExist) {
		if !create {
			return "", nil
		}
		if err := os.Mkdir(bin, projects.DirPerm); err != nil && !errors.Is(err, fs.ErrExist) {
			return "", fmt.Errorf("cannot create the bin %s: %w", bin, err)
		}
		fi, err = os.Lstat(bin)
	}
	if err != nil {
		return "", fmt.Errorf("cannot open the bin %s: %w", bin, err)
	}
	if !fi.IsDir() {
		return "", fmt.Errorf("the bin %s is not a plain folder (a link or a file); Sangstudio will not use it", bin)
	}
	return bin, nil
}

// child checks that p (cleaned, made absolute) is a direct, non-hidden child
// of parent and returns it with its base name.
func (l *Library) child(parent, p, what string) (string, string, error) {
	if strings.TrimSpace(p) == "" {
		return "", "", fmt.Errorf("no %s was given", what)
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", "", fmt.Errorf("%s is not a usable path: %w", p, err)
	}
	name := filepath.Base(abs)
	if filepath.Dir(abs) != parent || hidden(name) {
		return "", "", fmt.Errorf("%s is not a %s: Sangstudio only changes folders directly inside %s", p, what, parent)
	}
	return abs, name, nil
}

// checkUnlocked fails when the song is open in a window or another
// program is changing it.
func checkUnlocked(dir string) error {
	unlock, err := tryLock(dir)
	if err != nil {
		return err
	}
	unlock()
	return nil
}

// errLocked is returned when the song is open in a Sangstudio window.
var errLocked = errors.New("the song is open in another window")

// tryLock takes the song's lock (the one its writers take) without
// waiting long, after checking that no window has the song open.
func tryLock(dir string) (func(), error) {
	if _, open := projects.OpenInWindow(dir); open {
		return nil, errLocked
	}
	l, err := filelock.Acquire(filepath.Join(dir, ".lock"), filelock.Me("the song library"), 0)
	if errors.Is(err, filelock.ErrBusy) {
		return nil, fmt.Errorf("another program is changing the song (%w)", err)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot check whether the song is in use: %w", err)
	}
	return func() { l.Release() }, nil
}

// UniqueName returns base, or base with " 2", " 3", … appended, so that no
// entry of parent has the name (ignoring case). The entry named except (a
// folder being renamed) does not count. Albums are named the same way.
func UniqueName(parent, base, except string) (string, error) {
	des, err := os.ReadDir(parent)
	if err != nil {
		return "", fmt.Errorf("cannot read the song library folder %s: %w", parent, err)
	}
	taken := map[string]bool{}
	for _, de := range des {
		if de.Name() != except {
			taken[strings.ToLower(de.Name())] = true
		}
	}
	name := base
	for i := 2; taken[strings.ToLower(name)]; i++ {
		name = fmt.Sprintf("%s %d", base, i)
	}
	return name, nil
}

// FolderBase makes a folder name from a title: its letters and digits
// (projects.SafeFileBase), or fallback when it has none.
func FolderBase(title, fallback string) string {
	if strings.IndexFunc(title, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) < 0 {
		return fallback
	}
	return projects.SafeFileBase(title, maxFolderBytes)
}

// CleanTitle makes a title storable: valid UTF-8, control characters as
// spaces, trimmed, at most 200 bytes (as projects validates).
func CleanTitle(t string) string { return words.OneLine(t, "", maxTitleBytes) }

func hidden(name string) bool { return strings.HasPrefix(name, ".") }

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

// notFound words a missing folder plainly.
func notFound(err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return errors.New("the folder no longer exists")
	}
	return err
}
