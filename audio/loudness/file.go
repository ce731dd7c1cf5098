package loudness

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"sangstudio/audio/wav"
)

// readFrames is the number of frames MeasureFile reads at a time.
const readFrames = 16384

// MeasureFile measures the WAV file at path (any format the
// sangstudio/audio/wav reader reads). Errors name the file.
func MeasureFile(path string) (Result, error) {
	return MeasureFileContext(context.Background(), path)
}

// MeasureFileContext is MeasureFile, stopped with ctx's error when ctx is
// cancelled (it looks between blocks of readFrames frames).
func MeasureFileContext(ctx context.Context, path string) (Result, error) {
	r, err := wav.Open(path)
	if err != nil {
		return Result{}, fileErr(path, err)
	}
	defer r.Close()
	f := r.Format()
	m, err := NewMeter(f.Rate, f.Channels)
	if err != nil {
		return Result{}, fileErr(path, err)
	}
	buf := make([][]float32, f.Channels)
	for c := range buf {
		buf[c] = make([]float32, readFrames)
	}
	for {
		if err := ctx.Err(); err != nil {
			return Result{}, err
		}
		n, err := r.Read(buf)
		if n > 0 {
			for c := range buf {
				buf[c] = buf[c][:n]
			}
			m.WritePlanar(buf)
			for c := range buf {
				buf[c] = buf[c][:readFrames]
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Result{}, fileErr(path, err)
		}
	}
	return m.Result(), nil
}

// fileErr makes sure an error names the file it is about.
func fileErr(path string, err error) error {
	if strings.Contains(err.Error(), path) {
		return fmt.Errorf("loudness: %w", err)
	}
	return fmt.Errorf("loudness: %s: %w", path, err)
}
