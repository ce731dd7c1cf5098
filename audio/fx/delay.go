package fx

import "math"

// DelayMaxSeconds is the longest delay time: the delay lines are allocated
// for it when the delay is made.
const DelayMaxSeconds = 2.0

// DelayMaxFeedback is the most feedback a delay takes: each repeat is at
// least 0.45 dB quieter than the one before, so the repeats always die away.
const DelayMaxFeedback = 0.95

const (
	// dlyFadeSeconds is how long a change of delay time crossfades from
	// the old read position to the new one.
	dlyFadeSeconds = 0.020
	// busSmoothSeconds is the time constant of the one-pole glide that
	// parameter changes follow, sample by sample.
	busSmoothSeconds = 0.010
	// busGlideDone is how close a gliding parameter must come to its
	// target before it is set to it exactly and the glide stops.
	busGlideDone = 1e-9
	// busTiny is where recursive state is flushed to zero (see busFlush):
	// -200 dB, far below anything heard (and below what a float32 sample
	// near full scale can tell apart), far above the denormals (1e-308).
	// A bus whose state is all zero can sleep (see mix.Buses), so a tail
	// should get there soon after it is inaudible.
	busTiny = 1e-10
)

// DelayParams are a delay bus's controls.
type DelayParams struct {
	// TimeMS is the delay time in milliseconds, used when Beats or BPM
	// is not positive.
	TimeMS float64
	// Beats and BPM give the delay time in beats of the song's tempo
	// (see BeatsToFrames) when both are positive.
	Beats, BPM float64
	// Feedback is how much of each repeat comes back, 0 to
	// DelayMaxFeedback.
	Feedback float64
	// CutoffHz is the cutoff of the one-pole low-pass in the feedback
	// loop: each repeat is darker than the one before. 0 (or at least
	// half the sample rate) leaves the loop unfiltered.
	CutoffHz float64
	// WetDB is the level of the delayed signal, in dB (0 dB: the repeats
	// at the level they were sent).
	WetDB float64
}

// Delay is a stereo delay bus (an echo): tracks send to it post-fader and
// it returns only the delayed signal (the wet). Each channel has its own
// line; the two share the controls.
//
// The first repeat is the send delayed by the time; each later one is the
// previous through the loop's low-pass (DC gain 1) times the feedback.
// A change of time crossfades, over 20 ms, from the old read position to
// the new one (the line is not resampled, so the pitch never bends);
// a change made while a crossfade runs waits for it to end. Feedback,
// cutoff and wet level glide to a new value with a 10 ms time constant.
type Delay struct {
	rate int
	line [2][]float64
	lp   [2]float64 // the loop low-pass's state
	w    int        // where the next frame is written

	tap, next, pending int // delay times, frames: current, fading to, queued
	fade, fadeLen      int // crossfade progress, frames

	glide   busGlide // dlyFeedback, dlyLowpass, dlyWet
	started bool
}

// The delay's gliding parameters, by index in its busGlide.
const (
	dlyFeedback = iota
	dlyLowpass  // the one-pole's coefficient: 1 is open
	dlyWet
)

// NewDelay makes a delay for audio at rate frames a second, with lines of
// DelayMaxSeconds, set to 500 ms, feedback 0.3, no low-pass, 0 dB.
func NewDelay(rate int) *Delay {
	d := &Delay{rate: rate, fadeLen: max(1, int(math.Round(dlyFadeSeconds*float64(rate))))}
	n := max(1, int(math.Ceil(DelayMaxSeconds*float64(rate))))
	d.line[0] = make([]float64, n)
	d.line[1] = make([]float64, n)
	d.glide.k = busGlideCoef(rate)
	d.Set(DelayParams{TimeMS: 500, Feedback: 0.3})
	return d
}

// BeatsToFrames is the length of beats beats at bpm beats a minute, in
// frames at rate frames a second, rounded to the nearest frame.
func BeatsToFrames(beats, bpm float64, rate int) int {
	return int(math.Round(beats * 60 * float64(rate) / bpm))
}

// Frames is the delay time p asks for at rate, in whole frames, between 1
// and the longest the lines hold.
func (p DelayParams) Frames(rate int) int {
	var f float64
	if p.Beats > 0 && p.BPM > 0 {
		f = math.Round(p.Beats * 60 * float64(rate) / p.BPM)
	} else {
		f = math.Round(p.TimeMS * float64(rate) / 1000)
	}
	hi := math.Ceil(DelayMaxSeconds * float64(rate))
	if !(f >= 1) { // NaN too
		return 1
	}
	return int(min(f, hi))
}

// Set changes the controls. Before the first Process (or after Reset)
// they take effect at once; after, they glide (see Delay).
func (d *Delay) Set(p DelayParams) {
	var t [busGlideMax]float64
	t[dlyFeedback] = busClamp(p.Feedback, 0, DelayMaxFeedback)
	t[dlyLowpass] = 1
	if nyq := float64(d.rate) / 2; p.CutoffHz > 0 && p.CutoffHz < nyq {
		t[dlyLowpass] = 1 - math.Exp(-2*math.Pi*p.CutoffHz/float64(d.rate))
	}
	t[dlyWet] = busGain(p.WetDB)
	d.glide.set(t, !d.started)
	f := p.Frames(d.rate)
	switch {
	case !d.started:
		d.tap, d.fade, d.pending = f, 0, 0
	case d.fade > 0:
		d.pending = f
	case f != d.tap:
		d.next, d.fade = f, 1
	}
}

// Reset forgets the audio in the lines; the controls stay.
func (d *Delay) Reset() {
	clear(d.line[0])
	clear(d.line[1])
	d.lp = [2]float64{}
	d.w = 0
	if d.fade > 0 {
		d.tap = d.next
	}
	if d.pending > 0 {
		d.tap = d.pending
	}
	d.fade, d.pending = 0, 0
	d.glide.settle()
	d.started = false
}

// Process replaces the send bus in l and r (the same length) with the
// delay's output.
func (d *Delay) Process(l, r []float32) {
	d.started = true
	l, r = busSameLen(l, r)
	n := len(d.line[0])
	for i := range l {
		if d.glide.moving {
			d.glide.step()
		}
		fb, a, wet := d.glide.cur[dlyFeedback], d.glide.cur[dlyLowpass], d.glide.cur[dlyWet]
		g := 0.0
		rd, rn := d.w-d.tap, d.w-d.next
		if rd < 0 {
			rd += n
		}
		if d.fade > 0 {
			g = float64(d.fade) / float64(d.fadeLen)
			if rn < 0 {
				rn += n
			}
		}
		l[i] = d.tick(0, float64(l[i]), rd, rn, g, fb, a, wet)
		r[i] = d.tick(1, float64(r[i]), rd, rn, g, fb, a, wet)
		if d.w++; d.w == n {
			d.w = 0
		}
		if d.fade > 0 {
			d.advanceFade()
		}
	}
}

// tick runs one frame of channel ch: x in, read at rd (and, when g > 0,
// crossfaded by g towards rn), and returns the wet output.
func (d *Delay) tick(ch int, x float64, rd, rn int, g, fb, a, wet float64) float32 {
	line := d.line[ch]
	y := line[rd]
	if g > 0 {
		y += (line[rn] - y) * g
	}
	d.lp[ch] = busFlush(d.lp[ch] + a*(y-d.lp[ch]))
	line[d.w] = x + busFlush(fb*d.lp[ch]) // the input itself is never touched
	return float32(wet * y)
}

// advanceFade moves the crossfade on one frame; at its end the new time
// is the delay's, and a change that waited starts.
func (d *Delay) advanceFade() {
	if d.fade++; d.fade <= d.fadeLen {
		return
	}
	d.tap, d.fade = d.next, 0
	if p := d.pending; p > 0 {
		d.pending = 0
		if p != d.tap {
			d.next, d.fade = p, 1
		}
	}
}

// busGlideMax is how many parameters a busGlide holds.
const busGlideMax = 4

// busGlide moves parameters, sample by sample, towards their targets with
// a one-pole (exponential) glide, so that a knob turned while playing
// neither clicks nor zippers. Close enough, a parameter is set to its
// target exactly and the glide stops, so a settled effect costs nothing
// and gives the same samples as one that never moved.
type busGlide struct {
	cur, tgt [busGlideMax]float64
	k        float64 // the share of the distance covered each sample
	moving   bool
}

// busGlideCoef is the per-sample coefficient of a glide with the
// busSmoothSeconds time constant at rate.
func busGlideCoef(rate int) float64 {
	return 1 - math.Exp(-1/(busSmoothSeconds*float64(rate)))
}

// set sets the targets; now jumps to them.
func (g *busGlide) set(t [busGlideMax]float64, now bool) {
	g.tgt = t
	if now {
		g.cur = t
	}
	g.moving = g.cur != g.tgt
}

// settle sets every parameter to its target at once.
func (g *busGlide) settle() {
	g.cur = g.tgt
	g.moving = false
}

// step moves every parameter one sample on.
func (g *busGlide) step() {
	done := true
	for i := range g.cur {
		c := g.cur[i] + (g.tgt[i]-g.cur[i])*g.k
		if math.Abs(g.tgt[i]-c) <= busGlideDone {
			c = g.tgt[i]
		} else {
			done = false
		}
		g.cur[i] = c
	}
	g.moving = !done
}

// busFlush returns x, or 0 when x is below busTiny: recursive state that
// decays to nothing would otherwise reach denormal numbers, which the FPU
// handles tens of times more slowly, and Go does not flush them. (The
// other classic, adding and taking away a small constant, rounds the
// state to a grid instead; a loop with a gain near 1 can then cycle on
// the grid forever, a little above zero.)
func busFlush(x float64) float64 {
	if x > -busTiny && x < busTiny {
		return 0
	}
	return x
}

// busSameLen is l and r cut to the shorter one's length.
func busSameLen(l, r []float32) ([]float32, []float32) {
	n := min(len(l), len(r))
	return l[:n], r[:n]
}

// busGain is the gain of db decibels; NaN is silence.
func busGain(db float64) float64 {
	if math.IsNaN(db) {
		return 0
	}
	return math.Pow(10, db/20)
}

// busClamp is x limited to lo…hi; NaN is lo.
func busClamp(x, lo, hi float64) float64 {
	if !(x >= lo) {
		return lo
	}
	return min(x, hi)
}

// Quiet reports whether the delay holds no sound at all and no control is
// gliding or fading (see Reverb.Quiet).
func (d *Delay) Quiet() bool {
	return !d.glide.moving && d.fade == 0 && d.pending == 0 && d.lp == [2]float64{} &&
		allZero(d.line[0]) && allZero(d.line[1])
}
