package engine

import "math"

// click is the metronome: a short tone on every beat, higher on the first
// beat of each bar. Its waveforms are made in newClick; add only mixes them.
type click struct {
	beat  float64 // frames per beat
	bar   float64 // frames per bar
	beats int     // beats per bar
	hi    []float32
	lo    []float32
}

func newClick(rate int, tempo float64, beatsPerBar int) *click {
	if tempo <= 0 {
		tempo = 100
	}
	if beatsPerBar <= 0 {
		beatsPerBar = 4
	}
	c := &click{beat: float64(rate) * 60 / tempo, beats: beatsPerBar}
	c.bar = c.beat * float64(beatsPerBar)
	tone := func(freq float64) []float32 {
		n := rate * 30 / 1000 // 30 ms
		w := make([]float32, n)
		for i := range w {
			t := float64(i) / float64(rate)
			env := math.Exp(-t*150) * math.Min(1, float64(i)/48)
			w[i] = float32(0.5 * env * math.Sin(2*math.Pi*freq*t))
		}
		return w
	}
	c.hi, c.lo = tone(1760), tone(1320)
	return c
}

// add mixes the clicks that sound in timeline frames [pos, pos+len(l)) into
// l and r. Safe on the audio thread.
func (c *click) add(pos int64, l, r []float32) {
	n := int64(len(l))
	clickLen := int64(len(c.hi))
	first := int64(math.Floor(float64(pos-clickLen) / c.beat))
	last := int64(math.Floor(float64(pos+n-1) / c.beat))
	for k := first; k <= last; k++ {
		start := int64(math.Round(float64(k) * c.beat))
		w := c.lo
		if k%int64(c.beats) == 0 {
			w = c.hi
		}
		for i := max(start, pos); i < min(start+clickLen, pos+n); i++ {
			v := w[i-start]
			l[i-pos] += v
			r[i-pos] += v
		}
	}
}
