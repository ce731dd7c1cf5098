package synth

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"testing"

	"sangstudio/midi"
)

const timPath = "/usr/share/sounds/sf2/TimGM6mb.sf2"

const testRate = 48000

// tim loads TimGM6mb once per process (LoadCached), skipping the test when
// it is not installed unless SANGSTUDIO_REQUIRE_TOOLS=1.
func tim(tb testing.TB) *SoundFont {
	tb.Helper()
	if _, err := os.Stat(timPath); err != nil {
		if os.Getenv("SANGSTUDIO_REQUIRE_TOOLS") == "1" {
			tb.Fatalf("%s is missing (apt-get install timgm6mb-soundfont): %v", timPath, err)
		}
		tb.Skipf("%s is missing (apt-get install timgm6mb-soundfont); skipping", timPath)
	}
	sf, err := LoadCached(timPath)
	if err != nil {
		tb.Fatal(err)
	}
	return sf
}

// kinds are the two instrument kinds the behavioural tests run on.
var kinds = []struct {
	name string
	sf   func(testing.TB) *SoundFont
}{
	{"TimGM6mb", tim},
	{"fallback", func(testing.TB) *SoundFont { return nil }},
}

func newInst(tb testing.TB, sf *SoundFont, s Sound) *Instrument {
	tb.Helper()
	in, err := New(sf, s, testRate, 512)
	if err != nil {
		tb.Fatal(err)
	}
	return in
}

func on(key, vel byte) [3]byte         { return [3]byte{midi.NoteOn, key, vel} }
func off(key byte) [3]byte             { return [3]byte{midi.NoteOff, key, 0} }
func cc(n, v byte) [3]byte             { return [3]byte{midi.ControlChange, n, v} }
func ev(f int64, m [3]byte) midi.Event { return midi.Event{Frame: f, Msg: m} }

// renderMono renders events for frames frames with RenderEvents and
// returns the left channel.
func render(tb testing.TB, in *Instrument, events []midi.Event, frames int64, chunk int) (l, r []float32) {
	tb.Helper()
	err := RenderEvents(in, events, frames, chunk, func(a, b []float32) error {
		l = append(l, a...)
		r = append(r, b...)
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	if int64(len(l)) != frames {
		tb.Fatalf("rendered %d frames, want %d", len(l), frames)
	}
	return l, r
}

func rms(x []float32) float64 {
	var s float64
	for _, v := range x {
		s += float64(v) * float64(v)
	}
	return math.Sqrt(s / float64(max(len(x), 1)))
}

func peak(x []float32) float64 {
	var p float64
	for _, v := range x {
		p = max(p, math.Abs(float64(v)))
	}
	return p
}

// zeroCrossFreq estimates the frequency of a sine-like signal from its
// rising zero crossings (interpolated).
func zeroCrossFreq(x []float32, rate int) float64 {
	first, last, n := -1.0, -1.0, 0
	for i := 1; i < len(x); i++ {
		if x[i-1] < 0 && x[i] >= 0 {
			t := float64(i-1) + float64(-x[i-1])/float64(x[i]-x[i-1])
			if first < 0 {
				first = t
			} else {
				n++
			}
			last = t
		}
	}
	if n == 0 {
		return 0
	}
	return float64(n) * float64(rate) / (last - first)
}

// acfFreq estimates the fundamental between lo and hi Hz by the peak of the
// normalized autocorrelation, which works on any periodic waveform.
func acfFreq(x []float32, rate int, lo, hi float64) float64 {
	n := len(x) / 2
	best, bestLag := -2.0, 0
	acf := func(lag int) float64 {
		var s, e1, e2 float64
		for i := 0; i < n; i++ {
			a, b := float64(x[i]), float64(x[i+lag])
			s += a * b
			e1 += a * a
			e2 += b * b
		}
		return s / math.Sqrt(e1*e2+1e-30)
	}
	minLag, maxLag := int(float64(rate)/hi), int(float64(rate)/lo)+1
	vals := map[int]float64{}
	for lag := minLag - 1; lag <= maxLag+1; lag++ {
		vals[lag] = acf(lag)
	}
	for lag := minLag; lag <= maxLag; lag++ {
		if vals[lag] > best {
			best, bestLag = vals[lag], lag
		}
	}
	a, b, c := vals[bestLag-1], vals[bestLag], vals[bestLag+1]
	d := 0.0
	if den := a - 2*b + c; den != 0 {
		d = 0.5 * (a - c) / den
	}
	return float64(rate) / (float64(bestLag) + d)
}

// maxStep is the largest difference between neighbouring frames: a click
// shows as a step far above the signal's usual slope.
func maxStep(x []float32) float64 {
	var m float64
	for i := 1; i < len(x); i++ {
		m = max(m, math.Abs(float64(x[i]-x[i-1])))
	}
	return m
}

// miniSF2 builds a tiny valid SoundFont: one preset (bank 0, program 0)
// playing a looped 440 Hz sine (100 samples a cycle at 44000 Hz) with root
// key 69. start and end override the sample header's bounds when >= 0.
func miniSF2(start, end int32) []byte {
	le := binary.LittleEndian
	chunk := func(id string, body []byte) []byte {
		b := append([]byte(id), 0, 0, 0, 0)
		le.PutUint32(b[4:], uint32(len(body)))
		return append(b, body...)
	}
	list := func(typ string, chunks ...[]byte) []byte {
		body := []byte(typ)
		for _, c := range chunks {
			body = append(body, c...)
		}
		return chunk("LIST", body)
	}
	name := func(s string) []byte { return append([]byte(s), make([]byte, 20-len(s))...) }
	var buf bytes.Buffer
	w := func(vs ...any) []byte {
		buf.Reset()
		for _, v := range vs {
			binary.Write(&buf, le, v)
		}
		return bytes.Clone(buf.Bytes())
	}
	const n = 1000
	smpl := make([]int16, n+46)
	for i := 0; i < n; i++ {
		smpl[i] = int16(16000 * math.Sin(2*math.Pi*float64(i)/100))
	}
	if start < 0 {
		start = 0
	}
	if end < 0 {
		end = n
	}
	phdr := append(w(name("Sine"), uint16(0), uint16(0), uint16(0), uint32(0), uint32(0), uint32(0)),
		w(name("EOP"), uint16(0), uint16(0), uint16(1), uint32(0), uint32(0), uint32(0))...)
	inst := append(w(name("Sine")), w(uint16(0))...)
	inst = append(inst, w(name("EOI"), uint16(1))...)
	shdr := append(w(name("sine440"), uint32(start), uint32(end), uint32(0), uint32(n), uint32(44000),
		uint8(69), int8(0), uint16(0), uint16(1)),
		w(name("EOS"), uint32(0), uint32(0), uint32(0), uint32(0), uint32(0), uint8(0), int8(0), uint16(0), uint16(0))...)
	riff := []byte("sfbk")
	riff = append(riff, list("INFO",
		chunk("ifil", w(uint16(2), uint16(1))),
		chunk("INAM", append([]byte("Mini"), 0, 0)))...)
	riff = append(riff, list("sdta", chunk("smpl", w(smpl)))...)
	riff = append(riff, list("pdta",
		chunk("phdr", phdr),
		chunk("pbag", w(uint16(0), uint16(0), uint16(1), uint16(0))),
		chunk("pmod", make([]byte, 10)),
		chunk("pgen", w(uint16(41), uint16(0), uint16(0), uint16(0))),
		chunk("inst", inst),
		chunk("ibag", w(uint16(0), uint16(0), uint16(2), uint16(0))),
		chunk("imod", make([]byte, 10)),
		chunk("igen", w(uint16(54), uint16(1), uint16(53), uint16(0), uint16(0), uint16(0))),
		chunk("shdr", shdr))...)
	return chunk("RIFF", riff)
}
