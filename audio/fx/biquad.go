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
