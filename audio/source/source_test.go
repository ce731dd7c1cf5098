package source_test

import (
	"errors"
	"path/filepath"
	"testing"

	"sangstudio/audio/source"
	"sangstudio/audio/wav"
	"sangstudio/projects"
)

func take(t testing.TB, dir string, s *projects.Song, chans ...[]float32) string {
	t.Helper()
	f, name, err := projects.NewTakeFile(dir, s, "t", ".wav")
	if err != nil {
		t.Fatal(err)
	}
	w, err := wav.NewWriter(f, wav.Format{Rate: s.Rate, Channels: len(chans), Encoding: wav.Float32}, wav.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(chans); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return name
}

func TestChannelConversionAndOverlap(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "s")
	s := projects.New("x", 48000)
	if err := projects.Create(dir, s); err != nil {
		t.Fatal(err)
	}
	mono := take(t, dir, s, []float32{1, 2, 3, 4, 5, 6})
	stereo := take(t, dir, s, []float32{1, 1, 1, 1}, []float32{3, 3, 3, 3})

	// A stereo track: the mono take feeds both sides; the later stereo clip covers frames 3..4.
	st := projects.NewTrack("st", 2)
	st.Clips = []projects.Clip{{Take: mono, Position: 1, Offset: 1, Length: 5}, {Take: stereo, Position: 3, Length: 2}}
	tr, err := source.Open(dir, st, 48000)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	dst := [][]float32{make([]float32, 8), make([]float32, 8)}
	if err := tr.ReadAt(0, dst); err != nil {
		t.Fatal(err)
	}
	wantL := []float32{0, 2, 3, 1, 1, 6, 0, 0}
	wantR := []float32{0, 2, 3, 3, 3, 6, 0, 0}
	for i := range wantL {
		if dst[0][i] != wantL[i] || dst[1][i] != wantR[i] {
			t.Fatalf("stereo track: got %v %v, want %v %v", dst[0], dst[1], wantL, wantR)
		}
	}
	// A mono track: the stereo take is averaged; reading from the middle works.
	mt := projects.NewTrack("mt", 1)
	mt.Clips = []projects.Clip{{Take: stereo, Position: 10, Length: 4}}
	tm, err := source.Open(dir, mt, 48000)
	if err != nil {
		t.Fatal(err)
	}
	defer tm.Close()
	d := [][]float32{make([]float32, 3)}
	if err := tm.ReadAt(12, d); err != nil {
		t.Fatal(err)
	}
	if d[0][0] != 2 || d[0][1] != 2 || d[0][2] != 0 {
		t.Fatalf("mono track from a stereo take: %v, want [2 2 0]", d[0])
	}
}

func TestOpenChecksTakes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "s")
	s := projects.New("x", 48000)
	projects.Create(dir, s)
	short := take(t, dir, s, make([]float32, 100))
	tr := projects.NewTrack("a", 1)
	tr.Clips = []projects.Clip{{Take: short, Offset: 50, Length: 100}}
	_, err := source.Open(dir, tr, 48000)
	var te *source.TakeError
	if !errors.As(err, &te) || te.Path != projects.AudioPath(dir, short) {
		t.Fatalf("got %v, want a TakeError naming the take", err)
	}
	tr.Clips = []projects.Clip{{Take: short, Length: 100}}
	if _, err := source.Open(dir, tr, 44100); err == nil {
		t.Fatal("a 48 kHz take opened in a 44.1 kHz song")
	}
}

func TestReadAtAllocatesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "s")
	s := projects.New("x", 48000)
	projects.Create(dir, s)
	name := take(t, dir, s, make([]float32, 48000))
	tr := projects.NewTrack("a", 2)
	tr.Clips = []projects.Clip{{Take: name, Length: 48000, FadeIn: 1000, GainDB: -3}}
	src, err := source.Open(dir, tr, 48000)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst := [][]float32{make([]float32, 256), make([]float32, 256)}
	src.ReadAt(0, dst) // opens the file and sizes the scratch
	pos := int64(0)
	if a := testing.AllocsPerRun(100, func() {
		pos = (pos + 256) % 40000
		if err := src.ReadAt(pos, dst); err != nil {
			t.Fatal(err)
		}
	}); a != 0 {
		t.Fatalf("ReadAt allocates %v times per block, want 0 (it feeds the engine's disk goroutine)", a)
	}
}
