package master

import (
	"math"

	"sangstudio/audio/loudness"
	"sangstudio/audio/mix"
)

// Limiter is a look-ahead true-peak limiter for interleaved-free (planar)
// float audio. Its gain is computed from the same 4× oversampled peak
// detector the loudness meter uses, so what it promises (no oversampled
// point above the ceiling) is what a BS.1770 true-peak meter measures.
//
// How the gain is made, per frame n of the detector's output:
//
//  1. need(n) = min(1, ceiling / truepeak(n)): the gain that frame needs.
//  2. hold(n) = the minimum of need over the last W = L + 2h + hold frames
//     (a sliding-window minimum, O(1) per frame with a monotonic queue; the
//     30 ms hold keeps the gain steady between the peaks of low notes).
//  3. rel(n) = min(hold(n), rel(n-1) recovering towards 1 with the release
//     time constant): gain comes back smoothly, never faster than release.
//  4. gain(n) = the average of rel over the last L frames (a box filter):
//     the gain glides down over the whole look-ahead L instead of jumping,
//     which is what keeps the limiter from clicking and distorting.
//
// The audio is delayed by the detector's delay + L - 1 + h frames, so the
// gain applied to a frame is the average of L values that each already
// include the need of every frame within h of it: the gain is never above
// what any detected peak within ±h frames (the interpolation filter's reach)
// requires. The tiny error left (gain changes across the filter's span) is
// covered by a small margin below the ceiling and, in Process, by measuring
// the result and tightening if it is ever exceeded.
//
// Process never allocates.
type Limiter struct {
	ch       int
	thresh   float32
	tp       *loudness.TruePeak
	look     int // L: look-ahead and box length, frames
	span     int // h: margin for the interpolation filter, frames
	win      int // W = L + 2h
	latency  int // audio delay in frames
	relCoef  float64
	frame    []float32 // one input frame (detector input)
	delay    []float32 // ring of latency+1 frames × ch
	dpos     int
	qIdx     []int64 // monotonic queue for the sliding minimum (ring)
	qVal     []float32
	qHead    int
	qLen     int
	rel      float64
	box      []float64
	bpos     int
	sum      float64
	sinceSum int
	n        int64
	minGain  float64
}

// LimiterConfig sets a limiter up. Zero values pick the defaults.
type LimiterConfig struct {
	Rate, Channels int
	Ceiling        float64 // dBTP
	LookAhead      float64 // seconds; default 5 ms
	Release        float64 // seconds; default 200 ms
}

// Default limiter timing.
const (
	DefaultLookAhead = 0.005
	DefaultRelease   = 0.200
	DefaultHold      = 0.030
	// margin is how far below the ceiling the limiter aims, in dB. It
	// covers gain changes across the detector's interpolation span, the
	// final dither (one 16-bit LSB is about -90 dBFS) and, mostly, other
	// true-peak meters: BS.1770's 4x oversampling at 44.1 kHz sees other
	// points between the samples than FFmpeg's ebur128, which resamples to
	// 192 kHz (4.35x). On limited material with cymbal-like noise FFmpeg
	// read 0.2 dB above our meter at 44.1 kHz with a 0.02 dB margin.
	margin = 0.25
)

// NewLimiter makes a limiter.
func NewLimiter(c LimiterConfig) *Limiter {
	if c.LookAhead <= 0 {
		c.LookAhead = DefaultLookAhead
	}
	if c.Release <= 0 {
		c.Release = DefaultRelease
	}
	l := &Limiter{ch: c.Channels, tp: loudness.NewTruePeak(c.Rate, c.Channels)}
	l.look = max(1, int(math.Round(c.LookAhead*float64(c.Rate))))
	l.span = 8
	// The hold keeps the gain down for a while after a peak before the
	// release starts, so that it does not creep back up between the peaks
	// of a low note (41 Hz, the low E of a bass, peaks every 12 ms) and
	// modulate it: that ripple is what makes limited bass sound distorted.
	l.win = l.look + 2*l.span + int(math.Round(DefaultHold*float64(c.Rate)))
	l.latency = l.tp.Delay() + l.look - 1 + l.span
	l.relCoef = 1 - math.Exp(-1/(c.Release*float64(c.Rate)))
	l.frame = make([]float32, c.Channels)
	l.delay = make([]float32, (l.latency+1)*c.Channels)
	l.qIdx = make([]int64, l.win+1)
	l.qVal = make([]float32, l.win+1)
	l.box = make([]float64, l.look)
	l.SetCeiling(c.Ceiling)
	l.Reset()
	return l
}

// SetCeiling changes the ceiling (dBTP).
func (l *Limiter) SetCeiling(db float64) {
	l.thresh = float32(math.Pow(10, (db-margin)/20))
}

// Latency is the delay, in frames, between a frame going in and coming out.
func (l *Limiter) Latency() int { return l.latency }

// MaxReduction is the largest gain reduction applied so far, in dB (≤ 0).
func (l *Limiter) MaxReduction() float64 { return 20 * math.Log10(l.minGain) }

// Reset forgets all audio and state.
func (l *Limiter) Reset() {
	l.tp.Reset()
	clear(l.delay)
	l.dpos = 0
	l.qHead, l.qLen = 0, 0
	l.rel = 1
	for i := range l.box {
		l.box[i] = 1
	}
	l.sum = float64(l.look)
	l.bpos = 0
	l.n = 0
	l.minGain = 1
}

// Process limits the frames in buf (planar, all channels the same length)
// in place. The output is delayed by Latency frames: the first Latency
// frames after a Reset are silence, and the last Latency frames of the
// input come out when Latency frames of silence are fed after them.
//
// A sample that is not a finite number is taken as the rest of Sangstudio
// plays it (sangstudio/audio/mix.Finite: NaN as 0, ±Inf as ±1), for the
// detector and for the output alike, so the output is always finite and
// under the ceiling, whatever it is handed.
func (l *Limiter) Process(buf [][]float32) {
	if len(buf) == 0 {
		return
	}
	nf := len(buf[0])
	ch := l.ch
	stride := len(l.qIdx)
	for i := 0; i < nf; i++ {
		for c := 0; c < ch; c++ {
			v := buf[c][i]
			if v-v != 0 { // NaN or ±Inf: see Process
				v = mix.FiniteSample(v)
			}
			l.frame[c] = v
		}
		p := l.tp.Next(l.frame)
		need := float32(1)
		if p > l.thresh {
			need = l.thresh / p
		}
		// Sliding minimum over the last win values of need.
		for l.qLen > 0 {
			back := (l.qHead + l.qLen - 1) % stride
			if l.qVal[back] < need {
				break
			}
			l.qLen--
		}
		tail := (l.qHead + l.qLen) % stride
		l.qIdx[tail], l.qVal[tail] = l.n, need
		l.qLen++
		for l.qIdx[l.qHead] <= l.n-int64(l.win) {
			l.qHead = (l.qHead + 1) % stride
			l.qLen--
		}
		hold := float64(l.qVal[l.qHead])
		// Release: recover towards 1, never above the hold.
		r := l.rel + (1-l.rel)*l.relCoef
		if hold < r {
			r = hold
		}
		l.rel = r
		// Box filter over the look-ahead.
		l.sum += r - l.box[l.bpos]
		l.box[l.bpos] = r
		if l.bpos++; l.bpos == l.look {
			l.bpos = 0
		}
		if l.sinceSum++; l.sinceSum >= 1<<16 {
			l.sinceSum = 0
			s := 0.0
			for _, v := range l.box {
				s += v
			}
			l.sum = s
		}
		g := l.sum / float64(l.look)
		if g > 1 {
			g = 1
		}
		if g < l.minGain {
			l.minGain = g
		}
		// Delay line: write the new frame, read the one latency frames ago.
		w := l.dpos * ch
		rd := l.dpos + 1
		if rd > l.latency {
			rd = 0
		}
		for c := 0; c < ch; c++ {
			l.delay[w+c] = l.frame[c]
			buf[c][i] = float32(float64(l.delay[rd*ch+c]) * g)
		}
		l.dpos = rd
		l.n++
	}
}
