package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the watcher's goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestWatchSignals: the first signal cancels the command's context with
// the signal as its cause; a second one, or stopGrace without the command
// returning, ends the program with the signal's status.
func TestWatchSignals(t *testing.T) {
	for _, tc := range []struct {
		name   string
		sig    syscall.Signal
		second bool
		status int
		says   string
	}{
		{"second SIGTERM", syscall.SIGTERM, true, 143, "a second signal"},
		{"SIGINT, stuck", syscall.SIGINT, false, 130, "it did not stop within 2s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr syncBuffer
			exited := make(chan int, 1)
			ctx, done := watchSignals(&stderr, func(code int) { exited <- code })
			defer done()
			syscall.Kill(syscall.Getpid(), tc.sig)
			select {
			case <-ctx.Done():
			case <-time.After(time.Second):
				t.Fatal("the context was not cancelled by the signal")
			}
			var sig *stopSignal
			if !errors.As(context.Cause(ctx), &sig) || sig.status() != tc.status {
				t.Fatalf("cause %v, want a stopSignal with status %d", context.Cause(ctx), tc.status)
			}
			start := time.Now()
			if tc.second {
				syscall.Kill(syscall.Getpid(), tc.sig)
			}
			select {
			case code := <-exited:
				took := time.Since(start)
				if code != tc.status {
					t.Errorf("exit status %d, want %d", code, tc.status)
				}
				if tc.second && took > time.Second || !tc.second && (took < stopGrace-100*time.Millisecond || took > stopGrace+time.Second) {
					t.Errorf("ended after %v", took)
				}
			case <-time.After(stopGrace + 2*time.Second):
				t.Fatal("the program was not ended")
			}
			if !strings.Contains(stderr.String(), "stopped at once ("+tc.says+")") {
				t.Errorf("stderr %q", stderr.String())
			}
		})
	}

	// A command that returns in time: nothing is ended.
	var stderr syncBuffer
	exited := make(chan int, 1)
	ctx, done := watchSignals(&stderr, func(code int) { exited <- code })
	syscall.Kill(syscall.Getpid(), syscall.SIGINT)
	<-ctx.Done()
	done()
	select {
	case code := <-exited:
		t.Errorf("ended with %d although the command returned", code)
	case <-time.After(stopGrace + 500*time.Millisecond):
	}
}

func TestStoppedSaysWhatWasKept(t *testing.T) {
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(&stopSignal{sig: syscall.SIGTERM})
	var out, errb bytes.Buffer
	e := &env{stdout: &out, stderr: &errb}
	if code, ok := stopped(ctx, e, "render", context.Canceled); !ok || code != 143 || errb.String() != "Stopped (SIGTERM): no mix or stem was written; the song is unchanged.\n" {
		t.Errorf("stopped render: %d %v %q", code, ok, errb.String())
	}
	// Finished before it noticed: not stopped.
	errb.Reset()
	if _, ok := stopped(ctx, e, "render", nil); ok || errb.Len() > 0 {
		t.Errorf("a finished command was reported stopped: %q", errb.String())
	}
	// Cancelled for another reason (not a signal): the error is the command's.
	other, cancel2 := context.WithCancel(context.Background())
	cancel2()
	if _, ok := stopped(other, e, "render", context.Canceled); ok {
		t.Error("a context cancelled without a signal was reported stopped")
	}
}
