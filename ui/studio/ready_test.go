package studio_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"sangstudio/audio/engine"
	"sangstudio/projects"
	"sangstudio/projects/songlog"
	"sangstudio/ui/studio"
)

// emptySong saves a new song with no tracks and returns its folder.
func emptySong(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "empty")
	if err := projects.Save(dir, projects.New("Ny sang", 48000)); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestRecordInANewSongJustWorks: Record in a song without tracks makes a
// mono track on input 1, arms it (one undo step, "Add track") and records
// on it; the take lands on that track.
func TestRecordInANewSongJustWorks(t *testing.T) {
	l := newLoop(t)
	dir := emptySong(t)
	st := open(t, l, dir)
	defer st.Close()
	r, err := st.ReadyToRecord(-1, "Vokal")
	if err != nil {
		t.Fatal(err)
	}
	s := st.Song()
	if !r.Added || !r.Armed || r.Track != 0 || r.Name != "Vokal" || len(s.Tracks) != 1 {
		t.Fatalf("readied %+v, %d tracks; want the new track 0 \"Vokal\", armed", r, len(s.Tracks))
	}
	if tr := s.Tracks[0]; tr.Channels != 1 || tr.IsMIDI() || !st.Armed(0) || st.ArmedCount() != 1 {
		t.Fatalf("track %+v armed %v (%d armed); want a mono audio track, the only one armed", tr, st.Armed(0), st.ArmedCount())
	}
	if st.UndoLabel() != "Add track" {
		t.Fatalf("undo label %q, want \"Add track\"", st.UndoLabel())
	}
	st.SetCountIn(0)
	if err := st.Record(); err != nil {
		t.Fatal(err)
	}
	l.pump("recording", func() bool { return st.State() == engine.Recording })
	l.pump("0.5 s recorded", func() bool { return st.Position() > 24000 })
	st.Stop()
	l.pump("take placed", func() bool { return !st.Finishing() && len(st.Song().Tracks[0].Clips) == 1 })
	st.Wait()
	if got := onDisk(t, dir); len(got.Tracks) != 1 || len(got.Tracks[0].Clips) != 1 {
		t.Fatalf("on disk: %d tracks; want the new track with its take", len(got.Tracks))
	}
}

// TestRecordTakesTheSelectedTrack: with a track selected, Record arms that
// one; a selected MIDI track is not a microphone, so a new track is made;
// with a track armed already nothing changes.
func TestRecordTakesTheSelectedTrack(t *testing.T) {
	l := newLoop(t)
	st := open(t, l, demo(t))
	defer st.Close()
	n := len(st.Song().Tracks)
	r, err := st.ReadyToRecord(2, "Vokal")
	if err != nil {
		t.Fatal(err)
	}
	if r.Added || !r.Armed || r.Track != 2 || !st.Armed(2) || len(st.Song().Tracks) != n {
		t.Fatalf("readied %+v with track 3 selected; want track 3 armed and no track added", r)
	}
	if r, err := st.ReadyToRecord(0, "Vokal"); err != nil || r.Track != -1 || st.ArmedCount() != 1 || !st.Armed(2) {
		t.Fatalf("with a track armed: %+v, %v, %d armed; want nothing done", r, err, st.ArmedCount())
	}
	if err := st.Arm(2, false); err != nil {
		t.Fatal(err)
	}
	midi := -1
	for i, tr := range st.Song().Tracks {
		if tr.IsMIDI() {
			midi = i
		}
	}
	if midi < 0 {
		t.Fatal("the demo song has no MIDI track")
	}
	r, err = st.ReadyToRecord(midi, "Vokal")
	if err != nil {
		t.Fatal(err)
	}
	if !r.Added || r.Track != n || !st.Armed(n) || st.Armed(midi) {
		t.Fatalf("readied %+v with the MIDI track selected; want a new track %d, armed", r, n)
	}
}

// TestAddedTrackComesArmed: a track added while none is armed comes armed;
// one added while another is armed does not.
func TestAddedTrackComesArmed(t *testing.T) {
	l := newLoop(t)
	st := open(t, l, emptySong(t))
	defer st.Close()
	r, err := st.AddTrack(projects.NewTrack("Gitar", 1))
	if err != nil || !r.Armed || !st.Armed(0) {
		t.Fatalf("first track: %+v, %v; want it armed", r, err)
	}
	r, err = st.AddTrack(projects.NewTrack("Gitar", 1))
	if err != nil || r.Armed || st.Armed(1) || r.Name != "Gitar 2" {
		t.Fatalf("second track: %+v, %v; want \"Gitar 2\", not armed (the first one is)", r, err)
	}
}

// TestTheSongLogCountsTheWindowsWork: opening, a take and closing are in
// the song's log; the session clock counts today's time open.
func TestTheSongLogCountsTheWindowsWork(t *testing.T) {
	l := newLoop(t)
	dir := emptySong(t)
	st := open(t, l, dir)
	if _, err := st.ReadyToRecord(-1, "Vokal"); err != nil {
		t.Fatal(err)
	}
	st.SetCountIn(0)
	if err := st.Record(); err != nil {
		t.Fatal(err)
	}
	l.pump("0.5 s recorded", func() bool { return st.State() == engine.Recording && st.Position() > 24000 })
	st.Stop()
	l.pump("take logged", func() bool {
		es := st.SongLog()
		return !st.Finishing() && len(es) == 2 && es[1].Event == songlog.Take
	})
	es := st.SongLog()
	if es[0].Event != songlog.Opened || es[0].By != songlog.ByWindow || es[1].Track != "Vokal" || es[1].Seconds < 0.4 {
		t.Fatalf("log in the window: %+v", es)
	}
	if got := st.OpenToday(time.Now().Add(time.Minute)); got < time.Minute || got > 2*time.Minute {
		t.Fatalf("open today %v a minute after opening", got)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	disk, damaged, err := songlog.Read(dir)
	if err != nil || damaged != 0 || len(disk) != 3 || disk[0].Event != songlog.Opened || disk[1].Event != songlog.Take || disk[2].Event != songlog.Closed {
		t.Fatalf("log on disk: %+v, %d damaged, %v", disk, damaged, err)
	}
}

// TestNewSettingsClamped: unknown track heights and session lengths from a
// hand-edited settings file fall back to the defaults.
func TestNewSettingsClamped(t *testing.T) {
	p := filepath.Join(t.TempDir(), "settings.json")
	if err := os.WriteFile(p, []byte(`{"library":"/x","track_height":"huge","session_minutes":7,"resident":true}`), 0o600); err != nil {
		t.Fatal(err)
	}
	s, _, err := studio.LoadSettings(p)
	if err != nil || s.TrackHeight != studio.TrackNormal || s.Session() != 60*time.Minute || !s.Resident {
		t.Fatalf("%+v %v", s, err)
	}
}
