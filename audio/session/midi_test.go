package session_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sangstudio/audio/device"
	"sangstudio/audio/engine"
	"sangstudio/audio/render"
	"sangstudio/audio/session"
	"sangstudio/audio/source"
	"sangstudio/internal/testtool/jackkeys"
	"sangstudio/midi"
	"sangstudio/midi/smf"
	"sangstudio/midi/synth"
	"sangstudio/projects"
)

// TestRecoverUnfinishedMIDITake: a MIDI take abandoned mid-recording (the
// program died) comes back on its MIDI track with every event up to its
// last checkpoint, with the release tail after the last event.
func TestRecoverUnfinishedMIDITake(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "song")
	s := projects.New("x", 48000)
	s.Tracks = []*projects.Track{projects.NewMIDITrack("Keys", 4, false)}
	projects.Create(dir, s)
	f, name, err := projects.NewTakeFile(dir, s, "Keys", ".mid")
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	w, err := smf.NewTakeWriter(projects.AudioPath(dir, name), 48000, 120, [2]int{4, 4}, "Keys")
	if err != nil {
		t.Fatal(err)
	}
	w.Add(midi.Event{Frame: 1000, Msg: [3]byte{0x90, 60, 100}})
	w.Add(midi.Event{Frame: 30000, Msg: [3]byte{0x80, 60, 0}})
	if err := w.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	w.Add(midi.Event{Frame: 40000, Msg: [3]byte{0x90, 62, 100}}) // after the last checkpoint: lost
	journal := `{"takes":[{"file":"` + name + `","track":"Keys","channels":2,"midi":true,"program":4,"start":96000,"latency":0,"started":"2026-11-25T14:32:00+01:00"}]}`
	os.WriteFile(filepath.Join(dir, ".recording.json"), []byte(journal), 0o600)

	s2, _, err := projects.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	notes, err := session.Recover(dir, s2)
	var rt *session.RecoveredTake
	if err != nil || len(notes) != 1 || !errors.As(notes[0], &rt) || rt.Track != "Keys" || !strings.Contains(notes[0].Error(), `"Keys"`) {
		t.Fatalf("notes %q, err %v", notes, err)
	}
	s3, _, _ := projects.Load(dir)
	if len(s3.Tracks) != 1 {
		t.Fatalf("recovery added a track: %d tracks", len(s3.Tracks))
	}
	c := s3.Tracks[0].Clips
	if len(c) != 1 || c[0].Take != name || c[0].Position != 96000 || c[0].Length != 30000+synth.Tail(48000) {
		t.Fatalf("recovered clip %+v", c)
	}
	// A MIDI take whose track is gone comes back on a new MIDI track with the sound it had.
	s3.Tracks = nil
	s3.Takes = nil
	projects.Save(dir, s3)
	os.WriteFile(filepath.Join(dir, ".recording.json"), []byte(journal), 0o600)
	if _, err := session.Recover(dir, s3); err != nil {
		t.Fatal(err)
	}
	s4, _, _ := projects.Load(dir)
	if len(s4.Tracks) != 1 || !s4.Tracks[0].IsMIDI() || s4.Tracks[0].Program != 4 {
		t.Fatalf("tracks after recovery: %+v", s4.Tracks)
	}
}

// TestJackMIDIKeyboardRecorded is the whole path on real MIDI: a virtual
// JACK MIDI keyboard ("testkeys") plays notes into a running session on
// the JACK device; they are heard, recorded into a MIDI take on the armed
// track, and the song then renders them, to the same bytes every time.
func TestJackMIDIKeyboardRecorded(t *testing.T) {
	d := jackDevice(t, 256)
	keys, err := jackkeys.Open(t, "testkeys")
	if err != nil {
		t.Fatal(err)
	}
	defer keys.Close()
	dir := filepath.Join(t.TempDir(), "song")
	s := projects.New("keys", 48000)
	s.Tracks = []*projects.Track{projects.NewMIDITrack("Keys", 0, false)}
	if err := projects.Create(dir, s); err != nil {
		t.Fatal(err)
	}
	ss, err := session.Open(dir, s, session.Options{Device: device.Config{Device: d.ID, Buffer: 256},
		Arm: []session.Arm{{Track: 0}}, MIDIPorts: "testkeys"})
	if err != nil {
		t.Fatal(err)
	}
	if err := ss.MIDIErr(); err != nil {
		ss.Close()
		t.Fatal(err)
	}
	waitFor(t, "the keyboard to be opened", func() bool { return len(ss.MIDIPorts()) == 1 })
	e := ss.Engine()
	e.RecordFor(0, 3*48000)
	waitFor(t, "the recording", func() bool { return e.State() == engine.Recording && e.Position() > 9600 })
	keysPlayed := []byte{60, 64, 67, 72, 71, 67, 64, 60}
	heard := playKeys(t, keys, e, keysPlayed)
	waitFor(t, "the end of the take", func() bool { return e.State() != engine.Recording })
	takes, err := ss.Close()
	if err != nil {
		t.Fatal(err)
	}
	if heard == 0 {
		t.Error("the master meter never moved while keys were played")
	}
	if len(takes) != 1 || !takes[0].MIDI || takes[0].Frames != 3*48000 {
		t.Fatalf("takes %+v, want one MIDI take of 3 s", takes)
	}
	checkNotes(t, projects.AudioPath(dir, takes[0].File), keysPlayed)
	if x := e.Xruns(); x > 0 {
		t.Logf("%d xruns during the take", x)
	}
	loaded, _, err := projects.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if c := loaded.Tracks[0].Clips; len(c) != 1 || c[0].Take != takes[0].File {
		t.Fatalf("the take is not on the track: %+v", c)
	}
	var sums [2][32]byte
	for i := range sums {
		sums[i] = renderKeys(t, dir, loaded)
	}
	if sums[0] != sums[1] {
		t.Fatal("two renders of the recorded take differ")
	}
}

// playKeys plays keysPlayed on the keyboard keys, at velocity 100, each
// for 100 ms and 150 ms apart, and returns the highest peak e's master
// meter showed while a key was down.
func playKeys(t *testing.T, keys *jackkeys.Keyboard, e *engine.Engine, keysPlayed []byte) float32 {
	t.Helper()
	var heard float32
	for _, k := range keysPlayed {
		if err := keys.Send([]byte{0x90, k, 100}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond)
		p, _ := e.MasterMeter()
		heard = max(heard, p)
		keys.Send([]byte{0x80, k, 0})
		time.Sleep(50 * time.Millisecond)
	}
	return heard
}

// checkNotes checks that the MIDI take at path holds the notes of
// keysPlayed, in order, at velocity 100.
func checkNotes(t *testing.T, path string, keysPlayed []byte) {
	t.Helper()
	events, err := smf.ReadEvents(path, 48000)
	if err != nil {
		t.Fatal(err)
	}
	var ons []midi.Event
	for _, ev := range events {
		if ev.IsNoteOn() {
			ons = append(ons, ev)
		}
	}
	if len(ons) != len(keysPlayed) {
		t.Fatalf("recorded %d notes, played %d: %v", len(ons), len(keysPlayed), events)
	}
	for i, ev := range ons {
		if ev.Msg[1] != keysPlayed[i] || ev.Msg[2] != 100 {
			t.Fatalf("note %d: %v, want key %d velocity 100", i, ev, keysPlayed[i])
		}
		if i > 0 {
			t.Logf("note %d %.1f ms after the one before (played 150 ms apart)", i, float64(ev.Frame-ons[i-1].Frame)/48)
		}
	}
}

// renderKeys renders song s in dir afresh (without the MIDI cache),
// checks that the mix is not silent and returns its SHA-256.
func renderKeys(t *testing.T, dir string, s *projects.Song) [32]byte {
	t.Helper()
	os.RemoveAll(filepath.Join(dir, source.CacheDir))
	out := filepath.Join(t.TempDir(), "mix.wav")
	if _, err := render.Render(context.Background(), dir, s, render.Options{Mix: out}); err != nil {
		t.Fatal(err)
	}
	x := readWav(t, out)
	var p float32
	for _, v := range x[0] {
		p = max(p, v, -v)
	}
	if p < 0.01 {
		t.Fatalf("the render of the keyboard take is silent (peak %v)", p)
	}
	data, _ := os.ReadFile(out)
	return sha256.Sum256(data)
}
