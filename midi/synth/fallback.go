package synth

import (
	"math"
	"sync"
)

// The built-in instrument: 32 voices of wavetable or two-operator FM tone
// (one patch per GM family group) or synthesized drums, a linear attack and
// exponential decay and release (so nothing clicks), velocity, sustain
// pedal, pitch bend (±2 semitones), mod wheel vibrato, volume, expression
// and pan. Everything is computed per frame, so events are frame-accurate,
// and noise comes from a xorshift generator seeded at reset, so the output
// is deterministic.

const (
	fbVoices = 32
	tabBits  = 11
	tabSize  = 1 << tabBits
	tabFrac  = 32 - tabBits
	quiet    = 1e-4 // an envelope below this has ended
)

// wave is one cycle of a waveform with a guard point for interpolation.
type wave [tabSize + 1]float32

// at is the wave's value at phase ph (2^32 is one cycle), interpolated.
func (w *wave) at(ph uint32) float32 {
	i := ph >> tabFrac
	f := float32(ph&(1<<tabFrac-1)) * (1.0 / (1 << tabFrac))
	return w[i] + (w[i+1]-w[i])*f
}

// Shapes, each with band-limited variants of at most 16, 8, 4, 2, 1
// harmonics, chosen at note-on so that high notes do not alias.
const (
	shSine = iota
	shOrgan
	shSaw
	shSquare
	shBass
	nShapes
)

var (
	tablesOnce sync.Once
	tables     [nShapes][5]*wave
	limits     = [5]int{16, 8, 4, 2, 1}
)

// makeTables fills tables: every shape in every band limit, normalized to
// the peak of its richest variant.
func makeTables() {
	sine := new(wave)
	for i := range sine {
		sine[i] = float32(math.Sin(2 * math.Pi * float64(i) / tabSize))
	}
	amp := func(shape, k int) float32 {
		switch shape {
		case shSine:
			return b2f(k == 1)
		case shOrgan:
			return [9]float32{0, 1, 0.6, 0.35, 0.25, 0, 0.12, 0, 0.1}[min(k, 8)] * b2f(k <= 8)
		case shSaw:
			return 1 / float32(k)
		case shSquare:
			return b2f(k%2 == 1) / float32(k)
		}
		return [5]float32{0, 1, 0.45, 0.2, 0.1}[min(k, 4)] * b2f(k <= 4)
	}
	for s := 0; s < nShapes; s++ {
		var peak float32
		for v, lim := range limits {
			w := new(wave)
			for i := 0; i < tabSize; i++ {
				for k := 1; k <= lim; k++ {
					w[i] += amp(s, k) * sine[(k*i)&(tabSize-1)]
				}
			}
			w[tabSize] = w[0]
			if v == 0 {
				for _, x := range w {
					peak = max(peak, x, -x)
				}
			}
			for i := range w {
				w[i] /= peak
			}
			tables[s][v] = w
		}
	}
}

// b2f is 1 for true, 0 for false.
func b2f(b bool) float32 {
	if b {
		return 1
	}
	return 0
}

// patch is a melodic sound: times in seconds (decay and release are time
// constants), fmRatio > 0 makes it FM with a sine carrier.
type patch struct {
	shape                           int
	fmRatio, fmIndex, fmDecay       float64
	attack, decay, sustain, release float64
	bright                          float64 // low-pass cutoff as a multiple of the note's frequency, 0 = open
	level                           float64
}

var patches = [...]patch{
	{fmRatio: 1, fmIndex: 1.8, fmDecay: 0.4, attack: 0.002, decay: 1.5, release: 0.15, level: 1},    // 0 keys: FM electric piano
	{fmRatio: 3.5, fmIndex: 1.2, fmDecay: 0.15, attack: 0.002, decay: 0.8, release: 0.2, level: 1},  // 1 mallets and bells
	{shape: shOrgan, attack: 0.005, decay: 1, sustain: 1, release: 0.04, level: 0.8},                // 2 organ
	{shape: shBass, attack: 0.003, decay: 0.35, sustain: 0.25, release: 0.06, level: 1.1},           // 3 bass: plucky
	{shape: shSaw, attack: 0.12, decay: 0.3, sustain: 0.85, release: 0.22, bright: 6, level: 0.9},   // 4 strings
	{shape: shSaw, attack: 0.35, decay: 0.5, sustain: 0.8, release: 0.25, bright: 3, level: 0.9},    // 5 pads
	{shape: shSaw, attack: 0.04, decay: 0.2, sustain: 0.8, release: 0.12, bright: 4, level: 0.8},    // 6 brass
	{shape: shSquare, attack: 0.02, decay: 0.2, sustain: 0.9, release: 0.08, bright: 5, level: 0.7}, // 7 reed and lead
	{shape: shSine, attack: 0.03, decay: 1, sustain: 1, release: 0.1, level: 1},                     // 8 pipe: pure sine
}

// familyPatch picks the patch for each GM family.
var familyPatch = [16]int{0, 1, 2, 0, 3, 4, 4, 6, 7, 8, 7, 5, 5, 0, 1, 5}

// drum is a synthesized drum: a sine whose frequency sweeps from f0 to f1
// plus (optionally high-passed) noise, each with its own decay.
type drum struct {
	f0, f1, sweep     float64 // Hz, Hz, time constant of the sweep
	tone, toneDecay   float64
	noise, noiseDecay float64
	hp                bool
}

// drumFor is the drum that a GM percussion key plays.
func drumFor(key int32) drum {
	switch key {
	case 35, 36:
		return drum{f0: 150, f1: 48, sweep: 0.03, tone: 1, toneDecay: 0.3, noise: 0.15, noiseDecay: 0.008}
	case 38, 40:
		return drum{f0: 220, f1: 180, sweep: 0.04, tone: 0.5, toneDecay: 0.07, noise: 0.8, noiseDecay: 0.12, hp: true}
	case 37, 39:
		return drum{noise: 0.7, noiseDecay: 0.05, hp: true}
	case 42, 44:
		return drum{noise: 0.45, noiseDecay: 0.035 + 0.02*float64(key-42), hp: true}
	case 46:
		return drum{noise: 0.4, noiseDecay: 0.3, hp: true}
	case 41, 43, 45, 47, 48, 50:
		f := 80 * math.Exp2(float64(key-41)/8)
		return drum{f0: 1.6 * f, f1: f, sweep: 0.05, tone: 0.9, toneDecay: 0.28, noise: 0.15, noiseDecay: 0.02}
	case 49, 52, 55, 57:
		return drum{noise: 0.4, noiseDecay: 1.1, hp: true}
	case 51, 53, 59:
		return drum{f0: 620, f1: 620, sweep: 1, tone: 0.08, toneDecay: 0.6, noise: 0.22, noiseDecay: 0.7, hp: true}
	}
	return drum{noise: 0.5, noiseDecay: 0.025, hp: true}
}

// fbVoice is one sounding note of the built-in instrument.
type fbVoice struct {
	active, drum, held bool
	stage              uint8 // 0 attack, 1 decay, 2 release
	key                int32
	age                uint64
	amp, env           float32
	ph, ph2            uint32
	inc                float64 // phase increment at the note's pitch, 2^32 per cycle
	tab                *wave
	mod                float32 // FM index above its floor, decaying
	lp, lpA            float32 // low-pass state and coefficient
	relCoef            float32
	// drums
	sweep, sweepCoef, f1, df float64
	tEnv, nEnv, tCoef, nCoef float32
	hp                       bool
	rng                      uint32 // the voice's own noise, so chunking cannot change it
}

// fallback is the built-in instrument's state: its patch, voices and
// controllers, and buffers of maxBlock frames.
type fallback struct {
	p                      patch
	drums                  bool
	rate                   float64
	attInc, decCoef        float32
	fmCoef, fmFloor        float32
	relCoef, fastCoef      float32
	voices                 [fbVoices]fbVoice
	age                    uint64
	rng                    uint32
	sustain                bool
	mod, vol, expr, pan    int32
	bend                   float64
	lfo, lfoInc            uint32
	gl, gr, tl, tr, smooth float32
	mix, mult              []float32
}

// newFallback makes the built-in instrument for s (call reset before use).
func newFallback(s Sound, rate, maxBlock int) *fallback {
	tablesOnce.Do(makeTables)
	f := &fallback{drums: s.Drums, rate: float64(rate), mix: make([]float32, maxBlock), mult: make([]float32, maxBlock)}
	f.p = patches[familyPatch[Family(s.Program)]]
	f.attInc = float32(1 / (f.p.attack * f.rate))
	f.decCoef = f.coef(f.p.decay)
	f.relCoef = f.coef(f.p.release)
	f.fmCoef = f.coef(f.p.fmDecay)
	f.fmFloor = float32(0.1 * f.p.fmIndex)
	f.fastCoef = f.coef(0.003)
	f.smooth = 1 - f.coef(0.005)
	f.lfoInc = uint32(5.5 / f.rate * (1 << 32))
	return f
}

// coef is the per-frame factor of an exponential decay with time constant t.
func (f *fallback) coef(t float64) float32 {
	if t <= 0 {
		return 0
	}
	return float32(math.Exp(-1 / (t * f.rate)))
}

// reset silences every voice at once and sets the controllers and the
// noise generator to their initial state.
func (f *fallback) reset() {
	f.voices = [fbVoices]fbVoice{}
	f.age, f.rng, f.lfo = 0, 0x9E3779B9, 0
	f.sustain, f.mod, f.vol, f.expr, f.pan, f.bend = false, 0, 100, 127, 64, 1
	f.target()
	f.gl, f.gr = f.tl, f.tr
}

// target sets the output gains that the smoothed ones move towards.
func (f *fallback) target() {
	v, e := float32(f.vol)/127, float32(f.expr)/127
	g := v * v * e * e
	th := (float64(min(max(f.pan, 1), 127)) - 1) / 126 * math.Pi / 2
	f.tl = g * float32(math.Cos(th)*math.Sqrt2)
	f.tr = g * float32(math.Sin(th)*math.Sqrt2)
}

// event applies a note on/off, pitch bend or control change.
func (f *fallback) event(kind, d1, d2 int32) {
	switch {
	case kind == 0x90 && d2 > 0:
		f.noteOn(d1, d2)
	case kind == 0x80 || kind == 0x90:
		for i := range f.voices {
			v := &f.voices[i]
			if v.active && !v.drum && v.key == d1 && v.stage != 2 {
				if f.sustain {
					v.held = true
				} else {
					v.stage = 2
				}
			}
		}
	case kind == 0xE0:
		f.bend = math.Exp2(float64(d1|d2<<7-8192) / 8192 * 2 / 12)
	case kind == 0xB0:
		f.control(d1, d2)
	}
}

// control applies a control change.
func (f *fallback) control(cc, val int32) {
	switch cc {
	case 1:
		f.mod = val
	case 7:
		f.vol = val
	case 10:
		f.pan = val
	case 11:
		f.expr = val
	case 64:
		f.sustain = val >= 64
		if !f.sustain {
			f.releaseHeld()
		}
	case 120, 123:
		for i := range f.voices {
			v := &f.voices[i]
			v.held = false
			if !v.drum {
				v.stage = 2
			}
			if cc == 120 {
				v.relCoef, v.tCoef, v.nCoef = f.fastCoef, f.fastCoef, f.fastCoef
			}
		}
	case 121:
		f.mod, f.expr, f.bend, f.sustain = 0, 127, 1, false
		f.releaseHeld()
	}
	f.target()
}

// releaseHeld releases the notes the sustain pedal held.
func (f *fallback) releaseHeld() {
	for i := range f.voices {
		if v := &f.voices[i]; v.held {
			v.held, v.stage = false, 2
		}
	}
}

// noteOn starts key on the voice already playing it, a free voice, or else
// the oldest voice (releasing ones first). A reused voice keeps its phase
// and envelope level, so the change does not click.
func (f *fallback) noteOn(key, vel int32) {
	var v *fbVoice
	for i := range f.voices {
		if w := &f.voices[i]; w.active && w.key == key {
			v = w
			break
		}
	}
	for i := 0; v == nil && i < fbVoices; i++ {
		if !f.voices[i].active {
			v = &f.voices[i]
		}
	}
	if v == nil {
		v = &f.voices[0]
		for i := range f.voices {
			w := &f.voices[i]
			if wr, vr := w.stage == 2, v.stage == 2; wr && !vr || wr == vr && w.age < v.age {
				v = w
			}
		}
	}
	f.age++
	if !v.active {
		v.env, v.ph, v.ph2, v.lp, v.tEnv, v.nEnv = 0, 0, 0, 0, 0, 0
	}
	vc := float32(vel) / 127
	v.active, v.held, v.stage, v.key, v.age = true, false, 0, key, f.age
	v.amp = 0.08 * (0.15 + 0.85*vc*vc) * float32(f.p.level)
	v.relCoef = f.relCoef
	freq := 440 * math.Exp2(float64(key-69)/12)
	if f.drums {
		d := drumFor(key)
		f.rng = xorshift(f.rng)
		v.drum, v.hp, v.rng = true, d.hp, f.rng
		v.sweep, v.sweepCoef = 1, float64(f.coef(d.sweep))
		v.f1, v.df = d.f1/f.rate*(1<<32), (d.f0-d.f1)/f.rate*(1<<32)
		v.tEnv, v.nEnv = float32(d.tone)*v.amp*2, float32(d.noise)*v.amp*2
		v.tCoef, v.nCoef = f.coef(d.toneDecay), f.coef(d.noiseDecay)
		v.env = 0 // fade-in
		if key == 42 || key == 44 {
			for i := range f.voices { // a closed hi-hat chokes the open one
				if w := &f.voices[i]; w.active && w.key == 46 {
					w.nCoef = f.coef(0.01)
				}
			}
		}
		return
	}
	v.inc = freq / f.rate * (1 << 32)
	lim := 0
	for lim < 4 && freq*float64(limits[lim]) > 0.45*f.rate {
		lim++
	}
	v.tab = tables[f.p.shape][lim]
	if f.p.fmRatio > 0 {
		v.tab = tables[shSine][4]
		v.mod = float32(f.p.fmIndex*(0.4+0.6*float64(vc))) - f.fmFloor
	}
	v.lpA = 1
	if f.p.bright > 0 {
		v.lpA = float32(1 - math.Exp(-2*math.Pi*min(freq*f.p.bright, 0.4*f.rate)/f.rate))
	}
}

// render writes len(l) <= maxBlock frames: the voices are mixed into a mono
// buffer, then panned with smoothed gains.
func (f *fallback) render(l, r []float32) {
	n := len(l)
	mix, mult := f.mix[:n], f.mult[:n]
	clear(mix)
	depth := float32(f.mod) / 127 * 0.5 * math.Ln2 / 12 // up to half a semitone
	for i := range mult {
		mult[i] = float32(f.bend)
		if depth > 0 {
			mult[i] *= 1 + depth*tables[shSine][4].at(f.lfo)
			f.lfo += f.lfoInc
		}
	}
	for i := range f.voices {
		if v := &f.voices[i]; v.active {
			if v.drum {
				f.drum(v, mix)
			} else {
				f.melodic(v, mix, mult)
			}
		}
	}
	for i, x := range mix {
		f.gl += (f.tl - f.gl) * f.smooth
		f.gr += (f.tr - f.gr) * f.smooth
		l[i], r[i] = x*f.gl, x*f.gr
	}
}

// melodic adds a tone voice to mix; mult is the per-frame pitch factor
// (bend and vibrato). The voice ends when its envelope falls below quiet.
func (f *fallback) melodic(v *fbVoice, mix, mult []float32) {
	const radToPhase = (1 << 32) / (2 * math.Pi)
	sine := tables[shSine][4]
	fm := f.p.fmRatio > 0
	for i := range mix {
		switch v.stage {
		case 0:
			if v.env += f.attInc; v.env >= 1 {
				v.env, v.stage = 1, 1
			}
		case 1:
			s := float32(f.p.sustain)
			if v.env = s + (v.env-s)*f.decCoef; v.env < quiet {
				v.active = false
				return
			}
		default:
			if v.env *= v.relCoef; v.env < quiet {
				v.active = false
				return
			}
		}
		inc := v.inc * float64(mult[i])
		v.ph += uint32(uint64(inc))
		var x float32
		if fm {
			v.ph2 += uint32(uint64(inc * f.p.fmRatio))
			v.mod *= f.fmCoef
			idx := min(v.mod+f.fmFloor, 3)
			x = sine.at(v.ph + uint32(int32(sine.at(v.ph2)*idx*radToPhase)))
		} else {
			x = v.tab.at(v.ph)
		}
		v.lp += (x - v.lp) * v.lpA
		mix[i] += v.lp * v.env * v.amp
	}
}

// drum adds a drum voice to mix (pitch bend and vibrato do not apply).
func (f *fallback) drum(v *fbVoice, mix []float32) {
	sine := tables[shSine][4]
	fade := float32(1 / (0.0005 * f.rate))
	for i := range mix {
		if v.tEnv < quiet*0.1 && v.nEnv < quiet*0.1 {
			v.active = false
			return
		}
		v.sweep *= v.sweepCoef
		v.ph += uint32(uint64(v.f1 + v.df*v.sweep))
		v.rng = xorshift(v.rng)
		noise := float32(int32(v.rng)) * (1.0 / (1 << 31))
		if v.hp {
			v.lp += (noise - v.lp) * 0.35
			noise -= v.lp
		}
		v.env = min(v.env+fade, 1)
		mix[i] += (sine.at(v.ph)*v.tEnv + noise*v.nEnv) * v.env
		v.tEnv *= v.tCoef
		v.nEnv *= v.nCoef
	}
}

// xorshift is a step of Marsaglia's 32-bit xorshift generator.
func xorshift(x uint32) uint32 {
	x ^= x << 13
	x ^= x >> 17
	return x ^ x<<5
}
