package studio

import (
	"errors"
	"fmt"

	"sangstudio/audio/calibrate"
	"sangstudio/audio/device"
	"sangstudio/audio/engine"
	"sangstudio/audio/mix"
	"sangstudio/audio/session"
	"sangstudio/projects"
)

// AudioConfig says which device plays and records the song.
type AudioConfig struct {
	Device      string // device ID ("" for the default)
	Buffer      int    // frames (0: 256)
	Calibration int64  // extra latency in frames (0: as measured by audio/calibrate for the device)
	MIDIIn      string // MIDI keyboards ("" for all)
	Click       bool   // metronome on while recording
	CountIn     int    // bars of count-in before recording
	// For tests and demos on the virtual device:
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
	MIDIErr  error // why the MIDI keyboard is silent, if it is
}

type armInfo struct {
	inputs  []int // 0-based
	monitor bool
}

type audioState struct {
	cfg     AudioConfig
	sess    *session.Session // owned by the UI thread; closed on the worker
	song    *projects.Song   // the session's copy of the song
	status  AudioStatus
	opening bool
	gen     int // bumped when the song's structure or the arming changes
	sessGen int // gen the open session was built for

	arms    map[int]armInfo
	click   bool
	countIn int
	loop    struct {
		from, to int64
		on       bool
	}
	// wantPlay/wantRecord: a press of Play or Record waiting for the device.
	wantPlay, wantRecord bool
	finishing            bool // recording stopped; takes being placed
	// recorded: Record ran on this session, so its takes must be placed
	// when it stops (the engine may have stopped recording on its own).
	recorded bool
	pos      int64 // playhead while no session is open
	closed   bool
	paused   bool // PauseAudio: the device is left to someone else
}

func (a *audioState) stopped() bool {
	return !a.finishing && (a.sess == nil || a.sess.Engine().State() == engine.Stopped)
}

func (a *audioState) mixChanged(s *projects.Song) {
	if a.sess != nil && a.sessGen == a.gen {
		a.sess.Engine().SetMix(mix.Strips(s))
	}
}

// structureChanged notes that the running session no longer matches the
// song (clips, tracks, takes) and rebuilds it when the transport is
// stopped.
func (st *Studio) structureChanged() {
	st.rearm()
	st.audio.gen++
	st.ensureAudio()
}

// StartAudio opens the audio device for the song (on the worker) if it is
// not open yet. The window calls it when the song view is shown.
func (st *Studio) StartAudio() { st.ensureAudio() }

// Audio describes the device in use.
func (st *Studio) Audio() AudioStatus {
	s := st.audio.status
	s.Starting = st.audio.opening
	if st.audio.sess != nil {
		s.MIDIErr = st.audio.sess.MIDIErr()
	}
	return s
}

// SetAudioConfig changes the device (Settings); the session is reopened.
func (st *Studio) SetAudioConfig(c AudioConfig) {
	st.audio.cfg = c
	st.audio.click, st.audio.countIn = c.Click, c.CountIn
	st.audio.gen++
	st.ensureAudio()
}

// ensureAudio opens a session for the current song and arming unless one
// is open for it or being opened; a session for an older song is closed
// first, but only while the transport is stopped.
func (st *Studio) ensureAudio() {
	a := &st.audio
	if a.closed || a.paused || a.opening || a.finishing {
		return
	}
	if a.sess != nil {
		if a.sessGen == a.gen {
			return
		}
		if a.recorded {
			st.Stop() // places the takes, then reopens
			return
		}
		if a.sess.Engine().State() != engine.Stopped {
			return // rebuilt at the next Stop
		}
		a.pos = a.sess.Engine().Position()
		old := a.sess
		a.sess, a.song = nil, nil
		st.w.do(func() { old.Close() })
	}
	a.opening = true
	gen := a.gen
	data, err := projects.Encode(st.song)
	if err != nil {
		a.opening = false
		st.fail(err)
		return
	}
	cfg := a.cfg
	var arms []session.Arm
	for t, ai := range a.arms {
		arms = append(arms, session.Arm{Track: t, Inputs: ai.inputs, Monitor: ai.monitor})
	}
	dir := st.Dir
	st.changed(ChangedTransport)
	st.w.do(func() {
		s, _ := projects.Decode(data)
		sess, status, err := openSession(dir, s, cfg, arms, a.click)
		st.post(func() {
			a.opening = false
			if err != nil {
				a.status = AudioStatus{Err: err}
				a.wantPlay, a.wantRecord = false, false
				st.fail(err)
				st.changed(ChangedTransport)
				return
			}
			if a.closed {
				st.w.do(func() { sess.Close() })
				return
			}
			a.sess, a.song, a.sessGen, a.status = sess, s, gen, status
			e := sess.Engine()
			e.Locate(a.pos)
			e.SetClick(a.click)
			if a.loop.to > a.loop.from {
				e.SetLoop(a.loop.from, a.loop.to, a.loop.on)
			}
			if gen != a.gen {
				// The song or the arming changed meanwhile: open again,
				// keeping a Play or Record that waits for the device.
				st.ensureAudio()
			} else {
				e.SetMix(mix.Strips(st.song))
				rec, play := a.wantRecord, a.wantPlay
				a.wantPlay, a.wantRecord = false, false
				if rec {
					st.fail(st.Record())
				} else if play {
					st.Play()
				}
			}
			st.changed(ChangedTransport)
		})
	})
}

// openSession opens the song on the configured device, falling back to the
// virtual device (and saying why) when that cannot be opened, so the window
// always has a working transport.
func openSession(dir string, s *projects.Song, cfg AudioConfig, arms []session.Arm, click bool) (*session.Session, AudioStatus, error) {
	opt := session.Options{Arm: arms, Click: click, MIDIPorts: cfg.MIDIIn,
		Device: device.Config{Device: cfg.Device, Buffer: cfg.Buffer, VirtualInput: cfg.VirtualInput, Fast: cfg.Fast}}
	var fallback string
	if opt.Device.Device == "" {
		if d, err := device.Default(); err == nil {
			opt.Device.Device = d.ID
		}
	}
	sess, err := session.Open(dir, s, opt)
	if err != nil && opt.Device.Device != device.VirtualID && !errors.Is(err, device.ErrChannels) {
		// The chosen device cannot be opened (unplugged, busy): play
		// through the system's sound output when nothing records audio
		// (it has no inputs), else on the virtual device, and say why.
		first := err
		fallbacks := []string{device.VirtualID}
		if !recordsAudio(s, arms) && opt.Device.Device != device.SpeakersID {
			fallbacks = []string{device.SpeakersID, device.VirtualID}
		}
		for _, id := range fallbacks {
			opt.Device.Device = id
			if sess, err = session.Open(dir, s, opt); err == nil {
				fallback = first.Error()
				break
			}
		}
		if err != nil {
			err = first
		}
	}
	if err != nil {
		return nil, AudioStatus{}, err
	}
	stream := sess.Stream()
	cal := cfg.Calibration
	if cal == 0 {
		// The offset measured by the loopback calibration, in the window's
		// settings or with `sangstudio calibrate` (one store for both).
		cal, _ = calibrate.DefaultStore().Offset(stream.Info().ID, stream.Rate())
	}
	lat := int64(stream.InputLatency()+stream.OutputLatency()) + cal
	if stream.Info().Virtual {
		lat = 0
	}
	sess.SetLatency(lat)
	return sess, AudioStatus{Device: stream.Info().Name, Virtual: stream.Info().Virtual, Inputs: stream.Info().Inputs,
		Latency: lat, Buffer: stream.Buffer(), Rate: stream.Rate(), Fallback: fallback}, nil
}

// recordsAudio reports whether an armed track records audio inputs.
func recordsAudio(s *projects.Song, arms []session.Arm) bool {
	for _, a := range arms {
		if !s.Tracks[a.Track].IsMIDI() {
			return true
		}
	}
	return false
}

// State is engine.Stopped, engine.Playing or engine.Recording.
func (st *Studio) State() int {
	if st.audio.finishing {
		return engine.Stopped
	}
	if st.audio.sess == nil {
		return engine.Stopped
	}
	return st.audio.sess.Engine().State()
}

// Finishing reports whether a recording is being put on its tracks.
func (st *Studio) Finishing() bool { return st.audio.finishing }

// Position is the playhead, in frames (negative during a count-in).
func (st *Studio) Position() int64 {
	if st.audio.sess == nil {
		return st.audio.pos
	}
	return st.audio.sess.Engine().Position()
}

// TrackMeter gives track i's peak and held peak (linear); 0 when no audio runs.
func (st *Studio) TrackMeter(i int) (peak, hold float32) {
	a := &st.audio
	if a.sess == nil || a.sessGen != a.gen || i >= len(a.song.Tracks) {
		return 0, 0
	}
	return a.sess.Engine().TrackMeter(i)
}

// MasterMeter gives the master's peak and held peak (linear).
func (st *Studio) MasterMeter() (peak, hold float32) {
	if st.audio.sess == nil {
		return 0, 0
	}
	return st.audio.sess.Engine().MasterMeter()
}

// Play starts playback from the playhead (once the device is open).
func (st *Studio) Play() {
	a := &st.audio
	st.Commit()
	if a.finishing {
		return
	}
	if a.sess == nil || a.sessGen != a.gen {
		a.wantPlay = true
		st.ensureAudio()
		return
	}
	a.sess.Engine().Play()
	st.changed(ChangedTransport)
}

// ErrNothingArmed: Record was pressed with no track armed.
var ErrNothingArmed = errors.New("no track is ready to record: press a track's record button (the round one) first")

// Record starts recording the armed tracks at the playhead, after the
// count-in.
func (st *Studio) Record() error {
	a := &st.audio
	st.Commit()
	if a.finishing {
		return ErrBusy
	}
	if len(a.arms) == 0 {
		return ErrNothingArmed
	}
	if a.sess == nil || a.sessGen != a.gen {
		a.wantRecord = true
		st.ensureAudio()
		return nil
	}
	if a.sess.Engine().State() == engine.Playing {
		a.sess.Engine().Stop()
	}
	a.sess.Engine().Record(a.countIn)
	a.recorded = true
	st.changed(ChangedTransport)
	return nil
}

// TogglePlay plays when stopped and stops otherwise (the space bar).
func (st *Studio) TogglePlay() {
	if st.State() == engine.Stopped && !st.audio.wantPlay {
		st.Play()
	} else {
		st.Stop()
	}
}

// Stop stops playback; a recording is finished: its takes are put on their
// tracks (one undo step, "Record") and saved, on the worker.
func (st *Studio) Stop() {
	a := &st.audio
	a.wantPlay, a.wantRecord = false, false
	if a.sess == nil {
		return
	}
	e := a.sess.Engine()
	if e.State() != engine.Recording && !a.recorded {
		e.Stop()
		st.changed(ChangedTransport)
		if a.sessGen != a.gen {
			st.ensureAudio()
		}
		return
	}
	// Finish the recording: Close waits for the takes and places them on
	// the session's copy of the song, which it saves.
	a.finishing, a.recorded = true, false
	a.pos = max(e.Position(), 0)
	sess, recSong := a.sess, a.song
	a.sess, a.song = nil, nil
	st.changed(ChangedTransport)
	st.w.do(func() {
		takes, err := sess.Close()
		st.post(func() {
			a.finishing = false
			if err != nil {
				st.fail(fmt.Errorf("recording: %w", err))
			}
			if len(takes) > 0 {
				st.adoptTakes(recSong, takes)
			}
			a.gen++
			st.ensureAudio()
			st.changed(ChangedTransport | ChangedSong | ChangedHistory)
		})
	})
}

// adoptTakes copies the tracks that got a new take from the session's copy
// of the song onto the window's song, keeping everything else of the
// window's song (mix, lyrics, markers may have changed while recording),
// as one undo step.
func (st *Studio) adoptTakes(rec *projects.Song, takes []engine.Recorded) {
	before, err := projects.Encode(st.song)
	if err != nil {
		st.fail(err)
		return
	}
	next, _ := projects.Decode(before)
	for _, tk := range takes {
		if tk.Track < len(next.Tracks) && tk.Track < len(rec.Tracks) {
			t, r := next.Tracks[tk.Track], rec.Tracks[tk.Track]
			t.Clips, t.Lanes, t.ActiveLane = r.Clips, r.Lanes, r.ActiveLane
		}
	}
	next.Takes, next.NextTake = rec.Takes, rec.NextTake
	after, err := projects.Encode(next)
	if err != nil {
		st.fail(err)
		return
	}
	st.song = next
	st.record("Record", before, after)
}

// Locate moves the playhead (Home: 0).
func (st *Studio) Locate(frame int64) {
	frame = max(frame, 0)
	st.audio.pos = frame
	if st.audio.sess != nil {
		st.audio.sess.Engine().Locate(frame)
	}
	st.changed(ChangedTransport)
}

// SetClick turns the metronome on or off.
func (st *Studio) SetClick(on bool) {
	st.audio.click = on
	if st.audio.sess != nil {
		st.audio.sess.Engine().SetClick(on)
	}
	st.changed(ChangedTransport)
}

// Click reports whether the metronome is on.
func (st *Studio) Click() bool { return st.audio.click }

// SetCountIn sets the bars counted in before recording (0..2).
func (st *Studio) SetCountIn(bars int) {
	st.audio.countIn = min(max(bars, 0), 2)
	st.changed(ChangedTransport)
}

// CountIn is the number of bars counted in before recording.
func (st *Studio) CountIn() int { return st.audio.countIn }

// SetLoop sets the loop range and turns looping on or off.
func (st *Studio) SetLoop(from, to int64, on bool) {
	if to <= from {
		on = false
	}
	a := &st.audio
	a.loop.from, a.loop.to, a.loop.on = from, to, on
	if a.sess != nil && to > from {
		a.sess.Engine().SetLoop(from, to, on)
	}
	st.changed(ChangedTransport)
}

// Loop returns the loop range and whether looping is on.
func (st *Studio) Loop() (from, to int64, on bool) {
	return st.audio.loop.from, st.audio.loop.to, st.audio.loop.on
}

// Armed reports whether track i records at the next Record.
func (st *Studio) Armed(i int) bool { _, ok := st.audio.arms[i]; return ok }

// ArmedCount is the number of armed tracks.
func (st *Studio) ArmedCount() int { return len(st.audio.arms) }

// Arm arms or disarms track i. An audio track records from its chosen
// input (Track.Input, 1-based), or input 1 (1–2 for a stereo track); a MIDI
// track records the MIDI keyboard. Arming is not part of the song: it is
// not saved and not undone.
func (st *Studio) Arm(i int, on bool) error {
	if i < 0 || i >= len(st.song.Tracks) {
		return fmt.Errorf("there is no track %d", i+1)
	}
	if !st.audio.stopped() {
		return errors.New("stop first, then arm or disarm tracks")
	}
	if st.audio.arms == nil {
		st.audio.arms = map[int]armInfo{}
	}
	if !on {
		delete(st.audio.arms, i)
	} else {
		st.audio.arms[i] = st.armInfo(i)
	}
	st.audio.gen++
	st.ensureAudio()
	st.changed(ChangedArm | ChangedTransport)
	return nil
}

func (st *Studio) armInfo(i int) armInfo {
	t := st.song.Tracks[i]
	if t.IsMIDI() {
		return armInfo{monitor: true}
	}
	var in []int
	for _, c := range t.Input {
		in = append(in, c-1)
	}
	if len(in) != t.Channels {
		in = []int{0, 1}[:t.Channels]
	}
	return armInfo{inputs: in, monitor: t.Monitor}
}

// rearm refreshes the arming after the tracks changed (an input chosen, a
// track deleted or moved by an edit or an undo).
func (st *Studio) rearm() {
	for i := range st.audio.arms {
		if i >= len(st.song.Tracks) {
			delete(st.audio.arms, i)
		} else {
			st.audio.arms[i] = st.armInfo(i)
		}
	}
}

// Poll checks the device and the disk while audio runs: the window calls it
// from its ~30 Hz ticker (on the UI thread). A device that stopped ends
// playback (a recording is kept as far as it got) and is reported once.
func (st *Studio) Poll() {
	a := &st.audio
	if a.sess == nil || a.finishing {
		return
	}
	derr, berr := a.sess.DeviceErr(), a.sess.ButlerErr()
	if derr == nil && berr == nil {
		return
	}
	if a.recorded {
		st.Stop() // keeps what was recorded
	} else {
		old := a.sess
		a.sess, a.song = nil, nil
		st.w.do(func() { old.Close() })
		st.changed(ChangedTransport)
	}
	a.status = AudioStatus{Err: errors.Join(derr, berr)}
	st.fail(errors.Join(derr, berr))
}

// closeAudio stops the session (finishing any recording) and waits for it.
func (st *Studio) closeAudio(done func(error)) {
	a := &st.audio
	a.closed = true
	if a.sess != nil {
		sess, recSong := a.sess, a.song
		a.sess = nil
		var takes []engine.Recorded
		var err error
		st.w.do(func() { takes, err = sess.Close() })
		st.w.wait()
		if len(takes) > 0 {
			st.adoptTakes(recSong, takes)
			st.w.wait()
		}
		done(err)
	}
}

// PauseAudio stops and closes the device so that something else can use it
// (the latency calibration); done is called on the UI thread once it is
// closed. A recording is finished first (its takes are kept). ResumeAudio
// opens it again.
func (st *Studio) PauseAudio(done func()) {
	a := &st.audio
	a.paused = true
	st.Stop()
	if a.sess != nil {
		old := a.sess
		a.pos = max(old.Engine().Position(), 0)
		a.sess, a.song = nil, nil
		st.w.do(func() { old.Close() })
	}
	// The worker runs jobs in order: once this one runs, the device (and
	// a recording being finished) is closed.
	st.w.do(func() { st.post(done) })
	st.changed(ChangedTransport)
}

// ResumeAudio opens the device again after PauseAudio.
func (st *Studio) ResumeAudio() {
	st.audio.paused = false
	st.audio.gen++
	st.ensureAudio()
}
