// Package resample is a thin cgo binding of libsoxr for high-quality
// streaming sample-rate conversion of non-interleaved float32 audio.
//
// # Design
//
// Each [Resampler] owns one soxr stream created with SOXR_VHQ (28-bit
// precision, linear phase, flat to 0.91 of the lower Nyquist frequency), split-channel float32
// I/O (SOXR_FLOAT32_S) and one thread. Everything that crosses into C lives in
// C memory allocated once by [New]: the soxr handle, the per-channel pointer
// arrays soxr_process reads, one input and one output block buffer per channel,
// and the odone counter. Process and Flush copy the caller's Go slices into and
// out of those blocks, so no Go pointer is ever stored in C memory (no
// runtime.Pinner is needed), nothing escapes, and the steady state allocates
// nothing on the Go heap.
//
// # Traps avoided (measured in github.com/zaf/resample)
//
//   - Lag that grows with the stream. zaf caps each Write's output at
//     floor(frames × outRate/inRate), so with odd chunk sizes the remainder
//     piles up inside soxr (1 s of lag after 20 minutes). Here output is limited
//     only by the caller's buffer, and input is admitted only while the frames
//     in flight stay within the out capacity plus soxr's own filter lookahead
//     (learned from the stream: the largest in-flight amount ever seen at a
//     moment soxr could produce nothing more). The delay therefore stays bounded
//     by the filter, whatever the pattern of chunk sizes, and a Process call
//     that cannot take its whole input says so through consumed.
//   - Audio lost at the end. zaf's Close drains only 65,536 frames. Flush here
//     signals end of input (soxr_process with in == NULL) and is called until it
//     returns 0; soxr then delivers exactly OutputFrames(total input).
//   - Allocation per call. Buffers and pointer arrays are made once in New.
//   - Freeing constant strings. soxr errors are static C strings; they are
//     copied with C.GoString and never freed.
//   - soxr dereferencing a NULL input buffer when fed after end of input (its
//     input stage returns NULL once flushing): Process after Flush is refused.
//
// # Length and alignment
//
// soxr emits, over a whole stream, (int64)((double)n / io_ratio + .5) frames
// for n input frames, where io_ratio = (double)inRate / (double)outRate: the
// exact ratio rounded half up, as computed in double precision (libsoxr
// src/cr.c, _soxr_flush). [OutputFrames] performs the same computation. The
// linear-phase filter's delay is compensated inside soxr, so input frame t
// lands at output frame t × outRate/inRate.
package resample

/*
#cgo pkg-config: soxr
#include <stdlib.h>
#include <string.h>
#include <soxr.h>

typedef struct {
	soxr_t    s;
	unsigned  ch;
	float   **in;    // ch pointers to block-frame input buffers (C memory)
	float   **out;   // ch pointers to block-frame output buffers (C memory)
	size_t    odone;
} sang_rs;

static void sang_rs_free(sang_rs *r) {
	unsigned c;
	if (!r) return;
	if (r->s) soxr_delete(r->s);
	for (c = 0; c < r->ch; ++c) {
		if (r->in) free(r->in[c]);
		if (r->out) free(r->out[c]);
	}
	free(r->in);
	free(r->out);
	free(r);
}

// sang_rs_new returns NULL and sets *err on failure; err is a static string.
static sang_rs *sang_rs_new(double irate, double orate, unsigned ch, size_t block, char const **err) {
	soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_S, SOXR_FLOAT32_S);
	soxr_quality_spec_t q = soxr_quality_spec(SOXR_VHQ, 0);
	soxr_runtime_spec_t rt = soxr_runtime_spec(1);
	soxr_error_t e = 0;
	unsigned c;
	sang_rs *r = calloc(1, sizeof *r);
	*err = 0;
	if (!r) { *err = "out of memory"; return NULL; }
	r->ch = ch;
	r->in = calloc(ch, sizeof *r->in);
	r->out = calloc(ch, sizeof *r->out);
	if (!r->in || !r->out) { r->ch = 0; sang_rs_free(r); *err = "out of memory"; return NULL; }
	for (c = 0; c < ch; ++c) {
		r->in[c] = calloc(block, sizeof(float));
		r->out[c] = calloc(block, sizeof(float));
		if (!r->in[c] || !r->out[c]) { sang_rs_free(r); *err = "out of memory"; return NULL; }
	}
	r->s = soxr_create(irate, orate, ch, &e, &io, &q, &rt);
	if (!r->s || e) {
		*err = e ? e : "soxr_create failed";
		sang_rs_free(r);
		return NULL;
	}
	return r;
}

// sang_rs_process feeds ilen frames from r->in and writes up to olen frames
// to r->out; ilen frames are always taken (idone is not passed, so soxr does
// not apply its own ceil(olen*io_ratio) input limit; the Go side budgets).
static char const *sang_rs_process(sang_rs *r, size_t ilen, size_t olen) {
	r->odone = 0;
	return soxr_process(r->s, (soxr_in_t)r->in, ilen, NULL, (soxr_out_t)r->out, olen, &r->odone);
}

// sang_rs_flush signals end of input and writes up to olen frames to r->out.
static char const *sang_rs_flush(sang_rs *r, size_t olen) {
	r->odone = 0;
	return soxr_process(r->s, NULL, 0, NULL, (soxr_out_t)r->out, olen, &r->odone);
}
*/
import "C"

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"unsafe"
)

// block is the largest number of frames handed to soxr in one soxr_process
// call, in each direction. It sizes the per-channel C buffers made by New and
// keeps soxr's internal int casts far from overflow.
const block = 8192

// Resampler converts a stream of non-interleaved float32 audio from one rate
// to another with libsoxr at very high quality (SOXR_VHQ, linear phase).
// Not safe for concurrent use. Allocates only in New.
type Resampler struct {
	c        *C.sang_rs
	cleanup  runtime.Cleanup
	channels int
	inRate   int
	outRate  int
	ratio    float64     // input frames per output frame, as soxr's io_ratio
	cin      [][]float32 // Go views of the C input blocks
	cout     [][]float32 // Go views of the C output blocks
	inTotal  int64       // frames handed to soxr
	outTotal int64       // frames received from soxr
	// lookahead is the most output frames ever seen in flight at a moment soxr
	// had nothing more to give: the filter's own buffering. Input is admitted
	// up to out capacity + lookahead, which bounds the delay.
	lookahead int64
	flushing  bool
}

// New returns a Resampler from inRate to outRate (frames per second) for the
// given number of channels. It rejects rates ≤ 0 and channels < 1, and reports
// soxr's message as "resample: <message>" if soxr refuses the configuration.
// Call Close when done to free the C resources.
func New(inRate, outRate, channels int) (*Resampler, error) {
	if inRate <= 0 || outRate <= 0 {
		return nil, fmt.Errorf("resample: sample rates must be positive (got %d → %d)", inRate, outRate)
	}
	if channels < 1 {
		return nil, fmt.Errorf("resample: need at least 1 channel (got %d)", channels)
	}
	if channels > 1<<16 {
		return nil, fmt.Errorf("resample: too many channels (%d)", channels)
	}
	var cerr *C.char
	c := C.sang_rs_new(C.double(inRate), C.double(outRate), C.unsigned(channels), C.size_t(block), &cerr)
	if c == nil {
		msg := "soxr_create failed"
		if cerr != nil {
			msg = C.GoString(cerr)
		}
		return nil, errors.New("resample: " + msg)
	}
	r := &Resampler{
		c:        c,
		channels: channels,
		inRate:   inRate,
		outRate:  outRate,
		ratio:    float64(inRate) / float64(outRate),
		cin:      make([][]float32, channels),
		cout:     make([][]float32, channels),
	}
	ins := unsafe.Slice(c.in, channels)
	outs := unsafe.Slice(c.out, channels)
	for i := range channels {
		r.cin[i] = unsafe.Slice((*float32)(unsafe.Pointer(ins[i])), block)
		r.cout[i] = unsafe.Slice((*float32)(unsafe.Pointer(outs[i])), block)
	}
	r.cleanup = runtime.AddCleanup(r, func(c *C.sang_rs) { C.sang_rs_free(c) }, c)
	return r, nil
}

// Close frees the C resources. It is safe to call more than once; Process and
// Flush return an error afterwards.
func (r *Resampler) Close() {
	if r == nil || r.c == nil {
		return
	}
	r.cleanup.Stop()
	C.sang_rs_free(r.c)
	r.c = nil
	r.cin, r.cout = nil, nil
}

var (
	errClosed       = errors.New("resample: use of closed Resampler")
	errAfterFlush   = errors.New("resample: Process after Flush")
	errFlushNoSpace = errors.New("resample: Flush needs output capacity")
)

// frames checks that bufs has one slice per channel, all of one length, and
// returns that length.
func (r *Resampler) frames(bufs [][]float32, what string) (int, error) {
	if len(bufs) != r.channels {
		return 0, fmt.Errorf("resample: %s has %d channels, want %d", what, len(bufs), r.channels)
	}
	n := len(bufs[0])
	for i, b := range bufs[1:] {
		if len(b) != n {
			return 0, fmt.Errorf("resample: %s channel %d has %d frames, channel 0 has %d", what, i+1, len(b), n)
		}
	}
	return n, nil
}

// soxrError wraps a soxr error string.
func soxrError(e *C.char) error {
	return errors.New("resample: " + C.GoString(e))
}

// Process consumes input frames and produces output frames.
//
// in must hold one slice per channel, all the same length (which may be 0: that
// just collects output that is ready); out must hold one slice per channel, all
// the same length, which is the capacity for output. Process returns how many
// input frames it consumed and how many output frames it wrote to the start of
// out. If consumed < len(in[0]), call again with the unconsumed rest of in
// (after making room in out). Input is taken only while the audio in flight
// stays within the out capacity plus the filter's lookahead, so sizing out for
// OutputFrames(len(in[0]), ...) plus a few frames usually consumes everything
// in one call, and the delay through the resampler never grows with time
// (it stays within the filter's lookahead, 20–40 ms at the usual rates). With
// no room in out, Process may consume nothing.
//
// Process must not be called after Flush.
func (r *Resampler) Process(in, out [][]float32) (consumed, produced int, err error) {
	if r.c == nil {
		return 0, 0, errClosed
	}
	if r.flushing {
		return 0, 0, errAfterFlush
	}
	nin, err := r.frames(in, "input")
	if err != nil {
		return 0, 0, err
	}
	nout, err := r.frames(out, "output")
	if err != nil {
		return 0, 0, err
	}
	stalled := false
	for {
		oc := min(nout-produced, block)
		// Input that keeps in-flight output within oc + lookahead.
		budget := int64(math.Ceil(float64(r.outTotal+int64(oc)+r.lookahead)*r.ratio)) - r.inTotal
		n := int(max(0, min(budget, int64(min(nin-consumed, block)))))
		if stalled && n == 0 && oc > 0 && consumed < nin {
			n = 1 // cannot happen (lookahead was raised), but guarantees progress
		}
		for c := range r.channels {
			copy(r.cin[c][:n], in[c][consumed:consumed+n])
		}
		if e := C.sang_rs_process(r.c, C.size_t(n), C.size_t(oc)); e != nil {
			return consumed, produced, soxrError(e)
		}
		m := int(r.c.odone)
		for c := range r.channels {
			copy(out[c][produced:produced+m], r.cout[c][:m])
		}
		consumed += n
		produced += m
		r.inTotal += int64(n)
		r.outTotal += int64(m)
		if m < oc {
			// soxr gave all it could: whatever is in flight is filter lookahead.
			pending := int64(math.Ceil(float64(r.inTotal)/r.ratio - float64(r.outTotal)))
			r.lookahead = max(r.lookahead, pending)
		}
		if n == 0 && m == 0 {
			if stalled || consumed == nin || oc == 0 {
				return consumed, produced, nil
			}
			stalled = true // retry once with the raised lookahead
			continue
		}
		stalled = false
		if consumed == nin && m < oc {
			return consumed, produced, nil
		}
	}
}

// Flush signals the end of input and writes remaining output to out (one
// slice per channel, all the same non-zero length), returning how many frames
// it wrote. Call it repeatedly until it returns 0; the stream has then
// delivered exactly OutputFrames(total input frames, inRate, outRate) frames
// over all Process and Flush calls. After the first Flush, Process returns an
// error.
func (r *Resampler) Flush(out [][]float32) (produced int, err error) {
	if r.c == nil {
		return 0, errClosed
	}
	nout, err := r.frames(out, "output")
	if err != nil {
		return 0, err
	}
	if nout == 0 {
		return 0, errFlushNoSpace
	}
	r.flushing = true
	for produced < nout {
		oc := min(nout-produced, block)
		if e := C.sang_rs_flush(r.c, C.size_t(oc)); e != nil {
			return produced, soxrError(e)
		}
		m := int(r.c.odone)
		for c := range r.channels {
			copy(out[c][produced:produced+m], r.cout[c][:m])
		}
		produced += m
		r.outTotal += int64(m)
		if m < oc {
			break
		}
	}
	return produced, nil
}

// OutputFrames is the exact number of output frames a complete stream of
// inFrames input frames yields: what Process and Flush deliver in total. It
// is inFrames × outRate/inRate rounded half up, computed as soxr does it,
// (int64)((double)inFrames / ((double)inRate / outRate) + 0.5). It returns 0
// for inFrames ≤ 0 or rates ≤ 0.
func OutputFrames(inFrames int64, inRate, outRate int) int64 {
	if inFrames <= 0 || inRate <= 0 || outRate <= 0 {
		return 0
	}
	ioRatio := float64(inRate) / float64(outRate)
	q := float64(float64(inFrames) / ioRatio) // explicit conversion: rounded like C
	return int64(q + 0.5)
}
