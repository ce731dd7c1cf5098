package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sangstudio/audio/demosong"
	"sangstudio/internal/testtool"
	"sangstudio/projects"
)

// TestBeatGridInTheWindow starts the real binary in Norwegian on the demo
// song at 1366×768 under Xvfb, presses B (Lag en beat): a beat track is
// added to the song on disk and its grid shows, its lanes named in
// Norwegian (read back from a screenshot by tesseract), with no English
// text of the app's on screen.
func TestBeatGridInTheWindow(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real app")
	}
	requireXvfb(t)
	for _, p := range []string{"xdotool", "tesseract"} {
		testtool.Require(t, p)
	}
	home := t.TempDir()
	lib := filepath.Join(home, "Sangstudio")
	dir := filepath.Join(lib, "Demo")
	if _, err := demosong.Create(dir, 48000); err != nil {
		t.Fatal(err)
	}
	writeSettings(t, home, map[string]any{"library": lib, "language": "nb", "device": "virtual"})
	x := &xsession{t: t, display: xvfbScreen(t, "1366x768x24"), shots: shotDir(t)}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	app := launch(t, ctx, binary(t), home, x.display, []string{"LANG=nb_NO.UTF-8"}, "open", dir)
	defer app.cmd.Process.Kill()
	time.Sleep(1500 * time.Millisecond) // the song view drawn
	x.key("b")
	waitFor(t, "a beat track in song.json", 20*time.Second, func() (bool, bool) {
		s, _, err := projects.Load(dir)
		if err != nil {
			return false, false
		}
		for _, tr := range s.Tracks {
			if len(tr.Clips) > 0 && tr.Clips[0].Beat != nil {
				return true, true
			}
		}
		return false, false
	})
	time.Sleep(1000 * time.Millisecond) // the grid drawn
	x.shot("beat grid")
	text := strings.Join(strings.Fields(x.ocr()), " ")
	for _, want := range []string{"Basstromme", "Skarptromme", "Takter", "Swing"} {
		if !strings.Contains(text, want) {
			t.Errorf("the grid does not show %q; it shows: %s", want, text)
		}
	}
	x.key("Escape")
	x.key("ctrl+q")
	select {
	case <-app.exited:
	case <-time.After(20 * time.Second):
		t.Errorf("Ctrl+Q did not close the app\n%s", app.stderr.String())
	}
	x.checkNorwegian()
}
