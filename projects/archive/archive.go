// Package archive moves a song to another machine as one zip file (a song
// archive) and brings it back into a song library.
//
// An archive holds one song folder: song.json and the take files its clips
// (on every take lane) point at, under "<folder name>/". Nothing else goes
// in: not the earlier generations of song.json, the undo history, the
// caches, the lock files or the exports.
//
// Import treats every archive as hostile: it refuses entries outside one top
// folder, absolute paths, "..", backslashes, drive letters, names that are
// not UTF-8, links and other non-regular files, duplicate names (also when
// they differ only in case), sizes beyond the limits or the free space, and
// entries holding more (or other) data than they declare. It extracts into
// a hidden private folder inside the library, checks that the result opens
// as a song, and only then renames it into place; on any failure the
// library is left exactly as it was.
package archive

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"sangstudio/internal/durable"
	"sangstudio/internal/openfile"
	"sangstudio/internal/volume"
	"sangstudio/projects"
	"sangstudio/projects/songlog"
)

// Limits on what Import accepts.
const (
	MaxEntrySize  = 4 << 30  // uncompressed bytes of one entry
	MaxTotalSize  = 16 << 30 // uncompressed bytes of all entries
	MaxEntries    = 100000   // entries in one archive
	maxNameLength = 1024     // bytes of one entry name
)

// Error is a refused or failed archive: it names the archive and, when
// one entry is the reason, the entry.
type Error struct {
	Archive string
	Entry   string // "" when the archive as a whole is the reason
	Err     error
}

func (e *Error) Error() string {
	if e.Entry != "" {
		return fmt.Sprintf("song archive %s: entry %q: %v", e.Archive, e.Entry, e.Err)
	}
	return fmt.Sprintf("song archive %s: %v", e.Archive, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Export writes the song in songDir to zipPath as a song archive. The file
// is written under a temporary name in the same folder, fsync'd and renamed
// only when complete (mode 0600); a failure or a cancelled ctx leaves no
// file. Only regular files are archived: a take that is a link is refused.
func Export(ctx context.Context, songDir, zipPath string) (err error) {
	top, songJSON, takes, err := exportContents(songDir)
	if err != nil {
		return err
	}
	tmp, err := durable.Create(zipPath, projects.FilePerm)
	if err != nil {
		return fmt.Errorf("song archive: %w", err)
	}
	defer tmp.Abort() // after Commit: nothing
	w := songZip{ctx: ctx, zw: zip.NewWriter(tmp), top: top}
	fi, _ := os.Stat(filepath.Join(songDir, projects.SongFile))
	if err = w.add(projects.SongFile, zip.Deflate, fi, strings.NewReader(string(songJSON))); err != nil {
		return fmt.Errorf("song archive %s: %w", zipPath, err)
	}
	if err = w.addLog(songDir); err != nil {
		return fmt.Errorf("song archive %s: %w", zipPath, err)
	}
	for _, take := range takes {
		if err = ctx.Err(); err != nil {
			return err
		}
		err = w.addTake(songDir, take)
		var se *projects.SongFileError
		if errors.As(err, &se) { // as Load says it, had it been so then
			return se
		}
		if err != nil {
			return fmt.Errorf("song archive %s: %w", zipPath, err)
		}
	}
	if err = w.zw.Close(); err != nil {
		return fmt.Errorf("song archive %s: %w", zipPath, err)
	}
	if err = tmp.Commit(); err != nil {
		return fmt.Errorf("song archive %s: %w", zipPath, err)
	}
	// The archive is made; a log that cannot note it costs it nothing.
	songlog.Append(songDir, songlog.Entry{Event: songlog.Copy, What: songlog.CopyArchive, Format: "zip", To: zipPath})
	return nil
}

// exportContents loads the song in songDir and returns what its archive
// holds: the top folder's name, song.json and the take files, each once.
func exportContents(songDir string) (top string, songJSON []byte, takes []string, err error) {
	s, rec, err := projects.Load(songDir)
	if err != nil {
		return "", nil, nil, err
	}
	abs, err := filepath.Abs(songDir)
	if err != nil {
		return "", nil, nil, err
	}
	top = filepath.Base(abs)
	if err := checkTop(top); err != nil {
		return "", nil, nil, fmt.Errorf("song archive: cannot archive %s: %w", songDir, err)
	}
	if rec == nil {
		songJSON, err = readSongFile(songDir, projects.SongFile)
	} else { // song.json is damaged: archive the song as it opened
		songJSON, err = projects.Encode(s)
	}
	if err != nil {
		return "", nil, nil, err
	}
	seen := map[string]bool{}
	for _, c := range s.AllClips() {
		if !seen[c.Take] {
			seen[c.Take] = true
			takes = append(takes, c.Take)
		}
	}
	return top, songJSON, takes, nil
}

// songZip writes the entries of a song archive below its top folder.
type songZip struct {
	ctx context.Context
	zw  *zip.Writer
	top string
}

// add writes r as the entry top/rel, private, dated fi's time when fi is
// not nil.
func (w songZip) add(rel string, method uint16, fi fs.FileInfo, r io.Reader) error {
	h := &zip.FileHeader{Name: w.top + "/" + rel, Method: method}
	if fi != nil {
		h.Modified = fi.ModTime().UTC()
	}
	h.SetMode(projects.FilePerm)
	zf, err := w.zw.CreateHeader(h)
	if err != nil {
		return err
	}
	_, err = io.Copy(zf, ctxReader{w.ctx, r})
	return err
}

// addLog writes the song's log (songlog), when it has one, so that the
// song's story travels with it.
func (w songZip) addLog(songDir string) error {
	err := w.addSongFile(songDir, songlog.File, zip.Deflate)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// addTake writes the take file take of the song in songDir.
func (w songZip) addTake(songDir, take string) error {
	method := zip.Store // WAV barely compresses
	if projects.IsMIDITake(take) {
		method = zip.Deflate
	}
	return w.addSongFile(songDir, filepath.Join(projects.AudioDir, take), method)
}

// addSongFile writes the file rel of the song in songDir (an ordinary
// file of the song: projects.OpenSongFile), dated as it is.
func (w songZip) addSongFile(songDir, rel string, method uint16) error {
	f, err := projects.OpenSongFile(songDir, rel)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	return w.add(filepath.ToSlash(rel), method, fi, f)
}

// readSongFile reads the file rel of the song in songDir, if it is an
// ordinary file of the song (see projects.OpenSongFile).
func readSongFile(songDir, rel string) ([]byte, error) {
	f, err := projects.OpenSongFile(songDir, rel)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// ctxReader stops a copy when its context is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// entry is one checked archive entry.
type entry struct {
	f   *zip.File
	rel string // path below the top folder, slash-separated; "" for the top folder itself
	dir bool
}

// Import brings the song archive zipPath into the library folder
// libraryRoot (which must exist) and returns the new song's folder:
// libraryRoot/<the archive's folder name>, or "<name> 2", "<name> 3" … when
// that is taken. Folders are made 0700 and files 0600 whatever the archive
// says. A refused or failed import returns an *Error and leaves
// libraryRoot exactly as it was.
func Import(ctx context.Context, zipPath, libraryRoot string) (songDir string, err error) {
	var fail failFunc = func(entry string, err error) error { return &Error{Archive: zipPath, Entry: entry, Err: err} }
	rfi, err := os.Stat(libraryRoot)
	if err != nil {
		return "", fmt.Errorf("song archive %s: the library folder: %w", zipPath, err)
	}
	if !rfi.IsDir() {
		return "", fmt.Errorf("song archive %s: %s is not a folder", zipPath, libraryRoot)
	}
	zf, err := openfile.Regular(zipPath) // a FIFO or a device is refused at once
	if errors.Is(err, openfile.ErrNotRegular) {
		return "", err
	}
	if err != nil {
		return "", fail("", err)
	}
	defer zf.Close()
	top, entries, err := checkArchive(zf, zipPath, libraryRoot)
	if err != nil {
		return "", err
	}

	tmp, err := os.MkdirTemp(libraryRoot, ".import-*")
	if err != nil {
		return "", fail("", fmt.Errorf("cannot make a temporary folder in the library: %w", err))
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	if err = extractAll(ctx, tmp, entries, fail); err != nil {
		return "", err
	}
	if err = checkSong(tmp, top, fail); err != nil {
		return "", err
	}
	return moveIn(tmp, libraryRoot, top, fail)
}

// failFunc makes an *Error of the archive being imported, naming entry
// when it is not "".
type failFunc func(entry string, err error) error

// checkArchive reads the zip directory of the open archive zf and checks
// its entries (see check).
func checkArchive(zf *os.File, zipPath, libraryRoot string) (string, []entry, error) {
	zfi, err := zf.Stat()
	if err != nil {
		return "", nil, &Error{Archive: zipPath, Err: err}
	}
	zr, err := zip.NewReader(zf, zfi.Size())
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) { // insecure names are refused below, by name
		return "", nil, &Error{Archive: zipPath, Err: fmt.Errorf("not a readable zip file: %w", err)}
	}
	top, entries, err := check(zr.File, libraryRoot, freeSpace)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.Archive = zipPath
		}
		return "", nil, err
	}
	return top, entries, nil
}

// extractAll makes the private folder tmp and writes the checked entries
// and the song's standard folders into it.
func extractAll(ctx context.Context, tmp string, entries []entry, fail failFunc) error {
	if err := os.Chmod(tmp, projects.DirPerm); err != nil {
		return fail("", err)
	}
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := extract(ctx, tmp, e); err != nil {
			return fail(e.f.Name, err)
		}
	}
	for _, d := range []string{projects.AudioDir, projects.ExportsDir} {
		if err := mkdirs(tmp, d); err != nil {
			return fail("", err)
		}
	}
	return nil
}

// checkSong checks that the extracted folder tmp opens as a song whose
// song.json is whole, and flushes it; top names it in messages.
func checkSong(tmp, top string, fail failFunc) error {
	s, rec, lerr := projects.Load(tmp)
	switch {
	case lerr != nil:
		return fail("", fmt.Errorf("it does not hold a song that opens: %v", strings.ReplaceAll(lerr.Error(), tmp, top)))
	case rec != nil:
		return fail(top+"/"+projects.SongFile, fmt.Errorf("the song file is damaged: %s", rec.Reason))
	case s == nil:
		return fail("", errors.New("it does not hold a song"))
	}
	if err := durable.SyncDir(tmp); err != nil {
		return fail("", err)
	}
	return nil
}

// moveIn renames tmp to libraryRoot/top, or "top 2", "top 3" … when that
// is taken, and returns the song's folder.
func moveIn(tmp, libraryRoot, top string, fail failFunc) (string, error) {
	for i := 1; ; i++ {
		name := top
		if i > 1 {
			name = fmt.Sprintf("%s %d", top, i)
		}
		target := filepath.Join(libraryRoot, name)
		err := durable.RenameNoReplace(tmp, target)
		if err == nil {
			durable.SyncDir(libraryRoot)
			return target, nil
		}
		if !errors.Is(err, fs.ErrExist) || i > 10000 {
			return "", fail("", fmt.Errorf("cannot put the song into the library: %w", err))
		}
	}
}

// check validates every entry's name, type and size before anything is
// written (the sizes against freeSpace(root)), and returns the top
// folder's name and the entries in order.
func check(files []*zip.File, root string, freeSpace func(dir string) (uint64, bool)) (string, []entry, error) {
	if len(files) == 0 {
		return "", nil, &Error{Err: errors.New("it is empty")}
	}
	if len(files) > MaxEntries {
		return "", nil, &Error{Err: fmt.Errorf("it has %d entries (at most %d)", len(files), MaxEntries)}
	}
	var (
		top     string
		total   uint64
		entries []entry
		kinds   = claims{}
	)
	for _, f := range files {
		name := f.Name
		if err := checkName(name); err != nil {
			return "", nil, bad(name, "%v", err)
		}
		isDir := strings.HasSuffix(name, "/")
		clean := strings.TrimSuffix(name, "/")
		parts := strings.Split(clean, "/")
		if top == "" {
			top = parts[0]
			if err := checkTop(top); err != nil {
				return "", nil, bad(name, "%v", err)
			}
		} else if parts[0] != top {
			return "", nil, bad(name, "it is not inside the archive's one folder %q (a song archive holds one song folder)", top)
		}
		if err := checkKind(f, isDir); err != nil {
			return "", nil, err
		}
		total += f.UncompressedSize64
		if total > MaxTotalSize {
			return "", nil, bad(name, "the archive declares more than %d bytes in all", uint64(MaxTotalSize))
		}
		rel := strings.Join(parts[1:], "/")
		if err := kinds.claimPath(name, parts, isDir); err != nil {
			return "", nil, err
		}
		entries = append(entries, entry{f: f, rel: rel, dir: isDir})
	}
	if free, ok := freeSpace(root); ok && total > free {
		return "", nil, &Error{Err: fmt.Errorf("it needs %d bytes, and the library's disk has %d free", total, free)}
	}
	return top, entries, nil
}

// bad is the *Error refusing the entry name (the caller fills in the
// archive).
func bad(name string, format string, a ...any) error {
	return &Error{Entry: name, Err: fmt.Errorf(format, a...)}
}

// checkKind checks that f, a folder entry when isDir, is a plain folder or
// file, unencrypted, stored or deflated, and within the size per entry.
func checkKind(f *zip.File, isDir bool) error {
	name, mode := f.Name, f.Mode()
	switch {
	case mode&fs.ModeSymlink != 0:
		return bad(name, "it is a symbolic link; song archives hold only plain files")
	case isDir != mode.IsDir():
		return bad(name, "its type (%v) does not match its name", mode.Type())
	case !isDir && !mode.IsRegular():
		return bad(name, "it is not a plain file (%v); song archives hold only plain files", mode.Type())
	case f.Flags&0x1 != 0:
		return bad(name, "it is encrypted")
	case !isDir && f.Method != zip.Store && f.Method != zip.Deflate:
		return bad(name, "it uses compression method %d (only stored and deflated entries are read)", f.Method)
	case isDir && (f.UncompressedSize64 != 0 || f.CompressedSize64 != 0):
		return bad(name, "a folder entry that holds data")
	case f.UncompressedSize64 > MaxEntrySize:
		return bad(name, "it declares %d bytes (at most %d per entry)", f.UncompressedSize64, uint64(MaxEntrySize))
	}
	return nil
}

// claims maps each path below the top folder, folded to lower case, to
// whether it is a folder.
type claims map[string]bool

// claimPath claims the entry name, split into parts (top folder first),
// and every folder on its way; a folder when isDir.
func (c claims) claimPath(name string, parts []string, isDir bool) error {
	for i := 2; i < len(parts); i++ {
		if err := c.claim(name, strings.Join(parts[1:i], "/"), true); err != nil {
			return err
		}
	}
	if rel := strings.Join(parts[1:], "/"); rel != "" {
		return c.claim(name, rel, isDir)
	}
	if !isDir {
		return bad(name, "a file where the song folder should be")
	}
	return nil
}

func (c claims) claim(name, rel string, dir bool) error {
	k := strings.ToLower(rel)
	if was, ok := c[k]; ok {
		if was && dir {
			return nil // a folder named again, or implied by a file in it
		}
		return bad(name, "a second entry with the same name (names that differ only in case count as the same)")
	}
	c[k] = dir
	return nil
}

// freeSpace returns the bytes free for an unprivileged user on dir's disk.
func freeSpace(dir string) (uint64, bool) {
	in, err := volume.Stat(dir)
	if err != nil {
		return 0, false
	}
	return uint64(in.Free), true
}

// checkName checks one entry name as written in the archive.
func checkName(name string) error {
	switch {
	case name == "":
		return errors.New("an empty name")
	case len(name) > maxNameLength:
		return fmt.Errorf("a name longer than %d bytes", maxNameLength)
	case !utf8.ValidString(name):
		return errors.New("the name is not valid UTF-8")
	case strings.ContainsRune(name, 0):
		return errors.New("the name contains a NUL byte")
	case strings.Contains(name, `\`):
		return errors.New(`the name contains a backslash`)
	case strings.HasPrefix(name, "/"):
		return errors.New("an absolute path")
	case len(name) >= 2 && name[1] == ':' && ('a' <= name[0]|0x20 && name[0]|0x20 <= 'z'):
		return errors.New("a path with a drive letter")
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			return errors.New("the name contains a control character")
		}
	}
	for _, p := range strings.Split(strings.TrimSuffix(name, "/"), "/") {
		switch p {
		case "..":
			return errors.New(`the path goes up ("..") out of its folder`)
		case "", ".":
			return errors.New("the path has an empty or \".\" part")
		}
	}
	if path.Clean(strings.TrimSuffix(name, "/")) != strings.TrimSuffix(name, "/") {
		return errors.New("the path is not in its plain form")
	}
	return nil
}

// checkTop checks the song folder's name.
func checkTop(top string) error {
	switch {
	case top == "" || top == "." || top == ".." || top == "/":
		return fmt.Errorf("%q is not a song folder name", top)
	case strings.HasPrefix(top, "."):
		return fmt.Errorf("the song folder %q is hidden (its name starts with a dot)", top)
	case len(top) > 200:
		return fmt.Errorf("the song folder's name is longer than 200 bytes")
	}
	return nil
}

// mkdirs makes rel (slash-separated) and its parents below base, private.
func mkdirs(base, rel string) error {
	p := base
	for _, part := range strings.Split(rel, "/") {
		p = filepath.Join(p, part)
		err := os.Mkdir(p, projects.DirPerm)
		if err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		if !fi.IsDir() {
			return fmt.Errorf("%s is a file and a folder", part)
		}
		if err := os.Chmod(p, projects.DirPerm); err != nil {
			return err
		}
	}
	return nil
}

// extract writes one checked entry below base.
func extract(ctx context.Context, base string, e entry) error {
	if e.dir {
		if e.rel == "" {
			return nil
		}
		return mkdirs(base, e.rel)
	}
	if d := path.Dir(e.rel); d != "." {
		if err := mkdirs(base, d); err != nil {
			return err
		}
	}
	p := filepath.Join(base, filepath.FromSlash(e.rel))
	// O_EXCL never follows a link at p: a link there fails as existing.
	out, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, projects.FilePerm)
	if err != nil {
		return err
	}
	defer out.Close()
	if err := out.Chmod(projects.FilePerm); err != nil {
		return err
	}
	rc, err := e.f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	want := e.f.UncompressedSize64
	// Read at most one byte more than declared: an entry that holds more
	// stops there (a zip bomb), and reading to the end checks the CRC.
	n, err := io.Copy(out, io.LimitReader(ctxReader{ctx, rc}, int64(want)+1))
	switch {
	case err != nil && ctx.Err() != nil:
		return ctx.Err()
	case uint64(n) > want || errors.Is(err, zip.ErrFormat):
		return fmt.Errorf("it holds more data than the %d bytes it declares (a damaged or misleading archive)", want)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("it holds less data than the %d bytes it declares (a damaged or cut-off archive)", want)
	case errors.Is(err, zip.ErrChecksum):
		return fmt.Errorf("its data does not match its checksum (a damaged archive)")
	case err != nil:
		return fmt.Errorf("it cannot be read: %w", err)
	case uint64(n) < want:
		return fmt.Errorf("it holds %d bytes, less than the %d bytes it declares", n, want)
	}
	if err := out.Sync(); err != nil {
		return err
	}
	return out.Close()
}
