package engine_test

import (
	"testing"

	"sangstudio/audio/engine"
)

// sendAll sends one command of every kind, the ones that start something
// last, and returns whether the queue took them all.
func sendAll(e *engine.Engine) bool {
	return e.Stop() && e.SetLoop(0, 48000, true) && e.Locate(4800) && e.SetClick(false) &&
		e.SetClick(true) && e.Play() && e.RecordFor(1, 4800) && e.Record(0)
}

// TestCommandsAllocateNothing: sending every kind of command and the audio
// thread carrying them out (stopping a recording, setting the loop,
// locating, the click, playing, recording with a count-in and for a
// length) allocate nothing, on either side of the queue.
func TestCommandsAllocateNothing(t *testing.T) {
	r := setupBig(t, 8, 2, 256)
	if a := testing.AllocsPerRun(200, func() {
		if !sendAll(r.e) {
			t.Fatal("the command queue is full")
		}
		r.e.Process(r.in, r.out, false)
	}); a != 0 {
		t.Fatalf("commands allocate %v times per round, want 0", a)
	}
	if r.e.State() != engine.Recording {
		t.Fatalf("state %v, want recording", r.e.State())
	}
}

// TestStates: the transport's state follows the commands, and says so in
// words.
func TestStates(t *testing.T) {
	dir, s := testSong(t)
	r := newRig(t, dir, s, 256, 2, map[int][]int{0: {0}}, false)
	for _, c := range []struct {
		send func() bool
		want engine.State
		text string
	}{
		{func() bool { return true }, engine.Stopped, "stopped"},
		{r.e.Play, engine.Playing, "playing"},
		{func() bool { return r.e.Record(0) }, engine.Recording, "recording"},
		{r.e.Stop, engine.Stopped, "stopped"},
		{func() bool { return r.e.RecordFor(0, 256) }, engine.Recording, "recording"},
	} {
		if !c.send() {
			t.Fatal("the command queue is full")
		}
		r.step(nil)
		if got := r.e.State(); got != c.want || got.String() != c.text {
			t.Fatalf("state %v, want %v", got, c.text)
		}
	}
	if got := engine.State(7).String(); got != "unknown" {
		t.Errorf("State(7) is %q", got)
	}
}

// BenchmarkCommands: one of each command sent and carried out by a
// 256-frame buffer of a 32-track song (8 recording); compare with
// BenchmarkProcess32Play8Rec256 for what the commands themselves cost.
func BenchmarkCommands(b *testing.B) {
	r := setupBig(b, 32, 8, 256)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sendAll(r.e)
		r.e.Process(r.in, r.out, false)
	}
}
