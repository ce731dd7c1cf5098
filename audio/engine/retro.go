package engine

import (
	"errors"
	"fmt"
	"slices"

	"sangstudio/midi"
)

// Keep ("Keep that") turns what was just played into a take, though
// nobody pressed Record. While a song is open, the audio thread copies
// every input an armed track records from into a ring in memory holding
// the last Layout.Keep frames (retro frames: frames since the engine
// started, counted whether or not the transport rolls), and every
// keyboard message for armed MIDI tracks into a queue the butler keeps
// the last MaxKeptMIDI of (since the last locate). The audio thread also
// tells the butler where the transport was at each retro frame: a run
// starts whenever the transport starts or stops rolling and when the
// loop comes round. Nothing of it is written anywhere unless kept.
//
// Keep then makes a plan: while the transport rolls, the audio since it
// last started (Play, or a jump of the playhead), each part at its place
// on the timeline (where the loop played a place more than once, the most
// recent pass); when stopped, the last frames kept, ending at the
// playhead. The caller (audio/session) writes the takes from the plan.

// MaxKeptMIDI is how many keyboard messages are kept for Keep; beyond it
// the oldest whole notes are forgotten first.
const MaxKeptMIDI = 16384

// retroMsg is a keyboard message at a retro frame.
type retroMsg struct {
	retro int64
	msg   [3]byte
}

// run is the transport from a retro frame on: rolling from a timeline
// frame, or stopped.
type run struct {
	retro   int64
	frame   int64
	rolling bool
}

// keepInputs copies this buffer's inputs into the rings kept for Keep.
// Safe on the audio thread.
func (e *Engine) keepInputs(g *graph, in [][]float32, n int) {
	for c, ri := range g.retro {
		if ri == nil || c >= len(in) {
			continue
		}
		if ri.since.Load() < 0 {
			ri.since.Store(e.retroW)
		}
		at := int(e.retroW % int64(len(ri.buf)))
		if k := copy(ri.buf[at:], in[c][:n]); k < n {
			copy(ri.buf, in[c][k:n])
		}
	}
}

// retroInputs returns the kept inputs for l: one ring per device input
// an armed audio track records from, the same ring as before for inputs
// already kept (so nothing heard is forgotten when another track is
// armed), none when Keep is off.
func (b *Butler) retroInputs(l Layout) []*retroInput {
	if l.Keep != b.keep {
		b.retro, b.keep = nil, l.Keep
	}
	if l.Keep <= 0 {
		b.retro = nil
		return nil
	}
	want := map[int]bool{}
	for _, ts := range l.Tracks {
		if ts.Armed && !ts.MIDI {
			for _, in := range ts.Inputs {
				want[in] = true
			}
		}
	}
	n := 0
	for in := range want {
		n = max(n, in+1)
	}
	out := make([]*retroInput, n)
	for in := range want {
		if in < len(b.retro) && b.retro[in] != nil {
			out[in] = b.retro[in]
			continue
		}
		ri := &retroInput{buf: make([]float32, l.Keep+int64(b.e.slack))}
		ri.since.Store(-1)
		out[in] = ri
	}
	b.retro = out
	return out
}

// noteRun notes where a run of the transport starts; runs older than
// anything kept are forgotten (the one before the oldest kept frame stays:
// it says where that frame was played).
func (b *Butler) noteRun(ev event) {
	if ev.jump {
		b.midiLog = b.midiLog[:0]
	}
	b.runs = append(b.runs, ev.run)
	oldest := b.e.retroWA.Load() - b.keep - int64(b.e.slack)
	k := 0
	for k+1 < len(b.runs) && b.runs[k+1].retro <= oldest {
		k++
	}
	if k > 0 || len(b.runs) > 4096 {
		k = max(k, len(b.runs)-4096)
		b.runs = append(b.runs[:0], b.runs[k:]...)
	}
}

// keepMIDI moves the keyboard messages the audio thread kept into the log,
// forgetting the oldest whole notes when it is full.
func (b *Butler) keepMIDI() {
	for {
		m, ok := b.e.retroMIDI.Pop()
		if !ok {
			return
		}
		if b.keep <= 0 {
			continue
		}
		if len(b.midiLog) >= MaxKeptMIDI {
			b.midiLog = forgetOldestNote(b.midiLog)
		}
		b.midiLog = append(b.midiLog, m)
	}
}

// forgetOldestNote drops the oldest message, and when it starts a note,
// the message that ends that note too, so no note is left without its end
// or its start.
func forgetOldestNote(log []retroMsg) []retroMsg {
	first := midi.Event{Msg: log[0].msg}
	log = log[1:]
	if first.IsNoteOn() {
		for i, m := range log {
			ev := midi.Event{Msg: m.msg}
			if (ev.IsNoteOff() || ev.IsNoteOn()) && ev.Channel() == first.Channel() && m.msg[1] == first.Msg[1] {
				if ev.IsNoteOff() {
					log = slices.Delete(log, i, i+1)
				}
				break
			}
		}
	}
	return log
}

// KeepPiece is one part of a kept take: take frames [Offset,
// Offset+Frames) were heard at timeline frames [Position, Position+Frames).
type KeepPiece struct {
	Offset   int64
	Frames   int64
	Position int64
	retro    int64 // the retro frame of its first frame
}

// KeepTrack is what Keep found for one armed track.
type KeepTrack struct {
	Key      string
	Channels int
	MIDI     bool
	Frames   int64       // the take's length
	Pieces   []KeepPiece // where its parts were heard, in timeline order
	// Events are a MIDI track's keyboard messages, at take frames.
	Events []midi.Event
	inputs []*retroInput
	e      *Engine
}

// KeepPlan is what Keep found: a take per armed track.
type KeepPlan struct {
	Rolling bool // planned while the transport rolled (else: ending at the playhead)
	Tracks  []KeepTrack
}

// ErrNothingKept says Keep found nothing to keep.
var ErrNothingKept = errors.New("nothing was heard to keep")

// Keep plans the takes that "Keep that" makes of what the armed tracks
// heard: see the top of this file. limit bounds each take's length in
// frames (0: everything kept). Read the audio with KeepTrack.Read soon:
// the rings go on and overwrite it after Config.KeepSlack.
func (b *Butler) Keep(limit int64) (KeepPlan, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.handleEvents()
	b.keepMIDI()
	e := b.e
	g := e.graphA.Load()
	w := e.retroWA.Load()
	if b.keep <= 0 {
		return KeepPlan{}, ErrNothingKept
	}
	if limit <= 0 || limit > b.keep {
		limit = b.keep
	}
	rolling := len(b.runs) > 0 && b.runs[len(b.runs)-1].rolling && e.State() != Stopped
	plan := KeepPlan{Rolling: rolling}
	for _, nd := range g.nodes {
		if !nd.armed {
			continue
		}
		kt := KeepTrack{Key: nd.key, Channels: nd.channels, MIDI: nd.midi, e: e}
		lo := w - limit
		if !nd.midi {
			for _, in := range nd.inputs {
				if in >= len(g.retro) || g.retro[in] == nil {
					lo = w
					break
				}
				ri := g.retro[in]
				kt.inputs = append(kt.inputs, ri)
				if s := ri.since.Load(); s < 0 {
					lo = w
				} else {
					lo = max(lo, s)
				}
			}
		} else if len(b.midiLog) > 0 {
			lo = max(lo, b.midiLog[0].retro)
		} else {
			lo = w
		}
		kt.Pieces = b.pieces(lo, w, rolling, e.Position())
		for _, p := range kt.Pieces {
			kt.Frames = max(kt.Frames, p.Offset+p.Frames)
		}
		if nd.midi {
			kt.Events = keptEvents(b.midiLog, kt.Pieces)
			if len(kt.Events) == 0 {
				continue
			}
		}
		if kt.Frames > 0 {
			plan.Tracks = append(plan.Tracks, kt)
		}
	}
	if len(plan.Tracks) == 0 {
		return plan, ErrNothingKept
	}
	return plan, nil
}

// pieces maps retro frames [lo, w) to the timeline. While rolling: the
// runs since the transport last started, newest first, each keeping the
// timeline frames no newer run covers; stopped: all of it, ending at the
// playhead. The pieces are in timeline order, with take offsets in that
// order.
func (b *Butler) pieces(lo, w int64, rolling bool, playhead int64) []KeepPiece {
	if lo >= w {
		return nil
	}
	if !rolling {
		n := w - lo
		p := KeepPiece{Frames: n, Position: playhead - n, retro: lo}
		if p.Position < 0 {
			p.retro -= p.Position
			p.Frames += p.Position
			p.Position = 0
		}
		if p.Frames <= 0 {
			return nil
		}
		return []KeepPiece{p}
	}
	first := len(b.runs) - 1
	for first > 0 && b.runs[first-1].rolling {
		first--
	}
	var covered [][2]int64 // timeline intervals taken by newer runs
	var out []KeepPiece
	end := w
	for i := len(b.runs) - 1; i >= first && end > lo; i-- {
		r := b.runs[i]
		from := max(r.retro, lo)
		if from < end {
			for _, iv := range subtract([2]int64{r.frame + (from - r.retro), r.frame + (end - r.retro)}, covered) {
				if iv[1] <= 0 {
					continue
				}
				iv[0] = max(iv[0], 0)
				out = append(out, KeepPiece{Frames: iv[1] - iv[0], Position: iv[0], retro: r.retro + (iv[0] - r.frame)})
				covered = append(covered, iv)
			}
		}
		end = min(end, r.retro)
	}
	slices.SortFunc(out, func(a, b KeepPiece) int { return int(a.Position - b.Position) })
	var off int64
	for i := range out {
		out[i].Offset = off
		off += out[i].Frames
	}
	return out
}

// subtract returns the parts of iv no interval of taken covers.
func subtract(iv [2]int64, taken [][2]int64) [][2]int64 {
	parts := [][2]int64{iv}
	for _, t := range taken {
		var next [][2]int64
		for _, p := range parts {
			if t[1] <= p[0] || t[0] >= p[1] {
				next = append(next, p)
				continue
			}
			if p[0] < t[0] {
				next = append(next, [2]int64{p[0], t[0]})
			}
			if t[1] < p[1] {
				next = append(next, [2]int64{t[1], p[1]})
			}
		}
		parts = next
	}
	return parts
}

// keptEvents places the kept keyboard messages that fall in the pieces at
// their take frames; a note that starts in a piece but does not end there
// ends at the piece's end, and ends of notes not started there are left
// out.
func keptEvents(log []retroMsg, pieces []KeepPiece) []midi.Event {
	var out []midi.Event
	for _, p := range pieces {
		var held [16][128]bool
		for _, m := range log {
			if m.retro < p.retro || m.retro >= p.retro+p.Frames {
				continue
			}
			ev := midi.Event{Frame: p.Offset + (m.retro - p.retro), Msg: m.msg}
			ch, key := ev.Channel(), m.msg[1]&0x7f
			switch {
			case ev.IsNoteOn():
				held[ch][key] = true
			case ev.IsNoteOff():
				if !held[ch][key] {
					continue
				}
				held[ch][key] = false
			}
			out = append(out, ev)
		}
		for ch := range held {
			for key, on := range held[ch] {
				if on {
					out = append(out, midi.Event{Frame: p.Offset + p.Frames - 1, Msg: [3]byte{midi.NoteOff | byte(ch), byte(key), 0}})
				}
			}
		}
	}
	slices.SortStableFunc(out, func(a, b midi.Event) int { return int(a.Frame - b.Frame) })
	return out
}

// ErrKeptOverwritten says the audio to keep was overwritten before it was
// read (reading took longer than the rings' slack).
var ErrKeptOverwritten = errors.New("the sound to keep was overwritten before it could be saved")

// Read copies the kept audio at take frames [off, off+len(dst[0])) into
// dst (one slice per channel). Any goroutine may call it.
func (kt *KeepTrack) Read(off int64, dst [][]float32) error {
	if kt.MIDI || len(dst) != kt.Channels {
		return fmt.Errorf("engine: reading %d channels of a kept take with %d", len(dst), kt.Channels)
	}
	n := int64(len(dst[0]))
	done := int64(0)
	for _, p := range kt.Pieces {
		if done == n {
			break
		}
		at := off + done
		if at < p.Offset || at >= p.Offset+p.Frames {
			continue
		}
		k := min(n-done, p.Offset+p.Frames-at)
		from := p.retro + (at - p.Offset)
		for c, ri := range kt.inputs {
			size := int64(len(ri.buf))
			if kt.e.retroWA.Load()-size > from {
				return ErrKeptOverwritten
			}
			d := dst[c][done : done+k]
			i := int(from % size)
			if m := copy(d, ri.buf[i:]); int64(m) < k {
				copy(d[m:], ri.buf)
			}
			if kt.e.retroWA.Load()-size > from {
				return ErrKeptOverwritten
			}
		}
		done += k
	}
	if done < n {
		return fmt.Errorf("engine: frames %d–%d are not in the kept take", off+done, off+n)
	}
	return nil
}
