// Package uitest holds what the window's headless tests share: Fyne's test
// driver runs fyne.Do inline on the calling goroutine, so work from other
// goroutines is posted to a Queue instead and run on the test goroutine, as
// the real driver runs it on its main thread.
package uitest

import (
	"testing"
	"time"
)

// Queue is the test's UI thread.
type Queue chan func()

// NewQueue makes a queue.
func NewQueue() Queue { return make(Queue, 4096) }

// Post queues f (give it to the code under test as its post function).
func (q Queue) Post(f func()) { q <- f }

// Drain runs everything queued so far.
func (q Queue) Drain() {
	for {
		select {
		case f := <-q:
			f()
		default:
			return
		}
	}
}

// WaitFor runs queued work until cond holds, failing the test after limit.
func (q Queue) WaitFor(t testing.TB, what string, limit time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		select {
		case f := <-q:
			f()
		case <-time.After(10 * time.Millisecond):
		}
	}
}
