package smf

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"sangstudio/internal/openfile"
	"sangstudio/midi"
)

const rate = 48000

func ev(frame int64, b ...byte) midi.Event {
	e, ok := midi.FromBytes(frame, b)
	if !ok {
		panic("bad event")
	}
	return e
}

func eventsEqual(t *testing.T, what string, got, want []midi.Event) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d events, want %d:\n got %v\nwant %v", what, len(got), len(want), got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("%s: event %d = %v, want %v", what, i, got[i], want[i])
		}
	}
}

func TestReadFormat0(t *testing.T) {
	f, err := Read(bytes.NewReader(format0), "song.mid", rate)
	if err != nil {
		t.Fatal(err)
	}
	if f.Format != 0 || f.Tempo != 120 || f.TimeSig != [2]int{3, 4} || f.Name != "Piano" {
		t.Errorf("header: format %d tempo %v time %v name %q", f.Format, f.Tempo, f.TimeSig, f.Name)
	}
	if f.Frames != 36000 {
		t.Errorf("Frames = %d, want 36000 (0.75 s)", f.Frames)
	}
	if len(f.Channels) != 2 {
		t.Fatalf("%d channels, want 2 (0 and 9): %+v", len(f.Channels), f.Channels)
	}
	c0, c9 := f.Channels[0], f.Channels[1]
	if c0.Channel != 0 || c0.Name != "Piano" || c0.Program != 5 {
		t.Errorf("channel 0: %d %q program %d", c0.Channel, c0.Name, c0.Program)
	}
	eventsEqual(t, "channel 0", c0.Events, []midi.Event{
		ev(0, 0xC0, 5), ev(0, 0x90, 0x3C, 0x64), ev(24000, 0x90, 0x3C, 0),
	})
	if !c0.Events[2].IsNoteOff() {
		t.Error("a note-on with velocity 0 is not a note-off")
	}
	if c9.Channel != midi.DrumChannel || c9.Program != -1 || c9.Name != "Piano" {
		t.Errorf("drum channel: %d %q program %d", c9.Channel, c9.Name, c9.Program)
	}
	eventsEqual(t, "channel 9", c9.Events, []midi.Event{
		ev(24000, 0x99, 0x24, 0x64), ev(36000, 0x89, 0x24, 0x40),
	})
}

func TestReadFormat1TempoChange(t *testing.T) {
	f, err := Read(bytes.NewReader(format1), "song.mid", rate)
	if err != nil {
		t.Fatal(err)
	}
	if f.Format != 1 || f.Tempo != 120 || f.TimeSig != [2]int{4, 4} || f.Name != "Song" {
		t.Errorf("header: format %d tempo %v time %v name %q", f.Format, f.Tempo, f.TimeSig, f.Name)
	}
	if len(f.Channels) != 2 {
		t.Fatalf("%d channels, want 2 (1 and 2): %+v", len(f.Channels), f.Channels)
	}
	bass, ch2 := f.Channels[0], f.Channels[1]
	if bass.Channel != 1 || bass.Name != "Bass" || bass.Program != 32 {
		t.Errorf("bass: channel %d %q program %d", bass.Channel, bass.Name, bass.Program)
	}
	// 120 BPM for one beat (0.5 s), then 60 BPM: beat 2 is at 1.5 s, beat 3 at 2.5 s.
	eventsEqual(t, "bass", bass.Events, []midi.Event{
		ev(0, 0xC1, 32), ev(72000, 0x91, 0x28, 0x50), ev(120000, 0x81, 0x28, 0),
	})
	if ch2.Channel != 2 || ch2.Name != "" || ch2.Program != -1 {
		t.Errorf("channel 2: %d %q program %d", ch2.Channel, ch2.Name, ch2.Program)
	}
	eventsEqual(t, "channel 2", ch2.Events, []midi.Event{
		ev(0, 0x92, 0x40, 0x70), ev(0, 0xB2, 0x07, 0x64),
		ev(12000, 0xE2, 0x00, 0x50), ev(12000, 0xE2, 0x00, 0x60),
		ev(24000, 0x82, 0x40, 0),
	})
	if f.Frames != 120000 {
		t.Errorf("Frames = %d, want 120000", f.Frames)
	}
}

// Channels without notes are left out of File.Channels but not of ReadEvents.
func TestReadEventsMergesTracks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "song.mid")
	if err := os.WriteFile(path, format1, 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := ReadEvents(path, rate)
	if err != nil {
		t.Fatal(err)
	}
	eventsEqual(t, "merged", got, []midi.Event{
		ev(0, 0xC1, 32), // track 2 comes before track 3 at tick 0
		ev(0, 0x92, 0x40, 0x70), ev(0, 0xB2, 0x07, 0x64),
		ev(12000, 0xE2, 0x00, 0x50), ev(12000, 0xE2, 0x00, 0x60),
		ev(24000, 0x82, 0x40, 0),
		ev(72000, 0x91, 0x28, 0x50), ev(120000, 0x81, 0x28, 0),
	})

	path = filepath.Join(t.TempDir(), "empty-take.mid")
	if err := os.WriteFile(path, noNotes, 0o600); err != nil {
		t.Fatal(err)
	}
	got, err = ReadEvents(path, 44100)
	if err != nil {
		t.Fatalf("a file without notes: %v", err)
	}
	eventsEqual(t, "no notes", got, []midi.Event{ev(0, 0xB0, 7, 100), ev(3675, 0x90, 0x3C, 0)}) // 16 ticks of 96 at 120 BPM

	f, err := ReadFile(path, rate)
	if !errors.Is(err, ErrNoNotes) || f != nil || !strings.HasPrefix(err.Error(), path+": ") {
		t.Errorf("ReadFile of a file without notes: %v", err)
	}
}

func TestReadUnknownChunkAndRate(t *testing.T) {
	// An unknown chunk between tracks is skipped; the rate scales frames.
	data := smfBytes(0, 96, cat(0x00, 0x90, 0x3C, 0x64, 0x60, 0x80, 0x3C, 0x00, eot))
	data = append(data[:14], append([]byte("XFIH\x00\x00\x00\x02ab"), data[14:]...)...)
	f, err := Read(bytes.NewReader(data), "song.mid", 44100)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Channels) != 1 || f.Frames != 22050 {
		t.Errorf("channels %+v frames %d, want 22050", f.Channels, f.Frames)
	}
}

func TestReadErrors(t *testing.T) {
	truncated := format1[:len(format1)-6]
	noEOT := smfBytes(0, 96, cat(0x00, 0x90, 0x3C, 0x64, 0x10, 0x80, 0x3C, 0x00))
	manyEvents := func() []byte { // scanned, counted and refused before gomidi stores them
		body := make([]byte, 0, 2*maxEvents+10)
		body = append(body, 0x00, 0xC0, 0x01)
		for range maxEvents {
			body = append(body, 0x00, 0x01)
		}
		return smfBytes(0, 96, append(body, eot...))
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "the file is empty"},
		{"garbage", []byte("RIFF....WAVEfmt this is not MIDI at all"), "not a MIDI file"},
		{"short header", []byte("MThd\x00\x00"), "the file is damaged: the header is incomplete"},
		{"truncated", truncated, "the file is damaged: it is truncated"},
		{"tracks missing", format0[:14], "the file is damaged: it is truncated (1 of 1 tracks are missing)"},
		{"no end of track", noEOT, "the file is damaged: track 1: no end-of-track event"},
		{"SMPTE", smpte, "SMPTE time code files are not supported"},
		{"format 2", smfBytes(2, 96, cat(0x00, 0x90, 0x3C, 0x64, eot)), "format 2 MIDI files"},
		{"format 7", smfBytes(7, 96, cat(eot)), "unknown MIDI file format 7"},
		{"division 0", smfBytes(0, 0, cat(eot)), "the file is damaged: the time division is 0"},
		{"no tracks", smfBytes(1, 96), "the file is damaged: it has no tracks"},
		{"tempo 0", smfBytes(0, 96, cat(0x00, 0xFF, 0x51, 0x03, 0, 0, 0, 0x00, 0x90, 0x3C, 0x64, eot)), "the file is damaged: tempo 0"},
		{"bad tempo", smfBytes(0, 96, cat(0x00, 0xFF, 0x51, 0x01, 7, 0x00, 0x90, 0x3C, 0x64, eot)), "a bad tempo event"},
		{"huge meta claim", smfBytes(0, 96, cat(0x00, 0xFF, 0x01, 0xFF, 0xFF, 0xFF, 0x7F, "x", eot)), "an event is longer than its track"},
		{"huge sysex claim", smfBytes(0, 96, cat(0x00, 0xF0, 0x8F, 0xFF, 0xFF, 0x7F, 0xF7, eot)), "an event is longer than its track"},
		{"data byte above 127", smfBytes(0, 96, cat(0x00, 0x90, 0x3C, 0x90, eot)), "an invalid MIDI message (90 3C 90)"},
		{"system message", smfBytes(0, 96, cat(0x00, 0xF8, 0x00, 0x90, 0x3C, 0x64, eot)), "the file is damaged: track 1: an event cannot be parsed"},
		{"running status across meta", runningAcrossMeta, "the file is damaged: track 1: an event cannot be parsed"},
		{"track starting with data", trackStartsWithData, "the file is damaged: track 2: an event cannot be parsed"},
		{"no notes", noNotes, "the file has no notes"},
		{"too many events", manyEvents(), "too many events (more than 10000000)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "too many events" && testing.Short() {
				t.Skip("20 MB file")
			}
			f, err := Read(bytes.NewReader(tc.data), "song.mid", rate)
			if err == nil {
				t.Fatalf("no error; file %+v", f)
			}
			if f != nil {
				t.Error("a file and an error")
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "song.mid: ") || !strings.Contains(msg, tc.want) {
				t.Errorf("error %q, want \"song.mid: …%s…\"", msg, tc.want)
			}
			if errors.Is(err, ErrNoNotes) != (tc.name == "no notes") {
				t.Errorf("errors.Is(%q, ErrNoNotes) = %v", msg, errors.Is(err, ErrNoNotes))
			}
		})
	}
}

func TestReadFileErrorsNamePath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing.mid")
	if _, err := ReadFile(path, rate); err == nil || !strings.HasPrefix(err.Error(), path+": ") {
		t.Errorf("ReadFile of a missing file: %v", err)
	}
	if _, err := ReadEvents(path, rate); err == nil || !strings.HasPrefix(err.Error(), path+": ") {
		t.Errorf("ReadEvents of a missing file: %v", err)
	}
	bad := filepath.Join(t.TempDir(), "bad.mid")
	if err := os.WriteFile(bad, runningAcrossMeta, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadEvents(bad, rate); err == nil || !strings.HasPrefix(err.Error(), bad+": the file is damaged") {
		t.Errorf("ReadEvents of a damaged file: %v", err)
	}
	if _, err := Read(bytes.NewReader(format0), "song.mid", 0); err == nil || !strings.Contains(err.Error(), "song.mid: invalid sample rate") {
		t.Errorf("rate 0: %v", err)
	}
}

// TestReadFileRefusesSpecialFiles: a FIFO (which would block a plain open
// for ever), a device and a folder are refused by name, at once.
func TestReadFileRefusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.mid")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for path, kind := range map[string]openfile.Kind{fifo: openfile.FIFO, "/dev/zero": openfile.Device, dir: openfile.Folder} {
		done := make(chan error, 2)
		go func() {
			_, err := ReadFile(path, rate)
			done <- err
			_, err = ReadEvents(path, rate)
			done <- err
		}()
		for range 2 {
			select {
			case err := <-done:
				var oe *openfile.Error
				if !errors.As(err, &oe) || oe.Kind != kind || err.Error() != path+" is "+string(kind)+", not a file; Sangstudio reads only ordinary files" {
					t.Errorf("reading %s: %v", path, err)
				}
			case <-time.After(time.Second):
				t.Fatalf("reading %s did not return within a second", path)
			}
		}
	}
}
