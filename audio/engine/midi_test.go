package engine_test

import (
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"sangstudio/audio/engine"
	"sangstudio/midi"
	"sangstudio/midi/smf"
	"sangstudio/midi/synth"
	"sangstudio/projects"
)

// newMIDIRig is newRig with track arm armed as a MIDI track playing inst.
func newMIDIRig(t testing.TB, dir string, s *projects.Song, block, arm int, inst engine.Instrument) *rig {
	t.Helper()
	// The engine's clock moves one buffer per Process call, as a device's
	// would, however long the (race-instrumented, busy) test takes.
	var clock atomic.Int64
	bufDur := time.Duration(block) * time.Second / time.Duration(s.Rate)
	r := bareRig(t, dir, s, block, 1, engine.Config{Clock: func() time.Duration { return time.Duration(clock.Load()) }})
	r.tick = func() { clock.Add(int64(bufDur)) }
	r.inst = inst
	r.update(map[int][]int{arm: nil}, false, nil)
	return r
}

func midiSong(t testing.TB) (string, *projects.Song) {
	dir := filepath.Join(t.TempDir(), "song")
	s := projects.New("Keys", 48000)
	s.Tracks = []*projects.Track{projects.NewMIDITrack("Keys", 0, false)}
	if err := projects.Create(dir, s); err != nil {
		t.Fatal(err)
	}
	return dir, s
}

func fallback(t testing.TB, block int) *synth.Instrument {
	inst, err := synth.New(nil, synth.Sound{Program: 0}, 48000, block)
	if err != nil {
		t.Fatal(err)
	}
	return inst
}

func firstSound(x []float32) int {
	for i, v := range x {
		if v != 0 {
			return i
		}
	}
	return -1
}

// TestKeyboardSoundsInTheNextBuffer: with the transport stopped, a note
// from the keyboard is heard in the very next buffer and stops after its
// note-off has rung out.
func TestKeyboardSoundsInTheNextBuffer(t *testing.T) {
	dir, s := midiSong(t)
	r := newMIDIRig(t, dir, s, 128, 0, fallback(t, 128))
	r.step(nil)
	if peak(r.out[0]) != 0 {
		t.Fatal("sound before any key was pressed")
	}
	if !r.e.MIDIIn([3]byte{0x93, 60, 100}) { // channel 4: any channel plays the track's sound
		t.Fatal("MIDIIn refused a note-on")
	}
	r.step(nil)
	if i := firstSound(r.out[0]); i < 0 {
		t.Fatal("no sound in the buffer after the note-on")
	} else {
		t.Logf("first sound %d frames into the buffer after the note-on", i)
	}
	r.e.MIDIIn([3]byte{0x83, 60, 0})
	for i := 0; i < 48000*3/128; i++ {
		r.step(nil)
	}
	if p := peak(r.out[0]); p > 1e-4 {
		t.Fatalf("still sounding (peak %v) 3 s after the note-off", p)
	}
	if r.e.MIDIIn([3]byte{0xF8, 0, 0}) {
		t.Fatal("a clock message was queued; only channel messages should be")
	}
}

func peak(x []float32) float32 {
	var p float32
	for _, v := range x {
		p = max(p, v, -v)
	}
	return p
}

// TestMIDITakeRecorded: notes played while recording land in a Standard
// MIDI File at the frames where they sounded, counted from the take's
// start; a note still held at the stop is ended there; the take then
// plays back through the same instrument, and the result is not silent.
func TestMIDITakeRecorded(t *testing.T) {
	dir, s := midiSong(t)
	const block = 256
	r := newMIDIRig(t, dir, s, block, 0, fallback(t, block))
	r.e.Locate(1000)
	r.e.Record(0)
	for r.e.State() != engine.Recording || r.e.Position() == 1000 {
		r.step(nil)
	}
	recStart := int64(1000)
	var want []midi.Event
	press := func(msg [3]byte) {
		want = append(want, midi.Event{Frame: r.e.Position() - recStart, Msg: msg})
		r.e.MIDIIn(msg)
	}
	for k := 0; k < 40; k++ {
		switch k {
		case 3:
			press([3]byte{0x90, 60, 90})
		case 10:
			press([3]byte{0xB0, 64, 127}) // sustain down
		case 12:
			press([3]byte{0x80, 60, 0})
		case 20:
			press([3]byte{0xE0, 0, 80}) // pitch bend
		case 25:
			press([3]byte{0x90, 64, 70}) // held through the stop
		}
		r.step(nil)
	}
	r.e.Stop()
	for i := 0; i < 5; i++ {
		r.step(nil)
	}
	takes := r.b.TakeRecorded()
	if len(takes) != 1 || !takes[0].MIDI {
		t.Fatalf("takes: %+v, want one MIDI take", takes)
	}
	tk := takes[0]
	if tk.Start != recStart || tk.Frames < 30*block {
		t.Fatalf("take starts at %d with %d frames", tk.Start, tk.Frames)
	}
	got, err := smf.ReadEvents(projects.AudioPath(dir, tk.File), 48000)
	if err != nil {
		t.Fatal(err)
	}
	// The file keeps times in ticks (960 per beat at 120 BPM: 25 frames each).
	const tick = 25
	if len(got) != len(want)+2 {
		t.Fatalf("take has %d events, want %d played + 2 ended at the stop: %v", len(got), len(want), got)
	}
	for i, w := range want {
		if got[i].Msg != w.Msg || abs(got[i].Frame-w.Frame) > tick/2 {
			t.Fatalf("event %d: %v, want %v", i, got[i], w)
		}
	}
	end := got[len(got)-2:]
	if !end[0].IsNoteOff() || end[0].Msg[1] != 64 || end[1].Msg != [3]byte{0xB0, 64, 0} || abs(end[0].Frame-tk.Frames) > tick/2 {
		t.Fatalf("the stop should end note 64 and the pedal at frame %d: %v", tk.Frames, end)
	}
	// Put the take on the track and play it back from the song start.
	c := projects.Clip{Take: tk.File, Position: tk.Start, Length: tk.Frames}
	s.Tracks[0].NewPass("Take 1", []projects.Clip{c})
	p := newMIDIRig(t, dir, s, block, -1, nil)
	p.e.Play()
	var out []float32
	for p.e.Position() < recStart+tk.Frames {
		p.step(nil)
		out = append(out, p.out[0]...)
	}
	first := firstSound(out)
	if first < 0 {
		t.Fatal("the recorded take plays back silent")
	}
	// It sounds where the first note was played (within the file's tick).
	if wantAt := int(recStart + want[0].Frame); abs(int64(first-wantAt)) > tick/2 {
		t.Fatalf("playback starts sounding at %d, the note was played at %d", first, wantAt)
	}
}

func abs(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// TestProcessWithKeyboardAllocatesNothing: playing 32 notes through the
// General MIDI SoundFont on an armed, recording MIDI track, besides audio
// tracks, allocates nothing on the audio thread.
func TestProcessWithKeyboardAllocatesNothing(t *testing.T) {
	sfPath := synth.FindSoundFont()
	var sf *synth.SoundFont
	if sfPath != "" {
		var err error
		if sf, err = synth.LoadCached(sfPath); err != nil {
			t.Fatal(err)
		}
	} else {
		t.Log("no SoundFont installed: testing the built-in instrument")
	}
	dir, s := midiSong(t)
	inst, err := synth.New(sf, synth.Sound{Program: 48}, 48000, 256)
	if err != nil {
		t.Fatal(err)
	}
	r := newMIDIRig(t, dir, s, 256, 0, inst)
	r.e.Play()
	r.e.Record(0)
	r.step(nil)
	r.step(nil)
	k := 0
	a := testing.AllocsPerRun(200, func() {
		if k < 32 {
			r.e.MIDIIn([3]byte{0x90, byte(40 + k), 100})
		}
		k++
		r.e.Process(r.in, r.out, false)
	})
	if a != 0 {
		t.Fatalf("Process allocates %v times per buffer with the keyboard playing, want 0", a)
	}
	if peak(r.out[0]) == 0 {
		t.Fatal("32 held notes are silent")
	}
}
