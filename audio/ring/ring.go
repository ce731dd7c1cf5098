// Package ring has the lock-free single-producer, single-consumer queues
// that connect real-time threads to the rest of the program: a ring of
// audio frames (the engine's playback read-ahead and capture, a played
// file's read-ahead, the virtual device's input file and output file) and
// a ring of small values (the engine's commands, events and keyboard
// messages).
//
// Exactly one goroutine may write and exactly one may read each ring; each
// side's methods are then safe without locks and never allocate or block,
// so an audio thread may use its side. Positions are 64-bit counters that
// never wrap in practice; the buffer index is the position modulo the
// capacity (a power of two).
package ring

import "sync/atomic"

// cursor is a ring's two positions: how far the consumer has read and how
// far the producer has written. They sit on separate cache lines, so the
// two sides do not slow each other down by writing the same line.
type cursor struct {
	mask uint64 // capacity - 1
	_    [64]byte
	r    atomic.Uint64 // read so far (consumer)
	_    [56]byte
	w    atomic.Uint64 // written so far (producer)
}

// init sizes the cursor for a ring holding at least capacity items
// (rounded up to a power of two).
func (c *cursor) init(capacity int) {
	n := 1
	for n < capacity {
		n <<= 1
	}
	c.mask = uint64(n - 1)
}

// size is the capacity.
func (c *cursor) size() int { return int(c.mask + 1) }

// readable is the number of items the consumer can read now.
func (c *cursor) readable() int { return int(c.w.Load() - c.r.Load()) }

// Frames is a ring of audio frames with a fixed channel count, stored one
// buffer per channel, the way the audio callbacks, the mix and the WAV
// reader and writer hold audio: a run of frames goes in and out with one
// copy per channel, and the consumer may read a run in place (Peek).
type Frames struct {
	buf      []float32 // channel c's Cap frames at [c*Cap, (c+1)*Cap)
	channels int
	cursor
}

// NewFrames returns a ring holding at least capacity frames of the given
// channel count (rounded up to a power of two).
func NewFrames(channels, capacity int) *Frames {
	f := &Frames{channels: channels}
	f.init(capacity)
	f.buf = make([]float32, f.size()*channels)
	return f
}

// channel is channel c's buffer.
func (f *Frames) channel(c int) []float32 {
	n := f.size()
	return f.buf[c*n : (c+1)*n : (c+1)*n]
}

// Channels is the ring's channel count.
func (f *Frames) Channels() int { return f.channels }

// Cap is the ring's capacity in frames.
func (f *Frames) Cap() int { return f.size() }

// Readable is the number of frames the consumer can read now.
func (f *Frames) Readable() int { return f.readable() }

// Writable is the number of frames the producer can write now.
func (f *Frames) Writable() int { return f.size() - f.readable() }

// Written is the number of frames written since the ring was made.
// Producer side (the consumer sees at least Consumed()+Readable()).
func (f *Frames) Written() int64 { return int64(f.w.Load()) }

// Consumed is the number of frames read or discarded since the ring was
// made. Consumer side.
func (f *Frames) Consumed() int64 { return int64(f.r.Load()) }

// Write copies up to len(src[0]) frames from src (one slice per channel)
// into the ring and returns how many fit. Channels of the ring beyond
// src's get silence; channels of src beyond the ring's are ignored.
// Producer side; no allocation.
func (f *Frames) Write(src [][]float32) int {
	w := f.w.Load()
	n := min(len(src[0]), f.size()-int(w-f.r.Load()))
	// In at most two runs: up to the end of the buffer, then from its start.
	i := int(w & f.mask)
	k := min(n, f.size()-i)
	for c := range f.channels {
		b := f.channel(c)
		if c < len(src) {
			copy(b[i:i+k], src[c][:k])
			copy(b[:n-k], src[c][k:n])
		} else {
			clear(b[i : i+k])
			clear(b[:n-k])
		}
	}
	f.w.Store(w + uint64(n))
	return n
}

// WriteSilence writes up to n frames of silence and returns how many fit.
// Producer side.
func (f *Frames) WriteSilence(n int) int {
	w := f.w.Load()
	n = min(n, f.size()-int(w-f.r.Load()))
	i := int(w & f.mask)
	k := min(n, f.size()-i)
	for c := range f.channels {
		b := f.channel(c)
		clear(b[i : i+k])
		clear(b[:n-k])
	}
	f.w.Store(w + uint64(n))
	return n
}

// Read copies up to len(dst[0]) frames into dst (one slice per channel)
// and returns how many were available. Channels of dst beyond the ring's
// get silence for those frames; channels of the ring beyond dst's are
// dropped. Consumer side; no allocation.
func (f *Frames) Read(dst [][]float32) int {
	r := f.r.Load()
	n := min(len(dst[0]), int(f.w.Load()-r))
	i := int(r & f.mask)
	k := min(n, f.size()-i)
	for c, d := range dst {
		if c < f.channels {
			b := f.channel(c)
			copy(d[:k], b[i:i+k])
			copy(d[k:n], b[:n-k])
		} else {
			clear(d[:n])
		}
	}
	f.r.Store(r + uint64(n))
	return n
}

// Peek points views[c] at up to n readable frames of channel c, in place,
// and returns how many: fewer than Readable() where the run reaches the
// end of the buffer (the next Peek starts at its beginning). The consumer
// then calls Discard with that number; until then the producer leaves
// the frames alone. views must not have more channels than the ring.
// Consumer side; no allocation.
func (f *Frames) Peek(views [][]float32, n int) int {
	r := f.r.Load()
	i := int(r & f.mask)
	k := min(n, int(f.w.Load()-r), f.size()-i)
	for c := range views {
		views[c] = f.channel(c)[i : i+k]
	}
	return k
}

// Discard drops up to n readable frames and returns how many. Consumer side.
func (f *Frames) Discard(n int) int {
	r := f.r.Load()
	n = min(n, int(f.w.Load()-r))
	f.r.Store(r + uint64(n))
	return n
}

// Reset empties the ring. Only call it when neither side is using the ring
// (for example after the consumer has announced that it stopped reading).
func (f *Frames) Reset() {
	f.r.Store(f.w.Load())
}

// Values is a ring of values of type T (commands, events).
type Values[T any] struct {
	buf []T
	cursor
}

// NewValues returns a ring for at least capacity values.
func NewValues[T any](capacity int) *Values[T] {
	q := &Values[T]{}
	q.init(capacity)
	q.buf = make([]T, q.size())
	return q
}

// Push adds v; it returns false (and drops v) if the ring is full.
// Producer side; no allocation.
func (q *Values[T]) Push(v T) bool {
	w := q.w.Load()
	if w-q.r.Load() == q.mask+1 {
		return false
	}
	q.buf[w&q.mask] = v
	q.w.Store(w + 1)
	return true
}

// Pop removes the oldest value; ok is false if the ring is empty.
// Consumer side; no allocation.
func (q *Values[T]) Pop() (v T, ok bool) {
	r := q.r.Load()
	if r == q.w.Load() {
		return v, false
	}
	v = q.buf[r&q.mask]
	q.r.Store(r + 1)
	return v, true
}

// Len is the number of values waiting. Either side may call it; the
// consumer sees at least this many to pop.
func (q *Values[T]) Len() int { return q.readable() }
