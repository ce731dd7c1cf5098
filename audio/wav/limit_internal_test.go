package wav

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestFileSizeLimit fills a (sparse) file up to the 4 GiB limit by moving
// the frame counter, and checks that the Write crossing it is refused with
// nothing written, while the file stays valid.
func TestFileSizeLimit(t *testing.T) {
	p := filepath.Join(t.TempDir(), "big.wav")
	f := Format{Rate: 48000, Channels: 2, Encoding: PCM24}
	w, err := Create(p, f, WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	// The largest data size: RIFF size = 36 + data + pad ≤ 0xFFFFFFFF.
	maxFrames := (maxRIFFSize - (w.dataOff - 8)) / 6
	w.frames = maxFrames - 2
	one := [][]float32{{0.5}, {-0.5}}
	if err := w.Write(one); err != nil {
		t.Fatalf("Write below the limit: %v", err)
	}
	if err := w.Write(one); err != nil {
		t.Fatalf("Write up to the limit: %v", err)
	}
	if w.Frames() != maxFrames {
		t.Fatalf("Frames() = %d, want %d", w.Frames(), maxFrames)
	}
	if err := w.Write(one); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Write past the limit = %v, want ErrTooLarge", err)
	}
	if err := w.Write([][]float32{make([]float32, 1000), make([]float32, 1000)}); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("big Write past the limit = %v, want ErrTooLarge", err)
	}
	if w.Frames() != maxFrames {
		t.Fatalf("Frames() = %d after refused writes", w.Frames())
	}
	if err := w.Close(); err != nil {
		t.Skipf("cannot finish a 4 GiB sparse file here: %v", err)
	}
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Size()-8 > maxRIFFSize || fi.Size() < maxRIFFSize-8 {
		t.Errorf("file is %d bytes", fi.Size())
	}
	r, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Frames() != maxFrames {
		t.Errorf("reader sees %d frames, want %d", r.Frames(), maxFrames)
	}
	r.Seek(maxFrames - 1)
	buf := [][]float32{make([]float32, 4), make([]float32, 4)}
	if n, err := r.Read(buf); n != 1 || err != nil || buf[0][0] != 0.5 || buf[1][0] != -0.5 {
		t.Errorf("last frame: %d, %v, %v", n, err, buf)
	}
}
