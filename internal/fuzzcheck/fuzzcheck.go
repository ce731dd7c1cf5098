// Package fuzzcheck holds what every fuzz target checks besides "no
// panic": one input's work returns in time (no hang) and allocates no more
// than the input's size justifies.
//
//	f.Fuzz(func(t *testing.T, data []byte) {
//		fuzzcheck.Call(t, len(data), fuzzcheck.Limit{Base: 1 << 20, PerByte: 64}, func() {
//			v, err := Decode(data)
//			…
//		})
//	})
package fuzzcheck

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// Limit is what one input's work may allocate in all: Base bytes, plus
// PerByte for each byte of the input; and how long it may take (Hang; 0 is
// DefaultHang).
type Limit struct {
	Base, PerByte uint64
	Hang          time.Duration
}

// Max is the limit for an input of n bytes.
func (l Limit) Max(n int) uint64 { return l.Base + l.PerByte*uint64(max(n, 0)) }

// DefaultHang is how long one input's work may take before it counts as a
// hang. It is far above any real input's time (milliseconds), so that a
// busy machine never trips it; a loop that never ends always does.
const DefaultHang = 20 * time.Second

// logEach logs every input's allocation (FUZZCHECK_LOG=1, to set limits).
var logEach = os.Getenv("FUZZCHECK_LOG") == "1"

// Call runs work for an input of n bytes on the calling (test) goroutine
// and fails t if work allocates more than lim allows (the bytes the whole
// process allocated meanwhile, which is this work: a fuzz worker runs one
// input at a time). If work does not return within lim.Hang, the process stops
// with a panic that names the hang and shows every goroutine's stack; the
// fuzzing engine records the input as a failure.
func Call(t testing.TB, n int, lim Limit, work func()) {
	t.Helper()
	hang := lim.Hang
	if hang <= 0 {
		hang = DefaultHang
	}
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		select {
		case <-stop:
		case <-time.After(hang):
			debug.SetTraceback("all")
			panic(fmt.Sprintf("fuzzcheck: a %d-byte input hangs: its work did not return within %v", n, hang))
		}
	}()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	work()
	runtime.ReadMemStats(&m1)
	got, limit := m1.TotalAlloc-m0.TotalAlloc, lim.Max(n)
	if logEach {
		t.Logf("fuzzcheck: %d-byte input, %d bytes allocated, %.1f %% of the limit", n, got, 100*float64(got)/float64(limit))
	}
	if got > limit {
		t.Fatalf("a %d-byte input made its work allocate %d bytes (%.1f MB); the limit is %d (%d + %d per byte)",
			n, got, float64(got)/(1<<20), limit, lim.Base, lim.PerByte)
	}
}
