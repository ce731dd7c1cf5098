package loudness

import (
	"math"
	"testing"
)

// segment is a stretch of a test signal: a 1 kHz sine at dBFS for secs.
type segment struct {
	dBFS, secs float64
}

// writeTone writes the segments of a 1 kHz sine (continuous phase, the
// same in every channel) to m, a second at a time. 100 ms is 100 whole
// cycles at any rate, so one 100 ms table serves.
func writeTone(t testing.TB, m *Meter, rate, channels int, segs []segment) {
	t.Helper()
	per := rate / 10
	if per*10 != rate {
		t.Fatalf("writeTone: rate %d is not a multiple of 10 Hz", rate)
	}
	table := make([]float64, per)
	for i := range table {
		table[i] = math.Sin(2 * math.Pi * 1000 * float64(i) / float64(rate))
	}
	buf := make([]float32, 10*per*channels)
	for _, s := range segs {
		g := math.Pow(10, s.dBFS/20)
		for i := range 10 * per {
			v := float32(g * table[i%per])
			for c := 0; c < channels; c++ {
				buf[i*channels+c] = v
			}
		}
		blocks := int(math.Round(s.secs * 10))
		for ; blocks >= 10; blocks -= 10 {
			m.Write(buf)
		}
		if blocks > 0 {
			m.Write(buf[:blocks*per*channels])
		}
	}
}

// sineFrames returns n interleaved frames of A*sin(2*pi*f*i + phase) with
// f in cycles per sample, the same in every channel.
func sineFrames(n, channels int, a, f, phaseDeg float64) []float32 {
	out := make([]float32, n*channels)
	ph := phaseDeg * math.Pi / 180
	for i := 0; i < n; i++ {
		v := float32(a * math.Sin(2*math.Pi*f*float64(i)+ph))
		for c := 0; c < channels; c++ {
			out[i*channels+c] = v
		}
	}
	return out
}

// rng is a small deterministic xorshift generator.
type rng uint64

func (r *rng) next() uint64 {
	x := uint64(*r)
	x ^= x << 13
	x ^= x >> 7
	x ^= x << 17
	*r = rng(x)
	return x
}

// uniform returns a value in [-1, 1).
func (r *rng) uniform() float64 { return float64(r.next()>>11)/(1<<52) - 1 }

// music returns secs seconds of deterministic music-like material, planar:
// decaying harmonic notes panned across the stereo field, low-passed noise
// with a slow swell, a kick and snare pattern, and sections from quiet to
// loud, peak-normalised to -1 dBFS. With one channel it is the mono sum.
func music(rate, channels int, secs float64, seed uint64) [][]float32 {
	n := int(secs * float64(rate))
	fs := float64(rate)
	l := make([]float64, n)
	r := make([]float64, n)
	g := rng(seed | 1)
	addNotes(l, r, fs, secs, &g)
	addNoise(l, r, fs, &g)
	addDrums(l, r, fs, secs, &g)
	peak := applySections(l, r, fs, channels)
	norm := math.Pow(10, -1.0/20) / peak
	out := make([][]float32, channels)
	src := [][]float64{l, r}
	for c := range out {
		out[c] = make([]float32, n)
		for i, v := range src[c] {
			out[c][i] = float32(v * norm)
		}
	}
	return out
}

// harmonicTable returns one cycle of a harmonic tone, partials 1..6 at
// 1/h, in tableLen+1 points (the last is the first again).
func harmonicTable(tableLen int) []float64 {
	table := make([]float64, tableLen+1)
	for i := range table {
		ph := 2 * math.Pi * float64(i) / float64(tableLen)
		for h := 1; h <= 6; h++ {
			table[i] += math.Sin(float64(h)*ph) / float64(h)
		}
	}
	return table
}

// addNotes adds music's notes to l and r (at fs Hz, secs long): every
// 250 ms a harmonic note of the scale, panned, lasting up to 1.2 s.
func addNotes(l, r []float64, fs, secs float64, g *rng) {
	n := len(l)
	const tableLen = 4096
	table := harmonicTable(tableLen)
	scale := []float64{220, 246.94, 261.63, 293.66, 329.63, 349.23, 392, 440, 493.88, 523.25, 587.33, 659.26, 783.99}
	for t0 := 0.0; t0 < secs; t0 += 0.25 {
		f := scale[g.next()%uint64(len(scale))]
		if g.next()%3 == 0 {
			f /= 2
		}
		amp := 0.08 + 0.08*(g.uniform()+1)/2
		pan := (g.uniform() + 1) / 2
		gl, gr := amp*math.Cos(pan*math.Pi/2), amp*math.Sin(pan*math.Pi/2)
		start := int(t0 * fs)
		end := min(n, start+int(1.2*fs))
		phase, step := 0.0, f/fs*tableLen
		decay := math.Exp(-1 / (0.35 * fs))
		env := 1.0
		for i := start; i < end; i++ {
			k := int(phase)
			fr := phase - float64(k)
			v := table[k] + fr*(table[k+1]-table[k])
			a := env
			if d := float64(i - start); d < 0.005*fs {
				a *= d / (0.005 * fs)
			}
			l[i] += gl * a * v
			r[i] += gr * a * v
			env *= decay
			if phase += step; phase >= tableLen {
				phase -= tableLen
			}
		}
	}
}

// addNoise adds low-passed noise with a slow swell, decorrelated between
// the channels, to l and r.
func addNoise(l, r []float64, fs float64, g *rng) {
	var nl, nr float64
	lp := 1 - math.Exp(-2*math.Pi*2500/fs)
	var a float64
	for i := 0; i < len(l); i++ {
		if i%64 == 0 { // the swell is slow: a new gain every 64 samples
			a = 0.05 * (0.6 + 0.4*math.Sin(2*math.Pi*0.3*float64(i)/fs))
		}
		nl += lp * (g.uniform() - nl)
		nr += lp * (g.uniform() - nr)
		l[i] += a * nl
		r[i] += a * nr
	}
}

// addDrums adds drums to l and r: a kick on every beat (500 ms), a snare
// burst on the off-beats, accented every fourth beat.
func addDrums(l, r []float64, fs, secs float64, g *rng) {
	n := len(l)
	snareLP := 1 - math.Exp(-2*math.Pi*7000/fs)
	snareHP := 1 - math.Exp(-2*math.Pi*300/fs)
	for beat := 0; float64(beat)*0.5 < secs; beat++ {
		start := int(float64(beat) * 0.5 * fs)
		acc := 0.6
		if beat%4 == 0 {
			acc = 1.0
		}
		kend := min(n, start+int(0.3*fs))
		// A sine gliding from 130 Hz to 50 Hz under an exponential decay,
		// by recurrences (a rotating phasor) rather than sin and exp per
		// sample.
		env, glide := 0.45*acc, 80.0
		envStep, glideStep := math.Exp(-1/(0.12*fs)), math.Exp(-1/(0.03*fs))
		c, sn := 1.0, 0.0
		for i := start; i < kend; i++ {
			dt := 2 * math.Pi * (50 + glide) / fs
			c, sn = c-dt*sn-dt*dt/2*c, sn+dt*c-dt*dt/2*sn
			v := env * sn
			l[i] += v
			r[i] += v
			env *= envStep
			glide *= glideStep
		}
		sstart := start + int(0.25*fs)
		send := min(n, sstart+int(0.2*fs))
		var lo, lo2 float64
		env = 1.2 * acc
		envStep = math.Exp(-1 / (0.05 * fs))
		for i := sstart; i < send; i++ {
			// Noise band-passed to roughly 300 Hz .. 7 kHz, as a recorded
			// snare's spectrum falls off; raw or differentiated white noise
			// would put most of the energy near Nyquist, where every
			// true-peak interpolator reads differently.
			lo += snareLP * (g.uniform() - lo)
			lo2 += snareHP * (lo - lo2)
			v := env * (lo - lo2)
			env *= envStep
			l[i] += v
			r[i] += 0.8 * v
		}
	}
}

// applySections applies music's dynamics over the piece to l and r, with
// 50 ms ramps between the sections; with one channel, l becomes the mono
// sum. It returns the peak of the channels kept.
func applySections(l, r []float64, fs float64, channels int) float64 {
	type section struct{ from, dB float64 }
	sections := []section{{0, -14}, {6, -2}, {13, -8}, {19, -22}, {25, -4}}
	gain := func(t float64) float64 {
		db := sections[0].dB
		for j, s := range sections {
			if t >= s.from {
				db = s.dB
				if j > 0 && t < s.from+0.05 {
					p := (t - s.from) / 0.05
					db = sections[j-1].dB + p*(s.dB-sections[j-1].dB)
				}
			}
		}
		return math.Pow(10, db/20)
	}
	n := len(l)
	var peak float64
	for i0 := 0; i0 < n; i0 += 64 {
		// The gain interpolated linearly over 64 samples.
		g0, g1 := gain(float64(i0)/fs), gain(float64(i0+64)/fs)
		for i := i0; i < min(n, i0+64); i++ {
			a := g0 + (g1-g0)*float64(i-i0)/64
			l[i] *= a
			r[i] *= a
			if channels == 1 {
				l[i] = (l[i] + r[i]) / 2
			}
			peak = max(peak, math.Abs(l[i]), math.Abs(r[i]))
		}
	}
	if channels == 1 {
		peak = 0
		for _, v := range l {
			peak = max(peak, math.Abs(v))
		}
	}
	return peak
}

// interleave returns planar audio as interleaved frames.
func interleave(ch [][]float32) []float32 {
	n := len(ch[0])
	out := make([]float32, n*len(ch))
	for c, s := range ch {
		for i, v := range s {
			out[i*len(ch)+c] = v
		}
	}
	return out
}

// fade applies raised-cosine fades of n frames to both ends of x.
func fade(x []float32, channels, n int) {
	frames := len(x) / channels
	for i := 0; i < n; i++ {
		g := float32(0.5 - 0.5*math.Cos(math.Pi*float64(i)/float64(n)))
		for c := 0; c < channels; c++ {
			x[i*channels+c] *= g
			x[(frames-1-i)*channels+c] *= g
		}
	}
}
