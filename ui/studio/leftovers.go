package studio

import (
	"sangstudio/audio/restore"
	"sangstudio/projects"
)

// Leftovers are the files in the song's audio/ folder that no version of
// it uses (projects.Leftovers): takes a killed program left, or whose
// clips were removed long ago. The window shows how many there are and
// offers to move them into the song's bin or to bring them back as
// tracks; it never deletes them.

// Leftovers lists the song's leftovers on the worker, after the saves
// queued so far (so the song on disk is the song in the window), and calls
// done with them on the UI thread.
func (st *Studio) Leftovers(done func([]projects.Leftover, error)) {
	dir := st.Dir
	st.w.do(func() {
		list, err := projects.Leftovers(dir)
		st.post(func() { done(list, err) })
	})
}

// BinLeftovers moves the leftovers in list (as Leftovers gave them) into
// the song's bin (projects.BinDir) on the worker; unfinished imports in it
// are removed. The song itself does not change. done is called on the UI
// thread.
func (st *Studio) BinLeftovers(list []projects.Leftover, done func(*projects.TidyResult, error)) {
	lock := st.lock
	st.w.do(func() {
		res, err := lock.BinLeftovers("the Sangstudio window", list)
		st.post(func() { done(res, err) })
	})
}

// RestoreLeftovers brings the leftover takes in list back into the song as
// new tracks, one per take (restore.Tracks), as one undoable step. The
// takes are read on the worker; the song changes on the UI thread through
// Edit. done gets the names of the tracks added and, for each take that
// could not be one, why (it stays where it is).
func (st *Studio) RestoreLeftovers(list []projects.Leftover, done func(added []string, problems []error, err error)) {
	if st.busy > 0 {
		done(nil, nil, ErrBusy)
		return
	}
	dir, rate := st.Dir, st.song.Rate
	st.w.do(func() {
		// Only what is still a leftover now.
		now, err := projects.Leftovers(dir)
		if err != nil {
			st.post(func() { done(nil, nil, err) })
			return
		}
		still := map[projects.Leftover]bool{}
		for _, l := range now {
			still[l] = true
		}
		var todo []projects.Leftover
		for _, l := range list {
			if still[l] {
				todo = append(todo, l)
			}
		}
		scratch := &projects.Song{Rate: rate}
		_, problems := restore.Tracks(dir, scratch, todo)
		tracks := scratch.Tracks
		st.post(func() {
			if len(tracks) == 0 {
				done(nil, problems, nil)
				return
			}
			var added []string
			err := st.Edit("Bring back recordings", func(s *projects.Song) error {
				added = nil
				for _, t := range tracks {
					c := *t
					c.Name = s.UniqueTrackName(t.Name)
					s.Tracks = append(s.Tracks, &c)
					added = append(added, c.Name)
				}
				return nil
			})
			if err != nil {
				done(nil, problems, err)
				return
			}
			done(added, problems, nil)
		})
	})
}
