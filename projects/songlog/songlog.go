// Package songlog keeps a song's log: when the song was worked on, the
// takes recorded, and every copy that left the song folder (mix files,
// stems, take-home copies, CD images, archives), with date, format and
// destination. A therapist can then say what was done in each session, and
// where copies of private recordings went.
//
// The log is the file songlog.jsonl in the song folder, one JSON object per
// line, so it travels with the song (archives and copies of the folder)
// but is not part of song.json: undo never takes a line back. Lines are only
// ever added (durable.AppendLine): the window and a command at the same
// time each add whole lines, and a line cut short by a crash damages only
// itself. Reading skips lines it cannot use and counts them.
//
// A session is a calendar day (local time) on which the song was opened:
// its length is how long the song was open that day, its takes and copies
// those of that day.
package songlog

import (
	"bytes"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"sangstudio/internal/durable"
	"sangstudio/internal/openfile"
)

// File is the log's name in the song folder.
const File = "songlog.jsonl"

// maxRead is how much of the end of the log is read: about 40,000 lines,
// years of weekly sessions. An older start is left out of the summaries.
const maxRead = 8 << 20

// maxLine is the longest line read; a longer one is damaged.
const maxLine = 16 << 10

// Event is what a log line records.
type Event string

const (
	// Opened: the song was opened for work (the window, or a recording
	// from the command line).
	Opened Event = "opened"
	// Closed: that work ended.
	Closed Event = "closed"
	// Take: a take was recorded (Track, Seconds).
	Take Event = "take"
	// Copy: a copy of the song's sound left the folder (What, Format, To).
	Copy Event = "copy"
)

// What a copy was.
const (
	CopyMix      = "mix"       // a stereo mix file (render, bounce, master)
	CopyStems    = "stems"     // one file per track
	CopyTakeHome = "take-home" // the mix on a USB stick or in a folder
	CopyCD       = "cd"        // a CD image or a burned CD
	CopyArchive  = "archive"   // the whole song as an archive
)

// Who wrote an entry (Entry.By).
const (
	ByWindow  = "window"
	ByCommand = "command"
)

// Entry is one line of the log.
type Entry struct {
	Time  time.Time `json:"time"`
	Event Event     `json:"event"`
	// By is who wrote it: ByWindow or ByCommand.
	By string `json:"by,omitempty"`
	// Take: the track's name and the take's length.
	Track   string  `json:"track,omitempty"`
	Seconds float64 `json:"seconds,omitempty"`
	// Copy: what (CopyMix, …), the file format ("wav", "mp3", "flac",
	// "bin/cue", "zip"), and where it went (a file or folder).
	What   string `json:"what,omitempty"`
	Format string `json:"format,omitempty"`
	To     string `json:"to,omitempty"`
}

// Path is the log's path in the song folder dir.
func Path(dir string) string { return filepath.Join(dir, File) }

// Append adds e to the log of the song in dir (Time is now when zero).
func Append(dir string, e Entry) error {
	return AppendAll(dir, []Entry{e})
}

// AppendAll adds entries to the log of the song in dir, in order (a Time
// that is zero is now). It stops at the first that cannot be written.
func AppendAll(dir string, entries []Entry) error {
	for _, e := range entries {
		if e.Time.IsZero() {
			e.Time = time.Now()
		}
		e.Time = e.Time.UTC().Round(time.Second)
		line, err := json.Marshal(e)
		if err != nil {
			return err
		}
		if err := durable.AppendLine(Path(dir), line, 0o600); err != nil {
			return err
		}
	}
	return nil
}

// Read reads the log of the song in dir: its entries in the order written,
// and how many lines were damaged (skipped). A song without a log has
// none.
func Read(dir string) (entries []Entry, damaged int, err error) {
	f, err := openfile.Regular(Path(dir))
	if err != nil {
		if isNotExist(err) {
			return nil, 0, nil
		}
		return nil, 0, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, 0, err
	}
	start := max(fi.Size()-maxRead, 0)
	data, err := io.ReadAll(io.NewSectionReader(f, start, fi.Size()-start))
	if err != nil {
		return nil, 0, err
	}
	if start > 0 {
		// Begin at the first whole line.
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			data = data[i+1:]
		}
	}
	entries, damaged = Parse(data)
	return entries, damaged, nil
}

// Parse reads log lines: the entries it can use, in order, and how many
// non-empty lines it could not (not JSON, too long, not valid UTF-8, an
// unknown event, no time).
func Parse(data []byte) (entries []Entry, damaged int) {
	for len(data) > 0 {
		var line []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			line, data = data, nil
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		e, ok := parseLine(line)
		if !ok {
			damaged++
			continue
		}
		entries = append(entries, e)
	}
	return entries, damaged
}

func parseLine(line []byte) (Entry, bool) {
	var e Entry
	if len(line) > maxLine || !utf8.Valid(line) || json.Unmarshal(line, &e) != nil || e.Time.IsZero() {
		return Entry{}, false
	}
	switch e.Event {
	case Opened, Closed, Take, Copy:
	default:
		return Entry{}, false
	}
	if e.Seconds < 0 || e.Seconds > 1e7 || e.Seconds != e.Seconds {
		e.Seconds = 0
	}
	return e, true
}

// NoteCopies notes in the log of the song in dir that copies of its sound
// left the song: what (CopyMix, …) went to each of paths (a file, or a
// folder for stems), the format being each path's extension ("mp3",
// "wav"; "folder" for a folder). The copies are made by then; a log that
// cannot note them costs them nothing, so callers may ignore the error.
func NoteCopies(dir, what string, paths ...string) error {
	now := time.Now()
	var es []Entry
	for _, p := range paths {
		format := strings.TrimPrefix(strings.ToLower(filepath.Ext(p)), ".")
		if format == "" {
			format = "folder"
		}
		es = append(es, Entry{Time: now, Event: Copy, What: what, Format: format, To: p})
	}
	return AppendAll(dir, es)
}
