package importer_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"sangstudio/audio/importer"
	"sangstudio/audio/wav"
	"sangstudio/internal/testtool"
	"sangstudio/projects"
)

type srcFile struct {
	name string
	tool string   // sox or ffmpeg
	args []string // arguments after the input/before the output
	rate int
	ch   int
}

// makeFile writes a test signal in the given format with sox or ffmpeg.
func makeFile(t *testing.T, dir string, f srcFile) string {
	t.Helper()
	out := filepath.Join(dir, f.name)
	switch f.tool {
	case "sox":
		args := []string{"-q", "-n", "-r", itoa(f.rate), "-c", itoa(f.ch)}
		args = append(args, f.args...)
		args = append(args, out, "synth", "0.5", "sine", "440", "sine", "660", "gain", "-3")
		testtool.Run(t, "sox", args...)
	case "ffmpeg":
		args := []string{"-v", "error", "-y", "-f", "lavfi", "-i",
			"sine=frequency=330:sample_rate=" + itoa(f.rate) + ":duration=0.5", "-ac", itoa(f.ch)}
		args = append(args, f.args...)
		args = append(args, out)
		testtool.Run(t, "ffmpeg", args...)
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

// soxDecode returns the file's samples as sox decodes them (float32,
// interleaved), optionally resampled with sox's very-high-quality resampler.
func soxDecode(t *testing.T, path string, rate int) []float32 {
	t.Helper()
	raw := filepath.Join(t.TempDir(), "out.raw")
	args := []string{path, "-t", "f32", raw}
	if rate != 0 {
		args = []string{path, "-r", itoa(rate), "-t", "f32", raw, "rate", "-v"}
	}
	testtool.Run(t, "sox", args...)
	data, err := os.ReadFile(raw)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]float32, len(data)/4)
	binary.Read(bytes.NewReader(data), binary.LittleEndian, out)
	return out
}

// readTake returns a take's samples interleaved.
func readTake(t *testing.T, path string) (wav.Format, []float32) {
	t.Helper()
	r, err := wav.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	f := r.Format()
	buf := make([][]float32, f.Channels)
	for c := range buf {
		buf[c] = make([]float32, 4096)
	}
	var out []float32
	for {
		n, err := r.Read(buf)
		for i := 0; i < n; i++ {
			for c := range buf {
				out = append(out, buf[c][i])
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return f, out
}

// TestImportMatrix imports WAV files as sox and ffmpeg write them and checks
// the copied take against sox's own decoding, sample for sample (or, when
// the rate is converted, against sox's very-high-quality resampler).
func TestImportMatrix(t *testing.T) {
	testtool.Require(t, "sox")
	testtool.Require(t, "ffmpeg")
	files := []srcFile{
		{"s16-mono-48k.wav", "sox", []string{"-b", "16"}, 48000, 1},
		{"s16-stereo-44k.wav", "sox", []string{"-b", "16"}, 44100, 2},
		{"s24-ext-stereo-48k.wav", "sox", []string{"-b", "24"}, 48000, 2}, // sox writes EXTENSIBLE for 24-bit
		{"s24-pcm-mono-96k.wav", "sox", []string{"-b", "24", "-t", "wavpcm"}, 96000, 1},
		{"s32-mono-88k.wav", "sox", []string{"-b", "32", "-e", "signed-integer"}, 88200, 1},
		{"f32-stereo-48k.wav", "sox", []string{"-b", "32", "-e", "floating-point"}, 48000, 2},
		{"f64-mono-48k.wav", "sox", []string{"-b", "64", "-e", "floating-point"}, 48000, 1},
		{"ff-s16-list-48k.wav", "ffmpeg", []string{"-c:a", "pcm_s16le", "-metadata", "title=Vers", "-metadata", "artist=Band"}, 48000, 2},
		{"ff-s24-bext-44k.wav", "ffmpeg", []string{"-c:a", "pcm_s24le", "-write_bext", "1", "-metadata", "comment=take"}, 44100, 1},
		{"ff-s32-48k.wav", "ffmpeg", []string{"-c:a", "pcm_s32le"}, 48000, 2},
		{"ff-f32-96k.wav", "ffmpeg", []string{"-c:a", "pcm_f32le"}, 96000, 2},
		{"ff-f64-88k.wav", "ffmpeg", []string{"-c:a", "pcm_f64le"}, 88200, 1},
		{"ff-u8-48k.wav", "ffmpeg", []string{"-c:a", "pcm_u8"}, 48000, 1},
	}
	src := t.TempDir()
	dir := filepath.Join(t.TempDir(), "song")
	var paths []string
	for _, f := range files {
		paths = append(paths, makeFile(t, src, f))
	}
	var origs [][]float32
	for _, p := range paths {
		origs = append(origs, soxDecode(t, p, 0))
	}
	res, err := importer.Import(context.Background(), dir, paths, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Created || len(res.Tracks) != len(files) {
		t.Fatalf("result %+v", res)
	}
	s, _, err := projects.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range files {
		t.Run(f.name, func(t *testing.T) {
			tr := s.Tracks[i]
			if want := strings.TrimSuffix(f.name, ".wav"); tr.Name != want {
				t.Errorf("track name %q, want %q", tr.Name, want)
			}
			if tr.Channels != f.ch || len(tr.Clips) != 1 {
				t.Fatalf("track %+v", tr)
			}
			take := projects.AudioPath(dir, tr.Clips[0].Take)
			format, got := readTake(t, take)
			if format.Rate != 48000 || format.Channels != f.ch {
				t.Fatalf("take format %+v", format)
			}
			if tr.Clips[0].Length*int64(f.ch) != int64(len(got)) {
				t.Errorf("clip length %d, take has %d frames", tr.Clips[0].Length, len(got)/f.ch)
			}
			if f.rate == 48000 {
				// Integer files up to 24 bits are copied exactly; wider
				// formats become 32-bit float (within 2^-24 relative).
				orig := origs[i]
				if len(got) != len(orig) {
					t.Fatalf("length %d, original %d", len(got), len(orig))
				}
				exact := format.Encoding == wav.PCM16 || format.Encoding == wav.PCM24
				for k := range got {
					if d := math.Abs(float64(got[k] - orig[k])); (exact && d != 0) || d > 1e-6 {
						t.Fatalf("sample %d: take %v, original %v (take is %v)", k, got[k], orig[k], format.Encoding)
					}
				}
				return
			}
			want := soxDecode(t, paths[i], 48000)
			if len(got) != len(want) {
				t.Fatalf("resampled length %d, sox makes %d", len(got)/f.ch, len(want)/f.ch)
			}
			var diff, sig float64
			for k := range got {
				d := float64(got[k] - want[k])
				diff += d * d
				sig += float64(want[k]) * float64(want[k])
			}
			if db := 10 * math.Log10(diff/sig+1e-30); db > -80 {
				t.Errorf("resampled take differs from sox's by %.1f dB", db)
			}
		})
	}
	// The song never depends on the original files.
	for _, p := range paths {
		os.Remove(p)
	}
	if _, _, err := projects.Load(dir); err != nil {
		t.Fatalf("song does not open without the original files: %v", err)
	}
}

// snapshot records every file of a folder and its contents.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return nil
		}
		if fi.Mode().IsRegular() {
			b, _ := os.ReadFile(p)
			out[p] = string(b)
		} else {
			out[p] = "dir"
		}
		return nil
	})
	return out
}

func writeBytes(t *testing.T, dir, name string, data []byte) string {
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// header builds a 44-byte PCM WAV header.
func header(rate, ch, bits int, dataSize uint32) []byte {
	var b bytes.Buffer
	le := func(v any) { binary.Write(&b, binary.LittleEndian, v) }
	b.WriteString("RIFF")
	le(uint32(36 + dataSize))
	b.WriteString("WAVEfmt ")
	le(uint32(16))
	le(uint16(1))
	le(uint16(ch))
	le(uint32(rate))
	le(uint32(rate * ch * bits / 8))
	le(uint16(ch * bits / 8))
	le(uint16(bits))
	b.WriteString("data")
	le(dataSize)
	return b.Bytes()
}

func TestImportBadFilesLeaveSongUnchanged(t *testing.T) {
	src := t.TempDir()
	good := writeBytes(t, src, "good.wav", append(header(48000, 1, 16, 200), make([]byte, 200)...))
	bad := map[string]struct {
		data []byte
		want string
	}{
		"garbage.wav":   {[]byte("this is not audio at all, just some text"), "not a WAV"},
		"empty.wav":     {nil, ""},
		"truncated.wav": {append(header(48000, 1, 16, 100000), make([]byte, 100)...), "truncated"},
		"zero-data.wav": {header(48000, 1, 16, 0), "no audio"},
		"claims-4gb.wav": {append(header(48000, 2, 16, 0xFFFFFFF0), make([]byte, 64)...),
			"truncated"},
		"six-channels.wav":    {append(header(48000, 6, 16, 120), make([]byte, 120)...), "6 channels"},
		"mp3-in-disguise.wav": {append([]byte("ID3\x03\x00\x00\x00\x00\x00\x00"), make([]byte, 100)...), "not a WAV"},
	}
	names := make([]string, 0, len(bad))
	for n := range bad {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		tc := bad[name]
		t.Run(name, func(t *testing.T) {
			p := writeBytes(t, src, name, tc.data)
			err := importLeavesSongUnchanged(t, good, p)
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
			// A song that did not exist is not created.
			fresh := filepath.Join(t.TempDir(), "new-song")
			if _, err := importer.Import(context.Background(), fresh, []string{good, p}, importer.Options{}); err == nil {
				t.Fatal("import of a bad file succeeded")
			}
			if _, err := os.Stat(fresh); err == nil {
				t.Fatal("a failed import left a new song folder behind")
			}
		})
	}
}

// importLeavesSongUnchanged imports good into a new song, then good and
// bad together: the import must fail with an error naming bad, and the
// song folder must stay byte for byte as it was. It returns the error.
func importLeavesSongUnchanged(t *testing.T, good, bad string) error {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "song")
	if _, err := importer.Import(context.Background(), dir, []string{good}, importer.Options{}); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)
	_, err := importer.Import(context.Background(), dir, []string{good, bad}, importer.Options{})
	var fe *importer.FileError
	if !errors.As(err, &fe) || fe.Path != bad || !strings.Contains(err.Error(), bad) {
		t.Fatalf("got %v, want an error naming %s", err, bad)
	}
	after := snapshot(t, dir)
	delete(before, filepath.Join(dir, ".lock"))
	delete(after, filepath.Join(dir, ".lock"))
	if len(before) != len(after) {
		t.Fatalf("files changed:\nbefore %v\nafter  %v", keys(before), keys(after))
	}
	for k, v := range before {
		if after[k] != v {
			t.Fatalf("%s changed", k)
		}
	}
	return err
}

func keys(m map[string]string) []string {
	var k []string
	for x := range m {
		k = append(k, x)
	}
	sort.Strings(k)
	return k
}

func TestImportMissingFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "song")
	_, err := importer.Import(context.Background(), dir, []string{"/no/such/file.wav"}, importer.Options{})
	if err == nil || !strings.Contains(err.Error(), "/no/such/file.wav") || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("got %v", err)
	}
}

func TestImportNamesAndCounters(t *testing.T) {
	src := t.TempDir()
	a := writeBytes(t, src, "Bass.wav", append(header(48000, 1, 16, 200), make([]byte, 200)...))
	sub := filepath.Join(src, "sub")
	os.Mkdir(sub, 0o700)
	b := writeBytes(t, sub, "Bass.wav", append(header(48000, 2, 16, 400), make([]byte, 400)...))
	dir := filepath.Join(t.TempDir(), "song")
	res, err := importer.Import(context.Background(), dir, []string{a, b}, importer.Options{Title: "Låt 1", Rate: 44100})
	if err != nil {
		t.Fatal(err)
	}
	if res.Tracks[0] != "Bass" || res.Tracks[1] != "Bass 2" {
		t.Fatalf("track names %v", res.Tracks)
	}
	if res.Takes[0] == res.Takes[1] {
		t.Fatal("two imports share a take file")
	}
	s, _, err := projects.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if s.Title != "Låt 1" || s.Rate != 44100 || len(res.Resampled) != 2 {
		t.Fatalf("song %q at %d Hz, resampled %v", s.Title, s.Rate, res.Resampled)
	}
	// Importing again adds tracks after the existing ones.
	if _, err := importer.Import(context.Background(), dir, []string{a}, importer.Options{}); err != nil {
		t.Fatal(err)
	}
	s, _, _ = projects.Load(dir)
	if len(s.Tracks) != 3 || s.Tracks[2].Name != "Bass 3" {
		t.Fatalf("tracks after a second import: %d, last %q", len(s.Tracks), s.Tracks[len(s.Tracks)-1].Name)
	}
}

// TestImportDiskFull: importing onto a full disk says so and leaves the song as it was.
func TestImportDiskFull(t *testing.T) {
	small := testtool.SmallDisk(t, "300k")
	src := t.TempDir()
	little := writeBytes(t, src, "little.wav", append(header(48000, 1, 16, 2000), make([]byte, 2000)...))
	big := writeBytes(t, src, "big.wav", append(header(48000, 2, 16, 1<<20), make([]byte, 1<<20)...))
	dir := filepath.Join(small, "song")
	if _, err := importer.Import(context.Background(), dir, []string{little}, importer.Options{}); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)
	_, err := importer.Import(context.Background(), dir, []string{big}, importer.Options{})
	if err == nil || !strings.Contains(err.Error(), "disk is full") || !strings.Contains(err.Error(), big) {
		t.Fatalf("got %v, want a disk-full message naming %s", err, big)
	}
	after := snapshot(t, dir)
	for k, v := range before {
		if k != filepath.Join(dir, ".lock") && after[k] != v {
			t.Errorf("%s changed", k)
		}
	}
	if len(after) != len(before) {
		t.Errorf("files changed:\nbefore %v\nafter  %v", keys(before), keys(after))
	}
}
