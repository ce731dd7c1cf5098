package restore

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"sangstudio/internal/wavtest"
	"sangstudio/midi"
	"sangstudio/midi/smf"
	"sangstudio/midi/synth"
	"sangstudio/projects"
)

func TestTrackName(t *testing.T) {
	for take, want := range map[string]string{
		"0007-Bass.wav":         "Bass",
		"0012-Vokal-2.wav":      "Vokal-2",
		"0003-Piano.mid":        "Piano",
		"gitar.wav":             "gitar",
		"2024-takes.wav":        "takes",
		"0001-.wav":             "0001-",
		".wav":                  "Take",
		"0009-Sang\x1b[31m.wav": "Sang [31m",
	} {
		if got := TrackName(take); got != want {
			t.Errorf("TrackName(%q) = %q, want %q", take, got, want)
		}
	}
}

func TestTracks(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "Sang")
	s := projects.New("Sang", 48000)
	s.Tracks = []*projects.Track{projects.NewTrack("Bass", 1)}
	if err := projects.Create(dir, s); err != nil {
		t.Fatal(err)
	}
	mono := wavtest.Take(t, dir, s, "Bass", [][]float32{make([]float32, 4800)})
	stereo := wavtest.Take(t, dir, s, "Kor", [][]float32{make([]float32, 960), make([]float32, 960)})
	wrongRate := "0010-Gammel.wav"
	wavtest.Write(t, projects.AudioPath(dir, wrongRate), 44100, [][]float32{make([]float32, 100)})
	notAudio := "0011-tekst.wav"
	os.WriteFile(projects.AudioPath(dir, notAudio), []byte("not a WAV file"), projects.FilePerm)
	midiTake := "0012-Drums.mid"
	f, _ := os.Create(projects.AudioPath(dir, midiTake))
	ev := []midi.Event{{Frame: 0, Msg: [3]byte{0x99, 36, 100}}, {Frame: 24000, Msg: [3]byte{0x89, 36, 0}}}
	if err := smf.Write(f, ev, 48000, 120, [2]int{4, 4}, "Drums"); err != nil {
		t.Fatal(err)
	}
	f.Close()

	list := []projects.Leftover{
		{Name: ".import-1.tmp", Kind: projects.LeftoverImport},
		{Name: mono}, {Name: stereo}, {Name: wrongRate}, {Name: notAudio}, {Name: midiTake},
	}
	added, problems := Tracks(dir, s, list)
	if want := []string{"Bass 2", "Kor", "Drums"}; len(added) != 3 || added[0] != want[0] || added[1] != want[1] || added[2] != want[2] {
		t.Errorf("added %q, want %q", added, want)
	}
	if len(problems) != 2 {
		t.Fatalf("problems: %v", problems)
	}
	var te *TakeError
	if !errors.As(problems[0], &te) || te.Take != wrongRate || !errors.As(problems[1], &te) || te.Take != notAudio {
		t.Errorf("problems: %v", problems)
	}
	t.Log(problems)
	if len(s.Tracks) != 4 {
		t.Fatalf("%d tracks", len(s.Tracks))
	}
	b, k, d := s.Tracks[1], s.Tracks[2], s.Tracks[3]
	if b.Channels != 1 || b.Clips[0] != (projects.Clip{Take: mono, Length: 4800}) {
		t.Errorf("mono track: %+v", b)
	}
	if k.Channels != 2 || k.Clips[0] != (projects.Clip{Take: stereo, Length: 960}) {
		t.Errorf("stereo track: %+v", k)
	}
	if d.Kind != projects.KindMIDI || !d.Drums || d.Clips[0] != (projects.Clip{Take: midiTake, Length: 24000 + synth.Tail(48000)}) {
		t.Errorf("MIDI track: %+v %+v", d, d.Clips)
	}
	if err := projects.Save(dir, s); err != nil {
		t.Fatal(err)
	}
	if _, _, err := projects.Load(dir); err != nil {
		t.Fatal(err)
	}
}
