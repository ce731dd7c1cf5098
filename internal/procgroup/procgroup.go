// Package procgroup runs a program in a process group of its own, so that
// the program and everything it starts can be stopped together (a CD
// burner's helpers, say), and nothing it started is left behind.
//
// The system part is in procgroup_linux.go (a process group: Setpgid, and
// signals to the whole group) and procgroup_windows.go (a new console
// process group, CTRL_BREAK_EVENT, and a job object to end them all).
package procgroup

import "os/exec"

// Prepare sets cmd up to start in a group of its own. Call it before
// cmd.Start.
func Prepare(cmd *exec.Cmd) { prepare(cmd) }

// Group is the process group of a started command.
type Group struct{ group }

// Of returns the group of cmd, which was Prepared and has started. Close
// it once the command has been waited for.
func Of(cmd *exec.Cmd) *Group { return &Group{of(cmd)} }

// Stop asks every process of the group to end (SIGTERM on Linux; on
// Windows CTRL_BREAK_EVENT, which reaches only programs that share a
// console with us: Kill after a grace period in any case).
func (g *Group) Stop() error { return g.stop() }

// Kill ends every process of the group at once (SIGKILL on Linux;
// TerminateJobObject on Windows).
func (g *Group) Kill() error { return g.kill() }

// Close lets go of the group (the job object's handle on Windows). It
// does not end its processes.
func (g *Group) Close() error { return g.close() }
