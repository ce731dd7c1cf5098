package session_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"sangstudio/audio/device"
	"sangstudio/audio/session"
	"sangstudio/internal/testtool"
	"sangstudio/internal/wavtest"
	"sangstudio/projects"
)

// soak reports whether the long versions run (SANGSTUDIO_SOAK=1, set by
// `make soak`).
func soak() bool { return os.Getenv("SANGSTUDIO_SOAK") == "1" }

// rssBytes is the process's resident set size (VmRSS).
func rssBytes() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(data), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}

type memSample struct {
	at        time.Duration
	rss, heap int64
}

func sampleMem(t0 time.Time) memSample {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return memSample{at: time.Since(t0), rss: rssBytes(), heap: int64(ms.HeapInuse)}
}

// growth is the growth of RSS and of the heap in use over the second half
// of the samples (the first half includes warming up: buffers, caches).
func growth(s []memSample) (rss, heap int64) {
	mid, last := s[len(s)/2], s[len(s)-1]
	return last.rss - mid.rss, last.heap - mid.heap
}

const mb = 1 << 20

// TestSoakMemoryWhileRecording records two inputs on the virtual device,
// fed from a looping noise file, in real time, and samples the heap in use
// and the RSS every second (every 10 s in soak): over the second half both
// must grow by less than 8 MB (memory flat). 30 s in `make test`, 15
// minutes with SANGSTUDIO_SOAK=1; the hour of recording is the long run
// (TestLongRunRecord8While16Play, scripts/soak.sh), which samples memory
// each minute while it records 8 inputs on JACK. (The virtual device's Fast mode is not used: it
// outruns the disk side, which then drops captured audio; see the report.)
func TestSoakMemoryWhileRecording(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "song")
	s := projects.New("memory", 48000)
	if err := projects.Create(dir, s); err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(t.TempDir(), "in.wav")
	writeWav(t, in, 48000, [][]float32{noise(48000*3, 7), noise(48000*3, 8)})
	s.Tracks = []*projects.Track{projects.NewTrack("A", 1), projects.NewTrack("B", 1)}
	ss, err := session.Open(dir, s, session.Options{
		Device: device.Config{Device: device.VirtualID, Inputs: 2,
			VirtualInput: device.VirtualSource{Kind: "file", Path: in, Loop: true}},
		Arm: []session.Arm{{Track: 0, Inputs: []int{0}}, {Track: 1, Inputs: []int{1}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	e := ss.Engine()
	hour := int64(3600 * 48000)
	wall, every := 30*time.Second, time.Second
	if soak() {
		wall, every = 15*time.Minute, 10*time.Second
	}
	e.Record(0)
	t0 := time.Now()
	var samples []memSample
	for time.Since(t0) < wall && e.Position() < hour {
		time.Sleep(every)
		samples = append(samples, sampleMem(t0))
		if err := ss.ButlerErr(); err != nil {
			t.Fatal(err)
		}
	}
	pos := e.Position()
	takes, err := ss.Close()
	if err != nil {
		for _, tk := range takes {
			t.Logf("take %s: %d frames, %d dropouts noted (first %v), xruns %d", tk.File, tk.Frames, len(tk.Info.Dropouts), tk.Info.Dropouts[:min(5, len(tk.Info.Dropouts))], e.Xruns())
		}
		t.Fatalf("after %d frames: %v", pos, err)
	}
	if len(takes) != 2 || takes[0].Frames < pos-48000 || takes[0].Frames != takes[1].Frames {
		t.Fatalf("takes %+v after %d frames", takes, pos)
	}
	// The virtual device's clock is an ordinary goroutine: when the machine
	// runs it more than a buffer late, it notes a dropout in the take, as a
	// device would. That is timing, not memory: counted, not failed on.
	t.Logf("%d dropouts noted (the virtual device's clock ran late)", len(takes[0].Info.Dropouts))
	if len(samples) < 4 {
		t.Fatalf("only %d memory samples", len(samples))
	}
	dr, dh := growth(samples)
	first, mid, last := samples[0], samples[len(samples)/2], samples[len(samples)-1]
	t.Logf("recorded 2 × %.1f min of audio in %v (%.0f× real time); RSS %.1f → %.1f → %.1f MB, heap in use %.1f → %.1f → %.1f MB (start, middle, end); growth over the second half: RSS %+.2f MB, heap %+.2f MB",
		float64(takes[0].Frames)/48000/60, time.Since(t0).Round(time.Second), float64(takes[0].Frames)/48000/time.Since(t0).Seconds(),
		float64(first.rss)/mb, float64(mid.rss)/mb, float64(last.rss)/mb, float64(first.heap)/mb, float64(mid.heap)/mb, float64(last.heap)/mb,
		float64(dr)/mb, float64(dh)/mb)
	if dr > 8*mb || dh > 8*mb {
		t.Errorf("memory grows while recording: RSS %+.1f MB, heap %+.1f MB over the second half", float64(dr)/mb, float64(dh)/mb)
	}
}

// TestSoakPlayLargeSong plays a song of 32 tracks × 20 takes of 5 minutes
// (sparse files: silence) on the JACK server at 256 frames and counts xruns
// and disk underruns: 10 s in `make test` (printed, not failed on: shared
// machines), the whole 5 minutes with SANGSTUDIO_SOAK=1, where missing more
// cycles than a peer C client on the same server fails (see tooLate).
func TestSoakPlayLargeSong(t *testing.T) {
	d := jackDevice(t, 256)
	dir := filepath.Join(t.TempDir(), "large")
	s := largeSong(t, dir, 32, 20, 300)
	seconds := 10
	if soak() {
		seconds = 300
	}
	ss, err := session.Open(dir, s, session.Options{Device: device.Config{Device: d.ID, Buffer: 256}})
	if err != nil {
		t.Fatal(err)
	}
	jack.StartPeer(t)
	settle()
	e := ss.Engine()
	x0, late0 := e.Xruns(), jack.Lateness()
	e.Play()
	t0 := time.Now()
	end := int64(seconds) * 48000
	deadline := time.Now().Add(time.Duration(seconds+30) * time.Second)
	for e.Position() < end && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	pos := e.Position()
	late := jack.Lateness().Since(late0)
	if _, err := ss.Close(); err != nil {
		t.Fatal(err)
	}
	t.Logf("played %.1f s of the 32 × 20-take song (32 tracks playing) on JACK at 256 frames in %v: xruns %d, underruns %d; %s",
		float64(pos)/48000, time.Since(t0).Round(time.Millisecond), e.Xruns()-x0, e.Underruns(), late.Report("sangstudio"))
	if pos < end {
		t.Fatalf("the song stopped at %.1f s", float64(pos)/48000)
	}
	if e.Underruns() > 0 {
		t.Errorf("the disk side could not keep up: %d underruns", e.Underruns())
	}
	if soak() && tooLate(late) {
		t.Errorf("sangstudio missed %d cycles while playing, the peer C client %d: more than the machine explains", late.Late["sangstudio"], late.Late[testtool.PeerName])
	}
}

// largeSong writes a song of tracks × takes takes of seconds each (48 kHz
// mono 24-bit WAV), the last take of each track active and the others as
// take lanes. The take files are sparse (a valid header, then truncated to
// the full size), so they read as silence without using the disk.
func largeSong(tb testing.TB, dir string, tracks, takes int, seconds int) *projects.Song {
	tb.Helper()
	s := projects.New("Large", 48000)
	if err := projects.Create(dir, s); err != nil {
		tb.Fatal(err)
	}
	frames := int64(seconds) * 48000
	for i := 0; i < tracks; i++ {
		tr := projects.NewTrack(fmt.Sprintf("Track %d", i+1), 1)
		tr.Pan = float64(i%3-1) * 0.5
		for k := 0; k < takes; k++ {
			f, take, err := projects.NewTakeFile(dir, s, tr.Name, ".wav")
			if err != nil {
				tb.Fatal(err)
			}
			wavtest.Sparse24(tb, f, frames)
			s.Takes = append(s.Takes, projects.TakeInfo{File: take, Recorded: "2026-11-25T10:00:00Z", Frames: frames})
			tr.NewPass(fmt.Sprintf("Take %d", k+1), []projects.Clip{{Take: take, Length: frames}})
		}
		s.Tracks = append(s.Tracks, tr)
	}
	if err := projects.Save(dir, s); err != nil {
		tb.Fatal(err)
	}
	return s
}
