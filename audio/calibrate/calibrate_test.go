package calibrate

import (
	"math/rand"
	"path/filepath"
	"testing"
)

// train makes what an input would capture: the clicks delayed by delay,
// scaled by gain, from click `from` on (earlier ones not heard), with noise.
func train(emitted []int64, total int, delay int64, gain float32, from int, seed int64) []float32 {
	rng := rand.New(rand.NewSource(seed))
	c := make([]float32, total)
	for i := range c {
		c[i] = float32(rng.NormFloat64() * 0.001)
	}
	w := clickWave()
	for k, at := range emitted {
		if k < from {
			continue
		}
		for i, v := range w {
			if p := int(at+delay) + i; p < total {
				c[p] += gain * v
			}
		}
	}
	return c
}

func TestAnalyze(t *testing.T) {
	const rate = 48000
	every := int64(clickEvery * rate)
	var emitted []int64
	for at := every; at+every <= 4*rate; at += every {
		emitted = append(emitted, at)
	}
	tests := []struct {
		name  string
		delay int64
		gain  float32
		from  int
		want  error
	}{
		{"jack loop", 256, 1, 0, nil},
		{"usb interface", 1187, 0.3, 0, nil},
		{"cable plugged in late", 517, 0.5, 6, nil},
		{"quiet loop", 300, 0.1, 0, nil},
		{"no cable", 300, 0, 0, ErrNoClicks},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := train(emitted, 4*rate, tc.delay, tc.gain, tc.from, 1)
			if tc.name == "usb interface" { // a knock on the microphone
				for i := 30000; i < 30100; i++ {
					c[i] += 0.8
				}
			}
			d, heard, err := Analyze(emitted, c, int(every)-clickLen)
			if tc.want != nil {
				if err == nil {
					t.Fatalf("measured %d frames from no signal", d)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d != tc.delay || heard < len(emitted)-tc.from-1 {
				t.Fatalf("delay %d heard %d of %d, want %d", d, heard, len(emitted), tc.delay)
			}
		})
	}
}

func TestStore(t *testing.T) {
	s := Store{Path: filepath.Join(t.TempDir(), "x", "calibration.json")}
	if _, ok := s.Offset("JACK/system#1", 48000); ok {
		t.Fatal("offset before saving")
	}
	if err := s.Save("JACK/system#1", 48000, 37); err != nil {
		t.Fatal(err)
	}
	s.Save("virtual", 48000, 0)
	if v, ok := s.Offset("JACK/system#1", 48000); !ok || v != 37 {
		t.Fatalf("offset %d %v", v, ok)
	}
	if _, ok := s.Offset("JACK/system#1", 44100); ok {
		t.Fatal("offset for another rate")
	}
}
