package beat

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"sangstudio/midi"
	"sangstudio/midi/smf"
)

// Event is a note-on or note-off on channel 10 at a tick.
type Event = smf.TickEvent

// MinPPQ is the coarsest resolution Notes accepts: a 32nd-note triplet
// (a roll of 3 in a 16th step) is then two ticks.
const MinPPQ = 24

// Humanize at 1 moves a hit by up to PPQ/humanTimeDiv ticks either way
// (a 128th note: 16 ms at 120 BPM) and its velocity by up to humanVel.
const (
	humanTimeDiv = 32
	humanVel     = 16
)

// grid is the ticks of a pattern's steps at a resolution.
type grid struct {
	ppq   int64
	div   int64 // steps a quarter note: 4 (16ths) or 3 (8th-note triplets)
	steps int64 // steps in one pass
	swing int64 // ticks an off-beat 16th moves
}

func newGrid(p *Pattern, ppq int) (grid, error) {
	if err := check(p); err != nil {
		return grid{}, err
	}
	if ppq < MinPPQ {
		return grid{}, fmt.Errorf("beat: a resolution of %d ticks a quarter note is too coarse (at least %d)", ppq, MinPPQ)
	}
	g := grid{ppq: int64(ppq), div: 4, steps: int64(p.Len())}
	if p.Triplets {
		g.div = 3
	} else {
		g.swing = SwingTicks(p.Swing, ppq)
	}
	return g, nil
}

// at is the tick where step k starts, without swing: round(k·ppq/div).
func (g grid) at(k int64) int64 { return (2*k*g.ppq + g.div) / (2 * g.div) }

// pass is the length of one pass of the pattern, in ticks.
func (g grid) pass() int64 { return g.at(g.steps) }

// SwingTicks is how far swing f (0–1) moves an off-beat 16th at ppq ticks
// a quarter note: round(f·ppq/8), Hydrogen's rule (Note::swing delays such
// a note by f times the length of a 32nd). At PPQ 960 and f = 0.4 that is
// 48 ticks; at f = 0 nothing moves.
func SwingTicks(f float64, ppq int) int64 {
	return int64(math.Round(f * float64(ppq) / 8))
}

// PassTicks is the length of one pass of the pattern at ppq, in ticks.
func PassTicks(p *Pattern, ppq int) (int64, error) {
	g, err := newGrid(p, ppq)
	if err != nil {
		return 0, err
	}
	return g.pass(), nil
}

// StepAt is the step that tick (counted from the start of the pattern,
// which repeats) falls in, without swing: the cell a playhead is in.
func StepAt(p *Pattern, ppq int, tick int64) (int, error) {
	g, err := newGrid(p, ppq)
	if err != nil {
		return 0, err
	}
	t := tick % g.pass()
	if t < 0 {
		t += g.pass()
	}
	k := t * g.div / g.ppq
	for k+1 < g.steps && g.at(k+1) <= t {
		k++
	}
	for k > 0 && g.at(k) > t {
		k--
	}
	return int(k), nil
}

// Notes is one pass of the pattern at ppq ticks a quarter note: a note-on
// and a note-off on channel 10 for every hit, sorted by tick (at the same
// tick, note-offs first, then by note). A step k starts at round(k·ppq/4)
// (16ths) or round(k·ppq/3) (triplets); an off-beat 16th (an odd step)
// starts SwingTicks later. A roll's hits are spread evenly from its start
// to the next step; each note lasts half the time to the next hit.
// Velocities are the level's, times the lane's volume, rounded, within
// 1–127; a lane at volume 0, a muted lane, and when any lane is soloed
// every lane not soloed, play nothing. Humanize then moves each hit by
// amounts drawn from the pattern's seed.
func Notes(p *Pattern, ppq int) ([]Event, error) {
	g, err := newGrid(p, ppq)
	if err != nil {
		return nil, err
	}
	return notes(p, g, g.pass()), nil
}

// NotesOver is the pattern repeated from tick 0 for length ticks: every
// pass as Notes makes it (humanize differs from pass to pass), cut at
// length (no note starts at or after it; notes still sounding there end
// there).
func NotesOver(p *Pattern, ppq int, length int64) ([]Event, error) {
	g, err := newGrid(p, ppq)
	if err != nil {
		return nil, err
	}
	if length < 0 {
		return nil, fmt.Errorf("beat: a negative length (%d ticks)", length)
	}
	return notes(p, g, length), nil
}

// notes makes the notes of the passes over [0, length).
func notes(p *Pattern, g grid, length int64) []Event {
	anySolo := false
	for _, l := range p.Lanes {
		anySolo = anySolo || l.Solo
	}
	var out []Event
	for rep, base := int64(0), int64(0); base < length; rep, base = rep+1, base+g.pass() {
		for li, l := range p.Lanes {
			if l.Mute || (anySolo && !l.Solo) || l.Volume <= 0 {
				continue
			}
			for k, st := range l.Steps {
				if !st.On() {
					continue
				}
				h := hitsOf{p: p, g: g, rep: rep, lane: li, step: int64(k), base: base}
				out = h.append(out, l, st, length)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Event) int {
		if c := cmp.Compare(a.Tick, b.Tick); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Msg[0]&0xF0, b.Msg[0]&0xF0); c != 0 {
			return c // 0x80 (off) before 0x90 (on)
		}
		return cmp.Compare(a.Msg[1], b.Msg[1])
	})
	return out
}

// hitsOf places the hits of one step of one pass.
type hitsOf struct {
	p          *Pattern
	g          grid
	rep        int64
	lane       int
	step, base int64
}

// append adds the notes of step st of lane l, cut at length.
func (h hitsOf) append(out []Event, l Lane, st Step, length int64) []Event {
	start, end := h.g.at(h.step), h.g.at(h.step+1)
	if h.step%2 == 1 {
		start += h.g.swing // 0 for triplets
	}
	n := int64(max(st.Hits, 1))
	span := end - start
	noteLen := max(span/n/2, 1)
	vel := float64(h.p.Velocity.Of(st.Level)) * l.Volume
	for k := int64(0); k < n; k++ {
		on := h.base + start + (2*k*span+n)/(2*n)
		v := vel
		if h.p.Humanize > 0 {
			dt, dv := h.human(k, span/n)
			on, v = on+dt, v+dv
		}
		if on >= length {
			continue
		}
		on = max(on, 0)
		off := min(on+noteLen, length)
		key := byte(l.Note)
		out = append(out,
			Event{Tick: on, Msg: [3]byte{midi.NoteOn | midi.DrumChannel, key, velocity(v)}},
			Event{Tick: off, Msg: [3]byte{midi.NoteOff | midi.DrumChannel, key, 0}})
	}
	return out
}

// velocity rounds v into 1–127.
func velocity(v float64) byte {
	return byte(min(max(math.Round(v), 1), 127))
}

// human is the humanize of hit k (spacing ticks from the next hit of its
// step): a time shift of up to Humanize·PPQ/32 ticks either way (never a
// quarter of spacing or more, so hits keep their order) and a velocity
// change of up to Humanize·16, both drawn from the seed and where the hit
// is (pass, lane, step, hit), so changing one step moves no other.
func (h hitsOf) human(k, spacing int64) (dt int64, dv float64) {
	r := splitmix{state: uint64(h.p.Seed)<<32 ^ uint64(h.rep)<<20 ^ uint64(h.lane)<<14 ^ uint64(h.step)<<3 ^ uint64(k)}
	r.next() // mixes the position into the state
	maxT := min(h.p.Humanize*float64(h.g.ppq)/humanTimeDiv, float64(spacing-1)/4)
	dt = int64(math.Round((2*r.float() - 1) * max(maxT, 0)))
	dv = (2*r.float() - 1) * h.p.Humanize * humanVel
	return dt, dv
}

// splitmix is SplitMix64 (Steele, Lea and Flood 2014): a tiny generator
// whose output is fixed by its definition, so the same seed gives the same
// notes with any Go version.
type splitmix struct{ state uint64 }

func (s *splitmix) next() uint64 {
	s.state += 0x9E3779B97F4A7C15
	z := s.state
	z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
	z = (z ^ z>>27) * 0x94D049BB133111EB
	return z ^ z>>31
}

// float is uniform in [0, 1).
func (s *splitmix) float() float64 { return float64(s.next()>>11) / (1 << 53) }
