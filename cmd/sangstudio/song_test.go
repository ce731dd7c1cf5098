package main

import (
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"sangstudio/audio/session"
	"sangstudio/audio/wav"
	"sangstudio/internal/testtool"
	"sangstudio/internal/wavtest"
	"sangstudio/projects"
)

var clipLine = regexp.MustCompile(`\(frames: position \d+, offset \d+, length \d+\)`)

// rms is the level of a mix, to see that it holds audio.
func rms(audio [][]float32) float64 {
	var sum float64
	var n int
	for _, ch := range audio {
		for _, v := range ch {
			sum += float64(v) * float64(v)
		}
		n += len(ch)
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// TestRecordingFillsTheDisk records on a small disk until it is full. The
// takes are kept but song.json cannot be saved. Then: info shows the
// recovered takes and says the disk is full and what to do; render to
// another disk mixes them; neither changes anything in the song folder;
// a command that changes the song refuses in plain words; the window's
// RecoverAndSave has them in memory. Once space is freed, the next
// command that changes the song saves them, removes the journal, and the
// song sounds as it did.
func TestRecordingFillsTheDisk(t *testing.T) {
	dir, filler := recordOntoFullDisk(t)
	before := testtool.Listing(t, dir)
	const full = "The disk is full: the 2 recovered takes are shown but not saved yet. Free some space (delete or move files) and open the song again."
	elsewhere := t.TempDir()
	shown, audioBefore := checkReadsOnFullDisk(t, dir, filepath.Join(elsewhere, "before.wav"), full)
	if after := testtool.Listing(t, dir); after != before {
		t.Fatalf("info and render changed the song folder:\n%s\nwas\n%s", after, before)
	}
	checkChangesOnFullDisk(t, dir, full)

	// Free some space: the next change saves the takes.
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	_, errs := mustSangBoth(t, "add-track", dir, "Extra")
	if strings.Count(errs, "recovered take from") != 2 || strings.Contains(errs, "not saved") {
		t.Errorf("add-track after freeing space says:\n%s", errs)
	}
	if _, err := os.Stat(filepath.Join(dir, ".recording.json")); err == nil {
		t.Error("the journal is left after the takes were saved")
	}
	saved, _, err := projects.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(saved.Tracks) != 3 || len(saved.Takes) != 2 || !saved.Takes[0].Recovered {
		t.Fatalf("saved song: %d tracks, takes %+v", len(saved.Tracks), saved.Takes)
	}
	checkSameAfterSaving(t, dir, filepath.Join(elsewhere, "after.wav"), shown, audioBefore)
}

// recordOntoFullDisk records two inputs for 30 s into a new song on a
// small disk that fills up; the save fails and leaves the journal. It
// returns the song folder and a file whose removal frees space.
func recordOntoFullDisk(t *testing.T) (dir, filler string) {
	disk := testtool.SmallDisk(t, "1600k")
	dir = filepath.Join(disk, "song")
	mustSang(t, "new", dir)
	filler = filepath.Join(disk, "filler")
	if err := os.WriteFile(filler, make([]byte, 256<<10), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := sang(t, "record", dir, "--device", "virtual", "--virtual-input", "sine", "--seconds", "30", "--inputs", "1,2")
	t.Logf("record: exit %d\n%s%s", code, out, errs)
	if code != 1 || !strings.Contains(errs, "disk is full") {
		t.Fatalf("record on a small disk: exit %d, %q; want a disk-full error", code, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, ".recording.json")); err != nil {
		t.Fatalf("no journal after the failed save: %v", err)
	}
	return dir, filler
}

// checkReadsOnFullDisk: info lists the two recovered takes and says the
// disk is full (full); render to mix (on another disk) mixes them. It
// returns info's clip lines and the mix.
func checkReadsOnFullDisk(t *testing.T, dir, mix, full string) ([]string, [][]float32) {
	out, errs := mustSangBoth(t, "info", dir)
	if strings.Count(errs, "recovered take from") != 2 || !strings.Contains(errs, full) {
		t.Errorf("info on the full disk says:\n%s", errs)
	}
	shown := clipLine.FindAllString(out, -1)
	if len(shown) != 2 || !strings.Contains(out, "Input 1") || !strings.Contains(out, "Input 2") {
		t.Fatalf("info does not list the two recovered takes:\n%s", out)
	}
	t.Logf("info:\n%s%s", out, errs)
	_, errs = mustSangBoth(t, "render", dir, "--mix", mix, "--bits", "32f")
	if !strings.Contains(errs, full) {
		t.Errorf("render on the full disk says:\n%s", errs)
	}
	_, audio := wavtest.Read(t, mix)
	if len(audio[0]) < 48000 || rms(audio) < 1e-4 {
		t.Fatalf("the mix of the recovered takes: %d frames, mean square %g", len(audio[0]), rms(audio))
	}
	return shown, audio
}

// checkChangesOnFullDisk: a change cannot be saved, a clear refusal and
// nothing changed; the window's path (RecoverAndSave) has the takes in
// memory and says the disk is full.
func checkChangesOnFullDisk(t *testing.T, dir, full string) {
	code, _, errs := sang(t, "add-track", dir, "Extra")
	if code != 1 || !strings.Contains(errs, "the disk is full, so the song cannot be changed now (the 2 recovered takes are not saved into it yet either). Free some space (delete or move files) and try again. Nothing was changed.") {
		t.Errorf("add-track on the full disk: exit %d, %q", code, errs)
	}
	s, _, err := projects.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := session.RecoverAndSave(dir, s)
	if err != nil || len(rec.Notes) != 2 || rec.Unsaved == nil || rec.Unsaved.Error() != full {
		t.Fatalf("RecoverAndSave on the full disk: %q, %v, %v", rec.Notes, rec.Unsaved, err)
	}
	if len(s.Tracks) != 2 || len(s.Tracks[0].Clips) != 1 || len(s.Tracks[1].Clips) != 1 {
		t.Fatalf("RecoverAndSave: tracks %+v", s.Tracks)
	}
}

// checkSameAfterSaving: once saved, info shows the clips it showed on the
// full disk (shown), and the song mixes (to mix) to the same samples
// (audioBefore).
func checkSameAfterSaving(t *testing.T, dir, mix string, shown []string, audioBefore [][]float32) {
	out, errs := mustSangBoth(t, "info", dir)
	if errs != "" {
		t.Errorf("info after saving says %q", errs)
	}
	if got := clipLine.FindAllString(out, -1); strings.Join(got, "\n") != strings.Join(shown, "\n") {
		t.Errorf("info after saving shows\n%s\nwhere it showed\n%s", strings.Join(got, "\n"), strings.Join(shown, "\n"))
	}
	mustSang(t, "render", dir, "--mix", mix, "--bits", "32f")
	_, audioAfter := wavtest.Read(t, mix)
	if len(audioAfter[0]) != len(audioBefore[0]) {
		t.Fatalf("the saved song mixes to %d frames, on the full disk %d", len(audioAfter[0]), len(audioBefore[0]))
	}
	for c := range audioBefore {
		for i := range audioBefore[c] {
			if audioAfter[c][i] != audioBefore[c][i] {
				t.Fatalf("channel %d frame %d: %v after saving, %v on the full disk", c, i, audioAfter[c][i], audioBefore[c][i])
			}
		}
	}
	t.Logf("the recovered takes: %s; mix %d frames, equal before and after saving", strings.Join(shown, ", "), len(audioBefore[0]))
}

// mustSangBoth is mustSang returning stderr too.
func mustSangBoth(t *testing.T, args ...string) (string, string) {
	t.Helper()
	code, out, errs := sang(t, args...)
	if code != 0 {
		t.Fatalf("sangstudio %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errs)
	}
	return out, errs
}

// TestReadOnlySongFolder: in a song folder the user may not write to, with
// takes a crash left unfinished (stale header sizes), info and render to
// another folder work and show every frame written; a change is refused
// in plain words; nothing in the folder changes. The commands run as an
// unprivileged user (nobody, when the test runs as root).
func TestReadOnlySongFolder(t *testing.T) {
	asUser := unprivileged(t)
	// Folders the unprivileged user can reach.
	base, err := os.MkdirTemp("", "sang-readonly-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	bin := filepath.Join(base, "sangstudio")
	copyExecutable(t, binary(t), bin)
	dir := filepath.Join(base, "song")
	outDir := filepath.Join(base, "out")
	mustSang(t, "new", dir)
	sig := crashedTake(t, dir)
	for _, d := range []string{base, outDir} {
		os.MkdirAll(d, 0o700)
		os.Chmod(d, 0o755)
	}
	if os.Geteuid() == 0 {
		for _, p := range []string{dir, outDir} {
			if out, err := exec.Command("chown", "-R", "65534:65534", p).CombinedOutput(); err != nil {
				t.Fatalf("chown: %v %s", err, out)
			}
		}
	}
	// Read-only: the folders 0500, the files 0400.
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			os.Chmod(p, 0o400)
		}
		return nil
	})
	os.Chmod(filepath.Join(dir, projects.AudioDir), 0o500)
	os.Chmod(filepath.Join(dir, projects.ExportsDir), 0o500)
	os.Chmod(dir, 0o500)
	t.Cleanup(func() { os.Chmod(dir, 0o700) })
	before := testtool.Listing(t, dir)

	run := func(args ...string) (int, string, string) { return runAs(t, asUser, bin, outDir, args...) }
	const readOnly = "The song folder may not be written to (permission denied): the recovered take is shown but not saved yet. Make the song folder writable for you (or copy it to a place you can write to) and open the song again."
	code, out, errs := run("info", dir)
	if code != 0 || !strings.Contains(errs, "recovered take from") || !strings.Contains(errs, readOnly) || !strings.Contains(out, "length 72000") {
		t.Fatalf("info in a read-only folder: exit %d\n%s%s", code, out, errs)
	}
	t.Logf("info:\n%s%s", out, errs)
	mix := filepath.Join(outDir, "mix.wav")
	if code, out, errs := run("render", dir, "--mix", mix, "--bits", "32f"); code != 0 {
		t.Fatalf("render from a read-only folder: exit %d\n%s%s", code, out, errs)
	}
	checkMixHoldsTake(t, mix, sig)
	code, _, errs = run("set", dir, "1", "--gain", "-3")
	if code != 1 || !strings.Contains(errs, "the song folder may not be written to (permission denied), so the song cannot be changed now") {
		t.Errorf("set in a read-only folder: exit %d, %q", code, errs)
	}
	if after := testtool.Listing(t, dir); after != before {
		t.Fatalf("the song folder changed:\n%s\nwas\n%s", after, before)
	}
}

// unprivileged returns the command words that run a program as an
// unprivileged user (nobody) when the test runs as root, or none; as root
// without setpriv or runuser it skips the test (root may write to a
// read-only folder).
func unprivileged(t *testing.T) []string {
	if os.Geteuid() != 0 {
		return nil
	}
	if p, err := exec.LookPath("setpriv"); err == nil {
		return []string{p, "--reuid=65534", "--regid=65534", "--clear-groups", "--"}
	} else if p, err := exec.LookPath("runuser"); err == nil {
		return []string{p, "-u", "nobody", "--"}
	}
	t.Skip("running as root, and neither setpriv nor runuser is there to run the commands as an unprivileged user (root may write to a read-only folder)")
	return nil
}

// crashedTake adds to the song in dir a take as a killed recording leaves
// it, with its journal: the header knows 1 s, 1.5 s were written. It
// returns the 1.5 s written.
func crashedTake(t *testing.T, dir string) []float32 {
	s, _, err := projects.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	f, name, err := projects.NewTakeFile(dir, s, "Vokal", ".wav")
	if err != nil {
		t.Fatal(err)
	}
	w, err := wav.NewWriter(f, wav.Format{Rate: s.Rate, Channels: 1, Encoding: wav.Float32}, wav.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sig := make([]float32, 72000)
	for i := range sig {
		sig[i] = float32(i%480)/960 - 0.25
	}
	w.Write([][]float32{sig[:48000]})
	w.Sync()
	w.Write([][]float32{sig[48000:]})
	f.Close()
	journal := `{"takes":[{"file":"` + name + `","track":"Vokal","channels":1,"start":0,"latency":0,"started":"2026-11-25T14:32:00+01:00"}]}`
	if err := os.WriteFile(filepath.Join(dir, ".recording.json"), []byte(journal), 0o600); err != nil {
		t.Fatal(err)
	}
	return sig
}

// runAs runs the program bin with args (through asUser's words), its home
// and config and cache folders outDir, and returns its exit code, output
// and errors.
func runAs(t *testing.T, asUser []string, bin, outDir string, args ...string) (int, string, string) {
	argv := append(append(append([]string(nil), asUser...), bin), args...)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), "HOME="+outDir, "XDG_CONFIG_HOME="+outDir, "XDG_CACHE_HOME="+outDir)
	var o, e strings.Builder
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, o.String(), e.String()
}

// checkMixHoldsTake: every frame of the take sig, also those after the
// last checkpoint, is in the mix at the same gain (the pan law's, on both
// sides).
func checkMixHoldsTake(t *testing.T, mix string, sig []float32) {
	_, audio := wavtest.Read(t, mix)
	if len(audio[0]) != len(sig) {
		t.Fatalf("the mix has %d frames, the take %d", len(audio[0]), len(sig))
	}
	g := float64(audio[0][1]) / float64(sig[1])
	for c := range audio {
		for i, v := range sig {
			if d := float64(audio[c][i]) - g*float64(v); d > 1e-6 || d < -1e-6 || g < 0.5 {
				t.Fatalf("frame %d of channel %d of the mix: %v, the take %v (gain %v)", i, c, audio[c][i], v, g)
			}
		}
	}
}

// copyExecutable copies the program at src to dst, executable by everyone.
func copyExecutable(t *testing.T, src, dst string) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	os.Chmod(dst, 0o755)
}
