package settingsview

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// bufferSection is the choice of buffer size, shown in ms at the device's
// rate.
type bufferSection struct {
	v       *View
	choices *widget.RadioGroup
	sizes   []int // parallel to choices.Options
}

func newBufferSection(v *View) *bufferSection {
	b := &bufferSection{v: v}
	b.choices = widget.NewRadioGroup(nil, b.selected)
	b.choices.Required = true
	b.update()
	return b
}

func (b *bufferSection) content() fyne.CanvasObject {
	return section(lang.X("settings.buffer", "Buffer size"),
		help(lang.L("Smaller responds faster. Larger is safer against crackles and dropouts.")),
		b.choices)
}

// update labels the sizes (Buffers, and an unusual size the settings
// have) in ms at the device's rate now.
func (b *bufferSection) update() {
	v := b.v
	rate := v.device.rate()
	sizes := Buffers()
	found := false
	for _, x := range sizes {
		found = found || x == v.s.Buffer
	}
	if !found {
		sizes = append(sizes, v.s.Buffer)
	}
	labels := make([]string, len(sizes))
	sel := ""
	for i, x := range sizes {
		labels[i] = lang.L("{{.Ms}} ms ({{.Frames}} frames)", map[string]any{"Ms": v.ms(int64(x), rate), "Frames": x})
		if x == v.s.Buffer {
			sel = labels[i]
		}
	}
	b.sizes = sizes
	v.setQuietly(func() {
		b.choices.Options = labels
		b.choices.Selected = ""
		b.choices.SetSelected(sel)
	})
}

func (b *bufferSection) selected(label string) {
	v := b.v
	if v.quiet {
		return
	}
	for i, l := range b.choices.Options {
		if l == label && b.sizes[i] != v.s.Buffer {
			v.s.Buffer = b.sizes[i]
			v.audioChanged()
			return
		}
	}
}
