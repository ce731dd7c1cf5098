// Package jackkeys is a virtual MIDI keyboard on JACK for tests: a JACK
// MIDI output port that a Listener (midi/input) reads, played with Send.
// It needs RtMidi with its JACK API and libjack (the CGO flags of the
// Makefile) and a running JACK server, such as testtool.StartJack's.
//
// RtMidi's C interface is called directly, as midi/input does (see there
// why not through gomidi's Go binding), declared weak for the same reason.
package jackkeys

/*
#include <stdbool.h>
#include <stdlib.h>

#define SANG_WEAK __attribute__((weak))

// rtmidi_c.h (RtMidi 6.0, as in gomidi v2.3.20).
struct RtMidiWrapper { void *ptr; void *data; bool ok; const char *msg; };
typedef struct RtMidiWrapper *RtMidiPtr;
enum { SANG_RTMIDI_JACK = 3 };

extern int rtmidi_get_compiled_api(int *apis, unsigned int size) SANG_WEAK;
extern RtMidiPtr rtmidi_out_create(int api, const char *clientName) SANG_WEAK;
extern void rtmidi_out_free(RtMidiPtr device) SANG_WEAK;
extern int rtmidi_out_send_message(RtMidiPtr device, const unsigned char *message, int length) SANG_WEAK;
extern void rtmidi_open_virtual_port(RtMidiPtr device, const char *portName) SANG_WEAK;
extern void rtmidi_close_port(RtMidiPtr device) SANG_WEAK;

static inline int sang_has_jack(void) {
	if (!(rtmidi_get_compiled_api && rtmidi_out_create && rtmidi_out_free && rtmidi_out_send_message &&
		rtmidi_open_virtual_port && rtmidi_close_port))
		return 0;
	int apis[16];
	int n = rtmidi_get_compiled_api(apis, 16);
	for (int i = 0; i < n && i < 16; i++)
		if (apis[i] == SANG_RTMIDI_JACK) return 1;
	return 0;
}

static inline bool sang_ok(RtMidiPtr p) { return p->ok; }
*/
import "C"

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unsafe"

	// RtMidi's C++ code (and, with the CGO flags, its JACK API).
	_ "gitlab.com/gomidi/midi/v2/drivers/rtmididrv/imported/rtmidi"

	"sangstudio/internal/jackclient"
)

// NoJACKError is Open's error when there is no JACK to make a keyboard
// on: no JACK support built in, or no server running.
type NoJACKError struct{ Err error }

func (e *NoJACKError) Error() string { return e.Err.Error() }
func (e *NoJACKError) Unwrap() error { return e.Err }

// Keyboard is a JACK MIDI output port that other programs (a Listener)
// read from.
type Keyboard struct {
	mu   sync.Mutex
	m    C.RtMidiPtr
	w    *jackclient.Client
	port string
}

// drainWait is how long Close waits between closing the port and freeing
// it (see Close).
const drainWait = 200 * time.Millisecond

// Open registers the JACK client name (JACK renames it name-01, … if the
// name is taken) with one MIDI output port, midi_out; the keyboard is
// closed when t's test ends, if not before. Without a JACK server (or
// JACK support built in) the error is a *NoJACKError.
//
// JACK carries a limited number of events per period (about 40 with a
// 128-frame period); send faster than that and some are dropped.
func Open(t testing.TB, name string) (*Keyboard, error) {
	t.Helper()
	k, err := open(name)
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() { k.Close() })
	return k, nil
}

func open(name string) (*Keyboard, error) {
	if C.sang_has_jack() == 0 || !jackclient.Linked() {
		return nil, &NoJACKError{errors.New("JACK: not built in (build with CGO_CXXFLAGS=-D__UNIX_JACK__ CGO_LDFLAGS=-ljack)")}
	}
	if name == "" || strings.Contains(name, ":") {
		return nil, fmt.Errorf("jackkeys: bad client name %q", name)
	}
	// A client of our own watches the server, and finds the new port:
	// RtMidi does not tell the name JACK gave its client.
	w, err := jackclient.Open(name + "-watch")
	if err != nil {
		return nil, &NoJACKError{err}
	}
	k := &Keyboard{w: w}
	before := w.MIDIOutputs()
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	k.m = C.rtmidi_out_create(C.SANG_RTMIDI_JACK, cname)
	if !C.sang_ok(k.m) {
		C.rtmidi_out_free(k.m)
		k.m = nil
		k.Close()
		return nil, errors.New("jackkeys: cannot create the JACK client")
	}
	pname := C.CString("midi_out")
	defer C.free(unsafe.Pointer(pname))
	C.rtmidi_open_virtual_port(k.m, pname)
	if !C.sang_ok(k.m) {
		k.Close()
		return nil, errors.New("jackkeys: cannot register the JACK port")
	}
	own := regexp.MustCompile(`^` + regexp.QuoteMeta(name) + `(-\d+)?:midi_out$`)
	for _, p := range w.MIDIOutputs() {
		if own.MatchString(p) && !slices.Contains(before, p) {
			k.port = p
		}
	}
	if k.port == "" {
		k.Close()
		return nil, errors.New("jackkeys: the JACK port did not appear")
	}
	return k, nil
}

// PortName is the port's full JACK name (client:midi_out), for jack_connect.
func (k *Keyboard) PortName() string { return k.port }

// Send sends one MIDI message (it is on the port at the next JACK period).
func (k *Keyboard) Send(msg []byte) error {
	if len(msg) == 0 {
		return errors.New("Keyboard.Send: empty message")
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.m == nil {
		return errors.New("Keyboard.Send: closed")
	}
	if k.w.Dead() {
		return errors.New("Keyboard.Send: the JACK server went away")
	}
	if C.rtmidi_out_send_message(k.m, (*C.uchar)(unsafe.Pointer(&msg[0])), C.int(len(msg))) != 0 || !C.sang_ok(k.m) {
		k.m.ok = true
		return errors.New("Keyboard.Send: RtMidi refused the message")
	}
	return nil
}

// Close unregisters the port and the client (if the server went away, it
// only forgets them). A nil or closed Keyboard is already closed.
func (k *Keyboard) Close() error {
	if k == nil {
		return nil
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.w == nil {
		return nil
	}
	if k.m != nil && !k.w.Dead() {
		C.rtmidi_close_port(k.m)
		// RtMidi's ~MidiOutJack frees the output's ring buffer before it
		// closes its JACK client, so a process callback already under way
		// reads freed memory (a segmentation fault in jackProcessOut, seen
		// under load). Once the port is closed, callbacks return at once:
		// wait out the one that may be running (a period is at most a few
		// tens of milliseconds) before freeing.
		time.Sleep(drainWait)
		C.rtmidi_out_free(k.m)
	}
	k.m = nil
	k.w.Close()
	k.w = nil
	return nil
}
