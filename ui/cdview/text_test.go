package cdview_test

import (
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"sangstudio/projects"
	"sangstudio/projects/album"
	"sangstudio/ui/cdview"
	"sangstudio/ui/i18n"
)

// The CD's title typed with a control character is refused (the album
// keeps its title, the status line says why, in the window's language); a
// song title from a file with control characters shows them as symbols.
func TestCDTitleWithControlCharacterRefused(t *testing.T) {
	test.NewTempApp(t)
	i18n.Use("en")
	root := t.TempDir()
	a := filepath.Join(root, "A")
	if err := projects.Create(a, projects.New("Red\x1b[31m!", 48000)); err != nil {
		t.Fatal(err)
	}
	v := cdview.New(cdview.Options{Post: post, Root: root, Song: a, SongTitle: "Red\x1b[31m!"})
	w := test.NewTempWindow(t, v.Content())
	w.Resize(fyne.NewSize(1200, 900))
	if markup := test.RenderToMarkup(w.Canvas()); !strings.Contains(markup, "New CD with “Red␛[31m!”") || strings.Contains(markup, "\x1b") {
		t.Errorf("the song's title is not shown with a symbol for ESC")
	}
	v.NewAlbum()
	waitFor(t, "the new CD", func() bool { return v.Album() != nil && v.Loaded() })
	if markup := test.RenderToMarkup(w.Canvas()); !strings.Contains(markup, "Red␛[31m!") || strings.Contains(markup, "\x1b") {
		t.Errorf("the track's title is not shown with a symbol for ESC")
	}
	before := v.Album().Title
	v.SetTitle("Høst\x1b[2J")
	if v.Album().Title != before {
		t.Fatalf("the album's title became %q", v.Album().Title)
	}
	if want := "This name has an invisible control character (ESC) at character 5. Names are plain text on one line: please remove it."; v.Status() != want {
		t.Errorf("status %q, want %q", v.Status(), want)
	}
	v.SetTitle("Høstkonsert")
	if v.Album().Title != "Høstkonsert" || v.Status() != "" {
		t.Errorf("after a plain title: %q, status %q", v.Album().Title, v.Status())
	}
	// The album is saved on a goroutine: wait for it, or the test's folder
	// is removed while it writes.
	waitSaved(t, v, root)
}

// waitSaved waits until the one album under root is on disk as the view
// has it (its title and songs): albums are saved on a goroutine, and the
// test's folder must not be removed while one writes (after a save renames
// album.json into place, nothing more is written).
func waitSaved(t *testing.T, v *cdview.View, root string) {
	t.Helper()
	want := v.Album()
	waitFor(t, "the album saved as "+want.Title, func() bool {
		dirs, _ := filepath.Glob(filepath.Join(root, "*", album.FileName))
		if len(dirs) != 1 {
			return false
		}
		a, _, err := album.Load(filepath.Dir(dirs[0]))
		return err == nil && a.Title == want.Title && len(a.Tracks) == len(want.Tracks)
	})
}
