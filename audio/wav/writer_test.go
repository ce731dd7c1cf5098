package wav_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"sangstudio/audio/wav"
	"sangstudio/internal/testtool"
)

// testSignal returns frames of a distinct sine per channel at 0.8 of full
// scale, starting with a few exact values.
func testSignal(channels, frames int) [][]float32 {
	s := make([][]float32, channels)
	for c := range s {
		s[c] = make([]float32, frames)
		for i := range s[c] {
			s[c][i] = float32(0.8 * math.Sin(2*math.Pi*float64(i)*float64(440+110*c)/48000))
		}
		for i, v := range []float32{0, 0.5, -0.5, -1, 0.999} {
			if i < frames {
				s[c][i] = v
			}
		}
	}
	return s
}

// writeTestFile writes testSignal in several Write calls and closes.
func writeTestFile(t testing.TB, path string, f wav.Format, frames int, opt wav.WriterOptions) [][]float32 {
	t.Helper()
	sig := testSignal(f.Channels, frames)
	w, err := wav.Create(path, f, opt)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < frames; {
		n := min(frames-i, 777)
		part := make([][]float32, len(sig))
		for c := range sig {
			part[c] = sig[c][i : i+n]
		}
		if err := w.Write(part); err != nil {
			t.Fatal(err)
		}
		i += n
	}
	if w.Frames() != int64(frames) {
		t.Errorf("Frames() = %d, want %d", w.Frames(), frames)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return sig
}

// writeTol is how far a sample read back may be from what was written.
func writeTol(e wav.Encoding, dithered bool) float64 {
	lsb := 0.0
	switch e {
	case wav.PCM8:
		lsb = 1.0 / 128
	case wav.PCM16:
		lsb = 1.0 / 32768
	case wav.PCM24:
		lsb = 1.0 / (1 << 23)
	case wav.PCM32:
		return 1.0 / (1 << 24) // float32 input has 24 bits
	default:
		return 0
	}
	if dithered {
		return 1.5 * lsb // |dither| < 1 LSB, plus rounding
	}
	return 0.5 * lsb
}

var allEncodings = []wav.Encoding{wav.PCM8, wav.PCM16, wav.PCM24, wav.PCM32, wav.Float32, wav.Float64}

// chunkIDs lists the chunk IDs of a RIFF file in order.
func chunkIDs(t testing.TB, b []byte) []string {
	t.Helper()
	var ids []string
	for off := 12; off+8 <= len(b); {
		n := int(binary.LittleEndian.Uint32(b[off+4:]))
		ids = append(ids, string(b[off:off+4]))
		off += 8 + n + n&1
	}
	return ids
}

func TestWriterRoundTrip(t *testing.T) {
	for _, enc := range allEncodings {
		for _, ch := range []int{1, 2, 3} {
			for _, frames := range []int{1, 4801} { // odd: 24-bit and 8-bit mono need a pad byte
				name := fmt.Sprintf("%v/%dch/%d", enc, ch, frames)
				t.Run(strings.ReplaceAll(name, " ", "-"), func(t *testing.T) {
					f := wav.Format{Rate: 48000, Channels: ch, Encoding: enc}
					p := filepath.Join(t.TempDir(), "out.wav")
					want := writeTestFile(t, p, f, frames, wav.WriterOptions{DitherSeed: 1})
					b, err := os.ReadFile(p)
					if err != nil {
						t.Fatal(err)
					}
					// Layout: plain PCM or IEEE float with fact, never EXTENSIBLE.
					tag := binary.LittleEndian.Uint16(b[20:])
					ids := chunkIDs(t, b)
					dataBytes := frames * ch * enc.Bytes()
					hdr := 44
					if enc == wav.Float32 || enc == wav.Float64 {
						hdr = 58
						if tag != 3 || strings.Join(ids, ",") != "fmt ,fact,data" {
							t.Errorf("tag %d, chunks %q; want 3, fmt fact data", tag, ids)
						}
						if n := binary.LittleEndian.Uint32(b[46:]); n != uint32(frames) {
							t.Errorf("fact sample length %d, want %d", n, frames)
						}
					} else if tag != 1 || strings.Join(ids, ",") != "fmt ,data" {
						t.Errorf("tag %d, chunks %q; want 1, fmt data", tag, ids)
					}
					if want := hdr + dataBytes + dataBytes&1; len(b) != want {
						t.Errorf("file is %d bytes, want %d", len(b), want)
					}
					if riff := binary.LittleEndian.Uint32(b[4:]); int(riff) != len(b)-8 {
						t.Errorf("RIFF size %d, file %d bytes", riff, len(b))
					}
					r, err := wav.Open(p)
					if err != nil {
						t.Fatal(err)
					}
					defer r.Close()
					if r.Format() != f || r.Frames() != int64(frames) {
						t.Errorf("read back %+v, %d frames", r.Format(), r.Frames())
					}
					compare(t, readAll(t, r), want, writeTol(enc, enc == wav.PCM16 || enc == wav.PCM8))
				})
			}
		}
	}
}

// soxInfo parses `sox --i` output into a map.
func soxInfo(t *testing.T, path string) map[string]string {
	out := testtool.Run(t, "sox", "--i", path)
	m := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			m[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return m
}

// ffprobe returns the key=value lines of ffprobe -show_streams -show_format.
func ffprobe(t *testing.T, path string) map[string]string {
	out := testtool.Run(t, "ffprobe", "-v", "error", "-show_streams", "-show_format", path)
	m := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			m[k] = v
		}
	}
	return m
}

// TestWriterReadByTools checks our files with sox and ffprobe: format tag,
// rate, channels and length, and sox's decode of every sample.
func TestWriterReadByTools(t *testing.T) {
	testtool.Require(t, "sox")
	testtool.Require(t, "ffprobe")
	soxEnc := map[wav.Encoding]string{
		wav.PCM8: "8-bit Unsigned Integer PCM", wav.PCM16: "16-bit Signed Integer PCM",
		wav.PCM24: "24-bit Signed Integer PCM", wav.PCM32: "32-bit Signed Integer PCM",
		wav.Float32: "32-bit Floating Point PCM", wav.Float64: "64-bit Floating Point PCM",
	}
	ffCodec := map[wav.Encoding]string{
		wav.PCM8: "pcm_u8", wav.PCM16: "pcm_s16le", wav.PCM24: "pcm_s24le",
		wav.PCM32: "pcm_s32le", wav.Float32: "pcm_f32le", wav.Float64: "pcm_f64le",
	}
	for _, enc := range allEncodings {
		for _, ch := range []int{1, 2} {
			for _, rate := range []int{44100, 96000} {
				f := wav.Format{Rate: rate, Channels: ch, Encoding: enc}
				t.Run(strings.ReplaceAll(fmt.Sprintf("%v/%dch/%d", enc, ch, rate), " ", "-"), func(t *testing.T) {
					const frames = 4801
					p := filepath.Join(t.TempDir(), "out.wav")
					want := writeTestFile(t, p, f, frames, wav.WriterOptions{})

					si := soxInfo(t, p)
					wantDur := fmt.Sprintf("= %d samples", frames)
					if si["Channels"] != strconv.Itoa(ch) || si["Sample Rate"] != strconv.Itoa(rate) ||
						si["Sample Encoding"] != soxEnc[enc] || !strings.Contains(si["Duration"], wantDur) {
						t.Errorf("sox --i: %q", si)
					}
					ff := ffprobe(t, p)
					wantTag := "0x0001"
					if enc == wav.Float32 || enc == wav.Float64 {
						wantTag = "0x0003"
					}
					if ff["codec_tag"] != wantTag || ff["codec_name"] != ffCodec[enc] || ff["sample_rate"] != strconv.Itoa(rate) ||
						ff["channels"] != strconv.Itoa(ch) || ff["duration_ts"] != strconv.Itoa(frames) {
						t.Errorf("ffprobe: codec_tag=%s codec_name=%s sample_rate=%s channels=%s duration_ts=%s",
							ff["codec_tag"], ff["codec_name"], ff["sample_rate"], ff["channels"], ff["duration_ts"])
					}
					stats := testtool.Run(t, "sox", p, "-n", "stats")
					if l := fmt.Sprintf("Length s %.3f", float64(frames)/float64(rate)); !strings.Contains(strings.Join(strings.Fields(stats), " "), l) {
						t.Errorf("sox stats does not say %q:\n%s", l, stats)
					}
					raw := p + ".f32"
					testtool.Run(t, "sox", p, "-t", "f32", "-e", "floating-point", raw)
					compare(t, readF32(t, raw, ch), want, writeTol(enc, enc == wav.PCM16 || enc == wav.PCM8)+1.0/(1<<24))
				})
			}
		}
	}
}

func TestWriterEcasound(t *testing.T) {
	testtool.Require(t, "ecasound")
	for _, enc := range []wav.Encoding{wav.PCM16, wav.PCM24, wav.Float32} {
		t.Run(strings.ReplaceAll(enc.String(), " ", "-"), func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "in.wav")
			writeTestFile(t, p, wav.Format{Rate: 48000, Channels: 2, Encoding: enc}, 4800,
				wav.WriterOptions{Bext: &wav.Bext{Description: "ecasound test"}})
			out := testtool.Run(t, "ecasound", "-q", "-i:"+p, "-o:null")
			if strings.Contains(out, "Only WAVE_FORMAT_PCM") || strings.Contains(out, "ERROR") {
				t.Errorf("ecasound: %s", out)
			}
			// ecasound converts it to a file sox can read: same audio.
			o := filepath.Join(dir, "out.wav")
			out = testtool.Run(t, "ecasound", "-q", "-f:f32_le,2,48000", "-i:"+p, "-o:"+o)
			r, err := wav.Open(o)
			if err != nil {
				t.Fatalf("reading ecasound's copy: %v (ecasound said %s)", err, out)
			}
			defer r.Close()
			src, _ := wav.Open(p)
			defer src.Close()
			compare(t, readAll(t, r), readAll(t, src), 1.0/(1<<23))
		})
	}
}

// fileBytes writes samples with opt and returns the file's bytes.
func fileBytes(t *testing.T, f wav.Format, opt wav.WriterOptions, sig [][]float32, parts int) []byte {
	t.Helper()
	p := filepath.Join(t.TempDir(), "d.wav")
	w, err := wav.Create(p, f, opt)
	if err != nil {
		t.Fatal(err)
	}
	n := len(sig[0])
	for i := 0; i < parts; i++ {
		lo, hi := n*i/parts, n*(i+1)/parts
		part := make([][]float32, len(sig))
		for c := range sig {
			part[c] = sig[c][lo:hi]
		}
		if err := w.Write(part); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDitherDeterminism(t *testing.T) {
	for _, ch := range []int{1, 2, 3} {
		f := wav.Format{Rate: 44100, Channels: ch, Encoding: wav.PCM16}
		sig := testSignal(ch, 10000)
		a := fileBytes(t, f, wav.WriterOptions{DitherSeed: 5}, sig, 1)
		b := fileBytes(t, f, wav.WriterOptions{DitherSeed: 5}, sig, 7) // split differently
		c := fileBytes(t, f, wav.WriterOptions{DitherSeed: 6}, sig, 1)
		d := fileBytes(t, f, wav.WriterOptions{NoDither: true}, sig, 1)
		e := fileBytes(t, f, wav.WriterOptions{NoDither: true, DitherSeed: 9}, sig, 3)
		if !bytes.Equal(a, b) {
			t.Errorf("%dch: same seed gave different bytes", ch)
		}
		if bytes.Equal(a, c) {
			t.Errorf("%dch: seeds 5 and 6 gave identical bytes", ch)
		}
		if bytes.Equal(a, d) {
			t.Errorf("%dch: dither changed nothing", ch)
		}
		if !bytes.Equal(d, e) {
			t.Errorf("%dch: NoDither output depends on the seed or the split", ch)
		}
	}
}

// TestDitherLinearises: a constant 0.3 LSB rounds to 0 without dither;
// with TPDF dither the average of the output is 0.3 LSB.
func TestDitherLinearises(t *testing.T) {
	const n = 100000
	sig := [][]float32{make([]float32, n)}
	for i := range sig[0] {
		sig[0][i] = 0.3 / 32768
	}
	f := wav.Format{Rate: 44100, Channels: 1, Encoding: wav.PCM16}
	for _, c := range []struct {
		opt        wav.WriterOptions
		mean, vari float64
	}{
		{wav.WriterOptions{NoDither: true}, 0, 0},
		// rounded TPDF: mean 0.3, variance 1/6 + 1/12 - (ε for the offset)
		{wav.WriterOptions{DitherSeed: 1}, 0.3, 0.25},
	} {
		b := fileBytes(t, f, c.opt, sig, 1)
		r, err := openBytes(b)
		if err != nil {
			t.Fatal(err)
		}
		got := readAll(t, r)[0]
		var sum, sum2 float64
		for _, v := range got {
			x := float64(v) * 32768
			sum += x
			sum2 += x * x
		}
		mean := sum / n
		vari := sum2/n - mean*mean
		if math.Abs(mean-c.mean) > 0.01 || math.Abs(vari-c.vari) > 0.02 {
			t.Errorf("%+v: mean %.4f LSB, variance %.4f; want ≈ %.2f, %.2f", c.opt, mean, vari, c.mean, c.vari)
		}
	}
}

func TestWriterClamps(t *testing.T) {
	inf := float32(math.Inf(1))
	nan := float32(math.NaN())
	in := []float32{1.5, -1.5, 1, -1, inf, -inf, nan, 1e30, -1e30}
	for _, enc := range []wav.Encoding{wav.PCM8, wav.PCM16, wav.PCM24, wav.PCM32} {
		for _, dither := range []bool{false, true} {
			for _, ch := range []int{1, 2, 3} {
				t.Run(fmt.Sprintf("%v/dither=%v/%dch", enc, dither, ch), func(t *testing.T) {
					f := wav.Format{Rate: 8000, Channels: ch, Encoding: enc}
					sig := make([][]float32, ch)
					for c := range sig {
						sig[c] = in
					}
					r, err := openBytes(fileBytes(t, f, wav.WriterOptions{NoDither: !dither, DitherSeed: 3}, sig, 1))
					if err != nil {
						t.Fatal(err)
					}
					bits := 8 * enc.Bytes()
					top := 1 - math.Ldexp(1, 1-bits) // largest positive sample
					want := []float64{top, -1, top, -1, top, -1, 0, top, -1}
					for c, got := range readAll(t, r) {
						for i, v := range got {
							w := want[i]
							if bits == 32 && w == top {
								w = 1 // float32 cannot hold 1-2^-31
							}
							if float64(v) != float32to64(w) {
								t.Errorf("channel %d: %v became %v, want %v", c, in[i], v, w)
							}
						}
					}
				})
			}
		}
	}
}

func float32to64(x float64) float64 { return float64(float32(x)) }

func TestWriterBext(t *testing.T) {
	dir := t.TempDir()
	bx := &wav.Bext{
		Description:         "Musiktherapie – Sitzung 12",
		Originator:          "SangStudio",
		OriginatorReference: "SANG-2024-0012",
		OriginationDate:     "2024-05-06",
		OriginationTime:     "14:30:00",
		TimeReference:       52200 * 48000,
	}
	p := filepath.Join(dir, "bext.wav")
	writeTestFile(t, p, wav.Format{Rate: 48000, Channels: 2, Encoding: wav.PCM24}, 1000, wav.WriterOptions{Bext: bx})
	b, _ := os.ReadFile(p)
	if ids := strings.Join(chunkIDs(t, b), ","); ids != "bext,fmt ,data" {
		t.Errorf("chunks %s, want bext before fmt", ids)
	}
	if v := binary.LittleEndian.Uint16(b[20+346:]); v != 1 {
		t.Errorf("bext version %d, want 1", v)
	}
	r, err := wav.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if got := r.Bext(); got == nil || *got != *bx {
		t.Errorf("Bext() = %+v, want %+v", got, bx)
	}

	if _, err := exec.LookPath("ffprobe"); err == nil || os.Getenv("SANGSTUDIO_REQUIRE_TOOLS") == "1" {
		ff := ffprobe(t, p)
		if ff["TAG:time_reference"] != strconv.Itoa(52200*48000) || ff["TAG:comment"] != bx.Description ||
			ff["TAG:originator_reference"] != bx.OriginatorReference || ff["TAG:encoded_by"] != bx.Originator {
			t.Errorf("ffprobe tags: time_reference=%q comment=%q originator_reference=%q encoded_by=%q",
				ff["TAG:time_reference"], ff["TAG:comment"], ff["TAG:originator_reference"], ff["TAG:encoded_by"])
		}
		if !strings.HasPrefix(ff["TAG:date"], "2024-05-06") {
			t.Errorf("ffprobe date %q", ff["TAG:date"])
		}
	}

	// Over-long fields are cut at a character boundary.
	long := &wav.Bext{Description: strings.Repeat("ä", 200), Originator: strings.Repeat("x", 31) + "é"}
	p2 := filepath.Join(dir, "long.wav")
	writeTestFile(t, p2, wav.Format{Rate: 48000, Channels: 1, Encoding: wav.PCM16}, 10, wav.WriterOptions{Bext: long})
	r2, err := wav.Open(p2)
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	if got := r2.Bext(); got.Description != strings.Repeat("ä", 128) || got.Originator != strings.Repeat("x", 31) {
		t.Errorf("long fields read back as %q, %q", got.Description, got.Originator)
	}

	// Badly formed date and time are refused before the file is created.
	for _, bad := range []wav.Bext{{OriginationDate: "6.5.2024"}, {OriginationTime: "2pm"}, {OriginationDate: "2024-05-0x"}} {
		p3 := filepath.Join(dir, "bad.wav")
		if _, err := wav.Create(p3, wav.Format{Rate: 48000, Channels: 1, Encoding: wav.PCM16}, wav.WriterOptions{Bext: &bad}); err == nil {
			t.Errorf("Create accepted %+v", bad)
		}
		if _, err := os.Stat(p3); err == nil {
			t.Errorf("Create with %+v left a file", bad)
		}
	}
}

func TestCreateRefusesBadFormats(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []wav.Format{
		{Rate: 0, Channels: 2, Encoding: wav.PCM16},
		{Rate: 48000, Channels: 0, Encoding: wav.PCM16},
		{Rate: 48000, Channels: 2, Encoding: 0},
		{Rate: 48000, Channels: 2, Encoding: 99},
		{Rate: 48000, Channels: 10000, Encoding: wav.Float64},
		{Rate: -1, Channels: 1, Encoding: wav.PCM16},
		{Rate: 1 << 31, Channels: 2, Encoding: wav.PCM16},
	} {
		p := filepath.Join(dir, "x.wav")
		if w, err := wav.Create(p, f, wav.WriterOptions{}); err == nil {
			w.Close()
			t.Errorf("Create(%+v) succeeded", f)
		}
		if _, err := os.Stat(p); err == nil {
			t.Errorf("Create(%+v) left a file", f)
		}
	}
}

func TestCreatePermissionsAndTruncate(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x.wav")
	if err := os.WriteFile(p, bytes.Repeat([]byte("old"), 10000), 0o644); err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, p, wav.Format{Rate: 8000, Channels: 1, Encoding: wav.PCM16}, 10, wav.WriterOptions{})
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Size() != 44+20 {
		t.Errorf("size %d, want 64 (old content not truncated?)", fi.Size())
	}
	p2 := filepath.Join(t.TempDir(), "new.wav")
	writeTestFile(t, p2, wav.Format{Rate: 8000, Channels: 1, Encoding: wav.PCM16}, 10, wav.WriterOptions{})
	if fi, _ := os.Stat(p2); fi.Mode().Perm() != 0o600 {
		t.Errorf("new file has mode %v, want 0600", fi.Mode().Perm())
	}

	// NewWriter truncates a file that holds more than it writes.
	f, err := os.OpenFile(p, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write(bytes.Repeat([]byte("x"), 5000))
	w, err := wav.NewWriter(f, wav.Format{Rate: 8000, Channels: 1, Encoding: wav.PCM16}, wav.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(p); fi.Size() != 44 {
		t.Errorf("NewWriter left %d bytes, want 44", fi.Size())
	}
	// A 0-frame file is a valid (if empty) WAV file.
	b, _ := os.ReadFile(p)
	if _, err := openBytes(b); err == nil || !strings.Contains(err.Error(), "data chunk is empty") {
		t.Errorf("0-frame file: %v", err)
	}
}

func TestWriterMisuse(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x.wav")
	w, err := wav.Create(p, wav.Format{Rate: 8000, Channels: 2, Encoding: wav.PCM24}, wav.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write([][]float32{{1}}); err == nil {
		t.Error("Write with 1 buffer for 2 channels succeeded")
	}
	if err := w.Write([][]float32{{1, 2}, {1}}); err == nil {
		t.Error("Write with ragged buffers succeeded")
	}
	if err := w.Write([][]float32{{}, {}}); err != nil {
		t.Errorf("empty Write: %v", err)
	}
	if w.Frames() != 0 {
		t.Errorf("Frames() = %d after failed writes", w.Frames())
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Write([][]float32{{0}, {0}}); err == nil {
		t.Error("Write after Close succeeded")
	}
	if err := w.Sync(); err == nil {
		t.Error("Sync after Close succeeded")
	}
	if err := w.Close(); err == nil {
		t.Error("second Close succeeded")
	}
}

func TestWriterZeroAllocs(t *testing.T) {
	for _, f := range []wav.Format{
		{Rate: 48000, Channels: 2, Encoding: wav.PCM16},
		{Rate: 48000, Channels: 2, Encoding: wav.PCM24},
		{Rate: 48000, Channels: 1, Encoding: wav.Float32},
		{Rate: 48000, Channels: 5, Encoding: wav.PCM32},
	} {
		w, err := wav.Create(filepath.Join(t.TempDir(), "x.wav"), f, wav.WriterOptions{})
		if err != nil {
			t.Fatal(err)
		}
		sig := testSignal(f.Channels, 512)
		if a := testing.AllocsPerRun(50, func() { w.Write(sig) }); a != 0 {
			t.Errorf("%+v: Write allocates %v times", f, a)
		}
		w.Close()
	}
}

// copyFile copies src to dst (as a backup program might while recording).
func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestSyncAndRepair(t *testing.T) {
	for _, f := range []wav.Format{
		{Rate: 48000, Channels: 2, Encoding: wav.PCM16},
		{Rate: 48000, Channels: 1, Encoding: wav.PCM24}, // odd frames: pad byte
		{Rate: 48000, Channels: 2, Encoding: wav.Float32},
	} {
		t.Run(fmt.Sprintf("%dch/%v", f.Channels, strings.ReplaceAll(f.Encoding.String(), " ", "-")), func(t *testing.T) {
			syncAndRepair(t, f)
		})
	}
}

// syncAndRepair records 3001 frames in format f, syncing after 1001, and
// checks copies of the file taken on the way, as they are and repaired.
func syncAndRepair(t *testing.T, f wav.Format) {
	dir := t.TempDir()
	p := filepath.Join(dir, "rec.wav")
	sig := testSignal(f.Channels, 3001)
	w, err := wav.Create(p, f, wav.WriterOptions{NoDither: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()

	// Before any Sync: the header says 0 frames; our reader takes
	// the audio to the end of the file.
	if err := w.Write(framesOf(sig, 0, 1001)); err != nil {
		t.Fatal(err)
	}
	c0 := filepath.Join(dir, "copy0.wav")
	copyFile(t, p, c0)
	if r, err := wav.Open(c0); err != nil || r.Frames() != 1001 {
		t.Errorf("copy before Sync: %v", err)
	} else {
		r.Close()
	}

	if err := w.Sync(); err != nil {
		t.Fatal(err)
	}
	if err := w.Write(framesOf(sig, 1001, 3001)); err != nil {
		t.Fatal(err)
	}
	// A copy taken now is a valid file of the 1001 synced frames,
	// for us and for sox.
	c1 := filepath.Join(dir, "copy1.wav")
	copyFile(t, p, c1)
	checkSyncedCopy(t, c1, f, sig)
	checkCutCopy(t, p, filepath.Join(dir, "copy2.wav"), f, sig)

	// Repair of the copy taken before any Sync.
	if n, err := wav.Repair(c0); err != nil || n != 1001 {
		t.Errorf("Repair of the unsynced copy = %d, %v", n, err)
	}
	checkComplete(t, c0, f, framesOf(sig, 0, 1001))

	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	checkComplete(t, p, f, framesOf(sig, 0, 3001))
}

// checkSyncedCopy checks c1, a copy of a recording of sig in format f
// taken after a Sync at frame 1001 and more frames written up to 3001: it
// reads as the 1001 synced frames, and Repair recovers all 3001 (and
// changes nothing the second time).
func checkSyncedCopy(t *testing.T, c1 string, f wav.Format, sig [][]float32) {
	t.Helper()
	r, err := wav.Open(c1)
	if err != nil {
		t.Fatalf("copy after Sync: %v", err)
	}
	if r.Frames() != 1001 {
		t.Errorf("copy after Sync has %d frames, want 1001", r.Frames())
	}
	compare(t, readAll(t, r), framesOf(sig, 0, 1001), writeTol(f.Encoding, false))
	r.Close()
	if _, err := exec.LookPath("sox"); err == nil {
		if si := soxInfo(t, c1); !strings.Contains(si["Duration"], "= 1001 samples") {
			t.Errorf("sox --i on the copy: %q", si["Duration"])
		}
	}

	// Repair recovers everything that was written.
	n, err := wav.Repair(c1)
	if err != nil || n != 3001 {
		t.Fatalf("Repair = %d, %v; want 3001", n, err)
	}
	checkComplete(t, c1, f, framesOf(sig, 0, 3001))
	// Repairing again changes nothing.
	before, _ := os.ReadFile(c1)
	if n, err := wav.Repair(c1); err != nil || n != 3001 {
		t.Errorf("second Repair = %d, %v", n, err)
	}
	if after, _ := os.ReadFile(c1); !bytes.Equal(before, after) {
		t.Errorf("second Repair changed the file")
	}
}

// checkCutCopy copies the recording p (of sig in format f, with stale
// sizes) to c2, cut in the middle of frame 2000, and checks that Repair
// makes it a finished file of the first 2000 frames.
func checkCutCopy(t *testing.T, p, c2 string, f wav.Format, sig [][]float32) {
	t.Helper()
	copyFile(t, p, c2)
	ba := f.Channels * f.Encoding.Bytes()
	hdr := 44
	if f.Encoding == wav.Float32 {
		hdr = 58
	}
	if err := os.Truncate(c2, int64(hdr+2000*ba+ba/2+1)); err != nil {
		t.Fatal(err)
	}
	n, err := wav.Repair(c2)
	if err != nil || n != 2000 {
		t.Fatalf("Repair of cut copy = %d, %v; want 2000", n, err)
	}
	checkComplete(t, c2, f, framesOf(sig, 0, 2000))
}

// checkComplete checks that path is a finished WAV file (sizes exact, pad
// byte, fact) holding want, and that sox agrees on the length.
func checkComplete(t *testing.T, path string, f wav.Format, want [][]float32) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if riff := binary.LittleEndian.Uint32(b[4:]); int(riff) != len(b)-8 {
		t.Errorf("RIFF size %d in a %d-byte file", riff, len(b))
	}
	i := bytes.LastIndex(b, []byte("data"))
	d := int(binary.LittleEndian.Uint32(b[i+4:]))
	if i+8+d+d&1 != len(b) {
		t.Errorf("data size %d at %d in a %d-byte file", d, i, len(b))
	}
	if j := bytes.Index(b, []byte("fact")); j >= 0 && j < i {
		if n := binary.LittleEndian.Uint32(b[j+8:]); int(n) != len(want[0]) {
			t.Errorf("fact says %d frames, want %d", n, len(want[0]))
		}
	}
	r, err := openBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	compare(t, readAll(t, r), want, writeTol(f.Encoding, false))
	if _, err := exec.LookPath("sox"); err == nil {
		si := soxInfo(t, path)
		if !strings.Contains(si["Duration"], fmt.Sprintf("= %d samples", len(want[0]))) {
			t.Errorf("sox --i: %q", si["Duration"])
		}
	}
}

func TestRepairErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := wav.Repair(filepath.Join(dir, "missing.wav")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Repair(missing) = %v", err)
	}
	p := writeFile(t, dir, "text.wav", []byte("hello, world"))
	_, err := wav.Repair(p)
	if fe := asFormatError(t, err); fe.Path != p {
		t.Errorf("Repair error %v does not name the file", err)
	}
	// A finished file with a LIST chunk after the data is left alone.
	good := riff(chunk("fmt ", fmtBody(1, 1, 8000, 2, 16)), chunk("data", pcm16(1, 2, 3)), chunk("LIST", []byte("INFOjunk")))
	p = writeFile(t, dir, "good.wav", good)
	if n, err := wav.Repair(p); n != 3 || err != nil {
		t.Errorf("Repair(good) = %d, %v", n, err)
	}
	if b, _ := os.ReadFile(p); !bytes.Equal(b, good) {
		t.Errorf("Repair changed a good file")
	}
}

// TestKillDuringRecording runs a recorder in a child process, kills it with
// SIGKILL in the middle of writing, and repairs the file.
func TestKillDuringRecording(t *testing.T) {
	if os.Getenv("WAV_TEST_RECORDER") != "" {
		return // the child; see TestRecorderChild
	}
	p := filepath.Join(t.TempDir(), "rec.wav")
	cmd := exec.Command(os.Args[0], "-test.run=^TestRecorderChild$")
	cmd.Env = append(os.Environ(), "WAV_TEST_RECORDER="+p)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until the child has written enough, then kill it.
	buf := make([]byte, 6)
	if _, err := io.ReadFull(out, buf); err != nil || string(buf) != "ready\n" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("child: %q, %v", buf, err)
	}
	cmd.Process.Kill()
	cmd.Wait()

	// Without repair, the file opens with at least the synced frames.
	r, err := wav.Open(p)
	if err != nil {
		t.Fatalf("opening the killed recording: %v", err)
	}
	synced := r.Frames()
	r.Close()
	if synced < 48000 {
		t.Errorf("killed recording opens with %d frames, want ≥ 48000 (synced)", synced)
	}
	n, err := wav.Repair(p)
	if err != nil {
		t.Fatal(err)
	}
	if n < 2*48000 {
		t.Errorf("Repair recovered %d frames, want ≥ %d (written before 'ready')", n, 2*48000)
	}
	r, err = wav.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got := readAll(t, r)
	// The child writes frame i as i/2^23 on the left and -i/2^23 on the right.
	for i := range got[0] {
		v := float32(i%(1<<23)) / (1 << 23)
		if got[0][i] != v || got[1][i] != -v {
			t.Fatalf("frame %d: %v, %v", i, got[0][i], got[1][i])
		}
	}
}

// TestRecorderChild is the recording process killed by
// TestKillDuringRecording; it does nothing in a normal test run.
func TestRecorderChild(t *testing.T) {
	p := os.Getenv("WAV_TEST_RECORDER")
	if p == "" {
		t.Skip("only run as the child of TestKillDuringRecording")
	}
	w, err := wav.Create(p, wav.Format{Rate: 48000, Channels: 2, Encoding: wav.PCM24}, wav.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	buf := [][]float32{make([]float32, 479), make([]float32, 479)} // odd block
	frame := 0
	for block := 0; ; block++ {
		for i := range buf[0] {
			v := float32(frame%(1<<23)) / (1 << 23)
			buf[0][i], buf[1][i] = v, -v
			frame++
		}
		if err := w.Write(buf); err != nil {
			t.Fatal(err)
		}
		if frame >= 48000 && frame-479 < 48000 {
			if err := w.Sync(); err != nil {
				t.Fatal(err)
			}
		}
		if frame >= 2*48000 && frame-479 < 2*48000 {
			os.Stdout.WriteString("ready\n")
		}
		if frame > 2*48000 {
			time.Sleep(time.Millisecond) // keep recording until killed
		}
	}
}

// TestWriterDiskFull fills a small disk: Write reports the error (and keeps
// reporting it), and Close still leaves a valid file holding every whole
// frame that was written.
func TestWriterDiskFull(t *testing.T) {
	dir := testtool.SmallDisk(t, "1m")
	p := filepath.Join(dir, "full.wav")
	w, err := wav.Create(p, wav.Format{Rate: 48000, Channels: 1, Encoding: wav.PCM24}, wav.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	buf := [][]float32{make([]float32, 1001)}
	for i := range buf[0] {
		buf[0][i] = 0.25
	}
	var werr error
	for i := 0; i < 1000 && werr == nil; i++ {
		werr = w.Write(buf)
	}
	if werr == nil {
		t.Fatal("wrote 3 MB to a 1 MB disk without an error")
	}
	if err := w.Write(buf); err == nil {
		t.Error("Write after a failed Write succeeded")
	}
	frames := w.Frames()
	if err := w.Close(); err == nil {
		t.Error("Close did not report the earlier Write error")
	}
	r, err := wav.Open(p)
	if err != nil {
		t.Fatalf("the file left by a full disk does not open: %v", err)
	}
	defer r.Close()
	if r.Frames() != frames || frames < 300000 {
		t.Errorf("file has %d frames, the writer counted %d", r.Frames(), frames)
	}
	got := readAll(t, r)
	for i, v := range got[0] {
		if v != 0.25 {
			t.Fatalf("frame %d is %v", i, v)
		}
	}
	if b, _ := os.ReadFile(p); binary.LittleEndian.Uint32(b[4:]) != uint32(len(b)-8) {
		t.Errorf("RIFF size does not match the file")
	}
}
