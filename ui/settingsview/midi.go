package settingsview

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"sangstudio/midi/input"
	"sangstudio/ui/explain"
)

// midiSection is the choice of MIDI keyboard, with Search again.
type midiSection struct {
	picker
	ports []input.Port
	err   error
}

func newMIDISection(v *View) *midiSection {
	m := &midiSection{}
	m.picker = newPicker(v, lang.L("Looking for MIDI keyboards…"), m.selected, m.refresh)
	return m
}

func (m *midiSection) content() fyne.CanvasObject {
	return m.picker.content(lang.X("settings.midi", "MIDI keyboard"),
		lang.L("The keyboard that MIDI tracks record from."))
}

// refresh lists the keyboards off the UI thread.
func (m *midiSection) refresh() {
	setNote(m.note, "")
	search(&m.picker, m.v.opt.ListMIDI, func(ports []input.Port, err error) {
		m.ports, m.err = ports, err
		m.update()
	})
}

// options are the labels and IDs of the keyboards to choose from (All
// first), and the index of the chosen one. A chosen keyboard that is not
// connected is offered as such.
func (m *midiSection) options() (labels, ids []string, sel int) {
	labels = []string{lang.L("All keyboards")}
	ids = []string{""}
	for _, p := range m.ports {
		l := p.Name
		if p.API == "jack" {
			l += " (JACK)"
		}
		labels = append(labels, l)
		ids = append(ids, p.ID)
	}
	want := m.v.s.MIDIIn
	if want == "" || want == "all" {
		return labels, ids, 0
	}
	sel = -1
	for i, id := range ids {
		if id == want {
			sel = i
		}
	}
	if sel < 0 {
		name := want
		if i := strings.Index(name, ":"); i >= 0 {
			name = name[i+1:]
		}
		labels = append(labels, lang.L("{{.Name}} (not connected)", map[string]any{"Name": name}))
		ids = append(ids, want)
		sel = len(ids) - 1
	}
	return labels, ids, sel
}

// update shows the keyboards found, or why there are none.
func (m *midiSection) update() {
	labels, ids, sel := m.options()
	m.ids = ids
	m.v.setQuietly(func() {
		m.list.Options = labels
		m.list.SetSelectedIndex(sel)
		m.list.Refresh()
	})
	switch {
	case errors.Is(m.err, input.ErrNoMIDI) || (m.err == nil && len(m.ports) == 0):
		setNote(m.note, lang.L("No MIDI keyboard found. Plug one in and press Search again."))
	case m.err != nil:
		setNote(m.note, explain.With(lang.L("The MIDI keyboards could not be listed:"), m.err))
	default:
		setNote(m.note, "")
	}
}

func (m *midiSection) selected(string) {
	v := m.v
	if v.quiet {
		return
	}
	i := m.list.SelectedIndex()
	if i < 0 || i >= len(m.ids) {
		return
	}
	id := m.ids[i]
	if id == v.s.MIDIIn || (id == "" && v.s.MIDIIn == "all") {
		return
	}
	v.s.MIDIIn = id
	v.audioChanged()
}
