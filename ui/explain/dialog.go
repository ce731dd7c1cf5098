package explain

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Known reports whether explain says err in its own words (false: Message
// gives the plain "something went wrong" sentence).
func Known(err error) bool {
	if err == nil {
		return true
	}
	for _, area := range areas() {
		if _, ok := area(err); ok {
			return true
		}
	}
	return false
}

// Show shows err in an error dialog on w, in the chosen language
// (Message), with what could not be done first when what is not "". For an
// error explain does not know, the error's own (English) text is under
// "Details", folded, for whoever helps. Every view shows its errors
// through Show (or through its OnError option, with Message).
func Show(w fyne.Window, what string, err error) {
	if w == nil || err == nil {
		return
	}
	msg := Message(err)
	if what != "" {
		msg = what + "\n\n" + msg
	}
	text := widget.NewLabel(msg)
	text.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(text)
	if !Known(err) {
		details := widget.NewLabel(Details(err))
		details.Wrapping = fyne.TextWrapWord
		body.Add(widget.NewAccordion(widget.NewAccordionItem(lang.L("Details"), details)))
	}
	content := container.NewBorder(nil, nil, container.NewVBox(widget.NewIcon(theme.ErrorIcon())), nil, body)
	d := dialog.NewCustom(lang.L("Error"), lang.L("OK"), content, w)
	d.Resize(fyne.NewSize(min(560, w.Canvas().Size().Width-40), 0))
	d.Show()
}

// ShowNotes shows notes, things the user should know that are not
// failures (takes rescued after a crash, a take put on a new track, a
// song file opened from an earlier copy), in an information dialog on w,
// each said in the chosen language (Message), a blank line between them.
func ShowNotes(w fyne.Window, notes []error) {
	if w == nil || len(notes) == 0 {
		return
	}
	said := make([]string, len(notes))
	for i, n := range notes {
		said[i] = Message(n)
	}
	text := widget.NewLabel(strings.Join(said, "\n\n"))
	text.Wrapping = fyne.TextWrapWord
	content := container.NewBorder(nil, nil, container.NewVBox(widget.NewIcon(theme.InfoIcon())), nil, text)
	d := dialog.NewCustom(lang.L("Good to know"), lang.L("OK"), content, w)
	d.Resize(fyne.NewSize(min(560, w.Canvas().Size().Width-40), 0))
	d.Show()
}

// With is prefix (a sentence that ends with a colon, in the chosen
// language) followed by why, when explain knows err; otherwise prefix
// alone, ended with a full stop: the English reason would say nothing to
// the user (Details has it).
func With(prefix string, err error) string {
	if err != nil && Known(err) {
		return prefix + " " + Message(err)
	}
	return strings.TrimSuffix(strings.TrimSpace(prefix), ":") + "."
}
