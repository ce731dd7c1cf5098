package midi

import "fmt"

// Event is one MIDI channel voice message (note off/on, poly pressure,
// control change, program change, channel pressure, pitch bend) at a frame.
// Msg[0] is the status byte with the channel in its low nibble; unused data
// bytes are 0. System messages (sysex, clock, …) are never Events.
type Event struct {
	Frame int64
	Msg   [3]byte
}

// Status kinds (the high nibble of Msg[0]).
const (
	NoteOff         = 0x80
	NoteOn          = 0x90
	PolyPressure    = 0xA0
	ControlChange   = 0xB0
	ProgramChange   = 0xC0
	ChannelPressure = 0xD0
	PitchBend       = 0xE0
)

// Controllers Sangstudio's instruments understand.
const (
	CCModWheel    = 1
	CCVolume      = 7
	CCPan         = 10
	CCExpression  = 11
	CCSustain     = 64
	CCAllSoundOff = 120
	CCResetAll    = 121
	CCAllNotesOff = 123
)

// DrumChannel is General MIDI's percussion channel (channel 10, 0-based 9).
const DrumChannel = 9

// Kind is the message kind: NoteOn, ControlChange, … (0x80..0xE0).
func (e Event) Kind() byte { return e.Msg[0] & 0xF0 }

// Channel is the 0-based MIDI channel.
func (e Event) Channel() int { return int(e.Msg[0] & 0x0F) }

// Len is the message's length in bytes: 2 for program change and channel
// pressure, 3 for the others, 0 if Msg[0] is not a channel voice status.
func (e Event) Len() int { return MessageLen(e.Msg[0]) }

// IsNoteOn reports a note-on with a velocity above 0.
func (e Event) IsNoteOn() bool { return e.Kind() == NoteOn && e.Msg[2] > 0 }

// IsNoteOff reports a note-off, or a note-on with velocity 0.
func (e Event) IsNoteOff() bool {
	return e.Kind() == NoteOff || (e.Kind() == NoteOn && e.Msg[2] == 0)
}

// WithChannel returns the event moved to channel ch (0..15).
func (e Event) WithChannel(ch int) Event {
	e.Msg[0] = e.Msg[0]&0xF0 | byte(ch&0x0F)
	return e
}

// MessageLen is the length of a channel voice message with this status
// byte, or 0 if status is not one.
func MessageLen(status byte) int {
	switch status & 0xF0 {
	case ProgramChange, ChannelPressure:
		return 2
	case NoteOff, NoteOn, PolyPressure, ControlChange, PitchBend:
		return 3
	}
	return 0
}

// FromBytes makes an Event from raw bytes of a channel voice message; ok is
// false for anything else (system messages, a short or malformed message,
// data bytes above 127).
func FromBytes(frame int64, b []byte) (e Event, ok bool) {
	if len(b) == 0 {
		return e, false
	}
	n := MessageLen(b[0])
	if n == 0 || len(b) < n {
		return e, false
	}
	e.Frame = frame
	for i := 0; i < n; i++ {
		if i > 0 && b[i] > 127 {
			return Event{}, false
		}
		e.Msg[i] = b[i]
	}
	return e, true
}

func (e Event) String() string {
	return fmt.Sprintf("%d: % X", e.Frame, e.Msg[:max(e.Len(), 1)])
}
