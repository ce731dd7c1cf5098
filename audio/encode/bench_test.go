package encode

import (
	"path/filepath"
	"testing"
)

// BenchmarkEncode encodes 10 s of stereo 48 kHz audio per iteration, in
// 4800-frame Writes, to a file in a temporary folder, and reports how many
// times faster than real time that is.
func BenchmarkEncode(b *testing.B) {
	const rate, seconds = 48000, 10
	src := testSignal(rate, rate*seconds, 2)
	for _, f := range allFormats {
		b.Run(f.String(), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "bench"+f.Ext())
			b.SetBytes(int64(rate * seconds * 2 * 4)) // float32 input
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				w, err := Create(path, Options{Format: f, Rate: rate, Channels: 2, Tags: testTags})
				if err != nil {
					b.Fatal(err)
				}
				for off := 0; off < len(src[0]); off += 4800 {
					if err := w.Write([][]float32{src[0][off : off+4800], src[1][off : off+4800]}); err != nil {
						b.Fatal(err)
					}
				}
				if err := w.Close(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(seconds*b.N)/b.Elapsed().Seconds(), "x_realtime")
		})
	}
}
