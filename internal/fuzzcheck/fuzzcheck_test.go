package fuzzcheck

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

var sink []byte

// fakeT records a failure instead of failing the real test.
type fakeT struct {
	testing.TB
	failed string
}

func (f *fakeT) Helper() {}
func (f *fakeT) Fatalf(format string, args ...any) {
	f.failed = format
}

func TestCallAllocationLimit(t *testing.T) {
	lim := Limit{Base: 1 << 20, PerByte: 16}
	ok := &fakeT{TB: t}
	Call(ok, 1000, lim, func() { sink = make([]byte, 512<<10) })
	if ok.failed != "" {
		t.Fatalf("512 KB under a 1 MB limit failed: %s", ok.failed)
	}
	over := &fakeT{TB: t}
	Call(over, 1000, lim, func() { sink = make([]byte, 2<<20) })
	if !strings.Contains(over.failed, "allocate") {
		t.Fatalf("2 MB over a 1 MB + 16 kB limit passed (%q)", over.failed)
	}
	big := &fakeT{TB: t}
	Call(big, 1<<20, lim, func() { sink = make([]byte, 2<<20) })
	if big.failed != "" {
		t.Fatalf("2 MB for a 1 MB input (limit 17 MB) failed: %s", big.failed)
	}
}

// TestCallHang runs a hanging input in a child process: it must end with
// the hang named, not run on.
func TestCallHang(t *testing.T) {
	if os.Getenv("FUZZCHECK_HANG_CHILD") == "1" {
		Call(t, 7, Limit{Base: 1 << 20, Hang: 200 * time.Millisecond}, func() { select {} })
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^TestCallHang$")
	cmd.Env = append(os.Environ(), "FUZZCHECK_HANG_CHILD=1")
	done := make(chan struct{})
	var out []byte
	var err error
	go func() { out, err = cmd.CombinedOutput(); close(done) }()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the hanging child did not stop")
	}
	if err == nil || !strings.Contains(string(out), "a 7-byte input hangs") {
		t.Fatalf("child: %v\n%s", err, out)
	}
}
