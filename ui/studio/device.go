package studio

import (
	"errors"
	"time"

	"sangstudio/audio/device"
	"sangstudio/audio/engine"
	"sangstudio/audio/session"
	"sangstudio/projects"
	"sangstudio/ui/uithread"
)

// AudioConfig says which device plays and records the songs.
type AudioConfig struct {
	Device      string // device ID ("" for the default)
	Buffer      int    // frames (0: 256)
	Calibration int64  // extra latency in frames (0: as measured by audio/calibrate for the device)
	MIDIIn      string // MIDI keyboards ("" for all)
	Click       bool   // metronome on while recording
	CountIn     int    // bars of count-in before recording
	// Keep is how much of what the armed tracks hear is kept in memory
	// for Keep that (0: nothing).
	Keep time.Duration
	// The virtual device's input, and Fast to run it faster than real
	// time (demos, and tests that pass them):
	VirtualInput device.VirtualSource
	Fast         bool
}

// AudioStatus describes the device the song runs on, for the status line.
type AudioStatus struct {
	Device   string // the device's name ("" while none is open)
	Virtual  bool   // the virtual device: no sound is heard, nothing real is recorded
	Starting bool   // the device is being opened
	Inputs   int    // input channels of the device
	Latency  int64  // compensation for new takes, frames
	Buffer   int    // frames
	Rate     int
	// Fallback says why the chosen device is not the one in use ("" if it is).
	Fallback string
	Err      error // why there is no device (nil when one is open or opening)
	// Lost says the device stopped on its own: Sangstudio reconnects when
	// it is back.
	Lost    error
	MIDIErr error // why the MIDI keyboard is silent, if it is
	// Keep is how much the armed inputs keep for Keep that (0: off), and
	// KeepBytes the memory that takes now.
	Keep      time.Duration
	KeepBytes int64
}

// Audio is the window's audio device: opened once, the first time a song
// needs it, and kept open while songs are opened, closed and switched
// (session.Live). It is reopened only when the settings change the
// device, the buffer or the inputs, for a song at another sample rate,
// and by itself after the device was lost and came back. Songs attach to
// it through their Studio.
//
// Its methods are called on the UI thread; the waiting (opening, closing,
// handing the song to the engine) is done on a worker goroutine of its
// own, and results come back through post.
type Audio struct {
	post uithread.Poster
	w    *worker
	cfg  AudioConfig

	live    *session.Live // UI thread: set once opened
	opening bool
	err     error
	paused  bool
	studio  *Studio // the song attached (or being attached)

	// The worker's own view: jobs queued after the opening find the
	// device here (the UI thread's fields are set later, by a post).
	wlive *session.Live
	werr  error
}

// NewAudio makes the window's audio device; nothing is opened until a song
// needs it. post runs a function on the UI thread.
func NewAudio(cfg AudioConfig, post uithread.Poster) *Audio {
	return &Audio{post: post, w: newWorker(), cfg: cfg}
}

// Config is the configuration in use.
func (a *Audio) Config() AudioConfig { return a.cfg }

// liveConfig is the session's configuration for cfg.
func liveConfig(cfg AudioConfig) session.LiveConfig {
	lc := session.LiveConfig{
		Device:    device.Config{Device: cfg.Device, Buffer: cfg.Buffer, VirtualInput: cfg.VirtualInput, Fast: cfg.Fast},
		Fallback:  true,
		MIDIPorts: cfg.MIDIIn,
		Keep:      cfg.Keep,
		Latency:   -1,
	}
	if cfg.Calibration != 0 {
		cal := cfg.Calibration
		lc.Calibration = func(string, int) (int64, bool) { return cal, true }
	}
	return lc
}

// Status describes the device for the status line. It never waits.
func (a *Audio) Status() AudioStatus {
	s := AudioStatus{Starting: a.opening, Err: a.err, Keep: a.cfg.Keep}
	if a.live == nil || a.paused {
		return s
	}
	ls := a.live.Status()
	s.Device, s.Virtual, s.Inputs, s.Latency = ls.Device, ls.Virtual, ls.Inputs, ls.Latency
	s.Buffer, s.Rate, s.Fallback, s.Lost = ls.Buffer, ls.Rate, ls.Fallback, ls.Lost
	s.MIDIErr = a.live.MIDIErr()
	if a.studio != nil && s.Keep > 0 {
		s.KeepBytes = session.KeepBytes(a.studio.keptInputs(), ls.Rate, s.Keep)
	}
	return s
}

// engine is the running engine, or nil.
func (a *Audio) engine() *engine.Engine {
	if a.live == nil || a.paused {
		return nil
	}
	return a.live.Engine()
}

// Configure changes the device (Settings): the stream is reopened with the
// new configuration (a recording is finished first and its takes kept);
// the song stays attached. Only a change of device, buffer or MIDI
// keyboard reopens anything.
func (a *Audio) Configure(cfg AudioConfig, done func(error)) {
	old := a.cfg
	a.cfg = cfg
	if (a.live == nil && !a.opening) || (old.Device == cfg.Device && old.Buffer == cfg.Buffer && old.MIDIIn == cfg.MIDIIn &&
		old.Calibration == cfg.Calibration && old.Keep == cfg.Keep && old.VirtualInput == cfg.VirtualInput) {
		if done != nil {
			done(nil)
		}
		return
	}
	a.opening = true
	a.w.do(func() {
		err := a.wlive.Reconfigure(liveConfig(cfg))
		a.post(func() {
			a.opening = false
			a.err = err
			if a.studio != nil {
				a.studio.audioReopened()
			}
			if done != nil {
				done(err)
			}
		})
	})
}

// open opens the device for a song at rate, if it is not open, on the
// worker: jobs queued after it find a.live set (or a.err).
func (a *Audio) open(rate int) {
	if a.live != nil || a.opening {
		return
	}
	a.opening = true
	cfg := liveConfig(a.cfg)
	a.w.do(func() {
		live, err := session.OpenLive(cfg, rate)
		if err == nil {
			live.OnChange(func() { a.post(a.changed) })
		}
		a.wlive, a.werr = live, err
		a.post(func() {
			a.opening = false
			a.live, a.err = live, err
			if a.studio != nil {
				a.studio.audioOpened(err)
			}
		})
	})
}

// changed is called on the UI thread when the device was lost or came back.
func (a *Audio) changed() {
	if a.studio != nil {
		a.studio.deviceChanged()
	}
}

// Pause closes the device so that something else can use it (the latency
// calibration); a recording is finished first (its takes are kept). done
// is called on the UI thread once it is closed. Resume opens it again.
func (a *Audio) Pause(done func()) {
	a.paused = true
	a.w.do(func() {
		if a.wlive != nil {
			a.wlive.Pause()
		}
		a.post(func() {
			if a.studio != nil {
				a.studio.collect("Record")
			}
			done()
		})
	})
}

// Resume opens the device again after Pause.
func (a *Audio) Resume() {
	a.w.do(func() {
		var err error
		if a.wlive != nil {
			err = a.wlive.Resume()
		}
		a.post(func() {
			a.paused = false
			a.err = err
			if a.studio != nil {
				a.studio.audioReopened()
			}
		})
	})
}

// Close closes the device (the window is closing). Songs are closed first.
func (a *Audio) Close() error {
	var err error
	a.w.do(func() {
		if a.wlive != nil {
			err = a.wlive.Close()
		}
	})
	a.w.stop()
	return err
}

// ErrDeviceLost: the transport was used while the device is lost.
var ErrDeviceLost = errors.New("the audio device is not there: Sangstudio uses it again as soon as it is back")

// songCopy is an encoded copy of s for the worker.
func songCopy(s *projects.Song) (*projects.Song, error) {
	data, err := projects.Encode(s)
	if err != nil {
		return nil, err
	}
	return projects.Decode(data)
}
