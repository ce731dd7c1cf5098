package songview

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sangstudio/projects"
	"sangstudio/ui/studio"
)

// ShareItem is one entry of the Share menu.
type ShareItem struct {
	Label, Help string
	Icon        fyne.Resource
	Action      func() // nil: not available in this version
}

// ShareItems are the ways out of the song, in one place (Ctrl+E): the mix
// (a bounce), stems, take home, CD.
func (v *View) ShareItems() []ShareItem {
	items := []ShareItem{
		{lang.L("Save the mix"), lang.L("One stereo WAV file of the whole song, as you hear it"), theme.MediaMusicIcon(), nil},
		{lang.L("Save each track"), lang.L("One WAV file per track (stems), for mixing elsewhere"), theme.ListIcon(), nil},
		{lang.L("Take it home"), lang.L("Copy the song to a USB stick to listen at home"), theme.StorageIcon(), v.opt.OnTakeHome},
		{lang.L("Burn a CD"), lang.L("Make an audio CD of your songs"), theme.MediaRecordIcon(), v.opt.OnBurnCD},
	}
	if v.OnExport != nil {
		items[0].Action = func() { v.OnExport(studio.ExportMix) }
		items[1].Action = func() { v.OnExport(studio.ExportStems) }
	}
	return items
}

// ShowShare shows the Share menu as a dialog of large buttons.
func (v *View) ShowShare() {
	if v.opt.Window == nil {
		return
	}
	var d dialog.Dialog
	box := container.NewVBox()
	for _, it := range v.ShareItems() {
		it := it
		b := widget.NewButtonWithIcon(it.Label, it.Icon, func() {
			d.Hide()
			it.Action()
		})
		b.Alignment = widget.ButtonAlignLeading
		help := it.Help
		if it.Action == nil {
			b.Disable()
			help = lang.L("Not available in this version yet")
		}
		box.Add(container.NewVBox(b, widget.NewLabel(help)))
	}
	d = dialog.NewCustom(lang.L("Share"), lang.L("Close"), box, v.opt.Window)
	d.Resize(fyne.NewSize(560, 480))
	d.Show()
}

// AddTrack asks what kind of track to add: a voice or instrument through
// a microphone (mono), a stereo input, or a MIDI keyboard instrument.
func (v *View) AddTrack() {
	kinds := []string{lang.L("Microphone or instrument (mono)"), lang.L("Stereo input"), lang.L("Keyboard (MIDI) with a built-in sound")}
	kind := widget.NewRadioGroup(kinds, nil)
	kind.SetSelected(kinds[0])
	name := widget.NewEntry()
	name.SetPlaceHolder(lang.L("Name, e.g. Vocals"))
	soundNames := []string{}
	for p := 0; p < 128; p++ {
		soundNames = append(soundNames, soundName(p))
	}
	sound := widget.NewSelect(soundNames, nil)
	sound.SetSelectedIndex(0)
	add := func() {
		k := kind.Selected
		n := name.Text
		prog := max(sound.SelectedIndex(), 0)
		var t *projects.Track
		switch k {
		case kinds[1]:
			t = projects.NewTrack(orDefault(n, lang.L("Stereo")), 2)
		case kinds[2]:
			t = projects.NewMIDITrack(orDefault(n, soundName(prog)), prog, false)
		default:
			t = projects.NewTrack(orDefault(n, lang.L("Vocal")), 1)
		}
		v.addTrack(t)
	}
	if v.opt.Window == nil {
		add()
		return
	}
	d := dialog.NewForm(lang.L("Add track"), lang.L("Add"), lang.L("Cancel"), []*widget.FormItem{
		widget.NewFormItem(lang.L("Kind"), kind),
		widget.NewFormItem(lang.L("Name"), name),
		widget.NewFormItem(lang.L("Sound (keyboard)"), sound),
	}, func(ok bool) {
		if ok {
			add()
		}
	}, v.opt.Window)
	d.Resize(fyne.NewSize(600, 420))
	d.Show()
}

// addTrack adds t as one undo step, "Add track". A track added while no
// other is armed comes armed (Studio.AddTrack), and the status line says
// it is ready to record.
func (v *View) addTrack(t *projects.Track) {
	r, err := v.st.AddTrack(t)
	if err != nil {
		v.showError(err)
	}
	if r.Armed {
		v.trans.say(readiedText(r, false))
	}
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// ShowImport asks for audio or MIDI files to add as new tracks.
func (v *View) ShowImport() {
	if v.opt.Window == nil || v.OnImport == nil {
		return
	}
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		v.OnImport([]string{path})
	}, v.opt.Window)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".wav", ".WAV", ".mid", ".midi", ".MID"}))
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}
