package wav_test

import (
	"errors"
	"flag"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"

	"sangstudio/audio/wav"
	"sangstudio/internal/fuzzcheck"
)

// seedDir holds small WAV files, valid and broken, that seed FuzzReader.
const seedDir = "../../testdata/wav"

var genSeeds = flag.Bool("wav.genseeds", false, "rewrite the hand-made seed files in "+seedDir)

// TestGenerateFuzzSeeds writes the seed files that are made by hand or by
// this package (gen.sh makes the ones from sox and ffmpeg). It only runs
// with -wav.genseeds.
func TestGenerateFuzzSeeds(t *testing.T) {
	if !*genSeeds {
		t.Skip("run with -wav.genseeds to rewrite the seed files")
	}
	fmt16 := chunk("fmt ", fmtBody(1, 2, 8000, 4, 16))
	audio := pcm16(100, -100, 2000, -2000, 32767, -32768, 0, 1, 5, 6, 7, 8)
	list := chunk("LIST", append([]byte("INFO"), chunk("INAM", []byte("Song\x00"))...))
	files := map[string][]byte{
		"bad-empty.wav":              nil,
		"bad-garbage.wav":            []byte("ID3\x03\x00\x00\x00\x00\x00\x0fgarbage, not audio"),
		"bad-truncated-header.wav":   []byte("RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00"),
		"bad-truncated-data.wav":     riff(fmt16, chunkSized("data", 1200, audio)),
		"bad-zero-length-data.wav":   riff(fmt16, chunk("data", nil)),
		"bad-data-claims-4gb.wav":    riff(fmt16, chunkSized("data", 0xFFFFFFFE, make([]byte, 100))),
		"bad-fmt-claims-4gb.wav":     riff(chunkSized("fmt ", 0xFFFFFFF0, fmtBody(1, 2, 8000, 4, 16)), chunk("data", audio)),
		"bad-zero-channels.wav":      riff(chunk("fmt ", fmtBody(1, 0, 8000, 0, 16)), chunk("data", audio)),
		"bad-zero-rate.wav":          riff(chunk("fmt ", fmtBody(1, 2, 0, 4, 16)), chunk("data", audio)),
		"bad-12-bit.wav":             riff(chunk("fmt ", fmtBody(1, 2, 8000, 4, 12)), chunk("data", audio)),
		"bad-block-align.wav":        riff(chunk("fmt ", fmtBody(1, 2, 8000, 3, 16)), chunk("data", audio)),
		"odd-chunk-pad.wav":          riff(fmt16, chunk("junk", []byte("odd")), chunk("data", audio)),
		"list-after-data.wav":        riff(fmt16, chunk("data", audio), list),
		"data-size-ffffffff.wav":     append([]byte("RIFF\xFF\xFF\xFF\xFFWAVE"), append(fmt16, chunkSized("data", 0xFFFFFFFF, audio)...)...),
		"data-size-not-multiple.wav": riff(fmt16, chunk("data", audio[:len(audio)-3])),
		"extensible-20-in-24.wav":    riff(chunk("fmt ", extensibleFmt(1, 1, 8000, 24, 20)), chunk("data", audio[:12])),
	}
	for name, b := range files {
		writeFile(t, seedDir, name, b)
	}
	// Files from our writer: PCM24 with bext, float, and an unfinished
	// recording (as after kill -9 with no Sync).
	sig := testSignal(2, 100)
	for _, c := range []struct {
		name string
		f    wav.Format
		opt  wav.WriterOptions
	}{
		{"ours-pcm24-bext.wav", wav.Format{Rate: 8000, Channels: 2, Encoding: wav.PCM24},
			wav.WriterOptions{Bext: &wav.Bext{Description: "seed", Originator: "SangStudio", OriginationDate: "2024-01-01", OriginationTime: "00:00:00", TimeReference: 8000}}},
		{"ours-float32.wav", wav.Format{Rate: 8000, Channels: 2, Encoding: wav.Float32}, wav.WriterOptions{}},
	} {
		w, err := wav.Create(filepath.Join(seedDir, c.name), c.f, c.opt)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Write(sig); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(seedDir, "ours-unfinished.wav")
	w, err := wav.Create(p, wav.Format{Rate: 8000, Channels: 1, Encoding: wav.PCM24}, wav.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(sig[:1])
	b, _ := os.ReadFile(p) // the state a crash leaves: sizes for 0 frames
	w.Close()
	writeFile(t, seedDir, "ours-unfinished.wav", b[:len(b)-1]) // and a partial frame
}

func addSeeds(f *testing.F) {
	paths, err := filepath.Glob(filepath.Join(seedDir, "*.wav"))
	if err != nil || len(paths) == 0 {
		f.Fatalf("no seed files in %s: %v", seedDir, err)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// FuzzReader checks that no input makes the reader panic, allocate by a
// size field or read beyond the input, and that a file it opens can be
// read to the end.
func FuzzReader(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		var r *wav.Reader
		var err error
		fuzzcheck.Call(t, len(b), fuzzcheck.Limit{Base: 1 << 20, PerByte: 64}, func() { r, err = openBytes(b) })
		if err != nil {
			var fe *wav.FormatError
			if !errors.As(err, &fe) || fe.Reason == "" {
				t.Fatalf("error %v (%T) is not a *FormatError", err, err)
			}
			if r != nil {
				t.Fatal("non-nil Reader with an error")
			}
			return
		}
		format := r.Format()
		ba := int64(format.Channels * format.Encoding.Bytes())
		if format.Rate <= 0 || format.Channels <= 0 || ba <= 0 {
			t.Fatalf("invalid format %+v", format)
		}
		if r.Frames() <= 0 || r.Frames()*ba > int64(len(b)) {
			t.Fatalf("%d frames of %d bytes in a %d-byte input", r.Frames(), ba, len(b))
		}
		if bx := r.Bext(); bx != nil && len(bx.Description) > 4*256 {
			t.Fatalf("bext description of %d bytes", len(bx.Description))
		}
		frames := max(1, min(37, 4096/format.Channels))
		buf := make([][]float32, format.Channels)
		for c := range buf {
			buf[c] = make([]float32, frames)
		}
		isInt := format.Encoding != wav.Float32 && format.Encoding != wav.Float64
		var total int64
		for {
			n, err := r.Read(buf)
			if err == io.EOF {
				if n != 0 {
					t.Fatalf("io.EOF with %d frames", n)
				}
				break
			}
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if n <= 0 || n > frames {
				t.Fatalf("Read returned %d frames for a buffer of %d", n, frames)
			}
			if isInt {
				for _, ch := range buf {
					for _, v := range ch[:n] {
						if !(v >= -1 && v <= 1) || math.IsNaN(float64(v)) {
							t.Fatalf("integer sample decoded as %v", v)
						}
					}
				}
			}
			total += int64(n)
			if total > r.Frames() {
				t.Fatalf("read %d frames of %d", total, r.Frames())
			}
		}
		if total != r.Frames() {
			t.Fatalf("read %d frames, Frames() = %d", total, r.Frames())
		}
		if err := r.Seek(r.Frames()); err != nil {
			t.Fatal(err)
		}
		if n, err := r.Read(buf); n != 0 || err != io.EOF {
			t.Fatalf("Read at the end = %d, %v", n, err)
		}
	})
}

// FuzzRepair checks that Repair never panics, and that a file it repairs
// is a finished WAV file: opening it gives the frames Repair reported, and
// repairing it again changes nothing.
func FuzzRepair(f *testing.F) {
	addSeeds(f)
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(dir, "r.wav")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		var n int64
		var err error
		fuzzcheck.Call(t, len(b), fuzzcheck.Limit{Base: 1 << 20, PerByte: 64}, func() { n, err = wav.Repair(p) })
		if err != nil {
			var fe *wav.FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v (%T) is not a *FormatError", err, err)
			}
			return
		}
		after, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if len(after) > len(b)+1 {
			t.Fatalf("Repair grew the file from %d to %d bytes", len(b), len(after))
		}
		if n > 0 {
			r, err := openBytes(after)
			if err != nil {
				t.Fatalf("repaired file does not open: %v", err)
			}
			if r.Frames() != n {
				t.Fatalf("Repair reported %d frames, the file has %d", n, r.Frames())
			}
		}
		n2, err := wav.Repair(p)
		if err != nil || n2 != n {
			t.Fatalf("second Repair = %d, %v; first said %d", n2, err, n)
		}
		again, _ := os.ReadFile(p)
		if string(again) != string(after) {
			t.Fatalf("second Repair changed the file")
		}
	})
}

// TestSeedFiles checks every seed file: "bad-" files and the compressed
// ones are refused with a FormatError, the others open and read to the end.
func TestSeedFiles(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join(seedDir, "*.wav"))
	refused := map[string]string{
		"alaw.wav":      "unsupported sample format: A-law (format tag 6)",
		"ima-adpcm.wav": "unsupported sample format: IMA ADPCM (format tag 17)",
	}
	for _, p := range paths {
		name := filepath.Base(p)
		t.Run(name, func(t *testing.T) {
			r, err := wav.Open(p)
			if want, ok := refused[name]; ok || name[:4] == "bad-" {
				if err == nil {
					r.Close()
					t.Fatalf("opened: %+v", r.Format())
				}
				fe := asFormatError(t, err)
				if ok && fe.Reason != want {
					t.Errorf("Reason = %q, want %q", fe.Reason, want)
				}
				t.Logf("refused: %s", fe.Reason)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			readAll(t, r)
			t.Logf("%+v, %d frames, bext %+v", r.Format(), r.Frames(), r.Bext())
		})
	}
}
