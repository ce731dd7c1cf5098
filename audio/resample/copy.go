package resample

import (
	"context"
	"io"
)

// Chunk is the frames per read that Copy uses: a multiple of 160, which keeps
// soxr's output for 48000 ↔ 44100 exact (see the package documentation).
const Chunk = 160 * 64

// Reader is what Copy reads: planar float32 frames, io.EOF at the end
// (sangstudio/audio/wav's Reader is one).
type Reader interface {
	Read(dst [][]float32) (int, error)
}

// Copy reads all frames from r and hands them to write, converted from
// inRate to outRate (or unchanged when the rates are equal). write may keep
// nothing: its buffer is reused. Read errors are returned as they are, so
// callers can describe them; ctx is checked between chunks.
func Copy(ctx context.Context, r Reader, write func([][]float32) error, inRate, outRate, channels int) error {
	in := make([][]float32, channels)
	for c := range in {
		in[c] = make([]float32, Chunk)
	}
	var rs *Resampler
	var out [][]float32
	if inRate != outRate {
		var err error
		if rs, err = New(inRate, outRate, channels); err != nil {
			return err
		}
		defer rs.Close()
		outLen := int(int64(Chunk)*int64(outRate)/int64(inRate)) + 64
		out = make([][]float32, channels)
		for c := range out {
			out[c] = make([]float32, outLen)
		}
	}
	sub := make([][]float32, channels)
	part := func(b [][]float32, from, to int) [][]float32 {
		for i := range b {
			sub[i] = b[i][from:to]
		}
		return sub
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, err := r.Read(in)
		if n > 0 {
			if rs == nil {
				if err := write(part(in, 0, n)); err != nil {
					return err
				}
			} else {
				for done := 0; done < n; {
					used, made, err := rs.Process(part(in, done, n), out)
					if err != nil {
						return err
					}
					done += used
					if made > 0 {
						if err := write(part(out, 0, made)); err != nil {
							return err
						}
					}
				}
			}
		}
		if err == io.EOF || (err == nil && n == 0) {
			break
		}
		if err != nil {
			return err
		}
	}
	if rs != nil {
		for {
			made, err := rs.Flush(out)
			if err != nil {
				return err
			}
			if made == 0 {
				break
			}
			if err := write(part(out, 0, made)); err != nil {
				return err
			}
		}
	}
	return nil
}
