package importer_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gm "gitlab.com/gomidi/midi/v2"
	gsmf "gitlab.com/gomidi/midi/v2/smf"

	"sangstudio/audio/importer"
	"sangstudio/audio/render"
	"sangstudio/audio/source"
	"sangstudio/midi/smf"
	"sangstudio/midi/synth"
	"sangstudio/projects"
)

// band writes a format-1 MIDI file as other programs make them, with
// gomidi's own writer: a tempo track (100 BPM, then 50 BPM from bar 2,
// 3/4), a named piano track (channel 1), a bass (channel 2, program 34 =
// Electric Bass (pick)) and drums on channel 10.
func band(t *testing.T, dir string) string {
	t.Helper()
	s := gsmf.NewSMF1()
	s.TimeFormat = gsmf.MetricTicks(480)
	var tempo gsmf.Track
	tempo.Add(0, gsmf.MetaTempo(100))
	tempo.Add(0, gsmf.MetaMeter(3, 4))
	tempo.Add(480*3, gsmf.MetaTempo(50))
	tempo.Close(0)
	var piano gsmf.Track
	piano.Add(0, gsmf.MetaTrackSequenceName("Piano right hand"))
	piano.Add(0, gm.ProgramChange(0, 0))
	for i := 0; i < 6; i++ {
		piano.Add(0, gm.NoteOn(0, uint8(60+i), 90))
		piano.Add(480, gm.NoteOff(0, uint8(60+i)))
	}
	piano.Close(0)
	var bass gsmf.Track
	bass.Add(0, gm.ProgramChange(1, 34))
	bass.Add(0, gm.NoteOn(1, 40, 100))
	bass.Add(960, gm.NoteOff(1, 40))
	bass.Close(0)
	var drums gsmf.Track
	for i := 0; i < 6; i++ {
		drums.Add(0, gm.NoteOn(9, 36+uint8(i%2)*2, 110))
		drums.Add(240, gm.NoteOff(9, 36+uint8(i%2)*2))
		drums.Add(240, gm.ControlChange(9, 7, 100))
	}
	drums.Close(0)
	for _, tr := range []gsmf.Track{tempo, piano, bass, drums} {
		if err := s.Add(tr); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := s.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return writeBytes(t, dir, "Band song.mid", buf.Bytes())
}

// TestImportMIDIFile: a format-1 file becomes one MIDI track per channel
// with notes, with the channel's program as the sound (drums on channel 10
// get the drum kit), the song takes the file's tempo and metre, and the
// takes keep the notes at the right times through the tempo change.
func TestImportMIDIFile(t *testing.T) {
	src := t.TempDir()
	mid := band(t, src)
	dir := filepath.Join(t.TempDir(), "song")
	res, err := importer.Import(context.Background(), dir, []string{mid}, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s, _, err := projects.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Tracks) != 3 || len(res.Takes) != 3 {
		t.Fatalf("tracks %v, takes %v: want 3 of each", res.Tracks, res.Takes)
	}
	if s.Tempo != 100 || s.TimeSig != (projects.TimeSig{Beats: 3, Unit: 4}) {
		t.Errorf("song tempo %v, metre %s; want the file's 100 BPM 3/4", s.Tempo, s.TimeSig)
	}
	want := []struct {
		name    string
		program int
		drums   bool
	}{{"Piano right hand", 0, false}, {synth.ProgramName(34), 34, false}, {"Drums", 0, true}}
	for i, w := range want {
		tr := s.Tracks[i]
		if !tr.IsMIDI() || tr.Name != w.name || tr.Program != w.program || tr.Drums != w.drums || tr.Channels != 2 {
			t.Errorf("track %d: %+v, want %+v", i+1, tr, w)
		}
		if len(tr.Clips) != 1 || !strings.HasSuffix(tr.Clips[0].Take, ".mid") {
			t.Fatalf("track %d clips %+v", i+1, tr.Clips)
		}
	}
	// Piano notes: beats 0..2 at 100 BPM (0.6 s each), then 50 BPM (1.2 s).
	ev, err := smf.ReadEvents(projects.AudioPath(dir, s.Tracks[0].Clips[0].Take), 48000)
	if err != nil {
		t.Fatal(err)
	}
	var ons []int64
	for _, e := range ev {
		if e.IsNoteOn() {
			ons = append(ons, e.Frame)
		}
	}
	wantOns := []int64{0, 28800, 57600, 86400, 144000, 201600}
	if len(ons) != len(wantOns) {
		t.Fatalf("piano note-ons at %v, want %v", ons, wantOns)
	}
	for i := range ons {
		if d := ons[i] - wantOns[i]; d < -12 || d > 12 { // within half a tick of the take's 960 PPQ
			t.Fatalf("piano note-ons at %v, want %v", ons, wantOns)
		}
	}
	last := ev[len(ev)-1].Frame
	if c := s.Tracks[0].Clips[0]; c.Length != last+synth.Tail(48000) {
		t.Errorf("clip length %d, want the last event %d plus the release tail", c.Length, last)
	}
}

// TestImportMIDIRendersDeterministically: the imported song renders to a
// mix and stems that are not silent, and to the same bytes every time.
func TestImportMIDIRendersDeterministically(t *testing.T) {
	src := t.TempDir()
	dir := filepath.Join(t.TempDir(), "song")
	if _, err := importer.Import(context.Background(), dir, []string{band(t, src)}, importer.Options{}); err != nil {
		t.Fatal(err)
	}
	s, _, err := projects.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	var sums []string
	for i := 0; i < 2; i++ {
		if i == 1 {
			os.RemoveAll(filepath.Join(dir, source.CacheDir)) // render from scratch, not from the cache
		}
		out := t.TempDir()
		res, err := render.Render(context.Background(), dir, s, render.Options{Mix: filepath.Join(out, "mix.wav"), StemsDir: filepath.Join(out, "stems"), Workers: 1 + i})
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.New()
		for _, p := range append([]string{res.Mix}, res.Stems...) {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			h.Write(data)
			if i == 0 {
				if rms := fileRMS(t, p); rms < 1e-3 {
					t.Errorf("%s is silent (RMS %g)", filepath.Base(p), rms)
				}
			}
		}
		sums = append(sums, string(h.Sum(nil)))
	}
	if sums[0] != sums[1] {
		t.Fatal("two renders of the same MIDI song differ")
	}
}

func fileRMS(t *testing.T, path string) float64 {
	_, x := readTake(t, path)
	var sum float64
	for _, v := range x {
		sum += float64(v) * float64(v)
	}
	return math.Sqrt(sum / float64(max(len(x), 1)))
}

// TestImportBadMIDILeavesSongUnchanged: a broken MIDI file, one without
// notes, or an SMPTE-timed one is refused with a message naming it, and
// the song (and its folder) stay exactly as they were.
func TestImportBadMIDILeavesSongUnchanged(t *testing.T) {
	src := t.TempDir()
	good := band(t, src)
	data, _ := os.ReadFile(good)
	noNotes := []byte("MThd\x00\x00\x00\x06\x00\x00\x00\x01\x01\xe0MTrk\x00\x00\x00\x0b\x00\xff\x51\x03\x07\xa1\x20\x00\xff\x2f\x00")
	smpte := []byte("MThd\x00\x00\x00\x06\x00\x00\x00\x01\xe7\x28MTrk\x00\x00\x00\x0c\x00\x90\x3c\x40\x60\x80\x3c\x00\x00\xff\x2f\x00")
	cases := map[string][]byte{
		"garbage.mid":   []byte("this is not a MIDI file, only words"),
		"empty.mid":     nil,
		"truncated.mid": data[:len(data)/2],
		"no-notes.mid":  noNotes,
		"smpte.mid":     smpte,
	}
	for name, b := range cases {
		t.Run(name, func(t *testing.T) {
			p := writeBytes(t, src, name, b)
			t.Logf("%s: %v", name, importLeavesSongUnchanged(t, good, p))
		})
	}
}
