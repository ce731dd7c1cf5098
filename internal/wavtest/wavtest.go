// Package wavtest has the small WAV helpers that tests of several packages
// share: write float audio as a file or as a song's take, read a file back.
package wavtest

import (
	"io"
	"testing"

	"sangstudio/audio/wav"
	"sangstudio/projects"
)

// Write writes non-interleaved float32 audio to path as a 32-bit float WAV.
func Write(t testing.TB, path string, rate int, audio [][]float32) {
	t.Helper()
	w, err := wav.Create(path, wav.Format{Rate: rate, Channels: len(audio), Encoding: wav.Float32}, wav.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(audio); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// Take writes audio as a new take of song s in dir and returns its name.
func Take(t testing.TB, dir string, s *projects.Song, name string, audio [][]float32) string {
	t.Helper()
	f, take, err := projects.NewTakeFile(dir, s, name, ".wav")
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	Write(t, projects.AudioPath(dir, take), s.Rate, audio)
	return take
}

// Read returns a WAV file's format and its audio, non-interleaved.
func Read(t testing.TB, path string) (wav.Format, [][]float32) {
	t.Helper()
	r, err := wav.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	f := r.Format()
	out := make([][]float32, f.Channels)
	buf := make([][]float32, f.Channels)
	for c := range buf {
		out[c] = make([]float32, 0, r.Frames())
		buf[c] = make([]float32, 4096)
	}
	for {
		n, err := r.Read(buf)
		for c := range buf {
			out[c] = append(out[c], buf[c][:n]...)
		}
		if err == io.EOF || n == 0 {
			return f, out
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}
