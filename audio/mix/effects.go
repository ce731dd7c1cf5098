package mix

import (
	"math"

	"sangstudio/audio/fx"
	"sangstudio/projects"
)

// TrackFX are the settings of a track's effects before its fader: its
// high-pass and EQ, and its compressor.
type TrackFX struct {
	EQ   fx.EQParams
	Comp fx.CompParams
}

// TrackFXOf turns a track's effects as song.json keeps them into the
// effects' settings (the window draws the EQ's curve from them).
func TrackFXOf(e projects.Effects) TrackFX {
	c := e.Comp
	return TrackFX{
		EQ: fx.EQParams{
			HighPass: e.HighPass,
			Low:      fx.Shelf{Freq: e.Low.Freq, Gain: e.Low.GainDB},
			Mid1:     fx.Bell{Freq: e.Mid1.Freq, Gain: e.Mid1.GainDB, Q: e.Mid1.Q},
			Mid2:     fx.Bell{Freq: e.Mid2.Freq, Gain: e.Mid2.GainDB, Q: e.Mid2.Q},
			High:     fx.Shelf{Freq: e.High.Freq, Gain: e.High.GainDB},
		},
		Comp: fx.CompParams{On: c.On, Threshold: c.ThresholdDB, Ratio: c.Ratio, Knee: c.KneeDB,
			Attack: c.AttackMs, Release: c.ReleaseMs, Makeup: c.MakeupDB},
	}
}

// sendGain is the linear gain of a send (0 when it is off).
func sendGain(s projects.Send) float32 {
	if !s.On {
		return 0
	}
	return float32(projects.DBToGain(s.DB))
}

// Chain is one track's effects between its source and its fader: the
// high-pass and EQ, then the compressor. The real-time engine keeps one
// per track for as long as the track exists; the render makes one per
// track; both run Process on the track's pre-fader audio, block by block.
type Chain struct {
	p    TrackFX
	eq   *fx.EQ
	comp *fx.Compressor
}

// NewChain makes a track's chain at rate set to p.
func NewChain(rate int, p TrackFX) *Chain {
	return &Chain{p: p, eq: fx.NewEQ(rate, p.EQ), comp: fx.NewCompressor(rate, p.Comp)}
}

// Set changes the settings; the effects glide to them. Safe on the audio
// thread: it does not allocate.
func (c *Chain) Set(p TrackFX) {
	if p == c.p {
		return
	}
	c.p = p
	c.eq.Set(p.EQ)
	c.comp.Set(p.Comp)
}

// Process runs the track's audio (one or two channels) through the chain,
// in place. Safe on the audio thread.
func (c *Chain) Process(ch [][]float32) {
	c.eq.Process(ch)
	c.comp.Process(ch)
}

// GainReduction is the compressor's largest gain reduction in the last
// block, in dB (for its meter).
func (c *Chain) GainReduction() float64 { return c.comp.GainReduction() }

// BusFX are the settings of the song's reverb and delay.
type BusFX struct {
	Reverb fx.ReverbParams
	Delay  fx.DelayParams
}

// BusesOf are the settings of s's buses (the delay's beats at its tempo).
func BusesOf(s *projects.Song) BusFX {
	b := s.BusesOrDefault()
	r, d := b.Reverb, b.Delay
	return BusFX{
		Reverb: fx.ReverbParams{Room: r.Room, Damp: r.Damp, Width: r.Width, WetDB: r.WetDB},
		Delay: fx.DelayParams{TimeMS: d.Ms, Beats: d.Beats, BPM: s.Tempo, Feedback: d.Feedback,
			CutoffHz: d.LowPassHz, WetDB: d.WetDB},
	}
}

// MaxTail is the longest the reverb and the delay are let ring on after a
// song's end in a render.
const MaxTail = 30.0 // seconds

// Tail is how long (frames at rate) the buses ring on after everything
// sent to them stops, to −80 dB: what a render adds after the song's last
// clip so that its reverb and echoes are not cut off. 0 when no audible
// strip sends to a bus. The reverb's time is that of Freeverb's longest
// comb (36.7 ms) at the feedback the room sets; the delay's, its time
// times the repeats its feedback needs; both at most MaxTail.
func (p BusFX) Tail(rate int, strips []Strip) int64 {
	var rev, dly bool
	for _, st := range strips {
		rev = rev || (st.Audible && st.Reverb != 0)
		dly = dly || (st.Audible && st.Delay != 0)
	}
	sec := 0.0
	if rev {
		g := min(max(p.Reverb.Room, 0), 1)*0.28 + 0.7
		sec = max(sec, 4*0.0367/-math.Log10(g)) // 80 dB at 20·log10(g) per pass
	}
	if dly {
		fb := min(max(p.Delay.Feedback, 0), 0.95)
		repeats := 1.0
		if fb > 0 {
			repeats += math.Ceil(-4 / math.Log10(fb))
		}
		sec = max(sec, float64(p.Delay.Frames(rate))/float64(rate)*repeats)
	}
	return int64(math.Ceil(min(sec, MaxTail) * float64(rate)))
}
