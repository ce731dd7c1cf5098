// Package waveform computes waveform overviews ("peaks") of take files for
// the timeline display, and keeps them in the song folder so that each take
// is read only once.
//
// A Peaks holds one minimum and one maximum per FramesPerPeak (256) frames
// of a take, mixed down over its channels. That base resolution costs
// 8 bytes per 256 frames (about 1.5 MB per hour of 48 kHz audio, whatever
// the channel count) and is fine enough for any zoom but the closest, where
// a clip is a few hundred frames wide. Peaks.Range reduces it to the
// number of pixels a clip covers at any zoom.
//
// Compute reads a WAV file; Load and LoadFile keep the result in
// SONG_DIR/.cache/peaks (see CacheDir) and reuse it while the take file is
// unchanged; a Store computes peaks in the background for a UI.
package waveform

import (
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"slices"

	"sangstudio/audio/wav"
	"sangstudio/internal/openfile"
)

// FramesPerPeak is the base resolution of the peaks this package computes:
// one min/max pair per 256 frames (5.3 ms at 48 kHz).
const FramesPerPeak = 256

// Peaks is the waveform overview of a take.
//
// Min[i] and Max[i] are the smallest and largest sample of any channel in
// frames [i*FramesPerPeak, (i+1)*FramesPerPeak) of the take; the last pair
// covers the frames that remain. len(Min) == len(Max) ==
// ceil(Frames/FramesPerPeak). A Peaks is not modified after it is made, so
// any number of goroutines may read it.
type Peaks struct {
	Rate          int   // sample rate of the take, Hz
	FramesPerPeak int   // frames per Min/Max pair
	Frames        int64 // frames in the take
	Min, Max      []float32
}

// Range reduces the take frames [from, to) to buckets min/max pairs,
// appended to mins and maxs (pass slices of length 0 to reuse their memory),
// and returns the extended slices. Bucket b covers frames
// [from+b*(to-from)/buckets, from+(b+1)*(to-from)/buckets), rounded down;
// a bucket narrower than one frame shows the frame it starts at. Frames
// before 0 or after the end of the take count as silence (0); a bucket
// entirely outside the take is 0, 0.
//
// Values come from the base peaks that the bucket overlaps, so they can
// exceed the samples of the bucket by at most what lies in the same
// FramesPerPeak block; they equal them exactly when bucket edges fall on
// multiples of FramesPerPeak. Range with buckets <= 0 returns mins and maxs
// unchanged; to < from is taken as to == from.
func (p *Peaks) Range(from, to int64, buckets int, mins, maxs []float32) ([]float32, []float32) {
	if buckets <= 0 {
		return mins, maxs
	}
	if to < from {
		to = from
	}
	mins = slices.Grow(mins, buckets)
	maxs = slices.Grow(maxs, buckets)

	// Be defensive about a Peaks built by hand: use only the frames its
	// slices describe.
	fpp := int64(p.FramesPerPeak)
	count := int64(min(len(p.Min), len(p.Max)))
	frames := max(p.Frames, 0)
	if fpp <= 0 {
		fpp, frames = 1, 0
	} else if need := frames/fpp + b2i(frames%fpp != 0); need > count {
		frames = count * fpp
	}

	n := uint64(to) - uint64(from) // to >= from, so this is exact
	for b := range buckets {
		s := from + int64(mulDiv(uint64(b), n, uint64(buckets)))
		e := from + int64(mulDiv(uint64(b+1), n, uint64(buckets)))
		if e <= s && s < math.MaxInt64 {
			e = s + 1
		}
		lo, hi := max(s, 0), min(e, frames)
		if lo >= hi {
			mins = append(mins, 0)
			maxs = append(maxs, 0)
			continue
		}
		first, last := lo/fpp, (hi-1)/fpp
		mn := slices.Min(p.Min[first : last+1])
		mx := slices.Max(p.Max[first : last+1])
		if s < 0 || e > frames { // part of the bucket is silence
			mn, mx = min(mn, 0), max(mx, 0)
		}
		mins = append(mins, mn)
		maxs = append(maxs, mx)
	}
	return mins, maxs
}

// mulDiv returns a*n/d for a <= d, without overflow.
func mulDiv(a, n, d uint64) uint64 {
	hi, lo := bits.Mul64(a, n)
	q, _ := bits.Div64(hi, lo, d) // a <= d, so the quotient fits
	return q
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// Compute reads the WAV file at path and returns its peaks. It reads the
// audio in chunks of a few thousand frames, so memory does not grow with
// the file (only the peaks do, 8 bytes per FramesPerPeak frames). Errors
// name the file: a *wav.FormatError if it is not WAV audio that package
// can read, otherwise the error of the failed file operation.
func Compute(path string) (*Peaks, error) {
	f, err := openfile.Regular(path) // a FIFO or a device is refused at once
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	return compute(f, fi.Size(), path)
}

// compute reads the size bytes of the WAV file in r.
func compute(r io.ReaderAt, size int64, path string) (*Peaks, error) {
	wr, err := wav.NewReader(r, size)
	if err != nil {
		var fe *wav.FormatError
		if errors.As(err, &fe) && fe.Path == "" {
			fe.Path = path
		}
		return nil, err
	}
	format := wr.Format()
	frames := wr.Frames()
	g := NewGrowing(format.Rate, frames)

	// About 64 KiB of float32 per chunk, a whole number of peaks.
	chunk := max(FramesPerPeak, 16384/format.Channels/FramesPerPeak*FramesPerPeak)
	buf := make([][]float32, format.Channels)
	for c := range buf {
		buf[c] = make([]float32, chunk)
	}
	view := make([][]float32, len(buf))
	for g.Frames() < frames {
		n, err := wr.Read(buf)
		if n == 0 {
			if err == nil || err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, fmt.Errorf("waveform: reading %s: %w", path, err)
		}
		for c := range buf {
			view[c] = buf[c][:n]
		}
		g.Add(view)
	}
	return g.Finish(), nil
}

// minMax returns the smallest and largest of s, mn and mx. It compares
// instead of using min and max, which spread NaN: a NaN sample is skipped.
// Four independent lanes keep the processor busy.
func minMax(s []float32, mn, mx float32) (float32, float32) {
	mn0, mn1, mn2, mn3 := mn, mn, mn, mn
	mx0, mx1, mx2, mx3 := mx, mx, mx, mx
	for len(s) >= 4 {
		v0, v1, v2, v3 := s[0], s[1], s[2], s[3]
		if v0 < mn0 {
			mn0 = v0
		}
		if v1 < mn1 {
			mn1 = v1
		}
		if v2 < mn2 {
			mn2 = v2
		}
		if v3 < mn3 {
			mn3 = v3
		}
		if v0 > mx0 {
			mx0 = v0
		}
		if v1 > mx1 {
			mx1 = v1
		}
		if v2 > mx2 {
			mx2 = v2
		}
		if v3 > mx3 {
			mx3 = v3
		}
		s = s[4:]
	}
	for _, v := range s {
		if v < mn0 {
			mn0 = v
		}
		if v > mx0 {
			mx0 = v
		}
	}
	return min(mn0, mn1, mn2, mn3), max(mx0, mx1, mx2, mx3)
}

// appendPeak appends one pair; a peak of only NaN samples is silence.
func appendPeak(mins, maxs []float32, mn, mx float32) ([]float32, []float32) {
	if mn != mn || mx != mx || mn > mx {
		mn, mx = 0, 0
	}
	return append(mins, mn), append(maxs, mx)
}
