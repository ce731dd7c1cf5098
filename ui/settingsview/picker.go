package settingsview

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// picker is the choice of something found off the UI thread (an audio
// device, a MIDI keyboard): a list, a note under it, and Search again. The
// device and MIDI sections embed it.
type picker struct {
	v     *View
	gen   int // the search whose result is shown; a newer one wins
	list  *widget.Select
	ids   []string // parallel to list.Options
	note  *widget.Label
	again *widget.Button
}

// newPicker makes a picker whose list says looking until something is
// found; selected is called when one is chosen, refresh by Search again.
func newPicker(v *View, looking string, selected func(string), refresh func()) picker {
	p := picker{v: v}
	p.list = widget.NewSelect(nil, selected)
	p.list.PlaceHolder = looking
	p.note = help("")
	p.note.Hide()
	p.again = widget.NewButtonWithIcon(lang.L("Search again"), theme.ViewRefreshIcon(), refresh)
	return p
}

// content is the picker under its heading and a sentence about it.
func (p *picker) content(title, about string) fyne.CanvasObject {
	return section(title, help(about), p.list, p.note, container.NewHBox(p.again))
}

// search runs find off the UI thread (Search again is disabled meanwhile)
// and then found with its result on the UI thread, unless a newer search
// began since.
func search[T any](p *picker, find func() (T, error), found func(T, error)) {
	p.gen++
	gen := p.gen
	p.again.Disable()
	p.v.background(func() {
		got, err := find()
		p.v.onUI(func() {
			if gen != p.gen {
				return
			}
			p.again.Enable()
			found(got, err)
		})
	})
}
