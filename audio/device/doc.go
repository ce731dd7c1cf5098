// Package device opens the audio devices that drive Sangstudio's real-time
// engine: JACK's (through libjack, natively), PortAudio's (ALSA, ...) and a
// virtual device inside the program that needs no audio hardware.
//
// # Devices
//
// List returns every device, the virtual device first; Find resolves what a
// user typed ("jack", "USB", an exact ID); Default picks one when the user
// did not (the desktop's PipeWire through ALSA "default" when PipeWire
// runs, else JACK's "system" when a JACK server runs: see Default and
// desktop.go). Every device has a
// stable ID, "<host API>/<device name>#<n>" ("JACK Audio Connection
// Kit/system#1"), or "virtual".
//
// # Streams
//
// Open opens one duplex stream (capture and playback in the same stream, so
// the two never drift apart) and calls a Callback once per buffer on the
// audio thread, with one non-interleaved float32 slice per channel. The
// callback must not allocate, lock, block or do I/O; neither does the code
// in this package that calls it. Status tells the callback about input lost
// and output delivered late before its buffer (xruns), and Stream.Xruns
// counts those buffers.
//
// A stream can stop on its own: the JACK server is stopped, a USB
// interface is unplugged. Stream.Done is then closed and Stream.Err says so
// in plain words, wrapping ErrDeviceLost. Errors from Open name the device
// and say what is wrong ("the audio device \"system\" (JACK) cannot run at
// 44100 Hz: the JACK server runs at 48000 Hz") and wrap one of the Err
// values of this package, for callers that branch on them.
//
// # JACK
//
// JACK devices are opened with libjack directly (jack.go, jack_c.go). List
// asks the server each time, through a short-lived client named
// "sangstudio-list" that is never activated and has no ports, and never
// starts a server: "system" is the physical ports (its inputs are the
// capture ports, its outputs the playback ports), and every other client
// with audio ports is a device too, as PortAudio listed them.
//
// A stream is a JACK client of its own, named Config.ClientName
// ("sangstudio" by default, so patchbays show Sangstudio under its own
// name), with ports in_0, in_1, … and out_0, out_1, …. Start activates it
// and wires input k from the device's k-th capture port and output k to its
// k-th playback port (system:capture_{k+1}, system:playback_{k+1}); Stop
// deactivates it (JACK then disconnects its ports and stops its process
// thread, so the callback is not called again). JACK's period is the same
// for every client of a server: the callback gets what the server gives,
// Stream.Buffer reports it, and Config.Buffer is ignored (the period is
// chosen where the server is set up; Sangstudio does not change a setting
// every other JACK program shares). Input and output latency are JACK's
// latencies of the ports the stream is wired to (see jackLatencies).
//
// JACK calls a small C process callback on its real-time thread, which
// takes the port buffers and calls one exported Go function; that turns
// them into [][]float32 views (preallocated slice headers over JACK's
// memory: the input slices must not be written) and calls the Callback:
// no allocation, no lock, no reflect. The C callback disables thread
// cancellation while Go runs (JACK stops its thread with pthread_cancel).
// An xrun JACK reports sets InputOverflow and OutputUnderflow on the next
// buffer. A JACK stream implements Timer: where each buffer's time goes
// (the server's wake-up, the entry into Go, the callback), in a lock-free
// histogram.
//
// When the server goes away (killed, stopped), JACK shuts the client down
// (jack_on_info_shutdown): Done is closed and Err says "… stopped: the JACK
// server is gone"; Stop and Close then release the client
// (jack_client_close, the documented way for such a client). Every call
// into libjack that waits for the server has a time limit, so a server that
// stopped answering cannot hang the caller. Nothing process-wide is left
// broken: when a JACK server runs again, List shows its devices and Open
// works, in the same process.
//
// The package's process-wide JACK state is small: the table of open
// streams, by slot (the C callback passes a slot number; the Go side finds
// the stream with one atomic load), and libjack's message handler, which
// drops the "cannot connect to server" messages while List and Open try to
// connect (normal when no server runs).
//
// # PortAudio
//
// PortAudio is used through github.com/gordonklaus/portaudio, with its
// callback API only, for everything but JACK, and never for JACK: PortAudio
// 19.6 cannot survive a JACK server going away (it aborts on Pa_Terminate
// and hangs in Pa_CloseStream). Its JACK host API initialises only if its
// jack_client_open succeeds, and this package defines jack_client_open for
// the whole process (jack_c.go): it forwards to libjack's, except on the
// thread that runs Pa_Initialize, where it fails without contacting any
// server. So PortAudio registers no JACK client and has no JACK devices,
// whatever runs and whatever other threads do meanwhile (no environment
// variables are changed). While PortAudio initialises, the messages ALSA
// prints about missing cards are dropped (they are normal on a machine
// without them).
//
// PortAudio has process-wide state, and so does this package, in one place
// (pa.go): a reference count of the users of PortAudio (an open stream, or
// a List in progress). PortAudio is initialised when the count goes from 0
// to 1 and terminated when it goes back to 0, so that each List with no
// stream open sees the devices as they are now (PortAudio builds its device
// list once, at initialisation): a USB interface plugged in after
// Sangstudio started. A PortAudio call that does not return within 5 s (a
// device that stopped answering) makes this package stop using PortAudio
// for the rest of the process; the virtual device and JACK keep working.
//
// # The virtual device
//
// The virtual device ("virtual", 8 inputs and 8 outputs, any of 44100,
// 48000 and 96000 Hz) runs the callback from a goroutine of its own,
// paced by the clock (or as fast as possible with Config.Fast, for
// tests). Its inputs deliver silence, a sine or a WAV file; its output is
// discarded or written to a WAV file. Files are read and written by
// goroutines of their own, through preallocated rings (audio/ring's
// Frames, the engine's ring), so the callback's thread never does file
// I/O.
package device
