package settingsview

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"sangstudio/ui/i18n"
)

// languageSection is the choice of language: the computer's, or one of
// i18n.Languages.
type languageSection struct {
	v       *View
	choices *widget.RadioGroup
	vals    []string // parallel to choices.Options ("": the computer's)
}

func newLanguageSection(v *View) *languageSection {
	l := &languageSection{v: v}
	l.vals = append([]string{""}, i18n.Languages()...)
	names := []string{lang.L("Same as the computer")}
	for _, x := range i18n.Languages() {
		names = append(names, i18n.Name(x))
	}
	l.choices = widget.NewRadioGroup(names, l.selected)
	l.choices.Required = true
	v.setQuietly(func() {
		l.choices.SetSelected(pick(names, l.vals, v.s.Language, i18n.Normalize))
	})
	return l
}

func (l *languageSection) content() fyne.CanvasObject {
	return section(lang.X("settings.language", "Language"), l.choices)
}

// pick returns the label whose value is val; if none, the label of
// norm(val) ("" → the system's language is shown as "Same as…" anyway).
func pick(labels, vals []string, val string, norm func(string) string) string {
	for i, x := range vals {
		if x == val {
			return labels[i]
		}
	}
	n := norm(val)
	for i, x := range vals {
		if x == n {
			return labels[i]
		}
	}
	return labels[0]
}

func (l *languageSection) selected(label string) {
	v := l.v
	if v.quiet {
		return
	}
	for i, x := range l.choices.Options {
		if x == label && l.vals[i] != v.s.Language {
			v.s.Language = l.vals[i]
			v.changed()
			return
		}
	}
}
