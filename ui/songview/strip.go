package songview

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sangstudio/midi/synth"
	"sangstudio/projects"
	"sangstudio/ui/shown"
	"sangstudio/ui/studio"
	"sangstudio/ui/widgets"
)

// strip is one track's controls, left of its timeline row: name, record
// arm, mute, solo, monitor, fader, pan, input and a peak meter.
type strip struct {
	v     *View
	i     int
	box   *fyne.Container
	name  *widget.Button
	arm   *widgets.TipButton
	mute  *widgets.TipButton
	solo  *widgets.TipButton
	mon   *widgets.TipButton
	fader *widget.Slider
	pan   *widget.Slider
	gain  *widget.Label
	input *widget.Select
	meter *widgets.Meter
	// more is true when the strip shows one line: the volume (compact),
	// pan and input are then in the track's dialog.
	more bool
	// setting is true while the strip copies the song into its widgets, so
	// their change callbacks do not write back.
	setting bool
}

func (v *View) newStrip(i int) *strip {
	s := &strip{v: v, i: i}
	s.name = widget.NewButton("", s.rename)
	s.name.Alignment = widget.ButtonAlignLeading
	s.arm = widgets.NewTipButton("", theme.MediaRecordIcon(), lang.L("Ready to record (arm) (A)"), s.toggleArm)
	s.mute = widgets.NewTipButton("M", nil, lang.L("Mute: silence this track"), func() {
		v.edit("Mute", func(sg *projects.Song) error { sg.Tracks[i].Mute = !sg.Tracks[i].Mute; return nil })
	})
	s.solo = widgets.NewTipButton("S", nil, lang.L("Solo: hear only this track"), func() {
		v.edit("Solo", func(sg *projects.Song) error { sg.Tracks[i].Solo = !sg.Tracks[i].Solo; return nil })
	})
	s.mon = widgets.NewTipButton("", theme.VolumeUpIcon(), lang.L("Monitor: hear the input while armed"), func() {
		v.edit("Monitor", func(sg *projects.Song) error { sg.Tracks[i].Monitor = !sg.Tracks[i].Monitor; return nil })
	})
	s.fader = widget.NewSlider(projects.MinGainDB/2, 12) // -72..+12 dB
	s.fader.Step = 0.5
	s.fader.OnChanged = func(db float64) {
		if s.setting {
			return
		}
		if db <= s.fader.Min {
			db = projects.MinGainDB
		}
		v.st.Live(func(sg *projects.Song) { sg.Tracks[i].GainDB = db })
		s.gain.SetText(dbText(db))
	}
	s.fader.OnChangeEnded = func(float64) { v.st.Commit("Change the volume") }
	s.pan = widget.NewSlider(-1, 1)
	s.pan.Step = 0.05
	s.pan.OnChanged = func(p float64) {
		if !s.setting {
			v.st.Live(func(sg *projects.Song) { sg.Tracks[i].Pan = p })
		}
	}
	s.pan.OnChangeEnded = func(float64) { v.st.Commit("Change the pan") }
	s.gain = widget.NewLabel("")
	s.input = widget.NewSelect(nil, s.chooseInput)
	s.meter = widgets.NewMeter()
	s.layout()
	return s
}

// layout puts the strip's controls in its box for the track height: in
// large rows every control, in four lines; in normal and compact rows one
// line (normal: arm, name, mute, solo, monitor and the volume; compact: arm,
// name, mute and solo), the others in the track's dialog.
func (s *strip) layout() {
	width, _ := rowSize(s.v.opt.TrackHeight)
	meterSize := fyne.NewSize(width-2*theme.Padding(), 10)
	switch s.v.opt.TrackHeight {
	case studio.TrackLarge:
		top := container.NewBorder(nil, nil, s.arm, container.NewHBox(s.mute, s.solo, s.mon), s.name)
		panRow := container.NewGridWithColumns(2,
			container.NewBorder(nil, nil, widget.NewLabel(lang.L("L")), widget.NewLabel(lang.L("R")), s.pan), s.input)
		s.box = container.NewVBox(top, s.faderRow(), panRow, container.NewGridWrap(meterSize, s.meter))
		return
	case studio.TrackCompact:
		s.more = true
		meterSize.Height = 4
		line := container.NewBorder(nil, nil, s.arm, container.NewHBox(s.mute, s.solo), s.name)
		s.box = container.New(&stripLine{}, line, container.NewGridWrap(meterSize, s.meter))
	default:
		s.more = true
		meterSize.Height = 6
		fader := container.NewGridWrap(fyne.NewSize(110, s.fader.MinSize().Height), s.fader)
		line := container.NewBorder(nil, nil, s.arm, container.NewHBox(s.mute, s.solo, s.mon, fader), s.name)
		s.box = container.New(&stripLine{}, line, container.NewGridWrap(meterSize, s.meter))
	}
}

// faderRow is the volume slider with its label and value.
func (s *strip) faderRow() fyne.CanvasObject {
	return container.NewBorder(nil, nil, widget.NewLabel(lang.L("Volume")), s.gain, s.fader)
}

// stripLine lays out a one-line strip: the line of controls, with the
// meter as a thin bar right under it.
type stripLine struct{}

func (stripLine) MinSize(objs []fyne.CanvasObject) fyne.Size {
	l, m := objs[0].MinSize(), objs[1].MinSize()
	return fyne.NewSize(max(l.Width, m.Width), l.Height+m.Height)
}

func (stripLine) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	mh := objs[1].MinSize().Height
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(size.Width, size.Height-mh))
	objs[1].Move(fyne.NewPos(0, size.Height-mh))
	objs[1].Resize(fyne.NewSize(size.Width, mh))
}

func dbText(db float64) string {
	if db <= projects.MinGainDB {
		return "-∞ dB"
	}
	return fmt.Sprintf("%+.1f dB", db)
}

// update copies the song into the widgets.
func (s *strip) update() {
	sg := s.v.st.Song()
	if s.i >= len(sg.Tracks) {
		return
	}
	t := sg.Tracks[s.i]
	s.setting = true
	defer func() { s.setting = false }()
	name := shown.Text(t.Name)
	if t.IsMIDI() {
		name += "  ♪"
	}
	s.name.SetText(name)
	armed := s.v.st.Armed(s.i)
	s.arm.Importance = widget.MediumImportance
	if armed {
		s.arm.Importance = widget.DangerImportance
	}
	s.arm.Refresh()
	setOn(&s.mute.Button, t.Mute, widget.WarningImportance)
	setOn(&s.solo.Button, t.Solo, widget.HighImportance)
	setOn(&s.mon.Button, t.Monitor, widget.HighImportance)
	if t.IsMIDI() {
		s.mon.Disable() // a MIDI track always plays the keyboard while armed
	} else {
		s.mon.Enable()
	}
	g := max(t.GainDB, s.fader.Min)
	if s.fader.Value != g {
		s.fader.SetValue(g)
	}
	s.gain.SetText(dbText(t.GainDB))
	if s.pan.Value != t.Pan {
		s.pan.SetValue(t.Pan)
	}
	s.input.Options = s.inputOptions(t)
	sel := s.inputLabel(t)
	if s.input.Selected != sel {
		s.input.SetSelected(sel)
	}
	s.input.Refresh()
}

func setOn(b *widget.Button, on bool, imp widget.Importance) {
	want := widget.MediumImportance
	if on {
		want = imp
	}
	if b.Importance != want {
		b.Importance = want
		b.Refresh()
	}
}

// inputOptions lists the inputs a track can record from: single inputs for
// a mono track, pairs for a stereo one; a MIDI track shows its sound.
func (s *strip) inputOptions(t *projects.Track) []string {
	if t.IsMIDI() {
		// A MIDI track's choice is its sound.
		names := make([]string, 128)
		for p := range names {
			names[p] = soundName(p)
		}
		return names
	}
	n := max(s.v.st.Audio().Inputs, 2)
	var opts []string
	if t.Channels == 2 {
		for c := 1; c+1 <= n; c += 2 {
			opts = append(opts, fmt.Sprintf("%s %d–%d", lang.L("Input"), c, c+1))
		}
	} else {
		for c := 1; c <= n; c++ {
			opts = append(opts, fmt.Sprintf("%s %d", lang.L("Input"), c))
		}
	}
	return opts
}

func (s *strip) inputLabel(t *projects.Track) string {
	if t.IsMIDI() {
		return soundName(t.Program)
	}
	in := t.Input
	if len(in) == 0 {
		in = []int{1, 2}[:t.Channels]
	}
	if len(in) == 2 {
		return fmt.Sprintf("%s %d–%d", lang.L("Input"), in[0], in[1])
	}
	return fmt.Sprintf("%s %d", lang.L("Input"), in[0])
}

func (s *strip) chooseInput(string) {
	if s.setting {
		return
	}
	t := s.v.st.Song().Tracks[s.i]
	k := s.input.SelectedIndex()
	if k < 0 {
		return
	}
	if t.IsMIDI() {
		i := s.i
		s.v.edit("Change sound", func(sg *projects.Song) error { sg.Tracks[i].Program = k; return nil })
		return
	}
	in := []int{k + 1}
	if t.Channels == 2 {
		in = []int{2*k + 1, 2*k + 2}
	}
	i := s.i
	s.v.edit("Choose input", func(sg *projects.Song) error { sg.Tracks[i].Input = in; return nil })
}

func (s *strip) toggleArm() {
	if err := s.v.st.Arm(s.i, !s.v.st.Armed(s.i)); err != nil {
		s.v.showError(err)
	}
}

func (s *strip) rename() {
	sg := s.v.st.Song()
	e := widget.NewEntry()
	// A name from a song file made elsewhere shows its control characters
	// as symbols; kept unchanged, it stays as it is.
	old := shown.Text(sg.Tracks[s.i].Name)
	e.SetText(old)
	i := s.i
	var d dialog.Dialog
	del := widget.NewButtonWithIcon(lang.L("Delete track"), theme.DeleteIcon(), func() {
		d.Hide()
		s.v.deleteTrack(i)
	})
	sound := widget.NewButtonWithIcon(lang.L("Sound…"), theme.MediaMusicIcon(), func() { s.v.openSound(i) })
	items := []*widget.FormItem{widget.NewFormItem(lang.L("Name"), e)}
	if s.more {
		items = append(items, s.moreItems()...)
	}
	items = append(items, widget.NewFormItem("", sound))
	if s.v.beatClip(i) >= 0 {
		items = append(items, widget.NewFormItem("", widget.NewButtonWithIcon(lang.L("Beat…"), theme.GridIcon(), func() {
			d.Hide()
			s.v.openBeat(i)
		})))
	}
	items = append(items, widget.NewFormItem("", del))
	d = dialog.NewForm(lang.L("Track"), lang.L("OK"), lang.L("Cancel"), items, func(ok bool) {
		if !ok || e.Text == old {
			return
		}
		if err := projects.CheckName(projects.FieldTrack, e.Text); err != nil {
			s.v.showError(err)
			return
		}
		s.v.edit("Rename track", func(sg *projects.Song) error {
			name := sg.UniqueTrackName(e.Text)
			if e.Text == sg.Tracks[i].Name {
				name = e.Text
			}
			sg.Tracks[i].Name = name
			return nil
		})
	}, s.v.opt.Window)
	d.Resize(fyne.NewSize(560, 260))
	d.Show()
	s.v.opt.Window.Canvas().Focus(e)
}

// moreItems are the controls a one-line strip leaves to the track's
// dialog: the pan and the input (a MIDI track: its sound), and on a
// compact strip the volume.
// They change the track at once, as on a large strip; OK and Cancel are
// for the name.
func (s *strip) moreItems() []*widget.FormItem {
	pan := container.NewBorder(nil, nil, widget.NewLabel(lang.L("L")), widget.NewLabel(lang.L("R")), s.pan)
	input := lang.L("Input")
	if s.v.st.Song().Tracks[s.i].IsMIDI() {
		input = lang.L("Instrument") // its Sound… is the effects
	}
	var items []*widget.FormItem
	if s.v.opt.TrackHeight == studio.TrackCompact { // a normal strip has its volume
		items = append(items, widget.NewFormItem(lang.L("Volume"), container.NewBorder(nil, nil, nil, s.gain, s.fader)))
	}
	return append(items, widget.NewFormItem(lang.L("Pan"), pan), widget.NewFormItem(input, s.input))
}

// meterTick shows the track's meter.
func (s *strip) meterTick() {
	p, h := s.v.st.TrackMeter(s.i)
	s.meter.Set(p, h)
}

// deleteTrack asks, then removes track i from the song (one undo step; its
// recordings stay in the song folder).
func (v *View) deleteTrack(i int) {
	name := v.st.Song().Tracks[i].Name
	del := func() {
		v.edit("Delete track", func(sg *projects.Song) error {
			sg.Tracks = append(sg.Tracks[:i], sg.Tracks[i+1:]...)
			return nil
		})
	}
	if v.opt.Window == nil {
		del()
		return
	}
	dialog.ShowConfirm(lang.L("Delete track"), fmt.Sprintf(lang.L("Delete the track %q? Undo (Ctrl+Z) brings it back."), name),
		func(ok bool) {
			if ok {
				del()
			}
		}, v.opt.Window)
}

// soundName is the General MIDI sound p's name in the chosen language
// (translations/instruments.nb.json).
func soundName(p int) string { return lang.L(synth.ProgramName(p)) }
