package source_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sangstudio/audio/source"
	"sangstudio/midi"
	"sangstudio/midi/smf"
	"sangstudio/projects"
)

// midiSong: one take played by two MIDI tracks with different sounds.
func midiSong(t *testing.T) (string, *projects.Song) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "song")
	s := projects.New("m", 48000)
	s.SoundFont = projects.BuiltinSound
	if err := projects.Create(dir, s); err != nil {
		t.Fatal(err)
	}
	f, take, err := projects.NewTakeFile(dir, s, "Keys", ".mid")
	if err != nil {
		t.Fatal(err)
	}
	ev := []midi.Event{{Frame: 100, Msg: [3]byte{0x90, 60, 100}}, {Frame: 20000, Msg: [3]byte{0x80, 60, 0}}}
	if err := smf.Write(f, ev, 48000, 120, [2]int{4, 4}, "Keys"); err != nil {
		t.Fatal(err)
	}
	f.Close()
	a := projects.NewMIDITrack("Piano", 0, false)
	b := projects.NewMIDITrack("Organ", 16, false)
	for _, tr := range []*projects.Track{a, b} {
		tr.Clips = []projects.Clip{{Take: take, Length: 30000}}
	}
	s.Tracks = []*projects.Track{a, b}
	return dir, s
}

func cacheFiles(t *testing.T, dir string) []string {
	ents, _ := os.ReadDir(filepath.Join(dir, source.CacheDir))
	var n []string
	for _, e := range ents {
		n = append(n, e.Name())
	}
	return n
}

func readTrack(t *testing.T, dir string, s *projects.Song, i int) []float32 {
	t.Helper()
	tr, err := source.OpenSong(dir, s, i, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	buf := [][]float32{make([]float32, 30000), make([]float32, 30000)}
	if err := tr.ReadAt(0, buf); err != nil {
		t.Fatal(err)
	}
	return buf[0]
}

// TestMIDICache: one take on two tracks with different sounds renders to
// two cache files that both play; changing a sound makes a new file and
// PrepareMIDI removes the one no longer used.
func TestMIDICache(t *testing.T) {
	dir, s := midiSong(t)
	if err := source.PrepareMIDI(dir, s, nil); err != nil {
		t.Fatal(err)
	}
	if n := cacheFiles(t, dir); len(n) != 2 {
		t.Fatalf("cache %v, want one render per sound", n)
	}
	piano, organ := readTrack(t, dir, s, 0), readTrack(t, dir, s, 1)
	same := true
	for i := range piano {
		same = same && piano[i] == organ[i]
	}
	if same || peak(piano) == 0 || peak(organ) == 0 {
		t.Fatalf("piano and organ renders: peaks %v %v, identical %v", peak(piano), peak(organ), same)
	}
	before := cacheFiles(t, dir)
	s.Tracks[1].Program = 40 // violin
	if err := source.PrepareMIDI(dir, s, nil); err != nil {
		t.Fatal(err)
	}
	after := cacheFiles(t, dir)
	if len(after) != 2 || after[0] == before[0] && after[1] == before[1] {
		t.Fatalf("cache before %v, after the sound change %v", before, after)
	}
	if v := readTrack(t, dir, s, 1); peak(v) == 0 {
		t.Fatal("the violin render is silent")
	}
}

// TestMIDIErrorsNameTheFile: a damaged MIDI take and a SoundFont that is
// not there give errors naming them.
func TestMIDIErrorsNameTheFile(t *testing.T) {
	dir, s := midiSong(t)
	take := projects.AudioPath(dir, s.Tracks[0].Clips[0].Take)
	os.WriteFile(take, []byte("MThd\x00\x00\x00\x06\x00\x00\x00\x01\x01\xe0MTrk\x00\x00\x00\x40\x00\x90"), 0o600)
	_, err := source.OpenSong(dir, s, 0, nil)
	var te *source.TakeError
	if !errors.As(err, &te) || te.Path != take || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("damaged take: %v", err)
	}
	s.SoundFont = filepath.Join(t.TempDir(), "gone.sf2")
	_, err = source.SoundFont(s)
	var se *source.SoundFontError
	if !errors.As(err, &se) || !strings.Contains(err.Error(), "gone.sf2") {
		t.Fatalf("missing SoundFont: %v", err)
	}
}

func peak(x []float32) float32 {
	var p float32
	for _, v := range x {
		p = max(p, v, -v)
	}
	return p
}
