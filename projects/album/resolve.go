package album

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"sangstudio/projects"
)

// Resolved is a track with its song found and its defaults filled in.
type Resolved struct {
	Dir       string         // absolute song folder
	Song      *projects.Song // nil when the song could not be opened
	Title     string         // effective: the track's title, else the song's, else the folder name
	Performer string         // effective: the track's performer, else the song's, else the album's
	Gap       float64        // effective seconds of silence before the track (track 1: FirstGap)
	// Recovery is set when the song opened from an earlier copy because
	// its song.json was damaged (see projects.Load).
	Recovery *projects.Recovery
}

// Length is the song's length (the end of its last clip); 0 when the song
// could not be opened.
func (r Resolved) Length() time.Duration {
	if r.Song == nil || r.Song.Rate <= 0 {
		return 0
	}
	n, rate := r.Song.Length(), int64(r.Song.Rate)
	return time.Duration(n/rate)*time.Second + time.Duration(n%rate)*time.Second/time.Duration(rate)
}

// TrackError is a problem with one track's song.
type TrackError struct {
	Track int    // 1-based
	Dir   string // the song folder the track points at
	Err   error  // what is wrong, in plain words
}

func (e *TrackError) Error() string { return fmt.Sprintf("track %d (%s): %v", e.Track, e.Dir, e.Err) }
func (e *TrackError) Unwrap() error { return e.Err }

// ResolveError lists the tracks whose songs could not be opened.
type ResolveError struct {
	Tracks []*TrackError
}

func (e *ResolveError) Error() string {
	if len(e.Tracks) == 1 {
		return e.Tracks[0].Error()
	}
	return fmt.Sprintf("%s (and %d more tracks with problems)", e.Tracks[0].Error(), len(e.Tracks)-1)
}

// Unwrap gives the track errors to errors.Is and errors.As.
func (e *ResolveError) Unwrap() []error {
	out := make([]error, len(e.Tracks))
	for i, t := range e.Tracks {
		out[i] = t
	}
	return out
}

// Problems for TrackError.Err.
var (
	ErrSongMissing = errors.New("the song folder is missing: the song was deleted or moved")
	ErrNotASong    = errors.New("the folder holds no song (no song.json)")
	ErrNoSong      = errors.New("the track names no song folder")
)

// SongDir returns the absolute folder a track's Song names, for an album in
// albumDir: relative names are inside the library root, the parent of
// albumDir.
func SongDir(albumDir, song string) string {
	if filepath.IsAbs(song) {
		return filepath.Clean(song)
	}
	abs, err := filepath.Abs(albumDir)
	if err != nil {
		abs = filepath.Clean(albumDir)
	}
	return filepath.Join(filepath.Dir(abs), song)
}

// Resolve opens each track's song (the album is in albumDir) and fills in
// the effective titles, performers and gaps. It always returns one Resolved
// per track; when some songs cannot be opened (deleted, moved, damaged,
// recordings missing, made by a newer Sangstudio), their Song is nil and
// the error is a *ResolveError naming each such track's number and folder.
func (a *Album) Resolve(albumDir string) ([]Resolved, error) {
	out := make([]Resolved, len(a.Tracks))
	var problems []*TrackError
	for i, t := range a.Tracks {
		r := &out[i]
		r.Dir = SongDir(albumDir, t.Song)
		if strings.TrimSpace(t.Song) == "" {
			r.Dir = ""
			problems = append(problems, &TrackError{Track: i + 1, Dir: "no folder", Err: ErrNoSong})
		} else {
			s, rec, err := projects.Load(r.Dir)
			if err != nil {
				problems = append(problems, &TrackError{Track: i + 1, Dir: r.Dir, Err: songProblem(r.Dir, err)})
			} else {
				r.Song, r.Recovery = s, rec
			}
		}
		r.Title = strings.TrimSpace(t.Title)
		if r.Title == "" && r.Song != nil {
			r.Title = strings.TrimSpace(r.Song.Title)
		}
		if r.Title == "" && r.Dir != "" {
			r.Title = filepath.Base(r.Dir)
		}
		r.Performer = strings.TrimSpace(t.Performer)
		if r.Performer == "" && r.Song != nil {
			r.Performer = strings.TrimSpace(r.Song.Performer)
		}
		if r.Performer == "" {
			r.Performer = strings.TrimSpace(a.Performer)
		}
		r.Gap = t.Gap
		if i == 0 {
			r.Gap = FirstGap
		}
	}
	if len(problems) > 0 {
		return out, &ResolveError{Tracks: problems}
	}
	return out, nil
}

// songProblem words why projects.Load could not open the song in dir.
func songProblem(dir string, err error) error {
	var se *projects.SchemaError
	var me *projects.MissingTakesError
	var le *projects.LoadError
	if fi, serr := os.Stat(dir); errors.Is(serr, fs.ErrNotExist) {
		return ErrSongMissing
	} else if serr == nil && !fi.IsDir() {
		return errors.New("the song folder is a file, not a folder")
	}
	switch {
	case errors.Is(err, projects.ErrNotASong):
		return ErrNotASong
	case errors.As(err, &se) && se.Version > projects.Schema:
		return fmt.Errorf("the song was saved by a newer Sangstudio: %w", err)
	case errors.As(err, &me):
		return fmt.Errorf("some of the song's recordings are missing: %w", me)
	case errors.As(err, &le):
		return fmt.Errorf("the song cannot be opened: %w", le.Err)
	}
	return fmt.Errorf("the song cannot be opened: %w", err)
}

// Rows makes the track list for the CD insert from resolved tracks.
func Rows(rs []Resolved) []InsertRow {
	out := make([]InsertRow, len(rs))
	for i, r := range rs {
		out[i] = InsertRow{Title: r.Title, Performer: r.Performer, Length: r.Length()}
	}
	return out
}
