//go:build !race

package loudness

import "math"

// absf is math.Abs; see abs_race.go.
func absf(x float64) float64 { return math.Abs(x) }
