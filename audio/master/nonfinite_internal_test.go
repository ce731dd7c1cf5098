package master

import (
	"math"
	"math/rand/v2"
	"testing"

	"sangstudio/audio/mix"
)

// TestLimiterNonFinite: handed NaN and infinite samples among loud
// material, the limiter outputs exactly what it outputs for the same
// material with them replaced (NaN as 0, ±Inf as ±1): every sample finite,
// the true peak under the ceiling. All-infinite input comes out at the
// ceiling, not as full-scale DC or NaN. Process still allocates nothing.
func TestLimiterNonFinite(t *testing.T) {
	for _, rate := range []int{44100, 48000} {
		rng := rand.New(rand.NewPCG(11, uint64(rate)))
		bad := loudMaterial(rng, rate, 2, 2)
		clean := [][]float32{append([]float32(nil), bad[0]...), append([]float32(nil), bad[1]...)}
		special := []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))}
		for k := 0; k < 300; k++ {
			c, i := rng.IntN(2), rng.IntN(len(bad[0]))
			if k%50 == 0 { // a run of them
				for j := i; j < min(i+500, len(bad[0])); j++ {
					bad[c][j] = special[k%3]
					clean[c][j] = mix.FiniteSample(special[k%3])
				}
				continue
			}
			bad[c][i] = special[k%3]
			clean[c][i] = mix.FiniteSample(special[k%3])
		}
		for _, ceil := range []float64{-1, -6} {
			got := limitAll(NewLimiter(LimiterConfig{Rate: rate, Channels: 2, Ceiling: ceil}), bad, 777)
			want := limitAll(NewLimiter(LimiterConfig{Rate: rate, Channels: 2, Ceiling: ceil}), clean, 777)
			for c := range got {
				for i, v := range got[c] {
					if v != want[c][i] || v-v != 0 {
						t.Fatalf("%d Hz, ceiling %v, channel %d, frame %d: %v, want %v", rate, ceil, c, i, v, want[c][i])
					}
				}
			}
			if tp := truePeakDB(rate, got); tp > ceil || math.IsNaN(tp) {
				t.Errorf("%d Hz: true peak %.3f dBTP, ceiling %v", rate, tp, ceil)
			}
		}
	}

	inf := [][]float32{make([]float32, 48000), make([]float32, 48000)}
	for c := range inf {
		for i := range inf[c] {
			inf[c][i] = float32(math.Inf(1 - 2*c))
		}
	}
	out := limitAll(NewLimiter(LimiterConfig{Rate: 48000, Channels: 2, Ceiling: -1}), inf, 512)
	if tp := truePeakDB(48000, out); tp > -1 || tp < -1-margin-0.5 {
		t.Errorf("all infinite: true peak %.3f dBTP, want just under the -1 dBTP ceiling", tp)
	}

	l := NewLimiter(LimiterConfig{Rate: 48000, Channels: 2, Ceiling: -1})
	buf := [][]float32{make([]float32, 256), make([]float32, 256)}
	if a := testing.AllocsPerRun(50, func() {
		buf[0][3], buf[1][9] = float32(math.NaN()), float32(math.Inf(1))
		l.Process(buf)
	}); a != 0 {
		t.Fatalf("Process allocates %v times with non-finite input", a)
	}
}
