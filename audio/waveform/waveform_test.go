package waveform

import (
	"errors"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"sangstudio/audio/wav"
	"sangstudio/internal/wavtest"
)

// brutePeaks is the definition of Peaks, computed the slow way.
func brutePeaks(rate int, audio [][]float32) *Peaks {
	frames := len(audio[0])
	p := &Peaks{Rate: rate, FramesPerPeak: FramesPerPeak, Frames: int64(frames)}
	for start := 0; start < frames; start += FramesPerPeak {
		mn, mx := float32(math.MaxFloat32), float32(-math.MaxFloat32)
		for f := start; f < min(start+FramesPerPeak, frames); f++ {
			for _, ch := range audio {
				mn = min(mn, ch[f])
				mx = max(mx, ch[f])
			}
		}
		p.Min = append(p.Min, mn)
		p.Max = append(p.Max, mx)
	}
	return p
}

func equalPeaks(t *testing.T, got, want *Peaks) {
	t.Helper()
	if got.Rate != want.Rate || got.FramesPerPeak != want.FramesPerPeak || got.Frames != want.Frames {
		t.Fatalf("got rate %d, %d frames/peak, %d frames; want %d, %d, %d",
			got.Rate, got.FramesPerPeak, got.Frames, want.Rate, want.FramesPerPeak, want.Frames)
	}
	if !slices.Equal(got.Min, want.Min) || !slices.Equal(got.Max, want.Max) {
		for i := range min(len(got.Min), len(want.Min)) {
			if got.Min[i] != want.Min[i] || got.Max[i] != want.Max[i] {
				t.Fatalf("peak %d: got [%v, %v], want [%v, %v]", i, got.Min[i], got.Max[i], want.Min[i], want.Max[i])
			}
		}
		t.Fatalf("got %d/%d peaks, want %d", len(got.Min), len(got.Max), len(want.Min))
	}
}

func ramp(n int, lo, hi float32) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = lo + (hi-lo)*float32(i)/float32(n)
	}
	return s
}

func TestComputeRamp(t *testing.T) {
	const n = 1000 // 3 whole peaks and a partial one
	path := filepath.Join(t.TempDir(), "ramp.wav")
	audio := [][]float32{ramp(n, -0.5, 0.5)}
	wavtest.Write(t, path, 48000, audio)
	p, err := Compute(path)
	if err != nil {
		t.Fatal(err)
	}
	want := &Peaks{Rate: 48000, FramesPerPeak: 256, Frames: n}
	for start := 0; start < n; start += 256 {
		want.Min = append(want.Min, audio[0][start])
		want.Max = append(want.Max, audio[0][min(start+256, n)-1])
	}
	equalPeaks(t, p, want)
}

func TestComputeSine(t *testing.T) {
	// 375 Hz at 48 kHz: two whole periods of 128 frames in each peak.
	const n, amp = 48000, 0.5
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(amp * math.Sin(2*math.Pi*float64(i)/128))
	}
	path := filepath.Join(t.TempDir(), "sine.wav")
	wavtest.Write(t, path, 48000, [][]float32{s})
	p, err := Compute(path)
	if err != nil {
		t.Fatal(err)
	}
	equalPeaks(t, p, brutePeaks(48000, [][]float32{s}))
	for i := range p.Min {
		if p.Min[i] != -amp || p.Max[i] != amp {
			t.Fatalf("peak %d: [%v, %v], want [%v, %v]", i, p.Min[i], p.Max[i], -amp, amp)
		}
	}
}

func TestComputeStereo(t *testing.T) {
	// Left: a constant 0.25; right: a ramp from -1 to 0. Min comes from the
	// right, max from the left until the ramp passes 0.25 (never).
	const n = 2560
	left := make([]float32, n)
	for i := range left {
		left[i] = 0.25
	}
	right := ramp(n, -1, 0)
	path := filepath.Join(t.TempDir(), "stereo.wav")
	wavtest.Write(t, path, 44100, [][]float32{left, right})
	p, err := Compute(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Min) != 10 {
		t.Fatalf("%d peaks, want 10", len(p.Min))
	}
	for i := range p.Min {
		if p.Min[i] != right[i*256] || p.Max[i] != 0.25 {
			t.Fatalf("peak %d: [%v, %v], want [%v, 0.25]", i, p.Min[i], p.Max[i], right[i*256])
		}
	}
	equalPeaks(t, p, brutePeaks(44100, [][]float32{left, right}))
}

// TestComputePCM16 checks integer files: 16-bit samples k read as k/32768.
func TestComputePCM16(t *testing.T) {
	const n = 700
	path := filepath.Join(t.TempDir(), "pcm16.wav")
	w, err := wav.Create(path, wav.Format{Rate: 96000, Channels: 2, Encoding: wav.PCM16}, wav.WriterOptions{NoDither: true})
	if err != nil {
		t.Fatal(err)
	}
	l, r := make([]float32, n), make([]float32, n)
	for i := range l {
		l[i] = float32(i-350) / 32768
		r[i] = float32(350-i) / 65536 * 2 // the same values, reversed
		if i == 600 {
			r[i] = -32768.0 / 32768 // full scale
		}
	}
	if err := w.Write([][]float32{l, r}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	p, err := Compute(path)
	if err != nil {
		t.Fatal(err)
	}
	want := &Peaks{Rate: 96000, FramesPerPeak: 256, Frames: n,
		Min: []float32{-350.0 / 32768, -161.0 / 32768, -1},
		Max: []float32{350.0 / 32768, 161.0 / 32768, 349.0 / 32768}}
	equalPeaks(t, p, want)
}

// TestComputeLengths covers partial peaks and reads across chunk edges,
// with a channel count that makes chunks of an odd number of peaks.
func TestComputeLengths(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, ch := range []int{1, 3} {
		for _, n := range []int{1, 255, 256, 257, 5376, 5377, 16384, 16384*2 + 300} {
			audio := make([][]float32, ch)
			for c := range audio {
				audio[c] = make([]float32, n)
				for i := range audio[c] {
					audio[c][i] = rng.Float32()*2 - 1
				}
			}
			path := filepath.Join(t.TempDir(), "x.wav")
			wavtest.Write(t, path, 48000, audio)
			p, err := Compute(path)
			if err != nil {
				t.Fatal(err)
			}
			equalPeaks(t, p, brutePeaks(48000, audio))
		}
	}
}

func TestComputeNaN(t *testing.T) {
	s := make([]float32, 600)
	for i := range s {
		s[i] = float32(math.NaN())
	}
	s[300], s[301] = -0.5, 0.75
	path := filepath.Join(t.TempDir(), "nan.wav")
	wavtest.Write(t, path, 48000, [][]float32{s})
	p, err := Compute(path)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(p.Min, []float32{0, -0.5, 0}) || !slices.Equal(p.Max, []float32{0, 0.75, 0}) {
		t.Fatalf("got %v %v", p.Min, p.Max)
	}
}

func TestComputeErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Compute(filepath.Join(dir, "missing.wav")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	bad := filepath.Join(dir, "bad.wav")
	os.WriteFile(bad, []byte("this is not a WAV file at all, just some text"), 0o600)
	_, err := Compute(bad)
	var fe *wav.FormatError
	if !errors.As(err, &fe) || fe.Path != bad {
		t.Errorf("bad file: %v", err)
	}
	// A file cut short after opening is a read error, not a panic.
	full := filepath.Join(dir, "full.wav")
	wavtest.Write(t, full, 48000, [][]float32{ramp(100000, -1, 1)})
	f, err := os.Open(full)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, _ := f.Stat()
	if _, err := compute(&shortReader{f, fi.Size() / 2}, fi.Size(), full); err == nil {
		t.Error("truncated file: no error")
	}
}

// shortReader reads only the first n bytes of r, as if the file shrank.
type shortReader struct {
	r interface {
		ReadAt([]byte, int64) (int, error)
	}
	n int64
}

func (s *shortReader) ReadAt(b []byte, off int64) (int, error) {
	if off >= s.n {
		return 0, errors.New("gone")
	}
	if off+int64(len(b)) > s.n {
		n, _ := s.r.ReadAt(b[:s.n-off], off)
		return n, errors.New("gone")
	}
	return s.r.ReadAt(b, off)
}

// bruteRange is Range by its definition, frame by frame.
func bruteRange(p *Peaks, from, to int64, buckets int) (mins, maxs []float32) {
	n := to - from
	for b := range buckets {
		s := from + int64(b)*n/int64(buckets)
		e := from + int64(b+1)*n/int64(buckets)
		if e <= s {
			e = s + 1
		}
		mn, mx := float32(math.Inf(1)), float32(math.Inf(-1))
		for f := s; f < e; f++ {
			lo, hi := float32(0), float32(0)
			if f >= 0 && f < p.Frames {
				lo, hi = p.Min[f/256], p.Max[f/256]
			}
			mn, mx = min(mn, lo), max(mx, hi)
		}
		mins, maxs = append(mins, mn), append(maxs, mx)
	}
	return mins, maxs
}

// sampleRange is the true min/max of the samples in each bucket.
func sampleRange(audio [][]float32, from, to int64, buckets int) (mins, maxs []float32) {
	n := to - from
	for b := range buckets {
		s := from + int64(b)*n/int64(buckets)
		e := max(from+int64(b+1)*n/int64(buckets), s+1)
		mn, mx := float32(math.Inf(1)), float32(math.Inf(-1))
		for f := s; f < e; f++ {
			for _, ch := range audio {
				v := float32(0)
				if f >= 0 && f < int64(len(ch)) {
					v = ch[f]
				}
				mn, mx = min(mn, v), max(mx, v)
			}
		}
		mins, maxs = append(mins, mn), append(maxs, mx)
	}
	return mins, maxs
}

func TestRange(t *testing.T) {
	const n = 100_003
	rng := rand.New(rand.NewPCG(3, 4))
	audio := [][]float32{make([]float32, n), make([]float32, n)}
	for c := range audio {
		for i := range audio[c] {
			// Positive on the left, negative on the right: a bucket
			// that touches silence shows it.
			audio[c][i] = rng.Float32() * float32(1-2*c)
		}
	}
	path := filepath.Join(t.TempDir(), "x.wav")
	wavtest.Write(t, path, 48000, audio)
	p, err := Compute(path)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		from, to int64
		buckets  int
		aligned  bool // bucket edges on peak edges: exact
	}{
		{0, n, 1, false},
		{0, n, 800, false},
		{0, 256 * 390, 390, true},
		{0, 256 * 390, 39, true},
		{512, 512 + 256*4*100, 100, true},
		{12345, 67890, 1000, false},
		{12345, 67890, 7, false},
		{1000, 1100, 100, false},         // one frame per bucket
		{1000, 1030, 100, false},         // less than one frame per bucket
		{-5000, 3000, 50, false},         // before the take
		{n - 2000, n + 5000, 333, false}, // past its end
		{-1000, n + 1000, 1920, false},
		{n + 10, n + 1000, 10, false},  // entirely after
		{-1000, -10, 10, false},        // entirely before
		{500, 500, 4, false},           // empty range
		{(n / 256) * 256, n, 3, false}, // the partial last peak
	}
	for _, c := range cases {
		mins, maxs := p.Range(c.from, c.to, c.buckets, nil, nil)
		wmin, wmax := bruteRange(p, c.from, c.to, c.buckets)
		if !slices.Equal(mins, wmin) || !slices.Equal(maxs, wmax) {
			t.Errorf("Range(%d, %d, %d) differs from brute force:\n got %v %v\nwant %v %v", c.from, c.to, c.buckets, mins, maxs, wmin, wmax)
			continue
		}
		smin, smax := sampleRange(audio, c.from, c.to, c.buckets)
		for i := range mins {
			if mins[i] > smin[i] || maxs[i] < smax[i] {
				t.Errorf("Range(%d, %d, %d) bucket %d: [%v, %v] does not enclose the samples [%v, %v]",
					c.from, c.to, c.buckets, i, mins[i], maxs[i], smin[i], smax[i])
				break
			}
		}
		if c.aligned && (!slices.Equal(mins, smin) || !slices.Equal(maxs, smax)) {
			t.Errorf("Range(%d, %d, %d) is not exact for aligned buckets", c.from, c.to, c.buckets)
		}
	}
}

func TestRangeAppendsWithoutAllocating(t *testing.T) {
	p := brutePeaks(48000, [][]float32{ramp(10000, -1, 1)})
	mins, maxs := []float32{7}, []float32{8}
	mins, maxs = p.Range(0, 10000, 20, mins, maxs)
	if len(mins) != 21 || len(maxs) != 21 || mins[0] != 7 || maxs[0] != 8 {
		t.Fatalf("Range did not append: %v %v", mins, maxs)
	}
	allocs := testing.AllocsPerRun(100, func() {
		mins, maxs = p.Range(0, 10000, 21, mins[:0], maxs[:0])
	})
	if allocs != 0 {
		t.Errorf("Range into reused slices: %v allocations", allocs)
	}
}

func TestRangeExtremes(t *testing.T) {
	p := brutePeaks(48000, [][]float32{ramp(1000, -1, 1)})
	mins, maxs := p.Range(math.MinInt64, math.MaxInt64, 5, nil, nil)
	if len(mins) != 5 || len(maxs) != 5 {
		t.Fatal("wrong bucket count")
	}
	if mins, _ := p.Range(math.MaxInt64-3, math.MaxInt64, 10, nil, nil); len(mins) != 10 {
		t.Fatal("wrong bucket count")
	}
	if mins, maxs := p.Range(0, 100, 0, nil, nil); mins != nil || maxs != nil {
		t.Error("0 buckets should append nothing")
	}
	if mins, _ := p.Range(100, 0, 3, nil, nil); len(mins) != 3 {
		t.Error("to < from")
	}
	// A Peaks made by hand that claims more frames than it has peaks.
	bad := &Peaks{FramesPerPeak: 256, Frames: 1 << 40, Min: []float32{-1}, Max: []float32{1}}
	mins, maxs = bad.Range(0, 1<<40, 4, nil, nil)
	if mins[0] != -1 || maxs[0] != 1 || mins[1] != 0 || maxs[3] != 0 {
		t.Errorf("got %v %v", mins, maxs)
	}
	var zero Peaks
	if mins, _ := zero.Range(0, 100, 3, nil, nil); !slices.Equal(mins, []float32{0, 0, 0}) {
		t.Errorf("zero Peaks: %v", mins)
	}
}

// writeLong writes a 3-minute stereo 48 kHz take in chunks.
func writeLong(b *testing.B, path string, enc wav.Encoding) {
	w, err := wav.Create(path, wav.Format{Rate: 48000, Channels: 2, Encoding: enc}, wav.WriterOptions{})
	if err != nil {
		b.Fatal(err)
	}
	const frames, chunk = 3 * 60 * 48000, 48000
	l, r := make([]float32, chunk), make([]float32, chunk)
	for done := 0; done < frames; done += chunk {
		for i := range l {
			x := float64(done + i)
			l[i] = float32(0.8 * math.Sin(x*2*math.Pi*440/48000))
			r[i] = float32(0.5 * math.Sin(x*2*math.Pi*220/48000))
		}
		if err := w.Write([][]float32{l, r}); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkCompute computes the peaks of a 3-minute stereo 48 kHz take, as
// 32-bit float (what the recorder writes) and 24-bit.
func BenchmarkCompute(b *testing.B) {
	for _, enc := range []wav.Encoding{wav.Float32, wav.PCM24} {
		b.Run(enc.String(), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "take.wav")
			writeLong(b, path, enc)
			fi, err := os.Stat(path)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(fi.Size())
			for b.Loop() {
				if _, err := Compute(path); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
