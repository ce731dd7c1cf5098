package wavtest

import (
	"encoding/binary"
	"os"
	"testing"
)

// Sparse24 writes a 44-byte PCM header for frames of 24-bit mono 48 kHz
// audio to f, extends the file to its full size without writing it (it
// reads as silence and uses no disk) and closes f.
func Sparse24(tb testing.TB, f *os.File, frames int64) {
	tb.Helper()
	data := frames * 3
	h := make([]byte, 44)
	copy(h[0:], "RIFF")
	binary.LittleEndian.PutUint32(h[4:], uint32(36+data))
	copy(h[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(h[16:], 16)
	binary.LittleEndian.PutUint16(h[20:], 1) // PCM
	binary.LittleEndian.PutUint16(h[22:], 1) // mono
	binary.LittleEndian.PutUint32(h[24:], 48000)
	binary.LittleEndian.PutUint32(h[28:], 48000*3)
	binary.LittleEndian.PutUint16(h[32:], 3)
	binary.LittleEndian.PutUint16(h[34:], 24)
	copy(h[36:], "data")
	binary.LittleEndian.PutUint32(h[40:], uint32(data))
	if _, err := f.Write(h); err != nil {
		tb.Fatal(err)
	}
	if err := f.Truncate(44 + data); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
}
