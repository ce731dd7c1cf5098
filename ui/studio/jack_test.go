package studio_test

// The live session on a real JACK server (the dummy backend, real-time
// paced), driven through the studio as the window drives it: the device
// opened once for the whole run, every change heard while playing,
// tracks armed and disarmed while recording, a device lost and found
// again. A "feeder" JACK client plays a known signal into Sangstudio's
// inputs and a "tap" client records what Sangstudio plays, so that what
// was recorded and what was heard can be checked frame by frame.

import (
	"bufio"
	"fmt"
	"math"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"sangstudio/audio/calibrate"
	"sangstudio/audio/device"
	"sangstudio/audio/engine"
	"sangstudio/internal/testtool"
	"sangstudio/internal/uitest"
	"sangstudio/internal/wavtest"
	"sangstudio/projects"
	"sangstudio/ui/studio"
)

var jack *testtool.Jack

func TestMain(m *testing.M) {
	jack = testtool.StartJack(256, 8)
	code := m.Run()
	jack.Stop()
	os.Exit(code)
}

// jackID is the JACK system device.
func jackID(t *testing.T) string {
	t.Helper()
	jack.Need(t)
	jack.Cmd(t, "jack_bufsize", "256")
	d, err := device.Find("jack")
	if err != nil {
		t.Fatal(err)
	}
	return d.ID
}

// The signals are exact in float32 and say what they are: 0.25 + n/2^23
// for n < 2^21 (one exponent, so adding a far smaller value, such as a
// track panned hard right leaking 6e-17 of itself into the left, changes
// nothing).
const (
	sigBase  = 0.25
	sigScale = 1 << 23
	sigWrap  = 1 << 18 // frames before a signal's counter wraps (5.46 s)
)

// feed is what the feeder plays on channel c at its frame k: the channel
// in the top 3 bits, the frame in the other 18.
func feed(c int, k int64) float32 {
	return sigBase + float32(int64(c)<<18|k&(sigWrap-1))/sigScale
}

// unfeed decodes a fed sample: its channel and frame (mod sigWrap); ok is
// false for anything else.
func unfeed(v float32) (c int, k int64, ok bool) {
	n := (float64(v) - sigBase) * sigScale
	if n < 0 || n >= 1<<21 || n != math.Floor(n) {
		return 0, 0, false
	}
	return int(n) >> 18, int64(n) & (sigWrap - 1), true
}

// pattern is the song's pattern track at timeline frame t.
func pattern(t int64) float32 { return sigBase + float32(t&(1<<21-1))/sigScale }

// unpattern decodes a pattern sample (its timeline frame mod 2^21).
func unpattern(v float32) (int64, bool) {
	n := (float64(v) - sigBase) * sigScale
	if n < 0 || n >= 1<<21 || n != math.Floor(n) {
		return 0, false
	}
	return int64(n), true
}

// client is a helper JACK client of the test (feeder or tap).
type client struct {
	s device.Stream
}

// feederClient is the feeder, with the counter values (mod sigWrap) of the
// buffers before which JACK told it of an xrun: when the feeder itself was
// not run in a cycle, its ports hold its last buffer again, and what
// Sangstudio records there repeats it. That is the feeder's loss, not
// Sangstudio's.
type feederClient struct {
	client
	xruns [4096]int64
	n     atomic.Int64
}

// lateAt reports whether the feeder noted an xrun within 8 periods of its
// counter value k.
func (f *feederClient) lateAt(k int64) bool {
	if f == nil {
		return false
	}
	for _, x := range f.xruns[:min(f.n.Load(), int64(len(f.xruns)))] {
		d := (k - x) & (sigWrap - 1)
		if d <= 2048 || d >= sigWrap-2048 {
			return true
		}
	}
	return false
}

// startFeeder plays feed(c, k) on outputs 0..channels-1 of a JACK client
// named "feeder", wired to Sangstudio's inputs 0..channels-1.
func startFeeder(t *testing.T, id string, channels int) *feederClient {
	t.Helper()
	f := &feederClient{}
	s, err := device.Open(device.Config{Device: id, ClientName: "feeder", Outputs: channels, Buffer: 256},
		func(in, out [][]float32, st device.Status) {
			if st.OutputUnderflow || st.InputOverflow {
				if n := f.n.Load(); n < int64(len(f.xruns)) {
					f.xruns[n] = st.Frame & (sigWrap - 1)
					f.n.Store(n + 1)
				}
			}
			for c := range out {
				for i := range out[c] {
					out[c][i] = feed(c, st.Frame+int64(i))
				}
			}
		})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	f.s = s
	return f
}

// tap records what a JACK client named "tap" hears on its input 0 (wired
// to Sangstudio's left output) into a buffer allocated up front.
type tap struct {
	client
	buf []float32
	n   atomic.Int64
}

func startTap(t *testing.T, id string, seconds int) *tap {
	t.Helper()
	tp := &tap{buf: make([]float32, seconds*48000)}
	s, err := device.Open(device.Config{Device: id, ClientName: "tap", Inputs: 1, Outputs: 1, Buffer: 256},
		func(in, out [][]float32, st device.Status) {
			clear(out[0])
			n := tp.n.Load()
			k := copy(tp.buf[min(n, int64(len(tp.buf))):], in[0])
			tp.n.Store(n + int64(k))
		})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	tp.s = s
	t.Cleanup(func() { s.Close() })
	return tp
}

// heard is what the tap has recorded so far.
func (tp *tap) heard() []float32 { return tp.buf[:tp.n.Load()] }

// wire connects JACK ports, removing what the system had connected to the
// inputs first.
func wire(t *testing.T, pairs ...[2]string) {
	t.Helper()
	waitPort(t, pairs[len(pairs)-1][1])
	lsp := jack.Cmd(t, "jack_lsp", "-c")
	var port string
	drop := map[string]bool{}
	for _, p := range pairs {
		drop[p[1]] = true
	}
	for _, line := range strings.Split(lsp, "\n") {
		if !strings.HasPrefix(line, " ") && !strings.HasPrefix(line, "\t") {
			port = strings.TrimSpace(line)
			continue
		}
		if peer := strings.TrimSpace(line); drop[port] && strings.HasPrefix(peer, "system:") {
			jack.Cmd(t, "jack_disconnect", peer, port)
		}
	}
	for _, p := range pairs {
		jack.Cmd(t, "jack_connect", p[0], p[1])
	}
	time.Sleep(300 * time.Millisecond) // a graph change can cost a cycle: let it pass
}

func waitPort(t *testing.T, port string) {
	t.Helper()
	uitest.Until(t, "JACK's port "+port, 10*time.Second, nil, func() bool {
		return strings.Contains(jack.Cmd(t, "jack_lsp"), port)
	})
}

// evmon counts JACK client registrations by name while a test runs.
type evmon struct {
	mu    sync.Mutex
	count map[string]int
	cmd   *exec.Cmd
	done  chan struct{}
}

func startEvmon(t *testing.T) *evmon {
	t.Helper()
	m := &evmon{count: map[string]int{}, done: make(chan struct{})}
	// stdbuf: jack_evmon's output to a pipe would wait in stdio's buffer.
	m.cmd = exec.Command("stdbuf", "-oL", "jack_evmon")
	m.cmd.Env = append(os.Environ(), "JACK_DEFAULT_SERVER="+jack.Name)
	m.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	out, err := m.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := m.cmd.Start(); err != nil {
		t.Fatalf("jack_evmon (package jackd2): %v", err)
	}
	go func() {
		defer close(m.done)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			var name string
			if _, err := fmt.Sscanf(sc.Text(), "Client %s registered", &name); err == nil && strings.HasSuffix(sc.Text(), " registered") {
				m.mu.Lock()
				m.count[name]++
				m.mu.Unlock()
			}
		}
	}()
	t.Cleanup(func() { m.cmd.Process.Kill(); <-m.done })
	// It counts from when it is connected: wait until it sees a client
	// (jack_lsp's own) register, rather than sleeping and hoping.
	uitest.Until(t, "jack_evmon to see a client register", 20*time.Second, func() { jack.Cmd(t, "jack_lsp") }, func() bool {
		m.mu.Lock()
		defer m.mu.Unlock()
		return len(m.count) > 0
	})
	return m
}

func (m *evmon) registered(name string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.count[name]
}

// liveSong makes a song for the live tests: P, the pattern track, panned
// hard left at unity (the left output is P exactly); E1..E3, audio tracks
// panned hard right (edited while playing); R1..R4, empty mono tracks
// recording from inputs 1..4.
func liveSong(t *testing.T, seconds int) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "live")
	s := projects.New("Live", 48000)
	if err := projects.Create(dir, s); err != nil {
		t.Fatal(err)
	}
	n := seconds * 48000
	p := make([]float32, n)
	for i := range p {
		p[i] = pattern(int64(i))
	}
	tp := projects.NewTrack("P", 1)
	tp.Pan = -1
	tp.Clips = []projects.Clip{{Take: wavtest.Take(t, dir, s, "P", [][]float32{p}), Length: int64(n)}}
	s.Tracks = append(s.Tracks, tp)
	for j := range 3 {
		x := make([]float32, 10*48000)
		for i := range x {
			x[i] = float32(0.3 * math.Sin(float64(i)*float64(j+1)*0.01))
		}
		e := projects.NewTrack(fmt.Sprintf("E%d", j+1), 1)
		e.Pan = 1
		take := wavtest.Take(t, dir, s, e.Name, [][]float32{x})
		for k := range n / len(x) {
			e.Clips = append(e.Clips, projects.Clip{Take: take, Position: int64(k * len(x)), Length: int64(len(x))})
		}
		s.Tracks = append(s.Tracks, e)
	}
	for j := range 4 {
		r := projects.NewTrack(fmt.Sprintf("R%d", j+1), 1)
		r.Pan, r.Input = 1, []int{j + 1}
		s.Tracks = append(s.Tracks, r)
	}
	if err := projects.Save(dir, s); err != nil {
		t.Fatal(err)
	}
	return dir
}

// gaps counts the places where the tap's pattern does not go on frame by
// frame while the pattern plays: each is a run of discontinuities within a
// period. Silence (before Play, after Stop) is not a gap.
func gaps(heard []float32) (gaps, frames int) {
	last := int64(-1)
	lastGap := -1 << 30
	for i, v := range heard {
		t, ok := unpattern(v)
		if !ok {
			last = -1
			continue
		}
		frames++
		if last >= 0 && t != (last+1)&(1<<21-1) {
			if i-lastGap > 256 {
				gaps++
			}
			lastGap = i
		}
		last = t
	}
	return gaps, frames
}

// checkTake checks a take recorded from the feeder: frame after frame the
// feeder's counter goes on by one (the channel may change where the track's
// input was changed), except where the take notes that the device lost
// audio. JACK reports a lost cycle to a client on another thread than its
// audio thread, so the place noted may be a few periods off: a jump within
// 8 periods of a noted dropout is that dropout; so is a jump where the
// feeder itself was late (feeder.lateAt). It returns the frames checked.
func checkTake(t *testing.T, dir string, s *projects.Song, file string, feeder *feederClient) int64 {
	t.Helper()
	_, audio := wavtest.Read(t, projects.AudioPath(dir, file))
	var dropouts []int64
	if ti := s.Take(file); ti != nil {
		dropouts = ti.Dropouts
	}
	lost := func(i int64) bool {
		for _, d := range dropouts {
			if d < 0 || (i >= d-2048 && i <= d+2048) {
				return true
			}
		}
		return false
	}
	x := audio[0]
	var prev int64 = -1
	for i, v := range x {
		_, k, ok := unfeed(v)
		if !ok {
			if lost(int64(i)) {
				prev = -1
				continue
			}
			t.Fatalf("take %s frame %d: %v is not the feeder's signal (dropouts %v)", file, i, v, dropouts)
		}
		if prev >= 0 && k != (prev+1)&(sigWrap-1) && !lost(int64(i)) && !feeder.lateAt(k) {
			t.Fatalf("take %s frame %d: the feeder's frame %d follows %d (dropouts noted: %v)", file, i, k, prev, dropouts)
		}
		prev = k
	}
	return int64(len(x))
}

// TestJackLiveSession is the scripted session: the device opened once, the
// song played and recorded for minutes while hundreds of changes are made
// (arming and disarming, clips moved, tracks added and deleted, undo and
// redo, inputs and gains changed) and the song switched. Sangstudio's JACK
// client is registered exactly once; what it plays of the unchanged
// pattern track goes on without a gap beyond the cycles the server says
// were missed; every take is the signal fed to its input, frame for frame.
func TestJackLiveSession(t *testing.T) {
	changes := 300
	every := 600 * time.Millisecond
	if testing.Short() {
		changes, every = 60, 300*time.Millisecond
	}
	seconds := int(time.Duration(changes)*every/time.Second) + 60
	ls := startLiveSession(t, seconds)

	tick := time.NewTicker(every)
	defer tick.Stop()
	for step := range changes {
		if step == changes*4/5 {
			ls.switchSong(t)
		}
		ls.waitForTick(tick)
		ls.randomChange(t)
	}
	lat := ls.finish(t)
	t.Logf("%d changes: %v", changes, ls.counts)

	if n := ls.mon.registered("sangstudio"); n != 1 {
		t.Errorf("the JACK client sangstudio registered %d times during the run, want exactly once", n)
	}
	checkPlayedWithoutGaps(t, ls.tp, lat, seconds)
	checkLiveTakes(t, ls.feeder, changes, ls.dir, ls.dir2)
	for _, err := range ls.bgErrs {
		t.Errorf("background error: %v", err)
	}
}

// liveSession is TestJackLiveSession's run: the studio on the JACK device,
// the clients around it, and what the changes made so far have done.
type liveSession struct {
	l      *loop
	audio  *studio.Audio
	st     *studio.Studio
	mon    *evmon
	feeder *feederClient
	tp     *tap
	dir    string // the song recorded first
	dir2   string // the song switched to
	before testtool.Lateness
	bgErrs []error
	rng    *rand.Rand
	counts map[string]int // changes made, by kind
	added  int            // tracks added and not deleted again
}

// startLiveSession opens the song on the JACK device, with the feeder
// wired to its inputs and the tap to its first output, and starts
// recording the first recording track (R1).
func startLiveSession(t *testing.T, seconds int) *liveSession {
	id := jackID(t)
	ls := &liveSession{mon: startEvmon(t)}
	ls.dir = liveSong(t, seconds)
	ls.dir2 = liveSong(t, 60)
	ls.feeder = startFeeder(t, id, 4)
	ls.tp = startTap(t, id, seconds+60)
	ls.l = newLoop(t)
	ls.audio = testAudio(t, studio.AudioConfig{Device: id, Buffer: 256}, ls.l.post)
	st, err := studio.Open(ls.dir, ls.audio, ls.l.post)
	if err != nil {
		t.Fatal(err)
	}
	ls.st = st
	ls.collectErrors(t)
	st.StartAudio()
	ls.l.pump("the device", func() bool { return st.Audio().Device != "" && !st.Audio().Starting })
	if st.Audio().Virtual {
		t.Fatalf("the studio fell back to the virtual device: %s", st.Audio().Fallback)
	}
	wire(t, [2]string{"feeder:out_0", "sangstudio:in_0"}, [2]string{"feeder:out_1", "sangstudio:in_1"},
		[2]string{"feeder:out_2", "sangstudio:in_2"}, [2]string{"feeder:out_3", "sangstudio:in_3"},
		[2]string{"sangstudio:out_0", "tap:in_0"})
	ls.before = jack.Lateness()
	st.SetCountIn(0)
	if err := st.Arm(4, true); err != nil { // R1
		t.Fatal(err)
	}
	if err := st.Record(); err != nil {
		t.Fatal(err)
	}
	ls.l.pump("recording", func() bool { return st.State() == engine.Recording })
	ls.rng = rand.New(rand.NewSource(16))
	ls.counts = map[string]int{}
	return ls
}

// collectErrors keeps (and logs) the studio's background errors.
func (ls *liveSession) collectErrors(t *testing.T) {
	ls.st.OnError = func(err error) { ls.bgErrs = append(ls.bgErrs, err); t.Logf("background: %v", err) }
}

// switchSong is the song switch: this song is closed (its recording
// kept), the other opened on the same device, and played, recording its
// first recording track (R2).
func (ls *liveSession) switchSong(t *testing.T) {
	ls.st.Stop()
	ls.l.pump("the takes placed", func() bool { return !ls.st.Finishing() })
	if err := ls.st.Close(); err != nil {
		t.Fatal(err)
	}
	st, err := studio.Open(ls.dir2, ls.audio, ls.l.post)
	if err != nil {
		t.Fatal(err)
	}
	ls.st = st
	ls.collectErrors(t)
	st.SetCountIn(0)
	st.Arm(5, true) // R2
	if err := st.Record(); err != nil {
		t.Fatal(err)
	}
	ls.l.pump("recording the second song", func() bool { return st.State() == engine.Recording })
	ls.counts["song switch"]++
}

// waitForTick polls the studio until the ticker says the next change is due.
func (ls *liveSession) waitForTick(tick *time.Ticker) {
	ls.l.pump("the next change", func() bool {
		select {
		case <-tick.C:
			return true
		default:
			ls.st.Poll()
			return false
		}
	})
}

// randomChange makes one change, of a kind drawn at random.
func (ls *liveSession) randomChange(t *testing.T) {
	s := ls.st.Song()
	switch op := ls.rng.Intn(10); {
	case op < 3:
		ls.toggleArm(t, s)
	case op < 5:
		ls.moveClip(t)
	case op == 5:
		ls.addOrDeleteTrack(t, s)
	case op == 6:
		ls.undoOrRedo()
	case op == 7:
		ls.changeInput(t, s)
	default:
		ls.moveFader()
	}
}

// toggleArm arms or disarms a recording track.
func (ls *liveSession) toggleArm(t *testing.T, s *projects.Song) {
	i := 4 + ls.rng.Intn(4)
	if i < len(s.Tracks) && strings.HasPrefix(s.Tracks[i].Name, "R") {
		if err := ls.st.Arm(i, !ls.st.Armed(i)); err != nil {
			t.Fatal(err)
		}
		ls.counts["arm/disarm"]++
	}
}

// moveClip moves a clip of an edited track.
func (ls *liveSession) moveClip(t *testing.T) {
	i := 1 + ls.rng.Intn(3)
	shift := int64(ls.rng.Intn(4801) - 2400)
	if err := ls.st.Edit("Move clip", func(s *projects.Song) error {
		c := &s.Tracks[i].Clips[ls.rng.Intn(len(s.Tracks[i].Clips))]
		c.Position = max(c.Position+shift, 0)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	ls.counts["clip moved"]++
}

// addOrDeleteTrack adds a track (a copy of the first edited track's clips,
// hard right), or deletes the last one added.
func (ls *liveSession) addOrDeleteTrack(t *testing.T, s *projects.Song) {
	last := s.Tracks[len(s.Tracks)-1]
	if ls.added > 0 && ls.rng.Intn(2) == 0 && strings.HasPrefix(last.Name, "X") {
		if err := ls.st.Edit("Delete track", func(s *projects.Song) error {
			s.Tracks = s.Tracks[:len(s.Tracks)-1]
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		ls.added--
		ls.counts["track deleted"]++
		return
	}
	src := s.Tracks[1]
	if err := ls.st.Edit("Add track", func(s *projects.Song) error {
		x := projects.NewTrack(s.UniqueTrackName("X"), 1)
		x.Pan, x.Clips = 1, append([]projects.Clip(nil), src.Clips...)
		s.Tracks = append(s.Tracks, x)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	ls.added++
	ls.counts["track added"]++
}

// undoOrRedo undoes or redoes the last edit; nothing, if there is none yet
// (a song just opened).
func (ls *liveSession) undoOrRedo() {
	switch {
	case ls.st.CanRedo() && ls.rng.Intn(2) == 0:
		ls.st.Redo()
		ls.counts["redo"]++
	case ls.st.CanUndo():
		ls.st.Undo()
		ls.counts["undo"]++
	default:
		return
	}
	ls.l.pump("undo/redo", func() bool { return ls.st.CanUndo() || ls.st.CanRedo() })
}

// changeInput gives a recording track another input, or switches its
// monitoring.
func (ls *liveSession) changeInput(t *testing.T, s *projects.Song) {
	i := 4 + ls.rng.Intn(4)
	in := 1 + ls.rng.Intn(4)
	if i < len(s.Tracks) && strings.HasPrefix(s.Tracks[i].Name, "R") {
		monitor := ls.rng.Intn(3) == 0
		if err := ls.st.Edit("Choose input", func(s *projects.Song) error {
			if monitor {
				s.Tracks[i].Monitor = !s.Tracks[i].Monitor
			} else {
				s.Tracks[i].Input = []int{in}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if monitor {
			ls.counts["monitoring switched"]++
		} else {
			ls.counts["input changed"]++
		}
	}
}

// moveFader moves the fader of an edited track.
func (ls *liveSession) moveFader() {
	i := 1 + ls.rng.Intn(3)
	g := float64(ls.rng.Intn(13) - 12)
	ls.st.Live(func(s *projects.Song) { s.Tracks[i].GainDB = g })
	ls.st.Commit("Volume")
	ls.counts["gain changed"]++
}

// finish stops the song, waits for its takes to be placed and closes it;
// it returns the server's lateness over the run.
func (ls *liveSession) finish(t *testing.T) testtool.Lateness {
	ls.st.Stop()
	ls.l.pump("the takes placed", func() bool { return !ls.st.Finishing() })
	lat := jack.Lateness().Since(ls.before)
	if err := ls.st.Close(); err != nil {
		t.Fatal(err)
	}
	return lat
}

// checkPlayedWithoutGaps checks that the tap heard the pattern track for
// the whole run, with no more gaps than the server reports missed cycles.
func checkPlayedWithoutGaps(t *testing.T, tp *tap, lat testtool.Lateness, seconds int) {
	missed := lat.Timer
	for _, v := range lat.Late {
		missed += v
	}
	g, frames := gaps(tp.heard())
	t.Logf("output tap: %d frames of the pattern heard, %d gaps; the server reports %d missed cycles (%s)",
		frames, g, missed, lat.Report("sangstudio"))
	if frames < (seconds-70)*48000 {
		t.Errorf("the tap heard only %d frames of the pattern track", frames)
	}
	// Each song's playback ends at its Stop: the song switch and the end
	// are two more breaks in the pattern, not gaps.
	if g > missed+1 {
		t.Errorf("%d gaps in what was played, beyond the %d cycles the server reports missed", g, missed)
	}
}

// checkLiveTakes checks every take of the songs in dirs against the
// feeder's signal, and that at least one take was recorded for every 15
// changes.
func checkLiveTakes(t *testing.T, feeder *feederClient, changes int, dirs ...string) {
	takes, checked := 0, int64(0)
	for _, d := range dirs {
		n, frames := checkSongTakes(t, d, feeder)
		takes += n
		checked += frames
	}
	t.Logf("%d takes, %d frames, each the feeder's signal frame for frame (the feeder was told of %d xruns)", takes, checked, feeder.n.Load())
	if takes < changes/15 {
		t.Errorf("only %d takes were recorded", takes)
	}
}

// checkSongTakes checks the takes of the song in dir (on the recording
// tracks, on tracks playing a lane other than the original, and in the
// lanes of takes) against the feeder's signal: how many, and their frames.
func checkSongTakes(t *testing.T, dir string, feeder *feederClient) (takes int, checked int64) {
	s := onDisk(t, dir)
	for _, tr := range s.Tracks {
		for _, c := range tr.Clips {
			if strings.HasPrefix(tr.Name, "R") || tr.ActiveLane != "" && tr.ActiveLane != "Original" {
				takes++
				checked += checkTake(t, dir, s, c.Take, feeder)
			}
		}
		for _, ln := range tr.Lanes {
			for _, c := range ln.Clips {
				if strings.HasPrefix(ln.Name, "Take") {
					takes++
					checked += checkTake(t, dir, s, c.Take, feeder)
				}
			}
		}
	}
	return takes, checked
}

// patternSong is a song of the pattern track alone (hard left, unity),
// seconds long, with the tracks extra adds.
func patternSong(t *testing.T, seconds int, extra ...*projects.Track) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "pattern")
	s := projects.New("Pattern", 48000)
	if err := projects.Create(dir, s); err != nil {
		t.Fatal(err)
	}
	p := make([]float32, seconds*48000)
	for i := range p {
		p[i] = pattern(int64(i))
	}
	tp := projects.NewTrack("P", 1)
	tp.Pan = -1
	tp.Clips = []projects.Clip{{Take: wavtest.Take(t, dir, s, "P", [][]float32{p}), Length: int64(len(p))}}
	s.Tracks = append([]*projects.Track{tp}, extra...)
	if err := projects.Save(dir, s); err != nil {
		t.Fatal(err)
	}
	return dir
}

// openOnJack opens the song in dir in a studio on the JACK device.
func openOnJack(t *testing.T, l *loop, id, dir string, cfg studio.AudioConfig) (*studio.Studio, *[]error) {
	t.Helper()
	cfg.Device, cfg.Buffer = id, 256
	st, err := studio.Open(dir, testAudio(t, cfg, l.post), l.post)
	if err != nil {
		t.Fatal(err)
	}
	errs := &[]error{}
	st.OnError = func(err error) { *errs = append(*errs, err) }
	st.StartAudio()
	l.pump("the device", func() bool { return st.Audio().Device != "" && !st.Audio().Starting })
	if st.Audio().Virtual {
		t.Fatalf("the studio fell back to the virtual device: %s", st.Audio().Fallback)
	}
	return st, errs
}

// TestJackEditHeard: a clip moved while the song plays is heard at its new
// place within 100 ms of the move, measured from what the device played
// (the tap): ten moves, each from the playhead when the edit was made to
// the first frame played differently.
func TestJackEditHeard(t *testing.T) {
	id := jackID(t)
	dir := patternSong(t, 60)
	tp := startTap(t, id, 60)
	l := newLoop(t)
	st, errs := openOnJack(t, l, id, dir, studio.AudioConfig{})
	defer st.Close()
	wire(t, [2]string{"sangstudio:out_0", "tap:in_0"})
	st.Play()
	l.pump("playing", func() bool { return st.State() == engine.Playing && st.Position() > 24000 })
	var at []int64
	for k := range 10 {
		wait := time.Now().Add(time.Second)
		l.pump("a second of playing", func() bool { return time.Now().After(wait) })
		at = append(at, st.Position())
		if err := st.Edit("Move clip", func(s *projects.Song) error {
			s.Tracks[0].Clips[0].Position += 12000 // heard 12000 frames earlier in the take from now on
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		_ = k
	}
	wait := time.Now().Add(time.Second)
	l.pump("the last edit heard", func() bool { return time.Now().After(wait) })
	st.Stop()
	// Walk the tap: the pattern's frame goes on by one per frame until an
	// edit is heard; before edit k the clip sat at 12000·k.
	heard := tp.heard()
	var lat []int64
	k, prev := 0, int64(-1)
	for _, v := range heard {
		f, ok := unpattern(v)
		if prev >= 0 && k < len(at) && (!ok || f != prev+1) {
			// The timeline frame of the first frame that sounds different.
			when := prev + 1 + int64(12000*k)
			if when >= at[k] {
				lat = append(lat, when-at[k])
				k++
			}
		}
		if ok {
			prev = f
		} else {
			prev = -1
		}
	}
	if len(lat) != len(at) {
		t.Fatalf("%d of %d edits found in what was played", len(lat), len(at))
	}
	worst := int64(0)
	for _, d := range lat {
		worst = max(worst, d)
	}
	t.Logf("edit to sound, in frames at 48 kHz: %v (worst %.1f ms)", lat, float64(worst)/48)
	if worst > 4800 {
		t.Errorf("an edit was heard %.1f ms after it was made, want within 100 ms", float64(worst)/48)
	}
	for _, err := range *errs {
		t.Errorf("background error: %v", err)
	}
}

// TestJackPunchInOnTheFly: while recording, a track armed at frame X gets a
// take that starts at X give or take a buffer, and after latency
// compensation lines up with what was played (the left output wired to the
// inputs, as a cable would) within a frame — in fact exactly.
func TestJackPunchInOnTheFly(t *testing.T) {
	id := jackID(t)
	// Calibrate the software cable as a user would a real one.
	res := calibrateLoop(t, id)
	a := projects.NewTrack("A", 1)
	a.Pan, a.Input = 1, []int{1}
	r := projects.NewTrack("R", 1)
	r.Pan, r.Input = 1, []int{2}
	dir := patternSong(t, 60, a, r)
	l := newLoop(t)
	st, errs := openOnJack(t, l, id, dir, studio.AudioConfig{Calibration: res})
	defer st.Close()
	wire(t, [2]string{"sangstudio:out_0", "sangstudio:in_0"}, [2]string{"sangstudio:out_0", "sangstudio:in_1"})
	lat := st.Audio().Latency
	st.SetCountIn(0)
	st.Arm(1, true)
	if err := st.Record(); err != nil {
		t.Fatal(err)
	}
	l.pump("recording a second", func() bool { return st.State() == engine.Recording && st.Position() > 48000 })
	x := st.Position()
	if err := st.Arm(2, true); err != nil {
		t.Fatal(err)
	}
	l.pump("recording two more seconds", func() bool { return st.Position() > x+96000 })
	st.Stop()
	l.pump("the takes placed", func() bool { return !st.Finishing() && len(st.Song().Tracks[2].Clips) == 1 })
	c := st.Song().Tracks[2].Clips[0]
	start := c.Position + lat - c.Offset
	t.Logf("armed at %d; the take starts at %d (%+d frames; latency %d)", x, start, start-x, lat)
	if start < x || start > x+256 {
		t.Errorf("the take starts at %d, %+d frames from where the track was armed (%d); want within a buffer (256)", start, start-x, x)
	}
	_, audio := wavtest.Read(t, projects.AudioPath(dir, c.Take))
	bad := 0
	for i := int64(0); i < c.Length; i++ {
		if audio[0][c.Offset+i] != pattern(c.Position+i) {
			if bad == 0 {
				t.Errorf("take frame %d (timeline %d): %v, want the pattern's %v", c.Offset+i, c.Position+i, audio[0][c.Offset+i], pattern(c.Position+i))
			}
			bad++
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d frames do not line up with what was played", bad, c.Length)
	}
	for _, err := range *errs {
		t.Errorf("background error: %v", err)
	}
}

// calibrateLoop measures Sangstudio's output 0 wired to its input 0 (as a
// cable would be) and returns the calibration offset.
func calibrateLoop(t *testing.T, id string) int64 {
	t.Helper()
	type result struct {
		off int64
		err error
	}
	ch := make(chan result, 1)
	go func() {
		r, err := calibrate.Measure(device.Config{Device: id, Rate: 48000, Buffer: 256, Inputs: 1, Outputs: 2}, 2, 0, 0)
		ch <- result{r.Offset(), err}
	}()
	wire(t, [2]string{"sangstudio:out_0", "sangstudio:in_0"})
	res := <-ch
	if res.err != nil {
		t.Fatal(res.err)
	}
	return res.off
}

// TestJackDeviceLostAndBack: the JACK server is killed during a recording.
// The take is kept up to the loss and the message says what happened; when
// a server comes back, Play works again without reopening the song.
func TestJackDeviceLostAndBack(t *testing.T) {
	id := jackID(t)
	r := projects.NewTrack("R", 1)
	dir := patternSong(t, 60, r)
	l := newLoop(t)
	st, errs := openOnJack(t, l, id, dir, studio.AudioConfig{})
	defer st.Close()
	st.SetCountIn(0)
	st.Arm(1, true)
	if err := st.Record(); err != nil {
		t.Fatal(err)
	}
	l.pump("a second recorded", func() bool { return st.State() == engine.Recording && st.Position() > 48000 })
	killed := st.Position()
	jack.Kill(syscall.SIGKILL)
	l.pump("the loss noticed", func() bool { st.Poll(); return st.Audio().Lost != nil })
	l.pump("the take placed", func() bool { st.Poll(); return len(st.Song().Tracks[1].Clips) == 1 })
	c := st.Song().Tracks[1].Clips[0]
	t.Logf("killed at %d; the take kept %d frames; message: %v", killed, c.Length, st.Audio().Lost)
	if c.Length < killed-24000 {
		t.Errorf("the take kept %d frames, the recording had reached %d", c.Length, killed)
	}
	if msg := fmt.Sprint(st.Audio().Lost); !strings.Contains(msg, "JACK") {
		t.Errorf("the message %q does not say the JACK server is gone", msg)
	}
	if len(*errs) == 0 {
		t.Error("the loss was not reported")
	}
	if st.State() != engine.Stopped {
		t.Errorf("state %v after the device was lost", st.State())
	}
	if err := jack.Restart(); err != nil {
		t.Fatal(err)
	}
	l.pump("the device back", func() bool { st.Poll(); return st.Audio().Lost == nil && st.Audio().Device != "" })
	st.Play()
	from := st.Position()
	l.pump("playing again", func() bool { return st.State() == engine.Playing && st.Position() > from+48000 })
	st.Stop()
	t.Logf("back on %q; played again from %d to %d", st.Audio().Device, from, st.Position())
}

// TestJackSongAtAnotherRate: a song at 44.1 kHz on a JACK server running at
// 48 kHz plays on another device (the system's sound output, else the
// virtual device), and the status says why in plain words; the next song
// at 48 kHz plays on JACK again, on the same Audio.
func TestJackSongAtAnotherRate(t *testing.T) {
	id := jackID(t)
	dir := filepath.Join(t.TempDir(), "cd-song")
	s := projects.New("CD", 44100)
	if err := projects.Create(dir, s); err != nil {
		t.Fatal(err)
	}
	l := newLoop(t)
	audio := testAudio(t, studio.AudioConfig{Device: id, Buffer: 256}, l.post)
	st, err := studio.Open(dir, audio, l.post)
	if err != nil {
		t.Fatal(err)
	}
	st.OnError = func(err error) { t.Errorf("background error: %v", err) }
	st.StartAudio()
	l.pump("a device", func() bool { return st.Audio().Device != "" && !st.Audio().Starting })
	a := st.Audio()
	t.Logf("a 44.1 kHz song: %q: %s", a.Device, a.Fallback)
	if a.Device == "system" || a.Rate != 44100 || !strings.Contains(a.Fallback, "44100") || !strings.Contains(a.Fallback, "48000") {
		t.Errorf("status %+v: want another device at 44100 Hz, saying the JACK server runs at 48000 Hz", a)
	}
	st.Close()
	st, err = studio.Open(patternSong(t, 10), audio, l.post)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	st.StartAudio()
	l.pump("the device", func() bool { return st.Audio().Device != "" && !st.Audio().Starting })
	if a := st.Audio(); a.Virtual || a.Rate != 48000 || a.Fallback != "" {
		t.Errorf("a 48 kHz song after it: %+v, want JACK again", a)
	}
}
