package studio_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"sangstudio/audio/demosong"
	"sangstudio/audio/device"
	"sangstudio/audio/engine"
	"sangstudio/internal/uitest"
	"sangstudio/projects"
	"sangstudio/ui/studio"
)

// loop is the test's UI thread: posted functions run when pump runs.
type loop struct {
	t     *testing.T
	posts uitest.Queue
}

func newLoop(t *testing.T) *loop { return &loop{t: t, posts: uitest.NewQueue()} }

func (l *loop) post(f func()) { l.posts.Post(f) }

// pump runs posted functions until cond holds (or fails after 60 s: under
// -race on a busy 2-core machine, opening the demo song, whose strings are
// synthesised first, took 15–20 s alone).
func (l *loop) pump(what string, cond func() bool) {
	l.t.Helper()
	l.posts.WaitFor(l.t, what, 60*time.Second, cond)
}

// demo writes the demo song to a new folder.
func demo(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "song")
	if _, err := demosong.Create(dir, 48000); err != nil {
		t.Fatal(err)
	}
	return dir
}

func virtual() studio.AudioConfig {
	return studio.AudioConfig{Device: device.VirtualID, VirtualInput: device.VirtualSource{Kind: "sine"}}
}

// testAudio is a window's audio device for a test, closed after it.
func testAudio(t testing.TB, cfg studio.AudioConfig, post func(func())) *studio.Audio {
	a := studio.NewAudio(cfg, post)
	t.Cleanup(func() { a.Close() })
	return a
}

func open(t *testing.T, l *loop, dir string) *studio.Studio {
	t.Helper()
	st, err := studio.Open(dir, testAudio(t, virtual(), l.post), l.post)
	if err != nil {
		t.Fatal(err)
	}
	var errs []error
	st.OnError = func(err error) { errs = append(errs, err); t.Errorf("background error: %v", err) }
	return st
}

func onDisk(t *testing.T, dir string) *projects.Song {
	t.Helper()
	s, _, err := projects.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestRecordUndoRedoAcrossRestarts records on the virtual device (a sine
// on its inputs), stops, finds the new take on the track and on disk, undoes
// and redoes it, and still can after the song was closed and reopened.
func TestRecordUndoRedoAcrossRestarts(t *testing.T) {
	l := newLoop(t)
	dir := demo(t)
	st := open(t, l, dir)
	orig := len(st.Song().Tracks[0].Lanes)
	origClips := st.Song().Tracks[0].Clips
	if err := st.Record(); !errors.Is(err, studio.ErrNothingArmed) {
		t.Fatalf("Record with nothing armed: %v", err)
	}
	if err := st.Arm(0, true); err != nil {
		t.Fatal(err)
	}
	st.SetCountIn(0)
	st.Locate(48000)
	if err := st.Record(); err != nil {
		t.Fatal(err)
	}
	l.pump("recording", func() bool { return st.State() == engine.Recording })
	l.pump("1 s recorded", func() bool { return st.Position() > 2*48000 })
	st.Stop()
	if !st.Finishing() {
		t.Fatal("Stop after recording should finish the take in the background")
	}
	l.pump("take placed", func() bool { return !st.Finishing() && len(st.Song().Tracks[0].Lanes) == orig+1 })
	tr := st.Song().Tracks[0]
	if len(tr.Clips) != 1 || tr.Clips[0].Position != 48000 || tr.Clips[0].Length < 48000 {
		t.Fatalf("new take: %+v", tr.Clips)
	}
	take := tr.Clips[0].Take
	if st.UndoLabel() != "Record" || !st.CanUndo() {
		t.Fatalf("undo label %q", st.UndoLabel())
	}
	st.Wait()
	if got := onDisk(t, dir).Tracks[0].Clips[0].Take; got != take {
		t.Fatalf("on disk the track plays %q, want the new take %q", got, take)
	}
	st.Undo()
	l.pump("undo", func() bool { return len(st.Song().Tracks[0].Lanes) == orig })
	if got := st.Song().Tracks[0].Clips; len(got) != len(origClips) || got[0] != origClips[0] {
		t.Fatalf("after undo: %+v, want %+v", got, origClips)
	}
	if _, err := os.Stat(projects.AudioPath(dir, take)); err != nil {
		t.Fatalf("undo must keep the take file: %v", err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	// Reopen: redo is still there, and brings the take back.
	st = open(t, l, dir)
	if !st.CanRedo() || st.RedoLabel() != "Record" {
		t.Fatalf("after reopening: can redo %v (%q)", st.CanRedo(), st.RedoLabel())
	}
	st.Redo()
	l.pump("redo", func() bool { return len(st.Song().Tracks[0].Clips) == 1 && st.Song().Tracks[0].Clips[0].Take == take })
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if got := onDisk(t, dir).Tracks[0].Clips[0].Take; got != take {
		t.Fatalf("on disk after redo: %q", got)
	}
}

func TestEditIsOneStepAndFailureChangesNothing(t *testing.T) {
	l := newLoop(t)
	dir := demo(t)
	st := open(t, l, dir)
	defer st.Close()
	before, _ := projects.Encode(st.Song())
	err := st.Edit("Break it", func(s *projects.Song) error { s.Tracks[0].GainDB = 1e9; return nil })
	if err == nil {
		t.Fatal("an edit that does not validate was accepted")
	}
	if err := st.Edit("Fail", func(s *projects.Song) error { s.Title = "x"; return errors.New("no") }); err == nil {
		t.Fatal("a failing edit reported success")
	}
	after, _ := projects.Encode(st.Song())
	if string(before) != string(after) || st.CanUndo() {
		t.Fatal("a refused edit changed the song or the history")
	}
	if err := st.Edit("Rename track", func(s *projects.Song) error { s.Tracks[1].Name = "Gitar 2"; return nil }); err != nil {
		t.Fatal(err)
	}
	// A fader drag: many live changes, one undo step.
	for db := -1.0; db > -10; db-- {
		st.Live(func(s *projects.Song) { s.Tracks[0].GainDB = db })
	}
	st.Commit("Change the volume")
	if st.UndoLabel() != "Change the volume" {
		t.Fatalf("undo label %q", st.UndoLabel())
	}
	st.Undo()
	l.pump("undo of the fader", func() bool { return st.UndoLabel() == "Rename track" })
	if got := st.Song().Tracks[0].GainDB; got != onDiskGain(t, before) {
		t.Fatalf("fader after undo: %v", got)
	}
	if st.Song().Tracks[1].Name != "Gitar 2" {
		t.Fatal("undo took back more than one step")
	}
	st.Wait()
	if onDisk(t, dir).Tracks[1].Name != "Gitar 2" {
		t.Fatal("the edit was not saved")
	}
}

func onDiskGain(t *testing.T, data []byte) float64 {
	s, err := projects.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	return s.Tracks[0].GainDB
}

func TestSecondWindowIsRefused(t *testing.T) {
	l := newLoop(t)
	dir := demo(t)
	st := open(t, l, dir)
	if _, err := studio.Open(dir, testAudio(t, virtual(), l.post), l.post); !errors.Is(err, studio.ErrOpenElsewhere) {
		t.Fatalf("second open: %v", err)
	}
	st.Close()
	st2, err := studio.Open(dir, testAudio(t, virtual(), l.post), l.post)
	if err != nil {
		t.Fatalf("open after close: %v", err)
	}
	st2.Close()
	if _, err := studio.Open(t.TempDir(), testAudio(t, virtual(), l.post), l.post); !errors.Is(err, projects.ErrNotASong) {
		t.Fatalf("open of an empty folder: %v", err)
	}
}

func TestPlayOnVirtualDevice(t *testing.T) {
	l := newLoop(t)
	st := open(t, l, demo(t))
	defer st.Close()
	st.Play()
	l.pump("playing", func() bool { return st.State() == engine.Playing })
	if a := st.Audio(); !a.Virtual || a.Device == "" {
		t.Fatalf("status %+v", a)
	}
	l.pump("sound on the master", func() bool { p, _ := st.MasterMeter(); return p > 0.01 })
	st.Stop()
	l.pump("stopped", func() bool { return st.State() == engine.Stopped })
}

func TestSettingsRoundTrip(t *testing.T) {
	p := filepath.Join(t.TempDir(), "cfg", "settings.json")
	s, first, err := studio.LoadSettings(p)
	if err != nil || !first || !reflect.DeepEqual(s, studio.Defaults()) {
		t.Fatalf("missing file: %+v %v %v", s, first, err)
	}
	s.Library, s.Language, s.TextScale, s.Buffer = "/x", "nb", 1.5, 128
	if err := studio.SaveSettings(p, s); err != nil {
		t.Fatal(err)
	}
	got, first, err := studio.LoadSettings(p)
	if err != nil || first || got.Library != "/x" || got.Language != "nb" || got.TextScale != 1.5 || got.Buffer != 128 {
		t.Fatalf("read back %+v %v %v", got, first, err)
	}
	os.WriteFile(p, []byte("{garbage"), 0o600)
	if _, _, err := studio.LoadSettings(p); err == nil {
		t.Fatal("damaged settings gave no error")
	}
}

// TestUnusableDeviceFallsBack: a device that cannot be opened leaves the
// song playable (the system sound output or the virtual device) and the
// status says why.
func TestUnusableDeviceFallsBack(t *testing.T) {
	l := newLoop(t)
	st, err := studio.Open(demo(t), testAudio(t, studio.AudioConfig{Device: "no such device#1"}, l.post), l.post)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	st.StartAudio()
	l.pump("a device", func() bool { return st.Audio().Device != "" || st.Audio().Err != nil })
	a := st.Audio()
	if a.Err != nil || !strings.Contains(a.Fallback, "no such device") {
		t.Fatalf("status %+v", a)
	}
	if a.Device != device.VirtualName && a.Device != device.SpeakersName {
		t.Fatalf("fell back to %q", a.Device)
	}
	t.Logf("fell back to %q: %s", a.Device, a.Fallback)
}

// TestArmingFollowsTheTrack: arming belongs to the track, not to its
// place: deleting another track leaves the same track armed; deleting the
// armed track disarms it; undo brings the track back (not armed: arming
// is not part of the song).
func TestArmingFollowsTheTrack(t *testing.T) {
	l := newLoop(t)
	st := open(t, l, demo(t))
	defer st.Close()
	n := len(st.Song().Tracks)
	second := st.Song().Tracks[1].Name
	if err := st.Arm(1, true); err != nil {
		t.Fatal(err)
	}
	if err := st.Edit("Delete track", func(s *projects.Song) error {
		s.Tracks = s.Tracks[1:]
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if st.ArmedCount() != 1 || !st.Armed(0) || st.Song().Tracks[0].Name != second {
		t.Fatalf("after deleting the first track: %d armed, the first (%q) armed %v; want %q armed",
			st.ArmedCount(), st.Song().Tracks[0].Name, st.Armed(0), second)
	}
	if err := st.Edit("Delete track", func(s *projects.Song) error {
		s.Tracks = s.Tracks[1:]
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if st.ArmedCount() != 0 {
		t.Fatalf("%d tracks armed after the armed track was deleted", st.ArmedCount())
	}
	st.Undo()
	l.pump("undo", func() bool { return len(st.Song().Tracks) == n-1 })
	st.Undo()
	l.pump("undo", func() bool { return len(st.Song().Tracks) == n })
}

// TestCloseAsyncWhileRecordingKeepsTheTake: leaving a song while it
// records (Back to the library) finishes the take, saves it and unlocks
// the song, without waiting on the UI thread.
func TestCloseAsyncWhileRecordingKeepsTheTake(t *testing.T) {
	l := newLoop(t)
	dir := demo(t)
	st := open(t, l, dir)
	lanes := len(st.Song().Tracks[2].Lanes)
	if err := st.Arm(2, true); err != nil {
		t.Fatal(err)
	}
	st.SetCountIn(0)
	if err := st.Record(); err != nil {
		t.Fatal(err)
	}
	l.pump("recording", func() bool { return st.State() == engine.Recording && st.Position() > 24000 })
	done := false
	st.CloseAsync(func(err error) {
		if err != nil {
			t.Error(err)
		}
		done = true
	})
	l.pump("closed", func() bool { return done })
	s := onDisk(t, dir)
	if len(s.Tracks[2].Lanes) != lanes+1 || len(s.Takes) == 0 {
		t.Fatalf("the take was not kept: lanes %d, takes %d", len(s.Tracks[2].Lanes), len(s.Takes))
	}
	st2, err := studio.Open(dir, testAudio(t, virtual(), l.post), l.post)
	if err != nil {
		t.Fatalf("the song stayed locked: %v", err)
	}
	st2.Close()
}

// TestPauseAudioForCalibration: the settings' calibration needs the device
// to itself: PauseAudio closes the song's stream (done is called once it
// is closed) and ResumeAudio opens it again.
func TestPauseAudioForCalibration(t *testing.T) {
	l := newLoop(t)
	st := open(t, l, demo(t))
	defer st.Close()
	st.StartAudio()
	l.pump("the device", func() bool { return st.Audio().Device != "" && !st.Audio().Starting })
	st.Play()
	l.pump("playing", func() bool { return st.State() == engine.Playing })
	paused := false
	st.PauseAudio(func() { paused = true })
	l.pump("paused", func() bool { return paused })
	if st.State() != engine.Stopped {
		t.Fatal("still playing while paused")
	}
	st.Play() // waits for the device, which stays closed while paused
	if st.State() != engine.Stopped {
		t.Fatal("played while paused")
	}
	st.ResumeAudio()
	l.pump("playing again after resume", func() bool { return st.State() == engine.Playing })
}
