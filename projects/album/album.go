// Package album is a CD compilation: a title, a performer and songs in
// order, each with its own title, performer and the silence before it.
//
// An album lives in the song library next to the songs, in a folder of its
// own:
//
//	ROOT/<album folder>/album.json       the album: versioned, human-readable JSON
//	ROOT/<album folder>/album.json.1..5  the five previous generations of album.json
//
// The library's song list skips album folders (they have no song.json), and
// List here skips song folders (they have no album.json).
//
// A track names its song by folder: relative to the library root (the album
// folder's parent), such as "Morgenlys", or as an absolute path. Resolve
// finds the songs and fills in the defaults.
package album

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"sangstudio/internal/jsondoc"
	"sangstudio/projects"
)

// Schema is the album.json schema version this package writes and reads.
const Schema = 1

// FileName is the album file inside an album folder.
const FileName = "album.json"

// DefaultGap is the silence before a new track, in seconds (the CD
// standard's pause). A live album uses 0 so the songs run into each other.
const DefaultGap = 2.0

// FirstGap is the silence before track 1 on a CD, whatever the track says.
const FirstGap = 2.0

// Limits.
const (
	MaxTracks = 99   // a CD holds at most 99 tracks
	MaxGap    = 10.0 // seconds
	maxName   = 200  // bytes: titles and performers, as for songs
	maxPath   = 4096 // bytes: a track's song folder
	maxFile   = 1 << 20
)

// Album is a CD compilation.
type Album struct {
	Schema    int     `json:"schema"`
	Title     string  `json:"title"`
	Performer string  `json:"performer,omitempty"`
	Tracks    []Track `json:"tracks"`
	Generator string  `json:"generator,omitempty"` // program that saved the file
}

// Track is one song on the album.
type Track struct {
	// Song is the song's folder: a name relative to the library root (the
	// album folder's parent), e.g. "Morgenlys", or an absolute path.
	Song string `json:"song"`
	// Title is the title on the CD; "" means the song's title.
	Title string `json:"title,omitempty"`
	// Performer is the performer on the CD; "" means the song's performer,
	// else the album's.
	Performer string `json:"performer,omitempty"`
	// Gap is the seconds of silence before the track (0–10). Track 1
	// always gets FirstGap on a CD, whatever is stored here.
	Gap float64 `json:"gap"`
}

// New returns an empty album with the given title.
func New(title string) *Album {
	return &Album{Schema: Schema, Title: title, Tracks: []Track{}}
}

// Add appends a track for the song in songDir, with DefaultGap. songDir is
// stored as given: use Rel to store a folder inside the library by name.
func (a *Album) Add(songDir string) {
	a.Tracks = append(a.Tracks, Track{Song: songDir, Gap: DefaultGap})
}

// Rel returns how a track should name the song folder dir: its path
// relative to the library root when dir is inside root (e.g. "Morgenlys"),
// else dir as a clean absolute path.
func Rel(root, dir string) string {
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return filepath.Clean(dir)
	}
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return absDir
	}
	rel, err := filepath.Rel(absRoot, absDir)
	if err != nil || !filepath.IsLocal(rel) || rel == "." {
		return absDir
	}
	return rel
}

// Move moves the track at index from (0-based) so that it ends up at index
// to; the tracks between shift by one.
func (a *Album) Move(from, to int) error {
	if err := a.checkIndex(from); err != nil {
		return err
	}
	if err := a.checkIndex(to); err != nil {
		return err
	}
	t := a.Tracks[from]
	if from < to {
		copy(a.Tracks[from:to], a.Tracks[from+1:to+1])
	} else {
		copy(a.Tracks[to+1:from+1], a.Tracks[to:from])
	}
	a.Tracks[to] = t
	return nil
}

// Remove takes the track at index i (0-based) off the album. The song
// itself is not touched.
func (a *Album) Remove(i int) error {
	if err := a.checkIndex(i); err != nil {
		return err
	}
	a.Tracks = append(a.Tracks[:i], a.Tracks[i+1:]...)
	return nil
}

func (a *Album) checkIndex(i int) error {
	if i < 0 || i >= len(a.Tracks) {
		switch len(a.Tracks) {
		case 0:
			return fmt.Errorf("there is no track %d: the album has no tracks", i+1)
		case 1:
			return fmt.Errorf("there is no track %d: the album has 1 track", i+1)
		}
		return fmt.Errorf("there is no track %d: the album has %d tracks", i+1, len(a.Tracks))
	}
	return nil
}

// ValidationError lists what is wrong with an album, in plain words.
type ValidationError = projects.ValidationError

// Validate checks the album's values. It does not look at the disk: a song
// that is missing is found by Resolve.
func (a *Album) Validate() error {
	var p []string
	add := func(format string, args ...any) {
		if len(p) < 50 {
			p = append(p, fmt.Sprintf(format, args...))
		}
	}
	if a.Schema != Schema {
		add("unknown schema version %d (this Sangstudio reads version %d)", a.Schema, Schema)
	}
	checkText("the album title", a.Title, maxName, add)
	checkText("the album performer", a.Performer, maxName, add)
	checkText("the generator", a.Generator, maxName, add)
	if len(a.Tracks) > MaxTracks {
		add("the album has %d tracks; a CD holds at most %d", len(a.Tracks), MaxTracks)
		return &ValidationError{What: "album", Problems: p}
	}
	for i, t := range a.Tracks {
		n := i + 1
		checkText(fmt.Sprintf("track %d's title", n), t.Title, maxName, add)
		checkText(fmt.Sprintf("track %d's performer", n), t.Performer, maxName, add)
		if math.IsNaN(t.Gap) || t.Gap < 0 || t.Gap > MaxGap {
			add("track %d has a gap of %v seconds; it must be 0–%v", n, t.Gap, MaxGap)
		}
		switch {
		case strings.TrimSpace(t.Song) == "":
			add("track %d has no song (its song folder is empty)", n)
		case checkText(fmt.Sprintf("track %d's song folder", n), t.Song, maxPath, add):
		case !filepath.IsAbs(t.Song) && (!filepath.IsLocal(t.Song) || filepath.Clean(t.Song) == "."):
			add("track %d's song folder %q is neither a folder in the library nor a full path", n, t.Song)
		}
	}
	if len(p) > 0 {
		return &ValidationError{What: "album", Problems: p}
	}
	return nil
}

// checkText checks a single-line text field; it reports whether it added a
// problem.
func checkText(what, v string, max int, add func(string, ...any)) bool {
	switch {
	case len(v) > max:
		add("%s is longer than %d bytes", what, max)
	case !utf8.ValidString(v):
		add("%s is not valid UTF-8 text", what)
	case strings.IndexFunc(v, unicode.IsControl) >= 0:
		add("%s contains a control character (such as a line break)", what)
	default:
		return false
	}
	return true
}

// SchemaError is returned when album.json has a schema version this program
// does not know (usually: a newer Sangstudio saved it). Such a file is never
// replaced by an older generation, so no newer work is hidden.
type SchemaError struct{ Version int }

func (e *SchemaError) Error() string {
	if e.Version > Schema {
		return fmt.Sprintf("unknown album version %d: it was saved by a newer Sangstudio (this one reads version %d); update Sangstudio to open it", e.Version, Schema)
	}
	return fmt.Sprintf("unknown album version %d (this Sangstudio reads version %d)", e.Version, Schema)
}

// Decode parses and validates an album.json document. Unknown fields, a
// missing or unknown schema version and invalid values are errors.
func Decode(data []byte) (*Album, error) {
	if len(data) > maxFile {
		return nil, fmt.Errorf("the file is %d bytes, larger than any real album (%d)", len(data), maxFile)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("the file is empty")
	}
	// Bytes that are not UTF-8 in what looks like an album file are refused
	// before decoding (JSON would read them as U+FFFD); anything else is
	// said to be no album file by describeJSONError.
	if bytes.TrimSpace(data)[0] == '{' {
		if err := projects.CheckUTF8(data); err != nil {
			return nil, err
		}
	}
	var a Album
	if err := albumFormat().Decode(data, &a); err != nil {
		return nil, err
	}
	if a.Tracks == nil {
		a.Tracks = []Track{}
	}
	if err := a.Validate(); err != nil {
		return nil, err
	}
	return &a, nil
}

// albumFormat is album.json's schema and wording for jsondoc.
func albumFormat() jsondoc.Format {
	return jsondoc.Format{
		Kind:        "album",
		Schema:      Schema,
		SchemaError: func(v int) error { return &SchemaError{Version: v} },
		Describe:    describeJSONError,
	}
}

// describeJSONError turns a JSON error into words with a line number.
func describeJSONError(data []byte, err error) error {
	line := func(off int64) int {
		if off < 0 || off > int64(len(data)) {
			return 0
		}
		return 1 + bytes.Count(data[:off], []byte("\n"))
	}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		if t := bytes.TrimSpace(data); len(t) > 0 && t[0] != '{' {
			return errors.New("this is not a Sangstudio album file (it is not JSON text)")
		}
		if strings.Contains(se.Error(), "unexpected end") {
			return errors.New("the file ends too early (it was cut off)")
		}
		return fmt.Errorf("not valid album data at line %d: %s", line(se.Offset), strings.TrimPrefix(se.Error(), "json: "))
	case errors.As(err, &te):
		if te.Field == "" {
			return errors.New("this is not a Sangstudio album file (it is not a JSON object)")
		}
		return fmt.Errorf("not valid album data at line %d: %q has the wrong kind of value (%s)", line(te.Offset), te.Field, te.Value)
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return errors.New("the file ends too early (it was cut off)")
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if f, ok := strings.CutPrefix(msg, "unknown field "); ok {
		return fmt.Errorf("not valid album data: unknown entry %s (was the file edited by another program?)", f)
	}
	return fmt.Errorf("not valid album data: %s", msg)
}

// Encode returns the album.json document for a: indented JSON and a
// newline. An invalid album is not encoded.
func Encode(a *Album) ([]byte, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	c := *a
	if c.Tracks == nil {
		c.Tracks = []Track{}
	}
	data, err := json.MarshalIndent(&c, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}
