package device

import "sync/atomic"

// ring is a lock-free ring buffer of non-interleaved float32 frames for
// one producer goroutine and one consumer goroutine. Its memory is
// allocated by newRing; no method allocates.
type ring struct {
	buf  [][]float32 // one slice per channel, size frames each
	size int64       // a power of two
	mask int64
	w, r atomic.Int64 // frames written and read so far
}

// newRing returns a ring of the given channels holding at least frames
// frames.
func newRing(channels, frames int) *ring {
	size := int64(1)
	for size < int64(frames) {
		size <<= 1
	}
	r := &ring{buf: make([][]float32, channels), size: size, mask: size - 1}
	for c := range r.buf {
		r.buf[c] = make([]float32, size)
	}
	return r
}

// readable returns the number of frames the consumer can read.
func (r *ring) readable() int { return int(r.w.Load() - r.r.Load()) }

// writable returns the number of frames the producer can write.
func (r *ring) writable() int { return int(r.size - (r.w.Load() - r.r.Load())) }

// write copies src[c][:n] into channel c of the ring (the producer only;
// n <= writable()). Channels of src beyond the ring's are ignored, and
// channels of the ring beyond src's get zeros.
func (r *ring) write(src [][]float32, n int) {
	w := r.w.Load()
	i := int(w & r.mask)
	k := min(n, int(r.size)-i) // frames before the wrap
	for c, b := range r.buf {
		if c < len(src) {
			copy(b[i:i+k], src[c][:k])
			copy(b[:n-k], src[c][k:n])
		} else {
			clear(b[i : i+k])
			clear(b[:n-k])
		}
	}
	r.w.Store(w + int64(n))
}

// read copies n frames into dst[c][:n] (the consumer only; n <=
// readable()). Channels of dst beyond the ring's get zeros.
func (r *ring) read(dst [][]float32, n int) {
	rd := r.r.Load()
	i := int(rd & r.mask)
	k := min(n, int(r.size)-i)
	for c, d := range dst {
		if c < len(r.buf) {
			copy(d[:k], r.buf[c][i:i+k])
			copy(d[k:n], r.buf[c][:n-k])
		} else {
			clear(d[:n])
		}
	}
	r.r.Store(rd + int64(n))
}

// peek points views[c] at up to n readable frames of channel c, without
// copying, and returns how many (fewer than readable() at the wrap). The
// consumer then calls discard with that number. views must have one slice
// per channel of the ring.
func (r *ring) peek(views [][]float32, n int) int {
	rd := r.r.Load()
	i := int(rd & r.mask)
	k := min(n, r.readable(), int(r.size)-i)
	for c := range views {
		views[c] = r.buf[c][i : i+k]
	}
	return k
}

// discard drops n readable frames (the consumer only).
func (r *ring) discard(n int) { r.r.Add(int64(n)) }
