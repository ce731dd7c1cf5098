package studio

import "sync"

// worker runs jobs one at a time, in order, off the UI thread: saves,
// history, opening and closing the audio device. Doing them in one
// goroutine keeps them ordered (a save never overtakes an earlier one) and
// keeps every disk and device wait away from the window.
type worker struct {
	mu     sync.Mutex
	jobs   []func()
	wake   chan struct{}
	closed bool
	done   chan struct{}
}

func newWorker() *worker {
	w := &worker{wake: make(chan struct{}, 1), done: make(chan struct{})}
	go w.run()
	return w
}

// do queues job. It never blocks.
func (w *worker) do(job func()) {
	w.mu.Lock()
	if !w.closed {
		w.jobs = append(w.jobs, job)
	}
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

func (w *worker) run() {
	defer close(w.done)
	for {
		w.mu.Lock()
		if len(w.jobs) == 0 {
			if w.closed {
				w.mu.Unlock()
				return
			}
			w.mu.Unlock()
			<-w.wake
			continue
		}
		job := w.jobs[0]
		w.jobs = w.jobs[1:]
		w.mu.Unlock()
		job()
	}
}

// wait blocks until every job queued so far has run (tests and shutdown).
func (w *worker) wait() {
	ch := make(chan struct{})
	w.do(func() { close(ch) })
	<-ch
}

// stop runs what is queued and ends the goroutine.
func (w *worker) stop() {
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
	<-w.done
}
