package library_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"sangstudio/audio/wav"
	"sangstudio/projects"
	"sangstudio/projects/library"
)

// BenchmarkLibraryList500 lists a library of 500 small real songs (each a
// song.json with one track and a 2-second take). Figure to report: ns/op in
// ms (target: under 0.5 s).
func BenchmarkLibraryList500(b *testing.B) {
	root := filepath.Join(b.TempDir(), "lib")
	if err := os.MkdirAll(root, 0o700); err != nil {
		b.Fatal(err)
	}
	audio := [][]float32{make([]float32, 2*48000)}
	for i := range audio[0] {
		audio[0][i] = float32(i%480) / 960
	}
	for i := 0; i < 500; i++ {
		dir := filepath.Join(root, fmt.Sprintf("Song %03d", i))
		s := projects.New(fmt.Sprintf("Song %d", i), 48000)
		if err := projects.Create(dir, s); err != nil {
			b.Fatal(err)
		}
		f, take, err := projects.NewTakeFile(dir, s, "Vokal", ".wav")
		if err != nil {
			b.Fatal(err)
		}
		f.Close()
		w, err := wav.Create(projects.AudioPath(dir, take), wav.Format{Rate: 48000, Channels: 1, Encoding: wav.PCM24}, wav.WriterOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if err := w.Write(audio); err != nil {
			b.Fatal(err)
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
		tr := projects.NewTrack("Vokal", 1)
		tr.Clips = []projects.Clip{{Take: take, Length: int64(len(audio[0]))}}
		s.Tracks = []*projects.Track{tr}
		s.Takes = []projects.TakeInfo{{File: take, Recorded: "2026-11-25T10:00:00Z", Frames: int64(len(audio[0]))}}
		if err := projects.Save(dir, s); err != nil {
			b.Fatal(err)
		}
	}
	lib, err := library.Open(root)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		list, err := lib.List()
		if err != nil {
			b.Fatal(err)
		}
		if len(list) != 500 {
			b.Fatalf("%d songs listed", len(list))
		}
		for _, e := range list {
			if e.Problem != "" {
				b.Fatalf("%s: %s", e.Name, e.Problem)
			}
		}
	}
}
