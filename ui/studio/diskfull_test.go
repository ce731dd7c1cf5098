package studio_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"sangstudio/audio/device"
	"sangstudio/audio/engine"
	"sangstudio/audio/session"
	"sangstudio/internal/fserr"
	"sangstudio/internal/testtool"
	"sangstudio/projects"
	"sangstudio/ui/studio"
)

// TestFullDiskSongOpens: a recording in the window fills the disk. The song
// still opens: it shows the recovered take and says that the disk is full
// and what to do. Once space is freed, the next open saves the take into
// the song.
func TestFullDiskSongOpens(t *testing.T) {
	small := testtool.SmallDisk(t, "2m")
	dir := filepath.Join(small, "song")
	s := projects.New("Full", 48000)
	if err := projects.Create(dir, s); err != nil {
		t.Fatal(err)
	}
	s.Tracks = []*projects.Track{projects.NewTrack("Mic", 1)}
	if err := projects.Save(dir, s); err != nil {
		t.Fatal(err)
	}
	// A file to delete later, to make room.
	filler := filepath.Join(small, "filler")
	if err := os.WriteFile(filler, make([]byte, 256<<10), 0o600); err != nil {
		t.Fatal(err)
	}
	l := newLoop(t)
	cfg := studio.AudioConfig{Device: device.VirtualID, VirtualInput: device.VirtualSource{Kind: "sine"}, Fast: true}
	st, err := studio.Open(dir, testAudio(t, cfg, l.post), l.post)
	if err != nil {
		t.Fatal(err)
	}
	var errs []string
	st.OnError = func(err error) { errs = append(errs, err.Error()) }
	st.SetCountIn(0)
	st.Arm(0, true)
	if err := st.Record(); err != nil {
		t.Fatal(err)
	}
	// The engine stops by itself when the take cannot be written; then
	// the last bytes go too, so that not even song.json can be saved.
	l.pump("the disk full", func() bool { return st.Position() > 48000 && st.State() == engine.Stopped })
	testtool.FillDisk(t, filepath.Join(small, "filler2"))
	l.pump("the recording ended", func() bool { st.Poll(); return len(errs) > 0 && !st.Finishing() })
	st.Close()
	t.Logf("while recording: %q", errs)

	// Open again, the disk still full: the take is there, and the notice
	// says why it is not saved and what to do.
	st, err = studio.Open(dir, testAudio(t, cfg, l.post), l.post)
	if err != nil {
		t.Fatalf("the song does not open on a full disk: %v", err)
	}
	notes := errors.Join(st.Notices...)
	t.Logf("notices on a full disk:\n%v", notes)
	var rt *session.RecoveredTake
	var ue *session.UnsavedError
	if !errors.As(notes, &rt) || !errors.As(notes, &ue) || !fserr.IsDiskFull(ue.Err) {
		t.Errorf("the notices do not say the take was recovered and the disk is full")
	}
	clips := st.Song().Tracks[0].Clips
	if len(clips) != 1 || clips[0].Length < 48000 {
		t.Fatalf("the recovered take is not shown: %+v", clips)
	}
	st.Close()
	onDiskClips := onDisk(t, dir).Tracks[0].Clips
	if len(onDiskClips) != 0 {
		t.Fatalf("song.json changed on a full disk: %+v", onDiskClips)
	}

	// Room again: the next open saves the take.
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	st, err = studio.Open(dir, testAudio(t, cfg, l.post), l.post)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("notices with room again: %q", st.Notices)
	st.Close()
	saved := onDisk(t, dir).Tracks[0].Clips
	if len(saved) != 1 || saved[0] != clips[0] {
		t.Fatalf("after freeing space, song.json holds %+v, want the recovered %+v", saved, clips[0])
	}
}
