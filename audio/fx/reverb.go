package fx

import "math"

// Freeverb's constants (Jezar at Dreampoint, 2000, public domain).
const (
	revCombs           = 8
	revAllpasses       = 4
	revTuningRate      = 44100 // the rate the delay lengths are tuned for
	revStereoSpread    = 23    // the right channel's lines are longer by this
	revFixedGain       = 0.015 // the input's gain into the combs
	revScaleRoom       = 0.28
	revOffsetRoom      = 0.7 // comb feedback = room·scaleroom + offsetroom
	revScaleDamp       = 0.4 // the combs' low-pass coefficient = damping·scaledamp
	revAllpassFeedback = 0.5
)

// revCombTunings are Freeverb's comb lengths at 44.1 kHz.
func revCombTunings() [revCombs]int {
	return [revCombs]int{1116, 1188, 1277, 1356, 1422, 1491, 1557, 1617}
}

// revAllpassTunings are Freeverb's allpass lengths at 44.1 kHz.
func revAllpassTunings() [revAllpasses]int {
	return [revAllpasses]int{556, 441, 341, 225}
}

// revScale is a length n tuned at 44.1 kHz, at rate.
func revScale(n, rate int) int {
	return max(1, int(math.Round(float64(n)*float64(rate)/revTuningRate)))
}

// ReverbParams are a reverb bus's controls.
type ReverbParams struct {
	Room  float64 // room size, 0–1: how long the tail is
	Damp  float64 // damping, 0–1: how fast the highs die away
	Width float64 // stereo width, 0 (mono) – 1
	// WetDB is the level of the reverb, in dB; 0 dB is Freeverb's
	// default wet level (its wet 1/3 times its scalewet 3).
	WetDB float64
}

// DefaultReverbParams are Freeverb's initial settings: room 0.5, damping
// 0.5, width 1, wet 0 dB.
func DefaultReverbParams() ReverbParams {
	return ReverbParams{Room: 0.5, Damp: 0.5, Width: 1}
}

// Reverb is a stereo reverb bus after Jezar's Freeverb (public domain):
// per channel, eight lowpass-feedback comb filters in parallel, then four
// allpasses in series, with Freeverb's tunings, the right channel's lines
// 23 samples longer than the left's; the lengths are scaled from 44.1 kHz
// to the song's rate. Tracks send to it post-fader; it returns only the
// reverb (the wet), the two channels mixed by the width.
//
// Room size, damping and the wet level (with the width) glide to a new
// value with a 10 ms time constant. The state is kept in float64, and
// flushed to zero when it decays below -200 dB, so that silence
// after a sound costs what sound costs (no denormals).
type Reverb struct {
	comb    [2][revCombs]revComb
	ap      [2][revAllpasses]revAllpass
	glide   busGlide // revFeedback, revDamp, revWet1, revWet2
	started bool
	// chunk is how many frames process takes at a time: at most revChunk,
	// and shorter than every line; in, outL and outR are its buffers.
	chunk          int
	in, outL, outR [revChunk]float64
}

// revChunk is the most frames the reverb processes line by line at a time.
const revChunk = 128

// The reverb's gliding parameters, by index in its busGlide.
const (
	revFeedback = iota // the combs' feedback
	revDamp            // the combs' low-pass coefficient (damp1)
	revWet1            // a channel's own reverb in its output
	revWet2            // the other channel's
)

// revComb is one of Freeverb's comb filters: a delay line whose output is
// low-passed (the damping) and fed back.
type revComb struct {
	buf   []float64
	pos   int
	store float64 // the low-pass's state
}

// tick runs one sample through the comb and returns its output.
func (c *revComb) tick(in, fb, damp1, damp2 float64) float64 {
	out := c.buf[c.pos]
	c.store = busFlush(out*damp2 + c.store*damp1)
	c.buf[c.pos] = in + c.store*fb
	if c.pos++; c.pos == len(c.buf) {
		c.pos = 0
	}
	return out
}

// revAllpass is one of Freeverb's allpasses (a Schroeder allpass as
// Freeverb approximates it, feedback 0.5).
// runCombs is tick over a chunk (shorter than the lines) for two combs
// with the same input in, the left's outputs added to outL and the
// right's to outR. The two run in one loop so that their low-passes'
// chains, each waiting on its own last value, overlap in the processor.
func runCombs(cl, cr *revComb, in, outL, outR []float64, fb, damp1, damp2 float64) {
	bl, pl, sl := cl.buf, cl.pos, cl.store
	br, pr, sr := cr.buf, cr.pos, cr.store
	outL, outR = outL[:len(in)], outR[:len(in)]
	for i, x := range in {
		ol, or := bl[pl], br[pr]
		sl = busFlush(ol*damp2 + sl*damp1)
		sr = busFlush(or*damp2 + sr*damp1)
		bl[pl] = x + sl*fb
		br[pr] = x + sr*fb
		outL[i] += ol
		outR[i] += or
		if pl++; pl == len(bl) {
			pl = 0
		}
		if pr++; pr == len(br) {
			pr = 0
		}
	}
	cl.pos, cl.store = pl, sl
	cr.pos, cr.store = pr, sr
}

type revAllpass struct {
	buf []float64
	pos int
}

// tick runs one sample through the allpass and returns its output.
func (a *revAllpass) tick(in float64) float64 {
	out := a.buf[a.pos]
	a.buf[a.pos] = in + busFlush(out*revAllpassFeedback)
	if a.pos++; a.pos == len(a.buf) {
		a.pos = 0
	}
	return out - in
}

// run is tick over a chunk (shorter than the line), in place.
func (a *revAllpass) run(x []float64) {
	buf, pos := a.buf, a.pos
	for i, in := range x {
		out := buf[pos]
		buf[pos] = in + busFlush(out*revAllpassFeedback)
		x[i] = out - in
		if pos++; pos == len(buf) {
			pos = 0
		}
	}
	a.pos = pos
}

// NewReverb makes a reverb for audio at rate frames a second, set to
// DefaultReverbParams.
func NewReverb(rate int) *Reverb {
	r := &Reverb{}
	spread := revScale(revStereoSpread, rate)
	for i, n := range revCombTunings() {
		r.comb[0][i].buf = make([]float64, revScale(n, rate))
		r.comb[1][i].buf = make([]float64, revScale(n, rate)+spread)
	}
	for i, n := range revAllpassTunings() {
		r.ap[0][i].buf = make([]float64, revScale(n, rate))
		r.ap[1][i].buf = make([]float64, revScale(n, rate)+spread)
	}
	r.chunk = revChunk
	for _, a := range r.ap[0] { // the shortest lines
		r.chunk = min(r.chunk, len(a.buf))
	}
	r.glide.k = busGlideCoef(rate)
	r.Set(DefaultReverbParams())
	return r
}

// Set changes the controls. Before the first Process (or after Reset)
// they take effect at once; after, they glide (see Reverb).
func (r *Reverb) Set(p ReverbParams) {
	wet := busGain(p.WetDB)
	width := busClamp(p.Width, 0, 1)
	var t [busGlideMax]float64
	t[revFeedback] = busClamp(p.Room, 0, 1)*revScaleRoom + revOffsetRoom
	t[revDamp] = busClamp(p.Damp, 0, 1) * revScaleDamp
	t[revWet1] = wet * (width/2 + 0.5)
	t[revWet2] = wet * ((1 - width) / 2)
	r.glide.set(t, !r.started)
}

// Reset forgets the audio in the reverb; the controls stay.
func (r *Reverb) Reset() {
	for ch := range r.comb {
		for i := range r.comb[ch] {
			c := &r.comb[ch][i]
			clear(c.buf)
			c.pos, c.store = 0, 0
		}
		for i := range r.ap[ch] {
			a := &r.ap[ch][i]
			clear(a.buf)
			a.pos = 0
		}
	}
	r.glide.settle()
	r.started = false
}

// Process replaces the send bus in l and r (the same length) with the
// reverb's output. As in Freeverb, both channels' combs are fed the sum
// of the two inputs.
func (r *Reverb) Process(l, rr []float32) {
	r.started = true
	l, rr = busSameLen(l, rr)
	for off := 0; off < len(l); {
		if r.glide.moving {
			r.frame(l, rr, off) // a frame at a time while gliding
			off++
			continue
		}
		n := min(len(l)-off, r.chunk)
		r.process(l[off:off+n], rr[off:off+n])
		off += n
	}
}

// frame processes frame i of l and rr, moving the glide on first.
func (r *Reverb) frame(l, rr []float32, i int) {
	r.glide.step()
	g := &r.glide.cur
	fb, damp1 := g[revFeedback], g[revDamp]
	damp2 := 1 - damp1
	in := (float64(l[i]) + float64(rr[i])) * revFixedGain
	var outL, outR float64
	for j := range r.comb[0] {
		outL += r.comb[0][j].tick(in, fb, damp1, damp2)
		outR += r.comb[1][j].tick(in, fb, damp1, damp2)
	}
	for j := range r.ap[0] {
		outL = r.ap[0][j].tick(outL)
		outR = r.ap[1][j].tick(outR)
	}
	l[i] = float32(float64(outL*g[revWet1]) + float64(outR*g[revWet2]))
	rr[i] = float32(float64(outR*g[revWet1]) + float64(outL*g[revWet2]))
}

// process runs a chunk of at most r.chunk frames with the settings held:
// line by line over the whole chunk, which is shorter than every line, so
// that no line reads within the chunk what it wrote in it. Each sample
// goes through the same operations, in the same order, as frame would
// put it through: the output is the same to the bit, whatever the chunks.
func (r *Reverb) process(l, rr []float32) {
	n := len(l)
	in, outL, outR := r.in[:n], r.outL[:n], r.outR[:n]
	for i := range in {
		in[i] = (float64(l[i]) + float64(rr[i])) * revFixedGain
	}
	clear(outL)
	clear(outR)
	g := &r.glide.cur
	fb, damp1 := g[revFeedback], g[revDamp]
	damp2 := 1 - damp1
	for j := range r.comb[0] {
		runCombs(&r.comb[0][j], &r.comb[1][j], in, outL, outR, fb, damp1, damp2)
	}
	for j := range r.ap[0] {
		r.ap[0][j].run(outL)
		r.ap[1][j].run(outR)
	}
	w1, w2 := g[revWet1], g[revWet2]
	for i := range outL {
		l[i] = float32(float64(outL[i]*w1) + float64(outR[i]*w2))
		rr[i] = float32(float64(outR[i]*w1) + float64(outL[i]*w2))
	}
}

// Quiet reports whether the reverb holds no sound at all (every line and
// filter exactly 0) and no control is gliding: processing silence would
// then give silence and change nothing that matters, so a caller may skip
// it until sound comes in.
func (r *Reverb) Quiet() bool {
	if r.glide.moving {
		return false
	}
	for ch := range r.comb {
		for i := range r.comb[ch] {
			if c := &r.comb[ch][i]; c.store != 0 || !allZero(c.buf) {
				return false
			}
		}
		for i := range r.ap[ch] {
			if !allZero(r.ap[ch][i].buf) {
				return false
			}
		}
	}
	return true
}

// allZero reports whether every value of x is 0.
func allZero(x []float64) bool {
	for _, v := range x {
		if v != 0 {
			return false
		}
	}
	return true
}
