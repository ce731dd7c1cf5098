// Package ring has the lock-free single-producer, single-consumer queues
// that connect the audio thread to the rest of the program: a ring of
// audio frames (playback read-ahead, capture) and a ring of small values
// (commands, events).
//
// Exactly one goroutine may write and exactly one may read each ring; each
// side's methods are then safe without locks and never allocate, so the
// audio thread may use its side. Positions are 64-bit counters that never
// wrap in practice; the buffer index is the position modulo the capacity
// (a power of two).
package ring

import "sync/atomic"

// Frames is a ring of audio frames with a fixed channel count, stored
// interleaved.
type Frames struct {
	buf      []float32
	channels int
	mask     uint64 // capacity in frames - 1
	_        [64]byte
	r        atomic.Uint64 // frames read (consumer)
	_        [56]byte
	w        atomic.Uint64 // frames written (producer)
}

// NewFrames returns a ring holding at least capacity frames of the given
// channel count (rounded up to a power of two).
func NewFrames(channels, capacity int) *Frames {
	n := 1
	for n < capacity {
		n <<= 1
	}
	return &Frames{buf: make([]float32, n*channels), channels: channels, mask: uint64(n - 1)}
}

// Channels is the ring's channel count.
func (f *Frames) Channels() int { return f.channels }

// Cap is the ring's capacity in frames.
func (f *Frames) Cap() int { return int(f.mask + 1) }

// Readable is the number of frames the consumer can read now.
func (f *Frames) Readable() int { return int(f.w.Load() - f.r.Load()) }

// Writable is the number of frames the producer can write now.
func (f *Frames) Writable() int { return f.Cap() - int(f.w.Load()-f.r.Load()) }

// Write copies up to len(src[0]) frames from src (one slice per channel)
// into the ring and returns how many fit. Producer side; no allocation.
func (f *Frames) Write(src [][]float32) int {
	w := f.w.Load()
	n := min(len(src[0]), f.Cap()-int(w-f.r.Load()))
	// In at most two runs: up to the end of the buffer, then from its start.
	done := 0
	for done < n {
		at := int((w + uint64(done)) & f.mask)
		k := min(n-done, f.Cap()-at)
		f.put(at, src, done, k)
		done += k
	}
	f.w.Store(w + uint64(n))
	return n
}

// put interleaves frames [from, from+k) of src into the buffer at frame at
// (no wrap within).
func (f *Frames) put(at int, src [][]float32, from, k int) {
	switch f.channels {
	case 1:
		copy(f.buf[at:at+k], src[0][from:from+k])
	case 2:
		b := f.buf[2*at : 2*(at+k)]
		l, r := src[0][from:from+k], src[1][from:from+k]
		for i := range l {
			b[2*i], b[2*i+1] = l[i], r[i]
		}
	default:
		ch := f.channels
		for i := 0; i < k; i++ {
			for c := 0; c < ch; c++ {
				f.buf[(at+i)*ch+c] = src[c][from+i]
			}
		}
	}
}

// WriteSilence writes up to n frames of silence and returns how many fit.
// Producer side.
func (f *Frames) WriteSilence(n int) int {
	w := f.w.Load()
	n = min(n, f.Cap()-int(w-f.r.Load()))
	ch := f.channels
	for i := 0; i < n; i++ {
		base := int((w+uint64(i))&f.mask) * ch
		clear(f.buf[base : base+ch])
	}
	f.w.Store(w + uint64(n))
	return n
}

// Read copies up to len(dst[0]) frames into dst (one slice per channel)
// and returns how many were available. Consumer side; no allocation.
func (f *Frames) Read(dst [][]float32) int {
	r := f.r.Load()
	n := min(len(dst[0]), int(f.w.Load()-r))
	done := 0
	for done < n {
		at := int((r + uint64(done)) & f.mask)
		k := min(n-done, f.Cap()-at)
		f.get(at, dst, done, k)
		done += k
	}
	f.r.Store(r + uint64(n))
	return n
}

// get de-interleaves k frames from the buffer at frame at (no wrap within)
// into dst from index from.
func (f *Frames) get(at int, dst [][]float32, from, k int) {
	switch f.channels {
	case 1:
		copy(dst[0][from:from+k], f.buf[at:at+k])
	case 2:
		b := f.buf[2*at : 2*(at+k)]
		l, r := dst[0][from:from+k], dst[1][from:from+k]
		for i := range l {
			l[i], r[i] = b[2*i], b[2*i+1]
		}
	default:
		ch := f.channels
		for i := 0; i < k; i++ {
			for c := 0; c < ch; c++ {
				dst[c][from+i] = f.buf[(at+i)*ch+c]
			}
		}
	}
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
	buf  []T
	mask uint64
	_    [64]byte
	r    atomic.Uint64
	_    [56]byte
	w    atomic.Uint64
}

// NewValues returns a ring for at least capacity values.
func NewValues[T any](capacity int) *Values[T] {
	n := 1
	for n < capacity {
		n <<= 1
	}
	return &Values[T]{buf: make([]T, n), mask: uint64(n - 1)}
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
func (q *Values[T]) Len() int { return int(q.w.Load() - q.r.Load()) }
