package studio

import "sangstudio/projects"

// Readied says what ReadyToRecord did so that Record has a track to
// record on.
type Readied struct {
	// Track is the track armed (its index), or -1 when a track already was.
	Track int
	// Added is true when the track was made for it (one undo step,
	// "Add track"); false when an existing track was armed.
	Added bool
	// Armed is true when the track is armed now.
	Armed bool
	// Name is the track's name.
	Name string
}

// ReadyToRecord makes sure Record has a track to record on, so that the
// first thing a therapist does, pressing Record in a new song, just works.
// With a track armed already it does nothing. Otherwise it arms the
// selected audio track (selected is its index; -1 for none), or else adds a
// mono track called name (made unique; the window passes "Vocal" in the
// chosen language) on input 1 and arms that. An arm that fails (a device
// without inputs) is returned; a track added stays added.
func (st *Studio) ReadyToRecord(selected int, name string) (Readied, error) {
	if len(st.audio.arms) > 0 {
		return Readied{Track: -1}, nil
	}
	s := st.song
	if selected >= 0 && selected < len(s.Tracks) && !s.Tracks[selected].IsMIDI() {
		r := Readied{Track: selected, Name: s.Tracks[selected].Name}
		if err := st.Arm(selected, true); err != nil {
			return r, err
		}
		r.Armed = true
		return r, nil
	}
	return st.AddTrack(projects.NewTrack(name, 1))
}

// AddTrack adds t (its name made unique) at the end of the song as one
// undo step, "Add track". A track added while no other track is armed comes
// armed, ready for Record (Readied.Armed). When the add fails, Track is -1
// and the error says why; when only the arming fails (a device without
// inputs), the track stays added and the error says why it is not armed.
func (st *Studio) AddTrack(t *projects.Track) (Readied, error) {
	none := len(st.audio.arms) == 0
	i, err := st.addTrack(t)
	if err != nil {
		return Readied{Track: -1}, err
	}
	r := Readied{Track: i, Added: true, Name: st.song.Tracks[i].Name}
	if none {
		if err := st.Arm(i, true); err != nil {
			return r, err
		}
		r.Armed = true
	}
	return r, nil
}

func (st *Studio) addTrack(t *projects.Track) (int, error) {
	err := st.Edit("Add track", func(s *projects.Song) error {
		t.Name = s.UniqueTrackName(t.Name)
		s.Tracks = append(s.Tracks, t)
		return nil
	})
	if err != nil {
		return -1, err
	}
	return len(st.song.Tracks) - 1, nil
}
