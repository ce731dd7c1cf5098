package main

import (
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"sangstudio/internal/testtool"
	"sangstudio/projects"
	"sangstudio/projects/songlog"
)

// TestTherapyHourInTheWindow drives the real app under Xvfb with clicks
// and key presses (xdotool), in Norwegian, on a 1366×768 screen, on the
// virtual device with a test tone on its inputs, as a therapist would:
// New song (one click) → Enter → R → 5 s → Space → the lyrics typed →
// Share → Take it home → Copy the song, to a USB stick (an exFAT image
// mounted through FUSE under /media, where the desktop mounts sticks). It
// checks the MP3 on the stick (ffprobe: an MP3 of the take's length, not
// silent), the lyrics beside it, the song's log (the take and the copy),
// and that no English text shows in any screenshot (read back by
// tesseract, checked against the i18n tables). It reports the time from
// the click on New song to the first recorded frame on disk.
func TestTherapyHourInTheWindow(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real app")
	}
	requireXvfb(t)
	for _, p := range []string{"xdotool", "tesseract", "ffprobe", "ffmpeg"} {
		testtool.Require(t, p)
	}
	stick := usbStick(t)
	home := t.TempDir()
	lib := filepath.Join(home, "Sangstudio")
	writeSettings(t, home, map[string]any{"library": lib, "language": "nb", "device": "virtual", "test_tone": true})
	x := &xsession{t: t, display: xvfbScreen(t, "1366x768x24"), shots: shotDir(t)}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	app := launch(t, ctx, binary(t), home, x.display, []string{"LANG=nb_NO.UTF-8"})
	defer app.cmd.Process.Kill()

	x.shot("library")
	t0 := time.Now()
	x.clickBlue(image.Rect(0, 0, 1366, 768)) // Ny sang: the one blue button
	time.Sleep(700 * time.Millisecond)
	x.shot("new song")
	x.key("Return") // the name offered: «Ny sang»
	song := waitGlob(t, filepath.Join(lib, "*", "song.json"), 20*time.Second)
	dir := filepath.Dir(song)
	x.key("r")
	tr := time.Now()
	take := waitFor(t, "the first recorded frame on disk", 30*time.Second, func() (string, bool) {
		return firstTake(dir)
	})
	first := time.Since(t0)
	t.Logf("from the click on Ny sang to the first recorded frame (%s): %.2f s (%.2f s after R, with the 1-bar count-in); 1 click, then Enter and R",
		filepath.Base(take), first.Seconds(), time.Since(tr).Seconds())
	time.Sleep(2500 * time.Millisecond)
	x.shot("recording")
	time.Sleep(2500 * time.Millisecond)
	x.key("space")
	clip := waitFor(t, "the take on its track", 20*time.Second, func() (projects.Clip, bool) {
		s, _, err := projects.Load(dir)
		if err != nil || len(s.Tracks) != 1 || len(s.Tracks[0].Clips) != 1 {
			return projects.Clip{}, false
		}
		return s.Tracks[0].Clips[0], true
	})
	if secs := float64(clip.Length) / 48000; secs < 4 || secs > 8 {
		t.Errorf("the take is %.2f s long, want about 5", secs)
	}
	x.shot("stopped")
	lyrics := "Vi synger om morgenen"
	x.typeLyrics(lyrics)
	waitFor(t, "the lyrics saved", 20*time.Second, func() (bool, bool) {
		s, _, err := projects.Load(dir)
		return true, err == nil && strings.Contains(s.Lyrics, lyrics)
	})
	folder := x.takeHome(stick)
	checkTakenHome(t, folder, lyrics, float64(clip.Length)/48000)
	checkLog(t, dir, folder)
	x.key("ctrl+q")
	select {
	case <-app.exited:
	case <-time.After(20 * time.Second):
		t.Errorf("Ctrl+Q did not close the app\n%s", app.stderr.String())
	}
	x.checkNorwegian()
}

// xsession is the Xvfb display the app runs on, with the screenshots
// taken so far.
type xsession struct {
	t       *testing.T
	display string
	shots   string
	taken   []string // paths of the screenshots
}

// shotDir is where the screenshots go: $SANGSTUDIO_SHOTS if set (to look
// at them), else a temporary folder.
func shotDir(t *testing.T) string {
	if d := os.Getenv("SANGSTUDIO_SHOTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

func (x *xsession) run(name string, args ...string) string {
	x.t.Helper()
	c := exec.Command(name, args...)
	c.Env = append(os.Environ(), "DISPLAY="+x.display)
	out, err := c.CombinedOutput()
	if err != nil {
		x.t.Fatalf("%s %q: %v\n%s", name, args, err, out)
	}
	return string(out)
}

func (x *xsession) key(keys ...string) {
	x.t.Helper()
	x.run("xdotool", append([]string{"key", "--clearmodifiers", "--delay", "80"}, keys...)...)
}

func (x *xsession) click(p image.Point) {
	x.t.Helper()
	x.run("xdotool", "mousemove", strconv.Itoa(p.X), strconv.Itoa(p.Y), "click", "1")
}

// shot saves a screenshot named name and returns it.
func (x *xsession) shot(name string) image.Image {
	x.t.Helper()
	path := filepath.Join(x.shots, fmt.Sprintf("hour-%02d-%s.png", len(x.taken)+1, strings.ReplaceAll(name, " ", "-")))
	x.run("import", "-window", "root", path)
	x.taken = append(x.taken, path)
	f, err := os.Open(path)
	if err != nil {
		x.t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		x.t.Fatalf("screenshot %s: %v", path, err)
	}
	return img
}

// clickBlue clicks the middle of the largest patch of the theme's blue
// (the primary button's colour) within r of a fresh screenshot.
func (x *xsession) clickBlue(r image.Rectangle) {
	x.t.Helper()
	img := x.shot("before a click")
	p, n := largestPatch(img, r, func(c [3]int) bool {
		return abs(c[0]-41) < 24 && abs(c[1]-111) < 24 && abs(c[2]-246) < 24
	})
	if n < 400 {
		x.t.Fatalf("no blue button in %v of %s (largest patch %d pixels)", r, x.taken[len(x.taken)-1], n)
	}
	x.click(p)
}

func abs(v int) int { return max(v, -v) }

// largestPatch finds the largest 4-connected patch of pixels within r
// that match, and returns its centre and size.
func largestPatch(img image.Image, r image.Rectangle, match func([3]int) bool) (image.Point, int) {
	r = r.Intersect(img.Bounds())
	seen := make([]bool, r.Dx()*r.Dy())
	ok := func(p image.Point) bool {
		if !p.In(r) || seen[(p.Y-r.Min.Y)*r.Dx()+p.X-r.Min.X] {
			return false
		}
		cr, cg, cb, _ := img.At(p.X, p.Y).RGBA()
		return match([3]int{int(cr >> 8), int(cg >> 8), int(cb >> 8)})
	}
	var best image.Point
	bestN := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if !ok(image.Pt(x, y)) {
				continue
			}
			stack, n, sum := []image.Point{{x, y}}, 0, image.Point{}
			seen[(y-r.Min.Y)*r.Dx()+x-r.Min.X] = true
			for len(stack) > 0 {
				p := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				n, sum = n+1, sum.Add(p)
				for _, d := range []image.Point{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
					if q := p.Add(d); ok(q) {
						seen[(q.Y-r.Min.Y)*r.Dx()+q.X-r.Min.X] = true
						stack = append(stack, q)
					}
				}
			}
			if n > bestN {
				best, bestN = sum.Div(n), n
			}
		}
	}
	return best, bestN
}

// window is the app window's place and size on the screen.
func (x *xsession) window() image.Rectangle {
	x.t.Helper()
	id := strings.Fields(x.run("xdotool", "search", "--name", "Sangstudio"))
	if len(id) == 0 {
		x.t.Fatal("no Sangstudio window")
	}
	v := map[string]int{}
	for _, l := range strings.Split(x.run("xdotool", "getwindowgeometry", "--shell", id[0]), "\n") {
		if k, val, ok := strings.Cut(l, "="); ok {
			v[k], _ = strconv.Atoi(val)
		}
	}
	return image.Rect(v["X"], v["Y"], v["X"]+v["WIDTH"], v["Y"]+v["HEIGHT"])
}

// typeLyrics clicks into the lyrics (the right-hand column, below its
// first lines) and types text, then gives the keyboard back (Escape).
func (x *xsession) typeLyrics(text string) {
	w := x.window()
	x.click(image.Pt(w.Max.X-180, w.Max.Y-150))
	time.Sleep(300 * time.Millisecond)
	x.run("xdotool", "type", "--delay", "60", text)
	time.Sleep(300 * time.Millisecond)
	x.key("Escape")
}

// takeHome opens Share (Ctrl+E), picks Take it home (the third of its
// buttons, by Tab), waits for the stick to be offered and copies the song
// to it. It returns the folder made on the stick.
func (x *xsession) takeHome(stick string) string {
	x.t.Helper()
	x.key("ctrl+e")
	time.Sleep(800 * time.Millisecond)
	x.shot("share")
	x.key("Tab", "Tab", "Tab", "space")
	time.Sleep(1500 * time.Millisecond)
	w := x.window()
	x.clickBlue(image.Rect(w.Min.X+w.Dx()/5, w.Min.Y, w.Max.X-w.Dx()/5, w.Max.Y)) // Kopier sangen
	mp3 := waitGlob(x.t, filepath.Join(stick, "*", "*.mp3"), 90*time.Second)
	// The view says it is done once everything was read back.
	folder := filepath.Dir(mp3)
	waitFor(x.t, "the copy checked", 60*time.Second, func() (bool, bool) {
		x.shot("taking home")
		return true, strings.Contains(x.ocr(), "sjekket")
	})
	return folder
}

// ocr reads the text of the last screenshot (Norwegian and English).
func (x *xsession) ocr() string {
	x.t.Helper()
	out, err := exec.Command("tesseract", x.taken[len(x.taken)-1], "-", "-l", "nor+eng").Output()
	if err != nil {
		x.t.Fatalf("tesseract %s: %v", x.taken[len(x.taken)-1], err)
	}
	return string(out)
}

// checkNorwegian reads every screenshot taken and fails on any English
// text of the app's translation tables (one whose Norwegian differs).
func (x *xsession) checkNorwegian() {
	x.t.Helper()
	english := englishTexts(x.t)
	for _, path := range x.taken {
		out, err := exec.Command("tesseract", path, "-", "-l", "nor+eng").Output()
		if err != nil {
			x.t.Fatalf("tesseract %s: %v", path, err)
		}
		text := strings.Join(strings.Fields(string(out)), " ")
		for _, e := range englishIn(text, english) {
			x.t.Errorf("%s shows English: %q (Norwegian: %q)\nall it shows: %s", filepath.Base(path), e.en, e.nb, text)
		}
	}
	x.t.Logf("%d screenshots read, checked against %d English texts", len(x.taken), len(english))
}

// englishIn returns the English texts found in text.
func englishIn(text string, english []englishText) []englishText {
	var out []englishText
	for _, e := range english {
		if e.re.MatchString(text) {
			out = append(out, e)
		}
	}
	return out
}

type englishText struct {
	en, nb string
	re     *regexp.Regexp
}

// englishTexts are the English texts of the translation tables whose
// Norwegian differs, as whole words, leaving out those that are Norwegian
// words too (found in some Norwegian text), those that differ from their
// Norwegian by one letter (OCR reads «Markør» as "Marker"), those with
// placeholders and those shorter than 4 letters.
func englishTexts(t *testing.T) []englishText {
	files, err := filepath.Glob("../../ui/i18n/translations/*.nb.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no translation tables: %v", err)
	}
	all := map[string]string{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]json.RawMessage{}
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for k, raw := range m {
			var v string
			forms := map[string]string{} // plural forms: "one", "other"
			if json.Unmarshal(raw, &v) != nil && json.Unmarshal(raw, &forms) == nil {
				v = forms["one"] + "\n" + forms["other"]
			}
			all[k] = v
		}
	}
	var nbText strings.Builder
	for _, v := range all {
		nbText.WriteString(v + "\n")
	}
	var out []englishText
	for en, nb := range all {
		en = strings.TrimSpace(en)
		if en == nb || len(en) < 4 || strings.Contains(en, "{{") || strings.ContainsAny(en, "\n%") || nearly(en, nb) {
			continue
		}
		re := regexp.MustCompile(`(^|[^\pL])` + regexp.QuoteMeta(en) + `($|[^\pL])`)
		if re.MatchString(nbText.String()) {
			continue
		}
		out = append(out, englishText{en: en, nb: nb, re: re})
	}
	return out
}

// usbStick makes a 64 MB exFAT image, mounts it through FUSE under /media
// (where the desktop mounts USB sticks, and where Take it home looks for
// them) and returns the mount point; it is unmounted when the test ends.
// It needs root and /dev/fuse (as `make test` has here); elsewhere the
// test is skipped, saying so.
func usbStick(t *testing.T) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("mounting a USB stick image needs root")
	}
	if _, err := os.Stat("/dev/fuse"); err != nil {
		t.Skipf("no /dev/fuse: cannot mount a USB stick image: %v", err)
	}
	for _, p := range []string{"mkfs.exfat", "mount.exfat-fuse", "losetup"} {
		testtool.Require(t, p)
	}
	img := filepath.Join(t.TempDir(), "stick.img")
	testtool.Run(t, "truncate", "-s", "64M", img)
	testtool.Run(t, "mkfs.exfat", "-L", "PINNE", img)
	loop := strings.TrimSpace(testtool.Run(t, "losetup", "-f", "--show", img)) // exfat-fuse wants a block device
	t.Cleanup(func() { exec.Command("losetup", "-d", loop).Run() })
	mnt := filepath.Join("/media", fmt.Sprintf("PINNE-%d", os.Getpid()))
	if err := os.MkdirAll(mnt, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Remove(mnt) })
	testtool.Run(t, "mount.exfat-fuse", loop, mnt)
	t.Cleanup(func() {
		if out, err := exec.Command("umount", mnt).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v %s", mnt, err, out)
		}
	})
	return mnt
}

// writeSettings writes the app's settings file in home.
func writeSettings(t *testing.T, home string, set map[string]any) {
	t.Helper()
	dir := filepath.Join(home, ".config", "sangstudio")
	data, err := json.Marshal(set)
	if err == nil {
		err = os.MkdirAll(dir, 0o700)
	}
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, "settings.json"), data, 0o600)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// waitFor polls f every 20 ms until it says ok, and returns its value;
// after timeout the test fails.
func waitFor[T any](t *testing.T, what string, timeout time.Duration, f func() (T, bool)) T {
	t.Helper()
	for deadline := time.Now().Add(timeout); ; time.Sleep(20 * time.Millisecond) {
		if v, ok := f(); ok {
			return v
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s", timeout, what)
		}
	}
}

// waitGlob waits until pattern matches a file and returns the first.
func waitGlob(t *testing.T, pattern string, timeout time.Duration) string {
	t.Helper()
	return waitFor(t, pattern, timeout, func() (string, bool) {
		m, _ := filepath.Glob(pattern)
		return strings.Join(m[:min(len(m), 1)], ""), len(m) > 0
	})
}

// firstTake is a take file of the song in dir that holds a recorded
// frame (more than its WAV header).
func firstTake(dir string) (string, bool) {
	m, _ := filepath.Glob(filepath.Join(dir, projects.AudioDir, "*.wav"))
	for _, p := range m {
		if fi, err := os.Stat(p); err == nil && fi.Size() > 4096 {
			return p, true
		}
	}
	return "", false
}

// checkTakenHome checks the folder Take it home made: an MP3 of about the
// take's length that is not silent (the test tone), and the lyrics.
func checkTakenHome(t *testing.T, folder, lyrics string, seconds float64) {
	t.Helper()
	mp3s, _ := filepath.Glob(filepath.Join(folder, "*.mp3"))
	txts, _ := filepath.Glob(filepath.Join(folder, "*.txt"))
	if len(mp3s) != 1 || len(txts) != 1 {
		t.Fatalf("on the stick: %d MP3s and %d text files, want one each\n%s", len(mp3s), len(txts), testtool.Listing(t, folder))
	}
	probe := testtool.Run(t, "ffprobe", "-v", "error", "-show_entries", "format=format_name,duration", "-of", "default=nw=1", mp3s[0])
	if !strings.Contains(probe, "format_name=mp3") {
		t.Errorf("ffprobe on %s: %s", mp3s[0], probe)
	}
	_, d, _ := strings.Cut(probe, "duration=")
	if dur, err := strconv.ParseFloat(strings.TrimSpace(strings.Fields(d + " x")[0]), 64); err != nil || dur < seconds-0.5 || dur > seconds+3 {
		t.Errorf("the MP3 lasts %s s, want about the take's %.2f s", strings.TrimSpace(d), seconds)
	}
	vol := testtool.Run(t, "ffmpeg", "-nostats", "-i", mp3s[0], "-af", "volumedetect", "-f", "null", "-")
	_, mean, _ := strings.Cut(vol, "mean_volume: ")
	if db, err := strconv.ParseFloat(strings.Fields(mean + " x")[0], 64); err != nil || db < -40 {
		t.Errorf("the MP3 is silent or unreadable: mean volume %q", strings.Fields(mean + " x")[0])
	}
	text, err := os.ReadFile(txts[0])
	if err != nil || !strings.Contains(string(text), lyrics) {
		t.Errorf("the lyrics on the stick: %q, %v; want %q", text, err, lyrics)
	}
	t.Logf("on the stick: %s (%s), %s", filepath.Base(mp3s[0]), strings.Join(strings.Fields(probe), " "), filepath.Base(txts[0]))
}

// checkLog checks the song's log: the session opened, the take, and the
// copy to the stick, as MP3.
func checkLog(t *testing.T, dir, folder string) {
	t.Helper()
	es, damaged, err := songlog.Read(dir)
	if err != nil || damaged != 0 {
		t.Fatalf("the song's log: %v, %d damaged", err, damaged)
	}
	var opened, takes, copies int
	for _, e := range es {
		switch e.Event {
		case songlog.Opened:
			opened++
		case songlog.Take:
			takes++
		case songlog.Copy:
			if e.Format == "mp3" && strings.HasPrefix(e.To, folder) {
				copies++
			}
		}
	}
	if opened != 1 || takes != 1 || copies != 1 {
		t.Errorf("the song's log: %d opened, %d takes, %d copies to the stick as MP3; want 1 each\n%+v", opened, takes, copies, es)
	}
}

// nearly reports whether a and b differ by at most one letter replaced,
// added or left out.
func nearly(a, b string) bool {
	x, y := []rune(a), []rune(b)
	if len(x) > len(y) {
		x, y = y, x
	}
	if len(y)-len(x) > 1 {
		return false
	}
	i := 0
	for i < len(x) && x[i] == y[i] {
		i++
	}
	if len(x) == len(y) {
		return string(x[i+1:]) == string(y[i+1:]) || i == len(x)
	}
	return string(x[i:]) == string(y[i+1:])
}

// TestEnglishCheckerSeesEnglish: the check of the screenshots finds the
// app's English texts in a picture of them (read by tesseract), and finds
// none in their Norwegian.
func TestEnglishCheckerSeesEnglish(t *testing.T) {
	testtool.Require(t, "tesseract")
	english := englishTexts(t)
	for _, c := range []struct {
		text string
		want []string
	}{
		{"Copy the song   Take it home", []string{"Copy the song", "Take it home"}},
		{"Kopier sangen   Ta den med hjem   Markør", nil},
	} {
		img := textImage(t, c.text)
		out := testtool.Run(t, "tesseract", img, "-", "-l", "nor+eng")
		var got []string
		for _, e := range englishIn(strings.Join(strings.Fields(out), " "), english) {
			got = append(got, e.en)
		}
		for _, w := range c.want {
			if !slices.Contains(got, w) {
				t.Errorf("%q (read as %q): %q not found; found %q", c.text, strings.TrimSpace(out), w, got)
			}
		}
		if c.want == nil && len(got) > 0 {
			t.Errorf("%q (read as %q): English found: %q", c.text, strings.TrimSpace(out), got)
		}
	}
	for _, c := range []struct {
		a, b string
		want bool
	}{{"Marker", "Markør", true}, {"Play", "Spill", false}, {"Song", "Sang", true}, {"Stop", "Stopp", true}, {"Record", "Ta opp", false}} {
		if nearly(c.a, c.b) != c.want {
			t.Errorf("nearly(%q, %q) = %v", c.a, c.b, !c.want)
		}
	}
}

// textImage draws text in white on the window's dark grey, in Go's own
// font at 28 px, as a PNG file, and returns its path.
func textImage(t *testing.T, text string) string {
	t.Helper()
	f, err := opentype.Parse(goregular.TTF)
	if err != nil {
		t.Fatal(err)
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: 28, DPI: 72})
	if err != nil {
		t.Fatal(err)
	}
	img := image.NewRGBA(image.Rect(0, 0, 900, 80))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.RGBA{28, 28, 28, 255}), image.Point{}, draw.Src)
	d := font.Drawer{Dst: img, Src: image.White, Face: face, Dot: fixed.P(20, 50)}
	d.DrawString(text)
	path := filepath.Join(t.TempDir(), "text.png")
	out, err := os.Create(path)
	if err == nil {
		err = png.Encode(out, img)
	}
	if err == nil {
		err = out.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	return path
}
