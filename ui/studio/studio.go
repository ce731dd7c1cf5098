// Package studio is the window's model of an open song: the song itself,
// its undo history, and the audio session that plays and records it. The
// views (package ui/...) show it and call it; it never imports Fyne, so all
// of it is tested headless.
//
// Threads: every method is called on the UI thread (Fyne's), and callbacks
// come back on it through the uithread.Poster given to Open (fyne.Do in the
// window). Everything that waits on a disk (saving, the undo history) runs
// on the song's worker goroutine, in order; everything that waits on the
// audio device (opening it, handing the song to the engine, finishing a
// recording) runs on the worker of the window's Audio, which outlives the
// songs. So the window never waits for either. The song the views see is
// owned by the UI thread; the workers and the audio session get copies.
//
// The audio device stays open while songs are opened, edited, closed and
// switched (see Audio): every edit, undo, import and arming is handed to
// the running engine and heard while playing.
package studio

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"sangstudio/audio/session"
	"sangstudio/projects"
	"sangstudio/projects/history"
	"sangstudio/projects/songlog"
	"sangstudio/ui/uithread"
)

// Change says what changed, for views that redraw only what they must.
type Change int

// What a change touched.
const (
	ChangedSong      Change = 1 << iota // anything in the song (tracks, clips, mix, lyrics, …)
	ChangedTransport                    // play/stop/record state, audio device status
	ChangedHistory                      // what undo and redo would do
	ChangedArm                          // which tracks are armed
)

// Studio is an open song.
type Studio struct {
	Dir string

	song *projects.Song // owned by the UI thread
	post uithread.Poster
	w    *worker
	hist *history.History // used only on the worker

	// Undo and redo labels, mirrored on the UI thread (the history itself
	// lives on the worker).
	undo, redo []string
	// liveBefore is the song before a run of live changes (a fader being
	// dragged), recorded as one undo step by Commit.
	liveBefore []byte
	busy       int // undo/redo in flight: edits wait

	audio audioState

	lock *projects.Opened // SONG_DIR/.open, held while the song is open

	// The song's log (songlog) as read at opening, with the window's
	// entries since; when the window opened the song.
	log    []songlog.Entry
	opened time.Time

	resident bool // resident mode: only recording, lyrics and undo

	// Worker only: the song.json the window last read or wrote (saves
	// never write over another), and where its saves go instead once
	// another program changed song.json (nothing is lost either way).
	version projects.Version
	aside   string

	// OnChange is called (on the UI thread) after every change.
	OnChange func(Change)
	// OnError is called (on the UI thread) when something failed in the
	// background (a save on a full disk, the device lost). The song in the
	// window is kept as it was.
	OnError func(error)

	// OnNotice is called (on the UI thread) with something the user should
	// know that is not a failure: a *session.MovedTake (a take put on a
	// new track because its track was deleted while it recorded). Say it
	// with ui/explain, as an error is said.
	OnNotice func(error)

	// Notices are things to tell the user once the song is shown, as
	// typed values that ui/explain says in the window's language (their
	// Error is English): a recovered take (*session.RecoveredTake, …,
	// *session.UnsavedError), a song.json opened from an earlier
	// generation (*projects.Recovery), a damaged undo history set aside,
	// a song log that could not be written (LogError).
	Notices []error
}

// ErrOpenElsewhere: the song is open in another Sangstudio window.
var ErrOpenElsewhere = projects.ErrOpenInWindow

// Open opens the song in dir: recovers takes a crash left behind, loads
// song.json (from an earlier generation if it is damaged) and its undo
// history, and locks the song against a second window. It reads and may
// write the disk: call it off the UI thread (the library view does), then
// use the Studio on the UI thread only.
func Open(dir string, audio *Audio, post uithread.Poster) (*Studio, error) {
	lock, err := projects.LockOpen(dir, "the Sangstudio window")
	if err != nil {
		return nil, err
	}
	st := &Studio{Dir: dir, post: post, lock: lock}
	ok := false
	defer func() {
		if !ok {
			lock.Release()
		}
	}()
	// Under the song's lock: a command changing the song now finishes
	// first, and the window sees its change.
	s, rec, version, err := projects.LoadForWindow(dir)
	if err != nil {
		return nil, err
	}
	st.version = version
	if rec != nil {
		st.Notices = append(st.Notices, rec)
	}
	recovered, err := session.RecoverAndSave(dir, s)
	if err != nil {
		return nil, err
	}
	// The notes, then why they are not saved (a full disk …).
	st.Notices = append(st.Notices, recovered.Messages()...)
	if len(recovered.Notes) > 0 && recovered.Unsaved == nil {
		if st.version, err = projects.CurrentVersion(dir); err != nil { // the recovery saved song.json
			return nil, err
		}
	}
	h, err := history.Open(dir)
	var damaged *history.DamagedError
	if errors.As(err, &damaged) {
		st.Notices = append(st.Notices, damaged)
	} else if err != nil {
		return nil, err
	}
	cur, err := projects.Encode(s)
	if err != nil {
		return nil, err
	}
	if !h.Matches(cur) {
		// song.json was changed outside the window (the command line, a
		// crash before the history was written): the history no longer
		// leads to this song.
		if err := h.Reset(); err != nil {
			return nil, err
		}
	}
	st.song, st.hist = s, h
	st.undo, st.redo = h.Labels()
	st.audio.a = audio
	st.audio.countIn = audio.cfg.CountIn
	st.audio.click = audio.cfg.Click
	st.w = newWorker()
	st.openLog()
	ok = true
	return st, nil
}

// Song is the song as it is now. Views read it; they change it only
// through Edit, Live and the transport calls.
func (st *Studio) Song() *projects.Song { return st.song }

func (st *Studio) changed(c Change) {
	if st.OnChange != nil {
		st.OnChange(c)
	}
}

func (st *Studio) fail(err error) {
	if err != nil && st.OnError != nil {
		st.OnError(err)
	}
}

func (st *Studio) notice(n error) {
	if st.OnNotice != nil {
		st.OnNotice(n)
	}
}

// ErrBusy: an edit came while undo, redo or recording was finishing.
var ErrBusy = errors.New("please wait a moment: the song is being updated")

// Edit changes the song as one undoable step named label ("Move clip").
// f works on a copy; if it fails, or the result does not validate, the
// song stays as it was and the error is returned. The new song is saved
// and the step kept in the undo history, both on the worker.
func (st *Studio) Edit(label string, f func(s *projects.Song) error) error {
	if st.busy > 0 {
		return ErrBusy
	}
	if st.residentRefuses(label) {
		return ErrResident
	}
	st.Commit()
	before, err := projects.Encode(st.song)
	if err != nil {
		return err
	}
	next, err := projects.Decode(before)
	if err != nil {
		return err
	}
	if err := f(next); err != nil {
		return err
	}
	if err := next.Validate(); err != nil {
		return err
	}
	after, err := projects.Encode(next)
	if err != nil {
		return err
	}
	if bytes.Equal(before, after) {
		return nil
	}
	st.song = next
	st.record(label, before, after)
	st.audioChanged()
	st.changed(ChangedSong | ChangedHistory)
	return nil
}

// Live changes the song at once, without an undo step yet: for a fader or
// a pan knob while it is dragged, and for the lyrics while they are typed.
// The mix reaches the audio at once. Commit (called by the next Edit, and
// by the view when the drag ends) makes the changes since the first Live
// one undo step and saves.
func (st *Studio) Live(f func(s *projects.Song)) {
	if st.busy > 0 {
		return
	}
	if st.liveBefore == nil {
		b, err := projects.Encode(st.song)
		if err != nil {
			st.fail(err)
			return
		}
		st.liveBefore = b
	}
	f(st.song)
	if st.audio.sess != nil {
		st.audio.sess.SetMix(st.mixSong())
	}
	st.changed(ChangedSong)
}

// Commit ends a run of Live changes as one undo step named label (the
// label of the run's first change is kept if label is empty).
func (st *Studio) Commit(label ...string) {
	if st.liveBefore == nil {
		return
	}
	before := st.liveBefore
	st.liveBefore = nil
	if err := st.song.Validate(); err != nil {
		// A live change that does not validate is undone.
		if s, derr := projects.Decode(before); derr == nil {
			st.song = s
		}
		st.fail(err)
		st.changed(ChangedSong)
		return
	}
	after, err := projects.Encode(st.song)
	if err != nil || bytes.Equal(before, after) {
		return
	}
	l := "Change the mix"
	if len(label) > 0 && label[0] != "" {
		l = label[0]
	}
	st.record(l, before, after)
	st.changed(ChangedHistory)
}

// record keeps an undo step and saves the new song, on the worker.
func (st *Studio) record(label string, before, after []byte) {
	st.recordThen(label, before, after, nil)
}

// recordThen is record, with then run on the worker once the song is
// saved.
func (st *Studio) recordThen(label string, before, after []byte, then func() error) {
	st.undo = append(st.undo, label)
	st.redo = nil
	h := st.hist
	st.w.do(func() {
		err := st.saveBytes(after)
		if err == nil {
			err = h.Record(label, before, after)
		}
		if err == nil && then != nil {
			err = then()
		}
		if err != nil {
			st.post(func() { st.fail(err) })
		}
	})
}

// saveBytes saves an encoded song (on the worker).
func (st *Studio) saveBytes(data []byte) error {
	s, err := projects.Decode(data)
	if err != nil {
		return err
	}
	return st.save(s)
}

// ErrSavedAside: another program changed song.json while the song was open
// in the window, so the window's changes were saved beside it.
var ErrSavedAside = errors.New("another program changed this song's song.json while the song was open here")

// save saves s over the song.json the window read, and never over another
// program's change: song.json changed meanwhile, the window's song is
// saved beside it (song.json.window-TIME), this time and from then on, and
// the error says so once. On the worker.
func (st *Studio) save(s *projects.Song) error {
	if st.aside != "" {
		_, err := projects.SaveAside(st.Dir, s, st.aside)
		return err
	}
	v, err := projects.SaveOver(st.Dir, s, st.version)
	if errors.Is(err, projects.ErrChangedElsewhere) {
		name, aerr := projects.SaveAside(st.Dir, s, "")
		if aerr != nil {
			return errors.Join(err, aerr)
		}
		st.aside = name
		return fmt.Errorf("%w: nothing was written over it; the changes made here are kept in %s. Close the song and open it again to see the other version", ErrSavedAside, name)
	}
	if err == nil {
		st.version = v
	}
	return err
}

// CanUndo, CanRedo, UndoLabel and RedoLabel describe the undo history for
// menus ("Undo Move clip").
// Also while playing or recording: what is heard changes at once.
func (st *Studio) CanUndo() bool { return len(st.undo) > 0 && st.busy == 0 && !st.audio.finishing }

// CanRedo reports whether Redo would do something.
func (st *Studio) CanRedo() bool { return len(st.redo) > 0 && st.busy == 0 && !st.audio.finishing }

// UndoLabel names the step Undo would take back ("" if none).
func (st *Studio) UndoLabel() string { return last(st.undo) }

// RedoLabel names the step Redo would do again ("" if none).
func (st *Studio) RedoLabel() string { return last(st.redo) }

func last(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[len(s)-1]
}

// Undo takes back the last step. It runs on the worker (the history is on
// disk, kept across restarts); the song changes when it is done. Takes are
// never deleted: undoing a recording takes its clip off the track, and
// Redo puts it back.
func (st *Studio) Undo() { st.undoRedo(true) }

// Redo does again the step Undo took back.
func (st *Studio) Redo() { st.undoRedo(false) }

func (st *Studio) undoRedo(undo bool) {
	st.Commit()
	if (undo && !st.CanUndo()) || (!undo && !st.CanRedo()) {
		return
	}
	st.busy++
	h := st.hist
	st.w.do(func() {
		var s *projects.Song
		var err error
		if undo {
			s, err = h.Undo()
		} else {
			s, err = h.Redo()
		}
		if err == nil {
			err = st.save(s)
		}
		u, r := h.Labels()
		st.post(func() {
			st.busy--
			st.undo, st.redo = u, r
			if err != nil {
				st.fail(err)
			} else {
				st.song = s
				st.audioChanged()
			}
			st.changed(ChangedSong | ChangedHistory)
		})
	})
}

// Wait blocks until the worker has done everything asked of it so far
// (saves, history): before closing, and in tests that check a save.
func (st *Studio) Wait() { st.w.wait() }

// Close stops the audio, finishes saving and unlocks the song. It waits
// for the worker: call it when the window closes or another song opens.
func (st *Studio) Close() error {
	st.Commit()
	au := &st.audio
	au.closed = true
	if sess := au.sess; sess != nil {
		au.sess = nil
		if au.a.studio == st {
			au.a.studio = nil
		}
		ch := make(chan []session.Take, 1)
		au.a.w.do(func() { ch <- sess.Detach() })
		st.adoptTakes(<-ch, "Record")
	}
	st.w.stop()
	st.closeLog()
	st.lock.Release()
	return nil
}

// CloseAsync is Close without waiting on the UI thread: the audio is
// stopped (a recording is put on its tracks), the saves finish on the
// worker, the song is unlocked, and then done is called on the UI thread.
// The audio device stays open for the next song.
func (st *Studio) CloseAsync(done func(error)) {
	st.Commit()
	if st.audio.finishing {
		// A recording is being put on its tracks: let it finish first.
		time.AfterFunc(20*time.Millisecond, func() { st.post(func() { st.CloseAsync(done) }) })
		return
	}
	st.detach(func(takes []session.Take) {
		st.adoptTakes(takes, "Record")
		go func() {
			st.w.stop()
			st.closeLog()
			st.lock.Release()
			st.post(func() { done(nil) })
		}()
	})
}
