package device

import (
	"fmt"
	"math/bits"
	"sync/atomic"
	_ "unsafe" // go:linkname
)

// Timer is implemented by streams that time their callback path (the JACK
// streams): where each buffer's time goes between the audio server
// starting a cycle and Sangstudio's callback returning.
type Timer interface {
	CallbackTimes() CallbackTimes
}

// CallbackTimes are the figures of a stream's callback path since it was
// opened, in microseconds.
type CallbackTimes struct {
	Calls  int64   // buffers timed
	Period float64 // the length of a period now (the server's period at its rate)
	// Wake: from the cycle's start (when JACK's driver began it) to JACK
	// calling our C process callback. The machine and the JACK graph decide
	// it; a C client sees the same.
	Wake Spread
	// Entry: from the C process callback's first line to the Go side's
	// first line: the cgo entry into Go from JACK's thread, which needs an
	// M and a P (a Go processor) before any Go code runs.
	Entry Spread
	// Callback: the Callback itself (the engine's work).
	Callback Spread
	// Total: the C process callback, entry to return (Entry + Callback +
	// the way back to C).
	Total Spread
	// Finish: from the cycle's start to the C callback's return; the cycle
	// is missed when it is above the period.
	Finish Spread
	// Late counts the buffers whose Finish was above their period, and
	// LateBy says what took most of the time of the first buffer of each
	// run of late ones (the buffers after a stall are late because of it):
	// the wake-up (the server or the machine was late: a C client is late
	// too), the entry into Go, or the callback.
	Late   int64
	LateBy struct{ Wake, Entry, Callback int64 }
}

// Spread describes one measure over the buffers: how many, the mean, the
// percentiles (upper bounds of histogram buckets, within 1/8 of the value)
// and the largest, all in microseconds.
type Spread struct {
	Count                     int64
	Mean, P50, P90, P99, P999 float64
	Max                       float64
	Slow                      int64 // values of 1 ms (1024 µs) or more
}

func (s Spread) String() string {
	return fmt.Sprintf("median %.0f, p90 %.0f, p99 %.0f, p99.9 %.0f, max %.0f µs, %d ≥ 1 ms", s.P50, s.P90, s.P99, s.P999, s.Max, s.Slow)
}

func (t CallbackTimes) String() string {
	return fmt.Sprintf("%d buffers, period %.0f µs; wake: %v; Go entry: %v; callback: %v; total: %v; finish: %v; %d finished late (most of the time in: wake %d, Go entry %d, callback %d)",
		t.Calls, t.Period, t.Wake, t.Entry, t.Callback, t.Total, t.Finish, t.Late, t.LateBy.Wake, t.LateBy.Entry, t.LateBy.Callback)
}

// histogram is a lock-free histogram of durations in microseconds: exact
// below 16 µs, then 8 buckets per power of two (up to about 17 s). Safe on
// the audio thread (atomics only); read from any goroutine.
type histogram struct {
	buckets [histBuckets]atomic.Int64
	count   atomic.Int64
	sum     atomic.Int64
	max     atomic.Int64
}

const histBuckets = 16 + 20*8

func bucketOf(us int64) int {
	if us < 16 {
		return int(max(us, 0))
	}
	e := bits.Len64(uint64(us)) - 1 // 4..
	b := 16 + (e-4)*8 + int(us>>(e-3))&7
	return min(b, histBuckets-1)
}

// bucketTop is the largest value bucket b holds.
func bucketTop(b int) int64 {
	if b < 16 {
		return int64(b)
	}
	e := (b-16)/8 + 4
	k := int64((b-16)%8 + 8)
	return (k+1)<<(e-3) - 1
}

// add records one duration in microseconds. Safe on the audio thread.
func (h *histogram) add(us int64) {
	if us < 0 {
		return
	}
	h.buckets[bucketOf(us)].Add(1)
	h.count.Add(1)
	h.sum.Add(us)
	for {
		m := h.max.Load()
		if us <= m || h.max.CompareAndSwap(m, us) {
			return
		}
	}
}

func (h *histogram) spread() Spread {
	var counts [histBuckets]int64
	var n int64
	for i := range counts {
		counts[i] = h.buckets[i].Load()
		n += counts[i]
	}
	s := Spread{Count: n, Max: float64(h.max.Load())}
	if n == 0 {
		return s
	}
	for b := bucketOf(1024); b < histBuckets; b++ {
		s.Slow += counts[b]
	}
	s.Mean = float64(h.sum.Load()) / float64(h.count.Load())
	pct := func(p float64) float64 {
		want := int64(p*float64(n)+0.5) + 0
		want = max(want, 1)
		var acc int64
		for b, c := range counts {
			acc += c
			if acc >= want {
				return min(float64(bucketTop(b)), s.Max)
			}
		}
		return s.Max
	}
	s.P50, s.P90, s.P99, s.P999 = pct(0.5), pct(0.9), pct(0.99), pct(0.999)
	return s
}

// nanotime is the runtime's monotonic clock (CLOCK_MONOTONIC on Linux, the
// clock the C side reads): no allocation, no system call (vDSO).
//
//go:linkname nanotime runtime.nanotime
func nanotime() int64
