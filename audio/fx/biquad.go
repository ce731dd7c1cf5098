package fx

import "math"

// Biquads from Robert Bristow-Johnson's Audio EQ Cookbook, computed in
// float64 exactly as sox computes them (src/biquads.c: the same formulas,
// the same order of operations, normalised by a0), so that a filter here
// can be checked against sox's highpass, equalizer, bass and treble:
//
//	w0 = 2π·f/rate, A = 10^(gain/40)
//	alpha = sin(w0)/(2Q)                                  (high-pass, peaking)
//	alpha = sin(w0)/2 · sqrt((A + 1/A)(1/S − 1) + 2)      (shelves, slope S)

// Coefs are a biquad's coefficients, normalised so that a0 = 1:
// y[n] = B0·x[n] + B1·x[n−1] + B2·x[n−2] − A1·y[n−1] − A2·y[n−2].
type Coefs struct {
	B0, B1, B2, A1, A2 float64
}

func normalise(b0, b1, b2, a0, a1, a2 float64) Coefs {
	return Coefs{B0: b0 / a0, B1: b1 / a0, B2: b2 / a0, A1: a1 / a0, A2: a2 / a0}
}

// HighPass is a 2nd-order high-pass at f Hz with quality q (sox: highpass
// f q; 0.707 is Butterworth, sox's default).
func HighPass(rate, f, q float64) Coefs {
	w0 := 2 * math.Pi * f / rate
	alpha := math.Sin(w0) / (2 * q)
	return normalise((1+math.Cos(w0))/2, -(1 + math.Cos(w0)), (1+math.Cos(w0))/2,
		1+alpha, -2*math.Cos(w0), 1-alpha)
}

// Peaking is a peaking band at f Hz with quality q and gain in dB (sox:
// equalizer f qq gain).
func Peaking(rate, f, q, gain float64) Coefs {
	w0 := 2 * math.Pi * f / rate
	a := math.Exp(gain / 40 * math.Log(10))
	alpha := math.Sin(w0) / (2 * q)
	return normalise(1+alpha*a, -2*math.Cos(w0), 1-alpha*a,
		1+alpha/a, -2*math.Cos(w0), 1-alpha/a)
}

// shelfAlpha is the shelves' alpha for slope s.
func shelfAlpha(w0, a, s float64) float64 {
	return math.Sin(w0) / 2 * math.Sqrt((a+1/a)*(1/s-1)+2)
}

// LowShelf is a low shelf at f Hz with slope s (1 is the steepest without
// overshoot; sox's bass defaults to 0.5) and gain in dB (sox: bass gain f
// s's').
func LowShelf(rate, f, s, gain float64) Coefs {
	w0 := 2 * math.Pi * f / rate
	a := math.Exp(gain / 40 * math.Log(10))
	alpha := shelfAlpha(w0, a, s)
	c, sq := math.Cos(w0), 2*math.Sqrt(a)*alpha
	return normalise(a*((a+1)-(a-1)*c+sq), 2*a*((a-1)-(a+1)*c), a*((a+1)-(a-1)*c-sq),
		(a+1)+(a-1)*c+sq, -2*((a-1)+(a+1)*c), (a+1)+(a-1)*c-sq)
}

// HighShelf is a high shelf at f Hz with slope s and gain in dB (sox:
// treble gain f s's').
func HighShelf(rate, f, s, gain float64) Coefs {
	w0 := 2 * math.Pi * f / rate
	a := math.Exp(gain / 40 * math.Log(10))
	alpha := shelfAlpha(w0, a, s)
	c, sq := math.Cos(w0), 2*math.Sqrt(a)*alpha
	return normalise(a*((a+1)+(a-1)*c+sq), -2*a*((a-1)+(a+1)*c), a*((a+1)+(a-1)*c-sq),
		(a+1)-(a-1)*c+sq, 2*((a-1)-(a+1)*c), (a+1)-(a-1)*c-sq)
}

// Response is the filter's gain in dB at f Hz (for drawing an EQ curve).
func (c Coefs) Response(rate, f float64) float64 {
	w := 2 * math.Pi * f / rate
	// H(e^jw) = (B0 + B1 z^-1 + B2 z^-2) / (1 + A1 z^-1 + A2 z^-2)
	re := func(a0, a1, a2 float64) (float64, float64) {
		return a0 + a1*math.Cos(w) + a2*math.Cos(2*w), -a1*math.Sin(w) - a2*math.Sin(2*w)
	}
	nr, ni := re(c.B0, c.B1, c.B2)
	dr, di := re(1, c.A1, c.A2)
	return 10 * math.Log10((nr*nr+ni*ni)/(dr*dr+di*di))
}

// biquad is one channel of a biquad filter in direct form I, as sox runs
// it: the state is the last two inputs and outputs, in float64.
type biquad struct {
	x1, x2, y1, y2 float64
}

// run filters buf in place with c.
func (q *biquad) run(c Coefs, buf []float32) {
	x1, x2, y1, y2 := q.x1, q.x2, q.y1, q.y2
	for i, v := range buf {
		x := float64(v)
		y := c.B0*x + c.B1*x1 + c.B2*x2 - c.A1*y1 - c.A2*y2
		x2, x1 = x1, x
		y2, y1 = y1, y
		buf[i] = float32(y)
	}
	q.x1, q.x2, q.y1, q.y2 = x1, x2, flush(y1), flush(y2)
}

// run2 filters buf in place with p (coefficients a) and then q (b), sample
// by sample in one loop: q works on p's output in float64, and the two
// filters' feedback chains, each waiting on its own last output, overlap
// in the processor (about twice as fast as two runs).
func run2(p, q *biquad, a, b Coefs, buf []float32) {
	px1, px2, py1, py2 := p.x1, p.x2, p.y1, p.y2
	qx1, qx2, qy1, qy2 := q.x1, q.x2, q.y1, q.y2
	for i, v := range buf {
		x := float64(v)
		y := a.B0*x + a.B1*px1 + a.B2*px2 - a.A1*py1 - a.A2*py2
		px2, px1 = px1, x
		py2, py1 = py1, y
		z := b.B0*y + b.B1*qx1 + b.B2*qx2 - b.A1*qy1 - b.A2*qy2
		qx2, qx1 = qx1, y
		qy2, qy1 = qy1, z
		buf[i] = float32(z)
	}
	p.x1, p.x2, p.y1, p.y2 = px1, px2, flush(py1), flush(py2)
	q.x1, q.x2, q.y1, q.y2 = qx1, qx2, flush(qy1), flush(qy2)
}

// run3 is run2 with a third filter r (coefficients c) after q.
func run3(p, q, r *biquad, a, b, c Coefs, buf []float32) {
	px1, px2, py1, py2 := p.x1, p.x2, p.y1, p.y2
	qx1, qx2, qy1, qy2 := q.x1, q.x2, q.y1, q.y2
	rx1, rx2, ry1, ry2 := r.x1, r.x2, r.y1, r.y2
	for i, v := range buf {
		x := float64(v)
		y := a.B0*x + a.B1*px1 + a.B2*px2 - a.A1*py1 - a.A2*py2
		px2, px1 = px1, x
		py2, py1 = py1, y
		z := b.B0*y + b.B1*qx1 + b.B2*qx2 - b.A1*qy1 - b.A2*qy2
		qx2, qx1 = qx1, y
		qy2, qy1 = qy1, z
		w := c.B0*z + c.B1*rx1 + c.B2*rx2 - c.A1*ry1 - c.A2*ry2
		rx2, rx1 = rx1, z
		ry2, ry1 = ry1, w
		buf[i] = float32(w)
	}
	p.x1, p.x2, p.y1, p.y2 = px1, px2, flush(py1), flush(py2)
	q.x1, q.x2, q.y1, q.y2 = qx1, qx2, flush(qy1), flush(qy2)
	r.x1, r.x2, r.y1, r.y2 = rx1, rx2, flush(ry1), flush(ry2)
}

// pass lets buf through unchanged (a band at 0 dB, an effect turned off:
// bit for bit) and keeps the state a unity filter would have, so that
// switching the filter on later starts without a click.
func (q *biquad) pass(buf []float32) {
	n := len(buf)
	switch {
	case n >= 2:
		q.x1, q.x2 = float64(buf[n-1]), float64(buf[n-2])
	case n == 1:
		q.x2, q.x1 = q.x1, float64(buf[0])
	}
	q.y1, q.y2 = q.x1, q.x2
}

// flush makes a value too small to hear exactly 0, so that a filter's
// decaying state never becomes denormal (which costs ~100× the time).
func flush(v float64) float64 {
	if v < 1e-30 && v > -1e-30 {
		return 0
	}
	return v
}
