package engine

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"sangstudio/midi"
)

// sine is a Reader of a sine at every timeline frame.
type sine struct{ f float64 }

func (s sine) ReadAt(pos int64, dst [][]float32) error {
	for c := range dst {
		for i := range dst[c] {
			dst[c][i] = float32(0.3 * math.Sin(float64(pos+int64(i))*s.f))
		}
	}
	return nil
}

func (sine) Close() error { return nil }

// liveLayout is 32 playing tracks and recording ones armed on inputs
// 0..recording-1 (of 8), each track with a fresh source when fresh is set.
func liveLayout(t testing.TB, dir string, recording int, fresh bool) Layout {
	l := Layout{Tempo: 120, BeatsPerBar: 4, Keep: 48000 * 10, Inputs: 8,
		Takes: func(key string, _ int64) (*os.File, string, error) {
			f, err := os.CreateTemp(dir, key+"-*.wav")
			if err != nil {
				return nil, "", err
			}
			return f, filepath.Base(f.Name()), nil
		}}
	for i := range 32 + recording {
		ts := TrackSpec{Key: fmt.Sprintf("t%d", i), Channels: 1}
		if fresh {
			ts.Source = sine{0.01 + float64(i)/1000}
		}
		if i >= 32 {
			// Armed at the first frame: a track punched in takes the
			// inputs kept since (as much as is kept).
			ts.Armed, ts.Inputs, ts.Monitor, ts.ArmedAt = true, []int{i - 32}, true, 1
		}
		l.Tracks = append(l.Tracks, ts)
	}
	return l
}

// liveEngine plays liveLayout, recording, and returns two graphs to
// switch between: every playing track with other players (crossfades),
// and with punch set, four of the eight recording tracks armed in one and
// not in the other (punch in and out: a take file each time).
func liveEngine(t testing.TB, punch bool) (e *Engine, b *Butler, g1, g2 *graph, in, out [][]float32) {
	dir := t.TempDir()
	e = New(Config{Rate: 48000, MaxBlock: 256})
	b = NewButler(e)
	if err := b.Update(liveLayout(t, dir, 8, true)); err != nil {
		t.Fatal(err)
	}
	g1 = e.graphA.Load()
	second := 8
	if punch {
		second = 4
	}
	if err := b.Update(liveLayout(t, dir, second, true)); err != nil {
		t.Fatal(err)
	}
	g2 = e.graphA.Load()
	in = make([][]float32, 8)
	for c := range in {
		in[c] = make([]float32, 256)
	}
	out = [][]float32{make([]float32, 256), make([]float32, 256)}
	e.Play()
	e.Record(0)
	e.SetClick(true)
	for range 3 {
		b.Service()
		e.Process(in, out, false)
	}
	return e, b, g1, g2, in, out
}

// TestProcessAllocatesNothingAcrossGraphs: switching to a new graph of 32
// playing tracks with new players (crossfades) while recording (tracks
// punched in and out, inputs kept for Keep, MIDI queued) allocates
// nothing on the audio thread.
func TestProcessAllocatesNothingAcrossGraphs(t *testing.T) {
	e, b, g1, g2, in, out := liveEngine(t, true)
	i := 0
	allocs := testing.AllocsPerRun(200, func() {
		if i%2 == 0 {
			e.graphA.Store(g1)
		} else {
			e.graphA.Store(g2)
		}
		i++
		e.MIDIIn([3]byte{midi.NoteOn, 60, 100})
		e.Process(in, out, false)
	})
	if allocs != 0 {
		t.Fatalf("Process allocates %v times per buffer across graph switches, want 0", allocs)
	}
	if e.State() != Recording {
		t.Fatalf("state %v, want recording", e.State())
	}
	b.Service()
}

// BenchmarkProcessGraphSwitch32: one 256-frame buffer that switches to a
// new graph of 32 playing tracks (every track's player replaced: 32
// crossfades) while 8 record (monitored, inputs kept for Keep).
// budget_% is the share of the buffer's real-time budget (5.33 ms at
// 48 kHz). The work is the worst case: no real edit replaces every track
// at every buffer. (Punching in and out is tested for allocation in
// TestProcessAllocatesNothingAcrossGraphs; here it would time the disk.)
func BenchmarkProcessGraphSwitch32(b *testing.B) {
	e, bt, g1, g2, in, out := liveEngine(b, false)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%200 == 199 {
			b.StopTimer()
			bt.Service()
			b.StartTimer()
		}
		if i%2 == 0 {
			e.graphA.Store(g1)
		} else {
			e.graphA.Store(g2)
		}
		e.Process(in, out, false)
	}
	perBlock := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(100*perBlock/(256.0/48000), "budget_%")
}

// BenchmarkUpdate32: the butler building and publishing a 32-track graph
// in which one track changed (its ring filled two seconds ahead), while
// the song plays: the time from an edit to the audio thread having it
// (on the butler's side, not the audio thread's).
func BenchmarkUpdate32(b *testing.B) {
	dir := b.TempDir()
	e := New(Config{Rate: 48000, MaxBlock: 256})
	bt := NewButler(e)
	if err := bt.Update(liveLayout(b, dir, 0, true)); err != nil {
		b.Fatal(err)
	}
	l := liveLayout(b, dir, 0, false)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l.Tracks[i%32].Source = sine{0.02}
		if err := bt.Update(l); err != nil {
			b.Fatal(err)
		}
		l.Tracks[i%32].Source = nil
	}
}

// TestForgetOldestNote: a full MIDI log forgets whole notes.
func TestForgetOldestNote(t *testing.T) {
	log := []retroMsg{
		{retro: 1, msg: [3]byte{midi.NoteOn, 60, 90}},
		{retro: 2, msg: [3]byte{midi.NoteOn, 62, 90}},
		{retro: 3, msg: [3]byte{midi.NoteOff, 60, 0}},
		{retro: 4, msg: [3]byte{midi.NoteOff, 62, 0}},
	}
	log = forgetOldestNote(log)
	if len(log) != 2 || log[0].retro != 2 || log[1].retro != 4 {
		t.Fatalf("after forgetting the oldest note: %+v, want the note on 62 alone", log)
	}
}

// TestKeepLog: keyboard messages beyond MaxKeptMIDI forget the oldest
// notes, and a locate forgets all.
func TestKeepLog(t *testing.T) {
	e := New(Config{Rate: 48000, MaxBlock: 256})
	b := NewButler(e)
	b.keep = 48000
	for i := range MaxKeptMIDI/2 + 10 {
		e.retroMIDI.Push(retroMsg{retro: int64(2 * i), msg: [3]byte{midi.NoteOn, byte(i % 128), 90}})
		e.retroMIDI.Push(retroMsg{retro: int64(2*i + 1), msg: [3]byte{midi.NoteOff, byte(i % 128), 0}})
		if i%100 == 0 {
			b.keepMIDI()
		}
	}
	b.keepMIDI()
	if len(b.midiLog) > MaxKeptMIDI || len(b.midiLog) < MaxKeptMIDI-2 {
		t.Fatalf("%d messages kept, want about %d", len(b.midiLog), MaxKeptMIDI)
	}
	if first := (midi.Event{Msg: b.midiLog[0].msg}); !first.IsNoteOn() {
		t.Fatalf("the log starts with %v: half a note", b.midiLog[0].msg)
	}
	b.noteRun(event{kind: evRun, jump: true})
	if len(b.midiLog) != 0 {
		t.Fatal("a locate did not forget the notes played before it")
	}
}
