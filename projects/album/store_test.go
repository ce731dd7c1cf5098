package album

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sangstudio/projects"
	"sangstudio/projects/library"
)

func TestSaveKeepsGenerations(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "Min-CD")
	a := New("v0")
	if err := Save(dir, a); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 8; i++ {
		a.Title = fmt.Sprintf("v%d", i)
		if err := Save(dir, a); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i <= Generations; i++ {
		got, err := loadFile(generationPath(dir, i))
		if err != nil {
			t.Fatalf("generation %d: %v", i, err)
		}
		if want := fmt.Sprintf("v%d", 8-i); got.Title != want {
			t.Errorf("generation %d is %q, want %q", i, got.Title, want)
		}
		fi, _ := os.Stat(generationPath(dir, i))
		if fi.Mode().Perm() != projects.FilePerm {
			t.Errorf("generation %d: mode %v", i, fi.Mode().Perm())
		}
	}
	if _, err := os.Stat(generationPath(dir, Generations+1)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a 6th generation exists: %v", err)
	}
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != projects.DirPerm {
		t.Errorf("folder mode %v", fi.Mode().Perm())
	}
	if a.Generator != "Sangstudio" || a.Schema != Schema {
		t.Errorf("Save did not set schema and generator: %+v", a)
	}
	des, _ := os.ReadDir(dir)
	for _, de := range des {
		if strings.Contains(de.Name(), "tmp") {
			t.Errorf("left a temporary file: %s", de.Name())
		}
	}
	// An invalid album is not saved and album.json stays as it was.
	a.Tracks = append(a.Tracks, Track{Song: "", Gap: 2})
	if err := Save(dir, a); err == nil || !strings.Contains(err.Error(), "not saved") {
		t.Fatalf("invalid album: %v", err)
	}
	if got, _, err := Load(dir); err != nil || got.Title != "v8" {
		t.Fatalf("after a refused save: %+v, %v", got, err)
	}
}

func TestLoadRecovers(t *testing.T) {
	dir := t.TempDir()
	a := New("v1")
	a.Add("Morgenlys")
	for i := 1; i <= 3; i++ {
		a.Title = fmt.Sprintf("v%d", i)
		if err := Save(dir, a); err != nil {
			t.Fatal(err)
		}
	}
	// album.json.1 (v2) is a hard link of what album.json was; damage the
	// newest earlier copy too, so recovery must skip it.
	path := filepath.Join(dir, FileName)
	data, _ := os.ReadFile(path)
	if err := os.WriteFile(path, data[:len(data)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(generationPath(dir, 1), []byte("{\"schema\": 1, \"title\": 5}"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, rec, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "v1" || len(got.Tracks) != 1 {
		t.Fatalf("recovered %+v, want v1", got)
	}
	if rec == nil || rec.From != FileName+".2" || !strings.Contains(rec.Reason, "cut off") || rec.SavedAt.IsZero() {
		t.Fatalf("recovery %+v", rec)
	}
	if s := rec.String(); !strings.Contains(s, "album.json was damaged") || !strings.Contains(s, "album.json.2") {
		t.Fatalf("recovery text %q", s)
	}
	// List says so too.
	es, err := List(filepath.Dir(dir))
	if err != nil || len(es) != 1 || es[0].Problem != ProblemRecovered || es[0].Title != "v1" {
		t.Fatalf("List: %+v, %v", es, err)
	}
	// Saving again puts the damaged file aside and keeps good generations.
	got.Title = "v4"
	if err := Save(dir, got); err != nil {
		t.Fatal(err)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, FileName+".damaged-*")); len(m) != 1 {
		t.Errorf("damaged copy kept aside: %v", m)
	}
	if g, rec, err := Load(dir); err != nil || rec != nil || g.Title != "v4" {
		t.Fatalf("after saving: %+v %v %v", g, rec, err)
	}

	// Every generation damaged: an error naming album.json.
	for i := 0; i <= Generations; i++ {
		os.WriteFile(generationPath(dir, i), []byte("{\"schema\": 1, \"ti"), 0o600)
	}
	_, _, err = Load(dir)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "no earlier copy could be opened") {
		t.Fatalf("all damaged: %v", err)
	}
}

func TestLoadNewerAndMissing(t *testing.T) {
	dir := t.TempDir()
	if err := Save(dir, New("gammel")); err != nil {
		t.Fatal(err)
	}
	if err := Save(dir, New("gammel 2")); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, FileName), []byte(`{"schema": 3, "title": "ny", "tracks": []}`), 0o600)
	_, _, err := Load(dir)
	var se *SchemaError
	if !errors.As(err, &se) || !strings.Contains(err.Error(), "newer Sangstudio") {
		t.Fatalf("newer album opened from an older copy, or a vague error: %v", err)
	}
	es, _ := List(filepath.Dir(dir))
	if len(es) != 1 || es[0].Problem != ProblemNewer {
		t.Fatalf("List of a newer album: %+v", es)
	}
	_, _, err = Load(t.TempDir())
	if !errors.Is(err, ErrNotAnAlbum) {
		t.Fatalf("empty folder: %v", err)
	}
}

func makeSong(t *testing.T, dir, title, performer string, seconds int) {
	t.Helper()
	s := projects.New(title, 48000)
	s.Performer = performer
	tr := projects.NewTrack("Vokal", 1)
	if seconds > 0 {
		tr.Clips = append(tr.Clips, projects.Clip{Take: "0001-Vokal.wav", Length: int64(seconds) * 48000})
	}
	s.Tracks = append(s.Tracks, tr)
	if err := os.MkdirAll(filepath.Join(dir, projects.AudioDir), projects.DirPerm); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, projects.AudioDir, "0001-Vokal.wav"), []byte("RIFF"), projects.FilePerm); err != nil {
		t.Fatal(err)
	}
	if err := projects.Create(dir, s); err != nil {
		t.Fatal(err)
	}
}

func TestCreateAndList(t *testing.T) {
	root := t.TempDir()
	makeSong(t, filepath.Join(root, "Morgenlys"), "Morgenlys", "", 10)
	var dirs []string
	for _, title := range []string{"Min CD", "min cd", "Min CD", "  ", "Sommer\n2025"} {
		d, err := Create(root, title)
		if err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, filepath.Base(d))
		time.Sleep(10 * time.Millisecond) // distinct mtimes for the order
	}
	want := []string{"Min-CD", "min-cd 2", "Min-CD 3", "Album", "Sommer-2025"}
	for i := range want {
		if dirs[i] != want[i] {
			t.Fatalf("folders %q, want %q", dirs, want)
		}
	}
	if d, err := Create(root, "Morgenlys"); err != nil || filepath.Base(d) != "Morgenlys 2" {
		t.Fatalf("album named like a song: %s, %v", d, err)
	}
	a, _, err := Load(filepath.Join(root, "Album"))
	if err != nil || a.Title != "Album" || len(a.Tracks) != 0 {
		t.Fatalf("blank title: %+v, %v", a, err)
	}
	if a, _, _ := Load(filepath.Join(root, "Sommer-2025")); a.Title != "Sommer 2025" {
		t.Fatalf("title with a line break stored as %q", a.Title)
	}

	// Things List must skip: hidden folders, the bin, links, plain files.
	hiddenAlbum := filepath.Join(root, ".skjult")
	if err := Save(hiddenAlbum, New("skjult")); err != nil {
		t.Fatal(err)
	}
	if err := Save(filepath.Join(root, ".bin", "Gammel CD 2025-01-01 120000"), New("slettet")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(root, "Min-CD"), filepath.Join(root, "Lenke")); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(root, FileName), []byte("{}"), 0o600)
	os.Mkdir(filepath.Join(root, "Tom mappe"), 0o700)

	es, err := List(root)
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, e := range es {
		titles = append(titles, e.Title)
		if e.Problem != "" || e.Modified.IsZero() || e.Tracks != 0 || filepath.Dir(e.Dir) != root {
			t.Errorf("entry %+v", e)
		}
	}
	// Newest first.
	if got, want := strings.Join(titles, "|"), "Morgenlys|Sommer 2025|Album|Min CD|min cd|Min CD"; got != want {
		t.Fatalf("List titles %q, want %q", got, want)
	}
	if es[0].Dir != filepath.Join(root, "Morgenlys 2") {
		t.Fatalf("first entry %s", es[0].Dir)
	}

	// The song library must not show album folders as songs.
	lib, err := library.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	songs, err := lib.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(songs) != 1 || songs[0].Name != "Morgenlys" {
		var names []string
		for _, s := range songs {
			names = append(names, s.Name)
		}
		t.Fatalf("library.List shows %q; want only the song Morgenlys", names)
	}
}

func TestListProblems(t *testing.T) {
	root := t.TempDir()
	bad := filepath.Join(root, "Skadet")
	os.Mkdir(bad, 0o700)
	os.WriteFile(filepath.Join(bad, FileName), []byte("not json"), 0o600)
	es, err := List(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 1 || es[0].Title != "Skadet" || !strings.HasPrefix(es[0].Problem, "cannot be read: ") {
		t.Fatalf("damaged album: %+v", es)
	}
	if _, err := List(filepath.Join(root, "finnes ikke")); err == nil {
		t.Fatal("List of a missing folder succeeded")
	}
}
