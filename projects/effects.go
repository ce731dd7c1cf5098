package projects

import "fmt"

// Effects are a track's channel strip beyond its gain and pan: a
// high-pass, four EQ bands and a compressor on the track, then sends (after
// the fader) to the song's reverb and delay. The zero value is all of it
// off: the track sounds as it did before effects existed. audio/fx has the
// processing; these are the settings as song.json keeps them.
type Effects struct {
	// Preset names the preset the settings started from ("" for none),
	// and Changed says they were changed by hand since.
	Preset   string  `json:"preset,omitempty"`
	Changed  bool    `json:"changed,omitempty"`
	HighPass float64 `json:"high_pass,omitempty"` // Hz (20–400); 0: off
	Low      Shelf   `json:"low,omitzero"`
	Mid1     Bell    `json:"mid1,omitzero"`
	Mid2     Bell    `json:"mid2,omitzero"`
	High     Shelf   `json:"high,omitzero"`
	Comp     Comp    `json:"comp,omitzero"`
	Reverb   Send    `json:"reverb,omitzero"`
	Delay    Send    `json:"delay,omitzero"`
}

// Shelf is a shelving EQ band; a gain of 0 dB is off.
type Shelf struct {
	Freq   float64 `json:"freq"`    // Hz
	GainDB float64 `json:"gain_db"` // ±18
}

// Bell is a peaking EQ band; a gain of 0 dB is off.
type Bell struct {
	Freq   float64 `json:"freq"`    // Hz
	GainDB float64 `json:"gain_db"` // ±18
	Q      float64 `json:"q"`       // 0.1–10
}

// Comp is a compressor's settings (see audio/fx for the curve).
type Comp struct {
	On          bool    `json:"on"`
	ThresholdDB float64 `json:"threshold_db"` // −60…0
	Ratio       float64 `json:"ratio"`        // 1…20
	KneeDB      float64 `json:"knee_db"`      // 0…24
	AttackMs    float64 `json:"attack_ms"`    // 0.1…200
	ReleaseMs   float64 `json:"release_ms"`   // 5…2000
	MakeupDB    float64 `json:"makeup_db"`    // 0…24
}

// Send is a track's send to an effect bus, after its fader.
type Send struct {
	On bool    `json:"on"`
	DB float64 `json:"db"` // −60…+6
}

// Buses are the song's shared effects, which tracks send to.
type Buses struct {
	Reverb ReverbBus `json:"reverb"`
	Delay  DelayBus  `json:"delay"`
}

// ReverbBus is the song's reverb (a Freeverb: see audio/fx).
type ReverbBus struct {
	Room  float64 `json:"room"`   // 0–1: how big the room sounds
	Damp  float64 `json:"damp"`   // 0–1: how dull its walls are
	Width float64 `json:"width"`  // 0–1: mono to wide
	WetDB float64 `json:"wet_db"` // −60…+6: how loud it comes back
}

// DelayBus is the song's delay (echo).
type DelayBus struct {
	Ms        float64 `json:"ms,omitempty"`    // 1–2000, when Beats is 0
	Beats     float64 `json:"beats,omitempty"` // in beats of the song's tempo (0: Ms)
	Feedback  float64 `json:"feedback"`        // 0–0.95
	LowPassHz float64 `json:"low_pass_hz"`     // 500–20000: the echoes get duller
	WetDB     float64 `json:"wet_db"`          // −60…+6
}

// DefaultBuses are the buses of a song that has not set them: a medium
// room and a dotted-eighth echo, both coming back 6 dB down.
func DefaultBuses() Buses {
	return Buses{
		Reverb: ReverbBus{Room: 0.5, Damp: 0.5, Width: 1, WetDB: -6},
		Delay:  DelayBus{Beats: 0.75, Feedback: 0.3, LowPassHz: 5000, WetDB: -6},
	}
}

// BusesOrDefault is s.Buses, or DefaultBuses when the song has not set them.
func (s *Song) BusesOrDefault() Buses {
	if s.Buses == nil {
		return DefaultBuses()
	}
	return *s.Buses
}

// checkEffects checks a track's effect settings.
func checkEffects(p *problems, tn string, e Effects) {
	p.name(tn+"'s preset name", e.Preset, true)
	if e.HighPass != 0 && !(e.HighPass >= 20 && e.HighPass <= 400) {
		p.add("%s has its high-pass at %v Hz (20–400, or 0 for off)", tn, e.HighPass)
	}
	for _, b := range []struct {
		name string
		bell Bell
	}{{"low", Bell{e.Low.Freq, e.Low.GainDB, 1}}, {"first middle", e.Mid1}, {"second middle", e.Mid2}, {"high", Bell{e.High.Freq, e.High.GainDB, 1}}} {
		checkBand(p, fmt.Sprintf("%s's %s EQ band", tn, b.name), b.bell)
	}
	if c := e.Comp; c.On {
		in := func(what string, v, lo, hi float64) {
			if !(v >= lo && v <= hi) {
				p.add("%s's compressor has %s %v (%v–%v)", tn, what, v, lo, hi)
			}
		}
		in("threshold", c.ThresholdDB, -60, 0)
		in("ratio", c.Ratio, 1, 20)
		in("knee", c.KneeDB, 0, 24)
		in("attack", c.AttackMs, 0.1, 200)
		in("release", c.ReleaseMs, 5, 2000)
		in("makeup", c.MakeupDB, 0, 24)
	}
	for _, s := range []struct {
		what string
		s    Send
	}{{"reverb", e.Reverb}, {"delay", e.Delay}} {
		if s.s.On && !(s.s.DB >= -60 && s.s.DB <= 6) {
			p.add("%s sends %v dB to the %s (−60…+6)", tn, s.s.DB, s.what)
		}
	}
}

// checkBand checks an EQ band that is on (a gain other than 0 dB).
func checkBand(p *problems, what string, b Bell) {
	switch {
	case b.GainDB == 0:
	case !(b.GainDB >= -18 && b.GainDB <= 18):
		p.add("%s has a gain of %v dB (±18)", what, b.GainDB)
	case !(b.Freq >= 20 && b.Freq <= 20000):
		p.add("%s is at %v Hz (20–20000)", what, b.Freq)
	case !(b.Q >= 0.1 && b.Q <= 10):
		p.add("%s has a Q of %v (0.1–10)", what, b.Q)
	}
}

// checkBuses checks the song's reverb and delay.
func checkBuses(p *problems, b Buses) {
	r, d := b.Reverb, b.Delay
	for _, v := range []struct {
		what string
		v    float64
	}{{"room size", r.Room}, {"damping", r.Damp}, {"width", r.Width}} {
		if !(v.v >= 0 && v.v <= 1) {
			p.add("the reverb's %s is %v (0–1)", v.what, v.v)
		}
	}
	if !(r.WetDB >= -60 && r.WetDB <= 6) {
		p.add("the reverb comes back at %v dB (−60…+6)", r.WetDB)
	}
	switch {
	case d.Beats != 0 && !(d.Beats >= 1.0/16 && d.Beats <= 8):
		p.add("the delay is %v beats (1/16–8)", d.Beats)
	case d.Beats == 0 && !(d.Ms >= 1 && d.Ms <= 2000):
		p.add("the delay is %v ms (1–2000)", d.Ms)
	}
	if !(d.Feedback >= 0 && d.Feedback <= 0.95) {
		p.add("the delay's feedback is %v (0–0.95)", d.Feedback)
	}
	if !(d.LowPassHz >= 500 && d.LowPassHz <= 20000) {
		p.add("the delay's low-pass is at %v Hz (500–20000)", d.LowPassHz)
	}
	if !(d.WetDB >= -60 && d.WetDB <= 6) {
		p.add("the delay comes back at %v dB (−60…+6)", d.WetDB)
	}
}
