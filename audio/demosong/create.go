package demosong

import (
	"fmt"

	"sangstudio/audio/wav"
	"sangstudio/internal/durable"
	"sangstudio/internal/fserr"
	"sangstudio/midi/smf"
	"sangstudio/projects"
)

// Create writes the demo song into dir (which must not hold a song yet)
// at the given sample rate and returns it: one take and one track per
// instrument, with the suggested mix, the markers and the lyrics, and a
// MIDI track ("Strykere": strings doubling the melody an octave lower).
func Create(dir string, rate int) (*projects.Song, error) {
	if !projects.ValidRate(rate) {
		return nil, fmt.Errorf("demo: sample rate %d Hz is not supported (44100, 48000 or 96000)", rate)
	}
	if projects.Exists(dir) {
		return nil, fmt.Errorf("demo: %s already holds a song", dir)
	}
	g := Generate(rate)
	s := projects.New(g.Title, rate)
	s.Tempo = g.Tempo
	s.TimeSig = projects.TimeSig{Beats: g.BeatsPerBar, Unit: g.BeatUnit}
	s.Lyrics = g.Lyrics
	for _, m := range g.Markers {
		s.Markers = append(s.Markers, projects.Marker{Name: m.Name, Position: m.Frame})
	}
	if err := projects.Create(dir, s); err != nil {
		return nil, err
	}
	for _, tr := range g.Tracks {
		f, take, err := projects.NewTakeFile(dir, s, tr.Name, ".wav")
		if err != nil {
			return nil, err
		}
		w, err := wav.NewWriter(f, wav.Format{Rate: rate, Channels: tr.Channels, Encoding: wav.Float32}, wav.WriterOptions{})
		if err != nil {
			f.Close()
			return nil, err
		}
		if err := w.Write(tr.Audio); err != nil {
			w.Close()
			return nil, fmt.Errorf("demo: writing %s: %w", take, fserr.Describe(err))
		}
		if err := w.Close(); err != nil {
			return nil, fmt.Errorf("demo: writing %s: %w", take, fserr.Describe(err))
		}
		t := projects.NewTrack(tr.Name, tr.Channels)
		t.GainDB, t.Pan = tr.GainDB, tr.Pan
		t.Clips = append(t.Clips, projects.Clip{Take: take, Length: g.Frames})
		s.Tracks = append(s.Tracks, t)
	}
	// A MIDI track, to hear (and try) the instrument: strings doubling the
	// melody an octave lower.
	f, take, err := projects.NewTakeFile(dir, s, "Strykere", ".mid")
	if err != nil {
		return nil, err
	}
	err = smf.Write(f, StringsEvents(rate), rate, s.Tempo, [2]int{s.TimeSig.Beats, s.TimeSig.Unit}, "Strykere")
	err = durable.Finish(f, err)
	if err != nil {
		return nil, fmt.Errorf("demo: writing %s: %w", take, fserr.Describe(err))
	}
	t := projects.NewMIDITrack("Strykere", StringsProgram, false)
	t.GainDB, t.Pan = -3, -0.35
	t.Clips = append(t.Clips, projects.Clip{Take: take, Length: g.Frames})
	s.Tracks = append(s.Tracks, t)
	if err := projects.Save(dir, s); err != nil {
		return nil, err
	}
	return s, nil
}
