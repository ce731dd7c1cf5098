package device_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"sangstudio/audio/device"
)

// requireAudio is set by `make test`: tests that need the JACK test server
// fail instead of skipping when it is missing.
var requireAudio = os.Getenv("SANGSTUDIO_REQUIRE_AUDIO") == "1"

// needJACK skips (or, with SANGSTUDIO_REQUIRE_AUDIO=1, fails) the test
// unless the private JACK test server (TestMain's; a child process uses its
// parent's) is reachable, and returns its "system" device. The tests
// change the server's period and wiring, so they never run on a server
// that JACK_DEFAULT_SERVER does not name explicitly.
func needJACK(t testing.TB) device.Info {
	t.Helper()
	missing := func(why string) {
		t.Helper()
		msg := why + " (jackd2 is needed; `make test` installs it)"
		if requireAudio {
			t.Fatal(msg + " (SANGSTUDIO_REQUIRE_AUDIO=1)")
		}
		t.Skip(msg)
	}
	if jackServer != nil && jackServer.Err != nil {
		missing("the private JACK server did not start: " + jackServer.Err.Error())
	}
	if os.Getenv("JACK_DEFAULT_SERVER") == "" {
		missing("no private JACK test server (JACK_DEFAULT_SERVER is not set)")
	}
	for _, tool := range []string{"jackd", "jack_connect", "jack_disconnect", "jack_lsp", "jack_bufsize", "jack_wait"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing(tool + " is not installed (package jackd2)")
		}
	}
	list, err := device.List()
	for _, d := range list {
		if d.HostAPI == "JACK Audio Connection Kit" && d.Name == "system" {
			return d
		}
	}
	missing(fmt.Sprintf("the JACK server %q is not reachable (List: %v, %v)", os.Getenv("JACK_DEFAULT_SERVER"), list, err))
	return device.Info{}
}

// jack runs a JACK command-line tool with a time limit and returns its
// output. Each tool is a JACK client of its own; when it cannot connect
// (seen while other test binaries start and kill servers of their own,
// which share JACK's registry), it is tried again, up to 10 times.
func jack(t testing.TB, name string, args ...string) string {
	t.Helper()
	for try := 1; ; try++ {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
		cancel()
		if err == nil {
			return string(out)
		}
		if try == 10 || !strings.Contains(string(out), "Cannot open") && !strings.Contains(string(out), "not running") {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
		t.Logf("%s %s: could not connect to the JACK server (try %d): %v", name, strings.Join(args, " "), try, err)
		time.Sleep(200 * time.Millisecond)
	}
}

var bufsizeRE = regexp.MustCompile(`(\d+)`) // jack_bufsize prints the period alone

// setPeriod sets the JACK server's period (jack_bufsize) and restores the
// old one when the test ends.
func setPeriod(t testing.TB, frames int) {
	t.Helper()
	m := bufsizeRE.FindStringSubmatch(jack(t, "jack_bufsize"))
	if m == nil {
		t.Fatal("jack_bufsize: cannot read the current period")
	}
	old := m[1]
	if old == strconv.Itoa(frames) {
		return
	}
	jack(t, "jack_bufsize", strconv.Itoa(frames))
	t.Cleanup(func() { jack(t, "jack_bufsize", old) })
}

// connections parses `jack_lsp -c`: every port and what it is connected to.
func connections(t testing.TB) map[string][]string {
	t.Helper()
	conns := map[string][]string{}
	var port string
	for _, line := range strings.Split(jack(t, "jack_lsp", "-c"), "\n") {
		switch {
		case line == "":
		case strings.HasPrefix(line, " "):
			conns[port] = append(conns[port], strings.TrimSpace(line))
		default:
			port = line
			conns[port] = conns[port][:0:0]
		}
	}
	return conns
}

// clientPorts returns the ports named client:prefixN, ordered by N (the
// channel order).
func clientPorts(t testing.TB, conns map[string][]string, client, prefix string) []string {
	t.Helper()
	type port struct {
		name string
		n    int
	}
	var ps []port
	for name := range conns {
		rest, ok := strings.CutPrefix(name, client+":"+prefix)
		if !ok {
			continue
		}
		if n, err := strconv.Atoi(rest); err == nil {
			ps = append(ps, port{name, n})
		}
	}
	slices.SortFunc(ps, func(a, b port) int { return a.n - b.n })
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.name
	}
	return names
}

// pattern is a known non-repeating test signal: a different sequence for
// each channel, 16-bit values (exact in float32), never 0.
func pattern(ch int, frame int64) float32 {
	x := uint64(frame)*16 + uint64(ch) + 0x9E3779B97F4A7C15
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	v := int32(x>>48) - 32768
	if v == 0 {
		v = 1
	}
	return float32(v) / 32768
}
