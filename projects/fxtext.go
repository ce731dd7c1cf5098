package projects

import (
	"fmt"
	"strconv"
	"strings"
)

// The effects as text, for the command line: ParseEQ and ParseComp read
// what `sangstudio fx` is given, and Effects.Text / Buses.Text say what a
// track and the song have (`sangstudio info`).

// DefaultComp is the compressor a track gets when one is turned on without
// its settings: gentle, for a voice.
func DefaultComp() Comp { return comp(-18, 3, 6, 10, 120, 0) }

// ParseEQ reads EQ bands into e: "off" turns every band off (0 dB); else
// a comma-separated list of BAND:GAIN@FREQ[/Q], where BAND is low, p1, p2
// or high, GAIN is in dB, FREQ in Hz (or with k: 2.5k) and Q (the middle
// bands only) defaults to 1. Bands not named are left as they are.
func ParseEQ(text string, e *Effects) error {
	text = strings.TrimSpace(text)
	if strings.EqualFold(text, "off") {
		e.Low, e.Mid1, e.Mid2, e.High = Shelf{}, Bell{}, Bell{}, Shelf{}
		return nil
	}
	for _, part := range strings.Split(text, ",") {
		band, spec, ok := strings.Cut(strings.TrimSpace(part), ":")
		if !ok {
			return fmt.Errorf("EQ band %q: write it as BAND:GAIN@FREQ, e.g. low:+2@120", part)
		}
		gain, rest, ok := strings.Cut(spec, "@")
		if !ok {
			return fmt.Errorf("EQ band %q: the frequency is missing (GAIN@FREQ)", part)
		}
		freqText, qText, hasQ := strings.Cut(rest, "/")
		g, err1 := parseNumber(gain)
		f, err2 := parseNumber(freqText)
		q := 1.0
		var err3 error
		if hasQ {
			q, err3 = parseNumber(qText)
		}
		if err := firstErr(err1, err2, err3); err != nil {
			return fmt.Errorf("EQ band %q: %v", part, err)
		}
		band = strings.ToLower(strings.TrimSpace(band))
		switch band {
		case "low":
			e.Low = Shelf{f, g}
		case "high":
			e.High = Shelf{f, g}
		case "p1":
			e.Mid1 = Bell{f, g, q}
		case "p2":
			e.Mid2 = Bell{f, g, q}
		default:
			return fmt.Errorf("EQ band %q: the bands are low, p1, p2 and high", band)
		}
		if hasQ && (band == "low" || band == "high") {
			return fmt.Errorf("EQ band %q: a shelf has no Q", part)
		}
	}
	return nil
}

// ParseComp reads a compressor: "off", or a comma-separated list of
// KEY:VALUE with the keys thr (dB), ratio, att (ms), rel (ms), knee (dB)
// and makeup (dB), changing c (which is turned on).
func ParseComp(text string, c Comp) (Comp, error) {
	text = strings.TrimSpace(text)
	if strings.EqualFold(text, "off") {
		c.On = false
		return c, nil
	}
	if !c.On {
		c = DefaultComp()
	}
	c.On = true
	for _, part := range strings.Split(text, ",") {
		key, val, ok := strings.Cut(strings.TrimSpace(part), ":")
		v, err := parseNumber(val)
		if !ok || err != nil {
			return c, fmt.Errorf("compressor setting %q: write it as KEY:VALUE, e.g. thr:-18", part)
		}
		switch strings.ToLower(key) {
		case "thr", "threshold":
			c.ThresholdDB = v
		case "ratio":
			c.Ratio = v
		case "att", "attack":
			c.AttackMs = v
		case "rel", "release":
			c.ReleaseMs = v
		case "knee":
			c.KneeDB = v
		case "makeup":
			c.MakeupDB = v
		default:
			return c, fmt.Errorf("compressor setting %q: the settings are thr, ratio, att, rel, knee and makeup", key)
		}
	}
	return c, nil
}

// parseNumber reads a finite number, with an optional sign and k for
// thousands.
func parseNumber(s string) (float64, error) {
	s = strings.TrimSpace(s)
	mul := 1.0
	if t, ok := strings.CutSuffix(strings.ToLower(s), "k"); ok {
		s, mul = t, 1000
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v-v != 0 {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return v * mul, nil
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// Text says in one line what the track's effects are ("" when none is on).
func (e Effects) Text() string {
	var parts []string
	if e.Preset != "" {
		p := "preset " + e.Preset
		if q, ok := FindPreset(e.Preset); ok {
			p = "preset " + q.Name
		}
		if e.Changed {
			p += " (changed)"
		}
		parts = append(parts, p)
	}
	if e.HighPass != 0 {
		parts = append(parts, fmt.Sprintf("high-pass %g Hz", e.HighPass))
	}
	var eq []string
	for _, b := range []struct {
		name string
		b    Bell
		q    bool
	}{{"low", Bell{e.Low.Freq, e.Low.GainDB, 0}, false}, {"p1", e.Mid1, true}, {"p2", e.Mid2, true}, {"high", Bell{e.High.Freq, e.High.GainDB, 0}, false}} {
		if b.b.GainDB != 0 {
			s := fmt.Sprintf("%s %+g dB at %g Hz", b.name, b.b.GainDB, b.b.Freq)
			if b.q {
				s += fmt.Sprintf(" Q %g", b.b.Q)
			}
			eq = append(eq, s)
		}
	}
	if len(eq) > 0 {
		parts = append(parts, "EQ "+strings.Join(eq, ", "))
	}
	if c := e.Comp; c.On {
		parts = append(parts, fmt.Sprintf("compressor %g dB %g:1 (knee %g dB, attack %g ms, release %g ms, makeup %+g dB)",
			c.ThresholdDB, c.Ratio, c.KneeDB, c.AttackMs, c.ReleaseMs, c.MakeupDB))
	}
	for _, s := range []struct {
		name string
		s    Send
	}{{"reverb", e.Reverb}, {"delay", e.Delay}} {
		if s.s.On {
			parts = append(parts, fmt.Sprintf("%s send %+g dB", s.name, s.s.DB))
		}
	}
	return strings.Join(parts, "; ")
}

// Text says in one line what the song's buses are.
func (b Buses) Text() string {
	r, d := b.Reverb, b.Delay
	t := fmt.Sprintf("%g ms", d.Ms)
	if d.Beats != 0 {
		t = fmt.Sprintf("%g beats", d.Beats)
	}
	return fmt.Sprintf("reverb: room %g, damping %g, width %g, back at %+g dB; delay: %s, feedback %g, low-pass %g Hz, back at %+g dB",
		r.Room, r.Damp, r.Width, r.WetDB, t, d.Feedback, d.LowPassHz, d.WetDB)
}
