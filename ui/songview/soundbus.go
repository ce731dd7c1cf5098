package songview

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"sangstudio/projects"
)

// busPart is the Sound panel's section for the song's reverb and echo,
// which every track sends to: the reverb's preset, room size and level;
// the echo's time (in beats), repeats and level. Each change is one undo
// step.
type busPart struct {
	p                 *soundPanel
	reverbPreset      *widget.Select
	room, reverbLevel *knob
	delayTime         *widget.Select
	repeats, echoLvl  *knob
	box               fyne.CanvasObject
}

func newBusPart(p *soundPanel) *busPart {
	b := &busPart{p: p}
	var names []string
	for _, rp := range projects.ReverbPresets() {
		names = append(names, b.reverbName(rp))
	}
	b.reverbPreset = widget.NewSelect(names, func(string) {
		k := b.reverbPreset.SelectedIndex()
		if p.setting || p.ro || k < 0 {
			return
		}
		r := projects.ReverbPresets()[k].Reverb
		p.v.edit("Reverb preset", func(s *projects.Song) error { setBuses(s, func(bs *projects.Buses) { bs.Reverb = r }); return nil })
	})
	b.reverbPreset.PlaceHolder = lang.L("Custom")
	b.delayTime = widget.NewSelect(delayNames(), func(string) {
		k := b.delayTime.SelectedIndex()
		if p.setting || p.ro || k < 0 {
			return
		}
		beats := delayBeats()[k]
		p.v.edit("Echo time", func(s *projects.Song) error {
			setBuses(s, func(bs *projects.Buses) { bs.Delay.Beats, bs.Delay.Ms = beats, 0 })
			return nil
		})
	})
	b.delayTime.PlaceHolder = lang.L("Custom")
	p.all = append(p.all, b.reverbPreset, b.delayTime)
	b.makeKnobs()
	b.box = widget.NewForm(
		widget.NewFormItem("", widget.NewLabelWithStyle(lang.L("The song's reverb and echo (all tracks)"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})),
		widget.NewFormItem(lang.L("Reverb"), b.reverbPreset),
		widget.NewFormItem(lang.L("Room size"), b.room.row(nil)),
		widget.NewFormItem(lang.L("Level"), b.reverbLevel.row(nil)),
		widget.NewFormItem(lang.L("Echo"), b.delayTime),
		widget.NewFormItem(lang.L("Repeats"), b.repeats.row(nil)),
		widget.NewFormItem(lang.L("Level"), b.echoLvl.row(nil)),
	)
	return b
}

// makeKnobs makes the buses' sliders: a drag is one undo step.
func (b *busPart) makeKnobs() {
	p := b.p
	live := func(f func(bs *projects.Buses, x float64)) func(float64) {
		return func(x float64) {
			if !p.ro {
				p.v.st.Live(func(s *projects.Song) { setBuses(s, func(bs *projects.Buses) { f(bs, x) }) })
			}
		}
	}
	reverb := func() { p.v.st.Commit("Change the reverb") }
	echo := func() { p.v.st.Commit("Change the echo") }
	b.room = p.newKnob(0, 1, 0.05, percentText, live(func(bs *projects.Buses, x float64) { bs.Reverb.Room = round2(x) }), reverb)
	b.reverbLevel = p.newKnob(levelMin, levelMax, 1, levelText, live(func(bs *projects.Buses, x float64) { bs.Reverb.WetDB = x }), reverb)
	b.repeats = p.newKnob(0, 0.9, 0.05, percentText, live(func(bs *projects.Buses, x float64) { bs.Delay.Feedback = round2(x) }), echo)
	b.echoLvl = p.newKnob(levelMin, levelMax, 1, levelText, live(func(bs *projects.Buses, x float64) { bs.Delay.WetDB = x }), echo)
}

// update shows the song's buses.
func (b *busPart) update(s *projects.Song) {
	bs := s.BusesOrDefault()
	reverb := ""
	for _, rp := range projects.ReverbPresets() {
		r := rp.Reverb
		if r.Room == bs.Reverb.Room && r.Damp == bs.Reverb.Damp && r.Width == bs.Reverb.Width {
			reverb = b.reverbName(rp)
		}
	}
	showSelected(b.reverbPreset, reverb)
	b.room.show(bs.Reverb.Room)
	b.reverbLevel.show(min(max(bs.Reverb.WetDB, levelMin), levelMax))
	echo := ""
	for k, beats := range delayBeats() {
		if bs.Delay.Beats == beats {
			echo = delayNames()[k]
		}
	}
	showSelected(b.delayTime, echo)
	b.repeats.show(min(bs.Delay.Feedback, 0.9))
	b.echoLvl.show(min(max(bs.Delay.WetDB, levelMin), levelMax))
}

// reverbName is a reverb preset's name in the window's language.
func (b *busPart) reverbName(rp projects.ReverbPreset) string {
	if b.p.v.opt.Lang.Norwegian() {
		return rp.Nb
	}
	return rp.Name
}

// showSelected shows want chosen in sel ("": none), calling back only if
// it changed.
func showSelected(sel *widget.Select, want string) {
	switch {
	case sel.Selected == want:
	case want == "":
		sel.ClearSelected()
	default:
		sel.SetSelected(want)
	}
}

// setBuses changes the song's buses (the defaults, until a song sets them).
func setBuses(s *projects.Song, f func(bs *projects.Buses)) {
	bs := s.BusesOrDefault()
	f(&bs)
	s.Buses = &bs
}

// delayNames are delayBeats' names.
func delayNames() []string {
	return []string{lang.L("1/4 note (1 beat)"), lang.L("Dotted 1/8 (¾ beat)"), lang.L("1/2 note (2 beats)")}
}

func levelText(x float64) string { return fmt.Sprintf("%+.0f dB", x) }

func round2(x float64) float64 { return round1(x*10) / 10 }
