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

// ValidationError lists what is wrong with a song, in plain words.
type ValidationError struct {
	Problems []string
}

func (e *ValidationError) Error() string {
	if len(e.Problems) == 1 {
		return e.Problems[0]
	}
	return fmt.Sprintf("%s (and %d more problems)", e.Problems[0], len(e.Problems)-1)
}

// Validate checks the song's values. It does not look at the disk.
func (s *Song) Validate() error {
	var p []string
	add := func(format string, a ...any) {
		if len(p) < 50 {
			p = append(p, fmt.Sprintf(format, a...))
		}
	}
	if s.Schema != Schema {
		add("unknown schema version %d (this Sangstudio reads version %d)", s.Schema, Schema)
	}
	checkName := func(what, v string, allowEmpty bool) {
		switch {
		case !allowEmpty && strings.TrimSpace(v) == "":
			add("%s is empty", what)
		case len(v) > maxNameLen:
			add("%s is longer than %d bytes", what, maxNameLen)
		case !utf8.ValidString(v):
			add("%s is not valid UTF-8 text", what)
		case strings.ContainsAny(v, "\x00\n\r"):
			add("%s contains a control character", what)
		}
	}
	checkName("the title", s.Title, true)
	checkName("the performer", s.Performer, true)
	checkName("the album", s.Album, true)
	if !ValidRate(s.Rate) {
		add("sample rate %d Hz is not supported (use 44100, 48000 or 96000)", s.Rate)
	}
	if !(s.Tempo >= minTempo && s.Tempo <= maxTempo) {
		add("tempo %v BPM is outside %v–%v", s.Tempo, minTempo, maxTempo)
	}
	if s.TimeSig.Beats < 1 || s.TimeSig.Beats > maxTimeBeats {
		add("time signature %s: beats per bar must be 1–%d", s.TimeSig, maxTimeBeats)
	}
	switch s.TimeSig.Unit {
	case 1, 2, 4, 8, 16, 32:
	default:
		add("time signature %s: the beat unit must be 1, 2, 4, 8, 16 or 32", s.TimeSig)
	}
	if len(s.Lyrics) > maxLyricsLen {
		add("the lyrics are longer than %d bytes", maxLyricsLen)
	} else if !utf8.ValidString(s.Lyrics) {
		add("the lyrics are not valid UTF-8 text")
	}
	checkGain("the master gain", s.Master.GainDB, add)
	if s.NextTake < 0 {
		add("next_take is negative")
	}
	if len(s.Markers) > maxMarkers {
		add("more than %d markers", maxMarkers)
	} else {
		for i, m := range s.Markers {
			checkName(fmt.Sprintf("marker %d's name", i+1), m.Name, false)
			if m.Position < 0 || m.Position > maxSongFrames {
				add("marker %q has position %d, outside the song", m.Name, m.Position)
			}
		}
	}
	if len(s.Tracks) > maxTracks {
		add("more than %d tracks", maxTracks)
		return &ValidationError{p}
	}
	ids := map[string]bool{}
	for i, t := range s.Tracks {
		if t == nil {
			add("track %d is empty (null)", i+1)
			continue
		}
		tn := fmt.Sprintf("track %d (%q)", i+1, t.Name)
		switch {
		case t.ID == "":
		case !validTrackID(t.ID):
			add("%s has an id that is not 1–%d letters, digits, '-' or '_'", tn, maxTrackID)
		case ids[t.ID]:
			add("%s has the same id as an earlier track (%q)", tn, t.ID)
		}
		ids[t.ID] = true
		checkName(fmt.Sprintf("track %d's name", i+1), t.Name, false)
		if t.Kind != KindAudio && t.Kind != KindMIDI {
			add("%s has unknown kind %q (audio or midi)", tn, t.Kind)
		}
		if t.Channels != 1 && t.Channels != 2 {
			add("%s has %d channels (1 or 2)", tn, t.Channels)
		}
		checkGain(tn+"'s gain", t.GainDB, add)
		if !(t.Pan >= -1 && t.Pan <= 1) {
			add("%s has pan %v, outside -1…+1", tn, t.Pan)
		}
		checkName(tn+"'s active lane name", t.ActiveLane, true)
		checkClips(tn, t.Clips, add)
		if len(t.Lanes) > maxLanes {
			add("%s has more than %d take lanes", tn, maxLanes)
			continue
		}
		for k, l := range t.Lanes {
			checkName(fmt.Sprintf("%s lane %d's name", tn, k+1), l.Name, false)
			checkClips(fmt.Sprintf("%s lane %q", tn, l.Name), l.Clips, add)
		}
		if t.Kind == KindMIDI {
			if t.Channels != 2 {
				add("%s is a MIDI track with %d channels (its instrument is stereo: 2)", tn, t.Channels)
			}
			if t.Program < 0 || t.Program > 127 {
				add("%s has MIDI program %d (0–127)", tn, t.Program)
			}
			for _, c := range t.Clips {
				if !IsMIDITake(c.Take) {
					add("%s is a MIDI track but its clip uses %q, not a .mid take", tn, c.Take)
					break
				}
			}
		} else {
			for _, c := range t.Clips {
				if IsMIDITake(c.Take) {
					add("%s is an audio track but its clip uses the MIDI take %q", tn, c.Take)
					break
				}
			}
		}
		if len(t.Input) > 2 {
			add("%s records from %d inputs (one, or a stereo pair)", tn, len(t.Input))
		}
		for _, in := range t.Input {
			if in < 1 || in > 256 {
				add("%s has input %d (inputs are numbered from 1)", tn, in)
			}
		}
	}
	if len(s.SoundFont) > 4096 || !utf8.ValidString(s.SoundFont) || strings.ContainsAny(s.SoundFont, "\x00\n\r") {
		add("the SoundFont path is not a valid file path")
	}
	if len(s.Takes) > maxTracks*maxLanes {
		add("more than %d takes", maxTracks*maxLanes)
	}
	for _, tk := range s.Takes {
		if err := CheckTakeName(tk.File); err != nil {
			add("take list: %v", err)
		}
		if tk.Frames < 0 || len(tk.Dropouts) > 100000 {
			add("take %q has impossible numbers", tk.File)
		}
	}
	if len(p) > 0 {
		return &ValidationError{p}
	}
	return nil
}

func checkClips(tn string, clips []Clip, add func(string, ...any)) {
	if len(clips) > maxClips {
		add("%s has more than %d clips", tn, maxClips)
		return
	}
	for j, c := range clips {
		cn := fmt.Sprintf("%s clip %d", tn, j+1)
		if err := CheckTakeName(c.Take); err != nil {
			add("%s: %v", cn, err)
		}
		switch {
		case c.Position < 0:
			add("%s has a negative position (%d)", cn, c.Position)
		case c.Offset < 0:
			add("%s has a negative offset (%d)", cn, c.Offset)
		case c.Length <= 0:
			add("%s has length %d (must be positive)", cn, c.Length)
		case c.FadeIn < 0 || c.FadeOut < 0:
			add("%s has a negative fade", cn)
		case c.FadeIn > c.Length || c.FadeOut > c.Length || c.FadeIn+c.FadeOut > c.Length:
			add("%s has fades (%d + %d frames) longer than the clip (%d)", cn, c.FadeIn, c.FadeOut, c.Length)
		case c.Position > maxSongFrames || c.Offset > maxSongFrames || c.Length > maxSongFrames || c.Position+c.Length > maxSongFrames:
			add("%s lies beyond any plausible song length", cn)
		}
		checkGain(cn+"'s gain", c.GainDB, add)
	}
}

func checkGain(what string, db float64, add func(string, ...any)) {
	if math.IsNaN(db) || db < MinGainDB || db > MaxGainDB {
		add("%s %v dB is outside %v…%v dB", what, db, MinGainDB, MaxGainDB)
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
