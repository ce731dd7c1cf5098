package demosong

import "math"

// synth holds the state shared by the instrument renderers of one song.
type synth struct {
	rate    float64
	fpb     float64 // frames per beat
	frames  int
	noise   rng
	scratch []float64
}

func newSynth(rate int) *synth {
	s := &synth{
		rate:  float64(rate),
		fpb:   float64(rate) * 60 / tempo,
		noise: rng(0x5eed_5a6e_d1e5_0001),
	}
	s.frames = s.at(numBars * beatsPerBar)
	return s
}

// at converts a position in beats to a frame.
func (s *synth) at(beat float64) int { return int(math.Round(beat * s.fpb)) }

// secs converts seconds to frames.
func (s *synth) secs(t float64) int { return int(math.Round(t * s.rate)) }

// buf returns a zeroed scratch buffer of n samples.
func (s *synth) buf(n int) []float64 {
	if cap(s.scratch) < n {
		s.scratch = make([]float64, n)
	}
	b := s.scratch[:n]
	clear(b)
	return b
}

// rng is a xorshift64* generator: fixed seed, so the noise is the same on
// every run.
type rng uint64

// next returns a uniform value in [-1, 1).
func (r *rng) next() float64 {
	x := uint64(*r)
	x ^= x >> 12
	x ^= x << 25
	x ^= x >> 27
	*r = rng(x)
	return float64((x*2685821657736338717)>>11)/(1<<52) - 1
}

// Sine table with linear interpolation, indexed by phase in cycles.
const tabBits = 12
const tabSize = 1 << tabBits

var sinTab = func() (t [tabSize + 1]float64) {
	for i := range t {
		t[i] = math.Sin(2 * math.Pi * float64(i) / tabSize)
	}
	return t
}()

// sinc returns sin(2π·ph) for ph in [0, 1).
func sinc(ph float64) float64 {
	x := ph * tabSize
	i := int(x)
	f := x - float64(i)
	i &= tabSize - 1
	return sinTab[i] + f*(sinTab[i+1]-sinTab[i])
}

// wrap returns ph modulo 1 for ph >= 0.
func wrap(ph float64) float64 { return ph - math.Floor(ph) }

// svf is a topology-preserving state-variable filter (Simper), stable for
// any cutoff below Nyquist.
type svf struct {
	a1, a2, a3, k float64
	ic1, ic2      float64
}

func newSVF(fc, q, rate float64) svf {
	g := math.Tan(math.Pi * math.Min(fc, 0.45*rate) / rate)
	k := 1 / q
	a1 := 1 / (1 + g*(g+k))
	a2 := g * a1
	return svf{a1: a1, a2: a2, a3: g * a2, k: k}
}

// process filters one sample and returns low-, band- and high-pass outputs.
func (f *svf) process(v0 float64) (lp, bp, hp float64) {
	v3 := v0 - f.ic2
	v1 := f.a1*f.ic1 + f.a2*v3
	v2 := f.ic2 + f.a2*f.ic1 + f.a3*v3
	f.ic1 = 2*v1 - f.ic1
	f.ic2 = 2*v2 - f.ic2
	return v2, v1, v0 - f.k*v1 - v2
}

// partial is one sine component of a tone: frequency multiple, amplitude and
// exponential decay time constant in seconds (0: no decay).
type partial struct {
	mult, amp, tau float64
}

// env describes a note's envelope: smooth attack, hold until note-off, then
// a smooth release after note-off. Times in seconds.
type env struct {
	attack, release float64
}

// tone adds one note to the channels of dst, channel c scaled by gains[c].
// The note starts at frame start, is held for hold frames and then released.
func (s *synth) tone(dst [][]float32, gains []float64, start, hold int, hz float64, parts []partial, e env) {
	s.chord(dst, gains, start, hold, []float64{hz}, parts, e)
}

// chord adds notes of the given frequencies that share one envelope, like
// tone. Each partial of each note is a damped sinusoid computed with a
// two-term recurrence; four of them run side by side in one loop so the
// recurrences overlap.
func (s *synth) chord(dst [][]float32, gains []float64, start, hold int, hzs []float64, parts []partial, e env) {
	rel := s.secs(e.release)
	n := hold + rel
	if start+n > s.frames {
		n = s.frames - start
	}
	if n <= 0 {
		return
	}
	b := s.buf(n)
	const lanes = 4
	var c, rr, y0, y1 [lanes]float64
	lane := 0
	flush := func() {
		// Scalars, not the arrays, so the compiler keeps them in registers.
		c0, c1, c2, c3 := c[0], c[1], c[2], c[3]
		r0, r1, r2, r3 := rr[0], rr[1], rr[2], rr[3]
		a0, a1, a2, a3 := y0[0], y0[1], y0[2], y0[3]
		b0, b1, b2, b3 := y1[0], y1[1], y1[2], y1[3]
		for i := range b {
			b[i] += (a0 + a1) + (a2 + a3)
			a0, b0 = b0, c0*b0-r0*a0
			a1, b1 = b1, c1*b1-r1*a1
			a2, b2 = b2, c2*b2-r2*a2
			a3, b3 = b3, c3*b3-r3*a3
		}
		c, rr, y0, y1 = [lanes]float64{}, [lanes]float64{}, [lanes]float64{}, [lanes]float64{}
		lane = 0
	}
	for _, hz := range hzs {
		for _, p := range parts {
			f := hz * p.mult
			if f >= 0.45*s.rate {
				continue
			}
			w := 2 * math.Pi * f / s.rate
			r := 1.0
			if p.tau > 0 {
				r = math.Exp(-1 / (p.tau * s.rate))
			}
			// Start in phase with a note of this pitch that started at
			// frame 0, so that overlapping notes of the same pitch (a
			// release and the next attack) reinforce instead of cancel.
			ph := 2 * math.Pi * math.Mod(f*float64(start)/s.rate, 1)
			c[lane], rr[lane] = 2*r*math.Cos(w), r*r
			y0[lane], y1[lane] = p.amp*math.Sin(ph), p.amp*r*math.Sin(w+ph)
			if lane++; lane == lanes {
				flush()
			}
		}
	}
	if lane > 0 {
		flush()
	}
	// Envelope: smooth attack, flat hold, smooth release after note-off.
	att := s.secs(e.attack) + 1
	for i := range min(att, n) {
		b[i] *= smoothstep(float64(i) / float64(att))
	}
	frel := float64(rel + 1)
	for i := hold; i < n; i++ {
		b[i] *= smoothstep(1 - float64(i-hold+1)/frel)
	}
	for c, ch := range dst {
		g := gains[c]
		out := ch[start : start+n]
		for i, v := range b {
			out[i] += float32(v * g)
		}
	}
}

// ---- Bass ----

// bassParts is a soft, rounded bass: mostly fundamental with a little of
// the 2nd, 3rd and 5th harmonics, higher ones decaying faster (plucked).
var bassParts = []partial{{1, 1, 2.5}, {2, 0.22, 0.8}, {3, -0.1, 0.5}, {5, 0.03, 0.3}}

var bassEnv = env{attack: 0.012, release: 0.045}

// bassNote is a bass note relative to a bar: onset and length in beats and
// interval above the chord root in semitones.
type bassNote struct {
	beat, length float64
	interval     int
}

var (
	bassVers    = []bassNote{{0, 1.4, 0}, {1.5, 1.4, 0}, {3, 0.9, 7}}
	bassRefreng = func() []bassNote {
		var n []bassNote
		for i := 0; i < 8; i++ {
			iv := 0
			if i == 7 {
				iv = 12
			}
			n = append(n, bassNote{float64(i) / 2, 0.42, iv})
		}
		return n
	}()
	bassSlutt = []bassNote{{0, 3, 0}}
)

// bass renders the mono bass track: silent in the intro, then the chord
// roots (and fifths and octaves) in each section's pattern.
func (s *synth) bass(out []float32) {
	dst := [][]float32{out}
	for b := 0; b < numBars; b++ {
		var pat []bassNote
		switch {
		case b < barVers:
		case b < barRefreng:
			pat = bassVers
		case b < barSlutt:
			pat = bassRefreng
		default:
			pat = bassSlutt
		}
		root := progression[b].root
		for i, n := range pat {
			v := 0.85
			if i == 0 {
				v = 1
			}
			start := s.at(float64(b*beatsPerBar) + n.beat)
			hold := s.at(float64(b*beatsPerBar)+n.beat+n.length) - start
			s.tone(dst, []float64{v}, start, hold, midiHz(float64(root+n.interval)), bassParts, bassEnv)
		}
	}
}

// ---- Piano ----

// epParts is an electric-piano-like tone: a strong fundamental, a quickly
// fading 2nd and 3rd partial and a short bell-like tine partial.
var epParts = []partial{{1, 1, 1.8}, {2, 0.28, 0.6}, {3, 0.08, 0.3}, {7.02, 0.04, 0.05}}

var epEnv = env{attack: 0.003, release: 0.07}

// pianoHit is a chord stroke: onset and length in beats within the bar.
type pianoHit struct {
	beat, length, vel float64
}

var (
	pianoVers    = []pianoHit{{0, 1.4, 1}, {1.5, 1.4, 0.8}, {3, 0.9, 0.85}}
	pianoRefreng = []pianoHit{{0, 0.9, 1}, {1, 0.9, 0.75}, {2, 0.9, 0.9}, {3, 0.9, 0.75}}
)

// piano renders the stereo electric piano: broken chords in the intro,
// syncopated chords in the verse, quarter-note chords in the chorus and a
// rolled final chord, each voice panned by its place in the chord.
func (s *synth) piano(dst [][]float32) {
	// voice plays one note with the voice panned by its place in the chord.
	voice := func(start, hold int, m int, idx, count int, vel float64) {
		p := -0.35 + 0.7*float64(idx)/float64(max(count-1, 1))
		g := panGains(p)
		s.tone(dst, []float64{g[0] * vel, g[1] * vel}, start, hold, midiHz(float64(m)), epParts, epEnv)
	}
	for b := 0; b < numBars; b++ {
		ch := progression[b]
		bar := float64(b * beatsPerBar)
		switch {
		case b < barVers: // Intro: broken chord in eighths, ringing like a pedalled piano
			notes := append(append([]int{}, ch.piano...), ch.piano[0]+12)
			order := []int{0, 1, 2, 3, 2, 1, 2, 1}
			for i, k := range order {
				start := s.at(bar + float64(i)/2)
				// Ring until the same key is struck again or the bar ends.
				end := s.at(bar + beatsPerBar)
				for j := i + 1; j < len(order); j++ {
					if order[j] == k {
						end = s.at(bar + float64(j)/2)
						break
					}
				}
				vel := 0.7
				if i%2 == 0 {
					vel = 0.8
				}
				voice(start, end-start, notes[k], k, len(notes), vel)
			}
		case b < barSlutt:
			pat, notes := pianoVers, ch.piano
			if b >= barRefreng {
				pat = pianoRefreng
				notes = append(append([]int{}, ch.piano...), ch.piano[0]+12)
			}
			for _, h := range pat {
				start := s.at(bar + h.beat)
				hold := s.at(bar+h.beat+h.length) - start
				for k, m := range notes {
					voice(start, hold, m, k, len(notes), 0.7*h.vel)
				}
			}
		default: // Slutt: rolled chord with the low C, held
			notes := []int{48, 55, 60, 64, 67, 72}
			end := s.at(bar + 3)
			for k, m := range notes {
				start := s.at(bar + 0.08*float64(k))
				voice(start, end-start, m, k, len(notes), 0.6)
			}
		}
	}
	// Gentle auto-pan, one cycle every two beats, as on an electric piano.
	const depth = 0.12
	rate := 1 / (2 * s.fpb)
	ph := 0.0
	l, r := dst[0], dst[1]
	for i := range l {
		m := depth * sinc(ph)
		l[i] *= float32(1 + m)
		r[i] *= float32(1 - m)
		ph = wrap(ph + rate)
	}
}

// ---- Melody ----

// lead renders the melody: a soft sine lead with a touch of 2nd and 3rd
// harmonic, delayed vibrato, and a dotted-eighth echo.
func (s *synth) lead(out []float32) {
	const (
		vibHz    = 5.0
		vibDepth = 0.010 // fraction of the frequency (about 17 cents)
		vibDelay = 0.15  // seconds before the vibrato fades in
		vibFade  = 0.35
	)
	e := env{attack: 0.03, release: 0.09}
	att := float64(s.secs(e.attack)) + 1
	rel := s.secs(e.release)
	for _, nt := range melody {
		start := s.at(nt.beat)
		hold := s.at(nt.beat+0.95*nt.length) - start
		n := min(hold+rel, s.frames-start)
		hz := midiHz(float64(nt.pitch))
		// Higher notes a little softer, like a singer's head voice.
		level := 0.9 - 0.01*float64(nt.pitch-60)
		o := out[start : start+n]
		// Start in phase with the same pitch begun at frame 0 (see chord).
		ph, vph := wrap(hz*float64(start)/s.rate), 0.0
		for i := range o {
			t := float64(i) / s.rate
			a := smoothstep(float64(i)/att) * (0.85 + 0.15*smoothstep(t/0.4))
			if i >= hold {
				a *= smoothstep(1 - float64(i-hold+1)/float64(rel+1))
			}
			v := sinc(ph) + 0.15*sinc(wrap(2*ph)) + 0.05*sinc(wrap(3*ph))
			o[i] += float32(level * a * v)
			vib := vibDepth * smoothstep((t-vibDelay)/vibFade) * sinc(vph)
			ph = wrap(ph + hz*(1+vib)/s.rate)
			vph = wrap(vph + vibHz/s.rate)
		}
	}
	// Echo: a feedback delay of a dotted eighth through a one-pole low-pass.
	d := s.at(0.75)
	const fb = 0.25
	lpk := 1 - math.Exp(-2*math.Pi*3000/s.rate)
	z := 0.0
	for i := d; i < len(out); i++ {
		z += lpk * (float64(out[i-d]) - z)
		out[i] += float32(fb * z)
	}
}

// ---- Pad ----

// padParts is a soft organ-like tone with no decay.
var padParts = []partial{{1, 1, 0}, {2, 0.2, 0}, {3, 0.07, 0}}

// pad renders the stereo pad: slow-swelling chords that cross-fade from bar
// to bar, a little louder in the chorus.
func (s *synth) pad(dst [][]float32) {
	e := env{attack: 0.5, release: 0.7}
	// Two copies of each voice detuned by ±5 cents, one per side.
	detune := math.Pow(2, 5.0/1200)
	for b := 0; b < numBars; b++ {
		start := s.at(float64(b * beatsPerBar))
		hold := s.at(float64((b+1)*beatsPerBar)) - start
		if b == numBars-1 {
			hold = s.at(float64(b*beatsPerBar)+3) - start
		}
		vel := 0.6
		if b >= barRefreng && b < barSlutt {
			vel = 0.8
		}
		var lo, hi []float64
		for _, m := range progression[b].pad {
			hz := midiHz(float64(m))
			lo = append(lo, hz/detune)
			hi = append(hi, hz*detune)
		}
		s.chord(dst[:1], []float64{vel}, start, hold, lo, padParts, e)
		s.chord(dst[1:], []float64{vel}, start, hold, hi, padParts, e)
	}
}
