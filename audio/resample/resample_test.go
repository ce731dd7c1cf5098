package resample

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sangstudio/internal/testtool"
)

// ratePairs are the conversions the app needs.
var ratePairs = []struct{ in, out int }{
	{44100, 48000},
	{88200, 48000},
	{96000, 48000},
	{48000, 44100},
	{48000, 96000},
	{44100, 96000},
}

func mustNew(t testing.TB, inRate, outRate, channels int) *Resampler {
	t.Helper()
	r, err := New(inRate, outRate, channels)
	if err != nil {
		t.Fatalf("New(%d, %d, %d): %v", inRate, outRate, channels, err)
	}
	t.Cleanup(r.Close)
	return r
}

// testSignal returns channels × n frames: a few tones plus a little noise,
// different per channel.
func testSignal(channels, n, rate int, seed uint64) [][]float32 {
	rng := rand.New(rand.NewPCG(seed, 1))
	x := make([][]float32, channels)
	for c := range x {
		x[c] = make([]float32, n)
		f1, f2 := 440.0*float64(c+1), 3001.0+float64(c)*1234.5
		for i := range x[c] {
			tt := float64(i) / float64(rate)
			x[c][i] = float32(0.3*math.Sin(2*math.Pi*f1*tt) + 0.2*math.Sin(2*math.Pi*f2*tt+0.3) + 0.01*(rng.Float64()*2-1))
		}
	}
	return x
}

func sub(x [][]float32, from, to int) [][]float32 {
	s := make([][]float32, len(x))
	for c := range x {
		s[c] = x[c][from:to]
	}
	return s
}

// streamStats describes one run through a Resampler.
type streamStats struct {
	maxLag     float64 // most output frames owed (consumed×out/in − produced) after any Process
	maxLagTail float64 // the same over the last 10 % of the input
	calls      int
}

// runStream feeds in through r in chunks of nextChunk() frames, giving each
// Process call outCap(chunk) frames of room and calling it again with the rest
// until the chunk is consumed, then flushes with flushCap-frame buffers. It
// returns everything produced.
func runStream(t testing.TB, r *Resampler, in [][]float32, inRate, outRate int,
	nextChunk func() int, outCap func(chunk int) int, flushCap int) ([][]float32, streamStats) {
	t.Helper()
	channels, total := len(in), len(in[0])
	want := OutputFrames(int64(total), inRate, outRate)
	res := make([][]float32, channels)
	for c := range res {
		res[c] = make([]float32, 0, want)
	}
	outBuf := make([][]float32, channels)
	for c := range outBuf {
		outBuf[c] = make([]float32, 1<<17)
	}
	var st streamStats
	var consumedTotal, producedTotal int64
	tail := total - total/10
	for pos := 0; pos < total; {
		n := min(nextChunk(), total-pos)
		chunk := sub(in, pos, pos+n)
		oc := outCap(n)
		for {
			c, p, err := r.Process(chunk, sub(outBuf, 0, oc))
			st.calls++
			if err != nil {
				t.Fatalf("Process: %v", err)
			}
			if c == 0 && p == 0 && len(chunk[0]) > 0 && oc > 0 {
				t.Fatalf("Process made no progress with %d input frames and %d output frames of room (at input frame %d)", len(chunk[0]), oc, pos)
			}
			for ch := range res {
				res[ch] = append(res[ch], outBuf[ch][:p]...)
			}
			consumedTotal += int64(c)
			producedTotal += int64(p)
			lag := float64(consumedTotal)*float64(outRate)/float64(inRate) - float64(producedTotal)
			st.maxLag = max(st.maxLag, lag)
			if pos >= tail {
				st.maxLagTail = max(st.maxLagTail, lag)
			}
			chunk = sub(chunk, c, len(chunk[0]))
			if len(chunk[0]) == 0 {
				break
			}
		}
		pos += n
	}
	for i := 0; ; i++ {
		p, err := r.Flush(sub(outBuf, 0, flushCap))
		if err != nil {
			t.Fatalf("Flush: %v", err)
		}
		if p == 0 {
			break
		}
		if i > 1<<20 {
			t.Fatal("Flush never returned 0")
		}
		for ch := range res {
			res[ch] = append(res[ch], outBuf[ch][:p]...)
		}
	}
	return res, st
}

func TestOutputFrames(t *testing.T) {
	tests := []struct {
		name            string
		n               int64
		inRate, outRate int
		want            int64
	}{
		{"one second 48k→44.1k", 48000, 48000, 44100, 44100},
		{"one second 44.1k→48k", 44100, 44100, 48000, 48000},
		{"half rounds up 96k→48k", 1, 96000, 48000, 1},
		{"odd 96k→48k", 3, 96000, 48000, 2},
		{"44.1k→48k 1 frame", 1, 44100, 48000, 1},
		{"48k→44.1k 1 frame", 1, 48000, 44100, 1},
		{"48k→44.1k 7 frames (6.43)", 7, 48000, 44100, 6},
		{"48k→44.1k 1/2 tie rounds up", 80, 48000, 44100, 74}, // 73.5: soxr's double math lands on 73.5 exactly
		{"20 minutes 44.1k→48k", 44100 * 1200, 44100, 48000, 48000 * 1200},
		{"same rate", 12345, 48000, 48000, 12345},
		{"zero", 0, 48000, 44100, 0},
		{"negative", -5, 48000, 44100, 0},
		{"bad rate", 100, 0, 44100, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := OutputFrames(tc.n, tc.inRate, tc.outRate); got != tc.want {
				t.Errorf("OutputFrames(%d, %d, %d) = %d, want %d", tc.n, tc.inRate, tc.outRate, got, tc.want)
			}
		})
	}
}

// TestTotalLengthMatchesSoxr checks OutputFrames against what soxr delivers,
// for many short stream lengths, including every exact .5 tie.
func TestTotalLengthMatchesSoxr(t *testing.T) {
	lengths := []int{0, 1, 2, 3, 4, 5, 7, 11, 80, 159, 160, 161, 240, 399, 400, 560, 1000, 1001, 4095, 4097, 12345}
	pairs := append([]struct{ in, out int }{{48000, 48000}, {44100, 44101}, {8000, 192000}}, ratePairs...)
	for _, rp := range pairs {
		t.Run(fmt.Sprintf("%d→%d", rp.in, rp.out), func(t *testing.T) {
			for _, n := range lengths {
				r := mustNew(t, rp.in, rp.out, 1)
				in := testSignal(1, n, rp.in, uint64(n))
				got, _ := runStream(t, r, in, rp.in, rp.out, func() int { return 1000 }, func(int) int { return 1500 }, 333)
				if want := OutputFrames(int64(n), rp.in, rp.out); int64(len(got[0])) != want {
					t.Errorf("%d input frames: soxr delivered %d, OutputFrames says %d", n, len(got[0]), want)
				}
				r.Close()
			}
		})
	}
}

func TestExactLengthChunkPatterns(t *testing.T) {
	const frames = 30011
	rng := rand.New(rand.NewPCG(7, 7))
	fixed := func(n int) func() int { return func() int { return n } }
	random := func() int { return 1 + rng.IntN(5000) }
	roomy := func(rp struct{ in, out int }) func(int) int {
		return func(n int) int { return int(OutputFrames(int64(n), rp.in, rp.out)) + 16 }
	}
	tight := func(rp struct{ in, out int }) func(int) int {
		return func(n int) int { return max(1, int(int64(n)*int64(rp.out)/int64(rp.in))) }
	}
	tiny := func(struct{ in, out int }) func(int) int { return func(int) int { return 1 + rng.IntN(3) } }
	patterns := []struct {
		name  string
		chunk func() int
		room  func(struct{ in, out int }) func(int) int
		flush int
	}{
		{"1-frame chunks", fixed(1), roomy, 4096},
		{"7-frame chunks", fixed(7), roomy, 1},
		{"480-frame chunks", fixed(480), roomy, 480},
		{"4096-frame chunks", fixed(4096), roomy, 100000},
		{"random chunks", random, roomy, 777},
		{"7-frame chunks tight room", fixed(7), tight, 7},
		{"4093-frame chunks tight room", fixed(4093), tight, 4093},
		{"random chunks tiny room", random, tiny, 3},
		{"whole stream at once", fixed(frames), roomy, 1 << 16},
	}
	for _, rp := range ratePairs {
		for _, channels := range []int{1, 2} {
			in := testSignal(channels, frames, rp.in, 42)
			ref, _ := runStream(t, mustNew(t, rp.in, rp.out, channels), in, rp.in, rp.out, fixed(frames), roomy(rp), 1<<16)
			want := OutputFrames(frames, rp.in, rp.out)
			for _, pat := range patterns {
				t.Run(fmt.Sprintf("%d→%d/%dch/%s", rp.in, rp.out, channels, pat.name), func(t *testing.T) {
					r := mustNew(t, rp.in, rp.out, channels)
					got, st := runStream(t, r, in, rp.in, rp.out, pat.chunk, pat.room(rp), pat.flush)
					for c := range got {
						if int64(len(got[c])) != want {
							t.Fatalf("channel %d: %d output frames, want OutputFrames = %d", c, len(got[c]), want)
						}
						for i := range got[c] {
							if got[c][i] != ref[c][i] {
								t.Fatalf("channel %d frame %d: %g, one-shot reference has %g", c, i, got[c][i], ref[c][i])
							}
						}
					}
					t.Logf("%d Process calls, max lag %.0f output frames", st.calls, st.maxLag)
				})
			}
		}
	}
}

// TestLongStream feeds 20 minutes of audio in awkward chunk sizes and checks
// that nothing is lost and the delay through the resampler does not grow.
func TestLongStream(t *testing.T) {
	minutes := 20
	if testing.Short() {
		minutes = 1
	}
	for _, tc := range []struct {
		name            string
		inRate, outRate int
		chunk           int
	}{
		{"44100→48000 7-frame chunks", 44100, 48000, 7},
		{"44100→48000 4093-frame chunks", 44100, 48000, 4093},
		{"48000→44100 7-frame chunks", 48000, 44100, 7},
		{"48000→44100 4093-frame chunks", 48000, 44100, 4093},
	} {
		t.Run(tc.name, func(t *testing.T) {
			total := tc.inRate * 60 * minutes
			// A repeating pattern keeps memory small: 1 s of signal reused.
			sec := testSignal(1, tc.inRate, tc.inRate, 3)[0]
			r := mustNew(t, tc.inRate, tc.outRate, 1)
			in := make([]float32, tc.chunk)
			out := make([]float32, tc.chunk*tc.outRate/tc.inRate+2) // floor + 2: deliberately tight
			var produced, consumed int64
			var maxLag, maxLagTail float64
			pos := 0
			for pos < total {
				n := min(tc.chunk, total-pos)
				for i := range n {
					in[i] = sec[(pos+i)%len(sec)]
				}
				rest := in[:n]
				for len(rest) > 0 {
					c, p, err := r.Process([][]float32{rest}, [][]float32{out})
					if err != nil {
						t.Fatal(err)
					}
					if c == 0 && p == 0 {
						t.Fatalf("no progress at frame %d", pos)
					}
					consumed += int64(c)
					produced += int64(p)
					rest = rest[c:]
					lag := float64(consumed)*float64(tc.outRate)/float64(tc.inRate) - float64(produced)
					maxLag = max(maxLag, lag)
					if pos > total-total/10 {
						maxLagTail = max(maxLagTail, lag)
					}
				}
				pos += n
			}
			for {
				p, err := r.Flush([][]float32{out})
				if err != nil {
					t.Fatal(err)
				}
				if p == 0 {
					break
				}
				produced += int64(p)
			}
			if want := OutputFrames(int64(total), tc.inRate, tc.outRate); produced != want {
				t.Errorf("%d minutes: produced %d frames, want %d (off by %d)", minutes, produced, want, produced-want)
			}
			lagLimit := 0.1 * float64(tc.outRate) // the filter's lookahead is 20–40 ms
			if maxLag > lagLimit {
				t.Errorf("max lag %.0f frames (%.3f s), want < %.0f", maxLag, maxLag/float64(tc.outRate), lagLimit)
			}
			t.Logf("%d min: %d frames out, max lag %.0f frames (%.1f ms), over the last 10%%: %.0f frames",
				minutes, produced, maxLag, 1000*maxLag/float64(tc.outRate), maxLagTail)
		})
	}
}

// resampleAll pushes a whole signal through a new Resampler.
func resampleAll(t testing.TB, in [][]float32, inRate, outRate int) [][]float32 {
	t.Helper()
	r := mustNew(t, inRate, outRate, len(in))
	out, _ := runStream(t, r, in, inRate, outRate, func() int { return 4096 },
		func(n int) int { return int(OutputFrames(int64(n), inRate, outRate)) + 8 }, 4096)
	return out
}

func sine(n, rate int, freq, amp float64) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(amp * math.Sin(2*math.Pi*freq*float64(i)/float64(rate)))
	}
	return x
}

// amplitude fits a sinusoid of the given frequency to x[from:] over a whole
// number of periods (a one-bin DFT) and returns its peak amplitude.
func amplitude(x []float32, from, rate int, freq float64) float64 {
	period := rate / gcd(rate, int(freq)) // samples in a whole number of cycles
	n := (len(x) - 2*from) / period * period
	var s, c float64
	for i := range n {
		w := 2 * math.Pi * freq * float64(from+i) / float64(rate)
		s += float64(x[from+i]) * math.Sin(w)
		c += float64(x[from+i]) * math.Cos(w)
	}
	return 2 * math.Hypot(s, c) / float64(n)
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func dB(x float64) float64 { return 20 * math.Log10(x) }

func TestLevel1kHz(t *testing.T) {
	amp := math.Pow(10, -6.0/20)
	for _, rp := range []struct{ in, out int }{{48000, 44100}, {44100, 48000}} {
		t.Run(fmt.Sprintf("%d→%d", rp.in, rp.out), func(t *testing.T) {
			in := sine(2*rp.in, rp.in, 1000, amp)
			out := resampleAll(t, [][]float32{in}, rp.in, rp.out)[0]
			ain := amplitude(in, rp.in/4, rp.in, 1000)
			aout := amplitude(out, rp.out/4, rp.out, 1000)
			errDB := dB(aout / ain)
			t.Logf("1 kHz at %.3f dBFS in, %.3f dBFS out: level error %+.2e dB", dB(ain), dB(aout), errDB)
			if math.Abs(errDB) > 0.01 {
				t.Errorf("level error %+.5f dB, want within ±0.01 dB", errDB)
			}
		})
	}
}

func rms(x []float32) float64 {
	var s float64
	for _, v := range x {
		s += float64(v) * float64(v)
	}
	return math.Sqrt(s / float64(len(x)))
}

func TestStopband23kHz(t *testing.T) {
	const inRate, outRate = 48000, 44100
	in := sine(2*inRate, inRate, 23000, math.Pow(10, -6.0/20))
	out := resampleAll(t, [][]float32{in}, inRate, outRate)[0]
	edge := outRate / 10 // skip the start and end transients
	att := dB(rms(out[edge:len(out)-edge]) / rms(in[edge:len(in)-edge]))
	t.Logf("23 kHz tone 48k→44.1k: residual %.1f dB relative to the input", att)
	if att > -100 {
		t.Errorf("23 kHz attenuated to %.1f dB, want below -100 dB", att)
	}
}

// TestAlignment checks that soxr compensates its filter delay: a click at
// input frame t comes out at output frame t·out/in.
func TestAlignment(t *testing.T) {
	for _, rp := range ratePairs {
		t.Run(fmt.Sprintf("%d→%d", rp.in, rp.out), func(t *testing.T) {
			const click = 10007
			in := make([]float32, 2*click)
			in[click] = 1
			out := resampleAll(t, [][]float32{in}, rp.in, rp.out)[0]
			peak := 0
			for i := range out {
				if math.Abs(float64(out[i])) > math.Abs(float64(out[peak])) {
					peak = i
				}
			}
			pos := float64(peak)
			if peak > 0 && peak < len(out)-1 { // parabolic interpolation of the peak
				a, b, c := float64(out[peak-1]), float64(out[peak]), float64(out[peak+1])
				if d := a - 2*b + c; d != 0 {
					pos += 0.5 * (a - c) / d
				}
			}
			want := float64(click) * float64(rp.out) / float64(rp.in)
			t.Logf("click at input %d: output peak at %.3f (sample %d), expected %.3f: offset %+.3f frames", click, pos, peak, want, pos-want)
			if math.Abs(pos-want) > 1 {
				t.Errorf("click at output %.3f, want %.3f ± 1", pos, want)
			}
		})
	}
}

func writeRawF32(t *testing.T, path string, x []float32) {
	t.Helper()
	b := make([]byte, 4*len(x))
	for i, v := range x {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func readRawF32(t *testing.T, path string) []float32 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	x := make([]float32, len(b)/4)
	for i := range x {
		x[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return x
}

// TestAgainstSox compares the package with sox's own very-high-quality
// resampler (`rate -v`) on the same input.
func TestAgainstSox(t *testing.T) {
	testtool.Require(t, "sox")
	for _, rp := range []struct{ in, out int }{{48000, 44100}, {44100, 48000}, {96000, 48000}} {
		t.Run(fmt.Sprintf("%d→%d", rp.in, rp.out), func(t *testing.T) {
			dir := t.TempDir()
			in := testSignal(1, 2*rp.in, rp.in, 11)[0]
			inPath, outPath := filepath.Join(dir, "in.raw"), filepath.Join(dir, "out.raw")
			writeRawF32(t, inPath, in)
			testtool.Run(t, "sox", "-D", "-t", "f32", "-r", fmt.Sprint(rp.in), "-c", "1", inPath,
				"-t", "f32", "-r", fmt.Sprint(rp.out), outPath, "rate", "-v")
			ref := readRawF32(t, outPath)
			got := resampleAll(t, [][]float32{in}, rp.in, rp.out)[0]
			t.Logf("sox: %d frames, ours: %d frames", len(ref), len(got))
			n := min(len(ref), len(got))
			if d := len(ref) - len(got); d < -1 || d > 1 {
				t.Errorf("sox produced %d frames, we produced %d", len(ref), len(got))
			}
			diff := make([]float32, n)
			for i := range n {
				diff[i] = got[i] - ref[i]
			}
			rel := dB(rms(diff) / rms(ref[:n]))
			t.Logf("RMS difference from sox: %.1f dB", rel)
			if rel > -90 {
				t.Errorf("RMS difference from sox %.1f dB, want below -90 dB", rel)
			}
		})
	}
}

func TestProcessDoesNotAllocate(t *testing.T) {
	for _, channels := range []int{1, 2} {
		t.Run(fmt.Sprintf("%dch", channels), func(t *testing.T) {
			r := mustNew(t, 48000, 44100, channels)
			in := testSignal(channels, 480, 48000, 5)
			out := make([][]float32, channels)
			for c := range out {
				out[c] = make([]float32, 1024)
			}
			rest := make([][]float32, channels)
			allocs := testing.AllocsPerRun(2000, func() {
				copy(rest, in)
				for len(rest[0]) > 0 {
					c, _, err := r.Process(rest, out)
					if err != nil {
						t.Fatal(err)
					}
					for ch := range rest {
						rest[ch] = rest[ch][c:]
					}
				}
			})
			if allocs != 0 {
				t.Errorf("Process allocates %v times per call, want 0", allocs)
			}
			if allocs := testing.AllocsPerRun(10, func() {
				if _, err := r.Flush(out); err != nil {
					t.Fatal(err)
				}
			}); allocs != 0 {
				t.Errorf("Flush allocates %v times per call, want 0", allocs)
			}
		})
	}
}

func TestSameRateIsIdentity(t *testing.T) {
	in := testSignal(2, 5000, 48000, 8)
	out := resampleAll(t, in, 48000, 48000)
	for c := range in {
		if len(out[c]) != len(in[c]) {
			t.Fatalf("channel %d: %d frames out, want %d", c, len(out[c]), len(in[c]))
		}
		for i := range in[c] {
			if out[c][i] != in[c][i] {
				t.Fatalf("channel %d frame %d: %g, want %g", c, i, out[c][i], in[c][i])
			}
		}
	}
}

// TestEmptyBuffers covers Process with no input (collects ready output) and
// with no output room (consumes at most the filter's lookahead).
func TestEmptyBuffers(t *testing.T) {
	r := mustNew(t, 44100, 48000, 1)
	in := testSignal(1, 44100, 44100, 4)
	out := [][]float32{make([]float32, 48000)}
	c, p, err := r.Process([][]float32{{}}, out)
	if err != nil || c != 0 || p != 0 {
		t.Fatalf("empty stream, empty input: Process = %d, %d, %v; want 0, 0, nil", c, p, err)
	}
	c, p, err = r.Process(in, [][]float32{{}})
	if err != nil || p != 0 {
		t.Fatalf("no output room: Process = %d, %d, %v; want no output and no error", c, p, err)
	}
	consumed := c
	c, p, err = r.Process(sub(in, consumed, len(in[0])), out)
	if err != nil {
		t.Fatal(err)
	}
	consumed += c
	produced := p
	if consumed != len(in[0]) {
		t.Fatalf("consumed %d of %d frames with ample room", consumed, len(in[0]))
	}
	// Output that was held back for lack of room comes out with empty input.
	for {
		_, p, err := r.Process([][]float32{{}}, out)
		if err != nil {
			t.Fatal(err)
		}
		if p == 0 {
			break
		}
		produced += p
	}
	for {
		p, err := r.Flush(out)
		if err != nil {
			t.Fatal(err)
		}
		if p == 0 {
			break
		}
		produced += p
	}
	if want := OutputFrames(int64(len(in[0])), 44100, 48000); int64(produced) != want {
		t.Errorf("produced %d frames, want %d", produced, want)
	}
}

func TestCloseTwice(t *testing.T) {
	r, err := New(44100, 48000, 2)
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	r.Close()
	buf := [][]float32{make([]float32, 10), make([]float32, 10)}
	if _, _, err := r.Process(buf, buf); err == nil {
		t.Error("Process after Close: no error")
	}
	if _, err := r.Flush(buf); err == nil {
		t.Error("Flush after Close: no error")
	}
	var nilR *Resampler
	nilR.Close()
}

func TestBadArguments(t *testing.T) {
	for _, tc := range []struct {
		name                     string
		inRate, outRate, channel int
	}{
		{"zero input rate", 0, 48000, 1},
		{"negative input rate", -44100, 48000, 1},
		{"zero output rate", 44100, 0, 1},
		{"negative output rate", 44100, -1, 2},
		{"zero channels", 44100, 48000, 0},
		{"negative channels", 44100, 48000, -2},
	} {
		t.Run("New/"+tc.name, func(t *testing.T) {
			r, err := New(tc.inRate, tc.outRate, tc.channel)
			if err == nil {
				r.Close()
				t.Fatal("no error")
			}
			if !strings.HasPrefix(err.Error(), "resample: ") {
				t.Errorf("error %q lacks the resample: prefix", err)
			}
		})
	}

	r := mustNew(t, 48000, 44100, 2)
	ok := [][]float32{make([]float32, 64), make([]float32, 64)}
	for _, tc := range []struct {
		name    string
		in, out [][]float32
	}{
		{"input channel count", [][]float32{make([]float32, 64)}, ok},
		{"output channel count", ok, [][]float32{make([]float32, 64), make([]float32, 64), make([]float32, 64)}},
		{"input lengths differ", [][]float32{make([]float32, 64), make([]float32, 63)}, ok},
		{"output lengths differ", ok, [][]float32{make([]float32, 1), make([]float32, 64)}},
		{"nil input", nil, ok},
	} {
		t.Run("Process/"+tc.name, func(t *testing.T) {
			if c, p, err := r.Process(tc.in, tc.out); err == nil || c != 0 || p != 0 {
				t.Errorf("Process = %d, %d, %v; want an error", c, p, err)
			}
		})
	}
	t.Run("Flush/no room", func(t *testing.T) {
		if _, err := r.Flush([][]float32{{}, {}}); err == nil {
			t.Error("no error")
		}
	})
	t.Run("Process after Flush", func(t *testing.T) {
		r := mustNew(t, 48000, 44100, 2)
		if _, _, err := r.Process(ok, ok); err != nil {
			t.Fatal(err)
		}
		if _, err := r.Flush(ok); err != nil {
			t.Fatal(err)
		}
		if _, _, err := r.Process(ok, ok); err == nil {
			t.Error("no error")
		}
	})
}

func BenchmarkResample48to44Stereo(b *testing.B) {
	const inRate, outRate, chunk = 48000, 44100, 4096
	r := mustNew(b, inRate, outRate, 2)
	in := testSignal(2, chunk, inRate, 9)
	out := [][]float32{make([]float32, chunk), make([]float32, chunk)}
	b.ReportAllocs()
	b.SetBytes(2 * 4 * chunk) // input bytes per op
	rest := make([][]float32, 2)
	for b.Loop() {
		copy(rest, in)
		for len(rest[0]) > 0 {
			c, _, err := r.Process(rest, out)
			if err != nil {
				b.Fatal(err)
			}
			for ch := range rest {
				rest[ch] = rest[ch][c:]
			}
		}
	}
	secs := b.Elapsed().Seconds()
	if secs > 0 {
		b.ReportMetric(float64(b.N)*chunk/inRate/secs, "x_realtime")
	}
}
