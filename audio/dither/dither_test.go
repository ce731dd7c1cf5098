package dither_test

import (
	"math"
	"testing"

	"sangstudio/audio/dither"
)

func TestTPDFStatistics(t *testing.T) {
	for _, seed := range []uint64{0, 1, 2, 42, math.MaxUint64} {
		d := dither.NewTPDF(seed)
		const n = 1 << 20
		const bins = 20
		var hist [bins]int
		var sum, sum2 float64
		for i := 0; i < n; i++ {
			v := float64(d.Next())
			if v <= -1 || v >= 1 {
				t.Fatalf("seed %d: value %v outside (-1, 1)", seed, v)
			}
			sum += v
			sum2 += v * v
			hist[int((v+1)/2*bins)]++
		}
		mean := sum / n
		variance := sum2/n - mean*mean
		// Standard error of the mean is sqrt(1/6/n) ≈ 0.0004.
		if math.Abs(mean) > 0.003 {
			t.Errorf("seed %d: mean %v, want ≈ 0", seed, mean)
		}
		if math.Abs(variance-1.0/6) > 0.003 {
			t.Errorf("seed %d: variance %v, want ≈ %v", seed, variance, 1.0/6)
		}
		// Triangular density p(v) = 1-|v| on (-1, 1): the probability of
		// bin [a, b] is the integral of that.
		for i, got := range hist {
			a := -1 + 2*float64(i)/bins
			b := a + 2.0/bins
			cdf := func(x float64) float64 {
				if x < 0 {
					return (1 + x) * (1 + x) / 2
				}
				return 1 - (1-x)*(1-x)/2
			}
			want := (cdf(b) - cdf(a)) * n
			if math.Abs(float64(got)-want) > 5*math.Sqrt(want)+10 {
				t.Errorf("seed %d: bin %d [%.1f, %.1f): %d values, want ≈ %.0f (not triangular)", seed, i, a, b, got, want)
			}
		}
	}
}

func TestTPDFDeterministic(t *testing.T) {
	a, b, c := dither.NewTPDF(7), dither.NewTPDF(7), dither.NewTPDF(8)
	same := 0
	for i := 0; i < 10000; i++ {
		x, y, z := a.Next(), b.Next(), c.Next()
		if x != y {
			t.Fatalf("value %d: seed 7 gave %v and %v", i, x, y)
		}
		if x == z {
			same++
		}
	}
	if same > 10 {
		t.Errorf("seeds 7 and 8 agree on %d of 10000 values", same)
	}
	a.Reset(7)
	b = dither.NewTPDF(7)
	for i := 0; i < 100; i++ {
		if x, y := a.Next(), b.Next(); x != y {
			t.Fatalf("after Reset, value %d: %v != %v", i, x, y)
		}
	}
}

func TestTPDFSuccessiveValuesUncorrelated(t *testing.T) {
	d := dither.NewTPDF(1)
	const n = 1 << 18
	prev := float64(d.Next())
	var c float64
	for i := 0; i < n; i++ {
		v := float64(d.Next())
		c += v * prev
		prev = v
	}
	// Lag-1 correlation coefficient; standard error ≈ 1/sqrt(n) ≈ 0.002.
	if r := c / n / (1.0 / 6); math.Abs(r) > 0.01 {
		t.Errorf("lag-1 correlation %v, want ≈ 0", r)
	}
}

func TestTPDFNoAllocs(t *testing.T) {
	d := dither.NewTPDF(3)
	if n := testing.AllocsPerRun(100, func() { d.Next() }); n != 0 {
		t.Errorf("Next allocates %v times", n)
	}
}

var sink []float32

func BenchmarkTPDFNext(b *testing.B) {
	d := dither.NewTPDF(1)
	out := make([]float32, 1024)
	for i := 0; i < b.N; i++ {
		out[i&1023] = d.Next()
	}
	sink = out
}
