package mix_test

import (
	"math"
	"math/rand"
	"testing"

	"sangstudio/audio/mix"
)

func TestFinite(t *testing.T) {
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	maxF := float32(math.MaxFloat32)
	sub := math.Float32frombits(1) // the smallest subnormal
	tests := []struct {
		name     string
		in, want []float32
		n        int
	}{
		{"empty", nil, nil, 0},
		{"finite", []float32{0, 0.5, -1, 2, maxF, -maxF, sub, float32(math.Copysign(0, -1))}, []float32{0, 0.5, -1, 2, maxF, -maxF, sub, float32(math.Copysign(0, -1))}, 0},
		{"NaN", []float32{0.25, nan, 0.5}, []float32{0.25, 0, 0.5}, 1},
		{"+Inf", []float32{inf}, []float32{1}, 1},
		{"-Inf", []float32{0.1, 0.2, 0.3, 0.4, -inf}, []float32{0.1, 0.2, 0.3, 0.4, -1}, 1},
		{"all kinds", []float32{nan, inf, -inf, nan, 0.5, -inf, inf, nan, 3}, []float32{0, 1, -1, 0, 0.5, -1, 1, 0, 3}, 7},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			buf := append([]float32(nil), tc.in...)
			if n := mix.Finite(buf); n != tc.n {
				t.Errorf("Finite replaced %d samples, want %d", n, tc.n)
			}
			for i := range buf {
				if math.Float32bits(buf[i]) != math.Float32bits(tc.want[i]) {
					t.Errorf("sample %d: %v, want %v", i, buf[i], tc.want[i])
				}
			}
		})
	}
}

// TestFiniteAnyPosition: a single non-finite sample is found at every
// position of blocks of every length (the quick check sums in four lanes
// and a tail), and nothing else changes.
func TestFiniteAnyPosition(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	bad := []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))}
	for n := 1; n <= 19; n++ {
		ref := make([]float32, n)
		for i := range ref {
			ref[i] = float32(rng.NormFloat64())
		}
		for at := 0; at < n; at++ {
			for _, b := range bad {
				buf := append([]float32(nil), ref...)
				buf[at] = b
				if k := mix.Finite(buf); k != 1 {
					t.Fatalf("n=%d, %v at %d: replaced %d", n, b, at, k)
				}
				for i, v := range buf {
					want := ref[i]
					if i == at {
						want = mix.FiniteSample(b)
					}
					if v != want {
						t.Fatalf("n=%d, %v at %d: sample %d is %v, want %v", n, b, at, i, v, want)
					}
				}
			}
		}
	}
}

func TestFiniteAllocatesNothing(t *testing.T) {
	buf := make([]float32, 256)
	if a := testing.AllocsPerRun(100, func() {
		buf[7] = float32(math.NaN())
		mix.Finite(buf)
	}); a != 0 {
		t.Fatalf("%v allocations per block, want 0", a)
	}
}

// BenchmarkFinite256 is the guard's cost on a normal 256-sample block (no
// sample replaced): what each track pays per block.
func BenchmarkFinite256(b *testing.B) {
	buf := make([]float32, 256)
	for i := range buf {
		buf[i] = float32(math.Sin(float64(i) * 0.1))
	}
	b.ReportAllocs()
	b.SetBytes(256 * 4)
	for i := 0; i < b.N; i++ {
		if mix.Finite(buf) != 0 {
			b.Fatal("replaced a finite sample")
		}
	}
}
