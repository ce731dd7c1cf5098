package smf

import "encoding/binary"

// smfBytes builds a Standard MIDI File from a header and track bodies (the
// chunk lengths are computed).
func smfBytes(format, division uint16, tracks ...[]byte) []byte {
	b := []byte("MThd\x00\x00\x00\x06")
	b = binary.BigEndian.AppendUint16(b, format)
	b = binary.BigEndian.AppendUint16(b, uint16(len(tracks)))
	b = binary.BigEndian.AppendUint16(b, division)
	for _, t := range tracks {
		b = append(b, "MTrk"...)
		b = binary.BigEndian.AppendUint32(b, uint32(len(t)))
		b = append(b, t...)
	}
	return b
}

// cat joins byte slices and strings into a track body.
func cat(parts ...any) []byte {
	var b []byte
	for _, p := range parts {
		switch p := p.(type) {
		case string:
			b = append(b, p...)
		case []byte:
			b = append(b, p...)
		case int:
			b = append(b, byte(p))
		default:
			panic("cat: bad part")
		}
	}
	return b
}

var eot = []byte{0x00, 0xFF, 0x2F, 0x00}

// format0 (96 ticks per quarter, 120 BPM, 3/4, named "Piano"): program 5
// and a note on channel 0 (ended by a note-on with velocity 0 in running
// status), a text meta event between notes, a drum note on channel 9.
var format0 = smfBytes(0, 96, cat(
	0x00, 0xFF, 0x03, 0x05, "Piano",
	0x00, 0xFF, 0x58, 0x04, 0x03, 0x02, 0x18, 0x08, // 3/4
	0x00, 0xFF, 0x51, 0x03, 0x07, 0xA1, 0x20, // 500000 µs = 120 BPM
	0x00, 0xC0, 0x05, // program 5, channel 0
	0x00, 0x90, 0x3C, 0x64, // tick 0: note on C4
	0x60, 0x3C, 0x00, // tick 96 (0.5 s): running status, velocity 0 = off
	0x00, 0xFF, 0x01, 0x03, "abc", // text
	0x00, 0xFF, 0x59, 0x02, 0x00, 0x00, // key signature
	0x00, 0x99, 0x24, 0x64, // tick 96: drum note
	0x30, 0x89, 0x24, 0x40, // tick 144 (0.75 s): drum note off
	eot,
))

// format1: a conductor track (name "Song", 120 BPM for one beat, then 60
// BPM), a bass track on channel 1 (program 32, a note at beat 2 = 0.5 s +
// 1 s) and an unnamed track on channel 2 with a note, a CC and pitch bend,
// plus a sysex and a marker.
var format1 = smfBytes(1, 960,
	cat(
		0x00, 0xFF, 0x03, 0x04, "Song",
		0x00, 0xFF, 0x51, 0x03, 0x07, 0xA1, 0x20, // 120 BPM
		0x87, 0x40, 0xFF, 0x51, 0x03, 0x0F, 0x42, 0x40, // tick 960: 60 BPM
		0x00, 0xFF, 0x06, 0x04, "next", // marker
		eot,
	),
	cat(
		0x00, 0xFF, 0x03, 0x04, "Bass",
		0x00, 0xC1, 0x20, // program 32
		0x8F, 0x00, 0x91, 0x28, 0x50, // tick 1920: note on
		0x87, 0x40, 0x81, 0x28, 0x00, // tick 2880: note off
		eot,
	),
	cat(
		0x00, 0xF0, 0x05, 0x7E, 0x7F, 0x09, 0x01, 0xF7, // GM on (sysex)
		0x00, 0x92, 0x40, 0x70, // tick 0: note on
		0x00, 0xB2, 0x07, 0x64, // volume
		0x83, 0x60, 0xE2, 0x00, 0x50, // tick 480 (0.25 s): pitch bend
		0x00, 0x00, 0x60, // running status pitch bend
		0x83, 0x60, 0x82, 0x40, 0x00, // tick 960 (0.5 s): note off
		eot,
	),
)

// Files gomidi v2.3.20 panics on.
var (
	// running status carried across a meta event.
	runningAcrossMeta = smfBytes(0, 96, cat(
		0x00, 0x90, 0x3C, 0x64,
		0x10, 0xFF, 0x01, 0x01, "x",
		0x10, 0x3C, 0x00,
		eot,
	))
	// the second track starts with a data byte.
	trackStartsWithData = smfBytes(1, 96,
		cat(0x00, 0x90, 0x3C, 0x64, 0x10, 0x3C, 0x00, eot),
		cat(0x00, 0x3E, 0x64, 0x10, 0x3E, 0x00, eot),
	)
	// SMPTE timing: 25 frames per second, 40 subframes.
	smpte = smfBytes(0, 0xE728, cat(0x00, 0x90, 0x3C, 0x64, 0x10, 0x80, 0x3C, 0x00, eot))
)

// noNotes has only controllers and a note-on with velocity 0.
var noNotes = smfBytes(0, 96, cat(0x00, 0xB0, 0x07, 0x64, 0x10, 0x90, 0x3C, 0x00, eot))

// fixtures are seeds for FuzzRead.
var fixtures = [][]byte{
	format0, format1, runningAcrossMeta, trackStartsWithData, smpte, noNotes,
	smfBytes(2, 96, cat(0x00, 0x90, 0x3C, 0x64, eot)),
	smfBytes(0, 96, cat(0x00, 0xFF, 0x51, 0x03, 0x00, 0x00, 0x00, 0x00, 0x90, 0x3C, 0x64, eot)),
	smfBytes(0, 96, cat(0x00, 0x90, 0x3C, 0x64)),
	smfBytes(0, 96, cat(0x00, 0xFF, 0x01, 0x8F, 0xFF, 0xFF, 0x7F, "x", eot)),
}
