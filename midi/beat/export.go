package beat

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"

	"sangstudio/midi"
	"sangstudio/midi/smf"
	"sangstudio/projects"
)

// ErrNoNotes: the track has nothing to export.
var ErrNoNotes = errors.New("the track plays no notes")

// Export writes MIDI track i of the song in dir (a beat track, or any
// MIDI track) as a Standard MIDI File: the notes its clips play, where
// they play them on the timeline (a clip's part that a later clip covers
// is left out, as it is not heard; notes a clip's end cuts end there), at
// the song's tempo (FileTempo) and time signature, so other programs show
// them on the song's bars. A drum track's notes are on channel 10; other
// tracks' are on channel 1, with the track's sound as a program change.
func Export(w io.Writer, dir string, s *projects.Song, i int) error {
	t, err := trackRef(s, i)
	if err != nil {
		return err
	}
	var events []midi.Event
	for k, c := range t.Clips {
		taken, err := smf.ReadEvents(projects.AudioPath(dir, c.Take), s.Rate)
		if err != nil {
			return err
		}
		for _, seg := range heard(t.Clips, k) {
			events = appendSegment(events, c, taken, seg)
		}
	}
	if !slices.ContainsFunc(events, func(e midi.Event) bool { return e.IsNoteOn() }) {
		return fmt.Errorf("track %d (%q): %w", i+1, t.Name, ErrNoNotes)
	}
	ch := 0
	if t.Drums {
		ch = midi.DrumChannel
	}
	for k := range events {
		events[k] = events[k].WithChannel(ch)
	}
	if !t.Drums {
		events = append([]midi.Event{{Msg: [3]byte{midi.ProgramChange, byte(t.Program)}}}, events...)
	}
	return smf.Write(w, events, s.Rate, FileTempo(s), [2]int{s.TimeSig.Beats, s.TimeSig.Unit}, t.Name)
}

// span is a range of timeline frames [from, to).
type span struct{ from, to int64 }

// heard is where clip k of clips is heard: its span without the parts
// that later clips cover.
func heard(clips []projects.Clip, k int) []span {
	spans := []span{{clips[k].Position, clips[k].End()}}
	for _, c := range clips[k+1:] {
		var next []span
		for _, s := range spans {
			if c.End() <= s.from || c.Position >= s.to {
				next = append(next, s)
				continue
			}
			if c.Position > s.from {
				next = append(next, span{s.from, c.Position})
			}
			if c.End() < s.to {
				next = append(next, span{c.End(), s.to})
			}
		}
		spans = next
	}
	return spans
}

// appendSegment adds the events of take (at take frames) that clip c
// plays within seg, at their timeline frames, with note-offs at seg's end
// for the notes still sounding there.
func appendSegment(out []midi.Event, c projects.Clip, take []midi.Event, seg span) []midi.Event {
	held := map[[2]byte]bool{}
	for _, e := range take {
		f := c.Position + e.Frame - c.Offset
		if f < seg.from || f > seg.to || (f == seg.to && !e.IsNoteOff()) {
			continue
		}
		key := [2]byte{e.Msg[0] & 0x0F, e.Msg[1]}
		switch {
		case e.IsNoteOn():
			held[key] = true
		case e.IsNoteOff():
			if !held[key] {
				continue // its note-on was before the segment
			}
			delete(held, key)
		}
		e.Frame = f
		out = append(out, e)
	}
	keys := make([][2]byte, 0, len(held))
	for k := range held {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [2]byte) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	for _, k := range keys {
		out = append(out, midi.Event{Frame: seg.to, Msg: [3]byte{midi.NoteOff | k[0], k[1], 0}})
	}
	return out
}
