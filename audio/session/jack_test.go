package session_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sangstudio/audio/calibrate"
	"sangstudio/audio/device"
	"sangstudio/audio/render"
	"sangstudio/audio/session"
	"sangstudio/audio/wav"
	"sangstudio/internal/testtool"
	"sangstudio/projects"
)

var jack *testtool.Jack

func TestMain(m *testing.M) {
	if os.Getenv("SANGSTUDIO_GONE_CHILD") != "" {
		os.Exit(m.Run()) // the child uses the server its parent started
	}
	jack = testtool.StartJack(128, 8)
	code := m.Run()
	jack.Stop()
	os.Exit(code)
}

// jackDevice returns the JACK "system" device with the server's period set
// to frames.
func jackDevice(t *testing.T, frames int) device.Info {
	t.Helper()
	jack.Need(t)
	jack.Cmd(t, "jack_bufsize", fmt.Sprint(frames))
	d, err := device.Find("jack")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// songWithOriginal makes a song with one mono track of noise panned hard
// left at 0 dB: the left output carries it sample for sample.
func songWithOriginal(t *testing.T, seconds float64) (string, *projects.Song, []float32) {
	dir := filepath.Join(t.TempDir(), "song")
	s := projects.New("loop", 48000)
	projects.Create(dir, s)
	n := int(seconds * 48000)
	x := noise(n, 42)
	for i := range x {
		x[i] *= 0.5
	}
	f, take, _ := projects.NewTakeFile(dir, s, "Original", ".wav")
	f.Close()
	writeWav(t, projects.AudioPath(dir, take), 48000, [][]float32{x})
	tr := projects.NewTrack("Original", 1)
	tr.Pan = -1
	tr.Clips = []projects.Clip{{Take: take, Length: int64(n)}}
	s.Tracks = []*projects.Track{tr}
	projects.Save(dir, s)
	return dir, s, x
}

// TestJackLoopbackRecordingLinesUp: on the JACK server with our outputs
// wired to our inputs, calibrate, then record the playback of a known track:
// the new take lines up with the original within one frame (in fact exactly),
// at 128 and 256 frames per buffer.
func TestJackLoopbackRecordingLinesUp(t *testing.T) {
	for _, buf := range []int{128, 256} {
		t.Run(fmt.Sprint(buf), func(t *testing.T) {
			d := jackDevice(t, buf)
			// Calibrate: measure the round trip through the cable.
			cal := device.Config{Device: d.ID, Rate: 48000, Buffer: buf, Inputs: 1, Outputs: 2}
			resCh := make(chan calibrate.Result, 1)
			errCh := make(chan error, 1)
			go func() {
				r, err := calibrate.Measure(cal, 2, 0, 0)
				resCh <- r
				errCh <- err
			}()
			waitPorts(t, "sangstudio:in_0")
			jack.Loop(t, "sangstudio", 0, 0)
			res, err := <-resCh, <-errCh
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("buffer %d: round trip %d frames, reported %d, heard %d of %d clicks", buf, res.Delay, res.Reported, res.Heard, res.Clicks)

			dir, s, x := songWithOriginal(t, 2)
			s.Tracks = append(s.Tracks, projects.NewTrack("Take", 1))
			ss, err := session.Open(dir, s, session.Options{Device: device.Config{Device: d.ID, Buffer: buf, Inputs: 1},
				Arm: []session.Arm{{Track: 1, Inputs: []int{0}}}, Latency: res.Delay})
			if err != nil {
				t.Fatal(err)
			}
			waitPorts(t, "sangstudio:in_0")
			jack.Loop(t, "sangstudio", 0, 0)
			settle() // rewiring the graph can cause an xrun: let it pass before recording
			e := ss.Engine()
			e.RecordFor(0, 60000)
			waitFor(t, "the recording", func() bool { return e.Position() >= 70000 })
			takes, err := ss.Close()
			if err != nil {
				t.Fatal(err)
			}
			if len(takes) != 1 {
				t.Fatalf("takes %+v", takes)
			}
			loaded, _, _ := projects.Load(dir)
			c := loaded.Tracks[1].Clips[0]
			got := readWav(t, projects.AudioPath(dir, c.Take))[0]
			// Take frame k (after the clip's offset) sits at timeline frame
			// c.Position+k and must equal the original there.
			mismatch := 0
			for k := int64(0); k < c.Length; k++ {
				if got[c.Offset+k] != x[c.Position+k] {
					mismatch++
				}
			}
			if mismatch > 0 && len(takes[0].Info.Dropouts) > 0 {
				t.Skipf("%d frames differ, but the device reported dropouts %v during the take (a busy machine): alignment cannot be judged", mismatch, takes[0].Info.Dropouts)
			}
			if mismatch > 0 {
				// Say how far off it is.
				best := 0
				for lag := -5; lag <= 5; lag++ {
					ok := true
					for k := int64(1000); k < 1100; k++ {
						if got[c.Offset+k] != x[c.Position+k+int64(lag)] {
							ok = false
						}
					}
					if ok {
						best = lag
					}
				}
				t.Fatalf("%d of %d frames do not line up (the take is off by %d frames)", mismatch, c.Length, best)
			}
			t.Logf("take at %d, %d frames, sample-exact with the original; xruns %d", c.Position, c.Length, e.Xruns())
		})
	}
}

// TestJackEightInputs records eight tracks at once from eight inputs, all
// fed by the left output: every take equals the original.
func TestJackEightInputs(t *testing.T) {
	d := jackDevice(t, 256)
	dir, s, x := songWithOriginal(t, 1.5)
	var arms []session.Arm
	for i := 0; i < 8; i++ {
		s.Tracks = append(s.Tracks, projects.NewTrack(fmt.Sprintf("In %d", i+1), 1))
		arms = append(arms, session.Arm{Track: i + 1, Inputs: []int{i}})
	}
	ss, err := session.Open(dir, s, session.Options{Device: device.Config{Device: d.ID, Buffer: 256, Inputs: 8}, Arm: arms, Latency: 256}) // one JACK period: our output reaches our input in the next cycle
	if err != nil {
		t.Fatal(err)
	}
	waitPorts(t, "sangstudio:in_7")
	jack.Loop(t, "sangstudio", 0, 0, 1, 2, 3, 4, 5, 6, 7)
	settle()
	e := ss.Engine()
	e.RecordFor(0, 48000)
	waitFor(t, "the recording", func() bool { return e.Position() >= 60000 })
	takes, err := ss.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(takes) != 8 {
		t.Fatalf("%d takes, want 8", len(takes))
	}
	loaded, _, _ := projects.Load(dir)
	for i := 1; i <= 8; i++ {
		c := loaded.Tracks[i].Clips[0]
		got := readWav(t, projects.AudioPath(dir, c.Take))[0]
		for k := int64(0); k < c.Length; k++ {
			if got[c.Offset+k] != x[c.Position+k] {
				if len(takes[0].Info.Dropouts) > 0 {
					t.Skipf("input %d differs at frame %d, but the device reported dropouts %v (a busy machine)", i, k, takes[0].Info.Dropouts)
				}
				t.Fatalf("input %d: frame %d does not match the original (one JACK period = 256 frames of latency assumed)", i, k)
			}
		}
	}
}

// TestJackServerGoneWhileRecording: the JACK server dies mid-take; the
// recording stops, the take so far is kept, and the error says what
// happened. PortAudio connects to one server per process, so the recording
// runs in a child process (this test binary again) on a second private
// server that the child kills.
func TestJackServerGoneWhileRecording(t *testing.T) {
	if os.Getenv("SANGSTUDIO_GONE_CHILD") != "" {
		goneChild(t)
		return
	}
	jack.Need(t)
	name := fmt.Sprintf("sangstudio-gone-%d", os.Getpid())
	srv := exec.Command("jackd", "-n", name, "-d", "dummy", "-r", "48000", "-p", "256", "-C", "2", "-P", "2")
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		srv.Process.Kill() // (the child normally has killed it already)
		srv.Wait()
		testtool.ReleaseServer(name) // free the JACK registry slot a SIGKILL leaves taken
	}()
	wait := exec.Command("jack_wait", "-w", "-t", "10")
	wait.Env = append(os.Environ(), "JACK_DEFAULT_SERVER="+name)
	if out, err := wait.CombinedOutput(); err != nil {
		t.Fatalf("second jackd: %v %s", err, out)
	}
	child := exec.Command(os.Args[0], "-test.run=^TestJackServerGoneWhileRecording$", "-test.v")
	child.Env = append(os.Environ(), "JACK_DEFAULT_SERVER="+name, "SANGSTUDIO_GONE_CHILD=1",
		fmt.Sprintf("SANGSTUDIO_GONE_PID=%d", srv.Process.Pid), "SANGSTUDIO_GONE_DIR="+t.TempDir())
	out, err := child.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS") {
		t.Fatalf("child: %v\n%s", err, out)
	}
}

func goneChild(t *testing.T) {
	d, err := device.Find("jack")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(os.Getenv("SANGSTUDIO_GONE_DIR"), "song")
	s := projects.New("gone", 48000)
	projects.Create(dir, s)
	s.Tracks = []*projects.Track{projects.NewTrack("Mic", 1)}
	ss, err := session.Open(dir, s, session.Options{Device: device.Config{Device: d.ID, Buffer: 256, Inputs: 1},
		Arm: []session.Arm{{Track: 0, Inputs: []int{0}}}})
	if err != nil {
		t.Fatal(err)
	}
	e := ss.Engine()
	e.Record(0)
	waitFor(t, "a second of recording", func() bool { return e.Position() >= 48000 })
	var pid int
	fmt.Sscan(os.Getenv("SANGSTUDIO_GONE_PID"), &pid)
	p, _ := os.FindProcess(pid)
	p.Kill() // the server is gone
	select {
	case <-ss.Stream().Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the stream did not notice that the JACK server is gone")
	}
	takes, err := ss.Close()
	if err == nil || !errors.Is(err, device.ErrDeviceLost) {
		t.Fatalf("Close: %v, want an error wrapping ErrDeviceLost", err)
	}
	t.Logf("message: %v", err)
	if len(takes) != 1 || takes[0].Frames < 48000 {
		t.Fatalf("takes %+v: the audio before the server died should be kept", takes)
	}
	loaded, _, lerr := projects.Load(dir)
	if lerr != nil || len(loaded.Tracks[0].Clips) != 1 || loaded.Tracks[0].Clips[0].Length != takes[0].Frames {
		t.Fatalf("song after the loss: %v %+v", lerr, loaded)
	}
}

// settle waits until a JACK graph change has passed (it can cost an xrun).
func settle() { time.Sleep(300 * time.Millisecond) }

// diffTake compares take audio got, placed as clip c, with the song's mix
// want from timeline frame 48000, where the transport rolled: the take's
// first frames (one loop, 256, after compensation) were played before
// that, so they must be silence. It returns how many frames differ and the
// first of them (a frame of the take; -1 for none).
func diffTake(got []float32, c projects.Clip, want []float32) (bad int, first int64) {
	first = -1
	for k := int64(0); k < c.Length; k++ {
		want := want[c.Position+k]
		if c.Position+k < 48000 {
			want = 0
		}
		if got[c.Offset+k] != want {
			if bad == 0 {
				first = k
			}
			bad++
		}
	}
	return bad, first
}

// waitPorts waits until JACK lists a port.
func waitPorts(t *testing.T, port string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(jack.Cmd(t, "jack_lsp"), port) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("JACK port %s did not appear", port)
}

// TestJackLongRecordingWhile16TracksPlay records 60 s of the master (looped
// back) while 16 tracks play, and checks that every frame of the take equals
// the offline render of the same song. The xrun count is printed (a shared
// machine can cause some; `make bench` is where the figure is recorded).
func TestJackLongRecordingWhile16TracksPlay(t *testing.T) {
	if testing.Short() {
		t.Skip("60 s of real-time recording")
	}
	d := jackDevice(t, 256)
	dir := filepath.Join(t.TempDir(), "song")
	s := projects.New("sixteen", 48000)
	projects.Create(dir, s)
	const seconds = 62
	for i := 0; i < 16; i++ {
		f, take, _ := projects.NewTakeFile(dir, s, "t", ".wav")
		f.Close()
		x := noise(seconds*48000, uint64(100+i))
		for k := range x {
			x[k] *= 0.05
		}
		writeWav(t, projects.AudioPath(dir, take), 48000, [][]float32{x})
		tr := projects.NewTrack(fmt.Sprintf("T%d", i+1), 1)
		tr.Pan, tr.GainDB = -1, -float64(i%5)
		tr.Clips = []projects.Clip{{Take: take, Length: seconds * 48000}}
		s.Tracks = append(s.Tracks, tr)
	}
	projects.Save(dir, s)
	mixPath := filepath.Join(t.TempDir(), "mix.wav")
	if _, err := render.Render(context.Background(), dir, s, render.Options{Mix: mixPath, Encoding: wav.Float32}); err != nil {
		t.Fatal(err)
	}
	want := readWav(t, mixPath)[0]
	s.Tracks = append(s.Tracks, projects.NewTrack("Rec", 1))
	ss, err := session.Open(dir, s, session.Options{Device: device.Config{Device: d.ID, Buffer: 256, Inputs: 1},
		Arm: []session.Arm{{Track: 16, Inputs: []int{0}}}, Latency: 256}) // one JACK period
	if err != nil {
		t.Fatal(err)
	}
	waitPorts(t, "sangstudio:in_0")
	jack.Loop(t, "sangstudio", 0, 0)
	settle()
	e := ss.Engine()
	e.Locate(48000)
	e.RecordFor(0, 60*48000)
	deadline := time.Now().Add(90 * time.Second)
	for e.Position() < 61*48000 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	takes, err := ss.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(takes) != 1 || takes[0].Frames != 60*48000 {
		t.Fatalf("takes %+v, want one of 60 s", takes)
	}
	loaded, _, _ := projects.Load(dir)
	c := loaded.Tracks[16].Clips[0]
	got := readWav(t, projects.AudioPath(dir, c.Take))[0]
	bad, first := diffTake(got, c, want)
	if bad > 0 {
		t.Logf("the first differing frame: %d of the take (timeline %d); clip at %d, offset %d", first, c.Position+first, c.Position, c.Offset)
	}
	t.Logf("60 s take: %d of %d frames differ from the render; xruns %d, underruns %d, capture overflows %d, dropouts noted %v",
		bad, c.Length, e.Xruns(), e.Underruns(), e.CaptureOverflows(), takes[0].Info.Dropouts)
	if e.Underruns() != 0 || e.CaptureOverflows() != 0 {
		t.Fatalf("the disk side could not keep up: %d underruns, %d capture overflows", e.Underruns(), e.CaptureOverflows())
	}
	if bad > 0 && e.Xruns() == 0 {
		t.Fatalf("%d frames differ with no xrun reported", bad)
	}
}
