// Package projects holds the song model (plain data) and its on-disk store.
//
// A song is a folder:
//
//	SONG_DIR/song.json       the song: a versioned, human-readable JSON document
//	SONG_DIR/song.json.1..5  the five previous generations of song.json
//	SONG_DIR/audio/          take files (WAV), written once and never modified
//	SONG_DIR/exports/        renders, bounces and stems
//
// Positions and lengths are in frames (int64) at the song's sample rate.
// The package never imports the GUI or the audio engine: the window and the
// command line both use it.
package projects

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"math"
	"strings"
)

// Schema is the song.json schema version this package writes. It reads
// OldestSchema too and brings such songs up to date (see migrate).
const Schema = 3

// OldestSchema is the oldest song.json schema version this package reads:
// version 1, from before tracks had effects (version 2 added them; version
// 3 added drum patterns on clips).
const OldestSchema = 1

// Allowed sample rates.
const (
	DefaultRate  = 48000
	DefaultTempo = 100.0
)

// Rates lists the sample rates a song may have.
var rates = [...]int{44100, 48000, 96000}

// ValidRate reports whether r is one of the song sample rates (44100, 48000, 96000).
func ValidRate(r int) bool {
	for _, x := range rates {
		if x == r {
			return true
		}
	}
	return false
}

// Track kinds.
const (
	KindAudio = "audio"
	KindMIDI  = "midi"
)

// Gain limits, in dB. MinGainDB is treated as silence by the mixer.
const (
	MinGainDB = -144.0
	MaxGainDB = 24.0
)

// Song is one song: its musical facts, its tracks and its mix.
type Song struct {
	Schema int    `json:"schema"`
	Title  string `json:"title"`
	// Performer is the name the user typed to be shown as the artist in
	// exported files ("" for none). Nothing else about anyone is stored.
	Performer string `json:"performer,omitempty"`
	// Album is an optional album name for exported files' tags.
	Album     string     `json:"album,omitempty"`
	Rate      int        `json:"rate"`
	Tempo     float64    `json:"tempo"`
	TimeSig   TimeSig    `json:"time_signature"`
	Tracks    []*Track   `json:"tracks"`
	Markers   []Marker   `json:"markers"`
	Lyrics    string     `json:"lyrics"`
	Master    Master     `json:"master"`
	Takes     []TakeInfo `json:"takes,omitempty"`     // what is known about recorded takes
	NextTake  int        `json:"next_take,omitempty"` // counter used to name new take files
	Generator string     `json:"generator,omitempty"` // program that saved the file
	// SoundFont is the .sf2 file MIDI tracks play through: "" for the
	// system's General MIDI SoundFont (or the built-in instrument when
	// there is none), BuiltinSound for the built-in instrument, or a path.
	SoundFont string `json:"soundfont,omitempty"`
	// Buses are the reverb and the delay tracks send to; nil until the
	// song sets them (DefaultBuses: see BusesOrDefault).
	Buses *Buses `json:"buses,omitempty"`
}

// BuiltinSound as Song.SoundFont chooses Sangstudio's built-in instrument.
const BuiltinSound = "builtin"

// TimeSig is a time signature such as 4/4 or 6/8.
type TimeSig struct {
	Beats int `json:"beats"` // beats per bar
	Unit  int `json:"unit"`  // note value of one beat: 2, 4, 8 or 16
}

func (t TimeSig) String() string { return fmt.Sprintf("%d/%d", t.Beats, t.Unit) }

// Master is the master bus.
type Master struct {
	GainDB float64 `json:"gain_db"`
}

// Marker names a position in the song (verse, chorus, …).
type Marker struct {
	Name     string `json:"name"`
	Position int64  `json:"position"`
}

// Track is one mixer channel with its clips.
type Track struct {
	// ID names the track for good: it stays the same when the track is
	// renamed or moved, so that the audio engine, a take being recorded
	// and the undo history can follow it. New tracks get a random ID;
	// tracks of songs saved before IDs existed get "t1", "t2", … by
	// position when the song is read (AssignTrackIDs).
	ID       string  `json:"id,omitempty"`
	Name     string  `json:"name"`
	Kind     string  `json:"kind"`     // KindAudio or KindMIDI
	Channels int     `json:"channels"` // 1 (mono) or 2 (stereo)
	GainDB   float64 `json:"gain_db"`
	Pan      float64 `json:"pan"` // -1 (left) .. +1 (right)
	Mute     bool    `json:"mute"`
	Solo     bool    `json:"solo"`
	Clips    []Clip  `json:"clips"` // the active take lane: what plays
	// ActiveLane names the active lane ("Take 3"); empty for imported audio.
	ActiveLane string `json:"active_lane,omitempty"`
	// Lanes are the other take lanes, newest first: earlier passes kept
	// so that nothing recorded is ever lost.
	Lanes []Lane `json:"lanes,omitempty"`
	// Input is the 1-based input channel (or stereo pair) the track
	// records from; empty when not set.
	Input []int `json:"input,omitempty"`
	// Monitor turns software monitoring on while the track is armed.
	Monitor bool `json:"monitor,omitempty"`
	// Program is a MIDI track's sound: a General MIDI program 0..127
	// (0 = Acoustic Grand Piano), or with Drums the SoundFont's drum kit
	// of that number (0 = Standard). Audio tracks ignore both.
	Program int  `json:"program,omitempty"`
	Drums   bool `json:"drums,omitempty"`
	// Effects are the track's EQ, compressor and sends (all off when zero).
	Effects Effects `json:"effects,omitzero"`
}

// Lane is a take lane that is not active.
type Lane struct {
	Name  string `json:"name"`
	Clips []Clip `json:"clips"`
}

// TakeInfo is what is known about one recorded take file.
type TakeInfo struct {
	File      string  `json:"file"`
	Recorded  string  `json:"recorded"` // RFC 3339 time the recording started
	Frames    int64   `json:"frames"`
	Device    string  `json:"device,omitempty"`
	Dropouts  []int64 `json:"dropouts,omitempty"`  // take frames where the device lost audio
	Recovered bool    `json:"recovered,omitempty"` // repaired after a crash
}

// Clip places part of a take file on the timeline.
//
// The clip plays file frames [Offset, Offset+Length) at timeline frames
// [Position, Position+Length). Later clips in a track cover earlier ones
// where they overlap.
type Clip struct {
	Take     string  `json:"take"`     // file name inside SONG_DIR/audio/ (.wav; .mid on MIDI tracks)
	Position int64   `json:"position"` // timeline frame of the clip's first frame
	Offset   int64   `json:"offset"`   // first frame used from the take file
	Length   int64   `json:"length"`   // frames
	GainDB   float64 `json:"gain_db"`
	FadeIn   int64   `json:"fade_in"`  // frames of linear fade-in at the clip's start
	FadeOut  int64   `json:"fade_out"` // frames of linear fade-out at the clip's end
	// Beat is the drum pattern a beat clip plays (nil on other clips):
	// Take holds its notes from the pattern's start, repeated, and the
	// clip plays part of them as any MIDI clip does (see beat.go). Edits
	// replace it with a new pattern, never change it in place: clips
	// copied from one another (a split) may share it.
	Beat *Pattern `json:"beat,omitempty"`
}

// NewPass makes clips the track's active lane, named name; the clips that
// were active become a lane (newest first), so earlier takes stay available.
func (t *Track) NewPass(name string, clips []Clip) {
	if len(t.Clips) > 0 {
		old := Lane{Name: t.ActiveLane, Clips: t.Clips}
		if old.Name == "" {
			old.Name = "Original"
		}
		t.Lanes = append([]Lane{old}, t.Lanes...)
	}
	t.Clips = clips
	t.ActiveLane = name
}

// ActivateLane makes lane i the active one; the active clips take its place.
func (t *Track) ActivateLane(i int) {
	l := t.Lanes[i]
	t.Lanes[i] = Lane{Name: t.ActiveLane, Clips: t.Clips}
	if t.Lanes[i].Name == "" {
		t.Lanes[i].Name = "Original"
	}
	t.Clips, t.ActiveLane = l.Clips, l.Name
}

// Take returns the TakeInfo of a take file, or nil.
func (s *Song) Take(file string) *TakeInfo {
	for i := range s.Takes {
		if s.Takes[i].File == file {
			return &s.Takes[i]
		}
	}
	return nil
}

// End is the timeline frame just after the clip.
func (c Clip) End() int64 { return c.Position + c.Length }

// New returns an empty song with the given title and sample rate (0 means 48000).
func New(title string, rate int) *Song {
	if rate == 0 {
		rate = DefaultRate
	}
	return &Song{
		Schema:  Schema,
		Title:   title,
		Rate:    rate,
		Tempo:   DefaultTempo,
		TimeSig: TimeSig{Beats: 4, Unit: 4},
		Tracks:  []*Track{},
		Markers: []Marker{},
	}
}

// NewTrack returns an audio track at unity gain, centred.
func NewTrack(name string, channels int) *Track {
	return &Track{ID: NewTrackID(), Name: name, Kind: KindAudio, Channels: channels, Clips: []Clip{}}
}

// NewMIDITrack returns a MIDI track (stereo, like its instrument) playing
// General MIDI program (0..127), or the drum kit when drums is set.
func NewMIDITrack(name string, program int, drums bool) *Track {
	return &Track{ID: NewTrackID(), Name: name, Kind: KindMIDI, Channels: 2, Clips: []Clip{}, Program: program, Drums: drums}
}

// NewTrackID returns a new random track ID (12 hexadecimal digits).
func NewTrackID() string {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on the systems Sangstudio runs on
	}
	return hex.EncodeToString(b[:])
}

// AssignTrackIDs gives every track without an ID one: "t1", "t2", … by
// its position (the same each time the same file is read), skipping IDs
// other tracks have.
func (s *Song) AssignTrackIDs() {
	used := map[string]bool{}
	for _, t := range s.Tracks {
		if t != nil && t.ID != "" {
			used[t.ID] = true
		}
	}
	for i, t := range s.Tracks {
		if t == nil || t.ID != "" {
			continue
		}
		id := fmt.Sprintf("t%d", i+1)
		for k := 2; used[id]; k++ {
			id = fmt.Sprintf("t%d-%d", i+1, k)
		}
		t.ID, used[id] = id, true
	}
}

// TrackByID returns the index of the track with the given ID, or -1.
func (s *Song) TrackByID(id string) int {
	for i, t := range s.Tracks {
		if t.ID == id {
			return i
		}
	}
	return -1
}

// IsMIDI reports whether the track is a MIDI track.
func (t *Track) IsMIDI() bool { return t.Kind == KindMIDI }

// Length is the end of the last clip of any track, in frames.
func (s *Song) Length() int64 {
	var n int64
	for _, t := range s.Tracks {
		for _, c := range t.Clips {
			if e := c.End(); e > n {
				n = e
			}
		}
	}
	return n
}

// AllClips returns the clips of every track and every take lane.
func (s *Song) AllClips() []Clip {
	var out []Clip
	for _, t := range s.Tracks {
		out = append(out, t.Clips...)
		for _, l := range t.Lanes {
			out = append(out, l.Clips...)
		}
	}
	return out
}

// AnySolo reports whether any track is soloed.
func (s *Song) AnySolo() bool {
	for _, t := range s.Tracks {
		if t.Solo {
			return true
		}
	}
	return false
}

// Audible reports whether track i sounds in the mix: not muted, and soloed
// when any track is soloed.
func (s *Song) Audible(i int) bool {
	t := s.Tracks[i]
	if t.Mute {
		return false
	}
	return !s.AnySolo() || t.Solo
}

// FindTrack resolves a track reference: a 1-based number or a track name
// (exact first, then case-insensitive). It returns the 0-based index.
func (s *Song) FindTrack(ref string) (int, error) {
	var n int
	if _, err := fmt.Sscanf(ref, "%d", &n); err == nil && fmt.Sprint(n) == strings.TrimSpace(ref) {
		if n < 1 || n > len(s.Tracks) {
			return -1, fmt.Errorf("there is no track %d (the song has %d tracks)", n, len(s.Tracks))
		}
		return n - 1, nil
	}
	for i, t := range s.Tracks {
		if t.Name == ref {
			return i, nil
		}
	}
	found := -1
	for i, t := range s.Tracks {
		if strings.EqualFold(t.Name, ref) {
			if found >= 0 {
				return -1, fmt.Errorf("more than one track is called %q; use the track number", ref)
			}
			found = i
		}
	}
	if found < 0 {
		return -1, fmt.Errorf("there is no track called %q", ref)
	}
	return found, nil
}

// UniqueTrackName returns name, or name with " 2", " 3", … appended so that
// no other track has it.
func (s *Song) UniqueTrackName(name string) string {
	taken := func(n string) bool {
		for _, t := range s.Tracks {
			if strings.EqualFold(t.Name, n) {
				return true
			}
		}
		return false
	}
	if !taken(name) {
		return name
	}
	for i := 2; ; i++ {
		if n := fmt.Sprintf("%s %d", name, i); !taken(n) {
			return n
		}
	}
}

// DBToGain converts decibels to a linear factor; MinGainDB and below give 0.
func DBToGain(db float64) float64 {
	if db <= MinGainDB {
		return 0
	}
	return math.Pow(10, db/20)
}
