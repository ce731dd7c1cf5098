package songview

import (
	"fmt"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"sangstudio/audio/fx"
	"sangstudio/projects"
	"sangstudio/ui/widgets"
)

// buildTone makes the high-pass and the EQ's knobs, and the EQ's curve.
func (p *soundPanel) buildTone() {
	commit := func() { p.v.st.Commit("Change the sound") }
	p.hpOn = p.newCheck(func(e *projects.Effects, on bool) {
		e.HighPass = 0
		if on {
			e.HighPass = p.hp.s.Value
		}
	})
	p.hp = p.newKnob(fx.MinHighPass, fx.MaxHighPass, 5, hzText,
		func(x float64) { p.liveTrack(func(e *projects.Effects) { e.HighPass = x }) }, commit)
	p.eqOn = p.newCheck(setEQ)
	band := func(set func(*projects.Effects, float64)) *knob {
		return p.newKnob(-toneRange, toneRange, 0.5, gainText,
			func(x float64) { p.liveTrack(func(e *projects.Effects) { set(e, x) }) }, commit)
	}
	p.bass, p.mid, p.treble = band(setBass), band(setMiddle), band(setTreble)
	p.curve = newEQCurve()
}

// buildDynamics makes the compressor's knob and meter and the sends.
func (p *soundPanel) buildDynamics() {
	commit := func() { p.v.st.Commit("Change the sound") }
	p.compOn = p.newCheck(func(e *projects.Effects, on bool) { setComp(&e.Comp, on) })
	p.amount = p.newKnob(0, 1, 0.05, percentText,
		func(x float64) { p.liveTrack(func(e *projects.Effects) { setCompAmount(&e.Comp, x) }) }, commit)
	p.gr = widgets.NewReductionMeter(grMax)
	send := func(set func(*projects.Effects, projects.Send)) *knob {
		return p.newKnob(sendOff, 0, 1, sendText,
			func(x float64) { p.liveTrack(func(e *projects.Effects) { set(e, sendAt(x)) }) }, commit)
	}
	p.reverb = send(func(e *projects.Effects, s projects.Send) { e.Reverb = s })
	p.delay = send(func(e *projects.Effects, s projects.Send) { e.Delay = s })
}

// index is the panel's track's index in the song, -1 when it is gone.
func (p *soundPanel) index() int {
	for i, t := range p.v.st.Song().Tracks {
		if t.ID == p.id {
			return i
		}
	}
	return -1
}

// liveTrack changes the track's effects while a slider moves, marking them
// changed from their preset (Studio.Live: heard at once, one undo step
// when the slider is let go).
func (p *soundPanel) liveTrack(f func(e *projects.Effects)) {
	i := p.index()
	if i < 0 || p.ro {
		return
	}
	p.v.st.Live(func(s *projects.Song) {
		e := &s.Tracks[i].Effects
		f(e)
		e.MarkChanged()
	})
}

// edit changes the track as one undo step named label.
func (p *soundPanel) edit(label string, f func(t *projects.Track)) {
	i := p.index()
	if i < 0 || p.ro {
		return
	}
	p.v.edit(label, func(s *projects.Song) error { f(s.Tracks[i]); return nil })
}

// update shows the track's effects and the song's buses (after any change
// to the song); a panel whose track is gone closes.
func (p *soundPanel) update() {
	s := p.v.st.Song()
	i := p.index()
	if i < 0 {
		p.d.Hide()
		return
	}
	e := s.Tracks[i].Effects
	p.setting = true
	defer func() { p.setting = false }()
	p.state.SetText(p.stateText(e))
	preset := ""
	if pr, ok := projects.FindPreset(e.Preset); ok {
		preset = p.presetName(pr)
	}
	showSelected(p.preset, preset)
	p.hpOn.SetChecked(e.HighPass != 0)
	p.hp.show(highPassOr(e))
	p.eqOn.SetChecked(eqOn(e))
	p.bass.show(e.Low.GainDB)
	p.mid.show(e.Mid1.GainDB)
	p.treble.show(e.High.GainDB)
	p.compOn.SetChecked(e.Comp.On)
	p.amount.show(compAmount(e.Comp))
	p.reverb.show(sendLevel(e.Reverb))
	p.delay.show(sendLevel(e.Delay))
	p.curve.show(s.Rate, e)
	if !p.ro {
		enable(p.reset, e.Preset != "" && e.Changed)
		enable(p.off, e != soundOff(e))
	}
	p.bus.update(s)
}

// tick shows the compressor's gain reduction (the view's ticker calls it
// while the song plays); it reports whether the meter shows any.
func (p *soundPanel) tick() bool {
	p.gr.Set(p.v.st.TrackReduction(p.index()))
	return p.gr.Value() > 0
}

// stateText says what the track's sound started from and whether it was
// changed since: "Vokal – varm (endret)".
func (p *soundPanel) stateText(e projects.Effects) string {
	pr, ok := projects.FindPreset(e.Preset)
	switch {
	case ok && e.Changed:
		return lang.L("{{.Name}} (changed)", map[string]any{"Name": p.presetName(pr)})
	case ok:
		return p.presetName(pr)
	case e == (projects.Effects{}):
		return lang.L("No effects")
	}
	return lang.L("Set by hand")
}

func enable(b *widget.Button, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}

func hzText(x float64) string { return fmt.Sprintf("%.0f Hz", x) }

func gainText(x float64) string { return fmt.Sprintf("%+.1f dB", x) }

func percentText(x float64) string { return fmt.Sprintf("%.0f %%", 100*x) }

func sendText(x float64) string {
	if x <= sendOff {
		return lang.L("Off")
	}
	return fmt.Sprintf("%.0f dB", x)
}
