package input

// The Listener's logic over gomidi's test driver: the ports are testdrv
// drivers behind a fake backend, and what their outs send goes through the
// same handling (listenIn, handler) as RtMidi's messages.

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gitlab.com/gomidi/midi/v2/drivers"
	"gitlab.com/gomidi/midi/v2/drivers/testdrv"
)

// fakeSys is a MIDI system whose ports are testdrv drivers.
type fakeSys struct {
	name string // "alsa" or "jack"
	mu   sync.Mutex
	up   bool
	gen  int
	keys map[string]string // raw → key
	drv  map[string]*testdrv.Driver
	fail map[string]bool // raw names that refuse to open
	outs map[string]drivers.Out
}

func newFake(api string) *fakeSys {
	return &fakeSys{name: api, up: true, keys: map[string]string{}, drv: map[string]*testdrv.Driver{},
		fail: map[string]bool{}, outs: map[string]drivers.Out{}}
}

func (f *fakeSys) maker(client string) (backend, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.up {
		return nil, fmt.Errorf("%s: down", f.name)
	}
	return f, nil
}

func (f *fakeSys) api() string { return f.name }

func (f *fakeSys) list() ([]rawPort, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.up {
		return nil, errors.New("gone")
	}
	var ps []rawPort
	for raw, key := range f.keys {
		p := jackPort(raw)
		if f.name == "alsa" {
			p = alsaPort(raw)
		}
		ps = append(ps, rawPort{Port: p, raw: raw, key: key})
	}
	// List order: ALSA's by client number, JACK's by name.
	sort.Slice(ps, func(i, j int) bool {
		a, b := alsaNumbers.FindString(ps[i].raw), alsaNumbers.FindString(ps[j].raw)
		if len(a) != len(b) {
			return len(a) < len(b)
		}
		if a != b {
			return a < b
		}
		return ps[i].raw < ps[j].raw
	})
	return ps, nil
}

func (f *fakeSys) open(p rawPort) (drivers.In, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	d := f.drv[p.raw]
	if d == nil || f.keys[p.raw] != p.key {
		return nil, errors.New("the port is gone")
	}
	if f.fail[p.raw] {
		return nil, errors.New("busy")
	}
	ins, _ := d.Ins()
	if err := ins[0].Open(); err != nil {
		return nil, err
	}
	return ins[0], nil
}

func (f *fakeSys) close() {}

func (f *fakeSys) dead() bool { return false }

// plug adds a port (a new testdrv driver, a new key).
func (f *fakeSys) plug(raw string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gen++
	f.keys[raw] = fmt.Sprintf("%s#%d", raw, f.gen)
	d := testdrv.New(raw)
	f.drv[raw] = d
	outs, _ := d.Outs()
	outs[0].Open()
	f.outs[raw] = outs[0]
}

func (f *fakeSys) unplug(raw string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.keys, raw)
	delete(f.drv, raw)
	delete(f.outs, raw)
}

// setUp starts or stops the system; its ports come back as new ones.
func (f *fakeSys) setUp(up bool) {
	f.mu.Lock()
	f.up = up
	var raws []string
	for raw := range f.keys {
		raws = append(raws, raw)
	}
	f.mu.Unlock()
	if up {
		for _, raw := range raws {
			f.plug(raw)
		}
	}
}

// send plays bytes on the port (synchronously into the Listener, as
// testdrv does).
func (f *fakeSys) send(t *testing.T, raw string, b ...byte) {
	t.Helper()
	f.mu.Lock()
	out := f.outs[raw]
	f.mu.Unlock()
	if out == nil {
		t.Fatalf("no port %q", raw)
	}
	if err := out.Send(b); err != nil {
		t.Fatal(err)
	}
}

// recorder collects what a Listener reports.
type recorder struct {
	mu      sync.Mutex
	events  []Event
	changes [][]Port
	errs    []error
	inside  atomic.Int32
	overlap atomic.Bool
}

func (r *recorder) config(sel string) Config {
	return Config{
		Select: sel,
		OnEvent: func(e Event) {
			if r.inside.Add(1) > 1 {
				r.overlap.Store(true)
			}
			r.mu.Lock()
			r.events = append(r.events, e)
			r.mu.Unlock()
			r.inside.Add(-1)
		},
		OnChange: func(open []Port) {
			r.mu.Lock()
			r.changes = append(r.changes, open)
			r.mu.Unlock()
		},
		OnError: func(err error) {
			r.mu.Lock()
			r.errs = append(r.errs, err)
			r.mu.Unlock()
		},
		PollInterval: 5 * time.Millisecond,
	}
}

func (r *recorder) take() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.events
	r.events = nil
	return e
}

func (r *recorder) lastChange() ([]Port, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.changes) == 0 {
		return nil, 0
	}
	return r.changes[len(r.changes)-1], len(r.changes)
}

// waitPorts waits until OnChange reported exactly these IDs and Ports
// agrees.
func waitPorts(t *testing.T, l *Listener, r *recorder, want ...string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		last, _ := r.lastChange()
		if ids(last) == strings.Join(want, ", ") && ids(l.Ports()) == strings.Join(want, ", ") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("open ports: OnChange %q, Ports %q; want %q", ids(last), ids(l.Ports()), want)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestListenTestdrv(t *testing.T) {
	alsa, jack := newFake("alsa"), newFake("jack")
	alsa.plug("Keystation 49 MK3:Keystation 49 MK3 MIDI 1 20:0")
	jack.plug("testkeys:midi_out")
	var r recorder
	l, err := listen(r.config(""), []maker{alsa.maker, jack.maker})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	// Listen opened what was there before returning.
	if got := ids(l.Ports()); got != "alsa:Keystation 49 MK3 MIDI 1, jack:testkeys:midi_out" {
		t.Fatalf("Ports() = %s", got)
	}
	waitPorts(t, l, &r, "alsa:Keystation 49 MK3 MIDI 1", "jack:testkeys:midi_out")
	kbd, keys := 0, 1
	if p, ok := l.Port(keys); !ok || p.ID != "jack:testkeys:midi_out" {
		t.Fatalf("Port(1) = %+v, %v", p, ok)
	}

	checkEveryMessage(t, alsa, jack, &r, kbd, keys)
	checkReplug(t, l, alsa, jack, &r, keys)
	checkTwoPortsAtOnce(t, alsa, jack, &r)

	l.Close()
	if len(l.Ports()) != 0 {
		t.Errorf("Ports() after Close: %v", l.Ports())
	}
	_, n := r.lastChange()
	time.Sleep(20 * time.Millisecond)
	if _, m := r.lastChange(); m != n {
		t.Error("OnChange after Close")
	}
}

// fakeKeystation is the ALSA keyboard of TestListenTestdrv, by its raw name.
const fakeKeystation = "Keystation 49 MK3:Keystation 49 MK3 MIDI 1 20:0"

// checkEveryMessage: every kind of channel voice message comes through
// exactly, from the keyboard (port kbd) and from the JACK port (keys);
// system messages do not.
func checkEveryMessage(t *testing.T, alsa, jack *fakeSys, r *recorder, kbd, keys int) {
	const K = fakeKeystation
	want := []Event{
		{Port: kbd, Msg: [3]byte{0x90, 60, 100}}, // note on
		{Port: kbd, Msg: [3]byte{0x80, 60, 64}},  // note off
		{Port: kbd, Msg: [3]byte{0x9F, 127, 0}},  // note on, velocity 0
		{Port: kbd, Msg: [3]byte{0xA3, 61, 12}},  // poly pressure
		{Port: kbd, Msg: [3]byte{0xB0, 64, 127}}, // sustain
		{Port: kbd, Msg: [3]byte{0xC5, 19, 0}},   // program change
		{Port: kbd, Msg: [3]byte{0xD2, 77, 0}},   // channel pressure
		{Port: kbd, Msg: [3]byte{0xE1, 0x00, 0x40}},
		{Port: kbd, Msg: [3]byte{0xEF, 0x7F, 0x7F}}, // pitch bend up
		{Port: kbd, Msg: [3]byte{0xE0, 0x00, 0x00}}, // and down
	}
	for i, e := range want {
		alsa.send(t, K, e.Msg[:max(1, messageLen(e.Msg[0]))]...)
		switch i {
		case 1:
			alsa.send(t, K, 0xF8)                   // clock
			alsa.send(t, K, 0xFE)                   // active sensing
			alsa.send(t, K, 0xF0, 0x7E, 0x7F, 0xF7) // sysex
		case 4:
			alsa.send(t, K, 0xF2, 0x10, 0x20) // song position
			alsa.send(t, K, 0xFA)             // start
			alsa.send(t, K, 0xF6)             // tune request
			alsa.send(t, K, 0xFF)             // reset
		}
	}
	// Running status and a clock byte inside a message: testdrv (gomidi's
	// reader) splits them into whole messages, as RtMidi does.
	alsa.send(t, K, 0x90, 62, 90, 64, 80, 0xF8, 66)
	want = append(want, Event{Port: kbd, Msg: [3]byte{0x90, 62, 90}}, Event{Port: kbd, Msg: [3]byte{0x90, 64, 80}})
	jack.send(t, "testkeys:midi_out", 0x91, 1, 2)
	want = append(want, Event{Port: keys, Msg: [3]byte{0x91, 1, 2}})

	got := r.take()
	if len(got) != len(want) {
		t.Fatalf("%d events, want %d: %v", len(got), len(want), got)
	}
	var last time.Duration
	for i := range got {
		if got[i].Time < last || got[i].Time <= 0 || got[i].Time > time.Minute {
			t.Errorf("event %d: time %v after %v", i, got[i].Time, last)
		}
		last = got[i].Time
		got[i].Time = 0
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("events:\n got %v\nwant %v", got, want)
	}

}

// checkReplug: a port unplugged is closed and reported; plugged in again,
// reopened with the same number (keys). A new keyboard gets the next
// number. A system that goes away takes its ports along; when it is back,
// so are they.
func checkReplug(t *testing.T, l *Listener, alsa, jack *fakeSys, r *recorder, keys int) {
	jack.unplug("testkeys:midi_out")
	waitPorts(t, l, r, "alsa:Keystation 49 MK3 MIDI 1")
	jack.plug("testkeys:midi_out")
	waitPorts(t, l, r, "alsa:Keystation 49 MK3 MIDI 1", "jack:testkeys:midi_out")
	jack.send(t, "testkeys:midi_out", 0x92, 3, 4)
	if got := r.take(); len(got) != 1 || got[0].Port != keys || got[0].Msg != [3]byte{0x92, 3, 4} {
		t.Errorf("after re-plug: %v", got)
	}

	// A new keyboard gets the next number.
	alsa.plug("Digital Piano:Digital Piano MIDI 1 24:0")
	waitPorts(t, l, r, "alsa:Keystation 49 MK3 MIDI 1", "jack:testkeys:midi_out", "alsa:Digital Piano MIDI 1")
	alsa.send(t, "Digital Piano:Digital Piano MIDI 1 24:0", 0x80, 5, 6)
	if got := r.take(); len(got) != 1 || got[0].Port != 2 {
		t.Errorf("new keyboard: %v", got)
	}

	// A system that goes away takes its ports along; when it is back, so
	// are they.
	jack.setUp(false)
	waitPorts(t, l, r, "alsa:Keystation 49 MK3 MIDI 1", "alsa:Digital Piano MIDI 1")
	jack.setUp(true)
	waitPorts(t, l, r, "alsa:Keystation 49 MK3 MIDI 1", "jack:testkeys:midi_out", "alsa:Digital Piano MIDI 1")

}

// checkTwoPortsAtOnce: two ports playing at once, OnEvent is never called
// concurrently.
func checkTwoPortsAtOnce(t *testing.T, alsa, jack *fakeSys, r *recorder) {
	var wg sync.WaitGroup
	for _, f := range []struct {
		sys *fakeSys
		raw string
	}{{alsa, fakeKeystation}, {jack, "testkeys:midi_out"}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 2000; i++ {
				f.sys.send(t, f.raw, 0x90, byte(i%128), 1)
			}
		}()
	}
	wg.Wait()
	if n := len(r.take()); n != 4000 {
		t.Errorf("%d events from two ports, want 4000", n)
	}
	if r.overlap.Load() {
		t.Error("OnEvent was called concurrently")
	}

}

func messageLen(status byte) int {
	switch status & 0xF0 {
	case 0xC0, 0xD0:
		return 2
	}
	return 3
}

func TestListenSelect(t *testing.T) {
	alsa := newFake("alsa")
	alsa.plug("Midi Through:Midi Through Port-0 14:0")
	alsa.plug("Keystation 49 MK3:Keystation 49 MK3 MIDI 1 20:0")
	alsa.plug("Keystation 61:Keystation 61 MIDI 1 24:0")
	makers := []maker{alsa.maker}

	// Ambiguous or a bad number: Listen says so.
	for _, sel := range []string{"keystation", "9"} {
		var r recorder
		if l, err := listen(r.config(sel), makers); err == nil {
			l.Close()
			t.Errorf("Listen(%q) succeeded", sel)
		} else {
			t.Logf("Listen(%q): %v", sel, err)
		}
	}

	// A number is that port, also when the list changes.
	var r recorder
	l, err := listen(r.config("3"), makers) // Keystation 61
	if err != nil {
		t.Fatal(err)
	}
	waitPorts(t, l, &r, "alsa:Keystation 61 MIDI 1")
	alsa.plug("A:A MIDI 1 10:0") // now first
	alsa.unplug("Keystation 61:Keystation 61 MIDI 1 24:0")
	waitPorts(t, l, &r)
	alsa.plug("Keystation 61:Keystation 61 MIDI 1 24:0")
	waitPorts(t, l, &r, "alsa:Keystation 61 MIDI 1")
	l.Close()

	// A name that is not there yet: Listen waits for it.
	r = recorder{}
	l, err = listen(r.config("Digital Piano"), makers)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if len(l.Ports()) != 0 {
		t.Fatalf("Ports() = %v", l.Ports())
	}
	alsa.plug("Digital Piano:Digital Piano MIDI 1 28:0")
	waitPorts(t, l, &r, "alsa:Digital Piano MIDI 1")

	// A port that fails to open is reported and tried again later.
	alsa.mu.Lock()
	alsa.fail["Digital Piano:Digital Piano MIDI 1 28:0"] = true
	alsa.mu.Unlock()
	alsa.unplug("Digital Piano:Digital Piano MIDI 1 28:0")
	waitPorts(t, l, &r)
	alsa.plug("Digital Piano:Digital Piano MIDI 1 28:0")
	deadline := time.Now().Add(5 * time.Second)
	for {
		r.mu.Lock()
		n := len(r.errs)
		r.mu.Unlock()
		if n > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no OnError for a port that does not open")
		}
		time.Sleep(time.Millisecond)
	}
	r.mu.Lock()
	t.Logf("OnError: %v", r.errs[0])
	r.mu.Unlock()
	alsa.mu.Lock()
	alsa.fail["Digital Piano:Digital Piano MIDI 1 28:0"] = false
	alsa.mu.Unlock()
	waitPorts(t, l, &r, "alsa:Digital Piano MIDI 1")
}

func TestListenNoSystem(t *testing.T) {
	alsa, jack := newFake("alsa"), newFake("jack")
	alsa.setUp(false)
	jack.setUp(false)
	var r recorder
	_, err := listen(r.config(""), []maker{alsa.maker, jack.maker})
	if !errors.Is(err, ErrNoMIDI) {
		t.Fatalf("Listen without MIDI systems: %v", err)
	}
	if want := ErrNoMIDI.Error() + ": alsa: down; jack: down"; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	// A system without ports is fine.
	jack.setUp(true)
	l, err := listen(r.config(""), []maker{alsa.maker, jack.maker})
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	if _, err := listen(Config{}, []maker{jack.maker}); err == nil {
		t.Error("Listen without OnEvent succeeded")
	}
}

// The handling path allocates nothing and drops what is not a channel
// voice message.
func TestHandler(t *testing.T) {
	var got []Event
	l := &Listener{start: time.Now(), cfg: Config{OnEvent: func(e Event) { got = append(got, e) }}}
	h := l.handler(7)
	for _, m := range [][]byte{
		{0x90, 60, 100}, {0xC0, 5}, {0xE0, 0, 64},
		{}, {0x90}, {0x90, 60}, {0x90, 200, 1}, {0xC0}, {0xF8}, {0xF0, 1, 0xF7}, {0x40, 1, 2},
	} {
		h(m, 0)
	}
	want := [][3]byte{{0x90, 60, 100}, {0xC0, 5, 0}, {0xE0, 0, 64}}
	if len(got) != len(want) {
		t.Fatalf("%v", got)
	}
	for i, e := range got {
		if e.Msg != want[i] || e.Port != 7 {
			t.Errorf("%d: %+v", i, e)
		}
	}
	l.cfg.OnEvent = func(Event) {}
	msg := []byte{0x90, 60, 100}
	if n := testing.AllocsPerRun(1000, func() { h(msg, 0) }); n != 0 {
		t.Errorf("%v allocations per message", n)
	}
}
