package settingsview

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"sangstudio/ui/studio"
)

// sessionSection is the length of a session (a therapy hour), after which
// the song view quietly offers to take the song home or burn a CD, and
// resident mode.
type sessionSection struct {
	v        *View
	length   *widget.RadioGroup
	vals     []int // parallel to length.Options (studio.SessionChoices)
	resident *widget.Check
}

func newSessionSection(v *View) *sessionSection {
	s := &sessionSection{v: v, vals: studio.SessionChoices()}
	var labels []string
	for _, m := range s.vals {
		if m == 0 {
			labels = append(labels, lang.X("settings.session.off", "Off"))
		} else {
			labels = append(labels, lang.X("settings.session.minutes", "{{.N}} minutes", map[string]any{"N": m}))
		}
	}
	s.length = widget.NewRadioGroup(labels, s.lengthSelected)
	s.length.Required = true
	s.length.Horizontal = true
	s.resident = widget.NewCheck(lang.L("Resident mode: only Record, Play, Stop, Undo, Keep that and the lyrics in large text"), s.residentChanged)
	v.setQuietly(func() {
		s.length.SetSelected(s.length.Options[max(slices.Index(s.vals, s.minutes()), 0)])
		s.resident.SetChecked(v.s.Resident)
	})
	return s
}

func (s *sessionSection) content() fyne.CanvasObject {
	return section(lang.X("settings.session", "The session"),
		help(lang.L("A quiet notice 10 minutes before the session ends offers to take the song home or burn a CD.")),
		s.length,
		s.resident,
		help(lang.L("In resident mode nothing can be deleted, renamed or moved. To leave it, hold its button for two seconds.")))
}

// minutes is the chosen session length (0: off).
func (s *sessionSection) minutes() int {
	if m := s.v.s.SessionMinutes; m != nil {
		return *m
	}
	return studio.DefaultSessionMinutes
}

func (s *sessionSection) lengthSelected(label string) {
	v := s.v
	i := slices.Index(s.length.Options, label)
	if v.quiet || i < 0 || s.vals[i] == s.minutes() {
		return
	}
	m := s.vals[i]
	v.s.SessionMinutes = &m
	v.changed()
}

func (s *sessionSection) residentChanged(on bool) {
	v := s.v
	if v.quiet || on == v.s.Resident {
		return
	}
	v.s.Resident = on
	v.changed()
}
