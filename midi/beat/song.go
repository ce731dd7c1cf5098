package beat

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"math/bits"
	"os"
	"slices"

	"sangstudio/internal/durable"
	"sangstudio/internal/fserr"
	"sangstudio/midi/smf"
	"sangstudio/projects"
)

// Beat clips in a song. A beat track is a MIDI track playing the drum kit
// (projects.NewMIDITrack(name, 0, true)); its beat clips carry a pattern
// (Clip.Beat) and play a take made from it: the pattern from its start,
// repeated, over the clip's offset and length. The song edits here change
// only the song given and return the take the clip now plays; the caller
// writes it into the song folder (Take.Write) before the song is saved or
// played. EditClip does both.

// TakeName is the name the sequence in a beat take's file carries.
const TakeName = "Beat"

// Take is a beat take: the Standard MIDI File a beat clip plays, and its
// name in the song's audio folder, made from its content
// ("beat-0123456789abcdef.mid"): the same pattern over the same span of
// the same song gives the same bytes and the same name.
type Take struct {
	Name string
	Data []byte
}

// Write writes the take into the song folder dir (SONG_DIR/audio/Name),
// durably, unless it is there already. Takes are written once: a file of
// that name with other bytes in it is never replaced (an error says so).
func (t Take) Write(dir string) error {
	path := projects.AudioPath(dir, t.Name)
	old, err := os.ReadFile(path)
	switch {
	case err == nil && bytes.Equal(old, t.Data):
		return nil
	case err == nil:
		return fmt.Errorf("cannot write the beat's take: %s is there already with something else in it; move it away and try again", path)
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("cannot write the beat's take %s: %w", path, fserr.Describe(err))
	}
	if err := projects.EnsureFolders(dir); err != nil {
		return err
	}
	if err := durable.WriteFile(path, t.Data, projects.FilePerm); err != nil {
		return fmt.Errorf("cannot write the beat's take %s: %w", path, fserr.Describe(err))
	}
	return nil
}

// FileTempo is the tempo a song's MIDI files are written at, in quarter
// notes a minute: the song's beats are its time signature's unit, so 120
// BPM in 6/8 (eighths) is 60 quarter notes a minute, and a bar of the file
// is a bar of the song.
func FileTempo(s *projects.Song) float64 { return s.Tempo * 4 / float64(s.TimeSig.Unit) }

// BarStart is the timeline frame where bar n (1, 2, …) of the song
// starts: round((n−1)·beats·Rate·60/Tempo), where the click counts it.
func BarStart(s *projects.Song, n int) int64 {
	return int64(math.Round(float64(n-1) * float64(s.TimeSig.Beats) * float64(s.Rate) * 60 / s.Tempo))
}

// checkSong refuses a pattern whose meter is not the song's.
func checkSong(s *projects.Song, p *Pattern) error {
	if err := check(p); err != nil {
		return err
	}
	if p.Meter != s.TimeSig {
		return fmt.Errorf("the pattern is in %s and the song in %s: a beat goes in a song of its meter", p.Meter, s.TimeSig)
	}
	return nil
}

// MakeTake is the take of pattern p repeated from its start over frames
// frames of song s (its tempo, time signature and rate), cut there.
func MakeTake(s *projects.Song, p *Pattern, frames int64) (Take, error) {
	if err := checkSong(s, p); err != nil {
		return Take{}, err
	}
	if frames <= 0 || frames > 1<<40 {
		return Take{}, fmt.Errorf("beat: cannot make a take of %d frames", frames)
	}
	qpm := FileTempo(s)
	usec := math.Round(60e6 / qpm)
	if !(usec >= 1 && usec <= 0xFFFFFF) || s.Rate <= 0 {
		return Take{}, fmt.Errorf("beat: the song's tempo (%v BPM) or rate (%d Hz) cannot be written to a MIDI file", s.Tempo, s.Rate)
	}
	ticks := ceilTicks(frames, uint64(usec), uint64(s.Rate))
	pass, err := PassTicks(p, smf.PPQ)
	if err != nil {
		return Take{}, err
	}
	if n := hitsPerPass(p) * (ticks/pass + 1); n > MaxTakeNotes {
		return Take{}, fmt.Errorf("the beat is too long: it would play about %d notes (at most %d); place it over a shorter part of the song", n, MaxTakeNotes)
	}
	events, err := NotesOver(p, smf.PPQ, ticks)
	if err != nil {
		return Take{}, err
	}
	data, err := smf.EncodeTicks(events, qpm, [2]int{s.TimeSig.Beats, s.TimeSig.Unit}, TakeName)
	if err != nil {
		return Take{}, err
	}
	sum := sha256.Sum256(data)
	return Take{Name: "beat-" + hex.EncodeToString(sum[:8]) + ".mid", Data: data}, nil
}

// MaxTakeNotes is the most notes one beat take holds (about 4 hours of a
// busy trap beat): a span longer than any song's is refused before its
// notes are made.
const MaxTakeNotes = 500_000

// hitsPerPass is the number of hits one pass of p has, in every lane.
func hitsPerPass(p *Pattern) int64 {
	var n int64
	for _, l := range p.Lanes {
		for _, st := range l.Steps {
			n += int64(st.Hits)
		}
	}
	return n
}

// ceilTicks is the ticks (at smf.PPQ) that frames frames last at usec µs a
// quarter note and rate frames a second, rounded up: ⌈frames·1e6·PPQ /
// (usec·rate)⌉, exact in 128 bits (frames < 2^40).
func ceilTicks(frames int64, usec, rate uint64) int64 {
	den := usec * rate
	hi, lo := bits.Mul64(uint64(frames), 1e6*smf.PPQ)
	lo, c := bits.Add64(lo, den-1, 0)
	q, _ := bits.Div64(hi+c, lo, den)
	return int64(q)
}

// trackRef returns track i of s, or an error naming what is wrong.
func trackRef(s *projects.Song, i int) (*projects.Track, error) {
	if s == nil {
		return nil, errors.New("there is no song")
	}
	if i < 0 || i >= len(s.Tracks) || s.Tracks[i] == nil {
		return nil, fmt.Errorf("there is no track %d (the song has %d)", i+1, len(s.Tracks))
	}
	t := s.Tracks[i]
	if !t.IsMIDI() {
		return nil, fmt.Errorf("track %d (%q) is an audio track: a beat goes on a MIDI track playing the drum kit", i+1, t.Name)
	}
	return t, nil
}

// clipRef returns track i of s and the index of its clip k, or an error.
func clipRef(s *projects.Song, i, k int) (*projects.Track, error) {
	t, err := trackRef(s, i)
	if err != nil {
		return nil, err
	}
	if k < 0 || k >= len(t.Clips) {
		return nil, fmt.Errorf("track %d (%q) has no clip %d (it has %d)", i+1, t.Name, k+1, len(t.Clips))
	}
	return t, nil
}

// AddTrack adds a beat track (a MIDI track playing the drum kit) named
// name, or name 2, 3, … if that is taken, and returns its index.
func AddTrack(s *projects.Song, name string) int {
	s.Tracks = append(s.Tracks, projects.NewMIDITrack(s.UniqueTrackName(name), 0, true))
	return len(s.Tracks) - 1
}

// Place puts pattern p on track i from timeline frame from to frame to,
// repeated and cut at to, as a new beat clip, and returns the clip's index
// and its take. What the track had in that span is replaced: clips within
// it are removed, clips across its edges are cut there (the part after it
// keeps playing what it played). The song must validate afterwards, or it
// is left as it was.
func Place(s *projects.Song, i int, p *Pattern, from, to int64) (int, Take, error) {
	t, err := trackRef(s, i)
	if err != nil {
		return 0, Take{}, err
	}
	if from < 0 || to <= from {
		return 0, Take{}, fmt.Errorf("a beat needs a span that ends after it starts (frames %d to %d)", from, to)
	}
	take, err := MakeTake(s, p, to-from)
	if err != nil {
		return 0, Take{}, err
	}
	clips := cutOut(t.Clips, from, to)
	c := projects.Clip{Take: take.Name, Position: from, Length: to - from, Beat: p.Clone()}
	k := len(clips)
	for k > 0 && clips[k-1].Position > from {
		k--
	}
	clips = slices.Insert(clips, k, c)
	if err := commit(s, i, clips); err != nil {
		return 0, Take{}, err
	}
	return k, take, nil
}

// cutOut returns clips without what they play in [from, to): clips within
// it removed, clips across its edges cut there (a fade at a cut edge goes).
func cutOut(clips []projects.Clip, from, to int64) []projects.Clip {
	var out []projects.Clip
	for _, c := range clips {
		if c.End() <= from || c.Position >= to {
			out = append(out, c)
			continue
		}
		if c.Position < from {
			left := c
			left.Length, left.FadeOut = from-c.Position, 0
			left.FadeIn = min(left.FadeIn, left.Length)
			out = append(out, left)
		}
		if c.End() > to {
			right := c
			right.Offset += to - c.Position
			right.Position, right.Length, right.FadeIn = to, c.End()-to, 0
			right.FadeOut = min(right.FadeOut, right.Length)
			out = append(out, right)
		}
	}
	if out == nil {
		out = []projects.Clip{}
	}
	slices.SortStableFunc(out, func(a, b projects.Clip) int { return cmp.Compare(a.Position, b.Position) })
	return out
}

// commit gives track i the clips if the song then validates; otherwise it
// puts the old ones back and says why.
func commit(s *projects.Song, i int, clips []projects.Clip) error {
	old := s.Tracks[i].Clips
	s.Tracks[i].Clips = clips
	if err := s.Validate(); err != nil {
		s.Tracks[i].Clips = old
		return fmt.Errorf("the beat cannot be changed that way: the song would not be valid (%v)", err)
	}
	return nil
}

// SetPattern gives clip k of track i pattern p and returns the new take
// it plays. The clip keeps its place and length; a beat clip keeps its
// offset into the pattern (its phase), a plain MIDI clip becomes a beat
// clip whose pattern starts where the clip does.
func SetPattern(s *projects.Song, i, k int, p *Pattern) (Take, error) {
	t, err := clipRef(s, i, k)
	if err != nil {
		return Take{}, err
	}
	c := t.Clips[k]
	if c.Beat == nil {
		c.Offset = 0
	}
	take, err := MakeTake(s, p, c.Offset+c.Length)
	if err != nil {
		return Take{}, err
	}
	c.Take, c.Beat = take.Name, p.Clone()
	clips := slices.Clone(t.Clips)
	clips[k] = c
	return take, commit(s, i, clips)
}

// EditClip changes the pattern of beat clip k of track i with change (a
// pattern edit: SetStep, Toggle, SetSwing, …, or one of the caller's) and
// writes the clip's new take into the song folder dir. The song changes
// only if all of it succeeds; in the window, inside Studio.Edit, it is
// one undo step.
func EditClip(dir string, s *projects.Song, i, k int, change func(p *Pattern) (*Pattern, error)) error {
	t, err := clipRef(s, i, k)
	if err != nil {
		return err
	}
	old := t.Clips[k].Beat
	if old == nil {
		return fmt.Errorf("clip %d on track %d (%q) is not a beat", k+1, i+1, t.Name)
	}
	p, err := change(old.Clone())
	if err != nil {
		return err
	}
	before := slices.Clone(t.Clips)
	take, err := SetPattern(s, i, k, p)
	if err != nil {
		return err
	}
	if err := take.Write(dir); err != nil {
		t.Clips = before
		return err
	}
	return nil
}

// Flatten turns beat clip k of track i into a plain MIDI clip: it keeps
// its take (the notes stay, to be edited note by note elsewhere) and
// drops the pattern.
func Flatten(s *projects.Song, i, k int) error {
	t, err := clipRef(s, i, k)
	if err != nil {
		return err
	}
	if t.Clips[k].Beat == nil {
		return fmt.Errorf("clip %d on track %d (%q) is not a beat", k+1, i+1, t.Name)
	}
	clips := slices.Clone(t.Clips)
	clips[k].Beat = nil
	return commit(s, i, clips)
}

// StepAtFrame is the step of clip c's pattern that timeline frame frame of
// song s falls in (without swing): the cell a playhead lights. ok is false
// if c is not a beat clip or does not play at frame.
func StepAtFrame(s *projects.Song, c projects.Clip, frame int64) (step int, ok bool) {
	if c.Beat == nil || frame < c.Position || frame >= c.End() || s.Rate <= 0 {
		return 0, false
	}
	usec := math.Round(60e6 / FileTempo(s))
	if !(usec >= 1) {
		return 0, false
	}
	// The tick the frame lies in: ⌊f·1e6·PPQ / (usec·rate)⌋.
	f := frame - c.Position + c.Offset
	hi, lo := bits.Mul64(uint64(f), 1e6*smf.PPQ)
	tick, _ := bits.Div64(hi, lo, uint64(usec)*uint64(s.Rate))
	k, err := StepAt(c.Beat, smf.PPQ, int64(tick))
	return k, err == nil
}

// Refresh makes new takes for the beat clips of every track (active or
// in a take lane) whose take no longer matches the song: after a change of
// tempo, each plays its pattern at the song's new tempo over the same
// frames. It returns the takes to write (none if all match). Clips whose
// pattern is in another meter than the song's (after a change of meter)
// keep their take. On an error the song is left as it was.
func Refresh(s *projects.Song) ([]Take, error) {
	type change struct {
		clip *projects.Clip
		take string
	}
	var (
		changes []change
		takes   []Take
	)
	seen := map[string]bool{}
	for _, t := range s.Tracks {
		lists := [][]projects.Clip{t.Clips}
		for _, l := range t.Lanes {
			lists = append(lists, l.Clips)
		}
		for _, clips := range lists {
			for k := range clips {
				c := &clips[k]
				if c.Beat == nil || c.Beat.Meter != s.TimeSig {
					continue
				}
				take, err := MakeTake(s, c.Beat, c.Offset+c.Length)
				if err != nil {
					return nil, err
				}
				if take.Name == c.Take {
					continue
				}
				changes = append(changes, change{c, take.Name})
				if !seen[take.Name] {
					seen[take.Name] = true
					takes = append(takes, take)
				}
			}
		}
	}
	for _, ch := range changes {
		ch.clip.Take = ch.take
	}
	return takes, nil
}
