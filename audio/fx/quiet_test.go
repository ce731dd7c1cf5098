package fx

import "testing"

// TestBusesGoQuiet: a reverb and a delay that got a burst hold sound for a
// while, then, some seconds after it is far below hearing, hold exactly
// nothing (Quiet); a control gliding or a new sound wakes them.
func TestBusesGoQuiet(t *testing.T) {
	const rate = 48000
	for _, c := range []struct {
		name string
		bus  interface {
			Process(l, r []float32)
			Quiet() bool
		}
	}{
		{"reverb", NewReverb(rate)},
		{"delay", NewDelay(rate)},
	} {
		b := c.bus
		if !b.Quiet() {
			t.Errorf("%s: not quiet when new", c.name)
		}
		burst := noise(4800, 0.5, 9)
		b.Process(burst, append([]float32(nil), burst...))
		l, r := make([]float32, 4800), make([]float32, 4800)
		b.Process(l, r)
		if b.Quiet() {
			t.Errorf("%s: quiet right after a burst", c.name)
		}
		quietAt := -1
		for k := 1; k <= 600 && quietAt < 0; k++ { // a minute at most
			clear(l)
			clear(r)
			b.Process(l, r)
			if b.Quiet() {
				quietAt = k
			}
		}
		if quietAt < 0 {
			t.Fatalf("%s: still holding sound a minute after a burst", c.name)
		}
		t.Logf("%s: quiet %.1f s after the burst", c.name, float64(quietAt)*0.1)
		switch x := b.(type) {
		case *Reverb:
			x.Set(ReverbParams{Room: 0.9, Damp: 0.2, Width: 1, WetDB: -3})
		case *Delay:
			x.Set(DelayParams{TimeMS: 300, Feedback: 0.6, WetDB: -3})
		}
		if b.Quiet() {
			t.Errorf("%s: quiet while its controls glide", c.name)
		}
	}
}
