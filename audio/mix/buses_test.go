package mix

import (
	"math"
	"math/rand/v2"
	"testing"

	"sangstudio/audio/fx"
	"sangstudio/projects"
)

// fxSong is four tracks (mono and stereo) with effects: EQ and compressor
// on two, sends to the reverb and the delay from three.
func fxSong() *projects.Song {
	s := projects.New("fx", 48000)
	for i, ch := range []int{1, 2, 1, 1} {
		t := projects.NewTrack("t", ch)
		t.Pan = []float64{-0.5, 0, 0.7, 0}[i]
		s.Tracks = append(s.Tracks, t)
	}
	s.Tracks[0].Effects = projects.Effects{HighPass: 90, Mid1: projects.Bell{Freq: 500, GainDB: -4, Q: 1},
		Comp:   projects.Comp{On: true, ThresholdDB: -20, Ratio: 3, KneeDB: 6, AttackMs: 5, ReleaseMs: 100, MakeupDB: 3},
		Reverb: projects.Send{On: true, DB: -6}, Delay: projects.Send{On: true, DB: -12}}
	s.Tracks[1].Effects = projects.Effects{High: projects.Shelf{Freq: 8000, GainDB: 3}, Reverb: projects.Send{On: true, DB: -3}}
	s.Tracks[2].Effects = projects.Effects{Delay: projects.Send{On: true, DB: 0}}
	return s
}

// tracksAudio is n frames for each track of s: a second of noise, then
// silence (so the buses' tails ring out and they fall asleep).
func tracksAudio(s *projects.Song, n int) [][][]float32 {
	rng := rand.New(rand.NewPCG(3, 4))
	out := make([][][]float32, len(s.Tracks))
	for i, t := range s.Tracks {
		out[i] = make([][]float32, t.Channels)
		for c := range out[i] {
			out[i][c] = make([]float32, n)
			for k := range min(n, 48000) {
				out[i][c][k] = float32(rng.Float64()-0.5) * 0.4
			}
		}
	}
	return out
}

// mixInBlocks mixes s's tracks (audio) through chains and buses in blocks
// of size frames, as the engine does: each track's chain, then Sum, then
// Return.
func mixInBlocks(s *projects.Song, audio [][][]float32, size int) (l, r []float32, b *Buses) {
	n := len(audio[0][0])
	strips := Strips(s)
	chains := make([]*Chain, len(strips))
	for i := range strips {
		chains[i] = NewChain(s.Rate, strips[i].FX)
	}
	b = NewBuses(s.Rate, size, BusesOf(s))
	l, r = make([]float32, n), make([]float32, n)
	ins := make([][][]float32, len(audio))
	for lo := 0; lo < n; lo += size {
		hi := min(lo+size, n)
		for i := range audio {
			ins[i] = make([][]float32, len(audio[i]))
			for c := range audio[i] {
				ins[i][c] = append([]float32(nil), audio[i][c][lo:hi]...)
			}
			chains[i].Process(ins[i])
		}
		b.Sum(strips, ins, l[lo:hi], r[lo:hi], 0, hi-lo)
		b.Return(strips, l[lo:hi], r[lo:hi], nil)
	}
	return l, r, b
}

// TestMixSameForAnyBlocks: tracks through their chains and the buses give
// the same bytes in blocks of 64, 128, 1000 and 4096 frames, the buses
// falling asleep once their tails are gone (which changes nothing).
func TestMixSameForAnyBlocks(t *testing.T) {
	s := fxSong()
	audio := tracksAudio(s, 48000*14)
	refL, refR, b := mixInBlocks(s, audio, 4096)
	if !b.revNap.asleep || !b.dlyNap.asleep {
		t.Errorf("13 s after the last sound: reverb asleep %v, delay asleep %v; want both", b.revNap.asleep, b.dlyNap.asleep)
	}
	if peak(refL[48000*2:48000*2+4800]) == 0 {
		t.Fatal("no reverb or delay tail after the tracks stop")
	}
	for _, size := range []int{64, 128, 1000} {
		l, r, _ := mixInBlocks(s, audio, size)
		for i := range l {
			if math.Float32bits(l[i]) != math.Float32bits(refL[i]) || math.Float32bits(r[i]) != math.Float32bits(refR[i]) {
				t.Fatalf("blocks of %d: frame %d is (%v, %v), in blocks of 4096 (%v, %v)", size, i, l[i], r[i], refL[i], refR[i])
			}
		}
	}
}

func peak(x []float32) float32 {
	p := float32(0)
	for _, v := range x {
		p = max(p, v, -v)
	}
	return p
}

// TestBusesAddTheReturns: the mix is the master sum (exactly Sum's) plus
// the reverb's return of what the tracks sent, then the delay's: made by
// hand here from the effects themselves, it is the same bytes.
func TestBusesAddTheReturns(t *testing.T) {
	s := fxSong()
	const n = 2048
	audio := tracksAudio(s, 2*n)
	strips := Strips(s)
	ins := make([][][]float32, len(audio))
	for i := range audio {
		ins[i] = make([][]float32, len(audio[i]))
		for c := range audio[i] {
			ins[i][c] = audio[i][c][:n]
		}
	}
	b := NewBuses(48000, n, BusesOf(s))
	l, r := make([]float32, n), make([]float32, n)
	b.Sum(strips, ins, l, r, 0, n/2)
	b.Sum(strips, ins, l, r, n/2, n) // two ranges, as the render sums them
	b.Return(strips, l, r, nil)

	wl, wr := make([]float32, n), make([]float32, n)
	Sum(strips, ins, wl, wr)
	for _, bus := range []struct {
		p    interface{ Process(l, r []float32) }
		send func(st Strip) float32
	}{
		{fx.NewReverb(48000), func(st Strip) float32 { return st.Reverb }},
		{fx.NewDelay(48000), func(st Strip) float32 { return st.Delay }},
	} {
		switch p := bus.p.(type) {
		case *fx.Reverb:
			p.Set(BusesOf(s).Reverb)
		case *fx.Delay:
			p.Set(BusesOf(s).Delay)
		}
		sl, sr := make([]float32, n), make([]float32, n)
		for i, st := range strips {
			pl, pr := make([]float32, n), make([]float32, n)
			st.Pan(ins[i], pl, pr)
			for k := range pl {
				sl[k] += float32(pl[k] * bus.send(st))
				sr[k] += float32(pr[k] * bus.send(st))
			}
		}
		bus.p.Process(sl, sr)
		Add(wl, sl)
		Add(wr, sr)
	}
	for k := range l {
		if l[k] != wl[k] || r[k] != wr[k] {
			t.Fatalf("frame %d: (%v, %v), want (%v, %v)", k, l[k], r[k], wl[k], wr[k])
		}
	}
}

// TestStripsCarryTheEffects: a track's effects and sends reach its strip
// (sends only while it is heard); a track without effects has none.
func TestStripsCarryTheEffects(t *testing.T) {
	s := fxSong()
	st := Strips(s)
	if st[0].FX.EQ.HighPass != 90 || st[0].FX.EQ.Mid1.Gain != -4 || !st[0].FX.Comp.On || st[0].FX.Comp.Ratio != 3 {
		t.Errorf("track 1's effects: %+v", st[0].FX)
	}
	if math.Abs(float64(st[0].Reverb)-0.5012) > 1e-3 || math.Abs(float64(st[0].Delay)-0.2512) > 1e-3 || st[2].Reverb != 0 || st[2].Delay != 1 {
		t.Errorf("sends: %v %v, %v %v", st[0].Reverb, st[0].Delay, st[2].Reverb, st[2].Delay)
	}
	if st[3].FX != (TrackFX{}) || st[3].Reverb != 0 || st[3].Delay != 0 {
		t.Errorf("a track without effects: %+v", st[3])
	}
	s.Tracks[0].Mute = true
	if st := Strips(s); st[0].Reverb != 0 || st[0].Delay != 0 || st[0].Audible {
		t.Errorf("a muted track still sends: %+v", st[0])
	}
}

// TestMixAllocatesNothing: chains, Sum and Return allocate nothing, awake
// and asleep.
func TestMixAllocatesNothing(t *testing.T) {
	s := fxSong()
	audio := tracksAudio(s, 512)
	strips := Strips(s)
	chains := make([]*Chain, len(strips))
	for i := range strips {
		chains[i] = NewChain(48000, strips[i].FX)
	}
	b := NewBuses(48000, 256, BusesOf(s))
	l, r := make([]float32, 256), make([]float32, 256)
	stems := &BusStems{Reverb: [2][]float32{make([]float32, 256), make([]float32, 256)}, Delay: [2][]float32{make([]float32, 256), make([]float32, 256)}}
	ins := make([][][]float32, len(audio))
	for i := range audio {
		ins[i] = make([][]float32, len(audio[i]))
		for c := range audio[i] {
			ins[i][c] = audio[i][c][:256]
		}
	}
	if a := testing.AllocsPerRun(100, func() {
		for i, c := range chains {
			c.Set(strips[i].FX)
			c.Process(ins[i])
		}
		b.Sum(strips, ins, l, r, 0, 256)
		b.Return(strips, l, r, stems)
	}); a != 0 {
		t.Fatalf("%v allocations per block", a)
	}
}
