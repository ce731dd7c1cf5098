package album

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sangstudio/projects"
)

func TestResolve(t *testing.T) {
	root := t.TempDir()
	elsewhere := t.TempDir()
	makeSong(t, filepath.Join(root, "Morgenlys"), "Morgenlys", "Kari", 222)
	makeSong(t, filepath.Join(elsewhere, "Kveld"), "Kveldssang", "", 61)
	makeSong(t, filepath.Join(root, "Uten-tittel"), "", "", 0)
	albumDir, err := Create(root, "Min CD")
	if err != nil {
		t.Fatal(err)
	}
	a, _, err := Load(albumDir)
	if err != nil {
		t.Fatal(err)
	}
	a.Performer = "Solstua kor"
	a.Add(Rel(root, filepath.Join(root, "Morgenlys")))
	a.Add(Rel(root, filepath.Join(elsewhere, "Kveld")))
	a.Add("Uten-tittel")
	a.Add("Morgenlys")
	a.Tracks[0].Gap = 0 // track 1 still gets 2 s
	a.Tracks[1].Gap = 0 // a live transition
	a.Tracks[3].Title = "Morgenlys (reprise)"
	a.Tracks[3].Performer = "Alle"
	a.Tracks[3].Gap = 4.5
	if a.Tracks[0].Song != "Morgenlys" || a.Tracks[1].Song != filepath.Join(elsewhere, "Kveld") {
		t.Fatalf("stored song folders %+v", a.Tracks)
	}
	if err := Save(albumDir, a); err != nil {
		t.Fatal(err)
	}
	rs, err := a.Resolve(albumDir)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		dir, title, performer string
		gap                   float64
		length                time.Duration
	}{
		{filepath.Join(root, "Morgenlys"), "Morgenlys", "Kari", 2, 222 * time.Second},
		{filepath.Join(elsewhere, "Kveld"), "Kveldssang", "Solstua kor", 0, 61 * time.Second},
		{filepath.Join(root, "Uten-tittel"), "Uten-tittel", "Solstua kor", 2, 0},
		{filepath.Join(root, "Morgenlys"), "Morgenlys (reprise)", "Alle", 4.5, 222 * time.Second},
	}
	if len(rs) != len(want) {
		t.Fatalf("%d resolved tracks", len(rs))
	}
	for i, w := range want {
		r := rs[i]
		if r.Dir != w.dir || r.Title != w.title || r.Performer != w.performer || r.Gap != w.gap || r.Song == nil || r.Length() != w.length {
			t.Errorf("track %d: %+v (length %v), want %+v", i+1, r, r.Length(), w)
		}
	}
	rows := Rows(rs)
	if rows[0] != (InsertRow{Title: "Morgenlys", Performer: "Kari", Length: 222 * time.Second}) {
		t.Errorf("row 1: %+v", rows[0])
	}

	// A relative album folder works the same.
	wd, _ := os.Getwd()
	if err := os.Chdir(root); err != nil {
		t.Fatal(err)
	}
	rs2, err := a.Resolve(filepath.Base(albumDir))
	os.Chdir(wd)
	if err != nil || rs2[0].Dir != filepath.Join(root, "Morgenlys") {
		t.Fatalf("relative album folder: %v, %+v", err, rs2)
	}
}

func TestResolveProblems(t *testing.T) {
	root := t.TempDir()
	makeSong(t, filepath.Join(root, "Morgenlys"), "Morgenlys", "", 30)
	makeSong(t, filepath.Join(root, "Skadet"), "Skadet", "", 30)
	makeSong(t, filepath.Join(root, "Uten-lyd"), "Uten lyd", "", 30)
	os.WriteFile(filepath.Join(root, "Skadet", projects.SongFile), []byte("{\"schema\": 1, \"ti"), 0o600)
	for i := 1; i <= projects.Generations; i++ {
		os.Remove(filepath.Join(root, "Skadet", projects.SongFile+"."+string(rune('0'+i))))
	}
	os.Remove(filepath.Join(root, "Uten-lyd", projects.AudioDir, "0001-Vokal.wav"))
	os.Mkdir(filepath.Join(root, "Bare-en-mappe"), 0o700)

	albumDir := filepath.Join(root, "CD")
	a := New("CD")
	a.Add("Morgenlys")
	a.Add("Slettet")
	a.Add("Skadet")
	a.Add("Uten-lyd")
	a.Add("Bare-en-mappe")
	a.Tracks[1].Title = "Sangen som ble slettet"
	rs, err := a.Resolve(albumDir)
	var re *ResolveError
	if !errors.As(err, &re) {
		t.Fatalf("error %v (%T)", err, err)
	}
	if len(rs) != 5 || rs[0].Song == nil || rs[1].Song != nil {
		t.Fatalf("resolved %+v", rs)
	}
	if rs[1].Title != "Sangen som ble slettet" || rs[2].Title != "Skadet" || rs[1].Gap != DefaultGap {
		t.Errorf("defaults for unopened songs: %+v", rs)
	}
	want := []struct {
		track int
		dir   string
		text  string
		is    error
	}{
		{2, "Slettet", "the song was deleted or moved", ErrSongMissing},
		{3, "Skadet", "cut off", nil},
		{4, "Uten-lyd", "recordings are missing: a clip points at a missing file: audio/0001-Vokal.wav", nil},
		{5, "Bare-en-mappe", "no song.json", ErrNotASong},
	}
	if len(re.Tracks) != len(want) {
		t.Fatalf("problems: %v", err)
	}
	for i, w := range want {
		te := re.Tracks[i]
		msg := te.Error()
		dir := filepath.Join(root, w.dir)
		if te.Track != w.track || te.Dir != dir || !strings.Contains(msg, w.text) ||
			!strings.HasPrefix(msg, "track "+string(rune('0'+w.track))+" ("+dir+"): ") {
			t.Errorf("problem %d: %q (%+v)", i, msg, te)
		}
		if w.is != nil && !errors.Is(err, w.is) {
			t.Errorf("errors.Is(%v, %v) is false", err, w.is)
		}
	}
	if !strings.Contains(err.Error(), "and 3 more tracks with problems") {
		t.Errorf("summary: %v", err)
	}

	// An empty song path is a problem, not a panic.
	b := New("x")
	b.Tracks = []Track{{Song: ""}}
	if _, err := b.Resolve(albumDir); !errors.Is(err, ErrNoSong) {
		t.Fatalf("empty song: %v", err)
	}
}
