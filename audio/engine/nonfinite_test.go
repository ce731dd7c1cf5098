package engine_test

import (
	"context"
	"math"
	"path/filepath"
	"testing"

	"sangstudio/audio/engine"
	"sangstudio/audio/mix"
	"sangstudio/audio/render"
	"sangstudio/audio/wav"
	"sangstudio/projects"
)

// badInstrument is an instrument gone wrong: it renders pattern(k) for
// its k-th frame, which may be NaN or infinite.
type badInstrument struct {
	k       int
	pattern func(k int) (l, r float32)
}

func (b *badInstrument) Event([3]byte) {}
func (b *badInstrument) Render(l, r []float32) {
	for i := range l {
		l[i], r[i] = b.pattern(b.k)
		b.k++
	}
}

// nanSong: an audio track (a stereo sine take, panned, with gain) and a
// MIDI track with no clips, to be armed with an instrument.
func nanSong(t *testing.T) (string, *projects.Song) {
	dir := filepath.Join(t.TempDir(), "song")
	s := projects.New("NaN", 48000)
	if err := projects.Create(dir, s); err != nil {
		t.Fatal(err)
	}
	const n = 48000
	take := writeTake(t, dir, s, "Song", [][]float32{signal(n, 0.031, 0.5), signal(n, 0.017, 0.4)})
	voice := projects.NewTrack("Song", 2)
	voice.GainDB, voice.Pan = -2, 0.3
	voice.Clips = []projects.Clip{{Take: take, Length: n}}
	s.Tracks = []*projects.Track{voice, projects.NewMIDITrack("Keys", 0, false)}
	if err := projects.Save(dir, s); err != nil {
		t.Fatal(err)
	}
	return dir, s
}

// playNaN plays the song for frames with the MIDI track armed on inst
// (nil: not armed) and returns the output.
func playNaN(t *testing.T, dir string, s *projects.Song, inst engine.Instrument, frames int) (out [2][]float32, r *rig) {
	t.Helper()
	arm := map[int][]int{1: nil}
	if inst == nil {
		arm = nil
	}
	r = bareRig(t, dir, s, 256, 0, engine.Config{})
	r.inst = inst
	r.update(arm, false, nil)
	r.e.Play()
	for len(out[0]) < frames {
		r.step(nil)
		out[0] = append(out[0], r.out[0]...)
		out[1] = append(out[1], r.out[1]...)
	}
	return out, r
}

// TestInstrumentNaNKeepsOtherTracks: an armed instrument that outputs
// NaN, or NaN and infinities among finite samples, is caught on its own
// track. With an all-NaN instrument the output is, frame for frame, what
// the engine plays without it and what the offline render of the song
// gives: the other track is neither silenced nor shifted. With a mixed
// one, it is exactly what an instrument playing the replaced samples (NaN
// as 0, ±Inf as ±1) gives. The master meter stays finite, and Process
// still allocates nothing.
func TestInstrumentNaNKeepsOtherTracks(t *testing.T) {
	dir, s := nanSong(t)
	const frames = 20 * 256
	nan := float32(math.NaN())
	inf := float32(math.Inf(1))

	clean, _ := playNaN(t, dir, s, nil, frames)
	mixPath := filepath.Join(t.TempDir(), "mix.wav")
	if _, err := render.Render(context.Background(), dir, s, render.Options{Mix: mixPath, Encoding: wav.Float32}); err != nil {
		t.Fatal(err)
	}
	rendered := readWav(t, mixPath)
	var loud float32
	for i := 0; i < frames; i++ {
		if clean[0][i] != rendered[0][i] || clean[1][i] != rendered[1][i] {
			t.Fatalf("frame %d: played %v %v, rendered %v %v", i, clean[0][i], clean[1][i], rendered[0][i], rendered[1][i])
		}
		loud = max(loud, clean[0][i], clean[1][i])
	}
	if loud < 0.2 {
		t.Fatalf("the audio track peaks at %v: it should be heard", loud)
	}

	allNaN := &badInstrument{pattern: func(int) (float32, float32) { return nan, nan }}
	got, r := playNaN(t, dir, s, allNaN, frames)
	for i := 0; i < frames; i++ {
		if got[0][i] != clean[0][i] || got[1][i] != clean[1][i] {
			t.Fatalf("all-NaN instrument, frame %d: %v %v, want %v %v (the audio track alone)", i, got[0][i], got[1][i], clean[0][i], clean[1][i])
		}
	}
	if p, h := r.e.MasterMeter(); p-p != 0 || h-h != 0 || h < 0.2 {
		t.Fatalf("master meter %v (held %v), want the audio track's finite level", p, h)
	}
	if a := testing.AllocsPerRun(100, func() { r.step(nil) }); a != 0 {
		t.Fatalf("Process with a NaN instrument allocates %v times per buffer, want 0", a)
	}

	mixed := func(k int) (float32, float32) {
		v := float32(math.Sin(float64(k)*0.05)) * 0.25
		switch k % 7 {
		case 1:
			return nan, v
		case 3:
			return inf, -inf
		case 5:
			return v, nan
		}
		return v, -v
	}
	replaced := func(k int) (float32, float32) {
		l, r := mixed(k)
		return mix.FiniteSample(l), mix.FiniteSample(r)
	}
	got, _ = playNaN(t, dir, s, &badInstrument{pattern: mixed}, frames)
	want, _ := playNaN(t, dir, s, &badInstrument{pattern: replaced}, frames)
	for i := 0; i < frames; i++ {
		if got[0][i]-got[0][i] != 0 || got[1][i]-got[1][i] != 0 {
			t.Fatalf("mixed instrument, frame %d: %v %v on the master", i, got[0][i], got[1][i])
		}
		if got[0][i] != want[0][i] || got[1][i] != want[1][i] {
			t.Fatalf("mixed instrument, frame %d: %v %v, want %v %v", i, got[0][i], got[1][i], want[0][i], want[1][i])
		}
	}
}

// BenchmarkProcessInstrument256: one 256-frame buffer of a song whose
// audio track plays while a MIDI track is armed on the built-in
// instrument, holding a chord: the path the live instrument's non-finite
// check runs on.
func BenchmarkProcessInstrument256(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "song")
	s := projects.New("Bench", 48000)
	if err := projects.Create(dir, s); err != nil {
		b.Fatal(err)
	}
	take := writeTake(b, dir, s, "Song", [][]float32{signal(48000, 0.031, 0.5)})
	voice := projects.NewTrack("Song", 1)
	voice.Clips = []projects.Clip{{Take: take, Length: 48000}}
	s.Tracks = []*projects.Track{voice, projects.NewMIDITrack("Keys", 0, false)}
	if err := projects.Save(dir, s); err != nil {
		b.Fatal(err)
	}
	r := newMIDIRig(b, dir, s, 256, 1, fallback(b, 256))
	r.e.Play()
	for _, k := range []byte{60, 64, 67} {
		r.e.MIDIIn([3]byte{0x90, k, 100})
	}
	r.step(nil)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%100 == 99 {
			b.StopTimer()
			r.b.Service()
			b.StartTimer()
		}
		r.tick()
		r.e.Process(r.in, r.out, false)
	}
}
