package source_test

import (
	"math"
	"path/filepath"
	"testing"

	"sangstudio/audio/source"
	"sangstudio/projects"
)

// TestReadAtNonFinite: a float take holding NaN and infinities (an old
// song's, or a file put in audio/ by hand) reads as finite samples on mono
// and stereo tracks, with clip gain and fades, from both a mono and a
// stereo take: NaN as 0, ±Inf as ±1 before the clip's gain, every other
// sample untouched. A huge finite sample raised past the float limit by
// the clip gain comes out as full scale, not as an infinity.
func TestReadAtNonFinite(t *testing.T) {
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	dir := filepath.Join(t.TempDir(), "s")
	s := projects.New("x", 48000)
	if err := projects.Create(dir, s); err != nil {
		t.Fatal(err)
	}
	bad := []float32{0.5, nan, inf, -inf, 0.25, nan, -0.5, inf, 0.125, math.MaxFloat32}
	clean := []float32{0.5, 0, 1, -1, 0.25, 0, -0.5, 1, 0.125, math.MaxFloat32}
	other := []float32{0.1, 0.2, inf, 0.4, nan, 0.6, 0.7, -inf, 0.9, 1}
	otherClean := []float32{0.1, 0.2, 1, 0.4, 0, 0.6, 0.7, -1, 0.9, 1}
	mono := take(t, dir, s, bad)
	stereo := take(t, dir, s, bad, other)
	n := len(bad)

	tests := []struct {
		name     string
		channels int
		clip     projects.Clip
		want     func(c, i int) float32 // expected sample of channel c, frame i
	}{
		{"mono take, mono track", 1, projects.Clip{Take: mono, Length: int64(n)},
			func(c, i int) float32 { return clean[i] }},
		{"mono take, stereo track", 2, projects.Clip{Take: mono, Length: int64(n)},
			func(c, i int) float32 { return clean[i] }},
		{"stereo take, stereo track", 2, projects.Clip{Take: stereo, Length: int64(n)},
			func(c, i int) float32 { return [][]float32{clean, otherClean}[c][i] }},
		{"stereo take, mono track", 1, projects.Clip{Take: stereo, Length: int64(n)},
			func(c, i int) float32 { return float32(float32(clean[i]+otherClean[i]) * 0.5) }},
		{"clip gain and a fade in", 1, projects.Clip{Take: mono, Length: int64(n), GainDB: -6, FadeIn: 4},
			func(c, i int) float32 {
				g := float32(projects.DBToGain(-6))
				if i < 4 {
					g = float32(g * float32(float64(i)/4))
				}
				return float32(clean[i] * g)
			}},
		{"clip gain above 0 dB", 1, projects.Clip{Take: mono, Length: int64(n), GainDB: 12},
			nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := projects.NewTrack("a", tc.channels)
			tr.Clips = []projects.Clip{tc.clip}
			src, err := source.Open(dir, tr, 48000)
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			dst := make([][]float32, tc.channels)
			for c := range dst {
				dst[c] = make([]float32, n+3)
			}
			if err := src.ReadAt(-1, dst); err != nil {
				t.Fatal(err)
			}
			for c := range dst {
				for i, v := range dst[c] {
					if v-v != 0 {
						t.Fatalf("channel %d, frame %d: %v", c, i-1, v)
					}
				}
			}
			if tc.want != nil {
				for c := range dst {
					for i := 0; i < n; i++ {
						if got, want := dst[c][i+1], tc.want(c, i); got != want {
							t.Errorf("channel %d, frame %d: %v, want %v", c, i, got, want)
						}
					}
				}
			}
			if tc.clip.GainDB == 12 {
				if got := dst[0][n]; got != 1 {
					t.Errorf("the largest float raised by 12 dB: %v, want 1 (full scale)", got)
				}
			}
		})
	}
}

// TestReadAtNonFiniteAllocatesNothing: replacing samples allocates nothing.
func TestReadAtNonFiniteAllocatesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "s")
	s := projects.New("x", 48000)
	projects.Create(dir, s)
	a := make([]float32, 48000)
	for i := range a {
		if i%3 == 0 {
			a[i] = float32(math.NaN())
		}
	}
	name := take(t, dir, s, a)
	tr := projects.NewTrack("a", 2)
	tr.Clips = []projects.Clip{{Take: name, Length: 48000}}
	src, err := source.Open(dir, tr, 48000)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst := [][]float32{make([]float32, 256), make([]float32, 256)}
	src.ReadAt(0, dst)
	pos := int64(0)
	if n := testing.AllocsPerRun(100, func() {
		pos = (pos + 256) % 40000
		if err := src.ReadAt(pos, dst); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Fatalf("ReadAt allocates %v times per block, want 0", n)
	}
	for c := range dst {
		for i, v := range dst[c] {
			if v != 0 {
				t.Fatalf("channel %d, frame %d: %v, want 0 (NaN or silence)", c, i, v)
			}
		}
	}
}

// BenchmarkReadAt256 reads a stereo take 256 frames at a time, as the
// engine's disk goroutine and the render do (the non-finite check
// included).
func BenchmarkReadAt256(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "s")
	s := projects.New("x", 48000)
	projects.Create(dir, s)
	l, r := make([]float32, 48000), make([]float32, 48000)
	for i := range l {
		l[i] = float32(math.Sin(float64(i) * 0.01))
		r[i] = -l[i]
	}
	name := take(b, dir, s, l, r)
	tr := projects.NewTrack("a", 2)
	tr.Clips = []projects.Clip{{Take: name, Length: 48000}}
	src, err := source.Open(dir, tr, 48000)
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	dst := [][]float32{make([]float32, 256), make([]float32, 256)}
	b.ReportAllocs()
	b.SetBytes(256 * 2 * 4)
	pos := int64(0)
	for i := 0; i < b.N; i++ {
		if err := src.ReadAt(pos, dst); err != nil {
			b.Fatal(err)
		}
		pos = (pos + 256) % 47000
	}
}
