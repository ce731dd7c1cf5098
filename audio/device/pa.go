package device

/*
#cgo pkg-config: portaudio-2.0 jack alsa
#include <stdio.h>
#include <stdlib.h>
#include <pa_jack.h>
#include <jack/jack.h>
#include <alsa/asoundlib.h>

// libjack prints every failed connection attempt to stderr ("Cannot connect
// to server socket ..."): PortAudio makes one at each initialisation, which
// is normal when no JACK server runs. While quiet is set, such messages are
// dropped; otherwise they go to stderr as before.
static int quiet;

static void jackMessage(const char *msg) {
	if (!__atomic_load_n(&quiet, __ATOMIC_SEQ_CST)) fprintf(stderr, "%s\n", msg);
}

// ALSA prints a dozen lines to stderr ("ALSA lib confmisc.c:855:
// (parse_card) cannot find card '0'") each time PortAudio probes a machine
// without a sound card, or a card that is busy. While PortAudio
// initialises, ALSA's messages are dropped; afterwards ALSA's default
// handler prints them again.
static void alsaQuiet(const char *file, int line, const char *function, int err, const char *fmt, ...) {}

static void setQuiet(int q) {
	__atomic_store_n(&quiet, q, __ATOMIC_SEQ_CST);
	if (q) {
		// PortAudio installs its own error function once connected; ours
		// stays only while no JACK server answers.
		jack_set_error_function(jackMessage);
		jack_set_info_function(jackMessage);
		snd_lib_error_set_handler(alsaQuiet);
	} else {
		snd_lib_error_set_handler(NULL);
	}
}

// watch is a JACK client without ports whose only job is to learn that the
// server went away (see pa.go).
typedef struct {
	jack_client_t *client;
	int dead;
} watch;

static void watchShutdown(void *arg) {
	__atomic_store_n(&((watch *)arg)->dead, 1, __ATOMIC_SEQ_CST);
}

static watch *watchOpen(void) {
	jack_status_t status;
	watch *w = calloc(1, sizeof *w);
	if (w == NULL) return NULL;
	w->client = jack_client_open("sangstudio-watch", JackNoStartServer, &status);
	if (w->client == NULL) {
		free(w);
		return NULL;
	}
	jack_on_shutdown(w->client, watchShutdown, w);
	if (jack_activate(w->client) != 0) {
		jack_client_close(w->client);
		free(w);
		return NULL;
	}
	return w;
}

static int watchDead(watch *w) { return __atomic_load_n(&w->dead, __ATOMIC_SEQ_CST); }

static void watchClose(watch *w) {
	jack_deactivate(w->client);
	jack_client_close(w->client);
	free(w);
}

static int streamActive(void *s) { return Pa_IsStreamActive((PaStream *)s); }

static const char *jackClientName(void) {
	const char *name = NULL;
	if (PaJack_GetClientName(&name) != paNoError) return NULL;
	return name;
}
*/
import "C"

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/gordonklaus/portaudio"
)

// pa is this package's process-wide PortAudio state: PortAudio itself is
// process-wide, so this is the one place where package-level state is
// justified. All calls to the portaudio package's functions (not to a
// stream's methods) are made with mu held.
//
// refs counts the users of PortAudio: each open stream, and each List or
// Open while it runs. PortAudio is initialised when refs goes from 0 to 1,
// and terminated when it goes back to 0, so that the next List sees the
// devices as they are then.
//
// PortAudio 19.6 aborts the process if it is terminated after its JACK
// server went away, and hangs in Pa_StopStream and Pa_CloseStream on a
// stream of that server. So while PortAudio is initialised with its JACK
// host API, watch (a JACK client of our own) tells whether the server is
// still there; once it is not (or a JACK stream stopped on its own, or a
// PortAudio call hung), broken is set: PortAudio is not terminated, nor
// opened again, for the rest of the process, and streams on the lost JACK
// server are left open. (Streams of other host APIs are still closed, to
// free their devices, unless a call hung.)
var pa struct {
	mu          sync.Mutex
	refs        int
	broken      error
	watch       *C.watch // nil when JACK is not in use
	watchFailed bool     // the JACK host API is there but watch could not connect
	named       bool     // PaJack_SetClientName was called
	hung        bool     // a PortAudio call did not return: call nothing more
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

// jackClient is the name under which PortAudio registers with JACK (JACK
// makes it "sangstudio-01" etc. if the name is taken).
const jackClient = "sangstudio"

// paTimeout bounds PortAudio calls that wait for the audio thread (start,
// stop, close): a device or server that stopped answering must not hang
// the caller forever.
const paTimeout = 5 * time.Second

// acquireLocked makes sure PortAudio is initialised and counts a user.
func acquireLocked() error {
	if pa.broken != nil {
		return pa.broken
	}
	if pa.refs == 0 {
		if !pa.named {
			// PortAudio keeps the pointer: allocated once, never freed.
			C.PaJack_SetClientName(C.CString(jackClient))
			pa.named = true
		}
		C.setQuiet(1)
		err := portaudio.Initialize()
		if err == nil {
			if _, jerr := portaudio.HostApi(portaudio.JACK); jerr == nil {
				pa.watch = C.watchOpen()
				pa.watchFailed = pa.watch == nil
			}
		}
		C.setQuiet(0)
		if err != nil {
			return newError(ErrNotFound, err, "the audio system (PortAudio) could not start: %v", err)
		}
	}
	pa.refs++
	return nil
}

// jackDeadLocked tells whether PortAudio's JACK server went away.
func jackDeadLocked() bool {
	return pa.watchFailed || (pa.watch != nil && C.watchDead(pa.watch) != 0)
}

// errJACKGone is what PortAudio users get once the JACK server went away
// while PortAudio was in use.
func errJACKGone() error {
	return newError(ErrDeviceLost, nil, "the JACK server stopped while Sangstudio was using it; "+
		"restart Sangstudio to use the audio devices again (the virtual device still works)")
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
	if jackDeadLocked() {
		pa.broken = errJACKGone()
		return
	}
	if pa.watch != nil {
		C.watchClose(pa.watch)
		pa.watch = nil
	}
	pa.watchFailed = false
	portaudio.Terminate()
}

// setBroken stops all further use of PortAudio; hung says a PortAudio
// call did not return, so that not even streams of other host APIs may be
// closed.
func setBroken(err error, hung bool) {
	pa.mu.Lock()
	if pa.broken == nil {
		pa.broken = err
	}
	pa.hung = pa.hung || hung
	pa.mu.Unlock()
}

// enumerateLocked lists PortAudio's devices, with their IDs, and returns
// the index of the one Default would pick (-1 for none).
func enumerateLocked() ([]Info, []*portaudio.DeviceInfo, int) {
	hosts, err := portaudio.HostApis()
	if err != nil {
		return nil, nil, -1
	}
	var infos []Info
	var devs []*portaudio.DeviceInfo
	for _, h := range hosts {
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
	return infos, devs, pickDefault(hosts, devs)
}

// pickDefault returns the index in devs of PortAudio's default
// duplex-capable device, preferring JACK ("system", else the first duplex
// client), else -1.
func pickDefault(hosts []*portaudio.HostApiInfo, devs []*portaudio.DeviceInfo) int {
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
	for _, h := range hosts {
		if h.Type != portaudio.JACK {
			continue
		}
		for _, d := range h.Devices {
			if d.Name == "system" && duplex(d) {
				return index(d)
			}
		}
		for _, d := range h.Devices {
			if duplex(d) {
				return index(d)
			}
		}
	}
	if h, err := portaudio.DefaultHostApi(); err == nil {
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

// jackClientName returns the name of PortAudio's JACK client ("" if JACK
// is not in use), for tests that wire its ports.
func jackClientName() string {
	pa.mu.Lock()
	defer pa.mu.Unlock()
	if pa.refs == 0 || pa.watch == nil {
		return ""
	}
	if n := C.jackClientName(); n != nil {
		return C.GoString(n)
	}
	return ""
}

// paStream is a stream on a PortAudio device.
type paStream struct {
	info          Info
	rate, buffer  int
	inLat, outLat int
	jack          bool
	watch         *C.watch // PortAudio's JACK watch while this stream is open, or nil
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

	lost     atomic.Bool
	done     chan struct{}
	doneOnce sync.Once
	err      error // set before done is closed
}

// jackHostAPI is PortAudio's name for JACK (the first part of JACK IDs).
const jackHostAPI = "JACK Audio Connection Kit"

// paOpen opens a stream on a PortAudio device.
func paOpen(cfg Config, cb Callback) (Stream, error) {
	pa.mu.Lock()
	defer pa.mu.Unlock()
	var infos []Info
	var devs []*portaudio.DeviceInfo
	idx := -1
	// PortAudio's JACK host API comes up without its devices when the JACK
	// server is slow to answer (a busy machine): look again, twice, before
	// saying the device is not there.
	for attempt := 0; ; attempt++ {
		if err := acquireLocked(); err != nil {
			return nil, err
		}
		infos, devs, _ = enumerateLocked()
		for i, d := range infos {
			if d.ID == cfg.Device {
				idx = i
			}
		}
		if idx >= 0 || attempt == 2 || !strings.HasPrefix(cfg.Device, jackHostAPI+"/") {
			break
		}
		releaseLocked()
		time.Sleep(300 * time.Millisecond)
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
		jack:   dev.HostApi != nil && dev.HostApi.Type == portaudio.JACK,
		cb:     cb,
		done:   make(chan struct{}),
	}
	paNextID = max(paNextID, 4096)
	st, err := portaudio.OpenStream(p, s.process)
	if err != nil {
		releaseLocked()
		return nil, openError(info, cfg, rate, err)
	}
	s.st = st
	s.ptr = streamPointer(st)
	if s.jack {
		s.watch = pa.watch
	}
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
			if shortHostAPI(d.HostAPI) == "JACK" {
				return newError(ErrUnsupportedRate, err, "%s cannot run at %d Hz: the JACK server runs at %d Hz", name, rate, d.DefaultRate)
			}
			return newError(ErrUnsupportedRate, err, "%s cannot run at %d Hz (its own rate is %d Hz)", name, rate, d.DefaultRate)
		case portaudio.InvalidChannelCount:
			return newError(ErrChannels, err, "%s cannot open %s and %s", name,
				plural(cfg.Inputs, "input", "inputs"), plural(cfg.Outputs, "output", "outputs"))
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

// jackUnusable tells whether this JACK stream's server went away, so that
// PortAudio must not be asked to start, stop or close it.
func (s *paStream) jackUnusable() bool {
	if !s.jack {
		return false
	}
	if s.lost.Load() || (s.watch != nil && C.watchDead(s.watch) != 0) {
		return true
	}
	pa.mu.Lock()
	defer pa.mu.Unlock()
	return pa.broken != nil
}

func (s *paStream) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return newError(ErrConfig, nil, "the stream on %s is closed", deviceName(s.info))
	case s.lost.Load():
		return s.err
	case s.running:
		return nil
	case s.jackUnusable():
		return newError(ErrDeviceLost, nil, "%s cannot start: the JACK server is gone", deviceName(s.info))
	}
	if err, hung := call("starting", s.info, s.st.Start); err != nil {
		if hung {
			setBroken(err, true)
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
// PortAudio no longer calls (Pa_IsStreamActive 0), or a JACK stream whose
// server went away, stopped on its own.
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
		jackGone := s.watch != nil && C.watchDead(s.watch) != 0
		inactive := s.ptr != nil && C.streamActive(s.ptr) == 0
		if !jackGone && !inactive {
			continue
		}
		reason := "it was disconnected or stopped working"
		if s.jack {
			reason = "the JACK server is gone"
			if !jackGone {
				reason = "the JACK server stopped calling Sangstudio"
			}
			// A JACK stream that stopped on its own can be neither
			// stopped nor closed, nor PortAudio terminated (see pa).
			setBroken(errJACKGone(), false)
		}
		s.err = newError(ErrDeviceLost, nil, "%s stopped: %s", deviceName(s.info), reason)
		s.lost.Store(true)
		s.doneOnce.Do(func() { close(s.done) })
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
	if s.jackUnusable() {
		// JACK's thread is gone: the callback is not called again, and
		// Pa_StopStream would wait ten minutes for it.
		s.frame.Load()
		return nil
	}
	err, hung := call("stopping", s.info, s.st.Stop)
	s.frame.Load() // pairs with the callback's Store: what it wrote is visible
	switch {
	case hung:
		setBroken(err, true)
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
	if s.jackUnusable() {
		return nil // left open on purpose: see pa
	}
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

func (s *paStream) Done() <-chan struct{} { return s.done }

func (s *paStream) Err() error {
	select {
	case <-s.done:
		return s.err
	default:
		return nil
	}
}
