package encode

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mewkiz/flac"

	"sangstudio/audio/wav"
	"sangstudio/internal/testtool"
)

var allFormats = []Format{WAV16, WAV24, FLAC16, FLAC24, MP3}

// testTags have æøå, quotes and a title longer than 30 characters (ID3v1
// cuts it), all in ISO-8859-1 so that MP3 gets an ID3v1 tag too.
var testTags = Tags{
	Title:  `Blåbærsyltetøy "quotes" - en veldig lang tittel som fortsetter og fortsetter over tretti tegn`,
	Artist: "Ærlig Åse & Ørjan",
	Album:  "Øvingsrommet",
	Track:  3,
	Tracks: 12,
}

// lameDelay is LAME's encoder delay plus the decoder delay (576 + 529),
// which the LAME tag tells decoders to skip.
const lameDelay = 1105

func TestFormatsReadBack(t *testing.T) {
	testtool.Require(t, "ffprobe")
	dir := t.TempDir()
	for _, rate := range []int{44100, 48000} {
		src := testSignal(rate, 3*rate, 2)
		for _, f := range allFormats {
			t.Run(fmt.Sprintf("%v/%d", f, rate), func(t *testing.T) {
				path := writeFile(t, dir, fmt.Sprintf("%d-%d", f, rate), Options{Format: f, Rate: rate, Channels: 2, Tags: testTags, DitherSeed: 7}, src)
				st, tags := probe(t, path)
				codec, bits := map[Format]string{WAV16: "pcm_s16le", WAV24: "pcm_s24le", FLAC16: "flac", FLAC24: "flac", MP3: "mp3"}[f], ""
				switch f {
				case WAV24, FLAC24:
					bits = "24"
				case FLAC16:
					bits = "16"
				}
				if st.CodecName != codec || st.SampleRate != strconv.Itoa(rate) || st.Channels != 2 || st.BitsPerRawSample != bits {
					t.Errorf("ffprobe: codec %s, %s Hz, %d channels, %q bits; want %s, %d Hz, 2 channels, %q bits",
						st.CodecName, st.SampleRate, st.Channels, st.BitsPerRawSample, codec, rate, bits)
				}
				wantTrack := "3"
				if f == MP3 {
					wantTrack = "3/12"
				}
				want := map[string]string{"title": testTags.Title, "artist": testTags.Artist, "album": testTags.Album, "track": wantTrack}
				if f == FLAC16 || f == FLAC24 {
					want["tracktotal"] = "12"
				}
				for k, v := range want {
					if tags[k] != v {
						t.Errorf("tag %s = %q, want %q", k, tags[k], v)
					}
				}
				if len(tags) != len(want) {
					t.Errorf("tags %q, want exactly %q", tags, want)
				}
				if f != MP3 {
					if st.TimeBase != "1/"+strconv.Itoa(rate) || st.DurationTS != int64(3*rate) {
						t.Errorf("duration %d in %s, want %d samples", st.DurationTS, st.TimeBase, 3*rate)
					}
					return
				}
				checkMP3(t, path, st, rate, 3*rate, src)
			})
		}
	}
}

// checkMP3 checks an MP3 of frames frames read back by ffprobe, ffmpeg
// and mp3val.
func checkMP3(t *testing.T, path string, st probeStream, rate, frames int, src [][]float32) {
	t.Helper()
	// ffmpeg 5.1 reports the duration of all MPEG frames after the LAME
	// tag frame, starting at start_time = the encoder delay it read from
	// the LAME tag (0 without a LAME tag), and it trims delay and padding
	// when decoding: the exact sample count proves the tag is right.
	start, _ := strconv.ParseFloat(st.StartTime, 64)
	dur, _ := strconv.ParseFloat(st.Duration, 64)
	if want := float64(lameDelay) / float64(rate); math.Abs(start-want) > 1e-5 {
		t.Errorf("start_time %v, want %v (the LAME tag's encoder delay)", start, want)
	}
	if d := dur - start - float64(frames)/float64(rate); d < 0 || d > 1152/float64(rate) {
		t.Errorf("duration %v - start %v is %v s off %v s: more than one MPEG frame", dur, start, d, float64(frames)/float64(rate))
	}
	dec := decodeFFmpeg(t, path)
	ch := len(src)
	if len(dec)/ch != frames {
		t.Errorf("ffmpeg decoded %d frames, want exactly %d (LAME tag delay/padding not applied?)", len(dec)/ch, frames)
	}
	snr, lag := alignedSNR(src, dec, 3000)
	t.Logf("MP3 %d Hz %d ch: SNR %.1f dB at lag %d", rate, ch, snr, lag)
	if snr < 15 || lag != 0 {
		t.Errorf("SNR %.1f dB at lag %d; want > 15 dB at lag 0", snr, lag)
	}
	if _, err := exec.LookPath("mp3val"); err == nil {
		out, _ := exec.Command("mp3val", path).CombinedOutput()
		if bytes.Contains(out, []byte("WARNING")) || bytes.Contains(out, []byte("ERROR")) {
			t.Errorf("mp3val:\n%s", out)
		}
	} else {
		t.Log("mp3val is not installed: skipping its check")
	}
}

// TestMP3Layout checks the bytes around the tags: an exact ID3v2.3 tag,
// the LAME tag frame right after it, and an ID3v1.1 tag at the end.
func TestMP3Layout(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "layout", Options{Format: MP3, Rate: 44100, Channels: 2, Tags: testTags}, testSignal(44100, 44100, 2))
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("ID3\x03\x00\x00")) {
		t.Fatalf("starts with % x, want an ID3v2.3 header", b[:10])
	}
	size := int(b[6])<<21 | int(b[7])<<14 | int(b[8])<<7 | int(b[9])
	if (b[6]|b[7]|b[8]|b[9])&0x80 != 0 {
		t.Errorf("size bytes % x are not syncsafe", b[6:10])
	}
	// The frames fill the tag exactly: no padding.
	var ids []string
	for p := 10; p < 10+size; {
		id := string(b[p : p+4])
		n := int(binary.BigEndian.Uint32(b[p+4:]))
		if b[p+10] != 1 || b[p+11] != 0xFF || b[p+12] != 0xFE {
			t.Errorf("frame %s: encoding % x, want 01 ff fe", id, b[p+10:p+13])
		}
		ids = append(ids, id)
		p += 10 + n
		if p > 10+size {
			t.Fatalf("frame %s overruns the tag", id)
		}
	}
	if got := strings.Join(ids, " "); got != "TIT2 TPE1 TALB TRCK" {
		t.Errorf("frames %s", got)
	}
	first := b[10+size:]
	if first[0] != 0xFF || first[1]&0xE0 != 0xE0 {
		t.Fatalf("no MPEG frame after the ID3v2 tag: % x", first[:4])
	}
	// MPEG-1 Layer III stereo: side info is 32 bytes; the Info tag follows.
	if string(first[36:40]) != "Info" || !bytes.Contains(first[:200], []byte("LAME")) {
		t.Errorf("the first frame is not a LAME Info frame: %q", first[:200])
	}
	v1 := b[len(b)-128:]
	if string(v1[:3]) != "TAG" {
		t.Fatalf("no ID3v1 tag at the end: %q", v1)
	}
	field := func(s string) []byte {
		f := make([]byte, 30)
		for i, r := range []rune(s) {
			if i == 30 {
				break
			}
			f[i] = byte(r)
		}
		return f
	}
	if !bytes.Equal(v1[3:33], field(testTags.Title)) || !bytes.Equal(v1[33:63], field(testTags.Artist)) || !bytes.Equal(v1[63:93], field(testTags.Album)) {
		t.Errorf("ID3v1 fields %q", v1[3:93])
	}
	if v1[125] != 0 || v1[126] != 3 || v1[127] != 255 {
		t.Errorf("ID3v1.1 track/genre bytes % x, want 00 03 ff", v1[125:])
	}
}

// TestMP3NonLatin1 checks that characters outside ISO-8859-1 (an en dash,
// an emoji outside the BMP, Cyrillic) survive in ID3v2 and that no ID3v1
// tag is written then.
func TestMP3NonLatin1(t *testing.T) {
	testtool.Require(t, "ffprobe")
	tags := Tags{Title: "Sang – for deg 🎵", Artist: "Пётр", Album: "Å", Track: 300}
	path := writeFile(t, t.TempDir(), "utf", Options{Format: MP3, Rate: 48000, Channels: 2, Tags: tags}, testSignal(48000, 4800, 2))
	_, got := probe(t, path)
	want := map[string]string{"title": tags.Title, "artist": tags.Artist, "album": tags.Album, "track": "300"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("tags %q, want %q", got, want)
	}
	b, _ := os.ReadFile(path)
	if bytes.Contains(b[len(b)-128:len(b)-125], []byte("TAG")) {
		t.Error("an ID3v1 tag was written for tags it cannot represent")
	}
}

// readWAVInts reads a 16- or 24-bit WAV file with package wav and returns
// its samples as integers, interleaved.
func readWAVInts(t *testing.T, path string) (wav.Format, []int32) {
	t.Helper()
	r, err := wav.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	f := r.Format()
	scale := float32(int32(1) << (8*f.Encoding.Bytes() - 1))
	dst := make([][]float32, f.Channels)
	for c := range dst {
		dst[c] = make([]float32, r.Frames())
	}
	n, err := r.Read(dst)
	if err != nil || int64(n) != r.Frames() {
		t.Fatalf("read %d of %d frames: %v", n, r.Frames(), err)
	}
	s := make([]int32, 0, n*f.Channels)
	for i := 0; i < n; i++ {
		for c := range dst {
			s = append(s, int32(dst[c][i]*scale))
		}
	}
	return f, s
}

// readFLACInts decodes a FLAC file with mewkiz/flac.
func readFLACInts(t *testing.T, path string) []int32 {
	t.Helper()
	st, err := flac.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var s []int32
	for {
		fr, err := st.ParseNext()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < fr.Subframes[0].NSamples; i++ {
			for _, sf := range fr.Subframes {
				s = append(s, sf.Samples[i])
			}
		}
	}
	return s
}

func equalInts(t *testing.T, what string, got, want []int32) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d samples, want %d", what, len(got), len(want))
		return
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("%s: sample %d is %d, want %d", what, i, got[i], want[i])
			return
		}
	}
}

// TestLosslessExact checks that WAV and FLAC store exactly the dithered
// integers, that FLAC16 and WAV16 (and FLAC24 and WAV24) with the same
// seed hold the same samples, and that flac -t (which checks the MD5 in
// STREAMINFO) and flac -d agree.
func TestLosslessExact(t *testing.T) {
	dir := t.TempDir()
	src := testSignal(44100, 44100*2+1234, 2)
	// Some out-of-range and odd values: clipping, NaN, exact full scale.
	src[0][10], src[1][10] = 1.5, -1.5
	src[0][11], src[1][11] = float32(math.NaN()), -1
	src[0][12], src[1][12] = 1, float32(math.Inf(1))
	for _, bits := range []int{16, 24} {
		wf, ff := WAV16, FLAC16
		if bits == 24 {
			wf, ff = WAV24, FLAC24
		}
		want := quantised(src, bits, 99)
		hi := int32(1)<<(bits-1) - 1
		if want[20] != hi || want[21] != -hi-1 || want[22] < -1 || want[22] > 1 || want[24] != hi && want[24] != hi-1 || want[25] != hi {
			t.Errorf("%d-bit: clipped/NaN samples %v", bits, want[20:26])
		}
		wp := writeFile(t, dir, fmt.Sprint("w", bits), Options{Format: wf, Rate: 44100, Channels: 2, DitherSeed: 99}, src)
		fp := writeFile(t, dir, fmt.Sprint("f", bits), Options{Format: ff, Rate: 44100, Channels: 2, DitherSeed: 99}, src)
		format, got := readWAVInts(t, wp)
		if format.Rate != 44100 || format.Channels != 2 || format.Encoding.Bytes()*8 != bits {
			t.Errorf("WAV format %+v", format)
		}
		equalInts(t, fmt.Sprintf("WAV%d vs the dithered input", bits), got, want)
		equalInts(t, fmt.Sprintf("FLAC%d (mewkiz decoder) vs the dithered input", bits), readFLACInts(t, fp), want)

		testtool.Run(t, "flac", "-s", "-t", fp)
		dec := filepath.Join(dir, fmt.Sprint("dec", bits, ".wav"))
		testtool.Run(t, "flac", "-s", "-d", "-o", dec, fp)
		_, got = readWAVInts(t, dec)
		equalInts(t, fmt.Sprintf("FLAC%d (flac -d) vs the dithered input", bits), got, want)
	}
}

// TestWAVInfoReadBack checks that package wav reads files with a
// LIST/INFO chunk before the data, also after a crash and Repair.
func TestWAVInfoReadBack(t *testing.T) {
	dir := t.TempDir()
	// Odd-length strings, to exercise the pad bytes.
	tags := Tags{Title: "Ode", Artist: "Bø", Track: 7}
	src := testSignal(48000, 4801, 1)
	path := writeFile(t, dir, "info", Options{Format: WAV16, Rate: 48000, Channels: 1, Tags: tags}, src)
	f, got := readWAVInts(t, path)
	if f.Channels != 1 || len(got) != 4801 {
		t.Fatalf("read %d samples of %+v", len(got), f)
	}
	equalInts(t, "WAV with INFO", got, quantised(src, 16, 0))
	b, _ := os.ReadFile(path)
	list := []byte("LIST\x26\x00\x00\x00INFOINAM\x04\x00\x00\x00Ode\x00IART\x04\x00\x00\x00B\xc3\xb8\x00ITRK\x02\x00\x00\x007\x00")
	if i := bytes.Index(b, list); i < 0 || i > bytes.Index(b, []byte("data")) || i < bytes.Index(b, []byte("fmt ")) {
		t.Errorf("no LIST/INFO chunk %q between fmt and data in\n%q", list, b[:120])
	}
	if _, err := exec.LookPath("ffprobe"); err == nil {
		_, pt := probe(t, path)
		if want := map[string]string{"title": "Ode", "artist": "Bø", "track": "7"}; fmt.Sprint(pt) != fmt.Sprint(want) {
			t.Errorf("ffprobe tags %q, want %q", pt, want)
		}
	}

	// A recording that was never closed: Repair fixes the sizes, the
	// reader then reads every frame.
	crash := filepath.Join(dir, "crash.wav")
	w, err := wav.Create(crash, wav.Format{Rate: 48000, Channels: 1, Encoding: wav.PCM16},
		wav.WriterOptions{Info: &wav.Info{Title: "Uferdig", Album: "Øving"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write([][]float32{src[0][:1000]}); err != nil {
		t.Fatal(err)
	}
	if err := w.Sync(); err != nil {
		t.Fatal(err)
	}
	if err := w.Write([][]float32{src[0][1000:]}); err != nil {
		t.Fatal(err)
	}
	r, err := wav.Open(crash)
	if err != nil {
		t.Fatal(err)
	}
	if r.Frames() != 1000 {
		t.Errorf("before Repair: %d frames, want the 1000 of the last Sync", r.Frames())
	}
	r.Close()
	n, err := wav.Repair(crash)
	if err != nil || n != 4801 {
		t.Errorf("Repair: %d frames, %v; want 4801", n, err)
	}
	w.Close()
	r, err = wav.Open(crash)
	if err != nil {
		t.Fatal(err)
	}
	if r.Frames() != 4801 {
		t.Errorf("after Repair: %d frames", r.Frames())
	}
	r.Close()
}

// TestMP3Clipping checks that a -1 dBFS sine decodes without reaching
// full scale, at both rates, in stereo and mono.
func TestMP3Clipping(t *testing.T) {
	for _, tc := range []struct{ rate, ch int }{{44100, 2}, {48000, 2}, {48000, 1}} {
		amp := math.Pow(10, -1.0/20)
		src := make([][]float32, tc.ch)
		for c := range src {
			src[c] = make([]float32, tc.rate*2)
			for i := range src[c] {
				src[c][i] = float32(amp * math.Sin(2*math.Pi*997*float64(i)/float64(tc.rate)))
			}
		}
		path := writeFile(t, t.TempDir(), "sine", Options{Format: MP3, Rate: tc.rate, Channels: tc.ch}, src)
		dec := decodeFFmpeg(t, path)
		var peak float64
		for _, v := range dec {
			peak = math.Max(peak, math.Abs(float64(v)))
		}
		t.Logf("-1 dBFS sine, %d Hz, %d ch: decoded peak %.2f dBFS", tc.rate, tc.ch, 20*math.Log10(peak))
		if peak >= 1 {
			t.Errorf("%d Hz %d ch: decoded peak %.4f (%.2f dBFS) clips", tc.rate, tc.ch, peak, 20*math.Log10(peak))
		}
	}
}

// TestMP3Mono checks LAME's mono mode: one channel and the right length,
// at 48000 and 32000 Hz.
func TestMP3Mono(t *testing.T) {
	testtool.Require(t, "ffprobe")
	for _, rate := range []int{48000, 32000} {
		src := testSignal(rate, 3*rate, 1)
		path := writeFile(t, t.TempDir(), "mono", Options{Format: MP3, Rate: rate, Channels: 1, Tags: Tags{Title: "Mono"}}, src)
		st, tags := probe(t, path)
		if st.CodecName != "mp3" || st.Channels != 1 || st.SampleRate != strconv.Itoa(rate) || tags["title"] != "Mono" {
			t.Errorf("%d Hz: %+v %q", rate, st, tags)
		}
		checkMP3(t, path, st, rate, 3*rate, src)
	}
}

// TestDeterministic checks that the same input and seed give the same
// bytes, and another seed other bytes.
func TestDeterministic(t *testing.T) {
	dir := t.TempDir()
	src := testSignal(48000, 48000, 2)
	for _, f := range allFormats {
		opt := Options{Format: f, Rate: 48000, Channels: 2, Tags: testTags, DitherSeed: 42}
		a, _ := os.ReadFile(writeFile(t, dir, "a", opt, src))
		b, _ := os.ReadFile(writeFile(t, dir, "b", opt, src))
		opt.DitherSeed = 43
		c, _ := os.ReadFile(writeFile(t, dir, "c", opt, src))
		if !bytes.Equal(a, b) {
			t.Errorf("%v: two runs with the same seed differ", f)
		}
		if bytes.Equal(a, c) {
			t.Errorf("%v: different seeds give the same bytes", f)
		}
	}
}

// TestDiskFull fills a 1 MiB disk: the error names the file and is
// ENOSPC, and Abort leaves no file.
func TestDiskFull(t *testing.T) {
	disk := testtool.SmallDisk(t, "1m")
	// White noise: FLAC cannot compress it, so every format fills the disk.
	noise := make([][]float32, 2)
	seed := uint32(1)
	for c := range noise {
		noise[c] = make([]float32, 48000)
		for i := range noise[c] {
			seed = seed*1664525 + 1013904223
			noise[c][i] = float32(seed>>8)/(1<<23) - 1
		}
	}
	for _, f := range allFormats {
		path := filepath.Join(disk, "full"+f.Ext())
		w, err := Create(path, Options{Format: f, Rate: 48000, Channels: 2, Tags: testTags})
		if err != nil {
			t.Fatalf("%v: %v", f, err)
		}
		for i := 0; i < 100 && err == nil; i++ {
			err = w.Write(noise)
		}
		if err == nil {
			t.Fatalf("%v: wrote 100 s to a 1 MiB disk without an error", f)
		}
		if w.Write(noise) == nil {
			t.Errorf("%v: Write after an I/O error succeeded", f)
		}
		cerr := w.Close()
		for _, e := range []error{err, cerr} {
			if e == nil || !errors.Is(e, syscall.ENOSPC) || !strings.Contains(e.Error(), path) {
				t.Errorf("%v: error %v: want ENOSPC naming %s", f, e, path)
			}
		}
		t.Logf("%v: %v", f, err)
		w.Abort()
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Errorf("%v: after Abort: %v", f, err)
		}
	}

	// A disk already full: Create fails (MP3 and FLAC write their tags
	// at once) or the first Close does; either way Abort cleans up.
	filler := filepath.Join(disk, "filler")
	os.WriteFile(filler, make([]byte, 2<<20), 0o600) // fails when full: fine
	defer os.Remove(filler)
	for _, f := range allFormats {
		path := filepath.Join(disk, "none"+f.Ext())
		w, err := Create(path, Options{Format: f, Rate: 48000, Channels: 2, Tags: testTags})
		if err != nil {
			if !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), path) {
				t.Errorf("%v: Create on a full disk: %v", f, err)
			}
		} else {
			err = w.Write(noise)
			if err == nil {
				err = w.Close()
			} else {
				w.Close()
			}
			if !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), path) {
				t.Errorf("%v: writing on a full disk: %v", f, err)
			}
			w.Abort()
		}
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Errorf("%v: a file is left after failing on a full disk: %v", f, err)
		}
	}
}

// TestPrivacy greps the written bytes for the user name, the host name,
// the file's path and the current year.
func TestPrivacy(t *testing.T) {
	dir := t.TempDir()
	abs, _ := filepath.Abs(dir)
	needles := []string{abs, filepath.Base(abs), strconv.Itoa(time.Now().Year())}
	if u, err := user.Current(); err == nil {
		needles = append(needles, u.Username, u.Name, u.HomeDir)
	}
	if h, err := os.Hostname(); err == nil {
		needles = append(needles, h)
	}
	if h, err := os.UserHomeDir(); err == nil {
		needles = append(needles, h)
	}
	src := testSignal(44100, 44100, 2)
	for _, f := range allFormats {
		path := writeFile(t, dir, "private", Options{Format: f, Rate: 44100, Channels: 2, Tags: testTags}, src)
		b, _ := os.ReadFile(path)
		needles := append(needles, path, filepath.Base(path))
		for _, n := range needles {
			if len(n) >= 3 && (bytes.Contains(b, []byte(n)) || bytes.Contains(b, utf16le(n))) {
				t.Errorf("%v: the file contains %q", f, n)
			}
		}
	}
}

func utf16le(s string) []byte {
	var b []byte
	for _, r := range s {
		b = binary.LittleEndian.AppendUint16(b, uint16(r))
	}
	return b
}

func TestBadOptions(t *testing.T) {
	dir := t.TempDir()
	ok := Options{Format: MP3, Rate: 48000, Channels: 2}
	for _, tc := range []struct {
		name string
		edit func(*Options)
		want string
	}{
		{"MP3 at 96 kHz", func(o *Options) { o.Rate = 96000 }, "96000 Hz"},
		{"MP3 at 22.05 kHz", func(o *Options) { o.Rate = 22050 }, "22050 Hz"},
		{"3 channels", func(o *Options) { o.Channels = 3 }, "3 channels"},
		{"0 channels", func(o *Options) { o.Channels = 0 }, "0 channels"},
		{"Format 0", func(o *Options) { o.Format = 0 }, "no format"},
		{"Format 9", func(o *Options) { o.Format = 9 }, "unknown format 9"},
		{"WAV at 0 Hz", func(o *Options) { o.Format, o.Rate = WAV16, 0 }, "0 Hz"},
		{"FLAC at 100001 Hz", func(o *Options) { o.Format, o.Rate = FLAC16, 100001 }, "100001 Hz"},
		{"negative track", func(o *Options) { o.Tags.Track = -1 }, "negative"},
		{"track after the last", func(o *Options) { o.Tags.Track, o.Tags.Tracks = 5, 4 }, "track 5 of 4"},
		{"long title", func(o *Options) { o.Tags.Title = strings.Repeat("å", MaxTagLen) }, "the title is 4096 bytes"},
	} {
		o := ok
		tc.edit(&o)
		path := filepath.Join(dir, "bad")
		w, err := Create(path, o)
		if err == nil {
			w.Abort()
			t.Errorf("%s: no error", tc.name)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %q does not say %q", tc.name, err, tc.want)
		}
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Errorf("%s: a file was created", tc.name)
		}
	}
	// A directory that does not exist: the error names the path.
	_, err := Create(filepath.Join(dir, "no", "such.mp3"), ok)
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "no", "such.mp3")) {
		t.Errorf("Create in a missing folder: %v", err)
	}
}

func TestWriterMisuse(t *testing.T) {
	dir := t.TempDir()
	for _, f := range allFormats {
		path := filepath.Join(dir, "x"+f.Ext())
		w, err := Create(path, Options{Format: f, Rate: 44100, Channels: 2})
		if err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%v: file mode %v, %v; want 0600", f, fi.Mode(), err)
		}
		if err := w.Write([][]float32{make([]float32, 10)}); err == nil {
			t.Errorf("%v: Write with one channel buffer of two: no error", f)
		}
		if err := w.Write([][]float32{make([]float32, 10), make([]float32, 9)}); err == nil {
			t.Errorf("%v: Write with unequal buffers: no error", f)
		}
		if err := w.Write([][]float32{nil, nil}); err != nil {
			t.Errorf("%v: empty Write: %v", f, err)
		}
		// An empty file: WAV and FLAC are valid files of no audio. (An
		// MP3 holds the LAME tag frame and one frame of LAME's flush;
		// ffmpeg rejects it, as it does its own MP3 of no audio.)
		if err := w.Close(); err != nil {
			t.Errorf("%v: Close of an empty file: %v", f, err)
		}
		switch f {
		case WAV16, WAV24:
			if _, err := exec.LookPath("ffprobe"); err == nil {
				if out, err := exec.Command("ffprobe", "-v", "error", path).CombinedOutput(); err != nil || len(out) > 0 {
					t.Errorf("%v: ffprobe on an empty file: %v %s", f, err, out)
				}
			}
		case FLAC16, FLAC24:
			testtool.Run(t, "flac", "-s", "-t", path)
		}
		if err := w.Write([][]float32{{0}, {0}}); err == nil {
			t.Errorf("%v: Write after Close: no error", f)
		}
		if err := w.Close(); err == nil {
			t.Errorf("%v: second Close: no error", f)
		}
		w.Abort()
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Errorf("%v: Abort after Close left the file", f)
		}
		w.Abort() // twice is fine
	}
}

func TestAbortWhileWriting(t *testing.T) {
	dir := t.TempDir()
	for _, f := range allFormats {
		path := filepath.Join(dir, "cancel"+f.Ext())
		w, err := Create(path, Options{Format: f, Rate: 48000, Channels: 2, Tags: testTags})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Write(testSignal(48000, 10000, 2)); err != nil {
			t.Fatal(err)
		}
		w.Abort()
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Errorf("%v: Abort left the file: %v", f, err)
		}
		if err := w.Close(); err == nil {
			t.Errorf("%v: Close after Abort: no error", f)
		}
	}
}

func TestParseFormat(t *testing.T) {
	for s, want := range map[string]Format{"wav": WAV16, "WAV16": WAV16, "wav24": WAV24, "flac": FLAC16, "FLAC16": FLAC16, "Flac24": FLAC24, "mp3": MP3, " .MP3 ": MP3} {
		if got, err := ParseFormat(s); err != nil || got != want {
			t.Errorf("ParseFormat(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"", "ogg", "wav32", "mp3x"} {
		if _, err := ParseFormat(s); err == nil {
			t.Errorf("ParseFormat(%q): no error", s)
		}
	}
	for f, want := range map[Format][2]string{
		WAV16: {".wav", "WAV 16-bit"}, WAV24: {".wav", "WAV 24-bit"}, FLAC16: {".flac", "FLAC"},
		FLAC24: {".flac", "FLAC 24-bit"}, MP3: {".mp3", "MP3 256 kbps"}, 0: {"", "Format(0)"},
	} {
		if f.Ext() != want[0] || f.String() != want[1] {
			t.Errorf("Format %d: %q %q, want %q", int(f), f.Ext(), f.String(), want)
		}
	}
}

func TestID3v2Bytes(t *testing.T) {
	got := id3v2(Tags{Title: "Å", Track: 2})
	want := []byte("ID3\x03\x00\x00\x00\x00\x00\x1e" +
		"TIT2\x00\x00\x00\x05\x00\x00\x01\xff\xfe\xc5\x00" +
		"TRCK\x00\x00\x00\x05\x00\x00\x01\xff\xfe2\x00")
	if !bytes.Equal(got, want) {
		t.Errorf("id3v2:\n got % x\nwant % x", got, want)
	}
	if id3v2(Tags{Tracks: 5}) != nil || id3v1(Tags{}) != nil {
		t.Error("empty tags give a tag")
	}
	// A size over 127 is syncsafe.
	big := id3v2(Tags{Title: strings.Repeat("a", 200)})
	if n := len(big) - 10; big[8] != byte(n>>7) || big[9] != byte(n&0x7F) || n != 10+3+400 {
		t.Errorf("size bytes % x for %d", big[6:10], n)
	}
}
