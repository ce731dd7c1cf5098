package input

// Tests on the real MIDI systems of this machine: no ALSA sequencer (no
// /dev/snd/seq) and a private JACK server with the dummy backend
// (internal/testtool).

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"sangstudio/internal/testtool"
	"sangstudio/internal/testtool/jackkeys"
)

var jack *testtool.Jack

func TestMain(m *testing.M) {
	if os.Getenv("SANGSTUDIO_MIDI_CHILD") != "" {
		os.Exit(m.Run()) // TestListQuiet's child: no JACK server
	}
	jack = testtool.StartJack(128, 2)
	code := m.Run()
	jack.Stop()
	os.Exit(code)
}

// needJACK skips the test (or fails it with SANGSTUDIO_REQUIRE_AUDIO=1)
// without the JACK test server or JACK support built in.
func needJACK(t *testing.T) {
	t.Helper()
	jack.Need(t)
	if !jackBuiltIn() {
		if os.Getenv("SANGSTUDIO_REQUIRE_AUDIO") == "1" {
			t.Fatal(errNoJACK)
		}
		t.Skip(errNoJACK)
	}
}

// keyboard opens a virtual JACK MIDI keyboard (jackkeys) for the test;
// when there is no JACK to open it on, the error wraps ErrNoMIDI, as
// List's does.
func keyboard(t *testing.T, name string) (*jackkeys.Keyboard, error) {
	t.Helper()
	k, err := jackkeys.Open(t, name)
	var no *jackkeys.NoJACKError
	if errors.As(err, &no) {
		return nil, fmt.Errorf("%w: %v", ErrNoMIDI, err)
	}
	return k, err
}

func readable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// noMIDI makes the MIDI systems of a machine without any: no ALSA
// sequencer and a JACK server name that nothing runs.
func noMIDI(t *testing.T) []maker {
	t.Setenv("JACK_DEFAULT_SERVER", fmt.Sprintf("sangstudio-no-such-server-%d", os.Getpid()))
	t.Setenv("JACK_NO_START_SERVER", "1")
	return []maker{alsaAt("/nonexistent/snd/seq"), newJACK}
}

func TestListNoMIDI(t *testing.T) {
	check := func(t *testing.T, err error) {
		t.Helper()
		if !errors.Is(err, ErrNoMIDI) {
			t.Fatalf("err = %v, want ErrNoMIDI", err)
		}
		if msg := err.Error(); !readable(msg) || !strings.Contains(msg, "MIDI") {
			t.Errorf("unreadable error %q", msg)
		}
		t.Logf("%v", err)
	}
	t.Run("this machine", func(t *testing.T) {
		// This machine (and CI) has no sound card: the ALSA sequencer is
		// missing for real; JACK is made unreachable.
		if _, err := os.Stat("/dev/snd/seq"); err == nil {
			t.Skip("this machine has an ALSA sequencer")
		}
		t.Setenv("JACK_DEFAULT_SERVER", fmt.Sprintf("sangstudio-no-such-server-%d", os.Getpid()))
		ports, err := List()
		if ports != nil {
			t.Errorf("ports %v", ports)
		}
		check(t, err)
		if !strings.Contains(err.Error(), "/dev/snd/seq does not exist") ||
			!strings.Contains(err.Error(), "JACK: no server") && !strings.Contains(err.Error(), "JACK: not built in") {
			t.Errorf("the error does not say why: %v", err)
		}
	})
	t.Run("no systems", func(t *testing.T) {
		none := noMIDI(t)
		_, err := list(none)
		check(t, err)
		_, err = listen(Config{OnEvent: func(Event) {}}, none)
		check(t, err)
		_, err = keyboard(t, "testkeys")
		check(t, err)
	})
}

// TestListQuiet runs List without MIDI systems in a child process and
// checks that nothing (ALSA, RtMidi, libjack) wrote to stderr.
func TestListQuiet(t *testing.T) {
	if os.Getenv("SANGSTUDIO_MIDI_CHILD") != "" {
		t.Skip("child")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestListNoMIDI$", "-test.v")
	cmd.Env = append(os.Environ(), "SANGSTUDIO_MIDI_CHILD=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("child: %v\n%s\n%s", err, stdout.Bytes(), stderr.Bytes())
	}
	if !strings.Contains(stdout.String(), "--- PASS: TestListNoMIDI") {
		t.Fatalf("child did not run the test:\n%s", stdout.Bytes())
	}
	if stderr.Len() > 0 {
		t.Errorf("List wrote to stderr:\n%s", stderr.Bytes())
	}
}

func TestJACKList(t *testing.T) {
	needJACK(t)
	v, err := keyboard(t, "listkeys")
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	if v.PortName() != "listkeys:midi_out" {
		t.Errorf("PortName() = %q", v.PortName())
	}
	ports, err := List()
	if err != nil {
		t.Fatal(err)
	}
	want := Port{ID: "jack:listkeys:midi_out", Name: "listkeys:midi_out", API: "jack"}
	if !slices.Contains(ports, want) {
		t.Errorf("List() = %v, want %v in it", ports, want)
	}
	for _, p := range ports {
		if isOwnClient(jackClient(strings.TrimPrefix(p.ID, "jack:")), DefaultClientName) {
			t.Errorf("own port listed: %v", p)
		}
	}
	// A second one of the same name gets a name of its own.
	v2, err := keyboard(t, "listkeys")
	if err != nil {
		t.Fatal(err)
	}
	defer v2.Close()
	if v2.PortName() == v.PortName() || !strings.HasPrefix(v2.PortName(), "listkeys-") {
		t.Errorf("second PortName() = %q", v2.PortName())
	}
	if got, err := Find(ports, "listkeys"); err != nil || len(got) != 1 || got[0] != want {
		t.Errorf("Find(listkeys) = %v, %v", got, err)
	}
	t.Logf("ports: %v\njack_lsp:\n%s", ports, jack.Cmd(t, "jack_lsp", "-t"))
}

type arrival struct {
	e  Event
	at time.Time
}

// e2eListener listens to every port and reports into channels.
func e2eListener(t *testing.T) (*Listener, chan arrival, chan []Port) {
	t.Helper()
	got := make(chan arrival, 4096)
	changes := make(chan []Port, 256)
	l, err := Listen(Config{
		OnEvent:      func(e Event) { got <- arrival{e, time.Now()} },
		OnChange:     func(open []Port) { changes <- open },
		OnError:      func(err error) { t.Logf("OnError: %v", err) },
		PollInterval: 100 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	return l, got, changes
}

// waitChange waits for an OnChange with (or without) the port id and
// checks that Ports agrees; it returns the port's Event.Port number.
func waitChange(t *testing.T, l *Listener, changes chan []Port, id string, open bool) (num int, waited time.Duration) {
	t.Helper()
	start := time.Now()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case ports := <-changes:
			if slices.ContainsFunc(ports, func(p Port) bool { return p.ID == id }) != open {
				continue
			}
			waited = time.Since(start)
			now := l.Ports()
			i := slices.IndexFunc(now, func(p Port) bool { return p.ID == id })
			if (i >= 0) != open {
				t.Fatalf("OnChange said %v, Ports() says %v", ports, now)
			}
			for n := 0; open; n++ {
				p, ok := l.Port(n)
				if !ok {
					t.Fatalf("Port(n) never is %s", id)
				}
				if p.ID == id {
					return n, waited
				}
			}
			return -1, waited
		case <-timeout:
			t.Fatalf("no OnChange with %s open=%v in 10 s; Ports() = %v", id, open, l.Ports())
		}
	}
}

// play sends msgs one at a time, each once the previous one arrived, and
// checks what arrives; it returns the latencies (Send to OnEvent).
//
// JACK itself loses MIDI events when a client misses its period (this
// machine may be busy with other tests): a message that does not arrive in
// 1 s is sent again and counted, and more than 3 such losses fail. What
// arrives must always be intact and in order, and the port must stay open
// (changes gets nothing).
func play(t *testing.T, v *jackkeys.Keyboard, got chan arrival, changes chan []Port, port int, msgs [][]byte, noise bool) []time.Duration {
	t.Helper()
	var lat []time.Duration
	lost := 0
	defer func() {
		select {
		case c := <-changes:
			t.Errorf("the open ports changed while playing: %v", c)
		default:
		}
	}()
	for i := 0; i < len(msgs); i++ {
		m := msgs[i]
		if noise && i%10 == 5 {
			// System messages never arrive: RtMidi drops sysex, clock
			// and active sensing, the Listener the rest.
			for _, s := range [][]byte{{0xF8}, {0xFE}, {0xF0, 0x7E, 0x7F, 0x06, 0x01, 0xF7}, {0xF2, 0x10, 0x20}, {0xFA}, {0xF6}} {
				if err := v.Send(s); err != nil {
					t.Fatal(err)
				}
			}
		}
		t0 := time.Now()
		if err := v.Send(m); err != nil {
			t.Fatal(err)
		}
		select {
		case a := <-got:
			var want [3]byte
			copy(want[:], m)
			if a.e.Msg != want || a.e.Port != port {
				t.Fatalf("message %d: got % X from port %d, want % X from %d", i, a.e.Msg, a.e.Port, want, port)
			}
			lat = append(lat, a.at.Sub(t0))
		case <-time.After(time.Second):
			lost++
			t.Logf("message %d (% X) did not arrive in 1 s: lost by JACK? sending it again", i, m)
			if lost > 3 {
				t.Fatalf("%d messages lost", lost)
			}
			i--
		}
	}
	select {
	case a := <-got:
		t.Errorf("unexpected event % X", a.e.Msg)
	case <-time.After(30 * time.Millisecond):
	}
	return lat
}

// messages makes n channel voice messages with varied bytes, mostly notes.
func messages(n int) [][]byte {
	var msgs [][]byte
	for i := 0; len(msgs) < n; i++ {
		ch := byte(i % 16)
		note := byte((i*37 + 11) % 128)
		vel := byte((i*53)%127 + 1)
		msgs = append(msgs, []byte{0x90 | ch, note, vel}, []byte{0x80 | ch, note, byte(i % 128)})
		switch i % 5 {
		case 1:
			msgs = append(msgs, []byte{0xB0 | ch, byte(i % 120), byte((i * 7) % 128)})
		case 2:
			msgs = append(msgs, []byte{0xE0 | ch, byte(i % 128), byte((i * 3) % 128)})
		case 3:
			msgs = append(msgs, []byte{0xC0 | ch, byte(i % 128)})
		case 4:
			msgs = append(msgs, []byte{0x90 | ch, note, 0}, []byte{0xD0 | ch, vel}, []byte{0xA0 | ch, note, vel})
		}
	}
	return msgs[:n]
}

func TestJACKEndToEnd(t *testing.T) {
	needJACK(t)
	l, got, changes := e2eListener(t)
	defer l.Close()
	t.Logf("open at start: %v", l.Ports())

	// Plugged in after the start.
	v, err := keyboard(t, "testkeys")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { v.Close() }()
	id := "jack:" + v.PortName()
	num, waited := waitChange(t, l, changes, id, true)
	t.Logf("opened %s as port %d after %v; connections:\n%s", id, num, waited, jack.Cmd(t, "jack_lsp", "-c", v.PortName()))

	lat := play(t, v, got, changes, num, messages(100), true)
	slices.Sort(lat)
	t.Logf("latency Send → OnEvent over %d messages: median %v, max %v, min %v", len(lat), lat[len(lat)/2], lat[len(lat)-1], lat[0])
	if lat[len(lat)-1] >= time.Second {
		t.Errorf("max latency %v", lat[len(lat)-1])
	}

	checkBurst(t, v, got)

	// Unplugged: noticed within a few polls.
	v.Close()
	_, waited = waitChange(t, l, changes, id, false)
	t.Logf("closed after %v", waited)

	// Plugged in again: reopened with the same number.
	v, err = keyboard(t, "testkeys")
	if err != nil {
		t.Fatal(err)
	}
	if "jack:"+v.PortName() != id {
		t.Fatalf("re-plugged as %s", v.PortName())
	}
	n2, waited := waitChange(t, l, changes, id, true)
	t.Logf("reopened after %v", waited)
	if n2 != num {
		t.Errorf("re-plugged port is number %d, was %d", n2, num)
	}
	play(t, v, got, changes, num, messages(10), false)

	// Unplugged and plugged in again between two polls: the Listener
	// still reconnects (the port is a new one to JACK).
	v.Close()
	v, err = keyboard(t, "testkeys")
	if err != nil {
		t.Fatal(err)
	}
	waitQuickReplug(t, l, v, got, num)
	if n, _ := waitChange(t, l, changes, id, true); n != num {
		t.Errorf("quickly re-plugged port is number %d, was %d", n, num)
	}
	play(t, v, got, changes, num, messages(10), false)

	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	// Our JACK clients are gone.
	time.Sleep(50 * time.Millisecond)
	if lsp := jack.Cmd(t, "jack_lsp"); strings.Contains(lsp, DefaultClientName) {
		t.Errorf("ports left after Close:\n%s", lsp)
	}
}

// checkBurst: a burst within one JACK period arrives whole and in order.
func checkBurst(t *testing.T, v *jackkeys.Keyboard, got chan arrival) {
	burst := messages(30)
	for _, m := range burst {
		if err := v.Send(m); err != nil {
			t.Fatal(err)
		}
	}
	// (What arrives must be in order; a loss by JACK is logged as above.)
	next, arrived := 0, 0
burst:
	for arrived < len(burst) {
		select {
		case a := <-got:
			for next < len(burst) && a.e.Msg != [3]byte(append(slices.Clone(burst[next]), 0, 0)[:3]) {
				next++
			}
			if next == len(burst) {
				t.Fatalf("burst: % X arrived out of order", a.e.Msg)
			}
			next++
			arrived++
		case <-time.After(time.Second):
			break burst
		}
	}
	if arrived < len(burst) {
		t.Logf("burst: %d of %d arrived: lost by JACK?", arrived, len(burst))
		if arrived < len(burst)-3 {
			t.Errorf("burst: only %d of %d arrived", arrived, len(burst))
		}
	}
}

// waitQuickReplug sends on v until its messages arrive from port num (the
// Listener reconnected a port unplugged and plugged in again between two
// polls), then drops what else arrived.
func waitQuickReplug(t *testing.T, l *Listener, v *jackkeys.Keyboard, got chan arrival, num int) {
	deadline := time.Now().Add(10 * time.Second)
	for {
		if err := v.Send([]byte{0x90, 1, 1}); err != nil {
			t.Fatal(err)
		}
		select {
		case a := <-got:
			if a.e.Msg != [3]byte{0x90, 1, 1} || a.e.Port != num {
				t.Fatalf("after a quick re-plug: % X from %d", a.e.Msg, a.e.Port)
			}
		case <-time.After(50 * time.Millisecond):
			if time.Now().After(deadline) {
				t.Fatalf("no messages after a quick re-plug; Ports() = %v\n%s", l.Ports(), jack.Cmd(t, "jack_lsp", "-c"))
			}
			continue
		}
		break
	}
	for len(got) > 0 {
		<-got
	}
}

// startJackd starts a JACK server of that name (dummy backend) and stops
// it (by its PID) when the test ends or stop is called.
func startJackd(t *testing.T, name string) (stop func()) {
	t.Helper()
	cmd := exec.Command("jackd", "-n", name, "-d", "dummy", "-r", "48000", "-p", "128", "-C", "1", "-P", "1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	stop = func() {
		select {
		case <-done:
			return
		default:
		}
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
			testtool.ReleaseServer(name)
		}
	}
	t.Cleanup(stop)
	wait := exec.Command("jack_wait", "-w", "-t", "10")
	wait.Env = append(os.Environ(), "JACK_DEFAULT_SERVER="+name)
	if out, err := wait.CombinedOutput(); err != nil {
		t.Fatalf("jackd %s did not come up: %v %s", name, err, out)
	}
	return stop
}

// A JACK server that stops takes its ports along; the Listener carries on
// and finds the ports of the next server.
func TestJACKServerRestart(t *testing.T) {
	needJACK(t)
	name := fmt.Sprintf("sangstudio-gotest-%d-restart", os.Getpid())
	stop := startJackd(t, name)
	t.Setenv("JACK_DEFAULT_SERVER", name)
	l, got, changes := e2eListener(t)
	defer l.Close()
	v, err := keyboard(t, "restartkeys")
	if err != nil {
		t.Fatal(err)
	}
	id := "jack:" + v.PortName()
	num, _ := waitChange(t, l, changes, id, true)
	play(t, v, got, changes, num, messages(5), false)

	stop()
	_, waited := waitChange(t, l, changes, id, false)
	t.Logf("server stop noticed after %v", waited)
	// Noticed as a server that went away (jack_on_shutdown), not only as
	// a port that did: the dead server's clients are left alone.
	for deadline := time.Now().Add(5 * time.Second); l.sys.has("jack"); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the Listener still uses the stopped JACK server")
		}
	}
	v.Close() // the server is gone: must not hang or crash

	startJackd(t, name)
	v, err = keyboard(t, "restartkeys")
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	n2, waited := waitChange(t, l, changes, id, true)
	t.Logf("new server's port opened after %v", waited)
	play(t, v, got, changes, n2, messages(5), false)
}
