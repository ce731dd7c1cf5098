package session_test

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sangstudio/audio/device"
	"sangstudio/audio/render"
	"sangstudio/audio/session"
	"sangstudio/audio/wav"
	"sangstudio/internal/wavtest"
	"sangstudio/projects"
)

func writeWav(t *testing.T, path string, rate int, audio [][]float32) {
	wavtest.Write(t, path, rate, audio)
}

func readWav(t *testing.T, path string) [][]float32 {
	_, audio := wavtest.Read(t, path)
	return audio
}

func sine(n int, f float64, a float32) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = a * float32(math.Sin(float64(i)*f))
	}
	return x
}

func noise(n int, seed uint64) []float32 {
	x := make([]float32, n)
	for i := range x {
		seed = seed*6364136223846793005 + 1442695040888963407
		x[i] = float32(int32(seed>>32)) / (1 << 32)
	}
	return x
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// TestVirtualPlaybackEqualsRender: what the engine plays on the virtual
// device (written to a WAV) is sample-identical to the offline render.
func TestVirtualPlaybackEqualsRender(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "song")
	s := projects.New("x", 48000)
	if err := projects.Create(dir, s); err != nil {
		t.Fatal(err)
	}
	for i, f := range []float64{0.01, 0.023} {
		src := filepath.Join(t.TempDir(), "in.wav")
		writeWav(t, src, 48000, [][]float32{sine(30000, f, 0.6)})
		file, take, _ := projects.NewTakeFile(dir, s, "t", ".wav")
		file.Close()
		data, _ := os.ReadFile(src)
		os.WriteFile(projects.AudioPath(dir, take), data, 0o600)
		tr := projects.NewTrack("t", 1)
		tr.GainDB, tr.Pan = -float64(3*i), 0.5-float64(i)
		tr.Clips = []projects.Clip{{Take: take, Position: int64(1000 * i), Length: 29000, FadeIn: 300}}
		s.Tracks = append(s.Tracks, tr)
	}
	projects.Save(dir, s)
	out := filepath.Join(t.TempDir(), "played.wav")
	ss, err := session.Open(dir, s, session.Options{Device: device.Config{Device: "virtual", Buffer: 256, Fast: true, VirtualOutput: out}})
	if err != nil {
		t.Fatal(err)
	}
	e := ss.Engine()
	e.Play()
	waitFor(t, "the song to play", func() bool { return e.Position() >= s.Length() })
	if _, err := ss.Close(); err != nil {
		t.Fatal(err)
	}
	mixPath := filepath.Join(t.TempDir(), "mix.wav")
	if _, err := render.Render(context.Background(), dir, s, render.Options{Mix: mixPath, Encoding: wav.Float32}); err != nil {
		t.Fatal(err)
	}
	want, got := readWav(t, mixPath), readWav(t, out)
	// The device output starts with silence until the play command and the
	// first refill arrive: find the start by the first non-silent frame.
	first := 0
	for first < len(got[0]) && got[0][first] == 0 && got[1][first] == 0 {
		first++
	}
	wfirst := 0
	for wfirst < len(want[0]) && want[0][wfirst] == 0 && want[1][wfirst] == 0 {
		wfirst++
	}
	off := first - wfirst
	if off < 0 || len(got[0]) < off+len(want[0]) {
		t.Fatalf("played %d frames (first sound at %d), render %d (first sound at %d)", len(got[0]), first, len(want[0]), wfirst)
	}
	for i := range want[0] {
		if got[0][off+i] != want[0][i] || got[1][off+i] != want[1][i] {
			t.Fatalf("frame %d: played %v %v, rendered %v %v", i, got[0][off+i], got[1][off+i], want[0][i], want[1][i])
		}
	}
}

// TestVirtualRecording records a known file through the virtual device on a
// new track and on a new take of an existing track (a take lane).
func TestVirtualRecording(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "song")
	s := projects.New("x", 48000)
	projects.Create(dir, s)
	in := filepath.Join(t.TempDir(), "in.wav")
	signal := [][]float32{noise(100000, 1), noise(100000, 2)} // looped: every frame is recognisable
	writeWav(t, in, 48000, signal)
	s.Tracks = []*projects.Track{projects.NewTrack("Vokal", 1)}
	if err := projects.Save(dir, s); err != nil {
		t.Fatal(err)
	}
	for pass := 1; pass <= 2; pass++ {
		s, _, err := projects.Load(dir) // as a command does
		if err != nil {
			t.Fatal(err)
		}
		ss, err := session.Open(dir, s, session.Options{
			Device: device.Config{Device: "virtual", Buffer: 256, Fast: true, VirtualInput: device.VirtualSource{Kind: "file", Path: in, Loop: true}},
			Arm:    []session.Arm{{Track: 0, Inputs: []int{1}}},
		})
		if err != nil {
			t.Fatal(err)
		}
		e := ss.Engine()
		e.Locate(1000)
		e.Record(0)
		waitFor(t, "recording", func() bool { return e.Position() >= 60000 })
		takes, err := ss.Close()
		if err != nil {
			t.Fatal(err)
		}
		if len(takes) != 1 || takes[0].Start != 1000 {
			t.Fatalf("pass %d: takes %+v", pass, takes)
		}
		got := readWav(t, projects.AudioPath(dir, takes[0].File))
		// The virtual input's frame f arrives while the engine is at some
		// position; find the input frame of the take's first sample.
		at := -1
		for k := 0; k < 100000; k++ {
			if got[0][0] == signal[1][k] && got[0][1] == signal[1][(k+1)%100000] {
				at = k
				break
			}
		}
		if at < 0 {
			t.Fatalf("pass %d: the take does not hold input 2", pass)
		}
		for i, v := range got[0] {
			if want := signal[1][(at+i)%100000]; v != want {
				t.Fatalf("pass %d: take frame %d: %v, want %v", pass, i, v, want)
			}
		}
	}
	loaded, _, err := projects.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	tr := loaded.Tracks[0]
	if tr.ActiveLane != "Take 2" || len(tr.Lanes) != 1 || tr.Lanes[0].Name != "Take 1" || tr.Clips[0].Position != 1000 {
		t.Fatalf("after two passes: active %q, lanes %+v, clips %+v", tr.ActiveLane, tr.Lanes, tr.Clips)
	}
	if len(loaded.Takes) != 2 || loaded.Takes[0].Recorded == "" {
		t.Fatalf("take info %+v", loaded.Takes)
	}
	if _, err := os.Stat(filepath.Join(dir, ".recording.json")); err == nil {
		t.Fatal("the recording journal is left after a clean stop")
	}
}

// TestRecoverUnfinishedTake: a take whose writer died after a checkpoint
// (as after kill -9) is repaired and put back on its track when the song is
// opened again.
func TestRecoverUnfinishedTake(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "song")
	s := projects.New("x", 48000)
	s.Tracks = []*projects.Track{projects.NewTrack("Vokal", 1)}
	projects.Create(dir, s)
	// Write a take the way the butler does, checkpoint it, write more, and
	// abandon it without closing.
	f, name, err := projects.NewTakeFile(dir, s, "Vokal", ".wav")
	if err != nil {
		t.Fatal(err)
	}
	w, _ := wav.NewWriter(f, wav.Format{Rate: 48000, Channels: 1, Encoding: wav.Float32}, wav.WriterOptions{})
	w.Write([][]float32{sine(96000, 0.01, 0.5)})
	w.Sync()
	w.Write([][]float32{sine(1000, 0.01, 0.5)}) // after the last checkpoint: the header does not know it
	journal := `{"takes":[{"file":"` + name + `","track":"Vokal","channels":1,"start":48000,"latency":256,"started":"2026-11-25T14:32:00+01:00"}]}`
	os.WriteFile(filepath.Join(dir, ".recording.json"), []byte(journal), 0o600)
	// (the process "dies" here: the file is never closed)

	s2, _, err := projects.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	notes, err := session.Recover(dir, s2)
	if err != nil {
		t.Fatal(err)
	}
	var rt *session.RecoveredTake
	if len(notes) != 1 || !errors.As(notes[0], &rt) || rt.File != name || rt.Track != "Vokal" || rt.Seconds < 2 ||
		!rt.Started.Equal(time.Date(2026, 11, 25, 13, 32, 0, 0, time.UTC)) {
		t.Fatalf("notes %q", notes)
	}
	if got := notes[0].Error(); !strings.HasPrefix(got, "recovered take from ") || !strings.Contains(got, `on track "Vokal"`) {
		t.Errorf("the command line says %q", got)
	}
	s3, _, err := projects.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	tr := s3.Tracks[0]
	if len(tr.Clips) != 1 || tr.Clips[0].Take != name || tr.Clips[0].Position != 48000-256 || tr.Clips[0].Length < 96000 {
		t.Fatalf("recovered clip %+v", tr.Clips)
	}
	if !strings.HasPrefix(tr.ActiveLane, "Recovered take from") || s3.Take(name) == nil || !s3.Take(name).Recovered {
		t.Fatalf("lane %q, take info %+v", tr.ActiveLane, s3.Take(name))
	}
	if _, err := os.Stat(filepath.Join(dir, ".recording.json")); err == nil {
		t.Fatal("journal not removed")
	}
	// Opening again does nothing more.
	if notes, err := session.Recover(dir, s3); err != nil || len(notes) != 0 {
		t.Fatalf("second recover: %v %v", notes, err)
	}
	f.Close()
}

func TestPlace(t *testing.T) {
	c, ok := session.Place("a.wav", 10000, 256, 5000)
	if !ok || c.Position != 9744 || c.Offset != 0 || c.Length != 5000 {
		t.Fatalf("%+v", c)
	}
	c, ok = session.Place("a.wav", 100, 256, 5000)
	if !ok || c.Position != 0 || c.Offset != 156 || c.Length != 4844 {
		t.Fatalf("take at the song's start: %+v", c)
	}
	if _, ok := session.Place("a.wav", 0, 256, 100); ok {
		t.Fatal("a take entirely before the start was placed")
	}
}
