package main

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sangstudio/audio/demosong"
	"sangstudio/internal/testtool"
)

// xvfb starts a virtual X server for one test and returns its $DISPLAY.
func xvfb(t *testing.T) string {
	t.Helper()
	return xvfbScreen(t, "1280x900x24")
}

// xvfbScreen starts a virtual X server with a screen of that size
// ("WxHxDepth") and returns its display.
func xvfbScreen(t *testing.T, screen string) string {
	t.Helper()
	bin := testtool.Require(t, "Xvfb")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-displayfd", "3", "-screen", "0", screen, "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	buf := make([]byte, 16)
	done := make(chan int, 1)
	go func() { n, _ := r.Read(buf); done <- n }()
	select {
	case n := <-done:
		if n == 0 {
			t.Fatal("Xvfb did not start")
		}
		num := strings.TrimSpace(string(buf[:n]))
		// Wait for its socket: once (under make test's parallel load) the
		// app was started before /tmp/.X11-unix/X<n> could be connected to.
		sock := "/tmp/.X11-unix/X" + num
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			if c, err := net.Dial("unix", sock); err == nil {
				c.Close()
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("Xvfb took display :%s but %s does not answer", num, sock)
			}
		}
		return ":" + num
	case <-time.After(20 * time.Second):
		t.Fatal("Xvfb did not say which display it took")
	}
	return ""
}

// screenshot grabs the whole X screen as an image.
func screenshot(t *testing.T, display string) image.Image {
	t.Helper()
	bin := testtool.Require(t, "import")
	cmd := exec.Command(bin, "-window", "root", "png:-")
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	return img
}

// busy measures how much of a screenshot is drawn: the share of pixels
// that differ from the most common colour, and the number of colours.
func busy(img image.Image) (drawn float64, colours int) {
	counts := map[uint32]int{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			counts[(r>>8)<<16|(g>>8)<<8|bl>>8]++
		}
	}
	most, total := 0, 0
	for _, n := range counts {
		most = max(most, n)
		total += n
	}
	return 1 - float64(most)/float64(total), len(counts)
}

func diff(a, b image.Image) int {
	n := 0
	bd := a.Bounds()
	for y := bd.Min.Y; y < bd.Max.Y; y++ {
		for x := bd.Min.X; x < bd.Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				n++
			}
		}
	}
	return n
}

// window is the app started by startWindow.
type window struct {
	cmd    *exec.Cmd
	exited chan error // gets cmd.Wait's error
	stderr *bytes.Buffer
}

// startWindow starts the app (bin) on song, with its home in home, on
// the X display, and waits until it shows the song.
func startWindow(t *testing.T, ctx context.Context, bin, song, home, display string) window {
	return launch(t, ctx, bin, home, display, []string{"LANGUAGE=en", "LANG=en_US.UTF-8"}, "open", song)
}

// launch starts the app (bin) with args and env added to the test's, its
// home in home, on the X display, and waits until it shows its first
// screen.
func launch(t *testing.T, ctx context.Context, bin, home, display string, env []string, args ...string) window {
	ready := filepath.Join(home, "ready")
	cmd := exec.CommandContext(ctx, bin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Env = append(os.Environ(), "DISPLAY="+display, "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"SANGSTUDIO_READY_FILE="+ready, "JACK_NO_START_SERVER=1")
	cmd.Env = append(cmd.Env, env...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	start := time.Now()
	for {
		if _, err := os.Stat(ready); err == nil {
			break
		}
		select {
		case err := <-exited:
			t.Fatalf("the app exited before showing the song: %v\n%s", err, stderr.String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Since(start) > time.Minute {
			cmd.Process.Kill()
			t.Fatalf("no window after a minute\n%s", stderr.String())
		}
	}
	return window{cmd: cmd, exited: exited, stderr: &stderr}
}

// TestWindowUnderXvfb starts the real binary on the demo song under a
// virtual X server with no audio hardware, takes a screenshot of the song
// view and checks it is drawn, presses Space (play) and sees the screen
// change, and quits with Ctrl+Q.
func TestWindowUnderXvfb(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real app")
	}
	display := xvfb(t)
	xdotool := testtool.Require(t, "xdotool")
	bin := binary(t)
	home := t.TempDir()
	song := filepath.Join(home, "Sangstudio", "Demo")
	if _, err := demosong.Create(song, 48000); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	start := time.Now()
	app := startWindow(t, ctx, bin, song, home, display)
	exited, stderr := app.exited, app.stderr
	t.Logf("song view shown %v after start", time.Since(start).Round(time.Millisecond))
	time.Sleep(1500 * time.Millisecond) // first frames, the device opening
	shot := screenshot(t, display)
	drawn, colours := busy(shot)
	t.Logf("screenshot: %.1f%% drawn, %d colours", drawn*100, colours)
	if drawn < 0.05 || colours < 20 {
		saveShot(t, shot)
		t.Fatalf("the song view looks blank: %.1f%% of the screen drawn, %d colours", drawn*100, colours)
	}
	key := func(k string) {
		c := exec.Command(xdotool, "key", "--clearmodifiers", k)
		c.Env = append(os.Environ(), "DISPLAY="+display)
		if out, err := c.CombinedOutput(); err != nil {
			t.Fatalf("xdotool key %s: %v %s", k, err, out)
		}
	}
	key("space") // play: the clock runs and the Play button lights
	time.Sleep(1500 * time.Millisecond)
	playing := screenshot(t, display)
	if n := diff(shot, playing); n < 200 {
		saveShot(t, playing)
		t.Fatalf("pressing Space changed only %d pixels: the song is not playing", n)
	}
	key("space")
	key("ctrl+q")
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("quit: %v\n%s", err, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("Ctrl+Q did not close the app\n%s", stderr.String())
	}
	if strings.Contains(stderr.String(), "panic") || strings.Contains(stderr.String(), "Error in Fyne call thread") {
		t.Fatalf("stderr:\n%s", stderr.String())
	}
}

func saveShot(t *testing.T, img image.Image) {
	p := filepath.Join(os.TempDir(), fmt.Sprintf("sangstudio-%s.png", t.Name()))
	f, err := os.Create(p)
	if err == nil {
		png.Encode(f, img)
		f.Close()
		t.Logf("screenshot saved to %s", p)
	}
}

// TestNoDisplay: without a display the binary says so and exits with
// status 1, without a panic.
func TestNoDisplay(t *testing.T) {
	bin := binary(t)
	for _, d := range []string{"", ":97", "nonsense"} {
		cmd := exec.Command(bin)
		cmd.Env = append(os.Environ(), "DISPLAY="+d, "WAYLAND_DISPLAY=", "HOME="+t.TempDir(), "LANG=C")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		ee, ok := err.(*exec.ExitError)
		if !ok || ee.ExitCode() != 1 {
			t.Errorf("DISPLAY=%q: exit %v, want status 1", d, err)
		}
		msg := stderr.String()
		if !strings.HasPrefix(msg, "sangstudio: cannot open the window: ") || strings.Count(msg, "\n") != 1 {
			t.Errorf("DISPLAY=%q: stderr %q", d, msg)
		}
	}
}

// TestCLIQuietUnderCLocale: Fyne logs "Error parsing user locale C" when
// it initialises under LANG=C; the commands must not show that.
func TestCLIQuietUnderCLocale(t *testing.T) {
	for _, env := range []string{"LANG=C", "LC_ALL=C.UTF-8", "LANG=POSIX"} {
		cmd := exec.Command(binary(t), "version")
		cmd.Env = append(os.Environ(), "LANG=", "LC_ALL=", "LC_MESSAGES=", env)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil || stderr.Len() != 0 {
			t.Errorf("%s sangstudio version: %v, stderr %q", env, err, stderr.String())
		}
	}
}
