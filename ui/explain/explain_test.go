package explain_test

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"

	"sangstudio/audio/cdburn"
	"sangstudio/projects"
	"sangstudio/ui/explain"
	"sangstudio/ui/shown"
)

// goism finds what a message for a person must not hold: fmt's and
// text/template's marks for a wrong value, "nil", a package's prefix
// ("wav: ", "song: " at the start or in a chain), a full path.
func goism() *regexp.Regexp {
	return regexp.MustCompile(`%!|\bnil\b|<nil>|<no value>|\{\{|` +
		`(^|: )(wav|engine|calibrate|cdimage|cdmake|cdburn|session|device|projects|album|history|takehome|archive|input|smf|synth|studio|filelock|fserr|openfile|import|song|take|settings|library): |` +
		`/home/|/media/|/usr/|/dev/`)
}

// wrapped is err as callers wrap it on its way to the window.
func wrapped(err error) []error {
	return []error{
		fmt.Errorf("song: %s: %w", "/home/anna/Sangstudio/Sommersang", err),
		fmt.Errorf("studio: edit: %w", fmt.Errorf("engine: %w", err)),
		errors.Join(err, errors.New("also: something else")),
	}
}

// TestMessage checks every example: in English the message holds its
// facts and no Go-isms, and is made from a text that has a Norwegian
// translation; in Norwegian it differs, is made from that translation and
// does not hold the error's own (English) text; wrapped, it says the same.
func TestMessage(t *testing.T) {
	tr := readTranslations(t)
	bad := goism()
	exs := examples()
	english := make([]string, len(exs))
	use(t, "en")
	for i, ex := range exs {
		msg := explain.Message(ex.err)
		english[i] = msg
		for _, f := range ex.facts {
			if !strings.Contains(msg, f) {
				t.Errorf("%s: %q does not say %q", ex.name, msg, f)
			}
		}
		for _, f := range ex.not {
			if strings.Contains(msg, f) {
				t.Errorf("%s: %q says %q", ex.name, msg, f)
			}
		}
		if m := bad.FindString(msg); m != "" {
			t.Errorf("%s: %q has %q", ex.name, msg, m)
		}
		if !made(msg, tr.english) {
			t.Errorf("%s: %q is not made from a text with a Norwegian translation", ex.name, msg)
		}
		for _, w := range wrapped(ex.err) {
			if got := explain.Message(w); got != msg {
				t.Errorf("%s: wrapped as %q: %q, want %q", ex.name, w, got, msg)
			}
		}
	}
	use(t, "nb")
	for i, ex := range exs {
		msg := explain.Message(ex.err)
		if msg == english[i] {
			t.Errorf("%s: in Norwegian too: %q", ex.name, msg)
		}
		if !made(msg, tr.norwegian) {
			t.Errorf("%s: %q is not made from a Norwegian translation", ex.name, msg)
		}
		if m := bad.FindString(msg); m != "" {
			t.Errorf("%s: %q has %q", ex.name, msg, m)
		}
		if strings.Contains(msg, ex.err.Error()) {
			t.Errorf("%s: %q holds the error's own (English) text", ex.name, msg)
		}
	}
}

// TestUnknown checks that an error explain does not know gives the plain
// sentence, never its own text, which Details gives.
func TestUnknown(t *testing.T) {
	err := fmt.Errorf("engine: mixing %s: %w", "/tmp/sangstudio-123/x.wav", errors.New("unexpected <nil> value"))
	for _, code := range []string{"en", "nb"} {
		use(t, code)
		msg := explain.Message(err)
		if msg == "" || strings.Contains(msg, "engine") || strings.Contains(msg, "nil") || strings.Contains(msg, "/tmp") {
			t.Errorf("%s: %q", code, msg)
		}
		if msg != explain.Message(errors.New("something else")) {
			t.Errorf("%s: unknown errors are said differently: %q", code, msg)
		}
		if code == "en" && !strings.HasPrefix(msg, "Something went wrong") {
			t.Errorf("en: %q", msg)
		}
		if code == "nb" && !strings.HasPrefix(msg, "Noe gikk galt") {
			t.Errorf("nb: %q", msg)
		}
	}
	if got := explain.Details(err); got != err.Error() {
		t.Errorf("Details = %q, want %q", got, err.Error())
	}
	if explain.Message(nil) != "" || explain.Details(nil) != "" {
		t.Error("nil error")
	}
}

// TestPlain checks that a text a view has said already is shown as it is,
// also when wrapped, and that it is still the error it explains.
func TestPlain(t *testing.T) {
	use(t, "nb")
	err := fmt.Errorf("studio: %w", explain.Plain("Klarte ikke å lese teksten.", io.ErrUnexpectedEOF))
	if got := explain.Message(err); got != "Klarte ikke å lese teksten." {
		t.Errorf("Message = %q", got)
	}
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Error("a Said error is no longer the error it explains")
	}
	if got := explain.Details(err); got != io.ErrUnexpectedEOF.Error() {
		t.Errorf("Details = %q", got)
	}
	if got := explain.Details(explain.Plain("Tekst", nil)); got != "" {
		t.Errorf("Details of a Said without an error = %q", got)
	}
	var said *explain.Said
	if !errors.As(err, &said) || said.Text != "Klarte ikke å lese teksten." || said.Error() != said.Text {
		t.Errorf("Said = %#v", said)
	}
}

// TestRefusal checks that a text refused on input is said as ui/shown
// says it.
func TestRefusal(t *testing.T) {
	for _, code := range []string{"en", "nb"} {
		use(t, code)
		err := projects.CheckName(projects.FieldTrack, "Vokal\x07")
		want, ok := shown.Refusal(err)
		if !ok {
			t.Fatal("no refusal")
		}
		if got := explain.Message(fmt.Errorf("rename: %w", err)); got != want {
			t.Errorf("%s: %q, want %q", code, got, want)
		}
	}
}

// TestDetailsOfABurn checks that the details of a failed burn hold the CD
// burning program's last lines.
func TestDetailsOfABurn(t *testing.T) {
	err := &cdburn.Error{Text: "There is no disc in the drive.", Tail: []string{"ERROR: Unit not ready, giving up."}, Err: cdburn.ErrNoDisc}
	got := explain.Details(err)
	if !strings.Contains(got, "There is no disc in the drive.") || !strings.Contains(got, "Unit not ready") {
		t.Errorf("Details = %q", got)
	}
}
