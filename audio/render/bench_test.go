package render_test

import (
	"context"
	"path/filepath"
	"testing"

	"sangstudio/audio/render"
	"sangstudio/audio/wav"
	"sangstudio/projects"
)

// BenchmarkRender16x10s renders 16 mono 24-bit tracks of 10 s to a 24-bit
// stereo mix (and, in the Stems case, 16 stems too). x_realtime is seconds
// of song per second of rendering.
func BenchmarkRender16x10s(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "song")
	s := projects.New("bench", 48000)
	if err := projects.Create(dir, s); err != nil {
		b.Fatal(err)
	}
	const frames = 480000
	for i := 0; i < 16; i++ {
		f, take, err := projects.NewTakeFile(dir, s, "t", ".wav")
		if err != nil {
			b.Fatal(err)
		}
		w, _ := wav.NewWriter(f, wav.Format{Rate: 48000, Channels: 1, Encoding: wav.PCM24}, wav.WriterOptions{})
		w.Write([][]float32{ramp(frames, 0.3)})
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
		tr := projects.NewTrack("t", 1)
		tr.GainDB, tr.Pan = -float64(6+i%7), -0.8+1.6*float64(i)/15
		tr.Clips = []projects.Clip{{Take: take, Length: frames}}
		s.Tracks = append(s.Tracks, tr)
	}
	for _, stems := range []bool{false, true} {
		name := "Mix"
		if stems {
			name = "MixAndStems"
		}
		b.Run(name, func(b *testing.B) {
			out := b.TempDir()
			opt := render.Options{Mix: filepath.Join(out, "mix.wav"), Encoding: wav.PCM24}
			if stems {
				opt.StemsDir = filepath.Join(out, "stems")
			}
			b.ReportAllocs()
			b.SetBytes(16 * frames * 3) // input bytes
			for i := 0; i < b.N; i++ {
				if _, err := render.Render(context.Background(), dir, s, opt); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(10*float64(b.N)/b.Elapsed().Seconds(), "x_realtime")
		})
	}
}
