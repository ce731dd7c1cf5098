// Package dither provides deterministic dither noise for word-length
// reduction (for example 32-bit float mix to 16-bit PCM).
//
// TPDF (triangular probability density function) dither is the sum of two
// independent uniform random values of ±0.5 LSB each. Added before rounding,
// it turns the quantisation error into signal-independent noise of constant
// power (1/4 LSB² total, of which 1/6 LSB² is the dither itself), so quiet
// passages and fade-outs do not get the harsh harmonic distortion of plain
// rounding.
//
// The noise comes from a splitmix64 generator, so the same seed always
// gives the same sequence on every platform: rendering the same mix twice
// produces identical files. There is no shared state, no locking and no
// allocation per sample; a TPDF value is not safe for concurrent use, so
// give each writer its own.
package dither

// TPDF generates triangular dither noise in units of one LSB.
// Make one with NewTPDF (the zero value works, but is not seeded).
type TPDF struct {
	state uint64 // splitmix64 counter
}

// NewTPDF returns a generator whose sequence is fully determined by seed.
// Any seed, including 0, is valid.
func NewTPDF(seed uint64) *TPDF {
	d := &TPDF{}
	d.Reset(seed)
	return d
}

// Reset restarts the generator as if it had just been made by NewTPDF(seed).
func (d *TPDF) Reset(seed uint64) {
	// Start the counter at a mixed seed, so that nearby seeds (0, 1, 2, ...)
	// start far apart in the sequence.
	d.state = mix64(seed)
}

// mix64 is the splitmix64 output function, a bijection on uint64 whose
// every output bit depends on every input bit.
func mix64(z uint64) uint64 {
	z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
	z = (z ^ z>>27) * 0x94D049BB133111EB
	return z ^ z>>31
}

// Next returns the next dither value, in LSB units: the sum of two
// independent uniform values in (-0.5, 0.5), so its distribution is
// triangular on (-1, 1) with mean 0 and variance 1/6.
//
// A caller quantising x (already scaled to LSB units) computes
// round(x + d.Next()) and then clamps to the integer range.
func (d *TPDF) Next() float32 {
	// splitmix64: a Weyl sequence through a strong mixer. Unlike xorshift,
	// successive outputs do not depend on each other's result, so the CPU
	// can overlap them.
	d.state += 0x9E3779B97F4A7C15
	x := mix64(d.state)
	// Two independent 24-bit uniforms from the output. Their sum minus
	// (2^24-1) is symmetric around 0 and fits a float32 exactly.
	const mask = 1<<24 - 1
	s := int32(x>>40) + int32(x>>16&mask) - mask
	return float32(s) * (1.0 / (1 << 24))
}
