package session

import (
	"time"

	"sangstudio/projects/songlog"
)

// TakeEntries are the song log's lines (songlog) for takes saved on their
// tracks: one per take, with its track and length, at the time at. by is
// songlog.ByWindow or songlog.ByCommand. The window and the command line
// both log their takes through it.
func TakeEntries(rate int, takes []Take, by string, at time.Time) []songlog.Entry {
	var es []songlog.Entry
	for _, tk := range takes {
		secs := 0.0
		if rate > 0 {
			secs = float64(tk.Frames) / float64(rate)
		}
		es = append(es, songlog.Entry{Time: at, Event: songlog.Take, By: by, Track: tk.Track, Seconds: secs})
	}
	return es
}
