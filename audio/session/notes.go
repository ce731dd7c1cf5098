package session

import (
	"fmt"
	"time"
)

// The notes for the user about takes: what a crash recovery or placing
// finished takes did with each, as facts. They are errors only so that
// they travel as errors do: the window says them in its language (through
// ui/explain), and Error is their English text for the command line.

// RecoveredTake notes that a take a crash (or a full disk) left
// unfinished was put back on a track.
type RecoveredTake struct {
	File    string    // the take's file in the song's audio folder
	Track   string    // the track it is on now
	Started time.Time // when it was recorded; zero if the journal does not say
	Seconds float64   // how long it is
}

func (n *RecoveredTake) Error() string {
	return fmt.Sprintf("recovered take%s on track %q (%.1f s)", from(n.Started), n.Track, n.Seconds)
}

// EmptyTake notes that a take a crash left unfinished held no audio (or
// none the song could place), so it was left out.
type EmptyTake struct {
	File    string
	Track   string    // the track it was recorded on
	Started time.Time // zero if the journal does not say
}

func (n *EmptyTake) Error() string {
	return fmt.Sprintf("take %s%s held no audio", n.File, from(n.Started))
}

// LostTakeError notes that a take a crash left unfinished could not be
// recovered (Err says why: it is damaged, it cannot be read). Its file
// stays in the song folder.
type LostTakeError struct {
	File    string
	Track   string    // the track it was recorded on
	Started time.Time // zero if the journal does not say
	Err     error
}

func (e *LostTakeError) Error() string {
	return fmt.Sprintf("could not recover %s: %v", e.File, e.Err)
}

func (e *LostTakeError) Unwrap() error { return e.Err }

// MovedTake notes that a take went on a new track because the track it
// was recorded on was deleted (or changed to another kind or number of
// channels) while it recorded. NewTrack is usually Track's name again.
type MovedTake struct {
	File     string
	Track    string // the track it was recorded on, as it was named then
	NewTrack string // the track it is on now
	Deleted  bool   // the track is gone (else it is of another kind now)
}

func (n *MovedTake) Error() string {
	what := "changed"
	if n.Deleted {
		what = "was deleted"
	}
	return fmt.Sprintf("the track %q %s while it recorded: its take is on the new track %q", n.Track, what, n.NewTrack)
}

// from is " from 14:32" (local time), or "" for a zero time.
func from(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return " from " + t.Local().Format("15:04")
}
