package mix_test

import (
	"math"
	"math/rand"
	"testing"

	"sangstudio/audio/mix"
	"sangstudio/projects"
)

func TestPanGainsConstantPower(t *testing.T) {
	tests := []struct {
		p, l, r float64
	}{
		{-1, 1, 0},
		{0, math.Sqrt2 / 2, math.Sqrt2 / 2},
		{1, 0, 1},
		{-0.5, math.Cos(math.Pi / 8), math.Sin(math.Pi / 8)},
	}
	for _, tc := range tests {
		l, r := mix.PanGains(tc.p)
		if math.Abs(l-tc.l) > 1e-12 || math.Abs(r-tc.r) > 1e-12 {
			t.Errorf("PanGains(%v) = %v, %v; want %v, %v", tc.p, l, r, tc.l, tc.r)
		}
	}
	for p := -1.0; p <= 1; p += 0.01 {
		l, r := mix.PanGains(p)
		if math.Abs(l*l+r*r-1) > 1e-12 {
			t.Fatalf("power at pan %v is %v, want 1", p, l*l+r*r)
		}
	}
}

func song(tracks ...*projects.Track) *projects.Song {
	s := projects.New("t", 48000)
	s.Tracks = tracks
	return s
}

func TestStripGainPanMuteSolo(t *testing.T) {
	a := projects.NewTrack("a", 1)
	a.GainDB, a.Pan = -6, -1
	b := projects.NewTrack("b", 2)
	s := song(a, b)
	s.Master.GainDB = -6
	st := mix.NewStrip(s, 0)
	want := float32(math.Pow(10, -12.0/20))
	if math.Abs(float64(st.L-want)) > 1e-7 || st.R > 1e-7 || !st.Audible {
		t.Fatalf("strip a = %+v, want L=%v R=0", st, want)
	}
	b.Solo = true
	if mix.NewStrip(s, 0).Audible || !mix.NewStrip(s, 1).Audible {
		t.Fatal("solo on b should silence a only")
	}
	b.Mute = true
	if mix.NewStrip(s, 1).Audible {
		t.Fatal("muted b sounds")
	}
	a.Solo, b.Solo, b.Mute = false, false, false
	a.GainDB = projects.MinGainDB
	if mix.NewStrip(s, 0).Audible {
		t.Fatal("a track at minimum gain should be inaudible")
	}
}

func TestStereoBalance(t *testing.T) {
	tr := projects.NewTrack("st", 2)
	tr.Pan = 0.5
	st := mix.NewStrip(song(tr), 0)
	in := [][]float32{{1, 0.5}, {-1, 0.25}}
	l, r := make([]float32, 2), make([]float32, 2)
	st.Pan(in, l, r)
	gl, gr := mix.PanGains(0.5)
	if l[0] != float32(gl) || r[0] != -float32(gr) || l[1] != float32(0.5*float32(gl)) {
		t.Fatalf("stereo balance: L=%v R=%v", l, r)
	}
}

// TestPanAddEqualsPanThenAdd: the fused path (mix without stems) and the stem
// path give bit-identical buses.
func TestPanAddEqualsPanThenAdd(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	const n = 1000
	var tracks []*projects.Track
	for i := 0; i < 7; i++ {
		tr := projects.NewTrack("t", 1+i%2)
		tr.GainDB = -float64(rng.Intn(20))
		tr.Pan = rng.Float64()*2 - 1
		tracks = append(tracks, tr)
	}
	s := song(tracks...)
	s.Master.GainDB = -1.5
	strips := mix.Strips(s)
	in := make([][][]float32, len(tracks))
	for i := range in {
		in[i] = [][]float32{make([]float32, n), make([]float32, n)}
		for c := range in[i] {
			for k := range in[i][c] {
				in[i][c][k] = float32(rng.NormFloat64() * 0.3)
			}
		}
	}
	aL, aR := make([]float32, n), make([]float32, n)
	bL, bR := make([]float32, n), make([]float32, n)
	stL, stR := make([]float32, n), make([]float32, n)
	for i := range strips {
		strips[i].PanAdd(in[i], aL, aR)
		strips[i].Pan(in[i], stL, stR)
		mix.Add(bL, stL)
		mix.Add(bR, stR)
	}
	for k := 0; k < n; k++ {
		if aL[k] != bL[k] || aR[k] != bR[k] {
			t.Fatalf("frame %d: fused %v,%v != stems %v,%v", k, aL[k], aR[k], bL[k], bR[k])
		}
	}
}

func TestMixAllocatesNothing(t *testing.T) {
	tr := projects.NewTrack("a", 1)
	st := mix.NewStrip(song(tr), 0)
	in := [][]float32{make([]float32, 256)}
	l, r := make([]float32, 256), make([]float32, 256)
	if a := testing.AllocsPerRun(100, func() {
		st.Pan(in, l, r)
		st.PanAdd(in, l, r)
		mix.Add(l, r)
		mix.ApplyGain(l, 0.5)
	}); a != 0 {
		t.Fatalf("%v allocations per block, want 0", a)
	}
}

func BenchmarkPanAddMono256(b *testing.B) {
	tr := projects.NewTrack("a", 1)
	tr.Pan = 0.3
	st := mix.NewStrip(song(tr), 0)
	in := [][]float32{make([]float32, 256)}
	l, r := make([]float32, 256), make([]float32, 256)
	b.ReportAllocs()
	b.SetBytes(256 * 4)
	for i := 0; i < b.N; i++ {
		st.PanAdd(in, l, r)
	}
}

// TestSumEqualsPanAdd: the grouped sum is bit-identical to track-by-track
// PanAdd, for any mix of mono, stereo and silent tracks.
func TestSumEqualsPanAdd(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	const n = 513
	for trial := 0; trial < 50; trial++ {
		var tracks []*projects.Track
		for i := 0; i < 1+rng.Intn(12); i++ {
			tr := projects.NewTrack("t", 1+rng.Intn(4)/3) // mostly mono
			tr.GainDB = -float64(rng.Intn(30))
			tr.Pan = rng.Float64()*2 - 1
			tr.Mute = rng.Intn(6) == 0
			tracks = append(tracks, tr)
		}
		s := song(tracks...)
		strips := mix.Strips(s)
		ins := make([][][]float32, len(tracks))
		for i, tr := range tracks {
			for c := 0; c < tr.Channels; c++ {
				x := make([]float32, n)
				for k := range x {
					x[k] = float32(rng.NormFloat64())
				}
				ins[i] = append(ins[i], x)
			}
		}
		aL, aR := make([]float32, n), make([]float32, n)
		bL, bR := make([]float32, n), make([]float32, n)
		for i := range aL {
			aL[i], aR[i] = float32(i), -float32(i)
			bL[i], bR[i] = aL[i], aR[i]
		}
		mix.Sum(strips, ins, aL, aR)
		for i := range strips {
			strips[i].PanAdd(ins[i], bL, bR)
		}
		for k := range aL {
			if aL[k] != bL[k] || aR[k] != bR[k] {
				t.Fatalf("trial %d frame %d: Sum %v %v, PanAdd %v %v", trial, k, aL[k], aR[k], bL[k], bR[k])
			}
		}
	}
}

func TestSumAllocatesNothing(t *testing.T) {
	var tracks []*projects.Track
	for i := 0; i < 9; i++ {
		tracks = append(tracks, projects.NewTrack("t", 1+i%3/2))
	}
	strips := mix.Strips(song(tracks...))
	ins := make([][][]float32, len(tracks))
	for i, tr := range tracks {
		for c := 0; c < tr.Channels; c++ {
			ins[i] = append(ins[i], make([]float32, 256))
		}
	}
	l, r := make([]float32, 256), make([]float32, 256)
	if a := testing.AllocsPerRun(100, func() { mix.Sum(strips, ins, l, r) }); a != 0 {
		t.Fatalf("Sum allocates %v times, want 0", a)
	}
}

func BenchmarkSum16Mono256(b *testing.B) {
	var tracks []*projects.Track
	for i := 0; i < 16; i++ {
		tracks = append(tracks, projects.NewTrack("t", 1))
	}
	strips := mix.Strips(song(tracks...))
	ins := make([][][]float32, 16)
	for i := range ins {
		ins[i] = [][]float32{make([]float32, 256)}
	}
	l, r := make([]float32, 256), make([]float32, 256)
	b.ReportAllocs()
	b.SetBytes(16 * 256 * 4)
	for i := 0; i < b.N; i++ {
		mix.Sum(strips, ins, l, r)
	}
}
