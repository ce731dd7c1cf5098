package songview

import (
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sangstudio/projects"
	"sangstudio/ui/shown"
	"sangstudio/ui/widgets"
)

// grMax is the most gain reduction the compressor's meter shows (dB).
const grMax = 20.0

// soundPanel is a track's Sound panel (Lyd), opened from the track's
// dialog: the presets, the few knobs of each effect that matter, the EQ's
// curve and the compressor's meter, and the song's reverb and echo that
// every track sends to. Every change is one undo step (a slider drag is
// one, through Studio.Live and Commit) and is heard at once. In resident
// mode it only shows (Studio.Resident).
type soundPanel struct {
	v       *View
	id      string // the track's ID: the panel follows it when tracks move
	d       dialog.Dialog
	setting bool // copying the song into the widgets: no writing back
	ro      bool // resident mode: read-only

	preset     *widget.Select
	state      *widget.Label
	reset, off *widget.Button
	curve      *eqCurve

	hpOn, eqOn, compOn                           *widget.Check
	hp, bass, mid, treble, amount, reverb, delay *knob
	gr                                           *widgets.ReductionMeter

	bus *busPart
	// all are the controls, disabled in resident mode.
	all []fyne.Disableable
}

// knob is a slider with its value written beside it.
type knob struct {
	s    *widget.Slider
	val  *widget.Label
	text func(float64) string
}

// show sets the knob to x (the panel's setting flag keeps it from
// calling back). A knob within half a step of x is left where it is: a
// slider being dragged keeps its value (and its pending end of the drag),
// though the song keeps it rounded.
func (k *knob) show(x float64) {
	if math.Abs(k.s.Value-x) > k.s.Step/2 {
		k.s.SetValue(x)
	}
	k.val.SetText(k.text(x))
}

// row is the knob with left before it and its value after it.
func (k *knob) row(left fyne.CanvasObject) fyne.CanvasObject {
	val := container.NewGridWrap(fyne.NewSize(96, k.val.MinSize().Height), k.val)
	if left == nil {
		return container.NewBorder(nil, nil, nil, val, k.s)
	}
	return container.NewBorder(nil, nil, left, val, k.s)
}

// newKnob makes a slider from lo to hi: live is called as it moves (a
// Studio.Live change), done when it is let go (the Commit that makes the
// drag one undo step).
func (p *soundPanel) newKnob(lo, hi, step float64, text func(float64) string, live func(float64), done func()) *knob {
	k := &knob{s: widget.NewSlider(lo, hi), val: widget.NewLabel(""), text: text}
	k.s.Step = step
	k.s.OnChanged = func(x float64) {
		if p.setting {
			return
		}
		k.val.SetText(text(x))
		live(x)
	}
	k.s.OnChangeEnded = func(float64) {
		if !p.setting {
			done()
		}
	}
	p.all = append(p.all, k.s)
	return k
}

// newCheck makes an on/off box that changes the track as one undo step.
func (p *soundPanel) newCheck(set func(e *projects.Effects, on bool)) *widget.Check {
	c := widget.NewCheck(lang.L("On"), nil)
	c.OnChanged = func(on bool) {
		if p.setting {
			return
		}
		p.edit("Change the sound", func(t *projects.Track) { set(&t.Effects, on); t.Effects.MarkChanged() })
	}
	p.all = append(p.all, c)
	return c
}

// SoundTrack is the ID of the track whose Sound panel is open ("": none).
func (v *View) SoundTrack() string {
	if v.sound == nil {
		return ""
	}
	return v.sound.id
}

// CloseSound closes the Sound panel, if one is open.
func (v *View) CloseSound() {
	if v.sound != nil {
		v.sound.d.Hide()
	}
}

// OpenSoundTrack opens the Sound panel of the track with ID id, if the song
// still has it: the window does so after it made the song view again (a
// new language, resident mode) with the panel open.
func (v *View) OpenSoundTrack(id string) {
	if i := v.st.Song().TrackByID(id); i >= 0 {
		v.openSound(i)
	}
}

// openSound opens track i's Sound panel.
func (v *View) openSound(i int) {
	t := v.st.Song().Tracks[i]
	p := &soundPanel{v: v, id: t.ID, ro: v.st.Resident()}
	content := p.build()
	title := lang.L("Sound: {{.Name}}", map[string]any{"Name": shown.Text(t.Name)})
	p.d = dialog.NewCustom(title, lang.L("Close"), content, v.opt.Window)
	p.d.SetOnClosed(func() {
		v.st.Commit()
		if v.sound == p {
			v.sound = nil
		}
	})
	v.sound = p
	p.update()
	p.tick()
	// As wide as the window allows (up to 1200 px), so that both columns
	// show whole on a laptop screen.
	win := v.opt.Window.Canvas().Size()
	p.d.Resize(fyne.NewSize(min(1200, max(win.Width-40, 600)), min(640, max(win.Height-40, 400))))
	p.d.Show()
}

// build makes the panel: the track's presets and effects on the left, its
// compressor and sends and the song's reverb and echo on the right.
func (p *soundPanel) build() fyne.CanvasObject {
	p.buildPresets()
	p.buildTone()
	p.buildDynamics()
	p.bus = newBusPart(p)
	top := container.NewHBox(p.preset, p.state, layout.NewSpacer(), p.reset, p.off)
	left := widget.NewForm(
		widget.NewFormItem(lang.L("Low cut"), p.hp.row(p.hpOn)),
		widget.NewFormItem(lang.L("EQ (tone)"), p.eqOn),
		widget.NewFormItem(lang.L("Bass"), p.bass.row(nil)),
		widget.NewFormItem(lang.L("Middle"), p.mid.row(nil)),
		widget.NewFormItem(lang.L("Treble"), p.treble.row(nil)),
	)
	right := widget.NewForm(
		widget.NewFormItem(lang.L("Compressor"), p.amount.row(p.compOn)),
		widget.NewFormItem(lang.L("Compressing"), p.gr),
		widget.NewFormItem(lang.L("Reverb"), p.reverb.row(nil)),
		widget.NewFormItem(lang.L("Echo"), p.delay.row(nil)),
	)
	cols := container.NewGridWithColumns(2,
		container.NewVBox(p.curve.img, left),
		container.NewVBox(right, widget.NewSeparator(), p.bus.box))
	box := container.NewVBox(top, widget.NewSeparator(), cols)
	if p.ro {
		for _, c := range p.all {
			c.Disable()
		}
		note := widget.NewLabel(lang.L("Resident mode: the sound is shown here, but cannot be changed."))
		box = container.NewVBox(note, box)
	}
	return container.NewVScroll(box)
}

// buildPresets makes the preset list, what the track started from, Reset
// and Off.
func (p *soundPanel) buildPresets() {
	var names []string
	for _, pr := range projects.Presets() {
		names = append(names, p.presetName(pr))
	}
	p.preset = widget.NewSelect(names, func(string) {
		k := p.preset.SelectedIndex()
		if p.setting || k < 0 {
			return
		}
		pr := projects.Presets()[k]
		p.edit("Sound preset", func(t *projects.Track) { t.ApplyPreset(pr) })
	})
	p.preset.PlaceHolder = lang.L("Choose a sound…")
	p.state = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.reset = widget.NewButtonWithIcon(lang.L("Reset"), theme.ViewRefreshIcon(), func() {
		p.edit("Reset the sound", func(t *projects.Track) {
			if pr, ok := projects.FindPreset(t.Effects.Preset); ok {
				t.ApplyPreset(pr)
			}
		})
	})
	p.off = widget.NewButton(lang.L("Off"), func() {
		p.edit("Sound off", func(t *projects.Track) { t.Effects = soundOff(t.Effects) })
	})
	p.all = append(p.all, p.preset, p.reset, p.off)
}

// presetName is a preset's name in the window's language.
func (p *soundPanel) presetName(pr projects.Preset) string {
	if p.v.opt.Lang.Norwegian() {
		return pr.Nb
	}
	return pr.Name
}
