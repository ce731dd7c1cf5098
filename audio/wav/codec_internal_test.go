package wav

import (
	"math"
	"sangstudio/audio/dither"
	"testing"
)

// Benchmarks of the encode and decode loops alone, without file I/O.

func benchEncode(b *testing.B, f Format) {
	const block = 4096
	w := &Writer{format: f, blockAlign: f.blockAlign()}
	w.kind = decGeneric
	switch {
	case f.Encoding == PCM16 && f.Channels == 2:
		w.kind = dec16Stereo
	case f.Encoding == PCM24 && f.Channels == 2:
		w.kind = dec24Stereo
	}
	src := make([][]float32, f.Channels)
	for c := range src {
		src[c] = make([]float32, block)
		for i := range src[c] {
			src[c][i] = float32(0.8 * math.Sin(float64(i)/10))
		}
	}
	buf := make([]byte, block*w.blockAlign)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w.encode(buf, src, 0, block)
	}
}

func BenchmarkEncodePCM24Stereo(b *testing.B) {
	benchEncode(b, Format{Rate: 48000, Channels: 2, Encoding: PCM24})
}

func BenchmarkEncodePCM16StereoNoDither(b *testing.B) {
	benchEncode(b, Format{Rate: 48000, Channels: 2, Encoding: PCM16})
}

func benchDecode(b *testing.B, f Format, kind int) {
	const block = 16384
	r := &Reader{format: f, blockAlign: f.blockAlign(), kind: kind}
	raw := make([]byte, block*r.blockAlign)
	for i := range raw {
		raw[i] = byte(i * 7)
	}
	dst := make([][]float32, f.Channels)
	for c := range dst {
		dst[c] = make([]float32, block)
	}
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r.decode(dst, 0, raw, block)
	}
}

func BenchmarkDecodePCM24Mono(b *testing.B) {
	benchDecode(b, Format{Rate: 48000, Channels: 1, Encoding: PCM24}, dec24Mono)
}

func BenchmarkDecodePCM16Mono(b *testing.B) {
	benchDecode(b, Format{Rate: 48000, Channels: 1, Encoding: PCM16}, dec16Mono)
}

func BenchmarkDecodePCM16Stereo(b *testing.B) {
	benchDecode(b, Format{Rate: 48000, Channels: 2, Encoding: PCM16}, dec16Stereo)
}

func BenchmarkEncodePCM16StereoDither(b *testing.B) {
	const block = 4096
	f := Format{Rate: 48000, Channels: 2, Encoding: PCM16}
	w := &Writer{format: f, blockAlign: f.blockAlign(), kind: dec16Stereo, dither: dither.NewTPDF(1)}
	src := [][]float32{make([]float32, block), make([]float32, block)}
	buf := make([]byte, block*4)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w.encode(buf, src, 0, block)
	}
}
