package procgroup

import (
	"os"
	"os/exec"
	"syscall"

	"golang.org/x/sys/windows"
)

func prepare(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.CreationFlags |= windows.CREATE_NEW_PROCESS_GROUP
}

// group is the job object the process was put in (0 when Windows did not
// make one: Kill then ends the first process alone) and the process.
type group struct {
	job  windows.Handle
	proc *os.Process
}

// of puts the started process into a new job object; what it starts from
// then on is in the job too. (What it started before that, in the moment
// between its start and this call, is not.)
func of(cmd *exec.Cmd) group {
	g := group{proc: cmd.Process}
	job, err := windows.CreateJobObject(nil, nil)
	if err != nil {
		return g
	}
	h, err := windows.OpenProcess(windows.PROCESS_SET_QUOTA|windows.PROCESS_TERMINATE, false, uint32(cmd.Process.Pid))
	if err != nil {
		windows.CloseHandle(job)
		return g
	}
	defer windows.CloseHandle(h)
	if err := windows.AssignProcessToJobObject(job, h); err != nil {
		windows.CloseHandle(job)
		return g
	}
	g.job = job
	return g
}

func (g group) stop() error {
	return windows.GenerateConsoleCtrlEvent(windows.CTRL_BREAK_EVENT, uint32(g.proc.Pid))
}

func (g group) kill() error {
	if g.job == 0 {
		return g.proc.Kill()
	}
	return windows.TerminateJobObject(g.job, 1)
}

func (g group) close() error {
	if g.job == 0 {
		return nil
	}
	return windows.CloseHandle(g.job)
}
