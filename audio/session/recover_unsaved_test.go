package session_test

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"sangstudio/audio/session"
	"sangstudio/audio/source"
	"sangstudio/audio/wav"
	"sangstudio/internal/fserr"
	"sangstudio/internal/testtool"
	"sangstudio/projects"
)

// recSignal is a deterministic test signal, different for each seed.
func recSignal(n int, seed int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(0.4 * math.Sin(float64(i)*(0.01+0.003*float64(seed))))
	}
	return s
}

// unfinishedTake writes a take to the song the way the butler does, then
// abandons it as a crash would: the header knows the first synced frames
// only, the rest (and half a frame) was written after the last checkpoint.
// It notes the take in the journal (with the track's ID) and returns the
// file name and every whole frame written.
func unfinishedTake(t *testing.T, dir string, s *projects.Song, track int, synced, after int, seed int) (string, []float32) {
	t.Helper()
	tr := s.Tracks[track]
	f, name, err := projects.NewTakeFile(dir, s, tr.Name, ".wav")
	if err != nil {
		t.Fatal(err)
	}
	w, err := wav.NewWriter(f, wav.Format{Rate: s.Rate, Channels: 1, Encoding: wav.Float32}, wav.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sig := recSignal(synced+after, seed)
	w.Write([][]float32{sig[:synced]})
	if err := w.Sync(); err != nil {
		t.Fatal(err)
	}
	w.Write([][]float32{sig[synced:]})
	if _, err := f.WriteAt([]byte{1, 2}, 58+int64(4*len(sig))); err != nil { // half a frame
		t.Fatal(err)
	}
	// The process "dies": the Writer is never closed.
	f.Close()
	addJournal(t, dir, fmt.Sprintf(`{"file":%q,"track":%q,"track_id":%q,"channels":1,"start":48000,"latency":256,"started":"2026-11-25T14:32:00+01:00"}`, name, tr.Name, tr.ID))
	return name, sig
}

// addJournal adds a take (as JSON) to the song's recording journal.
func addJournal(t *testing.T, dir, take string) {
	t.Helper()
	p := filepath.Join(dir, ".recording.json")
	j := `{"takes":[` + take + `]}`
	if b, err := os.ReadFile(p); err == nil {
		j = strings.TrimSuffix(strings.TrimSpace(string(b)), "]}") + "," + take + "]}"
	}
	if err := os.WriteFile(p, []byte(j), 0o600); err != nil {
		t.Fatal(err)
	}
}

// trackAudio reads track i of the song through audio/source (as playback
// and renders do) from its first clip's position to its end.
func trackAudio(t *testing.T, dir string, s *projects.Song, i int) []float32 {
	t.Helper()
	tr, err := source.OpenSong(dir, s, i, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	c := s.Tracks[i].Clips[len(s.Tracks[i].Clips)-1]
	out := make([]float32, c.Length)
	if err := tr.ReadAt(c.Position, [][]float32{out}); err != nil {
		t.Fatal(err)
	}
	return out
}

func load(t *testing.T, dir string) *projects.Song {
	t.Helper()
	s, _, err := projects.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestRecoverInMemoryStaleHeader: a take whose header sizes are older than
// its audio is recovered in memory with every whole frame written (as
// wav.Repair would make it), read to its end through audio/source, and
// nothing in the song folder changes; RecoverAndSave then saves the same
// clip and the same audio.
func TestRecoverInMemoryStaleHeader(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "song")
	s := projects.New("x", 48000)
	s.Tracks = []*projects.Track{projects.NewTrack("Vokal", 1)}
	if err := projects.Create(dir, s); err != nil {
		t.Fatal(err)
	}
	name, sig := unfinishedTake(t, dir, s, 0, 96000, 24000, 1)
	before := testtool.Listing(t, dir)

	s1 := load(t, dir)
	rec, err := session.RecoverInMemory(dir, s1)
	if err != nil {
		t.Fatal(err)
	}
	var rt *session.RecoveredTake
	if len(rec.Notes) != 1 || !errors.As(rec.Notes[0], &rt) || rt.File != name || rt.Track != "Vokal" || rt.Seconds != 2.5 || rt.Started.IsZero() {
		t.Fatalf("notes %q, want the take recovered on Vokal (2.5 s)", rec.Notes)
	}
	if got := rt.Error(); !strings.HasPrefix(got, `recovered take from `) || !strings.HasSuffix(got, ` on track "Vokal" (2.5 s)`) {
		t.Errorf("the command line says %q", got)
	}
	var ue *session.UnsavedError
	if !errors.As(rec.Unsaved, &ue) || ue.Takes != 1 || ue.Err != nil {
		t.Fatalf("Unsaved = %v, want 1 take that could be saved", rec.Unsaved)
	}
	t.Logf("in memory: %q", rec.Messages())
	tr := s1.Tracks[0]
	if len(tr.Clips) != 1 || tr.Clips[0].Take != name || tr.Clips[0].Position != 48000-256 || tr.Clips[0].Length != int64(len(sig)) {
		t.Fatalf("clips %+v, want %s at %d with all %d frames", tr.Clips, name, 48000-256, len(sig))
	}
	if s1.Take(name) == nil || !s1.Take(name).Recovered || s1.Take(name).Frames != int64(len(sig)) {
		t.Fatalf("take info %+v", s1.Take(name))
	}
	got := trackAudio(t, dir, s1, 0)
	for i := range sig {
		if got[i] != sig[i] {
			t.Fatalf("frame %d: %v, written %v", i, got[i], sig[i])
		}
	}
	if after := testtool.Listing(t, dir); after != before {
		t.Fatalf("the song folder changed:\n%s\nwas\n%s", after, before)
	}
	// Opening again in memory gives the same.
	if rec, err := session.RecoverInMemory(dir, load(t, dir)); err != nil || len(rec.Notes) != 1 {
		t.Fatalf("second in-memory recovery: %q, %v", rec.Notes, err)
	}

	s2 := load(t, dir)
	rec, err = session.RecoverAndSave(dir, s2)
	if err != nil || rec.Unsaved != nil || len(rec.Notes) != 1 {
		t.Fatalf("RecoverAndSave: %q, unsaved %v, %v", rec.Notes, rec.Unsaved, err)
	}
	if _, err := os.Stat(filepath.Join(dir, ".recording.json")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("journal after saving: %v", err)
	}
	s3 := load(t, dir)
	if fmt.Sprint(s3.Tracks[0].Clips) != fmt.Sprint(tr.Clips) {
		t.Fatalf("saved clips %+v, in memory %+v", s3.Tracks[0].Clips, tr.Clips)
	}
	if n, err := wav.Repair(projects.AudioPath(dir, name)); err != nil || n != int64(len(sig)) {
		t.Fatalf("the take is not repaired: %d, %v", n, err)
	}
	saved := trackAudio(t, dir, s3, 0)
	for i := range got {
		if saved[i] != got[i] {
			t.Fatalf("frame %d: saved %v, in memory %v", i, saved[i], got[i])
		}
	}
	if rec, err := session.RecoverInMemory(dir, s3); err != nil || len(rec.Notes) != 0 || rec.Unsaved != nil {
		t.Fatalf("after saving: %q, %v, %v", rec.Notes, rec.Unsaved, err)
	}
}

// TestRecoverByTrackID: a take goes back on the track with the journal's
// track ID even if the track was renamed, else on the track with its name,
// else on a new track.
func TestRecoverByTrackID(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "song")
	s := projects.New("x", 48000)
	s.Tracks = []*projects.Track{projects.NewTrack("Vokal", 1), projects.NewTrack("Gitar", 1)}
	if err := projects.Create(dir, s); err != nil {
		t.Fatal(err)
	}
	a, _ := unfinishedTake(t, dir, s, 0, 4800, 0, 1) // Vokal, by ID
	b, _ := unfinishedTake(t, dir, s, 1, 4800, 0, 2) // Gitar, by ID
	// A take of an older journal without an ID: by name.
	f, c, err := projects.NewTakeFile(dir, s, "Gitar", ".wav")
	if err != nil {
		t.Fatal(err)
	}
	w, _ := wav.NewWriter(f, wav.Format{Rate: 48000, Channels: 1, Encoding: wav.Float32}, wav.WriterOptions{})
	w.Write([][]float32{recSignal(4800, 3)})
	w.Close()
	addJournal(t, dir, fmt.Sprintf(`{"file":%q,"track":"Gitar","channels":1,"start":0,"latency":0,"started":"2026-11-25T14:33:00+01:00"}`, c))
	// A take whose ID and name match no track: a new track.
	f, d, err := projects.NewTakeFile(dir, s, "Bass", ".wav")
	if err != nil {
		t.Fatal(err)
	}
	w, _ = wav.NewWriter(f, wav.Format{Rate: 48000, Channels: 1, Encoding: wav.Float32}, wav.WriterOptions{})
	w.Write([][]float32{recSignal(4800, 4)})
	w.Close()
	addJournal(t, dir, fmt.Sprintf(`{"file":%q,"track":"Bass","track_id":"gone","channels":1,"start":0,"latency":0,"started":"2026-11-25T14:34:00+01:00"}`, d))

	// The tracks were renamed (and the first one now has the other's old
	// name) before the song is opened again.
	s1 := load(t, dir)
	s1.Tracks[0].Name, s1.Tracks[1].Name = "Gitar", "Sang"
	rec, err := session.RecoverInMemory(dir, s1)
	if err != nil || len(rec.Notes) != 4 {
		t.Fatalf("%q, %v", rec.Notes, err)
	}
	where := map[string]string{}
	for _, tr := range s1.Tracks {
		clips := tr.Clips
		for _, l := range tr.Lanes { // earlier passes
			clips = append(clips, l.Clips...)
		}
		for _, c := range clips {
			where[c.Take] = tr.Name
		}
	}
	want := map[string]string{a: "Gitar", b: "Sang", c: "Gitar", d: "Bass"}
	if fmt.Sprint(where) != fmt.Sprint(want) || len(s1.Tracks) != 3 {
		t.Fatalf("takes went to %v (%d tracks), want %v", where, len(s1.Tracks), want)
	}
}

// TestRecoverOnAFullDisk: on a full disk the takes are recovered in memory
// (RecoverInMemory and RecoverAndSave alike), Unsaved says the disk is
// full and what to do, song.json and the journal stay; once space is free,
// RecoverAndSave saves them.
func TestRecoverOnAFullDisk(t *testing.T) {
	disk := testtool.SmallDisk(t, "2m")
	dir := filepath.Join(disk, "song")
	s := projects.New("x", 48000)
	s.Tracks = []*projects.Track{projects.NewTrack("Vokal", 1), projects.NewTrack("Gitar", 1)}
	if err := projects.Create(dir, s); err != nil {
		t.Fatal(err)
	}
	a, sa := unfinishedTake(t, dir, s, 0, 48000, 12000, 1)
	_, sb := unfinishedTake(t, dir, s, 1, 24000, 0, 2)
	filler := filepath.Join(disk, "filler")
	testtool.FillDisk(t, filler)
	before := testtool.Listing(t, dir)
	const full = "The disk is full: the 2 recovered takes are shown but not saved yet. Free some space (delete or move files) and open the song again."

	s1 := load(t, dir)
	rec, err := session.RecoverInMemory(dir, s1)
	if err != nil || len(rec.Notes) != 2 {
		t.Fatalf("in memory: %q, %v", rec.Notes, err)
	}
	if rec.Unsaved == nil || rec.Unsaved.Error() != full || !fserr.IsDiskFull(rec.Unsaved) {
		t.Fatalf("in memory: Unsaved = %v, want %q", rec.Unsaved, full)
	}
	if after := testtool.Listing(t, dir); after != before {
		t.Fatalf("RecoverInMemory changed the song folder:\n%s\nwas\n%s", after, before)
	}

	// The window's path: the same takes, in memory, not saved.
	s2 := load(t, dir)
	rec, err = session.RecoverAndSave(dir, s2)
	if err != nil || len(rec.Notes) != 2 {
		t.Fatalf("RecoverAndSave: %q, %v", rec.Notes, err)
	}
	if rec.Unsaved == nil || rec.Unsaved.Error() != full {
		t.Fatalf("RecoverAndSave: Unsaved = %v, want %q", rec.Unsaved, full)
	}
	t.Logf("on a full disk: %q", rec.Messages())
	if fmt.Sprint(s2.Tracks[0].Clips, s2.Tracks[1].Clips) != fmt.Sprint(s1.Tracks[0].Clips, s1.Tracks[1].Clips) {
		t.Fatalf("RecoverAndSave placed %v %v, in memory %v %v", s2.Tracks[0].Clips, s2.Tracks[1].Clips, s1.Tracks[0].Clips, s1.Tracks[1].Clips)
	}
	if got := trackAudio(t, dir, s2, 0); fmt.Sprint(got) != fmt.Sprint(sa) {
		t.Fatalf("take %s does not read as written (%d frames, %d written)", a, len(got), len(sa))
	}
	if len(load(t, dir).Tracks[0].Clips) != 0 {
		t.Fatal("song.json changed on a full disk")
	}
	if _, err := os.Stat(filepath.Join(dir, ".recording.json")); err != nil {
		t.Fatalf("the journal: %v", err)
	}
	if _, err := session.Recover(dir, load(t, dir)); err == nil || err.Error() != full {
		t.Fatalf("Recover (for a change) = %v, want %q", err, full)
	}

	// Free some space: the next open saves the takes.
	os.Remove(filler)
	s3 := load(t, dir)
	rec, err = session.RecoverAndSave(dir, s3)
	if err != nil || rec.Unsaved != nil || len(rec.Notes) != 2 {
		t.Fatalf("after freeing space: %q, %v, %v", rec.Notes, rec.Unsaved, err)
	}
	if _, err := os.Stat(filepath.Join(dir, ".recording.json")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("journal after saving: %v", err)
	}
	s4 := load(t, dir)
	if fmt.Sprint(s4.Tracks[0].Clips, s4.Tracks[1].Clips) != fmt.Sprint(s1.Tracks[0].Clips, s1.Tracks[1].Clips) {
		t.Fatalf("saved %v %v, in memory %v %v", s4.Tracks[0].Clips, s4.Tracks[1].Clips, s1.Tracks[0].Clips, s1.Tracks[1].Clips)
	}
	for i, want := range [][]float32{sa, sb} {
		if got := trackAudio(t, dir, s4, i); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("saved take %d does not read as written", i)
		}
	}
}

// TestRecoverOnAReadOnlyDisk: on a disk mounted read-only, the takes are
// recovered in memory and Unsaved says the disk is read-only; nothing is
// written.
func TestRecoverOnAReadOnlyDisk(t *testing.T) {
	disk := testtool.SmallDisk(t, "2m")
	dir := filepath.Join(disk, "song")
	s := projects.New("x", 48000)
	s.Tracks = []*projects.Track{projects.NewTrack("Vokal", 1)}
	if err := projects.Create(dir, s); err != nil {
		t.Fatal(err)
	}
	_, sig := unfinishedTake(t, dir, s, 0, 48000, 4800, 1)
	before := testtool.Listing(t, dir)
	if out, err := exec.Command("mount", "-o", "remount,ro", disk).CombinedOutput(); err != nil {
		t.Skipf("cannot remount the small disk read-only: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("mount", "-o", "remount,rw", disk).Run() })
	for _, f := range []func(string, *projects.Song) (session.Recovery, error){session.RecoverInMemory, session.RecoverAndSave} {
		s1 := load(t, dir)
		rec, err := f(dir, s1)
		if err != nil || len(rec.Notes) != 1 {
			t.Fatalf("%q, %v", rec.Notes, err)
		}
		if rec.Unsaved == nil || !errors.Is(rec.Unsaved, syscall.EROFS) || !strings.HasPrefix(rec.Unsaved.Error(), "The disk is read-only: the recovered take is shown but not saved yet.") {
			t.Fatalf("Unsaved = %v", rec.Unsaved)
		}
		if got := trackAudio(t, dir, s1, 0); fmt.Sprint(got) != fmt.Sprint(sig) {
			t.Fatal("the take does not read as written")
		}
	}
	if after := testtool.Listing(t, dir); after != before {
		t.Fatalf("the song folder changed:\n%s\nwas\n%s", after, before)
	}
}
