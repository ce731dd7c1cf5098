package fx

import (
	"math"
	"testing"
)

func db(v float64) float64 { return 20 * math.Log10(v) }

// reduction runs a steady 1 kHz sine of level in (dBFS peak) through a
// compressor with p for 2 s and returns by how much (dB) its peak is
// lowered over the last half second.
func reduction(p CompParams, in float64) float64 {
	const rate = 48000
	x := sine(2*rate, 1000, rate, float32(math.Pow(10, in/20)))
	ref := peakOf(x[3*rate/2:])
	NewCompressor(rate, p).Process([][]float32{x})
	return db(ref) - db(peakOf(x[3*rate/2:]))
}

// TestCompressorSteadyReduction: threshold −20, ratio 4, knee 0: a steady
// −8 dBFS sine comes out 9.0 ± 0.05 dB lower (−20 + 12/4 = −17 dBFS).
func TestCompressorSteadyReduction(t *testing.T) {
	p := CompParams{On: true, Threshold: -20, Ratio: 4, Knee: 0, Attack: 10, Release: 200}
	got := reduction(p, -8)
	t.Logf("−8 dBFS sine, −20 dB threshold, 4:1: reduced by %.3f dB", got)
	if math.Abs(got-9) > 0.05 {
		t.Errorf("reduced by %.3f dB, want 9.0 ± 0.05", got)
	}
	// Below the threshold nothing changes.
	if got := reduction(p, -30); math.Abs(got) > 1e-6 {
		t.Errorf("a −30 dBFS sine is reduced by %.6f dB, want 0", got)
	}
}

// TestCompressorKnee: the curve is continuous at the knee's edges (in
// level and slope), and steady sines inside the knee are reduced as the
// curve says within 0.01 dB.
func TestCompressorKnee(t *testing.T) {
	p := CompParams{On: true, Threshold: -20, Ratio: 4, Knee: 10, Attack: 10, Release: 1000}
	lo, hi := p.Threshold-p.Knee/2, p.Threshold+p.Knee/2
	const e = 1e-6
	for _, x := range []float64{lo, hi} {
		if d := p.Curve(x+e) - p.Curve(x-e); math.Abs(d/(2*e)-(p.Curve(x+2*e)-p.Curve(x))/(2*e)) > 1e-3 {
			t.Errorf("the curve bends sharply at %v dB", x)
		}
	}
	if math.Abs(p.Curve(lo)-lo) > 1e-12 || math.Abs(p.Curve(hi)-(p.Threshold+p.Knee/2/p.Ratio)) > 1e-12 {
		t.Errorf("the curve jumps at the knee: %v at %v, %v at %v", p.Curve(lo), lo, p.Curve(hi), hi)
	}
	for _, in := range []float64{-24, -22, -20, -18, -16} {
		want := in - p.Curve(in)
		got := reduction(p, in)
		if math.Abs(got-want) > 0.01 {
			t.Errorf("a %v dBFS sine in the knee: reduced by %.4f dB, the curve says %.4f", in, got, want)
		}
	}
}

// TestCompressorAttack: after a step from silence to a steady level, the
// gain reduction reaches 1 − 1/e of its final value within one sample of
// attack·rate/1000 samples.
func TestCompressorAttack(t *testing.T) {
	const rate = 48000
	for _, attack := range []float64{1, 5, 20} {
		p := CompParams{On: true, Threshold: -20, Ratio: 4, Attack: attack, Release: 100}
		x := make([]float32, rate/2)
		for i := 1000; i < len(x); i++ {
			x[i] = 0.5 // −6.02 dBFS: 10.48 dB of reduction at the end
		}
		NewCompressor(rate, p).Process([][]float32{x})
		final := -db(float64(x[len(x)-1]) / 0.5)
		curve := db(0.5) - p.Curve(db(0.5))
		n := 0 // samples of the step processed until the reduction is there
		for n = 1; 1000+n <= len(x) && -db(float64(x[1000+n-1])/0.5) < (1-1/math.E)*final; n++ {
		}
		want := attack * rate / 1000
		t.Logf("attack %v ms: 1 − 1/e of %.3f dB after %d samples (want %.0f)", attack, final, n, want)
		if math.Abs(float64(n)-want) > 1 || math.Abs(final-curve) > 0.001 {
			t.Errorf("attack %v ms: %d samples to 1 − 1/e of %.3f dB, want %.0f ± 1 of %.3f dB", attack, n, final, want, curve)
		}
	}
}

// TestCompressorOnOffAndBlocks: with the compressor switched on and off
// and its makeup changed while it runs, the output is the same bytes for
// any blocks; switched off, audio passes bit for bit once the reduction
// has gone, and the makeup and the reduction glide (no step larger than
// the loudest the signal can make).
func TestCompressorOnOffAndBlocks(t *testing.T) {
	on := CompParams{On: true, Threshold: -24, Ratio: 6, Knee: 6, Attack: 3, Release: 30, Makeup: 8}
	off := on
	off.On = false
	in := sine(96000, 440, 48000, 0.5)
	var ref []float32
	for _, size := range []int{96000, 64, 128, 1000} {
		x := append([]float32(nil), in...)
		c := NewCompressor(48000, CompParams{})
		set := map[int]CompParams{0: on, 32000: off, 64000: on}
		if size == 96000 {
			for _, r := range [][2]int{{0, 32000}, {32000, 64000}, {64000, 96000}} {
				c.Set(set[r[0]])
				c.Process([][]float32{x[r[0]:r[1]]})
			}
			ref = x
			continue
		}
		inBlocks([][]float32{x}, size, func(f int) {
			if p, ok := set[f]; ok {
				c.Set(p)
			}
		}, c.Process)
		for i := range x {
			if math.Float32bits(x[i]) != math.Float32bits(ref[i]) {
				t.Fatalf("blocks of %d: frame %d is %v, in three blocks %v", size, i, x[i], ref[i])
			}
		}
	}
	for i := 56000; i < 64000; i++ {
		if ref[i] != in[i] {
			t.Fatalf("off for 0.5 s: frame %d is %v, not the input's %v", i, ref[i], in[i])
		}
	}
	if s, bound := maxStep(ref), 2*math.Pi*440/48000*0.5*math.Pow(10, 8.0/20); s > bound {
		t.Errorf("a step of %.4f between samples, want at most %.4f", s, bound)
	}
}

// TestCompressorAllocatesNothing: Process and Set allocate nothing.
func TestCompressorAllocatesNothing(t *testing.T) {
	c := NewCompressor(48000, CompParams{On: true, Threshold: -30, Ratio: 4})
	ch := [][]float32{noise(256, 0.5, 1), noise(256, 0.5, 2)}
	i := 0
	if a := testing.AllocsPerRun(200, func() {
		i++
		c.Set(CompParams{On: true, Threshold: -30 + float64(i%10), Ratio: 4, Makeup: float64(i % 3)})
		c.Process(ch)
	}); a != 0 {
		t.Fatalf("%v allocations per block", a)
	}
}

// BenchmarkCompressor256: a stereo 256-frame block of loud noise, always
// above the threshold (the worst case: the curve and the gain every
// sample), and of quiet noise below the knee.
func BenchmarkCompressor256(b *testing.B) {
	for _, c := range []struct {
		name string
		a    float32
	}{{"compressing", 0.5}, {"below", 0.01}} {
		b.Run(c.name, func(b *testing.B) {
			ch := [][]float32{noise(256, c.a, 1), noise(256, c.a, 2)}
			comp := NewCompressor(48000, CompParams{On: true, Threshold: -30, Ratio: 4, Knee: 6, Attack: 10, Release: 100, Makeup: 4})
			buf := [][]float32{make([]float32, 256), make([]float32, 256)}
			for b.Loop() {
				copy(buf[0], ch[0])
				copy(buf[1], ch[1])
				comp.Process(buf)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(256e9/48000)*100, "budget_%")
		})
	}
}

// TestExpNeg: expNeg is e^−x within 2e-8 relative (2e-7 dB) over the range
// the compressor uses it for (and far beyond).
func TestExpNeg(t *testing.T) {
	for x := 0.0; x <= 700; x += 0.0137 {
		if got, want := expNeg(x), math.Exp(-x); math.Abs(got-want) > 2e-8*want {
			t.Fatalf("expNeg(%v) = %v, e^-x = %v", x, got, want)
		}
	}
}

// TestLogPos: logPos is ln x within 4e-8 over the levels a compressor sees
// (a float32 sample's range, 1e-30 to 1e4).
func TestLogPos(t *testing.T) {
	for x := 1e-30; x < 1e4; x *= 1.0137 {
		if got, want := logPos(x), math.Log(x); math.Abs(got-want) > 4e-8 {
			t.Fatalf("logPos(%v) = %v, ln x = %v", x, got, want)
		}
	}
	for _, x := range []float64{1, 2, 0.5, math.Sqrt2, 1 / math.Sqrt2, math.SmallestNonzeroFloat32} {
		if got, want := logPos(x), math.Log(x); math.Abs(got-want) > 4e-8 {
			t.Errorf("logPos(%v) = %v, ln x = %v", x, got, want)
		}
	}
}
