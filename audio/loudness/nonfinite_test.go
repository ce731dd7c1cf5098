package loudness_test

import (
	"math"
	"math/rand"
	"testing"

	"sangstudio/audio/loudness"
)

// nonFinite returns a few seconds of stereo noise-like music with NaN and
// infinite samples sprinkled in, interleaved, and the same with them
// replaced as Sangstudio plays them (NaN as 0, ±Inf as ±1).
func nonFinite(rate, frames int) (bad, clean []float32) {
	rng := rand.New(rand.NewSource(3))
	bad = make([]float32, 2*frames)
	for i := range bad {
		bad[i] = float32(0.3*math.Sin(float64(i/2)*0.07) + 0.05*rng.NormFloat64())
	}
	clean = append([]float32(nil), bad...)
	for k := 0; k < 60; k++ {
		i := rng.Intn(len(bad))
		switch k % 3 {
		case 0:
			bad[i], clean[i] = float32(math.NaN()), 0
		case 1:
			bad[i], clean[i] = float32(math.Inf(1)), 1
		case 2:
			bad[i], clean[i] = float32(math.Inf(-1)), -1
		}
	}
	return bad, clean
}

func finiteOrSilent(t *testing.T, what string, r loudness.Result) {
	t.Helper()
	for name, v := range map[string]float64{"integrated": r.Integrated, "range": r.Range, "sample peak": r.SamplePeak,
		"true peak": r.TruePeak, "max momentary": r.MaxMomentary, "max short-term": r.MaxShortTerm} {
		if math.IsNaN(v) || math.IsInf(v, 1) {
			t.Errorf("%s: %s is %v", what, name, v)
		}
	}
}

// TestMeterNonFinite: NaN and infinite samples written to a Meter (both
// interleaved and planar) give the very Result of the audio with them
// replaced as Sangstudio plays them: every figure finite, the peaks at
// full scale, not NaN and not +Inf dB. All-NaN audio measures as silence.
func TestMeterNonFinite(t *testing.T) {
	const rate, frames = 48000, 48000 * 4
	bad, clean := nonFinite(rate, frames)
	measure := func(x []float32, planar bool) loudness.Result {
		m, err := loudness.NewMeter(rate, 2)
		if err != nil {
			t.Fatal(err)
		}
		if planar {
			l, r := make([]float32, frames), make([]float32, frames)
			for i := range l {
				l[i], r[i] = x[2*i], x[2*i+1]
			}
			m.WritePlanar([][]float32{l, r})
		} else {
			for off := 0; off < len(x); off += 2 * 1000 {
				m.Write(x[off:min(off+2*1000, len(x))])
			}
		}
		return m.Result()
	}
	want := measure(clean, false)
	finiteOrSilent(t, "clean", want)
	for _, planar := range []bool{false, true} {
		got := measure(bad, planar)
		finiteOrSilent(t, "with NaN and Inf", got)
		if got != want {
			t.Errorf("planar %v: %+v\nwant %+v (the replaced audio's)", planar, got, want)
		}
	}
	if want.SamplePeak != 0 || want.TruePeak < 0 {
		t.Errorf("sample peak %v dBFS, true peak %v dBTP: the infinities count as full scale", want.SamplePeak, want.TruePeak)
	}

	nan := make([]float32, 2*rate)
	for i := range nan {
		nan[i] = float32(math.NaN())
	}
	r := measure(nan, false)
	if !math.IsInf(r.Integrated, -1) || !math.IsInf(r.SamplePeak, -1) || !math.IsInf(r.TruePeak, -1) || r.Range != 0 {
		t.Errorf("all NaN: %+v, want silence", r)
	}
}

// TestTruePeakNonFinite: the sample-by-sample detector (the limiter's)
// never returns NaN or infinity, and returns for each frame what it
// returns for the replaced audio.
func TestTruePeakNonFinite(t *testing.T) {
	for _, rate := range []int{44100, 96000, 192000} {
		bad, clean := nonFinite(rate, 20000)
		a, b := loudness.NewTruePeak(rate, 2), loudness.NewTruePeak(rate, 2)
		for i := 0; i < len(bad); i += 2 {
			x, y := a.Next(bad[i:i+2]), b.Next(clean[i:i+2])
			if x != y || x-x != 0 {
				t.Fatalf("%d Hz, frame %d: %v, want %v", rate, i/2, x, y)
			}
		}
		if m := a.Max(); m-m != 0 || m < 1 {
			t.Fatalf("%d Hz: max %v, want finite and at least full scale", rate, m)
		}
	}
}
