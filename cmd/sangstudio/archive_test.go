package main

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"sangstudio/projects"
)

// TestArchiveCommands: a song goes out as a zip and comes back into another
// library equal; an unsafe archive is refused with exit status 1, a message
// naming the archive and the entry, and nothing changed.
func TestArchiveCommands(t *testing.T) {
	demo := filepath.Join(t.TempDir(), "Morgenlys")
	mustSang(t, "demo", demo)
	zp := filepath.Join(t.TempDir(), "morgenlys.zip")
	out := mustSang(t, "archive", demo, zp)
	if !strings.Contains(out, zp) {
		t.Errorf("archive said %q", out)
	}
	if code, _, errs := sang(t, "archive", demo, zp); code != 1 || !strings.Contains(errs, "already exists") {
		t.Errorf("archive over an existing file: exit %d, %q", code, errs)
	}
	lib := filepath.Join(t.TempDir(), "Sangstudio") // made by unarchive
	out = mustSang(t, "unarchive", zp, lib)
	dir := filepath.Join(lib, "Morgenlys")
	if !strings.Contains(out, dir) {
		t.Errorf("unarchive said %q", out)
	}
	a, _, err1 := projects.Load(demo)
	b, _, err2 := projects.Load(dir)
	if err1 != nil || err2 != nil || !reflect.DeepEqual(a, b) {
		t.Fatalf("the song changed on the way: %v %v", err1, err2)
	}
	out = mustSang(t, "unarchive", zp, lib)
	if !strings.Contains(out, filepath.Join(lib, "Morgenlys 2")) {
		t.Errorf("second unarchive said %q", out)
	}

	// A zip-slip archive.
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("Morgenlys/song.json")
	data, _ := os.ReadFile(filepath.Join(demo, projects.SongFile))
	w.Write(data)
	w, _ = zw.Create("../evil.sh")
	w.Write([]byte("#!/bin/sh\n"))
	zw.Close()
	bad := filepath.Join(t.TempDir(), "bad.zip")
	os.WriteFile(bad, buf.Bytes(), 0o600)
	before, _ := os.ReadDir(lib)
	code, _, errs := sang(t, "unarchive", bad, lib)
	if code != 1 || !strings.Contains(errs, bad) || !strings.Contains(errs, `"../evil.sh"`) || !strings.Contains(errs, "Nothing was changed") {
		t.Errorf("unsafe archive: exit %d, %q", code, errs)
	}
	after, _ := os.ReadDir(lib)
	if len(after) != len(before) {
		t.Errorf("the library changed: %v → %v", before, after)
	}
	if _, err := os.Lstat(filepath.Join(filepath.Dir(lib), "evil.sh")); err == nil {
		t.Error("evil.sh was written beside the library")
	}
	for _, args := range [][]string{{"archive", demo}, {"unarchive", zp}, {"archive", demo, zp, "x"}} {
		if code, _, _ := sang(t, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	if code, _, errs := sang(t, "archive", t.TempDir(), filepath.Join(t.TempDir(), "x.zip")); code != 1 || !strings.Contains(errs, "not a song") {
		t.Errorf("archive of a non-song: exit %d %q", code, errs)
	}
}
