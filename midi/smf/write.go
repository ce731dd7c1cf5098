package smf

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"math/bits"
	"slices"

	gomidi "gitlab.com/gomidi/midi/v2/smf"

	"sangstudio/midi"
)

// Write writes events (channel voice messages of any channels, in any
// order: they are sorted stably by Frame) as a format-0 Standard MIDI File
// at PPQ ticks per quarter note, with a track name (if name != ""), a time
// signature (timeSig, {4, 4} if zero), a tempo event (tempo BPM) and an end
// of track.
//
// Frames become ticks at the constant tempo: tick = round(frame × tempo ×
// PPQ / (60 × rate)), where tempo is the one the file stores (a whole
// number of µs per quarter note, so 97.3 BPM is stored as 616 650 µs): a
// reader then finds every event within half a tick of its frame, however
// long the take. Events at the same tick keep their order. Negative frames
// count as 0.
func Write(w io.Writer, events []midi.Event, rate int, tempo float64, timeSig [2]int, name string) error {
	data, err := encode(events, rate, tempo, timeSig, name)
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// tempoMicros is the tempo as a file stores it: µs per quarter note.
func tempoMicros(tempo float64) (uint64, error) {
	usec := math.Round(60e6 / tempo)
	if !(tempo > 0) || !(usec >= 1 && usec <= 0xFFFFFF) {
		return 0, fmt.Errorf("smf: invalid tempo %v BPM", tempo)
	}
	return uint64(usec), nil
}

// TickEvent is a channel voice message at a tick of a file at PPQ ticks
// per quarter note: what WriteTicks writes.
type TickEvent struct {
	Tick int64
	Msg  [3]byte
}

// WriteTicks writes events (at ticks, PPQ per quarter note, in any order:
// they are sorted stably by Tick) as Write does, without the conversion
// from frames: each event is written at exactly its tick. Negative ticks
// count as 0.
func WriteTicks(w io.Writer, events []TickEvent, tempo float64, timeSig [2]int, name string) error {
	data, err := EncodeTicks(events, tempo, timeSig, name)
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// EncodeTicks returns the bytes WriteTicks writes. The same events, tempo,
// time signature and name always give the same bytes.
func EncodeTicks(events []TickEvent, tempo float64, timeSig [2]int, name string) ([]byte, error) {
	if _, err := tempoMicros(tempo); err != nil {
		return nil, err
	}
	evs := slices.Clone(events)
	slices.SortStableFunc(evs, func(a, b TickEvent) int { return cmp.Compare(a.Tick, b.Tick) })
	return encodeTicks(evs, tempo, timeSig, name)
}

// encode makes the bytes of the file Write writes.
func encode(events []midi.Event, rate int, tempo float64, timeSig [2]int, name string) ([]byte, error) {
	if rate <= 0 {
		return nil, fmt.Errorf("smf: invalid sample rate %d", rate)
	}
	usec, err := tempoMicros(tempo)
	if err != nil {
		return nil, err
	}
	evs := slices.Clone(events)
	slices.SortStableFunc(evs, func(a, b midi.Event) int { return cmp.Compare(a.Frame, b.Frame) })
	ticks := make([]TickEvent, len(evs))
	for i, e := range evs {
		tick, ok := frameToTick(max(e.Frame, 0), usec, uint64(rate))
		if !ok || tick > math.MaxInt64 {
			return nil, fmt.Errorf("smf: event %v is too far from the one before", e)
		}
		ticks[i] = TickEvent{Tick: int64(tick), Msg: e.Msg}
	}
	return encodeTicks(ticks, tempo, timeSig, name)
}

// encodeTicks makes the bytes of a file of events sorted by tick.
func encodeTicks(evs []TickEvent, tempo float64, timeSig [2]int, name string) ([]byte, error) {
	if timeSig == [2]int{} {
		timeSig = [2]int{4, 4}
	}
	num, den := timeSig[0], timeSig[1]
	if num < 1 || num > 255 || den < 1 || den > 128 || den&(den-1) != 0 {
		return nil, fmt.Errorf("smf: invalid time signature %d/%d", num, den)
	}
	var tr gomidi.Track
	if name != "" {
		tr.Add(0, gomidi.MetaTrackSequenceName(name))
	}
	tr.Add(0, gomidi.MetaMeter(uint8(num), uint8(den)))
	tr.Add(0, gomidi.MetaTempo(tempo)) // stores round(60e6/tempo) µs
	var last int64
	for _, e := range evs {
		n := midi.MessageLen(e.Msg[0])
		if _, ok := midi.FromBytes(0, e.Msg[:max(n, 1)]); !ok {
			return nil, fmt.Errorf("smf: invalid MIDI event % X at tick %d", e.Msg, e.Tick)
		}
		tick := max(e.Tick, 0)
		if tick-last > 0x0FFFFFFF {
			return nil, fmt.Errorf("smf: the event at tick %d is too far from the one before", tick)
		}
		tr.Add(uint32(tick-last), append([]byte(nil), e.Msg[:n]...))
		last = tick
	}
	tr.Close(0)

	s := gomidi.New()
	s.TimeFormat = gomidi.MetricTicks(PPQ)
	if err := s.Add(tr); err != nil {
		return nil, fmt.Errorf("smf: %w", err)
	}
	data, err := s.Bytes()
	if err != nil {
		return nil, fmt.Errorf("smf: %w", err)
	}
	return data, nil
}

// frameToTick is round(frame × 1e6 × PPQ / (usec × rate)), the tick of a
// frame at usec µs per quarter note, computed exactly in 128 bits.
func frameToTick(frame int64, usec, rate uint64) (uint64, bool) {
	den := 2 * usec * rate // rounding: (2n + d) / 2d
	hi, lo := bits.Mul64(uint64(frame), 2*1e6*PPQ)
	lo, carry := bits.Add64(lo, den/2, 0)
	hi += carry
	if hi >= den {
		return 0, false
	}
	q, _ := bits.Div64(hi, lo, den)
	return q, true
}
