package durable

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"sangstudio/internal/filelock"
)

func TestIsTempName(t *testing.T) {
	for name, want := range map[string]bool{
		".mix.wav.tmp-sangstudio-123":         true,
		".01-Vokal.wav.tmp-sangstudio-9":      true,
		".history.json.tmp-sangstudio-42":     true,
		".mix.wav.tmp-sangstudio-":            false,
		".mix.wav.tmp-sangstudio-12a":         false,
		"mix.wav.tmp-sangstudio-123":          false, // not hidden: not ours
		".mix.wav.tmp-123":                    false, // another program's (or an old) name
		".mix.wav.part":                       false,
		"song.json.tmp-123":                   false,
		".import-123.tmp":                     false,
		".tmp-sangstudio-1":                   false,
		"mix.wav":                             false,
		".x.tmp-sangstudio-1/../../song.json": false,
	} {
		if got := IsTempName(name); got != want {
			t.Errorf("IsTempName(%q) = %v, want %v", name, got, want)
		}
	}
}

// A writer's temporary file is kept while it is held, and removed by the
// next writer into the folder once it is not; other files are never touched.
func TestCreateTempRemovesOnlyStaleOwnTemps(t *testing.T) {
	dir := t.TempDir()
	write := func(name string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	stale := write(".mix.wav.tmp-sangstudio-111")
	staleStem := write(".01-Gitar.wav.tmp-sangstudio-222")
	foreign := []string{".mix.wav.tmp-333", "mix.wav.tmp-sangstudio-444", ".notes.txt.swp", "mix.wav"}
	for _, n := range foreign {
		write(n)
	}
	// A render running elsewhere: its temporary file is locked.
	running := write(".other.wav.tmp-sangstudio-555")
	l, err := filelock.Acquire(running, "", 0)
	if err != nil {
		t.Fatal(err)
	}

	f, release, err := CreateTemp(filepath.Join(dir, "mix.wav"), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if !IsTempName(filepath.Base(f.Name())) || filepath.Dir(f.Name()) != dir {
		t.Errorf("temporary name %s is not one the program recognises", f.Name())
	}
	if fi, err := f.Stat(); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("temporary file mode: %v %v", fi.Mode(), err)
	}
	for _, p := range []string{stale, staleStem} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("stale %s was not removed (%v)", filepath.Base(p), err)
		}
	}
	for _, n := range append(foreign, filepath.Base(running)) {
		if _, err := os.Stat(filepath.Join(dir, n)); err != nil {
			t.Errorf("%s was touched: %v", n, err)
		}
	}
	// While this writer holds its file, another writer leaves it alone.
	if got := RemoveStaleTemps(dir); len(got) != 0 {
		t.Errorf("removed files in use: %v", got)
	}
	f.Close()
	if got := RemoveStaleTemps(dir); len(got) != 0 {
		t.Errorf("removed a closed but still held temporary file: %v", got)
	}
	release()
	l.Release()
	got := RemoveStaleTemps(dir)
	slices.Sort(got)
	want := []string{filepath.Base(running), filepath.Base(f.Name())}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("after release removed %v, want %v", got, want)
	}
}

// WriteFile leaves no temporary file and removes those a killed writer
// left.
func TestWriteFileRemovesKilledWritersTemps(t *testing.T) {
	dir := t.TempDir()
	stale := filepath.Join(dir, ".peaks.bin.tmp-sangstudio-77")
	if err := os.WriteFile(stale, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(filepath.Join(dir, "peaks.bin"), []byte("data"), 0o600); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 || ents[0].Name() != "peaks.bin" {
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		t.Errorf("folder holds %v, want only peaks.bin", names)
	}
}
