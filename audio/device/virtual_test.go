package device_test

import (
	"context"
	"errors"
	"math"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"sangstudio/audio/device"
	"sangstudio/audio/wav"
)

func nop(in, out [][]float32, st device.Status) {
	for _, o := range out {
		clear(o)
	}
}

func openVirtual(t *testing.T, cfg device.Config, cb device.Callback) device.Stream {
	t.Helper()
	cfg.Device = device.VirtualID
	s, err := device.Open(cfg, cb)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// waitFor waits until cond holds, failing after 20 s or if s stops.
func waitFor(t *testing.T, s device.Stream, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		select {
		case <-s.Done():
			t.Fatalf("the stream stopped: %v", s.Err())
		case <-time.After(time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
	}
}

func TestVirtualInfo(t *testing.T) {
	list, _ := device.List()
	v := list[0]
	if !v.Virtual || v.ID != "virtual" || v.Name != "Virtual device (no audio hardware)" || v.Inputs != 8 || v.Outputs != 8 {
		t.Errorf("the virtual device: %+v", v)
	}
	s := openVirtual(t, device.Config{Inputs: 2, Outputs: 2}, nop)
	if s.Info() != v && !v.Default { // Default may be set in the list, not on the stream's copy
		t.Errorf("Info() = %+v", s.Info())
	}
	if s.Rate() != 48000 || s.Buffer() != 256 || s.InputLatency() != 0 || s.OutputLatency() != 0 {
		t.Errorf("defaults: rate %d, buffer %d, latencies %d %d", s.Rate(), s.Buffer(), s.InputLatency(), s.OutputLatency())
	}
}

// TestVirtualPaced runs the virtual device in real time for 0.5 s and
// counts buffers.
func TestVirtualPaced(t *testing.T) {
	for _, c := range []struct {
		buf   int
		speed float64
	}{{64, 0}, {256, 0}, {2048, 0}, {2048, 10}} {
		buf := c.buf
		var calls atomic.Int64
		var badFrame atomic.Bool
		s := openVirtual(t, device.Config{Rate: 48000, Buffer: buf, Inputs: 2, Outputs: 2, Speed: c.speed}, func(in, out [][]float32, st device.Status) {
			if st.Frame != calls.Load()*int64(buf) || len(in) != 2 || len(out) != 2 || len(in[0]) != buf || len(out[1]) != buf {
				badFrame.Store(true)
			}
			nop(in, out, st)
			calls.Add(1)
		})
		t0 := time.Now()
		if err := s.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(500 * time.Millisecond)
		s.Stop()
		elapsed := time.Since(t0)
		n := calls.Load()
		want := elapsed.Seconds() * 48000 * max(c.speed, 1) / float64(buf)
		t.Logf("buffer %d, speed %v: %d callbacks in %v (%.1f expected), %d xruns", buf, c.speed, n, elapsed.Round(time.Millisecond), want, s.Xruns())
		// Never ahead of its clock; behind it only when the machine was
		// too busy to wake it in time (it then starts its clock afresh,
		// as a device would drop the buffers), so the lower bound is loose.
		if float64(n) > 1.2*want+1 || float64(n) < 0.5*want {
			t.Errorf("buffer %d, speed %v: %d callbacks in %v, want about %.1f", buf, c.speed, n, elapsed, want)
		}
		if badFrame.Load() {
			t.Errorf("buffer %d: wrong Status.Frame or buffer shapes", buf)
		}
	}
}

func TestVirtualFast(t *testing.T) {
	var calls atomic.Int64
	s := openVirtual(t, device.Config{Buffer: 256, Inputs: 2, Outputs: 2, Fast: true}, func(in, out [][]float32, st device.Status) {
		nop(in, out, st)
		calls.Add(1)
	})
	t0 := time.Now()
	s.Start()
	waitFor(t, s, func() bool { return calls.Load() >= 2000 })
	s.Stop()
	elapsed := time.Since(t0)
	audio := time.Duration(calls.Load()) * 256 * time.Second / 48000
	t.Logf("fast: %d buffers (%v of audio) in %v", calls.Load(), audio, elapsed.Round(time.Microsecond))
	if elapsed > audio/2 {
		t.Errorf("fast mode ran %v of audio in %v", audio, elapsed)
	}
	// Restart: frames go on.
	var first atomic.Int64
	first.Store(-1)
	s2 := openVirtual(t, device.Config{Buffer: 64, Outputs: 1, Fast: true}, func(in, out [][]float32, st device.Status) {
		first.CompareAndSwap(-1, st.Frame)
		calls.Add(1)
	})
	calls.Store(0)
	s2.Start()
	waitFor(t, s2, func() bool { return calls.Load() >= 10 })
	s2.Stop()
	n := calls.Load()
	first.Store(-1)
	s2.Start()
	waitFor(t, s2, func() bool { return first.Load() >= 0 })
	s2.Stop()
	if first.Load() != n*64 {
		t.Errorf("after a restart the first frame is %d, want %d", first.Load(), n*64)
	}
}

func TestVirtualSine(t *testing.T) {
	for _, tc := range []struct {
		freq, want float64
		rate       int
	}{{0, 1000, 48000}, {440, 440, 44100}, {5000, 5000, 96000}} {
		rate := tc.rate
		n := int64(rate) // 1 s
		rec := [3][]float32{make([]float32, n), make([]float32, n), make([]float32, n)}
		var got atomic.Int64
		s := openVirtual(t, device.Config{Rate: rate, Inputs: 3, Outputs: 2, Fast: true,
			VirtualInput: device.VirtualSource{Kind: "sine", Freq: tc.freq}}, func(in, out [][]float32, st device.Status) {
			nop(in, out, st)
			k := got.Load()
			if k >= n {
				return
			}
			m := min(int64(len(in[0])), n-k)
			for c := range rec {
				copy(rec[c][k:k+m], in[c][:m])
			}
			got.Store(k + m)
		})
		s.Start()
		waitFor(t, s, func() bool { return got.Load() >= n })
		s.Stop()
		peak, sum, crossings := 0.0, 0.0, 0
		for i, v := range rec[0] {
			peak = max(peak, math.Abs(float64(v)))
			sum += float64(v) * float64(v)
			if i > 0 && rec[0][i-1] < 0 && v >= 0 {
				crossings++
			}
			if rec[1][i] != v || rec[2][i] != v {
				t.Fatalf("inputs differ at frame %d", i)
			}
		}
		rms := math.Sqrt(sum / float64(n))
		peakDB, rmsDB := 20*math.Log10(peak), 20*math.Log10(rms)
		t.Logf("sine %g Hz at %d Hz: peak %.3f dBFS, RMS %.3f dBFS, %d cycles in 1 s", tc.want, rate, peakDB, rmsDB, crossings)
		if math.Abs(peakDB+12) > 0.01 || math.Abs(rmsDB-(-12-3.0103)) > 0.01 {
			t.Errorf("level: peak %.3f dBFS, RMS %.3f dBFS; want -12 and -15.01", peakDB, rmsDB)
		}
		if math.Abs(float64(crossings)-tc.want) > 1 {
			t.Errorf("%d cycles in 1 s, want %g", crossings, tc.want)
		}
	}
}

// writeWAV writes frames of pattern(c, i) on channels channels as 32-bit
// float.
func writeWAV(t *testing.T, path string, rate, channels, frames int) {
	t.Helper()
	w, err := wav.Create(path, wav.Format{Rate: rate, Channels: channels, Encoding: wav.Float32}, wav.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	buf := make([][]float32, channels)
	for c := range buf {
		buf[c] = make([]float32, frames)
		for i := range buf[c] {
			buf[c][i] = pattern(c, int64(i))
		}
	}
	if err := w.Write(buf); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestVirtualFileInput(t *testing.T) {
	const frames = 30011 // not a multiple of the buffer nor of the reader's block
	path := filepath.Join(t.TempDir(), "in.wav")
	writeWAV(t, path, 48000, 3, frames)
	for _, tc := range []struct {
		name string
		loop bool
		fast bool
	}{{"once", false, true}, {"loop", true, true}, {"real time", false, false}} {
		t.Run(tc.name, func(t *testing.T) {
			n := int64(2*frames + 1000)
			const inputs = 4
			rec := make([][]float32, inputs)
			for c := range rec {
				rec[c] = make([]float32, n)
			}
			var got atomic.Int64
			s := openVirtual(t, device.Config{Buffer: 256, Inputs: inputs, Outputs: 2, Fast: tc.fast,
				VirtualInput: device.VirtualSource{Kind: "file", Path: path, Loop: tc.loop}}, func(in, out [][]float32, st device.Status) {
				nop(in, out, st)
				k := got.Load()
				if k >= n {
					return
				}
				m := min(int64(len(in[0])), n-k)
				for c := range rec {
					copy(rec[c][k:k+m], in[c][:m])
				}
				got.Store(k + m)
			})
			s.Start()
			waitFor(t, s, func() bool { return got.Load() >= n })
			s.Stop()
			bad := 0
			for c := range inputs {
				for i := range n {
					want := float32(0)
					switch {
					case c >= 3:
					case i < frames:
						want = pattern(c, i)
					case tc.loop:
						want = pattern(c, i%frames)
					}
					if rec[c][i] != want {
						if bad < 3 {
							t.Errorf("input %d, frame %d: got %v, want %v", c, i, rec[c][i], want)
						}
						bad++
					}
				}
			}
			t.Logf("%d samples compared, %d mismatches, %d xruns", n*inputs, bad, s.Xruns())
			if s.Xruns() != 0 && tc.fast {
				t.Errorf("%d xruns in fast mode", s.Xruns())
			}
		})
	}
}

func TestVirtualOutputFile(t *testing.T) {
	for _, fast := range []bool{true, false} {
		path := filepath.Join(t.TempDir(), "out.wav")
		var calls atomic.Int64
		s := openVirtual(t, device.Config{Rate: 44100, Buffer: 128, Outputs: 3, Fast: fast, VirtualOutput: path},
			func(in, out [][]float32, st device.Status) {
				for c, o := range out {
					for i := range o {
						o[i] = pattern(c, st.Frame+int64(i))
					}
				}
				calls.Add(1)
			})
		s.Start()
		waitFor(t, s, func() bool { return calls.Load() >= 1000 })
		s.Stop()
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		frames := calls.Load() * 128
		r, err := wav.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		if f := r.Format(); f != (wav.Format{Rate: 44100, Channels: 3, Encoding: wav.Float32}) || r.Frames() != frames {
			t.Fatalf("output file: %+v, %d frames; want 44100 Hz, 3 channels, float, %d frames", f, r.Frames(), frames)
		}
		buf := [][]float32{make([]float32, frames), make([]float32, frames), make([]float32, frames)}
		if _, err := r.Read(buf); err != nil {
			t.Fatal(err)
		}
		bad := 0
		for c := range buf {
			for i, v := range buf[c] {
				if v != pattern(c, int64(i)) {
					bad++
				}
			}
		}
		t.Logf("fast %v: %d frames written, %d mismatches, %d xruns", fast, frames, bad, s.Xruns())
		if bad != 0 {
			t.Errorf("%d of %d samples differ", bad, 3*frames)
		}
	}
}

// TestVirtualAllocs counts heap allocations in the whole process while the
// virtual device runs with a sine in and a WAV file out (driver, writer
// goroutine and callback), in real time and fast.
func TestVirtualAllocs(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.wav")
	writeWAV(t, in, 48000, 2, 48000)
	for _, tc := range []struct {
		name string
		src  device.VirtualSource
		fast bool
	}{
		{"sine, real time", device.VirtualSource{Kind: "sine"}, false},
		{"file, real time", device.VirtualSource{Kind: "file", Path: in, Loop: true}, false},
		{"sine, fast", device.VirtualSource{Kind: "sine"}, true},
		{"file, fast", device.VirtualSource{Kind: "file", Path: in, Loop: true}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var calls atomic.Int64
			s := openVirtual(t, device.Config{Inputs: 2, Outputs: 2, Fast: tc.fast, VirtualInput: tc.src, VirtualOutput: filepath.Join(dir, "out.wav")},
				func(in, out [][]float32, st device.Status) {
					for c, o := range out {
						copy(o, in[c])
					}
					calls.Add(1)
				})
			s.Start()
			waitFor(t, s, func() bool { return calls.Load() >= 50 }) // warm up: the WAV writer's scratch buffer
			// A garbage collection empties the runtime's caches of sudogs
			// (what a goroutine blocked on a channel waits in), so the
			// blocking channel operations right after one allocate a few:
			// collect now and let them refill before counting.
			runtime.GC()
			time.Sleep(50 * time.Millisecond)
			var m0, m1 runtime.MemStats
			runtime.ReadMemStats(&m0)
			c0 := calls.Load()
			if tc.fast {
				for calls.Load() < c0+5000 {
					time.Sleep(time.Millisecond) // (time.After would allocate)
				}
			} else {
				time.Sleep(time.Second)
			}
			runtime.ReadMemStats(&m1)
			c1 := calls.Load()
			s.Stop()
			allocs := m1.Mallocs - m0.Mallocs
			t.Logf("%d callbacks, %d heap allocations in the process, %d xruns", c1-c0, allocs, s.Xruns())
			// Neither the callback path nor the file goroutines allocate;
			// the runtime may still allocate a few sudogs when goroutines
			// block on channels on another processor than before.
			if allocs > 32 {
				t.Errorf("%d allocations during %d callbacks", allocs, c1-c0)
			}
		})
	}
}

func TestVirtualErrors(t *testing.T) {
	dir := t.TempDir()
	in44 := filepath.Join(dir, "in44.wav")
	writeWAV(t, in44, 44100, 1, 100)
	cases := []struct {
		name string
		cfg  device.Config
		kind error
		want string
	}{
		{"too many inputs", device.Config{Inputs: 9, Outputs: 2}, device.ErrChannels, "the virtual device has 8 inputs; 9 were asked for"},
		{"no outputs", device.Config{Inputs: 2}, device.ErrChannels, "at least one output channel is needed"},
		{"buffer 17", device.Config{Buffer: 17, Outputs: 2}, device.ErrBufferSize, "the buffer size must be between 64 and 2048 frames; 17 is not"},
		{"buffer 4096", device.Config{Buffer: 4096, Outputs: 2}, device.ErrBufferSize, "the buffer size must be between 64 and 2048 frames; 4096 is not"},
		{"rate", device.Config{Rate: 22050, Outputs: 2}, device.ErrUnsupportedRate, "Sangstudio runs at 44100, 48000 or 96000 Hz; 22050 Hz is not one of them"},
		{"kind", device.Config{Outputs: 2, VirtualInput: device.VirtualSource{Kind: "noise"}}, device.ErrConfig,
			`the virtual device's input must be "silence", "sine" or "file", not "noise"`},
		{"sine too high", device.Config{Outputs: 2, VirtualInput: device.VirtualSource{Kind: "sine", Freq: 30000}}, device.ErrConfig,
			"the virtual device's sine must be between 0 and 24000 Hz; 30000 Hz is not"},
		{"no file", device.Config{Inputs: 1, Outputs: 2, VirtualInput: device.VirtualSource{Kind: "file"}}, device.ErrConfig,
			"the virtual device's input file was not given"},
		{"missing file", device.Config{Inputs: 1, Outputs: 2, VirtualInput: device.VirtualSource{Kind: "file", Path: filepath.Join(dir, "nope.wav")}}, device.ErrConfig,
			"the virtual device cannot read its input file " + filepath.Join(dir, "nope.wav") + ": the file or folder does not exist"},
		{"file rate", device.Config{Inputs: 1, Outputs: 2, VirtualInput: device.VirtualSource{Kind: "file", Path: in44}}, device.ErrConfig,
			"the virtual device's input file " + in44 + " is at 44100 Hz, but the stream runs at 48000 Hz"},
		{"output file", device.Config{Outputs: 2, VirtualOutput: filepath.Join(dir, "no", "such", "dir.wav")}, device.ErrConfig,
			"the virtual device cannot write its output to " + filepath.Join(dir, "no", "such", "dir.wav")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.cfg.Device = device.VirtualID
			s, err := device.Open(c.cfg, nop)
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded")
			}
			if !errors.Is(err, c.kind) || !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("got  %v\nwant %s... (wrapping %v)", err, c.want, c.kind)
			}
		})
	}
	if _, err := device.Open(device.Config{Device: "virtual", Outputs: 2}, nil); !errors.Is(err, device.ErrConfig) {
		t.Errorf("nil callback: %v", err)
	}
}

// TestVirtualOutputFailure: the stream stops on its own, with a clear
// error, when its output file cannot be written. A child process limits
// its file size (RLIMIT_FSIZE) so that writes fail with EFBIG.
func TestVirtualOutputFailure(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	child := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestVirtualOutputFailureChild$", "-test.v", "-test.count=1")
	child.Env = append(os.Environ(), "SANGSTUDIO_FSIZE_CHILD="+filepath.Join(t.TempDir(), "out.wav"))
	out, err := child.CombinedOutput()
	t.Logf("child:\n%s", out)
	if err != nil || !strings.Contains(string(out), "--- PASS: TestVirtualOutputFailureChild") {
		t.Errorf("child: %v", err)
	}
}

func TestVirtualOutputFailureChild(t *testing.T) {
	path := os.Getenv("SANGSTUDIO_FSIZE_CHILD")
	if path == "" {
		t.Skip("run by TestVirtualOutputFailure")
	}
	signal.Ignore(syscall.SIGXFSZ)
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: 1 << 20, Max: 1 << 20}); err != nil {
		t.Skip(err)
	}
	var calls atomic.Int64
	s, err := device.Open(device.Config{Device: "virtual", Outputs: 2, Fast: true, VirtualOutput: path},
		func(in, out [][]float32, st device.Status) { nop(in, out, st); calls.Add(1) })
	if err != nil {
		t.Fatal(err)
	}
	s.Start()
	select {
	case <-s.Done():
	case <-time.After(20 * time.Second):
		t.Fatal("Done not closed")
	}
	err = s.Err()
	t.Logf("after %d callbacks: %v", calls.Load(), err)
	if !errors.Is(err, device.ErrDeviceLost) || !strings.HasPrefix(err.Error(), "the virtual device stopped: writing its output to "+path+" failed: ") ||
		!errors.Is(err, syscall.EFBIG) {
		t.Errorf("Err() = %v", err)
	}
	if err := s.Start(); err == nil {
		t.Error("Start after the failure succeeded")
	}
	err = s.Close()
	t.Logf("Close: %v", err)
	if err == nil {
		t.Error("Close did not report the failed file")
	}
}
