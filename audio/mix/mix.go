// Package mix is the mixing arithmetic shared by the real-time engine and
// the offline render: gain, constant-power pan, mute/solo and summing to the
// master bus. Because both use exactly these functions, in the same order,
// a render and a captured playback of the same song are sample-identical.
//
// Everything that runs per block is safe on the audio thread: no
// allocation, no locks, no I/O. Arithmetic is float32 with explicit
// conversions after each multiply, so no compiler may fuse operations and
// results are the same on every machine.
package mix

import (
	"math"

	"sangstudio/projects"
)

// PanGains returns the constant-power pan law for pan p in [-1, +1]:
// left = cos((p+1)·π/4), right = sin((p+1)·π/4). At the centre both are
// 1/√2 (-3 dB).
func PanGains(p float64) (left, right float64) {
	if p < -1 {
		p = -1
	} else if p > 1 {
		p = 1
	}
	t := (p + 1) * math.Pi / 4
	return math.Cos(t), math.Sin(t)
}

// Strip is one track's mix settings reduced to two coefficients.
//
// A mono source feeds both sides: out = in·L, in·R. A stereo source uses
// the pan law as a balance control on each side: outL = inL·L, outR = inR·R.
// L and R include the track gain, the master gain and mute/solo (an
// inaudible track has L = R = 0 and Audible false), so the stems of all
// tracks add up to the mix exactly.
type Strip struct {
	Channels int
	L, R     float32
	Audible  bool
	// FX are the track's effects before the fader (see Chain).
	FX TrackFX
	// Reverb and Delay are the track's sends to the song's buses: gains
	// applied to its post-fader (panned) signal; 0 sends nothing.
	Reverb, Delay float32
}

// NewStrip computes the strip of track i of s.
func NewStrip(s *projects.Song, i int) Strip {
	t := s.Tracks[i]
	st := Strip{Channels: t.Channels, Audible: s.Audible(i), FX: TrackFXOf(t.Effects)}
	if !st.Audible {
		return st
	}
	st.Reverb, st.Delay = sendGain(t.Effects.Reverb), sendGain(t.Effects.Delay)
	g := projects.DBToGain(t.GainDB) * projects.DBToGain(s.Master.GainDB)
	l, r := PanGains(t.Pan)
	st.L, st.R = float32(g*l), float32(g*r)
	if st.L == 0 && st.R == 0 {
		st.Audible = false
	}
	return st
}

// Strips computes the strips of every track of s.
func Strips(s *projects.Song) []Strip {
	out := make([]Strip, len(s.Tracks))
	for i := range s.Tracks {
		out[i] = NewStrip(s, i)
	}
	return out
}

// Pan writes the strip's post-fader stereo signal for in (len(in) ==
// Channels, each at least len(outL) long) to outL and outR, overwriting
// them. Safe on the audio thread.
func (st *Strip) Pan(in [][]float32, outL, outR []float32) {
	n := len(outL)
	outR = outR[:n]
	if !st.Audible {
		clear(outL)
		clear(outR)
		return
	}
	l, r := st.L, st.R
	if st.Channels == 1 {
		x := in[0][:n]
		for i, v := range x {
			outL[i] = float32(v * l)
			outR[i] = float32(v * r)
		}
		return
	}
	a, b := in[0][:n], in[1][:n]
	for i := range a {
		outL[i] = float32(a[i] * l)
		outR[i] = float32(b[i] * r)
	}
}

// PanAdd adds the strip's post-fader signal to the bus: exactly the same
// result as Pan into a stem followed by Add of the stem, without the stem
// buffer. Safe on the audio thread.
func (st *Strip) PanAdd(in [][]float32, busL, busR []float32) { st.panAddAt(in, busL, busR, 0) }

// panAddAt is PanAdd of in's frames from off on.
func (st *Strip) panAddAt(in [][]float32, busL, busR []float32, off int) {
	if !st.Audible {
		return
	}
	n := len(busL)
	busR = busR[:n]
	l, r := st.L, st.R
	if st.Channels == 1 {
		x := in[0][off : off+n]
		for i, v := range x {
			busL[i] += float32(v * l)
			busR[i] += float32(v * r)
		}
		return
	}
	a, b := in[0][off:off+n], in[1][off:off+n]
	for i := range a {
		busL[i] += float32(a[i] * l)
		busR[i] += float32(b[i] * r)
	}
}

// Add adds src to dst sample by sample. Safe on the audio thread.
func Add(dst, src []float32) {
	src = src[:len(dst)]
	for i, v := range src {
		dst[i] += v
	}
}

// ApplyGain multiplies every sample by g. Safe on the audio thread.
func ApplyGain(buf []float32, g float32) {
	for i, v := range buf {
		buf[i] = float32(v * g)
	}
}

// Sum adds every audible strip's post-fader signal to the bus, in track
// order: bus += Σ strips[i]·ins[i] for i = 0, 1, …. Each sample gets exactly
// the additions PanAdd would give, in the same order, so the result is
// bit-identical to calling PanAdd track by track; runs of mono tracks are
// taken four at a time so the bus is loaded and stored once per four
// tracks. Safe on the audio thread.
func Sum(strips []Strip, ins [][][]float32, busL, busR []float32) { sumAt(strips, ins, busL, busR, 0) }

// sumAt is Sum of ins' frames from off on.
func sumAt(strips []Strip, ins [][][]float32, busL, busR []float32, off int) {
	n := len(busL)
	busR = busR[:n]
	for i := 0; i < len(strips); {
		if !strips[i].Audible {
			i++
			continue
		}
		// Collect up to four consecutive audible mono strips.
		var g [4]int
		k := 0
		for j := i; j < len(strips) && k < 4; j++ {
			if !strips[j].Audible {
				continue
			}
			if strips[j].Channels != 1 {
				break
			}
			g[k] = j
			k++
		}
		if k < 4 {
			strips[i].panAddAt(ins[i], busL, busR, off)
			i++
			continue
		}
		a, b, c, d := ins[g[0]][0][off:off+n], ins[g[1]][0][off:off+n], ins[g[2]][0][off:off+n], ins[g[3]][0][off:off+n]
		al, ar := strips[g[0]].L, strips[g[0]].R
		bl, br := strips[g[1]].L, strips[g[1]].R
		cl, cr := strips[g[2]].L, strips[g[2]].R
		dl, dr := strips[g[3]].L, strips[g[3]].R
		for s := range busL {
			l := busL[s] + float32(a[s]*al)
			r := busR[s] + float32(a[s]*ar)
			l += float32(b[s] * bl)
			r += float32(b[s] * br)
			l += float32(c[s] * cl)
			r += float32(c[s] * cr)
			busL[s] = l + float32(d[s]*dl)
			busR[s] = r + float32(d[s]*dr)
		}
		i = g[3] + 1
	}
}
