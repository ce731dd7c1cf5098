package session

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"sangstudio/audio/calibrate"
	"sangstudio/audio/device"
	"sangstudio/audio/engine"
	"sangstudio/midi/input"
)

// LiveConfig says which device the live audio runs on.
type LiveConfig struct {
	// Device is the device to open. Device.Device "" is the default one;
	// Inputs 0 opens every input the device has (up to MaxInputs), so
	// that any track can be armed on any input without reopening;
	// Outputs 0 opens two. Device.Rate is ignored: the stream runs at the
	// attached song's rate.
	Device device.Config
	// Fallback: when the chosen device cannot be opened, the system's
	// sound output (playing only) or the virtual device is used instead,
	// and Status.Fallback says why, so the window always has a transport.
	Fallback bool
	// MIDIPorts chooses the MIDI keyboards armed MIDI tracks listen to, as
	// input.Find takes it: "" or "all" for every port (keyboards plugged
	// in later included).
	MIDIPorts string
	// NoMIDIInput leaves MIDI input closed (the caller feeds the engine's
	// MIDIIn itself).
	NoMIDIInput bool
	// Keep is how long the inputs of armed tracks (and the keyboard) are
	// kept in memory for Keep ("Keep that"); 0 keeps nothing.
	Keep time.Duration
	// Latency, when 0 or more, is the compensation in frames for new
	// takes; -1 (the usual) uses the stream's reported input and output
	// latency plus the device's calibrated offset (Calibration).
	Latency int64
	// Calibration gives the offset measured for a device at a rate; nil
	// uses the store `sangstudio calibrate` and the settings write.
	Calibration func(deviceID string, rate int) (int64, bool)
	// Reconnect is how often a lost device is tried again (0: every second).
	Reconnect time.Duration
}

// MaxInputs bounds the inputs a stream opens (a big interface's 64 inputs
// would cost every buffer for nothing).
const MaxInputs = 32

// Status describes the device the live audio runs on.
type Status struct {
	Device  string // the device's name ("" while none is open)
	ID      string // the device's ID
	Virtual bool   // the virtual device: no sound is heard, nothing real is recorded
	Inputs  int    // input channels open
	Rate    int
	Buffer  int   // frames
	Latency int64 // compensation for new takes, frames
	// Fallback says why the chosen device is not the one in use ("" if it is).
	Fallback string
	// Lost says the device stopped on its own (unplugged, its server gone):
	// Sangstudio opens it again by itself when it is back. nil otherwise.
	Lost error
	// Reconnects counts the times the device came back after it was lost.
	Reconnects int
	Xruns      int64 // buffers the device reported late or lost, since it opened
}

// Live is the audio device as a running app uses it: one stream, opened
// once and kept open while songs are opened, edited, closed and switched,
// with its engine and the engine's butler, and the MIDI keyboards. It is
// reopened only when its configuration changes (Reconfigure), when a song
// at another sample rate is attached (while nothing records), or when the
// device is lost (then by itself, once the device is back). One song at a
// time is attached to it (Attach).
//
// Its methods may be called from any goroutine except the audio thread;
// they may wait for the device (opening, closing): the window calls them
// from its worker, never from the UI thread.
type Live struct {
	mu     sync.Mutex
	cfg    LiveConfig
	stream device.Stream
	e      *engine.Engine
	b      *engine.Butler
	stopB  context.CancelFunc
	bDone  chan error
	status Status // l.mu; published to statA by setStatus

	// What other goroutines read without waiting (the UI thread's meters
	// and status line, the MIDI listener): copies of the above.
	eng   atomic.Pointer[engine.Engine]
	but   atomic.Pointer[engine.Butler]
	str   atomic.Pointer[device.Stream]
	statA atomic.Pointer[Status]
	song  *Session // attached
	// earlier are takes an engine finished before it was replaced.
	earlier []engine.Recorded
	closed  bool
	paused  bool

	watchStop chan struct{} // closes to end the current stream's watcher
	midi      *input.Listener
	midiErr   error
	lost      chan struct{} // closed when the device is lost (and made anew on reconnect)
	onChange  func()
}

// OpenLive opens the device cfg names at the given rate (0: the device's
// own rate, else 48000 Hz) and starts its stream, playing silence until a
// song is attached.
func OpenLive(cfg LiveConfig, rate int) (*Live, error) {
	l := &Live{cfg: cfg}
	l.statA.Store(&Status{})
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.openLocked(rate); err != nil {
		return nil, err
	}
	return l, nil
}

// OnChange sets a function called (on some goroutine) whenever Status
// changes on its own: the device lost, back again.
func (l *Live) OnChange(f func()) {
	l.mu.Lock()
	l.onChange = f
	l.mu.Unlock()
}

// Engine is the engine now running (it changes when the device is reopened
// at another rate). It never returns nil, and never waits.
func (l *Live) Engine() *engine.Engine { return l.eng.Load() }

// butler is the butler now running (never waits).
func (l *Live) butler() *engine.Butler { return l.but.Load() }

// Status describes the device now. It never waits (the window's status
// line reads it on the UI thread).
func (l *Live) Status() Status {
	s := *l.statA.Load()
	if st := l.Stream(); st != nil {
		s.Xruns = st.Xruns()
	}
	return s
}

// setStatusLocked publishes l.status.
func (l *Live) setStatusLocked() {
	s := l.status
	l.statA.Store(&s)
}

// setStreamLocked makes s the stream (nil: none).
func (l *Live) setStreamLocked(s device.Stream) {
	l.stream = s
	if s == nil {
		l.str.Store(nil)
	} else {
		l.str.Store(&s)
	}
}

// Stream is the open device stream (nil while the device is lost or
// paused). It never waits.
func (l *Live) Stream() device.Stream {
	if p := l.str.Load(); p != nil {
		return *p
	}
	return nil
}

// MIDIErr says why MIDI input is not available (no MIDI system, an
// ambiguous choice of port), or nil. A port that is not there yet is not
// an error: it is opened when it appears.
func (l *Live) MIDIErr() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.midiErr
}

// MIDIPorts lists the MIDI keyboards being listened to now.
func (l *Live) MIDIPorts() []input.Port {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.midi == nil {
		return nil
	}
	return l.midi.Ports()
}

// listenMIDI starts listening to the keyboards (once a MIDI track is armed).
func (l *Live) listenMIDILocked() {
	if l.midi != nil || l.midiErr != nil || l.cfg.NoMIDIInput {
		return
	}
	// No keyboard is not fatal: the song still plays and records audio;
	// MIDIErr tells the user why the keyboard is silent.
	l.midi, l.midiErr = input.Listen(input.Config{Select: l.cfg.MIDIPorts,
		OnEvent: func(ev input.Event) { l.eng.Load().MIDIIn(ev.Msg) }})
}

// openLocked opens the stream at rate, building a new engine unless the
// current one runs at that rate, falling back as the configuration says.
func (l *Live) openLocked(rate int) error {
	cfg := l.cfg.Device
	if cfg.Device == "" {
		d, err := device.Default()
		if err != nil {
			return err
		}
		cfg.Device = d.ID
	}
	stream, fallback, err := l.openStream(cfg, rate)
	if err != nil {
		return err
	}
	l.startLocked(stream, fallback)
	return nil
}

// openStream opens cfg at rate with a callback that runs whichever engine
// is current, falling back to the virtual device (or, when nothing is to
// be recorded, the system's sound output) if allowed.
func (l *Live) openStream(cfg device.Config, rate int) (device.Stream, string, error) {
	cb := func(in, out [][]float32, st device.Status) {
		l.eng.Load().Process(in, out, st.InputOverflow || st.OutputUnderflow)
	}
	try := func(c device.Config) (device.Stream, error) {
		c.Rate = rate
		if c.Outputs == 0 {
			c.Outputs = 2
		}
		if c.Inputs == 0 {
			info, err := device.Find(c.Device)
			if err == nil {
				c.Inputs = min(info.Inputs, MaxInputs)
				c.Outputs = min(c.Outputs, max(info.Outputs, 1))
			}
		}
		return device.Open(c, cb)
	}
	// The engine must exist before the stream can call it.
	if e := l.eng.Load(); e == nil || (rate != 0 && e.Rate() != rate) {
		l.newEngine(max(rate, 1))
	}
	stream, err := try(cfg)
	if err == nil || !l.cfg.Fallback || cfg.Device == device.VirtualID || errors.Is(err, device.ErrChannels) {
		return stream, "", err
	}
	first := err
	ids := []string{device.VirtualID}
	if !l.recordsAudio() && cfg.Device != device.SpeakersID {
		ids = []string{device.SpeakersID, device.VirtualID}
	}
	for _, id := range ids {
		c := cfg
		c.Device, c.Inputs = id, 0
		if stream, err = try(c); err == nil {
			return stream, first.Error(), nil
		}
	}
	return nil, "", first
}

// recordsAudio reports whether the attached song has an armed audio track.
func (l *Live) recordsAudio() bool {
	if l.song == nil {
		return false
	}
	for _, a := range l.song.arms {
		if t := l.song.song.TrackByID(a.key); t >= 0 && !l.song.song.Tracks[t].IsMIDI() {
			return true
		}
	}
	return false
}

// newEngine replaces the engine (and its butler) with one at rate.
func (l *Live) newEngine(rate int) {
	if l.stopB != nil {
		l.stopB()
		<-l.bDone
	}
	if l.b != nil {
		// Takes it finished (the device was lost while recording) are
		// still to be placed.
		l.earlier = append(l.earlier, l.b.TakeRecorded()...)
		l.b.Close()
	}
	l.e = engine.New(engine.Config{Rate: rate})
	l.b = engine.NewButler(l.e)
	l.eng.Store(l.e)
	l.but.Store(l.b)
	ctx, cancel := context.WithCancel(context.Background())
	l.stopB, l.bDone = cancel, make(chan error, 1)
	b, done := l.b, l.bDone
	go func() { done <- b.Run(ctx) }()
}

// startLocked makes stream the running stream: the engine gets the stream's
// true rate (a device may run at another than asked), the song attached is
// given to the engine again if the engine is new, the stream starts and a
// watcher waits for it to stop on its own.
func (l *Live) startLocked(stream device.Stream, fallback string) {
	if l.e.Rate() != stream.Rate() {
		l.newEngine(stream.Rate())
	}
	l.setStreamLocked(stream)
	info := stream.Info()
	lat := int64(stream.InputLatency() + stream.OutputLatency())
	if info.Virtual {
		lat = 0
	} else if off, ok := l.calibration(info.ID, stream.Rate()); ok {
		lat += off
	}
	if l.cfg.Latency >= 0 {
		lat = l.cfg.Latency
	}
	inputs := l.cfg.Device.Inputs
	if inputs == 0 {
		inputs = min(info.Inputs, MaxInputs)
	}
	l.status = Status{Device: info.Name, ID: info.ID, Virtual: info.Virtual, Inputs: inputs,
		Rate: stream.Rate(), Buffer: stream.Buffer(), Latency: lat, Fallback: fallback,
		Reconnects: l.status.Reconnects}
	l.e.Reset() // no stream runs it now
	if l.song != nil && l.song.engine.Load() != l.e {
		// A new engine (another rate) plays nothing yet: the song goes to
		// it, every track read anew, as soon as the session may (not under
		// l.mu: an Update may be waiting for it).
		go l.song.republish()
	}
	if err := stream.Start(); err != nil {
		stream.Close()
		l.setStreamLocked(nil)
		l.status.Lost = err
		l.setStatusLocked()
		l.lost = make(chan struct{})
		close(l.lost)
		go l.reconnect(l.lost)
		return
	}
	l.setStatusLocked()
	l.watchStop = make(chan struct{})
	l.lost = make(chan struct{})
	go l.watch(stream, l.watchStop, l.lost)
}

// calibration is the offset measured for a device at a rate.
func (l *Live) calibration(id string, rate int) (int64, bool) {
	if l.cfg.Calibration != nil {
		return l.cfg.Calibration(id, rate)
	}
	return calibrate.DefaultStore().Offset(id, rate)
}

// watch waits for the stream to stop on its own: then the takes are kept
// up to the loss, the status says what happened, and the device is tried
// again until it is back.
func (l *Live) watch(stream device.Stream, stop, lost chan struct{}) {
	select {
	case <-stop:
		return
	case <-stream.Done():
	}
	l.mu.Lock()
	if l.stream != stream {
		l.mu.Unlock()
		return
	}
	l.b.EndTakes()
	l.e.Reset() // its audio thread is gone: the transport stops
	l.status.Lost = stream.Err()
	if l.status.Lost == nil {
		l.status.Lost = fmt.Errorf("the audio device %q stopped", l.status.Device)
	}
	l.setStreamLocked(nil)
	l.setStatusLocked()
	close(lost)
	notify := l.onChange
	l.mu.Unlock()
	stream.Close()
	if notify != nil {
		notify()
	}
	l.reconnect(lost)
}

// reconnect tries the lost device again until it opens (or the live audio
// is closed, paused or reconfigured meanwhile: lost is then replaced).
func (l *Live) reconnect(lost chan struct{}) {
	every := l.cfg.Reconnect
	if every <= 0 {
		every = time.Second
	}
	for {
		time.Sleep(every)
		l.mu.Lock()
		if l.closed || l.paused || l.lost != lost || l.stream != nil {
			l.mu.Unlock()
			return
		}
		cfg := l.cfg.Device
		cfg.Device = l.status.ID
		if cfg.Device == "" {
			cfg.Device = l.cfg.Device.Device
		}
		stream, err := l.openExact(cfg, l.e.Rate())
		if err != nil {
			l.mu.Unlock()
			continue
		}
		l.status.Reconnects++
		l.startLocked(stream, "")
		notify := l.onChange
		l.mu.Unlock()
		if notify != nil {
			notify()
		}
		return
	}
}

// openExact opens cfg at rate without falling back.
func (l *Live) openExact(cfg device.Config, rate int) (device.Stream, error) {
	fb := l.cfg.Fallback
	l.cfg.Fallback = false
	s, _, err := l.openStream(cfg, rate)
	l.cfg.Fallback = fb
	return s, err
}

// Lost is closed when the device is lost (a new channel after each reopen).
func (l *Live) Lost() <-chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lost
}

// closeStreamLocked stops the stream (not its engine).
func (l *Live) closeStreamLocked() {
	if l.watchStop != nil {
		close(l.watchStop)
		l.watchStop = nil
	}
	if l.stream != nil {
		l.stream.Close()
		l.setStreamLocked(nil)
	}
	l.lost = nil // a reconnect in flight gives up
}

// Reconfigure opens another device (or the same with another buffer or
// inputs): Settings. A recording is finished first (its takes are kept and
// come out of the attached song's Finished). The song stays attached.
func (l *Live) Reconfigure(cfg LiveConfig) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.finishRecordingLocked()
	l.closeStreamLocked()
	reconnects := l.status.Reconnects
	l.cfg = cfg
	l.status = Status{Reconnects: reconnects}
	return l.openLocked(l.e.Rate())
}

// finishRecordingLocked stops the transport and waits (briefly) until the
// takes are written.
func (l *Live) finishRecordingLocked() {
	if l.stream == nil {
		l.b.EndTakes()
		return
	}
	l.e.Stop()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) && (l.b.Recording() || l.e.State() != engine.Stopped) {
		select {
		case <-l.stream.Done():
			deadline = time.Now()
		default:
			time.Sleep(5 * time.Millisecond)
		}
	}
	l.b.EndTakes()
}

// Pause closes the device so that something else can use it (the latency
// calibration); a recording is finished first. Resume opens it again.
func (l *Live) Pause() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.finishRecordingLocked()
	l.paused = true
	l.closeStreamLocked()
	l.status.Device = ""
	l.setStatusLocked()
}

// Resume opens the device again after Pause.
func (l *Live) Resume() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.paused {
		return nil
	}
	l.paused = false
	return l.openLocked(l.e.Rate())
}

// Close finishes any recording, detaches the song, and closes the device.
func (l *Live) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil
	}
	l.finishRecordingLocked()
	l.closed = true
	l.closeStreamLocked()
	if l.midi != nil {
		l.midi.Close()
		l.midi = nil
	}
	var err error
	if l.stopB != nil {
		l.stopB()
		err = <-l.bDone
		l.stopB = nil
		l.b.Close()
	}
	return err
}
