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
	// Everything the loop reads, in locals (registers), not through c.
	on, kneeLo, rc, ac, mkWant, mkc := c.p.On, c.kneeLo, c.rc, c.ac, c.mkWant, c.mk
	thr, knee, slope, halfKnee := c.p.Threshold, c.p.Knee, c.slope, c.halfKnee
	y1, yl, mk, grMax := c.y1, c.yl, c.makeup, 0.0
	gain, glDB, gmk := mk*expNeg(yl/dbPerLog), yl, mk
	for i := range l {
		lv := math.Abs(float64(l[i]))
		if v := math.Abs(float64(r[i])); v > lv {
			lv = v
		}
		gr := 0.0
		if on && lv > kneeLo {
			gr = kneeReduction(dbPerLog*logPos(lv)-thr, knee, slope, halfKnee)
		}
		if y1 = rc*y1 + (1-rc)*gr; gr > y1 {
			y1 = gr
		}
		yl = flush(ac*yl + (1-ac)*y1)
		if d := mkWant - mk; d < 1e-9 && d > -1e-9 {
			mk = mkWant
		} else {
			mk += mkc * d
		}
		if !on && yl < 1e-3 {
			y1, yl = 0, 0 // off, and what is left of the reduction is inaudible
		}
		if yl != glDB || mk != gmk {
			gain, glDB, gmk = mk*expNeg(yl/dbPerLog), yl, mk
		}
		grMax = max(grMax, yl)
		l[i] = float32(float64(l[i]) * gain)
		if len(ch) > 1 {
			r[i] = float32(float64(r[i]) * gain)
		}
	}
	c.y1, c.yl, c.makeup, c.grMax = y1, yl, mk, grMax
	c.bypassed = !on && yl == 0 && mk == 1
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

// expNeg is e^−x for 0 ≤ x ≤ 700, to 2e-7 relative (2e-6 dB): 2^−x·log2(e)
// split into a power of two (made from its bits) and 2^f for f in [0, 1)
// (a degree-8 Taylor polynomial of e^(f·ln 2)). It is 4× as fast as math.Exp, which the
// compressor would call for every sample.
func expNeg(x float64) float64 {
	y := -x * math.Log2E
	n := math.Floor(y)
	f := (y - n) * math.Ln2
	p := 1 + f*(1+f*(1.0/2+f*(1.0/6+f*(1.0/24+f*(1.0/120+f*(1.0/720+f*(1.0/5040+f/40320)))))))
	return p * math.Float64frombits(uint64(int64(n)+1023)<<52)
}

// logPos is ln x for a finite x > 0, to 1e-9 absolute: x = m·2^e with m in
// [√½, √2), and ln m = 2·atanh(s) with s = (m − 1)/(m + 1), |s| < 0.172,
// by its series to s^11. Twice as fast as math.Log, which the compressor
// would call for every sample above its knee.
func logPos(x float64) float64 {
	bits := math.Float64bits(x)
	e := int64(bits>>52&0x7ff) - 1023
	m := math.Float64frombits(bits&^(0x7ff<<52) | 1023<<52) // [1, 2)
	if m > math.Sqrt2 {
		m, e = m/2, e+1
	}
	s := (m - 1) / (m + 1)
	s2 := s * s
	p := s * (2 + s2*(2.0/3+s2*(2.0/5+s2*(2.0/7+s2*(2.0/9+s2*(2.0/11))))))
	return float64(e)*math.Ln2 + p
}
