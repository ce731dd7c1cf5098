package uitest

import (
	"testing"
	"time"
)

// TestPollStepsBeforeEachCheck: cond sees what step did just before it, so
// a view ticked by step is up to date when cond (and the test after it)
// looks at it.
func TestPollStepsBeforeEachCheck(t *testing.T) {
	steps, checks := 0, 0
	ok := Poll(time.Second, func() { steps++ }, func() bool {
		checks++
		if steps != checks {
			t.Fatalf("check %d after %d steps", checks, steps)
		}
		return checks == 3
	})
	if !ok || steps != 3 {
		t.Fatalf("Poll: %v after %d steps", ok, steps)
	}
	if Poll(20*time.Millisecond, nil, func() bool { return false }) {
		t.Fatal("Poll held a cond that never holds")
	}
}

// TestQueueWaitForRunsPosts: work posted from another goroutine runs on the
// waiting goroutine until the condition it sets holds.
func TestQueueWaitForRunsPosts(t *testing.T) {
	q := NewQueue()
	done := false
	go func() {
		time.Sleep(20 * time.Millisecond)
		q.Post(func() { done = true })
	}()
	q.WaitFor(t, "the posted work", 10*time.Second, func() bool { return done })
}
