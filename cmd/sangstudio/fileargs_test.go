package main

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"sangstudio/audio/demosong"
	"sangstudio/internal/testtool"
	"sangstudio/projects"
	"sangstudio/projects/library"
)

// copyFile copies src to dir/name and returns the new path.
func copyFile(t *testing.T, src, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestParseFileArgs: what the desktop entry's %F passes (files, or one
// song folder) is told apart from commands and mistyped commands, and what
// cannot be opened gets a plain reason.
func TestParseFileArgs(t *testing.T) {
	dir := t.TempDir()
	wav := copyFile(t, "../../testdata/wav/pcm16-stereo.wav", dir, "Vers 1.wav")
	mid := writeMID(t, dir)
	txt := filepath.Join(dir, "notes.txt")
	os.WriteFile(txt, []byte("la la"), 0o644)
	song := filepath.Join(dir, "Demo")
	if _, err := demosong.Create(song, 48000); err != nil {
		t.Fatal(err)
	}
	plain := filepath.Join(dir, "plain")
	os.Mkdir(plain, 0o755)

	for _, c := range []struct {
		args  []string
		ok    bool
		want  fileArgs
		error string
	}{
		{args: nil},
		{args: []string{"info", song}}, // a command
		{args: []string{"--help"}},     // help
		{args: []string{"bogus"}},      // a mistyped command
		{args: []string{wav}, ok: true, want: fileArgs{files: []string{wav}}},
		{args: []string{wav, mid}, ok: true, want: fileArgs{files: []string{wav, mid}}},
		{args: []string{wav, txt}, ok: true, want: fileArgs{files: []string{wav}}}, // what cannot be brought in is left out
		{args: []string{song}, ok: true, want: fileArgs{song: song}},
		{args: []string{txt}, ok: true, error: "Sangstudio can bring in sound files (.wav) and MIDI files (.mid)"},
		{args: []string{filepath.Join(dir, "gone.wav")}, ok: true, error: "there is no such file or folder"},
		{args: []string{"gone.wav"}, ok: true, error: "there is no such file or folder"},
		{args: []string{plain}, ok: true, error: "not a song folder"},
		{args: []string{song, wav}, ok: true, error: "one song folder at a time"},
	} {
		got, ok, err := parseFileArgs(c.args)
		if ok != c.ok {
			t.Errorf("%q: ok %v, want %v", c.args, ok, c.ok)
			continue
		}
		if c.error != "" {
			if err == nil || !strings.Contains(err.Error(), c.error) {
				t.Errorf("%q: error %v, want one saying %q", c.args, err, c.error)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: %+v, %v; want %+v", c.args, got, err, c.want)
		}
	}
}

// TestFileArgsExitStatus: a file that is not there is a mistake in the
// command line (status 2, one line); without a display, files given to
// open make no song.
func TestFileArgsExitStatus(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	code, _, errs := sang(t, filepath.Join(home, "missing.wav"))
	if code != 2 || !strings.HasPrefix(errs, "sangstudio: cannot open ") || strings.Count(errs, "\n") != 1 {
		t.Errorf("missing file: exit %d, %q", code, errs)
	}
	wav := copyFile(t, "../../testdata/wav/pcm16-stereo.wav", home, "Take.wav")
	code, _, errs = sang(t, wav)
	if code != 1 || !strings.Contains(errs, "cannot open the window") {
		t.Errorf("no display: exit %d, %q", code, errs)
	}
	if _, err := os.Stat(filepath.Join(home, "Sangstudio")); !os.IsNotExist(err) {
		t.Errorf("a song library was made without a window: %v", err)
	}
}

// TestNewSongFromFiles: the files become the tracks of a new song in the
// library, titled and named after the first file; a second time gets a
// folder of its own; a file that cannot be read leaves nothing behind.
func TestNewSongFromFiles(t *testing.T) {
	src := t.TempDir()
	wav := copyFile(t, "../../testdata/wav/pcm16-stereo.wav", src, "Vers 1.wav")
	mid := writeMID(t, src)
	root := filepath.Join(t.TempDir(), "Sangstudio")
	dir, err := newSongFromFiles(context.Background(), root, []string{wav, mid})
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(dir) != root {
		t.Errorf("the song is in %s, not in the library %s", dir, root)
	}
	song, _, err := projects.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if song.Title != "Vers 1" || filepath.Base(dir) != library.FolderBase("Vers 1", "") {
		t.Errorf("title %q in folder %q, want both after the first file", song.Title, filepath.Base(dir))
	}
	if len(song.Tracks) != 3 { // the WAV file, and the MIDI file's two channels
		t.Errorf("%d tracks, want 3", len(song.Tracks))
	}
	again, err := newSongFromFiles(context.Background(), root, []string{wav})
	if err != nil || again == dir || !projects.Exists(again) {
		t.Errorf("second song: %s, %v", again, err)
	}
	bad := copyFile(t, "../../testdata/wav/bad-garbage.wav", src, "Broken.wav")
	if _, err := newSongFromFiles(context.Background(), root, []string{bad}); err == nil || !strings.Contains(err.Error(), "Broken.wav") {
		t.Errorf("a broken file: %v, want an error naming it", err)
	}
	entries, _ := os.ReadDir(root)
	if len(entries) != 2 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("the library holds %q, want the two songs only", names)
	}
}

// TestOpenFilesUnderXvfb: the real binary given a WAV and a MIDI file, as
// the menu entry's %F gives them, makes the new song in ~/Sangstudio on a
// first start and shows it.
func TestOpenFilesUnderXvfb(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real app")
	}
	display := xvfb(t)
	bin := binary(t)
	home := t.TempDir()
	src := t.TempDir()
	wav := copyFile(t, "../../testdata/wav/pcm16-stereo.wav", src, "Vers 1.wav")
	mid := writeMID(t, src)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	app := launch(t, ctx, bin, home, display, []string{"LANGUAGE=en", "LANG=en_US.UTF-8"}, wav, mid)
	defer func() { app.cmd.Process.Kill(); <-app.exited }()
	dir := filepath.Join(home, "Sangstudio", library.FolderBase("Vers 1", ""))
	song, _, err := projects.Load(dir)
	if err != nil {
		t.Fatalf("no new song in the library: %v\n%s", err, app.stderr.String())
	}
	if song.Title != "Vers 1" || len(song.Tracks) != 3 {
		t.Errorf("the new song: %q with %d tracks, want \"Vers 1\" with 3", song.Title, len(song.Tracks))
	}
	time.Sleep(1500 * time.Millisecond) // first frames
	shot := screenshot(t, display)
	if drawn, colours := busy(shot); drawn < 0.05 || colours < 20 {
		saveShot(t, shot)
		t.Errorf("the window looks blank: %.1f%% drawn, %d colours", drawn*100, colours)
	}
}

// TestOpenDamagedFileUnderXvfb: a damaged WAV given to open (a double-click
// in the file manager) makes no song, but the window opens on the library
// and says why, in Norwegian (read back by tesseract); quitting ends the
// program normally.
func TestOpenDamagedFileUnderXvfb(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real app")
	}
	requireXvfb(t)
	testtool.Require(t, "tesseract")
	home := t.TempDir()
	writeSettings(t, home, map[string]any{"library": filepath.Join(home, "Sangstudio"), "language": "nb", "device": "virtual"})
	bad := filepath.Join(t.TempDir(), "Skadet.wav")
	if err := os.WriteFile(bad, []byte("RIFF\x10\x00\x00\x00WAVEjunkjunkjunk"), 0o600); err != nil {
		t.Fatal(err)
	}
	x := &xsession{t: t, display: xvfbScreen(t, "1366x768x24"), shots: shotDir(t)}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	app := launch(t, ctx, binary(t), home, x.display, []string{"LANG=nb_NO.UTF-8"}, bad)
	defer app.cmd.Process.Kill()
	time.Sleep(1500 * time.Millisecond)
	x.shot("damaged file")
	text := strings.Join(strings.Fields(x.ocr()), " ")
	if !strings.Contains(text, "Ingen sang ble laget") || !strings.Contains(text, "Skadet.wav") {
		t.Errorf("the window does not say that no song was made from Skadet.wav; it shows: %s", text)
	}
	if entries, _ := os.ReadDir(filepath.Join(home, "Sangstudio")); len(entries) > 0 {
		for _, e := range entries {
			if projects.Exists(filepath.Join(home, "Sangstudio", e.Name())) {
				t.Errorf("a song was made: %s", e.Name())
			}
		}
	}
	x.key("Return") // the message's OK
	x.key("ctrl+q")
	select {
	case err := <-app.exited:
		if err != nil {
			t.Errorf("quit: %v\n%s", err, app.stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Errorf("Ctrl+Q did not close the app\n%s", app.stderr.String())
	}
	if !strings.Contains(app.stderr.String(), "No song was made") {
		t.Errorf("the terminal was not told: %s", app.stderr.String())
	}
}
