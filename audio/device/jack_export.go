package device

// The Go functions JACK's threads call, through the C callbacks in
// jack_c.go. (A file with //export may only declare C in its preamble.)

/*
#include <stdint.h>
*/
import "C"

import "unsafe"

// sangstudioJackProcess is called by the C process callback on JACK's
// process thread, once per buffer. It finds the stream by its slot (an
// atomic load) and runs it: no allocation, no lock, no blocking.
//
//export sangstudioJackProcess
func sangstudioJackProcess(slot C.int, bufs **C.float, cycle unsafe.Pointer) {
	start := nanotime() // the Go side's first moment: after the cgo entry
	s := jackSlotStream(int(slot))
	if s == nil {
		return
	}
	s.process(start, unsafe.Pointer(bufs), (*jackCycle)(cycle))
}

// sangstudioJackShutdown is called on a JACK thread when the server shuts
// the client down (jack_on_info_shutdown): the server is gone.
//
//export sangstudioJackShutdown
func sangstudioJackShutdown(slot C.int) {
	if s := jackSlotStream(int(slot)); s != nil {
		s.lose()
	}
}
