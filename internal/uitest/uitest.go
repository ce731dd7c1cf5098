// Package uitest holds what the window's headless tests share: Fyne's test
// driver runs fyne.Do inline on the calling goroutine, so work from other
// goroutines is posted to a Queue instead and run on the test goroutine, as
// the real driver runs it on its main thread; and Until waits, with a
// deadline, for what the view shows to catch up.
//
// A test that acts (taps, keys, engine calls) and then checks the view
// waits for the view, not for the engine: the engine can be recording
// before the view's next tick or posted update says so.
package uitest

import (
	"testing"
	"time"
)

// Every is how often Until and Poll look again.
const Every = 5 * time.Millisecond

// Poll runs step, then checks cond, until cond holds (true) or limit has
// passed (false). step brings the view up to date the way the window would:
// run the work posted to the test's UI thread, tick the view (nil: nothing).
// cond runs on the caller's goroutine, right after step, so what it reads
// of the view is what the next line of the test sees.
func Poll(limit time.Duration, step func(), cond func() bool) bool {
	deadline := time.Now().Add(limit)
	for {
		if step != nil {
			step()
		}
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(Every)
	}
}

// Until is Poll that fails the test after limit, naming what it waited for.
// Give cond the view's own state where the test checks the view next (the
// button that says "Recording", not the engine's state it will show).
func Until(t testing.TB, what string, limit time.Duration, step func(), cond func() bool) {
	t.Helper()
	if !Poll(limit, step, cond) {
		t.Fatalf("timed out after %v waiting for %s", limit, what)
	}
}

// Queue is the test's UI thread.
type Queue chan func()

// NewQueue makes a queue.
func NewQueue() Queue { return make(Queue, 4096) }

// Post queues f (give it to the code under test as its post function).
func (q Queue) Post(f func()) { q <- f }

// Drain runs everything queued so far, and what that queues in turn.
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

// WaitFor runs queued work, one function at a time, until cond holds,
// failing the test after limit. cond is checked before each function, so
// a state that one posted function sets and the next one ends is seen.
func (q Queue) WaitFor(t testing.TB, what string, limit time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", limit, what)
		}
		select {
		case f := <-q:
			f()
		case <-time.After(Every):
		}
	}
}
