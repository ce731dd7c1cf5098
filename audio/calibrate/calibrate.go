// Package calibrate measures an audio interface's true round-trip latency
// with a loopback cable (an output wired to an input): it plays a train of
// clicks, records them back, and finds the delay that the clicks it hears
// agree on. Clicks that do not arrive (a cable plugged in a moment late) or
// that disagree (a knock on the microphone) are ignored.
//
// Sangstudio places recorded takes earlier by the stream's reported input
// and output latency plus the offset measured here, so takes line up with
// what the performers heard.
package calibrate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"sync/atomic"
	"time"

	"sangstudio/audio/device"
)

// Click train: one click every interval, each a short windowed burst.
const (
	clickEvery = 0.25 // seconds
	clickLen   = 64   // frames
)

// clickWave is the click: a Hann-windowed burst of alternating signs, sharp
// enough to locate to the frame by correlation.
func clickWave() []float32 {
	w := make([]float32, clickLen)
	for i := range w {
		h := 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(clickLen-1))
		s := 1.0
		if i%2 == 1 {
			s = -1
		}
		w[i] = float32(0.5 * h * s * math.Sin(float64(i)*0.9+0.3))
	}
	return w
}

// Result of a measurement.
type Result struct {
	Delay    int64 // round-trip delay in frames: a sound played at frame f comes back at f+Delay
	Clicks   int   // clicks played
	Heard    int   // clicks that agreed on Delay
	Reported int64 // input + output latency the stream reported
}

// Offset is what to add to the reported latency to get the true delay.
func (r Result) Offset() int64 { return r.Delay - r.Reported }

// ErrNoClicks means too few clicks came back to trust a measurement.
var ErrNoClicks = errors.New("calibrate: the clicks did not come back; check that a cable connects the output to the input, and the input level")

// Analyze finds the round-trip delay: emitted holds the frames at which
// clicks started in the output, captured is the input. A delay is accepted
// when at least half the clicks (and at least 3) agree on it within one
// frame.
func Analyze(emitted []int64, captured []float32, maxDelay int) (delay int64, heard int, err error) {
	w := clickWave()
	var energy float64
	for _, v := range w {
		energy += float64(v) * float64(v)
	}
	var delays []int64
	for _, at := range emitted {
		best, bestLag := 0.0, -1
		for lag := 0; lag <= maxDelay; lag++ {
			s := int(at) + lag
			if s+len(w) > len(captured) {
				break
			}
			var c float64
			for i, v := range w {
				c += float64(v) * float64(captured[s+i])
			}
			if c > best {
				best, bestLag = c, lag
			}
		}
		// A real arrival correlates strongly: at least 5% of the
		// click's own energy (a loop 26 dB down still counts).
		if bestLag >= 0 && best > 0.05*energy {
			delays = append(delays, int64(bestLag))
		}
	}
	if len(delays) < 3 {
		return 0, len(delays), ErrNoClicks
	}
	sorted := append([]int64(nil), delays...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	// The delay most clicks agree on (within a frame).
	bestCount := 0
	for _, d := range sorted {
		n := 0
		for _, x := range sorted {
			if x >= d-1 && x <= d+1 {
				n++
			}
		}
		if n > bestCount || (n == bestCount && d < delay) {
			bestCount, delay = n, d
		}
	}
	if bestCount*2 < len(emitted) || bestCount < 3 {
		return 0, bestCount, fmt.Errorf("calibrate: only %d of %d clicks agreed on a delay; check the cable and try again", bestCount, len(emitted))
	}
	return delay, bestCount, nil
}

// Measure plays clicks on output channel out (0-based) for the given time,
// records input channel in, and analyses the result.
func Measure(cfg device.Config, seconds float64, out, in int) (Result, error) {
	return MeasureContext(context.Background(), cfg, seconds, out, in)
}

// MeasureContext is Measure, stopped (the device closed, nothing
// measured) with ctx's error when ctx is cancelled.
func MeasureContext(ctx context.Context, cfg device.Config, seconds float64, out, in int) (Result, error) {
	if seconds <= 0 {
		seconds = 4
	}
	cfg.Inputs = max(cfg.Inputs, in+1)
	cfg.Outputs = max(cfg.Outputs, out+1)
	total := int64(seconds * float64(cfg.Rate))
	captured := make([]float32, total)
	w := clickWave()
	every := int64(clickEvery * float64(cfg.Rate))
	var emitted []int64
	for at := every; at+every <= total; at += every {
		emitted = append(emitted, at)
	}
	var frame atomic.Int64
	stream, err := device.Open(cfg, func(ins, outs [][]float32, st device.Status) {
		n := len(outs[0])
		f := frame.Load()
		for _, o := range outs {
			clear(o)
		}
		for i := 0; i < n; i++ {
			p := f + int64(i)
			if p < total {
				captured[p] = ins[in][i]
				if k := p % every; p >= every && k < clickLen && p+every <= total+every {
					outs[out][i] = w[k]
				}
			}
		}
		frame.Store(f + int64(n))
	})
	if err != nil {
		return Result{}, err
	}
	defer stream.Close()
	if err := stream.Start(); err != nil {
		return Result{}, err
	}
	deadline := time.Now().Add(time.Duration(seconds*float64(time.Second)) + 5*time.Second)
	for frame.Load() < total {
		select {
		case <-stream.Done():
			return Result{}, stream.Err()
		case <-ctx.Done():
			return Result{}, ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return Result{}, fmt.Errorf("calibrate: the device %q stopped delivering audio", stream.Info().Name)
		}
	}
	stream.Stop()
	res := Result{Clicks: len(emitted), Reported: int64(stream.InputLatency() + stream.OutputLatency())}
	res.Delay, res.Heard, err = Analyze(emitted, captured, int(every)-clickLen)
	return res, err
}

// Store keeps the measured offsets per device and sample rate in a small
// JSON file in the user's configuration folder.
type Store struct{ Path string }

// DefaultStore is ~/.config/sangstudio/calibration.json (per the system's
// configuration folder).
func DefaultStore() Store {
	dir, err := os.UserConfigDir()
	if err != nil {
		dir = os.TempDir()
	}
	return Store{Path: filepath.Join(dir, "sangstudio", "calibration.json")}
}

func key(deviceID string, rate int) string { return fmt.Sprintf("%s@%d", deviceID, rate) }

// Offset returns the stored offset for a device at a rate (0 if none).
func (s Store) Offset(deviceID string, rate int) (int64, bool) {
	m := s.load()
	v, ok := m[key(deviceID, rate)]
	return v, ok
}

// Save stores an offset.
func (s Store) Save(deviceID string, rate int, offset int64) error {
	m := s.load()
	m[key(deviceID, rate)] = offset
	data, _ := json.MarshalIndent(m, "", "  ")
	if err := os.MkdirAll(filepath.Dir(s.Path), 0o700); err != nil {
		return err
	}
	tmp := s.Path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, s.Path)
}

func (s Store) load() map[string]int64 {
	m := map[string]int64{}
	if data, err := os.ReadFile(s.Path); err == nil {
		json.Unmarshal(data, &m)
	}
	return m
}
