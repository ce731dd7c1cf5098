package projects

import (
	"fmt"
	"sort"
)

// MaxRenderHours is the longest song, in hours, that is rendered (mixed,
// mastered, measured, put on a CD). A session song lasts minutes; a whole
// concert or a day of rehearsal recorded in one go lasts a few hours. A
// song longer than 6 hours is almost always a clip moved far out by
// mistake (or a damaged song file): its render would be gigabytes of
// silence, and it would not fit a WAV file anyway (a 24-bit stereo WAV at
// 48 kHz holds at most 6.2 hours, the render's default format). The song
// still loads, plays and can be edited: only rendering it is refused,
// naming the clip to move.
const MaxRenderHours = 6

// OutlierGap is how far after the end of the rest of a song a clip must
// start for it to be called far beyond the rest: a song with ten minutes
// of silence in it is rare, a clip moved there by mistake is not.
const OutlierGap = 10 * 60 // seconds

// ClipAt names one clip of a song: the track's and clip's numbers (from
// 1), the track's name, the take it plays and where it lies, in frames.
type ClipAt struct {
	Track     int
	TrackName string
	Clip      int
	Take      string
	Position  int64
	End       int64
}

func (c ClipAt) String() string {
	return fmt.Sprintf("clip %d on track %d (%q)", c.Clip, c.Track, c.TrackName)
}

// Outlier is a clip that starts more than OutlierGap after the end of
// every clip before it (on all tracks), with the clips after it.
type Outlier struct {
	ClipAt
	RestEnd int64 // the end of the clips before it, in frames
	Others  int   // clips that start after it (as far beyond the rest)
	Rate    int
}

// Outlier returns the first clip after the last gap longer than OutlierGap
// between a song's clips (the tracks' playing clips, not other takes'
// lanes), if there is one: the start of the part of the song that lies
// far beyond the rest, usually a clip moved there by mistake.
func (s *Song) Outlier() (Outlier, bool) {
	clips := s.playingClips()
	sort.SliceStable(clips, func(i, j int) bool { return clips[i].Position < clips[j].Position })
	gap := int64(OutlierGap) * int64(s.Rate)
	var end int64
	found := -1
	var restEnd int64
	for i, c := range clips {
		if i > 0 && c.Position-end > gap {
			found, restEnd = i, end
		}
		end = max(end, c.End)
	}
	if found < 0 || s.Rate <= 0 {
		return Outlier{}, false
	}
	return Outlier{ClipAt: clips[found], RestEnd: restEnd, Others: len(clips) - found - 1, Rate: s.Rate}, true
}

// Text says where the outlier lies and what to do, in plain words:
// "clip 2 on track 1 ("Vokal") starts at 720:00:00 (30.0 days in), far
// beyond the rest of the song, which ends at 0:12".
func (o Outlier) Text() string {
	t := fmt.Sprintf("%s starts at %s, far beyond the rest of the song, which ends at %s", o.ClipAt, Clock(o.Position, o.Rate), Clock(o.RestEnd, o.Rate))
	if o.Others == 1 {
		t += " (and one more clip lies after it)"
	} else if o.Others > 1 {
		t += fmt.Sprintf(" (and %d more clips lie after it)", o.Others)
	}
	return t
}

// TooLongError is a song too long to render (see MaxRenderHours): how
// long, and the clip that makes it so.
type TooLongError struct {
	Length  int64 // frames
	Rate    int
	Last    ClipAt   // the clip that ends last
	Outlier *Outlier // the part far beyond the rest, if there is one
}

func (e *TooLongError) Error() string {
	hours := float64(e.Length) / float64(e.Rate) / 3600
	if o := e.Outlier; o != nil {
		return fmt.Sprintf("the song is %.1f hours long because %s: move or delete that clip (Sangstudio renders songs of up to %d hours)",
			hours, o.Text(), MaxRenderHours)
	}
	return fmt.Sprintf("the song is %.1f hours long (%s ends at %s): shorten it, or split it into several songs (Sangstudio renders songs of up to %d hours)",
		hours, e.Last, Clock(e.Last.End, e.Rate), MaxRenderHours)
}

// CheckRenderLength refuses a song too long to render (see
// MaxRenderHours) with a *TooLongError naming the clip to move. Every
// renderer checks this before anything else, before the disk space.
func (s *Song) CheckRenderLength() error {
	n := s.Length()
	if s.Rate <= 0 || n <= int64(MaxRenderHours)*3600*int64(s.Rate) {
		return nil
	}
	e := &TooLongError{Length: n, Rate: s.Rate}
	for _, c := range s.playingClips() {
		if c.End > e.Last.End {
			e.Last = c
		}
	}
	if o, ok := s.Outlier(); ok {
		e.Outlier = &o
	}
	return e
}

// playingClips lists the clips of every track (not the other takes'
// lanes), in track order.
func (s *Song) playingClips() []ClipAt {
	var out []ClipAt
	for i, t := range s.Tracks {
		for j, c := range t.Clips {
			out = append(out, ClipAt{Track: i + 1, TrackName: t.Name, Clip: j + 1, Take: c.Take, Position: c.Position, End: c.End()})
		}
	}
	return out
}

// Clock is a time in the song as M:SS, or H:MM:SS from an hour on, with
// the days added from two days on ("720:00:00 (30.0 days in)").
func Clock(frames int64, rate int) string {
	if rate <= 0 {
		return "?"
	}
	sec := frames / int64(rate)
	var t string
	if sec < 3600 {
		t = fmt.Sprintf("%d:%02d", sec/60, sec%60)
	} else {
		t = fmt.Sprintf("%d:%02d:%02d", sec/3600, sec/60%60, sec%60)
	}
	if sec >= 2*86400 {
		t += fmt.Sprintf(" (%.1f days in)", float64(sec)/86400)
	}
	return t
}
