package device_test

import (
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"sangstudio/audio/device"
)

// BenchmarkVirtualFast measures the virtual device's driver in fast mode:
// one iteration is one buffer of 256 frames (2 in with a sine, 2 out), so
// ns/op is its overhead per buffer and allocs/op must be 0.
func BenchmarkVirtualFast(b *testing.B) {
	var calls atomic.Int64
	target := int64(b.N)
	s, err := device.Open(device.Config{Device: device.VirtualID, Inputs: 2, Outputs: 2, Fast: true,
		VirtualInput: device.VirtualSource{Kind: "sine"}},
		func(in, out [][]float32, st device.Status) {
			for c, o := range out {
				copy(o, in[c])
			}
			calls.Add(1)
		})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.ReportAllocs()
	b.ResetTimer()
	s.Start()
	for calls.Load() < target {
		time.Sleep(100 * time.Microsecond)
	}
	s.Stop()
}

// BenchmarkJACKCallback runs a duplex stream on the JACK test server with
// the buffer equal to the period, one iteration per callback, and reports
// the callback intervals (median, 99th percentile, maximum, in ms) and the
// xruns: the timing figures that tests do not assert (see
// ../shared/audio-testing.md).
func BenchmarkJACKCallback(b *testing.B) {
	sys := needJACK(b)
	for _, period := range []int{128, 256} {
		b.Run(fmt.Sprint(period), func(b *testing.B) {
			setPeriod(b, period)
			times := make([]int64, b.N+1)
			var calls atomic.Int64
			s, err := device.Open(device.Config{Device: sys.ID, Buffer: period, Inputs: 2, Outputs: 2},
				func(in, out [][]float32, st device.Status) {
					for c, o := range out {
						copy(o, in[c])
					}
					if k := calls.Load(); k < int64(len(times)) {
						times[k] = time.Now().UnixNano()
						calls.Store(k + 1)
					}
				})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			b.ReportAllocs()
			b.ResetTimer()
			s.Start()
			for calls.Load() < int64(len(times)) {
				time.Sleep(time.Millisecond)
			}
			s.Stop()
			b.StopTimer()
			calls.Load()
			iv := make([]float64, b.N)
			for i := range iv {
				iv[i] = float64(times[i+1]-times[i]) / 1e6
			}
			slices.Sort(iv)
			b.ReportMetric(iv[len(iv)/2], "ms-median")
			b.ReportMetric(iv[len(iv)*99/100], "ms-p99")
			b.ReportMetric(iv[len(iv)-1], "ms-max")
			b.ReportMetric(float64(s.Xruns()), "xruns")
		})
	}
}

// BenchmarkJACKEntry shows where the Go callback waits: it runs a JACK
// stream (128 frames, a trivial callback) for 3 s while busy goroutines
// (CPU-bound loops, standing in for the butler and the garbage collector)
// keep the Go processors (Ps) occupied, with GOMAXPROCS at the number of
// CPUs and at two more, and reports the entry into Go from JACK's thread
// (C callback to the first line of Go) and the buffers that finished late.
// JACK's thread needs a P to run Go code; with every P busy it waits until
// the scheduler hands one over (a goroutine blocks, or is preempted after
// up to 10 ms).
func BenchmarkJACKEntry(b *testing.B) {
	sys := needJACK(b)
	setPeriod(b, 128)
	ncpu := runtime.NumCPU()
	for _, procs := range []int{ncpu, ncpu + 2} {
		for _, busy := range []int{0, ncpu} {
			b.Run(fmt.Sprintf("procs=%d/busy=%d", procs, busy), func(b *testing.B) {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
				s, err := device.Open(device.Config{Device: sys.ID, Inputs: 2, Outputs: 2}, func(in, out [][]float32, st device.Status) {
					for c, o := range out {
						copy(o, in[c])
					}
				})
				if err != nil {
					b.Fatal(err)
				}
				defer s.Close()
				stop := make(chan struct{})
				var wg sync.WaitGroup
				for range busy {
					wg.Add(1)
					go func() {
						defer wg.Done()
						x := uint64(1)
						for {
							for range 1 << 16 {
								x = x*6364136223846793005 + 1442695040888963407
							}
							select {
							case <-stop:
								sink.Add(x)
								return
							default:
							}
						}
					}()
				}
				b.ResetTimer()
				s.Start()
				time.Sleep(3 * time.Second)
				s.Stop()
				b.StopTimer()
				close(stop)
				wg.Wait()
				ct := s.(device.Timer).CallbackTimes()
				b.ReportMetric(ct.Entry.P50, "entry-µs-p50")
				b.ReportMetric(ct.Entry.P99, "entry-µs-p99")
				b.ReportMetric(ct.Entry.Max, "entry-µs-max")
				b.ReportMetric(float64(ct.Entry.Slow), "entries≥1ms")
				b.ReportMetric(float64(ct.Late), "late")
				b.ReportMetric(float64(ct.LateBy.Entry), "late-by-entry")
				b.Logf("%v", ct)
			})
		}
	}
}

var sink atomic.Uint64
