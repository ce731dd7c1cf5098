package songview

import (
	"image"

	"fyne.io/fyne/v2"

	"fyne.io/fyne/v2/widget"
)

// Lyrics is the lyrics box.
func (v *View) Lyrics() *lyricsEntry { return v.lyrics.entry }

// SoundSlider is a slider of the open Sound panel, by what it sets:
// "highpass", "bass", "middle", "treble", "amount", "reverb", "delay",
// "room", "repeats" (nil when no panel is open).
func (v *View) SoundSlider(what string) *widget.Slider {
	p := v.sound
	if p == nil {
		return nil
	}
	k := map[string]*knob{"highpass": p.hp, "bass": p.bass, "middle": p.mid, "treble": p.treble,
		"amount": p.amount, "reverb": p.reverb, "delay": p.delay, "room": p.bus.room, "repeats": p.bus.repeats}[what]
	return k.s
}

// SoundCurve is the open Sound panel's EQ curve: its gain in dB at f Hz
// and its picture drawn w×h.
func (v *View) SoundCurve(f float64, w, h int) (float64, image.Image) {
	return v.sound.curve.at(f), v.sound.curve.draw(w, h)
}

// SoundOpen reports whether a Sound panel is open.
func (v *View) SoundOpen() bool { return v.sound != nil }

// OpenSound opens track i's Sound panel, as its dialog's Sound… does (in
// resident mode the dialog cannot be reached).
func (v *View) OpenSound(i int) { v.openSound(i) }

// BeatOpen reports whether the beat grid is open.
func (v *View) BeatOpen() bool { return v.beat != nil }

// BeatCell is step k of the shown bar of lane li in the open beat grid,
// to tap, and whether it is lit (under the playhead).
func (v *View) BeatCell(li, k int) (cell interface {
	Tapped(*fyne.PointEvent)
	TappedSecondary(*fyne.PointEvent)
}, lit bool) {
	c := v.beat.lanes[li].cells[k]
	return c, c.lit
}

// BeatSwing is the open beat grid's swing slider.
func (v *View) BeatSwing() *widget.Slider { return v.beat.swing }

// BeatBar is the bar the open beat grid shows (from 0).
func (v *View) BeatBar() int { return v.beat.bar }

// SetTempo types bpm into the tempo box and presses Enter.
func (v *View) SetTempo(bpm string) { v.trans.tempo.SetText(bpm); v.trans.setTempo(bpm) }
