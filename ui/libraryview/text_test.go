package libraryview

import (
	"path/filepath"
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"

	"sangstudio/projects"
	"sangstudio/projects/library"
)

// A song title from a file with control characters is listed with them as
// symbols; a new title typed with one is refused in plain words, and
// renaming to the title as shown, unchanged, changes nothing.
func TestTitlesWithControlCharacters(t *testing.T) {
	test.NewTempApp(t)
	useLang(t, "en")
	lib, err := library.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(lib.Root, "Red")
	if err := projects.Create(dir, projects.New("Red\x1b[31m\a", 48000)); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, lib, nil)
	if got := h.titles(); !slices.Equal(got, []string{"Red␛[31m␇"}) {
		t.Fatalf("titles %q", got)
	}

	h.tap("New song")
	h.entry().SetText("Sol\x1bskinn")
	h.tap("Make the song")
	want := "This name has an invisible control character (ESC) at character 4. Names are plain text on one line: please remove it."
	h.wait("the refusal", func() bool { return shows(h.top(), want) })
	settle(h.q)
	if len(h.opened) != 0 {
		t.Fatalf("a song was made: %v", h.opened)
	}
	if es, _ := lib.List(); len(es) != 1 {
		t.Fatalf("songs after the refusal: %+v", es)
	}
	h.tap("OK")

	test.Tap(h.v.rows[dir].more)
	h.tap("Rename…")
	if e := h.entry(); e.Text != "Red␛[31m␇" {
		t.Fatalf("rename starts with %q", e.Text)
	}
	h.tap("Rename")
	settle(h.q)
	if s, _, err := projects.Load(dir); err != nil || s.Title != "Red\x1b[31m\a" {
		t.Fatalf("an unchanged rename changed the title: %q %v", s.Title, err)
	}
}
