package procgroup

import (
	"os/exec"
	"syscall"
)

func prepare(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true
}

// group is the process group's id: the first process's pid.
type group struct{ pgid int }

func of(cmd *exec.Cmd) group { return group{pgid: cmd.Process.Pid} }

func (g group) stop() error  { return syscall.Kill(-g.pgid, syscall.SIGTERM) }
func (g group) kill() error  { return syscall.Kill(-g.pgid, syscall.SIGKILL) }
func (g group) close() error { return nil }
