package engine

import (
	"math"
	"sync/atomic"
)

// Meter ballistics: the peak falls at 20 dB per second; the held peak stays
// for two seconds.
const (
	meterFallDBPerSec = 20
	meterHoldSeconds  = 2
)

// meter is a peak meter with hold. The audio thread calls update; any
// goroutine calls read (lock-free).
type meter struct {
	peakA, holdA atomic.Uint32 // float32 bits

	cur, held float32 // audio-thread state
	holdLeft  int
}

// meterDecay is how much a meter's peak falls over a block of n frames.
func meterDecay(n, rate int) float32 {
	return float32(math.Pow(10, -meterFallDBPerSec/20.0*float64(n)/float64(rate)))
}

// update feeds the peak of one block of n frames, over which the peak
// falls by decay (meterDecay). Safe on the audio thread.
func (m *meter) update(p float32, n, rate int, decay float32) {
	m.cur = max(p, float32(m.cur*decay))
	if p >= m.held {
		m.held = p
		m.holdLeft = meterHoldSeconds * rate
	} else if m.holdLeft -= n; m.holdLeft <= 0 {
		m.held = m.cur
	}
	m.peakA.Store(math.Float32bits(m.cur))
	m.holdA.Store(math.Float32bits(m.held))
}

func (m *meter) read() (peak, hold float32) {
	return math.Float32frombits(m.peakA.Load()), math.Float32frombits(m.holdA.Load())
}
