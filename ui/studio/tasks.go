package studio

import (
	"context"
	"errors"
	"os"
	"path/filepath"

	"sangstudio/audio/bounce"
	"sangstudio/audio/importer"
	"sangstudio/audio/render"
	"sangstudio/projects"
)

// Task is long work running off the UI thread (an import, a render) that
// the window shows with a progress bar and a Cancel button.
type Task struct {
	cancel context.CancelFunc
}

// Cancel asks the task to stop; it ends (with context.Canceled) soon after
// and leaves nothing half-written.
func (t *Task) Cancel() { t.cancel() }

// Progress is called on the UI thread with a fraction 0..1 and what is
// being done.
type Progress func(fraction float64, what string)

// Import adds one track per file (WAV, MIDI) to the song, as one undo step.
// It runs on its own goroutine; progress and done are called on the UI
// thread. A failed import leaves the song as it was and names the file.
func (st *Studio) Import(files []string, progress Progress, done func(error)) *Task {
	ctx, cancel := context.WithCancel(context.Background())
	t := &Task{cancel: cancel}
	if st.busy > 0 {
		cancel()
		done(ErrBusy)
		return t
	}
	st.Commit()
	before, err := projects.Encode(st.song)
	if err != nil {
		cancel()
		done(err)
		return t
	}
	st.busy++
	dir := st.Dir
	// The files are converted on the worker, after the saves queued so
	// far; then added to the window's song and saved as any edit is (over
	// the song.json the window read, never over another program's).
	st.w.do(func() {
		var s *projects.Song
		p, err := importer.Prepare(ctx, dir, files, importer.Options{Progress: func(i int, path string) {
			st.post(func() { progress(float64(i)/float64(len(files)), filepath.Base(path)) })
		}})
		if err == nil {
			s, err = projects.Decode(before)
			if err == nil {
				err = p.Apply(s)
			}
			if err == nil {
				if err = st.save(s); err != nil && !errors.Is(err, ErrSavedAside) {
					p.Unapply()
				}
			}
			p.Close()
		}
		st.post(func() {
			defer cancel()
			st.busy--
			if err != nil && !errors.Is(err, ErrSavedAside) {
				done(err)
				return
			}
			after, e2 := projects.Encode(s)
			if e2 != nil {
				done(e2)
				return
			}
			st.song = s
			st.record("Import", before, after)
			st.audioChanged()
			st.changed(ChangedSong | ChangedHistory)
			done(err) // nil, or: saved aside (the tracks are in the window and in that file)
		})
	})
	return t
}

// ExportKind says what Export writes.
type ExportKind int

// What Export can write.
const (
	ExportMix   ExportKind = iota // the stereo mix (a bounce): SONG_DIR/exports/TITLE.wav
	ExportStems                   // one stereo WAV per track: SONG_DIR/exports/stems/
)

// Export renders the song (as it is now) on its own goroutine; the result
// names the files written. Files appear only when complete.
func (st *Studio) Export(kind ExportKind, progress Progress, done func(*render.Result, error)) *Task {
	ctx, cancel := context.WithCancel(context.Background())
	t := &Task{cancel: cancel}
	s, err := st.snapshot()
	if err != nil {
		cancel()
		done(nil, err)
		return t
	}
	dir := st.Dir
	go func() {
		defer cancel()
		opt := render.Options{NoteInLog: true, Progress: func(d, total int64) {
			if total > 0 {
				st.post(func() { progress(float64(d)/float64(total), "") })
			}
		}}
		exports := filepath.Join(dir, projects.ExportsDir)
		switch kind {
		case ExportMix:
			opt.Mix = filepath.Join(exports, projects.SafeFileBase(s.Title, 100)+".wav")
		case ExportStems:
			opt.StemsDir = filepath.Join(exports, "stems")
		}
		var res *render.Result
		err := os.MkdirAll(exports, projects.DirPerm)
		if err == nil {
			res, err = render.Render(ctx, dir, s, opt)
		}
		st.post(func() { done(res, err) })
	}()
	return t
}

// snapshot is a copy of the song as it is now, for work off the UI thread.
func (st *Studio) snapshot() (*projects.Song, error) {
	st.Commit()
	data, err := projects.Encode(st.song)
	if err != nil {
		return nil, err
	}
	return projects.Decode(data)
}

// TakeHome masters the song as it is now and puts the finished files into
// destRoot/<song title>/ (bounce.TakeHome), on its own goroutine. progress
// and done are called on the UI thread. Cancelling leaves nothing on the
// destination.
func (st *Studio) TakeHome(destRoot string, opt bounce.Options, progress func(stage bounce.Stage, fraction float64), done func(*bounce.Result, error)) *Task {
	ctx, cancel := context.WithCancel(context.Background())
	t := &Task{cancel: cancel}
	s, err := st.snapshot()
	if err != nil {
		cancel()
		done(nil, err)
		return t
	}
	dir := st.Dir
	opt.Progress = func(stage bounce.Stage, f float64) {
		st.post(func() { progress(stage, f) })
	}
	go func() {
		defer cancel()
		res, err := bounce.TakeHome(ctx, dir, s, destRoot, opt)
		st.post(func() { done(res, err) })
	}()
	return t
}
