package explain

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2/lang"

	"sangstudio/audio/cdburn"
	"sangstudio/ui/shown"
)

// Said is an error already said in the window's language: Text is shown
// as it is, and Err (which may be nil) is the error it explains, still
// found by errors.Is and errors.As.
type Said struct {
	Text string
	Err  error
}

func (e *Said) Error() string { return e.Text }
func (e *Said) Unwrap() error { return e.Err }

// Plain is err said as text, which the caller has already put in the
// chosen language (with lang.L): Message returns text as it is.
func Plain(text string, err error) error { return &Said{Text: text, Err: err} }

// data is the template data of a translated text ({{.File}}, …).
type data = map[string]any

// Message is err in plain words in the chosen language, for the window:
// what happened and what to do. It is "" for a nil err. An error it does
// not know gives a plain sentence that something went wrong, never err's
// own (English) text: see Details.
func Message(err error) string {
	if err == nil {
		return ""
	}
	for _, area := range areas() {
		if msg, ok := area(err); ok {
			return msg
		}
	}
	return lang.L("Something went wrong: Sangstudio could not finish this. What was saved before is kept; you can try again.")
}

// Every exported error of audio/…, projects/…, midi/…, internal/… and
// ui/studio (a type named …Error or with an Error method, such as
// audio/session's notes, or an Err… variable) is said by one of the areas
// below (complete_test.go checks it), except:
//   - ui/app.ErrNoDisplay: ui/app imports the views, which import this
//     package (a cycle); and it comes before there is a window to show it
//     in: the command prints it.
//   - the unexported errors, which nobody can match: audio/device's
//     deviceError is said through the Err… kind it wraps; audio/playfile's
//     playError, midi/input's selectError and the errors made with
//     fmt.Errorf or errors.New alone get the plain sentence (Details has
//     their text); ui/songview's plainError is what Said replaces.

// areas are the matchers, most specific first: an error said already,
// the notes (a take rescued after a crash, whatever error it wraps), then
// the errors that name an album's track, a song archive, a USB
// stick, a CD, a song or a recording (which often wrap a file-system
// error, said with their own names), and last the file system's own
// errors and a stop.
func areas() []func(error) (string, bool) {
	return []func(error) (string, bool){
		said,
		shown.Refusal,
		notes,
		albums,
		archives,
		takeHome,
		cds,
		songFiles,
		songLocks,
		window,
		recovered,
		recording,
		devices,
		midiErrors,
		fileSystem,
		stopped,
	}
}

// said is the text of a *Said in err's chain.
func said(err error) (string, bool) {
	var s *Said
	if errors.As(err, &s) {
		return s.Text, true
	}
	return "", false
}

// stopped says that something was stopped (cancelled) or took too long.
func stopped(err error) (string, bool) {
	switch {
	case errors.Is(err, context.Canceled):
		return lang.L("Stopped."), true
	case errors.Is(err, context.DeadlineExceeded):
		return lang.L("This took too long, so it was stopped. Please try again."), true
	}
	return "", false
}

// Details is err's own text (in English, as the command line says it),
// for a "details" line the window may show collapsed, for whoever helps:
// for a *Said, the text of the error it explains; for a failed CD burn,
// the CD burning program's last lines too. It is "" for a nil err.
func Details(err error) string {
	if err == nil {
		return ""
	}
	var s *Said
	if errors.As(err, &s) {
		return Details(s.Err)
	}
	text := err.Error()
	var be *cdburn.Error
	if errors.As(err, &be) && len(be.Tail) > 0 {
		text += "\n\n" + strings.Join(be.Tail, "\n")
	}
	return text
}

// text is a text from a file or a person (a track's name, a file's name)
// as the window shows it: control characters as visible symbols.
func text(s string) string { return shown.Text(s) }

// list is names one after the other ("a.wav, b.wav"), at most a few of
// them and "…" for the rest.
func list(names []string) string {
	const most = 5
	if len(names) > most {
		return strings.Join(names[:most], ", ") + ", …"
	}
	return strings.Join(names, ", ")
}
