package master

import (
	"math"
	"math/rand/v2"
	"testing"

	"sangstudio/audio/loudness"
)

// limitAll runs l over planar in (in blocks of blk frames) and returns the
// output with the latency removed, as long as the input.
func limitAll(l *Limiter, in [][]float32, blk int) [][]float32 {
	n := len(in[0])
	lat := l.Latency()
	out := make([][]float32, len(in))
	buf := make([][]float32, len(in))
	for c := range in {
		out[c] = make([]float32, 0, n)
		buf[c] = make([]float32, blk)
	}
	total := n + lat
	for pos := 0; pos < total; pos += blk {
		k := min(blk, total-pos)
		for c := range in {
			for i := 0; i < k; i++ {
				if pos+i < n {
					buf[c][i] = in[c][pos+i]
				} else {
					buf[c][i] = 0
				}
			}
		}
		b := make([][]float32, len(in))
		for c := range in {
			b[c] = buf[c][:k]
		}
		l.Process(b)
		for i := 0; i < k; i++ {
			if pos+i >= lat {
				for c := range in {
					out[c] = append(out[c], b[c][i])
				}
			}
		}
	}
	return out
}

// truePeakDB measures planar audio with the loudness package's detector.
func truePeakDB(rate int, x [][]float32) float64 {
	tp := loudness.NewTruePeak(rate, len(x))
	frame := make([]float32, len(x))
	for i := range x[0] {
		for c := range x {
			frame[c] = x[c][i]
		}
		tp.Next(frame)
	}
	// Push the detector's delay through.
	clear(frame)
	for i := 0; i < tp.Delay()+16; i++ {
		tp.Next(frame)
	}
	return 20 * math.Log10(float64(tp.Max()))
}

// loudMaterial is random material far above the ceiling: noise bursts,
// square-ish waves and near-Nyquist tones whose inter-sample peaks exceed
// their samples, at random levels up to +18 dBFS.
func loudMaterial(rng *rand.Rand, rate, channels int, seconds float64) [][]float32 {
	n := int(seconds * float64(rate))
	x := make([][]float32, channels)
	for c := range x {
		x[c] = make([]float32, n)
	}
	for pos := 0; pos < n; {
		seg := min(n-pos, rate/20+rng.IntN(rate/2))
		level := math.Pow(10, (rng.Float64()*30-12)/20)
		kind := rng.IntN(4)
		f := 20 + rng.Float64()*float64(rate)/2.05
		for i := 0; i < seg; i++ {
			t := float64(i) / float64(rate)
			for c := range x {
				var v float64
				switch kind {
				case 0:
					v = rng.NormFloat64() * 0.5
				case 1:
					v = math.Copysign(1, math.Sin(2*math.Pi*f/40*t))
				case 2:
					v = math.Sin(2*math.Pi*f*t + float64(c))
				default:
					v = math.Sin(2*math.Pi*(float64(rate)/4)*t+math.Pi/4) + 0.3*rng.NormFloat64()
				}
				x[c][pos+i] = float32(v * level)
			}
		}
		pos += seg
	}
	return x
}

func TestLimiterCeilingOnRandomLoudMaterial(t *testing.T) {
	for _, rate := range []int{44100, 48000} {
		for seed := uint64(1); seed <= 6; seed++ {
			for _, ceil := range []float64{-1, -0.3, -6} {
				rng := rand.New(rand.NewPCG(seed, uint64(rate)))
				in := loudMaterial(rng, rate, 2, 3)
				l := NewLimiter(LimiterConfig{Rate: rate, Channels: 2, Ceiling: ceil})
				out := limitAll(l, in, 1000+int(seed)*37)
				if len(out[0]) != len(in[0]) {
					t.Fatalf("output has %d frames, input %d", len(out[0]), len(in[0]))
				}
				got := truePeakDB(rate, out)
				if got > ceil {
					t.Errorf("rate %d seed %d ceiling %.1f: true peak %.3f dBTP is above the ceiling", rate, seed, ceil, got)
				}
				if got < ceil-margin-1.5 {
					t.Errorf("rate %d seed %d ceiling %.1f: true peak %.3f dBTP: the limiter holds the level far below the ceiling", rate, seed, ceil, got)
				}
			}
		}
	}
}

func TestLimiterPassesQuietAudioUnchanged(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	in := make([][]float32, 2)
	for c := range in {
		in[c] = make([]float32, 48000)
		for i := range in[c] {
			in[c][i] = float32(rng.NormFloat64() * 0.05)
		}
	}
	l := NewLimiter(LimiterConfig{Rate: 48000, Channels: 2, Ceiling: -1})
	out := limitAll(l, in, 4096)
	for c := range in {
		for i := range in[c] {
			if out[c][i] != in[c][i] {
				t.Fatalf("channel %d frame %d: %v became %v (the limiter must be transparent below the ceiling)", c, i, in[c][i], out[c][i])
			}
		}
	}
	if l.MaxReduction() != 0 {
		t.Errorf("MaxReduction = %v, want 0", l.MaxReduction())
	}
}

// residualDB fits sines at the given frequencies (least squares on sin and
// cos) to x[from:] and returns the power of what is left, relative to x.
func residualDB(x []float32, rate int, freqs []float64, from int) float64 {
	seg := x[from:]
	n := len(seg)
	k := 2 * len(freqs)
	basis := make([][]float64, k)
	for j, f := range freqs {
		s, c := make([]float64, n), make([]float64, n)
		for i := range seg {
			ph := 2 * math.Pi * f * float64(from+i) / float64(rate)
			s[i], c[i] = math.Sin(ph), math.Cos(ph)
		}
		basis[2*j], basis[2*j+1] = s, c
	}
	// Normal equations, solved by Gaussian elimination.
	a := make([][]float64, k)
	for i := range a {
		a[i] = make([]float64, k+1)
		for j := range k {
			for m := 0; m < n; m++ {
				a[i][j] += basis[i][m] * basis[j][m]
			}
		}
		for m := 0; m < n; m++ {
			a[i][k] += basis[i][m] * float64(seg[m])
		}
	}
	for i := range k {
		for r := i + 1; r < k; r++ {
			f := a[r][i] / a[i][i]
			for j := i; j <= k; j++ {
				a[r][j] -= f * a[i][j]
			}
		}
	}
	coef := make([]float64, k)
	for i := k - 1; i >= 0; i-- {
		v := a[i][k]
		for j := i + 1; j < k; j++ {
			v -= a[i][j] * coef[j]
		}
		coef[i] = v / a[i][i]
	}
	var sig, res float64
	for m := 0; m < n; m++ {
		fit := 0.0
		for j := range k {
			fit += coef[j] * basis[j][m]
		}
		sig += float64(seg[m]) * float64(seg[m])
		d := float64(seg[m]) - fit
		res += d * d
	}
	return 10 * math.Log10(res/sig)
}

// A steady tone pushed into the limiter comes out as the same tone, only
// quieter: the gain settles and holds instead of following each cycle
// (which would distort) or wobbling (which would pump).
func TestLimiterDoesNotDistortSteadyTones(t *testing.T) {
	const rate = 48000
	cases := []struct {
		name  string
		freqs []float64
		amps  []float64
		limit float64 // residual must be below this, dB
	}{
		{"1 kHz sine 6 dB over", []float64{1000}, []float64{1.78}, -120},
		{"bass 60 Hz + 1 kHz, 8 dB over", []float64{60, 1000}, []float64{1.6, 0.6}, -60},
		{"low E 41 Hz, 10 dB over", []float64{41.2}, []float64{2.8}, -100},
	}
	for _, tc := range cases {
		n := 3 * rate
		in := [][]float32{make([]float32, n), make([]float32, n)}
		for i := 0; i < n; i++ {
			v := 0.0
			for j, f := range tc.freqs {
				v += tc.amps[j] * math.Sin(2*math.Pi*f*float64(i)/rate)
			}
			in[0][i], in[1][i] = float32(v), float32(v)
		}
		l := NewLimiter(LimiterConfig{Rate: rate, Channels: 2, Ceiling: -1})
		out := limitAll(l, in, 512)
		res := residualDB(out[0], rate, tc.freqs, rate) // after the first second
		t.Logf("%s: residual after the gain settled %.1f dB, true peak %.2f dBTP", tc.name, res, truePeakDB(rate, out))
		if res > tc.limit {
			t.Errorf("%s: distortion/modulation residual %.1f dB, want below %.0f dB", tc.name, res, tc.limit)
		}
	}
}

func TestLimiterProcessDoesNotAllocate(t *testing.T) {
	l := NewLimiter(LimiterConfig{Rate: 48000, Channels: 2, Ceiling: -1})
	rng := rand.New(rand.NewPCG(1, 2))
	buf := loudMaterial(rng, 48000, 2, 0.05)
	allocs := testing.AllocsPerRun(50, func() { l.Process(buf) })
	if allocs != 0 {
		t.Errorf("Process allocates %v times per call", allocs)
	}
}

func BenchmarkLimiter48kStereo(b *testing.B) {
	l := NewLimiter(LimiterConfig{Rate: 48000, Channels: 2, Ceiling: -1})
	rng := rand.New(rand.NewPCG(1, 2))
	buf := loudMaterial(rng, 48000, 2, 8192.0/48000)
	b.SetBytes(int64(len(buf[0]) * 2 * 4))
	b.ReportAllocs()
	for b.Loop() {
		l.Process(buf)
	}
	b.ReportMetric(float64(b.N)*8192/48000/b.Elapsed().Seconds(), "x_realtime")
}
