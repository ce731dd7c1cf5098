package importer_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"sangstudio/audio/importer"
	"sangstudio/internal/fuzzcheck"
	"sangstudio/internal/wavtest"
	"sangstudio/projects"
)

// snapshot lists every file under dir with its contents.
func fuzzSnapshot(t *testing.T, dir string) map[string][]byte {
	m := map[string][]byte{}
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && fi.Mode().IsRegular() {
			b, _ := os.ReadFile(p)
			m[p] = b
		}
		return nil
	})
	return m
}

func sameFiles(a, b map[string][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !bytes.Equal(b[k], v) {
			return false
		}
	}
	return true
}

// FuzzImport feeds arbitrary bytes to the importer as a WAV or a MIDI file
// (the first byte chooses) into an existing song. Whatever the bytes, it
// must not panic, must either add tracks or leave the song folder exactly
// as it was, and must not allocate far beyond what the input's size
// justifies (a header that claims gigabytes must not make it try).
func FuzzImport(f *testing.F) {
	// Seeds: a real short WAV, a real MIDI file, garbage and truncations.
	seedDir := f.TempDir()
	w := filepath.Join(seedDir, "s.wav")
	wavtest.Write(f, w, 48000, [][]float32{make([]float32, 480)})
	wb, _ := os.ReadFile(w)
	f.Add(append([]byte{0}, wb...))
	f.Add(append([]byte{0}, wb[:44]...))
	f.Add([]byte{0, 'R', 'I', 'F', 'F', 0xff, 0xff, 0xff, 0xff, 'W', 'A', 'V', 'E', 'f', 'm', 't', ' ', 16, 0, 0, 0, 1, 0, 2, 0, 0x80, 0xbb, 0, 0, 0, 0xee, 2, 0, 4, 0, 16, 0, 'd', 'a', 't', 'a', 0xff, 0xff, 0xff, 0x7f})
	midi := []byte("MThd\x00\x00\x00\x06\x00\x00\x00\x01\x01\xe0MTrk\x00\x00\x00\x0c\x00\x90\x3c\x64\x83\x60\x80\x3c\x00\x00\xff\x2f\x00")
	f.Add(append([]byte{1}, midi...))
	f.Add(append([]byte{1}, midi[:20]...))
	f.Add([]byte{1, 'M', 'T', 'h', 'd'})

	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		ext := ".wav"
		if data[0]%2 == 1 {
			ext = ".mid"
		}
		data = data[1:]
		root := t.TempDir()
		song := filepath.Join(root, "song")
		s := projects.New("Fuzz", 48000)
		if err := projects.Save(song, s); err != nil {
			t.Fatal(err)
		}
		in := filepath.Join(root, "input"+ext)
		if err := os.WriteFile(in, data, 0o600); err != nil {
			t.Fatal(err)
		}
		before := fuzzSnapshot(t, song)
		var err error
		fuzzcheck.Call(t, len(data), fuzzcheck.Limit{Base: 16 << 20, PerByte: 256}, func() {
			_, err = importer.Import(context.Background(), song, []string{in}, importer.Options{})
		})
		if err != nil {
			if after := fuzzSnapshot(t, song); !sameFiles(before, after) {
				var names []string
				for k := range after {
					names = append(names, k)
				}
				sort.Strings(names)
				t.Fatalf("a refused import (%v) changed the song folder: %v", err, names)
			}
			return
		}
		if _, _, err := projects.Load(song); err != nil {
			t.Fatalf("the song does not open after a successful import: %v", err)
		}
	})
}
