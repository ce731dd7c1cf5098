// Package jackclient is a JACK client without ports that lists the MIDI
// ports of a running server and learns (jack_on_shutdown) that the server
// went away. midi/input lists keyboards with it and watches the server its
// RtMidi ports are on.
//
// After a server went away, libjack must not be asked anything about it
// but to close our clients: unregistering a port of a dead server crashes
// in libjack. So whoever holds ports of a server checks Dead first.
//
// libjack is declared weak: without -ljack the JACK functions are simply
// NULL, Linked is false and there is no JACK.
package jackclient

/*
#include <stdlib.h>

#define SANG_WEAK __attribute__((weak))

typedef struct _jack_client jack_client_t;
typedef struct _jack_port jack_port_t;
extern jack_client_t *jack_client_open(const char *name, int options, int *status, ...) SANG_WEAK;
extern int jack_client_close(jack_client_t *client) SANG_WEAK;
extern const char *jack_get_client_name(jack_client_t *client) SANG_WEAK;
extern const char **jack_get_ports(jack_client_t *client, const char *namePattern, const char *typePattern, unsigned long flags) SANG_WEAK;
extern char *jack_get_uuid_for_client_name(jack_client_t *client, const char *name) SANG_WEAK;
extern void jack_free(void *ptr) SANG_WEAK;
extern void jack_on_shutdown(jack_client_t *client, void (*fn)(void *arg), void *arg) SANG_WEAK;
extern void jack_set_error_function(void (*fn)(const char *)) SANG_WEAK;
extern void jack_set_info_function(void (*fn)(const char *)) SANG_WEAK;
extern void (*jack_error_callback)(const char *) SANG_WEAK;
extern void (*jack_info_callback)(const char *) SANG_WEAK;

static inline int sang_jack_linked(void) {
	return jack_client_open && jack_client_close && jack_get_client_name && jack_get_ports &&
		jack_get_uuid_for_client_name && jack_free && jack_on_shutdown;
}

static inline void sang_quiet(const char *msg) { (void)msg; }

// sang_jack_open opens a JACK client that never starts a server, without
// libjack's messages on stderr when no server runs (jack2 exports its
// message hooks; with another libjack the messages stay).
static inline jack_client_t *sang_jack_open(const char *name, int *status) {
	void (*err)(const char *) = 0;
	void (*info)(const char *) = 0;
	int quiet = jack_set_error_function && jack_set_info_function && &jack_error_callback && &jack_info_callback;
	if (quiet) {
		err = jack_error_callback;
		info = jack_info_callback;
		jack_set_error_function(sang_quiet);
		jack_set_info_function(sang_quiet);
	}
	*status = 0;
	jack_client_t *c = jack_client_open(name, 1, status); // JackNoStartServer
	if (quiet) {
		jack_set_error_function(err);
		jack_set_info_function(info);
	}
	return c;
}

// *down becomes 1 when the server goes away.
static inline void sang_jack_on_shutdown_cb(void *arg) { *(volatile int *)arg = 1; }
static inline void sang_jack_watch(jack_client_t *c, volatile int *down) {
	jack_on_shutdown(c, sang_jack_on_shutdown_cb, (void *)down);
}
static inline int sang_jack_down(volatile int *down) { return *down; }
*/
import "C"

import (
	"fmt"
	"os"
	"sync"
	"unsafe"
)

const midiType = "8 bit raw midi"

// Linked reports whether libjack is linked in.
func Linked() bool { return C.sang_jack_linked() != 0 }

// Client is a JACK client of ours without ports.
type Client struct {
	jc   *C.jack_client_t
	down *C.int // C memory: libjack's thread sets it
}

var openMu sync.Mutex

// Open opens a client named name without starting a server (and without
// libjack's messages when there is none). Call it only when Linked.
func Open(name string) (*Client, error) {
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	down := (*C.int)(C.calloc(1, C.size_t(unsafe.Sizeof(C.int(0)))))
	var status C.int
	openMu.Lock() // sang_jack_open swaps libjack's message hooks
	jc := C.sang_jack_open(cname, &status)
	openMu.Unlock()
	if jc == nil {
		C.free(unsafe.Pointer(down))
		server := os.Getenv("JACK_DEFAULT_SERVER")
		if server == "" {
			server = "default"
		}
		return nil, fmt.Errorf("JACK: no server %q is running", server)
	}
	C.sang_jack_watch(jc, down)
	return &Client{jc: jc, down: down}, nil
}

// Dead reports that the server went away.
func (c *Client) Dead() bool { return C.sang_jack_down(c.down) != 0 }

// Close closes the client.
func (c *Client) Close() {
	C.jack_client_close(c.jc)
	C.free(unsafe.Pointer(c.down))
}

// MIDIOutputs lists the full names (client:port) of the server's MIDI
// output ports.
func (c *Client) MIDIOutputs() (names []string) {
	typ := C.CString(midiType)
	defer C.free(unsafe.Pointer(typ))
	ports := C.jack_get_ports(c.jc, nil, typ, 2) // JackPortIsOutput
	if ports == nil {
		return nil
	}
	defer C.jack_free(unsafe.Pointer(ports))
	for p := ports; *p != nil; p = (**C.char)(unsafe.Add(unsafe.Pointer(p), unsafe.Sizeof(*p))) {
		names = append(names, C.GoString(*p))
	}
	return names
}

// ClientUUID is the UUID of the client of that name, or "" if the server
// does not answer: unlike port UUIDs (port slots, reused at once), JACK
// never reuses it.
func (c *Client) ClientUUID(client string) string {
	name := C.CString(client)
	defer C.free(unsafe.Pointer(name))
	u := C.jack_get_uuid_for_client_name(c.jc, name)
	if u == nil {
		return ""
	}
	defer C.jack_free(unsafe.Pointer(u))
	return C.GoString(u)
}
