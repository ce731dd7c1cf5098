package fx

import (
	"math"
	"testing"
)

func sine(n int, f, rate float64, a float32) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = a * float32(math.Sin(2*math.Pi*f*float64(i)/rate))
	}
	return x
}

// inBlocks runs process over ch in blocks of size frames, calling at(frame)
// before the block that starts at each frame.
func inBlocks(ch [][]float32, size int, at func(frame int), process func([][]float32)) {
	n := len(ch[0])
	view := make([][]float32, len(ch))
	for lo := 0; lo < n; lo += size {
		at(lo)
		hi := min(lo+size, n)
		for c := range ch {
			view[c] = ch[c][lo:hi]
		}
		process(view)
	}
}

// TestEQSameForAnyBlocks: the EQ gives the same bytes for blocks of 64,
// 128, 1000 frames and for one block, with its settings changed while it
// runs (the change, made at the same frame, glides the same way).
func TestEQSameForAnyBlocks(t *testing.T) {
	p1 := EQParams{HighPass: 100, Low: Shelf{150, 4}, Mid1: Bell{500, -6, 1.4}, Mid2: Bell{2500, 3, 0.8}, High: Shelf{9000, 2}}
	p2 := EQParams{Low: Shelf{90, -3}, Mid1: Bell{700, 5, 0.5}, High: Shelf{6000, -8}}
	in := [][]float32{noise(256000, 0.3, 1), noise(256000, 0.3, 2)}
	var ref [][]float32
	for _, size := range []int{256000, 64, 128, 1000} {
		ch := [][]float32{append([]float32(nil), in[0]...), append([]float32(nil), in[1]...)}
		e := NewEQ(48000, p1)
		inBlocks(ch, size, func(f int) {
			switch f {
			case 64000:
				e.Set(p2)
			case 128000:
				e.Set(p1)
			}
		}, func(v [][]float32) {
			if size == 256000 { // one block: the changes at their frames
				e.Process([][]float32{v[0][:64000], v[1][:64000]})
				e.Set(p2)
				e.Process([][]float32{v[0][64000:128000], v[1][64000:128000]})
				e.Set(p1)
				e.Process([][]float32{v[0][128000:], v[1][128000:]})
				return
			}
			e.Process(v)
		})
		if ref == nil {
			ref = ch
			continue
		}
		for c := range ch {
			for i := range ch[c] {
				if math.Float32bits(ch[c][i]) != math.Float32bits(ref[c][i]) {
					t.Fatalf("blocks of %d: channel %d frame %d is %v, in one block %v", size, c, i, ch[c][i], ref[c][i])
				}
			}
		}
	}
}

// maxStep is the largest difference between neighbouring samples.
func maxStep(x []float32) float64 {
	m := 0.0
	for i := 1; i < len(x); i++ {
		m = math.Max(m, math.Abs(float64(x[i]-x[i-1])))
	}
	return m
}

// TestEQGlidesWithoutClicks: a band turned from −18 to +18 dB, a
// high-pass switched on and off and a band switched off, all while a
// tone plays through them, never make a step between samples larger
// than the loudest tone the settings allow makes by itself (a sine of
// amplitude a at f moves at most 2π·f/rate·a per sample), give or take
// 0.5 dB of overshoot while a filter moves; the glide is there within
// 50 ms.
func TestEQGlidesWithoutClicks(t *testing.T) {
	const rate = 48000
	for _, c := range []struct {
		name     string
		from, to EQParams
		maxGain  float64 // dB: the loudest the band makes the tone
	}{
		{"bell -18 → +18 dB", EQParams{Mid1: Bell{1000, -18, 1}}, EQParams{Mid1: Bell{1000, 18, 1}}, 18},
		{"bell +12 dB → off", EQParams{Mid1: Bell{1000, 12, 1}}, EQParams{}, 12},
		{"bell off → +12 dB", EQParams{}, EQParams{Mid1: Bell{1000, 12, 1}}, 12},
		{"high-pass on at 400 Hz", EQParams{}, EQParams{HighPass: 400}, 0.1},
		{"high-pass off", EQParams{HighPass: 400}, EQParams{}, 0.1},
		{"shelf moved 100 → 2000 Hz at +9 dB", EQParams{Low: Shelf{100, 9}}, EQParams{Low: Shelf{2000, 9}}, 9},
	} {
		x := sine(rate, 1000, rate, 0.1)
		e := NewEQ(rate, c.from)
		e.Process([][]float32{x[:12000]})
		e.Set(c.to)
		e.Process([][]float32{x[12000:]})
		bound := 2 * math.Pi * 1000 / rate * 0.1 * math.Pow(10, (c.maxGain+0.5)/20)
		if s := maxStep(x); s > bound {
			t.Errorf("%s: a step of %.4f between samples, want at most %.4f", c.name, s, bound)
		}
		if !e.settled() {
			t.Errorf("%s: still gliding after 750 ms", c.name)
		}
		// 50 ms after the change, the tone is at its new level.
		want := math.Pow(10, c.to.Curve(rate, 1000)/20) * 0.1
		if got := peakOf(x[12000+2400 : 12000+4800]); math.Abs(20*math.Log10(got/want)) > 0.1 {
			t.Errorf("%s: 50 ms on, the tone is at %.4f, want %.4f", c.name, got, want)
		}
	}
}

func peakOf(x []float32) float64 {
	m := 0.0
	for _, v := range x {
		m = math.Max(m, math.Abs(float64(v)))
	}
	return m
}

// settled reports whether no band is gliding.
func (e *EQ) settled() bool {
	for _, b := range e.bands {
		if b.cur != b.want {
			return false
		}
	}
	return true
}

// TestEQAllocatesNothing: Process and Set allocate nothing (the audio
// thread calls them).
func TestEQAllocatesNothing(t *testing.T) {
	e := NewEQ(48000, EQParams{HighPass: 80, Mid1: Bell{1000, 3, 1}})
	ch := [][]float32{noise(256, 0.5, 1), noise(256, 0.5, 2)}
	i := 0
	if a := testing.AllocsPerRun(200, func() {
		i++
		e.Set(EQParams{HighPass: 80 + float64(i%50), Mid1: Bell{1000, float64(i % 7), 1}})
		e.Process(ch)
	}); a != 0 {
		t.Fatalf("%v allocations per block", a)
	}
}

// BenchmarkEQ256: a stereo 256-frame block through the high-pass and four
// working bands, settled, and while every band glides.
func BenchmarkEQ256(b *testing.B) {
	p := EQParams{HighPass: 80, Low: Shelf{120, 2}, Mid1: Bell{400, -3, 1}, Mid2: Bell{3000, 2, 0.7}, High: Shelf{10000, 1}}
	ch := [][]float32{noise(256, 0.3, 1), noise(256, 0.3, 2)}
	b.Run("settled", func(b *testing.B) {
		e := NewEQ(48000, p)
		for b.Loop() {
			e.Process(ch)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(256e9/48000)*100, "budget_%")
	})
	b.Run("gliding", func(b *testing.B) {
		e := NewEQ(48000, p)
		q := p
		q.Mid1.Gain, q.Low.Freq = 6, 200
		i := 0
		for b.Loop() {
			if i++; i%2 == 0 {
				e.Set(p)
			} else {
				e.Set(q)
			}
			e.Process(ch)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(256e9/48000)*100, "budget_%")
	})
}
