package waveform

import "math"

// Growing makes the peaks of a take while it is being written: Add the
// audio as it is written, and Peaks gives the overview of what is written
// so far, at any time, without copying. A Growing is used by one goroutine
// (the one that writes the take); the Peaks it returns may be handed to
// any number of others.
type Growing struct {
	rate     int
	frames   int64 // frames added
	filled   int   // frames in the current (unfinished) peak
	mn, mx   float32
	min, max []float32
}

// NewGrowing starts the peaks of a take at rate Hz, with room for about
// frames frames (0: none yet; they grow as needed).
func NewGrowing(rate int, frames int64) *Growing {
	n := frames/FramesPerPeak + b2i(frames%FramesPerPeak != 0)
	return &Growing{rate: rate, mn: float32(math.Inf(1)), mx: float32(math.Inf(-1)),
		min: make([]float32, 0, n), max: make([]float32, 0, n)}
}

// Add takes the next frames of the take, one slice per channel (all of the
// same length), mixed down like Compute does.
func (g *Growing) Add(v [][]float32) {
	if len(v) == 0 {
		return
	}
	n := len(v[0])
	for i := 0; i < n; {
		k := min(FramesPerPeak-g.filled, n-i)
		for _, ch := range v {
			g.mn, g.mx = minMax(ch[i:i+k], g.mn, g.mx)
		}
		i += k
		g.filled += k
		if g.filled == FramesPerPeak {
			g.min, g.max = appendPeak(g.min, g.max, g.mn, g.mx)
			g.mn, g.mx = float32(math.Inf(1)), float32(math.Inf(-1))
			g.filled = 0
		}
	}
	g.frames += int64(n)
}

// Frames is how many frames were added.
func (g *Growing) Frames() int64 { return g.frames }

// Peaks is the overview of the whole peaks added so far: the frames of an
// unfinished last peak (fewer than FramesPerPeak) are left out until it is
// complete. It shares its memory with g, which only ever appends after it,
// so it never changes: it may be read by other goroutines while g grows.
func (g *Growing) Peaks() *Peaks {
	n := len(g.min)
	return &Peaks{Rate: g.rate, FramesPerPeak: FramesPerPeak, Frames: int64(n) * FramesPerPeak,
		Min: g.min[:n:n], Max: g.max[:n:n]}
}

// Finish is the overview of everything added, the unfinished last peak
// included. Add no more to g after it.
func (g *Growing) Finish() *Peaks {
	if g.filled > 0 {
		g.min, g.max = appendPeak(g.min, g.max, g.mn, g.mx)
		g.filled = 0
	}
	return &Peaks{Rate: g.rate, FramesPerPeak: FramesPerPeak, Frames: g.frames, Min: g.min, Max: g.max}
}
