package smf

import (
	"fmt"
	"sync"

	"sangstudio/internal/durable"
	"sangstudio/internal/fserr"
	"sangstudio/midi"
)

// TakeWriter records a MIDI take crash-safely: the file at its path is
// always a complete, valid Standard MIDI File (as Write writes it) holding
// the events up to the last checkpoint.
//
// Add is called from one goroutine (the one receiving MIDI); Checkpoint,
// Close, Frames and Len may be called from another.
type TakeWriter struct {
	path    string
	rate    int
	tempo   float64
	timeSig [2]int
	name    string

	ioMu sync.Mutex // serializes Checkpoint and Close

	mu     sync.Mutex // guards what follows; never held during I/O
	events []midi.Event
	frames int64
	dirty  bool // events were added since the last checkpoint
	closed bool
}

// NewTakeWriter writes a valid MIDI file without events (tempo, time
// signature and name only) at path and returns a writer for the take. The
// file replaces whatever is at path (such as an empty file the caller
// created to reserve the name) and has permissions 0600.
func NewTakeWriter(path string, rate int, tempo float64, timeSig [2]int, name string) (*TakeWriter, error) {
	w := &TakeWriter{path: path, rate: rate, tempo: tempo, timeSig: timeSig, name: name}
	data, err := encode(nil, rate, tempo, timeSig, name)
	if err != nil {
		return nil, err
	}
	if err := writeAtomic(path, data); err != nil {
		return nil, err
	}
	return w, nil
}

// Add appends an event; its frame counts from the start of the take. It
// does no I/O. Events that are not channel voice messages (Len() == 0, or a
// data byte above 127) are dropped, as are events after Close.
func (w *TakeWriter) Add(e midi.Event) {
	if _, ok := midi.FromBytes(0, e.Msg[:e.Len()]); !ok {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return
	}
	w.events = append(w.events, e)
	w.frames = max(w.frames, e.Frame)
	w.dirty = true
}

// Checkpoint rewrites the whole file, atomically, if events were added
// since the last checkpoint. Call it about once a second.
func (w *TakeWriter) Checkpoint() error {
	w.ioMu.Lock()
	defer w.ioMu.Unlock()
	w.mu.Lock()
	if !w.dirty {
		w.mu.Unlock()
		return nil
	}
	// Events are only ever appended: this prefix does not change.
	events := w.events[:len(w.events):len(w.events)]
	w.dirty = false
	w.mu.Unlock()

	data, err := encode(events, w.rate, w.tempo, w.timeSig, w.name)
	if err == nil {
		err = writeAtomic(w.path, data)
	}
	if err != nil {
		w.mu.Lock()
		w.dirty = true // try again next time
		w.mu.Unlock()
	}
	return err
}

// Close ends the take: later Adds are dropped, and a final Checkpoint
// writes what is left. Closing again retries a failed final write.
func (w *TakeWriter) Close() error {
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
	return w.Checkpoint()
}

// Frames is the latest frame of the events added (0 if none): the take's
// length so far.
func (w *TakeWriter) Frames() int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.frames
}

// Len is the number of events added.
func (w *TakeWriter) Len() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.events)
}

// writeAtomic writes data to path through a temporary file in the same
// folder (durable.WriteFile). Readers see the old file or the new one,
// never a part of one.
func writeAtomic(path string, data []byte) error {
	if err := durable.WriteFile(path, data, 0o600); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, fserr.Describe(err))
	}
	return nil
}
