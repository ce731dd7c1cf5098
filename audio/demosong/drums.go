package demosong

import "math"

// drumHit is one hit of the drum pattern: onset in beats within the bar,
// instrument and velocity.
type drumHit struct {
	beat float64
	inst int
	vel  float64
}

const (
	kick = iota
	snare
	hatClosed
	hatOpen
	cymbal
)

// drumPan places each drum inside the stereo drum track.
var drumPan = [...]float64{kick: 0, snare: -0.1, hatClosed: 0.35, hatOpen: 0.35, cymbal: -0.3}

// drumBar returns the hits of bar b.
func drumBar(b int) []drumHit {
	var h []drumHit
	hats := func(vOn, vOff float64, open bool) {
		for i := 0; i < 8; i++ {
			v := vOn
			if i%2 == 1 {
				v = vOff
			}
			inst := hatClosed
			if open && i == 7 {
				inst = hatOpen
			}
			h = append(h, drumHit{float64(i) / 2, inst, v})
		}
	}
	switch {
	case b == 0: // Intro, piano alone
	case b < barVers: // hi-hat count-in
		hats(0.35, 0.25, false)
	case b < barRefreng: // Vers
		hats(0.55, 0.38, false)
		h = append(h, drumHit{0, kick, 1}, drumHit{2, kick, 0.9},
			drumHit{1, snare, 0.8}, drumHit{3, snare, 0.8})
		if b == barRefreng-1 { // fill into the chorus
			h = append(h, drumHit{3.5, snare, 0.5}, drumHit{3.75, snare, 0.65})
		}
	case b < barSlutt: // Refreng
		hats(0.6, 0.42, true)
		h = append(h, drumHit{0, kick, 1}, drumHit{2, kick, 0.9}, drumHit{2.5, kick, 0.7},
			drumHit{1, snare, 0.9}, drumHit{3, snare, 0.9})
		if b == barRefreng {
			h = append(h, drumHit{0, cymbal, 0.8})
		}
		if b == barSlutt-1 {
			h = append(h, drumHit{3.5, snare, 0.55}, drumHit{3.75, snare, 0.7})
		}
	default: // Slutt
		h = append(h, drumHit{0, kick, 1}, drumHit{0, cymbal, 0.9})
	}
	return h
}

// drums renders the stereo drum track.
func (s *synth) drums(dst [][]float32) {
	for b := 0; b < numBars; b++ {
		for _, h := range drumBar(b) {
			start := s.at(float64(b*beatsPerBar) + h.beat)
			g := panGains(drumPan[h.inst])
			g[0] *= h.vel
			g[1] *= h.vel
			switch h.inst {
			case kick:
				s.kick(dst, start, g)
			case snare:
				s.snare(dst, start, g)
			case hatClosed:
				s.metal(dst, start, g, 0.12, 0.028, 7000, 14000, 0.35)
			case hatOpen:
				s.metal(dst, start, g, 0.45, 0.13, 7000, 14000, 0.3)
			case cymbal:
				s.metal(dst, start, g, 2.5, 0.7, 4500, 12000, 0.22)
			}
		}
	}
}

// hitEnv is a percussive envelope: smooth attack, exponential decay and a
// smooth fade over the last tenth of the hit so it ends at exactly zero.
func hitEnv(i, n, att int, decay float64) float64 {
	e := smoothstep(float64(i)/float64(att+1)) * decay
	if tail := n - i; tail < n/10 {
		e *= smoothstep(float64(tail) / float64(n/10))
	}
	return e
}

// mixHit adds a mono hit in b to dst at start with per-channel gains.
func (s *synth) mixHit(dst [][]float32, start int, g [2]float64, b []float64) {
	n := min(len(b), s.frames-start)
	for c, ch := range dst {
		out := ch[start : start+n]
		for i, v := range b[:n] {
			out[i] += float32(v * g[c])
		}
	}
}

// softClip is a rational approximation of tanh, good for |x| <= 3.
func softClip(x float64) float64 { return x * (27 + x*x) / (27 + 9*x*x) }

// kick is a sine swept from about 170 Hz down to 50 Hz with a fast decay,
// gently saturated.
func (s *synth) kick(dst [][]float32, start int, g [2]float64) {
	n := s.secs(0.5)
	b := s.buf(n)
	att := s.secs(0.002)
	dPitch := math.Exp(-1 / (0.03 * s.rate))
	dAmp := math.Exp(-1 / (0.22 * s.rate))
	ph, sweep, amp := 0.0, 1.0, 1.0
	for i := range b {
		f := 50 + 120*sweep
		b[i] = softClip(1.5*sinc(ph)) / softClip(1.5) * hitEnv(i, n, att, amp)
		ph = wrap(ph + f/s.rate)
		sweep *= dPitch
		amp *= dAmp
	}
	s.mixHit(dst, start, g, b)
}

// snare is band-passed noise plus two short tones for the drum shell.
func (s *synth) snare(dst [][]float32, start int, g [2]float64) {
	n := s.secs(0.35)
	b := s.buf(n)
	att := s.secs(0.001)
	f := newSVF(2200, 0.7, s.rate)
	dn := math.Exp(-1 / (0.09 * s.rate))
	dt := math.Exp(-1 / (0.06 * s.rate))
	an, at := 1.0, 1.0
	p1, p2 := 0.0, 0.0
	for i := range b {
		_, bp, _ := f.process(s.noise.next())
		tone := 0.6*sinc(p1) + 0.3*sinc(p2)
		b[i] = (1.1*bp*an + 0.55*tone*at) * hitEnv(i, n, att, 1)
		p1 = wrap(p1 + 185/s.rate)
		p2 = wrap(p2 + 330/s.rate)
		an *= dn
		at *= dt
	}
	s.mixHit(dst, start, g, b)
}

// metal is noise high-passed at hp Hz and low-passed at lp Hz with an
// exponential decay of tau seconds: hi-hats and the cymbal.
func (s *synth) metal(dst [][]float32, start int, g [2]float64, length, tau, hp, lp, level float64) {
	n := s.secs(length)
	b := s.buf(n)
	att := s.secs(0.0007)
	fh := newSVF(hp, 0.7, s.rate)
	fl := newSVF(lp, 0.7, s.rate)
	d := math.Exp(-1 / (tau * s.rate))
	a := level
	for i := range b {
		_, _, h := fh.process(s.noise.next())
		l, _, _ := fl.process(h)
		b[i] = l * hitEnv(i, n, att, a)
		a *= d
	}
	s.mixHit(dst, start, g, b)
}
