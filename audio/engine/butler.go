package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"sangstudio/audio/ring"
	"sangstudio/audio/wav"
	"sangstudio/audio/waveform"
	"sangstudio/internal/fserr"
	"sangstudio/midi"
	"sangstudio/midi/smf"
)

// fillChunk is how many frames the butler reads per track per step.
const fillChunk = 4096

// TakeFunc creates the file for a new take on the track with the given
// key that starts at timeline frame start; the butler writes it (a WAV
// file, or for a MIDI track a Standard MIDI File that it rewrites
// atomically at each checkpoint by the file's name). It runs on the
// butler's goroutine.
type TakeFunc func(key string, start int64) (f *os.File, name string, err error)

// Recorded describes one take written during a recording.
type Recorded struct {
	Key      string  // the track's key
	File     string  // name returned by the TakeFunc
	Start    int64   // timeline frame of the take's first frame (before latency compensation)
	Frames   int64   // frames in the file (for a MIDI take: the frames recorded)
	MIDI     bool    // a MIDI take (a .mid file)
	Dropouts []int64 // take frames where the device lost audio (-1: somewhere)
	Started  time.Time
}

// Layout is a song as the engine plays it: its tracks in mix order and
// what the click needs.
type Layout struct {
	Tracks      []TrackSpec
	Tempo       float64
	BeatsPerBar int
	BeatUnit    int // the time signature's note value, for MIDI takes (0: 4)
	// Takes creates take files; tracks armed while it is nil cannot record.
	Takes TakeFunc
	// Keep is how many frames of each armed input (and the keyboard, for
	// armed MIDI tracks) are kept in memory for Keep (0: none).
	Keep int64
	// Inputs is how many inputs the device has: the last moments of each
	// are kept, so that a track armed while recording starts its take
	// where it was armed (TrackSpec.ArmedAt).
	Inputs int
}

// TrackSpec is one track of a Layout.
type TrackSpec struct {
	// Key names the track for as long as it exists (the song track's ID):
	// its meter, its take and its playback carry over between layouts by it.
	Key      string
	Channels int // 1 or 2
	MIDI     bool
	Armed    bool  // records when the transport records (from its arming on, while it records)
	Inputs   []int // 0-based device inputs it records from, one per channel (armed audio tracks)
	Monitor  bool  // the input is heard instead of the track while it is armed
	// ArmedAt is Engine.Frames when the track was armed (0: not known).
	// Armed while recording, its take starts there, not when this layout
	// reaches the audio thread (see Layout.Inputs).
	ArmedAt int64
	// Instrument plays what the MIDI keyboard sends on an armed MIDI track.
	Instrument Instrument
	// Source is a new reader of what the track plays (its clips), which the
	// butler owns (and closes) from now on; nil when that is unchanged since
	// the last Update, so that its playback goes on undisturbed. A track
	// that is new, or changed, needs one.
	Source Reader
}

// Butler is the engine's disk goroutine: it keeps the playback rings full,
// builds the graphs the audio thread plays, and writes captured audio to
// take files, crash-safe (each file is a valid WAV from its first byte and
// is checkpointed at least every second).
type Butler struct {
	e   *Engine
	enc wav.Encoding
	mu  sync.Mutex // everything below: Service, Update and the readers of results take turns

	takeFn  TakeFunc
	tempo   float64
	timeSig [2]int
	slots   map[string]*slot
	caps    map[string]*capture
	mcaps   map[string]*midiCapture
	retro   []*retroInput
	recent  *recentInputs
	keep    int64

	// The epoch the rings are filled for, and its loop.
	epoch  uint32
	start  int64
	loopOn bool
	loopA  int64
	loopB  int64

	scratch [2][]float32
	views   [2][]float32

	active   []*capture     // captures with a take being written (or failed, until their stop)
	activeM  []*midiCapture // the same for MIDI
	lastSync time.Time
	done     []Recorded
	err      error

	runs    []run      // retro.go
	midiLog []retroMsg // retro.go

	live atomic.Pointer[[]LiveTake] // livetake.go
}

type takeWriter struct {
	name     string
	w        *wav.Writer
	written  int64
	buf      [][]float32
	from     int64
	stopAt   int64 // frames in the take, once its stop came; -1 before
	losses   []loss
	dropouts []int64
	started  time.Time
	peaks    *waveform.Growing // of what is written, for LiveTakes
}

// loss is a run of frames the capture ring had no room for: the take gets
// silence there, so that what follows stays in its place.
type loss struct{ at, n int64 } // n frames from take frame at

// midiTake is a MIDI take being recorded, with the notes and pedals held
// so far so that a take stopped mid-note still ends them.
type midiTake struct {
	name     string
	w        *smf.TakeWriter
	held     [16][128]bool
	sustain  [16]bool
	from     int64
	stopAt   int64
	dropouts []int64
	started  time.Time
}

func (m *midiTake) add(e midi.Event) {
	m.w.Add(e)
	ch := e.Channel()
	switch {
	case e.IsNoteOn():
		m.held[ch][e.Msg[1]&0x7f] = true
	case e.IsNoteOff():
		m.held[ch][e.Msg[1]&0x7f] = false
	case e.Kind() == midi.ControlChange && e.Msg[1] == midi.CCSustain:
		m.sustain[ch] = e.Msg[2] >= 64
	}
}

// release ends every note and pedal still held at frame end.
func (m *midiTake) release(end int64) {
	for ch := range m.held {
		for k, on := range m.held[ch] {
			if on {
				m.add(midi.Event{Frame: end, Msg: [3]byte{midi.NoteOff | byte(ch), byte(k), 0}})
			}
		}
		if m.sustain[ch] {
			m.add(midi.Event{Frame: end, Msg: [3]byte{midi.ControlChange | byte(ch), midi.CCSustain, 0}})
		}
	}
}

// NewButler makes the butler for e. Give it a song with Update.
func NewButler(e *Engine) *Butler {
	b := &Butler{e: e, enc: wav.Float32, epoch: ^uint32(0), tempo: 100, timeSig: [2]int{4, 4},
		slots: map[string]*slot{}, caps: map[string]*capture{}, mcaps: map[string]*midiCapture{}}
	for c := range b.scratch {
		b.scratch[c] = make([]float32, fillChunk)
	}
	return b
}

// Update makes the engine play l from its next buffer. Tracks whose Source
// is nil play on from their rings; the others get new rings, filled here
// from around the playhead before they are published, and the audio
// thread crossfades to them (a track added fades in, one removed fades
// out). Tracks armed while recording start their takes where they are
// armed, and tracks disarmed (or removed) end theirs there. It returns
// when the engine plays l. Sources it was given are closed once they are
// no longer played, also when it fails (a layout it cannot play: nothing
// changes then).
func (b *Butler) Update(l Layout) error {
	if err := checkLayout(l); err != nil {
		for _, ts := range l.Tracks {
			if ts.Source != nil {
				ts.Source.Close()
			}
		}
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.syncEpoch()
	e := b.e
	old := e.graphA.Load()
	oldByKey := make(map[string]*node, len(old.nodes))
	for _, nd := range old.nodes {
		oldByKey[nd.key] = nd
	}
	g := &graph{}
	slots := make(map[string]*slot, len(l.Tracks))
	caps := map[string]*capture{}
	mcaps := map[string]*midiCapture{}
	for _, ts := range l.Tracks {
		nd := &node{key: ts.Key, channels: ts.Channels, midi: ts.MIDI, armed: ts.Armed,
			inputs: append([]int(nil), ts.Inputs...), monitor: ts.Monitor, inst: ts.Instrument, armedAt: ts.ArmedAt}
		nd.slot = b.slots[ts.Key]
		if nd.slot == nil {
			nd.slot = &slot{key: ts.Key}
		}
		slots[ts.Key] = nd.slot
		od := oldByKey[ts.Key]
		if ts.Source == nil && od != nil && od.channels == ts.Channels {
			nd.play = od.play
		} else {
			nd.play = b.newPlayer(ts.Channels, ts.Source)
		}
		switch {
		case ts.Armed && ts.MIDI:
			mc := b.mcaps[ts.Key]
			if mc == nil {
				mc = &midiCapture{key: ts.Key, ring: ring.NewValues[midi.Event](1 << 16)}
			}
			nd.mcap, mcaps[ts.Key] = mc, mc
			g.midiArmed = true
		case ts.Armed:
			c := b.caps[ts.Key]
			if c == nil || c.channels != ts.Channels {
				c = &capture{key: ts.Key, channels: ts.Channels, ring: ring.NewFrames(ts.Channels, e.capBuf)}
			}
			nd.cap, caps[ts.Key] = c, c
		}
		g.nodes = append(g.nodes, nd)
	}
	b.slots, b.caps, b.mcaps = slots, caps, mcaps
	if l.Takes != nil {
		b.takeFn = l.Takes
	}
	b.tempo, b.timeSig = l.Tempo, [2]int{l.BeatsPerBar, l.BeatUnit}
	if b.timeSig[1] == 0 {
		b.timeSig[1] = 4
	}
	g.click = newClick(e.rate, l.Tempo, l.BeatsPerBar)
	g.retro = b.retroInputs(l)
	g.recent = b.recentInputsFor(l.Inputs)
	e.pubMu.Lock()
	e.publish(g)
	e.pubMu.Unlock()
	// Players no longer played are not filled again: their sources go.
	for _, nd := range old.nodes {
		if !playerIn(g, nd.play) && nd.play.src != nil {
			nd.play.src.Close()
			nd.play.src = nil
		}
	}
	return nil
}

// checkLayout refuses a layout the audio thread could not play.
func checkLayout(l Layout) error {
	seen := map[string]bool{}
	for i, ts := range l.Tracks {
		switch {
		case ts.Key == "" || seen[ts.Key]:
			return fmt.Errorf("engine: track %d has no key of its own", i+1)
		case ts.Channels != 1 && ts.Channels != 2:
			return fmt.Errorf("engine: track %d has %d channels", i+1, ts.Channels)
		case ts.Armed && ts.MIDI && ts.Instrument == nil:
			return fmt.Errorf("engine: armed MIDI track %d has no instrument", i+1)
		case ts.Armed && !ts.MIDI && len(ts.Inputs) != ts.Channels:
			return fmt.Errorf("engine: armed track %d has %d channels but %d inputs", i+1, ts.Channels, len(ts.Inputs))
		}
		seen[ts.Key] = true
	}
	return nil
}

// newPlayer makes a player for src (nil: silence), filled from the frame
// the audio thread is about to play.
func (b *Butler) newPlayer(channels int, src Reader) *player {
	e := b.e
	p := &player{ring: ring.NewFrames(channels, e.readAh), src: src, channels: channels,
		buf: make([][]float32, channels)}
	for c := range p.buf {
		p.buf[c] = make([]float32, e.maxBlock)
	}
	start := int64(0)
	if e.epochA.Load() == b.epoch {
		start = e.readIdxA.Load()
	}
	p.pos, p.fillIdx = start, start
	p.epoch.Store(b.epoch)
	b.fill(p)
	return p
}

// Run services the engine until ctx ends: after every buffer (the audio
// thread wakes it) and at least every 10 ms. When ctx ends it finishes
// every take still open and returns the first error met.
func (b *Butler) Run(ctx context.Context) error {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			b.mu.Lock()
			defer b.mu.Unlock()
			b.finishAll()
			return b.err
		case <-b.e.wake:
		case <-tick.C:
		}
		b.Service()
	}
}

// Service does one round of the butler's work: handle a new epoch, fill the
// playback rings, handle the audio thread's events, drain the capture
// rings. Run calls it; tests may call it directly between buffers.
func (b *Butler) Service() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.syncEpoch()
	for _, nd := range b.e.graphA.Load().nodes {
		b.fill(nd.play)
	}
	// What may be drained is what was captured before the events are
	// read: every loss within it has been reported by then.
	for _, c := range b.active {
		c.limit = c.framesA.Load()
	}
	b.handleEvents()
	b.drain()
	b.keepMIDI()
	b.publishLive()
}

// syncEpoch refills every ring from a new epoch's start position and
// tells the audio thread it may roll. The audio thread stopped reading
// the rings before it published the epoch.
func (b *Butler) syncEpoch() {
	e := b.e
	ep := e.epochA.Load()
	if ep == b.epoch {
		return
	}
	b.epoch = ep
	b.start = e.startA.Load()
	b.loopOn, b.loopA, b.loopB = e.loopOnA.Load(), e.loopAA.Load(), e.loopBA.Load()
	for _, nd := range e.graphA.Load().nodes {
		p := nd.play
		p.ring.Reset()
		p.pos, p.fillIdx = 0, 0
		p.epoch.Store(ep)
		b.fill(p)
	}
	e.readyA.Store(ep)
}

// timelineAt is the timeline frame of stream index k in the current epoch.
func (b *Butler) timelineAt(k int64) int64 {
	p := b.start + k
	if !b.loopOn || b.start >= b.loopB || p < b.loopB {
		return p
	}
	return b.loopA + (p-b.loopB)%(b.loopB-b.loopA)
}

// fill reads ahead into p's ring while it has room for a chunk.
func (b *Butler) fill(p *player) {
	for p.ring.Writable() >= fillChunk {
		pos := b.timelineAt(p.fillIdx)
		n := int64(fillChunk)
		if b.loopOn && pos < b.loopB {
			n = min(n, b.loopB-pos)
		}
		v := sub(b.views[:p.channels], b.scratch[:p.channels], 0, int(n))
		b.readAt(p, pos, v)
		p.ring.Write(v)
		p.fillIdx += n
	}
}

// readAt reads p's audio at timeline frames [pos, pos+n); negative
// positions (count-in) are silence. A read error gives silence and is kept
// as the butler's error.
func (b *Butler) readAt(p *player, pos int64, v [][]float32) {
	n := int64(len(v[0]))
	if pos < 0 {
		k := min(-pos, n)
		for c := range v {
			clear(v[c][:k])
		}
		if k == n {
			return
		}
		v, pos = sub(v, v, int(k), int(n)), 0
	}
	if p.src == nil {
		for c := range v {
			clear(v[c])
		}
		return
	}
	if err := p.src.ReadAt(pos, v); err != nil {
		for c := range v {
			clear(v[c])
		}
		b.fail(err)
	}
}

func (b *Butler) handleEvents() {
	for {
		ev, ok := b.e.events.Pop()
		if !ok {
			return
		}
		switch ev.kind {
		case evTakeStart:
			if ev.cap != nil {
				b.startTake(ev.cap, ev.at)
			} else {
				b.startMIDITake(ev.mcap, ev.at)
			}
		case evTakeStop:
			if c := ev.cap; c != nil {
				c.stopped = true
				if c.take != nil {
					c.take.stopAt = ev.frames
				}
			} else if m := ev.mcap; m != nil {
				m.stopped = true
				if m.take != nil {
					m.take.stopAt = ev.frames
				}
			}
		case evDropout:
			for _, c := range b.active {
				if c.take != nil {
					noteDropout(&c.take.dropouts, ev.at-c.take.from)
				}
			}
			for _, m := range b.activeM {
				if m.take != nil {
					noteDropout(&m.take.dropouts, ev.at-m.take.from)
				}
			}
		case evCaptureOverflow:
			if tw := ev.cap.take; tw != nil {
				tw.losses = append(tw.losses, ev.loss)
				noteDropout(&tw.dropouts, ev.loss.at)
			}
		case evMIDIOverflow:
			if m := ev.mcap.take; m != nil {
				noteDropout(&m.dropouts, -1)
			}
		case evRun:
			b.noteRun(ev)
		}
	}
}

// MaxDropouts is how many dropouts a take notes. A take with more (a disk
// that stalled for minutes overflows the capture ring on every buffer)
// notes the first MaxDropouts: enough to say it was damaged, and far below
// what the song model accepts, so the take can always be saved.
const MaxDropouts = 1000

// noteDropout notes a dropout at take frame at (-1: position unknown).
// Runs of unknown positions are noted once.
func noteDropout(d *[]int64, at int64) {
	if len(*d) >= MaxDropouts {
		return
	}
	if at < 0 {
		if n := len(*d); n > 0 && (*d)[n-1] < 0 {
			return
		}
		at = -1
	}
	*d = append(*d, at)
}

func (b *Butler) startTake(c *capture, from int64) {
	b.active = append(b.active, c)
	c.stopped, c.failed, c.take = false, false, nil
	if b.takeFn == nil {
		c.failed = true
		b.fail(errors.New("cannot start a take: the song cannot take recordings now"))
		return
	}
	f, name, err := b.takeFn(c.key, from)
	if err != nil {
		c.failed = true
		b.fail(fmt.Errorf("cannot start a take: %w", fserr.Describe(err)))
		return
	}
	w, err := wav.NewWriter(f, wav.Format{Rate: b.e.rate, Channels: c.channels, Encoding: b.enc}, wav.WriterOptions{})
	if err != nil {
		c.failed = true
		b.fail(fmt.Errorf("cannot start take %s: %w", name, fserr.Describe(err)))
		return
	}
	tw := &takeWriter{name: name, w: w, buf: make([][]float32, c.channels), from: from, stopAt: -1, started: time.Now(),
		peaks: waveform.NewGrowing(b.e.rate, 0)}
	for ch := range tw.buf {
		tw.buf[ch] = make([]float32, 8192)
	}
	c.take = tw
	if len(b.active) == 1 && len(b.activeM) == 0 {
		b.lastSync = time.Now()
	}
}

func (b *Butler) startMIDITake(m *midiCapture, from int64) {
	b.activeM = append(b.activeM, m)
	m.stopped, m.failed, m.take = false, false, nil
	if b.takeFn == nil {
		m.failed = true
		b.fail(errors.New("cannot start a take: the song cannot take recordings now"))
		return
	}
	f, name, err := b.takeFn(m.key, from)
	if err != nil {
		m.failed = true
		b.fail(fmt.Errorf("cannot start a take: %w", fserr.Describe(err)))
		return
	}
	path := f.Name()
	f.Close()
	w, err := smf.NewTakeWriter(path, b.e.rate, b.tempo, b.timeSig, name)
	if err != nil {
		m.failed = true
		b.fail(fmt.Errorf("cannot start take %s: %w", name, fserr.Describe(err)))
		return
	}
	m.take = &midiTake{name: name, w: w, from: from, stopAt: -1, started: time.Now()}
}

// drain writes captured audio to the takes, checkpoints them every second,
// and finishes each take once everything up to its stop has been written.
func (b *Butler) drain() {
	for i := 0; i < len(b.active); {
		if b.drainCapture(b.active[i]) {
			b.active = append(b.active[:i], b.active[i+1:]...)
		} else {
			i++
		}
	}
	for i := 0; i < len(b.activeM); {
		if b.drainMIDI(b.activeM[i]) {
			b.activeM = append(b.activeM[:i], b.activeM[i+1:]...)
		} else {
			i++
		}
	}
	if time.Since(b.lastSync) < time.Second {
		return
	}
	b.lastSync = time.Now()
	for _, m := range b.activeM {
		if m.take != nil {
			if err := m.take.w.Checkpoint(); err != nil {
				b.fail(fmt.Errorf("recording stopped: writing %s: %w", m.take.name, fserr.Describe(err)))
				b.e.Stop()
				b.finishMIDI(m, m.take.w.Frames())
			}
		}
	}
	for _, c := range b.active {
		if c.take != nil {
			if err := c.take.w.Sync(); err != nil {
				b.fail(fmt.Errorf("recording stopped: writing %s: %w", c.take.name, fserr.Describe(err)))
				b.e.Stop()
				b.finish(c)
			}
		}
	}
}

// drainCapture moves what c's ring holds into its take, up to the frames
// known to be captured (with silence where frames were lost), and reports
// whether the take is over (finished, or failed and stopped).
func (b *Butler) drainCapture(c *capture) bool {
	tw := c.take
	if tw == nil { // the take's file failed: drop what was captured
		c.ring.Discard(c.ring.Readable())
		return c.stopped
	}
	for tw.written < c.limit {
		if len(tw.losses) > 0 && tw.losses[0].at <= tw.written {
			if !b.writeSilence(c, tw.losses[0].n) {
				return true
			}
			tw.losses = tw.losses[1:]
			continue
		}
		want := min(int64(c.ring.Readable()), c.limit-tw.written, int64(len(tw.buf[0])))
		if len(tw.losses) > 0 {
			want = min(want, tw.losses[0].at-tw.written)
		}
		if want <= 0 {
			break
		}
		k := c.ring.Read(sub(b.views[:c.channels], tw.buf, 0, int(want)))
		if !b.writeTake(c, sub(b.views[:c.channels], tw.buf, 0, k)) {
			return true
		}
	}
	if !c.stopped || tw.stopAt < 0 {
		return false
	}
	if tw.written < tw.stopAt && c.limit >= tw.stopAt && c.ring.Readable() == 0 {
		// Everything captured is written, yet frames are missing: their
		// loss was not reported (the event queue was full). Silence keeps
		// the take's length.
		if !b.writeSilence(c, tw.stopAt-tw.written) {
			return true
		}
		noteDropout(&tw.dropouts, -1)
	}
	if tw.written >= tw.stopAt {
		b.finish(c)
		return true
	}
	return false
}

// writeTake writes frames to c's take; on an error the recording stops and
// the take is finished with what it has.
func (b *Butler) writeTake(c *capture, v [][]float32) bool {
	tw := c.take
	if err := tw.w.Write(v); err != nil {
		b.fail(fmt.Errorf("recording stopped: writing %s: %w", tw.name, fserr.Describe(err)))
		b.e.Stop()
		b.finish(c)
		return false
	}
	tw.written += int64(len(v[0]))
	tw.peaks.Add(v)
	return true
}

// writeSilence writes n frames of silence where captured frames were lost.
func (b *Butler) writeSilence(c *capture, n int64) bool {
	tw := c.take
	for ch := range tw.buf {
		clear(tw.buf[ch])
	}
	for n > 0 {
		k := min(n, int64(len(tw.buf[0])))
		if !b.writeTake(c, sub(b.views[:c.channels], tw.buf, 0, int(k))) {
			return false
		}
		n -= k
	}
	return true
}

// sub sets view to the sub-slices [from:to] of each channel of bufs and
// returns it (no allocation).
func sub(view, bufs [][]float32, from, to int) [][]float32 {
	for c := range bufs {
		view[c] = bufs[c][from:to]
	}
	return view[:len(bufs)]
}

// finish closes c's take and notes it as recorded.
func (b *Butler) finish(c *capture) {
	tw := c.take
	if tw == nil {
		return
	}
	c.take = nil
	if err := tw.w.Close(); err != nil {
		b.fail(fmt.Errorf("finishing %s: %w", tw.name, fserr.Describe(err)))
	}
	b.done = append(b.done, Recorded{Key: c.key, File: tw.name, Start: tw.from, Frames: tw.written,
		Dropouts: tw.dropouts, Started: tw.started})
}

// drainMIDI moves what a MIDI capture's ring holds into its take (or drops
// it when the take failed), and reports whether the take is over.
func (b *Butler) drainMIDI(m *midiCapture) bool {
	for {
		e, ok := m.ring.Pop()
		if !ok {
			break
		}
		if m.take != nil {
			m.take.add(e)
		}
	}
	if !m.stopped {
		return false
	}
	if m.take != nil {
		b.finishMIDI(m, m.take.stopAt)
	}
	return true
}

// finishMIDI ends a MIDI take at take frame end (the frames recorded):
// notes still held end there; the file gets its last checkpoint.
func (b *Butler) finishMIDI(m *midiCapture, end int64) {
	t := m.take
	if t == nil {
		return
	}
	m.take = nil
	end = max(end, t.w.Frames())
	t.release(end)
	if err := t.w.Close(); err != nil {
		b.fail(fmt.Errorf("finishing %s: %w", t.name, fserr.Describe(err)))
	}
	b.done = append(b.done, Recorded{Key: m.key, File: t.name, Start: t.from, Frames: end, MIDI: true,
		Dropouts: t.dropouts, Started: t.started})
}

// EndTakes finishes every take with what has been captured so far, for
// when the device stopped on its own (the audio thread will not end them:
// see Engine.Reset).
func (b *Butler) EndTakes() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.finishAll()
}

// finishAll closes every take still open.
func (b *Butler) finishAll() {
	for _, c := range b.active {
		c.limit = c.framesA.Load()
	}
	b.handleEvents()
	for _, c := range b.active {
		c.stopped = true
		if c.take != nil && c.take.stopAt < 0 {
			c.take.stopAt = c.limit
		}
	}
	for _, m := range b.activeM {
		if !m.stopped && m.take != nil {
			m.take.stopAt = m.take.w.Frames()
		}
		m.stopped = true
	}
	b.drain()
	for _, c := range b.active {
		b.finish(c)
	}
	b.active, b.activeM = nil, nil
	b.publishLive()
}

func (b *Butler) fail(err error) {
	if b.err == nil {
		b.err = err
	}
}

// Err is the first error the butler met since the last TakeErr, or nil.
func (b *Butler) Err() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err
}

// TakeErr returns the first error since the last call and forgets it.
func (b *Butler) TakeErr() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	err := b.err
	b.err = nil
	return err
}

// Recording reports whether takes are being written.
func (b *Butler) Recording() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.active) > 0 || len(b.activeM) > 0
}

// TakeRecorded returns (and forgets) the takes finished since the last call.
func (b *Butler) TakeRecorded() []Recorded {
	b.mu.Lock()
	defer b.mu.Unlock()
	d := b.done
	b.done = nil
	return d
}

// Close closes the sources of the tracks the engine plays: the butler is
// done (its engine is no longer used). Call it after Run has returned.
func (b *Butler) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, nd := range b.e.graphA.Load().nodes {
		if nd.play.src != nil {
			nd.play.src.Close()
			nd.play.src = nil
		}
	}
}

// ErrNoTakes is returned when a recording produced no take.
var ErrNoTakes = errors.New("engine: nothing was recorded")
