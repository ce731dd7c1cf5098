// Package testtool helps tests that read back our files with independent
// programs (sox, ffprobe, flac, cdrdao, bchunk), and gives a test binary a
// private JACK server of its own (StartJack).
//
// A missing tool skips the test when run with plain `go test`, but fails it
// when SANGSTUDIO_REQUIRE_TOOLS=1, which `make test` sets after installing
// every tool: CI can never pass by silently skipping the real checks.
package testtool

import (
	"bytes"
	"os"
	"os/exec"
	"testing"
)

// Require returns the path of the named program, or skips/fails the test.
func Require(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	if os.Getenv("SANGSTUDIO_REQUIRE_TOOLS") == "1" {
		t.Fatalf("%s is not installed (make test installs it): %v", name, err)
	}
	t.Skipf("%s is not installed; run `make test` to install it", name)
	return ""
}

// Run runs a program and fails the test with its output if it fails.
// It returns standard output.
func Run(t testing.TB, name string, args ...string) string {
	t.Helper()
	path := Require(t, name)
	var out, errb bytes.Buffer
	cmd := exec.Command(path, args...)
	cmd.Stdout = &out
	cmd.Stderr = &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %q: %v\nstdout: %s\nstderr: %s", name, args, err, out.String(), errb.String())
	}
	return out.String() + errb.String()
}

// SmallDisk mounts a tmpfs of the given size (e.g. "1m") in a new temporary
// folder and returns its path; it is unmounted when the test ends. Tests of
// "disk full" use it. It needs root (as CI and `make test` run here); it
// skips the test elsewhere.
func SmallDisk(t testing.TB, size string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("mounting a small disk needs root")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size+",mode=0700", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v %s", dir, err, out)
		}
	})
	return dir
}
