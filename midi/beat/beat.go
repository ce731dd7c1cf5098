// Package beat is Sangstudio's drum step sequencer: patterns of steps on
// General MIDI drum lanes, the notes they play, presets and fills, a text
// form for the command line, and beat clips in a song.
//
// A Pattern (the data, kept in song.json: projects.Pattern) is 1–4 bars of
// 16th steps, or of 8th-note triplets, on up to 12 lanes. Each step is
// off, soft, normal or accent (velocities 60, 100 and 127 unless the
// pattern says otherwise), and may hold a roll of 2–4 hits. Each lane has
// a volume, mute and solo. Swing follows Hydrogen's rule (Note::swing):
// only the off-beat 16ths move, later by round(f·PPQ/8) ticks for a swing
// factor f in 0–1. Humanize moves hits a little in time and velocity by
// amounts drawn from the pattern's seed, so the same pattern always gives
// the same notes.
//
// Everything here is a pure function: the pattern edits (SetStep, Toggle,
// SetSwing, SetLaneVolume, FromPreset, …) return a new pattern and never
// change the one given; the song edits (Place, SetPattern, Flatten,
// Refresh) change only the *projects.Song given, as the functions of
// projects/edit do, and return the take to write (Take.Write). EditClip
// does both for a song folder. Wrapped in the window's Studio.Edit, each
// is one undo step:
//
//	st.Edit("Beat: step", func(s *projects.Song) error {
//		return beat.EditClip(st.Dir, s, track, clip, func(p *beat.Pattern) (*beat.Pattern, error) {
//			return beat.Toggle(p, lane, step)
//		})
//	})
//
// (the take is a few kilobytes, written before the edited song reaches the
// audio). StepAtFrame says which cell the playhead is in; LaneName names a
// lane in English or Norwegian.
//
// A beat clip's notes are an ordinary MIDI take (a Standard MIDI File in
// the song's audio folder, named by its content: the same pattern over the
// same span gives the same bytes and the same name), so playback, the
// render, stems and CDs play it like any MIDI clip. Takes are written
// once: an edited pattern writes a new take, and the clip points at it.
package beat

import (
	"fmt"

	"sangstudio/projects"
)

// The pattern's types are the song's (package projects keeps them in
// song.json); these names are how this package speaks of them.
type (
	// Pattern is a drum pattern: see projects.Pattern.
	Pattern = projects.Pattern
	// Lane is one drum of a pattern.
	Lane = projects.BeatLane
	// Step is one step of a lane: its level and hits.
	Step = projects.Step
	// Steps are a lane's steps.
	Steps = projects.Steps
	// Level is how hard a step is played.
	Level = projects.StepLevel
	// Velocities are the velocities of the three levels.
	Velocities = projects.Velocities
)

// The levels of a step.
const (
	Off    = projects.StepOff
	Soft   = projects.StepSoft
	Normal = projects.StepNormal
	Accent = projects.StepAccent
)

// Limits of a pattern.
const (
	MaxBars     = projects.MaxBeatBars
	MaxLanes    = projects.MaxBeatLanes
	MaxRollHits = projects.MaxRollHits
)

// Hit returns a step played at level l with hits hits (1 for one hit,
// 2–4 for a roll).
func Hit(l Level, hits int) Step { return Step{Level: l, Hits: hits} }

// New returns an empty pattern of bars bars in meter m (16th steps, or
// triplets), with the default lanes (DefaultDrums), every step off, and
// the default velocities.
func New(m projects.TimeSig, bars int, triplets bool) (*Pattern, error) {
	p := &Pattern{Meter: m, Bars: bars, Triplets: triplets, Velocity: projects.DefaultVelocities()}
	for _, d := range DefaultDrums() {
		p.Lanes = append(p.Lanes, d.lane(p.Len()))
	}
	if err := check(p); err != nil {
		return nil, err
	}
	return p, nil
}

// check validates p, in the words of Pattern.Validate, without naming
// "the pattern" twice.
func check(p *Pattern) error {
	if p == nil {
		return fmt.Errorf("there is no pattern")
	}
	return p.Validate()
}

// lane is a lane of drum d with n steps, all off, at full volume.
func (d Drum) lane(n int) Lane {
	return Lane{Name: d.Key, Note: d.Note, Volume: 1, Steps: make(Steps, n)}
}
