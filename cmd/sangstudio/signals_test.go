package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"sangstudio/internal/wavtest"
	"sangstudio/projects"
)

// bigSong is a song of tracks tracks, each one take of the given length
// (sparse files: silence that takes no disk), so that its render or
// master takes several seconds.
func bigSong(t *testing.T, tracks int, minutes float64) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "Stor")
	s := projects.New("Stor", 48000)
	if err := projects.Create(dir, s); err != nil {
		t.Fatal(err)
	}
	frames := int64(minutes * 60 * 48000)
	for i := 0; i < tracks; i++ {
		f, take, err := projects.NewTakeFile(dir, s, fmt.Sprintf("Spor %d", i+1), ".wav")
		if err != nil {
			t.Fatal(err)
		}
		wavtest.Sparse24(t, f, frames)
		tr := projects.NewTrack(fmt.Sprintf("Spor %d", i+1), 1)
		tr.Clips = []projects.Clip{{Take: take, Length: frames}}
		s.Tracks = append(s.Tracks, tr)
	}
	if err := projects.Save(dir, s); err != nil {
		t.Fatal(err)
	}
	return dir
}

// snapshot is everything below dir (names, types, sizes; not the lock
// file, nor the cache folder itself, but any file in it) and song.json's
// bytes, to show a song unchanged.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		size := fi.Size()
		if fi.IsDir() {
			size = 0
		}
		if rel == ".lock" || rel == ".cache" && fi.IsDir() { // the song's lock (who held it last); the cache folder (its files count)
			return nil
		}
		fmt.Fprintf(&b, "%s %v %d\n", rel, fi.Mode(), size)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join(dir, projects.SongFile))
	b.Write(data)
	return b.String()
}

// stopRun starts the binary with args, sends sig once ready() holds (or
// after at most 10 s), and returns how long it took to exit after the
// signal, its exit status and its stderr.
func stopRun(t *testing.T, sig syscall.Signal, ready func() bool, args ...string) (time.Duration, int, string) {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	started := time.Now()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.Now().Add(10 * time.Second)
	for !ready() && time.Now().Before(deadline) {
		select {
		case err := <-exited:
			t.Fatalf("sangstudio %s ended before it was stopped: %v\n%s", strings.Join(args, " "), err, stderr.String())
		case <-time.After(5 * time.Millisecond):
		}
	}
	start := time.Now()
	t.Logf("%v sent %v after the start", sig, start.Sub(started))
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		took := time.Since(start)
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatal(err)
		}
		return took, cmd.ProcessState.ExitCode(), stderr.String()
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		<-exited
		t.Fatalf("sangstudio %s did not end within 10 s of %v", strings.Join(args, " "), sig)
		return 0, 0, ""
	}
}

// lineDiff lists the lines only in a (-) and only in b (+).
func lineDiff(a, b string) string {
	in := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, l := range strings.Split(s, "\n") {
			m[l] = true
		}
		return m
	}
	ma, mb := in(a), in(b)
	var out []string
	for _, l := range strings.Split(a, "\n") {
		if !mb[l] {
			out = append(out, "-"+l)
		}
	}
	for _, l := range strings.Split(b, "\n") {
		if !ma[l] {
			out = append(out, "+"+l)
		}
	}
	return strings.Join(out, "\n")
}

// walk lists everything below dir.
func walk(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if p != dir {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return nil
	})
	return out
}

// after is ready once d has passed and ready holds.
func after(d time.Duration, ready func() bool) func() bool {
	var start time.Time
	return func() bool {
		if start.IsZero() {
			start = time.Now()
		}
		return time.Since(start) >= d && ready()
	}
}

// sparseWAV writes a WAV file of the given length of 24-bit mono silence
// at 48 kHz that takes no disk.
func sparseWAV(t *testing.T, path string, minutes float64) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	wavtest.Sparse24(t, f, int64(minutes*60*48000))
}

func TestSIGTERMStopsARender(t *testing.T) {
	song := bigSong(t, 16, 3)
	before := snapshot(t, song)
	out := t.TempDir()
	stems := filepath.Join(out, "stems")
	// Stopped while it writes: the stems and the mix exist under their
	// temporary names (the whole render takes about 8 s on 2 cores).
	took, code, stderr := stopRun(t, syscall.SIGTERM, after(500*time.Millisecond, func() bool { return len(walk(t, out)) >= 2 }), "render", song, "--mix", filepath.Join(out, "mix.wav"), "--stems", stems)
	t.Logf("the render ended %v after SIGTERM", took)
	if took > time.Second || code != 143 {
		t.Errorf("render ended %v after SIGTERM with status %d; want within 1 s, status 143\n%s", took, code, stderr)
	}
	if want := "Stopped (SIGTERM): no mix or stem was written; the song is unchanged.\n"; !strings.HasSuffix(stderr, want) {
		t.Errorf("stderr %q, want it to end with %q", stderr, want)
	}
	if left := walk(t, out); len(left) > 0 {
		t.Errorf("left in the output folder: %v", left)
	}
	if after := snapshot(t, song); after != before {
		t.Errorf("the song changed: %s", lineDiff(before, after))
	}
}

func TestSIGINTStopsAnImport(t *testing.T) {
	song := filepath.Join(t.TempDir(), "Sang")
	mustSang(t, "new", song)
	before := snapshot(t, song)
	src := filepath.Join(t.TempDir(), "lang.wav")
	sparseWAV(t, src, 45) // about 3.5 s to import
	took, code, stderr := stopRun(t, syscall.SIGINT, after(500*time.Millisecond, func() bool { return true }), "import", song, src)
	t.Logf("the import ended %v after SIGINT", took)
	if took > time.Second || code != 130 {
		t.Errorf("import ended %v after SIGINT with status %d; want within 1 s, status 130\n%s", took, code, stderr)
	}
	if want := "Stopped (SIGINT): nothing was imported; the song is unchanged.\n"; !strings.HasSuffix(stderr, want) {
		t.Errorf("stderr %q, want it to end with %q", stderr, want)
	}
	if after := snapshot(t, song); after != before {
		t.Errorf("the song changed: %s", lineDiff(before, after))
	}
}

func TestSIGINTStopsAMaster(t *testing.T) {
	song := bigSong(t, 16, 3) // about 14 s to master on 2 cores
	before := snapshot(t, song)
	out := t.TempDir()
	took, code, stderr := stopRun(t, syscall.SIGINT, after(500*time.Millisecond, func() bool { return true }), "master", song, "--out", filepath.Join(out, "Stor.mp3"))
	t.Logf("the master ended %v after SIGINT", took)
	if took > time.Second || code != 130 {
		t.Errorf("master ended %v after SIGINT with status %d; want within 1 s, status 130\n%s", took, code, stderr)
	}
	if want := "Stopped (SIGINT): no master was written; the song is unchanged.\n"; !strings.HasSuffix(stderr, want) {
		t.Errorf("stderr %q, want it to end with %q", stderr, want)
	}
	if left := walk(t, out); len(left) > 0 {
		t.Errorf("left in the output folder: %v", left)
	}
	if after := snapshot(t, song); after != before {
		t.Errorf("the song changed: %s", lineDiff(before, after))
	}
}

// TestSIGINTStopsEveryLongCommand: each long-running command ends within a
// second of SIGINT with status 130 and says what it kept; what it was
// writing is gone, and a recording keeps its take.
func TestSIGINTStopsEveryLongCommand(t *testing.T) {
	song := bigSong(t, 4, 3)
	long := filepath.Join(t.TempDir(), "lang.wav")
	sparseWAV(t, long, 45)
	zip := filepath.Join(t.TempDir(), "Stor.zip")
	mustSang(t, "archive", song, zip)
	before := snapshot(t, song)
	rec := filepath.Join(t.TempDir(), "Opptak")
	mustSang(t, "new", rec)
	for _, tc := range []struct {
		args []string
		says string
		soon bool // stopped as soon as it writes into OUT (it is fast)
	}{
		{[]string{"loudness", long}, "nothing was changed", false},
		{[]string{"takehome", song, "--to", "OUT"}, "nothing was put on the stick; the song is unchanged", false},
		{[]string{"cd", "--title", "Plate", song, "--out", "OUT/cd"}, "an unfinished CD image was removed (a finished one is kept; a disc being burned may be unusable); the songs are unchanged", false},
		{[]string{"archive", song, "OUT/Stor.zip"}, "no archive was written; the song is unchanged", true},
		{[]string{"unarchive", zip, "OUT"}, "nothing was added to the library", true},
		{[]string{"play", song, "--device", "virtual", "--seconds", "30"}, "playback ended; nothing was changed", false},
		{[]string{"calibrate", "--device", "virtual", "--seconds", "30"}, "nothing was measured or stored", false},
		{[]string{"record", rec, "--device", "virtual", "--virtual-input", "sine", "--seconds", "30", "--inputs", "1"}, "what was recorded so far is kept in the song", false},
	} {
		t.Run(tc.args[0], func(t *testing.T) {
			out := t.TempDir()
			for i, a := range tc.args {
				tc.args[i] = strings.Replace(a, "OUT", out, 1)
			}
			ready := after(300*time.Millisecond, func() bool { return true })
			if tc.soon {
				ready = func() bool { return len(walk(t, out)) > 0 }
			}
			took, code, stderr := stopRun(t, syscall.SIGINT, ready, tc.args...)
			t.Logf("ended %v after SIGINT", took)
			if took > time.Second || code != 130 {
				t.Errorf("ended %v after SIGINT with status %d; want within 1 s, status 130\n%s", took, code, stderr)
			}
			if want := "Stopped (SIGINT): " + tc.says + ".\n"; !strings.HasSuffix(stderr, want) {
				t.Errorf("stderr %q, want it to end with %q", stderr, want)
			}
			if left := walk(t, out); len(left) > 0 {
				t.Errorf("left in the output folder: %v", left)
			}
		})
	}
	if after := snapshot(t, song); after != before {
		t.Errorf("the song changed: %s", lineDiff(before, after))
	}
	s, _, err := projects.Load(rec)
	if err != nil || len(s.Tracks) != 1 || len(s.Tracks[0].Clips) != 1 || s.Tracks[0].Clips[0].Length == 0 {
		t.Errorf("the stopped recording's take was not kept: %v", err)
	}
}
