package device

import "sync"

// ending is how a stream stops on its own (a device lost, a file that
// cannot be written): Done is closed once, and Err says why from then on.
// Every stream embeds one; init it before the stream is used.
type ending struct {
	done chan struct{}
	once sync.Once
	err  error // set before done is closed
}

func (e *ending) init() { e.done = make(chan struct{}) }

// end stops the stream with err; only the first call counts.
func (e *ending) end(err error) {
	e.once.Do(func() {
		e.err = err
		close(e.done)
	})
}

// Done is closed if the stream stops on its own.
func (e *ending) Done() <-chan struct{} { return e.done }

// Err says why the stream stopped on its own (nil while it has not).
func (e *ending) Err() error {
	select {
	case <-e.done:
		return e.err
	default:
		return nil
	}
}
