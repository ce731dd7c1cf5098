package projects

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"sangstudio/internal/durable"
	"sangstudio/internal/filelock"
	"sangstudio/internal/jsondoc"
	"sangstudio/internal/openfile"
	"sangstudio/internal/words"
)

// File and folder names inside a song folder.
const (
	SongFile   = "song.json"
	AudioDir   = "audio"
	ExportsDir = "exports"
	// Generations is how many earlier versions of song.json are kept
	// (song.json.1 is the newest of them).
	Generations = 5
	lockFile    = ".lock"
	windowFile  = ".open"
	// maxSongFile bounds how much of a song.json is read: a real one is a
	// few hundred KB at most.
	maxSongFile = 64 << 20
)

// Permissions: songs are private health-related material.
const (
	DirPerm  fs.FileMode = 0o700
	FilePerm fs.FileMode = 0o600
)

// ErrNotASong is returned (wrapped) when a folder has no song.json and no
// earlier generation of one.
var ErrNotASong = errors.New("not a song folder (no song.json)")

// LoadError names the song file (or the album file: package album) and
// what is wrong with it.
type LoadError struct {
	What string // "song" or "album": begins the message
	Path string
	Err  error
}

func (e *LoadError) Error() string { return fmt.Sprintf("%s: %s: %v", e.What, e.Path, e.Err) }
func (e *LoadError) Unwrap() error { return e.Err }

// SchemaError is returned when song.json has a schema version this program
// does not know (usually: it was saved by a newer Sangstudio). Such a file is
// never replaced by an older generation, so no newer work is hidden.
type SchemaError struct{ Version int }

func (e *SchemaError) Error() string {
	if e.Version > Schema {
		return fmt.Sprintf("unknown schema version %d: it was saved by a newer Sangstudio (this one reads version %d)", e.Version, Schema)
	}
	return fmt.Sprintf("unknown schema version %d (this Sangstudio reads version %d)", e.Version, Schema)
}

// MissingTakesError lists clips whose take files are not in the song's audio folder.
type MissingTakesError struct{ Files []string }

func (e *MissingTakesError) Error() string {
	if len(e.Files) == 1 {
		return fmt.Sprintf("a clip points at a missing file: %s", e.Files[0])
	}
	return fmt.Sprintf("clips point at %d missing files: %s", len(e.Files), strings.Join(e.Files, ", "))
}

// Recovery tells that a song was opened from an earlier generation because
// song.json was damaged.
type Recovery = durable.Recovery

// Exists reports whether dir holds a song (song.json or a generation of it).
func Exists(dir string) bool {
	for i := 0; i <= Generations; i++ {
		if _, err := os.Stat(generationPath(dir, i)); err == nil {
			return true
		}
	}
	return false
}

func generationPath(dir string, i int) string { return generations(dir).Name(i) }

// generations is song.json in dir with its earlier copies. A save's
// temporary file is song.json.tmp-RANDOM; a damaged song.json is kept aside
// as song.json.damaged-TIME instead of becoming a generation.
func generations(dir string) durable.Generations {
	return durable.Generations{
		Path:  filepath.Join(dir, SongFile),
		Keep:  Generations,
		Temp:  SongFile + ".tmp-*",
		Perm:  FilePerm,
		Valid: func(data []byte) error { _, err := Decode(data); return err },
	}
}

// Create makes a new song folder with its audio and exports folders and
// saves s in it. It fails if dir already holds a song.
func Create(dir string, s *Song) error {
	if Exists(dir) {
		return &LoadError{What: "song", Path: filepath.Join(dir, SongFile), Err: errors.New("a song already exists here")}
	}
	if err := ensureDirs(dir); err != nil {
		return err
	}
	return Save(dir, s)
}

func ensureDirs(dir string) error {
	for _, d := range []string{dir, filepath.Join(dir, AudioDir), filepath.Join(dir, ExportsDir)} {
		if err := os.MkdirAll(d, DirPerm); err != nil {
			return fmt.Errorf("song: cannot create folder %s: %w", d, err)
		}
	}
	return nil
}

// Decode parses and validates a song.json document. Bytes that are not
// UTF-8 are refused (*UTF8Error) before decoding, so a damaged file is never
// read as U+FFFD and saved so.
func Decode(data []byte) (*Song, error) {
	if len(data) > maxSongFile {
		return nil, fmt.Errorf("the file is %d bytes, larger than any real song (%d)", len(data), maxSongFile)
	}
	if err := CheckUTF8(data); err != nil {
		return nil, err
	}
	var s Song
	if err := songFormat().Decode(data, &s); err != nil {
		return nil, err
	}
	if s.Tracks == nil {
		s.Tracks = []*Track{}
	}
	if s.Markers == nil {
		s.Markers = []Marker{}
	}
	for _, t := range s.Tracks {
		if t != nil && t.Clips == nil {
			t.Clips = []Clip{}
		}
	}
	emptyAsNil(&s)
	migrate(&s)
	if err := s.Validate(); err != nil {
		return nil, err
	}
	s.AssignTrackIDs()
	return &s, nil
}

// migrate brings a song read from an older schema version up to date.
// Version 1 had no effects: its tracks read with none (Effects' zero
// value) and its buses as the defaults (Buses nil), so it sounds as it
// did. Version 2 had no drum patterns: its clips read with none (Beat
// nil). Only the version changes.
func migrate(s *Song) {
	if s.Schema >= OldestSchema && s.Schema < Schema {
		s.Schema = Schema
	}
}

// songFormat is song.json's schema and wording for jsondoc.
func songFormat() jsondoc.Format {
	return jsondoc.Format{
		Kind:        "song",
		Schema:      Schema,
		Oldest:      OldestSchema,
		SchemaError: func(v int) error { return &SchemaError{Version: v} },
		Describe:    describeJSONError,
	}
}

// emptyAsNil makes the empty lists that Encode leaves out (omitempty) nil,
// as they read back after a save: a decoded song equals the song read again
// after saving it.
func emptyAsNil(s *Song) {
	if len(s.Takes) == 0 {
		s.Takes = nil
	}
	for i := range s.Takes {
		if len(s.Takes[i].Dropouts) == 0 {
			s.Takes[i].Dropouts = nil
		}
	}
	for _, t := range s.Tracks {
		if t == nil {
			continue
		}
		if len(t.Lanes) == 0 {
			t.Lanes = nil
		}
		if len(t.Input) == 0 {
			t.Input = nil
		}
	}
}

// describeJSONError turns a JSON error into words with a line number.
func describeJSONError(data []byte, err error) error {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		if strings.Contains(se.Error(), "unexpected end") {
			return errors.New("the file ends too early (it was cut off)")
		}
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return errors.New("the file ends too early (it was cut off)")
	}
	if off >= 0 && off <= int64(len(data)) {
		line := 1 + bytes.Count(data[:off], []byte("\n"))
		return fmt.Errorf("not valid song data at line %d: %v", line, err)
	}
	return fmt.Errorf("not valid song data: %v", err)
}

// Encode returns the song.json document for s.
func Encode(s *Song) ([]byte, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// Load reads the song in dir. If song.json is damaged (cut off, not JSON,
// invalid values), it opens the newest good earlier generation and returns
// a Recovery that says so. A song.json with an unknown schema version is an
// error, never silently replaced. Clips pointing at files missing from the
// audio folder are an error (*MissingTakesError) naming the files. A
// song.json or a take that is a link, a FIFO or a device is refused with
// a *SongFileError (see CheckSongFile), which is not wrapped: it names
// the file.
func Load(dir string) (*Song, *Recovery, error) {
	path := filepath.Join(dir, SongFile)
	var se *SongFileError
	if err := CheckSongFile(dir, SongFile); errors.As(err, &se) {
		return nil, nil, se
	}
	s, err := loadFile(path)
	if errors.Is(err, openfile.ErrNotRegular) { // put in song.json's place after the check
		return nil, nil, asSongFileError(err)
	}
	var rec *Recovery
	if err != nil {
		var se *SchemaError
		if errors.As(err, &se) {
			return nil, nil, &LoadError{What: "song", Path: path, Err: err}
		}
		gs, r, ok := durable.Earlier(generations(dir), loadFile, err)
		if !ok {
			if errors.Is(err, fs.ErrNotExist) && !Exists(dir) {
				return nil, nil, &LoadError{What: "song", Path: dir, Err: ErrNotASong}
			}
			return nil, nil, &LoadError{What: "song", Path: path, Err: fmt.Errorf("%v, and no earlier copy could be opened", words.FileReason(err))}
		}
		s, rec = gs, r
	}
	var missing []string
	seen := map[string]bool{}
	for _, c := range s.AllClips() {
		{
			if seen[c.Take] {
				continue
			}
			seen[c.Take] = true
			if err := CheckTakeFile(dir, c.Take); errors.As(err, &se) {
				return nil, rec, se
			} else if err != nil {
				missing = append(missing, filepath.Join(AudioDir, c.Take))
			}
		}
	}
	if len(missing) > 0 {
		return nil, rec, &LoadError{What: "song", Path: path, Err: &MissingTakesError{Files: missing}}
	}
	return s, rec, nil
}

// loadFile reads the song file at path, which must be an ordinary file
// (not followed if it is a link; a FIFO is refused without waiting on it).
func loadFile(path string) (*Song, error) {
	f, err := openfile.RegularNoFollow(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxSongFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) == 0 {
		return nil, errors.New("the file is empty")
	}
	return Decode(data)
}

// Save writes s to dir/song.json atomically and keeps the previous
// generations (song.json.1 … song.json.5, newest first), under the song's
// lock (durable.Generations.Save says how, and what a crash leaves). It
// writes over whatever song.json holds: a writer that loaded the song and
// changes it uses Change (a command) or SaveOver (the window), so that it
// never writes over a change it did not read. A damaged song.json is kept
// aside as song.json.damaged-TIME instead of becoming a generation.
//
// Options change how it saves; Save(dir, s) is the save a user makes.
func Save(dir string, s *Song, opts ...SaveOption) error {
	var o saveOptions
	for _, opt := range opts {
		opt(&o)
	}
	data, err := encodeForSave(s)
	if err != nil {
		return err
	}
	if err := ensureDirs(dir); err != nil {
		return err
	}
	l, err := lockSong(dir, filelock.Me("Sangstudio"))
	if err != nil {
		return err
	}
	defer l.Release()
	return saveLocked(dir, data, o.step)
}

// A SaveOption changes how Save saves.
type SaveOption func(*saveOptions)

type saveOptions struct {
	step func(n int) bool // called before each step; false stops the save
}

// StopBefore makes Save stop before its step n (1 to SaveSteps), as a crash
// there would: what it wrote so far stays, and nothing after is done.
func StopBefore(n int) SaveOption {
	return func(o *saveOptions) { o.step = func(i int) bool { return i < n } }
}

// encodeForSave is the song.json of s as Save writes it.
func encodeForSave(s *Song) ([]byte, error) {
	s.Schema = Schema
	s.Generator = "Sangstudio"
	data, err := Encode(s)
	if err != nil {
		return nil, fmt.Errorf("song: not saved: %w", err)
	}
	return data, nil
}

// saveLocked writes data as song.json; the caller holds the song's lock.
func saveLocked(dir string, data []byte, step func(n int) bool) error {
	if err := generations(dir).Save(data, step); err != nil {
		return fmt.Errorf("song: %w", err)
	}
	return nil
}

// SaveSteps is the number of steps of a save that StopBefore can stop at.
const SaveSteps = 5 + Generations

// AudioPath returns the path of a take file in the song folder.
func AudioPath(dir, take string) string { return filepath.Join(dir, AudioDir, take) }

// NewTakeFile creates a new, empty take file in dir/audio with a name made
// from base (e.g. a track or file name) and the song's take counter:
// "0007-Bass.wav". It never overwrites: an existing name moves the counter
// on. The caller writes the take and closes the file.
func NewTakeFile(dir string, s *Song, base, ext string) (*os.File, string, error) {
	if err := ensureDirs(dir); err != nil {
		return nil, "", err
	}
	safe := SafeFileBase(base, 60)
	for tries := 0; tries < 100000; tries++ {
		s.NextTake++
		name := fmt.Sprintf("%04d-%s%s", s.NextTake, safe, ext)
		f, err := os.OpenFile(filepath.Join(dir, AudioDir, name), os.O_CREATE|os.O_EXCL|os.O_WRONLY, FilePerm)
		if err == nil {
			return f, name, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, "", fmt.Errorf("song: cannot create a take in %s: %w", filepath.Join(dir, AudioDir), err)
		}
	}
	return nil, "", fmt.Errorf("song: cannot find a free take name in %s", filepath.Join(dir, AudioDir))
}

// SafeFileBase turns any text into a file-name fragment: letters (æøå and
// other scripts included) and digits are kept, everything else becomes '-',
// at most maxBytes bytes. An empty result becomes "take".
func SafeFileBase(s string, maxBytes int) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if b.Len()+len(string(r)) > maxBytes {
				break
			}
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 && b.Len() < maxBytes {
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.TrimRight(b.String(), "-")
	if out == "" {
		return "take"
	}
	return out
}
