// Package restore brings a song's leftover takes (projects.Leftovers:
// files in audio/ that no version of the song uses) back into the song as
// tracks: one new track per take, with one clip over the whole take, as an
// import makes them. The take files stay where they are; only the song
// changes. The command line calls it inside projects.Change, the window
// inside the studio's edit.
package restore

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"sangstudio/audio/wav"
	"sangstudio/midi"
	"sangstudio/midi/smf"
	"sangstudio/midi/synth"
	"sangstudio/projects"
)

// TakeError says why a take cannot become a track (it is left in audio/).
type TakeError struct {
	Take string
	Err  error
}

func (e *TakeError) Error() string {
	return fmt.Sprintf("%s cannot be brought back: %v", e.Take, e.Err)
}
func (e *TakeError) Unwrap() error { return e.Err }

// Tracks adds to s one track per take in list (found in dir's audio/
// folder), after its tracks, and returns the new tracks' names. A take that
// cannot be played as it is (another sample rate, not a WAV or MIDI file)
// is not added; each such take has a *TakeError in problems. Unfinished
// imports in list are skipped: they are not takes.
func Tracks(dir string, s *projects.Song, list []projects.Leftover) (added []string, problems []error) {
	for _, l := range list {
		if l.Kind != projects.LeftoverTake {
			continue
		}
		t, err := track(dir, s, l.Name)
		if err != nil {
			problems = append(problems, &TakeError{Take: l.Name, Err: err})
			continue
		}
		t.Name = s.UniqueTrackName(t.Name)
		s.Tracks = append(s.Tracks, t)
		added = append(added, t.Name)
	}
	return added, problems
}

// track is the track that plays the whole take.
func track(dir string, s *projects.Song, take string) (*projects.Track, error) {
	if err := projects.CheckTakeName(take); err != nil {
		return nil, err
	}
	path := projects.AudioPath(dir, take)
	name := TrackName(take)
	if projects.IsMIDITake(take) {
		f, err := smf.ReadFile(path, s.Rate)
		if err != nil {
			if errors.Is(err, smf.ErrNoNotes) {
				return nil, errors.New("it has no notes to play")
			}
			return nil, errors.New(strings.TrimPrefix(err.Error(), path+": "))
		}
		ch := f.Channels[0]
		drums := ch.Channel == midi.DrumChannel
		program := max(ch.Program, 0)
		if drums {
			program = 0
		}
		t := projects.NewMIDITrack(name, program, drums)
		t.Clips = []projects.Clip{{Take: take, Length: f.Frames + synth.Tail(s.Rate)}}
		return t, nil
	}
	r, err := wav.Open(path)
	if err != nil {
		var fe *wav.FormatError
		if errors.As(err, &fe) {
			return nil, errors.New(fe.Reason)
		}
		return nil, err
	}
	defer r.Close()
	f := r.Format()
	switch {
	case f.Rate != s.Rate:
		return nil, fmt.Errorf("it is at %d Hz and the song at %d Hz; import it instead (sangstudio import), which converts it", f.Rate, s.Rate)
	case f.Channels != 1 && f.Channels != 2:
		return nil, fmt.Errorf("it has %d channels; a track is mono or stereo", f.Channels)
	case r.Frames() == 0:
		return nil, errors.New("it holds no audio")
	}
	t := projects.NewTrack(name, f.Channels)
	t.Clips = []projects.Clip{{Take: take, Length: r.Frames()}}
	return t, nil
}

// TrackName is the name of the track for a take file: the name the take
// was given ("0007-Bass.wav" → "Bass"), without the take counter and the
// extension.
func TrackName(take string) string {
	name := take
	if i := strings.LastIndexByte(take, '.'); i >= 0 {
		name = take[:i]
	}
	if i := strings.IndexByte(name, '-'); i > 0 && strings.TrimLeftFunc(name[:i], unicode.IsDigit) == "" && i < len(name)-1 {
		name = name[i+1:]
	}
	name = strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, name))
	if len(name) > 100 {
		name = strings.ToValidUTF8(name[:100], "")
	}
	if name == "" {
		return "Take"
	}
	return name
}
