package settingsview

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"sangstudio/audio/device"
	"sangstudio/ui/explain"
)

// deviceSection is the choice of audio device, with Search again. It keeps
// the devices found, which the other audio sections ask about (current,
// id, rate, inputs).
type deviceSection struct {
	picker
	devices []device.Info
	err     error
	listing bool
	tone    *widget.Check // a test tone on the virtual device's inputs (shown for it only)
}

func newDeviceSection(v *View) *deviceSection {
	d := &deviceSection{}
	d.picker = newPicker(v, lang.L("Looking for audio devices…"), d.selected, d.refresh)
	d.tone = widget.NewCheck(lang.L("A test tone on the inputs, to try recording without a microphone"), d.toneChanged)
	d.tone.Hide()
	return d
}

func (d *deviceSection) content() fyne.CanvasObject {
	return container.NewVBox(d.picker.content(lang.X("settings.audio", "Audio device"),
		lang.L("The sound card or audio interface that plays and records.")), d.tone)
}

// toneChanged turns the virtual device's test tone on or off.
func (d *deviceSection) toneChanged(on bool) {
	v := d.v
	if v.quiet || on == v.s.TestTone {
		return
	}
	v.s.TestTone = on
	d.update()
	v.audioChanged()
}

// id is the device the settings mean: Settings.Device, or the default
// device when that is empty ("" while the devices are unknown).
func (d *deviceSection) id() string {
	if d.v.s.Device != "" {
		return d.v.s.Device
	}
	if info, ok := d.current(); ok {
		return info.ID
	}
	return ""
}

// current is the chosen device, if it was found.
func (d *deviceSection) current() (device.Info, bool) {
	want := d.v.s.Device
	for _, x := range d.devices {
		if (want == "" && x.Default) || (want != "" && x.ID == want) {
			return x, true
		}
	}
	return device.Info{}, false
}

// rate is the sample rate the chosen device runs at: the running stream's,
// else the one device.Open would pick.
func (d *deviceSection) rate() int {
	if d.v.opt.Status != nil {
		if st := d.v.opt.Status(); st.Rate > 0 && st.Fallback == "" {
			return st.Rate
		}
	}
	if info, ok := d.current(); ok {
		switch info.DefaultRate {
		case 44100, 48000, 96000:
			return info.DefaultRate
		}
	}
	return 48000
}

// inputs is how many inputs the chosen device has: the listed device's,
// else the running stream's, else 8 (an unknown device: the most
// Settings.Inputs = 0 offers).
func (d *deviceSection) inputs() int {
	n := 8
	if info, ok := d.current(); ok {
		n = info.Inputs
	} else if d.v.opt.Status != nil {
		if st := d.v.opt.Status(); st.Inputs > 0 {
			n = st.Inputs
		}
	}
	return n
}

// refresh lists the devices off the UI thread.
func (d *deviceSection) refresh() {
	d.listing = true
	d.list.PlaceHolder = lang.L("Looking for audio devices…")
	d.list.Refresh()
	search(&d.picker, d.v.opt.ListDevices, func(devs []device.Info, err error) {
		d.listing = false
		d.devices, d.err = devs, err
		d.update()
	})
}

func hostName(h string) string {
	if strings.HasPrefix(h, "JACK") {
		return "JACK"
	}
	return h
}

// options are the labels and IDs of the devices to choose from, and the
// index of the chosen one (-1: none). A chosen device that is not
// connected is offered as such.
func (d *deviceSection) options() (labels, ids []string, sel int) {
	seen := map[string]int{}
	for _, x := range d.devices {
		l := x.Name
		if x.Virtual {
			l = lang.L("Virtual device (no audio hardware)")
		} else if x.HostAPI != "" {
			l += " (" + hostName(x.HostAPI) + ")"
		}
		seen[l]++
		if n := seen[l]; n > 1 {
			l += " #" + strconv.Itoa(n)
		}
		labels = append(labels, l)
		ids = append(ids, x.ID)
	}
	sel = -1
	want := d.id()
	for i, id := range ids {
		if id == want {
			sel = i
		}
	}
	if s := d.v.s.Device; sel < 0 && s != "" {
		name := s
		if i := strings.Index(name, "/"); i >= 0 {
			name = name[i+1:]
		}
		name = strings.TrimSuffix(name, "#1")
		labels = append(labels, lang.L("{{.Name}} (not connected)", map[string]any{"Name": name}))
		ids = append(ids, s)
		sel = len(ids) - 1
	}
	return labels, ids, sel
}

// update shows the devices found, then updates what depends on them.
func (d *deviceSection) update() {
	labels, ids, sel := d.options()
	d.ids = ids
	d.list.PlaceHolder = lang.L("Choose an audio device")
	d.v.setQuietly(func() {
		d.list.Options = labels
		if sel >= 0 {
			d.list.SetSelectedIndex(sel)
		} else {
			d.list.ClearSelected()
		}
		d.list.Refresh()
	})
	var notes []string
	info, ok := d.current()
	virtual := ok && info.Virtual
	switch {
	case virtual && d.v.s.TestTone:
		notes = append(notes, lang.L("The virtual device plays no sound; its inputs hear a test tone. Use it to try the program without audio hardware."))
	case virtual:
		notes = append(notes, lang.L("The virtual device plays no sound and records only silence. Use it to try the program without audio hardware."))
	}
	d.v.setQuietly(func() { d.tone.SetChecked(d.v.s.TestTone) })
	if virtual {
		d.tone.Show()
	} else {
		d.tone.Hide()
	}
	if d.err != nil {
		notes = append(notes, explain.With(lang.L("Not every audio device could be found:"), d.err))
	}
	setNote(d.note, strings.Join(notes, "\n"))
	d.v.deviceChanged()
}

func (d *deviceSection) selected(string) {
	v := d.v
	if v.quiet {
		return
	}
	i := d.list.SelectedIndex()
	if i < 0 || i >= len(d.ids) {
		return
	}
	id := d.ids[i]
	if id == v.s.Device {
		return
	}
	v.s.Device = id
	if info, ok := d.current(); ok && v.s.Inputs > info.Inputs {
		v.s.Inputs = 0
	}
	d.update()
	v.audioChanged()
}
