package projects

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"
)

// Limits that keep a damaged or hostile song.json from exhausting memory.
const (
	maxTracks     = 512
	maxClips      = 100000 // per track
	maxLanes      = 1000   // per track
	maxMarkers    = 10000
	maxNameLen    = 200 // bytes: titles, track and marker names
	maxLyricsLen  = 1 << 20
	maxTakeName   = 255
	minTempo      = 20.0
	maxTempo      = 400.0
	maxTimeBeats  = 32
	maxSongFrames = int64(1) << 40 // about 260 days at 48 kHz: anything longer is damage
)

// maxTrackID is the longest track ID accepted.
const maxTrackID = 40

// validTrackID reports whether id is 1–maxTrackID ASCII letters, digits,
// '-' or '_'.
func validTrackID(id string) bool {
	if len(id) == 0 || len(id) > maxTrackID {
		return false
	}
	for _, c := range []byte(id) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// ValidationError lists what is wrong with a song (or an album: package
// album), in plain words.
type ValidationError struct {
	What     string // "song" or "album"
	Problems []string
}

func (e *ValidationError) Error() string {
	if len(e.Problems) == 1 {
		return e.Problems[0]
	}
	return fmt.Sprintf("%s (and %d more problems)", e.Problems[0], len(e.Problems)-1)
}

// problems collects what is wrong with a song, keeping the first 50.
type problems []string

func (p *problems) add(format string, a ...any) {
	if len(*p) < 50 {
		*p = append(*p, fmt.Sprintf(format, a...))
	}
}

// name checks a title, name or path-like label: not empty unless allowed,
// not too long, valid UTF-8 and free of control characters that break lines.
func (p *problems) name(what, v string, allowEmpty bool) {
	switch {
	case !allowEmpty && strings.TrimSpace(v) == "":
		p.add("%s is empty", what)
	case len(v) > maxNameLen:
		p.add("%s is longer than %d bytes", what, maxNameLen)
	case !utf8.ValidString(v):
		p.add("%s is not valid UTF-8 text", what)
	case strings.ContainsAny(v, "\x00\n\r"):
		p.add("%s contains a control character", what)
	}
}

// err is nil when nothing was found.
func (p problems) err() error {
	if len(p) > 0 {
		return &ValidationError{What: "song", Problems: p}
	}
	return nil
}

// Validate checks the song's values. It does not look at the disk.
func (s *Song) Validate() error {
	var p problems
	s.checkSettings(&p)
	s.checkMarkers(&p)
	if len(s.Tracks) > maxTracks {
		p.add("more than %d tracks", maxTracks)
		return p.err()
	}
	ids := map[string]bool{}
	for i, t := range s.Tracks {
		if t == nil {
			p.add("track %d is empty (null)", i+1)
			continue
		}
		checkTrack(&p, i, t, ids)
	}
	s.checkTakes(&p)
	if s.Buses != nil {
		checkBuses(&p, *s.Buses)
	}
	return p.err()
}

// checkSettings checks the song-wide values: schema, names, rate, tempo,
// time signature, lyrics, master gain and take counter.
func (s *Song) checkSettings(p *problems) {
	if s.Schema != Schema {
		p.add("unknown schema version %d (this Sangstudio reads version %d)", s.Schema, Schema)
	}
	p.name("the title", s.Title, true)
	p.name("the performer", s.Performer, true)
	p.name("the album", s.Album, true)
	if !ValidRate(s.Rate) {
		p.add("sample rate %d Hz is not supported (use 44100, 48000 or 96000)", s.Rate)
	}
	if !(s.Tempo >= minTempo && s.Tempo <= maxTempo) {
		p.add("tempo %v BPM is outside %v–%v", s.Tempo, minTempo, maxTempo)
	}
	if s.TimeSig.Beats < 1 || s.TimeSig.Beats > maxTimeBeats {
		p.add("time signature %s: beats per bar must be 1–%d", s.TimeSig, maxTimeBeats)
	}
	switch s.TimeSig.Unit {
	case 1, 2, 4, 8, 16, 32:
	default:
		p.add("time signature %s: the beat unit must be 1, 2, 4, 8, 16 or 32", s.TimeSig)
	}
	if len(s.Lyrics) > maxLyricsLen {
		p.add("the lyrics are longer than %d bytes", maxLyricsLen)
	} else if !utf8.ValidString(s.Lyrics) {
		p.add("the lyrics are not valid UTF-8 text")
	}
	checkGain(p, "the master gain", s.Master.GainDB)
	if s.NextTake < 0 {
		p.add("next_take is negative")
	}
}

func (s *Song) checkMarkers(p *problems) {
	if len(s.Markers) > maxMarkers {
		p.add("more than %d markers", maxMarkers)
		return
	}
	for i, m := range s.Markers {
		p.name(fmt.Sprintf("marker %d's name", i+1), m.Name, false)
		if m.Position < 0 || m.Position > maxSongFrames {
			p.add("marker %q has position %d, outside the song", m.Name, m.Position)
		}
	}
}

// checkTrack checks track number i+1; ids holds the ids of the tracks
// before it and gets this one's.
func checkTrack(p *problems, i int, t *Track, ids map[string]bool) {
	tn := fmt.Sprintf("track %d (%q)", i+1, t.Name)
	switch {
	case t.ID == "":
	case !validTrackID(t.ID):
		p.add("%s has an id that is not 1–%d letters, digits, '-' or '_'", tn, maxTrackID)
	case ids[t.ID]:
		p.add("%s has the same id as an earlier track (%q)", tn, t.ID)
	}
	ids[t.ID] = true
	p.name(fmt.Sprintf("track %d's name", i+1), t.Name, false)
	if t.Kind != KindAudio && t.Kind != KindMIDI {
		p.add("%s has unknown kind %q (audio or midi)", tn, t.Kind)
	}
	if t.Channels != 1 && t.Channels != 2 {
		p.add("%s has %d channels (1 or 2)", tn, t.Channels)
	}
	checkGain(p, tn+"'s gain", t.GainDB)
	if !(t.Pan >= -1 && t.Pan <= 1) {
		p.add("%s has pan %v, outside -1…+1", tn, t.Pan)
	}
	p.name(tn+"'s active lane name", t.ActiveLane, true)
	checkClips(p, tn, t.Clips)
	if len(t.Lanes) > maxLanes {
		p.add("%s has more than %d take lanes", tn, maxLanes)
		return
	}
	for k, l := range t.Lanes {
		p.name(fmt.Sprintf("%s lane %d's name", tn, k+1), l.Name, false)
		checkClips(p, fmt.Sprintf("%s lane %q", tn, l.Name), l.Clips)
	}
	checkTrackKind(p, tn, t)
	checkInputs(p, tn, t.Input)
	checkEffects(p, tn, t.Effects)
}

// checkTrackKind checks that a MIDI track is stereo with a valid program
// and only MIDI takes, and that an audio track has no MIDI takes.
func checkTrackKind(p *problems, tn string, t *Track) {
	if t.Kind != KindMIDI {
		for _, c := range t.Clips {
			if IsMIDITake(c.Take) {
				p.add("%s is an audio track but its clip uses the MIDI take %q", tn, c.Take)
				break
			}
		}
		return
	}
	if t.Channels != 2 {
		p.add("%s is a MIDI track with %d channels (its instrument is stereo: 2)", tn, t.Channels)
	}
	if t.Program < 0 || t.Program > 127 {
		p.add("%s has MIDI program %d (0–127)", tn, t.Program)
	}
	for _, c := range t.Clips {
		if !IsMIDITake(c.Take) {
			p.add("%s is a MIDI track but its clip uses %q, not a .mid take", tn, c.Take)
			break
		}
	}
}

func checkInputs(p *problems, tn string, inputs []int) {
	if len(inputs) > 2 {
		p.add("%s records from %d inputs (one, or a stereo pair)", tn, len(inputs))
	}
	for _, in := range inputs {
		if in < 1 || in > 256 {
			p.add("%s has input %d (inputs are numbered from 1)", tn, in)
		}
	}
}

// checkTakes checks the SoundFont path and the take list.
func (s *Song) checkTakes(p *problems) {
	if len(s.SoundFont) > 4096 || !utf8.ValidString(s.SoundFont) || strings.ContainsAny(s.SoundFont, "\x00\n\r") {
		p.add("the SoundFont path is not a valid file path")
	}
	if len(s.Takes) > maxTracks*maxLanes {
		p.add("more than %d takes", maxTracks*maxLanes)
	}
	for _, tk := range s.Takes {
		if err := CheckTakeName(tk.File); err != nil {
			p.add("take list: %v", err)
		}
		if tk.Frames < 0 || len(tk.Dropouts) > 100000 {
			p.add("take %q has impossible numbers", tk.File)
		}
	}
}

func checkClips(p *problems, tn string, clips []Clip) {
	if len(clips) > maxClips {
		p.add("%s has more than %d clips", tn, maxClips)
		return
	}
	for j, c := range clips {
		cn := fmt.Sprintf("%s clip %d", tn, j+1)
		if err := CheckTakeName(c.Take); err != nil {
			p.add("%s: %v", cn, err)
		}
		switch {
		case c.Position < 0:
			p.add("%s has a negative position (%d)", cn, c.Position)
		case c.Offset < 0:
			p.add("%s has a negative offset (%d)", cn, c.Offset)
		case c.Length <= 0:
			p.add("%s has length %d (must be positive)", cn, c.Length)
		case c.FadeIn < 0 || c.FadeOut < 0:
			p.add("%s has a negative fade", cn)
		case c.FadeIn > c.Length || c.FadeOut > c.Length || c.FadeIn+c.FadeOut > c.Length:
			p.add("%s has fades (%d + %d frames) longer than the clip (%d)", cn, c.FadeIn, c.FadeOut, c.Length)
		case c.Position > maxSongFrames || c.Offset > maxSongFrames || c.Length > maxSongFrames || c.Position+c.Length > maxSongFrames:
			p.add("%s lies beyond any plausible song length", cn)
		}
		checkGain(p, cn+"'s gain", c.GainDB)
		if c.Beat != nil {
			checkPattern(p, cn, c.Beat)
		}
	}
}

func checkGain(p *problems, what string, db float64) {
	if math.IsNaN(db) || db < MinGainDB || db > MaxGainDB {
		p.add("%s %v dB is outside %v…%v dB", what, db, MinGainDB, MaxGainDB)
	}
}

// IsMIDITake reports whether a take file is a Standard MIDI File (by name:
// MIDI takes end in .mid).
func IsMIDITake(name string) bool {
	return strings.HasSuffix(strings.ToLower(name), ".mid")
}

// CheckTakeName checks that a take file name is a plain file name inside
// the song's audio folder: no path separators, no "..", no control characters.
func CheckTakeName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("the take file name is empty")
	case len(name) > maxTakeName:
		return fmt.Errorf("the take file name is longer than %d bytes", maxTakeName)
	case name == "." || name == ".." || strings.ContainsAny(name, "/\\"):
		return fmt.Errorf("take %q is not a plain file name inside audio/", name)
	case !utf8.ValidString(name):
		return fmt.Errorf("take %q is not valid UTF-8", name)
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("take %q contains a control character", name)
		}
	}
	return nil
}
