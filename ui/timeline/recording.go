package timeline

import "sangstudio/projects"

// Waveform is the overview of a take being recorded, as far as it is
// recorded (a *waveform.Peaks is one): Range reduces take frames
// [from,to) to buckets min/max pairs appended to mins and maxs, frames
// not recorded yet being silence.
type Waveform interface {
	Range(from, to int64, buckets int, mins, maxs []float32) ([]float32, []float32)
}

// Recording is a take being recorded, drawn on its track in the recording
// colour over the track's clips.
type Recording struct {
	Track      int   // index into the song's tracks
	Start, End int64 // the timeline frames it covers so far
	Offset     int64 // the take frame at Start
	// Wave is its waveform (nil: none, as for a MIDI take).
	Wave Waveform
}

// SetRecordings shows the takes being recorded (none: nil). The window
// calls it at every tick while recording: while their number stays the
// same only their blocks are redrawn.
func (t *Timeline) SetRecordings(recs []Recording) {
	n := len(t.recs)
	t.recs = append(t.recs[:0], recs...)
	if t.r == nil {
		return
	}
	if len(recs) != n {
		t.Refresh()
		return
	}
	for _, v := range t.r.layoutRecordings() {
		v.refresh()
	}
}

// layoutRecordings places the blocks of the takes being recorded (the
// pool's views, in the order of t.recs; those of tracks not in the song are
// hidden) and returns them.
func (r *renderer) layoutRecordings() []*clipView {
	t := r.t
	r.recs.reset()
	for _, rc := range t.recs {
		v := r.recs.get()
		v.live = rc.Wave
		if t.song == nil || rc.Track < 0 || rc.Track >= len(t.song.Tracks) {
			v.layout(r, projects.Clip{}, row{track: -1, lane: -1}, false, false, false)
			continue
		}
		c := projects.Clip{Position: rc.Start, Offset: rc.Offset, Length: max(rc.End-rc.Start, 0)}
		v.layout(r, c, row{track: rc.Track, lane: -1, y: t.trackTop(rc.Track), h: t.rowHeight}, false, false, false)
	}
	return r.recs.used()
}

// trackTop is the y of track i's row.
func (t *Timeline) trackTop(i int) float32 {
	top := rulerHeight
	for j := 0; j < i; j++ {
		top += t.TrackHeight(j)
	}
	return top
}
