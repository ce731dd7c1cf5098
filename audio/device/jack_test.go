package device_test

// Tests of the native JACK backend on a real JACK server (the dummy
// backend, real-time paced; TestMain starts a private one): see
// ../shared/audio-testing.md. They assert what must always hold (the right
// samples in the right place, clear errors, a lost server noticed, a new
// server used) and report xruns and timing without failing on them: a
// shared machine may be busy; `make bench` records timing.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"sangstudio/audio/device"
)

const jackHost = "JACK Audio Connection Kit"

func TestJACKList(t *testing.T) {
	sys := needJACK(t)
	if sys.Inputs != 8 || sys.Outputs != 8 {
		t.Errorf("JACK system device has %d in / %d out, want 8 / 8", sys.Inputs, sys.Outputs)
	}
	if sys.ID != jackHost+"/system#1" || sys.DefaultRate != 48000 {
		t.Errorf("JACK system device: %+v", sys)
	}
	a, err := device.List()
	if err != nil {
		t.Fatal(err)
	}
	b, err := device.List()
	if err != nil {
		t.Fatal(err)
	}
	// Other JACK clients may come and go between the calls (each is a
	// device); the devices in both lists must have the same IDs.
	ids := map[string]string{}
	for _, d := range a {
		ids[d.HostAPI+"/"+d.Name] = d.ID
	}
	for _, d := range b {
		if id, ok := ids[d.HostAPI+"/"+d.Name]; ok && id != d.ID {
			t.Errorf("%q has ID %q, then %q", d.Name, id, d.ID)
		}
	}
	if !a[0].Virtual || a[0].ID != "virtual" {
		t.Errorf("the first device is %+v, want the virtual device", a[0])
	}
	defaults := 0
	for _, d := range a {
		if d.Default {
			defaults++
			if d.ID != sys.ID {
				t.Errorf("default device is %q, want JACK's system", d.ID)
			}
		}
	}
	if defaults != 1 {
		t.Errorf("%d default devices", defaults)
	}
	if d, err := device.Default(); err != nil || d.ID != sys.ID {
		t.Errorf("Default() = %q, %v; want JACK's system", d.ID, err)
	}
	t.Logf("devices: %+v", a)
}

func TestJACKFind(t *testing.T) {
	sys := needJACK(t)
	for _, q := range []string{sys.ID, "jack", "JACK", "system", "  System "} {
		d, err := device.Find(q)
		if err != nil || d.ID != sys.ID {
			t.Errorf("Find(%q) = %q, %v; want %q", q, d.ID, err, sys.ID)
		}
	}
	for _, q := range []string{"virtual", "Virtual", "no audio hardware"} {
		d, err := device.Find(q)
		if err != nil || !d.Virtual {
			t.Errorf("Find(%q) = %q, %v; want the virtual device", q, d.ID, err)
		}
	}
	_, err := device.Find("foo")
	if !errors.Is(err, device.ErrNotFound) || !strings.Contains(err.Error(), `no device matches "foo"; the devices are: `) ||
		!strings.Contains(err.Error(), sys.ID) || !strings.Contains(err.Error(), "virtual") {
		t.Errorf("Find(foo): %v", err)
	}
	_, err = device.Find("audio") // "no audio hardware" and "JACK Audio Connection Kit"
	if !errors.Is(err, device.ErrAmbiguous) || !strings.Contains(err.Error(), `"audio" matches 2 devices`) {
		t.Errorf("Find(audio): %v", err)
	}
	t.Logf("unknown: %v", mustErr(device.Find("foo")))
	t.Logf("ambiguous: %v", err)
}

func mustErr(_ device.Info, err error) error { return err }

// TestJACKMoreDevices runs a second JACK client (jack_metro: one output
// port, so a device with 1 input and no outputs) and checks the list, the
// default and the error for a device that cannot play.
func TestJACKMoreDevices(t *testing.T) {
	sys := needJACK(t)
	name := fmt.Sprintf("sangtest-metro-%d", os.Getpid())
	metro := exec.Command("jack_metro", "-b", "60", "-n", name)
	if err := metro.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { metro.Process.Kill(); metro.Wait() })
	var m device.Info
	for t0 := time.Now(); m.ID == "" && time.Since(t0) < 10*time.Second; time.Sleep(100 * time.Millisecond) {
		list, _ := device.List()
		for _, d := range list {
			if d.Name == name {
				m = d
			}
		}
	}
	if m.ID != jackHost+"/"+name+"#1" || m.Inputs != 1 || m.Outputs != 0 {
		t.Fatalf("jack_metro's device: %+v", m)
	}
	if d, _ := device.Default(); d.ID != sys.ID {
		t.Errorf("Default() = %q with jack_metro running; want %q", d.ID, sys.ID)
	}
	_, err := device.Open(device.Config{Device: m.ID, Inputs: 1, Outputs: 2}, func(in, out [][]float32, st device.Status) {})
	want := fmt.Sprintf(`the audio device %q (JACK) has no outputs: it can only record, not play`, name)
	if !errors.Is(err, device.ErrChannels) || err.Error() != want {
		t.Errorf("Open(metro) = %v; want %q", err, want)
	}
}

func TestJACKErrors(t *testing.T) {
	sys := needJACK(t)
	nop := func(in, out [][]float32, st device.Status) {}
	cases := []struct {
		name string
		cfg  device.Config
		kind error
		want string
	}{
		{"rate the server does not run at", device.Config{Device: sys.ID, Rate: 44100, Inputs: 2, Outputs: 2}, device.ErrUnsupportedRate,
			`the audio device "system" (JACK) cannot run at 44100 Hz: the JACK server runs at 48000 Hz`},
		{"rate Sangstudio does not use", device.Config{Device: sys.ID, Rate: 22050, Inputs: 2, Outputs: 2}, device.ErrUnsupportedRate,
			`Sangstudio runs at 44100, 48000 or 96000 Hz; 22050 Hz is not one of them`},
		{"too many inputs", device.Config{Device: sys.ID, Inputs: 9, Outputs: 2}, device.ErrChannels,
			`the audio device "system" (JACK) has 8 inputs; 9 were asked for`},
		{"too many outputs", device.Config{Device: sys.ID, Inputs: 2, Outputs: 10}, device.ErrChannels,
			`the audio device "system" (JACK) has 8 outputs; 10 were asked for`},
		{"buffer 17", device.Config{Device: sys.ID, Buffer: 17, Inputs: 2, Outputs: 2}, device.ErrBufferSize,
			`the buffer size must be between 64 and 2048 frames; 17 is not`},
		{"device gone", device.Config{Device: jackHost + "/system#2", Outputs: 2}, device.ErrNotFound,
			`there is no audio device "JACK Audio Connection Kit/system#2" (was it unplugged, or its server stopped?)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := device.Open(c.cfg, nop)
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded")
			}
			if !errors.Is(err, c.kind) || !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("got  %v\nwant %s (wrapping %v)", err, c.want, c.kind)
			}
		})
	}
}

// loopResult is what a loopback run measured.
type loopResult struct {
	client     string // the stream's JACK client
	delay      int64  // frames from output to input
	compared   int    // samples compared
	mismatches int
	flagged    int64 // buffers with xrun flags while recording
	xruns      int64 // Stream.Xruns at the end
	inLat      int
	outLat     int
}

// loopback opens a duplex stream of the given channels on JACK's system
// device at the given period (= buffer), wires output k to input perm[k]
// with jack_connect (after removing the automatic system:capture
// connections), plays pattern(k, frame) on output k, records 2 s, and
// compares every recorded sample with the pattern.
func loopback(t *testing.T, sys device.Info, channels, period int, perm []int) loopResult {
	t.Helper()
	setPeriod(t, period)
	const rate = 48000
	lr := &loopRecorder{rec: make([][]float32, channels), n: int64(2 * rate)}
	for c := range lr.rec {
		lr.rec[c] = make([]float32, lr.n)
	}
	s, err := device.Open(device.Config{Device: sys.ID, Rate: rate, Buffer: period, Inputs: channels, Outputs: channels}, lr.process)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	client := device.JACKClientName(s)
	if client != device.DefaultClientName {
		t.Errorf("JACK client name %q, want %q", client, device.DefaultClientName)
	}
	if s.Buffer() != period || s.Rate() != rate {
		t.Errorf("Buffer() = %d, Rate() = %d; want the server's %d, %d", s.Buffer(), s.Rate(), period, rate)
	}
	wireLoop(t, client, channels, perm)
	time.Sleep(100 * time.Millisecond) // the graph settles
	lr.armed.Store(true)
	deadline := time.Now().Add(30 * time.Second)
	for lr.recorded.Load() < lr.n {
		select {
		case <-s.Done():
			t.Fatalf("the stream stopped: %v", s.Err())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("recorded %d of %d frames in 30 s", lr.recorded.Load(), lr.n)
		}
	}
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	lr.recorded.Load()
	r := loopResult{client: client, flagged: lr.flagged.Load(), xruns: s.Xruns(), inLat: s.InputLatency(), outLat: s.OutputLatency(), delay: -1}
	compareLoop(t, lr, perm, &r)
	return r
}

// loopRecorder is loopback's stream callback: it plays pattern(k, frame)
// on output k and, once armed, records the first n frames of every input
// into rec (first: the stream frame of the first).
type loopRecorder struct {
	rec                      [][]float32
	n                        int64
	armed                    atomic.Bool
	recorded, first, flagged atomic.Int64
}

func (lr *loopRecorder) process(in, out [][]float32, st device.Status) {
	for c, o := range out {
		for i := range o {
			o[i] = pattern(c, st.Frame+int64(i))
		}
	}
	k := lr.recorded.Load()
	if !lr.armed.Load() || k >= lr.n {
		return
	}
	if k == 0 {
		lr.first.Store(st.Frame)
	}
	if st.InputOverflow || st.OutputUnderflow {
		lr.flagged.Add(1)
	}
	m := min(int64(len(in[0])), lr.n-k)
	for c, b := range in {
		copy(lr.rec[c][k:k+m], b[:m])
	}
	lr.recorded.Store(k + m)
}

// wireLoop checks that JACK client client's channels inputs and outputs
// are wired as PortAudio wired them, then wires output k to input perm[k]
// instead.
func wireLoop(t *testing.T, client string, channels int, perm []int) {
	t.Helper()
	conns := connections(t)
	ins, outs := clientPorts(t, conns, client, "in_"), clientPorts(t, conns, client, "out_")
	if len(ins) != channels || len(outs) != channels {
		t.Fatalf("ports of %s: %v %v; want %d of each", client, ins, outs, channels)
	}
	// Start wired them as PortAudio did: in_k from system:capture_{k+1},
	// out_k to system:playback_{k+1}.
	for k := range channels {
		if c := conns[ins[k]]; len(c) != 1 || c[0] != fmt.Sprintf("system:capture_%d", k+1) {
			t.Errorf("%s is connected to %v, want system:capture_%d", ins[k], c, k+1)
		}
		if c := conns[outs[k]]; len(c) != 1 || c[0] != fmt.Sprintf("system:playback_%d", k+1) {
			t.Errorf("%s is connected to %v, want system:playback_%d", outs[k], c, k+1)
		}
	}
	for k := range channels {
		jack(t, "jack_connect", outs[k], ins[perm[k]])
	}
	for _, p := range ins {
		for _, src := range conns[p] {
			jack(t, "jack_disconnect", src, p)
		}
	}
	for p, c := range connections(t) {
		if strings.HasPrefix(p, client+":in_") && len(c) != 1 {
			t.Fatalf("%s is connected to %v, want one of our outputs", p, c)
		}
	}
}

// compareLoop finds the delay from output to input in what lr recorded
// (output k wired to input perm[k]) and compares every recorded sample
// with the pattern, into r.
func compareLoop(t *testing.T, lr *loopRecorder, perm []int, r *loopResult) {
	t.Helper()
	rec, n := lr.rec, lr.n
	f0 := lr.first.Load()
	// The delay: where the first 256 recorded samples of input perm[0]
	// sit in output 0's pattern.
	for d := int64(0); d <= f0 && d < 1<<15 && r.delay < 0; d++ {
		match := true
		for i := int64(0); i < 256 && match; i++ {
			match = rec[perm[0]][i] == pattern(0, f0+i-d)
		}
		if match {
			r.delay = d
		}
	}
	if r.delay < 0 {
		t.Fatalf("the pattern is not in the recording (first samples %v)", rec[perm[0]][:8])
	}
	for k := range len(rec) {
		bad := 0
		for i := range n {
			if rec[perm[k]][i] != pattern(k, f0+i-r.delay) {
				if bad < 3 {
					t.Errorf("output %d -> input %d: frame %d: got %v, want %v", k, perm[k], f0+i, rec[perm[k]][i], pattern(k, f0+i-r.delay))
				}
				bad++
			}
		}
		r.mismatches += bad
		r.compared += int(n)
	}
}

// TestJACKLoopback wires our outputs to our own inputs in JACK's graph:
// every sample comes back exact, one period later (a connection from a
// client's output to its own input is a feedback connection: JACK hands it
// over in the next cycle; PortAudio's extra buffer made it two periods).
// The stream reports JACK's latencies of the physical ports it is wired to
// (what a cable from system:playback_1 to system:capture_1 would add up to).
func TestJACKLoopback(t *testing.T) {
	sys := needJACK(t)
	for _, period := range []int{128, 256} {
		t.Run(fmt.Sprint(period), func(t *testing.T) {
			r := loopback(t, sys, 2, period, []int{0, 1})
			capture, playback := portLatency(t, "system:capture_1", "capture"), portLatency(t, "system:playback_1", "playback")
			t.Logf("period %d: %d samples compared, %d mismatches, loop delay %d frames (%.2f periods); stream reports %d in + %d out "+
				"(system:capture_1 %d, system:playback_1 %d), %d buffers flagged while recording, %d xruns in all",
				period, r.compared, r.mismatches, r.delay, float64(r.delay)/float64(period), r.inLat, r.outLat,
				capture, playback, r.flagged, r.xruns)
			if r.mismatches != 0 {
				t.Errorf("%d of %d samples differ", r.mismatches, r.compared)
			}
			if r.delay != int64(period) {
				t.Errorf("loop delay %d frames, want one period (%d)", r.delay, period)
			}
			if r.inLat != capture || r.outLat != playback {
				t.Errorf("latencies %d in, %d out; want JACK's %d (capture) and %d (playback)", r.inLat, r.outLat, capture, playback)
			}
			if r.flagged > 0 {
				t.Logf("note: %d xruns while recording (machine busy?); the samples matched regardless", r.flagged)
			}
		})
	}
}

var latencyRE = regexp.MustCompile(`(capture|playback) latency = \[ (\d+) (\d+) \]`)

// portLatency reads the max of a port's capture or playback latency range
// from jack_lsp -l.
func portLatency(t *testing.T, port, mode string) int {
	t.Helper()
	for _, m := range latencyRE.FindAllStringSubmatch(jack(t, "jack_lsp", "-l", port), -1) {
		if m[1] == mode {
			n, _ := strconv.Atoi(m[3])
			return n
		}
	}
	t.Fatalf("jack_lsp -l %s: no %s latency", port, mode)
	return 0
}

func TestJACKEightInputs(t *testing.T) {
	sys := needJACK(t)
	perm := []int{3, 0, 7, 5, 1, 6, 2, 4} // output k -> input perm[k]
	r := loopback(t, sys, 8, 256, perm)
	t.Logf("8 channels, period 256, wiring %v: %d samples compared, %d mismatches, delay %d, %d flagged, %d xruns",
		perm, r.compared, r.mismatches, r.delay, r.flagged, r.xruns)
	if r.mismatches != 0 {
		t.Errorf("%d of %d samples differ", r.mismatches, r.compared)
	}
	if r.delay != 256 {
		t.Errorf("loop delay %d frames, want 256", r.delay)
	}
}

// TestJACKCallbackAllocs counts heap allocations in the whole process
// while a JACK stream runs: the cgo callback path and ours must not
// allocate, with or without the race detector (no reflect, no lock). The
// first 0.5 s are left out: the first callback on JACK's thread sets up
// that thread for Go, which allocates once. (TestJACKProcessAllocs checks
// the Go side alone with testing.AllocsPerRun.)
func TestJACKCallbackAllocs(t *testing.T) {
	sys := needJACK(t)
	setPeriod(t, 256)
	var calls atomic.Int64
	s, err := device.Open(device.Config{Device: sys.ID, Inputs: 2, Outputs: 2}, func(in, out [][]float32, st device.Status) {
		for c, o := range out {
			copy(o, in[c%len(in)])
		}
		calls.Add(1)
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond)
	runtime.GC() // see TestVirtualAllocs
	time.Sleep(50 * time.Millisecond)
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	c0 := calls.Load()
	time.Sleep(2 * time.Second)
	runtime.ReadMemStats(&m1)
	c1 := calls.Load()
	s.Stop()
	allocs := m1.Mallocs - m0.Mallocs
	t.Logf("%d callbacks in 2 s, %d heap allocations in the process (%.4f per callback), %d xruns", c1-c0, allocs, float64(allocs)/float64(c1-c0), s.Xruns())
	if c1-c0 < 200 {
		t.Errorf("only %d callbacks in 2 s (want about 375)", c1-c0)
	}
	// Nothing else runs in the process meanwhile; a few allocations of
	// the runtime are tolerated.
	if allocs > 20 {
		t.Errorf("%d allocations while the stream ran", allocs)
	}
}

// TestJACKXrun: a callback that takes longer than a period makes JACK
// report an xrun; the next buffer's Status has both flags set and Xruns
// counts it.
func TestJACKXrun(t *testing.T) {
	sys := needJACK(t)
	setPeriod(t, 128)
	var stall atomic.Bool
	var flagged atomic.Int64
	s, err := device.Open(device.Config{Device: sys.ID, Inputs: 1, Outputs: 1}, func(in, out [][]float32, st device.Status) {
		clear(out[0])
		if st.InputOverflow && st.OutputUnderflow {
			flagged.Add(1)
		} else if st.InputOverflow || st.OutputUnderflow {
			flagged.Add(1 << 20) // one flag without the other: wrong
		}
		if stall.Swap(false) {
			time.Sleep(20 * time.Millisecond) // (a test may block; Sangstudio's callback never does)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	x0 := s.Xruns()
	stall.Store(true)
	deadline := time.Now().Add(5 * time.Second)
	for s.Xruns() == x0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	t.Logf("xruns: %d before the stall, %d after; %d buffers flagged", x0, s.Xruns(), flagged.Load())
	if s.Xruns() == x0 {
		t.Error("no xrun reported after a callback took 20 ms at a 2.7 ms period")
	}
	if f := flagged.Load(); f != s.Xruns() {
		t.Errorf("%d buffers flagged (both flags), Xruns %d", f, s.Xruns())
	}
}

// TestJACKPeriodChange: the period is the server's; when it changes while
// the stream runs, the callback gets the new size and Buffer says so.
func TestJACKPeriodChange(t *testing.T) {
	sys := needJACK(t)
	setPeriod(t, 128)
	var last atomic.Int64
	s, err := device.Open(device.Config{Device: sys.ID, Buffer: 1024, Outputs: 2}, func(in, out [][]float32, st device.Status) {
		for _, o := range out {
			clear(o)
		}
		last.Store(int64(len(out[0])))
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Buffer() != 128 {
		t.Errorf("Buffer() = %d with the server at 128 (Config.Buffer 1024 is ignored on JACK)", s.Buffer())
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	setPeriod(t, 256)
	deadline := time.Now().Add(5 * time.Second)
	for (last.Load() != 256 || s.Buffer() != 256) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if last.Load() != 256 || s.Buffer() != 256 {
		t.Errorf("after jack_bufsize 256: callback frames %d, Buffer() %d", last.Load(), s.Buffer())
	}
}

// TestJACKCallbackTimes checks the timing figures of the callback path on
// the real server: every buffer timed, and the parts in a sensible order.
// It logs them; limits on timing belong to make bench, not to a test on a
// shared machine.
func TestJACKCallbackTimes(t *testing.T) {
	sys := needJACK(t)
	setPeriod(t, 128)
	var calls atomic.Int64
	s, err := device.Open(device.Config{Device: sys.ID, Inputs: 2, Outputs: 2}, func(in, out [][]float32, st device.Status) {
		for c, o := range out {
			copy(o, in[c])
		}
		calls.Add(1)
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tm, ok := s.(device.Timer)
	if !ok {
		t.Fatal("a JACK stream does not implement device.Timer")
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second)
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	ct := tm.CallbackTimes()
	t.Logf("callback times: %v", ct)
	n := calls.Load()
	if ct.Calls != n || n < 300 {
		t.Fatalf("%d buffers timed, %d callbacks (want about 750 in 2 s)", ct.Calls, n)
	}
	if ct.Period < 2600 || ct.Period > 2700 {
		t.Errorf("period %.0f µs, want 2667 (128 frames at 48 kHz)", ct.Period)
	}
	for name, sp := range map[string]device.Spread{"wake": ct.Wake, "entry": ct.Entry, "callback": ct.Callback, "total": ct.Total, "finish": ct.Finish} {
		if sp.Count < n-1 || sp.Count > n {
			t.Errorf("%s: %d values for %d buffers", name, sp.Count, n)
		}
		if !(sp.P50 <= sp.P90 && sp.P90 <= sp.P99 && sp.P99 <= sp.P999 && sp.P999 <= sp.Max) || sp.Mean > sp.Max {
			t.Errorf("%s: percentiles out of order: %v (mean %.1f)", name, sp, sp.Mean)
		}
	}
	// Most buffers: the Go entry and the callback fit in the C callback,
	// and all of it in the period.
	if ct.Entry.P50 > ct.Total.P50 || ct.Callback.P50 > ct.Total.P50 {
		t.Errorf("median entry %.0f or callback %.0f µs above the median total %.0f", ct.Entry.P50, ct.Callback.P50, ct.Total.P50)
	}
	if ct.Total.P50 > ct.Period || ct.Finish.P50 > ct.Period || ct.Wake.P50 > ct.Finish.P50 {
		t.Errorf("median total %.0f, wake %.0f, finish %.0f µs: not within the %.0f µs period", ct.Total.P50, ct.Wake.P50, ct.Finish.P50, ct.Period)
	}
	if ct.Late > n/2 {
		t.Errorf("%d of %d buffers finished late", ct.Late, n)
	}
}

// TestJACKClientRegistered watches the server's client registrations
// (jack_evmon) while List runs and one stream is opened, started, stopped
// and closed: "sangstudio" registers exactly once and unregisters once;
// List uses "sangstudio-list" only; PortAudio (initialised afresh by List)
// registers nothing, and its attempt went through our jack_client_open.
func TestJACKClientRegistered(t *testing.T) {
	sys := needJACK(t)
	if _, err := exec.LookPath("jack_evmon"); err != nil {
		t.Skip("jack_evmon is not installed (package jackd2)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	mon, stop := startEvmon(t, ctx)
	defer stop()
	// List until jack_evmon shows it is listening.
	listening := make(chan struct{})
	listed := make(chan struct{})
	go func() {
		defer close(listed)
		for i := 0; i < 100; i++ {
			device.List()
			select {
			case <-listening:
				return
			case <-time.After(100 * time.Millisecond):
			}
		}
	}()
	mon.waitFor(t, "Client sangstudio-list unregistered")
	close(listening)
	<-listed
	time.Sleep(200 * time.Millisecond) // the last List's events
	for len(mon.lines) > 0 {
		<-mon.lines
	}
	mon.events = nil
	refused := device.JACKRefusedCalls()
	if _, err := device.List(); err != nil {
		t.Fatal(err)
	}
	if device.JACKRefusedCalls() == refused {
		t.Error("PortAudio's jack_client_open did not go through ours: it may connect to JACK")
	}
	runOneStream(t, sys)
	// A marker: a client of another name, after everything above.
	m, err := device.Open(device.Config{Device: sys.ID, Outputs: 1, ClientName: "sangstudio-marker"}, func(in, out [][]float32, st device.Status) {})
	if err != nil {
		t.Fatal(err)
	}
	if device.JACKClientName(m) != "sangstudio-marker" {
		t.Errorf("ClientName sangstudio-marker gave a client named %q", device.JACKClientName(m))
	}
	m.Close()
	mon.waitFor(t, "Client sangstudio-marker unregistered")
	registered, unregistered := clientEvents(mon.events)
	t.Logf("registered %v, unregistered %v", registered, unregistered)
	if registered["sangstudio"] != 1 || unregistered["sangstudio"] != 1 {
		t.Errorf("sangstudio registered %d times and unregistered %d times, want once each", registered["sangstudio"], unregistered["sangstudio"])
	}
	if registered["sangstudio-list"] != 2 {
		t.Errorf("sangstudio-list registered %d times for 2 Lists", registered["sangstudio-list"])
	}
	for name := range registered {
		if name != "sangstudio" && name != "sangstudio-list" && name != "sangstudio-marker" {
			t.Errorf("an unexpected client registered: %q (PortAudio?)", name)
		}
	}
}

// evmon is a running jack_evmon: the lines it prints, and those seen.
type evmon struct {
	lines  chan string
	events []string
}

// startEvmon starts jack_evmon (ended with ctx, or by stop).
func startEvmon(t *testing.T, ctx context.Context) (mon *evmon, stop func()) {
	t.Helper()
	ev := exec.CommandContext(ctx, "stdbuf", "-oL", "jack_evmon")
	out, err := ev.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := ev.Start(); err != nil {
		t.Fatal(err)
	}
	mon = &evmon{lines: make(chan string, 1000)}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			mon.lines <- sc.Text()
		}
		close(mon.lines)
	}()
	return mon, func() { ev.Process.Kill(); ev.Wait() }
}

// waitFor reads the events up to line (within 10 s).
func (mon *evmon) waitFor(t *testing.T, line string) {
	t.Helper()
	for {
		select {
		case l, ok := <-mon.lines:
			if !ok {
				t.Fatalf("jack_evmon ended before %q; it said %q", line, mon.events)
			}
			mon.events = append(mon.events, l)
			if l == line {
				return
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("no %q from jack_evmon in 10 s; it said %q", line, mon.events)
		}
	}
}

// runOneStream opens a stream on sys, starts it, Lists while it runs,
// stops it, starts it again and closes it.
func runOneStream(t *testing.T, sys device.Info) {
	t.Helper()
	s, err := device.Open(device.Config{Device: sys.ID, Inputs: 2, Outputs: 2}, func(in, out [][]float32, st device.Status) {
		for _, o := range out {
			clear(o)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	if _, err := device.List(); err != nil { // while the stream runs: it is not a device
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); err != nil { // again: the same client
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

// clientEvents counts the registrations and unregistrations of each
// client among jack_evmon's events.
func clientEvents(events []string) (registered, unregistered map[string]int) {
	registered, unregistered = map[string]int{}, map[string]int{}
	for _, l := range events {
		if name, ok := strings.CutPrefix(l, "Client "); ok {
			if n, ok := strings.CutSuffix(name, " unregistered"); ok {
				unregistered[n]++
			} else if n, ok := strings.CutSuffix(name, " registered"); ok {
				registered[n]++
			}
		}
	}
	return registered, unregistered
}

// TestJACKServerKilled kills the private JACK server while a stream runs
// (SIGKILL, then SIGTERM): Done is closed within 1 s with an error that
// says so and wraps ErrDeviceLost; Stop and Close return within 1 s; while
// the server is away, List has no JACK device and Open says so; once a
// server of the same name runs again, List shows its device and a new
// stream opens, runs and passes the loopback check, in the same process.
func TestJACKServerKilled(t *testing.T) {
	sys := needJACK(t)
	if jackServer == nil {
		t.Skip("needs TestMain's private server")
	}
	for _, sig := range []syscall.Signal{syscall.SIGKILL, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) { serverKilled(t, sys, sig) })
	}
}

func serverKilled(t *testing.T, sys device.Info, sig syscall.Signal) {
	var calls atomic.Int64
	s, err := device.Open(device.Config{Device: sys.ID, Inputs: 2, Outputs: 2}, func(in, out [][]float32, st device.Status) {
		for _, o := range out {
			clear(o)
		}
		calls.Add(1)
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if s.Err() != nil || calls.Load() == 0 {
		t.Fatalf("before the server went away: Err %v, %d callbacks", s.Err(), calls.Load())
	}
	restarted := false
	defer func() {
		if !restarted {
			jackServer.Restart() // for the tests after this one
		}
	}()
	t0 := time.Now()
	killed := make(chan struct{})
	go func() { jackServer.Kill(sig); close(killed) }()
	select {
	case <-s.Done():
	case <-time.After(5 * time.Second):
		t.Fatalf("Done not closed 5 s after the server was sent %v", sig)
	}
	took := time.Since(t0)
	err = s.Err()
	t.Logf("%v: Done after %v, %d callbacks: %v", sig, took.Round(time.Millisecond), calls.Load(), err)
	if took > time.Second {
		t.Errorf("Done took %v", took)
	}
	want := `the audio device "system" (JACK) stopped: the JACK server is gone`
	if !errors.Is(err, device.ErrDeviceLost) || err.Error() != want {
		t.Errorf("Err() = %v; want %q wrapping ErrDeviceLost", err, want)
	}
	checkLostStream(t, s)
	<-killed
	checkNoServer(t, sys)

	restarted = true
	if err := jackServer.Restart(); err != nil {
		t.Fatal(err)
	}
	var again device.Info
	for t1 := time.Now(); again.ID == "" && time.Since(t1) < 5*time.Second; time.Sleep(50 * time.Millisecond) {
		list, _ := device.List()
		for _, d := range list {
			if d.ID == sys.ID {
				again = d
			}
		}
	}
	if again.ID != sys.ID || again.Inputs != sys.Inputs || again.Outputs != sys.Outputs || !again.Default {
		t.Fatalf("after the server came back, List has %+v; want %+v", again, sys)
	}
	r := loopback(t, again, 2, 128, []int{0, 1})
	t.Logf("after the restart: %d samples compared, %d mismatches, delay %d, client %s", r.compared, r.mismatches, r.delay, r.client)
	if r.mismatches != 0 || r.delay != 128 {
		t.Errorf("after the restart: %d of %d samples differ, delay %d", r.mismatches, r.compared, r.delay)
	}
}

// checkLostStream checks that s, whose server went away, does not start
// again, and that Stop and Close return within 1 s.
func checkLostStream(t *testing.T, s device.Stream) {
	t.Helper()
	if err := s.Start(); !errors.Is(err, device.ErrDeviceLost) {
		t.Errorf("Start on the lost stream: %v", err)
	}
	for name, f := range map[string]func() error{"Stop": s.Stop, "Close": s.Close} {
		t1 := time.Now()
		done := make(chan error, 1)
		go func() { done <- f() }()
		select {
		case err := <-done:
			t.Logf("%s: %v after %v", name, err, time.Since(t1).Round(time.Millisecond))
		case <-time.After(10 * time.Second):
			t.Fatalf("%s hangs", name)
		}
		if d := time.Since(t1); d > time.Second {
			t.Errorf("%s took %v", name, d)
		}
	}
}

// checkNoServer checks, while no JACK server runs, that List has no JACK
// device and that opening sys says it is not found.
func checkNoServer(t *testing.T, sys device.Info) {
	t.Helper()
	list, err := device.List()
	for _, d := range list {
		if d.HostAPI == jackHost {
			t.Errorf("List while no JACK server runs: %v", d)
		}
	}
	if err != nil {
		t.Errorf("List while no JACK server runs: %v", err)
	}
	if _, err := device.Open(device.Config{Device: sys.ID, Outputs: 2}, func(in, out [][]float32, st device.Status) {}); !errors.Is(err, device.ErrNotFound) {
		t.Errorf("Open while no JACK server runs: %v", err)
	} else {
		t.Logf("Open while no JACK server runs: %v", err)
	}
}
