package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"sangstudio/audio/device"
	"sangstudio/audio/session"
	"sangstudio/internal/testtool"
	"sangstudio/internal/wavtest"
	"sangstudio/projects"
	"sangstudio/projects/songlog"
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
	// Both recordings are in the song's log: opened, a take per track, closed.
	es, damaged, err := songlog.Read(dir)
	if err != nil || damaged != 0 {
		t.Fatalf("the song's log: %v, %d damaged", err, damaged)
	}
	var events []string
	for _, e := range es {
		events = append(events, string(e.Event)+":"+e.Track)
		if e.By != songlog.ByCommand {
			t.Errorf("log entry %+v not by the command line", e)
		}
	}
	if got := strings.Join(events, " "); got != "opened: take:Input 1 take:Input 2 closed: opened: take:Input 1 closed:" {
		t.Fatalf("the song's log: %s", got)
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

// TestCrashRecordingKill kills a recording `sangstudio record` with SIGKILL
// at random moments; opening the song again (projects.Load + session.Recover,
// as the app does) puts every take back with all audio up to at most a
// second before the kill, and the audio is the signal that was fed in.
//
// It records two inputs on a private JACK server (dummy backend, 256-frame
// periods), the song's own left output wired to both inputs, the song
// playing a known noise track: each take must equal that noise, frame for
// frame, from where the wiring took effect. Without jackd (and without
// SANGSTUDIO_REQUIRE_AUDIO=1) it records the virtual device's sine instead,
// and says so. 20 kills in `make test`, 200 with SANGSTUDIO_SOAK=1.
func TestCrashRecordingKill(t *testing.T) {
	kills := 20
	if os.Getenv("SANGSTUDIO_SOAK") == "1" {
		kills = 200
	}
	bin := binary(t)
	useJack := crashJack(t)
	cfgHome := t.TempDir() // no stored calibration offsets
	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	var margins []time.Duration
	compared, mismatched := int64(0), int64(0)
	for k := 0; k < kills; k++ {
		dir := filepath.Join(t.TempDir(), "s")
		var orig []float32
		if useJack {
			orig = crashSong(t, dir)
		} else {
			mustSang(t, "new", dir)
		}
		elapsed, wireErr := recordAndKill(t, k, bin, dir, cfgHome, useJack, time.Duration(200+rng.Intn(2300))*time.Millisecond)
		minFrames := checkRecoveredTakes(t, k, dir, recoveredRun{orig, useJack, elapsed, wireErr}, &compared, &mismatched)
		got := time.Duration(minFrames) * time.Second / 48000
		margin := elapsed - got
		margins = append(margins, margin)
		if margin > time.Second+150*time.Millisecond {
			t.Errorf("kill %d after %v of recording: recovered %v, more than a second lost", k, elapsed.Round(time.Millisecond), got.Round(time.Millisecond))
		}
		t.Logf("kill %d after %v: recovered %v (lost %v)", k, elapsed.Round(time.Millisecond), got.Round(time.Millisecond), margin.Round(time.Millisecond))
	}
	sort.Slice(margins, func(i, j int) bool { return margins[i] < margins[j] })
	where := "the JACK server (loopback)"
	if !useJack {
		where = "the virtual device (sine)"
	}
	t.Logf("record crash test on %s: %d of %d kills survived, 2 takes each; recording time before the kill minus audio recovered: min %v, median %v, max %v; %d frames compared with the signal fed in, %d differ",
		where, len(margins), kills, margins[0].Round(time.Millisecond), margins[len(margins)/2].Round(time.Millisecond), margins[len(margins)-1].Round(time.Millisecond), compared, mismatched)
}

// crashJack starts the private JACK server of TestCrashRecordingKill and
// reports whether it runs; without it the test records the virtual
// device, unless SANGSTUDIO_REQUIRE_AUDIO=1.
func crashJack(t *testing.T) bool {
	for _, k := range []string{"JACK_DEFAULT_SERVER", "JACK_NO_START_SERVER", "JACK_NO_AUDIO_RESERVATION", "ALSA_CONFIG_PATH"} {
		t.Setenv(k, os.Getenv(k)) // restored when the test ends (StartJack changes them)
	}
	jack := testtool.StartJack(256, 2)
	t.Cleanup(jack.Stop)
	if jack.Err != nil {
		if os.Getenv("SANGSTUDIO_REQUIRE_AUDIO") == "1" {
			t.Fatal(jack.Err)
		}
		t.Logf("NOTE: no JACK server (%v): recording on the virtual device instead", jack.Err)
		return false
	}
	return true
}

// recordAndKill starts recording two inputs into the song in dir (on JACK,
// with the song's left output wired to both; else the virtual sine),
// kills the program after wait, and returns how long it had been
// recording and why the wiring failed, if it did.
func recordAndKill(t *testing.T, k int, bin, dir, cfgHome string, useJack bool, wait time.Duration) (time.Duration, error) {
	args := []string{"record", dir, "--seconds", "600", "--inputs", "1,2", "--buffer", "256", "--latency", "256"} // one JACK period: the loop from our output to our input
	if useJack {
		args = append(args, "--device", "jack")
		waitNoClient(t, "sangstudio") // the killed one is gone from the graph
	} else {
		args = append(args, "--device", "virtual", "--virtual-input", "sine")
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+cfgHome)
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stderr)
	started := false
	var said []string
	for sc.Scan() {
		said = append(said, sc.Text())
		if strings.HasPrefix(sc.Text(), "Recording on") {
			started = true
			break
		}
	}
	t0 := time.Now()
	if !started {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("kill %d: the recording did not start: %s", k, strings.Join(said, "\n"))
	}
	go io.Copy(io.Discard, stderr)
	wired := make(chan error, 1)
	if useJack {
		// Feed the song's left output to both inputs (the dummy
		// system capture ports connected by default carry silence).
		go func() {
			for _, in := range []string{"sangstudio:in_0", "sangstudio:in_1"} {
				if out, err := exec.Command("jack_connect", "sangstudio:out_0", in).CombinedOutput(); err != nil {
					wired <- fmt.Errorf("jack_connect %s: %v %s", in, err, out)
					return
				}
			}
			wired <- nil
		}()
	} else {
		wired <- nil
	}
	time.Sleep(wait)
	cmd.Process.Signal(syscall.SIGKILL)
	elapsed := time.Since(t0)
	cmd.Wait()
	return elapsed, <-wired
}

// recoveredRun is what checkRecoveredTakes knows of one killed recording.
type recoveredRun struct {
	orig    []float32 // the noise fed in (JACK)
	useJack bool
	elapsed time.Duration // recording time before the kill
	wireErr error
}

// checkRecoveredTakes recovers the song in dir after kill k, checks that
// both takes are recovered and hold what was fed in (counting the frames
// compared and mismatched), and returns the shorter take's length.
func checkRecoveredTakes(t *testing.T, k int, dir string, run recoveredRun, compared, mismatched *int64) int64 {
	s, _, err := projects.Load(dir)
	if err != nil {
		t.Fatalf("kill %d: the song does not open: %v", k, err)
	}
	notes, err := session.Recover(dir, s)
	if err != nil {
		t.Fatalf("kill %d: recovery: %v (%q)", k, err, notes)
	}
	if len(notes) != 2 || !isRecovered(notes[0]) || !isRecovered(notes[1]) {
		t.Fatalf("kill %d after %v: recovery said %q, want two recovered takes", k, run.elapsed, notes)
	}
	s, _, err = projects.Load(dir) // what the next open sees
	if err != nil {
		t.Fatal(err)
	}
	base := 0
	if run.useJack {
		base = 1 // the "Original" track
	}
	if len(s.Tracks) != base+2 {
		t.Fatalf("kill %d: %d tracks, want %d", k, len(s.Tracks), base+2)
	}
	minFrames := int64(-1)
	for i, tr := range s.Tracks[base:] {
		if len(tr.Clips) != 1 {
			t.Fatalf("kill %d: track %q has clips %+v", k, tr.Name, tr.Clips)
		}
		c := tr.Clips[0]
		info := s.Take(c.Take)
		if info == nil || !info.Recovered {
			t.Fatalf("kill %d: take %s is not noted as recovered: %+v", k, c.Take, info)
		}
		if minFrames < 0 || info.Frames < minFrames {
			minFrames = info.Frames
		}
		got := readMono(t, projects.AudioPath(dir, c.Take))
		if int64(len(got)) != info.Frames {
			t.Fatalf("kill %d: take %s has %d frames, the song says %d", k, c.Take, len(got), info.Frames)
		}
		if run.useJack {
			n, bad := compareLoop(got, run.orig, c)
			if run.wireErr == nil && n == 0 && run.elapsed > 1500*time.Millisecond && info.Frames > 60000 {
				t.Errorf("kill %d: input %d: the fed signal never arrived in %d frames", k, i+1, len(got))
			}
			*compared += n
			*mismatched += bad
			if bad > 0 {
				t.Errorf("kill %d: input %d: %d of %d frames differ from the signal fed in", k, i+1, bad, n)
			}
		} else {
			n, bad := compareSine(got)
			*compared += n
			*mismatched += bad
			if bad > 0 {
				t.Errorf("kill %d: input %d: %d of %d frames are not the virtual sine", k, i+1, bad, n)
			}
		}
	}
	return minFrames
}

// crashSong writes a song with one mono track, 12 s of noise panned hard
// left at 0 dB: the left output carries it sample for sample. It returns
// the noise.
func crashSong(t *testing.T, dir string) []float32 {
	t.Helper()
	s := projects.New("crash", 48000)
	if err := projects.Create(dir, s); err != nil {
		t.Fatal(err)
	}
	x := make([]float32, 12*48000)
	seed := uint64(rand.Int63())
	for i := range x {
		seed = seed*6364136223846793005 + 1442695040888963407
		x[i] = 0.5 * float32(int32(seed>>32)) / (1 << 32)
	}
	take := wavtest.Take(t, dir, s, "Original", [][]float32{x})
	tr := projects.NewTrack("Original", 1)
	tr.Pan = -1
	tr.Clips = []projects.Clip{{Take: take, Length: int64(len(x))}}
	s.Tracks = []*projects.Track{tr}
	if err := projects.Save(dir, s); err != nil {
		t.Fatal(err)
	}
	return x
}

func readMono(t *testing.T, path string) []float32 {
	t.Helper()
	_, audio := wavtest.Read(t, path)
	if len(audio) != 1 {
		t.Fatalf("%s: %d channels", path, len(audio))
	}
	return audio[0]
}

// compareLoop compares a looped-back take with the original from the first
// frame that carries signal (before the wiring took effect the inputs hear
// silence): take frame c.Offset+k sits at timeline frame c.Position+k. It
// returns the frames compared and how many differ.
func compareLoop(got, orig []float32, c projects.Clip) (n, bad int64) {
	first := int64(-1)
	for k := c.Offset; k < int64(len(got)); k++ {
		if got[k] != 0 {
			first = k
			break
		}
	}
	if first < 0 {
		return 0, 0
	}
	for k := first; k < int64(len(got)); k++ {
		p := c.Position + k - c.Offset
		if p >= int64(len(orig)) {
			break
		}
		n++
		if got[k] != orig[p] {
			bad++
		}
	}
	return n, bad
}

// compareSine checks that a take is the virtual device's sine (1 kHz at
// device.SineLevel, any phase): the phase is taken from the first frames.
func compareSine(got []float32) (n, bad int64) {
	if len(got) < 2 {
		return 0, 0
	}
	step := 2 * math.Pi * 1000 / 48000
	// x0 = A sin(p), x1 = A sin(p+step)  =>  A cos(p) = (x1 - x0 cos(step)) / sin(step)
	x0, x1 := float64(got[0]), float64(got[1])
	p := math.Atan2(x0, (x1-x0*math.Cos(step))/math.Sin(step))
	for k, v := range got {
		n++
		if math.Abs(float64(v)-device.SineLevel*math.Sin(p+float64(k)*step)) > 1e-4 {
			bad++
		}
	}
	return n, bad
}

// waitNoClient waits until the JACK graph has no port of the client (a
// killed client is removed a moment after it dies), so that the next one
// gets the same name.
func waitNoClient(t *testing.T, client string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		out, err := exec.Command("jack_lsp").CombinedOutput()
		if err == nil && !strings.Contains(string(out), client+":") {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("JACK still lists ports of %s", client)
}

// isRecovered reports whether a recovery note says a take was recovered
// (and says so on the command line).
func isRecovered(n error) bool {
	_, ok := n.(*session.RecoveredTake)
	return ok && strings.HasPrefix(n.Error(), "recovered take from ")
}
