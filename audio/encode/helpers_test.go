package encode

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"sangstudio/audio/dither"
	"sangstudio/internal/testtool"
)

// testSignal is frames of a deterministic stereo (or mono) music-like
// signal: a few partials per channel with slow level changes and a
// little noise, peaking well below full scale.
func testSignal(rate, frames, channels int) [][]float32 {
	out := make([][]float32, channels)
	seed := uint32(12345)
	for c := range out {
		out[c] = make([]float32, frames)
		for i := range out[c] {
			t := float64(i) / float64(rate)
			f0 := 220.0 * math.Pow(2, float64(c)*7/12)
			env := 0.6 + 0.4*math.Sin(2*math.Pi*0.5*t)
			v := 0.30*math.Sin(2*math.Pi*f0*t) +
				0.12*math.Sin(2*math.Pi*2*f0*t+0.3) +
				0.06*math.Sin(2*math.Pi*3.01*f0*t) +
				0.03*math.Sin(2*math.Pi*(2000+500*t)*t)
			seed = seed*1664525 + 1013904223
			noise := (float64(seed>>8)/(1<<24) - 0.5) * 0.01
			out[c][i] = float32(v*env + noise)
		}
	}
	return out
}

// writeFile encodes src into a file in dir and returns its path.
func writeFile(t testing.TB, dir, name string, opt Options, src [][]float32) string {
	t.Helper()
	path := filepath.Join(dir, name+opt.Format.Ext())
	w, err := Create(path, opt)
	if err != nil {
		t.Fatal(err)
	}
	// Uneven pieces, to exercise chunking across Write calls.
	n := len(src[0])
	for off, step := 0, 1000; off < n; off, step = off+step, step*3%9001+1 {
		k := min(step, n-off)
		part := make([][]float32, len(src))
		for c := range src {
			part[c] = src[c][off : off+k]
		}
		if err := w.Write(part); err != nil {
			t.Fatal(err)
		}
	}
	if got := w.Frames(); got != int64(n) {
		t.Errorf("Frames() = %d, want %d", got, n)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

type probeStream struct {
	CodecName        string `json:"codec_name"`
	SampleRate       string `json:"sample_rate"`
	Channels         int    `json:"channels"`
	BitsPerRawSample string `json:"bits_per_raw_sample"`
	DurationTS       int64  `json:"duration_ts"`
	TimeBase         string `json:"time_base"`
	StartTime        string `json:"start_time"`
	Duration         string `json:"duration"`
}

type probeResult struct {
	Streams []probeStream `json:"streams"`
	Format  struct {
		Tags map[string]string `json:"tags"`
	} `json:"format"`
}

// probe runs ffprobe on path. Tag names are lower-cased.
func probe(t testing.TB, path string) (probeStream, map[string]string) {
	t.Helper()
	out := testtool.Run(t, "ffprobe", "-v", "error", "-show_entries",
		"format_tags:stream=codec_name,sample_rate,channels,bits_per_raw_sample,duration_ts,time_base,start_time,duration",
		"-of", "json", path)
	var r probeResult
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("ffprobe output: %v\n%s", err, out)
	}
	if len(r.Streams) != 1 {
		t.Fatalf("ffprobe: %d streams\n%s", len(r.Streams), out)
	}
	tags := map[string]string{}
	for k, v := range r.Format.Tags {
		tags[strings.ToLower(k)] = v
	}
	return r.Streams[0], tags
}

// decodeFFmpeg decodes path to interleaved float32 with ffmpeg.
func decodeFFmpeg(t testing.TB, path string) []float32 {
	t.Helper()
	testtool.Require(t, "ffmpeg")
	var out, errb bytes.Buffer
	cmd := exec.Command("ffmpeg", "-v", "error", "-i", path, "-f", "f32le", "-acodec", "pcm_f32le", "-")
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("ffmpeg: %v\n%s", err, errb.String())
	}
	if errb.Len() > 0 {
		t.Errorf("ffmpeg complained decoding %s:\n%s", path, errb.String())
	}
	b := out.Bytes()
	s := make([]float32, len(b)/4)
	for i := range s {
		s[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return s
}

// alignedSNR finds the lag (0..maxLag frames) at which dec (interleaved)
// best matches ref (planar) and returns the SNR there in dB.
func alignedSNR(ref [][]float32, dec []float32, maxLag int) (snr float64, lag int) {
	ch := len(ref)
	nr, nd := len(ref[0]), len(dec)/ch
	// Correlate a 4096-frame window from the middle: plenty for a
	// signal that does not repeat within maxLag.
	w0 := nr / 3
	w1 := min(w0+4096, nr, nd-maxLag)
	best := math.Inf(-1)
	for l := 0; l <= maxLag; l++ {
		var c float64
		for i := w0; i < w1; i++ {
			for k := range ref {
				c += float64(ref[k][i]) * float64(dec[(i+l)*ch+k])
			}
		}
		if c > best {
			best, lag = c, l
		}
	}
	var sr, se float64
	for i := 0; i < nr && i+lag < nd; i++ {
		for k := range ref {
			x, y := float64(ref[k][i]), float64(dec[(i+lag)*ch+k])
			sr += x * x
			se += (x - y) * (x - y)
		}
	}
	return 10 * math.Log10(sr/se), lag
}

// quantised returns what the Writer stores for src: the dithered integers,
// interleaved, as the WAV16/FLAC16 path computes them.
func quantised(src [][]float32, bits int, seed uint64) []int32 {
	w := &Writer{opt: Options{Channels: len(src)}}
	w.scale = float64(int64(1) << (bits - 1))
	w.lo, w.hi = -w.scale, w.scale-1
	w.dither = dither.NewTPDF(seed)
	s := make([]int32, len(src)*len(src[0]))
	w.quantise(s, src, 0, len(src[0]))
	return s
}
