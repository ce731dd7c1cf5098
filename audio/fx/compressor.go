package fx

import "math"

// dbPerLog turns a natural log of a level into dB: 20/ln 10.
const dbPerLog = 20 / math.Ln10

// CompParams are a compressor's settings.
type CompParams struct {
	On        bool
	Threshold float64 // dBFS (−60…0)
	Ratio     float64 // 1…20 (1: no compression)
	Knee      float64 // the soft knee's width in dB (0…24; 0 is a hard knee)
	Attack    float64 // ms (0.1…200)
	Release   float64 // ms (5…2000)
	Makeup    float64 // dB added after the compression (0…24)
}

// Clamp returns p with every value within its range.
func (p CompParams) Clamp() CompParams {
	c := func(v, lo, hi float64) float64 { return min(max(v, lo), hi) }
	p.Threshold = c(p.Threshold, -60, 0)
	p.Ratio = c(p.Ratio, 1, 20)
	p.Knee = c(p.Knee, 0, 24)
	p.Attack = c(p.Attack, 0.1, 200)
	p.Release = c(p.Release, 5, 2000)
	p.Makeup = c(p.Makeup, 0, 24)
	return p
}

// Curve is the compressor's static curve, as Ardour's a-Comp has it: the
// level out (dB) for a steady level in (dB), for threshold T, ratio R and
// knee width W:
//
//	below the knee (in − T < −W/2):  out = in
//	above it (in − T > W/2):         out = T + (in − T)/R
//	inside:                          out = in + (1/R − 1)·(in − T + W/2)²/(2W)
func (p CompParams) Curve(in float64) float64 {
	d := in - p.Threshold
	switch {
	case 2*d < -p.Knee:
		return in
	case 2*d > p.Knee:
		return p.Threshold + d/p.Ratio
	}
	k := d + p.Knee/2
	return in + (1/p.Ratio-1)*k*k/(2*p.Knee)
}

// Compressor is a feed-forward compressor on one or two channels, linked
// (the louder channel sets the gain of both). The gain reduction from the
// curve goes through a smooth decoupled peak detector (Giannoulis,
// Massberg and Reiss, "Digital Dynamic Range Compressor Design", JAES
// 2012, as a-Comp does): a release follower that jumps up at once,
// then an attack smoother, both one-pole with coefficient
// exp(−1000/(ms·rate)). The step response thus reaches 1 − 1/e of its
// final reduction attack·rate/1000 samples after the step.
type Compressor struct {
	rate     float64
	p        CompParams
	ac, rc   float64 // attack and release coefficients
	kneeLo   float64 // linear level where the knee starts: below it, no reduction
	slope    float64 // 1 − 1/ratio
	halfKnee float64 // 1/(2·knee) (0 for a hard knee)
	y1, yl   float64 // the detector: release follower, attack smoother (dB of reduction)
	makeup   float64 // linear, gliding to want
	mkWant   float64
	mk       float64 // the makeup's glide coefficient per sample
	grMax    float64 // the largest reduction in the last block (dB)
	bypassed bool    // off and settled: audio passes bit for bit
	scratch  [compChunk]float64
}

// NewCompressor makes a compressor at rate set to p.
func NewCompressor(rate int, p CompParams) *Compressor {
	c := &Compressor{rate: float64(rate), mk: 1 - math.Exp(-1/(glideTime*float64(rate)))}
	c.Set(p)
	c.makeup = c.mkWant
	c.bypassed = !c.p.On
	return c
}

// Set changes the settings from the next sample on; the makeup gain
// glides, and the reduction follows the new curve at the attack and
// release set. Safe on the audio thread: it does not allocate.
func (c *Compressor) Set(p CompParams) {
	p = p.Clamp()
	c.p = p
	c.ac = math.Exp(-1000 / (p.Attack * c.rate))
	c.rc = math.Exp(-1000 / (p.Release * c.rate))
	c.kneeLo = math.Pow(10, (p.Threshold-p.Knee/2)/20)
	c.slope, c.halfKnee = 1-1/p.Ratio, 0
	if p.Knee > 0 {
		c.halfKnee = 1 / (2 * p.Knee)
	}
	c.mkWant = 1
	if p.On {
		c.mkWant = math.Pow(10, p.Makeup/20)
		c.bypassed = false
	}
}

// GainReduction is the largest gain reduction in dB during the last block
// (for the meter).
func (c *Compressor) GainReduction() float64 { return c.grMax }

// compChunk is how many frames the compressor works on at a time: each
// of its three steps (the curve, the detector, the gain) runs over a chunk
// before the next starts, so that the curve's logarithms and the gain's
// exponentials, which do not depend on one another from sample to sample,
// overlap in the processor instead of waiting on the detector's chain.
const compChunk = 64

// Process compresses ch (one or two channels of the same length) in place.
func (c *Compressor) Process(ch [][]float32) {
	c.grMax = 0
	if c.bypassed {
		return
	}
	l := ch[0]
	r := l
	if len(ch) > 1 {
		r = ch[1]
	}
	for off := 0; off < len(l); off += compChunk {
		m := min(compChunk, len(l)-off)
		c.process(l[off:off+m], r[off:off+m], len(ch) > 1)
	}
	c.bypassed = !c.p.On && c.yl == 0 && c.makeup == 1
}

// process compresses one chunk (l and r are the same slice for mono).
func (c *Compressor) process(l, r []float32, stereo bool) {
	g := c.scratch[:len(l)]
	r = r[:len(l)]
	// The curve: the reduction (dB) each sample's level asks for.
	on, kneeLo := c.p.On, c.kneeLo
	thr, knee, slope, halfKnee := c.p.Threshold, c.p.Knee, c.slope, c.halfKnee
	for i := range g {
		lv := math.Abs(float64(l[i]))
		if v := math.Abs(float64(r[i])); v > lv {
			lv = v
		}
		g[i] = 0
		if on && lv > kneeLo {
			g[i] = kneeReduction(dbPerLog*logPos(lv)-thr, knee, slope, halfKnee)
		}
	}
	// The detector: a release follower that jumps up at once, then the
	// attack smoother; g becomes the reduction to apply.
	rc, ac, y1, yl, grMax := c.rc, c.ac, c.y1, c.yl, c.grMax
	for i, gr := range g {
		if y1 = rc*y1 + (1-rc)*gr; gr > y1 {
			y1 = gr
		}
		yl = ac*yl + (1-ac)*y1
		if !on && yl < 1e-3 {
			y1, yl = 0, 0 // off, and what is left of the reduction is inaudible
		}
		g[i] = yl
		if yl > grMax {
			grMax = yl
		}
	}
	c.y1, c.yl, c.grMax = flush(y1), flush(yl), grMax
	// The gain: the reduction as a factor, times the makeup (gliding to
	// its setting after a change).
	mk, mkWant, mkc := c.makeup, c.mkWant, c.mk
	for i, red := range g {
		if mk != mkWant {
			if d := mkWant - mk; d < 1e-9 && d > -1e-9 {
				mk = mkWant
			} else {
				mk += mkc * d
			}
		}
		gain := mk
		if red != 0 {
			gain *= expNeg(red / dbPerLog)
		}
		l[i] = float32(float64(l[i]) * gain)
		if stereo {
			r[i] = float32(float64(r[i]) * gain)
		}
	}
	c.makeup = mk
}

// kneeReduction is the curve's gain reduction (dB) for a level d dB over
// the threshold, above the knee's start: (1 − 1/R)·d above the knee,
// (1 − 1/R)·(d + W/2)²/(2W) inside it (halfKnee = 1/(2W); slope = 1 − 1/R).
func kneeReduction(d, knee, slope, halfKnee float64) float64 {
	if 2*d > knee {
		return d * slope
	}
	k := d + knee/2
	return slope * k * k * halfKnee
}

// expNeg is e^−x for 0 ≤ x ≤ 700, to 2e-8 relative (2e-7 dB): 2^−x·log2(e)
// split into a power of two (made from its bits) with the nearest whole
// exponent, and e^−u for |u| ≤ ln(2)/2 by its Taylor polynomial to u^7
// (evaluated in pairs of terms, so that its multiplications overlap). It
// is several times as fast as math.Exp, which the compressor would call
// for every sample.
func expNeg(x float64) float64 {
	t := x * math.Log2E
	k := int64(t + 0.5)
	u := (t - float64(k)) * math.Ln2
	u2 := u * u
	u4 := u2 * u2
	p := (1 - u) + u2*(1.0/2-u*(1.0/6)) + u4*((1.0/24-u*(1.0/120))+u2*(1.0/720-u*(1.0/5040)))
	return p * math.Float64frombits(uint64(1023-k)<<52)
}

// logPos is ln x for a finite x > 0, to 4e-8 absolute (3.5e-7 dB): x =
// m·2^e with m in [√½, √2), and ln m = ln(1 + r) by a degree-8 polynomial
// in r = m − 1 (Chebyshev interpolation on that range, coefficients
// rounded to float64), evaluated in pairs of terms. No division: it is
// written for the compressor, which needs it for every sample above its
// knee.
func logPos(x float64) float64 {
	bits := math.Float64bits(x)
	e := int64(bits>>52&0x7ff) - 1023
	m := math.Float64frombits(bits&^(0x7ff<<52) | 1023<<52) // [1, 2)
	if m > math.Sqrt2 {
		m, e = m*0.5, e+1
	}
	r := m - 1
	r2 := r * r
	r4 := r2 * r2
	p := (2.876700748668716e-08 + r*0.9999999600344596) + r2*(-0.5000095634994153+r*0.3333482819441531) +
		r4*((-0.24950976038628875+r*0.1990183010062781)+r2*(-0.17437085822879309+r*0.16247007814745396)+r4*-0.09610568084139644)
	return float64(e)*math.Ln2 + p
}
