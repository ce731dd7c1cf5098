package songview

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sangstudio/projects"
	"sangstudio/projects/edit"
	"sangstudio/ui/shown"
)

// sectionAround is the range between the markers around frame, or the
// whole song.
func (v *View) sectionAround(frame int64) (int64, int64) {
	s := v.st.Song()
	from, to := int64(0), s.Length()
	for _, m := range s.Markers {
		if m.Position <= frame {
			from = m.Position
		} else {
			to = m.Position
			break
		}
	}
	if to <= from {
		to = from + int64(s.Rate)*4
	}
	return from, to
}

// SectionNames are the marker names offered first (a new slice each call).
func SectionNames() []string {
	return []string{"Intro", "Verse", "Chorus", "Bridge", "Solo", "Outro"}
}

// AddMarker adds a marker at the playhead, asking for its name (M).
func (v *View) AddMarker() {
	pos := max(v.st.Position(), 0)
	names := make([]string, len(SectionNames()))
	for i, n := range SectionNames() {
		names[i] = lang.L(n)
	}
	e := widget.NewSelectEntry(names)
	e.SetText(names[v.suggestSection()])
	v.form(lang.L("Add marker"), e, func() {
		v.edit("Add marker", func(s *projects.Song) error { return edit.AddMarker(s, e.Text, pos) })
	})
}

// suggestSection alternates verse and chorus after the intro.
func (v *View) suggestSection() int {
	switch n := len(v.st.Song().Markers); {
	case n == 0:
		return 0
	case n%2 == 1:
		return 1
	default:
		return 2
	}
}

func (v *View) editMarker(i int) {
	s := v.st.Song()
	if i < 0 || i >= len(s.Markers) {
		return
	}
	e := widget.NewEntry()
	old := shown.Text(s.Markers[i].Name) // control characters from a file as symbols
	e.SetText(old)
	if v.opt.Window == nil {
		return
	}
	var d dialog.Dialog
	del := widget.NewButtonWithIcon(lang.L("Delete marker"), theme.DeleteIcon(), func() {
		d.Hide()
		v.edit("Delete marker", func(s *projects.Song) error { return edit.DeleteMarker(s, i) })
	})
	goTo := widget.NewButton(lang.L("Go to marker"), func() {
		d.Hide()
		v.st.Locate(s.Markers[i].Position)
	})
	d = dialog.NewForm(lang.L("Marker"), lang.L("OK"), lang.L("Cancel"), []*widget.FormItem{
		widget.NewFormItem(lang.L("Name"), e), widget.NewFormItem("", container.NewHBox(goTo, del)),
	}, func(ok bool) {
		if ok && e.Text != old {
			v.edit("Rename marker", func(s *projects.Song) error { return edit.RenameMarker(s, i, e.Text) })
		}
	}, v.opt.Window)
	d.Resize(fyne.NewSize(480, 260))
	d.Show()
}

// form asks for one value in a dialog with large controls.
func (v *View) form(title string, w fyne.CanvasObject, ok func()) {
	if v.opt.Window == nil {
		ok()
		return
	}
	d := dialog.NewForm(title, lang.L("OK"), lang.L("Cancel"), []*widget.FormItem{widget.NewFormItem("", w)}, func(b bool) {
		if b {
			ok()
		}
	}, v.opt.Window)
	d.Resize(fyne.NewSize(480, 220))
	d.Show()
	if f, isF := w.(fyne.Focusable); isF {
		v.opt.Window.Canvas().Focus(f)
	}
}
