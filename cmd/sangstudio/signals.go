package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// Stopping a command: the first SIGINT (Ctrl-C) or SIGTERM cancels the
// command's context. Every long-running command watches it, removes its
// temporary files and returns within a fraction of a second; the program
// then says what was kept ("Stopped: …") and exits with status 130 for
// SIGINT or 143 for SIGTERM, as a shell reports a program the signal
// ended.
//
// The backstop: a second signal, or a command that has not returned
// stopGrace after the first, ends the program at once. Exiting at any
// point is safe for a song: song.json is only ever replaced by renaming a
// complete file over it, so it is the old one or the new one, and a
// temporary file left by an exit at once is removed by the next save or
// render. stopGrace leaves a recording time to close its takes and put
// them on the song; a command stuck in a device or a disk that does not
// answer is ended rather than left hanging until SIGKILL.
const stopGrace = 2 * time.Second

// stopSignal is the cause (context.Cause) of a command's context when a
// signal stopped it.
type stopSignal struct{ sig os.Signal }

func (s *stopSignal) Error() string { return "stopped by " + s.name() }

func (s *stopSignal) name() string {
	if s.sig == syscall.SIGTERM {
		return "SIGTERM"
	}
	return "SIGINT"
}

// status is the exit status for a program ended by the signal: 128 + its
// number.
func (s *stopSignal) status() int {
	if s.sig == syscall.SIGTERM {
		return 128 + 15
	}
	return 128 + 2
}

// watchSignals returns the context for a command, cancelled with a
// *stopSignal cause by the first SIGINT or SIGTERM, and done, to call once
// the command has returned. After the first signal, a second one or
// stopGrace without done ends the program through exit, with a line on
// stderr.
func watchSignals(stderr io.Writer, exit func(code int)) (ctx context.Context, done func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	finished := make(chan struct{})
	go func() {
		var first *stopSignal
		select {
		case s := <-sigs:
			first = &stopSignal{sig: s}
			cancel(first)
		case <-finished:
			return
		}
		t := time.NewTimer(stopGrace)
		defer t.Stop()
		why := ""
		select {
		case <-sigs:
			why = "a second signal"
		case <-t.C:
			why = fmt.Sprintf("it did not stop within %v", stopGrace)
		case <-finished:
			return
		}
		fmt.Fprintf(stderr, "sangstudio: stopped at once (%s); what was saved is kept, and a temporary file may be left, which the next save or render removes.\n", why)
		exit(first.status())
	}()
	return ctx, func() {
		signal.Stop(sigs)
		close(finished)
		cancel(nil)
	}
}

// stopped reports whether the command name, which returned err, was
// stopped by a signal on ctx; then it says so on stderr, with what the
// command keeps, and gives the exit status. A command that finished its
// work (err == nil) before it noticed the signal is not stopped.
func stopped(ctx context.Context, e *env, name string, err error) (int, bool) {
	var sig *stopSignal
	if err == nil || !errors.As(context.Cause(ctx), &sig) {
		return 0, false
	}
	fmt.Fprintf(e.stderr, "Stopped (%s): %s.\n", sig.name(), stoppedText(name))
	return sig.status(), true
}

// stoppedText says what a command leaves when it is stopped part-way: it
// removes what it was writing, and keeps what was saved before.
func stoppedText(name string) string {
	switch name {
	case "import":
		return "nothing was imported; the song is unchanged"
	case "render":
		return "no mix or stem was written; the song is unchanged"
	case "master":
		return "no master was written; the song is unchanged"
	case "takehome":
		return "nothing was put on the stick; the song is unchanged"
	case "cd":
		return "an unfinished CD image was removed (a finished one is kept; a disc being burned may be unusable); the songs are unchanged"
	case "archive":
		return "no archive was written; the song is unchanged"
	case "unarchive":
		return "nothing was added to the library"
	case "record":
		return "what was recorded so far is kept in the song"
	case "play":
		return "playback ended; nothing was changed"
	case "calibrate":
		return "nothing was measured or stored"
	case "demo":
		return "no demo song was written"
	}
	return "nothing was changed"
}
