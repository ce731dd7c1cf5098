package importer

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"sangstudio/internal/fserr"
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

// importMIDI reads a MIDI file and makes one MIDI track per channel that
// plays notes: its events become a take (a .mid file in audio/ at the
// file's timing), its first program change the track's sound, and channel
// 10 the drum kit. When useTiming is set (a new song made from this one
// file), the song takes the file's tempo and time signature.
func importMIDI(dir string, song *projects.Song, path string, useTiming bool) (tracks []*projects.Track, takes []string, err error) {
	fail := func(e error) ([]*projects.Track, []string, error) {
		return nil, takes, &FileError{Path: path, Err: e}
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
		file, take, err := projects.NewTakeFile(dir, song, name, ".mid")
		if err != nil {
			return fail(fserr.Describe(err))
		}
		takes = append(takes, take)
		werr := smf.Write(file, ch.Events, song.Rate, song.Tempo, [2]int{song.TimeSig.Beats, song.TimeSig.Unit}, name)
		if werr == nil {
			werr = file.Sync()
		}
		if cerr := file.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return fail(fmt.Errorf("writing %s: %w", projects.AudioPath(dir, take), fserr.Describe(werr)))
		}
		last := ch.Events[len(ch.Events)-1].Frame
		t := projects.NewMIDITrack(name, program, drums)
		t.Clips = append(t.Clips, projects.Clip{Take: take, Length: last + synth.Tail(song.Rate)})
		tracks = append(tracks, t)
	}
	if len(tracks) == 0 {
		return fail(errors.New("it has no notes to play"))
	}
	return tracks, takes, nil
}
