package playfile

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"sangstudio/audio/device"
	"sangstudio/audio/wav"
)

func writeTestFile(t *testing.T, rate, frames int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "song.wav")
	w, err := wav.Create(path, wav.Format{Rate: rate, Channels: 2, Encoding: wav.Float32}, wav.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	buf := [][]float32{make([]float32, frames), make([]float32, frames)}
	for i := range frames {
		buf[0][i], buf[1][i] = float32(i+1)/float32(frames), -float32(i+1)/float32(frames)
	}
	if err := w.Write(buf); err != nil {
		t.Fatal(err)
	}
	w.Close()
	return path
}

// TestProcessAllocs: the callback does not allocate, playing, at the end,
// or applying a seek. The test is the ring's consumer (the stream is never
// started).
func TestProcessAllocs(t *testing.T) {
	for _, rate := range []int{48000, 44100} { // 44100: resampled to 48000
		p, err := OpenConfig(writeTestFile(t, rate, 3*48000), device.Config{Device: device.VirtualID, Rate: 48000})
		if err != nil {
			t.Fatal(err)
		}
		out := [][]float32{make([]float32, 256), make([]float32, 256)}
		st := device.Status{}
		step := func() { p.process(nil, out, st) }
		if a := testing.AllocsPerRun(1000, step); a != 0 {
			t.Errorf("rate %d: %v allocations per callback", rate, a)
		}
		p.seekLocked(1000) // as Seek does, without the lock a callback never takes
		if a := testing.AllocsPerRun(1000, step); a != 0 {
			t.Errorf("rate %d: %v allocations per callback around a seek", rate, a)
		}
		t.Logf("rate %d: position %d, %d underruns", rate, p.Position(), p.Underruns())
		p.Close()
	}
}

// fakeOpen records the devices asked for and fails as told; what it
// opens in the end is the virtual device.
type fakeOpen struct {
	tries []string
	fail  func(cfg device.Config) error
}

func (f *fakeOpen) open(cfg device.Config, cb device.Callback) (device.Stream, error) {
	f.tries = append(f.tries, fmt.Sprintf("%s@%d/%d", cfg.Device, cfg.Rate, cfg.Outputs))
	if err := f.fail(cfg); err != nil {
		return nil, err
	}
	cfg.Device = device.VirtualID
	return device.Open(cfg, cb)
}

func TestOpenStream(t *testing.T) {
	jack := device.Info{ID: "JACK Audio Connection Kit/system#1", Name: "system", HostAPI: "JACK Audio Connection Kit", Inputs: 8, Outputs: 8}
	busy := errors.New(`the audio device "system" (JACK) is busy`)
	cb := func(in, out [][]float32, st device.Status) {}
	for _, c := range []struct {
		name     string
		id       string
		def      device.Info
		fileRate int
		fail     func(cfg device.Config) error
		tries    string
		outputs  int
		err      string
	}{
		{"the default device", "", jack, 48000, func(device.Config) error { return nil },
			"JACK Audio Connection Kit/system#1@48000/2", 2, ""},
		{"the default device at its own rate", "", jack, 44100, func(cfg device.Config) error {
			if cfg.Rate == 44100 {
				return fmt.Errorf("runs at 48000 Hz: %w", device.ErrUnsupportedRate)
			}
			return nil
		}, "JACK Audio Connection Kit/system#1@44100/2 JACK Audio Connection Kit/system#1@0/2", 2, ""},
		{"a file at a rate Sangstudio does not run at", "", jack, 22050, func(device.Config) error { return nil },
			"JACK Audio Connection Kit/system#1@0/2", 2, ""},
		{"the default device fails: the speakers", "", jack, 48000, func(cfg device.Config) error {
			if cfg.Device != device.SpeakersID {
				return fmt.Errorf("%w: %w", busy, device.ErrDeviceBusy)
			}
			return nil
		}, "JACK Audio Connection Kit/system#1@48000/2 speakers@0/2", 2, ""},
		{"no PortAudio device: the speakers, at their own rate", "", device.Info{ID: device.VirtualID, Virtual: true}, 96000, func(device.Config) error { return nil },
			"speakers@0/2", 2, ""},
		{"the speakers, given: at their own rate", "speakers", jack, 44100, func(device.Config) error { return nil },
			"speakers@0/2", 2, ""},
		{"one output", "mono", jack, 48000, func(cfg device.Config) error {
			if cfg.Outputs == 2 {
				return fmt.Errorf("one output: %w", device.ErrChannels)
			}
			return nil
		}, "mono@48000/2 mono@48000/1", 1, ""},
		{"both fail", "", jack, 48000, func(cfg device.Config) error {
			if cfg.Device == device.SpeakersID {
				return fmt.Errorf("no sound card: %w", device.ErrDeviceBusy)
			}
			return fmt.Errorf("%w: %w", busy, device.ErrDeviceBusy)
		}, "JACK Audio Connection Kit/system#1@48000/2 speakers@0/2", 0,
			`the audio device "system" (JACK) is busy: the audio device is busy; and the system sound output: no sound card`},
		{"a device given fails: no fallback", "ALSA/x#1", jack, 48000, func(cfg device.Config) error {
			return fmt.Errorf("gone: %w", device.ErrNotFound)
		}, "ALSA/x#1@48000/2", 0, "gone"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := &fakeOpen{fail: c.fail}
			d := devices{open: f.open, def: func() (device.Info, error) { return c.def, nil }}
			s, outputs, err := d.openStream(device.Config{Device: c.id, Fast: true}, c.fileRate, cb)
			if got := strings.Join(f.tries, " "); got != c.tries {
				t.Errorf("tried %s\nwant  %s", got, c.tries)
			}
			if c.err != "" {
				if err == nil || !strings.HasPrefix(err.Error(), c.err) {
					t.Errorf("error %v, want %s...", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if outputs != c.outputs {
				t.Errorf("%d outputs, want %d", outputs, c.outputs)
			}
		})
	}
}
