package importer_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"math"
	"path/filepath"
	"testing"

	"sangstudio/audio/importer"
	"sangstudio/audio/wav"
	"sangstudio/internal/wavtest"
	"sangstudio/projects"
)

// badAudio is a stereo signal with NaN and infinities in it, and the same
// signal as it should be imported (NaN as 0, ±Inf as ±1). It has 5 NaN
// and 4 infinite samples.
func badAudio(n int) (bad, clean [][]float32) {
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	bad = [][]float32{make([]float32, n), make([]float32, n)}
	for c := range bad {
		for i := range bad[c] {
			bad[c][i] = 0.5 * float32(math.Sin(float64(i)*0.05*float64(c+1)))
		}
	}
	for _, at := range []int{10, 11, 500, n - 1} {
		bad[0][at] = nan
	}
	bad[1][3000] = nan
	bad[0][20], bad[1][20] = inf, -inf
	bad[1][n/2] = inf
	bad[0][n-2] = -inf
	clean = [][]float32{append([]float32(nil), bad[0]...), append([]float32(nil), bad[1]...)}
	for c := range clean {
		for i, v := range clean[c] {
			switch {
			case v != v:
				clean[c][i] = 0
			case v > 1:
				clean[c][i] = 1
			case v < -1:
				clean[c][i] = -1
			}
		}
	}
	return bad, clean
}

// TestImportReplacesNonFinite: a 32-bit float WAV with NaN and infinite
// samples imports with them replaced (NaN by 0, ±Inf by ±1), every other
// sample bit for bit as it was, and the result counts them per file and
// says so in plain words. At another sample rate the replacement comes
// before the conversion: the take is exactly what importing the clean file
// gives, with no NaN spread over its neighbours.
func TestImportReplacesNonFinite(t *testing.T) {
	src := t.TempDir()
	bad, clean := badAudio(24000)
	badPath := filepath.Join(src, "Bad.wav")
	cleanPath := filepath.Join(src, "Clean.wav")
	wavtest.Write(t, badPath, 48000, bad)
	wavtest.Write(t, cleanPath, 48000, clean)

	t.Run("same rate", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "song")
		res, err := importer.Import(context.Background(), dir, []string{cleanPath, badPath}, importer.Options{Rate: 48000})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Replaced) != 1 {
			t.Fatalf("Replaced = %+v, want the one bad file", res.Replaced)
		}
		r := res.Replaced[0]
		if r.Path != badPath || r.NaN != 5 || r.Inf != 4 {
			t.Fatalf("Replaced = %+v, want %s with 5 NaN and 4 infinite samples", r, badPath)
		}
		want := badPath + ": 5 samples were not numbers (NaN) and were imported as silence; 4 samples were infinite and were imported at full scale."
		if r.Note() != want {
			t.Fatalf("note %q\nwant %q", r.Note(), want)
		}
		f, got := wavtest.Read(t, projects.AudioPath(dir, res.Takes[1]))
		if f.Encoding != wav.Float32 {
			t.Fatalf("take encoding %v, want float (kept)", f.Encoding)
		}
		for c := range clean {
			for i := range clean[c] {
				if math.Float32bits(got[c][i]) != math.Float32bits(clean[c][i]) {
					t.Fatalf("channel %d, sample %d: %v, want %v", c, i, got[c][i], clean[c][i])
				}
			}
		}
	})

	t.Run("converted rate", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "song")
		res, err := importer.Import(context.Background(), dir, []string{cleanPath, badPath}, importer.Options{Rate: 44100})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Replaced) != 1 || res.Replaced[0].NaN != 5 || res.Replaced[0].Inf != 4 || len(res.Resampled) != 2 {
			t.Fatalf("Replaced %+v, Resampled %v", res.Replaced, res.Resampled)
		}
		_, fromClean := wavtest.Read(t, projects.AudioPath(dir, res.Takes[0]))
		_, fromBad := wavtest.Read(t, projects.AudioPath(dir, res.Takes[1]))
		if len(fromBad[0]) != len(fromClean[0]) || len(fromBad[0]) != 22050 {
			t.Fatalf("%d and %d frames, want 22050", len(fromBad[0]), len(fromClean[0]))
		}
		for c := range fromBad {
			for i := range fromBad[c] {
				if math.Float32bits(fromBad[c][i]) != math.Float32bits(fromClean[c][i]) {
					t.Fatalf("channel %d, frame %d: %v, want %v", c, i, fromBad[c][i], fromClean[c][i])
				}
			}
		}
	})

	t.Run("clean file says nothing", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "song")
		res, err := importer.Import(context.Background(), dir, []string{cleanPath}, importer.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Replaced) != 0 {
			t.Fatalf("Replaced = %+v for a clean file", res.Replaced)
		}
	})
}

// TestImportFloat64TooLarge: a 64-bit float WAV with values beyond the
// 32-bit float range (and a NaN) imports them as full scale (and silence).
func TestImportFloat64TooLarge(t *testing.T) {
	vals := []float64{0.25, 1e300, -1e300, math.NaN(), math.Inf(-1), -0.5}
	var data bytes.Buffer
	for _, v := range vals {
		binary.Write(&data, binary.LittleEndian, v)
	}
	var b bytes.Buffer
	b.WriteString("RIFF")
	binary.Write(&b, binary.LittleEndian, uint32(4+8+16+8+data.Len()))
	b.WriteString("WAVEfmt ")
	for _, v := range []any{uint32(16), uint16(3), uint16(1), uint32(48000), uint32(48000 * 8), uint16(8), uint16(64)} {
		binary.Write(&b, binary.LittleEndian, v) // format 3 (float), mono, 48 kHz, 64 bits
	}
	b.WriteString("data")
	binary.Write(&b, binary.LittleEndian, uint32(data.Len()))
	b.Write(data.Bytes())
	path := writeBytes(t, t.TempDir(), "Wide.wav", b.Bytes())

	dir := filepath.Join(t.TempDir(), "song")
	res, err := importer.Import(context.Background(), dir, []string{path}, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Replaced) != 1 || res.Replaced[0].NaN != 1 || res.Replaced[0].Inf != 3 {
		t.Fatalf("Replaced = %+v, want 1 NaN and 3 infinite", res.Replaced)
	}
	if want := path + ": 1 sample was not a number (NaN) and was imported as silence; 3 samples were infinite and were imported at full scale."; res.Replaced[0].Note() != want {
		t.Fatalf("note %q", res.Replaced[0].Note())
	}
	_, got := wavtest.Read(t, projects.AudioPath(dir, res.Takes[0]))
	want := []float32{0.25, 1, -1, 0, -1, -0.5}
	for i, v := range want {
		if got[0][i] != v {
			t.Fatalf("take %v, want %v", got[0], want)
		}
	}
}
