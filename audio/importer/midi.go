package importer

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"sangstudio/internal/durable"
	"sangstudio/midi"
	"sangstudio/midi/smf"
	"sangstudio/midi/synth"
	"sangstudio/projects"
)

// IsMIDIFile reports whether path names a Standard MIDI File (by its
// extension: .mid, .midi, .smf, .kar).
func IsMIDIFile(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".mid", ".midi", ".smf", ".kar":
		return true
	}
	return false
}

// prepareMIDI reads a MIDI file and makes one MIDI track per channel that
// plays notes: its events become an incoming take (a .mid file at the
// file's timing), its first program change the track's sound, and channel
// 10 the drum kit. When useTiming is set (a new song made from this one
// file), song (the song's timing) takes the file's tempo and time
// signature.
func prepareMIDI(dir string, song *projects.Song, path string, useTiming bool) (items []item, err error) {
	fail := func(e error) ([]item, error) {
		return items, &FileError{Path: path, Err: e}
	}
	f, err := smf.ReadFile(path, song.Rate)
	if err != nil {
		if errors.Is(err, smf.ErrNoNotes) {
			return fail(errors.New("it has no notes to play"))
		}
		return fail(errors.New(strings.TrimPrefix(err.Error(), path+": ")))
	}
	if useTiming {
		if f.Tempo >= 20 && f.Tempo <= 400 {
			song.Tempo = f.Tempo
		}
		if ts := (projects.TimeSig{Beats: f.TimeSig[0], Unit: f.TimeSig[1]}); ts.Beats >= 1 && ts.Beats <= 32 {
			switch ts.Unit {
			case 1, 2, 4, 8, 16, 32:
				song.TimeSig = ts
			}
		}
	}
	base := TrackName(path)
	for _, ch := range f.Channels {
		drums := ch.Channel == midi.DrumChannel
		program := max(ch.Program, 0)
		name := ch.Name
		switch {
		case name != "":
		case drums:
			name = "Drums"
		case ch.Program >= 0:
			name = synth.ProgramName(ch.Program)
		default:
			name = fmt.Sprintf("%s %d", base, ch.Channel+1)
		}
		if drums {
			program = 0 // a program change on channel 10 picks a kit; Standard is the safe choice
		}
		name = TrackName(name + ".mid")
		in, err := projects.NewIncoming(dir)
		if err != nil {
			return items, fileIntoSong(dir, path, err)
		}
		it := item{in: in, ext: ".mid"}
		items = append(items, it)
		file := in.File()
		werr := smf.Write(file, ch.Events, song.Rate, song.Tempo, [2]int{song.TimeSig.Beats, song.TimeSig.Unit}, name)
		werr = durable.Finish(file, werr)
		if werr != nil {
			return items, fileIntoSong(dir, path, werr)
		}
		last := ch.Events[len(ch.Events)-1].Frame
		t := projects.NewMIDITrack(name, program, drums)
		t.Clips = append(t.Clips, projects.Clip{Length: last + synth.Tail(song.Rate)})
		items[len(items)-1].track = t
	}
	if len(items) == 0 {
		return fail(errors.New("it has no notes to play"))
	}
	return items, nil
}
