package studio

import (
	"slices"
	"time"

	"sangstudio/projects/songlog"
)

// openLog notes in the song's log that the window opened the song, and
// reads the log for the session clock and the song view. A log that cannot
// be written or read costs the song nothing: the user is told once.
func (st *Studio) openLog() {
	st.opened = time.Now()
	err := songlog.Append(st.Dir, songlog.Entry{Time: st.opened, Event: songlog.Opened, By: songlog.ByWindow})
	es, damaged, rerr := songlog.Read(st.Dir)
	if err == nil {
		err = rerr
	}
	st.log = es
	if err != nil {
		st.Notices = append(st.Notices, LogError{Err: err})
	} else if damaged > 0 {
		st.Notices = append(st.Notices, LogError{Damaged: damaged})
	}
}

// closeLog notes that the window closed the song (off the UI thread,
// before the song is unlocked).
func (st *Studio) closeLog() {
	songlog.Append(st.Dir, songlog.Entry{Event: songlog.Closed, By: songlog.ByWindow})
}

// LogError says the song's log could not be written or read (Err), or
// that lines of it were damaged and skipped (Damaged). The song itself is
// not affected.
type LogError struct {
	Err     error
	Damaged int
}

func (e LogError) Error() string {
	if e.Err != nil {
		return "The song's log (" + songlog.File + ") could not be updated: " + e.Err.Error()
	}
	return "Some lines of the song's log (" + songlog.File + ") were damaged and are left out."
}

func (e LogError) Unwrap() error { return e.Err }

// SongLog is the song's log as read when it was opened, with what the
// window added since.
func (st *Studio) SongLog() []songlog.Entry { return slices.Clone(st.log) }

// OpenToday is how long the song has been open today (the session clock),
// counting earlier openings today too.
func (st *Studio) OpenToday(now time.Time) time.Duration {
	return songlog.Today(songlog.Sessions(st.log, now, true), now)
}
