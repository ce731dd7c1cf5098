package history_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"sangstudio/internal/fuzzcheck"
	"sangstudio/internal/openfile"
	"sangstudio/projects"
	"sangstudio/projects/history"
)

// template is a song folder with a real history of two steps, as files:
// path (relative to the song folder) → bytes.
func template(t testing.TB) map[string][]byte {
	t.Helper()
	dir := songDir(t)
	if err := os.WriteFile(filepath.Join(dir, projects.AudioDir, "0001-Vokal.wav"), []byte("RIFF"), projects.FilePerm); err != nil {
		t.Fatal(err)
	}
	record(t, open(t, dir), 0, 2)
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[rel] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// materialize writes the template's files into a new song folder.
func materialize(t testing.TB, files map[string][]byte) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "song")
	for rel, b := range files {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), projects.DirPerm); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, projects.FilePerm); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func indexPath(dir string) string { return filepath.Join(dir, history.Dir, history.IndexFile) }

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// snapshotNames lists the snapshot files of a history folder.
func snapshotNames(t testing.TB, dir string) []string {
	var out []string
	for _, n := range historyFiles(t, dir) {
		if n != history.IndexFile {
			out = append(out, n)
		}
	}
	return out
}

// firstSnapshot is the path of the first snapshot file of the history in
// dir.
func firstSnapshot(t *testing.T, dir string) string {
	names := snapshotNames(t, dir)
	if len(names) == 0 {
		t.Fatal("no snapshots")
	}
	return filepath.Join(dir, history.Dir, names[0])
}

func TestDamagedHistory(t *testing.T) {
	tmpl := template(t)
	index := tmpl[filepath.Join(history.Dir, history.IndexFile)]
	replaceIndex := func(b []byte) func(*testing.T, string) {
		return func(t *testing.T, dir string) {
			if err := os.WriteFile(indexPath(dir), b, projects.FilePerm); err != nil {
				t.Fatal(err)
			}
		}
	}
	editIndex := func(old, new string) func(*testing.T, string) {
		return func(t *testing.T, dir string) {
			if !bytes.Contains(index, []byte(old)) {
				t.Fatalf("the index has no %q", old)
			}
			replaceIndex(bytes.Replace(index, []byte(old), []byte(new), 1))(t, dir)
		}
	}
	tests := []struct {
		name    string
		damage  func(*testing.T, string)
		wantWhy string
	}{
		{name: "cut off", damage: replaceIndex(index[:len(index)/2]), wantWhy: "the file ends too early (it was cut off)"},
		{name: "garbage", damage: replaceIndex([]byte("\x00\x01 garbage")), wantWhy: "not a valid history file"},
		{name: "empty", damage: replaceIndex(nil), wantWhy: "the file is empty"},
		{name: "a list", damage: replaceIndex([]byte("[1, 2]")), wantWhy: "not a valid history file"},
		{name: "another program's file", damage: replaceIndex([]byte(`{"format":"other","version":1}`)), wantWhy: "not a Sangstudio history file"},
		{name: "newer version", damage: editIndex(`"version": 1`, `"version": 2`), wantWhy: "written by a newer Sangstudio (history version 2)"},
		{name: "older version", damage: editIndex(`"version": 1`, `"version": 0`), wantWhy: "unknown history version 0"},
		{name: "unknown field", damage: editIndex(`"undo":`, `"extra": true, "undo":`), wantWhy: `unknown field "extra"`},
		{name: "data after the history", damage: replaceIndex(append(bytes.Clone(index), "{}"...)), wantWhy: "after top-level value"},
		{name: "bad snapshot name", damage: editIndex(`"before": "`, `"before": "../`), wantWhy: "which is not a snapshot name"},
		{name: "label with a line break", damage: editIndex(`"label": "Step 1"`, `"label": "Step\n1"`), wantWhy: "impossible label"},
		{name: "empty label", damage: editIndex(`"label": "Step 1"`, `"label": ""`), wantWhy: "impossible label"},
		{name: "step that changes nothing", damage: func(t *testing.T, dir string) {
			b := []byte(`{"format":"sangstudio-history","version":1,"undo":[{"label":"x","before":"` + sum(version(t, 0)) + `","after":"` + sum(version(t, 0)) + `"}],"redo":[]}`)
			replaceIndex(b)(t, dir)
		}, wantWhy: `step "x" changes nothing`},
		{name: "missing snapshot", damage: func(t *testing.T, dir string) {
			if err := os.Remove(firstSnapshot(t, dir)); err != nil {
				t.Fatal(err)
			}
		}, wantWhy: "no such file or directory"},
		{name: "changed snapshot", damage: func(t *testing.T, dir string) {
			p := firstSnapshot(t, dir)
			b, _ := os.ReadFile(p)
			if err := os.WriteFile(p, append(b, ' '), projects.FilePerm); err != nil {
				t.Fatal(err)
			}
		}, wantWhy: "was changed or damaged"},
		{name: "snapshot that is not a song", damage: func(t *testing.T, dir string) {
			junk := []byte(`{"schema":1}`)
			if err := os.WriteFile(filepath.Join(dir, history.Dir, sum(junk)+".json"), junk, projects.FilePerm); err != nil {
				t.Fatal(err)
			}
			replaceIndex([]byte(`{"format":"sangstudio-history","version":1,"undo":[{"label":"x","before":"`+sum(junk)+`","after":"`+sum(version(t, 1))+`"}],"redo":[]}`))(t, dir)
		}, wantWhy: "is not a song this Sangstudio can open"},
		{name: "index is a folder", damage: func(t *testing.T, dir string) {
			os.Remove(indexPath(dir))
			if err := os.Mkdir(indexPath(dir), projects.DirPerm); err != nil {
				t.Fatal(err)
			}
		}, wantWhy: "is a folder, not a file"},
		{name: "index is a FIFO", damage: func(t *testing.T, dir string) {
			os.Remove(indexPath(dir))
			if err := syscall.Mkfifo(indexPath(dir), 0o600); err != nil { // refused, not waited on
				t.Fatal(err)
			}
		}, wantWhy: "is a named pipe (FIFO), not a file"},
		{name: "index far too large", damage: replaceIndex(bytes.Repeat([]byte(" "), 2<<20)), wantWhy: "larger than"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { checkDamagedOpen(t, tmpl, tc.damage, tc.wantWhy) })
	}
}

// checkDamagedOpen makes the song of tmpl, damages its history and checks
// that Open sets the history aside as it was, saying why (wantWhy), and
// starts a new one that works, the song untouched.
func checkDamagedOpen(t *testing.T, tmpl map[string][]byte, damage func(*testing.T, string), wantWhy string) {
	dir := materialize(t, tmpl)
	damage(t, dir)
	song, _ := os.ReadFile(filepath.Join(dir, projects.SongFile))
	damagedIndex, _ := openfile.ReadFile(indexPath(dir)) // not waiting on a FIFO

	h, err := history.Open(dir)
	if h == nil {
		t.Fatalf("Open returned no History (error %v)", err)
	}
	var de *history.DamagedError
	if !errors.As(err, &de) {
		t.Fatalf("Open error = %v (%T), want a *DamagedError", err, err)
	}
	if !strings.Contains(de.Reason, wantWhy) {
		t.Fatalf("reason %q does not contain %q", de.Reason, wantWhy)
	}
	if de.Path != indexPath(dir) || de.SetAside != filepath.Join(dir, history.Dir+history.DamagedSuffix) {
		t.Fatalf("Path %q, SetAside %q", de.Path, de.SetAside)
	}
	if !strings.Contains(de.Error(), "set aside as "+de.SetAside) || !strings.Contains(de.Error(), "The song itself is not affected") {
		t.Fatalf("message: %s", de.Error())
	}
	wantLen(t, h, 0, 0)
	// The damaged history is kept aside as it was.
	if aside, err := openfile.ReadFile(filepath.Join(de.SetAside, history.IndexFile)); err == nil && !bytes.Equal(aside, damagedIndex) {
		t.Fatal("the set-aside history file differs from the damaged one")
	} else if err != nil && !errors.Is(err, openfile.ErrNotRegular) {
		t.Fatalf("the damaged history file was not set aside: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, history.Dir)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the damaged history is still in place: %v", err)
	}
	// The song and its takes are untouched.
	if now, _ := os.ReadFile(filepath.Join(dir, projects.SongFile)); !bytes.Equal(now, song) {
		t.Fatal("song.json changed")
	}
	if _, _, err := projects.Load(dir); err != nil {
		t.Fatalf("the song no longer loads: %v", err)
	}
	// The new history works and opens cleanly.
	record(t, h, 0, 1)
	h2, err := history.Open(dir)
	if err != nil {
		t.Fatalf("reopening: %v", err)
	}
	wantLen(t, h2, 1, 0)
}

// TestDamagedTwice: a second damaged history replaces the first one set
// aside.
func TestDamagedTwice(t *testing.T) {
	dir := songDir(t)
	for i, junk := range []string{"first", "second"} {
		if err := os.MkdirAll(filepath.Join(dir, history.Dir), projects.DirPerm); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(indexPath(dir), []byte(junk), projects.FilePerm); err != nil {
			t.Fatal(err)
		}
		_, err := history.Open(dir)
		var de *history.DamagedError
		if !errors.As(err, &de) || de.SetAside == "" {
			t.Fatalf("round %d: Open = %v", i+1, err)
		}
		if b, _ := os.ReadFile(filepath.Join(de.SetAside, history.IndexFile)); string(b) != junk {
			t.Fatalf("round %d: set aside %q, want %q", i+1, b, junk)
		}
	}
}

func TestOpenMissing(t *testing.T) {
	tests := []struct {
		name string
		dir  func(t *testing.T) string
	}{
		{name: "no song folder", dir: func(t *testing.T) string { return filepath.Join(t.TempDir(), "nowhere") }},
		{name: "no history folder", dir: func(t *testing.T) string { return songDir(t) }},
		{name: "history folder without index", dir: func(t *testing.T) string {
			d := songDir(t)
			if err := os.MkdirAll(filepath.Join(d, history.Dir), projects.DirPerm); err != nil {
				t.Fatal(err)
			}
			// An orphan snapshot from an interrupted write is removed at the next write.
			if err := os.WriteFile(filepath.Join(d, history.Dir, sum([]byte("x"))+".json"), []byte("x"), projects.FilePerm); err != nil {
				t.Fatal(err)
			}
			return d
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := tc.dir(t)
			h := open(t, dir)
			wantLen(t, h, 0, 0)
			record(t, h, 0, 1)
			if names := snapshotNames(t, dir); len(names) != 2 {
				t.Fatalf("snapshot files %v, want 2", names)
			}
		})
	}
}

// TestOpenUnreadable: a history the program may not read is an error, not
// damage: nothing is moved.
func TestOpenUnreadable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root: file permissions do not stop reads")
	}
	dir := songDir(t)
	record(t, open(t, dir), 0, 1)
	if err := os.Chmod(indexPath(dir), 0); err != nil {
		t.Fatal(err)
	}
	h, err := history.Open(dir)
	var de *history.DamagedError
	if h != nil || err == nil || errors.As(err, &de) {
		t.Fatalf("Open = %v, %v", h, err)
	}
	if _, err := os.Stat(indexPath(dir)); err != nil {
		t.Fatal("the history was moved")
	}
}

// FuzzOpen writes arbitrary bytes as the history file of a song whose
// history folder holds real snapshots: Open must never panic, and must
// return either a history that opens the same way again or a
// *DamagedError with an empty one, never touching the song. (Undo and
// Redo of accepted histories are left to the other tests: each writes and
// fsyncs, which would slow the fuzzer to a crawl.)
func FuzzOpen(f *testing.F) {
	tmpl := template(f)
	index := tmpl[filepath.Join(history.Dir, history.IndexFile)]
	f.Add(index)
	f.Add(index[:len(index)-3])
	f.Add([]byte{})
	f.Add([]byte("{}"))
	f.Add([]byte(`{"format":"sangstudio-history","version":1,"undo":[],"redo":[]}`))
	f.Add([]byte(`{"format":"sangstudio-history","version":1,"undo":null,"redo":[{"label":"a","before":"","after":""}]}`))
	f.Add(bytes.Replace(index, []byte(`"undo"`), []byte(`"redo"`), 1))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := materialize(t, tmpl)
		if err := os.WriteFile(indexPath(dir), data, projects.FilePerm); err != nil {
			t.Fatal(err)
		}
		song := tmpl[projects.SongFile]
		var h *history.History
		var err error
		fuzzcheck.Call(t, len(data), fuzzcheck.Limit{Base: 4 << 20, PerByte: 64}, func() { h, err = history.Open(dir) })
		if h == nil {
			t.Fatalf("Open returned no History: %v", err)
		}
		if err != nil {
			var de *history.DamagedError
			if !errors.As(err, &de) {
				t.Fatalf("Open error is not a *DamagedError: %v", err)
			}
			if u, r := h.Len(); u != 0 || r != 0 {
				t.Fatalf("a damaged history has %d, %d steps", u, r)
			}
		}
		h.Matches(song)
		if err == nil {
			// An accepted history opens the same way again (Open only
			// reads it), with labels fit for a menu.
			h2, err := history.Open(dir)
			if err != nil {
				t.Fatalf("an accepted history is damaged when opened again: %v", err)
			}
			u, r := h.Len()
			u2, r2 := h2.Len()
			if u != u2 || r != r2 || h.UndoLabel() != h2.UndoLabel() || h.RedoLabel() != h2.RedoLabel() {
				t.Fatal("opening the same history twice gave different histories")
			}
			for _, l := range []string{h.UndoLabel(), h.RedoLabel()} {
				if strings.ContainsAny(l, "\x00\n\r") || len(l) > history.MaxLabel {
					t.Fatalf("label %q accepted", l)
				}
			}
		}
		if now, _ := os.ReadFile(filepath.Join(dir, projects.SongFile)); !bytes.Equal(now, song) {
			t.Fatal("song.json changed")
		}
	})
}
