package mix

import (
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
