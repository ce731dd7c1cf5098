package main

import (
	"bufio"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"sangstudio/projects"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// binary builds the real sangstudio binary once per test run.
func binary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "sangstudio-bin")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "sangstudio")
		if out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput(); err != nil {
			binErr = err
			t.Logf("%s", out)
		}
	})
	if binErr != nil {
		t.Fatalf("build: %v", binErr)
	}
	return binPath
}

func TestRecordAndPlayOnTheVirtualDevice(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "s")
	mustSang(t, "new", dir)
	out := mustSang(t, "record", dir, "--device", "virtual", "--virtual-input", "sine", "--seconds", "0.5", "--inputs", "1,2")
	if !strings.Contains(out, `track "Input 1"`) || !strings.Contains(out, `track "Input 2"`) {
		t.Fatalf("record said %q", out)
	}
	// A second pass on an existing track keeps the first as a take lane.
	mustSang(t, "record", dir, "--device", "virt", "--virtual-input", "sine", "--seconds", "0.3", "--inputs", "1", "--track", "Input 1", "--from", "0")
	s, _, err := projects.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Tracks) != 2 || len(s.Tracks[0].Lanes) != 1 || s.Tracks[0].Clips[0].Length != 14400 || s.Tracks[1].Clips[0].Length != 24000 {
		t.Fatalf("tracks after two recordings: %+v %+v", s.Tracks[0], s.Tracks[1])
	}
	played := filepath.Join(t.TempDir(), "played.wav")
	mustSang(t, "play", dir, "--device", "virtual", "--virtual-output", played, "--seconds", "0.2")
	if fi, err := os.Stat(played); err != nil || fi.Size() < 0.2*48000*8 {
		t.Fatalf("played file: %v %v", fi, err)
	}
	for _, bad := range [][]string{
		{"record", dir, "--device", "virtual", "--seconds", "1", "--inputs", "0"},
		{"record", dir, "--device", "virtual", "--inputs", "1"},
		{"record", dir, "--device", "virtual", "--seconds", "1", "--buffer", "17"},
		{"record", dir, "--device", "nosuchdevice", "--seconds", "1"},
	} {
		if code, _, _ := sang(t, bad...); code == 0 {
			t.Errorf("sangstudio %s succeeded", strings.Join(bad, " "))
		}
	}
}

// TestKillDuringRecording kills a recording sangstudio with SIGKILL at a
// random moment; opening the song again puts the take back with all audio
// up to at most a second before the kill.
func TestKillDuringRecording(t *testing.T) {
	kills := 5
	if testing.Short() {
		kills = 2
	}
	bin := binary(t)
	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	for k := 0; k < kills; k++ {
		dir := filepath.Join(t.TempDir(), "s")
		mustSang(t, "new", dir)
		cmd := exec.Command(bin, "record", dir, "--device", "virtual", "--virtual-input", "sine", "--seconds", "60", "--inputs", "1")
		stderr, _ := cmd.StderrPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(stderr)
		started := false
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "Recording on") {
				started = true
				break
			}
		}
		if !started {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatal("the recording did not start")
		}
		t0 := time.Now()
		time.Sleep(time.Duration(1200+rng.Intn(1800)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		elapsed := time.Since(t0)
		cmd.Wait()

		_, _, errs := sang(t, "info", dir)
		if !strings.Contains(errs, "recovered take from") {
			t.Fatalf("kill %d: opening the song did not recover the take: %q", k, errs)
		}
		s, _, err := projects.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Tracks) != 1 || len(s.Tracks[0].Clips) != 1 {
			t.Fatalf("kill %d: tracks %+v", k, s.Tracks)
		}
		got := time.Duration(s.Tracks[0].Clips[0].Length) * time.Second / 48000
		if got < elapsed-time.Second-250*time.Millisecond || got > elapsed+250*time.Millisecond {
			t.Fatalf("kill %d after %v: recovered %v of audio, want at least %v", k, elapsed, got, elapsed-time.Second)
		}
		t.Logf("kill %d after %v: recovered %v", k, elapsed.Round(time.Millisecond), got.Round(time.Millisecond))
	}
}
