package testtool

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A log as jackd 1.9.21 writes it (copied from a soak run).
const sampleLog = `jackdmp 1.9.21
JACK server starting in realtime mode with priority 10
self-connect-mode is "Don't restrict self connect requests"
JackEngine::XRun: client = sangstudio was not finished, state = Running
JackAudioDriver::ProcessGraphAsyncMaster: Process error
JackTimedDriver::Process XRun = 21 usec
JackEngine::XRun: client = jack_simple_client was not finished, state = Triggered
JackAudioDriver::ProcessGraphAsyncMaster: Process error
JackEngine::XRun: client = sangstudio was not finished, state = Triggered
JackAudioDriver::ProcessGraphAsyncMaster: Process error
JackTimedDriver::Process XRun = 15792 usec
`

func TestLateness(t *testing.T) {
	log := filepath.Join(t.TempDir(), "jackd.log")
	os.WriteFile(log, []byte(sampleLog), 0o600)
	j := &Jack{Log: log}
	l := j.Lateness()
	if l.Timer != 2 || l.Late["sangstudio"] != 2 || l.Started["sangstudio"] != 1 || l.Late[PeerName] != 1 || l.Started[PeerName] != 0 {
		t.Fatalf("%+v", l)
	}
	// More lines later: Since counts only those.
	f, _ := os.OpenFile(log, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("JackEngine::XRun: client = sangstudio was not finished, state = Triggered\nJackTimedDriver::Process XRun = 7 usec\n")
	f.Close()
	d := j.Lateness().Since(l)
	if d.Timer != 1 || d.Late["sangstudio"] != 1 || d.Started["sangstudio"] != 0 || d.Late[PeerName] != 0 {
		t.Fatalf("since: %+v", d)
	}
	if r := d.Report("sangstudio"); !strings.Contains(r, "sangstudio 1 (0 while running, 1 not yet run)") || !strings.Contains(r, "timer late 1") {
		t.Fatalf("report %q", r)
	}
}
