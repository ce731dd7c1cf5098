package session

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"sangstudio/audio/wav"
	"sangstudio/internal/durable"
	"sangstudio/internal/fserr"
	"sangstudio/internal/openfile"
	"sangstudio/midi/smf"
	"sangstudio/midi/synth"
	"sangstudio/projects"
)

// journalName is the recording journal in the song folder.
const journalName = projects.RecordingJournal

type journal struct {
	Takes []journalTake `json:"takes"`
}

type journalTake struct {
	File     string `json:"file"`
	Track    string `json:"track"`
	TrackID  string `json:"track_id,omitempty"` // the track's lasting ID (projects.Track.ID); preferred to the name
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
	data, err := openfile.ReadFile(filepath.Join(dir, journalName)) // a FIFO is refused, not waited on
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
	return durable.WriteFile(filepath.Join(dir, journalName), data, projects.FilePerm)
}

// Recovery is what recovering a song's unfinished takes did.
type Recovery struct {
	// Notes has one note per take for the user: a *RecoveredTake, an
	// *EmptyTake, or a *LostTakeError (why it could not be recovered).
	// Their Error is the English of the command line ("recovered take from
	// 14:32 on track "Vokal" (12.0 s)"); the window says them itself.
	Notes []error
	// Unsaved is nil when the recovered takes are saved in song.json (or
	// there were none). Otherwise it is an *UnsavedError: the takes are in
	// the song in memory only, and it says in plain words why they are not
	// saved and what to do ("The disk is full: the 2 recovered takes are
	// shown but not saved yet. Free some space (delete or move files) and
	// open the song again.").
	Unsaved error
}

// Messages returns everything to tell the user: the notes, then the
// Unsaved error if there is one.
func (r Recovery) Messages() []error {
	m := append([]error(nil), r.Notes...)
	if r.Unsaved != nil {
		m = append(m, r.Unsaved)
	}
	return m
}

// UnsavedError says why recovered takes are in the song in memory but not
// in its song.json yet. Their files and the journal are kept, so the next
// open that can save them does.
type UnsavedError struct {
	Takes int // how many recovered takes are not saved
	// Err is why, in plain words (see fserr.Describe): the disk is full,
	// the disk is read-only, permission denied, or another file-system
	// error. It is nil when the song was only read (RecoverInMemory) and
	// could be saved.
	Err error
}

func (e *UnsavedError) Unwrap() error { return e.Err }

// Error is the message for a window or command that shows the song.
func (e *UnsavedError) Error() string {
	takes := e.TakesText()
	if e.Err == nil {
		return capital(takes) + " shown but not saved yet: this command only reads the song. " +
			"They are saved into it the next time it is opened in the window or changed."
	}
	if advice := e.Advice(); advice != "" {
		return fmt.Sprintf("%s: %s shown but not saved yet. %s and open the song again.", capital(e.Problem()), takes, advice)
	}
	return fmt.Sprintf("%s shown but not saved: %s. Open the song again once that is fixed.", capital(takes), e.Problem())
}

// TakesText is "the recovered take is" or "the 2 recovered takes are".
func (e *UnsavedError) TakesText() string {
	if e.Takes == 1 {
		return "the recovered take is"
	}
	return fmt.Sprintf("the %d recovered takes are", e.Takes)
}

// Problem is why the takes are not saved, in a few plain words starting
// with a small letter: "the disk is full", "the song folder may not be
// written to (permission denied)".
func (e *UnsavedError) Problem() string {
	switch {
	case e.Err == nil:
		return "this command only reads the song"
	case errors.Is(e.Err, fs.ErrPermission) && !fserr.IsReadOnly(e.Err):
		return "the song folder may not be written to (permission denied)"
	}
	return e.Err.Error()
}

// Advice is what to do, without a full stop ("Free some space (delete or
// move files)"), or "" when there is no simple advice.
func (e *UnsavedError) Advice() string {
	switch {
	case e.Err == nil:
		return ""
	case fserr.IsDiskFull(e.Err):
		return "Free some space (delete or move files)"
	case fserr.IsReadOnly(e.Err):
		return "Copy the song folder to a disk you can write to"
	case errors.Is(e.Err, fs.ErrPermission):
		return "Make the song folder writable for you (or copy it to a place you can write to)"
	}
	return ""
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Recover puts back takes that a crash (or a full disk) left unfinished,
// for a caller that changes the song: it is RecoverAndSave, and fails with
// the Unsaved error if the takes could not be saved (the song could not be
// saved either). It returns the notes for the user (Recovery.Notes).
func Recover(dir string, s *projects.Song) ([]error, error) {
	r, err := RecoverAndSave(dir, s)
	if err == nil {
		err = r.Unsaved
	}
	return r.Notes, err
}

// RecoverAndSave puts back takes that a crash (or a full disk) left
// unfinished. For each take in the song's recording journal that no clip
// uses yet, it repairs the file (the audio up to the last checkpoint, at
// most a second before a crash), adds it to its track (the track with the
// journal's track ID, else with its name, else a new one) as a new pass
// named "Recovered take from 14:32", saves the song and removes the
// journal. A song without a journal is left alone.
//
// If a take cannot be repaired in place or the song cannot be saved (a
// full disk, a read-only folder), the takes are still put back in s, read
// as RecoverInMemory reads them, and Unsaved says why they are not saved;
// the journal stays, so the next open saves them once it can. The error is
// for what stops the song from opening at all (a damaged journal).
func RecoverAndSave(dir string, s *projects.Song) (Recovery, error) {
	rec, _, err := recoverTakes(dir, s, modeSave)
	return rec, err
}

// RecoverForChange is RecoverAndSave for a caller that saves s itself,
// holding the song's lock (projects.Change): the takes are repaired in
// place and put in s, nothing is saved; once the caller has saved s, it
// calls done, which removes the journal. If they cannot be repaired in
// place, the error says why (the Unsaved error): a song that is to be
// changed must be able to keep them.
func RecoverForChange(dir string, s *projects.Song) (rec Recovery, done func(), err error) {
	rec, placed, err := recoverTakes(dir, s, modeCaller)
	if err == nil && rec.Unsaved != nil {
		err = rec.Unsaved
	}
	done = func() {}
	if err == nil && placed >= 0 {
		done = func() { os.Remove(filepath.Join(dir, journalName)) }
	}
	return rec, done, err
}

// RecoverInMemory puts the takes that a crash (or a full disk) left
// unfinished back into s, as RecoverAndSave does, but never writes
// anything: take files are read as wav.Repair would make them
// (wav.RepairedFrames), and noted in s as recovered so that all of their
// audio is played and rendered; the song is not saved and
// the journal stays. It is for commands that only read the song. Unsaved
// is set whenever takes were recovered: its Err says why the song could
// not be saved now (the disk is full, the folder is read-only), or is nil
// if it could.
func RecoverInMemory(dir string, s *projects.Song) (Recovery, error) {
	rec, _, err := recoverTakes(dir, s, modeRead)
	return rec, err
}

// How recoverTakes may write.
type recoverMode int

const (
	modeRead   recoverMode = iota // write nothing
	modeSave                      // repair the takes in place, save the song, remove the journal
	modeCaller                    // repair the takes in place; the caller saves (placed < 0: no journal)
)

// unsavedRoom is what a save needs besides song.json itself (blocks, the
// lock file, directory entries), for RecoverInMemory's check.
const unsavedRoom = 64 << 10

func recoverTakes(dir string, s *projects.Song, mode recoverMode) (Recovery, int, error) {
	var rec Recovery
	write := mode != modeRead
	j, err := readJournal(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return rec, -1, nil
	}
	if err != nil {
		return rec, 0, err
	}
	used := map[string]bool{}
	for _, c := range s.AllClips() {
		used[c.Take] = true
	}
	var blocked error // why a take could not be repaired in place
	placed := 0
	for _, jt := range j.Takes {
		if projects.CheckTakeName(jt.File) != nil {
			continue
		}
		path := projects.AudioPath(dir, jt.File)
		frames, ferr, err := takeFrames(path, jt.MIDI, s.Rate, write)
		if ferr != nil && blocked == nil {
			blocked = ferr
		}
		if used[jt.File] || errors.Is(err, fs.ErrNotExist) {
			// A take already in the song was repaired above (or marked, so
			// that it is read to its end) and needs nothing more.
			continue
		}
		if err != nil {
			rec.Notes = append(rec.Notes, &LostTakeError{File: jt.File, Track: jt.Track, Started: jt.started(), Err: err})
			continue
		}
		note, ok := placeTake(s, jt, frames)
		rec.Notes = append(rec.Notes, note)
		if ok {
			used[jt.File] = true
			placed++
		}
	}
	return finishRecovery(dir, s, mode, rec, placed, blocked), placed, nil
}

// placeTake puts journal take jt, of frames frames, on its track in s (a
// new one if it has none), as a new pass, and notes it in s as recovered.
// It returns the note for the user (a *RecoveredTake), or an *EmptyTake
// and false if the take held no audio.
func placeTake(s *projects.Song, jt journalTake, frames int64) (error, bool) {
	started := jt.started()
	c, ok := Place(jt.File, jt.Start, jt.Latency, frames)
	if !ok {
		return &EmptyTake{File: jt.File, Track: jt.Track, Started: started}, false
	}
	i := journalTrack(s, jt)
	if i < 0 {
		t := projects.NewTrack(s.UniqueTrackName(jt.Track), jt.Channels)
		if jt.MIDI {
			t = projects.NewMIDITrack(t.Name, jt.Program, jt.Drums)
		}
		s.Tracks = append(s.Tracks, t)
		i = len(s.Tracks) - 1
	}
	s.Tracks[i].NewPass("Recovered take"+from(started), []projects.Clip{c})
	if ti := s.Take(jt.File); ti != nil {
		ti.Recovered = true // read as wav.Repair would make it
	} else {
		s.Takes = append(s.Takes, projects.TakeInfo{File: jt.File, Recorded: jt.Started, Frames: frames, Device: jt.Device, Recovered: true})
	}
	return &RecoveredTake{File: jt.File, Track: s.Tracks[i].Name, Started: started, Seconds: float64(frames) / float64(s.Rate)}, true
}

// started is when the take was recorded, zero if the journal does not say.
func (jt journalTake) started() time.Time {
	t, err := time.Parse(time.RFC3339, jt.Started)
	if err != nil {
		return time.Time{}
	}
	return t
}

// finishRecovery ends recoverTakes once placed takes are in s: as mode
// says, it notes why the song is not saved (blocked: a take could not be
// repaired in place), or saves it and removes the journal.
func finishRecovery(dir string, s *projects.Song, mode recoverMode, rec Recovery, placed int, blocked error) Recovery {
	switch {
	case mode == modeRead:
		if placed > 0 {
			need := int64(1 << 20)
			if data, err := projects.Encode(s); err == nil {
				need = int64(len(data)) + unsavedRoom
			}
			rec.Unsaved = &UnsavedError{Takes: placed, Err: fserr.CheckWritable(dir, need)}
		}
		return rec
	case blocked != nil:
		// Saving a song whose takes are not repaired would make it depend
		// on how this process reads them: keep the journal instead.
		if placed > 0 {
			rec.Unsaved = &UnsavedError{Takes: placed, Err: fserr.Describe(blocked)}
		}
		return rec
	case mode == modeCaller:
		return rec // the caller saves, then removes the journal
	case placed > 0:
		if err := projects.Save(dir, s); err != nil {
			rec.Unsaved = &UnsavedError{Takes: placed, Err: fserr.Describe(err)}
			return rec
		}
	}
	// Every take of the journal is in the saved song now (or was never
	// recorded): the journal has done its work. If it cannot be removed,
	// the next open finds its takes in the song and tries again.
	os.Remove(filepath.Join(dir, journalName))
	return rec
}

// journalTrack returns the index of the track a journal take belongs on:
// the one with its track ID, else the one with its name, if it is still of
// the take's kind and channels; else -1.
func journalTrack(s *projects.Song, jt journalTake) int {
	i := -1
	if jt.TrackID != "" {
		i = s.TrackByID(jt.TrackID)
	}
	if i < 0 {
		var err error
		if i, err = s.FindTrack(jt.Track); err != nil {
			return -1
		}
	}
	if t := s.Tracks[i]; t.Channels != jt.Channels || t.IsMIDI() != jt.MIDI {
		return -1
	}
	return i
}

// takeFrames returns the length in frames of a take file left by a crash,
// made usable. A WAV take holds the audio up to its last checkpoint at
// least: with write, wav.Repair fixes its header in place; if that fails
// for a file-system reason (returned as blocked: a full disk, a read-only
// folder), or without write, the file is measured as Repair would make it;
// the song notes it as recovered, so that it is read that way
// (source reads recovered takes with wav.OpenUnfinished). A
// MIDI take is always a whole file (it is rewritten atomically at each
// checkpoint): it lasts until its last event has rung out, and needs no
// repair.
func takeFrames(path string, isMIDI bool, rate int, write bool) (frames int64, blocked, err error) {
	if isMIDI {
		frames, err := midiFrames(path, rate)
		return frames, nil, err
	}
	if write {
		frames, err := wav.Repair(path)
		var fe *wav.FormatError
		if err == nil || errors.As(err, &fe) || errors.Is(err, fs.ErrNotExist) {
			return frames, nil, err
		}
		blocked = err
	}
	frames, err = wav.RepairedFrames(path)
	return frames, blocked, err
}

// midiFrames is the length of a MIDI take: until its last event has rung
// out.
func midiFrames(path string, rate int) (int64, error) {
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
