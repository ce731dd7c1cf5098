package wav_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sangstudio/audio/wav"
	"sangstudio/internal/fuzzcheck"
)

// TestReadUnfinished: a recording killed after a Sync has stale header
// sizes; RepairedFrames and OpenUnfinished read every frame
// written, as Repair would make the file, without changing a byte of it.
func TestReadUnfinished(t *testing.T) {
	for _, f := range []wav.Format{
		{Rate: 48000, Channels: 2, Encoding: wav.PCM16},
		{Rate: 48000, Channels: 1, Encoding: wav.PCM24}, // odd frames: pad byte
		{Rate: 48000, Channels: 1, Encoding: wav.Float32},
	} {
		t.Run(fmt.Sprintf("%dch/%v", f.Channels, strings.ReplaceAll(f.Encoding.String(), " ", "-")), func(t *testing.T) {
			readUnfinished(t, f)
		})
	}
}

// readUnfinished records 3001 frames in format f, syncing after 1001,
// and checks a copy in the state a crash leaves, then the finished file.
func readUnfinished(t *testing.T, f wav.Format) {
	dir := t.TempDir()
	p := filepath.Join(dir, "take.wav")
	sig := testSignal(f.Channels, 3001)
	w, err := wav.Create(p, f, wav.WriterOptions{NoDither: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := w.Write(framesOf(sig, 0, 1001)); err != nil {
		t.Fatal(err)
	}
	if err := w.Sync(); err != nil {
		t.Fatal(err)
	}
	if err := w.Write(framesOf(sig, 1001, 3001)); err != nil {
		t.Fatal(err)
	}
	// The state a crash leaves: sizes for 1001 frames, 3001 on disk,
	// and half a frame more.
	take := filepath.Join(dir, "unfinished.wav")
	copyFile(t, p, take)
	ba := f.Channels * f.Encoding.Bytes()
	fh, err := os.OpenFile(take, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	fh.Write(make([]byte, ba/2+1))
	fh.Close()
	tol := writeTol(f.Encoding, false)
	checkUnfinished(t, take, sig, tol)

	// A finished file reads the same either way.
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if n, err := wav.RepairedFrames(p); err != nil || n != 3001 {
		t.Errorf("RepairedFrames of the finished file = %d, %v", n, err)
	}
	r, err := wav.OpenUnfinished(p)
	if err != nil {
		t.Fatal(err)
	}
	compare(t, readAll(t, r), sig, tol)
	r.Close()
}

// checkUnfinished checks take, an unfinished recording of the 3001 frames
// of sig whose sizes say 1001: Open reads the 1001, RepairedFrames and
// OpenUnfinished all of sig (within tol), without changing a byte, and
// the same after Repair.
func checkUnfinished(t *testing.T, take string, sig [][]float32, tol float64) {
	t.Helper()
	before, _ := os.ReadFile(take)
	r, err := wav.Open(take)
	if err != nil || r.Frames() != 1001 {
		t.Fatalf("Open before marking: %v, want the 1001 frames of the last Sync", err)
	}
	r.Close()
	if n, err := wav.RepairedFrames(take); err != nil || n != 3001 {
		t.Fatalf("RepairedFrames = %d, %v; want 3001", n, err)
	}
	r, err = wav.OpenUnfinished(take)
	if err != nil {
		t.Fatal(err)
	}
	compare(t, readAll(t, r), sig, tol)
	r.Close()

	if after, _ := os.ReadFile(take); !bytes.Equal(before, after) {
		t.Fatal("reading an unfinished file changed it")
	}
	// Repairing it changes nothing OpenUnfinished reads.
	if n, err := wav.Repair(take); err != nil || n != 3001 {
		t.Fatalf("Repair = %d, %v", n, err)
	}
	r, err = wav.OpenUnfinished(take)
	if err != nil {
		t.Fatal(err)
	}
	compare(t, readAll(t, r), sig, tol)
	r.Close()
}

func TestReadUnfinishedErrors(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.wav")
	if _, err := wav.RepairedFrames(missing); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("RepairedFrames(missing) = %v", err)
	}
	if _, err := wav.OpenUnfinished(missing); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("OpenUnfinished(missing) = %v", err)
	}
	p := writeFile(t, dir, "text.wav", []byte("hello, world"))
	if _, err := wav.RepairedFrames(p); asFormatError(t, err).Path != p {
		t.Errorf("RepairedFrames error %v does not name the file", err)
	}
	// A take killed before its first frame: 0 frames, no error; it cannot
	// be opened.
	empty := riff(chunk("fmt ", fmtBody(1, 2, 8000, 4, 16)), chunk("data", nil))
	p = writeFile(t, dir, "empty.wav", append(empty, 1, 2, 3))
	if n, err := wav.RepairedFrames(p); n != 0 || err != nil {
		t.Errorf("RepairedFrames(no whole frame) = %d, %v", n, err)
	}
	if _, err := wav.OpenUnfinished(p); !strings.Contains(asFormatError(t, err).Reason, "no audio data") {
		t.Errorf("OpenUnfinished(no whole frame) = %v", err)
	}
	// A finished file with a LIST chunk after the data: the LIST is no audio.
	good := riff(chunk("fmt ", fmtBody(1, 1, 8000, 2, 16)), chunk("data", pcm16(1, 2, 3)), chunk("LIST", []byte("INFOjunk")))
	p = writeFile(t, dir, "good.wav", good)
	if n, err := wav.RepairedFrames(p); n != 3 || err != nil {
		t.Errorf("RepairedFrames(good) = %d, %v", n, err)
	}
	if _, err := wav.OpenUnfinished(dir); err == nil {
		t.Error("OpenUnfinished of a folder succeeded")
	}
}

// FuzzUnfinished checks that reading any input as an unfinished recording
// never panics or writes, and agrees with Repair: RepairedFrames reports
// what Repair reports, and OpenUnfinished reads the frames of the repaired
// file, sample for sample.
func FuzzUnfinished(f *testing.F) {
	addSeeds(f)
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(dir, "u.wav")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		var n int64
		var r *wav.Reader
		var err, oerr error
		fuzzcheck.Call(t, len(b), fuzzcheck.Limit{Base: 1 << 20, PerByte: 64}, func() {
			n, err = wav.RepairedFrames(p)
			r, oerr = wav.OpenUnfinished(p)
		})
		if after, _ := os.ReadFile(p); !bytes.Equal(after, b) {
			t.Fatal("reading changed the file")
		}
		rp := filepath.Join(dir, "r.wav")
		if err := os.WriteFile(rp, b, 0o600); err != nil {
			t.Fatal(err)
		}
		rn, rerr := wav.Repair(rp)
		if (err == nil) != (rerr == nil) || n != rn {
			t.Fatalf("RepairedFrames = %d, %v; Repair = %d, %v", n, err, rn, rerr)
		}
		if err != nil {
			var fe *wav.FormatError
			if !errors.As(err, &fe) || fe.Path != p {
				t.Fatalf("error %v (%T) is not a *FormatError naming the file", err, err)
			}
		}
		if (oerr == nil) != (n > 0) {
			t.Fatalf("OpenUnfinished: %v, with %d repaired frames", oerr, n)
		}
		if oerr != nil {
			var fe *wav.FormatError
			if !errors.As(oerr, &fe) {
				t.Fatalf("OpenUnfinished error %v (%T) is not a *FormatError", oerr, oerr)
			}
			return
		}
		defer r.Close()
		if r.Frames() != n {
			t.Fatalf("OpenUnfinished has %d frames, RepairedFrames %d", r.Frames(), n)
		}
		want, err := wav.Open(rp)
		if err != nil {
			t.Fatalf("repaired file does not open: %v", err)
		}
		defer want.Close()
		sameAudio(t, r, want)
	})
}

// sameAudio checks that r reads as want, the repaired file: the same
// format and frames, sample for sample.
func sameAudio(t *testing.T, r, want *wav.Reader) {
	t.Helper()
	if r.Format() != want.Format() {
		t.Fatalf("format %+v, repaired %+v", r.Format(), want.Format())
	}
	ch := r.Format().Channels
	frames := max(1, min(37, 4096/ch))
	a, c := make([][]float32, ch), make([][]float32, ch)
	for i := range a {
		a[i], c[i] = make([]float32, frames), make([]float32, frames)
	}
	for {
		na, ea := r.Read(a)
		nc, ec := want.Read(c)
		if na != nc || (ea == nil) != (ec == nil) {
			t.Fatalf("Read = %d, %v; from the repaired file %d, %v", na, ea, nc, ec)
		}
		if ea == io.EOF {
			break
		}
		if ea != nil {
			t.Fatal(ea)
		}
		for i := range a {
			for j := range a[i][:na] {
				if math.Float32bits(a[i][j]) != math.Float32bits(c[i][j]) {
					t.Fatalf("channel %d: %v, repaired %v", i, a[i][j], c[i][j])
				}
			}
		}
	}
}
