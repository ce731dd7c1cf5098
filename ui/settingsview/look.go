package settingsview

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"sangstudio/ui/studio"
)

// lookSection is how the window looks: the text size (TextScales), the
// height of the song's track rows (studio.TrackHeights) and high contrast.
type lookSection struct {
	v           *View
	textSize    *widget.RadioGroup // parallel to TextScales
	trackHeight *widget.RadioGroup // parallel to studio.TrackHeights
	contrast    *widget.Check
}

func newLookSection(v *View) *lookSection {
	l := &lookSection{v: v}
	l.textSize = widget.NewRadioGroup([]string{
		lang.X("settings.size.normal", "Normal"),
		lang.X("settings.size.large", "Large"),
		lang.X("settings.size.larger", "Larger"),
		lang.X("settings.size.largest", "Largest"),
	}, l.textSizeSelected)
	l.textSize.Required = true
	l.trackHeight = widget.NewRadioGroup([]string{
		lang.X("settings.tracks.compact", "Compact (more tracks on the screen)"),
		lang.X("settings.tracks.normal", "Normal"),
		lang.X("settings.tracks.large", "Large (bigger buttons and waveforms)"),
	}, l.trackHeightSelected)
	l.trackHeight.Required = true
	l.contrast = widget.NewCheck(lang.L("High contrast (black, white and yellow)"), l.contrastChanged)
	v.setQuietly(func() {
		l.textSize.SetSelected(l.textSize.Options[nearest(v.s.TextScale)])
		l.trackHeight.SetSelected(l.trackHeight.Options[max(slices.Index(studio.TrackHeights(), v.s.TrackHeight), 1)])
		l.contrast.SetChecked(v.s.HighContrast)
	})
	return l
}

func (l *lookSection) content() fyne.CanvasObject {
	return section(lang.X("settings.textsize", "Text and button size"), l.textSize,
		widget.NewLabel(lang.L("Height of the tracks in a song:")), l.trackHeight, l.contrast)
}

// nearest is the index of the text scale closest to s.
func nearest(s float32) int {
	best, scales := 0, TextScales()
	for i, x := range scales {
		if abs(x-s) < abs(scales[best]-s) {
			best = i
		}
	}
	return best
}

func abs(x float32) float32 {
	if x < 0 {
		return -x
	}
	return x
}

func (l *lookSection) textSizeSelected(label string) {
	v := l.v
	if v.quiet {
		return
	}
	scales := TextScales()
	for i, x := range l.textSize.Options {
		if x == label && scales[i] != v.s.TextScale {
			v.s.TextScale = scales[i]
			v.changed()
			return
		}
	}
}

func (l *lookSection) contrastChanged(on bool) {
	v := l.v
	if v.quiet || on == v.s.HighContrast {
		return
	}
	v.s.HighContrast = on
	v.changed()
}

func (l *lookSection) trackHeightSelected(label string) {
	v := l.v
	if v.quiet {
		return
	}
	if i := slices.Index(l.trackHeight.Options, label); i >= 0 && studio.TrackHeights()[i] != v.s.TrackHeight {
		v.s.TrackHeight = studio.TrackHeights()[i]
		v.changed()
	}
}
