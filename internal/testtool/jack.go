package testtool

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Jack is a private JACK server with the dummy backend (real-time paced, no
// sound card needed) for one test binary, so that packages tested in
// parallel never share a server's period or wiring.
type Jack struct {
	Name string
	Log  string // the server's output (jackd.log)
	cmd  *exec.Cmd
	Err  error // why the server is not available, or nil

	period, channels int
	exited           chan struct{} // closed when cmd has been waited for
}

// StartJack starts a private jackd for this process (call it from TestMain
// before anything initialises PortAudio) and points JACK_DEFAULT_SERVER at
// it. Stop it with Stop. If jackd cannot start, Err says why and the tests
// that need it call Need, which skips or (with SANGSTUDIO_REQUIRE_AUDIO=1) fails.
func StartJack(period, channels int) *Jack {
	j := &Jack{Name: fmt.Sprintf("sangstudio-gotest-%d", os.Getpid()), period: period, channels: channels}
	if _, err := exec.LookPath("jackd"); err != nil {
		j.Err = fmt.Errorf("jackd is not installed (package jackd2; make test installs it)")
		return j
	}
	ReleaseStale()
	dir, _ := os.MkdirTemp("", "sangstudio-jack")
	conf := filepath.Join(dir, "asound.conf")
	// A standalone ALSA config so that nothing probes for sound cards.
	os.WriteFile(conf, []byte(`pcm.!default { type null }
`), 0o600)
	os.Setenv("JACK_DEFAULT_SERVER", j.Name)
	os.Setenv("JACK_NO_START_SERVER", "1")
	os.Setenv("JACK_NO_AUDIO_RESERVATION", "1")
	if os.Getenv("ALSA_CONFIG_PATH") == "" {
		os.Setenv("ALSA_CONFIG_PATH", conf)
	}
	j.Log = filepath.Join(dir, "jackd.log")
	j.Err = j.start()
	return j
}

// start runs jackd (its output appended to the log) and waits until it
// answers.
func (j *Jack) start() error {
	log, err := os.OpenFile(j.Log, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	defer log.Close()
	cmd := exec.Command("jackd", "-n", j.Name, "-d", "dummy", "-r", "48000",
		"-p", fmt.Sprint(j.period), "-C", fmt.Sprint(j.channels), "-P", fmt.Sprint(j.channels))
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("jackd: %v", err)
	}
	j.cmd = cmd
	j.exited = make(chan struct{})
	go func(exited chan struct{}) { cmd.Wait(); close(exited) }(j.exited)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	wait := exec.CommandContext(ctx, "jack_wait", "-w", "-t", "10")
	wait.Env = append(os.Environ(), "JACK_DEFAULT_SERVER="+j.Name)
	if out, err := wait.CombinedOutput(); err != nil {
		data, _ := os.ReadFile(j.Log)
		j.Stop()
		return fmt.Errorf("jackd did not come up: %v %s\n%s", err, out, data)
	}
	return nil
}

// Kill sends sig to the server and returns once it has exited (SIGKILL
// after 5 s): for tests of a server that dies (SIGKILL, SIGTERM). Restart
// brings it back.
func (j *Jack) Kill(sig syscall.Signal) {
	if j.cmd == nil || j.cmd.Process == nil {
		return
	}
	j.cmd.Process.Signal(sig)
	select {
	case <-j.exited:
	case <-time.After(5 * time.Second):
		j.cmd.Process.Kill()
		<-j.exited
	}
	j.cmd = nil
}

// Restart starts the server again after Kill (or Stop), with the same name
// and settings, and waits until it answers. A server killed with SIGKILL
// leaves its slot in JACK's registry taken, which a server of the same name
// frees when it starts, and its clients' semaphores behind, which are
// removed first.
func (j *Jack) Restart() error {
	if j.cmd != nil {
		return fmt.Errorf("the JACK server %s is running", j.Name)
	}
	left, _ := filepath.Glob("/dev/shm/jack_sem.*_" + j.Name + "_*")
	for _, f := range left {
		os.Remove(f)
	}
	j.Err = j.start()
	return j.Err
}

// Stop stops the server (by its PID).
func (j *Jack) Stop() { j.Kill(syscall.SIGTERM) }

// Need skips the test (or fails it when SANGSTUDIO_REQUIRE_AUDIO=1) if the
// server is not running.
func (j *Jack) Need(t testing.TB) {
	t.Helper()
	if j == nil || j.Err != nil {
		why := "no JACK server"
		if j != nil {
			why = j.Err.Error()
		}
		if os.Getenv("SANGSTUDIO_REQUIRE_AUDIO") == "1" {
			t.Fatal(why)
		}
		t.Skip(why)
	}
}

// Cmd runs a JACK tool (jack_connect, jack_lsp, …) against the server. A
// tool that fails to reach the server (it happens while other test binaries
// start and stop their own servers) is tried again, up to 10 times.
func (j *Jack) Cmd(t testing.TB, name string, args ...string) string {
	t.Helper()
	var out []byte
	var err error
	for try := 0; try < 10; try++ {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		out, err = exec.CommandContext(ctx, name, args...).CombinedOutput()
		cancel()
		if err == nil {
			return string(out)
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	return ""
}

// ReleaseServer frees the JACK registry slot of a server that was killed
// with SIGKILL: JACK keeps up to 8 servers registered and frees a dead one's
// slot only when a server of the same name starts, so start one briefly and
// stop it cleanly.
func ReleaseServer(name string) {
	cmd := exec.Command("jackd", "-n", name, "-d", "dummy", "-r", "48000", "-p", "256", "-C", "1", "-P", "1")
	if cmd.Start() != nil {
		return
	}
	wait := exec.Command("jack_wait", "-w", "-t", "5")
	wait.Env = append(os.Environ(), "JACK_DEFAULT_SERVER="+name)
	wait.Run()
	terminate(cmd)
	// The dead server's clients leave their semaphores behind.
	left, _ := filepath.Glob("/dev/shm/jack_sem.*_" + name + "_*")
	for _, f := range left {
		os.Remove(f)
	}
}

// ReleaseStale frees the registry slots of private test servers whose test
// process is gone (a test binary that crashed or was killed leaves its
// server registered, and after eight of those no JACK server can start).
func ReleaseStale() {
	regs, _ := filepath.Glob("/dev/shm/jack_sangstudio-gotest-*_0_0")
	for _, r := range regs {
		name := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(r), "jack_"), "_0_0")
		var pid int
		if _, err := fmt.Sscanf(strings.TrimPrefix(name, "sangstudio-gotest-"), "%d", &pid); err != nil || pid <= 0 {
			continue
		}
		if syscall.Kill(pid, 0) == nil {
			continue // its test is still running
		}
		ReleaseServer(name)
		os.Remove(r)
	}
}

// Loop wires the client's outputs to its inputs: out (0-based) to each
// input in ins, after removing the automatic connections from the system
// capture ports. PortAudio names the ports CLIENT:out_N and CLIENT:in_N.
func (j *Jack) Loop(t testing.TB, client string, out int, ins ...int) {
	t.Helper()
	lsp := j.Cmd(t, "jack_lsp", "-c")
	var port string
	for _, line := range strings.Split(lsp, "\n") {
		if !strings.HasPrefix(line, " ") && !strings.HasPrefix(line, "\t") {
			port = strings.TrimSpace(line)
			continue
		}
		peer := strings.TrimSpace(line)
		if strings.HasPrefix(port, client+":in_") && strings.HasPrefix(peer, "system:") {
			j.Cmd(t, "jack_disconnect", peer, port)
		}
	}
	for _, in := range ins {
		j.Cmd(t, "jack_connect", fmt.Sprintf("%s:out_%d", client, out), fmt.Sprintf("%s:in_%d", client, in))
	}
}

// Lateness is what the server's log says about missed cycles: each one is
// an xrun for every client of the server.
type Lateness struct {
	// Timer counts cycles the server's own timer thread woke up late
	// ("JackTimedDriver::Process XRun"): the machine did not run it in time.
	Timer int
	// Late counts, per client name, the cycles the client had not finished
	// when the next one began ("JackEngine::XRun: client = NAME was not
	// finished"); Started counts those of them where the client's thread
	// had started the cycle (state Running), the rest had not been run at
	// all yet (state Triggered).
	Late, Started map[string]int
}

// Lateness reads the server's log so far.
func (j *Jack) Lateness() Lateness {
	l := Lateness{Late: map[string]int{}, Started: map[string]int{}}
	data, _ := os.ReadFile(j.Log)
	for _, line := range strings.Split(string(data), "\n") {
		if strings.Contains(line, "JackTimedDriver::Process XRun") {
			l.Timer++
		}
		const pre = "JackEngine::XRun: client = "
		if i := strings.Index(line, pre); i >= 0 {
			rest := line[i+len(pre):]
			if k := strings.Index(rest, " was not finished"); k > 0 {
				name := rest[:k]
				l.Late[name]++
				if strings.Contains(rest, "state = Running") {
					l.Started[name]++
				}
			}
		}
	}
	return l
}

// Since is what happened between earlier and l.
func (l Lateness) Since(earlier Lateness) Lateness {
	d := Lateness{Timer: l.Timer - earlier.Timer, Late: map[string]int{}, Started: map[string]int{}}
	for k, v := range l.Late {
		d.Late[k] = v - earlier.Late[k]
	}
	for k, v := range l.Started {
		d.Started[k] = v - earlier.Started[k]
	}
	return d
}

// PeerName is the JACK client name of the peer StartPeer runs.
const PeerName = "jack_simple_client"

// StartPeer runs jackd2's own example client (jack_simple_client: a C
// client that writes a sine wave, nothing else) on the server until the
// test ends: a peer whose missed cycles, counted in the same run, show how
// often the machine itself keeps any client from running in time.
func (j *Jack) StartPeer(t testing.TB) {
	t.Helper()
	cmd := exec.Command("jack_simple_client")
	cmd.Env = append(os.Environ(), "JACK_DEFAULT_SERVER="+j.Name, "JACK_NO_START_SERVER=1")
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatalf("jack_simple_client (package jackd2): %v", err)
	}
	t.Cleanup(func() { terminate(cmd) })
	for i := 0; i < 100; i++ {
		if strings.Contains(j.Cmd(t, "jack_lsp"), PeerName+":") {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s did not appear on the JACK server", PeerName)
}

// Report is a line for the test log: how many cycles each client missed,
// and the server's timer.
func (l Lateness) Report(app string) string {
	return fmt.Sprintf("cycles missed: %s %d (%d while running, %d not yet run), the peer C client %s %d, the server's own timer late %d",
		app, l.Late[app], l.Started[app], l.Late[app]-l.Started[app], PeerName, l.Late[PeerName], l.Timer)
}

// terminate stops a started process: SIGTERM, then SIGKILL if it has not
// exited within 5 s; it returns once the process is gone.
func terminate(cmd *exec.Cmd) {
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		cmd.Process.Kill()
		<-done
	}
}
