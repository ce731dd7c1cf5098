package settingsview

import (
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sangstudio/midi/synth"
	"sangstudio/ui/explain"
)

// soundFontSection is the choice of the sound of MIDI tracks: the
// system's SoundFont, the built-in sound, or a SoundFont file, which is
// checked before it is taken.
type soundFontSection struct {
	v        *View
	choices  *widget.RadioGroup
	vals     []string // parallel to choices.Options
	note     *widget.Label
	file     *widget.Button // Choose a SoundFont file…
	checking bool
}

func newSoundFontSection(v *View) *soundFontSection {
	f := &soundFontSection{v: v}
	f.choices = widget.NewRadioGroup(nil, f.selected)
	f.choices.Required = true
	f.note = help("")
	f.note.Hide()
	f.file = widget.NewButtonWithIcon(lang.L("Choose a SoundFont file…"), theme.FolderOpenIcon(), f.openFile)
	f.update()
	return f
}

func (f *soundFontSection) content() fyne.CanvasObject {
	return section(lang.X("settings.soundfont", "Sound of MIDI tracks"),
		help(lang.L("MIDI tracks play through a SoundFont (an .sf2 file) or a simple built-in sound.")),
		f.choices, f.note, container.NewHBox(f.file))
}

func (f *soundFontSection) update() {
	v := f.v
	sys := lang.L("System default (none installed: the built-in sound plays)")
	if p := synth.FindSoundFont(); p != "" {
		sys = lang.L("System default ({{.File}})", map[string]any{"File": filepath.Base(p)})
	}
	labels := []string{sys, lang.L("Built-in simple sound")}
	vals := []string{"", SoundFontBuiltin}
	sel := 0
	switch v.s.SoundFont {
	case "":
	case SoundFontBuiltin:
		sel = 1
	default:
		labels = append(labels, lang.L("File: {{.File}}", map[string]any{"File": filepath.Base(v.s.SoundFont)}))
		vals = append(vals, v.s.SoundFont)
		sel = 2
	}
	f.vals = vals
	v.setQuietly(func() {
		f.choices.Options = labels
		f.choices.Selected = ""
		f.choices.SetSelected(labels[sel])
	})
}

func (f *soundFontSection) selected(label string) {
	v := f.v
	if v.quiet {
		return
	}
	for i, l := range f.choices.Options {
		if l == label && f.vals[i] != v.s.SoundFont {
			v.s.SoundFont = f.vals[i]
			f.update()
			v.changed()
			return
		}
	}
}

// openFile shows the file chooser, in the folder of the chosen file or
// where SoundFonts are installed.
func (f *soundFontSection) openFile() {
	w := f.v.opt.Window
	if w == nil {
		return
	}
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			explain.Show(w, "", err)
			return
		}
		if r == nil {
			return // cancelled
		}
		path := r.URI().Path()
		r.Close()
		f.choose(path)
	}, w)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".sf2", ".SF2"}))
	dir := "/usr/share/sounds/sf2"
	if s := f.v.s.SoundFont; s != "" && s != SoundFontBuiltin {
		dir = filepath.Dir(s)
	}
	if l, err := storage.ListerForURI(storage.NewFileURI(dir)); err == nil {
		d.SetLocation(l)
	}
	d.Resize(w.Canvas().Size())
	d.Show()
}

// choose checks a chosen file off the UI thread and uses it if it is a
// working SoundFont; else it says why and keeps the old choice.
func (f *soundFontSection) choose(path string) {
	if f.checking {
		return
	}
	f.checking = true
	f.file.Disable()
	f.choices.Disable()
	setNote(f.note, lang.L("Checking the file…"))
	load := f.v.opt.LoadSoundFont
	f.v.background(func() {
		err := load(path)
		f.v.onUI(func() { f.checked(path, err) })
	})
}

// checked takes the file checked, or says why it cannot be used (err).
func (f *soundFontSection) checked(path string, err error) {
	v := f.v
	f.checking = false
	f.file.Enable()
	f.choices.Enable()
	setNote(f.note, "")
	if err != nil {
		msg := lang.L("“{{.File}}” cannot be used as the sound of MIDI tracks. The sound stays as it was.",
			map[string]any{"File": filepath.Base(path)})
		if v.opt.Window != nil {
			explain.Show(v.opt.Window, msg, err)
		}
		setNote(f.note, msg)
		return
	}
	v.s.SoundFont = path
	f.update()
	v.changed()
}
