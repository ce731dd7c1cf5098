package studio

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"sangstudio/audio/engine"
	"sangstudio/audio/session"
	"sangstudio/audio/waveform"
	"sangstudio/projects"
	"sangstudio/projects/songlog"
)

type armInfo struct {
	inputs  []int // 0-based
	monitor bool
	at      int64 // the engine's Frames when it was armed (0: before audio ran)
}

// audioState is the song's side of the audio: what is armed, the
// transport settings, and the session once the song is attached to the
// window's Audio. UI thread only, except the mailbox.
type audioState struct {
	a         *Audio
	sess      *session.Session // set once attached
	attaching bool
	arms      map[string]armInfo // by track ID: arming follows the track
	click     bool
	countIn   int
	loop      struct {
		from, to int64
		on       bool
	}
	// wantPlay/wantRecord: a press of Play or Record waiting for the device.
	wantPlay, wantRecord bool
	finishing            bool // recording stopped; takes being placed
	// recorded: Record ran, so takes are to be placed when it stops (the
	// engine may have stopped recording on its own).
	recorded bool
	pos      int64 // playhead while no session is attached
	closed   bool
	lost     bool // the device was lost (and that was reported)
	// alone is the track heard alone (ListenAlone), by ID ("": none).
	alone string

	// mbox hands the latest song and arming to the Audio's worker: edits
	// made faster than the engine takes them are coalesced.
	mbox struct {
		sync.Mutex
		data   []byte
		arms   []session.Arm
		queued bool
	}
}

// engine is the running engine while the song is attached, else nil.
func (st *Studio) engine() *engine.Engine {
	if st.audio.sess == nil {
		return nil
	}
	return st.audio.a.engine()
}

// StartAudio attaches the song to the window's audio device (opening it on
// the Audio's worker first if needed). The window calls it when the song
// view is shown; Play and Record call it too.
func (st *Studio) StartAudio() {
	au := &st.audio
	if au.sess != nil || au.attaching || au.closed {
		return
	}
	s, err := songCopy(st.song)
	if err != nil {
		st.fail(err)
		return
	}
	au.attaching = true
	a := au.a
	a.studio = st
	a.open(s.Rate)
	arms := st.sessionArms(s)
	dir := st.Dir
	st.changed(ChangedTransport)
	a.w.do(func() {
		var sess *session.Session
		err := a.werr
		if a.wlive != nil {
			sess, err = a.wlive.Attach(dir, s, arms)
		}
		a.post(func() {
			au.attaching = false
			if err != nil {
				au.wantPlay, au.wantRecord = false, false
				a.err = err
				st.fail(err)
				st.changed(ChangedTransport)
				return
			}
			if au.closed {
				a.w.do(func() { sess.Detach() })
				return
			}
			au.sess = sess
			st.attached()
		})
	})
}

// attached sets up the engine for the song just attached.
func (st *Studio) attached() {
	au := &st.audio
	e := st.engine()
	e.Locate(au.pos)
	e.SetClick(au.click)
	if au.loop.to > au.loop.from {
		e.SetLoop(au.loop.from, au.loop.to, au.loop.on)
	}
	au.sess.SetMix(st.mixSong())
	st.audioChanged() // what changed while it attached
	rec, play := au.wantRecord, au.wantPlay
	au.wantPlay, au.wantRecord = false, false
	if rec {
		st.fail(st.Record())
	} else if play {
		st.Play()
	}
	st.changed(ChangedTransport)
}

// audioOpened is called when the Audio tried to open the device.
func (st *Studio) audioOpened(err error) {
	if err != nil {
		st.audio.wantPlay, st.audio.wantRecord = false, false
	}
	st.changed(ChangedTransport)
}

// audioReopened is called when the device was reopened (Settings, or after
// a pause): the transport settings go to the engine again, and a
// recording the reopening finished is put on its tracks.
func (st *Studio) audioReopened() {
	if e := st.engine(); e != nil {
		e.SetClick(st.audio.click)
		if st.audio.loop.to > st.audio.loop.from {
			e.SetLoop(st.audio.loop.from, st.audio.loop.to, st.audio.loop.on)
		}
		st.audio.sess.SetMix(st.mixSong())
	}
	if st.audio.recorded {
		st.audio.recorded = false
		st.collect("Record")
	}
	if st.audio.wantPlay && st.engine() != nil {
		st.audio.wantPlay = false
		st.Play()
	}
	st.changed(ChangedTransport)
}

// sessionArms is the arming for the session, by track index in s.
func (st *Studio) sessionArms(s *projects.Song) []session.Arm {
	var arms []session.Arm
	for i, t := range s.Tracks {
		if ai, ok := st.audio.arms[t.ID]; ok {
			arms = append(arms, session.Arm{Track: i, Inputs: ai.inputs, Monitor: ai.monitor, At: ai.at})
		}
	}
	return arms
}

// audioChanged hands the song as it is now (tracks, clips, arming) to the
// engine, on the Audio's worker: it is heard while playing, within a few
// buffers.
func (st *Studio) audioChanged() {
	au := &st.audio
	st.rearm()
	if au.sess == nil {
		return // StartAudio gives the engine the song as it is then
	}
	data, err := projects.Encode(st.song)
	if err != nil {
		st.fail(err)
		return
	}
	s, _ := projects.Decode(data)
	au.mbox.Lock()
	au.mbox.data, au.mbox.arms = data, st.sessionArms(s)
	queued := au.mbox.queued
	au.mbox.queued = true
	au.mbox.Unlock()
	if queued {
		return
	}
	sess, a := au.sess, au.a
	a.w.do(func() {
		au.mbox.Lock()
		data, arms := au.mbox.data, au.mbox.arms
		au.mbox.queued = false
		au.mbox.Unlock()
		s, err := projects.Decode(data)
		if err == nil {
			err = sess.Update(s, arms)
		}
		a.post(func() {
			if err != nil {
				st.fail(err)
			}
			// The update set the mix as the edit had it; a fader moved
			// since then wins.
			if au.sess == sess {
				sess.SetMix(st.mixSong())
			}
		})
	})
}

// Audio describes the device in use.
func (st *Studio) Audio() AudioStatus {
	s := st.audio.a.Status()
	s.Starting = s.Starting || st.audio.attaching
	return s
}

// SetAudioConfig changes the device (Settings); the stream is reopened
// only if the device, the buffer, the keyboard or what is kept changed.
func (st *Studio) SetAudioConfig(c AudioConfig) {
	st.audio.click, st.audio.countIn = c.Click, c.CountIn
	if e := st.engine(); e != nil {
		e.SetClick(c.Click)
	}
	st.audio.a.Configure(c, nil)
	st.changed(ChangedTransport)
}

// State is engine.Stopped, engine.Playing or engine.Recording.
func (st *Studio) State() engine.State {
	e := st.engine()
	if st.audio.finishing || e == nil {
		return engine.Stopped
	}
	return e.State()
}

// Finishing reports whether a recording is being put on its tracks.
func (st *Studio) Finishing() bool { return st.audio.finishing }

// Position is the playhead, in frames (negative during a count-in).
func (st *Studio) Position() int64 {
	if e := st.engine(); e != nil {
		return e.Position()
	}
	return st.audio.pos
}

// TrackMeter gives track i's peak and held peak (linear); 0 when no audio runs.
func (st *Studio) TrackMeter(i int) (peak, hold float32) {
	e := st.engine()
	if e == nil || i >= len(st.song.Tracks) {
		return 0, 0
	}
	return e.TrackMeter(st.song.Tracks[i].ID)
}

// TrackReduction is the gain reduction (dB, 0 or more) of track i's
// compressor in the engine's last buffer, for its meter; 0 when no audio
// runs.
func (st *Studio) TrackReduction(i int) float64 {
	e := st.engine()
	if e == nil || i < 0 || i >= len(st.song.Tracks) {
		return 0
	}
	return e.TrackReduction(st.song.Tracks[i].ID)
}

// MasterMeter gives the master's peak and held peak (linear).
func (st *Studio) MasterMeter() (peak, hold float32) {
	if e := st.engine(); e != nil {
		return e.MasterMeter()
	}
	return 0, 0
}

// Play starts playback from the playhead (once the device is open).
func (st *Studio) Play() {
	au := &st.audio
	st.Commit()
	if au.finishing {
		return
	}
	e := st.engine()
	if e == nil {
		au.wantPlay = true
		st.StartAudio()
		return
	}
	e.Play()
	st.changed(ChangedTransport)
}

// ErrNothingArmed: Record was pressed with no track armed.
var ErrNothingArmed = errors.New("no track is ready to record: press a track's record button (the round one) first")

// Record starts recording the armed tracks at the playhead, after the
// count-in; while playing, at once where it plays (without a count-in).
// Tracks armed while it records join it where they are armed.
func (st *Studio) Record() error {
	au := &st.audio
	st.Commit()
	if au.finishing {
		return ErrBusy
	}
	if len(au.arms) == 0 {
		return ErrNothingArmed
	}
	e := st.engine()
	if e == nil {
		au.wantRecord = true
		st.StartAudio()
		return nil
	}
	if au.lost {
		return ErrDeviceLost
	}
	switch e.State() {
	case engine.Recording:
		return nil
	case engine.Playing:
		e.Record(0)
	default:
		e.Record(au.countIn)
	}
	au.recorded = true
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
// tracks (one undo step, "Record") and saved. The device stays open.
func (st *Studio) Stop() {
	au := &st.audio
	au.wantPlay, au.wantRecord = false, false
	st.ListenAlone("")
	e := st.engine()
	if e == nil {
		return
	}
	e.Stop()
	st.changed(ChangedTransport)
	if !au.recorded {
		return
	}
	au.recorded = false
	au.finishing = true
	sess := au.sess
	au.a.w.do(func() {
		sess.StopAndWait()
		takes := sess.Finished()
		au.a.post(func() {
			au.finishing = false
			st.adoptTakes(takes, "Record")
			st.changed(ChangedTransport | ChangedSong | ChangedHistory)
		})
	})
}

// collect puts the takes finished so far on their tracks (a device lost
// while recording, a recording ended by a reopening).
func (st *Studio) collect(label string) {
	sess := st.audio.sess
	if sess == nil {
		return
	}
	st.audio.a.w.do(func() {
		takes := sess.Finished()
		st.audio.a.post(func() {
			if len(takes) > 0 {
				st.adoptTakes(takes, label)
				st.changed(ChangedTransport | ChangedSong | ChangedHistory)
			}
		})
	})
}

// ErrNotAttached: Keep that was pressed before the device was open.
var ErrNotAttached = errors.New("the audio device is not open yet")

// Keep turns what the armed tracks heard into takes, though nobody pressed
// Record ("Keep that"): while playing, what was played since Play, at its
// place; when stopped, the last minutes heard, ending at the playhead. One
// undo step ("Keep that").
func (st *Studio) Keep() error {
	au := &st.audio
	if au.sess == nil {
		return ErrNotAttached
	}
	if len(au.arms) == 0 {
		return session.ErrNothingToKeep
	}
	sess := au.sess
	au.a.w.do(func() {
		takes, err := sess.Keep()
		au.a.post(func() {
			if err != nil {
				st.fail(err)
				return
			}
			st.adoptTakes(takes, "Keep that")
			st.changed(ChangedSong | ChangedHistory)
		})
	})
	return nil
}

// Listening reports whether the armed inputs are being kept for Keep that
// (the window shows it).
func (st *Studio) Listening() bool {
	return st.audio.sess != nil && st.audio.a.cfg.Keep > 0 && len(st.audio.arms) > 0
}

// keptInputs counts the device inputs kept for Keep that.
func (st *Studio) keptInputs() int {
	ins := map[int]bool{}
	for _, ai := range st.audio.arms {
		for _, c := range ai.inputs {
			ins[c] = true
		}
	}
	return len(ins)
}

// adoptTakes puts finished takes on the window's song, as one undo step;
// once that is saved, they leave the recording journal.
func (st *Studio) adoptTakes(takes []session.Take, label string) {
	if len(takes) == 0 {
		return
	}
	before, err := projects.Encode(st.song)
	if err != nil {
		st.fail(err)
		return
	}
	next, _ := projects.Decode(before)
	notes := session.PlaceTakes(next, takes)
	after, err := projects.Encode(next)
	if err != nil {
		st.fail(err)
		return
	}
	st.song = next
	dir, files := st.Dir, session.Files(takes)
	logged := session.TakeEntries(next.Rate, takes, songlog.ByWindow, time.Now())
	st.recordThen(label, before, after, func() error {
		if err := session.ForgetTakes(dir, files); err != nil {
			return err
		}
		st.post(func() { st.log = append(st.log, logged...) })
		return songlog.AppendAll(dir, logged)
	})
	for _, n := range notes {
		st.notice(n)
	}
	st.audioChanged() // the new takes play
}

// Locate moves the playhead (Home: 0).
func (st *Studio) Locate(frame int64) {
	frame = max(frame, 0)
	st.audio.pos = frame
	if e := st.engine(); e != nil {
		e.Locate(frame)
	}
	st.changed(ChangedTransport)
}

// SetClick turns the metronome on or off.
func (st *Studio) SetClick(on bool) {
	st.audio.click = on
	if e := st.engine(); e != nil {
		e.SetClick(on)
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
	au := &st.audio
	au.loop.from, au.loop.to, au.loop.on = from, to, on
	if e := st.engine(); e != nil && to > from {
		e.SetLoop(from, to, on)
	}
	st.changed(ChangedTransport)
}

// Loop returns the loop range and whether looping is on.
func (st *Studio) Loop() (from, to int64, on bool) {
	return st.audio.loop.from, st.audio.loop.to, st.audio.loop.on
}

// Armed reports whether track i records at the next Record.
func (st *Studio) Armed(i int) bool {
	if i < 0 || i >= len(st.song.Tracks) {
		return false
	}
	_, ok := st.audio.arms[st.song.Tracks[i].ID]
	return ok
}

// ArmedCount is the number of armed tracks.
func (st *Studio) ArmedCount() int { return len(st.audio.arms) }

// Arm arms or disarms track i, also while playing or recording (a track
// armed while recording starts its take there, one disarmed ends it
// there). An audio track records from its chosen input (Track.Input,
// 1-based), or input 1 (1–2 for a stereo track); a MIDI track records the
// MIDI keyboard. Arming is not part of the song: it is not saved and not
// undone; it follows the track when tracks are moved or others deleted.
func (st *Studio) Arm(i int, on bool) error {
	if i < 0 || i >= len(st.song.Tracks) {
		return fmt.Errorf("there is no track %d", i+1)
	}
	t := st.song.Tracks[i]
	if st.audio.arms == nil {
		st.audio.arms = map[string]armInfo{}
	}
	if !on {
		delete(st.audio.arms, t.ID)
	} else {
		ai := st.armInfo(i)
		if e := st.engine(); e != nil {
			ai.at = e.Frames()
		}
		if err := st.checkInputs(t, ai); err != nil {
			return err
		}
		st.audio.arms[t.ID] = ai
	}
	st.audioChanged()
	st.changed(ChangedArm | ChangedTransport)
	return nil
}

// checkInputs refuses an input the open device does not have.
func (st *Studio) checkInputs(t *projects.Track, ai armInfo) error {
	s := st.audio.a.Status()
	if s.Device == "" {
		return nil // not open yet: the session checks when it attaches
	}
	if s.Inputs == 0 && len(ai.inputs) > 0 {
		return &NoInputsError{Device: s.Device, Fallback: s.Fallback}
	}
	for _, in := range ai.inputs {
		if in >= s.Inputs {
			return &InputError{Track: t.Name, Input: in + 1, Device: s.Device, Inputs: s.Inputs}
		}
	}
	return nil
}

// NoInputsError: a track cannot be armed because the audio device in use
// has no inputs (Fallback: why the chosen device is not the one in use).
type NoInputsError struct {
	Device, Fallback string
}

func (e *NoInputsError) Error() string {
	why := ""
	if e.Fallback != "" {
		why = " (" + e.Fallback + ")"
	}
	return fmt.Sprintf("%q cannot record: it has no inputs%s. Choose a device that records in the settings", e.Device, why)
}

// InputError: a track records from an input (1-based) that the audio
// device does not have.
type InputError struct {
	Track         string
	Input, Inputs int
	Device        string
}

func (e *InputError) Error() string {
	return fmt.Sprintf("track %q records from input %d, but the audio device %q has %d inputs: choose another input", e.Track, e.Input, e.Device, e.Inputs)
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

// rearm refreshes the arming after the tracks changed: tracks deleted (by
// an edit or an undo) are no longer armed; an input or monitoring chosen
// is taken.
func (st *Studio) rearm() {
	for id := range st.audio.arms {
		i := st.song.TrackByID(id)
		if i < 0 {
			delete(st.audio.arms, id)
		} else {
			ai := st.armInfo(i)
			ai.at = st.audio.arms[id].at
			st.audio.arms[id] = ai
		}
	}
}

// Poll checks the device and the disk while audio runs: the window calls it
// from its ~30 Hz ticker (on the UI thread). A device lost ends a
// recording (what was recorded is kept and put on its tracks) and is
// reported once; when it comes back, the status line says so. A take that
// could not be written (a full disk) stops the recording, keeping what
// was written.
func (st *Studio) Poll() {
	au := &st.audio
	if au.sess == nil {
		return
	}
	if lost := au.a.Status().Lost; lost != nil && !au.lost {
		au.lost = true
		st.fail(lost)
		if au.recorded {
			au.recorded = false
			st.collect("Record")
		}
		st.changed(ChangedTransport)
	} else if lost == nil && au.lost {
		au.lost = false
		st.changed(ChangedTransport)
	}
	if err := au.sess.ButlerErr(); err != nil && !au.finishing {
		au.sess.TakeErr()
		st.fail(err)
		if au.recorded {
			st.Stop() // keeps what was recorded
		}
	}
}

// deviceChanged is called when the device was lost or came back.
func (st *Studio) deviceChanged() { st.Poll() }

// detach takes the song off the device (finishing a recording) on the
// Audio's worker; done gets the takes on the UI thread.
func (st *Studio) detach(done func([]session.Take)) {
	au := &st.audio
	au.closed = true
	sess, a := au.sess, au.a
	au.sess = nil
	if a.studio == st {
		a.studio = nil
	}
	if sess == nil {
		a.w.do(func() { a.post(func() { done(nil) }) })
		return
	}
	a.w.do(func() {
		takes := sess.Detach()
		a.post(func() { done(takes) })
	})
}

// PauseAudio stops and closes the device so that something else can use it
// (the latency calibration); done is called on the UI thread once it is
// closed. A recording is finished first (its takes are kept). ResumeAudio
// opens it again.
func (st *Studio) PauseAudio(done func()) {
	st.audio.wantPlay, st.audio.wantRecord = false, false
	st.audio.a.Pause(func() {
		st.changed(ChangedTransport)
		done()
	})
	st.changed(ChangedTransport)
}

// ResumeAudio opens the device again after PauseAudio.
func (st *Studio) ResumeAudio() { st.audio.a.Resume() }

// ListenAlone makes the track with ID id heard alone, as if it were the
// only one soloed (and not muted), without changing the song: the beat
// grid's "alone in a loop". Stop, or ListenAlone(""), ends it.
func (st *Studio) ListenAlone(id string) {
	if st.audio.alone == id {
		return
	}
	st.audio.alone = id
	if st.audio.sess != nil {
		st.audio.sess.SetMix(st.mixSong())
	}
}

// mixSong is the song as the engine mixes it: the song, or while a track
// is heard alone a copy of it whose tracks are copies, that one alone
// soloed and unmuted.
func (st *Studio) mixSong() *projects.Song {
	id := st.audio.alone
	if id == "" || st.song.TrackByID(id) < 0 {
		return st.song
	}
	s := *st.song
	s.Tracks = make([]*projects.Track, len(st.song.Tracks))
	for i, t := range st.song.Tracks {
		c := *t
		c.Solo = t.ID == id
		c.Mute = c.Mute && !c.Solo
		s.Tracks[i] = &c
	}
	return &s
}

// RecordingTake is a take being recorded, as the timeline draws it: on its
// track, from where its clip will start (latency-compensated) to the
// playhead.
type RecordingTake struct {
	Track      int   // index into the song's tracks
	Start, End int64 // the timeline frames it covers so far
	Offset     int64 // take frames before Start (of a take begun before the song's start)
	MIDI       bool
	// Peaks is the waveform of the take's frames written so far, from its
	// frame 0 (nil for MIDI); it is never modified.
	Peaks *waveform.Peaks
}

// RecordingTakes returns the takes being recorded (none while not
// recording). It never waits; the song view calls it at every tick.
func (st *Studio) RecordingTakes() []RecordingTake {
	au := &st.audio
	if au.sess == nil {
		return nil
	}
	live := au.sess.LiveTakes()
	if len(live) == 0 {
		return nil
	}
	pos, rolling := st.Position(), st.State() == engine.Recording
	out := make([]RecordingTake, 0, len(live))
	for _, lt := range live {
		i := st.song.TrackByID(lt.TrackKey)
		if i < 0 {
			continue // deleted while it records
		}
		c := lt.Clip
		end := c.End()
		if rolling {
			end = max(end, pos)
		}
		out = append(out, RecordingTake{Track: i, Start: c.Position, End: end, Offset: c.Offset, MIDI: lt.MIDI, Peaks: lt.Peaks})
	}
	return out
}
