package beat

import (
	"fmt"
	"strconv"
	"strings"

	"sangstudio/projects"
)

// The text form of a pattern, for the command line:
//
//	kick:x...x...x...x...,snare:....x.......x...,hat:x.x.x.x.x.x.x.x.
//
// Lanes are separated by commas (or new lines, or ';'); each is a drum
// and its steps, separated by ':'. The drum is a key ("kick", "snare",
// "clap", "hat", "pedalhat", "openhat", "floortom", "lowtom", "hightom",
// "crash", "ride", "sidestick", "tambourine", "cowbell", "shaker",
// "claves"), a name in English or Norwegian, a short name ("bd", "sd",
// "hh", "oh", …) or a MIDI note number (0–127; General MIDI's drums are
// 35–81). The steps are one
// character each:
//
//	.  off     o  soft     x  normal     X  accent
//
// with a digit 2–4 right after a step for a roll of that many hits in it
// ("x3"); spaces and '|' between steps are ignored. The longest lane sets
// the pattern's length: one to four bars, or a part of a bar that divides
// it (then the pattern is one bar). A shorter lane must divide the
// pattern's length, and is repeated: "kick:x...,hat:x.x.x.x.x.x.x.x."
// is a kick on every beat of the bar.

// maxText bounds the text Parse reads: twelve lanes of four bars of 32
// steps, each with a roll and a separator, and their names, fit easily.
const maxText = 16 << 10

// Parse reads a pattern from its text form, in meter m (16th steps, or
// 8th-note triplets with triplets). Errors say which lane and what is
// wrong, in words for a person.
func Parse(text string, m projects.TimeSig, triplets bool) (*Pattern, error) {
	if len(text) > maxText {
		return nil, fmt.Errorf("the pattern is too long (%d characters; at most %d)", len(text), maxText)
	}
	p := &Pattern{Meter: m, Triplets: triplets, Velocity: projects.DefaultVelocities()}
	perBar := p.StepsPerBar()
	if perBar == 0 || perBar > projects.MaxBeatStepsPerBar {
		grid := ""
		if triplets {
			grid = " with triplets"
		}
		return nil, fmt.Errorf("a pattern cannot be made in %s%s", m, grid)
	}
	var lanes []Lane
	for _, part := range strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		if strings.TrimSpace(part) == "" {
			continue
		}
		l, err := parseLane(part, lanes)
		if err != nil {
			return nil, err
		}
		lanes = append(lanes, l)
	}
	if len(lanes) == 0 {
		return nil, fmt.Errorf("the pattern has no lanes: write it like kick:x...x...,snare:....x...")
	}
	if len(lanes) > MaxLanes {
		return nil, fmt.Errorf("the pattern has %d lanes; at most %d", len(lanes), MaxLanes)
	}
	n, err := patternLength(lanes, perBar)
	if err != nil {
		return nil, err
	}
	p.Bars = max(n/perBar, 1)
	total := p.Len()
	for i := range lanes {
		lanes[i].Steps = repeat(lanes[i].Steps, total)
	}
	p.Lanes = lanes
	if err := check(p); err != nil {
		return nil, err
	}
	return p, nil
}

// parseLane reads "drum:steps"; lanes are those read before (a drum may
// be given once).
func parseLane(part string, lanes []Lane) (Lane, error) {
	name, steps, ok := strings.Cut(part, ":")
	name = strings.TrimSpace(name)
	if !ok || name == "" {
		return Lane{}, fmt.Errorf("%q: write a lane as a drum, ':' and its steps (kick:x...x...)", strings.TrimSpace(part))
	}
	d, ok := FindDrum(name)
	if !ok {
		k, err := strconv.Atoi(name)
		if err != nil || k < 0 || k > 127 {
			return Lane{}, fmt.Errorf("%q is not a drum: use kick, snare, clap, hat, pedalhat, openhat, floortom, lowtom, hightom, crash, ride, sidestick, tambourine, cowbell, shaker, claves, or a General MIDI note number", name)
		}
		d = Drum{Key: strconv.Itoa(k), Note: k}
	}
	for _, l := range lanes {
		if l.Name == d.Key {
			return Lane{}, fmt.Errorf("%s is given twice", name)
		}
	}
	st, err := projects.ParseSteps(steps)
	if err != nil {
		return Lane{}, fmt.Errorf("%s: %v", name, err)
	}
	if len(st) == 0 {
		return Lane{}, fmt.Errorf("%s has no steps", name)
	}
	l := d.lane(0)
	l.Steps = st
	return l, nil
}

// patternLength is the number of steps the lanes make together: the
// longest lane's, which must be 1–4 bars of perBar steps or divide a bar
// (one bar then), and which every lane's length must divide.
func patternLength(lanes []Lane, perBar int) (int, error) {
	n := 0
	for _, l := range lanes {
		n = max(n, len(l.Steps))
	}
	switch {
	case n <= perBar && perBar%n == 0:
		n = perBar
	case n%perBar == 0 && n/perBar <= MaxBars:
	default:
		return 0, fmt.Errorf("the longest lane has %d steps: a bar has %d, and a pattern is 1 to %d bars (%s), or a part of a bar that divides it",
			n, perBar, MaxBars, barLengths(perBar))
	}
	for _, l := range lanes {
		if n%len(l.Steps) != 0 {
			return 0, fmt.Errorf("%s has %d steps, which does not divide the pattern's %d: give it %s steps", l.Name, len(l.Steps), n, divisors(n))
		}
	}
	return n, nil
}

// barLengths lists the whole-bar lengths: "16, 32, 48 or 64 steps".
func barLengths(perBar int) string {
	var s []string
	for b := 1; b <= MaxBars; b++ {
		s = append(s, strconv.Itoa(b*perBar))
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1] + " steps"
}

// divisors lists the lengths that divide n: "1, 2, 4, 8 or 16".
func divisors(n int) string {
	var s []string
	for k := 1; k <= n; k++ {
		if n%k == 0 {
			s = append(s, strconv.Itoa(k))
		}
	}
	if len(s) == 1 {
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

// repeat repeats steps to n steps (len(steps) divides n).
func repeat(steps Steps, n int) Steps {
	out := make(Steps, 0, n)
	for len(out) < n {
		out = append(out, steps...)
	}
	return out[:n]
}

// Text is the pattern's text form (every lane at its full length), which
// Parse reads back to the same lanes and steps.
func Text(p *Pattern) string {
	var b strings.Builder
	for i, l := range p.Lanes {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(l.Name)
		b.WriteByte(':')
		b.WriteString(l.Steps.String())
	}
	return b.String()
}
