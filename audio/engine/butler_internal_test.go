package engine

import (
	"os"
	"path/filepath"
	"testing"
)

// TestCapturesJustAfterTheStartAreKept: the butler may look at the events
// just before the audio thread publishes a recording's start and then
// find that buffer's captures. They belong to the new take; they must not
// be dropped as captures without a take.
func TestCapturesJustAfterTheStartAreKept(t *testing.T) {
	dir := t.TempDir()
	e := New(Config{Rate: 48000, MaxBlock: 64, Inputs: 1, Outputs: 2,
		Tracks: []Track{{Channels: 1, Armed: true, Inputs: []int{0}}}, Tempo: 120, BeatsPerBar: 4})
	b := NewButler(e, nil, func(int, int64) (*os.File, string, error) {
		f, err := os.Create(filepath.Join(dir, "take.wav"))
		return f, "take.wav", err
	})
	in := [][]float32{make([]float32, 64)}
	out := [][]float32{make([]float32, 64), make([]float32, 64)}
	for i := range in[0] {
		in[0][i] = 0.25
	}
	e.Record(0)
	e.Process(in, out, false) // takes the command; waits for the butler
	b.Service()               // the butler marks the start position ready
	e.Process(in, out, false) // the take starts: start event, then captures
	if e.tracks[0].capture.Readable() != 64 {
		t.Fatalf("captured %d frames", e.tracks[0].capture.Readable())
	}
	// The butler had read the (then empty) event queue and now drains.
	b.mu.Lock()
	b.drain()
	b.mu.Unlock()
	if !b.recording || b.takes[0] == nil || b.takes[0].written != 64 {
		t.Fatalf("recording %v, take %+v: the first buffer of the take was dropped", b.recording, b.takes[0])
	}
}

// A disk that stalls for minutes overflows the capture ring on every
// buffer; the take must still be savable, so its dropout list is bounded
// (the song model refuses more than 100,000) and runs of overflows count once.
func TestDropoutsAreBounded(t *testing.T) {
	b := &Butler{}
	for i := 0; i < 200000; i++ {
		b.noteDropout(-1)
	}
	if len(b.dropouts) != 1 {
		t.Errorf("a run of 200000 overflows noted %d times, want once", len(b.dropouts))
	}
	for i := 0; i < 200000; i++ {
		b.noteDropout(int64(i) * 256)
		b.noteDropout(-1)
	}
	if len(b.dropouts) != MaxDropouts {
		t.Errorf("%d dropouts noted, want the first %d", len(b.dropouts), MaxDropouts)
	}
}
