//go:build race

package loudness

// absf is math.Abs without its unsafe conversion, which the race
// detector's pointer checks (-d=checkptr) instrument on every call even in
// the go:norace inner loops, making -race test runs several times slower.
// It gives the same value for every non-NaN input; the normal build uses
// math.Abs, which is faster than max(x, -x).
func absf(x float64) float64 { return max(x, -x) }
