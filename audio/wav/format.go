package wav

import (
	"errors"
	"fmt"
	"strconv"
)

// Encoding is the sample format of the audio in a WAV file.
type Encoding int

// The sample encodings this package reads and writes. Integer samples are
// little-endian and signed, except 8-bit, which WAV stores unsigned with
// 128 as silence.
const (
	PCM16   Encoding = iota + 1 // signed 16-bit integer
	PCM24                       // signed 24-bit integer
	PCM32                       // signed 32-bit integer
	Float32                     // IEEE 754 float, 32 bits
	Float64                     // IEEE 754 float, 64 bits
	PCM8                        // unsigned 8-bit integer
)

// Bytes returns the size of one sample in bytes, or 0 for an invalid
// Encoding.
func (e Encoding) Bytes() int {
	switch e {
	case PCM8:
		return 1
	case PCM16:
		return 2
	case PCM24:
		return 3
	case PCM32, Float32:
		return 4
	case Float64:
		return 8
	}
	return 0
}

// String returns a short description for display, such as "24-bit" or
// "32-bit float".
func (e Encoding) String() string {
	switch e {
	case PCM8:
		return "8-bit"
	case PCM16:
		return "16-bit"
	case PCM24:
		return "24-bit"
	case PCM32:
		return "32-bit"
	case Float32:
		return "32-bit float"
	case Float64:
		return "64-bit float"
	}
	return "Encoding(" + strconv.Itoa(int(e)) + ")"
}

// isFloat reports whether e is an IEEE float encoding.
func (e Encoding) isFloat() bool { return e == Float32 || e == Float64 }

// Format describes the audio in a WAV file.
type Format struct {
	Rate     int      // sample rate in Hz (frames per second)
	Channels int      // samples per frame; 1 is mono, 2 is stereo
	Encoding Encoding // sample format
}

// blockAlign is the size of one frame in bytes.
func (f Format) blockAlign() int { return f.Channels * f.Encoding.Bytes() }

// FormatError reports a file that is not valid WAV audio, or WAV audio this
// package cannot decode. Reason is written for the person who chose the
// file, e.g. "no audio data (data chunk is empty)".
type FormatError struct {
	Path   string // the file, if known
	Reason string // what is wrong with it
}

// Error returns "wav: <path>: <reason>", or "wav: <reason>" if Path is empty.
func (e *FormatError) Error() string {
	if e.Path == "" {
		return "wav: " + e.Reason
	}
	return "wav: " + e.Path + ": " + e.Reason
}

func formatErr(format string, args ...any) *FormatError {
	return &FormatError{Reason: fmt.Sprintf(format, args...)}
}

// ErrTooLarge is returned by Writer.Write when the samples would make the
// file larger than the 4 GiB the RIFF size fields can describe. Nothing of
// that Write is written; the file still holds everything written before, so
// the caller can Close it and continue in a new file.
var ErrTooLarge = errors.New("wav: the file would exceed 4 GiB, the largest a WAV file can be; continue in a new file")

// Bext is the content of a BWF broadcast extension ("bext") chunk, as
// defined by EBU Tech 3285. Strings are at most 256 (Description), 32
// (Originator, OriginatorReference) bytes long.
type Bext struct {
	Description         string // free text, at most 256 bytes
	Originator          string // who or what made the file, at most 32 bytes
	OriginatorReference string // unique reference, at most 32 bytes
	OriginationDate     string // "yyyy-mm-dd" or ""
	OriginationTime     string // "hh:mm:ss" or ""
	// TimeReference is the position of the first sample, counted in
	// samples (frames) since midnight or since the timeline origin.
	TimeReference uint64
}

// Sizes of the fields of a bext chunk (EBU Tech 3285 v1/v2).
const (
	bextDescLen     = 256
	bextOrigLen     = 32
	bextOrigRefLen  = 32
	bextDateLen     = 10
	bextTimeLen     = 8
	bextTimeRefOff  = bextDescLen + bextOrigLen + bextOrigRefLen + bextDateLen + bextTimeLen // 338
	bextVersionOff  = bextTimeRefOff + 8                                                     // 346
	bextUMIDLen     = 64
	bextFixedLen    = 602 // everything before CodingHistory
	bextMinParseLen = bextVersionOff
)
