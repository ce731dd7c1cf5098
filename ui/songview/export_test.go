package songview

import (
	"image"

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
