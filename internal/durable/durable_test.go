package durable

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func names(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.json")
	for _, data := range []string{"one", "two"} {
		if err := WriteFile(p, []byte(data), 0o640); err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(p); string(got) != data {
			t.Errorf("read %q, want %q", got, data)
		}
	}
	if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v (%v), want 0640", fi.Mode(), err)
	}
	if got := names(t, dir); len(got) != 1 {
		t.Errorf("folder holds %v, want only a.json", got)
	}
	if err := WriteFile(filepath.Join(dir, "no", "b"), nil, 0o600); err == nil {
		t.Error("writing into a missing folder succeeded")
	}
}

// A streamed file appears under its name only when committed; an aborted
// one leaves the earlier file as it was and nothing else.
func TestCreateCommitAbort(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "take.wav")
	f, err := Create(p, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if f.Path() != p || !IsTempName(filepath.Base(f.Name())) {
		t.Errorf("Path %s, temporary name %s", f.Path(), f.Name())
	}
	f.WriteString("first")
	if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the file is there before Commit: %v", err)
	}
	// A writer that closes what it writes to (a WAV writer) may close it.
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	f.Abort() // after Commit: nothing
	if got, _ := os.ReadFile(p); string(got) != "first" {
		t.Errorf("read %q", got)
	}
	if err := f.Commit(); err == nil {
		t.Error("a second Commit succeeded")
	}

	g, err := Create(p, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	g.WriteString("second, given up")
	g.Abort()
	g.Abort()
	if got, _ := os.ReadFile(p); string(got) != "first" {
		t.Errorf("after Abort read %q", got)
	}
	if got := names(t, dir); len(got) != 1 {
		t.Errorf("folder holds %v, want only take.wav", got)
	}
	// The temporary file's lock was given up: the next writer may take it.
	if got := RemoveStaleTemps(dir); len(got) != 0 {
		t.Errorf("left %v", got)
	}
}

func TestFinish(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "x"))
	if err != nil {
		t.Fatal(err)
	}
	werr := errors.New("write failed")
	if err := Finish(f, werr); err != werr {
		t.Errorf("Finish returned %v, want the write's error", err)
	}
	if err := f.Close(); !errors.Is(err, os.ErrClosed) {
		t.Errorf("the file was not closed: %v", err)
	}
}

func gens(dir string) Generations {
	return Generations{
		Path: filepath.Join(dir, "doc.json"),
		Keep: 3,
		Temp: "doc.json.tmp-*",
		Perm: 0o600,
		Valid: func(b []byte) error {
			if !strings.HasPrefix(string(b), "ok") {
				return errors.New("damaged")
			}
			return nil
		},
	}
}

func read(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		return "(" + err.Error() + ")"
	}
	return string(b)
}

func TestGenerationsKeepEarlierCopies(t *testing.T) {
	dir := t.TempDir()
	g := gens(dir)
	stale := filepath.Join(dir, "doc.json.tmp-999")
	os.WriteFile(stale, []byte("x"), 0o600)
	for i := 1; i <= 5; i++ {
		if err := g.Save([]byte("ok "+string(rune('0'+i))), nil); err != nil {
			t.Fatal(err)
		}
	}
	want := map[int]string{0: "ok 5", 1: "ok 4", 2: "ok 3", 3: "ok 2"}
	for i, w := range want {
		if got := read(t, g.Name(i)); got != w {
			t.Errorf("%s holds %q, want %q", g.Name(i), got, w)
		}
	}
	if _, err := os.Stat(g.Name(4)); err == nil {
		t.Error("more generations kept than Keep")
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("a killed save's temporary file is still there")
	}
	if fi, _ := os.Stat(g.Path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", fi.Mode())
	}

	// A damaged current file is set aside, not kept as a generation.
	os.WriteFile(g.Path, []byte("garbage"), 0o600)
	if err := g.Save([]byte("ok 6"), nil); err != nil {
		t.Fatal(err)
	}
	if got := read(t, g.Name(1)); got != "ok 4" {
		t.Errorf("generation 1 is %q after a damaged file", got)
	}
	aside, _ := filepath.Glob(g.Path + ".damaged-*")
	if len(aside) != 1 || read(t, aside[0]) != "garbage" {
		t.Errorf("set aside: %v", aside)
	}

	// Earlier opens the newest generation that opens.
	open := func(p string) (string, error) {
		s := read(t, p)
		if s == "ok 4" {
			return "", errors.New("refused")
		}
		return s, nil
	}
	v, rec, ok := Earlier(g, open, os.ErrNotExist)
	if !ok || v != "ok 3" || rec.From != "doc.json.2" || rec.SavedAt.IsZero() || rec.File != "doc.json" || rec.Reason != "the file is missing" {
		t.Errorf("Earlier = %q %+v %v", v, rec, ok)
	}
	if s := rec.String(); !strings.HasPrefix(s, "doc.json was damaged (the file is missing); opened the copy saved ") || !strings.HasSuffix(s, " (doc.json.2)") {
		t.Errorf("Recovery says %q", s)
	}
	if _, _, ok := Earlier(g, func(string) (int, error) { return 0, errors.New("no") }, os.ErrNotExist); ok {
		t.Error("Earlier found one where none opens")
	}
}

// A save stopped at any step (as a crash would stop it) leaves the file
// old or new, and the next save completes.
func TestGenerationsSaveStoppedAnywhere(t *testing.T) {
	for stop := 1; stop <= gens("").Steps(); stop++ {
		dir := t.TempDir()
		g := gens(dir)
		g.Save([]byte("ok old"), nil)
		g.Save([]byte("ok old"), nil)
		if err := g.Save([]byte("ok new"), func(n int) bool { return n < stop }); err != nil {
			t.Fatalf("stop %d: %v", stop, err)
		}
		if got := read(t, g.Path); got != "ok old" && got != "ok new" {
			t.Errorf("stop %d: the file holds %q", stop, got)
		}
		if err := g.Save([]byte("ok next"), nil); err != nil {
			t.Fatalf("stop %d: next save: %v", stop, err)
		}
		if got := read(t, g.Path); got != "ok next" {
			t.Errorf("stop %d: after the next save %q", stop, got)
		}
		if tmps, _ := filepath.Glob(filepath.Join(dir, g.Temp)); len(tmps) != 0 {
			t.Errorf("stop %d: temporary files left: %v", stop, tmps)
		}
	}
}

// A damaged folder is set aside under a fixed name, replacing an earlier
// one set aside there.
func TestSetAsideReplaces(t *testing.T) {
	dir := t.TempDir()
	h, aside := filepath.Join(dir, ".history"), filepath.Join(dir, ".history.damaged")
	os.MkdirAll(filepath.Join(aside, "old"), 0o700)
	os.MkdirAll(filepath.Join(h, "new"), 0o700)
	if err := SetAside(h, aside); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(aside, "new")); err != nil {
		t.Error(err)
	}
	if _, err := os.Stat(filepath.Join(aside, "old")); err == nil {
		t.Error("the earlier one set aside is still there")
	}
	if _, err := os.Stat(h); err == nil {
		t.Error("the damaged folder is still in its place")
	}
	if err := SetAside(h, aside); err == nil {
		t.Error("setting aside a missing folder succeeded")
	}
	if n := DamagedName("/x/song.json"); !strings.HasPrefix(n, "/x/song.json.damaged-2") {
		t.Errorf("DamagedName = %s", n)
	}
}
