package smf

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"sangstudio/midi"
)

func readTake(t *testing.T, path string) []midi.Event {
	t.Helper()
	events, err := ReadEvents(path, rate)
	if err != nil {
		t.Fatalf("the take is not a valid MIDI file: %v", err)
	}
	return events
}

func TestTakeWriter(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "take-1.mid")
	// The caller reserves the name with O_EXCL.
	w := newReservedTake(t, path)

	// Frames that are multiples of 25 (one tick at 120 BPM) come back exactly.
	var want []midi.Event
	add := func(n int) {
		for range n {
			k := int64(len(want))
			e := ev(k*2500, 0x90|byte(k%3), byte(40+k%40), byte(1+k%100))
			w.Add(e)
			want = append(want, e)
		}
	}
	add(10)
	w.Add(midi.Event{Frame: 99, Msg: [3]byte{0xF8}}) // not a channel voice message: dropped
	if err := w.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	eventsEqual(t, "after a checkpoint", readTake(t, path), want)
	if w.Len() != 10 || w.Frames() != 9*2500 {
		t.Errorf("Len %d Frames %d", w.Len(), w.Frames())
	}

	// Nothing new: the file is not rewritten.
	before, _ := os.Stat(path)
	if err := w.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(path)
	if !os.SameFile(before, after) {
		t.Error("a checkpoint without new events rewrote the file")
	}

	// A crash before the next checkpoint loses only the events since.
	add(5)
	eventsEqual(t, "crashed before the checkpoint", readTake(t, path), want[:10])
	if err := w.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	eventsEqual(t, "second checkpoint", readTake(t, path), want)

	add(3)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	w.Add(ev(1e9, 0x90, 1, 1)) // after Close: dropped
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	eventsEqual(t, "closed", readTake(t, path), want)
	if w.Len() != 18 || w.Frames() != 17*2500 {
		t.Errorf("Len %d Frames %d after Close", w.Len(), w.Frames())
	}
	checkClosedTake(t, dir, path)
}

// newReservedTake reserves path with O_EXCL, as the caller does, and
// opens a take writer on it (120 BPM, 3/4, "Take 1"): an empty take,
// private, with no frames and no events yet.
func newReservedTake(t *testing.T, path string) *TakeWriter {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()

	w, err := NewTakeWriter(path, rate, 120, [2]int{3, 4}, "Take 1")
	if err != nil {
		t.Fatal(err)
	}
	if got := readTake(t, path); len(got) != 0 {
		t.Fatalf("a new take has %d events", len(got))
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("permissions %v, want 0600", st.Mode().Perm())
	}
	if w.Frames() != 0 || w.Len() != 0 {
		t.Errorf("Frames %d Len %d before any event", w.Frames(), w.Len())
	}
	return w
}

// checkClosedTake checks the closed take's header and that it is the
// only file in dir.
func checkClosedTake(t *testing.T, dir, path string) {
	file, err := ReadFile(path, rate)
	if err != nil {
		t.Fatal(err)
	}
	if file.Name != "Take 1" || file.TimeSig != [2]int{3, 4} || file.Tempo != 120 {
		t.Errorf("header %q %v %v", file.Name, file.TimeSig, file.Tempo)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
}

func TestTakeWriterConcurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "take.mid")
	w, err := NewTakeWriter(path, rate, 97.3, [2]int{4, 4}, "")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range 2000 {
			w.Add(ev(int64(i)*100, 0x90, 60, byte(1+i%127)))
		}
	}()
	for range 20 {
		if err := w.Checkpoint(); err != nil {
			t.Fatal(err)
		}
		if n := len(readTake(t, path)); n > w.Len() {
			t.Fatalf("file has %d events, writer only %d", n, w.Len())
		}
	}
	wg.Wait()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if n := len(readTake(t, path)); n != 2000 {
		t.Errorf("%d events after Close, want 2000", n)
	}
}

func TestTakeWriterErrors(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "no-such-folder", "take.mid")
	if _, err := NewTakeWriter(missing, rate, 120, [2]int{4, 4}, ""); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing folder: %v", err)
	}
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	underFile := filepath.Join(file, "take.mid")
	if _, err := NewTakeWriter(underFile, rate, 120, [2]int{4, 4}, ""); err == nil || !strings.Contains(err.Error(), underFile) {
		t.Errorf("folder is a file: %v", err)
	}
	if _, err := NewTakeWriter(filepath.Join(dir, "bad.mid"), rate, 0, [2]int{4, 4}, ""); err == nil {
		t.Error("tempo 0: no error")
	}

	// A folder that becomes read-only during the take.
	ro := filepath.Join(dir, "ro")
	if err := os.Mkdir(ro, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(ro, "take.mid")
	w, err := NewTakeWriter(path, rate, 120, [2]int{4, 4}, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(ro, 0o500); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(ro, 0o700)
	if os.Geteuid() == 0 {
		t.Skip("root ignores folder permissions")
	}
	if _, err := NewTakeWriter(filepath.Join(ro, "other.mid"), rate, 120, [2]int{4, 4}, ""); err == nil || !strings.Contains(err.Error(), filepath.Join(ro, "other.mid")) {
		t.Errorf("read-only folder: %v", err)
	}
	w.Add(ev(0, 0x90, 60, 100))
	if err := w.Checkpoint(); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("checkpoint into a read-only folder: %v", err)
	}
	if got := readTake(t, path); len(got) != 0 {
		t.Errorf("the failed checkpoint changed the file: %v", got)
	}
	os.Chmod(ro, 0o700)
	if err := w.Close(); err != nil { // the failed checkpoint is retried
		t.Fatal(err)
	}
	if got := readTake(t, path); len(got) != 1 {
		t.Errorf("after Close: %v", got)
	}
}
