package loudness

import (
	"testing"
)

// BenchmarkMeter48kStereo measures one second of 48 kHz stereo per
// operation, written in chunks of 1024 frames.
func BenchmarkMeter48kStereo(b *testing.B) {
	benchMeter(b, 48000, 2)
}

func BenchmarkMeter44kMono(b *testing.B) {
	benchMeter(b, 44100, 1)
}

func BenchmarkMeter96kStereo(b *testing.B) {
	benchMeter(b, 96000, 2)
}

func benchMeter(b *testing.B, rate, channels int) {
	x := interleave(music(rate, channels, 1, 1))
	m, err := NewMeter(rate, channels)
	if err != nil {
		b.Fatal(err)
	}
	const chunk = 1024
	b.SetBytes(int64(len(x) * 4))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for off := 0; off < len(x); off += chunk * channels {
			m.Write(x[off:min(len(x), off+chunk*channels)])
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "x_realtime")
}

// BenchmarkTruePeak measures TruePeak.Next on one second of 48 kHz stereo
// per operation, frame by frame.
func BenchmarkTruePeak(b *testing.B) {
	const rate = 48000
	x := interleave(music(rate, 2, 1, 1))
	tp := NewTruePeak(rate, 2)
	b.SetBytes(int64(len(x) * 4))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for off := 0; off < len(x); off += 2 {
			tp.Next(x[off : off+2])
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "x_realtime")
}

// BenchmarkResultHour measures Result after an hour of audio: 36000
// momentary and short-term energies (filled in directly, as writing an
// hour of audio would take seconds).
func BenchmarkResultHour(b *testing.B) {
	m, _ := NewMeter(48000, 2)
	g := rng(7)
	for i := 0; i < 36000; i++ {
		e := absGate * (1 + 1e6*(g.uniform()+1))
		m.blocks.add(e)
		m.shorts.add(e)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		_ = m.Result()
	}
}
