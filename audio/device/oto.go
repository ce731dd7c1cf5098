package device

// The system sound output ("speakers"): a playback-only device opened
// through github.com/ebitengine/oto/v3, which on Linux plays to ALSA's
// "default" PCM (PipeWire, PulseAudio, or a sound card through dmix,
// whatever the system routes "default" to). Sangstudio plays finished
// files through it, and the app falls back to it when no PortAudio device
// can be opened.
//
// oto allows one context per process, with a fixed sample rate and channel
// count, and cannot close it. So this file keeps process-wide state of its
// own (the second place in this package, after pa.go): the context is
// created by the first Open of "speakers", at that Open's rate, in stereo,
// and lives until the process ends. A later Open at another rate is refused
// (ErrUnsupportedRate); if the context could not start, every later Open
// returns the same error (oto cannot be retried in the same process).
//
// oto pulls audio: each stream is an oto player whose source is an
// otoReader; oto's mixing goroutine calls its Read whenever the player's
// buffer runs low, and Read calls the Callback, one Buffer-sized chunk at a
// time, into preallocated memory.

/*
#cgo pkg-config: alsa
#include <stdlib.h>
#include <string.h>
#include <alsa/asoundlib.h>

// otoAlsaQuiet drops ALSA's messages ("cannot find card '0'") while the
// configuration is probed or oto opens "default": on a machine without a
// sound card they are expected, and the error returned says it in plain
// words.
static void otoAlsaQuiet(const char *file, int line, const char *function, int err, const char *fmt, ...) {}

static void otoQuiet(int q) { snd_lib_error_set_handler(q ? otoAlsaQuiet : NULL); }

// otoDefaultPCM looks up the PCM "default" in ALSA's configuration
// (evaluating it, as snd_pcm_open would, but opening nothing): 1 if it is
// defined, 0 if it is a "null" PCM (which discards the sound), or a
// negative ALSA error if it is not defined or cannot be evaluated (the
// card it names is missing).
static int otoDefaultPCM(void) {
	snd_config_t *top = NULL, *conf = NULL, *type = NULL;
	const char *t = NULL;
	int err = snd_config_update_ref(&top);
	if (err < 0) return err;
	err = snd_config_search_definition(top, "pcm", "default", &conf);
	if (err < 0) {
		snd_config_unref(top);
		return err;
	}
	int ok = 1;
	if (snd_config_search(conf, "type", &type) >= 0 && snd_config_get_string(type, &t) >= 0 && strcmp(t, "null") == 0) ok = 0;
	snd_config_delete(conf);
	snd_config_unref(top);
	return ok;
}
*/
import "C"

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ebitengine/oto/v3"
)

// SpeakersID is the ID of the system sound output: a playback-only device
// (no inputs, 2 outputs, 44100, 48000 or 96000 Hz) that plays through
// github.com/ebitengine/oto/v3 to whatever the system routes its default
// sound output to (ALSA's "default" PCM on Linux: PipeWire, PulseAudio or
// a sound card). It serves to play finished files, and as the output when
// no PortAudio device can be opened. Default never picks it.
//
// List includes it, last, when ALSA's configuration defines a PCM
// "default" that is not a "null" PCM (a cheap check of the configuration
// that opens nothing, so the device may still fail to open: the sound
// server is not running, the card is busy); or, once it has been opened,
// as long as it works. When PortAudio cannot be used, List keeps its
// promise of the virtual device alone; Open(SpeakersID) still works then
// (that is when the app falls back to it).
//
// oto allows one context (one output) per process, at one sample rate,
// for as long as the process runs: the first Open of this device fixes the
// rate (Config.Rate, or 48000 Hz when 0), later Opens with Rate 0 get the
// same rate, and an Open at another rate fails with an error wrapping
// ErrUnsupportedRate. So open it with Rate 0 and resample, unless there is
// a reason not to: desktop sound servers run at 48000 Hz, and ALSA's own
// rate conversion may refuse oto's buffer size (in the test environment,
// plug into the jack PCM does at 44100 Hz). Several streams may be open
// at once (oto mixes them). If the system sound output cannot start, Open
// fails with an error wrapping ErrDeviceBusy, and so does every later Open
// in the same process (oto cannot try again).
//
// Its streams call the callback from one of oto's goroutines (not a
// real-time thread), in bursts as oto's buffer drains, at real-time pace on
// average. Stop returns at once (it waits for a callback in progress
// only); the sound already handed to the system (OutputLatency: about
// 0.15 s) still plays out after it. Close lets that sound play out too, so
// that closing a stream at the end of a song does not cut its last tenth
// of a second: it returns within about 0.12 s. oto does not report
// underruns: Xruns stays 0. A stream stops on its own (Done, ErrDeviceLost)
// if ALSA reports an error, or if the system stops taking sound for 3 s.
const SpeakersID = "speakers"

// SpeakersName is the system sound output's Info.Name.
const SpeakersName = "System sound output (playback only, no recording)"

// speakersHostAPI is the system sound output's Info.HostAPI. It is not
// the name of a PortAudio host API ("ALSA"), so that Find("alsa") still
// means PortAudio's ALSA devices when there are some.
const speakersHostAPI = "ALSA via oto"

// The oto pipeline's sizes and times.
const (
	// otoALSAPeriod is oto's ALSA period (its default, for a context made
	// without BufferSize); its ALSA buffer holds two.
	otoALSAPeriod = 1024
	// otoTimeout bounds the wait for oto to open the ALSA device.
	otoTimeout = 5 * time.Second
	// otoStall: a started stream whose Read is not called for this long
	// stopped on its own (the system no longer takes sound).
	otoStall = 3 * time.Second
)

// otoDefaultRate is the rate the context is created at when the first
// Open asks for Rate 0.
const otoDefaultRate = 48000

// speakers is the process-wide oto state. ctx is created once, by the
// first successful Open of SpeakersID; err is set, for good, when oto
// could not start.
var speakers struct {
	mu   sync.Mutex
	ctx  *oto.Context
	rate int
	err  error
}

// speakersInfo describes the system sound output.
func speakersInfo() Info {
	speakers.mu.Lock()
	rate := speakers.rate
	speakers.mu.Unlock()
	if rate == 0 {
		rate = otoDefaultRate
	}
	return Info{
		ID:                SpeakersID,
		Name:              SpeakersName,
		HostAPI:           speakersHostAPI,
		Inputs:            0,
		Outputs:           2,
		DefaultRate:       rate,
		DefaultLowLatency: float64(otoPlayerFrames(rate, DefaultBuffer)+2*otoALSAPeriod) / float64(rate),
	}
}

// speakersListed tells whether List should include the system sound
// output: while its context works, yes; once it failed, no; before it was
// opened, if ALSA's configuration defines a usable "default" PCM.
func speakersListed() bool {
	speakers.mu.Lock()
	ctx, failed := speakers.ctx, speakers.err != nil
	speakers.mu.Unlock()
	switch {
	case failed:
		return false
	case ctx != nil:
		return ctx.Err() == nil
	}
	// pa.mu: ALSA's error handler is process-wide, and pa.go sets it while
	// PortAudio initialises.
	pa.mu.Lock()
	defer pa.mu.Unlock()
	C.otoQuiet(1)
	defer C.otoQuiet(0)
	return C.otoDefaultPCM() == 1
}

// otoPlayerFrames is the size of an oto player's buffer for a stream: about
// 0.1 s, and room for two ALSA periods and a stream buffer, so that oto's
// mixing goroutine refills it before ALSA runs dry.
func otoPlayerFrames(rate, buffer int) int {
	return max(rate/10, 2*otoALSAPeriod+buffer)
}

// otoContext returns the process's oto context at rate, creating it on
// first use.
func otoContext(info Info, rate int) (*oto.Context, error) {
	speakers.mu.Lock()
	defer speakers.mu.Unlock()
	name := deviceName(info)
	if speakers.err != nil {
		return nil, speakers.err
	}
	if speakers.ctx == nil {
		ctx, err := otoStart(name, rate)
		if err != nil {
			speakers.err = err
			return nil, err
		}
		speakers.ctx, speakers.rate = ctx, rate
	}
	if err := speakers.ctx.Err(); err != nil {
		return nil, newError(ErrDeviceLost, err, "%s stopped working (%v); restart Sangstudio to use it again", name, err)
	}
	if rate != speakers.rate {
		return nil, newError(ErrUnsupportedRate, nil,
			"%s already runs at %d Hz and cannot also run at %d Hz: it keeps the rate it was first opened at until Sangstudio restarts",
			name, speakers.rate, rate)
	}
	return speakers.ctx, nil
}

// otoStart creates the oto context and waits until it has opened ALSA's
// device. Its errors are for good: oto cannot make a second context.
func otoStart(name string, rate int) (*oto.Context, error) {
	pa.mu.Lock() // see speakersListed
	defer pa.mu.Unlock()
	C.otoQuiet(1)
	defer C.otoQuiet(0)
	ctx, ready, err := oto.NewContext(&oto.NewContextOptions{SampleRate: rate, ChannelCount: 2, Format: oto.FormatFloat32LE})
	if err != nil {
		return nil, newError(ErrDeviceBusy, err, "%s cannot be used: another part of Sangstudio already opened it its own way (%v)", name, err)
	}
	select {
	case <-ready:
	case <-time.After(otoTimeout):
		return nil, newError(ErrDeviceBusy, nil, "%s did not answer within %v (is the sound system hanging?); restart Sangstudio to try again", name, otoTimeout)
	}
	if err := ctx.Err(); err != nil {
		why := "no sound card or sound server took it"
		if !strings.Contains(err.Error(), "snd_pcm_open") {
			why = fmt.Sprintf("the sound system refused to play stereo at %d Hz", rate)
		}
		return nil, newError(ErrDeviceBusy, err, "%s could not be opened: %s (%v); restart Sangstudio to try again", name, why, err)
	}
	return ctx, nil
}

// otoOpen opens a stream on the system sound output; cfg's buffer size and
// rate (if not 0) are valid.
func otoOpen(cfg Config, cb Callback) (Stream, error) {
	info := speakersInfo()
	if err := checkChannels(info, cfg); err != nil {
		return nil, err
	}
	rate := cfg.Rate
	if rate == 0 {
		rate = info.DefaultRate
	}
	ctx, err := otoContext(info, rate)
	if err != nil {
		return nil, err
	}
	info.DefaultRate = rate
	s := &otoStream{
		info:   info,
		rate:   rate,
		buffer: cfg.Buffer,
		frames: otoPlayerFrames(rate, cfg.Buffer),
		r:      newOtoReader(cb, cfg.Outputs, cfg.Buffer),
		ctx:    ctx,
	}
	s.ending.init()
	s.player = ctx.NewPlayer(s.r)
	s.player.SetBufferSize(s.frames * otoFrameBytes)
	// The player plays from now on: silence until Start.
	s.player.Play()
	return s, nil
}

// otoFrameBytes is the size of a frame in oto's format: 2 channels of
// float32.
const otoFrameBytes = 8

// otoReader is the source of an oto player: its Read calls the callback,
// one buffer at a time, and hands oto the result, interleaved, as
// little-endian float32. Read does not allocate.
//
// Read is called by oto's goroutines. busy keeps two calls from
// overlapping (oto does not promise that), and lets Stop wait for a
// callback in progress: Read sets busy, then checks running; Stop clears
// running, then waits until busy is clear.
type otoReader struct {
	cb     Callback
	buffer int
	in     [][]float32 // no inputs
	out    [][]float32 // one per opened output, buffer frames
	inter  []float32   // the last callback's output, interleaved stereo
	pos    int         // the next sample of inter to hand to oto

	frame    atomic.Int64
	running  atomic.Bool
	closed   atomic.Bool
	busy     atomic.Bool
	lastRead atomic.Int64 // time of the last Read, in Unix nanoseconds
}

func newOtoReader(cb Callback, outputs, buffer int) *otoReader {
	r := &otoReader{
		cb:     cb,
		buffer: buffer,
		in:     [][]float32{},
		out:    make([][]float32, outputs),
		inter:  make([]float32, 2*buffer),
	}
	for c := range r.out {
		r.out[c] = make([]float32, buffer)
	}
	r.pos = len(r.inter)
	return r
}

// Read fills p with whole frames: first what is left of the last
// callback's output, then, if the stream runs, one more callback's. A
// stopped stream gives silence; a closed one, io.EOF (after what is left).
func (r *otoReader) Read(p []byte) (int, error) {
	if !r.busy.CompareAndSwap(false, true) {
		return 0, nil
	}
	defer r.busy.Store(false)
	if r.closed.Load() && r.pos == len(r.inter) {
		return 0, io.EOF
	}
	r.lastRead.Store(time.Now().UnixNano())
	lim := len(p) &^ (otoFrameBytes - 1)
	n := 0
	called := false
	for n < lim {
		if r.pos == len(r.inter) {
			if called || !r.running.Load() {
				break
			}
			r.fill()
			called = true
		}
		k := min((lim-n)/4, len(r.inter)-r.pos)
		for i, v := range r.inter[r.pos : r.pos+k] {
			binary.LittleEndian.PutUint32(p[n+4*i:], math.Float32bits(v))
		}
		n += 4 * k
		r.pos += k
	}
	if n == 0 {
		clear(p[:lim])
		n = lim
	}
	return n, nil
}

// fill calls the callback and interleaves its output (mono goes to both
// channels).
func (r *otoReader) fill() {
	st := Status{Frame: r.frame.Load()}
	r.cb(r.in, r.out, st)
	r.frame.Store(st.Frame + int64(r.buffer))
	l, rt := r.out[0], r.out[0]
	if len(r.out) > 1 {
		rt = r.out[1]
	}
	d := r.inter
	for i := range r.buffer {
		d[2*i] = l[i]
		d[2*i+1] = rt[i]
	}
	r.pos = 0
}

// stop makes Read stop calling the callback and waits (up to limit) for a
// call in progress; it reports whether that call ended.
func (r *otoReader) stop(limit time.Duration) bool {
	r.running.Store(false)
	t0 := time.Now()
	for r.busy.Load() {
		if time.Since(t0) > limit {
			return false
		}
		time.Sleep(100 * time.Microsecond)
	}
	r.frame.Load() // pairs with fill's Store: what the callback wrote is visible
	return true
}

// otoStream is a stream on the system sound output.
type otoStream struct {
	info   Info
	rate   int
	buffer int
	frames int // the oto player's buffer
	r      *otoReader
	ctx    *oto.Context
	player *oto.Player

	mu        sync.Mutex // serialises Start, Stop and Close
	running   bool
	closed    bool
	stoppedAt time.Time // when the stream last stopped
	stopWatch chan struct{}
	watchDone chan struct{}

	ending
	err error // set before done is closed
}

func (s *otoStream) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return newError(ErrConfig, nil, "the stream on %s is closed", deviceName(s.info))
	case s.Err() != nil:
		return s.Err()
	case s.running:
		return nil
	}
	if err := s.ctx.Err(); err != nil {
		return newError(ErrDeviceLost, err, "%s stopped working (%v); restart Sangstudio to use it again", deviceName(s.info), err)
	}
	s.r.lastRead.Store(time.Now().UnixNano())
	s.r.running.Store(true)
	s.running = true
	s.stopWatch = make(chan struct{})
	s.watchDone = make(chan struct{})
	go s.watch(s.stopWatch, s.watchDone)
	return nil
}

// watch ends the stream if oto reports an error, or stops asking for sound.
func (s *otoStream) watch(stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		var err error
		if e := s.ctx.Err(); e != nil {
			err = newError(ErrDeviceLost, e, "%s stopped: the sound system reported an error (%v)", deviceName(s.info), e)
		} else if idle := time.Since(time.Unix(0, s.r.lastRead.Load())); idle > otoStall {
			err = newError(ErrDeviceLost, nil, "%s stopped: the sound system took no sound for %.0f s", deviceName(s.info), idle.Seconds())
		}
		if err != nil {
			s.r.running.Store(false)
			s.end(err)
			return
		}
	}
}

func (s *otoStream) Stop() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stopLocked()
}

func (s *otoStream) stopLocked() error {
	if !s.running {
		return nil
	}
	s.running = false
	s.stoppedAt = time.Now()
	close(s.stopWatch)
	<-s.watchDone
	if !s.r.stop(paTimeout) {
		return newError(ErrDeviceLost, nil, "%s did not stop: the callback did not return within %v", deviceName(s.info), paTimeout)
	}
	return nil
}

func (s *otoStream) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	err := s.stopLocked()
	s.closed = true
	s.r.closed.Store(true)
	// Read returns io.EOF from now on: oto plays what it holds of the
	// sound made before Stop (the end of a song), then pauses the player.
	// Wait for that, at most for as long as that sound lasts (nothing, if
	// the stream stopped long ago). Pause then makes sure, and oto closes
	// the player (removes it from its mixer) once it is garbage collected:
	// its Close is a no-op.
	left := time.Duration(s.frames)*time.Second/time.Duration(s.rate) + 20*time.Millisecond - time.Since(s.stoppedAt)
	for deadline := time.Now().Add(left); time.Now().Before(deadline) && s.player.IsPlaying(); {
		time.Sleep(5 * time.Millisecond)
	}
	s.player.Pause()
	s.player = nil
	return err
}

func (s *otoStream) Info() Info         { return s.info }
func (s *otoStream) Rate() int          { return s.rate }
func (s *otoStream) Buffer() int        { return s.buffer }
func (s *otoStream) InputLatency() int  { return 0 }
func (s *otoStream) OutputLatency() int { return s.frames + 2*otoALSAPeriod }
func (s *otoStream) Xruns() int64       { return 0 }
