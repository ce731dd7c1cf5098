package synth

import (
	"testing"
	"time"
)

// bench32 renders 256-frame blocks at 48 kHz with 32 notes sounding (a
// sustained string sound, re-struck every 100 blocks so none fade out) and
// reports the share of the block's real-time budget one block takes.
func bench32(b *testing.B, sf *SoundFont) {
	const block = 256
	in, err := New(sf, Sound{Program: 0}, testRate, block)
	if err != nil {
		b.Fatal(err)
	}
	l, r := make([]float32, block), make([]float32, block)
	strike := func() {
		for k := 0; k < 32; k++ {
			in.Event(on(byte(40+k), 100))
		}
	}
	strike()
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		if i%100 == 99 {
			strike()
		}
		in.Render(l, r)
	}
	perBlock := float64(time.Since(start).Nanoseconds()) / float64(b.N)
	b.ReportMetric(100*perBlock/(block*1e9/testRate), "%budget")
}

func BenchmarkRender32Voices(b *testing.B)   { bench32(b, tim(b)) }
func BenchmarkFallback32Voices(b *testing.B) { bench32(b, nil) }

// BenchmarkNoteOnLatency reports, as "frames", how many frames after a
// note-on applied at the start of a Render call the first non-zero sample
// comes (a computation, not a timing). Cases: the SoundFont instrument with
// Render aligned to its internal block, the worst misalignment, and the
// built-in instrument.
func BenchmarkNoteOnLatency(b *testing.B) {
	latency := func(b *testing.B, sf *SoundFont, s Sound, key byte, pre int) {
		var frames int
		for i := 0; i < b.N; i++ {
			in, err := New(sf, s, testRate, 4096)
			if err != nil {
				b.Fatal(err)
			}
			l, r := make([]float32, 4096), make([]float32, 4096)
			in.Render(l[:pre], r[:pre])
			in.Event(on(key, 100))
			in.Render(l, r)
			frames = -1
			for j := range l {
				if l[j] != 0 || r[j] != 0 {
					frames = j
					break
				}
			}
		}
		b.ReportMetric(float64(frames), "frames")
	}
	b.Run("TimGM6mb/piano", func(b *testing.B) { latency(b, tim(b), Sound{}, 60, 0) })
	b.Run("TimGM6mb/piano-misaligned", func(b *testing.B) { latency(b, tim(b), Sound{}, 60, 1) })
	b.Run("TimGM6mb/kick", func(b *testing.B) { latency(b, tim(b), Sound{Drums: true}, 36, 0) })
	b.Run("fallback/piano", func(b *testing.B) { latency(b, nil, Sound{}, 60, 0) })
	b.Run("fallback/kick", func(b *testing.B) { latency(b, nil, Sound{Drums: true}, 36, 0) })
}
