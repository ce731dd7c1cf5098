package wav_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"

	"sangstudio/audio/wav"
)

// chunk returns a RIFF chunk with its pad byte.
func chunk(id string, body []byte) []byte {
	b := append([]byte(id), 0, 0, 0, 0)
	binary.LittleEndian.PutUint32(b[4:], uint32(len(body)))
	b = append(b, body...)
	if len(body)%2 == 1 {
		b = append(b, 0)
	}
	return b
}

// chunkSized returns a chunk header claiming size, followed by body.
func chunkSized(id string, size uint32, body []byte) []byte {
	b := append([]byte(id), 0, 0, 0, 0)
	binary.LittleEndian.PutUint32(b[4:], size)
	return append(b, body...)
}

// riff wraps chunks in a RIFF WAVE header with the right size.
func riff(chunks ...[]byte) []byte {
	body := []byte("WAVE")
	for _, c := range chunks {
		body = append(body, c...)
	}
	return chunkSized("RIFF", uint32(len(body)), body)
}

// fmtBody returns a 16-byte (PCM) fmt payload; extra is appended.
func fmtBody(tag, channels uint16, rate uint32, blockAlign, bits uint16, extra ...byte) []byte {
	b := make([]byte, 16)
	le := binary.LittleEndian
	le.PutUint16(b, tag)
	le.PutUint16(b[2:], channels)
	le.PutUint32(b[4:], rate)
	le.PutUint32(b[8:], rate*uint32(blockAlign))
	le.PutUint16(b[12:], blockAlign)
	le.PutUint16(b[14:], bits)
	return append(b, extra...)
}

// extensibleFmt returns a WAVE_FORMAT_EXTENSIBLE fmt payload.
func extensibleFmt(subTag, channels uint16, rate uint32, containerBits, validBits uint16) []byte {
	ba := channels * containerBits / 8
	b := fmtBody(0xFFFE, channels, rate, ba, containerBits)
	le := binary.LittleEndian
	b = le.AppendUint16(b, 22)
	b = le.AppendUint16(b, validBits)
	b = le.AppendUint32(b, 3) // channel mask
	b = le.AppendUint16(b, subTag)
	return append(b, "\x00\x00\x00\x00\x10\x00\x80\x00\x00\xAA\x00\x38\x9B\x71"...)
}

// pcm16 encodes samples as 16-bit little-endian.
func pcm16(s ...int16) []byte {
	var b []byte
	for _, v := range s {
		b = binary.LittleEndian.AppendUint16(b, uint16(v))
	}
	return b
}

// readAll decodes every frame of r, checking that Read ends with io.EOF.
func readAll(t testing.TB, r *wav.Reader) [][]float32 {
	t.Helper()
	ch := r.Format().Channels
	out := make([][]float32, ch)
	buf := make([][]float32, ch)
	for c := range buf {
		buf[c] = make([]float32, 1000)
	}
	for {
		n, err := r.Read(buf)
		if err == io.EOF {
			if n != 0 {
				t.Fatalf("Read returned %d frames with io.EOF", n)
			}
			break
		}
		if err != nil {
			t.Fatalf("Read: %v", err)
		}
		if n == 0 {
			t.Fatalf("Read returned 0 frames and no error")
		}
		for c := range out {
			out[c] = append(out[c], buf[c][:n]...)
		}
	}
	if got := int64(len(out[0])); got != r.Frames() {
		t.Fatalf("read %d frames, Frames() = %d", got, r.Frames())
	}
	return out
}

// openBytes opens an in-memory file.
func openBytes(b []byte) (*wav.Reader, error) {
	return wav.NewReader(bytes.NewReader(b), int64(len(b)))
}

// writeFile writes b to a new file in dir and returns its path.
func writeFile(t testing.TB, dir, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// readF32 reads a raw little-endian float32 file (as sox -t f32 writes it)
// and de-interleaves it.
func readF32(t testing.TB, path string, channels int) [][]float32 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := make([][]float32, channels)
	for i := 0; i+4 <= len(b); i += 4 {
		c := i / 4 % channels
		out[c] = append(out[c], math.Float32frombits(binary.LittleEndian.Uint32(b[i:])))
	}
	return out
}

// compare fails unless got and want agree within tol.
func compare(t testing.TB, got, want [][]float32, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d channels, want %d", len(got), len(want))
	}
	for c := range want {
		if len(got[c]) != len(want[c]) {
			t.Fatalf("channel %d: %d frames, want %d", c, len(got[c]), len(want[c]))
		}
		for i := range want[c] {
			if d := math.Abs(float64(got[c][i]) - float64(want[c][i])); !(d <= tol) {
				t.Fatalf("channel %d frame %d: %v, want %v (difference %g > %g)", c, i, got[c][i], want[c][i], d, tol)
			}
		}
	}
}

// asFormatError fails unless err is a *FormatError, and returns it.
func asFormatError(t testing.TB, err error) *wav.FormatError {
	t.Helper()
	var fe *wav.FormatError
	if !errors.As(err, &fe) {
		t.Fatalf("error %v (%T) is not a *wav.FormatError", err, err)
	}
	return fe
}

// framesOf returns frames [lo, hi) of the planar audio sig.
func framesOf(sig [][]float32, lo, hi int) [][]float32 {
	s := make([][]float32, len(sig))
	for c := range sig {
		s[c] = sig[c][lo:hi]
	}
	return s
}
