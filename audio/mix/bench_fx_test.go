package mix

import (
	"testing"

	"sangstudio/projects"
)

// fxBenchSong is 32 mono tracks, each with the high-pass, four working EQ
// bands, a compressor and sends to the reverb and the delay.
func fxBenchSong() *projects.Song {
	s := projects.New("bench", 48000)
	for i := range 32 {
		t := projects.NewTrack("t", 1)
		t.Pan = float64(i%5)/2.5 - 0.8
		t.Effects = projects.Effects{HighPass: 80, Low: projects.Shelf{Freq: 120, GainDB: 2},
			Mid1: projects.Bell{Freq: 400, GainDB: -3, Q: 1}, Mid2: projects.Bell{Freq: 3000, GainDB: 2, Q: 0.7},
			High:   projects.Shelf{Freq: 10000, GainDB: 1},
			Comp:   projects.Comp{On: true, ThresholdDB: -30, Ratio: 3, KneeDB: 6, AttackMs: 10, ReleaseMs: 120, MakeupDB: 4},
			Reverb: projects.Send{On: true, DB: -12}, Delay: projects.Send{On: true, DB: -18}}
		s.Tracks = append(s.Tracks, t)
	}
	return s
}

// BenchmarkMix32 is the engine's mix of one 256-frame block: 32 mono
// tracks through their chains (high-pass, 4-band EQ, compressor working),
// summed with their sends, and the reverb and the delay. budget_% is the
// share of the block's real-time budget (5.33 ms at 48 kHz). The
// sub-benchmarks give the cost of each effect alone.
func BenchmarkMix32(b *testing.B) {
	full := fxBenchSong()
	variants := []struct {
		name string
		keep func(e *projects.Effects)
	}{
		{"all", func(*projects.Effects) {}},
		{"none", func(e *projects.Effects) { *e = projects.Effects{} }},
		{"highpass", func(e *projects.Effects) { *e = projects.Effects{HighPass: e.HighPass} }},
		{"eq4", func(e *projects.Effects) { *e = projects.Effects{Low: e.Low, Mid1: e.Mid1, Mid2: e.Mid2, High: e.High} }},
		{"comp", func(e *projects.Effects) { *e = projects.Effects{Comp: e.Comp} }},
		{"reverb", func(e *projects.Effects) { *e = projects.Effects{Reverb: e.Reverb} }},
		{"delay", func(e *projects.Effects) { *e = projects.Effects{Delay: e.Delay} }},
	}
	for _, v := range variants {
		b.Run(v.name, func(b *testing.B) {
			s := fxBenchSong()
			for i, t := range s.Tracks {
				t.Effects = full.Tracks[i].Effects
				v.keep(&t.Effects)
			}
			benchMix(b, s)
		})
	}
}

func benchMix(b *testing.B, s *projects.Song) {
	const n = 256
	strips := Strips(s)
	chains := make([]*Chain, len(strips))
	src := make([][]float32, len(strips))
	ins := make([][][]float32, len(strips))
	for i := range strips {
		chains[i] = NewChain(s.Rate, strips[i].FX)
		src[i] = tracksAudio(&projects.Song{Tracks: []*projects.Track{s.Tracks[i]}}, 2*n)[0][0][:n]
		ins[i] = [][]float32{make([]float32, n)}
	}
	buses := NewBuses(s.Rate, n, BusesOf(s))
	l, r := make([]float32, n), make([]float32, n)
	for b.Loop() {
		for i, c := range chains {
			copy(ins[i][0], src[i])
			c.Process(ins[i])
		}
		clear(l)
		clear(r)
		buses.Sum(strips, ins, l, r, 0, n)
		buses.Return(strips, l, r, nil)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(n*1e9/48000)*100, "budget_%")
}
