package settingsview

import (
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// inputsSection is the choice of how many of the device's inputs the
// tracks record from.
type inputsSection struct {
	v    *View
	list *widget.Select
	vals []int         // parallel to list.Options
	none *widget.Label // the device has no inputs
}

func newInputsSection(v *View) *inputsSection {
	in := &inputsSection{v: v}
	in.list = widget.NewSelect(nil, in.selected)
	in.none = help(lang.L("This device has no inputs: it can play, but not record."))
	in.none.Hide()
	in.update()
	return in
}

func (in *inputsSection) content() fyne.CanvasObject {
	return section(lang.X("settings.inputs", "Inputs to use"),
		help(lang.L("How many of the device's inputs the tracks can record from.")),
		in.list, in.none)
}

// update offers All and each number up to the device's inputs (or the
// settings' number, if more).
func (in *inputsSection) update() {
	v := in.v
	n := v.device.inputs()
	if n == 0 {
		in.list.Hide()
		in.none.Show()
		return
	}
	in.list.Show()
	in.none.Hide()
	labels := []string{lang.L("All of them ({{.N}})", map[string]any{"N": min(n, 8)})}
	vals := []int{0}
	for i := 1; i <= min(max(n, v.s.Inputs), 32); i++ {
		labels = append(labels, strconv.Itoa(i))
		vals = append(vals, i)
	}
	in.vals = vals
	v.setQuietly(func() {
		in.list.Options = labels
		in.list.SetSelectedIndex(0)
		for i, x := range vals {
			if x == v.s.Inputs {
				in.list.SetSelectedIndex(i)
			}
		}
		in.list.Refresh()
	})
}

func (in *inputsSection) selected(string) {
	v := in.v
	if v.quiet {
		return
	}
	i := in.list.SelectedIndex()
	if i < 0 || i >= len(in.vals) || in.vals[i] == v.s.Inputs {
		return
	}
	v.s.Inputs = in.vals[i]
	v.keep.update()
	v.audioChanged()
}
