package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"sangstudio/internal/wavtest"
	"sangstudio/projects"
)

// TestParallelImportsKeepEveryTrack: 20 rounds of two `sangstudio import`
// processes into one song at the same time give 40 tracks, and audio/
// holds exactly the 40 takes the song uses: no import wrote over
// another's track, none left a take the song does not use.
func TestParallelImportsKeepEveryTrack(t *testing.T) {
	bin := binary(t)
	src := t.TempDir()
	files := [2]string{filepath.Join(src, "Gitar.wav"), filepath.Join(src, "Bass.wav")}
	for i, f := range files {
		x := make([]float32, 24000)
		for k := range x {
			x[k] = float32(i+1) * 0.01 * float32(k%100) / 100
		}
		wavtest.Write(t, f, 48000, [][]float32{x})
	}
	dir := filepath.Join(t.TempDir(), "song")
	mustSang(t, "new", dir)
	const rounds = 20
	for r := 0; r < rounds; r++ {
		var wg sync.WaitGroup
		out := make([]string, 2)
		errs := make([]error, 2)
		for i := range files {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				b, err := exec.Command(bin, "import", dir, files[i]).CombinedOutput()
				out[i], errs[i] = string(b), err
			}(i)
		}
		wg.Wait()
		for i := range files {
			if errs[i] != nil || !strings.Contains(out[i], "Added track") {
				t.Fatalf("round %d, import %d: %v\n%s", r+1, i+1, errs[i], out[i])
			}
		}
	}
	s, _, err := projects.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Tracks) != 2*rounds {
		t.Fatalf("%d tracks after %d imports", len(s.Tracks), 2*rounds)
	}
	var used []string
	for _, c := range s.AllClips() {
		used = append(used, c.Take)
	}
	sort.Strings(used)
	entries, err := os.ReadDir(filepath.Join(dir, projects.AudioDir))
	if err != nil {
		t.Fatal(err)
	}
	var there []string
	for _, e := range entries {
		there = append(there, e.Name())
	}
	sort.Strings(there)
	if fmt.Sprint(used) != fmt.Sprint(there) {
		t.Fatalf("audio/ holds\n%v\nthe song uses\n%v", there, used)
	}
}

// TestCommandsRefusedWhileOpenInWindow: while the window has a song open
// (it holds it with projects.LockOpen, as studio.Open does), `import`,
// `set`, `add-track` and `beat` are refused with a message naming the window, and
// change nothing; `info` still reads it.
func TestCommandsRefusedWhileOpenInWindow(t *testing.T) {
	bin := binary(t)
	dir := filepath.Join(t.TempDir(), "song")
	mustSang(t, "demo", dir)
	wavPath := filepath.Join(t.TempDir(), "Fløyte.wav")
	wavtest.Write(t, wavPath, 48000, [][]float32{make([]float32, 4800)})
	o, err := projects.LockOpen(dir, "the Sangstudio window")
	if err != nil {
		t.Fatal(err)
	}
	defer o.Release()
	before, _ := os.ReadFile(filepath.Join(dir, projects.SongFile))
	audioBefore, _ := os.ReadDir(filepath.Join(dir, projects.AudioDir))
	want := fmt.Sprintf("is open in the Sangstudio window (process %d)", os.Getpid())
	for _, args := range [][]string{
		{"import", dir, wavPath},
		{"set", dir, "1", "--gain", "-3"},
		{"add-track", dir, "Kor"},
		{"beat", dir, "--preset", "rock"},
	} {
		cmd := exec.Command(bin, args...)
		b, err := cmd.CombinedOutput()
		if cmd.ProcessState.ExitCode() != 1 || !strings.Contains(string(b), want) {
			t.Errorf("%s while the window has the song: %v\n%s", args[0], err, b)
		}
	}
	if after, _ := os.ReadFile(filepath.Join(dir, projects.SongFile)); string(after) != string(before) {
		t.Fatal("song.json changed")
	}
	if audioAfter, _ := os.ReadDir(filepath.Join(dir, projects.AudioDir)); len(audioAfter) != len(audioBefore) {
		t.Fatalf("audio/ holds %d files, was %d", len(audioAfter), len(audioBefore))
	}
	if b, err := exec.Command(bin, "info", dir).CombinedOutput(); err != nil || !strings.Contains(string(b), "Tracks:") {
		t.Fatalf("info while the window has the song: %v\n%s", err, b)
	}
}
