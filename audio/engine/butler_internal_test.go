package engine

import (
	"os"
	"path/filepath"
	"testing"
)

// TestCapturesJustAfterTheStartAreKept: the butler may look at the events
// just before the audio thread publishes a take's start and then find that
// buffer's captures. They belong to the new take; they must not be dropped
// as captures without a take.
func TestCapturesJustAfterTheStartAreKept(t *testing.T) {
	dir := t.TempDir()
	e := New(Config{Rate: 48000, MaxBlock: 64})
	b := NewButler(e)
	err := b.Update(Layout{Tempo: 120, BeatsPerBar: 4,
		Tracks: []TrackSpec{{Key: "a", Channels: 1, Armed: true, Inputs: []int{0}}},
		Takes: func(string, int64) (*os.File, string, error) {
			f, err := os.Create(filepath.Join(dir, "take.wav"))
			return f, "take.wav", err
		}})
	if err != nil {
		t.Fatal(err)
	}
	in := [][]float32{make([]float32, 64)}
	out := [][]float32{make([]float32, 64), make([]float32, 64)}
	for i := range in[0] {
		in[0][i] = 0.25
	}
	e.Record(0)
	e.Process(in, out, false) // takes the command; waits for the butler
	b.Service()               // the butler marks the start position ready
	c := e.cur.nodes[0].cap
	b.mu.Lock()
	c.limit = c.framesA.Load() // the butler looks before the start…
	b.handleEvents()
	b.mu.Unlock()
	e.Process(in, out, false) // …the take starts: start event, then captures
	if c.ring.Readable() != 64 {
		t.Fatalf("captured %d frames", c.ring.Readable())
	}
	b.Service() // takes the start event (and what was captured before it was read)…
	b.Service() // …and drains
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.active) != 1 || c.take == nil || c.take.written != 64 {
		t.Fatalf("%d takes active, the take has %d frames: the first buffer of the take was dropped", len(b.active), c.take.written)
	}
}

// A disk that stalls for minutes overflows the capture ring on every
// buffer; the take must still be savable, so its dropout list is bounded
// (the song model refuses more than 100,000) and runs of overflows of
// unknown position count once.
func TestDropoutsAreBounded(t *testing.T) {
	var d []int64
	for i := 0; i < 200000; i++ {
		noteDropout(&d, -1)
	}
	if len(d) != 1 {
		t.Errorf("a run of 200000 overflows noted %d times, want once", len(d))
	}
	for i := 0; i < 200000; i++ {
		noteDropout(&d, int64(i)*256)
		noteDropout(&d, -1)
	}
	if len(d) != MaxDropouts {
		t.Errorf("%d dropouts noted, want the first %d", len(d), MaxDropouts)
	}
}
