package engine

import (
	"sync/atomic"

	"sangstudio/audio/mix"
	"sangstudio/audio/ring"
	"sangstudio/midi"
)

// A graph is what the audio thread plays: the tracks in mix order with
// their playback rings, what each armed track records, the mix, the
// click and the inputs kept for Keep. It is immutable once published: the
// butler builds a new one for every change (Butler.Update, Engine.SetMix)
// and publishes it with one atomic store, the way Ardour publishes its
// route list through an RCU manager; the audio thread picks it up at the
// start of its next buffer. What must outlive one graph (a track's
// playback ring while its clips are unchanged, a recording track's capture
// ring, its meter) is held by pointer and shared by the graphs that keep
// it, so a change to one track never disturbs the others.
//
// Old graphs are not freed by the audio thread: it only drops its pointer;
// Go's garbage collector reclaims them on its own threads.
type graph struct {
	seq    uint64
	nodes  []*node
	strips []mix.Strip   // one per node
	ins    [][][]float32 // per node: views of its block buffers, set each buffer
	click  *click        // for the song's tempo and time signature
	buses  mix.BusFX     // the reverb's and the delay's settings
	retro  []*retroInput // per device input: kept for Keep (nil: not kept)
	recent *recentInputs // every device input's last moments, for punching in (nil: no inputs)
	// midiArmed: a MIDI track is armed, so keyboard messages are kept for Keep.
	midiArmed bool
	keys      map[string]int // node index by track key (read by other goroutines only)
}

// node is one track in a graph. Its fields are fixed once the graph is
// published; the state it points at (player, capture, slot) carries over
// between graphs.
type node struct {
	key      string
	channels int
	midi     bool
	armed    bool
	inputs   []int // device input per channel (armed audio tracks)
	armedAt  int64 // retro frame when the track was armed (0: not known)
	monitor  bool
	inst     Instrument // armed MIDI tracks
	play     *player
	cap      *capture     // armed audio tracks: the track's capture while it stays armed
	mcap     *midiCapture // armed MIDI tracks
	slot     *slot        // the track itself: its meter, across every graph
}

// slot stands for one track (by key) for as long as the engine knows it.
type slot struct {
	key   string
	meter meter
	mark  uint64 // audio thread: the graph seq it was last seen in
	// chains are the track's effects, by its channel count (1, 2): made
	// before a graph with it is published, never replaced, run only by the
	// audio thread; they keep their state for as long as the track exists.
	chains [3]*mix.Chain
	grA    atomic.Uint64 // its compressor's gain reduction in the last block (float64 bits, dB)
}

// player is a track's playback: a read-ahead ring the butler fills from
// the track's source. A track whose clips change gets a new player, filled
// from around the playhead, and the audio thread crossfades to it.
type player struct {
	ring     *ring.Frames
	src      Reader        // butler only
	fillIdx  int64         // butler: stream index of the next frame it writes
	epoch    atomic.Uint32 // the epoch whose frames the ring holds
	buf      [][]float32   // audio thread: block scratch
	channels int

	// Audio thread.
	pos      int64   // stream index of the next frame in the ring
	mark     uint64  // the graph seq it was last seen in
	fadeFrom *player // crossfading from this player (nil: from silence)
	fadeLeft int     // frames of crossfade still to go (0: none)
}

// capture is what an armed audio track records: it lives from arming to
// disarming, across graphs, so that a take goes on while other tracks
// change or its input is switched.
type capture struct {
	key      string
	channels int
	ring     *ring.Frames // audio thread → butler

	// Audio thread.
	taking  bool  // part of the current recording
	started bool  // its take-start event was sent
	from    int64 // timeline frame where its take starts
	frames  int64 // frames captured into this take (those lost to a full ring included)
	mark    uint64
	// framesA publishes frames after each buffer: every loss before it was
	// reported (evCaptureOverflow) before it was stored.
	framesA atomic.Int64

	// Butler.
	take    *takeWriter
	failed  bool  // its take file could not be made: what it captures is dropped
	stopped bool  // its take-stop event came
	limit   int64 // framesA as loaded before this round's events
}

// midiCapture is what an armed MIDI track records.
type midiCapture struct {
	key  string
	ring *ring.Values[midi.Event] // audio thread → butler: take-relative frames

	// Audio thread.
	taking  bool
	started bool
	from    int64
	frames  int64
	mark    uint64

	// Butler.
	take    *midiTake
	failed  bool
	stopped bool
}

// retroInput keeps the last frames of one device input for Keep.
type retroInput struct {
	buf   []float32
	since atomic.Int64 // the retro frame it began at (-1 until the audio thread first writes it)
}

// Reader is a track's audio for the butler to play: the offline render's
// source.Track is one. ReadAt fills dst (one slice per channel, all the
// same length) with timeline frames [pos, pos+len(dst[0])).
type Reader interface {
	ReadAt(pos int64, dst [][]float32) error
	Close() error
}

// fadeFrames is the length of the crossfade where a track's playback ring
// is replaced while playing (its clips changed), and of the fade-in and
// fade-out of tracks added or removed while playing: 5 ms at 48 kHz, short
// enough to be heard at once, long enough not to click.
const fadeFrames = 256

// maxFading bounds the removed tracks fading out at once; more are cut.
const maxFading = 64

// fadeOut is a removed track fading out, with the mix it had.
type fadeOut struct {
	p     *player
	strip mix.Strip
	left  int
}

// switchGraph starts playing g instead of the current graph: tracks with
// a new player crossfade from their old one, removed tracks fade out,
// added ones fade in, and while recording, tracks armed in g start their
// takes here (punch in) and tracks disarmed end theirs (punch out). Safe
// on the audio thread: it does not allocate.
func (e *Engine) switchGraph(g *graph) {
	old := e.cur
	e.cur = g
	e.graphSeqA.Store(g.seq)
	e.buses.Set(g.buses)
	for i, nd := range g.nodes {
		nd.slot.chains[nd.channels].Set(g.strips[i].FX)
		nd.play.mark = g.seq
		nd.slot.mark = g.seq
		if nd.cap != nil {
			nd.cap.mark = g.seq
		}
		if nd.mcap != nil {
			nd.mcap.mark = g.seq
		}
	}
	if old == nil {
		return
	}
	// What left: players replaced or removed, captures disarmed.
	for i, nd := range old.nodes {
		if nd.cap != nil && nd.cap.mark != g.seq {
			e.endTake(nd.cap)
		}
		if nd.mcap != nil && nd.mcap.mark != g.seq {
			e.endMIDITake(nd.mcap)
		}
		if nd.play.mark == g.seq || !e.rolling {
			continue
		}
		if nd.slot.mark == g.seq {
			continue // replaced: the new player crossfades from it (below)
		}
		if e.nFading < maxFading && nd.play.epoch.Load() == e.epoch && i < len(old.strips) {
			e.fading[e.nFading] = fadeOut{p: nd.play, strip: old.strips[i], left: fadeFrames}
			e.nFading++
		}
	}
	// What came: new players fade in (from the player they replace), new
	// captures join the recording.
	for _, nd := range g.nodes {
		if nd.cap != nil && !nd.cap.taking && e.recording {
			e.startCapture(nd.cap)
			e.punchIn(g, nd)
		}
		if nd.mcap != nil && !nd.mcap.taking && e.recording {
			e.startTake(&nd.mcap.taking, &nd.mcap.started, &nd.mcap.from, &nd.mcap.frames)
		}
		if !e.rolling || nd.play.fadeLeft > 0 || playerIn(old, nd.play) {
			continue // stopped, nothing sounds: nothing to fade
		}
		nd.play.fadeFrom = nil
		for _, od := range old.nodes {
			if od.slot == nd.slot && od.play.mark != g.seq && od.play.channels == nd.play.channels &&
				od.play.epoch.Load() == e.epoch {
				nd.play.fadeFrom = od.play
				break
			}
		}
		nd.play.fadeLeft = fadeFrames
	}
}

// playerIn reports whether g plays p.
func playerIn(g *graph, p *player) bool {
	for _, nd := range g.nodes {
		if nd.play == p {
			return true
		}
	}
	return false
}

// startTake makes an armed track part of the recording from this buffer
// on (or from the recording's start, during a count-in).
func (e *Engine) startTake(taking, started *bool, from, frames *int64) {
	*taking, *started, *frames = true, false, 0
	*from = max(e.pos, e.recStart)
}

// startCapture is startTake for an audio track.
func (e *Engine) startCapture(c *capture) {
	e.startTake(&c.taking, &c.started, &c.from, &c.frames)
	c.framesA.Store(0)
}

// endTake ends a capture's take where it is (punch out, or the recording
// stopped).
func (e *Engine) endTake(c *capture) {
	if c.taking && c.started {
		e.events.Push(event{kind: evTakeStop, cap: c, frames: c.frames})
	}
	c.taking, c.started = false, false
}

func (e *Engine) endMIDITake(c *midiCapture) {
	if c.taking && c.started {
		e.events.Push(event{kind: evTakeStop, mcap: c, frames: c.frames})
	}
	c.taking, c.started = false, false
}
