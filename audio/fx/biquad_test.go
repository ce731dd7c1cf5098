package fx

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"sangstudio/internal/testtool"
	"sangstudio/internal/wavtest"
)

// soxCoefs asks sox for the coefficients of one biquad effect at rate
// (sox --plot octave prints them with 16 significant digits).
func soxCoefs(t *testing.T, rate int, effect ...string) Coefs {
	t.Helper()
	sox := testtool.Require(t, "sox")
	args := append([]string{"--plot", "octave", "-r", strconv.Itoa(rate), "-n", "-n"}, effect...)
	// With --plot sox only prints the plot (and exits non-zero, running
	// nothing).
	out, err := exec.Command(sox, args...).CombinedOutput()
	m := regexp.MustCompile(`freqz\(\[(\S+) (\S+) (\S+)\],\[1 (\S+) (\S+)\]`).FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("sox %q printed no coefficients (%v):\n%s", args, err, out)
	}
	var v [5]float64
	for i := range v {
		if v[i], err = strconv.ParseFloat(m[i+1], 64); err != nil {
			t.Fatal(err)
		}
	}
	return Coefs{B0: v[0], B1: v[1], B2: v[2], A1: v[3], A2: v[4]}
}

func sameCoefs(a, b Coefs, tol float64) bool {
	x := [5]float64{a.B0, a.B1, a.B2, a.A1, a.A2}
	y := [5]float64{b.B0, b.B1, b.B2, b.A1, b.A2}
	for i := range x {
		if math.Abs(x[i]-y[i]) > tol*math.Max(math.Abs(y[i]), 1e-300) {
			return false
		}
	}
	return true
}

// TestCoefsAgainstSox: peaking bands, shelves and the high-pass over a
// grid of rates, frequencies, Q values and gains have sox's coefficients
// within 1e-12 relative (sox prints 16 digits).
func TestCoefsAgainstSox(t *testing.T) {
	n := 0
	check := func(rate int, ours Coefs, effect ...string) {
		t.Helper()
		n++
		if sox := soxCoefs(t, rate, effect...); !sameCoefs(ours, sox, 1e-12) {
			t.Errorf("%d Hz, sox %q: ours %+v, sox %+v", rate, effect, ours, sox)
		}
	}
	g := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	for _, rate := range []int{44100, 48000} {
		r := float64(rate)
		for _, f := range []float64{40, 120, 400, 1000, 3000, 9000, 16000} {
			for _, gain := range []float64{-18, -3, 2, 9, 18} {
				for _, q := range []float64{0.3, 0.71, 2.5} {
					check(rate, Peaking(r, f, q, gain), "equalizer", g(f), g(q)+"q", g(gain))
				}
				check(rate, LowShelf(r, f, ShelfSlope, gain), "bass", g(gain), g(f))
				check(rate, HighShelf(r, f, ShelfSlope, gain), "treble", g(gain), g(f))
			}
		}
		for _, f := range []float64{20, 80, 150, 400} {
			for _, q := range []float64{0.5, math.Sqrt(0.5), 1.2} {
				check(rate, HighPass(r, f, q), "highpass", g(f), g(q)+"q")
			}
		}
	}
	t.Logf("%d filters compared with sox", n)
}

// noise is seeded white noise of n frames at amplitude a.
func noise(n int, a float32, seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, 1))
	x := make([]float32, n)
	for i := range x {
		x[i] = a * float32(2*rng.Float64()-1)
	}
	return x
}

// TestEQNullsAgainstSox: noise through sox's highpass, bass, two
// equalizers and treble (32-bit float, no dither) and through our EQ set
// the same way is the same to below −100 dBFS.
func TestEQNullsAgainstSox(t *testing.T) {
	sox := testtool.Require(t, "sox")
	const rate = 48000
	in := noise(rate*2, 0.25, 7)
	dir := t.TempDir()
	inPath, outPath := filepath.Join(dir, "in.wav"), filepath.Join(dir, "out.wav")
	wavtest.Write(t, inPath, rate, [][]float32{in})
	p := EQParams{HighPass: 80, Low: Shelf{120, 3}, Mid1: Bell{400, -4, 1}, Mid2: Bell{3000, 2.5, 0.7}, High: Shelf{10000, 1.5}}
	args := []string{"-D", inPath, "-e", "floating-point", "-b", "32", outPath,
		"highpass", "80", fmt.Sprint(math.Sqrt(0.5)) + "q", "bass", "3", "120",
		"equalizer", "400", "1q", "-4", "equalizer", "3000", "0.7q", "2.5", "treble", "1.5", "10000"}
	if out, err := exec.Command(sox, args...).CombinedOutput(); err != nil {
		t.Fatalf("sox %q: %v\n%s", args, err, out)
	}
	_, want := wavtest.Read(t, outPath)
	got := append([]float32(nil), in...)
	NewEQ(rate, p).Process([][]float32{got})
	worst := 0.0
	for i := range got {
		worst = math.Max(worst, math.Abs(float64(got[i]-want[0][i])))
	}
	db := 20 * math.Log10(worst+1e-300)
	t.Logf("our EQ against sox's chain on %d frames of noise: largest difference %.1f dBFS", len(in), db)
	if db > -100 {
		t.Errorf("largest difference %.1f dBFS, want below -100", db)
	}
}

// TestZeroGainIsBitTransparent: bands at 0 dB and the high-pass off pass
// audio bit for bit, also next to a band that works.
func TestZeroGainIsBitTransparent(t *testing.T) {
	in := noise(10000, 0.9, 3)
	flat := []EQParams{
		{Low: Shelf{100, 0}, Mid1: Bell{1000, 0, 1}, Mid2: Bell{3000, 0, 2}, High: Shelf{8000, 0}},
		{},
	}
	for _, p := range flat {
		got := append([]float32(nil), in...)
		NewEQ(48000, p).Process([][]float32{got})
		for i := range got {
			if math.Float32bits(got[i]) != math.Float32bits(in[i]) {
				t.Fatalf("%+v: frame %d changed from %v to %v", p, i, in[i], got[i])
			}
		}
	}
	// One band working, the others at 0 dB: the same as that band alone.
	one := EQParams{Mid1: Bell{1000, 6, 1}}
	a, b := append([]float32(nil), in...), append([]float32(nil), in...)
	NewEQ(48000, one).Process([][]float32{a})
	var q biquad
	q.run(Peaking(48000, 1000, 1, 6), b)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("frame %d: %v with the other bands at 0 dB, %v with the band alone", i, a[i], b[i])
		}
	}
}
