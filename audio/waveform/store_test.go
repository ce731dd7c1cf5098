package waveform

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"sangstudio/internal/wavtest"
	"sangstudio/projects"
)

func TestStore(t *testing.T) {
	dir := t.TempDir()
	const takes = 8
	want := writeTakes(t, dir, takes)
	s := NewStore(dir)
	var c counter
	s.compute = c.compute
	if _, ok := s.Get("0001-T.wav"); ok {
		t.Fatal("Get before Request")
	}
	before := c.computed.Load()

	// Several "UI" goroutines ask for every take at once and poll Get.
	const goroutines = 4
	if n := requestAll(t, s, want, goroutines); n != goroutines*takes {
		t.Errorf("done called %d times, want %d", n, goroutines*takes)
	}
	if n := c.computed.Load() - before; n != takes {
		t.Errorf("%d computations for %d takes", n, takes)
	}
	t.Logf("at most %d computations at once", c.maxActive.Load())
	if m := c.maxActive.Load(); m > Workers {
		t.Errorf("%d computations at once, want at most %d", m, Workers)
	}
	for name, w := range want {
		p, ok := s.Get(name)
		if !ok {
			t.Fatalf("%s not ready after done", name)
		}
		equalPeaks(t, p, w)
		if err := s.Err(name); err != nil {
			t.Error(err)
		}
	}

	// Ready: done is still called, without computing.
	before = c.computed.Load()
	ch := make(chan struct{})
	s.Request("0001-T.wav", "", func() { close(ch) })
	<-ch
	if c.computed.Load() != before {
		t.Error("Request of ready peaks computed again")
	}
	s.Request("0001-T.wav", "", nil)

	// Forget: the next Request loads again (from the disk cache).
	s.Forget("0001-T.wav")
	if _, ok := s.Get("0001-T.wav"); ok {
		t.Error("Get after Forget")
	}
	ch = make(chan struct{})
	s.Request("0001-T.wav", "", func() { close(ch) })
	<-ch
	if p, ok := s.Get("0001-T.wav"); !ok {
		t.Error("not ready after Forget and Request")
	} else {
		equalPeaks(t, p, want["0001-T.wav"])
	}
}

// writeTakes writes takes takes, 0001-T.wav and on, into the song folder
// dir, and returns their peaks as brutePeaks makes them.
func writeTakes(t *testing.T, dir string, takes int) map[string]*Peaks {
	os.Mkdir(filepath.Join(dir, projects.AudioDir), 0o700)
	want := map[string]*Peaks{}
	for i := range takes {
		name := fmt.Sprintf("%04d-T.wav", i+1)
		audio := [][]float32{ramp(200000+i*1000, -float32(i)/10, 1), ramp(200000+i*1000, 0.5, -0.5)}
		wavtest.Write(t, projects.AudioPath(dir, name), 48000, audio)
		want[name] = brutePeaks(48000, audio)
	}
	return want
}

// requestAll has each of goroutines "UI" goroutines Request every take of
// want at once while they poll Get (which must never give wrong peaks),
// and returns how many times done was called once every Request is done.
func requestAll(t *testing.T, s *Store, want map[string]*Peaks, goroutines int) int64 {
	var wg sync.WaitGroup
	var calls atomic.Int64
	for range goroutines {
		for name := range want {
			wg.Add(1)
			s.Request(name, "", func() { calls.Add(1); wg.Done() })
		}
	}
	var polls sync.WaitGroup
	for range goroutines {
		polls.Add(1)
		go func() {
			defer polls.Done()
			for range 1000 {
				for name := range want {
					if p, ok := s.Get(name); ok && p.Frames != want[name].Frames {
						t.Errorf("%s: wrong peaks", name)
					}
				}
			}
		}()
	}
	wg.Wait()
	polls.Wait()
	return calls.Load()
}

func TestStoreErrors(t *testing.T) {
	s := NewStore(t.TempDir())
	ch := make(chan struct{})
	s.Request("0001-Missing.wav", "", func() { close(ch) })
	<-ch
	if _, ok := s.Get("0001-Missing.wav"); ok {
		t.Error("Get of a missing take")
	}
	if s.Err("0001-Missing.wav") == nil {
		t.Error("no error for a missing take")
	}
	if s.Err("0002-Other.wav") != nil {
		t.Error("error for a take never requested")
	}
	ch = make(chan struct{})
	s.Request("../escape.wav", "", func() { close(ch) })
	<-ch
	if s.Err("../escape.wav") == nil {
		t.Error("no error for a bad take name")
	}
}

// TestStoreNewFile checks that a request naming another WAV file (a new
// render of a MIDI take) replaces the earlier one, whichever ends first.
func TestStoreNewFile(t *testing.T) {
	dir := t.TempDir()
	const mid = "0001-Keys.mid"
	r1 := filepath.Join(dir, "r1.wav")
	r2 := filepath.Join(dir, "r2.wav")
	a1 := [][]float32{ramp(500000, -1, 1)} // slower to compute
	a2 := [][]float32{ramp(1000, -0.5, 0.5)}
	wavtest.Write(t, r1, 48000, a1)
	wavtest.Write(t, r2, 48000, a2)
	for range 5 {
		s := NewStore(dir)
		var wg sync.WaitGroup
		wg.Add(2)
		s.Request(mid, r1, wg.Done)
		s.Request(mid, r2, wg.Done)
		wg.Wait()
		p, ok := s.Get(mid)
		if !ok {
			t.Fatal("not ready")
		}
		equalPeaks(t, p, brutePeaks(48000, a2))
	}
}
