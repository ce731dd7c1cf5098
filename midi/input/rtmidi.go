package input

// The RtMidi binding. gomidi's Go binding of RtMidi (drivers/rtmididrv/
// imported/rtmidi) is not used for calls, only linked in for RtMidi's
// compiled C++ code, because it
//
//   - reads error texts from already destroyed C++ exceptions (the garbage
//     bytes a missing ALSA sequencer produces),
//   - forgets an input's callback before RtMidi stops calling it, so a
//     message arriving while a port closes crashes the program (nil
//     pointer in goMIDIInCallback), and
//   - copies every message into a new Go slice.
//
// So this file calls RtMidi's C interface (rtmidi_c.h) itself, declared
// here as weak symbols: cgo test-links this package on its own, without
// RtMidi, and the real definitions come from gomidi's package at the final
// link. libjack, which internal/jackclient calls, is declared weak as well:
// without -ljack (RtMidi built ALSA-only) JACK is "not available".

/*
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#define SANG_WEAK __attribute__((weak))

// rtmidi_c.h (RtMidi 6.0, as in gomidi v2.3.20).
struct RtMidiWrapper { void *ptr; void *data; bool ok; const char *msg; };
typedef struct RtMidiWrapper *RtMidiPtr;
typedef void (*RtMidiCCallback)(double timeStamp, const unsigned char *message, size_t size, void *userData);
enum { SANG_RTMIDI_ALSA = 2, SANG_RTMIDI_JACK = 3 };

extern int rtmidi_get_compiled_api(int *apis, unsigned int size) SANG_WEAK;
extern RtMidiPtr rtmidi_in_create(int api, const char *clientName, unsigned int queueSizeLimit) SANG_WEAK;
extern void rtmidi_in_free(RtMidiPtr device) SANG_WEAK;
extern void rtmidi_in_set_callback(RtMidiPtr device, RtMidiCCallback callback, void *userData) SANG_WEAK;
extern void rtmidi_in_ignore_types(RtMidiPtr device, bool midiSysex, bool midiTime, bool midiSense) SANG_WEAK;
extern void rtmidi_open_port(RtMidiPtr device, unsigned int portNumber, const char *portName) SANG_WEAK;
extern void rtmidi_close_port(RtMidiPtr device) SANG_WEAK;
extern unsigned int rtmidi_get_port_count(RtMidiPtr device) SANG_WEAK;
extern int rtmidi_get_port_name(RtMidiPtr device, unsigned int portNumber, char *bufOut, int *bufLen) SANG_WEAK;

static inline int sang_rtmidi_linked(void) {
	return rtmidi_get_compiled_api && rtmidi_in_create && rtmidi_in_free && rtmidi_in_set_callback &&
		rtmidi_in_ignore_types && rtmidi_open_port && rtmidi_close_port &&
		rtmidi_get_port_count && rtmidi_get_port_name;
}

static inline int sang_has_api(int api) {
	int apis[16];
	int n = rtmidi_get_compiled_api(apis, 16);
	for (int i = 0; i < n && i < 16; i++)
		if (apis[i] == api) return 1;
	return 0;
}

static inline bool sang_ok(RtMidiPtr p) { return p->ok; }

// The input callback: RtMidi calls it on its ALSA thread or in JACK's
// process thread; it hands the bytes to sangMIDIInput (Go) without a copy.
extern void sangMIDIInput(unsigned char *msg, size_t size, uintptr_t id);
static inline void sang_midi_cb(double ts, const unsigned char *msg, size_t size, void *arg) {
	(void)ts;
	sangMIDIInput((unsigned char *)msg, size, (uintptr_t)arg);
}
static inline void sang_set_callback(RtMidiPtr in, uintptr_t id) {
	rtmidi_in_set_callback(in, sang_midi_cb, (void *)id);
}

*/
import "C"

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"unsafe"

	"gitlab.com/gomidi/midi/v2/drivers"

	"sangstudio/internal/jackclient"
	// RtMidi's C++ code (and, with the CGO flags, its JACK API).
	_ "gitlab.com/gomidi/midi/v2/drivers/rtmididrv/imported/rtmidi"
)

// seqDevice is the ALSA sequencer's device.
const seqDevice = "/dev/snd/seq"

// queueSize is RtMidi's input queue, unused with a callback.
const queueSize = 64

func rtmidiHas(api int) bool {
	return C.sang_rtmidi_linked() != 0 && C.sang_has_api(C.int(api)) != 0
}

// ---- ALSA sequencer ----

// alsaBackend lists ALSA sequencer ports through one RtMidi client.
type alsaBackend struct {
	client string
	mu     sync.Mutex
	lister C.RtMidiPtr
}

// alsaAt makes the ALSA sequencer's backend, whose device is seq
// (seqDevice).
func alsaAt(seq string) maker {
	return func(client string) (backend, error) { return newALSA(seq, client) }
}

// newALSA opens the ALSA sequencer through its device seq, or says in
// words why it cannot. It checks the device first: RtMidi and libasound
// print to stderr when it is missing, and RtMidi's error text is garbage
// then.
func newALSA(seq, client string) (backend, error) {
	if !rtmidiHas(C.SANG_RTMIDI_ALSA) {
		return nil, errors.New("ALSA sequencer: not built in")
	}
	f, err := os.OpenFile(seq, os.O_RDWR, 0)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil, fmt.Errorf("ALSA sequencer: %s does not exist (no sound card, or the snd-seq module is not loaded)", seq)
	case errors.Is(err, os.ErrPermission):
		return nil, fmt.Errorf("ALSA sequencer: no permission to open %s (add the user to the audio group)", seq)
	case err != nil:
		var errno syscall.Errno
		if errors.As(err, &errno) {
			return nil, fmt.Errorf("ALSA sequencer: %s: %s", seq, errno.Error())
		}
		return nil, fmt.Errorf("ALSA sequencer: cannot open %s", seq)
	}
	f.Close()
	name := C.CString(client)
	defer C.free(unsafe.Pointer(name))
	in := C.rtmidi_in_create(C.SANG_RTMIDI_ALSA, name, queueSize)
	if !C.sang_ok(in) {
		C.rtmidi_in_free(in)
		return nil, errors.New("ALSA sequencer: cannot create a client")
	}
	return &alsaBackend{client: client, lister: in}, nil
}

func (a *alsaBackend) api() string { return "alsa" }

func (a *alsaBackend) list() ([]rawPort, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.lister == nil {
		return nil, errClosed
	}
	names, err := portNames(a.lister)
	if err != nil {
		return nil, fmt.Errorf("ALSA sequencer: %v", err)
	}
	var ps []rawPort
	for _, raw := range names {
		if raw == "" || isOwnClient(alsaClient(raw), a.client) {
			continue
		}
		ps = append(ps, rawPort{Port: alsaPort(raw), raw: raw, key: "alsa\x00" + raw})
	}
	return ps, nil
}

func (a *alsaBackend) open(p rawPort) (drivers.In, error) {
	in, err := openRtIn(C.SANG_RTMIDI_ALSA, a.client, p)
	if err != nil {
		return nil, err
	}
	return in, nil
}

func (a *alsaBackend) dead() bool { return false }

func (a *alsaBackend) close() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.lister != nil {
		C.rtmidi_in_free(a.lister)
		a.lister = nil
	}
}

// ---- JACK ----

var errNoJACK = errors.New("JACK: not built in (build with CGO_CXXFLAGS=-D__UNIX_JACK__ CGO_LDFLAGS=-ljack)")

// jackBuiltIn reports that RtMidi has its JACK API and libjack is linked.
func jackBuiltIn() bool {
	return rtmidiHas(C.SANG_RTMIDI_JACK) && jackclient.Linked()
}

// jackBackend lists JACK MIDI output ports through a JACK client of its
// own, which also notices a server that goes away: then its RtMidi ports
// are abandoned, not closed (see jackclient), a small leak.
type jackBackend struct {
	client string
	mu     sync.Mutex
	w      *jackclient.Client
	uuids  map[string]string // client name → its last known UUID
}

func newJACK(client string) (backend, error) {
	if !jackBuiltIn() {
		return nil, errNoJACK
	}
	w, err := jackclient.Open(client + "-list")
	if err != nil {
		return nil, err
	}
	return &jackBackend{client: client, w: w, uuids: map[string]string{}}, nil
}

func (j *jackBackend) api() string { return "jack" }

func (j *jackBackend) list() ([]rawPort, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.w == nil {
		return nil, errClosed
	}
	if j.w.Dead() {
		return nil, errors.New("JACK: the server went away")
	}
	names := j.w.MIDIOutputs()
	var ps []rawPort
	uuids := map[string]string{}
	for _, raw := range names {
		client := jackClient(raw)
		if isOwnClient(client, j.client) {
			continue
		}
		// The client's UUID tells a port that was re-created between two
		// polls (our connection to it is gone) from the same one. If the
		// server does not answer, the last one is used.
		u, ok := uuids[client]
		if !ok {
			u = j.w.ClientUUID(client)
			if u == "" {
				u = j.uuids[client]
			}
			uuids[client] = u
		}
		ps = append(ps, rawPort{Port: jackPort(raw), raw: raw, key: "jack\x00" + raw + "\x00" + u})
	}
	j.uuids = uuids
	return ps, nil
}

func (j *jackBackend) open(p rawPort) (drivers.In, error) {
	in, err := openRtIn(C.SANG_RTMIDI_JACK, j.client, p)
	if err != nil {
		return nil, err
	}
	return in, nil
}

func (j *jackBackend) dead() bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.w != nil && j.w.Dead()
}

func (j *jackBackend) close() {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.w != nil {
		j.w.Close()
		j.w = nil
	}
}

// ---- RtMidi helpers ----

// portNames lists an RtMidi object's ports by their RtMidi numbers; a
// port gone since the count is "". RtMidi reports a failure only through
// its (unreadable) message, so the texts here are ours.
func portNames(m C.RtMidiPtr) ([]string, error) {
	n := C.rtmidi_get_port_count(m)
	if !C.sang_ok(m) {
		m.ok = true
		return nil, errors.New("cannot count the ports")
	}
	names := make([]string, int(n))
	for i := range names {
		names[i], _ = portName(m, C.uint(i))
	}
	return names, nil
}

func portName(m C.RtMidiPtr, i C.uint) (string, bool) {
	var size C.int
	if C.rtmidi_get_port_name(m, i, nil, &size) != 0 || !C.sang_ok(m) || size < 2 {
		m.ok = true
		return "", false
	}
	buf := (*C.char)(C.malloc(C.size_t(size)))
	defer C.free(unsafe.Pointer(buf))
	C.rtmidi_get_port_name(m, i, buf, &size)
	if !C.sang_ok(m) {
		m.ok = true
		return "", false
	}
	return C.GoString(buf), true
}

// ---- inputs ----

var errClosed = errors.New("closed")

// rtIn is an open RtMidi input port; it implements gomidi's drivers.In so
// that rtmidi and gomidi's test driver share the message handling
// (listenIn).
type rtIn struct {
	id   uintptr
	name string
	mu   sync.Mutex
	m    C.RtMidiPtr
	on   atomic.Pointer[func([]byte, int32)]
}

var inputs struct {
	sync.RWMutex
	m    map[uintptr]*rtIn
	next uintptr
}

//export sangMIDIInput
func sangMIDIInput(msg *C.uchar, size C.size_t, id C.uintptr_t) {
	inputs.RLock()
	in := inputs.m[uintptr(id)]
	inputs.RUnlock()
	if in == nil || size == 0 {
		return // closing
	}
	if f := in.on.Load(); f != nil {
		(*f)(unsafe.Slice((*byte)(unsafe.Pointer(msg)), int(size)), 0)
	}
}

// openRtIn opens the port p with a new RtMidi client: RtMidi opens by
// number, so the name at that number is checked before and after.
func openRtIn(api int, client string, p rawPort) (*rtIn, error) {
	cname := C.CString(client)
	defer C.free(unsafe.Pointer(cname))
	m := C.rtmidi_in_create(C.int(api), cname, queueSize)
	if !C.sang_ok(m) {
		C.rtmidi_in_free(m)
		return nil, fmt.Errorf("%s: cannot create a MIDI client", p.Name)
	}
	in := &rtIn{name: p.Name, m: m}
	inputs.Lock()
	if inputs.m == nil {
		inputs.m = map[uintptr]*rtIn{}
	}
	inputs.next++
	in.id = inputs.next
	inputs.m[in.id] = in
	inputs.Unlock()
	fail := func(why string) (*rtIn, error) {
		in.Close()
		return nil, fmt.Errorf("cannot open %s: %s", p.Name, why)
	}
	C.rtmidi_in_ignore_types(m, true, true, true) // sysex, clock/time code, active sensing
	C.sang_set_callback(m, C.uintptr_t(in.id))
	if !C.sang_ok(m) {
		return fail("cannot set the callback")
	}
	number := -1
	if names, err := portNames(m); err == nil {
		for i, raw := range names {
			if raw != "" && raw == p.raw {
				number = i
				break
			}
		}
	}
	if number < 0 {
		return fail("the port is gone")
	}
	pname := C.CString("midi_in")
	defer C.free(unsafe.Pointer(pname))
	C.rtmidi_open_port(m, C.uint(number), pname)
	if !C.sang_ok(m) {
		return fail("the MIDI system refused")
	}
	if raw, ok := portName(m, C.uint(number)); !ok || raw != p.raw {
		return fail("the ports changed while opening")
	}
	return in, nil
}

func (in *rtIn) String() string          { return in.name }
func (in *rtIn) Number() int             { return int(in.id) }
func (in *rtIn) Underlying() interface{} { return nil }
func (in *rtIn) Open() error             { return nil }

func (in *rtIn) IsOpen() bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.m != nil
}

// Listen delivers the port's messages to onMsg, on RtMidi's thread. msg is
// only valid during the call. RtMidi already drops sysex, clock and active
// sensing; config is not used.
func (in *rtIn) Listen(onMsg func(msg []byte, milliseconds int32), _ drivers.ListenConfig) (func(), error) {
	if onMsg == nil {
		return nil, errors.New("onMsg is nil")
	}
	if !in.IsOpen() {
		return nil, drivers.ErrPortClosed
	}
	in.on.Store(&onMsg)
	return func() { in.on.Store(nil) }, nil
}

// Close closes the port. When it returns, RtMidi calls back no more: its
// ALSA thread is joined, its JACK client closed.
func (in *rtIn) Close() error { return in.close(false) }

// abandon forgets a port of a JACK server that went away, without asking
// libjack anything (see jackclient).
func (in *rtIn) abandon() error { return in.close(true) }

func (in *rtIn) close(abandon bool) error {
	in.mu.Lock()
	m := in.m
	in.m = nil
	in.mu.Unlock()
	if m == nil {
		return nil
	}
	in.on.Store(nil)
	if !abandon {
		C.rtmidi_close_port(m)
		C.rtmidi_in_free(m)
	}
	inputs.Lock()
	delete(inputs.m, in.id)
	inputs.Unlock()
	return nil
}
