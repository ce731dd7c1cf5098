package device

/*
#cgo pkg-config: portaudio-2.0 alsa
#include <portaudio.h>
#include <alsa/asoundlib.h>

// ALSA prints a dozen lines to stderr ("ALSA lib confmisc.c:855:
// (parse_card) cannot find card '0'") each time PortAudio probes a machine
// without a sound card, or a card that is busy. While PortAudio
// initialises, ALSA's messages are dropped; afterwards ALSA's default
// handler prints them again.
static void alsaQuiet(const char *file, int line, const char *function, int err, const char *fmt, ...) {}

static void setQuiet(int q) { snd_lib_error_set_handler(q ? alsaQuiet : NULL); }

static int streamActive(void *s) { return Pa_IsStreamActive((PaStream *)s); }
*/
import "C"

import (
	"errors"
	"math"
	"reflect"
	"runtime"
	"sangstudio/internal/words"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/gordonklaus/portaudio"
)

// pa is this package's process-wide PortAudio state: PortAudio itself is
// process-wide, so this is one of the few places where package-level state
// is justified. All calls to the portaudio package's functions (not to a
// stream's methods) are made with mu held.
//
// refs counts the users of PortAudio: each open stream, and each List or
// Open while it runs. PortAudio is initialised when refs goes from 0 to 1,
// and terminated when it goes back to 0, so that the next List sees the
// devices as they are then.
//
// PortAudio never uses JACK (JACK devices are this package's own, see
// jack.go): Pa_Initialize runs with jack_client_open failing on its thread
// (jack_c.go), so PortAudio's JACK host API finds no server and leaves
// itself out, and a JACK server that dies cannot break PortAudio. What
// remains is the protection against a PortAudio call that never returns
// (a device that stopped answering): then hung and broken are set, and
// PortAudio is neither called nor used again in this process.
var pa struct {
	mu     sync.Mutex
	refs   int
	broken error // why PortAudio cannot be used any more (a call hung), or nil
	hung   bool  // a PortAudio call did not return: call nothing more
}

// paNextID is the portaudio package's counter of stream IDs, which it
// passes to PortAudio as the callback's user data pointer:
// unsafe.Pointer(id). With checkptr on (go test -race), any ID from 1 to
// 4095 crashes the process ("checkptr: pointer arithmetic computed bad
// pointer value"), that is every stream but the first. paOpen moves the
// counter past that range (IDs at 4096 and above are not addresses of Go
// memory, so checkptr accepts them); the portaudio package only uses the
// ID as a map key. All OpenStream calls are made with pa.mu held.
//
//go:linkname paNextID github.com/gordonklaus/portaudio.nextID
var paNextID uintptr

// paTimeout bounds PortAudio calls that wait for the audio thread (start,
// stop, close): a device that stopped answering must not hang the caller
// forever.
const paTimeout = 5 * time.Second

// acquireLocked makes sure PortAudio is initialised and counts a user.
func acquireLocked() error {
	if pa.broken != nil {
		return pa.broken
	}
	if pa.refs == 0 {
		C.setQuiet(1)
		// PortAudio initialises its host APIs on this thread: JACK's
		// finds no server here (see jack_c.go), whatever runs.
		runtime.LockOSThread()
		jackSetNoJack(true)
		err := portaudio.Initialize()
		jackSetNoJack(false)
		runtime.UnlockOSThread()
		C.setQuiet(0)
		if err != nil {
			return newError(ErrNotFound, err, "the audio system (PortAudio) could not start: %v", err)
		}
	}
	pa.refs++
	return nil
}

// releaseLocked uncounts a user and terminates PortAudio after the last.
func releaseLocked() {
	if pa.broken != nil {
		return
	}
	pa.refs--
	if pa.refs > 0 {
		return
	}
	portaudio.Terminate()
}

// setBroken stops all further use of PortAudio after a call that did not
// return.
func setBroken(err error) {
	pa.mu.Lock()
	if pa.broken == nil {
		pa.broken = err
	}
	pa.hung = true
	pa.mu.Unlock()
}

// enumerateLocked lists PortAudio's devices, with their IDs, and returns
// the index of the one Default would pick among them (-1 for none). A JACK
// host API is left out (it should not be there at all: see pa).
func enumerateLocked() ([]Info, []*portaudio.DeviceInfo, int) {
	hosts, err := portaudio.HostApis()
	if err != nil {
		return nil, nil, -1
	}
	var infos []Info
	var devs []*portaudio.DeviceInfo
	for _, h := range hosts {
		if h.Type == portaudio.JACK {
			continue
		}
		for _, d := range h.Devices {
			lat := d.DefaultLowInputLatency
			if d.MaxInputChannels == 0 {
				lat = d.DefaultLowOutputLatency
			}
			infos = append(infos, Info{
				Name:              d.Name,
				HostAPI:           h.Name,
				Inputs:            d.MaxInputChannels,
				Outputs:           d.MaxOutputChannels,
				DefaultRate:       int(math.Round(d.DefaultSampleRate)),
				DefaultLowLatency: lat.Seconds(),
			})
			devs = append(devs, d)
		}
	}
	makeIDs(infos)
	return infos, devs, pickDefault(devs)
}

// pickDefault returns the index in devs of PortAudio's default
// duplex-capable device, else -1.
func pickDefault(devs []*portaudio.DeviceInfo) int {
	duplex := func(d *portaudio.DeviceInfo) bool {
		return d != nil && d.MaxInputChannels > 0 && d.MaxOutputChannels > 0
	}
	index := func(d *portaudio.DeviceInfo) int {
		for i, x := range devs {
			if x == d {
				return i
			}
		}
		return -1
	}
	if h, err := portaudio.DefaultHostApi(); err == nil && h.Type != portaudio.JACK {
		if duplex(h.DefaultOutputDevice) {
			return index(h.DefaultOutputDevice)
		}
		if duplex(h.DefaultInputDevice) {
			return index(h.DefaultInputDevice)
		}
	}
	return -1
}

// paList returns PortAudio's devices and the index of the default one.
func paList() ([]Info, int, error) {
	pa.mu.Lock()
	defer pa.mu.Unlock()
	if err := acquireLocked(); err != nil {
		return nil, -1, err
	}
	defer releaseLocked()
	infos, _, def := enumerateLocked()
	return infos, def, nil
}

// paStream is a stream on a PortAudio device.
type paStream struct {
	info          Info
	rate, buffer  int
	inLat, outLat int
	cb            Callback
	st            *portaudio.Stream
	ptr           unsafe.Pointer // the PaStream*, for Pa_IsStreamActive

	frame atomic.Int64 // written by the callback only
	xruns atomic.Int64

	mu        sync.Mutex // serialises Start, Stop and Close
	running   bool
	closed    bool
	stopWatch chan struct{}
	watchDone chan struct{}

	lost atomic.Bool
	ending
	err error // set before done is closed
}

// paOpen opens a stream on a PortAudio device.
func paOpen(cfg Config, cb Callback) (Stream, error) {
	pa.mu.Lock()
	defer pa.mu.Unlock()
	if err := acquireLocked(); err != nil {
		return nil, err
	}
	infos, devs, _ := enumerateLocked()
	idx := -1
	for i, d := range infos {
		if d.ID == cfg.Device {
			idx = i
		}
	}
	if idx < 0 {
		releaseLocked()
		all := append([]Info{virtualInfo()}, infos...)
		return nil, newError(ErrNotFound, nil, "there is no audio device %q (was it unplugged, or its server stopped?); the devices are: %s",
			cfg.Device, describeAll(all))
	}
	info, dev := infos[idx], devs[idx]
	if err := checkChannels(info, cfg); err != nil {
		releaseLocked()
		return nil, err
	}
	rate := pickRate(info, cfg.Rate)
	latency := func(d time.Duration) time.Duration {
		return max(d, time.Duration(cfg.Buffer)*time.Second/time.Duration(rate))
	}
	p := portaudio.StreamParameters{
		Output:          portaudio.StreamDeviceParameters{Device: dev, Channels: cfg.Outputs, Latency: latency(dev.DefaultLowOutputLatency)},
		SampleRate:      float64(rate),
		FramesPerBuffer: cfg.Buffer,
	}
	if cfg.Inputs > 0 {
		p.Input = portaudio.StreamDeviceParameters{Device: dev, Channels: cfg.Inputs, Latency: latency(dev.DefaultLowInputLatency)}
	}
	s := &paStream{
		info:   info,
		rate:   rate,
		buffer: cfg.Buffer,
		cb:     cb,
	}
	s.ending.init()
	paNextID = max(paNextID, 4096)
	st, err := portaudio.OpenStream(p, s.process)
	if err != nil {
		releaseLocked()
		return nil, openError(info, cfg, rate, err)
	}
	s.st = st
	s.ptr = streamPointer(st)
	if si := st.Info(); si != nil {
		s.inLat = int(math.Round(si.InputLatency.Seconds() * float64(rate)))
		s.outLat = int(math.Round(si.OutputLatency.Seconds() * float64(rate)))
		if si.SampleRate > 0 {
			s.rate = int(math.Round(si.SampleRate))
		}
	}
	return s, nil
}

// streamPointer returns the PaStream* of st, which the portaudio package
// keeps in an unexported field, so that the stream's liveness can be
// polled with Pa_IsStreamActive (the package does not offer it). nil if the
// field is not there (another version of the package).
func streamPointer(st *portaudio.Stream) unsafe.Pointer {
	f := reflect.ValueOf(st).Elem().FieldByName("paStream")
	if !f.IsValid() || f.Kind() != reflect.UnsafePointer {
		return nil
	}
	return *(*unsafe.Pointer)(unsafe.Pointer(f.UnsafeAddr()))
}

// openError turns PortAudio's error from opening a stream into a message
// in plain words that names the device.
func openError(d Info, cfg Config, rate int, err error) error {
	name := deviceName(d)
	var pe portaudio.Error
	var he portaudio.UnanticipatedHostError
	switch {
	case errors.As(err, &pe):
		switch pe {
		case portaudio.InvalidSampleRate:
			return newError(ErrUnsupportedRate, err, "%s cannot run at %d Hz (its own rate is %d Hz)", name, rate, d.DefaultRate)
		case portaudio.InvalidChannelCount:
			return newError(ErrChannels, err, "%s cannot open %s and %s", name,
				words.CountNo(cfg.Inputs, "input", "inputs"), words.CountNo(cfg.Outputs, "output", "outputs"))
		case portaudio.DeviceUnavailable:
			return newError(ErrDeviceBusy, err, "%s is busy or unavailable: another program may be using it; close that program or choose another device", name)
		case portaudio.BufferTooBig, portaudio.BufferTooSmall:
			return newError(ErrBufferSize, err, "%s cannot use buffers of %d frames", name, cfg.Buffer)
		case portaudio.InvalidDevice:
			return newError(ErrNotFound, err, "%s is not there any more (was it unplugged?)", name)
		case portaudio.BadIODeviceCombination:
			return newError(ErrChannels, err, "%s cannot record and play at the same time", name)
		}
	case errors.As(err, &he):
		switch he.Code {
		case -16: // EBUSY, as ALSA reports it
			return newError(ErrDeviceBusy, err, "%s is busy: another program is using it; close that program or choose another device", name)
		case -19, -6: // ENODEV, ENXIO
			return newError(ErrNotFound, err, "%s is not there any more (was it unplugged?)", name)
		}
	}
	return newError(ErrDeviceBusy, err, "%s could not be opened (PortAudio says: %v)", name, err)
}

// process is the callback PortAudio calls, through the portaudio package
// (which calls it with reflect under a read lock, without allocating). It
// does not allocate either.
func (s *paStream) process(in, out [][]float32, _ portaudio.StreamCallbackTimeInfo, fl portaudio.StreamCallbackFlags) {
	st := Status{
		// Input replaced by zeros is input lost as well, and output dropped
		// is output not delivered.
		InputOverflow:   fl&(portaudio.InputOverflow|portaudio.InputUnderflow) != 0,
		OutputUnderflow: fl&(portaudio.OutputUnderflow|portaudio.OutputOverflow) != 0,
		Frame:           s.frame.Load(),
	}
	if st.InputOverflow || st.OutputUnderflow {
		s.xruns.Add(1)
	}
	s.cb(in, out, st)
	n := s.buffer
	if len(out) > 0 {
		n = len(out[0])
	}
	// The store also publishes what the callback wrote to whoever loads
	// frame after Stop (see Stop).
	s.frame.Store(st.Frame + int64(n))
}

// call runs f, which waits for PortAudio's audio thread, with a time
// limit. If f does not return in time, it returns an error wrapping
// ErrDeviceLost and true; PortAudio must then be given up for the rest of
// the process (f keeps its goroutine).
func call(what string, d Info, f func() error) (error, bool) {
	ch := make(chan error, 1)
	go func() { ch <- f() }()
	select {
	case err := <-ch:
		return err, false
	case <-time.After(paTimeout):
		return newError(ErrDeviceLost, nil, "%s did not respond (%s took over %v); restart Sangstudio to use the audio devices again",
			deviceName(d), what, paTimeout), true
	}
}

func (s *paStream) Start() error {
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
	if err, hung := call("starting", s.info, s.st.Start); err != nil {
		if hung {
			setBroken(err)
			return err
		}
		return newError(ErrDeviceBusy, err, "%s could not start (PortAudio says: %v)", deviceName(s.info), err)
	}
	s.running = true
	s.stopWatch = make(chan struct{})
	s.watchDone = make(chan struct{})
	go s.watchStream(s.stopWatch, s.watchDone)
	return nil
}

// watchStream polls the stream until stop is closed: a started stream that
// PortAudio no longer calls (Pa_IsStreamActive 0) stopped on its own.
func (s *paStream) watchStream(stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		if s.ptr == nil || C.streamActive(s.ptr) != 0 {
			continue
		}
		s.lost.Store(true)
		s.end(newError(ErrDeviceLost, nil, "%s stopped: it was disconnected or stopped working", deviceName(s.info)))
		return
	}
}

func (s *paStream) Stop() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stopLocked()
}

func (s *paStream) stopLocked() error {
	if !s.running {
		return nil
	}
	close(s.stopWatch)
	<-s.watchDone
	s.running = false
	err, hung := call("stopping", s.info, s.st.Stop)
	s.frame.Load() // pairs with the callback's Store: what it wrote is visible
	switch {
	case hung:
		setBroken(err)
		return err
	case err != nil:
		return newError(ErrDeviceBusy, err, "%s did not stop cleanly (PortAudio says: %v)", deviceName(s.info), err)
	}
	return nil
}

func (s *paStream) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	err := s.stopLocked()
	s.closed = true
	pa.mu.Lock()
	defer pa.mu.Unlock()
	if pa.hung {
		return err
	}
	cerr, hung := call("closing", s.info, s.st.Close)
	if hung {
		pa.hung = true
		if pa.broken == nil {
			pa.broken = cerr
		}
		return cerr
	}
	if cerr != nil && err == nil {
		err = newError(ErrDeviceBusy, cerr, "%s did not close cleanly (PortAudio says: %v)", deviceName(s.info), cerr)
	}
	releaseLocked()
	return err
}

func (s *paStream) Info() Info         { return s.info }
func (s *paStream) Rate() int          { return s.rate }
func (s *paStream) Buffer() int        { return s.buffer }
func (s *paStream) InputLatency() int  { return s.inLat }
func (s *paStream) OutputLatency() int { return s.outLat }
func (s *paStream) Xruns() int64       { return s.xruns.Load() }
