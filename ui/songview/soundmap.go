package songview

import (
	"math"

	"sangstudio/projects"
)

// The Sound panel's few knobs, and how each maps onto a track's effects
// (projects.Effects): the panel shows a bass, a middle and a treble gain
// where the track has a low shelf, two bells and a high shelf, and one
// compressor amount where it has a threshold, a ratio and a makeup gain.

// Where a band starts when the track's preset did not set it.
const (
	defaultHighPass = 80.0    // Hz
	defaultLowHz    = 100.0   // the bass's shelf
	defaultMidHz    = 1000.0  // the middle's bell
	defaultMidQ     = 0.7     //
	defaultHighHz   = 10000.0 // the treble's shelf
)

// The knobs' ranges.
const (
	toneRange = 12.0  // ± dB of the bass, middle and treble
	sendOff   = -40.0 // a send's slider at its left end: off
	levelMin  = -30.0 // a bus's level slider at its left end
	levelMax  = 6.0
)

// eqOn reports whether the EQ changes the sound (a band off 0 dB).
func eqOn(e projects.Effects) bool {
	return e.Low.GainDB != 0 || e.Mid1.GainDB != 0 || e.Mid2.GainDB != 0 || e.High.GainDB != 0
}

// setEQ turns the EQ off (every band to 0 dB, their frequencies kept) or
// on again: the bands of the track's preset (a track with no preset has
// nothing to turn on: its sliders do that).
func setEQ(e *projects.Effects, on bool) {
	if !on {
		e.Low.GainDB, e.Mid1.GainDB, e.Mid2.GainDB, e.High.GainDB = 0, 0, 0, 0
		return
	}
	if p, ok := projects.FindPreset(e.Preset); ok {
		e.Low, e.Mid1, e.Mid2, e.High = p.Effects.Low, p.Effects.Mid1, p.Effects.Mid2, p.Effects.High
	}
}

// setBass, setMiddle and setTreble set the low shelf's, the first bell's
// and the high shelf's gain (dB); a band the track has not used yet gets a
// frequency first. The second bell stays as the preset has it.
func setBass(e *projects.Effects, db float64) {
	if e.Low.Freq == 0 {
		e.Low.Freq = defaultLowHz
	}
	e.Low.GainDB = round1(db)
}

func setMiddle(e *projects.Effects, db float64) {
	if e.Mid1.Freq == 0 || e.Mid1.Q == 0 {
		e.Mid1.Freq, e.Mid1.Q = defaultMidHz, defaultMidQ
	}
	e.Mid1.GainDB = round1(db)
}

func setTreble(e *projects.Effects, db float64) {
	if e.High.Freq == 0 {
		e.High.Freq = defaultHighHz
	}
	e.High.GainDB = round1(db)
}

// highPassOr is the track's high-pass frequency, or where it would start
// when it is off (its preset's, else defaultHighPass).
func highPassOr(e projects.Effects) float64 {
	if e.HighPass != 0 {
		return e.HighPass
	}
	if p, ok := projects.FindPreset(e.Preset); ok && p.Effects.HighPass != 0 {
		return p.Effects.HighPass
	}
	return defaultHighPass
}

// compAmount is the compressor's amount, 0–1, from its threshold: −10 dB
// is 0 (gentle), −30 dB is 1 (strong).
func compAmount(c projects.Comp) float64 {
	if !c.On && c.AttackMs == 0 {
		return 0.5
	}
	return min(max((-10-c.ThresholdDB)/20, 0), 1)
}

// setCompAmount turns the compressor on at amount a (0–1): the threshold
// from −10 to −30 dB and the ratio from 2 to 6, with a makeup gain that
// gives back about half of what it takes from a loud passage (−6 dBFS).
// Knee, attack and release stay as the preset has them.
func setCompAmount(c *projects.Comp, a float64) {
	a = min(max(a, 0), 1)
	if c.AttackMs == 0 { // never set: a general-purpose compressor
		c.KneeDB, c.AttackMs, c.ReleaseMs = 6, 10, 120
	}
	c.On = true
	c.ThresholdDB = round1(-10 - 20*a)
	c.Ratio = round1(2 + 4*a)
	c.MakeupDB = round1(0.5 * (-6 - c.ThresholdDB) * (1 - 1/c.Ratio))
}

// setComp turns the compressor on or off (its settings kept); one never
// set starts at the middle amount.
func setComp(c *projects.Comp, on bool) {
	if on && c.AttackMs == 0 {
		setCompAmount(c, 0.5)
	}
	c.On = on
}

// sendLevel is a send's slider value: its level, or sendOff when it is off.
func sendLevel(s projects.Send) float64 {
	if !s.On {
		return sendOff
	}
	return max(s.DB, sendOff)
}

// sendAt is the send for the slider at db: off at its left end.
func sendAt(db float64) projects.Send {
	if db <= sendOff {
		return projects.Send{}
	}
	return projects.Send{On: true, DB: round1(min(db, 0))}
}

// soundOff is every effect off, the preset still named (so that Reset
// brings it back) and marked changed.
func soundOff(e projects.Effects) projects.Effects {
	off := projects.Effects{Preset: e.Preset}
	off.MarkChanged()
	return off
}

// delayBeats are the echo's times the panel offers, in beats.
func delayBeats() []float64 { return []float64{1, 0.75, 2} }

func round1(x float64) float64 { return math.Round(x*10) / 10 }
