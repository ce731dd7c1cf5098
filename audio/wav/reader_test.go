package wav_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"

	"sangstudio/audio/wav"
	"sangstudio/internal/openfile"
	"sangstudio/internal/testtool"
)

// toolEncoding describes one sample format in the words of sox and ffmpeg.
type toolEncoding struct {
	enc       wav.Encoding
	soxArgs   []string // -b and -e for sox
	ffmpegEnc string   // -c:a for ffmpeg
}

var toolEncodings = []toolEncoding{
	{wav.PCM8, []string{"-b", "8", "-e", "unsigned-integer"}, "pcm_u8"},
	{wav.PCM16, []string{"-b", "16", "-e", "signed-integer"}, "pcm_s16le"},
	{wav.PCM24, []string{"-b", "24", "-e", "signed-integer"}, "pcm_s24le"},
	{wav.PCM32, []string{"-b", "32", "-e", "signed-integer"}, "pcm_s32le"},
	{wav.Float32, []string{"-b", "32", "-e", "floating-point"}, "pcm_f32le"},
	{wav.Float64, []string{"-b", "64", "-e", "floating-point"}, "pcm_f64le"},
}

// quantStep is the largest difference allowed between our decode and
// sox's decode to float32: one quantisation step for integers, float32
// rounding for floats.
func quantStep(e wav.Encoding) float64 {
	switch e {
	case wav.PCM8:
		return 1.0 / 128
	case wav.PCM16:
		return 1.0 / 32768
	case wav.PCM24:
		return 1.0 / (1 << 23)
	}
	return 1.0 / (1 << 24)
}

// soxSynth returns sox synth arguments for a distinct sine per channel.
func soxSynth(channels int, seconds string) []string {
	args := []string{"synth", seconds}
	for c := 0; c < channels; c++ {
		args = append(args, "sine", fmt.Sprint(440+220*c))
	}
	return append(args, "gain", "-3")
}

// ffmpegSource returns an aevalsrc filter with a distinct sine per channel.
func ffmpegSource(channels, rate int, seconds string) string {
	exprs := make([]string, channels)
	for c := range exprs {
		exprs[c] = fmt.Sprintf("0.6*sin(2*PI*%d*t)", 440+220*c)
	}
	return fmt.Sprintf("aevalsrc=%s:s=%d:d=%s", strings.Join(exprs, "|"), rate, seconds)
}

// checkAgainstSox opens path with our reader, checks the format and
// compares every sample with sox's own decode of the file.
func checkAgainstSox(t *testing.T, path string, want wav.Format) *wav.Reader {
	t.Helper()
	r, err := wav.Open(path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { r.Close() })
	if got := r.Format(); got != want {
		t.Fatalf("Format() = %+v, want %+v", got, want)
	}
	got := readAll(t, r)
	raw := path + ".f32"
	testtool.Run(t, "sox", path, "-t", "f32", "-e", "floating-point", raw)
	compare(t, got, readF32(t, raw, want.Channels), quantStep(want.Encoding))
	return r
}

// fmtTag returns the format tag and, for EXTENSIBLE, the sub-format tag.
func fmtTag(t *testing.T, path string) (tag, sub uint16) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(b, []byte("fmt "))
	if i < 0 || i+8+40 > len(b) {
		t.Fatalf("no fmt chunk in %s", path)
	}
	tag = binary.LittleEndian.Uint16(b[i+8:])
	if tag == 0xFFFE {
		sub = binary.LittleEndian.Uint16(b[i+8+24:])
	}
	return tag, sub
}

func TestReadToolMatrix(t *testing.T) {
	testtool.Require(t, "sox")
	testtool.Require(t, "ffmpeg")
	dir := t.TempDir()
	sawExtensible := map[string]bool{}
	type tc struct {
		name  string
		maker string
		enc   toolEncoding
		ch    int
		rate  int
	}
	var cases []tc
	for _, maker := range []string{"sox", "sox-wavpcm", "ffmpeg"} {
		for _, e := range toolEncodings {
			for _, rate := range []int{44100, 48000, 88200, 96000} {
				for _, ch := range []int{1, 2, 6} {
					// The full grid for the formats this app meets; 8-bit
					// and 6 channels at one rate.
					if (e.enc == wav.PCM8 || ch == 6) && rate != 48000 {
						continue
					}
					name := fmt.Sprintf("%s/%s/%dch/%d", maker, strings.ReplaceAll(e.enc.String(), " ", "-"), ch, rate)
					cases = append(cases, tc{name, maker, e, ch, rate})
				}
			}
		}
	}
	var mu sync.Mutex
	t.Run("group", func(t *testing.T) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				t.Parallel()
				path := filepath.Join(dir, strings.ReplaceAll(c.name, "/", "_")+".wav")
				switch c.maker {
				case "sox", "sox-wavpcm":
					args := []string{"-n", "-r", fmt.Sprint(c.rate), "-c", fmt.Sprint(c.ch)}
					args = append(args, c.enc.soxArgs...)
					if c.maker == "sox-wavpcm" {
						args = append(args, "-t", "wavpcm")
					}
					args = append(args, path)
					testtool.Run(t, "sox", append(args, soxSynth(c.ch, "0.05")...)...)
				case "ffmpeg":
					testtool.Run(t, "ffmpeg", "-v", "error", "-f", "lavfi", "-i", ffmpegSource(c.ch, c.rate, "0.05"),
						"-c:a", c.enc.ffmpegEnc, "-y", path)
				}
				want := wav.Format{Rate: c.rate, Channels: c.ch, Encoding: c.enc.enc}
				r := checkAgainstSox(t, path, want)
				if n := r.Frames(); n != int64(c.rate)/20 {
					t.Errorf("Frames() = %d, want %d", n, c.rate/20)
				}
				if tag, _ := fmtTag(t, path); tag == 0xFFFE {
					mu.Lock()
					sawExtensible[c.maker] = true
					mu.Unlock()
				}
			})
		}
	})
	// Make sure the matrix covered both header styles.
	if !sawExtensible["sox"] || !sawExtensible["ffmpeg"] {
		t.Errorf("no WAVE_FORMAT_EXTENSIBLE file among the generated ones: %v", sawExtensible)
	}
	if sawExtensible["sox-wavpcm"] {
		t.Errorf("sox -t wavpcm wrote WAVE_FORMAT_EXTENSIBLE")
	}
}

// TestReadToolVariants covers headers that tools write with particular
// options: metadata chunks, RF64, and the sizes left by writing to a pipe.
func TestReadToolVariants(t *testing.T) {
	testtool.Require(t, "sox")
	testtool.Require(t, "ffmpeg")
	dir := t.TempDir()
	src := ffmpegSource(2, 48000, "0.1")
	ff := func(name string, args ...string) func() string {
		return func() string {
			p := filepath.Join(dir, name)
			all := append([]string{"-v", "error", "-f", "lavfi", "-i", src}, args...)
			testtool.Run(t, "ffmpeg", append(all, "-y", p)...)
			return p
		}
	}
	// pipe runs a shell pipeline writing to a non-seekable stdout, so the
	// tool cannot go back to fix the header sizes.
	pipe := func(name, cmd string) func() string {
		return func() string {
			p := filepath.Join(dir, name)
			testtool.Run(t, "sh", "-c", cmd+" | cat > "+p)
			return p
		}
	}
	cases := []struct {
		name   string
		make   func() string
		enc    wav.Encoding
		check  func(t *testing.T, r *wav.Reader, path string)
		header string // expected first 4 bytes
	}{
		{
			name: "ffmpeg bext", enc: wav.PCM16,
			make: ff("bext.wav", "-c:a", "pcm_s16le", "-write_bext", "1", "-metadata", "comment=x",
				"-metadata", "description=a session", "-metadata", "originator=therapist",
				"-metadata", "origination_date=2024-05-06", "-metadata", "origination_time=10:11:12",
				"-metadata", "time_reference=123456789"),
			check: func(t *testing.T, r *wav.Reader, path string) {
				b := r.Bext()
				want := wav.Bext{Description: "a session", Originator: "therapist",
					OriginationDate: "2024-05-06", OriginationTime: "10:11:12", TimeReference: 123456789}
				if b == nil || *b != want {
					t.Errorf("Bext() = %+v, want %+v", b, want)
				}
			},
		},
		{name: "ffmpeg bext only comment", enc: wav.PCM24,
			make: ff("bext2.wav", "-c:a", "pcm_s24le", "-write_bext", "1", "-metadata", "comment=x"),
			check: func(t *testing.T, r *wav.Reader, path string) {
				if r.Bext() == nil {
					t.Errorf("Bext() = nil")
				}
			}},
		{name: "ffmpeg rf64 never", enc: wav.PCM24, make: ff("never.wav", "-c:a", "pcm_s24le", "-rf64", "never")},
		{name: "ffmpeg rf64 always", enc: wav.PCM16, header: "RF64", make: ff("always.wav", "-c:a", "pcm_s16le", "-rf64", "always")},
		{name: "ffmpeg rf64 always float", enc: wav.Float32, header: "RF64", make: ff("always32.wav", "-c:a", "pcm_f32le", "-rf64", "always")},
		{name: "ffmpeg LIST INFO", enc: wav.Float32,
			make: ff("info.wav", "-c:a", "pcm_f32le", "-metadata", "title=Übung 3 – Trommel", "-metadata", "artist=Gruppe B")},
		{name: "ffmpeg pipe", enc: wav.PCM16, make: pipe("ffpipe.wav",
			"ffmpeg -v error -f lavfi -i '"+src+"' -c:a pcm_s16le -f wav pipe:1")},
		{name: "ffmpeg pipe 24", enc: wav.PCM24, make: pipe("ffpipe24.wav",
			"ffmpeg -v error -f lavfi -i '"+src+"' -c:a pcm_s24le -f wav pipe:1")},
		{name: "sox pipe", enc: wav.PCM16, make: pipe("soxpipe.wav",
			"sox -V1 -n -r 48000 -c 2 -b 16 -t wav - "+strings.Join(soxSynth(2, "0.1"), " "))},
		{name: "sox pipe 24", enc: wav.PCM24, make: pipe("soxpipe24.wav",
			"sox -V1 -n -r 48000 -c 2 -b 24 -t wav - "+strings.Join(soxSynth(2, "0.1"), " "))},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := c.make()
			if c.header != "" {
				b, _ := os.ReadFile(path)
				if string(b[:4]) != c.header {
					t.Fatalf("file starts with %q, want %q", b[:4], c.header)
				}
			}
			r := checkAgainstSox(t, path, wav.Format{Rate: 48000, Channels: 2, Encoding: c.enc})
			if r.Frames() != 4800 {
				t.Errorf("Frames() = %d, want 4800", r.Frames())
			}
			if c.check != nil {
				c.check(t, r, path)
			}
		})
	}
}

// TestReadHandmade covers valid layouts that the tools above do not write.
func TestReadHandmade(t *testing.T) {
	fmt16 := chunk("fmt ", fmtBody(1, 2, 44100, 4, 16))
	audio := pcm16(1000, -1000, 2000, -2000, 32767, -32768, 0, 1)
	want := [][]float32{{1000.0 / 32768, 2000.0 / 32768, 32767.0 / 32768, 0}, {-1000.0 / 32768, -2000.0 / 32768, -1, 1.0 / 32768}}
	bext := make([]byte, 602)
	copy(bext, "session 12")
	copy(bext[256:], "SangStudio")
	copy(bext[320:], "2024-01-02")
	copy(bext[330:], "03:04:05")
	binary.LittleEndian.PutUint64(bext[338:], 48000*3600)
	list := chunk("LIST", append([]byte("INFO"), chunk("INAM", []byte("Song\x00"))...))
	streaming := func(size uint32) []byte {
		return append([]byte("RIFF\xFF\xFF\xFF\xFFWAVE"), append(fmt16, chunkSized("data", size, audio)...)...)
	}
	cases := []struct {
		name   string
		file   []byte
		frames int // 0: len(want[0])
		bext   *wav.Bext
	}{
		{name: "plain", file: riff(fmt16, chunk("data", audio))},
		{name: "odd chunk with pad byte before data", file: riff(fmt16, chunk("junk", []byte("odd")), chunk("data", audio))},
		{name: "odd chunk without pad byte before data", file: riff(fmt16, chunkSized("junk", 3, []byte("odd")), chunk("data", audio))},
		{name: "LIST after data", file: riff(fmt16, chunk("data", audio), list)},
		{name: "LIST and JUNK before data", file: riff(chunk("JUNK", make([]byte, 28)), list, fmt16, chunk("data", audio))},
		{name: "fmt after data", file: riff(chunk("data", audio), fmt16)},
		{name: "bext before fmt", file: riff(chunk("bext", bext), fmt16, chunk("data", audio)),
			bext: &wav.Bext{Description: "session 12", Originator: "SangStudio", OriginationDate: "2024-01-02",
				OriginationTime: "03:04:05", TimeReference: 48000 * 3600}},
		{name: "bext after data", file: riff(fmt16, chunk("data", audio), chunk("bext", append(bext, "A=PCM,F=44100\r\n"...))),
			bext: &wav.Bext{Description: "session 12", Originator: "SangStudio", OriginationDate: "2024-01-02",
				OriginationTime: "03:04:05", TimeReference: 48000 * 3600}},
		{name: "data size 0xFFFFFFFF", file: streaming(0xFFFFFFFF)},
		{name: "data size 0 with audio following", file: streaming(0)},
		{name: "data size 0x7FFFF000 (sox pipe)", file: streaming(0x7FFFF000)},
		{name: "data size 0x80000000 (arecord)", file: streaming(0x80000000)},
		{name: "data size 0xFFFFFFFF, trailing partial frame", file: append(streaming(0xFFFFFFFF), 1, 2, 3)},
		{name: "data size not a multiple of block align", file: riff(fmt16, chunkSized("data", uint32(len(audio)-1), audio[:len(audio)-1])), frames: 3},
		{name: "data size not a multiple of block align, odd pad", file: riff(fmt16, chunk("data", audio[:len(audio)-3])), frames: 3},
		{name: "RIFF size too large", file: append([]byte("RIFF\x00\x00\x00\x7FWAVE"), append(fmt16, chunk("data", audio)...)...)},
		{name: "RIFF size too small", file: append([]byte("RIFF\x04\x00\x00\x00WAVE"), append(fmt16, chunk("data", audio)...)...)},
		{name: "garbage after data", file: append(riff(fmt16, chunk("data", audio)), "\x00\x01garbage"...)},
		{name: "truncated chunk after data", file: riff(fmt16, chunk("data", audio), chunkSized("LIST", 1000, []byte("INFO")))},
		{name: "extensible 16-bit", file: riff(chunk("fmt ", extensibleFmt(1, 2, 44100, 16, 16)), chunk("data", audio))},
		{name: "RF64 with ds64", file: func() []byte {
			ds64 := make([]byte, 28)
			binary.LittleEndian.PutUint64(ds64[8:], uint64(len(audio)))
			b := []byte("RF64\xFF\xFF\xFF\xFFWAVE")
			b = append(b, chunk("ds64", ds64)...)
			b = append(b, fmt16...)
			return append(b, chunkSized("data", 0xFFFFFFFF, audio)...)
		}()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := openBytes(c.file)
			if err != nil {
				t.Fatalf("NewReader: %v", err)
			}
			if f := r.Format(); f != (wav.Format{Rate: 44100, Channels: 2, Encoding: wav.PCM16}) {
				t.Errorf("Format() = %+v", f)
			}
			w := want
			if c.frames != 0 {
				w = [][]float32{want[0][:c.frames], want[1][:c.frames]}
			}
			compare(t, readAll(t, r), w, 0)
			if got := r.Bext(); (got == nil) != (c.bext == nil) || (got != nil && *got != *c.bext) {
				t.Errorf("Bext() = %+v, want %+v", got, c.bext)
			}
		})
	}
}

// TestReadExtensibleValidBits: 20 valid bits in a 24-bit container are
// left-justified, so the container scale is right.
func TestReadExtensibleValidBits(t *testing.T) {
	s := int32(0x12345) << 4 // a 20-bit value, left-justified in 24 bits
	audio := []byte{byte(s), byte(s >> 8), byte(s >> 16)}
	r, err := openBytes(riff(chunk("fmt ", extensibleFmt(1, 1, 96000, 24, 20)), chunk("data", audio)))
	if err != nil {
		t.Fatal(err)
	}
	if f := r.Format(); f.Encoding != wav.PCM24 || f.Rate != 96000 {
		t.Errorf("Format() = %+v", f)
	}
	compare(t, readAll(t, r), [][]float32{{float32(0x12345) / (1 << 19)}}, 0)

	// Float sub-format.
	f := make([]byte, 4)
	binary.LittleEndian.PutUint32(f, math.Float32bits(-0.25))
	r, err = openBytes(riff(chunk("fmt ", extensibleFmt(3, 1, 48000, 32, 32)), chunk("data", f)))
	if err != nil {
		t.Fatal(err)
	}
	if enc := r.Format().Encoding; enc != wav.Float32 {
		t.Errorf("Encoding = %v, want Float32", enc)
	}
	compare(t, readAll(t, r), [][]float32{{-0.25}}, 0)
}

// TestDecodeAllEncodings checks every decode loop (specialised and generic)
// against hand-encoded samples, including full scale.
func TestDecodeAllEncodings(t *testing.T) {
	vals := []float64{0, 0.5, -0.5, -1, 0.25, 1 - 1.0/128, -0.125}
	type enc struct {
		e   wav.Encoding
		tag uint16
		put func(b []byte, v float64) []byte
	}
	encs := []enc{
		{wav.PCM8, 1, func(b []byte, v float64) []byte { return append(b, byte(int(v*128)+128)) }},
		{wav.PCM16, 1, func(b []byte, v float64) []byte { return binary.LittleEndian.AppendUint16(b, uint16(int16(v*32768))) }},
		{wav.PCM24, 1, func(b []byte, v float64) []byte {
			x := int32(v * (1 << 23))
			return append(b, byte(x), byte(x>>8), byte(x>>16))
		}},
		{wav.PCM32, 1, func(b []byte, v float64) []byte {
			return binary.LittleEndian.AppendUint32(b, uint32(int32(v*(1<<31))))
		}},
		{wav.Float32, 3, func(b []byte, v float64) []byte {
			return binary.LittleEndian.AppendUint32(b, math.Float32bits(float32(v)))
		}},
		{wav.Float64, 3, func(b []byte, v float64) []byte { return binary.LittleEndian.AppendUint64(b, math.Float64bits(v)) }},
	}
	for _, e := range encs {
		for _, ch := range []int{1, 2, 3, 8} {
			for _, frames := range []int{1, 2, 3, 5, 1000} { // odd counts hit the unrolled loops' tails
				t.Run(fmt.Sprintf("%v/%dch/%d", e.e, ch, frames), func(t *testing.T) {
					var data []byte
					want := make([][]float32, ch)
					for i := 0; i < frames; i++ {
						for c := 0; c < ch; c++ {
							data = e.put(data, vals[(i+c)%len(vals)]*(1-float64(c)/16))
							want[c] = append(want[c], 0) // filled in below
						}
					}
					// Decode expectations from the bytes independently.
					bs := e.e.Bytes()
					for i := 0; i < frames; i++ {
						for c := 0; c < ch; c++ {
							s := data[(i*ch+c)*bs:]
							var v float64
							switch e.e {
							case wav.PCM8:
								v = (float64(s[0]) - 128) / 128
							case wav.PCM16:
								v = float64(int16(binary.LittleEndian.Uint16(s))) / 32768
							case wav.PCM24:
								v = float64(int32(uint32(s[0])<<8|uint32(s[1])<<16|uint32(s[2])<<24)>>8) / (1 << 23)
							case wav.PCM32:
								v = float64(int32(binary.LittleEndian.Uint32(s))) / (1 << 31)
							case wav.Float32:
								v = float64(math.Float32frombits(binary.LittleEndian.Uint32(s)))
							case wav.Float64:
								v = math.Float64frombits(binary.LittleEndian.Uint64(s))
							}
							want[c][i] = float32(v)
						}
					}
					ba := uint16(ch * bs)
					file := riff(chunk("fmt ", fmtBody(e.tag, uint16(ch), 8000, ba, uint16(8*bs))), chunk("data", data))
					r, err := openBytes(file)
					if err != nil {
						t.Fatal(err)
					}
					if r.Format().Encoding != e.e {
						t.Fatalf("Encoding = %v, want %v", r.Format().Encoding, e.e)
					}
					compare(t, readAll(t, r), want, 0)
				})
			}
		}
	}
}

func TestReadBadFiles(t *testing.T) {
	fmt16 := chunk("fmt ", fmtBody(1, 2, 44100, 4, 16))
	audio := pcm16(1, 2, 3, 4)
	cases := []struct {
		name   string
		file   []byte
		reason string // substring of FormatError.Reason
		huge   bool   // claims 4 GB: must not allocate much
	}{
		{name: "empty", file: nil, reason: "empty file"},
		{name: "garbage", file: []byte("this is not audio at all, just text"), reason: `not a WAV file (starts with "this")`},
		{name: "mp3", file: []byte("ID3\x03\x00\x00\x00\x00\x00\x00"), reason: `not a WAV file (starts with "ID3\x03"`},
		{name: "flac", file: []byte("fLaC\x00\x00\x00\x22"), reason: "FLAC"},
		{name: "one byte", file: []byte("R"), reason: "not a WAV file"},
		{name: "truncated RIFF header", file: []byte("RIFF\x24\x00\x00\x00WA"), reason: "truncated"},
		{name: "RIFF but AVI", file: []byte("RIFF\x04\x00\x00\x00AVI "), reason: `RIFF file of type "AVI "`},
		{name: "RIFX", file: []byte("RIFX\x00\x00\x00\x24WAVE"), reason: "big-endian"},
		{name: "header only", file: []byte("RIFF\x04\x00\x00\x00WAVE"), reason: "no fmt chunk"},
		{name: "truncated chunk header", file: append([]byte("RIFF\x04\x00\x00\x00WAVE"), "fmt "...), reason: "truncated"},
		{name: "truncated fmt", file: riff(chunkSized("fmt ", 16, fmtBody(1, 2, 44100, 4, 16)[:10])), reason: "truncated: the fmt chunk claims 16 bytes but only 10 follow"},
		{name: "short fmt", file: riff(chunk("fmt ", fmtBody(1, 2, 44100, 4, 16)[:14]), chunk("data", audio)), reason: "fmt chunk is only 14 bytes"},
		{name: "short extensible fmt", file: riff(chunk("fmt ", extensibleFmt(1, 2, 44100, 16, 16)[:24]), chunk("data", audio)), reason: "extensible fmt chunk is only 24 bytes"},
		{name: "no fmt", file: riff(chunk("data", audio)), reason: "no fmt chunk"},
		{name: "no data", file: riff(fmt16), reason: "no data chunk"},
		{name: "zero-length data", file: riff(fmt16, chunk("data", nil)), reason: "no audio data (data chunk is empty)"},
		{name: "zero-length data then LIST", file: riff(fmt16, chunk("data", nil), chunk("LIST", []byte("INFO"))), reason: "no audio data (data chunk is empty)"},
		{name: "less than one frame", file: riff(fmt16, chunk("data", []byte{1, 2, 3})), reason: "less than one 4-byte frame"},
		{name: "truncated data", file: riff(fmt16, chunkSized("data", 1200, make([]byte, 100))), reason: "truncated: the data chunk claims 1200 bytes but only 100 follow"},
		{name: "data claims 4 GB, 100 bytes present", huge: true, file: riff(fmt16, chunkSized("data", 0xFFFFFFFE, make([]byte, 100))),
			reason: "truncated: the data chunk claims 4294967294 bytes but only 100 follow"},
		{name: "fmt claims 4 GB", huge: true, file: riff(chunkSized("fmt ", 0xFFFFFFF0, fmtBody(1, 2, 44100, 4, 16)), chunk("data", audio)),
			reason: "fmt chunk claims 4294967280 bytes"},
		{name: "fmt claims 60 KiB", file: riff(chunkSized("fmt ", 60<<10, fmtBody(1, 2, 44100, 4, 16)), chunk("data", audio)),
			reason: "truncated: the fmt chunk claims 61440 bytes"},
		{name: "LIST claims 4 GB before data", huge: true, file: riff(fmt16, chunkSized("LIST", 0xFFFFFFF0, []byte("INFO")), chunk("data", audio)),
			reason: `truncated: the "LIST" chunk claims 4294967280 bytes`},
		{name: "bext claims 4 GB", huge: true, file: riff(chunkSized("bext", 0xFFFFFFF0, make([]byte, 700))), reason: `truncated: the "bext" chunk`},
		{name: "RIFF size lies and data truncated", huge: true, file: append([]byte("RIFF\xF0\xFF\xFF\xFFWAVE"), append(fmt16, chunkSized("data", 0x7FFFFFF0, audio)...)...),
			reason: "truncated: the data chunk claims 2147483632 bytes but only 8 follow"},
		{name: "RIFF size lies, no fmt", file: append([]byte("RIFF\x00\x10\x00\x00WAVE"), chunk("data", audio)...), reason: "no fmt chunk"},
		{name: "0 channels", file: riff(chunk("fmt ", fmtBody(1, 0, 44100, 0, 16)), chunk("data", audio)), reason: "0 channels"},
		{name: "0 rate", file: riff(chunk("fmt ", fmtBody(1, 2, 0, 4, 16)), chunk("data", audio)), reason: "sample rate is 0 Hz"},
		{name: "12 bits in PCM tag", file: riff(chunk("fmt ", fmtBody(1, 2, 44100, 4, 12)), chunk("data", audio)), reason: "unsupported sample format: 12-bit integer"},
		{name: "48-bit float", file: riff(chunk("fmt ", fmtBody(3, 1, 44100, 6, 48)), chunk("data", audio)), reason: "48-bit float"},
		{name: "block align mismatch", file: riff(chunk("fmt ", fmtBody(1, 2, 44100, 3, 16)), chunk("data", audio)), reason: "block align 3 does not match 2 channels of 16-bit"},
		{name: "A-law", file: riff(chunk("fmt ", fmtBody(6, 1, 8000, 1, 8)), chunk("data", audio)), reason: "unsupported sample format: A-law (format tag 6)"},
		{name: "MP3 in WAV", file: riff(chunk("fmt ", fmtBody(0x55, 2, 44100, 1, 0)), chunk("data", audio)), reason: "MP3 (format tag 85)"},
		{name: "unknown format tag", file: riff(chunk("fmt ", fmtBody(0x1234, 2, 44100, 4, 16)), chunk("data", audio)), reason: "unsupported sample format (format tag 4660)"},
		{name: "extensible A-law", file: riff(chunk("fmt ", extensibleFmt(6, 1, 8000, 8, 8)), chunk("data", audio)), reason: "A-law (format tag 6)"},
		{name: "extensible unknown GUID", file: func() []byte {
			f := extensibleFmt(1, 2, 44100, 16, 16)
			f[len(f)-1] ^= 0xFF
			return riff(chunk("fmt ", f), chunk("data", audio))
		}(), reason: "extensible sub-format {00000001-0000-0010-8000-00AA00389B8E}"},
		{name: "binary chunk ID before data", file: riff(fmt16, []byte("\x00\x01\x02\x03\x04\x00\x00\x00"), chunk("data", audio)), reason: "unreadable chunk header"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var r *wav.Reader
			var err error
			alloc := allocatedBytes(func() { r, err = openBytes(c.file) })
			if err == nil {
				t.Fatalf("NewReader accepted it: %+v, %d frames", r.Format(), r.Frames())
			}
			fe := asFormatError(t, err)
			if !strings.Contains(fe.Reason, c.reason) {
				t.Errorf("Reason = %q, want it to contain %q", fe.Reason, c.reason)
			}
			if fe.Path != "" {
				t.Errorf("Path = %q from NewReader", fe.Path)
			}
			if alloc > 64<<10 {
				t.Errorf("NewReader allocated %d bytes", alloc)
			}
			if c.huge {
				if n := testing.AllocsPerRun(10, func() { openBytes(c.file) }); n > 10 {
					t.Errorf("NewReader made %v allocations", n)
				}
			}

			// The same file through Open names the file.
			p := writeFile(t, t.TempDir(), "bad.wav", c.file)
			_, err = wav.Open(p)
			fe = asFormatError(t, err)
			if fe.Path != p || !strings.HasPrefix(err.Error(), "wav: "+p+": ") {
				t.Errorf("Open error %q does not name %s", err, p)
			}
		})
	}
}

// allocatedBytes returns how many bytes f allocated on the heap.
func allocatedBytes(f func()) uint64 {
	var a, b runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

// TestOpenHugeClaimsSparse opens real (sparse) files whose headers claim
// 4 GB, to check that Open neither allocates nor reads much.
func TestOpenHugeClaimsSparse(t *testing.T) {
	dir := t.TempDir()
	fmt16 := chunk("fmt ", fmtBody(1, 2, 44100, 4, 16))
	// A real 3 GB sparse file whose data chunk claims 4 GB.
	p := filepath.Join(dir, "sparse.wav")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	f.Write(riff(fmt16, chunkSized("data", 0xFFFFFFF0, nil)))
	if err := f.Truncate(3 << 30); err != nil {
		t.Skipf("cannot make a sparse file: %v", err)
	}
	f.Close()
	var r *wav.Reader
	alloc := allocatedBytes(func() { r, err = wav.Open(p) })
	if err == nil {
		r.Close()
		t.Fatal("Open accepted a data chunk longer than the file")
	}
	asFormatError(t, err)
	if alloc > 1<<20 {
		t.Errorf("Open allocated %d bytes", alloc)
	}

	// A 4 GB data chunk streaming to the end of a 3 GB file is fine, and
	// opening it is cheap too.
	p2 := filepath.Join(dir, "sparse2.wav")
	f, _ = os.Create(p2)
	f.Write(riff(fmt16, chunkSized("data", 0xFFFFFFFF, nil)))
	f.Truncate(3 << 30)
	f.Close()
	alloc = allocatedBytes(func() { r, err = wav.Open(p2) })
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if alloc > 1<<20 {
		t.Errorf("Open allocated %d bytes", alloc)
	}
	if want := int64(3<<30-44) / 4; r.Frames() != want {
		t.Errorf("Frames() = %d, want %d", r.Frames(), want)
	}
	if err := r.Seek(r.Frames() - 10); err != nil {
		t.Fatal(err)
	}
	got := readAll2(t, r)
	if len(got[0]) != 10 {
		t.Errorf("read %d frames at the end, want 10", len(got[0]))
	}
}

// readAll2 reads to EOF without the Frames() check of readAll.
func readAll2(t *testing.T, r *wav.Reader) [][]float32 {
	buf := [][]float32{make([]float32, 7), make([]float32, 7)}
	out := make([][]float32, 2)
	for {
		n, err := r.Read(buf)
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out[0] = append(out[0], buf[0][:n]...)
		out[1] = append(out[1], buf[1][:n]...)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	_, err := wav.Open(filepath.Join(dir, "missing.wav"))
	var pe *fs.PathError
	if !errors.As(err, &pe) || !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "missing.wav") {
		t.Errorf("Open(missing) = %v, want a *fs.PathError naming the file", err)
	}
	// Not ordinary files: refused by name, before anything is read (a
	// FIFO with no writer would otherwise block Open for ever).
	fifo := filepath.Join(dir, "fifo.wav")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for path, kind := range map[string]openfile.Kind{dir: openfile.Folder, fifo: openfile.FIFO, "/dev/zero": openfile.Device} {
		for name, open := range map[string]func(string) (*wav.Reader, error){"Open": wav.Open, "OpenUnfinished": wav.OpenUnfinished} {
			_, err = open(path)
			var oe *openfile.Error
			if !errors.As(err, &oe) || oe.Path != path || oe.Kind != kind {
				t.Errorf("%s(%s) = %v, want an *openfile.Error (%s)", name, path, err, kind)
			}
		}
		if _, err := wav.RepairedFrames(path); !errors.Is(err, openfile.ErrNotRegular) {
			t.Errorf("RepairedFrames(%s) = %v", path, err)
		}
	}
}

func TestSeekAndRead(t *testing.T) {
	const frames = 1000
	var data []byte
	for i := 0; i < frames; i++ {
		data = append(data, pcm16(int16(i), int16(-i))...)
	}
	r, err := openBytes(riff(chunk("fmt ", fmtBody(1, 2, 48000, 4, 16)), chunk("data", data)))
	if err != nil {
		t.Fatal(err)
	}
	buf := [][]float32{make([]float32, 300), make([]float32, 300)}
	for _, c := range []struct {
		seek, want int64
	}{{0, 300}, {999, 1}, {700, 300}, {701, 299}, {1000, 0}} {
		if err := r.Seek(c.seek); err != nil {
			t.Fatalf("Seek(%d): %v", c.seek, err)
		}
		n, err := r.Read(buf)
		if c.want == 0 {
			if n != 0 || err != io.EOF {
				t.Errorf("Read at %d = %d, %v; want 0, io.EOF", c.seek, n, err)
			}
			continue
		}
		if err != nil || int64(n) != c.want {
			t.Fatalf("Read at %d = %d, %v; want %d", c.seek, n, err, c.want)
		}
		if buf[0][0] != float32(c.seek)/32768 || buf[1][n-1] != -float32(c.seek+int64(n)-1)/32768 {
			t.Errorf("Read at %d: wrong samples %v, %v", c.seek, buf[0][0], buf[1][n-1])
		}
	}
	for _, bad := range []int64{-1, 1001} {
		if err := r.Seek(bad); err == nil {
			t.Errorf("Seek(%d) succeeded", bad)
		}
	}
	// Wrong channel count, empty and ragged buffers.
	if _, err := r.Read(buf[:1]); err == nil {
		t.Error("Read with 1 buffer for 2 channels succeeded")
	}
	r.Seek(0)
	if n, err := r.Read([][]float32{{}, {}}); n != 0 || err != nil {
		t.Errorf("Read(empty) = %d, %v", n, err)
	}
	if n, err := r.Read([][]float32{make([]float32, 10), make([]float32, 4)}); n != 4 || err != nil {
		t.Errorf("Read(10, 4) = %d, %v; want 4 frames", n, err)
	}
	// A large read served in several pieces.
	r.Seek(0)
	big := [][]float32{make([]float32, 5000), make([]float32, 5000)}
	if n, err := r.Read(big); n != frames || err != nil {
		t.Errorf("Read(5000) = %d, %v", n, err)
	}
	if n, err := r.Read(big); n != 0 || err != io.EOF {
		t.Errorf("Read after end = %d, %v", n, err)
	}
}

// TestReadLargeInPieces reads more than the internal buffer in one call.
func TestReadLargeInPieces(t *testing.T) {
	const frames = 100000 // 600 KB of 24-bit stereo, several buffer loads
	data := make([]byte, 0, frames*6)
	for i := 0; i < frames; i++ {
		v, w := int32(i*83), -int32(i*83)
		data = append(data, byte(v), byte(v>>8), byte(v>>16), byte(w), byte(w>>8), byte(w>>16))
	}
	r, err := openBytes(riff(chunk("fmt ", fmtBody(1, 2, 48000, 6, 24)), chunk("data", data)))
	if err != nil {
		t.Fatal(err)
	}
	buf := [][]float32{make([]float32, frames), make([]float32, frames)}
	n, err := r.Read(buf)
	if n != frames || err != nil {
		t.Fatalf("Read = %d, %v", n, err)
	}
	for i := 0; i < frames; i++ {
		if buf[0][i] != float32(i*83)/(1<<23) || buf[1][i] != -float32(i*83)/(1<<23) {
			t.Fatalf("frame %d: %v %v", i, buf[0][i], buf[1][i])
		}
	}
}

// TestReadFileShrank: a file cut short after Open gives io.ErrUnexpectedEOF
// with the frames that are there.
func TestReadFileShrank(t *testing.T) {
	data := make([]byte, 4000)
	p := writeFile(t, t.TempDir(), "a.wav", riff(chunk("fmt ", fmtBody(1, 2, 48000, 4, 16)), chunk("data", data)))
	r, err := wav.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := os.Truncate(p, 44+402); err != nil {
		t.Fatal(err)
	}
	buf := [][]float32{make([]float32, 1000), make([]float32, 1000)}
	n, err := r.Read(buf)
	if n != 100 || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("Read = %d, %v; want 100, io.ErrUnexpectedEOF", n, err)
	}
}

func TestReadZeroAllocs(t *testing.T) {
	for _, f := range []wav.Format{
		{Rate: 48000, Channels: 1, Encoding: wav.PCM24},
		{Rate: 48000, Channels: 2, Encoding: wav.PCM16},
		{Rate: 48000, Channels: 2, Encoding: wav.Float32},
		{Rate: 48000, Channels: 6, Encoding: wav.Float64},
	} {
		t.Run(fmt.Sprintf("%dch/%v", f.Channels, f.Encoding), func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "a.wav")
			writeTestFile(t, p, f, 48000, wav.WriterOptions{})
			r, err := wav.Open(p)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			buf := make([][]float32, f.Channels)
			for c := range buf {
				buf[c] = make([]float32, 4096)
			}
			allocs := testing.AllocsPerRun(100, func() {
				if _, err := r.Read(buf); err == io.EOF {
					r.Seek(0)
				}
			})
			if allocs != 0 {
				t.Errorf("Read allocates %v times per call", allocs)
			}
		})
	}
}
