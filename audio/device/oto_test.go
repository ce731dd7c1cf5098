package device_test

// Tests of the system sound output (device.SpeakersID, through oto). oto
// allows one context per process, for good, so every test that opens the
// device runs in a child process of its own, with an ALSA configuration
// of its own (ALSA_CONFIG_PATH):
//
//   - TestSpeakersUnavailable: "default" names a sound card that is not
//     there: Open fails with a plain error, and keeps failing.
//   - TestSpeakersNotListed: "default" is a null PCM: List leaves the
//     device out.
//   - TestSpeakersJACK (needs the private JACK server TestMain starts,
//     like the other JACK tests): "default" plays into
//     JACK through the alsa-plugins jack PCM, with a file tap before it, as
//     audio-env.sh sets it up. A JACK stream of this package records what
//     arrives there.

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"sangstudio/audio/device"
)

const speakersName = `the audio device "System sound output (playback only, no recording)" (ALSA via oto)`

// runSpeakersChild runs TestSpeakersChild in a child process with the given
// ALSA configuration and mode, and fails unless it passes.
func runSpeakersChild(t *testing.T, mode, alsaConf string, env ...string) {
	t.Helper()
	dir := t.TempDir()
	conf := filepath.Join(dir, "asound.conf")
	if err := os.WriteFile(conf, []byte(alsaConf), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	child := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestSpeakersChild$", "-test.v", "-test.count=1")
	child.Env = append(os.Environ(), "ALSA_CONFIG_PATH="+conf, "SANGSTUDIO_SPEAKERS_CHILD="+mode, "SANGSTUDIO_SPEAKERS_DIR="+dir)
	child.Env = append(child.Env, env...)
	out, err := child.CombinedOutput()
	t.Logf("child (%s):\n%s", mode, out)
	if err != nil || !strings.Contains(string(out), "--- PASS: TestSpeakersChild") {
		t.Fatalf("child (%s): %v", mode, err)
	}
}

func TestSpeakersUnavailable(t *testing.T) {
	// No machine has 32 sound cards: ALSA cards are numbered 0 to 31.
	runSpeakersChild(t, "unavailable", "pcm.!default { type hw card 31 }\n")
}

func TestSpeakersNotListed(t *testing.T) {
	runSpeakersChild(t, "null", "pcm.!default { type null }\n")
}

// TestSpeakersJACK plays a known pattern through the system sound output
// into the JACK test server and checks what arrives, the pace, and that
// Stop and Close return at once.
func TestSpeakersJACK(t *testing.T) {
	needJACK(t)
	if _, err := os.Stat("/usr/lib/x86_64-linux-gnu/alsa-lib/libasound_module_pcm_jack.so"); err != nil {
		if p, _ := filepath.Glob("/usr/lib/*/alsa-lib/libasound_module_pcm_jack.so"); len(p) == 0 {
			msg := "ALSA's jack PCM is not installed (package libasound2-plugins)"
			if requireAudio {
				t.Fatal(msg)
			}
			t.Skip(msg)
		}
	}
	setPeriod(t, 256)
	tap := filepath.Join(t.TempDir(), "tap.raw")
	// As scripts/audio-env.sh writes it, with a tap of our own.
	conf := fmt.Sprintf(`pcm.jackpcm {
    type jack
    playback_ports { 0 system:playback_1  1 system:playback_2 }
    capture_ports  { 0 system:capture_1   1 system:capture_2 }
}
pcm.taprec {
    type file
    slave.pcm "jackpcm"
    file "%s"
    format "raw"
    perm 0644
}
pcm.!default {
    type plug
    slave { pcm "taprec" format FLOAT_LE rate 48000 channels 2 }
}
`, tap)
	runSpeakersChild(t, "jack", conf, "SANGSTUDIO_SPEAKERS_TAP="+tap)
}

// TestSpeakersChild is the child process of the tests above.
func TestSpeakersChild(t *testing.T) {
	mode := os.Getenv("SANGSTUDIO_SPEAKERS_CHILD")
	switch mode {
	case "":
		t.Skip("run by TestSpeakersUnavailable, TestSpeakersNotListed and TestSpeakersJACK")
	case "unavailable":
		speakersUnavailable(t)
	case "null":
		if listed(t) {
			t.Error("List includes the system sound output while ALSA's default is a null PCM")
		}
		if _, err := device.Find("speakers"); !errors.Is(err, device.ErrNotFound) {
			t.Errorf("Find(speakers) = %v, want ErrNotFound", err)
		}
	case "jack":
		speakersJACK(t)
	default:
		t.Fatalf("unknown mode %q", mode)
	}
}

// listed tells whether List includes the system sound output, and checks
// its description.
func listed(t *testing.T) bool {
	t.Helper()
	list, err := device.List()
	t.Logf("List: %v (%v)", list, err)
	i := slices.IndexFunc(list, func(d device.Info) bool { return d.ID == device.SpeakersID })
	if i < 0 {
		return false
	}
	d := list[i]
	if d.Name != device.SpeakersName || d.Inputs != 0 || d.Outputs != 2 || d.Default || d.Virtual || i != len(list)-1 {
		t.Errorf("the system sound output in List (at %d of %d): %+v", i, len(list), d)
	}
	if def, _ := device.Default(); def.ID == device.SpeakersID {
		t.Error("Default() picks the system sound output")
	}
	return true
}

func speakersUnavailable(t *testing.T) {
	if !listed(t) {
		t.Error("List leaves out the system sound output before trying it, while ALSA's config defines \"default\"")
	}
	cb := func(in, out [][]float32, st device.Status) {}
	t0 := time.Now()
	_, err := device.Open(device.Config{Device: device.SpeakersID, Outputs: 2}, cb)
	d := time.Since(t0)
	t.Logf("Open: %v (after %v)", err, d.Round(time.Millisecond))
	want := speakersName + " could not be opened: no sound card or sound server took it ("
	if !errors.Is(err, device.ErrDeviceBusy) || !strings.HasPrefix(err.Error(), want) || !strings.HasSuffix(err.Error(), "); restart Sangstudio to try again") {
		t.Errorf("Open:\n got  %v\n want %s...; restart Sangstudio to try again (wrapping ErrDeviceBusy)", err, want)
	}
	if d > 6*time.Second {
		t.Errorf("Open took %v", d)
	}
	// oto cannot try again: the same error at once, whatever the rate.
	t0 = time.Now()
	_, err2 := device.Open(device.Config{Device: device.SpeakersID, Rate: 44100, Outputs: 1}, cb)
	if err2 == nil || err2.Error() != err.Error() || !errors.Is(err2, device.ErrDeviceBusy) || time.Since(t0) > 100*time.Millisecond {
		t.Errorf("second Open: %v (after %v); want the first error again, at once", err2, time.Since(t0))
	}
	if listed(t) {
		t.Error("List still includes the system sound output after it failed")
	}
}

// otoRecording is what the JACK stream recorded.
type otoRecording struct {
	rec      [2][]float32
	armed    atomic.Bool
	recorded atomic.Int64
	flagged  atomic.Int64
}

// record is the JACK stream's callback: it plays silence and, while
// armed, records inputs 0 and 1 until rec is full.
func (r *otoRecording) record(in, out [][]float32, st device.Status) {
	for _, o := range out {
		clear(o)
	}
	if !r.armed.Load() {
		return
	}
	k := r.recorded.Load()
	m := min(int64(len(in[0])), int64(len(r.rec[0]))-k)
	if m <= 0 {
		return
	}
	if st.InputOverflow || st.OutputUnderflow {
		r.flagged.Add(1)
	}
	for c := range r.rec {
		copy(r.rec[c][k:k+m], in[c][:m])
	}
	r.recorded.Store(k + m)
}

// otoPlayer is the callback of the system sound output: it plays
// pattern(c, frame) and notes when each callback ran (in preallocated
// memory, times: the callback must not allocate).
type otoPlayer struct {
	calls atomic.Int64
	times []int64
}

func (p *otoPlayer) play(in, out [][]float32, st device.Status) {
	n := p.calls.Load()
	if n < int64(len(p.times)) {
		p.times[n] = time.Now().UnixNano()
	}
	for c, o := range out {
		for i := range o {
			o[i] = pattern(c, st.Frame+int64(i))
		}
	}
	p.calls.Store(n + 1)
}

func speakersJACK(t *testing.T) {
	if !listed(t) {
		t.Fatal("List leaves out the system sound output while ALSA's default plays into JACK")
	}
	sys, err := device.Find("jack")
	if err != nil {
		t.Fatal(err)
	}
	const rate = 48000

	// A JACK stream records its inputs 0 and 1; ALSA's JACK
	// client will be wired to them.
	r := &otoRecording{}
	for c := range r.rec {
		r.rec[c] = make([]float32, 6*rate)
	}
	pa, err := device.Open(device.Config{Device: sys.ID, Rate: rate, Buffer: 256, Inputs: 2, Outputs: 2}, r.record)
	if err != nil {
		t.Fatal(err)
	}
	defer pa.Close()
	if err := pa.Start(); err != nil {
		t.Fatal(err)
	}
	client := device.JACKClientName(pa)

	// The system sound output plays the pattern.
	p := &otoPlayer{times: make([]int64, 1<<14)}
	s, err := device.Open(device.Config{Device: device.SpeakersID, Rate: rate, Buffer: 256, Outputs: 2}, p.play)
	if err != nil {
		t.Fatal(err)
	}
	closed := false
	defer func() {
		if !closed {
			s.Close()
		}
	}()
	if s.Rate() != rate || s.Buffer() != 256 || s.Info().ID != device.SpeakersID || s.InputLatency() != 0 || s.OutputLatency() <= 0 {
		t.Errorf("stream: rate %d, buffer %d, info %+v, latencies %d %d", s.Rate(), s.Buffer(), s.Info(), s.InputLatency(), s.OutputLatency())
	}
	t.Logf("output latency (estimated): %d frames", s.OutputLatency())
	time.Sleep(300 * time.Millisecond)
	if n := p.calls.Load(); n != 0 {
		t.Errorf("%d callbacks before Start", n)
	}
	checkSpeakersRules(t, rate)

	wireALSA(t, client)
	time.Sleep(100 * time.Millisecond)
	r.armed.Store(true)
	time.Sleep(100 * time.Millisecond)

	played := playAndStop(t, s, p, rate)
	total := playAndClose(t, s, p, played)
	closed = true
	checkJACKGot(t, r, pa, total)
	checkTap(t, total)
}

// checkSpeakersRules checks what the system sound output refuses while a
// stream at rate runs, and that a second stream opens: oto's rate is fixed
// for the process, and it has no inputs.
func checkSpeakersRules(t *testing.T, rate int) {
	t.Helper()
	nop := func(in, out [][]float32, st device.Status) {}
	_, err := device.Open(device.Config{Device: device.SpeakersID, Rate: 44100, Outputs: 2}, nop)
	want := speakersName + " already runs at 48000 Hz and cannot also run at 44100 Hz: it keeps the rate it was first opened at until Sangstudio restarts"
	if !errors.Is(err, device.ErrUnsupportedRate) || err.Error() != want {
		t.Errorf("Open at 44100 Hz:\n got  %v\n want %s", err, want)
	}
	_, err = device.Open(device.Config{Device: device.SpeakersID, Inputs: 1, Outputs: 2}, nop)
	if !errors.Is(err, device.ErrChannels) || err.Error() != speakersName+" has no inputs: it can only play, not record" {
		t.Errorf("Open with an input: %v", err)
	}
	// A second stream at rate 0 gets the context's rate (oto mixes them).
	s2, err := device.Open(device.Config{Device: device.SpeakersID, Outputs: 1}, nop)
	if err != nil || s2.Rate() != rate {
		t.Errorf("a second stream: %v", err)
	} else {
		s2.Close()
	}
}

// wireALSA wires ALSA's JACK client (named after this program:
// "<name>.P.<pid>.0") to the inputs of JACK client client, in place of the
// system capture ports.
func wireALSA(t *testing.T, client string) {
	t.Helper()
	alsaPorts := func() []string {
		var ports []string
		for _, p := range strings.Split(jack(t, "jack_lsp"), "\n") {
			if strings.Contains(p, fmt.Sprintf(".P.%d.", os.Getpid())) && strings.Contains(p, ":out_") {
				ports = append(ports, strings.TrimSpace(p))
			}
		}
		slices.Sort(ports)
		return ports
	}
	var outs []string
	for t0 := time.Now(); len(outs) < 2 && time.Since(t0) < 10*time.Second; time.Sleep(50 * time.Millisecond) {
		outs = alsaPorts()
	}
	if len(outs) != 2 {
		t.Fatalf("ALSA's JACK client has ports %v; want two out_ ports", outs)
	}
	conns := connections(t)
	for i, p := range outs {
		if !slices.Contains(conns[p], fmt.Sprintf("system:playback_%d", i+1)) {
			t.Errorf("%s is connected to %v, want system:playback_%d", p, conns[p], i+1)
		}
	}
	ins := clientPorts(t, conns, client, "in_")
	for _, p := range ins {
		for _, src := range conns[p] {
			jack(t, "jack_disconnect", src, p)
		}
	}
	jack(t, "jack_connect", outs[0], ins[0])
	jack(t, "jack_connect", outs[1], ins[1])
}

// playAndStop starts s (played by p) for 2 s, checks the pace and that
// Stop returns at once and stops the callbacks, and returns the frames
// played.
func playAndStop(t *testing.T, s device.Stream, p *otoPlayer, rate int) (played int64) {
	t.Helper()
	t0 := time.Now()
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond)
	f1, t1 := p.calls.Load()*256, time.Now()
	time.Sleep(1500 * time.Millisecond)
	f2, t2 := p.calls.Load()*256, time.Now()
	ts := time.Now()
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	stopTook := time.Since(ts)
	played = p.calls.Load() * 256
	pace := float64(f2-f1) / t2.Sub(t1).Seconds() / float64(rate)
	t.Logf("%d frames in %v after Start (%.3f x real time between 0.5 s and 2 s); Stop took %v",
		played, ts.Sub(t0).Round(time.Millisecond), pace, stopTook)
	// Loose bounds: an underrun on a busy machine (or under -race) slows
	// the pace for a while; a PCM that takes sound as fast as it comes (an
	// ALSA file or null PCM) would run at many times real time.
	if pace < 0.75 || pace > 1.25 {
		t.Errorf("the callback ran at %.3f x real time", pace)
	}
	if stopTook > 100*time.Millisecond {
		t.Errorf("Stop took %v", stopTook)
	}
	logIntervals(t, p.times[:min(p.calls.Load(), int64(len(p.times)))])
	time.Sleep(300 * time.Millisecond)
	if n := p.calls.Load() * 256; n != played {
		t.Errorf("%d frames played after Stop", n-played)
	}
	return played
}

// playAndClose starts s (played by p, played frames so far) again, then
// closes it while it plays: Close returns soon and ends the callbacks. It
// returns the frames played in all.
func playAndClose(t *testing.T, s device.Stream, p *otoPlayer, played int64) (total int64) {
	t.Helper()
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if p.calls.Load()*256 == played {
		t.Error("no callbacks after the second Start")
	}
	tc := time.Now()
	if err := s.Close(); err != nil {
		t.Error(err)
	}
	// Close waits for the sound oto holds to play out: about 0.1 s.
	closeTook := time.Since(tc)
	t.Logf("Close took %v", closeTook)
	if closeTook > 300*time.Millisecond {
		t.Errorf("Close took %v", closeTook)
	}
	n := p.calls.Load()
	time.Sleep(300 * time.Millisecond)
	if p.calls.Load() != n {
		t.Errorf("%d callbacks after Close", p.calls.Load()-n)
	}
	if s.Err() != nil || s.Start() == nil {
		t.Errorf("after Close: Err %v, Start succeeded", s.Err())
	}
	return n * 256
}

// checkJACKGot lets the rest play out, then checks what JACK got (r, from
// the stream pa) of the total frames played: the pattern from frame 0, in
// order, every sample exact. Silence may come between (an underrun delays
// the sound, and there is a gap between the Stop and the second Start). An
// xrun makes ALSA's jack PCM drop what it had buffered, and a period of
// stale input may arrive, so frames may be missing or repeated, but most
// must arrive, every sample exact.
func checkJACKGot(t *testing.T, r *otoRecording, pa device.Stream, total int64) {
	t.Helper()
	time.Sleep(500 * time.Millisecond)
	r.armed.Store(false)
	got := r.recorded.Load()
	if err := pa.Stop(); err != nil {
		t.Error(err)
	}
	rec := [2][]float32{r.rec[0][:got], r.rec[1][:got]}
	// One gap is the pause between Stop and the second Start; more are
	// underruns. The frames buffered when Close came (about 0.1 s) play
	// out: every frame the callback made arrives.
	matched, gaps, skipped, repeated := matchPattern(t, "JACK", rec, total, true)
	t.Logf("JACK: %d frames recorded, %d frames of the pattern found in order (%d played), %d gaps, %d frames dropped, %d repeated; %d buffers flagged with xruns on the JACK stream",
		got, matched, total, gaps, skipped, repeated, r.flagged.Load())
	if matched < total/2 {
		t.Errorf("JACK received %d frames of the pattern; the callback made %d", matched, total)
	}
}

// checkTap checks what went through the tap (what oto gave ALSA): the
// total frames played of the pattern, in order, every sample exact, none
// missing (silence may come between).
func checkTap(t *testing.T, total int64) {
	t.Helper()
	data, err := os.ReadFile(os.Getenv("SANGSTUDIO_SPEAKERS_TAP"))
	if err != nil {
		t.Fatal(err)
	}
	var tap [2][]float32
	for i := 0; i+8 <= len(data); i += 8 {
		tap[0] = append(tap[0], math.Float32frombits(binary.LittleEndian.Uint32(data[i:])))
		tap[1] = append(tap[1], math.Float32frombits(binary.LittleEndian.Uint32(data[i+4:])))
	}
	matched, gaps, _, _ := matchPattern(t, "the tap", tap, total, false)
	t.Logf("tap: %d frames, %d frames of the pattern in order, %d gaps", len(tap[0]), matched, gaps)
	if matched != total {
		t.Errorf("the tap has %d frames of the pattern; the callback made %d", matched, total)
	}
}

// matchPattern checks that the non-silent frames of rec are frames of
// pattern(c, k), k counting up from 0 (below limit), every sample exact, and
// returns how many it found and how many stretches of silence interrupt
// them. With resync, the order may break where JACK had an xrun: frames
// may be missing (ALSA's jack PCM drops what it had buffered) or repeated
// (a period of stale input); skipped and repeated count
// those frames. Frames that are not frames of the pattern are always
// errors, and so, without resync, are frames out of order.
func matchPattern(t *testing.T, what string, rec [2][]float32, limit int64, resync bool) (matched int64, gaps int, skipped, repeated int64) {
	t.Helper()
	is := func(i int, k int64) bool { return rec[0][i] == pattern(0, k) && rec[1][i] == pattern(1, k) }
	silent := true
	bad := 0
	next := int64(0)
	for i := range rec[0] {
		if rec[0][i] == 0 && rec[1][i] == 0 {
			silent = true
			continue
		}
		if silent && matched > 0 {
			gaps++
		}
		silent = false
		if next < limit && is(i, next) {
			next++
			matched++
			continue
		}
		if resync {
			k := next + 1
			for k < limit && !is(i, k) {
				k++
			}
			if k < limit {
				skipped += k - next
				next = k + 1
				matched++
				continue
			}
			lo := max(0, next-1<<14) // a few periods back
			for k = next - 1; k >= lo && !is(i, k); k-- {
			}
			if k >= lo {
				repeated++
				next = k + 1
				continue
			}
		}
		if bad < 3 {
			t.Errorf("%s: frame %d is [%v %v]; want frame %d of the pattern, [%v %v]", what, i, rec[0][i], rec[1][i], next, pattern(0, next), pattern(1, next))
		}
		bad++
	}
	if bad > 0 {
		t.Errorf("%s: %d frames are not the pattern's next ones", what, bad)
	}
	return matched, gaps, skipped, repeated
}

// logIntervals logs the times between callbacks: oto asks in bursts, as
// its buffer drains.
func logIntervals(t *testing.T, times []int64) {
	if len(times) < 3 {
		return
	}
	d := make([]float64, len(times)-1)
	for i := range d {
		d[i] = float64(times[i+1]-times[i]) / 1e6
	}
	slices.Sort(d)
	t.Logf("%d callbacks of 256 frames (%.2f ms of sound each): intervals median %.2f ms, p90 %.2f ms, max %.2f ms",
		len(times), 256.0/48, d[len(d)/2], d[len(d)*9/10], d[len(d)-1])
}
