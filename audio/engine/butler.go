package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"sangstudio/audio/source"
	"sangstudio/audio/wav"
	"sangstudio/internal/fserr"
	"sangstudio/midi"
	"sangstudio/midi/smf"
)

// fillChunk is how many frames the butler reads per track per step.
const fillChunk = 4096

// TakeFunc creates the file for a new take on engine track i that starts at
// timeline frame start; the butler writes it (a WAV file, or for a MIDI
// track a Standard MIDI File that it rewrites atomically at each
// checkpoint by the file's name). It runs on the butler's goroutine.
type TakeFunc func(track int, start int64) (f *os.File, name string, err error)

// Recorded describes one take written during a recording.
type Recorded struct {
	Track    int     // engine track index
	File     string  // name returned by the TakeFunc
	Start    int64   // timeline frame of the take's first frame (before latency compensation)
	Frames   int64   // frames in the file (for a MIDI take: the frames recorded)
	MIDI     bool    // a MIDI take (a .mid file)
	Dropouts []int64 // take frames where the device lost audio
	Started  time.Time
}

// Butler is the engine's disk goroutine: it keeps the playback rings full
// and writes captured audio to take files, crash-safe (each file is a valid
// WAV from its first byte and is checkpointed at least every second).
type Butler struct {
	e       *Engine
	src     []*source.Track
	newTake TakeFunc
	enc     wav.Encoding

	epoch   uint32
	fillPos int64
	loopOn  bool
	loopA   int64
	loopB   int64
	scratch [][][]float32 // per track: fill buffers
	orphans []int         // per track: captures found while no take was being written
	views   [][][]float32 // per track: reusable slice headers
	mu      sync.Mutex    // guards the results below against the readers' goroutines

	takes     []*takeWriter // per engine track (nil: not recording)
	midiTakes []*midiTake   // per engine track (nil: not recording MIDI)
	recording bool
	recStart  int64
	stopAt    int64 // frames to write per take once the stop event came; -1 while recording
	dropouts  []int64
	started   time.Time
	lastSync  time.Time
	done      []Recorded
	err       error
}

type takeWriter struct {
	name    string
	w       *wav.Writer
	written int64
	buf     [][]float32
}

// midiTake is a MIDI take being recorded, with the notes and pedals held
// so far so that a take stopped mid-note still ends them.
type midiTake struct {
	name    string
	w       *smf.TakeWriter
	held    [16][128]bool
	sustain [16]bool
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

// NewButler makes the butler for e. src has one reader per engine track (its
// clips at the song's rate); newTake creates take files for armed tracks.
func NewButler(e *Engine, src []*source.Track, newTake TakeFunc) *Butler {
	b := &Butler{e: e, src: src, newTake: newTake, enc: wav.Float32, epoch: ^uint32(0), stopAt: -1}
	b.takes = make([]*takeWriter, len(e.tracks))
	b.midiTakes = make([]*midiTake, len(e.tracks))
	b.orphans = make([]int, len(e.tracks))
	for _, t := range e.tracks {
		s := make([][]float32, t.Channels)
		for c := range s {
			s[c] = make([]float32, fillChunk)
		}
		b.scratch = append(b.scratch, s)
		b.views = append(b.views, make([][]float32, t.Channels))
	}
	return b
}

// Run services the engine until ctx ends: after every buffer (the audio
// thread wakes it) and at least every 10 ms. It returns the first error
// (a take that could not be written); recording stops then.
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
// playback rings, drain the capture rings, handle the audio thread's events.
// Run calls it; tests may call it directly between buffers.
func (b *Butler) Service() {
	b.mu.Lock()
	defer b.mu.Unlock()
	e := b.e
	if ep := e.epochA.Load(); ep != b.epoch {
		// The audio thread stopped reading before publishing ep.
		for _, t := range e.tracks {
			t.play.Reset()
		}
		b.fillPos = e.startA.Load()
		b.loopOn, b.loopA, b.loopB = e.loopOnA.Load(), e.loopAA.Load(), e.loopBA.Load()
		b.epoch = ep
		b.fill()
		e.readyA.Store(ep)
	} else {
		b.fill()
	}
	b.handleEvents()
	b.drain()
}

// fill reads ahead while every ring has room for a chunk.
func (b *Butler) fill() {
	tracks := b.e.tracks
	if len(tracks) == 0 {
		return // nothing to read ahead
	}
	for {
		for _, t := range tracks {
			if t.play.Writable() < fillChunk {
				return
			}
		}
		n := int64(fillChunk)
		if b.loopOn && b.fillPos < b.loopB {
			n = min(n, b.loopB-b.fillPos)
		}
		for i, t := range tracks {
			v := sub(b.views[i], b.scratch[i], 0, int(n))
			b.readAt(i, b.fillPos, v)
			t.play.Write(v)
		}
		b.fillPos += n
		if b.loopOn && b.fillPos >= b.loopB {
			b.fillPos = b.loopA
		}
	}
}

// readAt reads track i's audio at timeline frames [pos, pos+n); negative
// positions (count-in) are silence. A read error gives silence and is kept
// as the butler's error.
func (b *Butler) readAt(i int, pos int64, v [][]float32) {
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
	if b.src == nil || b.src[i] == nil {
		for c := range v {
			clear(v[c])
		}
		return
	}
	if err := b.src[i].ReadAt(pos, v); err != nil {
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
		case evRecordStart:
			b.startTakes(ev.a)
		case evRecordStop:
			b.stopAt = ev.a
		case evDropout:
			b.noteDropout(ev.a)
		case evCaptureOverflow, evMIDIOverflow:
			b.noteDropout(-1)
		}
	}
}

// MaxDropouts is how many dropouts a take notes. A take with more (a disk
// that stalled for minutes overflows the capture ring on every buffer)
// notes the first MaxDropouts: enough to say it was damaged, and far below
// what the song model accepts, so the take can always be saved.
const MaxDropouts = 1000

// noteDropout notes a dropout at take frame at (-1: position unknown, a
// capture overflow). Runs of unknown positions are noted once.
func (b *Butler) noteDropout(at int64) {
	if len(b.dropouts) >= MaxDropouts {
		return
	}
	if at < 0 && len(b.dropouts) > 0 && b.dropouts[len(b.dropouts)-1] < 0 {
		return
	}
	b.dropouts = append(b.dropouts, at)
}

func (b *Butler) startTakes(start int64) {
	b.recording, b.recStart, b.stopAt, b.dropouts = true, start, -1, nil
	b.started, b.lastSync = time.Now(), time.Now()
	for i, t := range b.e.tracks {
		if !t.Armed {
			continue
		}
		f, name, err := b.newTake(i, start)
		if err != nil {
			b.fail(fmt.Errorf("cannot start a take: %w", fserr.Describe(err)))
			continue
		}
		if t.MIDI {
			path := f.Name()
			f.Close()
			w, err := smf.NewTakeWriter(path, b.e.rate, b.e.tempo, b.e.timeSig, name)
			if err != nil {
				b.fail(fmt.Errorf("cannot start take %s: %w", name, fserr.Describe(err)))
				continue
			}
			b.midiTakes[i] = &midiTake{name: name, w: w}
			continue
		}
		w, err := wav.NewWriter(f, wav.Format{Rate: b.e.rate, Channels: t.Channels, Encoding: b.enc}, wav.WriterOptions{})
		if err != nil {
			b.fail(fmt.Errorf("cannot start take %s: %w", name, fserr.Describe(err)))
			continue
		}
		tw := &takeWriter{name: name, w: w, buf: make([][]float32, t.Channels)}
		for c := range tw.buf {
			tw.buf[c] = make([]float32, 8192)
		}
		b.takes[i] = tw
	}
}

// drain writes captured audio to the takes, checkpoints them every second,
// and finishes them once everything up to the stop has been written.
func (b *Butler) drain() {
	if !b.recording {
		// What is captured now was pushed after its record-start event (the
		// audio thread sends that first): look for the event again, then
		// drop only what was there before looking — captures with no take
		// to go to (its file failed).
		for i, t := range b.e.tracks {
			b.orphans[i] = 0
			if t.capture != nil {
				b.orphans[i] = t.capture.Readable()
			} else if t.midiCap != nil {
				b.orphans[i] = t.midiCap.Len()
			}
		}
		b.handleEvents()
		if !b.recording {
			for i, t := range b.e.tracks {
				if t.capture != nil {
					t.capture.Discard(b.orphans[i])
				}
				for k := 0; t.midiCap != nil && k < b.orphans[i]; k++ {
					t.midiCap.Pop()
				}
			}
			return
		}
	}
	for i, t := range b.e.tracks {
		b.drainMIDI(t, b.midiTakes[i])
	}
	for i, t := range b.e.tracks {
		tw := b.takes[i]
		if t.capture == nil {
			continue
		}
		for t.capture.Readable() > 0 {
			if tw == nil { // the take's file failed: drop what was captured
				t.capture.Discard(t.capture.Readable())
				break
			}
			k := t.capture.Read(tw.buf)
			if err := tw.w.Write(sub(b.views[i], tw.buf, 0, k)); err != nil {
				b.fail(fmt.Errorf("recording stopped: writing %s: %w", tw.name, fserr.Describe(err)))
				b.e.Stop()
				b.finish(i)
				break
			}
			tw.written += int64(k)
		}
	}
	if time.Since(b.lastSync) >= time.Second {
		b.lastSync = time.Now()
		for i, m := range b.midiTakes {
			if m != nil {
				if err := m.w.Checkpoint(); err != nil {
					b.fail(fmt.Errorf("recording stopped: writing %s: %w", m.name, fserr.Describe(err)))
					b.e.Stop()
					b.finishMIDI(i, m.w.Frames())
				}
			}
		}
		for i, tw := range b.takes {
			if tw != nil {
				if err := tw.w.Sync(); err != nil {
					b.fail(fmt.Errorf("recording stopped: writing %s: %w", tw.name, fserr.Describe(err)))
					b.e.Stop()
					b.finish(i)
				}
			}
		}
	}
	if b.stopAt >= 0 {
		for i, tw := range b.takes {
			if tw != nil && tw.written >= b.stopAt {
				b.finish(i)
			}
		}
		for i := range b.midiTakes {
			b.finishMIDI(i, b.stopAt)
		}
		if b.allFinished() {
			b.recording = false
			b.stopAt = -1
		}
	}
}

// sub sets view to the sub-slices [from:to] of each channel of bufs and
// returns it (no allocation).
func sub(view, bufs [][]float32, from, to int) [][]float32 {
	for c := range bufs {
		view[c] = bufs[c][from:to]
	}
	return view[:len(bufs)]
}

func (b *Butler) finish(i int) {
	tw := b.takes[i]
	if tw == nil {
		return
	}
	b.takes[i] = nil
	if err := tw.w.Close(); err != nil {
		b.fail(fmt.Errorf("finishing %s: %w", tw.name, fserr.Describe(err)))
	}
	b.done = append(b.done, Recorded{Track: i, File: tw.name, Start: b.recStart, Frames: tw.written,
		Dropouts: append([]int64(nil), b.dropouts...), Started: b.started})
}

// drainMIDI moves what a MIDI track's capture ring holds into its take
// (or drops it when m is nil).
func (b *Butler) drainMIDI(t *trackState, m *midiTake) {
	if t.midiCap == nil {
		return
	}
	for {
		e, ok := t.midiCap.Pop()
		if !ok {
			return
		}
		if m != nil {
			m.add(e)
		}
	}
}

// finishMIDI ends MIDI take i at take frame end (the frames recorded):
// notes still held end there; the file gets its last checkpoint.
func (b *Butler) finishMIDI(i int, end int64) {
	m := b.midiTakes[i]
	if m == nil {
		return
	}
	b.midiTakes[i] = nil
	end = max(end, m.w.Frames())
	m.release(end)
	if err := m.w.Close(); err != nil {
		b.fail(fmt.Errorf("finishing %s: %w", m.name, fserr.Describe(err)))
	}
	b.done = append(b.done, Recorded{Track: i, File: m.name, Start: b.recStart, Frames: end, MIDI: true,
		Dropouts: append([]int64(nil), b.dropouts...), Started: b.started})
}

func (b *Butler) allFinished() bool {
	for _, tw := range b.takes {
		if tw != nil {
			return false
		}
	}
	for _, m := range b.midiTakes {
		if m != nil {
			return false
		}
	}
	return true
}

// finishAll closes any take still open (the butler is stopping).
func (b *Butler) finishAll() {
	b.drain()
	for i := range b.takes {
		b.finish(i)
	}
	for i, m := range b.midiTakes {
		if m != nil {
			end := m.w.Frames()
			if b.stopAt >= 0 {
				end = b.stopAt
			}
			b.finishMIDI(i, end)
		}
	}
	b.recording = false
}

func (b *Butler) fail(err error) {
	if b.err == nil {
		b.err = err
	}
}

// Err is the first error the butler met, or nil.
func (b *Butler) Err() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err
}

// Recording reports whether takes are being written.
func (b *Butler) Recording() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.recording
}

// TakeRecorded returns (and forgets) the takes finished since the last call.
func (b *Butler) TakeRecorded() []Recorded {
	b.mu.Lock()
	defer b.mu.Unlock()
	d := b.done
	b.done = nil
	return d
}

// ErrNoTakes is returned when a recording produced no take.
var ErrNoTakes = errors.New("engine: nothing was recorded")
