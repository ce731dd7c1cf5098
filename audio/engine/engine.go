// Package engine is Sangstudio's real-time engine: the function the audio
// device calls for every buffer (Process), the transport (play, stop,
// record, locate, loop), software monitoring, the metronome, meters, and
// the disk goroutine (the "butler") that keeps playback read-ahead rings
// full and writes captured audio to take files.
//
// Threads and who owns what:
//
//   - The audio thread runs Process. It owns the transport state; it reads
//     the playback rings and writes the capture rings; it never allocates,
//     locks, blocks, logs or touches files. Other threads talk to it
//     through a lock-free command queue and read its state from atomics.
//   - The butler (Butler.Run) owns the take readers and writers: it fills
//     the playback rings ahead of the playhead and drains the capture
//     rings into take files, checkpointing them every second.
//   - Any other goroutine (the window, the command line) sends commands
//     (Play, Stop, Locate, Record, SetLoop, SetMix, …) and reads meters and
//     the position. None of these block.
//
// Locating (and starting after a loop change) uses an epoch handshake: the
// audio thread stops reading the rings, bumps the epoch and publishes the
// new start position; the butler refills the rings from there and
// publishes the epoch as ready; only then does the audio thread roll.
package engine

import (
	"math"
	"sync"
	"sync/atomic"
	"time"

	"sangstudio/audio/mix"
	"sangstudio/audio/ring"
	"sangstudio/midi"
)

// Track describes one track as the engine needs it.
type Track struct {
	Channels int   // 1 or 2
	Armed    bool  // records when the transport records
	Inputs   []int // 0-based device input channels it records from (len == Channels when armed)
	Monitor  bool  // software monitoring while armed: the input is heard instead of the track

	// MIDI marks a MIDI track. Armed, it plays what the MIDI keyboard
	// sends (MIDIIn) through Instrument, added to the track's playback,
	// and records it when the transport records; while recording, the
	// instrument is heard instead of the track's earlier take. Inputs and
	// Monitor do not apply.
	MIDI       bool
	Instrument Instrument // required when MIDI and Armed
}

// Instrument is a MIDI track's live instrument (midi/synth's Instrument is
// one). The audio thread calls it, so none of its methods may allocate,
// lock, block or touch files.
type Instrument interface {
	Event(msg [3]byte)     // apply a channel voice message now
	Render(l, r []float32) // overwrite l and r with the next len(l) frames
}

// midiQueue is how many keyboard messages may wait for the next buffer.
const midiQueue = 1024

// timedMsg is a keyboard message with its arrival time (at, since the
// engine's clock) and, once the audio thread has taken it, the frame
// offset within the buffer where it is played.
type timedMsg struct {
	msg    [3]byte
	at     time.Duration
	offset int
}

// Config sets up an engine.
type Config struct {
	Rate        int
	MaxBlock    int // the largest buffer the device will ask for
	Inputs      int // device input channels
	Outputs     int // device output channels (the master goes to the first two)
	Tracks      []Track
	Strips      []mix.Strip // initial mix, one per track
	ReadAhead   int         // playback ring size in frames (default 2 s)
	CaptureBuf  int         // capture ring size in frames (default 10 s)
	Tempo       float64     // for the click and MIDI takes
	BeatsPerBar int
	BeatUnit    int // the time signature's note value, for MIDI takes (default 4)
	// Clock gives the time since an arbitrary start; nil means the wall
	// clock. Keyboard messages are placed in a buffer by when they arrived
	// on it. Tests that step the engine by hand advance their own clock by
	// one buffer per step, so that placement does not depend on how busy
	// the machine is.
	Clock func() time.Duration
}

// Transport states, as State reports them.
const (
	Stopped   = 0
	Playing   = 1
	Recording = 2
)

type cmdKind uint8

const (
	cmdPlay cmdKind = iota + 1
	cmdStop
	cmdLocate
	cmdRecord
	cmdLoop
	cmdClick
)

type command struct {
	kind       cmdKind
	a, b       int64
	on         bool
	countInBar int
}

// Event kinds the audio thread reports to the butler.
const (
	evRecordStart     = iota + 1 // a: timeline frame where the takes start
	evRecordStop                 // a: frames captured
	evDropout                    // a: take frame where audio was lost
	evCaptureOverflow            // a: frames that did not fit the capture ring
	evMIDIOverflow               // a: MIDI messages that did not fit a MIDI capture ring
)

type event struct {
	kind int
	a    int64
}

type trackState struct {
	Track
	play    *ring.Frames             // butler → audio thread
	capture *ring.Frames             // audio thread → butler (armed audio tracks)
	midiCap *ring.Values[midi.Event] // audio thread → butler (armed MIDI tracks): take-relative frames
	buf     [][]float32              // block scratch, pre-fader
	synth   [2][]float32             // instrument output scratch (armed MIDI tracks)
	owe     int                      // frames the ring still owes after an underrun
	meter   meter
}

// Engine is the real-time engine. Create it with New, run a Butler for it,
// and give Process to an audio device.
type Engine struct {
	rate    int
	tracks  []*trackState
	strips  atomic.Pointer[[]mix.Strip]
	cmds    *ring.Values[command]
	events  *ring.Values[event]
	wake    chan struct{}
	tempo   float64
	timeSig [2]int

	midiIn  *ring.Values[timedMsg] // keyboard → audio thread
	midiMu  sync.Mutex             // lets several producers take turns on midiIn (never the audio thread)
	midiBuf []timedMsg             // the messages of the current buffer, with their offsets in it
	clock   time.Time              // the base of timedMsg.at
	clockFn func() time.Duration   // Config.Clock

	// Audio-thread state.
	pos          int64 // timeline frame of the next block
	rolling      bool
	wantRoll     bool
	recording    bool
	recStart     int64 // timeline frame where recording starts (after count-in)
	recEnd       int64 // timeline frame where recording stops by itself (punch-out); 0: none
	recFrames    int64
	epoch        uint32
	loopOn       bool
	loopA, loopB int64
	clickOn      bool
	click        click
	busL, busR   []float32
	lastCycle    time.Duration // when the previous buffer started (since clock)
	ins          [][][]float32
	view         [][]float32

	// Published state (atomics, read by other threads).
	posA      atomic.Int64
	stateA    atomic.Int32
	epochA    atomic.Uint32
	readyA    atomic.Uint32
	startA    atomic.Int64 // timeline frame the butler fills from for epochA
	loopOnA   atomic.Bool
	loopAA    atomic.Int64
	loopBA    atomic.Int64
	xruns     atomic.Int64
	underruns atomic.Int64
	overflows atomic.Int64
	midiDrops atomic.Int64
	master    meter
}

// New builds an engine. Everything the audio thread will need is allocated here.
func New(cfg Config) *Engine {
	if cfg.ReadAhead <= 0 {
		cfg.ReadAhead = 2 * cfg.Rate
	}
	if cfg.CaptureBuf <= 0 {
		cfg.CaptureBuf = 10 * cfg.Rate
	}
	e := &Engine{
		rate:    cfg.Rate,
		cmds:    ring.NewValues[command](256),
		events:  ring.NewValues[event](4096),
		wake:    make(chan struct{}, 1),
		busL:    make([]float32, cfg.MaxBlock),
		busR:    make([]float32, cfg.MaxBlock),
		view:    make([][]float32, 2),
		click:   newClick(cfg.Rate, cfg.Tempo, cfg.BeatsPerBar),
		tempo:   cfg.Tempo,
		midiIn:  ring.NewValues[timedMsg](midiQueue),
		midiBuf: make([]timedMsg, 0, midiQueue),
		clock:   time.Now(),
		clockFn: cfg.Clock,
	}
	if cfg.BeatUnit == 0 {
		cfg.BeatUnit = 4
	}
	e.timeSig = [2]int{cfg.BeatsPerBar, cfg.BeatUnit}
	for _, t := range cfg.Tracks {
		ts := &trackState{Track: t, play: ring.NewFrames(t.Channels, cfg.ReadAhead)}
		switch {
		case t.Armed && t.MIDI:
			ts.midiCap = ring.NewValues[midi.Event](1 << 16)
			ts.synth = [2][]float32{make([]float32, cfg.MaxBlock), make([]float32, cfg.MaxBlock)}
		case t.Armed:
			ts.capture = ring.NewFrames(t.Channels, cfg.CaptureBuf)
		}
		ts.buf = make([][]float32, t.Channels)
		for c := range ts.buf {
			ts.buf[c] = make([]float32, cfg.MaxBlock)
		}
		e.tracks = append(e.tracks, ts)
		e.ins = append(e.ins, make([][]float32, t.Channels))
	}
	strips := append([]mix.Strip(nil), cfg.Strips...)
	e.strips.Store(&strips)
	e.relocate(0) // the butler fills the rings from the start before anything plays
	return e
}

// Rate is the engine's sample rate.
func (e *Engine) Rate() int { return e.rate }

// --- Commands (any goroutine except the audio thread; never block) ---

func (e *Engine) send(c command) bool { return e.cmds.Push(c) }

// Play starts playback from the current position.
func (e *Engine) Play() bool { return e.send(command{kind: cmdPlay}) }

// Stop stops playback and recording.
func (e *Engine) Stop() bool { return e.send(command{kind: cmdStop}) }

// Locate moves the playhead to a timeline frame.
func (e *Engine) Locate(frame int64) bool { return e.send(command{kind: cmdLocate, a: frame}) }

// Record starts recording the armed tracks at the current position, after
// countInBars bars of count-in (the transport starts that much earlier).
func (e *Engine) Record(countInBars int) bool {
	return e.send(command{kind: cmdRecord, on: true, countInBar: countInBars})
}

// RecordFor is Record that stops recording by itself after frames frames
// (the transport keeps playing until Stop).
func (e *Engine) RecordFor(countInBars int, frames int64) bool {
	return e.send(command{kind: cmdRecord, on: true, countInBar: countInBars, b: frames})
}

// SetLoop sets the loop range [from, to) and turns looping on or off.
// Recording ignores the loop.
func (e *Engine) SetLoop(from, to int64, on bool) bool {
	return e.send(command{kind: cmdLoop, a: from, b: to, on: on && to > from})
}

// SetClick turns the metronome on or off.
func (e *Engine) SetClick(on bool) bool { return e.send(command{kind: cmdClick, on: on}) }

// MIDIIn queues a message from a MIDI keyboard for the armed MIDI tracks.
// The audio thread plays it in its next buffer, as far into that buffer as
// the message came after the previous buffer started, so that the delay
// from key to sound is one buffer, steadily, rather than anything from
// none to one buffer (which the ear hears as a sloppy rhythm, and which a
// take would keep). Only channel voice messages are taken (others return
// false), and not one that does not fit the queue. Any goroutine may call
// it: callers take turns on a mutex that the audio thread never touches.
func (e *Engine) MIDIIn(msg [3]byte) bool {
	if midi.MessageLen(msg[0]) == 0 {
		return false
	}
	e.midiMu.Lock()
	ok := e.midiIn.Push(timedMsg{msg: msg, at: e.now()})
	e.midiMu.Unlock()
	if !ok {
		e.midiDrops.Add(1)
	}
	return ok
}

// MIDIDrops counts keyboard messages lost because a queue was full.
func (e *Engine) MIDIDrops() int64 { return e.midiDrops.Load() }

// SetMix replaces the mix (gain, pan, mute, solo of every track); it takes
// effect at the next buffer.
func (e *Engine) SetMix(strips []mix.Strip) {
	s := append([]mix.Strip(nil), strips...)
	e.strips.Store(&s)
}

// --- State (any goroutine) ---

// Position is the timeline frame at the playhead (negative during a count-in).
func (e *Engine) Position() int64 { return e.posA.Load() }

// State is Stopped, Playing or Recording.
func (e *Engine) State() int { return int(e.stateA.Load()) }

// Xruns counts buffers the device reported as late or lost.
func (e *Engine) Xruns() int64 { return e.xruns.Load() }

// Underruns counts buffers in which a track's read-ahead ran dry.
func (e *Engine) Underruns() int64 { return e.underruns.Load() }

// CaptureOverflows counts captured frames that did not fit the capture ring.
func (e *Engine) CaptureOverflows() int64 { return e.overflows.Load() }

// TrackMeter returns track i's post-fader peak and its held peak (linear).
func (e *Engine) TrackMeter(i int) (peak, hold float32) { return e.tracks[i].meter.read() }

// MasterMeter returns the master bus's peak and held peak (linear).
func (e *Engine) MasterMeter() (peak, hold float32) { return e.master.read() }

// --- The audio thread ---

// Process runs one buffer: in has the device's input channels, out its
// output channels, all the same length (at most Config.MaxBlock); xrun says
// the device lost audio before this buffer. The device callback calls it.
// Safe on the audio thread: it does not allocate, lock, block or touch files.
func (e *Engine) Process(in, out [][]float32, xrun bool) {
	n := len(out[0])
	if n > len(e.busL) { // a device giving more than MaxBlock: take it in parts
		e.processParts(in, out, xrun)
		return
	}
	if xrun {
		e.xruns.Add(1)
		if e.recording {
			e.events.Push(event{kind: evDropout, a: e.recFrames})
		}
	}
	e.commands()
	e.popMIDI(n)
	strips := *e.strips.Load()
	ready := e.readyA.Load() == e.epoch
	roll := e.wantRoll && ready
	e.rolling = roll

	if roll && e.recording && e.recFrames == 0 {
		// The takes start in this buffer: tell the butler before anything
		// is captured, so that it never sees captures without their start.
		if lo, hi := e.recRange(n); lo < hi {
			e.events.Push(event{kind: evRecordStart, a: e.recStart})
		}
	}
	for i, t := range e.tracks {
		b := e.ins[i]
		for c := range b {
			b[c] = t.buf[c][:n]
		}
		if roll {
			e.readTrack(t, b, n)
		} else {
			for c := range b {
				clear(b[c])
			}
		}
		if t.Armed && t.MIDI {
			e.playInstrument(t, b, n, roll)
		} else if t.Armed {
			if t.Monitor {
				for c := range b {
					copy(b[c], in[t.Inputs[c]][:n])
				}
			}
			if roll && e.recording {
				e.captureTrack(t, in, n)
			}
		}
	}
	if roll && e.recording {
		if lo, hi := e.recRange(n); lo < hi {
			e.recFrames += int64(hi - lo)
		}
		if e.recEnd > 0 && e.pos+int64(n) >= e.recEnd {
			e.stopRecording()
			e.publishState()
		}
	}
	l, r := e.busL[:n], e.busR[:n]
	clear(l)
	clear(r)
	mix.Sum(strips, e.ins, l, r)
	for i, t := range e.tracks {
		if i < len(strips) {
			t.meter.update(trackPeak(e.ins[i], strips[i]), n, e.rate)
		}
	}
	e.master.update(max(peak(l), peak(r)), n, e.rate)
	if e.clickOn && roll {
		e.click.add(e.pos, l, r)
	}
	e.output(out, l, r)
	if roll {
		e.advance(int64(n))
	}
	e.posA.Store(e.pos)
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

// processParts runs a buffer longer than MaxBlock as several blocks.
func (e *Engine) processParts(in, out [][]float32, xrun bool) {
	n, step := len(out[0]), len(e.busL)
	var iv, ov [maxParts][]float32
	if len(in) > maxParts || len(out) > maxParts {
		for _, o := range out {
			clear(o) // more channels than we can view without allocating
		}
		return
	}
	for lo := 0; lo < n; lo += step {
		hi := min(lo+step, n)
		for c := range in {
			iv[c] = in[c][lo:hi]
		}
		for c := range out {
			ov[c] = out[c][lo:hi]
		}
		e.Process(iv[:len(in)], ov[:len(out)], xrun && lo == 0)
	}
}

// maxParts bounds the channel count processParts can split without allocating.
const maxParts = 64

// readTrack fills b with the next n frames of the track's ring.
func (e *Engine) readTrack(t *trackState, b [][]float32, n int) {
	if t.owe > 0 {
		t.owe -= t.play.Discard(t.owe)
	}
	got := 0
	if t.owe == 0 {
		got = t.play.Read(b)
	}
	if got < n {
		for c := range b {
			clear(b[c][got:])
		}
		t.owe += n - got
		e.underruns.Add(1)
	}
}

// now is the engine's clock (Config.Clock, or the wall clock since New).
func (e *Engine) now() time.Duration {
	if e.clockFn != nil {
		return e.clockFn()
	}
	return time.Since(e.clock)
}

// popMIDI takes the keyboard messages queued since the last buffer and
// places each in this n-frame buffer: a message that arrived d after the
// previous buffer started is played d into this one (clamped to the
// buffer, never before the message before it).
func (e *Engine) popMIDI(n int) {
	e.midiBuf = e.midiBuf[:0]
	if e.midiIn.Len() == 0 {
		e.lastCycle = e.now()
		return
	}
	now := e.now()
	prev := e.lastCycle
	if prev == 0 || now-prev > 4*time.Duration(n)*time.Second/time.Duration(e.rate) {
		prev = now - time.Duration(n)*time.Second/time.Duration(e.rate) // first buffer, or after a stall
	}
	e.lastCycle = now
	last := 0
	for len(e.midiBuf) < cap(e.midiBuf) {
		m, ok := e.midiIn.Pop()
		if !ok {
			break
		}
		off := int((m.at - prev) * time.Duration(e.rate) / time.Second)
		m.offset = min(max(off, last, 0), n-1)
		last = m.offset
		e.midiBuf = append(e.midiBuf, m)
	}
}

// playInstrument feeds this buffer's keyboard messages to an armed MIDI
// track's instrument (recording them, take-relative, once the take has
// started) and adds the instrument's sound to the track, or puts it in the
// place of the track's playback while recording.
func (e *Engine) playInstrument(t *trackState, b [][]float32, n int, roll bool) {
	l, r := t.synth[0][:n], t.synth[1][:n]
	done := 0 // frames rendered so far
	for _, m := range e.midiBuf {
		if m.offset > done {
			t.Instrument.Render(l[done:m.offset], r[done:m.offset])
			done = m.offset
		}
		t.Instrument.Event(m.msg)
		if !roll || !e.recording {
			continue
		}
		at := e.pos + int64(m.offset)
		if at >= e.recStart && (e.recEnd == 0 || at < e.recEnd) {
			if !t.midiCap.Push(midi.Event{Frame: at - e.recStart, Msg: m.msg}) {
				e.midiDrops.Add(1)
				e.events.Push(event{kind: evMIDIOverflow, a: 1})
			}
		}
	}
	if done < n {
		t.Instrument.Render(l[done:], r[done:])
	}
	replace := roll && e.recording
	switch len(b) {
	case 2:
		if replace {
			copy(b[0], l)
			copy(b[1], r)
		} else {
			mix.Add(b[0], l)
			mix.Add(b[1], r)
		}
	case 1:
		if replace {
			clear(b[0])
		}
		for i := range l {
			b[0][i] += float32(float32(l[i]+r[i]) * 0.5)
		}
	}
}

// captureTrack copies the track's inputs into its capture ring, from the
// record start position on.
func (e *Engine) captureTrack(t *trackState, in [][]float32, n int) {
	lo, hi := e.recRange(n)
	if lo >= hi {
		return
	}
	v := e.view[:t.Channels]
	for c := range v {
		v[c] = in[t.Inputs[c]][lo:hi]
	}
	if k := t.capture.Write(v); k < hi-lo {
		e.overflows.Add(int64(hi - lo - k))
		e.events.Push(event{kind: evCaptureOverflow, a: int64(hi - lo - k)})
	}
}

// recRange is the part [lo, hi) of the current n-frame buffer that is recorded.
func (e *Engine) recRange(n int) (lo, hi int) {
	lo = int(min(max(e.recStart-e.pos, 0), int64(n)))
	hi = n
	if e.recEnd > 0 {
		hi = int(min(max(e.recEnd-e.pos, 0), int64(n)))
	}
	return lo, max(lo, hi)
}

func (e *Engine) output(out [][]float32, l, r []float32) {
	switch len(out) {
	case 0:
	case 1:
		o := out[0][:len(l)]
		for i := range o {
			o[i] = float32(float32(l[i]+r[i]) * 0.5)
		}
	default:
		copy(out[0], l)
		copy(out[1], r)
		for _, o := range out[2:] {
			clear(o)
		}
	}
}

// advance moves the playhead, wrapping at the loop end when looping.
func (e *Engine) advance(n int64) {
	e.pos += n
	if e.loopOn && !e.recording && e.pos >= e.loopB {
		e.pos = e.loopA + (e.pos-e.loopB)%(e.loopB-e.loopA)
	}
}

// commands applies queued commands.
func (e *Engine) commands() {
	for {
		c, ok := e.cmds.Pop()
		if !ok {
			return
		}
		switch c.kind {
		case cmdPlay:
			e.wantRoll = true
			e.publishState()
		case cmdStop:
			e.stopRecording()
			e.wantRoll = false
			e.relocate(e.pos)
		case cmdLocate:
			if !e.recording {
				e.relocate(c.a)
			}
		case cmdRecord:
			if e.recording {
				continue
			}
			e.recording = true
			e.recFrames = 0
			e.recStart = e.pos
			e.recEnd = 0
			if c.b > 0 {
				e.recEnd = e.pos + c.b
			}
			pre := int64(c.countInBar) * int64(math.Round(float64(e.click.bar)))
			e.relocate(e.pos - pre)
			e.wantRoll = true
		case cmdLoop:
			e.loopOn, e.loopA, e.loopB = c.on, c.a, c.b
			e.relocate(e.pos)
		case cmdClick:
			e.clickOn = c.on
		}
		e.publishState()
	}
}

func (e *Engine) stopRecording() {
	if e.recording {
		e.recording = false
		e.events.Push(event{kind: evRecordStop, a: e.recFrames})
	}
}

// relocate starts a new epoch at frame p: the rings are not read again
// until the butler has refilled them from p.
func (e *Engine) relocate(p int64) {
	if e.loopOn && !e.recording && (p < e.loopA || p >= e.loopB) && p >= 0 {
		// Playing a loop from outside it starts at the loop.
		if p >= e.loopB {
			p = e.loopA
		}
	}
	e.pos = p
	e.epoch++
	e.startA.Store(p)
	e.loopOnA.Store(e.loopOn && !e.recording)
	e.loopAA.Store(e.loopA)
	e.loopBA.Store(e.loopB)
	e.epochA.Store(e.epoch)
	for _, t := range e.tracks {
		t.owe = 0
	}
}

func (e *Engine) publishState() {
	s := int32(Stopped)
	if e.wantRoll {
		s = Playing
		if e.recording {
			s = Recording
		}
	}
	e.stateA.Store(s)
	e.posA.Store(e.pos)
}

func peak(x []float32) float32 {
	var p float32
	for _, v := range x {
		if v > p {
			p = v
		} else if -v > p {
			p = -v
		}
	}
	return p
}

func trackPeak(b [][]float32, st mix.Strip) float32 {
	if !st.Audible {
		return 0
	}
	p := peak(b[0]) * st.L
	if len(b) == 2 {
		return max(p, peak(b[1])*st.R)
	}
	return max(p, peak(b[0])*st.R)
}
