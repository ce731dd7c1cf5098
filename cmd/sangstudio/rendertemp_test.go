package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"sangstudio/internal/durable"
	"sangstudio/internal/wavtest"
	"sangstudio/projects"
)

// longSong is a song with one take of the given length (a sparse file:
// silence that takes no disk), so that its render takes a while.
func longSong(t *testing.T, minutes int) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "Lang")
	s := projects.New("Lang", 48000)
	if err := projects.Create(dir, s); err != nil {
		t.Fatal(err)
	}
	f, take, err := projects.NewTakeFile(dir, s, "Lang", ".wav")
	if err != nil {
		t.Fatal(err)
	}
	frames := int64(minutes) * 60 * 48000
	wavtest.Sparse24(t, f, frames)
	tr := projects.NewTrack("Lang", 1)
	tr.Clips = []projects.Clip{{Take: take, Length: frames}}
	s.Tracks = []*projects.Track{tr}
	if err := projects.Save(dir, s); err != nil {
		t.Fatal(err)
	}
	return dir
}

// temps lists the program's temporary files in dir.
func temps(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		if durable.IsTempName(e.Name()) {
			out = append(out, e.Name())
		}
	}
	return out
}

// killWhenWritten kills the started cmd with SIGKILL once a new file in
// dir (one whose name is not in seen, and that match accepts) has grown to
// size bytes: a kill in the middle of writing it, wherever the machine's
// speed puts that moment. It returns the file's name, or "" if cmd ended
// first (it is then waited for).
func killWhenWritten(t *testing.T, cmd *exec.Cmd, dir string, seen map[string]bool, match func(string) bool, size int64) string {
	t.Helper()
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		ents, _ := os.ReadDir(dir)
		for _, e := range ents {
			if seen[e.Name()] || !match(e.Name()) {
				continue
			}
			if fi, err := e.Info(); err == nil && fi.Size() >= size {
				cmd.Process.Signal(syscall.SIGKILL)
				<-exited
				seen[e.Name()] = true
				return e.Name()
			}
		}
		select {
		case <-exited:
			return ""
		default:
		}
	}
	cmd.Process.Kill()
	<-exited
	t.Fatal("the file being written did not grow")
	return ""
}

// killRenders kills 20 renders of song into mix (in the folder out),
// each at a later point of its file (1/21 … 20/21 of the mix's 104 MB),
// and checks that their temporary files do not pile up.
func killRenders(t *testing.T, bin, song, out, mix string) {
	full := int64(6*60*48000) * 2 * 3
	seen := map[string]bool{}
	hit, most := 0, 0
	for k := 0; k < 20; k++ {
		cmd := exec.Command(bin, "render", song, "--mix", mix)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if killWhenWritten(t, cmd, out, seen, durable.IsTempName, full*int64(k+1)/21) != "" {
			hit++
		} else {
			t.Logf("render %d ended before it was killed", k)
		}
		left := temps(t, out)
		most = max(most, len(left))
	}
	t.Logf("20 killed renders: %d were killed while writing; at most %d temporary file(s) in the folder at once", hit, most)
	if hit < 18 {
		t.Fatalf("only %d of 20 renders were killed while writing: the test proves little", hit)
	}
	if most > 1 {
		t.Errorf("killed renders' temporary files piled up: %d at once", most)
	}
}

// startLongRender starts a long render into the folder out in another
// process (stopped when the test ends) and waits for its temporary file;
// it returns the process, a channel that gets its Wait's error, and the
// file's name.
func startLongRender(t *testing.T, bin, out string) (*exec.Cmd, chan error, string) {
	other := exec.Command(bin, "render", longSong(t, 30), "--mix", filepath.Join(out, "lang.wav"))
	if err := other.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- other.Wait() }()
	t.Cleanup(func() { other.Process.Kill(); <-exited })
	var running string
	for deadline := time.Now().Add(10 * time.Second); running == "" && time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		for _, n := range temps(t, out) {
			if strings.HasPrefix(n, ".lang.wav.") {
				running = n
			}
		}
	}
	if running == "" {
		t.Fatal("the long render's temporary file did not appear")
	}
	return other, exited, running
}

// TestKilledRendersLeaveNoTemps kills 20 renders of a song into one
// folder while they write, then renders once: no temporary file is left.
// A render running in another process meanwhile keeps its temporary file.
func TestKilledRendersLeaveNoTemps(t *testing.T) {
	bin := binary(t)
	song := longSong(t, 6)
	out := t.TempDir()
	mix := filepath.Join(out, "mix.wav")
	killRenders(t, bin, song, out, mix)

	// A long render in another process: its temporary file is in use, and
	// a render into the same folder meanwhile leaves it alone.
	other, exited, running := startLongRender(t, bin, out)

	// The one clean render (the binary too: a render is slow under the
	// race detector, and the long one must still be running after it).
	said, err := exec.Command(bin, "render", song, "--mix", mix).CombinedOutput()
	if err != nil {
		t.Fatalf("render: %v\n%s", err, said)
	}
	select {
	case err := <-exited:
		t.Fatalf("the long render ended (%v) before the check: make it longer", err)
	default:
	}
	if _, err := os.Stat(filepath.Join(out, running)); err != nil {
		t.Fatalf("a render removed the temporary file of a render still running: %v", err)
	}
	if left := temps(t, out); len(left) != 1 || left[0] != running {
		t.Errorf("after the clean render the folder holds temporary files %v, want only the running render's %s", left, running)
	}
	f, audio := wavtest.Read(t, mix)
	if f.Channels != 2 || int64(len(audio[0])) != 6*60*48000 {
		t.Errorf("the mix: %+v, %d frames (%s)", f, len(audio[0]), said)
	}
	// Once that render is killed too, the next render removes its file.
	other.Process.Signal(syscall.SIGKILL)
	<-exited
	exited <- nil
	if said, err := exec.Command(bin, "render", song, "--mix", mix).CombinedOutput(); err != nil {
		t.Fatalf("render: %v\n%s", err, said)
	}
	if left := temps(t, out); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
	ents, _ := os.ReadDir(out)
	for _, e := range ents {
		if e.Name() != "mix.wav" && e.Name() != "lang.wav" { // the long render may have ended before it was killed
			t.Errorf("the folder holds %s", e.Name())
		}
	}
}
