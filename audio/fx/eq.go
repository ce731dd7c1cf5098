package fx

import "math"

// EQParams are a track's high-pass and four EQ bands.
type EQParams struct {
	// HighPass is the high-pass filter's corner (2nd order, Butterworth),
	// 20–400 Hz; 0 turns it off.
	HighPass float64
	Low      Shelf // low shelf
	Mid1     Bell  // first peaking band
	Mid2     Bell  // second peaking band
	High     Shelf // high shelf
}

// Shelf is a shelving band: its corner in Hz and its gain in dB (±18; 0 is
// off). Its slope is sox's default for bass and treble, 0.5.
type Shelf struct {
	Freq float64
	Gain float64
}

// Bell is a peaking band: its centre in Hz, gain in dB (±18; 0 is off) and
// quality (0.1–10: higher is narrower).
type Bell struct {
	Freq float64
	Gain float64
	Q    float64
}

// Limits of the EQ's parameters.
const (
	MaxEQGain   = 18.0
	MinHighPass = 20.0
	MaxHighPass = 400.0
	ShelfSlope  = 0.5
	// hpOff is where a high-pass turned on starts and one turned off ends
	// its glide: far below anything it is set to, so it is heard to come
	// and go, but never clicks.
	hpOff = 8.0
)

// Clamp returns p with every value within its range (a frequency below
// 20 Hz or above 0.45 × the rate is moved into it).
func (p EQParams) Clamp(rate float64) EQParams {
	f := func(v float64) float64 { return min(max(v, 20), 0.45*rate) }
	g := func(v float64) float64 { return min(max(v, -MaxEQGain), MaxEQGain) }
	if p.HighPass != 0 {
		p.HighPass = min(max(p.HighPass, MinHighPass), MaxHighPass)
	}
	p.Low = Shelf{f(p.Low.Freq), g(p.Low.Gain)}
	p.High = Shelf{f(p.High.Freq), g(p.High.Gain)}
	for _, b := range []*Bell{&p.Mid1, &p.Mid2} {
		b.Freq, b.Gain, b.Q = f(b.Freq), g(b.Gain), min(max(b.Q, 0.1), 10)
	}
	return p
}

// Curve is the EQ's response in dB at f Hz (the high-pass included), for
// drawing it.
func (p EQParams) Curve(rate, f float64) float64 {
	db := 0.0
	for _, bp := range bandsOf(p) {
		if bp.active() {
			db += bp.coefs(rate).Response(rate, f)
		}
	}
	return db
}

type bandKind uint8

const (
	highPass bandKind = iota
	lowShelf
	peaking
	highShelf
)

// bandParams is one band's settings, as the EQ glides them.
type bandParams struct {
	kind bandKind
	freq float64 // Hz; a high-pass at hpOff or below is off
	gain float64 // dB (shelves, peaking)
	q    float64 // peaking
}

func bandsOf(p EQParams) [5]bandParams {
	hp := p.HighPass
	if hp <= 0 {
		hp = hpOff
	}
	return [5]bandParams{
		{kind: highPass, freq: hp, q: math.Sqrt(0.5)},
		{kind: lowShelf, freq: p.Low.Freq, gain: p.Low.Gain},
		{kind: peaking, freq: p.Mid1.Freq, gain: p.Mid1.Gain, q: p.Mid1.Q},
		{kind: peaking, freq: p.Mid2.Freq, gain: p.Mid2.Gain, q: p.Mid2.Q},
		{kind: highShelf, freq: p.High.Freq, gain: p.High.Gain},
	}
}

// active reports whether the band changes the sound at all (a band at
// 0 dB and a high-pass that is off do not: they pass audio bit for bit).
func (b bandParams) active() bool {
	if b.kind == highPass {
		return b.freq > hpOff
	}
	return b.gain != 0
}

func (b bandParams) coefs(rate float64) Coefs {
	switch b.kind {
	case highPass:
		return HighPass(rate, b.freq, b.q)
	case lowShelf:
		return LowShelf(rate, b.freq, ShelfSlope, b.gain)
	case highShelf:
		return HighShelf(rate, b.freq, ShelfSlope, b.gain)
	}
	return Peaking(rate, b.freq, b.q, b.gain)
}

// glide moves b toward want by the fraction k (frequency and quality on a
// log scale, gain in dB) and snaps to it once closer than can be heard.
// A band gliding to or from "off" glides its gain to or from 0 dB (its
// high-pass to or from hpOff) with the rest held.
func (b *bandParams) glide(want bandParams, k float64) {
	if b.kind != highPass {
		switch {
		case b.gain == 0: // off: it comes in from 0 dB where it will be
			b.freq, b.q = want.freq, want.q
			if want.gain == 0 {
				return
			}
		case want.gain == 0: // going off: only the gain moves
			want.freq, want.q = b.freq, b.q
		}
	}
	b.freq = math.Exp(math.Log(b.freq) + k*(math.Log(want.freq)-math.Log(b.freq)))
	b.gain += k * (want.gain - b.gain)
	if b.q > 0 {
		b.q = math.Exp(math.Log(b.q) + k*(math.Log(want.q)-math.Log(b.q)))
	}
	if math.Abs(b.gain-want.gain) < 0.005 && math.Abs(b.freq/want.freq-1) < 0.001 &&
		(b.q == 0 || math.Abs(b.q/want.q-1) < 0.001) {
		*b = want
	}
}

// eqBand is one band of a running EQ: where it is, what it glides to,
// its coefficients and each channel's state.
type eqBand struct {
	cur, want bandParams
	c         Coefs
	st        [2]biquad
}

// EQ runs a track's high-pass and four bands on one or two channels.
type EQ struct {
	rate  float64
	bands [5]eqBand
	phase int     // frames into the current glide step
	k     float64 // the glide's fraction per step
}

// glideStep is how often (in frames) gliding parameters move and the
// coefficients are made again: every 32 frames, counted from the EQ's
// start, whatever the blocks it is given.
const glideStep = 32

// glideTime is the glide's time constant: a change is 99% there in 50 ms.
const glideTime = 0.010

// NewEQ makes an EQ at rate set to p (no glide to it).
func NewEQ(rate int, p EQParams) *EQ {
	e := &EQ{rate: float64(rate), k: 1 - math.Exp(-glideStep/(glideTime*float64(rate)))}
	for i, bp := range bandsOf(p.Clamp(e.rate)) {
		e.bands[i] = eqBand{cur: bp, want: bp, c: bp.coefs(e.rate)}
	}
	return e
}

// Set makes the EQ glide to p from the next glide step on. Safe on the
// audio thread: it does not allocate.
func (e *EQ) Set(p EQParams) {
	for i, bp := range bandsOf(p.Clamp(e.rate)) {
		e.bands[i].want = bp
	}
}

// Process filters ch (one or two channels of the same length) in place.
func (e *EQ) Process(ch [][]float32) {
	n := len(ch[0])
	ch = ch[:min(len(ch), 2)]
	if !e.gliding() {
		// Settled: the whole block at once (an idle EQ only notes the
		// last samples in its bands, as block by block they would).
		for c := range ch {
			e.run(c, ch[c])
		}
		e.phase = (e.phase + n) % glideStep
		return
	}
	for done := 0; done < n; {
		if e.phase == 0 {
			e.step()
		}
		m := min(n-done, glideStep-e.phase)
		for c := range ch {
			e.run(c, ch[c][done:done+m])
		}
		e.phase = (e.phase + m) % glideStep
		done += m
	}
}

// gliding reports whether a band is on its way to new settings.
func (e *EQ) gliding() bool {
	for i := range e.bands {
		if e.bands[i].cur != e.bands[i].want {
			return true
		}
	}
	return false
}

// run filters channel c's buf through the bands in order: each run of
// working bands in one loop (up to three at a time, see run3), a band that
// is off noting the signal where it sits (pass), so that it can come in
// later without a click.
func (e *EQ) run(c int, buf []float32) {
	for i := 0; i < len(e.bands); {
		b := &e.bands[i]
		if !b.cur.active() {
			b.st[c].pass(buf)
			i++
			continue
		}
		k := 1 // working bands in a row from i, at most 3
		for k < 3 && i+k < len(e.bands) && e.bands[i+k].cur.active() {
			k++
		}
		switch k {
		case 3:
			q, r := &e.bands[i+1], &e.bands[i+2]
			run3(&b.st[c], &q.st[c], &r.st[c], b.c, q.c, r.c, buf)
		case 2:
			q := &e.bands[i+1]
			run2(&b.st[c], &q.st[c], b.c, q.c, buf)
		default:
			b.st[c].run(b.c, buf)
		}
		i += k
	}
}

// step moves gliding bands on and makes their coefficients again.
func (e *EQ) step() {
	for i := range e.bands {
		b := &e.bands[i]
		if b.cur == b.want {
			continue
		}
		b.cur.glide(b.want, e.k)
		b.c = b.cur.coefs(e.rate)
	}
}
