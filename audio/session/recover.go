package session

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"sangstudio/audio/wav"
	"sangstudio/midi/smf"
	"sangstudio/midi/synth"
	"sangstudio/projects"
)

// journalName is the recording journal in the song folder.
const journalName = ".recording.json"

type journal struct {
	Takes []journalTake `json:"takes"`
}

type journalTake struct {
	File     string `json:"file"`
	Track    string `json:"track"`
	Channels int    `json:"channels"`
	Start    int64  `json:"start"`
	Latency  int64  `json:"latency"`
	Started  string `json:"started"`
	Device   string `json:"device,omitempty"`
	MIDI     bool   `json:"midi,omitempty"` // a MIDI take on a MIDI track
	Program  int    `json:"program,omitempty"`
	Drums    bool   `json:"drums,omitempty"`
}

func readJournal(dir string) (journal, error) {
	var j journal
	data, err := os.ReadFile(filepath.Join(dir, journalName))
	if err != nil {
		return j, err
	}
	if err := json.Unmarshal(data, &j); err != nil {
		return journal{}, fmt.Errorf("%s is damaged: %v", journalName, err)
	}
	return j, nil
}

func writeJournal(dir string, j journal) error {
	data, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		return err
	}
	return projects.WriteFileAtomic(filepath.Join(dir, journalName), data)
}

// repairTake makes a take file left by a crash usable and returns its
// length in frames. A WAV take is repaired up to its last checkpoint; a
// MIDI take is always a whole file (it is rewritten atomically at each
// checkpoint): it lasts until its last event has rung out.
func repairTake(path string, isMIDI bool, rate int) (int64, error) {
	if !isMIDI {
		return wav.Repair(path)
	}
	if _, err := os.Stat(path); err != nil {
		return 0, err
	}
	events, err := smf.ReadEvents(path, rate)
	if err != nil {
		return 0, err
	}
	if len(events) == 0 {
		return 0, nil
	}
	return events[len(events)-1].Frame + synth.Tail(rate), nil
}

// Recover puts back takes that a crash left unfinished: for each take in the
// song's recording journal that no clip uses yet, it repairs the file (the
// audio up to the last checkpoint, at most a second before the crash),
// adds it to its track as a new pass named "Recovered take from 14:32",
// saves the song and removes the journal. It returns one line per take for
// the user. A song without a journal is left alone.
func Recover(dir string, s *projects.Song) ([]string, error) {
	j, err := readJournal(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	used := map[string]bool{}
	for _, c := range s.AllClips() {
		used[c.Take] = true
	}
	var notes []string
	for _, jt := range j.Takes {
		if used[jt.File] || projects.CheckTakeName(jt.File) != nil {
			continue
		}
		path := projects.AudioPath(dir, jt.File)
		frames, err := repairTake(path, jt.MIDI, s.Rate)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			notes = append(notes, fmt.Sprintf("could not recover %s: %v", jt.File, err))
			continue
		}
		when := jt.Started
		if t, err := time.Parse(time.RFC3339, jt.Started); err == nil {
			when = t.Local().Format("15:04")
		}
		c, ok := Place(jt.File, jt.Start, jt.Latency, frames)
		if !ok {
			notes = append(notes, fmt.Sprintf("take %s from %s held no audio", jt.File, when))
			continue
		}
		i, ferr := s.FindTrack(jt.Track)
		if ferr != nil || s.Tracks[i].Channels != jt.Channels || s.Tracks[i].IsMIDI() != jt.MIDI {
			t := projects.NewTrack(s.UniqueTrackName(jt.Track), jt.Channels)
			if jt.MIDI {
				t = projects.NewMIDITrack(t.Name, jt.Program, jt.Drums)
			}
			s.Tracks = append(s.Tracks, t)
			i = len(s.Tracks) - 1
		}
		s.Tracks[i].NewPass("Recovered take from "+when, []projects.Clip{c})
		if s.Take(jt.File) == nil {
			s.Takes = append(s.Takes, projects.TakeInfo{File: jt.File, Recorded: jt.Started, Frames: frames, Device: jt.Device, Recovered: true})
		}
		notes = append(notes, fmt.Sprintf("recovered take from %s on track %q (%.1f s)", when, s.Tracks[i].Name, float64(frames)/float64(s.Rate)))
	}
	if err := projects.Save(dir, s); err != nil {
		return notes, err
	}
	return notes, os.Remove(filepath.Join(dir, journalName))
}
