package device

import (
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// The native JACK backend: every JACK device is opened through libjack
// directly (jack_c.go), never through PortAudio. See doc.go.

// jackHostAPI is the host API name of JACK devices (the first part of their
// IDs), as PortAudio named it.
const jackHostAPI = "JACK Audio Connection Kit"

// DefaultClientName is the JACK client name of a stream when
// Config.ClientName is empty.
const DefaultClientName = "sangstudio"

// jackListClient names the short-lived client that lists the devices: never
// "sangstudio", so a patchbay or a test that watches for Sangstudio's
// client does not see List.
const jackListClient = "sangstudio-list"

// jackSystem is the name of the device made of the physical ports.
const jackSystem = "system"

// jackTimeout bounds each call into libjack that waits for the server
// (open, activate, deactivate, close): a server that stopped answering must
// not hang the caller.
const jackTimeout = 5 * time.Second

// isJackID tells whether a device ID is a JACK device's.
func isJackID(id string) bool { return strings.HasPrefix(id, jackHostAPI+"/") }

// The process-wide part of the backend: JACK calls C, and C calls Go with a
// slot number, so a stream is found on the audio thread by one atomic load
// (no lock, no map). Slots are claimed and freed under jackSlotMu, never on
// the audio thread.
const maxJackStreams = 64

var (
	jackSlots   [maxJackStreams]atomic.Pointer[jackStream]
	jackSlotMu  sync.Mutex
	jackClaimed [maxJackStreams]bool
	jackNames   [maxJackStreams]string // our clients' names, left out of the device list
)

func jackSlotStream(i int) *jackStream {
	if i < 0 || i >= maxJackStreams {
		return nil
	}
	return jackSlots[i].Load()
}

func claimJackSlot() int {
	jackSlotMu.Lock()
	defer jackSlotMu.Unlock()
	for i, used := range jackClaimed {
		if !used {
			jackClaimed[i] = true
			return i
		}
	}
	return -1
}

func freeJackSlot(i int) {
	jackSlotMu.Lock()
	defer jackSlotMu.Unlock()
	jackSlots[i].Store(nil)
	jackClaimed[i] = false
	jackNames[i] = ""
}

func ownJackClients() map[string]bool {
	jackSlotMu.Lock()
	defer jackSlotMu.Unlock()
	own := map[string]bool{}
	for _, n := range jackNames {
		if n != "" {
			own[n] = true
		}
	}
	return own
}

// within runs f on a goroutine of its own and waits for it at most d. If f
// does not return in time, within returns false; f goes on, and late (if
// not nil) runs after it when it does return.
func within(d time.Duration, f func(), late func()) bool {
	const running, finished, abandoned = 0, 1, 2
	var state atomic.Int32
	done := make(chan struct{})
	go func() {
		f()
		if !state.CompareAndSwap(running, finished) && late != nil {
			late()
		}
		close(done)
	}()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-done:
		return true
	case <-t.C:
		if state.CompareAndSwap(running, abandoned) {
			return false
		}
		<-done
		return true
	}
}

// jackDevice is a JACK device: the physical ports ("system"), or another
// client's audio ports.
type jackDevice struct {
	info     Info
	capture  []string // ports our inputs read from (the device's outputs)
	playback []string // ports our outputs write to (the device's inputs)
}

// jackDevices groups the server's audio ports into devices: "system", made
// of every physical port (capture: physical outputs, playback: physical
// inputs), then each other client with audio ports, in the server's port
// order, leaving out own (our streams' clients).
func jackDevices(ports []jackPort, rate int, own map[string]bool) []jackDevice {
	sys := jackDevice{info: Info{Name: jackSystem}}
	var order []string
	byClient := map[string]*jackDevice{}
	for _, p := range ports {
		d := &sys
		if p.flags&jackIsPhysical == 0 {
			if own[p.client] {
				continue
			}
			if byClient[p.client] == nil {
				byClient[p.client] = &jackDevice{info: Info{Name: p.client}}
				order = append(order, p.client)
			}
			d = byClient[p.client]
		}
		switch {
		case p.flags&jackIsOutput != 0:
			if len(d.capture) == 0 {
				d.info.DefaultLowLatency = float64(p.latency) / float64(max(rate, 1))
			}
			d.capture = append(d.capture, p.name)
		case p.flags&jackIsInput != 0:
			if len(d.capture) == 0 && len(d.playback) == 0 {
				d.info.DefaultLowLatency = float64(p.latency) / float64(max(rate, 1))
			}
			d.playback = append(d.playback, p.name)
		}
	}
	var devs []jackDevice
	if len(sys.capture)+len(sys.playback) > 0 {
		devs = append(devs, sys)
	}
	for _, n := range order {
		if n == jackSystem && len(sys.capture)+len(sys.playback) > 0 {
			continue // (non-physical ports of a client named system: not a device of their own)
		}
		devs = append(devs, *byClient[n])
	}
	infos := make([]Info, len(devs))
	for i := range devs {
		d := &devs[i].info
		d.HostAPI = jackHostAPI
		d.Inputs = len(devs[i].capture)
		d.Outputs = len(devs[i].playback)
		d.DefaultRate = rate
		infos[i] = *d
	}
	makeIDs(infos)
	for i := range devs {
		devs[i].info.ID = infos[i].ID
	}
	return devs
}

// jackDefault returns the index of the device Default picks among JACK's:
// "system" if it can record and play, else the first client that can; -1
// for none.
func jackDefault(devs []jackDevice) int {
	duplex := func(d Info) bool { return d.Inputs > 0 && d.Outputs > 0 }
	for i, d := range devs {
		if d.info.Name == jackSystem && duplex(d.info) {
			return i
		}
	}
	for i, d := range devs {
		if duplex(d.info) {
			return i
		}
	}
	return -1
}

// jackList lists JACK's devices through a short-lived client of its own
// (jackListClient); none, without an error, if no JACK server runs. It
// never starts a server.
func jackList() ([]jackDevice, error) {
	var ports []jackPort
	var rate int
	var ok bool
	if !within(jackTimeout, func() {
		jackQuiet(true)
		defer jackQuiet(false)
		ports, rate, ok, _ = listJackPorts(jackListClient)
	}, nil) {
		return nil, newError(ErrDeviceBusy, nil, "the JACK server did not answer within %v", jackTimeout)
	}
	if !ok {
		return nil, nil
	}
	return jackDevices(ports, rate, ownJackClients()), nil
}

// jackStream is a stream on a JACK device: a JACK client of its own with
// the stream's ports, whose process callback calls the Callback.
type jackStream struct {
	info          Info
	rate          int
	inLat, outLat int
	cb            Callback
	client        jackClient
	slot          int
	clientName    string
	dev           jackDevice

	// Touched by the process callback only (preallocated headers whose
	// pointers are set to JACK's buffers for each buffer).
	in, out   [][]float32
	nin       int
	periodUs  int64 // the previous cycle's length
	prev      struct{ wakeUs, entryUs, callbackUs int64 }
	lateCause *atomic.Int64 // the counter of the current run of late buffers

	period atomic.Int64 // frames per buffer: the server's period
	frame  atomic.Int64 // written by the callback only
	xruns  atomic.Int64
	times  struct {
		calls, late                          atomic.Int64
		lateWake, lateEntry, lateCallback    atomic.Int64
		wake, entry, callback, total, finish histogram
	}

	mu      sync.Mutex // serialises Start, Stop and Close
	running bool
	closed  bool

	lost atomic.Bool
	ending
}

// jackOpen opens a stream on a JACK device (cfg.Device is a JACK ID).
func jackOpen(cfg Config, cb Callback) (Stream, error) {
	name := cfg.ClientName
	if name == "" {
		name = DefaultClientName
	}
	slot := claimJackSlot()
	if slot < 0 {
		return nil, newError(ErrDeviceBusy, nil, "too many JACK streams are open (%d)", maxJackStreams)
	}
	c, err := connectJack(cfg, name, slot)
	if err != nil {
		return nil, err
	}
	fail := func(err error) (Stream, error) {
		within(jackTimeout, func() { c.close() }, nil)
		freeJackSlot(slot)
		return nil, err
	}
	dev, ports, rate, err := findJackDevice(c, cfg)
	if err != nil {
		return fail(err)
	}
	if !c.setup(cfg.Inputs, cfg.Outputs) {
		return fail(newError(ErrDeviceBusy, nil, "%s could not be opened: JACK refused Sangstudio's ports", deviceName(dev.info)))
	}
	s := &jackStream{
		info:       dev.info,
		rate:       rate,
		cb:         cb,
		client:     c,
		slot:       slot,
		clientName: c.name(),
		dev:        dev,
		in:         make([][]float32, cfg.Inputs),
		out:        make([][]float32, cfg.Outputs),
		nin:        cfg.Inputs,
	}
	s.ending.init()
	s.period.Store(int64(c.period()))
	s.inLat, s.outLat = jackLatencies(dev, ports, cfg.Inputs, cfg.Outputs)
	jackSlotMu.Lock()
	jackNames[slot] = s.clientName
	jackSlotMu.Unlock()
	jackSlots[slot].Store(s)
	return s, nil
}

// connectJack opens the JACK client named name for stream slot slot. On
// an error, slot is given up (at once, or when a client that did not
// answer in time is closed).
func connectJack(cfg Config, name string, slot int) (jackClient, error) {
	var c jackClient
	var st int
	// A server that is busy starting (or the machine) may not answer the
	// first time: try once more before saying the device is not there.
	for attempt := 0; attempt < 2 && !c.ok(); attempt++ {
		if attempt > 0 {
			time.Sleep(300 * time.Millisecond)
		}
		if !within(jackTimeout, func() {
			jackQuiet(true)
			defer jackQuiet(false)
			c, st = openJackClient(name, slot)
		}, func() {
			if c.ok() {
				c.close()
			}
			freeJackSlot(slot)
		}) {
			return jackClient{}, newError(ErrDeviceBusy, nil, "the JACK server did not answer within %v", jackTimeout)
		}
	}
	if !c.ok() {
		freeJackSlot(slot)
		list, _ := List()
		return jackClient{}, newError(ErrNotFound, nil, "there is no audio device %q: %s (was it stopped?); the devices are: %s",
			cfg.Device, jackStatusText(st), describeAll(list))
	}
	return c, nil
}

// findJackDevice finds cfg.Device among the devices client c sees, and
// checks that it can give cfg's channels and rate. It returns the device,
// the ports and the server's rate.
func findJackDevice(c jackClient, cfg Config) (jackDevice, []jackPort, int, error) {
	ports, rate := c.scan()
	own := ownJackClients()
	own[c.name()] = true
	devs := jackDevices(ports, rate, own)
	idx := -1
	for i, d := range devs {
		if d.info.ID == cfg.Device {
			idx = i
		}
	}
	if idx < 0 {
		infos := []Info{virtualInfo()}
		for _, d := range devs {
			infos = append(infos, d.info)
		}
		return jackDevice{}, nil, 0, newError(ErrNotFound, nil, "there is no audio device %q (was it unplugged, or its server stopped?); the devices are: %s",
			cfg.Device, describeAll(infos))
	}
	dev := devs[idx]
	if err := checkChannels(dev.info, cfg); err != nil {
		return jackDevice{}, nil, 0, err
	}
	if want := pickRate(dev.info, cfg.Rate); want != rate {
		return jackDevice{}, nil, 0, newError(ErrUnsupportedRate, nil, "%s cannot run at %d Hz: the JACK server runs at %d Hz", deviceName(dev.info), want, rate)
	}
	return dev, ports, rate, nil
}

// jackLatencies returns the stream's input and output latency in frames:
// the capture latency (max of jack_port_get_latency_range) of the device
// port that input 0 reads, and the playback latency of the port that
// output 0 writes to. That is JACK's own account of the way through the
// interface (Ardour aligns recordings by the same figures): a sound written
// at stream frame f is heard at f+out, and what the input hears at frame g
// arrives in the buffer at g+in, so a cable from an output to an input
// comes back after in+out, and calibrate's offset is only what JACK does
// not know (the converters). A connection in JACK's graph from our output
// to our own input is another way: a feedback connection, which JACK
// delays by one period.
func jackLatencies(dev jackDevice, ports []jackPort, nin, nout int) (in, out int) {
	lat := map[string]int{}
	for _, p := range ports {
		lat[p.name] = p.latency
	}
	if nin > 0 && len(dev.capture) > 0 {
		in = lat[dev.capture[0]]
	}
	if nout > 0 && len(dev.playback) > 0 {
		out = lat[dev.playback[0]]
	}
	return in, out
}

// process runs one buffer on JACK's process thread: start is when the Go
// side was entered, bufs the port buffers (inputs, then outputs), c what
// the C side measured. No allocation, no lock, no blocking.
func (s *jackStream) process(start int64, bufs unsafe.Pointer, c *jackCycle) {
	n := int(c.nframes)
	b := unsafe.Slice((*unsafe.Pointer)(bufs), len(s.in)+len(s.out))
	for i := range s.in {
		s.in[i] = unsafe.Slice((*float32)(b[i]), n)
	}
	for i := range s.out {
		s.out[i] = unsafe.Slice((*float32)(b[s.nin+i]), n)
	}
	st := Status{Frame: s.frame.Load()}
	if c.xrun != 0 {
		// A JACK xrun: input lost and output late, as PortAudio reported it.
		st.InputOverflow, st.OutputUnderflow = true, true
		s.xruns.Add(1)
	}
	if int64(n) != s.period.Load() {
		s.period.Store(int64(n))
	}
	t1 := nanotime()
	s.cb(s.in, s.out, st)
	t2 := nanotime()
	// The store also publishes what the callback wrote to whoever loads
	// frame after Stop.
	s.frame.Store(st.Frame + int64(n))

	t := &s.times
	t.entry.add((start - c.entryNs + 500) / 1000)
	t.callback.add((t2 - t1 + 500) / 1000)
	t.wake.add(c.wakeUs)
	if c.prevTotalNs >= 0 {
		t.total.add((c.prevTotalNs + 500) / 1000)
	}
	if c.prevFinishUs >= 0 {
		t.finish.add(c.prevFinishUs)
		late := s.periodUs > 0 && c.prevFinishUs > s.periodUs
		if late {
			t.late.Add(1)
			// A run of late buffers is put down to what made its first
			// one late (the buffers after a stall wake late because of it).
			p := &s.prev
			if s.lateCause == nil {
				switch {
				case p.entryUs >= p.wakeUs && p.entryUs >= p.callbackUs:
					s.lateCause = &t.lateEntry
				case p.callbackUs >= p.wakeUs:
					s.lateCause = &t.lateCallback
				default:
					s.lateCause = &t.lateWake
				}
			}
			s.lateCause.Add(1)
		} else {
			s.lateCause = nil
		}
	}
	s.periodUs = c.periodUs
	s.prev.wakeUs, s.prev.entryUs, s.prev.callbackUs = c.wakeUs, (start-c.entryNs)/1000, (t2-t1)/1000
	t.calls.Add(1)
}

// lose ends the stream because the server shut its client down (on a JACK
// thread; not the process thread).
func (s *jackStream) lose() {
	s.lost.Store(true)
	s.end(newError(ErrDeviceLost, nil, "%s stopped: the JACK server is gone", deviceName(s.info)))
}

// hung says a call into libjack did not return in time.
func (s *jackStream) hung(what string) error {
	return newError(ErrDeviceLost, nil, "%s did not respond (%s took over %v): the JACK server may have stopped working",
		deviceName(s.info), what, jackTimeout)
}

func (s *jackStream) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return newError(ErrConfig, nil, "the stream on %s is closed", deviceName(s.info))
	case s.lost.Load():
		return s.Err()
	case s.running:
		return nil
	}
	var r int
	if !within(jackTimeout, func() {
		if r = s.client.activate(); r != 0 {
			return
		}
		// Wire the ports as PortAudio did: input k from the device's
		// k-th output port, output k to its k-th input port (those the
		// device has).
		for k := range s.in {
			if k < len(s.dev.capture) {
				s.client.connect(s.dev.capture[k], s.client.port(k))
			}
		}
		for k := range s.out {
			if k < len(s.dev.playback) {
				s.client.connect(s.client.port(s.nin+k), s.dev.playback[k])
			}
		}
	}, nil) {
		return s.hung("starting")
	}
	if r != 0 {
		if s.lost.Load() {
			return s.Err()
		}
		return newError(ErrDeviceBusy, nil, "%s could not start (JACK refused to activate Sangstudio's client)", deviceName(s.info))
	}
	s.running = true
	return nil
}

func (s *jackStream) Stop() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stopLocked()
}

func (s *jackStream) stopLocked() error {
	if !s.running {
		return nil
	}
	s.running = false
	if s.lost.Load() {
		// The server is gone: it calls no one any more. A callback that
		// was running when it went finishes first.
		for t0 := time.Now(); s.client.busy() && time.Since(t0) < time.Second; {
			time.Sleep(time.Millisecond)
		}
		s.frame.Load()
		return nil
	}
	// jack_deactivate returns once JACK's process thread has stopped: the
	// callback is not called again.
	if !within(jackTimeout, func() { s.client.deactivate() }, nil) {
		return s.hung("stopping")
	}
	s.frame.Load() // pairs with the callback's Store: what it wrote is visible
	return nil
}

func (s *jackStream) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	err := s.stopLocked()
	s.closed = true
	// jack_client_close is also how a client the server shut down is
	// released. If it does not return in time, the slot stays taken until
	// it does (JACK's threads may still call it).
	if !within(jackTimeout, func() { s.client.close() }, func() { freeJackSlot(s.slot) }) {
		if err == nil {
			err = s.hung("closing")
		}
		return err
	}
	freeJackSlot(s.slot)
	return err
}

func (s *jackStream) Info() Info         { return s.info }
func (s *jackStream) Rate() int          { return s.rate }
func (s *jackStream) Buffer() int        { return int(s.period.Load()) }
func (s *jackStream) InputLatency() int  { return s.inLat }
func (s *jackStream) OutputLatency() int { return s.outLat }
func (s *jackStream) Xruns() int64       { return s.xruns.Load() }

// CallbackTimes implements Timer.
func (s *jackStream) CallbackTimes() CallbackTimes {
	t := &s.times
	return CallbackTimes{
		Calls:    t.calls.Load(),
		Period:   float64(s.period.Load()) * 1e6 / float64(max(s.rate, 1)),
		Wake:     t.wake.spread(),
		Entry:    t.entry.spread(),
		Callback: t.callback.spread(),
		Total:    t.total.spread(),
		Finish:   t.finish.spread(),
		Late:     t.late.Load(),
		LateBy: struct{ Wake, Entry, Callback int64 }{
			t.lateWake.Load(), t.lateEntry.Load(), t.lateCallback.Load()},
	}
}

// ClientName is the name JACK gave the stream's client (Config.ClientName,
// or "sangstudio"; JACK adds a suffix, "sangstudio-01", if it is taken).
func (s *jackStream) ClientName() string { return s.clientName }
