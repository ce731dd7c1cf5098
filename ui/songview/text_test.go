package songview_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"sangstudio/audio/device"
	"sangstudio/midi/synth"
	"sangstudio/projects"
	"sangstudio/ui/i18n"
	"sangstudio/ui/songview"
	"sangstudio/ui/studio"
)

// openOdd opens a song whose file (made elsewhere) holds control
// characters in its title, a track name, a marker name and the lyrics.
func openOdd(t *testing.T) (*studio.Studio, *view, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	i18n.Use("en")
	dir := filepath.Join(t.TempDir(), "song")
	s := projects.New("Red\x1b[31m\a!", 48000)
	s.Tracks = append(s.Tracks, projects.NewTrack("Bass\x1b]0;x\a", 1), projects.NewTrack("Kor", 1))
	s.Markers = append(s.Markers, projects.Marker{Name: "Vers\x07", Position: 48000})
	s.Lyrics = "la\x1b[2J\nla\tla"
	if err := projects.Create(dir, s); err != nil {
		t.Fatal(err)
	}
	st, err := studio.Open(dir, testAudio(t, studio.AudioConfig{Device: device.VirtualID}, post), post)
	if err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, nil)
	v := newView(songview.Options{Window: w, Studio: st})
	st.OnChange = v.Refresh
	st.OnError = func(err error) { t.Errorf("background error: %v", err) }
	w.SetContent(v.Content())
	w.Resize(fyne.NewSize(1400, 900))
	v.Refresh(studio.ChangedSong)
	t.Cleanup(func() { st.Close(); drain() })
	return st, v, w
}

// overlayEntry is the entry of the dialog on top.
func overlayEntry(t *testing.T, w fyne.Window) *widget.Entry {
	t.Helper()
	var e *widget.Entry
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog")
	}
	walk(top, func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Entry:
			if e == nil {
				e = x
			}
		case *widget.SelectEntry:
			if e == nil {
				e = &x.Entry
			}
		}
	})
	if e == nil {
		t.Fatal("no entry in the dialog")
	}
	return e
}

// closeDialogs closes the dialogs on the window (an error shown has an OK
// button too).
func closeDialogs(w fyne.Window) {
	for o := w.Canvas().Overlays().Top(); o != nil; o = w.Canvas().Overlays().Top() {
		w.Canvas().Overlays().Remove(o)
	}
}

func lastShown(v *view) string {
	if len(v.errs) == 0 {
		return ""
	}
	return v.errs[len(v.errs)-1].Error()
}

// Text from the file is shown with its control characters as visible
// symbols: the title, the track's strip, the marker on the ruler and the
// lyrics; no raw control character reaches the screen.
func TestControlCharactersFromFileShownAsSymbols(t *testing.T) {
	st, v, w := openOdd(t)
	markup := test.RenderToMarkup(w.Canvas())
	for _, want := range []string{"Red␛[31m␇!", "Bass␛]0;x␇", "Vers␇"} {
		if !strings.Contains(markup, want) {
			t.Errorf("the window does not show %q", want)
		}
	}
	if strings.ContainsAny(markup, "\x1b\a") {
		t.Error("a raw control character reaches the screen")
	}
	if got, want := v.Lyrics().Text, "la␛[2J\nla\tla"; got != want {
		t.Errorf("lyrics box %q, want %q", got, want)
	}
	// Shown differently, stored as it was: nothing is changed by looking.
	if s := st.Song(); s.Title != "Red\x1b[31m\a!" || s.Lyrics != "la\x1b[2J\nla\tla" || s.Tracks[0].Name != "Bass\x1b]0;x\a" {
		t.Errorf("the song changed: %q %q %q", s.Title, s.Lyrics, s.Tracks[0].Name)
	}
	// Renaming the track to what the entry shows, unchanged, changes nothing.
	test.Tap(button(t, w, "Bass␛]0;x␇"))
	if e := overlayEntry(t, w); e.Text != "Bass␛]0;x␇" {
		t.Errorf("rename starts with %q", e.Text)
	}
	test.Tap(button(t, w, "OK"))
	if st.Song().Tracks[0].Name != "Bass\x1b]0;x\a" || len(v.errs) != 0 {
		t.Errorf("an unchanged rename changed the name to %q (%v)", st.Song().Tracks[0].Name, v.errs)
	}
}

// Typed names with ESC, BEL, DEL or a C1 character are refused with a
// message in the window's language; lyrics take line breaks and tabs but
// no other control character.
func TestTypedControlCharactersRefused(t *testing.T) {
	st, v, w := openOdd(t)

	for _, c := range []struct{ text, char string }{
		{"Gitar\x1b", "ESC) at character 6"}, {"\aGitar", "BEL) at character 1"},
		{"Gi\x7ftar", "DEL) at character 3"}, {"Gitar\u0085", "U+0085) at character 6"},
	} {
		closeDialogs(w)
		test.Tap(button(t, w, "Kor"))
		overlayEntry(t, w).SetText(c.text)
		test.Tap(button(t, w, "OK"))
		if got := st.Song().Tracks[1].Name; got != "Kor" {
			t.Fatalf("track renamed to %q", got)
		}
		want := "This name has an invisible control character (" + c.char + ". Names are plain text on one line: please remove it."
		if lastShown(v) != want {
			t.Errorf("renaming to %q: %q, want %q", c.text, lastShown(v), want)
		}
	}

	n := len(st.Song().Markers)
	closeDialogs(w)
	v.AddMarker()
	overlayEntry(t, w).SetText("Refreng\a")
	test.Tap(button(t, w, "OK"))
	if len(st.Song().Markers) != n {
		t.Fatal("a marker with BEL was added")
	}
	if want := "This name has an invisible control character (BEL) at character 8. Names are plain text on one line: please remove it."; lastShown(v) != want {
		t.Errorf("marker: %q", lastShown(v))
	}
	var te *projects.TextError
	if !errors.As(v.errs[len(v.errs)-1], &te) {
		t.Error("the shown error does not keep the refusal for the program")
	}

	// Lyrics: line breaks and tabs are fine; ESC is refused, and the box
	// goes back to what it had.
	lyrics := v.Lyrics()
	lyrics.SetText("Vers 1\n\tNår morgenen kommer\r\n")
	if got := st.Song().Lyrics; got != "Vers 1\n\tNår morgenen kommer\r\n" {
		t.Fatalf("lyrics with line breaks and tabs: %q", got)
	}
	errs := len(v.errs)
	lyrics.SetText("Vers 1\x1b[2J")
	if got := st.Song().Lyrics; got != "Vers 1\n\tNår morgenen kommer\r\n" || lyrics.Text != got {
		t.Errorf("lyrics after ESC: song %q, box %q", got, lyrics.Text)
	}
	if len(v.errs) != errs+1 || !strings.HasPrefix(lastShown(v), "The lyrics can have line breaks and tabs, but not other control characters: there is one (ESC) at character 7.") {
		t.Errorf("lyrics refusal: %q", lastShown(v))
	}

	// In Norwegian.
	i18n.Use("nb")
	defer i18n.Use("en")
	closeDialogs(w)
	v.AddMarker()
	overlayEntry(t, w).SetText("Bro\x1b")
	test.Tap(button(t, w, "OK"))
	if want := "Dette navnet har et usynlig kontrolltegn (ESC) ved tegn nummer 4. Navn er vanlig tekst på én linje: fjern det."; lastShown(v) != want {
		t.Errorf("Norwegian: %q", lastShown(v))
	}
}

// TestSectionNamesInNorwegian: the marker names offered are looked up
// through a variable, which the i18n test's search for literals cannot
// see; each must have its Norwegian name.
func TestSectionNamesInNorwegian(t *testing.T) {
	test.NewTempApp(t)
	i18n.Use("nb")
	t.Cleanup(func() { i18n.Use("en") })
	want := []string{"Intro", "Vers", "Refreng", "Bro", "Solo", "Outro"}
	for i, n := range songview.SectionNames() {
		if got := lang.L(n); got != want[i] {
			t.Errorf("%q in Norwegian is %q, want %q", n, got, want[i])
		}
	}
}

// TestSoundNamesInNorwegian: every General MIDI sound has its Norwegian
// name in translations/instruments.nb.json (looked up through a variable,
// which the i18n test's search for literals cannot see), and no two sounds
// share one.
func TestSoundNamesInNorwegian(t *testing.T) {
	test.NewTempApp(t)
	i18n.Use("nb")
	t.Cleanup(func() { i18n.Use("en") })
	data, err := os.ReadFile("../i18n/translations/instruments.nb.json")
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	if err := json.Unmarshal(data, &names); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for p := range 128 {
		en := synth.ProgramName(p)
		if _, ok := names[en]; !ok {
			t.Errorf("sound %d %q has no Norwegian name", p, en)
		}
		nb := soundNameOf(en)
		if seen[nb] {
			t.Errorf("two sounds are called %q", nb)
		}
		seen[nb] = true
	}
	if got := soundNameOf(synth.ProgramName(0)); got != "Akustisk flygel" {
		t.Errorf("sound 0 in Norwegian: %q", got)
	}
}

func soundNameOf(en string) string { return lang.L(en) }
