package cdburn

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"time"

	"sangstudio/internal/procgroup"
)

// host is the cdrdao program that is run, how long it gets, and where the
// drives are looked for. Burn, Drives and Inspect use system().
type host struct {
	command string // the cdrdao program
	// killGrace is how long a process group gets between SIGTERM (cdrdao
	// then aborts the write cleanly, dao/dao.cc terminationRequest) and
	// SIGKILL.
	killGrace time.Duration
	// drainGrace is how long the output pipe may stay open after cdrdao
	// has exited (something it started still holding it).
	drainGrace time.Duration

	devGlob        string        // the CD device nodes
	sysBlock       string        // the kernel's block devices (vendor, model)
	cdromInfo      string        // the kernel's table of what drives can do
	scanbusTimeout time.Duration // how long `cdrdao scanbus` may take
	inspectTimeout time.Duration // how long `cdrdao disk-info` may take
}

// system is this computer's cdrdao and drives.
func system() *host {
	return &host{
		command:        "cdrdao",
		killGrace:      5 * time.Second,
		drainGrace:     2 * time.Second,
		devGlob:        "/dev/sr*",
		sysBlock:       "/sys/block",
		cdromInfo:      "/proc/sys/dev/cdrom/info",
		scanbusTimeout: 15 * time.Second,
		inspectTimeout: 60 * time.Second,
	}
}

const (
	maxLines   = 5000 // lines kept from one run
	maxLineLen = 4096 // longer lines are cut
)

type stopReason int

const (
	stopNone     stopReason = iota
	stopStall               // no output for the stall time
	stopTimeout             // the whole run took too long
	stopCanceled            // the context was cancelled
)

// runResult is what one cdrdao run left behind.
type runResult struct {
	lines   []string   // stdout and stderr, split on '\n' and '\r', empty lines dropped
	exitErr error      // from Wait: nil means exit status 0
	why     stopReason // why we killed it, if we did
}

func (r *runResult) add(line string) {
	if len(r.lines) >= maxLines {
		copy(r.lines, r.lines[1:])
		r.lines = r.lines[:len(r.lines)-1]
	}
	r.lines = append(r.lines, line)
}

// notInstalled tells whether a start error means cdrdao is not there.
func notInstalled(err error) bool {
	return errors.Is(err, exec.ErrNotFound) || errors.Is(err, fs.ErrNotExist)
}

// run runs h.command with args in dir ("" = ours) in its own process
// group, with stdin from
// /dev/null (so cdrdao's "hit return" prompts read EOF instead of hanging)
// and stdout and stderr into one pipe, calling onLine for each line as it
// comes. It kills the whole group (SIGTERM, then SIGKILL after killGrace)
// when timeout passes, when nothing is printed for stall (0 = no
// watchdog), or when ctx is done, and always waits for the process. The
// error is only for a process that could not be started.
func (h *host) run(ctx context.Context, dir string, args []string, timeout, stall time.Duration, onLine func(string)) (runResult, error) {
	if ctx.Err() != nil {
		return runResult{why: stopCanceled}, nil
	}
	cmd, pr, err := h.start(dir, args)
	if err != nil {
		return runResult{}, err
	}
	lines := make(chan string, 256)
	pg := procgroup.Of(cmd)
	defer pg.Close()
	g := &group{pg: pg, killGrace: h.killGrace, onLine: onLine, lines: lines}
	quit := make(chan struct{})
	readerDone := make(chan struct{})
	go func() {
		readLines(pr, lines, quit)
		close(readerDone)
	}()
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()

	g.watch(ctx, waited, timeout, stall)
	g.drain(h.drainGrace)
	close(quit)
	pr.Close()
	<-readerDone
	return g.res, nil
}

// start starts h.command with args in dir in a process group of its own,
// its stdout and stderr into the pipe it returns the reading end of.
func (h *host) start(dir string, args []string) (*exec.Cmd, *os.File, error) {
	cmd := exec.Command(h.command, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "LC_ALL=C", "LANGUAGE=C")
	procgroup.Prepare(cmd)
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, nil, err
	}
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		pr.Close()
		pw.Close()
		return nil, nil, err
	}
	pw.Close()
	return cmd, pr, nil
}

// group is one run's process group and what it has printed so far.
type group struct {
	res       runResult
	pg        *procgroup.Group
	killGrace time.Duration
	killTimer *time.Timer // the SIGKILL that follows SIGTERM
	onLine    func(string)
	lines     chan string // the output's lines; nil once closed
}

// kill ends the group for why (the first reason only): Stop (SIGTERM)
// now, Kill (SIGKILL) after killGrace.
func (g *group) kill(why stopReason) {
	if g.res.why != stopNone {
		return
	}
	g.res.why = why
	_ = g.pg.Stop()
	g.killTimer = time.AfterFunc(g.killGrace, func() { _ = g.pg.Kill() })
}

// handle keeps line l and passes it on.
func (g *group) handle(l string) {
	g.res.add(l)
	if g.onLine != nil {
		g.onLine(l)
	}
}

// watch handles the output until the process has exited (waited), killing
// the group when timeout passes, when nothing is printed for stall (0 = no
// watchdog), or when ctx is done.
func (g *group) watch(ctx context.Context, waited <-chan error, timeout, stall time.Duration) {
	var timeoutC, stallC <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		timeoutC = t.C
	}
	var stallTimer *time.Timer
	if stall > 0 {
		stallTimer = time.NewTimer(stall)
		defer stallTimer.Stop()
		stallC = stallTimer.C
	}
	done := ctx.Done()

	for exited := false; !exited; {
		select {
		case l, ok := <-g.lines:
			if !ok {
				g.lines = nil
				continue
			}
			g.handle(l)
			if stallTimer != nil && g.res.why == stopNone {
				stallTimer.Reset(stall)
			}
		case err := <-waited:
			g.res.exitErr = err
			exited = true
		case <-stallC:
			stallC = nil
			g.kill(stopStall)
		case <-timeoutC:
			timeoutC = nil
			g.kill(stopTimeout)
		case <-done:
			done = nil
			g.kill(stopCanceled)
		}
	}
	if g.killTimer != nil {
		g.killTimer.Stop()
	}
}

// drain reads what is left in the pipe once the process has exited,
// waiting up to grace for it to close.
func (g *group) drain(grace time.Duration) {
	if g.lines == nil {
		return
	}
	drain := time.NewTimer(grace)
	defer drain.Stop()
	for {
		select {
		case l, ok := <-g.lines:
			if !ok {
				return
			}
			g.handle(l)
		case <-drain.C:
			// Something cdrdao started still holds the pipe: it is in
			// the group, so the group is still in use; end it.
			_ = g.pg.Kill()
			return
		}
	}
}

// readLines sends r's lines, split on '\n' or '\r' (cdrdao rewrites its
// progress line with '\r'), without the empty ones, until EOF or quit.
// Over-long lines are cut at maxLineLen.
func readLines(r io.Reader, out chan<- string, quit <-chan struct{}) {
	defer close(out)
	buf := make([]byte, 4096)
	line := make([]byte, 0, 256)
	emit := func() bool {
		if len(line) == 0 {
			return true
		}
		s := string(line)
		line = line[:0]
		select {
		case out <- s:
			return true
		case <-quit:
			return false
		}
	}
	for {
		n, err := r.Read(buf)
		for _, b := range buf[:n] {
			if b == '\n' || b == '\r' {
				if !emit() {
					return
				}
				continue
			}
			if len(line) < maxLineLen {
				line = append(line, b)
			}
		}
		if err != nil {
			emit()
			return
		}
	}
}
