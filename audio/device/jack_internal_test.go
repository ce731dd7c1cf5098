package device

import (
	"math/rand"
	"slices"
	"testing"
	"time"
	"unsafe"
)

// TestJACKProcessAllocs runs the Go side of the JACK process callback (what
// sangstudioJackProcess calls) on buffers of our own: it allocates nothing,
// with or without the race detector.
func TestJACKProcessAllocs(t *testing.T) {
	const n = 128
	bufs := make([][]float32, 4)
	ptrs := make([]unsafe.Pointer, 4)
	for i := range bufs {
		bufs[i] = make([]float32, n)
		bufs[i][0] = float32(i + 1)
		ptrs[i] = unsafe.Pointer(&bufs[i][0])
	}
	var got Status
	s := &jackStream{
		rate: 48000,
		in:   make([][]float32, 2),
		out:  make([][]float32, 2),
		nin:  2,
		cb: func(in, out [][]float32, st Status) {
			for c := range out {
				copy(out[c], in[c])
			}
			got = st
		},
	}
	s.ending.init()
	c := &jackCycle{nframes: n, entryNs: nanotime(), wakeUs: 20, periodUs: 2667, prevTotalNs: 15000, prevFinishUs: 40}
	allocs := testing.AllocsPerRun(1000, func() {
		c.xrun = 1
		s.process(nanotime(), unsafe.Pointer(&ptrs[0]), c)
	})
	if allocs != 0 {
		t.Errorf("%v allocations per buffer", allocs)
	}
	if bufs[2][0] != 1 || bufs[3][0] != 2 || len(s.in[0]) != n || !got.InputOverflow || !got.OutputUnderflow {
		t.Errorf("outputs %v %v, status %+v", bufs[2][0], bufs[3][0], got)
	}
	if got.Frame != 1000*n || s.Xruns() != 1001 || s.Buffer() != n {
		t.Errorf("frame %d, xruns %d, buffer %d", got.Frame, s.Xruns(), s.Buffer())
	}
	ct := s.CallbackTimes()
	if ct.Calls != 1001 || ct.Wake.P50 != 20 || ct.Total.Max != 15 || ct.Finish.P99 != 40 || ct.Late != 0 || int(ct.Period) != 2666 {
		t.Errorf("times: %+v", ct)
	}
}

func TestHistogram(t *testing.T) {
	// Buckets: every value falls in a bucket whose top is at least the
	// value and within 1/8 of it.
	for us := int64(0); us < 1<<22; us += 1 + us/50 {
		b := bucketOf(us)
		top := bucketTop(b)
		if top < us || (us >= 16 && float64(top-us) > float64(us)/8) || (b > 0 && bucketTop(b-1) >= us) {
			t.Fatalf("%d µs: bucket %d, top %d (previous top %d)", us, b, top, bucketTop(b-1))
		}
	}
	var h histogram
	vals := make([]int64, 10000)
	r := rand.New(rand.NewSource(1))
	for i := range vals {
		vals[i] = int64(r.ExpFloat64() * 300)
		h.add(vals[i])
	}
	h.add(-1) // unknown: not counted
	slices.Sort(vals)
	sp := h.spread()
	if sp.Count != int64(len(vals)) || sp.Max != float64(vals[len(vals)-1]) {
		t.Fatalf("spread %+v", sp)
	}
	for _, c := range []struct {
		p   float64
		got float64
	}{{0.5, sp.P50}, {0.9, sp.P90}, {0.99, sp.P99}, {0.999, sp.P999}} {
		want := float64(vals[int(c.p*float64(len(vals)))-1])
		if c.got < want || c.got > want*1.13+1 {
			t.Errorf("p%v = %v, exact %v", c.p*100, c.got, want)
		}
	}
	t.Logf("%v", sp)
}

// TestJACKDevices groups ports into devices as PortAudio did: the physical
// ports are "system"; each other client with audio ports is a device; our
// own clients are left out.
func TestJACKDevices(t *testing.T) {
	ports := []jackPort{
		{name: "system:capture_1", client: "system", flags: jackIsOutput | jackIsPhysical, latency: 128},
		{name: "system:capture_2", client: "system", flags: jackIsOutput | jackIsPhysical, latency: 128},
		{name: "system:playback_1", client: "system", flags: jackIsInput | jackIsPhysical, latency: 256},
		{name: "metro:out", client: "metro", flags: jackIsOutput},
		{name: "sangstudio:in_0", client: "sangstudio", flags: jackIsInput},
		{name: "fx:in_l", client: "fx", flags: jackIsInput},
		{name: "fx:out_l", client: "fx", flags: jackIsOutput},
	}
	devs := jackDevices(ports, 48000, map[string]bool{"sangstudio": true})
	var got []Info
	for _, d := range devs {
		got = append(got, d.info)
	}
	want := []Info{
		{ID: jackHostAPI + "/system#1", Name: "system", HostAPI: jackHostAPI, Inputs: 2, Outputs: 1, DefaultRate: 48000, DefaultLowLatency: 128.0 / 48000},
		{ID: jackHostAPI + "/metro#1", Name: "metro", HostAPI: jackHostAPI, Inputs: 1, DefaultRate: 48000},
		{ID: jackHostAPI + "/fx#1", Name: "fx", HostAPI: jackHostAPI, Inputs: 1, Outputs: 1, DefaultRate: 48000},
	}
	if !slices.Equal(got, want) {
		t.Errorf("devices\n got  %+v\n want %+v", got, want)
	}
	if !slices.Equal(devs[0].capture, []string{"system:capture_1", "system:capture_2"}) || !slices.Equal(devs[0].playback, []string{"system:playback_1"}) {
		t.Errorf("system's ports: %v %v", devs[0].capture, devs[0].playback)
	}
	if i := jackDefault(devs); i != 0 {
		t.Errorf("default %d, want system", i)
	}
	// Without duplex physical ports, the first duplex client.
	if i := jackDefault(devs[1:]); i != 1 {
		t.Errorf("default without system: %d, want fx", i)
	}
	in, out := jackLatencies(devs[0], ports, 2, 2)
	if in != 128 || out != 256 {
		t.Errorf("latencies %d, %d", in, out)
	}
}

// TestWithin: a call that does not return in time is left behind, and what
// must follow it still runs when it does return.
func TestWithin(t *testing.T) {
	if !within(time.Second, func() {}, func() { t.Error("late ran for a call in time") }) {
		t.Error("a quick call timed out")
	}
	release := make(chan struct{})
	late := make(chan struct{})
	t0 := time.Now()
	if within(50*time.Millisecond, func() { <-release }, func() { close(late) }) {
		t.Error("a blocked call returned in time")
	}
	if d := time.Since(t0); d > time.Second {
		t.Errorf("within waited %v", d)
	}
	close(release)
	select {
	case <-late:
	case <-time.After(5 * time.Second):
		t.Error("late did not run after the call returned")
	}
}
