package main

// Tests on the desktop's real sound system: a private, headless PipeWire
// with WirePlumber, a null sink and a null source (scripts/pipewire-env.sh;
// `make test` starts it for these tests alone). The real binary plays and
// records through PortAudio's ALSA "default" device (PipeWire through
// pipewire-alsa) and through PipeWire's JACK library (pw-jack … --device
// jack). Without that server they are skipped, unless
// SANGSTUDIO_REQUIRE_PIPEWIRE=1 says it is up: then they fail.

import (
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"sangstudio/internal/wavtest"
	"sangstudio/projects"
)

// pipeWire is the server pipewire-env.sh started: its null sink and source.
type pipeWire struct{ sink, source string }

// needPipeWire skips the test (fails it with SANGSTUDIO_REQUIRE_PIPEWIRE=1)
// unless the private PipeWire of pipewire-env.sh answers.
func needPipeWire(t *testing.T) pipeWire {
	t.Helper()
	pw := pipeWire{sink: os.Getenv("PW_SINK"), source: os.Getenv("PW_SOURCE")}
	why := ""
	switch {
	case os.Getenv("PIPEWIRE_RUNTIME_DIR") == "" || pw.sink == "" || pw.source == "":
		why = "no private PipeWire server (run the test inside scripts/pipewire-env.sh's pipewire_up, as make test does)"
	default:
		if out, err := pwCmd("pw-cli", "info", "0"); err != nil {
			why = fmt.Sprintf("the PipeWire server does not answer: pw-cli: %v %s", err, out)
		}
	}
	if why != "" {
		if os.Getenv("SANGSTUDIO_REQUIRE_PIPEWIRE") == "1" {
			t.Fatal(why)
		}
		t.Skip(why)
	}
	return pw
}

// pwEnv is the environment of a program on the desktop's PipeWire: ALSA's
// own configuration (where pipewire-alsa makes "default" PipeWire), no
// private JACK server.
func pwEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "ALSA_CONFIG_PATH", "JACK_DEFAULT_SERVER", "JACK_NO_START_SERVER", "JACK_NO_AUDIO_RESERVATION":
			continue
		}
		env = append(env, kv)
	}
	return append(env, extra...)
}

// pwCmd runs a PipeWire tool (30 s at most).
func pwCmd(name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = pwEnv()
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// pwLink links (or with -d unlinks) the sink's monitor to the source's
// input, both channels, for the rest of the test: what is played to the
// sink is what the source records.
func (pw pipeWire) loop(t *testing.T) {
	t.Helper()
	for _, ch := range []string{"FL", "FR"} {
		out, in := pw.sink+":monitor_"+ch, pw.source+":input_"+ch
		if o, err := pwCmd("pw-link", out, in); err != nil {
			t.Fatalf("pw-link %s %s: %v %s", out, in, err, o)
		}
		t.Cleanup(func() { pwCmd("pw-link", "-d", out, in) })
	}
}

// runSang runs the real binary (under pw-jack when jack is set) on
// PipeWire, with a time limit, and returns its output.
func runSang(t *testing.T, jack bool, args ...string) string {
	t.Helper()
	bin := binary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	name := bin
	if jack {
		name, args = "pw-jack", append([]string{bin}, args...)
	}
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = pwEnv("HOME="+t.TempDir(), "XDG_CONFIG_HOME="+t.TempDir())
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// noiseSong makes a song with one mono track of noise (at -6 dB) panned
// hard left, seconds long: the left output carries it sample for sample.
func noiseSong(t *testing.T, seconds float64) (string, []float32) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "song")
	s := projects.New("pipewire", 48000)
	if err := projects.Create(dir, s); err != nil {
		t.Fatal(err)
	}
	x := make([]float32, int(seconds*48000))
	seed := uint32(12345)
	for i := range x {
		seed = seed*1664525 + 1013904223
		x[i] = (float32(seed>>8)/float32(1<<24) - 0.5)
	}
	take := wavtest.Take(t, dir, s, "Original", [][]float32{x})
	tr := projects.NewTrack("Original", 1)
	tr.Pan = -1
	tr.Clips = []projects.Clip{{Take: take, Length: int64(len(x))}}
	s.Tracks = []*projects.Track{tr}
	if err := projects.Save(dir, s); err != nil {
		t.Fatal(err)
	}
	return dir, x
}

// lag finds where ref[from:from+n] is in got by normalised
// cross-correlation, over lags lo…hi (got[i+lag] ≈ ref[i]), and returns
// the best lag and its correlation (1: identical up to a gain).
func lag(got, ref []float32, from, n, lo, hi int) (int, float64) {
	best, bestC := 0, -2.0
	for l := lo; l <= hi; l++ {
		if from+l < 0 || from+l+n > len(got) || from+n > len(ref) {
			continue
		}
		var sxy, sxx, syy float64
		for i := from; i < from+n; i++ {
			a, b := float64(ref[i]), float64(got[i+l])
			sxy += a * b
			sxx += a * a
			syy += b * b
		}
		if sxx == 0 || syy == 0 {
			continue
		}
		if c := sxy / math.Sqrt(sxx*syy); c > bestC {
			best, bestC = l, c
		}
	}
	return best, bestC
}

var (
	latencyRe = regexp.MustCompile(`Recording on (.*) \((\d+) Hz, (\d+) frames per buffer, latency (\d+) frames\)`)
	xrunsRe   = regexp.MustCompile(`Xruns: (\d+)`)
)

// recordedTake is the new track's take of a recording in dir: its audio
// (channel 0) laid out on the song's timeline from frame 0.
func recordedTake(t *testing.T, dir string) []float32 {
	t.Helper()
	s, _, err := projects.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Tracks) != 2 || len(s.Tracks[1].Clips) != 1 {
		t.Fatalf("after recording, the song's tracks: %+v", s.Tracks)
	}
	c := s.Tracks[1].Clips[0]
	_, audio := wavtest.Read(t, projects.AudioPath(dir, c.Take))
	line := make([]float32, c.Position+c.Length)
	copy(line[c.Position:], audio[0][c.Offset:c.Offset+c.Length])
	return line
}

// checkLinedUp finds the take's offset from the original in four windows
// and fails unless it is the same in all (no frame lost or added while
// recording) and within tolerance frames of 0 (the latency compensation
// put it where it was played). It returns that offset.
func checkLinedUp(t *testing.T, got, orig []float32, tolerance int) int {
	t.Helper()
	const window, maxLag = 4800, 9600
	var lags []int
	for _, from := range []int{24000, 48000, 72000, 96000} {
		l, c := lag(got, orig, from, window, -maxLag, maxLag)
		t.Logf("window at %.1f s: the take is %+d frames from the original (correlation %.6f)", float64(from)/48000, l, c)
		if c < 0.999 {
			t.Fatalf("window at frame %d: best correlation %.4f at %+d frames: the take is not what was played", from, c, l)
		}
		lags = append(lags, l)
	}
	for _, l := range lags[1:] {
		if l != lags[0] {
			t.Fatalf("the take's offset from the original changes while recording: %v frames (frames were lost or added)", lags)
		}
	}
	if lags[0] < -tolerance || lags[0] > tolerance {
		t.Fatalf("the take is %+d frames from where it was played (tolerance ±%d)", lags[0], tolerance)
	}
	return lags[0]
}

// TestPipeWireALSALoopback: on the desktop's PipeWire, the default device is
// ALSA "default" (not the virtual device); `sangstudio record` plays a
// song of noise to the null sink, whose monitor is linked to the null
// source it records from: the take lines up with what was played (the
// latency the device reports puts it in place, within the tolerance
// measured below), frame for frame across the take.
func TestPipeWireALSALoopback(t *testing.T) {
	pw := needPipeWire(t)
	pw.loop(t)
	dir, orig := noiseSong(t, 3)
	out := runSang(t, false, "record", dir, "--seconds", "2.5", "--inputs", "1", "--buffer", "256")
	t.Logf("record: %s", strings.TrimSpace(out))
	m := latencyRe.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("record did not say which device it opened: %s", out)
	}
	if m[1] != "default" {
		t.Fatalf("record opened %q with no --device given; want ALSA \"default\" (PipeWire), never the virtual device", m[1])
	}
	if !strings.Contains(out, "no dropouts") {
		t.Logf("NOTE: the device reported dropouts (xruns; a busy machine): %s", out)
	}
	reported, _ := strconv.Atoi(m[4])
	off := checkLinedUp(t, recordedTake(t, dir), orig, alsaTolerance)
	t.Logf("ALSA default on PipeWire: reported latency %d frames, the take is %+d frames from where it was played (so the loop took %d frames)", reported, off, reported+off)
}

// alsaTolerance is how far (frames at 48 kHz) a take recorded through ALSA
// "default" on PipeWire may sit from where it was played. Measured here
// (PipeWire 0.3.65, --buffer 256): PortAudio reports 1024 frames and the
// take is exactly in place (+0), every run; one buffer of slack.
const alsaTolerance = 256

// TestPipeWireJACK: under pw-jack (PipeWire's libjack), `play --device
// jack` plays on JACK's "system" (PipeWire's sink), and `record` on a
// duplex PipeWire node (a null Audio/Duplex node the test adds: JACK shows
// it as a device with 2 inputs and 2 outputs; the null sink and source
// are capture-only or playback-only there) plays a song of noise into it
// and records it back: the take lines up with what was played, frame for
// frame across the take. xruns are printed, never a failure.
func TestPipeWireJACK(t *testing.T) {
	needPipeWire(t)
	dir, orig := noiseSong(t, 3)
	out := runSang(t, true, "play", dir, "--device", "jack", "--seconds", "1")
	t.Logf("pw-jack sangstudio play --device jack: %s", strings.TrimSpace(out))
	if !strings.Contains(out, "Playing on system") {
		t.Fatalf("play --device jack under pw-jack did not play on JACK's \"system\" (PipeWire's sink): %s", out)
	}
	if m := xrunsRe.FindStringSubmatch(out); m != nil {
		t.Logf("play's xruns: %s", m[1])
	}
	const node = "sangstudio-test-loop"
	if o, err := pwCmd("pw-cli", "create-node", "adapter", "{ factory.name=support.null-audio-sink node.name="+node+
		" node.description=\"Sangstudio test loop\" media.class=Audio/Duplex object.linger=true audio.position=[FL FR] }"); err != nil {
		t.Fatalf("pw-cli create-node: %v %s", err, o)
	}
	t.Cleanup(func() { pwCmd("pw-cli", "destroy", node) })
	for t0 := time.Now(); ; time.Sleep(100 * time.Millisecond) {
		if o, _ := pwCmd("pw-link", "-o"); strings.Contains(o, node+":capture_FR") {
			break
		}
		if time.Since(t0) > 10*time.Second {
			t.Fatal("the duplex node did not appear")
		}
	}
	out = runSang(t, true, "record", dir, "--device", "Sangstudio test loop", "--seconds", "2.5", "--inputs", "1", "--buffer", "256")
	t.Logf("pw-jack sangstudio record: %s", strings.TrimSpace(out))
	m := latencyRe.FindStringSubmatch(out)
	if m == nil || m[1] != "Sangstudio test loop" {
		t.Fatalf("record did not open the duplex node through JACK: %s", out)
	}
	if !strings.Contains(out, "no dropouts") {
		t.Logf("NOTE: the device reported dropouts (xruns; a busy machine): %s", out)
	}
	reported, _ := strconv.Atoi(m[4])
	off := checkLinedUp(t, recordedTake(t, dir), orig, jackTolerance)
	t.Logf("pw-jack: period %s frames, reported latency %d frames, the take is %+d frames from where it was played", m[3], reported, off)
}

// jackTolerance is how far (frames at 48 kHz) a take recorded under pw-jack
// may sit from where it was played. Measured here (PipeWire 0.3.65): the
// null duplex node reports a latency of 0, and the take is +1024 frames
// late, every run: one PipeWire quantum (the JACK period there), which the
// node does not report. A real card reports its latency; a null node
// cannot, so the tolerance is one quantum.
const jackTolerance = 1024

// TestPipeWireDefaultWithJackd: with PipeWire (the desktop's sound server)
// and a JACK server (jackd) both running, `sangstudio devices` marks ALSA
// "default" (PipeWire) as the device used when no --device is given, as
// Audacity does; JACK's "system" is listed and `--device jack` still finds
// it. Where ALSA's default is not PipeWire (a config without pipewire-alsa,
// as on a JACK studio machine), the running jackd's "system" is the default.
func TestPipeWireDefaultWithJackd(t *testing.T) {
	needPipeWire(t)
	name := fmt.Sprintf("sangstudio-pwtest-%d", os.Getpid())
	jackd := exec.Command("jackd", "-n", name, "-d", "dummy", "-r", "48000", "-p", "256", "-C", "2", "-P", "2")
	jackd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := jackd.Start(); err != nil {
		t.Fatalf("jackd (package jackd2): %v", err)
	}
	t.Cleanup(func() {
		jackd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { jackd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			jackd.Process.Kill()
			<-done
		}
	})
	jackEnv := []string{"JACK_DEFAULT_SERVER=" + name, "JACK_NO_START_SERVER=1", "JACK_NO_AUDIO_RESERVATION=1"}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	wait := exec.CommandContext(ctx, "jack_wait", "-w", "-t", "10")
	wait.Env = pwEnv(jackEnv...)
	if out, err := wait.CombinedOutput(); err != nil {
		t.Fatalf("jackd did not come up: %v %s", err, out)
	}
	devices := func(extra ...string) (string, string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, binary(t), "devices")
		cmd.Env = pwEnv(append(append([]string{"HOME=" + t.TempDir()}, jackEnv...), extra...)...)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("sangstudio devices: %v\n%s", err, out)
		}
		def := ""
		for _, line := range strings.Split(string(out), "\n") {
			if strings.HasPrefix(line, "* ") {
				def = strings.TrimPrefix(line, "* ") // the ID, then its channels and name
			}
		}
		return string(out), def
	}
	out, def := devices()
	t.Logf("PipeWire and jackd both running:\n%s", out)
	if !strings.Contains(out, "JACK Audio Connection Kit/system#1") {
		t.Fatalf("the running jackd's system device is not listed")
	}
	if !strings.HasPrefix(def, "ALSA/default#1 ") {
		t.Fatalf("with PipeWire and jackd running, the default is %q; want ALSA/default#1 (PipeWire)", def)
	}
	conf := filepath.Join(t.TempDir(), "asound.conf")
	os.WriteFile(conf, []byte("pcm.!default { type null }\n"), 0o600)
	out, def = devices("ALSA_CONFIG_PATH=" + conf)
	t.Logf("jackd running, ALSA's default not PipeWire:\n%s", out)
	if !strings.HasPrefix(def, "JACK Audio Connection Kit/system#1 ") {
		t.Fatalf("with jackd running and ALSA's default not PipeWire, the default is %q; want JACK's system", def)
	}
}
