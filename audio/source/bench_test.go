package source_test

import (
	"os"
	"path/filepath"
	"testing"

	"sangstudio/audio/source"
	"sangstudio/midi"
	"sangstudio/midi/smf"
	"sangstudio/midi/synth"
	"sangstudio/projects"
)

// BenchmarkRenderMIDITake renders a 60 s MIDI take (four-note chords every
// half second, 8 notes sounding) through the system's SoundFont, as
// happens once before a new MIDI take plays or renders. x_realtime is how
// many times faster than real time.
func BenchmarkRenderMIDITake(b *testing.B) {
	path := synth.FindSoundFont()
	if path == "" {
		b.Skip("no SoundFont installed")
	}
	sf, err := synth.LoadCached(path)
	if err != nil {
		b.Fatal(err)
	}
	dir := filepath.Join(b.TempDir(), "song")
	s := projects.New("bench", 48000)
	if err := projects.Create(dir, s); err != nil {
		b.Fatal(err)
	}
	var ev []midi.Event
	for i := int64(0); i < 120; i++ {
		f := i * 24000
		for _, k := range []byte{48, 55, 60, 64} {
			ev = append(ev, midi.Event{Frame: f, Msg: [3]byte{0x90, k + byte(i%5), 90}}, midi.Event{Frame: f + 46000, Msg: [3]byte{0x80, k + byte(i%5), 0}})
		}
	}
	file, take, err := projects.NewTakeFile(dir, s, "Keys", ".mid")
	if err != nil {
		b.Fatal(err)
	}
	if err := smf.Write(file, ev, 48000, 120, [2]int{4, 4}, "Keys"); err != nil {
		b.Fatal(err)
	}
	file.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		os.RemoveAll(filepath.Join(dir, source.CacheDir))
		if _, err := source.RenderTake(dir, take, synth.Sound{Program: 4}, sf, 48000, 0); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(62*float64(b.N)/b.Elapsed().Seconds(), "x_realtime")
}
