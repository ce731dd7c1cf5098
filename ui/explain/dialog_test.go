package explain_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"sangstudio/audio/device"
	"sangstudio/ui/explain"
)

// dialogTexts are the texts of the labels and buttons in the window's top
// overlay (a dialog), not counting folded accordion items.
func dialogTexts(w fyne.Window) []string {
	var out []string
	var rec func(o fyne.CanvasObject)
	rec = func(o fyne.CanvasObject) {
		if !o.Visible() {
			return
		}
		switch c := o.(type) {
		case *widget.Label:
			out = append(out, c.Text)
		case *widget.Button:
			out = append(out, c.Text)
		case *widget.Accordion:
			for _, it := range c.Items {
				out = append(out, it.Title)
				if it.Open {
					rec(it.Detail)
				}
			}
			return
		}
		switch c := o.(type) {
		case *fyne.Container:
			for _, ch := range c.Objects {
				rec(ch)
			}
		case fyne.Widget:
			for _, ch := range test.WidgetRenderer(c).Objects() {
				rec(ch)
			}
		}
	}
	if top := w.Canvas().Overlays().Top(); top != nil {
		rec(top)
	}
	return out
}

// TestShowInNorwegian: the error dialog says a known error, and its title
// and button, in Norwegian only; an unknown error's English text is folded
// under Details (Detaljer), not shown.
func TestShowInNorwegian(t *testing.T) {
	test.NewTempApp(t)
	use(t, "nb")
	tr := readTranslations(t)
	for _, err := range []error{
		fmt.Errorf("opening hw:1: %w", device.ErrDeviceBusy),
		errors.New("the frobnicator failed"),
	} {
		w := test.NewTempWindow(t, nil)
		w.Resize(fyne.NewSize(800, 600))
		explain.Show(w, "", err)
		texts := dialogTexts(w)
		if len(texts) == 0 {
			t.Fatalf("%v: no dialog", err)
		}
		for _, s := range texts {
			for _, line := range strings.Split(s, "\n") {
				if line = strings.TrimSpace(line); line != "" && !made(line, tr.norwegian) {
					t.Errorf("%v: the dialog shows %q, which is not Norwegian from the translations", err, line)
				}
			}
		}
		if strings.Contains(strings.Join(texts, "\n"), "frobnicator") {
			t.Errorf("the English text of an unknown error is shown: %q", texts)
		}
	}
}

// TestWith: a known reason follows the sentence; an unknown one is left
// out.
func TestWith(t *testing.T) {
	test.NewTempApp(t)
	use(t, "en")
	if got := explain.With("It did not work:", errors.New("x: y")); got != "It did not work." {
		t.Errorf("unknown: %q", got)
	}
	if got := explain.With("It did not work:", device.ErrDeviceBusy); got != "It did not work: "+explain.Message(device.ErrDeviceBusy) {
		t.Errorf("known: %q", got)
	}
}
