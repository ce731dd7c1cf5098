package procgroup_test

import (
	"os/exec"
	"runtime"
	"testing"
	"time"

	"sangstudio/internal/procgroup"
)

// TestKillEndsTheChildren: a shell that started a sleeping child is
// killed with the child; the child held the pipe, so Wait returns only
// once both are gone.
func TestKillEndsTheChildren(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("uses sh and sleep")
	}
	for name, end := range map[string]func(*procgroup.Group) error{
		"Stop": (*procgroup.Group).Stop, "Kill": (*procgroup.Group).Kill,
	} {
		cmd := exec.Command("sh", "-c", "sleep 60 & sleep 60")
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		procgroup.Prepare(cmd)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		g := procgroup.Of(cmd)
		time.Sleep(50 * time.Millisecond)
		if err := end(g); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		done := make(chan struct{})
		go func() {
			buf := make([]byte, 1)
			out.Read(buf) // EOF once every holder of the pipe is gone
			cmd.Wait()
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("%s left the group running", name)
		}
		if err := g.Close(); err != nil {
			t.Error(err)
		}
	}
}
