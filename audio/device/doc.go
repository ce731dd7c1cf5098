// Package device opens the audio devices that drive Sangstudio's real-time
// engine: PortAudio's devices (JACK, ALSA, ...) and a virtual device inside
// the program that needs no audio hardware.
//
// # Devices
//
// List returns every device, the virtual device first; Find resolves what a
// user typed ("jack", "USB", an exact ID); Default picks one when the user
// did not. Every device has a stable ID, "<host API>/<device name>#<n>"
// ("JACK Audio Connection Kit/system#1"), or "virtual".
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
// # PortAudio
//
// PortAudio is used through github.com/gordonklaus/portaudio, with its
// callback API only (its blocking API hangs on JACK). Its JACK client is
// named "sangstudio", so patchbays show Sangstudio under its own name.
// While PortAudio initialises, the messages ALSA and libjack print about
// missing cards and servers are dropped (they are normal on a machine
// without them).
//
// PortAudio has process-wide state, and so does this package, in one place
// (pa.go): a reference count of the users of PortAudio (an open stream, or
// a List in progress). PortAudio is initialised when the count goes from 0
// to 1 and terminated when it goes back to 0, so that each List with no
// stream open sees the devices as they are now (PortAudio builds its device
// list once, at initialisation): a JACK server started, or a USB interface
// plugged in, after Sangstudio started.
//
// PortAudio 19.6 cannot be terminated once the JACK server it was connected
// to is gone (it aborts the process in an assertion), nor can a stream on
// that server be stopped or closed (it waits ten minutes). This package
// watches the JACK server with a client of its own ("sangstudio-watch",
// which has no ports) and, if the server goes away while PortAudio is in
// use, ends the streams on it (Done, ErrDeviceLost), leaves them and
// PortAudio as they are, and stops using PortAudio for the rest of the
// process: List then returns the virtual device and an error that says to
// restart Sangstudio. The virtual device keeps working.
//
// # The virtual device
//
// The virtual device ("virtual", 8 inputs and 8 outputs, any of 44100,
// 48000 and 96000 Hz) runs the callback from a goroutine of its own,
// paced by the clock (or as fast as possible with Config.Fast, for
// tests). Its inputs deliver silence, a sine or a WAV file; its output is
// discarded or written to a WAV file. Files are read and written by
// goroutines of their own, through preallocated ring buffers, so the
// callback's thread never does file I/O.
package device
