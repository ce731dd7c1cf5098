package settingsview

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The parts every section is made of.

// heading is a section's title.
func heading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	l.Wrapping = fyne.TextWrapWord
	return l
}

// help is a wrapped line of explanation.
func help(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// section is a heading over its parts.
func section(title string, parts ...fyne.CanvasObject) fyne.CanvasObject {
	return container.NewVBox(append([]fyne.CanvasObject{heading(title)}, parts...)...)
}

// column centres its one object and keeps lines short enough to read.
type column struct{}

func (column) MinSize(objs []fyne.CanvasObject) fyne.Size { return objs[0].MinSize() }

func (column) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w := min(size.Width, max(theme.TextSize()*48, objs[0].MinSize().Width))
	objs[0].Move(fyne.NewPos((size.Width-w)/2, 0))
	objs[0].Resize(fyne.NewSize(w, size.Height))
}

// setNote shows text in l, or hides l when text is empty.
func setNote(l *widget.Label, text string) {
	l.SetText(text)
	if text == "" {
		l.Hide()
	} else {
		l.Show()
	}
}
