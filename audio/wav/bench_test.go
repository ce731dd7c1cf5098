package wav_test

import (
	"io"
	"path/filepath"
	"testing"

	"sangstudio/audio/wav"
)

// benchRead reads a 10-second file from the page cache in blocks of
// 16384 frames, starting over at the end.
func benchRead(b *testing.B, f wav.Format) {
	p := filepath.Join(b.TempDir(), "bench.wav")
	writeTestFile(b, p, f, 10*f.Rate, wav.WriterOptions{NoDither: true})
	r, err := wav.Open(p)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	const block = 16384
	buf := make([][]float32, f.Channels)
	for c := range buf {
		buf[c] = make([]float32, block)
	}
	r.Read(buf) // the first Read allocates the scratch buffer
	b.SetBytes(block * int64(f.Channels*f.Encoding.Bytes()))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n, err := r.Read(buf)
		if n < block {
			if err != nil && err != io.EOF {
				b.Fatal(err)
			}
			r.Seek(0)
			if _, err := r.Read(buf); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkReadPCM24Mono(b *testing.B) {
	benchRead(b, wav.Format{Rate: 48000, Channels: 1, Encoding: wav.PCM24})
}

func BenchmarkReadPCM24Stereo(b *testing.B) {
	benchRead(b, wav.Format{Rate: 48000, Channels: 2, Encoding: wav.PCM24})
}

func BenchmarkReadPCM16Stereo(b *testing.B) {
	benchRead(b, wav.Format{Rate: 48000, Channels: 2, Encoding: wav.PCM16})
}

func BenchmarkReadPCM16Mono(b *testing.B) {
	benchRead(b, wav.Format{Rate: 48000, Channels: 1, Encoding: wav.PCM16})
}

func BenchmarkReadFloat32Stereo(b *testing.B) {
	benchRead(b, wav.Format{Rate: 48000, Channels: 2, Encoding: wav.Float32})
}

func BenchmarkReadPCM24Surround(b *testing.B) { // generic loop
	benchRead(b, wav.Format{Rate: 48000, Channels: 6, Encoding: wav.PCM24})
}

// benchWrite writes blocks of 4096 frames, starting a new file every
// 256 MB (outside the timing).
func benchWrite(b *testing.B, f wav.Format) {
	dir := b.TempDir()
	const block = 4096
	sig := testSignal(f.Channels, block)
	create := func() *wav.Writer {
		w, err := wav.Create(filepath.Join(dir, "bench.wav"), f, wav.WriterOptions{DitherSeed: 1})
		if err != nil {
			b.Fatal(err)
		}
		return w
	}
	w := create()
	w.Write(sig) // the first Write allocates the scratch buffer
	b.SetBytes(block * int64(f.Channels*f.Encoding.Bytes()))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := w.Write(sig); err != nil {
			b.Fatal(err)
		}
		if w.Frames()*int64(f.Channels*f.Encoding.Bytes()) > 256<<20 {
			b.StopTimer()
			w.Close()
			w = create()
			w.Write(sig) // allocates the new Writer's scratch buffer
			b.StartTimer()
		}
	}
	b.StopTimer()
	w.Close()
}

func BenchmarkWritePCM24Stereo(b *testing.B) {
	benchWrite(b, wav.Format{Rate: 48000, Channels: 2, Encoding: wav.PCM24})
}

func BenchmarkWritePCM16Stereo(b *testing.B) { // with TPDF dither
	benchWrite(b, wav.Format{Rate: 48000, Channels: 2, Encoding: wav.PCM16})
}

func BenchmarkWriteFloat32Stereo(b *testing.B) {
	benchWrite(b, wav.Format{Rate: 48000, Channels: 2, Encoding: wav.Float32})
}
