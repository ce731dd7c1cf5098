package explain_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"sangstudio/audio/device"
	"sangstudio/audio/session"
	"sangstudio/internal/durable"
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

// TestShowNotesInNorwegian: the notes shown when a song opens (a take
// rescued after a crash, the undo history set aside, a take moved to a
// new track) are said in Norwegian, each its own paragraph, under a
// Norwegian title, without their English text.
func TestShowNotesInNorwegian(t *testing.T) {
	test.NewTempApp(t)
	use(t, "nb")
	tr := readTranslations(t)
	at := time.Date(2026, 11, 25, 14, 32, 0, 0, time.Local)
	notes := []error{
		&session.RecoveredTake{File: "0003-Vokal.wav", Track: "Vokal", Started: at, Seconds: 12},
		&session.MovedTake{File: "0004-Kor.wav", Track: "Kor", NewTrack: "Kor", Deleted: true},
		&durable.Recovery{File: "song.json", From: "song.json.1", SavedAt: at, Reason: "not valid JSON"},
	}
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(800, 600))
	explain.ShowNotes(w, notes)
	texts := dialogTexts(w)
	shown := strings.Join(texts, "\n")
	for _, want := range []string{
		"Greit å vite",
		"Et opptak fra 14:32 ble reddet etter at Sangstudio stoppet uventet. Det ligger på sporet «Vokal» (12 s).\n\n" +
			"Sporet «Kor» ble slettet mens det tok opp, så opptaket ble lagt på et nytt spor, «Kor». Ingenting av det som ble tatt opp, er tapt.\n\n" +
			"Sangens fil var skadet, så Sangstudio åpnet kopien som ble lagret 25.11.2026 kl. 14:32. Endringer som ble gjort etter det, kan mangle.",
	} {
		if !slices.Contains(texts, want) {
			t.Errorf("the dialog does not show %q: %q", want, texts)
		}
	}
	for _, s := range texts {
		for _, line := range strings.Split(s, "\n") {
			if line = strings.TrimSpace(line); line != "" && !made(line, tr.norwegian) {
				t.Errorf("the dialog shows %q, which is not Norwegian from the translations", line)
			}
		}
	}
	for _, n := range notes {
		if strings.Contains(shown, n.Error()) {
			t.Errorf("the English note %q is shown", n.Error())
		}
	}
	if strings.Contains(shown, "JSON") || strings.Contains(shown, "recovered") {
		t.Errorf("the dialog shows English or technical words: %q", texts)
	}
}
