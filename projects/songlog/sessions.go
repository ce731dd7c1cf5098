package songlog

import (
	"errors"
	"io/fs"
	"sort"
	"time"
)

func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }

// Session is a day the song was worked on.
type Session struct {
	// Day is the day's start (midnight, local time).
	Day time.Time
	// Open is how long the song was open that day.
	Open time.Duration
	// Takes are the takes recorded that day.
	Takes []Entry
	// Copies are the copies that left the song that day.
	Copies []Entry
}

// Sessions groups entries by day in now's time zone, oldest first. A song
// opened and not closed counts as open until now when it is the last
// opening and openNow is true (the window has it open), and otherwise
// until the last entry written while it was open (a crash). One opening
// counts for at most 12 hours.
func Sessions(entries []Entry, now time.Time, openNow bool) []Session {
	loc := now.Location()
	var out []Session
	day := func(t time.Time) *Session {
		t = t.In(loc)
		d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
		if n := len(out); n > 0 && out[n-1].Day.Equal(d) {
			return &out[n-1]
		}
		i := sort.Search(len(out), func(i int) bool { return !out[i].Day.Before(d) })
		if i < len(out) && out[i].Day.Equal(d) {
			return &out[i]
		}
		out = append(out, Session{})
		copy(out[i+1:], out[i:])
		out[i] = Session{Day: d}
		return &out[i]
	}
	var opened, last time.Time
	end := func(at time.Time) {
		if !opened.IsZero() {
			addOpen(day, opened, at, loc)
		}
		opened = time.Time{}
	}
	for _, e := range entries {
		switch e.Event {
		case Opened:
			end(last)
			opened = e.Time
			day(e.Time)
		case Closed:
			end(e.Time)
		case Take:
			s := day(e.Time)
			s.Takes = append(s.Takes, e)
		case Copy:
			s := day(e.Time)
			s.Copies = append(s.Copies, e)
		}
		if e.Time.After(last) {
			last = e.Time
		}
	}
	if openNow && !opened.IsZero() {
		end(now)
	} else {
		end(last)
	}
	return out
}

// maxOpen is the longest one opening counts: a window left open over a
// weekend is not three days of work.
const maxOpen = 12 * time.Hour

// addOpen adds the time from..to (at most maxOpen) to the days it covers.
func addOpen(day func(time.Time) *Session, from, to time.Time, loc *time.Location) {
	if to.Sub(from) > maxOpen {
		to = from.Add(maxOpen)
	}
	for from.Before(to) {
		f := from.In(loc)
		next := time.Date(f.Year(), f.Month(), f.Day()+1, 0, 0, 0, 0, loc)
		stop := to
		if next.Before(to) {
			stop = next
		}
		day(from).Open += stop.Sub(from)
		from = stop
	}
}

// Summary is the log in short, for the library: "3 sessions, 12 takes,
// 2 copies". Sessions counts the days the song was open or recorded on.
type Summary struct {
	Sessions, Takes, Copies int
}

// Summarize counts the sessions, takes and copies.
func Summarize(sessions []Session) Summary {
	var s Summary
	for _, d := range sessions {
		if d.Open > 0 || len(d.Takes) > 0 {
			s.Sessions++ // a day with only a copy made is not a session
		}
		s.Takes += len(d.Takes)
		s.Copies += len(d.Copies)
	}
	return s
}

// Today is how long the song has been open on now's day.
func Today(sessions []Session, now time.Time) time.Duration {
	if n := len(sessions); n > 0 {
		t := now.In(now.Location())
		d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, now.Location())
		if sessions[n-1].Day.Equal(d) {
			return sessions[n-1].Open
		}
	}
	return 0
}
