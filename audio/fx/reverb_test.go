package fx

import (
	"math"
	"testing"
)

// revImpulse is the reverb's response, frames long, to a unit impulse on
// both channels, processed in blocks of block frames (0: in one go), with
// p set before the first frame and q (when not nil) at frame change.
func revImpulse(rate, frames, block int, p ReverbParams, q *ReverbParams, change int) (l, r []float32) {
	l, r = make([]float32, frames), make([]float32, frames)
	l[0], r[0] = 1, 1
	rev := NewReverb(rate)
	rev.Set(p)
	processBlocks(frames, block, change, func(a, b int) { rev.Process(l[a:b], r[a:b]) }, func() {
		if q != nil {
			rev.Set(*q)
		}
	})
	return l, r
}

// The impulse response is the same bits whatever the block size, with a
// change of every control (smoothed) in the middle.
func TestReverbBlockSizeIndependent(t *testing.T) {
	const rate, frames, change = 48000, 3 * 48000, 16384
	p := ReverbParams{Room: 0.8, Damp: 0.3, Width: 1, WetDB: -3}
	q := ReverbParams{Room: 0.4, Damp: 0.7, Width: 0.5, WetDB: -9}
	sameInAnyBlocks(t, func(block int) (l, r []float32) { return revImpulse(rate, frames, block, p, &q, change) })
}

// The first sound out is Freeverb's shortest comb: the impulse into it
// (1+1)·0.015 = 0.03, comes out 1116 frames later at 44.1 kHz (1139 on the
// right), through four allpasses that each pass their input on with the
// sign flipped (-in + an empty line).
func TestReverbFirstEcho(t *testing.T) {
	l, r := revImpulse(44100, 2000, 0, ReverbParams{Room: 0.5, Damp: 0.5, Width: 1}, nil, -1)
	first := func(x []float32) int {
		for i, v := range x {
			if v != 0 {
				return i
			}
		}
		return -1
	}
	if i := first(l); i != 1116 || math.Abs(float64(l[i])-0.03) > 1e-7 {
		t.Errorf("left: first sound at %d (%g), want 1116 (0.03)", i, l[max(i, 0)])
	}
	if i := first(r); i != 1139 || math.Abs(float64(r[i])-0.03) > 1e-7 {
		t.Errorf("right: first sound at %d (%g), want 1139 (0.03)", i, r[max(i, 0)])
	}
}

// The lines' lengths are Freeverb's scaled from 44.1 kHz: round(n·rate/44100),
// the right channel's round(23·rate/44100) longer.
func TestReverbRateScaling(t *testing.T) {
	for _, rate := range []int{44100, 48000, 96000} {
		rev := NewReverb(rate)
		spread := int(math.Round(23 * float64(rate) / 44100))
		for i, n := range []int{1116, 1188, 1277, 1356, 1422, 1491, 1557, 1617} {
			want := int(math.Round(float64(n) * float64(rate) / 44100))
			if got := len(rev.comb[0][i].buf); got != want {
				t.Errorf("%d Hz: left comb %d: %d frames, want %d", rate, i, got, want)
			}
			if got := len(rev.comb[1][i].buf); got != want+spread {
				t.Errorf("%d Hz: right comb %d: %d frames, want %d", rate, i, got, want+spread)
			}
		}
		for i, n := range []int{556, 441, 341, 225} {
			want := int(math.Round(float64(n) * float64(rate) / 44100))
			if got := len(rev.ap[0][i].buf); got != want {
				t.Errorf("%d Hz: left allpass %d: %d frames, want %d", rate, i, got, want)
			}
			if got := len(rev.ap[1][i].buf); got != want+spread {
				t.Errorf("%d Hz: right allpass %d: %d frames, want %d", rate, i, got, want+spread)
			}
		}
	}
	if got := len(NewReverb(48000).comb[0][0].buf); got != 1215 {
		t.Errorf("48 kHz: first comb %d frames, want 1215 (1116·48000/44100 = 1214.7)", got)
	}
}

// revRT60 is the reverberation time of the impulse response (l, r) at
// rate, in seconds, from the Schroeder energy decay curve: the time it
// takes to fall from -5 to -35 dB, times two (T30).
func revRT60(l, r []float32, rate int) float64 {
	edc := make([]float64, len(l))
	sum := 0.0
	for i := len(l) - 1; i >= 0; i-- {
		sum += float64(l[i])*float64(l[i]) + float64(r[i])*float64(r[i])
		edc[i] = sum
	}
	at := func(db float64) int {
		lim := edc[0] * math.Pow(10, db/10)
		for i, e := range edc {
			if e <= lim {
				return i
			}
		}
		return len(edc)
	}
	return 2 * float64(at(-35)-at(-5)) / float64(rate)
}

// The tail gets longer with the room size.
func TestReverbDecayGrowsWithRoom(t *testing.T) {
	const rate = 48000
	prev := 0.0
	for _, room := range []float64{0, 0.25, 0.5, 0.75, 1} {
		l, r := revImpulse(rate, 25*rate, 0, ReverbParams{Room: room, Damp: 0.5, Width: 1}, nil, -1)
		rt := revRT60(l, r, rate)
		t.Logf("room %.2f: RT60 %.2f s", room, rt)
		if !(rt > prev*1.1) {
			t.Errorf("room %.2f: RT60 %.3f s, not longer than %.3f s", room, rt, prev)
		}
		prev = rt
	}
}

// Width 1 gives two different channels (the right's lines are longer);
// width 0 gives the same bits on both.
func TestReverbWidth(t *testing.T) {
	const rate = 48000
	l, r := revImpulse(rate, rate, 0, ReverbParams{Room: 0.5, Damp: 0.5, Width: 1}, nil, -1)
	var diff, energy float64
	for i := range l {
		d := float64(l[i] - r[i])
		diff += d * d
		energy += float64(l[i]) * float64(l[i])
	}
	if energy == 0 || diff < 0.5*energy {
		t.Errorf("width 1: the channels differ by %.3g of the energy, want at least half", diff/energy)
	}
	l, r = revImpulse(rate, rate, 0, ReverbParams{Room: 0.5, Damp: 0.5, Width: 0}, nil, -1)
	sameBits(t, "width 0", r, l)
}

// revBurst is a second of loud noise into rev.
func revBurst(rev *Reverb, rate int) {
	src := noise(2*rate, 1, 1)
	rev.Process(src[:rate], src[rate:])
}

// After ten minutes of silence following a loud burst, the output is
// exactly silent, and so is all the state.
func TestReverbSilenceDecaysToZero(t *testing.T) {
	const rate = 48000
	rev := NewReverb(rate)
	rev.Set(ReverbParams{Room: 1, Damp: 0, Width: 1, WetDB: 6})
	revBurst(rev, rate)
	l, r := make([]float32, 4800), make([]float32, 4800)
	finite := func(x float32) bool { return !math.IsNaN(float64(x)) && !math.IsInf(float64(x), 0) }
	silence(l, r, 10*60*rate, rev.Process, func(done int) {
		for i := range l {
			if !finite(l[i]) || !finite(r[i]) {
				t.Fatalf("at %d frames: %g %g", done+i, l[i], r[i])
			}
		}
	})
	for i := range l {
		if l[i] != 0 || r[i] != 0 {
			t.Fatalf("after 10 minutes: %g %g, want 0", l[i], r[i])
		}
	}
	for ch := range rev.comb {
		for j := range rev.comb[ch] {
			c := rev.comb[ch][j]
			for _, v := range c.buf {
				if v != 0 || c.store != 0 {
					t.Fatalf("comb %d/%d: %g %g left", ch, j, v, c.store)
				}
			}
		}
		for j := range rev.ap[ch] {
			for _, v := range rev.ap[ch][j].buf {
				if v != 0 {
					t.Fatalf("allpass %d/%d: %g left", ch, j, v)
				}
			}
		}
	}
}

// A change of control glides: no step in the wet level.
func TestReverbSetGlides(t *testing.T) {
	const rate = 48000
	rev := NewReverb(rate)
	rev.Set(ReverbParams{Room: 0.5, Damp: 0.5, Width: 1, WetDB: 0})
	rev.Process(make([]float32, 1), make([]float32, 1))
	rev.Set(ReverbParams{Room: 0.5, Damp: 0.5, Width: 1, WetDB: -20})
	rev.Process(make([]float32, 1), make([]float32, 1))
	w := rev.glide.cur[revWet1]
	if want := 1 - 0.9*busGlideCoef(rate); math.Abs(w-want) > 1e-12 {
		t.Errorf("one frame after the change: wet %g, want %g", w, want)
	}
	// The glide stops where it is within 1e-9 of the target: from 0.9
	// away that is ln(0.9e9) = 20.6 time constants of 10 ms.
	rev.Process(make([]float32, rate/5), make([]float32, rate/5))
	if !rev.glide.moving {
		t.Error("stopped gliding before 200 ms")
	}
	rev.Process(make([]float32, rate/50), make([]float32, rate/50))
	if rev.glide.moving || rev.glide.cur[revWet1] != busGain(-20) {
		t.Errorf("220 ms after: wet %g, moving %v; want %g, settled", rev.glide.cur[revWet1], rev.glide.moving, busGain(-20))
	}
}

func TestReverbNoAllocs(t *testing.T) {
	rev := NewReverb(48000)
	l, r := make([]float32, 256), make([]float32, 256)
	l[0] = 1
	if n := testing.AllocsPerRun(100, func() { rev.Process(l, r) }); n != 0 {
		t.Errorf("%v allocations per Process", n)
	}
}

func BenchmarkReverb256(b *testing.B) {
	benchNoise(b, NewReverb(48000).Process)
}

// BenchmarkReverbSilence is the cost of a block of silence three minutes
// after a loud burst: long decayed, where state that is not flushed would
// be denormal (at room 0.5 the tail falls by about 2500 dB a minute, below
// 1e-308 after some 150 s, and without flushing it stays there: 1e-323
// times 0.98 rounds back to 1e-323).
func BenchmarkReverbSilence(b *testing.B) {
	const rate = 48000
	rev := NewReverb(rate)
	revBurst(rev, rate)
	l, r := make([]float32, 256), make([]float32, 256)
	silence(l, r, 3*60*rate, rev.Process, nil)
	b.ReportAllocs()
	for b.Loop() {
		clear(l)
		clear(r)
		rev.Process(l, r)
	}
}
