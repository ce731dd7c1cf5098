package smf

import (
	"bytes"
	"cmp"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"sangstudio/midi"
)

// song makes a take on several channels: notes (note-off then note-on at
// the same frame), CC, pitch bend, program change, channel and poly
// pressure, in a shuffled order, lasting up to two hours.
func testEvents() []midi.Event {
	r := rand.New(rand.NewPCG(1, 2))
	events := []midi.Event{
		ev(0, 0xC3, 40), ev(0, 0xC0, 0), ev(0, 0xB0, midi.CCVolume, 100),
		ev(2*3600*rate, 0x90, 0x30, 0x40), // two hours in
		ev(2*3600*rate+1, 0x80, 0x30, 0x00),
	}
	for i := range 300 {
		frame := int64(r.IntN(600 * rate))
		ch := []byte{0, 3, 9}[i%3]
		key := byte(36 + r.IntN(48))
		events = append(events,
			ev(frame, 0x90|ch, key, byte(1+r.IntN(127))),
			ev(frame+int64(r.IntN(rate)), 0x80|ch, key, 0),
			ev(frame+rate, 0x80|ch, key, 0x40), // a note-off and a note-on at the same frame
			ev(frame+rate, 0x90|ch, key, 0x50),
			ev(frame+rate+5000, 0x90|ch, key, 0),
		)
		switch i % 5 {
		case 0:
			events = append(events, ev(frame+7, 0xB0|ch, midi.CCSustain, byte(r.IntN(128))))
		case 1:
			events = append(events, ev(frame+11, 0xE0|ch, byte(r.IntN(128)), byte(r.IntN(128))))
		case 2:
			events = append(events, ev(frame+13, 0xD0|ch, byte(r.IntN(128))))
		case 3:
			events = append(events, ev(frame+17, 0xC0|ch, byte(r.IntN(128))))
		case 4:
			events = append(events, ev(frame+19, 0xA0|ch, key, byte(r.IntN(128))))
		}
	}
	r.Shuffle(len(events), func(i, j int) { events[i], events[j] = events[j], events[i] })
	return events
}

func TestWriteRoundTrip(t *testing.T) {
	for _, tempo := range []float64{120, 97.3} {
		events := testEvents()
		want := slices.Clone(events)
		slices.SortStableFunc(want, func(a, b midi.Event) int { return cmp.Compare(a.Frame, b.Frame) })
		tol := int64(math.Ceil(60 * rate / (tempo * PPQ) / 2))

		path := filepath.Join(t.TempDir(), "take.mid")
		var buf bytes.Buffer
		if err := Write(&buf, events, rate, tempo, [2]int{6, 8}, "Take 1"); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := ReadEvents(path, rate)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%v BPM: %d events, want %d", tempo, len(got), len(want))
		}
		for i := range got {
			if got[i].Msg != want[i].Msg || abs(got[i].Frame-want[i].Frame) > tol {
				t.Fatalf("%v BPM: event %d = %v, want %v (± %d frames)", tempo, i, got[i], want[i], tol)
			}
		}

		f, err := ReadFile(path, rate)
		if err != nil {
			t.Fatal(err)
		}
		if f.Format != 0 || math.Abs(f.Tempo-tempo) > 1e-4 || f.TimeSig != [2]int{6, 8} || f.Name != "Take 1" {
			t.Errorf("%v BPM: header %d %v %v %q", tempo, f.Format, f.Tempo, f.TimeSig, f.Name)
		}
		if len(f.Channels) != 3 || f.Channels[0].Program != 0 || f.Channels[1].Program != 40 || f.Channels[2].Channel != 9 {
			t.Errorf("%v BPM: channels %d, programs %d %d", tempo, len(f.Channels), f.Channels[0].Program, f.Channels[1].Program)
		}
		if abs(f.Frames-(2*3600*rate+1)) > tol {
			t.Errorf("%v BPM: Frames = %d", tempo, f.Frames)
		}
	}
}

func abs(x int64) int64 { return max(x, -x) }

func TestWriteExactTicks(t *testing.T) {
	// At 120 BPM and PPQ 960 a tick is 25 frames at 48 kHz: frames on the
	// tick grid come back exactly, whatever the order they were given in.
	events := []midi.Event{ev(48000, 0x80, 60, 0), ev(25, 0x90, 61, 1), ev(48000, 0x90, 60, 2), ev(12, 0x90, 62, 3)}
	var buf bytes.Buffer
	if err := Write(&buf, events, rate, 120, [2]int{}, ""); err != nil {
		t.Fatal(err)
	}
	s, err := decode(buf.Bytes(), rate)
	if err != nil {
		t.Fatal(err)
	}
	var got []midi.Event
	for _, e := range s.events {
		got = append(got, e.Event)
	}
	// 12 frames is 0.48 tick: tick 0.
	eventsEqual(t, "read back", got, []midi.Event{ev(0, 0x90, 62, 3), ev(25, 0x90, 61, 1), ev(48000, 0x80, 60, 0), ev(48000, 0x90, 60, 2)})
	if s.timeSig != [2]int{4, 4} || s.names[0] != "" {
		t.Errorf("time signature %v, name %q", s.timeSig, s.names[0])
	}
}

func TestWriteErrors(t *testing.T) {
	ok := []midi.Event{ev(0, 0x90, 60, 100)}
	for _, tc := range []struct {
		name    string
		events  []midi.Event
		rate    int
		tempo   float64
		timeSig [2]int
		want    string
	}{
		{"rate", ok, 0, 120, [2]int{4, 4}, "invalid sample rate"},
		{"tempo 0", ok, rate, 0, [2]int{4, 4}, "invalid tempo"},
		{"tempo NaN", ok, rate, math.NaN(), [2]int{4, 4}, "invalid tempo"},
		{"tempo too slow", ok, rate, 1, [2]int{4, 4}, "invalid tempo"},
		{"time signature", ok, rate, 120, [2]int{4, 3}, "invalid time signature 4/3"},
		{"event", []midi.Event{{Msg: [3]byte{0xF8}}}, rate, 120, [2]int{4, 4}, "invalid MIDI event"},
		{"data byte", []midi.Event{{Msg: [3]byte{0x90, 0x80, 1}}}, rate, 120, [2]int{4, 4}, "invalid MIDI event"},
		{"gap", []midi.Event{ev(math.MaxInt64/2, 0x90, 1, 1)}, rate, 120, [2]int{4, 4}, "too far"},
	} {
		var buf bytes.Buffer
		err := Write(&buf, tc.events, tc.rate, tc.tempo, tc.timeSig, "")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
		if buf.Len() != 0 {
			t.Errorf("%s: %d bytes written despite the error", tc.name, buf.Len())
		}
	}
}

func BenchmarkReadEvents(b *testing.B) {
	var buf bytes.Buffer
	if err := Write(&buf, testEvents(), rate, 97.3, [2]int{4, 4}, "bench"); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	for b.Loop() {
		if _, err := decode(buf.Bytes(), rate); err != nil {
			b.Fatal(err)
		}
	}
}

// TestWriteTicks: events given at ticks are stored at exactly those ticks
// (read back by gomidi through decode), sorted stably, the same bytes as
// Write gives for the same events at their frames, and the same bytes
// every time.
func TestWriteTicks(t *testing.T) {
	ticks := []TickEvent{{960, [3]byte{0x89, 36, 0}}, {0, [3]byte{0x99, 36, 100}}, {960, [3]byte{0x99, 38, 127}}, {240, [3]byte{0x99, 42, 60}}}
	data, err := EncodeTicks(ticks, 120, [2]int{3, 4}, "Beat")
	if err != nil {
		t.Fatal(err)
	}
	s, err := decode(data, rate)
	if err != nil {
		t.Fatal(err)
	}
	wantTicks := []int64{0, 240, 960, 960}
	wantKeys := []byte{36, 42, 36, 38}
	for i, e := range s.events {
		if e.tick != wantTicks[i] || e.Msg[1] != wantKeys[i] || e.Frame != e.tick*25 {
			t.Errorf("event %d at tick %d (frame %d), key %d; want tick %d, key %d", i, e.tick, e.Frame, e.Msg[1], wantTicks[i], wantKeys[i])
		}
	}
	if s.timeSig != [2]int{3, 4} || s.names[0] != "Beat" {
		t.Errorf("time signature %v, name %q", s.timeSig, s.names[0])
	}
	var frames []midi.Event
	for _, e := range ticks {
		frames = append(frames, midi.Event{Frame: e.Tick * 25, Msg: e.Msg})
	}
	var buf, again bytes.Buffer
	if err := Write(&buf, frames, rate, 120, [2]int{3, 4}, "Beat"); err != nil {
		t.Fatal(err)
	}
	if err := WriteTicks(&again, ticks, 120, [2]int{3, 4}, "Beat"); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), data) || !bytes.Equal(again.Bytes(), data) {
		t.Error("WriteTicks, EncodeTicks and Write give different bytes for the same events")
	}
	for _, bad := range []struct {
		events []TickEvent
		tempo  float64
		want   string
	}{
		{[]TickEvent{{0, [3]byte{0xF8}}}, 120, "invalid MIDI event"},
		{[]TickEvent{{1 << 40, [3]byte{0x99, 36, 1}}}, 120, "too far"},
		{nil, 0, "invalid tempo"},
	} {
		if _, err := EncodeTicks(bad.events, bad.tempo, [2]int{4, 4}, ""); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("EncodeTicks(%v, %v) = %v, want %q", bad.events, bad.tempo, err, bad.want)
		}
	}
}
