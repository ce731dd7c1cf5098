package session_test

import (
	"math"
	"path/filepath"
	"testing"
	"time"

	"sangstudio/audio/device"
	"sangstudio/audio/engine"
	"sangstudio/audio/session"
	"sangstudio/projects"
)

// counterWrap is the length of the counting signal's file: it loops, and
// every frame says where in the loop it is.
const counterWrap = 1 << 18

func counterValue(k int64) float32 { return 0.25 + float32(k%counterWrap)/(1<<23) }

func counterIndex(v float32) (int64, bool) {
	n := (float64(v) - 0.25) * (1 << 23)
	if n < 0 || n >= counterWrap || n != math.Floor(n) {
		return 0, false
	}
	return int64(n), true
}

// keepSession opens a song with one mono track armed on input 1 on the
// virtual device (fast), its input a counting signal looping, keeping
// keep of it for Keep.
func keepSession(t *testing.T, keep time.Duration) (*session.Session, string) {
	t.Helper()
	return keepSessionOn(t, keep, device.Config{Device: device.VirtualID, Buffer: 256, Fast: true})
}

// keepSessionOn is keepSession on the virtual device set as dev (its input
// the counting signal).
func keepSessionOn(t *testing.T, keep time.Duration, dev device.Config) (*session.Session, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "song")
	s := projects.New("keep", 48000)
	if err := projects.Create(dir, s); err != nil {
		t.Fatal(err)
	}
	s.Tracks = []*projects.Track{projects.NewTrack("Mic", 1)}
	if err := projects.Save(dir, s); err != nil {
		t.Fatal(err)
	}
	x := make([]float32, counterWrap)
	for i := range x {
		x[i] = counterValue(int64(i))
	}
	in := filepath.Join(t.TempDir(), "in.wav")
	writeWav(t, in, 48000, [][]float32{x})
	dev.VirtualInput = device.VirtualSource{Kind: "file", Path: in, Loop: true}
	ss, err := session.Open(dir, s, session.Options{
		Device: dev,
		Arm:    []session.Arm{{Track: 0, Inputs: []int{0}}}, Keep: keep})
	if err != nil {
		t.Fatal(err)
	}
	return ss, dir
}

// checkKept checks that a kept take is the counting signal, frame after
// frame, and returns its first counter value.
func checkKept(t *testing.T, dir string, tk session.Take) int64 {
	t.Helper()
	audio := readWav(t, projects.AudioPath(dir, tk.File))[0]
	if int64(len(audio)) != tk.Frames {
		t.Fatalf("the kept take has %d frames, %d were planned", len(audio), tk.Frames)
	}
	first, ok := counterIndex(audio[0])
	if !ok {
		t.Fatalf("the kept take starts with %v, not the signal", audio[0])
	}
	for i, v := range audio {
		k, ok := counterIndex(v)
		if !ok || k != (first+int64(i))%counterWrap {
			t.Fatalf("kept frame %d: %v, want the signal's frame %d", i, v, (first+int64(i))%counterWrap)
		}
	}
	return first
}

// TestKeepWhilePlaying: 90 s of a known signal into an armed input while
// the song plays, not recording; then Keep: a take equal to the signal
// frame for frame, at its place on the timeline (from where Play started).
func TestKeepWhilePlaying(t *testing.T) {
	ss, dir := keepSession(t, 2*time.Minute)
	e := ss.Engine()
	e.Locate(12345)
	e.Play()
	waitFor(t, "90 s played", func() bool { return e.Position() >= 12345+90*48000 })
	takes, err := ss.Keep()
	if err != nil {
		t.Fatal(err)
	}
	if len(takes) != 1 || len(takes[0].Clips) != 1 {
		t.Fatalf("kept %+v, want one take, one clip", takes)
	}
	tk := takes[0]
	c := tk.Clips[0]
	if c.Position != 12345 || c.Offset != 0 || c.Length != tk.Frames || tk.Frames < 90*48000 {
		t.Fatalf("the kept take sits at %d (offset %d, %d frames of %d), want from 12345, at least 90 s", c.Position, c.Offset, c.Length, tk.Frames)
	}
	checkKept(t, dir, tk)
	ss.Close()
	// Placed as the window places it.
	s, _, err := projects.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	session.PlaceTakes(s, takes)
	if got := s.Tracks[0].Clips; len(got) != 1 || got[0].Take != tk.File || s.Tracks[0].ActiveLane != "Kept take 1" {
		t.Fatalf("the song holds %+v (lane %q), want the kept take", got, s.Tracks[0].ActiveLane)
	}
}

// TestKeepWhenStoppedAfterTheRingWrapped: stopped, with 1 minute kept,
// after the ring has wrapped three times and a bit: Keep gives exactly the
// last minute heard, ending at the playhead.
func TestKeepWhenStoppedAfterTheRingWrapped(t *testing.T) {
	// Paced at 60× real time, not as fast as it goes: the ring's 10 s of
	// slack then last 170 ms while Keep reads, as on a real device they
	// last 10 s (as fast as it goes, the device overtook Keep's reading on
	// a busy machine, 1 run in 20).
	ss, dir := keepSessionOn(t, time.Minute, device.Config{Device: device.VirtualID, Buffer: 2048, Speed: 60})
	e := ss.Engine()
	e.Locate(5 * 60 * 48000)
	size := int64(70 * 48000) // a minute and the engine's slack
	waitFor(t, "the ring wrapped three times and a bit", func() bool { return e.Frames() > 3*size+12345 })
	takes, err := ss.Keep()
	if err != nil {
		t.Fatal(err)
	}
	if e.State() != engine.Stopped || len(takes) != 1 {
		t.Fatalf("state %v, kept %d takes", e.State(), len(takes))
	}
	tk := takes[0]
	c := tk.Clips[0]
	if tk.Frames != 60*48000 || c.Position+c.Length != 5*60*48000 {
		t.Fatalf("kept %d frames at %d, want a minute ending at the playhead (%d)", tk.Frames, c.Position, 5*60*48000)
	}
	checkKept(t, dir, tk)
	ss.Close()
}

// TestKeepNothingArmed: with nothing armed there is nothing to keep, said
// plainly.
func TestKeepNothingArmed(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "song")
	s := projects.New("keep", 48000)
	projects.Create(dir, s)
	ss, err := session.Open(dir, s, session.Options{Device: device.Config{Device: device.VirtualID, Fast: true}, Keep: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	defer ss.Close()
	if _, err := ss.Keep(); err != session.ErrNothingToKeep {
		t.Fatalf("Keep with nothing armed: %v", err)
	}
}
