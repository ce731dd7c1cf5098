package waveform

import (
	"bytes"
	"testing"

	"sangstudio/internal/fuzzcheck"
)

// FuzzDecode checks that the cache parser never panics, never allocates
// more than its input, and that what it accepts encodes back to the input.
func FuzzDecode(f *testing.F) {
	p := &Peaks{Rate: 48000, FramesPerPeak: 256, Frames: 700,
		Min: []float32{-1, -0.5, 0}, Max: []float32{1, 0.5, 0.25}}
	good := encode(key{take: "0001-a.wav", source: "0001-a.wav", size: 4096, mtime: 1700000000e9}, p)
	f.Add(good)
	f.Add(good[:len(good)-1])
	f.Add(good[:headerSize])
	f.Add(encode(key{take: "t.mid", source: "t-0123.wav"}, &Peaks{Rate: 1, FramesPerPeak: 1}))
	f.Add([]byte{})
	f.Add([]byte(magic))
	f.Fuzz(func(t *testing.T, data []byte) {
		var p *Peaks
		var k key
		var err error
		fuzzcheck.Call(t, len(data), fuzzcheck.Limit{Base: 64 << 10, PerByte: 64}, func() { p, k, err = decode(data) })
		if err != nil {
			return
		}
		if len(p.Min) != len(p.Max) || 8*len(p.Min)+len(k.take)+len(k.source) > len(data) {
			t.Fatalf("decoded %d peaks and %d bytes of names from %d bytes", len(p.Min), len(k.take)+len(k.source), len(data))
		}
		if p.FramesPerPeak <= 0 || p.Rate <= 0 || p.Frames < 0 ||
			int64(len(p.Min)) != (p.Frames+int64(p.FramesPerPeak)-1)/int64(p.FramesPerPeak) {
			t.Fatalf("inconsistent peaks: %+v", p)
		}
		if re := encode(k, p); !bytes.Equal(re, data) {
			t.Fatalf("encode(decode(x)) != x")
		}
		// What decode accepts, Range can use.
		p.Range(-10, p.Frames+10, 7, nil, nil)
	})
}
