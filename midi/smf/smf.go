// Package smf reads and writes Standard MIDI Files: imported songs and
// recorded MIDI takes. Times are sample frames at a given rate.
//
// Parsing and encoding are done by gitlab.com/gomidi/midi/v2/smf; this
// package checks the file's structure first (so gomidi never meets sizes it
// cannot handle), recovers from gomidi's panics, and turns ticks into frames
// with the file's tempo map.
package smf

import (
	"errors"

	"sangstudio/midi"
)

// PPQ is the resolution of files Sangstudio writes (ticks per quarter note).
const PPQ = 960

// Limits against damaged or hostile files.
const (
	maxFileSize     = 64 << 20   // bytes read from a file at most
	maxEvents       = 10_000_000 // events (of any kind) in a file at most
	maxTempoChanges = 10_000     // gomidi's tempo map costs O(n²)
	maxFrame        = 1 << 53    // frames at most (beyond exact float64)
)

// ErrNoNotes means the file is a valid MIDI file but has no note-on with a
// velocity above 0. Read returns an error wrapping it (errors.Is).
var ErrNoNotes = errors.New("the file has no notes")

// File is a MIDI file read into frames at a sample rate.
type File struct {
	Format   int       // 0 or 1 (2 is rejected)
	Tempo    float64   // first tempo in BPM (120 if the file has none)
	TimeSig  [2]int    // first time signature (beats, unit), {4, 4} if none
	Name     string    // sequence/track name of the first track, "" if none
	Channels []Channel // one per MIDI channel that has at least one note, in channel order
	Frames   int64     // frame of the last channel voice event in the file (any channel)
}

// Channel is what one MIDI channel of a File plays.
type Channel struct {
	Channel int    // 0-based MIDI channel
	Name    string // name of the first track that carries this channel's notes, "" if unnamed
	Program int    // first program change on the channel, -1 if none
	// Events holds every channel voice message of this channel, sorted by
	// Frame (counted from the song start); events at the same tick keep
	// their file order.
	Events []midi.Event
}
