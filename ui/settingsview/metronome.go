package settingsview

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// metronomeSection is the click while recording and the count-in before.
type metronomeSection struct {
	v       *View
	click   *widget.Check
	countIn *widget.RadioGroup
	bars    []int // parallel to countIn.Options
}

func newMetronomeSection(v *View) *metronomeSection {
	m := &metronomeSection{v: v, bars: []int{0, 1, 2}}
	m.click = widget.NewCheck(lang.L("Click (metronome) while recording"), m.clickChanged)
	m.countIn = widget.NewRadioGroup([]string{
		lang.X("settings.countin.none", "No count-in"),
		lang.X("settings.countin.one", "1 bar"),
		lang.X("settings.countin.two", "2 bars"),
	}, m.countInSelected)
	m.countIn.Required = true
	m.countIn.Horizontal = true
	v.setQuietly(func() {
		m.click.SetChecked(v.s.Click)
		m.countIn.SetSelected(m.countIn.Options[min(max(v.s.CountIn, 0), 2)])
	})
	return m
}

func (m *metronomeSection) content() fyne.CanvasObject {
	return section(lang.X("settings.metronome", "Metronome"),
		m.click, widget.NewLabel(lang.L("Count-in before recording:")), m.countIn)
}

func (m *metronomeSection) clickChanged(on bool) {
	v := m.v
	if v.quiet || on == v.s.Click {
		return
	}
	v.s.Click = on
	v.changed()
}

func (m *metronomeSection) countInSelected(label string) {
	v := m.v
	if v.quiet {
		return
	}
	for i, l := range m.countIn.Options {
		if l == label && m.bars[i] != v.s.CountIn {
			v.s.CountIn = m.bars[i]
			v.changed()
			return
		}
	}
}
