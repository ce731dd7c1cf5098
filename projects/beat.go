package projects

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"
)

// Beats. A beat track is a MIDI drum track (KindMIDI, Drums) whose clips
// carry a drum pattern (Clip.Beat): the steps of up to twelve lanes (kick,
// snare, hats, …) over one to four bars. The pattern is what the song
// keeps; its notes are also written once as an ordinary MIDI take (the
// clip's Take), so playback, render, stems and CDs treat the clip like any
// other MIDI clip. Package midi/beat makes the notes and the take, and
// holds the presets and the edits; this file is the data as song.json
// keeps it, and its checks.

// Limits of a pattern.
const (
	MaxBeatBars        = 4  // bars in a pattern
	MaxBeatLanes       = 12 // lanes in a pattern
	MaxBeatStepsPerBar = 32 // steps in one bar
	MaxRollHits        = 4  // hits one step may hold (a roll)
	maxLaneName        = 40 // bytes
)

// StepLevel is how hard a step is played.
type StepLevel uint8

// The levels of a step, from off to accent.
const (
	StepOff StepLevel = iota
	StepSoft
	StepNormal
	StepAccent
)

// Step is one step of a lane: off, or played at a level with Hits hits
// (1; 2 to MaxRollHits for a roll, the hits spread evenly over the step:
// 2 in a 16th step are two 32nds). An off step has 0 hits.
type Step struct {
	Level StepLevel
	Hits  int
}

// On reports whether the step is played.
func (s Step) On() bool { return s.Level != StepOff }

// Steps are a lane's steps. In song.json (and on the command line) they
// are one text, one character a step, a digit after it for a roll:
//
//	.  off     o  soft     x  normal     X  accent     x3  three hits (a roll)
//
// so "x...x...x...x..." is a kick on every beat of a 4/4 bar.
type Steps []Step

// stepChars are the step characters by level.
const stepChars = ".oxX"

// String is the steps as text ("x..o X2..").
func (s Steps) String() string {
	var b strings.Builder
	for _, st := range s {
		if int(st.Level) < len(stepChars) {
			b.WriteByte(stepChars[st.Level])
		} else {
			b.WriteByte('?')
		}
		if st.Hits > 1 {
			fmt.Fprintf(&b, "%d", st.Hits)
		}
	}
	return b.String()
}

// ParseSteps reads steps written as Steps.String writes them. Spaces and
// '|' may separate bars or beats ("x... x... | x... x..."): they are
// skipped. Errors say which character is wrong and why.
func ParseSteps(text string) (Steps, error) {
	out := Steps{}
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == ' ' || c == '|':
			continue
		case c >= '0' && c <= '9':
			if len(out) == 0 || !out[len(out)-1].On() || out[len(out)-1].Hits != 1 {
				return nil, fmt.Errorf("%q at character %d: a roll's number of hits (2–%d) comes right after a step that is played (x2, X3, o4)", c, i+1, MaxRollHits)
			}
			if c < '2' || int(c-'0') > MaxRollHits {
				return nil, fmt.Errorf("%q at character %d: a roll has 2 to %d hits", c, i+1, MaxRollHits)
			}
			out[len(out)-1].Hits = int(c - '0')
		default:
			k := strings.IndexByte(stepChars, c)
			if k < 0 {
				r, _ := utf8.DecodeRuneInString(text[i:])
				return nil, fmt.Errorf("%q at character %d is not a step: use . (off), o (soft), x (normal) or X (accent)", r, i+1)
			}
			out = append(out, Step{Level: StepLevel(k), Hits: min(k, 1)})
		}
	}
	return out, nil
}

// MarshalJSON writes the steps as their text.
func (s Steps) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// UnmarshalJSON reads the steps from their text.
func (s *Steps) UnmarshalJSON(data []byte) error {
	var text string
	if err := json.Unmarshal(data, &text); err != nil {
		return err
	}
	if len(text) > 4*MaxBeatBars*MaxBeatStepsPerBar {
		return fmt.Errorf("a drum lane's steps are longer than any pattern (%d characters)", len(text))
	}
	st, err := ParseSteps(text)
	if err != nil {
		return fmt.Errorf("a drum lane's steps: %v", err)
	}
	*s = st
	return nil
}

// Velocities are the MIDI velocities (1–127) of the three levels.
type Velocities struct {
	Soft   int `json:"soft"`
	Normal int `json:"normal"`
	Accent int `json:"accent"`
}

// DefaultVelocities are 60, 100 and 127.
func DefaultVelocities() Velocities { return Velocities{Soft: 60, Normal: 100, Accent: 127} }

// Of is the velocity of a level (0 for off).
func (v Velocities) Of(l StepLevel) int {
	switch l {
	case StepSoft:
		return v.Soft
	case StepNormal:
		return v.Normal
	case StepAccent:
		return v.Accent
	}
	return 0
}

// BeatLane is one drum of a pattern: a General MIDI drum note (channel
// 10) and its steps.
type BeatLane struct {
	// Name is a drum's key ("kick", "snare", …: midi/beat names them in
	// English and Norwegian) or a name of the user's.
	Name   string  `json:"name"`
	Note   int     `json:"note"`   // General MIDI drum note, 0–127 (36 kick, 38 snare, …)
	Volume float64 `json:"volume"` // 0–1: scales the lane's velocities
	Mute   bool    `json:"mute,omitempty"`
	Solo   bool    `json:"solo,omitempty"`
	Steps  Steps   `json:"steps"` // Bars × StepsPerBar steps
}

// Pattern is a drum pattern: 1–4 bars of 16th steps (or 8th-note
// triplets: three steps a beat) on up to 12 lanes.
type Pattern struct {
	// Preset is the preset it started from ("" for none).
	Preset string  `json:"preset,omitempty"`
	Meter  TimeSig `json:"meter"`
	Bars   int     `json:"bars"`
	// Triplets makes the steps 8th-note triplets (three a quarter note)
	// instead of 16ths; only in meters counted in quarter notes.
	Triplets bool `json:"triplets,omitempty"`
	// Swing (0–1) delays the off-beat 16ths by Swing × PPQ/8 ticks
	// (Hydrogen's rule; see midi/beat). Not for triplets.
	Swing float64 `json:"swing,omitempty"`
	// Humanize (0–1) moves each hit a little in time and velocity, by
	// amounts drawn from Seed: the same pattern and seed always give the
	// same notes.
	Humanize float64    `json:"humanize,omitempty"`
	Seed     uint32     `json:"seed,omitempty"`
	Velocity Velocities `json:"velocity"`
	Lanes    []BeatLane `json:"lanes"`
}

// StepsPerBar is the number of steps in one bar: 16ths (16 in 4/4, 12 in
// 3/4 and 6/8) or, with Triplets, three a quarter note (12 in 4/4). It is
// 0 for a meter that has no whole number of them.
func (p *Pattern) StepsPerBar() int {
	b, u := p.Meter.Beats, p.Meter.Unit
	if b < 1 || u < 1 {
		return 0
	}
	if p.Triplets {
		if u != 4 {
			return 0
		}
		return 3 * b
	}
	if 16%u != 0 {
		return 0
	}
	return b * 16 / u
}

// Len is the number of steps in the pattern: Bars × StepsPerBar.
func (p *Pattern) Len() int { return p.Bars * p.StepsPerBar() }

// Clone returns a copy of p that shares nothing with it.
func (p *Pattern) Clone() *Pattern {
	c := *p
	c.Lanes = make([]BeatLane, len(p.Lanes))
	for i, l := range p.Lanes {
		l.Steps = append(Steps{}, l.Steps...)
		c.Lanes[i] = l
	}
	return &c
}

// Validate checks a pattern's values, as a song's Validate does for the
// patterns of its clips.
func (p *Pattern) Validate() error {
	var pr problems
	checkPattern(&pr, "the pattern", p)
	return pr.err()
}

// checkPattern checks the pattern of a clip (what names it).
func checkPattern(p *problems, what string, pt *Pattern) {
	p.name(what+"'s preset name", pt.Preset, true)
	m := pt.Meter
	switch {
	case m.Beats < 1 || m.Beats > 16 || (m.Unit != 2 && m.Unit != 4 && m.Unit != 8 && m.Unit != 16):
		p.add("%s is in %s: beats per bar must be 1–16 and the beat unit 2, 4, 8 or 16", what, m)
	case pt.Triplets && m.Unit != 4:
		p.add("%s has triplet steps in %s: triplets are for meters counted in quarter notes", what, m)
	case pt.StepsPerBar() > MaxBeatStepsPerBar:
		p.add("%s has %d steps a bar (at most %d)", what, pt.StepsPerBar(), MaxBeatStepsPerBar)
	}
	if pt.Bars < 1 || pt.Bars > MaxBeatBars {
		p.add("%s has %d bars (1–%d)", what, pt.Bars, MaxBeatBars)
	}
	in := func(name string, v, lo, hi float64) {
		if !(v >= lo && v <= hi) {
			p.add("%s has %s %v (%v–%v)", what, name, v, lo, hi)
		}
	}
	in("swing", pt.Swing, 0, 1)
	in("humanize", pt.Humanize, 0, 1)
	for _, v := range []struct {
		name string
		v    int
	}{{"soft", pt.Velocity.Soft}, {"normal", pt.Velocity.Normal}, {"accent", pt.Velocity.Accent}} {
		if v.v < 1 || v.v > 127 {
			p.add("%s has a %s velocity of %d (1–127)", what, v.name, v.v)
		}
	}
	if len(pt.Lanes) < 1 || len(pt.Lanes) > MaxBeatLanes {
		p.add("%s has %d lanes (1–%d)", what, len(pt.Lanes), MaxBeatLanes)
		return
	}
	for i, l := range pt.Lanes {
		checkBeatLane(p, fmt.Sprintf("%s's lane %d", what, i+1), l, pt.Len())
	}
}

// checkBeatLane checks one lane of a pattern of n steps.
func checkBeatLane(p *problems, what string, l BeatLane, n int) {
	p.name(what+"'s name", l.Name, false)
	if len(l.Name) > maxLaneName {
		p.add("%s's name is longer than %d bytes", what, maxLaneName)
	}
	if l.Note < 0 || l.Note > 127 {
		p.add("%s has note %d (0–127)", what, l.Note)
	}
	if !(l.Volume >= 0 && l.Volume <= 1) || math.IsNaN(l.Volume) {
		p.add("%s has volume %v (0–1)", what, l.Volume)
	}
	if len(l.Steps) != n {
		p.add("%s has %d steps; the pattern has %d", what, len(l.Steps), n)
	}
	for k, s := range l.Steps {
		okHits := (s.Level == StepOff && s.Hits == 0) || (s.Level > StepOff && s.Level <= StepAccent && s.Hits >= 1 && s.Hits <= MaxRollHits)
		if !okHits {
			p.add("%s's step %d is not a step (level %d, %d hits)", what, k+1, s.Level, s.Hits)
			break
		}
	}
}
