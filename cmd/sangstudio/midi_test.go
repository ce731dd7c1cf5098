package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sangstudio/internal/testtool/jackkeys"
	"sangstudio/midi"
	"sangstudio/midi/smf"
	"sangstudio/projects"
)

// writeMID writes a small format-0 MIDI file: a C major arpeggio on
// channel 1 and a kick on channel 10.
func writeMID(t *testing.T, dir string) string {
	t.Helper()
	var ev []midi.Event
	for i, k := range []byte{60, 64, 67, 72} {
		f := int64(i) * 12000
		ev = append(ev, midi.Event{Frame: f, Msg: [3]byte{0x90, k, 100}}, midi.Event{Frame: f + 11000, Msg: [3]byte{0x80, k, 0}})
		ev = append(ev, midi.Event{Frame: f, Msg: [3]byte{0x99, 36, 120}}, midi.Event{Frame: f + 2000, Msg: [3]byte{0x89, 36, 0}})
	}
	p := filepath.Join(dir, "Arpeggio.mid")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := smf.Write(f, ev, 48000, 120, [2]int{4, 4}, "Arpeggio"); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestMIDICommands: import a MIDI file, add a MIDI track, change sounds
// and the SoundFont, see them in info, and render.
func TestMIDICommands(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "song")
	out := mustSang(t, "import", dir, writeMID(t, t.TempDir()))
	if strings.Count(out, "Added track") != 2 {
		t.Fatalf("import said %q, want two tracks (channel 1 and drums)", out)
	}
	mustSang(t, "add-track", dir, "Strykere", "--midi", "--sound", "strings")
	mustSang(t, "add-track", dir, "Mikrofon")
	out = mustSang(t, "set", dir, "1", "--sound", "organ", "--pan", "-0.5")
	if !strings.Contains(out, "Organ") {
		t.Errorf("set --sound said %q", out)
	}
	if code, _, errs := sang(t, "set", dir, "Mikrofon", "--sound", "piano"); code != 2 || !strings.Contains(errs, "audio track") {
		t.Errorf("--sound on an audio track: exit %d, %q", code, errs)
	}
	if code, _, errs := sang(t, "set", dir, "1", "--sound", "no such sound"); code != 2 || !strings.Contains(errs, "--sound") {
		t.Errorf("unknown sound: exit %d, %q", code, errs)
	}
	s, _, err := projects.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Tracks) != 4 || !s.Tracks[1].Drums || !s.Tracks[2].IsMIDI() || s.Tracks[2].Program != 48 || s.Tracks[3].IsMIDI() {
		t.Fatalf("tracks: %+v %+v %+v %+v", s.Tracks[0], s.Tracks[1], s.Tracks[2], s.Tracks[3])
	}
	if p := s.Tracks[0].Program; p < 16 || p > 23 {
		t.Errorf("--sound organ gave program %d, not an organ (17–24)", p+1)
	}
	info := mustSang(t, "info", dir)
	for _, want := range []string{"MIDI, sound", "Drum", "String Ensemble 1", "mono audio"} {
		if !strings.Contains(info, want) {
			t.Errorf("info does not say %q:\n%s", want, info)
		}
	}
	if out := mustSang(t, "sounds"); !strings.Contains(out, "Acoustic Grand Piano") || !strings.Contains(out, "128  Gunshot") {
		t.Errorf("sounds:\n%s", out)
	}
	// The built-in instrument, then back to the system's SoundFont.
	mustSang(t, "soundfont", dir, "builtin")
	if s, _, _ := projects.Load(dir); s.SoundFont != projects.BuiltinSound {
		t.Fatalf("soundfont builtin: song says %q", s.SoundFont)
	}
	mix1 := filepath.Join(t.TempDir(), "builtin.wav")
	mustSang(t, "render", dir, "--mix", mix1)
	mustSang(t, "soundfont", dir, "default")
	bad := filepath.Join(t.TempDir(), "broken.sf2")
	os.WriteFile(bad, []byte("RIFF\x10\x00\x00\x00sfbkLIST"), 0o600)
	if code, _, errs := sang(t, "soundfont", dir, bad); code != 1 || !strings.Contains(errs, "broken.sf2") || !strings.Contains(errs, "Nothing was changed") {
		t.Errorf("a broken SoundFont: exit %d, %q", code, errs)
	}
	if s, _, _ := projects.Load(dir); s.SoundFont != "" {
		t.Fatalf("a refused SoundFont changed the song: %q", s.SoundFont)
	}
	mix2 := filepath.Join(t.TempDir(), "default.wav")
	mustSang(t, "render", dir, "--mix", mix2)
	a, _ := os.ReadFile(mix1)
	b, _ := os.ReadFile(mix2)
	if len(a) < 100000 || string(a) == string(b) {
		t.Errorf("the built-in instrument and the SoundFont rendered the same (%d bytes)", len(a))
	}
}

// TestRecordMIDIFromTheCommandLine: the real binary records a virtual JACK
// MIDI keyboard onto a new MIDI track while the song plays on the virtual
// device; the take holds the notes played and the song renders them.
func TestRecordMIDIFromTheCommandLine(t *testing.T) {
	keys, err := jackkeys.Open(t, "cmdkeys")
	if err != nil {
		if os.Getenv("SANGSTUDIO_REQUIRE_AUDIO") == "1" {
			t.Fatal(err)
		}
		t.Skipf("no JACK server for a virtual MIDI keyboard: %v", err)
	}
	defer keys.Close()
	dir := filepath.Join(t.TempDir(), "song")
	mustSang(t, "new", dir)
	if code, _, errs := sang(t, "record", dir, "--midi", "--midi-in", "no such keyboard", "--device", "virtual", "--seconds", "1"); code == 0 || !strings.Contains(errs, "no such keyboard") {
		t.Fatalf("an unknown keyboard: exit %d, %q", code, errs)
	}
	cmd := exec.Command(binary(t), "record", dir, "--midi", "--midi-in", "cmdkeys", "--sound", "organ", "--device", "virtual", "--seconds", "2.5")
	stderr, _ := cmd.StderrPipe()
	var out strings.Builder
	cmd.Stdout = &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "Recording on") {
			break
		}
	}
	// The binary opened the keyboard just before recording; JACK makes a
	// new connection live a few cycles later (the graph is rebuilt
	// asynchronously): let it settle as a person's first key press would.
	time.Sleep(300 * time.Millisecond)
	go func() {
		for sc.Scan() {
		}
	}()
	played := []byte{60, 62, 64, 65, 67}
	for _, k := range played {
		keys.Send([]byte{0x90, k, 90})
		time.Sleep(120 * time.Millisecond)
		keys.Send([]byte{0x80, k, 0})
		time.Sleep(60 * time.Millisecond)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("record --midi: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "5 notes played") {
		t.Errorf("record said %q", out.String())
	}
	s, _, err := projects.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Tracks) != 1 || !s.Tracks[0].IsMIDI() || s.Tracks[0].Name != "Keys" || len(s.Tracks[0].Clips) != 1 {
		t.Fatalf("tracks after record --midi: %+v", s.Tracks)
	}
	if p := s.Tracks[0].Program; p < 16 || p > 23 {
		t.Errorf("--sound organ gave program %d", p+1)
	}
	events, err := smf.ReadEvents(projects.AudioPath(dir, s.Tracks[0].Clips[0].Take), 48000)
	if err != nil {
		t.Fatal(err)
	}
	var keysGot []byte
	for _, e := range events {
		if e.IsNoteOn() {
			keysGot = append(keysGot, e.Msg[1])
		}
	}
	if string(keysGot) != string(played) {
		t.Fatalf("recorded keys %v, played %v", keysGot, played)
	}
	mix := filepath.Join(t.TempDir(), "mix.wav")
	mustSang(t, "render", dir, "--mix", mix)
	if fi, err := os.Stat(mix); err != nil || fi.Size() < 2*48000*6 {
		t.Fatalf("render: %v %v", fi, err)
	}
}
