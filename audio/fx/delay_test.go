package fx

import (
	"math"
	"testing"
)

// dlyRun is the delay's output for in (both channels), processed in blocks
// of block frames (0: in one go), with p set before the first frame and q
// (when not nil) at frame change.
func dlyRun(rate int, in []float32, block int, p DelayParams, q *DelayParams, change int) (l, r []float32) {
	l, r = append([]float32(nil), in...), append([]float32(nil), in...)
	d := NewDelay(rate)
	d.Set(p)
	processBlocks(len(in), block, change, func(a, b int) { d.Process(l[a:b], r[a:b]) }, func() {
		if q != nil {
			d.Set(*q)
		}
	})
	return l, r
}

// processBlocks calls process on consecutive frame ranges of at most
// block frames (all at once when block is 0) that split at change, and
// calls at when it reaches change.
func processBlocks(frames, block, change int, process func(a, b int), at func()) {
	if block == 0 {
		block = frames
	}
	for a := 0; a < frames; {
		if a == change {
			at()
		}
		b := min(a+block, frames)
		if a < change && b > change {
			b = change
		}
		process(a, b)
		a = b
	}
}

func sameBits(t *testing.T, what string, a, b []float32) {
	t.Helper()
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			t.Fatalf("%s: frame %d: %g, want %g", what, i, a[i], b[i])
		}
	}
}

// sameInAnyBlocks checks that run (the effect's output for blocks of
// block frames, 0 meaning all at once) gives the same bits for blocks of
// 64, 128 and 1024 frames as in one go.
func sameInAnyBlocks(t *testing.T, run func(block int) (l, r []float32)) {
	t.Helper()
	wantL, wantR := run(0)
	for _, block := range []int{64, 128, 1024} {
		l, r := run(block)
		sameBits(t, "left", l, wantL)
		sameBits(t, "right", r, wantR)
	}
}

// silence runs frames of silence through process in blocks of len(l),
// calling after (when not nil) after each with the frames done before it.
func silence(l, r []float32, frames int, process func(l, r []float32), after func(done int)) {
	for done := 0; done < frames; done += len(l) {
		clear(l)
		clear(r)
		process(l, r)
		if after != nil {
			after(done)
		}
	}
}

func dlyImpulse(frames int) []float32 {
	x := make([]float32, frames)
	x[0] = 1
	return x
}

// The impulse comes back exactly the time later, given in ms or in beats
// of a tempo.
func TestDelayTime(t *testing.T) {
	for _, c := range []struct {
		rate int
		p    DelayParams
		want int
	}{
		{48000, DelayParams{TimeMS: 250}, 12000},
		{44100, DelayParams{TimeMS: 333.3}, 14699}, // 14698.53
		{48000, DelayParams{Beats: 1, BPM: 120, TimeMS: 10}, 24000},
		{44100, DelayParams{Beats: 0.75, BPM: 97}, 20459}, // 20458.76
		{48000, DelayParams{TimeMS: 5000}, 96000},         // the 2 s the lines hold
		{48000, DelayParams{TimeMS: 0}, 1},
	} {
		if got := c.p.Frames(c.rate); got != c.want {
			t.Errorf("%+v at %d Hz: %d frames, want %d", c.p, c.rate, got, c.want)
		}
		l, r := dlyRun(c.rate, dlyImpulse(c.want+100), 0, c.p, nil, -1)
		for i := range l {
			want := float32(0)
			if i == c.want {
				want = 1
			}
			if l[i] != want || r[i] != want {
				t.Fatalf("%+v at %d Hz: frame %d: %g %g, want %g", c.p, c.rate, i, l[i], r[i], want)
			}
		}
	}
	if got := BeatsToFrames(0.75, 97, 44100); got != 20459 {
		t.Errorf("BeatsToFrames(0.75, 97, 44100) = %d, want 20459", got)
	}
}

// Without the low-pass each repeat is the one before times the feedback
// (and nothing is between them); with it, each repeat's sum (its DC) is
// still the one before's times the feedback, since the one-pole's DC gain
// is 1, but spread out: a lower peak.
func TestDelayRepeats(t *testing.T) {
	const rate, T, fb = 48000, 4800, 0.6
	l, _ := dlyRun(rate, dlyImpulse(6*T), 0, DelayParams{TimeMS: 100, Feedback: fb, WetDB: -6}, nil, -1)
	wet := math.Pow(10, -6.0/20)
	for i, v := range l {
		want := 0.0
		if i > 0 && i%T == 0 {
			want = wet * math.Pow(fb, float64(i/T-1))
		}
		if math.Abs(float64(v)-want) > 1e-7 {
			t.Fatalf("open loop: frame %d: %g, want %g", i, v, want)
		}
	}
	l, _ = dlyRun(rate, dlyImpulse(6*T), 0, DelayParams{TimeMS: 100, Feedback: fb, CutoffHz: 2000}, nil, -1)
	sum := func(k int) (s, peak float64) {
		for _, v := range l[k*T : (k+1)*T] {
			s += float64(v)
			peak = max(peak, float64(v))
		}
		return s, peak
	}
	for k := 1; k < 5; k++ {
		s0, _ := sum(k)
		s1, peak := sum(k + 1)
		if math.Abs(s1-fb*s0) > 1e-6 {
			t.Errorf("low-passed: repeat %d sums to %g, want %g·%g = %g", k+1, s1, fb, s0, fb*s0)
		}
		if peak > 0.5*fb*s0 {
			t.Errorf("low-passed: repeat %d peaks at %g: not smoothed", k+1, peak)
		}
	}
}

// The output is the same bits whatever the block size, with a change of
// every control in the middle (a crossfade and glides).
func TestDelayBlockSizeIndependent(t *testing.T) {
	const rate, frames, change = 48000, 2 * 48000, 16384
	in := noise(frames, 1, 5)
	p := DelayParams{TimeMS: 120, Feedback: 0.7, CutoffHz: 5000, WetDB: -3}
	q := DelayParams{Beats: 0.5, BPM: 100, Feedback: 0.4, CutoffHz: 1500, WetDB: -8}
	sameInAnyBlocks(t, func(block int) (l, r []float32) { return dlyRun(rate, in, block, p, &q, change) })
}

// A change of time while a sine plays does not click. The output is
// y = (1-g)·a + g·b, a and b the sine read at the old and the new time and
// g going from 0 to 1 in steps of 1/F over the crossfade's F frames, so
// from one frame to the next
//
//	|Δy| ≤ (1-g)|Δa| + g|Δb| + |Δg|·|b-a| ≤ 2πf/rate·A + 2A/F,
//
// the sine's own largest step plus the fade's: 0.0576 + 0.0021 for A = 1,
// f = 440 Hz, F = 960 (20 ms at 48 kHz). Jumping from a to b would step by
// up to 2A; the times are chosen so that it would step by almost that (2).
func TestDelayTimeChangeNoClick(t *testing.T) {
	const rate, f, change = 48000, 440.0, 48000
	in := make([]float32, 2*rate)
	for i := range in {
		in[i] = float32(math.Sin(2 * math.Pi * f * float64(i) / rate))
	}
	p := DelayParams{TimeMS: 304}
	q := DelayParams{TimeMS: 696}
	a, b := in[change-p.Frames(rate)], in[change-q.Frames(rate)]
	if math.Abs(float64(a-b)) < 1.9 {
		t.Fatalf("a jump would step by only %g: choose other times", a-b)
	}
	bound := 2*math.Pi*f/rate + 2.0/960 + 1e-6
	for _, block := range []int{0, 256} {
		l, _ := dlyRun(rate, in, block, p, &q, change)
		worst := 0.0
		for i := p.Frames(rate) + 1; i < len(l); i++ {
			worst = max(worst, math.Abs(float64(l[i]-l[i-1])))
		}
		if worst > bound {
			t.Errorf("blocks of %d: a step of %g, more than %g", block, worst, bound)
		}
		// After the crossfade, the new time.
		for i := change + 960; i < len(l); i++ {
			if l[i] != in[i-q.Frames(rate)] {
				t.Fatalf("blocks of %d: frame %d: %g, want %g (the new time)", block, i, l[i], in[i-q.Frames(rate)])
			}
		}
	}
}

// A change made while a crossfade runs waits for it: the last time set is
// the one the delay ends at.
func TestDelayChangeDuringFade(t *testing.T) {
	const rate = 48000
	d := NewDelay(rate)
	d.Set(DelayParams{TimeMS: 100})
	d.Process(make([]float32, 1000), make([]float32, 1000))
	d.Set(DelayParams{TimeMS: 200})
	d.Process(make([]float32, 100), make([]float32, 100))
	d.Set(DelayParams{TimeMS: 300})
	d.Set(DelayParams{TimeMS: 50})
	d.Process(make([]float32, 2000), make([]float32, 2000))
	l, r := dlyImpulse(3000), dlyImpulse(3000)
	d.Process(l, r)
	for i, v := range l {
		if want := float32(0); i == 2400 && v != 1 || i != 2400 && v != want {
			t.Fatalf("frame %d: %g; want the impulse at 2400 (50 ms) only", i, v)
		}
	}
}

// After a loud burst into a long feedback the lines go exactly silent.
func TestDelaySilenceDecaysToZero(t *testing.T) {
	const rate = 48000
	d := NewDelay(rate)
	d.Set(DelayParams{TimeMS: 50, Feedback: DelayMaxFeedback, CutoffHz: 8000, WetDB: 6})
	l, r := make([]float32, 4800), make([]float32, 4800)
	for i := range l {
		l[i], r[i] = 1, -1
	}
	d.Process(l, r)
	silence(l, r, 2*60*rate, d.Process, nil)
	for ch := range d.line {
		for i, v := range d.line[ch] {
			if v != 0 {
				t.Fatalf("channel %d: %g at %d", ch, v, i)
			}
		}
	}
	if d.lp != [2]float64{} {
		t.Errorf("low-pass state %v", d.lp)
	}
}

func TestDelayNoAllocs(t *testing.T) {
	d := NewDelay(48000)
	l, r := make([]float32, 256), make([]float32, 256)
	l[0] = 1
	n := testing.AllocsPerRun(100, func() {
		d.Set(DelayParams{TimeMS: 10, Feedback: 0.5, CutoffHz: 3000})
		d.Process(l, r)
	})
	if n != 0 {
		t.Errorf("%v allocations per Set and Process", n)
	}
}

func BenchmarkDelay256(b *testing.B) {
	d := NewDelay(48000)
	d.Set(DelayParams{TimeMS: 375, Feedback: 0.5, CutoffHz: 4000})
	benchNoise(b, d.Process)
}

// benchNoise times process on 256-frame blocks of white noise.
func benchNoise(b *testing.B, process func(l, r []float32)) {
	src := noise(2*256, 1, 7)
	l, r := make([]float32, 256), make([]float32, 256)
	b.ReportAllocs()
	for b.Loop() {
		copy(l, src[:256])
		copy(r, src[256:])
		process(l, r)
	}
}
