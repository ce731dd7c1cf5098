package device_test

import (
	"fmt"
	"slices"
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
