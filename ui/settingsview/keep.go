package settingsview

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"sangstudio/audio/session"
	"sangstudio/ui/studio"
)

// keepSection is the choice of how many minutes Keep that keeps the armed
// inputs in memory, each with the memory it takes, and the memory in use.
type keepSection struct {
	v       *View
	choices *widget.RadioGroup
	vals    []int // parallel to choices.Options
	note    *widget.Label
}

func newKeepSection(v *View) *keepSection {
	k := &keepSection{v: v}
	k.choices = widget.NewRadioGroup(nil, k.selected)
	k.choices.Required = true
	k.note = help("")
	k.note.Hide()
	k.update()
	return k
}

func (k *keepSection) content() fyne.CanvasObject {
	return section(lang.X("settings.keep", "Keep that"),
		help(lang.L("While a track is ready to record (armed), Sangstudio keeps what it hears in memory for a while, so that a good moment can be saved with Keep that (K) even if nobody pressed Record.")),
		help(lang.L("Nothing is written to disk unless you press Keep that, and nothing is kept while no track is armed. The song view shows “Listening” while it keeps.")),
		k.choices, k.note)
}

// minutes is the chosen length of Keep that, in minutes (0: off).
func (k *keepSection) minutes() int {
	if m := k.v.s.KeepMinutes; m != nil {
		return *m
	}
	return studio.DefaultKeepMinutes
}

// inputs is how many inputs the memory shown is for, and their rate: the
// armed tracks' inputs while a song keeps them (AudioStatus.KeepBytes),
// else the inputs the device offers to tracks.
func (k *keepSection) inputs() (n, rate int) {
	v := k.v
	rate = v.device.rate()
	if v.opt.Status != nil {
		if st := v.opt.Status(); st.KeepBytes > 0 && st.Keep > 0 && st.Rate > 0 {
			one := session.KeepBytes(1, st.Rate, st.Keep)
			return int((st.KeepBytes + one/2) / one), st.Rate
		}
	}
	n = min(v.device.inputs(), 8)
	if v.s.Inputs > 0 {
		n = min(n, v.s.Inputs)
	}
	return n, rate
}

// megabytes is b in whole megabytes (at least 1).
func megabytes(b int64) int64 { return max((b+500_000)/1_000_000, 1) }

// keepLabel is a choice of Keep that with the memory it takes.
func keepLabel(minutes, inputs, rate int) string {
	if minutes == 0 {
		return lang.X("settings.keep.off", "Off")
	}
	text := lang.X("settings.keep.minutes", "{{.N}} minutes", map[string]any{"N": minutes})
	if minutes == 1 {
		text = lang.X("settings.keep.minute", "1 minute")
	}
	if inputs <= 0 {
		return text
	}
	mb := megabytes(session.KeepBytes(inputs, rate, time.Duration(minutes)*time.Minute))
	if inputs == 1 {
		return text + " — " + lang.L("{{.MB}} MB of memory for 1 input", map[string]any{"MB": mb})
	}
	return text + " — " + lang.L("{{.MB}} MB of memory for {{.N}} inputs", map[string]any{"MB": mb, "N": inputs})
}

// update labels the choices with the memory they take now, and shows the
// memory in use.
func (k *keepSection) update() {
	v := k.v
	n, rate := k.inputs()
	vals := studio.KeepChoices()
	labels := make([]string, len(vals))
	sel := ""
	for i, m := range vals {
		labels[i] = keepLabel(m, n, rate)
		if m == k.minutes() {
			sel = labels[i]
		}
	}
	k.vals = vals
	v.setQuietly(func() {
		k.choices.Options = labels
		k.choices.Selected = ""
		k.choices.SetSelected(sel)
	})
	note := ""
	if v.opt.Status != nil {
		if st := v.opt.Status(); st.KeepBytes > 0 {
			note = lang.L("In use now: {{.MB}} MB for the inputs of the armed tracks.", map[string]any{"MB": megabytes(st.KeepBytes)})
		}
	}
	setNote(k.note, note)
}

func (k *keepSection) selected(label string) {
	v := k.v
	if v.quiet {
		return
	}
	for i, l := range k.choices.Options {
		if l == label && k.vals[i] != k.minutes() {
			m := k.vals[i]
			v.s.KeepMinutes = &m
			v.audioChanged()
			return
		}
	}
}
