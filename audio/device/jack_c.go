package device

// The C half of the native JACK backend (jack.go): the process, xrun and
// shutdown callbacks JACK calls on its own threads, the client's setup, and
// the jack_client_open wrapper that keeps PortAudio off JACK.

/*
#cgo pkg-config: jack
#cgo LDFLAGS: -ldl
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jack/jack.h>

// ---- PortAudio never uses JACK ----
//
// This definition of jack_client_open is the one every object in the
// process calls (the executable's symbols come first in the dynamic
// linker's lookup, and libportaudio's reference to jack_client_open binds to
// it). It forwards to libjack's own, except on a thread that set noJack:
// there it fails as if no server ran, without contacting one. pa.go sets
// noJack on the thread that runs Pa_Initialize, so PortAudio's JACK host
// API (pa_jack.c: "if jack_client_open fails, this API cannot be used")
// and ALSA's jack PCM plugin, if PortAudio probes it, never register a
// client; every other caller, on any other thread, is unaffected.
static __thread int noJack;

static void sjSetNoJack(int on) { noJack = on; }

typedef jack_client_t *(*sjOpenFunc)(const char *, jack_options_t, jack_status_t *, ...);
static sjOpenFunc sjRealOpen;
static int sjRefusedCalls; // calls refused on a noJack thread, for a test that the wrapper is in use

jack_client_t *jack_client_open(const char *name, jack_options_t options, jack_status_t *status, ...) {
	if (noJack) {
		__atomic_add_fetch(&sjRefusedCalls, 1, __ATOMIC_RELAXED);
		if (status) *status = (jack_status_t)(JackFailure | JackServerFailed);
		return NULL;
	}
	sjOpenFunc f = __atomic_load_n(&sjRealOpen, __ATOMIC_ACQUIRE);
	if (f == NULL) {
		f = (sjOpenFunc)dlsym(RTLD_NEXT, "jack_client_open");
		__atomic_store_n(&sjRealOpen, f, __ATOMIC_RELEASE);
	}
	if (f == NULL) {
		if (status) *status = (jack_status_t)(JackFailure | JackServerFailed);
		return NULL;
	}
	// The variable arguments, in the order libjack reads them
	// (jack_varargs_parse): all are strings.
	const char *a[4] = {NULL, NULL, NULL, NULL};
	int n = 0;
	va_list ap;
	va_start(ap, status);
	if (options & JackServerName) a[n++] = va_arg(ap, const char *);
	if (options & JackLoadName) a[n++] = va_arg(ap, const char *);
	if (options & JackLoadInit) a[n++] = va_arg(ap, const char *);
	if (options & JackSessionID) a[n++] = va_arg(ap, const char *);
	va_end(ap);
	return f(name, options, status, a[0], a[1], a[2], a[3]);
}

static int sjRefused(void) { return __atomic_load_n(&sjRefusedCalls, __ATOMIC_RELAXED); }

// ---- libjack's messages ----
//
// libjack prints every failed connection attempt ("Cannot connect to server
// socket ..."): normal when no JACK server runs, so dropped while quiet is
// above 0 (List and Open are connecting); otherwise printed as before.
static int quiet;

static void sjMessage(const char *msg) {
	if (__atomic_load_n(&quiet, __ATOMIC_SEQ_CST) == 0) fprintf(stderr, "%s\n", msg);
}

static void sjQuiet(int delta) {
	static int installed;
	if (!__atomic_exchange_n(&installed, 1, __ATOMIC_SEQ_CST)) {
		jack_set_error_function(sjMessage);
		jack_set_info_function(sjMessage);
	}
	__atomic_add_fetch(&quiet, delta, __ATOMIC_SEQ_CST);
}

// ---- a stream's client ----

// sjCycle is what the process callback tells the Go side about a buffer.
// Written and read on JACK's process thread only.
typedef struct {
	int64_t entryNs;      // CLOCK_MONOTONIC when the C process callback was entered
	int64_t wakeUs;       // from the cycle's start (jack_get_cycle_times) to that entry; -1 if unknown
	int64_t periodUs;     // the cycle's length
	int64_t prevTotalNs;  // the previous buffer: C entry to C return; -1 for none
	int64_t prevFinishUs; // the previous buffer: cycle start to C return; -1 for none
	uint32_t nframes;
	int xrun;             // an xrun was reported since the previous buffer
} sjCycle;

typedef struct {
	jack_client_t *client;
	int slot;             // the Go stream's index in jackSlots
	int nin, nout;
	jack_port_t **ports;  // nin inputs, then nout outputs
	float **bufs;         // this buffer's port buffers, same order
	sjCycle cycle;
	int xrun;             // set by the xrun callback, taken by the next buffer
	int dead;             // the server shut the client down
	int busy;             // the process callback is running
	char reason[256];     // JACK's reason for the shutdown
} sjStream;

// Implemented in Go (jack_export.go).
// cycle points to the sjCycle, which Go reads as a jackCycle (same layout).
extern void sangstudioJackProcess(int slot, float **bufs, void *cycle);
extern void sangstudioJackShutdown(int slot);

static int64_t sjNow(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int sjProcess(jack_nframes_t n, void *arg) {
	int64_t entry = sjNow(); // first: the figures measure from here
	jack_time_t now = jack_get_time();
	sjStream *s = arg;
	__atomic_store_n(&s->busy, 1, __ATOMIC_SEQ_CST);
	jack_nframes_t cf;
	jack_time_t cu = 0, nu = 0;
	float pu;
	int known = jack_get_cycle_times(s->client, &cf, &cu, &nu, &pu) == 0 && cu > 0 && now >= cu;
	s->cycle.entryNs = entry;
	s->cycle.wakeUs = known ? (int64_t)(now - cu) : -1;
	s->cycle.periodUs = known && nu > cu ? (int64_t)(nu - cu) : 0;
	s->cycle.nframes = n;
	s->cycle.xrun = __atomic_exchange_n(&s->xrun, 0, __ATOMIC_SEQ_CST);
	for (int i = 0; i < s->nin + s->nout; i++) {
		s->bufs[i] = (float *)jack_port_get_buffer(s->ports[i], n);
	}
	// JACK stops this thread with pthread_cancel (jack_deactivate,
	// jack_client_close); it must never be cancelled inside Go.
	int old;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
	sangstudioJackProcess(s->slot, s->bufs, &s->cycle);
	pthread_setcancelstate(old, NULL);
	s->cycle.prevTotalNs = sjNow() - entry;
	s->cycle.prevFinishUs = known ? (int64_t)(jack_get_time() - cu) : -1;
	__atomic_store_n(&s->busy, 0, __ATOMIC_SEQ_CST);
	return 0;
}

static int sjXrun(void *arg) {
	__atomic_store_n(&((sjStream *)arg)->xrun, 1, __ATOMIC_SEQ_CST);
	return 0;
}

static void sjShutdown(jack_status_t code, const char *reason, void *arg) {
	sjStream *s = arg;
	if (reason != NULL && __atomic_load_n(&s->dead, __ATOMIC_SEQ_CST) == 0) {
		snprintf(s->reason, sizeof s->reason, "%s", reason);
	}
	__atomic_store_n(&s->dead, 1, __ATOMIC_SEQ_CST);
	int old;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
	sangstudioJackShutdown(s->slot);
	pthread_setcancelstate(old, NULL);
}

static void sjFree(sjStream *s) {
	free(s->ports);
	free(s->bufs);
	free(s);
}

// sjOpen opens a client named name (JACK adds a suffix if the name is
// taken), without ports yet. NULL if the server cannot be reached;
// *status says why.
static sjStream *sjOpen(const char *name, int slot, int *status) {
	jack_status_t st = 0;
	jack_client_t *c = jack_client_open(name, JackNoStartServer, &st);
	*status = (int)st;
	if (c == NULL) return NULL;
	sjStream *s = calloc(1, sizeof *s);
	if (s == NULL) {
		jack_client_close(c);
		*status = JackFailure;
		return NULL;
	}
	s->client = c;
	s->slot = slot;
	s->cycle.prevTotalNs = -1;
	s->cycle.prevFinishUs = -1;
	return s;
}

// sjSetup registers the ports in_0.. and out_0.. (the names PortAudio
// gave them) and the callbacks. 0 on success.
static int sjSetup(sjStream *s, int nin, int nout) {
	s->ports = calloc(nin + nout + 1, sizeof *s->ports);
	s->bufs = calloc(nin + nout + 1, sizeof *s->bufs);
	if (s->ports == NULL || s->bufs == NULL) return -1;
	char pn[32];
	for (int i = 0; i < nin + nout; i++) {
		int in = i < nin;
		snprintf(pn, sizeof pn, in ? "in_%d" : "out_%d", in ? i : i - nin);
		s->ports[i] = jack_port_register(s->client, pn, JACK_DEFAULT_AUDIO_TYPE, in ? JackPortIsInput : JackPortIsOutput, 0);
		if (s->ports[i] == NULL) return -1;
	}
	s->nin = nin;
	s->nout = nout;
	if (jack_set_process_callback(s->client, sjProcess, s) != 0) return -1;
	if (jack_set_xrun_callback(s->client, sjXrun, s) != 0) return -1;
	jack_on_info_shutdown(s->client, sjShutdown, s);
	return 0;
}

static int sjDead(sjStream *s) { return __atomic_load_n(&s->dead, __ATOMIC_SEQ_CST); }
static int sjBusy(sjStream *s) { return __atomic_load_n(&s->busy, __ATOMIC_SEQ_CST); }

// sjClose closes the client (also a zombie one: the documented way after a
// shutdown) and frees the stream.
static int sjClose(sjStream *s) {
	int r = jack_client_close(s->client);
	sjFree(s);
	return r;
}

static const char *sjPortName(sjStream *s, int i) { return jack_port_name(s->ports[i]); }

// sjLatency returns the max of a port's latency range in the given mode
// (the port of another client, by name); -1 if there is no such port.
static int sjLatency(jack_client_t *c, const char *port, int capture) {
	jack_port_t *p = jack_port_by_name(c, port);
	if (p == NULL) return -1;
	jack_latency_range_t r;
	jack_port_get_latency_range(p, capture ? JackCaptureLatency : JackPlaybackLatency, &r);
	return (int)r.max;
}

// The ports for the device list: every audio port with its flags.
static const char **sjPorts(jack_client_t *c) { return jack_get_ports(c, NULL, JACK_DEFAULT_AUDIO_TYPE, 0); }
static const char *sjPortAt(const char **ports, int i) { return ports[i]; }
static int sjPortFlags(jack_client_t *c, const char *port) {
	jack_port_t *p = jack_port_by_name(c, port);
	return p == NULL ? 0 : jack_port_flags(p);
}

// sjListOpen opens a short-lived client for the device list (never
// activated, no ports).
static jack_client_t *sjListOpen(const char *name, int *status) {
	jack_status_t st = 0;
	jack_client_t *c = jack_client_open(name, JackNoStartServer, &st);
	*status = (int)st;
	return c;
}
*/
import "C"

import (
	"strings"
	"unsafe"
)

// jackCycle is C's sjCycle as Go reads it on the process thread (the same
// layout: checked by a test).
type jackCycle struct {
	entryNs      int64
	wakeUs       int64
	periodUs     int64
	prevTotalNs  int64
	prevFinishUs int64
	nframes      uint32
	xrun         int32
}

// jackSetNoJack keeps jack_client_open from connecting on the calling OS
// thread (the caller has locked its goroutine to it) while on is true.
func jackSetNoJack(on bool) {
	v := C.int(0)
	if on {
		v = 1
	}
	C.sjSetNoJack(v)
}

// jackRefusedCalls counts the jack_client_open calls refused on a noJack
// thread (tests: PortAudio's goes through the wrapper).
func jackRefusedCalls() int { return int(C.sjRefused()) }

// The layout of jackCycle must be sjCycle's: these fail to compile if not.
var (
	_ [unsafe.Sizeof(C.sjCycle{}) - unsafe.Sizeof(jackCycle{})]byte
	_ [unsafe.Sizeof(jackCycle{}) - unsafe.Sizeof(C.sjCycle{})]byte
	_ [unsafe.Offsetof(C.sjCycle{}.prevFinishUs) - unsafe.Offsetof(jackCycle{}.prevFinishUs)]byte
	_ [unsafe.Offsetof(jackCycle{}.prevFinishUs) - unsafe.Offsetof(C.sjCycle{}.prevFinishUs)]byte
	_ [unsafe.Offsetof(C.sjCycle{}.nframes) - unsafe.Offsetof(jackCycle{}.nframes)]byte
	_ [unsafe.Offsetof(jackCycle{}.nframes) - unsafe.Offsetof(C.sjCycle{}.nframes)]byte
	_ [unsafe.Offsetof(C.sjCycle{}.xrun) - unsafe.Offsetof(jackCycle{}.xrun)]byte
	_ [unsafe.Offsetof(jackCycle{}.xrun) - unsafe.Offsetof(C.sjCycle{}.xrun)]byte
)

// jackQuiet drops libjack's messages while connecting (see sjQuiet).
func jackQuiet(on bool) {
	if on {
		C.sjQuiet(1)
	} else {
		C.sjQuiet(-1)
	}
}

// jackStatusText says why jack_client_open failed, in plain words.
func jackStatusText(st int) string {
	switch {
	case st&C.JackServerFailed != 0, st&C.JackServerError != 0:
		return "no JACK server is running"
	case st&C.JackShmFailure != 0:
		return "JACK's shared memory could not be used"
	case st&C.JackVersionError != 0:
		return "the JACK server speaks another version of the protocol"
	case st&C.JackInvalidOption != 0:
		return "invalid options"
	}
	return "the JACK server refused the client"
}

// jackClient is a stream's JACK client (C memory).
type jackClient struct{ p *C.sjStream }

// openJackClient opens a client without ports; JACK's status if it
// failed.
func openJackClient(name string, slot int) (jackClient, int) {
	cn := C.CString(name)
	defer C.free(unsafe.Pointer(cn))
	var st C.int
	p := C.sjOpen(cn, C.int(slot), &st)
	return jackClient{p}, int(st)
}

func (c jackClient) ok() bool { return c.p != nil }

// setup registers nin inputs and nout outputs and the callbacks.
func (c jackClient) setup(nin, nout int) bool { return C.sjSetup(c.p, C.int(nin), C.int(nout)) == 0 }

func (c jackClient) name() string  { return C.GoString(C.jack_get_client_name(c.p.client)) }
func (c jackClient) rate() int     { return int(C.jack_get_sample_rate(c.p.client)) }
func (c jackClient) period() int   { return int(C.jack_get_buffer_size(c.p.client)) }
func (c jackClient) activate() int { return int(C.jack_activate(c.p.client)) }

func (c jackClient) deactivate() int { return int(C.jack_deactivate(c.p.client)) }
func (c jackClient) dead() bool      { return C.sjDead(c.p) != 0 }
func (c jackClient) busy() bool      { return C.sjBusy(c.p) != 0 }
func (c jackClient) reason() string  { return C.GoString(&c.p.reason[0]) }

// port returns the full name of our port i (inputs first, then outputs).
func (c jackClient) port(i int) string { return C.GoString(C.sjPortName(c.p, C.int(i))) }

// connect connects src to dst; 0, or EEXIST if they already are.
func (c jackClient) connect(src, dst string) int {
	cs, cd := C.CString(src), C.CString(dst)
	defer C.free(unsafe.Pointer(cs))
	defer C.free(unsafe.Pointer(cd))
	return int(C.jack_connect(c.p.client, cs, cd))
}

// close closes the client (a zombie one too) and frees it.
func (c jackClient) close() int { return int(C.sjClose(c.p)) }

// scan lists the server's audio ports (see jackPort) and its rate.
func (c jackClient) scan() ([]jackPort, int) { return jackScanPorts(c.p.client) }

// jackPort is an audio port of the server, for the device list.
type jackPort struct {
	name, client string
	flags        int
	latency      int // frames: capture latency of an output port, playback latency of an input port
}

const (
	jackIsInput    = int(C.JackPortIsInput)
	jackIsOutput   = int(C.JackPortIsOutput)
	jackIsPhysical = int(C.JackPortIsPhysical)
)

func jackScanPorts(c *C.jack_client_t) ([]jackPort, int) {
	ports := C.sjPorts(c)
	if ports == nil {
		return nil, int(C.jack_get_sample_rate(c))
	}
	defer C.jack_free(unsafe.Pointer(ports))
	var list []jackPort
	for i := 0; ; i++ {
		p := C.sjPortAt(ports, C.int(i))
		if p == nil {
			break
		}
		name := C.GoString(p)
		client, _, _ := strings.Cut(name, ":")
		fl := int(C.sjPortFlags(c, p))
		capture := C.int(0)
		if fl&jackIsOutput != 0 {
			capture = 1
		}
		list = append(list, jackPort{name: name, client: client, flags: fl, latency: max(int(C.sjLatency(c, p, capture)), 0)})
	}
	return list, int(C.jack_get_sample_rate(c))
}

// listJackPorts opens a short-lived client named name (never activated, no
// ports), scans the server and closes it. ok is false if no server
// answered; st is JACK's status then.
func listJackPorts(name string) (ports []jackPort, rate int, ok bool, st int) {
	cn := C.CString(name)
	defer C.free(unsafe.Pointer(cn))
	var cst C.int
	c := C.sjListOpen(cn, &cst)
	if c == nil {
		return nil, 0, false, int(cst)
	}
	ports, rate = jackScanPorts(c)
	C.jack_client_close(c)
	return ports, rate, true, 0
}
