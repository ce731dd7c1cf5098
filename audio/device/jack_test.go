package device_test

// Tests on a real JACK server (the dummy backend, real-time paced): see
// scripts/audio-env.sh and ../shared/audio-testing.md. They assert what
// must always hold (the right samples in the right place, clear errors, a
// lost server noticed) and report xruns without failing on them: a shared
// machine may be busy; `make bench` records timing.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
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
// port, so a PortAudio device with 1 input and no outputs) and checks the
// list, the default and the error for a device that cannot play.
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
	delay      int64 // frames from output to input
	compared   int   // samples compared
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
	n := int64(2 * rate)
	rec := make([][]float32, channels)
	for c := range rec {
		rec[c] = make([]float32, n)
	}
	var armed atomic.Bool
	var recorded, first, flagged atomic.Int64
	cb := func(in, out [][]float32, st device.Status) {
		for c, o := range out {
			for i := range o {
				o[i] = pattern(c, st.Frame+int64(i))
			}
		}
		k := recorded.Load()
		if !armed.Load() || k >= n {
			return
		}
		if k == 0 {
			first.Store(st.Frame)
		}
		if st.InputOverflow || st.OutputUnderflow {
			flagged.Add(1)
		}
		m := min(int64(len(in[0])), n-k)
		for c, b := range in {
			copy(rec[c][k:k+m], b[:m])
		}
		recorded.Store(k + m)
	}
	s, err := device.Open(device.Config{Device: sys.ID, Rate: rate, Buffer: period, Inputs: channels, Outputs: channels}, cb)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	client := device.JACKClientName()
	if !strings.HasPrefix(client, "sangstudio") {
		t.Errorf("JACK client name %q, want sangstudio", client)
	}
	conns := connections(t)
	ins, outs := clientPorts(t, conns, client, "in_"), clientPorts(t, conns, client, "out_")
	if len(ins) != channels || len(outs) != channels {
		t.Fatalf("ports of %s: %v %v; want %d of each", client, ins, outs, channels)
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
	time.Sleep(100 * time.Millisecond) // the graph settles
	armed.Store(true)
	deadline := time.Now().Add(30 * time.Second)
	for recorded.Load() < n {
		select {
		case <-s.Done():
			t.Fatalf("the stream stopped: %v", s.Err())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("recorded %d of %d frames in 30 s", recorded.Load(), n)
		}
	}
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	recorded.Load()
	r := loopResult{flagged: flagged.Load(), xruns: s.Xruns(), inLat: s.InputLatency(), outLat: s.OutputLatency(), delay: -1}
	f0 := first.Load()
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
	for k := range channels {
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
	return r
}

func TestJACKLoopback(t *testing.T) {
	sys := needJACK(t)
	for _, period := range []int{128, 256} {
		t.Run(fmt.Sprint(period), func(t *testing.T) {
			r := loopback(t, sys, 2, period, []int{0, 1})
			t.Logf("period %d: %d samples compared, %d mismatches, loop delay %d frames (%.2f periods; stream reports %d in + %d out), "+
				"%d buffers flagged while recording, %d xruns in all",
				period, r.compared, r.mismatches, r.delay, float64(r.delay)/float64(period), r.inLat, r.outLat, r.flagged, r.xruns)
			if r.mismatches != 0 {
				t.Errorf("%d of %d samples differ", r.mismatches, r.compared)
			}
			if r.delay != int64(2*period) {
				t.Errorf("loop delay %d frames, want 2 periods (%d)", r.delay, 2*period)
			}
			if r.flagged > 0 {
				t.Logf("note: %d xruns while recording (machine busy?); the samples matched regardless", r.flagged)
			}
		})
	}
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
	if r.delay != 512 {
		t.Errorf("loop delay %d frames, want 512", r.delay)
	}
}

// TestJACKCallbackAllocs counts heap allocations in the whole process
// while a PortAudio stream runs: the portaudio package's callback path
// (cgo callback, reflect.Value.Call under a read lock) and ours must not
// allocate. The first 0.5 s are left out: the first callback on JACK's
// thread sets up that thread for Go, which allocates once. Under -race,
// reflect.Value.Call allocates (see race_test.go).
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
	if !device.HasStreamPointer(s) {
		t.Error("the PaStream pointer was not found: lost devices would go unnoticed")
	}
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
	// The poller goroutine and the test itself allocate nothing either; a
	// few allocations of the runtime are tolerated.
	limit := uint64(20)
	if raceEnabled {
		// reflect.Value.Call's frame pool under the race detector (see
		// race_test.go): about 1 in 4 callbacks.
		limit = uint64(c1-c0)/2 + 20
		t.Logf("race detector on: up to %d allocations allowed (reflect.Value.Call's sync.Pool drops frames); without -race this is 0", limit)
	}
	if allocs > limit {
		t.Errorf("%d allocations while the stream ran", allocs)
	}
}

// TestJACKDeviceLost starts a second private JACK server, runs a stream on
// it in a child process (PortAudio cannot be used again in a process whose
// JACK server went away), kills the server, and checks the child's report:
// Done closed within a few seconds, with an error wrapping ErrDeviceLost
// that names the device.
func TestJACKDeviceLost(t *testing.T) {
	needJACK(t)
	for _, sig := range []syscall.Signal{syscall.SIGKILL, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) { deviceLost(t, sig) })
	}
}

func deviceLost(t *testing.T, sig syscall.Signal) {
	server := fmt.Sprintf("sangstudio-lost-%d-%d", os.Getpid(), sig)
	jackd := exec.Command("jackd", "-n", server, "-d", "dummy", "-r", "48000", "-p", "256", "-C", "2", "-P", "2")
	jackd.Env = append(os.Environ(), "JACK_NO_AUDIO_RESERVATION=1")
	if err := jackd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { jackd.Wait(); close(exited) }()
	t.Cleanup(func() {
		jackd.Process.Kill()
		<-exited
		releaseServer(t, server)
	})
	jack(t, "jack_wait", "-s", server, "-w", "-t", "10")

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	child := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestJACKDeviceLostChild$", "-test.v", "-test.count=1")
	child.Env = append(os.Environ(), "JACK_DEFAULT_SERVER="+server, "SANGSTUDIO_LOST_CHILD=1")
	stdout, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	child.Stderr = &stderr
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	var report []string
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		line := sc.Text()
		report = append(report, line)
		if line == "CHILD: started" {
			time.Sleep(500 * time.Millisecond)
			jackd.Process.Signal(sig)
		}
	}
	err = child.Wait()
	text := strings.Join(report, "\n")
	t.Logf("child's report:\n%s", text)
	if err != nil {
		t.Fatalf("child: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(text, "CHILD: ok") {
		t.Errorf("the child did not report ok")
	}
}

// releaseServer cleans up after a JACK server that was killed (SIGKILL):
// it stays registered in /dev/shm/jack-shm-registry, which has room for 8
// servers and frees a dead server's slot only when a server of the same
// name starts. So a server of that name is started and stopped cleanly
// (which also frees the dead server's shared memory); then the semaphores
// of the clients it lost are removed.
func releaseServer(t *testing.T, server string) {
	t.Helper()
	again := exec.Command("jackd", "-n", server, "-d", "dummy", "-r", "48000", "-p", "256", "-C", "1", "-P", "1")
	if err := again.Start(); err != nil {
		t.Errorf("releasing the JACK server %s: %v", server, err)
		return
	}
	waitCmd := exec.Command("jack_wait", "-s", server, "-w", "-t", "10")
	if out, err := waitCmd.CombinedOutput(); err != nil {
		t.Errorf("releasing the JACK server %s: jack_wait: %v %s", server, err, out)
	}
	again.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { again.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		again.Process.Kill()
		<-done
		t.Errorf("releasing the JACK server %s: it did not stop on SIGTERM", server)
	}
	leftovers, _ := filepath.Glob("/dev/shm/jack*_" + server + "_*")
	for _, f := range leftovers {
		os.Remove(f)
	}
}

// TestJACKDeviceLostChild is TestJACKDeviceLost's child process.
func TestJACKDeviceLostChild(t *testing.T) {
	if os.Getenv("SANGSTUDIO_LOST_CHILD") != "1" {
		t.Skip("run by TestJACKDeviceLost")
	}
	say := func(format string, args ...any) { fmt.Printf("CHILD: "+format+"\n", args...) }
	sys, err := device.Find("jack")
	if err != nil {
		t.Fatal(err)
	}
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
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	if s.Err() != nil {
		t.Fatalf("Err before the server went away: %v", s.Err())
	}
	say("started")
	t0 := time.Now()
	select {
	case <-s.Done():
	case <-time.After(20 * time.Second):
		t.Fatalf("Done not closed 20 s after the server was killed (%d callbacks)", calls.Load())
	}
	took := time.Since(t0) - 500*time.Millisecond // the parent waits 0.5 s before killing
	err = s.Err()
	say("Done after %v, %d callbacks: %v", took.Round(time.Millisecond), calls.Load(), err)
	if took > 5*time.Second {
		t.Errorf("Done took %v after the server went away", took)
	}
	want := `the audio device "system" (JACK) stopped: the JACK server is gone`
	if !errors.Is(err, device.ErrDeviceLost) || err.Error() != want {
		t.Errorf("Err() = %v; want %q wrapping ErrDeviceLost", err, want)
	}
	for name, f := range map[string]func() error{"Stop": s.Stop, "Close": s.Close} {
		done := make(chan error, 1)
		go func() { done <- f() }()
		select {
		case err := <-done:
			say("%s: %v", name, err)
		case <-time.After(10 * time.Second):
			t.Fatalf("%s hangs", name)
		}
	}
	list, err := device.List()
	say("List afterwards: %d device(s), %v", len(list), err)
	if len(list) != 1 || !list[0].Virtual || !errors.Is(err, device.ErrDeviceLost) {
		t.Errorf("List after the JACK server went away: %v, %v", list, err)
	}
	if _, err := device.Open(device.Config{Device: sys.ID, Outputs: 2}, func(in, out [][]float32, st device.Status) {}); !errors.Is(err, device.ErrDeviceLost) {
		t.Errorf("Open after the JACK server went away: %v", err)
	}
	if d, err := device.Default(); err != nil || !d.Virtual {
		t.Errorf("Default after the JACK server went away: %v, %v", d, err)
	}
	if !t.Failed() {
		say("ok")
	}
}
