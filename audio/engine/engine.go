// Package engine is Sangstudio's real-time engine: the function the audio
// device calls for every buffer (Process), the transport (play, stop,
// record, locate, loop), software monitoring, the metronome, meters, the
// inputs kept for Keep, and the disk goroutine (the "butler") that keeps
// playback read-ahead rings full and writes captured audio to take files.
//
// An engine lives as long as its device stream: songs come and go on it.
// What it plays is a graph (see graph.go), an immutable snapshot of the
// song's tracks that the butler builds for every change and publishes
// with one atomic store; the audio thread picks it up at its next buffer.
// So a change while playing (a clip moved, a track added, a track armed)
// is heard at once without stopping anything, and tracks that did not
// change play on from the same rings.
//
// Threads and who owns what:
//
//   - The audio thread runs Process. It owns the transport state; it reads
//     the playback rings and writes the capture rings; it never allocates,
//     locks, blocks, logs or touches files. Other threads talk to it
//     through a lock-free command queue and read its state from atomics.
//   - The butler (Butler.Run) owns the take readers and writers and builds
//     the graphs: it fills the playback rings ahead of the playhead and
//     drains the capture rings into take files, checkpointing them every
//     second.
//   - Any other goroutine (the window, the command line) sends commands
//     (Play, Stop, Locate, Record, SetLoop, SetMix, …), hands song changes
//     to Butler.Update, and reads meters and the position. Only Update
//     waits (for the butler, never for the audio thread).
//
// Locating (and starting after a loop change) uses an epoch handshake: the
// audio thread stops reading the rings, bumps the epoch and publishes the
// new start position; the butler refills the rings from there and
// publishes the epoch as ready; only then does the audio thread roll.
// Within an epoch, frames are counted from its start (the stream index):
// every ring holds a run of stream indices, which is how a ring made for a
// changed track mid-epoch lines up with the others.
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

// DefaultMaxBlock is Config.MaxBlock's default: the largest block an
// instrument for the engine must render at once.
const DefaultMaxBlock = 4096

// Config sets up an engine.
type Config struct {
	Rate       int
	MaxBlock   int // the largest block processed at once (0: 4096); longer device buffers are split
	ReadAhead  int // playback ring size in frames (default 2 s)
	CaptureBuf int // capture ring size in frames (default 10 s)
	// KeepSlack is how many frames each input kept for Keep holds beyond
	// Layout.Keep (default 10 s): what Keep plans stays intact that long
	// while its takes are written.
	KeepSlack int
	// Clock gives the time since an arbitrary start; nil means the wall
	// clock. Keyboard messages are placed in a buffer by when they arrived
	// on it. Tests that step the engine by hand advance their own clock by
	// one buffer per step, so that placement does not depend on how busy
	// the machine is.
	Clock func() time.Duration
}

// State is what the transport is doing.
type State int32

// Transport states, as State reports them.
const (
	Stopped State = iota
	Playing
	Recording
)

// String is the state in words ("stopped", "playing", "recording"), for
// logs and messages.
func (s State) String() string {
	switch s {
	case Stopped:
		return "stopped"
	case Playing:
		return "playing"
	case Recording:
		return "recording"
	}
	return "unknown"
}

type cmdKind uint8

// What other threads ask of the audio thread.
const (
	cmdPlay   cmdKind = iota + 1 // start the transport
	cmdStop                      // stop the transport and any recording
	cmdLocate                    // move the playhead: locate
	cmdRecord                    // start recording: record
	cmdLoop                      // set the loop: loop
	cmdClick                     // turn the metronome on or off: click
)

// command is a request to the audio thread: its kind and that kind's
// arguments, each in a field of its own (the others stay zero). It is a
// plain value, so the queue copies it without allocating.
type command struct {
	kind   cmdKind
	locate int64     // cmdLocate: the timeline frame to move to
	record recordCmd // cmdRecord
	loop   loopCmd   // cmdLoop
	click  bool      // cmdClick: the metronome sounds
}

// recordCmd is what cmdRecord asks for.
type recordCmd struct {
	countIn int   // bars of count-in before the recording starts
	frames  int64 // frames to record before it stops by itself (0: until Stop)
}

// loopCmd is what cmdLoop asks for: the loop range [from, to), and
// whether playback loops over it.
type loopCmd struct {
	from, to int64
	on       bool
}

type evKind uint8

// What the audio thread tells the butler.
const (
	evTakeStart       evKind = iota + 1 // cap or mcap: its take starts at timeline frame at
	evTakeStop                          // cap or mcap: its take ends after frames frames
	evDropout                           // the device lost audio at timeline frame at
	evCaptureOverflow                   // cap: the take frames of loss did not fit its ring
	evMIDIOverflow                      // mcap: a message did not fit its ring
	evRun                               // a run of the transport starts: run (see retro.go)
)

// event is a message from the audio thread to the butler: its kind and
// that kind's arguments, each in a field of its own (the others stay
// zero).
type event struct {
	kind   evKind
	cap    *capture     // evTakeStart, evTakeStop, evCaptureOverflow
	mcap   *midiCapture // evTakeStart, evTakeStop, evMIDIOverflow
	at     int64        // evTakeStart, evDropout: the timeline frame it happened at
	frames int64        // evTakeStop: the take's length
	loss   loss         // evCaptureOverflow: the take's frames that were lost
	run    run          // evRun
	jump   bool         // evRun: the playhead was moved before it (the MIDI kept so far is forgotten)
}

// Engine is the real-time engine. Create it with New, run a Butler for it,
// and give Process to an audio device.
type Engine struct {
	rate     int
	maxBlock int
	readAh   int
	capBuf   int
	slack    int
	cmds     *ring.Values[command]
	events   *ring.Values[event]
	wake     chan struct{}

	midiIn  *ring.Values[timedMsg] // keyboard → audio thread
	midiMu  sync.Mutex             // lets several producers take turns on midiIn (never the audio thread)
	midiBuf []timedMsg             // the messages of the current buffer, with their offsets in it
	clock   time.Time              // the base of timedMsg.at
	clockFn func() time.Duration   // Config.Clock

	// Publishing graphs (never the audio thread).
	graphA atomic.Pointer[graph]
	pubMu  sync.Mutex
	latest *graph               // the last graph published (pubMu)
	mix    map[string]mix.Strip // the mix by track key (pubMu)
	busFX  mix.BusFX            // the buses' settings (pubMu)
	seq    uint64               // pubMu

	// Audio-thread state.
	cur          *graph
	buses        *mix.Buses // the master sum and the effect buses
	pos          int64      // timeline frame of the next block
	rolling      bool
	wantRoll     bool
	recording    bool
	recStart     int64 // timeline frame where recording starts (after count-in)
	recEnd       int64 // timeline frame where recording stops by itself (punch-out); 0: none
	epoch        uint32
	readIdx      int64 // stream index (frames since the epoch's start) of the next block
	jumped       bool  // a locate since the last run event
	loopOn       bool
	loopA, loopB int64
	clickOn      bool
	busL, busR   []float32
	synthL       []float32 // instrument scratch
	synthR       []float32
	zeros        []float32 // an input the device does not have
	fadeView     [2][]float32
	lastCycle    time.Duration // when the previous buffer started (since clock)
	view         [][]float32
	fading       [maxFading]fadeOut
	nFading      int
	retroW       int64   // retro frames so far (frames since the engine started)
	contig       int64   // the retro frame since which the transport rolls without a jump
	decay        float32 // meterDecay(decayN)
	decayN       int
	retroMIDI    *ring.Values[retroMsg]

	// Published state (atomics, read by other threads).
	posA      atomic.Int64
	stateA    atomic.Int32
	epochA    atomic.Uint32
	readyA    atomic.Uint32
	startA    atomic.Int64 // timeline frame the butler fills from for epochA
	readIdxA  atomic.Int64
	loopOnA   atomic.Bool
	loopAA    atomic.Int64
	loopBA    atomic.Int64
	graphSeqA atomic.Uint64 // the graph the audio thread plays
	retroWA   atomic.Int64
	xruns     atomic.Int64
	underruns atomic.Int64
	overflows atomic.Int64
	midiDrops atomic.Int64
	buffers   atomic.Int64
	master    meter
}

// New builds an engine with no tracks. Everything the audio thread will
// need, apart from what each track brings in its graph, is allocated here.
func New(cfg Config) *Engine {
	if cfg.MaxBlock <= 0 {
		cfg.MaxBlock = DefaultMaxBlock
	}
	if cfg.ReadAhead <= 0 {
		cfg.ReadAhead = 2 * cfg.Rate
	}
	if cfg.CaptureBuf <= 0 {
		cfg.CaptureBuf = 10 * cfg.Rate
	}
	if cfg.KeepSlack <= 0 {
		cfg.KeepSlack = 10 * cfg.Rate
	}
	e := &Engine{
		slack:     cfg.KeepSlack,
		rate:      cfg.Rate,
		maxBlock:  cfg.MaxBlock,
		readAh:    cfg.ReadAhead,
		capBuf:    cfg.CaptureBuf,
		cmds:      ring.NewValues[command](256),
		events:    ring.NewValues[event](8192),
		wake:      make(chan struct{}, 1),
		busL:      make([]float32, cfg.MaxBlock),
		busR:      make([]float32, cfg.MaxBlock),
		synthL:    make([]float32, cfg.MaxBlock),
		synthR:    make([]float32, cfg.MaxBlock),
		zeros:     make([]float32, cfg.MaxBlock),
		view:      make([][]float32, 2),
		midiIn:    ring.NewValues[timedMsg](midiQueue),
		midiBuf:   make([]timedMsg, 0, midiQueue),
		retroMIDI: ring.NewValues[retroMsg](4096),
		clock:     time.Now(),
		clockFn:   cfg.Clock,
		mix:       map[string]mix.Strip{},
		buses:     mix.NewBuses(cfg.Rate, cfg.MaxBlock, mix.BusFX{}),
	}
	g := &graph{click: newClick(cfg.Rate, 0, 0), keys: map[string]int{}}
	e.latest = g
	e.graphA.Store(g)
	e.relocate(0) // the butler fills the rings from the start before anything plays
	return e
}

// Rate is the engine's sample rate.
func (e *Engine) Rate() int { return e.rate }

// publish makes g the graph the audio thread plays from its next buffer.
// Callers hold pubMu.
func (e *Engine) publish(g *graph) {
	e.seq++
	g.seq = e.seq
	g.keys = make(map[string]int, len(g.nodes))
	for i, nd := range g.nodes {
		g.keys[nd.key] = i
	}
	g.strips = make([]mix.Strip, len(g.nodes))
	for i, nd := range g.nodes {
		st, ok := e.mix[nd.key]
		if !ok || st.Channels != nd.channels {
			l, r := mix.PanGains(0)
			st = mix.Strip{Channels: nd.channels, L: float32(l), R: float32(r), Audible: true}
		}
		g.strips[i] = st
		if nd.slot.chains[nd.channels] == nil {
			nd.slot.chains[nd.channels] = mix.NewChain(e.rate, st.FX)
		}
	}
	g.buses = e.busFX
	g.ins = make([][][]float32, len(g.nodes))
	for i, nd := range g.nodes {
		g.ins[i] = make([][]float32, nd.channels)
	}
	e.latest = g
	e.graphA.Store(g)
}

// --- Commands (any goroutine except the audio thread; never block) ---

func (e *Engine) send(c command) bool { return e.cmds.Push(c) }

// Play starts playback from the current position.
func (e *Engine) Play() bool { return e.send(command{kind: cmdPlay}) }

// Stop stops playback and recording.
func (e *Engine) Stop() bool { return e.send(command{kind: cmdStop}) }

// Locate moves the playhead to a timeline frame (not while recording).
func (e *Engine) Locate(frame int64) bool { return e.send(command{kind: cmdLocate, locate: frame}) }

// Record starts recording the armed tracks at the current position, after
// countInBars bars of count-in (the transport starts that much earlier).
// Tracks armed while it records join it where they are armed.
func (e *Engine) Record(countInBars int) bool {
	return e.send(command{kind: cmdRecord, record: recordCmd{countIn: countInBars}})
}

// RecordFor is Record that stops recording by itself after frames frames
// (the transport keeps playing until Stop).
func (e *Engine) RecordFor(countInBars int, frames int64) bool {
	return e.send(command{kind: cmdRecord, record: recordCmd{countIn: countInBars, frames: frames}})
}

// SetLoop sets the loop range [from, to) and turns looping on or off.
// Recording ignores the loop.
func (e *Engine) SetLoop(from, to int64, on bool) bool {
	return e.send(command{kind: cmdLoop, loop: loopCmd{from: from, to: to, on: on && to > from}})
}

// SetClick turns the metronome on or off.
func (e *Engine) SetClick(on bool) bool { return e.send(command{kind: cmdClick, click: on}) }

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

// SetMix replaces the mix: the strip of each track by its key (gain, pan,
// mute and solo folded in, its effects and sends; see mix.Strips) and the
// buses' settings. It takes effect at the next buffer (effects glide).
// Tracks not named play centred at unity gain. The mix is kept for tracks
// the engine does not play yet (it is set before the Update that brings
// them, so they start at their level).
func (e *Engine) SetMix(keys []string, strips []mix.Strip, buses mix.BusFX) {
	m := make(map[string]mix.Strip, len(keys))
	for i, k := range keys {
		if i < len(strips) {
			m[k] = strips[i]
		}
	}
	e.pubMu.Lock()
	defer e.pubMu.Unlock()
	e.mix, e.busFX = m, buses
	g := *e.latest
	e.publish(&g)
}

// Reset stops the transport and forgets any recording without telling the
// butler (Butler.EndTakes finishes the takes), and drops the commands
// sent meanwhile: for a new device stream taking over from one that
// stopped (a device lost and found again, another device chosen). Call it
// only while no stream runs Process: after the old stream stopped (or was
// lost), before the new one starts.
func (e *Engine) Reset() {
	for {
		if _, ok := e.cmds.Pop(); !ok {
			break // commands sent while no stream ran are not carried out later
		}
	}
	e.recording, e.wantRoll, e.rolling = false, false, false
	if e.cur != nil {
		for _, nd := range e.cur.nodes {
			if nd.cap != nil {
				nd.cap.taking, nd.cap.started = false, false
			}
			if nd.mcap != nil {
				nd.mcap.taking, nd.mcap.started = false, false
			}
		}
	}
	e.relocate(max(e.pos, 0))
	e.publishState()
}

// --- State (any goroutine) ---

// Position is the timeline frame at the playhead (negative during a count-in).
func (e *Engine) Position() int64 { return e.posA.Load() }

// State is Stopped, Playing or Recording.
func (e *Engine) State() State { return State(e.stateA.Load()) }

// Xruns counts buffers the device reported as late or lost.
func (e *Engine) Xruns() int64 { return e.xruns.Load() }

// Underruns counts buffers in which a track's read-ahead ran dry.
func (e *Engine) Underruns() int64 { return e.underruns.Load() }

// CaptureOverflows counts captured frames that did not fit a capture ring.
func (e *Engine) CaptureOverflows() int64 { return e.overflows.Load() }

// Buffers counts the buffers processed so far (the device's clock, in
// buffers: it moves while the transport is stopped too).
func (e *Engine) Buffers() int64 { return e.buffers.Load() }

// Frames counts the frames processed so far (see Buffers).
func (e *Engine) Frames() int64 { return e.retroWA.Load() }

// GraphSeq is the number of the graph the audio thread plays now; each
// publish (Butler.Update, SetMix) numbers its graph one higher.
func (e *Engine) GraphSeq() uint64 { return e.graphSeqA.Load() }

// TrackMeter returns the post-fader peak and held peak (linear) of the
// track with the given key; 0 if the engine does not play it.
func (e *Engine) TrackMeter(key string) (peak, hold float32) {
	g := e.graphA.Load()
	if i, ok := g.keys[key]; ok {
		return g.nodes[i].slot.meter.read()
	}
	return 0, 0
}

// TrackReduction is the gain reduction (dB) of the track's compressor in
// the last buffer, for its meter; 0 for a track the engine does not play.
func (e *Engine) TrackReduction(key string) float64 {
	g := e.graphA.Load()
	if i, ok := g.keys[key]; ok {
		return math.Float64frombits(g.nodes[i].slot.grA.Load())
	}
	return 0
}

// MasterMeter returns the master bus's peak and held peak (linear).
func (e *Engine) MasterMeter() (peak, hold float32) { return e.master.read() }

// --- The audio thread ---

// Process runs one buffer: in has the device's input channels, out its
// output channels, all the same length (longer than Config.MaxBlock is
// taken in parts); xrun says the device lost audio before this buffer.
// The device callback calls it. Safe on the audio thread: it does not
// allocate, lock, block or touch files.
func (e *Engine) Process(in, out [][]float32, xrun bool) {
	n := len(out[0])
	if n > e.maxBlock {
		e.processParts(in, out, xrun)
		return
	}
	g, roll := e.beginBlock(n, xrun)
	e.keepInputs(g, in, n)
	e.keepRecent(g, in, n)
	for i, nd := range g.nodes {
		b := g.ins[i]
		for c := range b {
			b[c] = nd.play.buf[c][:n]
		}
		if roll {
			e.readTrack(nd.play, b, n)
		} else {
			for c := range b {
				clear(b[c])
			}
		}
		switch {
		case nd.armed && nd.midi:
			e.playInstrument(nd, b, n, roll)
		case nd.armed:
			if nd.monitor {
				for c := range b {
					copy(b[c], e.input(in, nd.inputs[c], n))
				}
			}
			if roll && e.recording && nd.cap.taking {
				e.captureTrack(nd, in, n)
			}
		}
		ch := nd.slot.chains[nd.channels]
		ch.Process(b)
		nd.slot.grA.Store(math.Float64bits(ch.GainReduction()))
	}
	if roll && e.recording && e.recEnd > 0 && e.pos+int64(n) >= e.recEnd {
		e.stopRecording()
		e.publishState()
	}
	l, r := e.busL[:n], e.busR[:n]
	clear(l)
	clear(r)
	e.buses.Sum(g.strips, g.ins, l, r, 0, n)
	e.buses.Return(g.strips, l, r, nil)
	e.mixFading(l, r, n, roll)
	e.updateMeters(g, in, l, r, n)
	if e.clickOn && roll {
		g.click.add(e.pos, l, r)
	}
	e.output(out, l, r)
	e.endBlock(n, roll)
}

// beginBlock starts a block of n frames: it takes up a new graph, counts
// an xrun, runs the commands and the MIDI input, and decides whether the
// transport rolls. It returns the graph to play and whether it rolls.
func (e *Engine) beginBlock(n int, xrun bool) (*graph, bool) {
	// The ready epoch is read before the graph: a graph published after
	// the butler made an epoch ready has its rings filled for that epoch.
	readyEp := e.readyA.Load()
	if g := e.graphA.Load(); g != e.cur {
		e.switchGraph(g)
	}
	g := e.cur
	if xrun {
		e.xruns.Add(1)
		if e.recording {
			e.events.Push(event{kind: evDropout, at: e.pos})
		}
	}
	e.commands()
	e.popMIDI(n, g)
	roll := e.wantRoll && readyEp == e.epoch
	if roll != e.rolling {
		e.contig = e.retroW
		e.events.Push(event{kind: evRun, run: run{retro: e.retroW, frame: e.pos, rolling: roll}, jump: e.jumped})
		e.jumped = false
	}
	e.rolling = roll
	return g, roll
}

// updateMeters updates the tracks' meters and the master's (l, r) after a
// block of n frames. An armed audio track's meter shows its input's level
// (before the fader, whether monitored or not), so that levels can be set
// before Record; another track's shows what it plays.
func (e *Engine) updateMeters(g *graph, in [][]float32, l, r []float32, n int) {
	if n != e.decayN {
		e.decay, e.decayN = meterDecay(n, e.rate), n
	}
	for i, nd := range g.nodes {
		p := float32(0)
		if nd.armed && !nd.midi {
			for _, c := range nd.inputs {
				p = max(p, peak(e.input(in, c, n)))
			}
		} else {
			p = trackPeak(g.ins[i], g.strips[i])
		}
		nd.slot.meter.update(p, n, e.rate, e.decay)
	}
	e.master.update(max(peak(l), peak(r)), n, e.rate, e.decay)
}

// endBlock moves the clocks on by a block of n frames (the transport too,
// if roll), publishes them and wakes the butler.
func (e *Engine) endBlock(n int, roll bool) {
	if roll {
		e.readIdx += int64(n)
		e.readIdxA.Store(e.readIdx)
		e.advance(int64(n))
	}
	e.retroW += int64(n)
	e.retroWA.Store(e.retroW)
	e.buffers.Add(1)
	e.posA.Store(e.pos)
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

// processParts runs a buffer longer than MaxBlock as several blocks.
func (e *Engine) processParts(in, out [][]float32, xrun bool) {
	n, step := len(out[0]), e.maxBlock
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

// input is device input c for this n-frame buffer, or silence if the
// device has no such input.
func (e *Engine) input(in [][]float32, c, n int) []float32 {
	if c < 0 || c >= len(in) {
		return e.zeros[:n]
	}
	return in[c][:n]
}

// readTrack fills b with the next n frames of a track's player, faded in
// from the player it replaces (or from silence) while a crossfade runs.
func (e *Engine) readTrack(p *player, b [][]float32, n int) {
	e.readPlayer(p, b, n)
	if p.fadeLeft == 0 {
		return
	}
	var fb [][]float32
	if from := p.fadeFrom; from != nil {
		fb = e.fadeView[:from.channels]
		for c := range fb {
			fb[c] = from.buf[c][:n]
		}
		e.readPlayer(from, fb, n)
	}
	done := fadeFrames - p.fadeLeft
	k := min(p.fadeLeft, n)
	for c := range b {
		x := b[c]
		for i := 0; i < k; i++ {
			g := float32(done+i+1) / fadeFrames
			v := float32(x[i] * g)
			if fb != nil {
				v += float32(fb[c][i] * float32(1-g))
			}
			x[i] = v
		}
	}
	p.fadeLeft -= k
	if p.fadeLeft == 0 {
		p.fadeFrom = nil
	}
}

// readPlayer fills b with the player's frames at the stream index of this
// buffer: frames before it (a player that started earlier in the stream,
// or one that ran dry) are skipped; frames not there yet are silence and
// an underrun.
func (e *Engine) readPlayer(p *player, b [][]float32, n int) {
	if d := e.readIdx - p.pos; d > 0 {
		p.pos += int64(p.ring.Discard(int(min(d, int64(p.ring.Cap())))))
	}
	got := 0
	if p.pos == e.readIdx {
		got = p.ring.Read(b)
		p.pos += int64(got)
	}
	if got < n {
		for c := range b {
			clear(b[c][got:])
		}
		if p.pos <= e.readIdx+int64(got) {
			e.underruns.Add(1)
		}
	}
}

// mixFading adds the removed tracks that are fading out to the bus.
func (e *Engine) mixFading(l, r []float32, n int, roll bool) {
	for i := 0; i < e.nFading; {
		f := &e.fading[i]
		if roll {
			b := e.fadeView[:f.p.channels]
			for c := range b {
				b[c] = f.p.buf[c][:n]
			}
			e.readPlayer(f.p, b, n)
			k := min(f.left, n)
			for c := range b {
				x := b[c]
				for j := 0; j < k; j++ {
					x[j] = float32(x[j] * (float32(f.left-j-1) / fadeFrames))
				}
				clear(x[k:])
			}
			f.strip.PanAdd(b, l, r)
			f.left -= k
		} else {
			f.left = 0
		}
		if f.left > 0 {
			i++
			continue
		}
		e.nFading--
		e.fading[i] = e.fading[e.nFading]
		e.fading[e.nFading] = fadeOut{}
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
// buffer, never before the message before it). While a MIDI track is
// armed, each is also kept for Keep.
func (e *Engine) popMIDI(n int, g *graph) {
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
		if g.midiArmed {
			e.retroMIDI.Push(retroMsg{retro: e.retroW + int64(m.offset), msg: m.msg})
		}
	}
}

// playInstrument feeds this buffer's keyboard messages to an armed MIDI
// track's instrument (recording them, take-relative, once the take has
// started) and adds the instrument's sound to the track, or puts it in the
// place of the track's playback while recording.
func (e *Engine) playInstrument(nd *node, b [][]float32, n int, roll bool) {
	l, r := e.synthL[:n], e.synthR[:n]
	mc := nd.mcap
	rec := roll && e.recording && mc.taking
	if rec && !mc.started {
		if lo, hi := e.takeRange(mc.from, n); lo < hi {
			e.events.Push(event{kind: evTakeStart, mcap: mc, at: mc.from})
			mc.started = true
		}
	}
	done := 0 // frames rendered so far
	for _, m := range e.midiBuf {
		if m.offset > done {
			nd.inst.Render(l[done:m.offset], r[done:m.offset])
			done = m.offset
		}
		nd.inst.Event(m.msg)
		if !rec || !mc.started {
			continue
		}
		at := e.pos + int64(m.offset)
		if at >= mc.from && (e.recEnd == 0 || at < e.recEnd) {
			if !mc.ring.Push(midi.Event{Frame: at - mc.from, Msg: m.msg}) {
				e.midiDrops.Add(1)
				e.events.Push(event{kind: evMIDIOverflow, mcap: mc})
			}
		}
	}
	if done < n {
		nd.inst.Render(l[done:], r[done:])
	}
	finiteStereo(l, r)
	if rec && mc.started {
		lo, hi := e.takeRange(mc.from, n)
		mc.frames += int64(hi - lo)
	}
	switch len(b) {
	case 2:
		if rec {
			copy(b[0], l)
			copy(b[1], r)
		} else {
			mix.Add(b[0], l)
			mix.Add(b[1], r)
		}
	case 1:
		if rec {
			clear(b[0])
		}
		for i := range l {
			b[0][i] += float32(float32(l[i]+r[i]) * 0.5)
		}
	}
}

// finiteStereo replaces what an instrument rendered that is not a finite
// number, as mix.Finite does (NaN by 0, ±Inf by ±1): a synthesiser gone
// wrong is heard as silence or clipping on its own track, never as NaN or
// infinity on the master bus over every track. (A MIDI take, rendered to
// a file for playback and the render, is read through audio/source, which
// replaces them the same way.) Safe on the audio thread: one subtraction
// and one addition per sample when all is well, no allocation.
func finiteStereo(l, r []float32) {
	mix.Finite(l)
	mix.Finite(r)
}

// captureTrack copies an armed track's inputs into its capture ring, from
// its take's start on, telling the butler first when the take starts in
// this buffer.
func (e *Engine) captureTrack(nd *node, in [][]float32, n int) {
	c := nd.cap
	lo, hi := e.takeRange(c.from, n)
	if lo >= hi {
		return
	}
	if !c.started {
		// The take starts in this buffer: tell the butler before anything
		// is captured, so that it never sees captures without their start.
		e.events.Push(event{kind: evTakeStart, cap: c, at: c.from})
		c.started = true
	}
	v := e.view[:c.channels]
	for ch := range v {
		v[ch] = e.input(in, nd.inputs[ch], n)[lo:hi]
	}
	e.captured(c, v, hi-lo)
}

// captured writes n captured frames (v) into c's ring, counting what does
// not fit as lost.
func (e *Engine) captured(c *capture, v [][]float32, n int) {
	if k := c.ring.Write(v); k < n {
		lost := int64(n - k)
		e.overflows.Add(lost)
		e.events.Push(event{kind: evCaptureOverflow, cap: c, loss: loss{at: c.frames + int64(k), n: lost}})
	}
	c.frames += int64(n)
	c.framesA.Store(c.frames)
}

// takeRange is the part [lo, hi) of the current n-frame buffer that a take
// starting at timeline frame from records.
func (e *Engine) takeRange(from int64, n int) (lo, hi int) {
	lo = int(min(max(from-e.pos, 0), int64(n)))
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
	old := e.pos
	e.pos += n
	if e.loopOn && !e.recording && e.pos >= e.loopB {
		e.pos = e.loopA + (e.pos-e.loopB)%(e.loopB-e.loopA)
		// The loop came round within this buffer: a new run starts there.
		at := e.retroW + (e.loopB - old)
		e.contig = at
		e.events.Push(event{kind: evRun, run: run{retro: at, frame: e.loopA, rolling: true}})
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
		case cmdStop:
			e.stopRecording()
			e.wantRoll = false
			e.relocate(e.pos)
		case cmdLocate:
			if !e.recording {
				e.jumped = true
				e.relocate(c.locate)
			}
		case cmdRecord:
			if e.recording {
				continue
			}
			e.recording = true
			e.recStart = e.pos
			e.recEnd = 0
			if c.record.frames > 0 {
				e.recEnd = e.pos + c.record.frames
			}
			for _, nd := range e.cur.nodes {
				if nd.cap != nil {
					e.startCapture(nd.cap)
				}
				if nd.mcap != nil {
					e.startTake(&nd.mcap.taking, &nd.mcap.started, &nd.mcap.from, &nd.mcap.frames)
				}
			}
			// Already playing (no count-in, no loop to leave): recording
			// starts here, and playback goes on without a break.
			if !e.rolling || c.record.countIn > 0 || e.loopOn {
				pre := int64(c.record.countIn) * int64(math.Round(e.cur.click.bar))
				e.relocate(e.pos - pre)
			}
			e.wantRoll = true
		case cmdLoop:
			e.loopOn, e.loopA, e.loopB = c.loop.on, c.loop.from, c.loop.to
			e.relocate(e.pos)
		case cmdClick:
			e.clickOn = c.click
		}
		e.publishState()
	}
}

// stopRecording ends every take.
func (e *Engine) stopRecording() {
	if !e.recording {
		return
	}
	e.recording = false
	for _, nd := range e.cur.nodes {
		if nd.cap != nil {
			e.endTake(nd.cap)
		}
		if nd.mcap != nil {
			e.endMIDITake(nd.mcap)
		}
	}
}

// relocate starts a new epoch at frame p: the rings are not read again
// until the butler has refilled them from p. Crossfades and fade-outs
// stop: what they would have played belongs to the old position.
func (e *Engine) relocate(p int64) {
	if e.loopOn && !e.recording && p >= e.loopB && p >= 0 {
		p = e.loopA // playing a loop from after it starts at the loop
	}
	e.pos = p
	e.contig = e.retroW
	e.epoch++
	e.readIdx = 0
	e.readIdxA.Store(0)
	e.startA.Store(p)
	e.loopOnA.Store(e.loopOn && !e.recording)
	e.loopAA.Store(e.loopA)
	e.loopBA.Store(e.loopB)
	e.epochA.Store(e.epoch)
	if e.cur != nil {
		for _, nd := range e.cur.nodes {
			nd.play.fadeLeft, nd.play.fadeFrom = 0, nil
		}
	}
	for i := range e.nFading {
		e.fading[i] = fadeOut{}
	}
	e.nFading = 0
}

func (e *Engine) publishState() {
	s := Stopped
	if e.wantRoll {
		s = Playing
		if e.recording {
			s = Recording
		}
	}
	e.stateA.Store(int32(s))
	e.posA.Store(e.pos)
}

// peak is the largest magnitude in x.
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
