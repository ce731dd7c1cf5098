package loudness

import "math"

// biquad holds normalised second-order IIR coefficients (a0 = 1):
// y[n] = b0 x[n] + b1 x[n-1] + b2 x[n-2] - a1 y[n-1] - a2 y[n-2].
type biquad struct {
	b0, b1, b2, a1, a2 float64
}

// Parameters of the analogue prototypes of the two K-weighting stages,
// obtained (by libebur128's author) by fitting the BS.1770 48 kHz table;
// the bilinear transform of them reproduces that table to about 1e-9
// and gives the same filter at any other sample rate.
const (
	shelfF0 = 1681.974450955533
	shelfG  = 3.999843853973347 // dB
	shelfQ  = 0.7071752369554196
	hpF0    = 38.13547087602444
	hpQ     = 0.5003270373238773
)

// kWeighting returns the BS.1770 pre-filter (high shelf, stage 1) and the
// RLB high-pass (stage 2) for the given sample rate.
func kWeighting(rate int) (shelf, hp biquad) {
	fs := float64(rate)

	k := math.Tan(math.Pi * shelfF0 / fs)
	vh := math.Pow(10, shelfG/20)
	vb := math.Pow(vh, 0.4996667741545416)
	a0 := 1 + k/shelfQ + k*k
	shelf = biquad{
		b0: (vh + vb*k/shelfQ + k*k) / a0,
		b1: 2 * (k*k - vh) / a0,
		b2: (vh - vb*k/shelfQ + k*k) / a0,
		a1: 2 * (k*k - 1) / a0,
		a2: (1 - k/shelfQ + k*k) / a0,
	}

	// The RLB numerator of BS.1770 is 1, -2, 1 at 48 kHz, which leaves
	// the high-pass a pass-band gain of a0(48 kHz) = 1.005 (+0.043 dB)
	// that the -0.691 dB constant of the loudness formula was set with.
	// libebur128 and FFmpeg keep 1, -2, 1 at every rate, so their
	// pass-band gain drifts with the rate: +0.047 dB at 44.1 kHz,
	// +0.022 dB at 96 kHz, +0.26 dB at 8 kHz. Scaling the numerator by
	// a0(48 kHz)/a0(rate) keeps the 48 kHz gain at every rate, and is
	// exactly 1 at 48 kHz.
	hp = rlb(rate)
	g := rlbA0(48000) / rlbA0(rate)
	hp.b0, hp.b1, hp.b2 = g, -2*g, g
	return shelf, hp
}

// rlbA0 is the leading denominator coefficient of the bilinear transform
// of the RLB high-pass prototype, before normalisation.
func rlbA0(rate int) float64 {
	k := math.Tan(math.Pi * hpF0 / float64(rate))
	return 1 + k/hpQ + k*k
}

// rlb returns the RLB high-pass with the numerator of the BS.1770 table.
func rlb(rate int) biquad {
	k := math.Tan(math.Pi * hpF0 / float64(rate))
	a0 := 1 + k/hpQ + k*k
	return biquad{
		b0: 1,
		b1: -2,
		b2: 1,
		a1: 2 * (k*k - 1) / a0,
		a2: (1 - k/hpQ + k*k) / a0,
	}
}
