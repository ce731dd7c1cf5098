package main

// Privacy and security (issue 8): songs are private, health-related
// material. Song folders and everything the app makes are 0700/0600; the
// app opens no listening socket and no network connection; exports hold
// only what the user chose; emptying the bin removes all of a song's files.

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"sangstudio/audio/demosong"
	"sangstudio/audio/waveform"
	"sangstudio/internal/testtool"
	"sangstudio/projects"
	"sangstudio/projects/history"
	"sangstudio/projects/library"
)

// withUmask022 sets the usual umask for the test, so that a file created
// 0644 or a folder 0755 shows as such.
func withUmask022(t *testing.T) {
	old := syscall.Umask(0o022)
	t.Cleanup(func() { syscall.Umask(old) })
}

// notPrivate walks p (a folder or a file the app created) and returns every
// folder that is not 0700, file that is not 0600, and anything else (links,
// pipes) found there.
func notPrivate(t *testing.T, p string) []string {
	t.Helper()
	var bad []string
	err := filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := os.Lstat(q)
		if err != nil {
			return err
		}
		switch m := fi.Mode(); {
		case m.IsDir() && m.Perm() != projects.DirPerm:
			bad = append(bad, fmt.Sprintf("folder %s is %04o", q, m.Perm()))
		case m.IsRegular() && m.Perm() != projects.FilePerm:
			bad = append(bad, fmt.Sprintf("file %s is %04o", q, m.Perm()))
		case !m.IsDir() && !m.IsRegular():
			bad = append(bad, fmt.Sprintf("%s is a %v", q, m.Type()))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return bad
}

// checkCreatedPrivate checks everything inside each of the folders (not
// the folders themselves, which the test made).
func checkCreatedPrivate(t *testing.T, parents ...string) {
	t.Helper()
	n := 0
	for _, parent := range parents {
		ents, err := os.ReadDir(parent)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			for _, b := range notPrivate(t, filepath.Join(parent, e.Name())) {
				t.Error(b)
				n++
			}
		}
	}
	if n == 0 {
		t.Logf("all folders 0700 and files 0600 in %s", strings.Join(parents, ", "))
	}
}

// TestSongFoldersArePrivate runs every command that writes (demo, new,
// import, add-track, record, render, master, takehome, album, cd, archive,
// unarchive) and the undo history and waveform cache, under umask 022, and
// checks that every folder made is 0700 and every file 0600.
func TestSongFoldersArePrivate(t *testing.T) {
	withUmask022(t)
	// The check sees a file made with the umask's default mode.
	probe := t.TempDir()
	os.WriteFile(filepath.Join(probe, "f"), nil, 0o666)
	if bad := notPrivate(t, probe); len(bad) != 2 { // t.TempDir's 0755 folder and the 0644 file
		t.Fatalf("the check is blind: %v", bad)
	}
	lib := t.TempDir()   // a song library
	out := t.TempDir()   // where exports go
	stick := t.TempDir() // a take-home destination: a plain folder
	demo := filepath.Join(lib, "Demo")
	mustSang(t, "demo", demo)
	ny := filepath.Join(lib, "Ny")
	mustSang(t, "new", ny, "--title", "Ny sang")
	mustSang(t, "add-track", ny, "Vokal")
	mustSang(t, "add-track", ny, "Keys", "--midi")
	mustSang(t, "record", ny, "--device", "virtual", "--virtual-input", "sine", "--seconds", "0.5", "--inputs", "1")

	mustSang(t, "render", demo) // into the song's exports/
	mix := filepath.Join(out, "mix.wav")
	mustSang(t, "render", demo, "--mix", mix, "--stems", filepath.Join(out, "stems"))
	mustSang(t, "import", filepath.Join(lib, "Importert"), mix)
	mustSang(t, "master", demo, "--out", filepath.Join(out, "master.mp3"))
	mustSang(t, "master", demo, "--out", filepath.Join(out, "master.flac"), "--preset", "cd")
	mustSang(t, "takehome", demo, "--to", stick, "--mp3", "--wav", "--lyrics")
	alb := filepath.Join(lib, "Min CD")
	mustSang(t, "album", alb, "--title", "Høst", demo, filepath.Join(lib, "Importert"))
	mustSang(t, "cd", alb, "--out", filepath.Join(out, "cd"))
	zp := filepath.Join(out, "demo.zip")
	mustSang(t, "archive", demo, zp)
	mustSang(t, "unarchive", zp, filepath.Join(out, "other library"))

	// What the window adds to a song: the undo history and waveforms.
	h, err := history.Open(demo)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(demo, projects.SongFile))
	s, _, _ := projects.Load(demo)
	s.Lyrics += "\nEn linje til"
	projects.Save(demo, s)
	after, _ := os.ReadFile(filepath.Join(demo, projects.SongFile))
	if err := h.Record("lyrics", before, after); err != nil {
		t.Fatal(err)
	}
	if _, err := waveform.Load(demo, s.Tracks[0].Clips[0].Take); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{".history", ".cache", "exports", "audio"} {
		if _, err := os.Stat(filepath.Join(demo, d)); err != nil {
			t.Errorf("the test meant to check %s: %v", d, err)
		}
	}
	if _, err := os.Stat(filepath.Join(ny, ".cache")); err != nil {
		t.Logf("no .cache in the MIDI song: %v", err)
	}
	checkCreatedPrivate(t, lib, out, stick)
}

// TestEmptyBinRemovesAllFiles: deleting a song to the bin and emptying the
// bin removes every file of the song, hidden ones (.history, .cache, .open,
// .lock), read-only files and folders included, and never follows a link
// inside the song: what it points at survives. (projects/library's own
// test covers links in the bin and in a song's audio folder; this covers
// the hidden and read-only files.)
func TestEmptyBinRemovesAllFiles(t *testing.T) {
	withUmask022(t)
	root := filepath.Join(t.TempDir(), "Sangstudio")
	l, err := library.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	song := filepath.Join(root, "Morgenlys")
	if _, err := demosong.Create(song, 44100); err != nil {
		t.Fatal(err)
	}
	h, _ := history.Open(song)
	data, _ := os.ReadFile(filepath.Join(song, projects.SongFile))
	if err := h.Record("x", data, append(bytes.TrimSpace(data), ' ')); err != nil {
		t.Fatal(err)
	}
	s, _, _ := projects.Load(song)
	waveform.Load(song, s.Tracks[0].Clips[0].Take)
	os.WriteFile(filepath.Join(song, ".open"), nil, 0o600)
	os.WriteFile(filepath.Join(song, "exports", "read-only.wav"), []byte("RIFF"), 0o400)
	ro := filepath.Join(song, "exports", "read-only folder")
	os.Mkdir(ro, 0o700)
	os.WriteFile(filepath.Join(ro, "inside"), []byte("x"), 0o400)
	os.Chmod(ro, 0o500)
	outside := t.TempDir()
	target := filepath.Join(outside, "keep.wav")
	os.WriteFile(target, []byte("precious"), 0o600)
	os.Symlink(target, filepath.Join(song, "audio", "link.wav"))
	os.Symlink(outside, filepath.Join(song, ".cache", "linked folder"))
	nfiles := 0
	filepath.WalkDir(song, func(string, fs.DirEntry, error) error { nfiles++; return nil })

	if err := l.Delete(song); err != nil {
		t.Fatal(err)
	}
	if n, err := l.EmptyBin(); err != nil || n != 1 {
		t.Fatalf("EmptyBin: %d, %v", n, err)
	}
	var left []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if p != root && p != filepath.Join(root, library.BinDir) {
			left = append(left, p)
		}
		return nil
	})
	if len(left) > 0 {
		t.Errorf("left after emptying the bin: %v", left)
	}
	if b, err := os.ReadFile(target); err != nil || string(b) != "precious" {
		t.Errorf("the link's target was touched: %v", err)
	}
	if ents, _ := os.ReadDir(outside); len(ents) != 1 {
		t.Errorf("the linked folder changed: %v", ents)
	}
	t.Logf("%d files and folders removed, links' targets kept", nfiles)
}

// TestExportsHoldOnlyWhatWasChosen: take-home and CD folders contain the
// chosen files and nothing of the song's own data.
func TestExportsHoldOnlyWhatWasChosen(t *testing.T) {
	root := t.TempDir()
	demo := filepath.Join(root, "Demo")
	mustSang(t, "demo", demo)
	names := func(dir string) []string {
		var ns []string
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && p != dir {
				rel, _ := filepath.Rel(dir, p)
				ns = append(ns, rel)
			}
			return nil
		})
		sort.Strings(ns)
		return ns
	}
	leaks := func(dir string) {
		t.Helper()
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			b, _ := os.ReadFile(p)
			for _, w := range []string{`"next_take"`, `"tracks"`, `"schema"`, projects.SongFile, demo, root, "PK\x03\x04"} {
				if bytes.Contains(b, []byte(w)) {
					t.Errorf("%s contains %q", p, w)
				}
			}
			return nil
		})
	}
	stick := t.TempDir()
	mustSang(t, "takehome", demo, "--to", stick, "--mp3")
	if got := names(stick); strings.Join(got, "|") != "Demo - Morgenlys|Demo - Morgenlys/Demo - Morgenlys.mp3" {
		t.Errorf("takehome --mp3 wrote %q", got)
	}
	leaks(stick)
	stick2 := t.TempDir()
	mustSang(t, "takehome", demo, "--to", stick2, "--mp3", "--lyrics")
	if got := names(stick2); strings.Join(got, "|") != "Demo - Morgenlys|Demo - Morgenlys/Demo - Morgenlys.mp3|Demo - Morgenlys/Demo - Morgenlys.txt" {
		t.Errorf("takehome --mp3 --lyrics wrote %q", got)
	}
	leaks(stick2)

	img := filepath.Join(t.TempDir(), "cd")
	mustSang(t, "cd", "--title", "Live", demo, "--out", img)
	want := []string{"01-Demo - Morgenlys.wav", "disc.bin", "disc.cue", "disc.toc", "tracklist.png"}
	if got := names(img); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("the CD folder holds %q, want %q", got, want)
	}
	leaks(img)
	// The song itself got only what belongs to it: no copies in its folder
	// beyond its own caches.
	for _, n := range names(demo) {
		if strings.HasSuffix(n, ".mp3") && !strings.HasPrefix(n, ".cache") {
			t.Errorf("an export was left in the song folder: %s", n)
		}
	}
}

// --- sockets ---

// procSocket is one socket a process holds.
type procSocket struct {
	inode, kind, detail string
	listening           bool
}

// sockets lists the sockets process pid holds (its fd table is shared by
// all its threads), classified from /proc/pid/net.
func sockets(t *testing.T, pid int) []procSocket {
	t.Helper()
	fdDir := fmt.Sprintf("/proc/%d/fd", pid)
	ents, err := os.ReadDir(fdDir)
	if err != nil {
		t.Fatalf("cannot read %s: %v", fdDir, err)
	}
	inodes := map[string]bool{}
	for _, e := range ents {
		l, err := os.Readlink(filepath.Join(fdDir, e.Name()))
		if err == nil && strings.HasPrefix(l, "socket:[") {
			inodes[strings.TrimSuffix(strings.TrimPrefix(l, "socket:["), "]")] = true
		}
	}
	known := map[string]procSocket{}
	for _, kind := range []string{"tcp", "tcp6", "udp", "udp6", "raw", "raw6", "udplite", "udplite6"} {
		f, err := os.Open(fmt.Sprintf("/proc/%d/net/%s", pid, kind))
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		sc.Scan() // header
		for sc.Scan() {
			fs := strings.Fields(sc.Text())
			if len(fs) > 9 && inodes[fs[9]] {
				known[fs[9]] = procSocket{inode: fs[9], kind: kind, detail: fmt.Sprintf("local %s remote %s state %s", fs[1], fs[2], fs[3])}
			}
		}
		f.Close()
	}
	if f, err := os.Open(fmt.Sprintf("/proc/%d/net/unix", pid)); err == nil {
		sc := bufio.NewScanner(f)
		sc.Scan()
		for sc.Scan() {
			fs := strings.Fields(sc.Text())
			if len(fs) < 7 || !inodes[fs[6]] {
				continue
			}
			flags, _ := strconv.ParseUint(fs[3], 16, 32)
			path := ""
			if len(fs) > 7 {
				path = fs[7]
			}
			known[fs[6]] = procSocket{inode: fs[6], kind: "unix", listening: flags&0x10000 != 0,
				detail: fmt.Sprintf("type %s state %s flags %s path %q", fs[4], fs[5], fs[3], path)}
		}
		f.Close()
	}
	if f, err := os.Open(fmt.Sprintf("/proc/%d/net/netlink", pid)); err == nil {
		sc := bufio.NewScanner(f)
		sc.Scan()
		for sc.Scan() {
			fs := strings.Fields(sc.Text())
			if len(fs) > 9 && inodes[fs[9]] {
				known[fs[9]] = procSocket{inode: fs[9], kind: "netlink", detail: "protocol " + fs[1]}
			}
		}
		f.Close()
	}
	var out []procSocket
	for ino := range inodes {
		s, ok := known[ino]
		if !ok {
			s = procSocket{inode: ino, kind: "other", detail: "not in /proc/net/{tcp,udp,raw,unix,netlink}"}
		}
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].kind+out[i].inode < out[j].kind+out[j].inode })
	return out
}

// checkSockets fails on any inet socket and any listening unix socket, and
// logs the rest. Sockets of an unknown family fail too: they may be inet
// sockets in another network namespace.
func checkSockets(t *testing.T, what string, pid int) []procSocket {
	t.Helper()
	ss := sockets(t, pid)
	for _, s := range ss {
		switch {
		case s.kind == "unix" && !s.listening:
			t.Logf("%s: unix socket %s (%s)", what, s.inode, s.detail)
		case s.kind == "unix":
			t.Errorf("%s: a LISTENING unix socket %s (%s)", what, s.inode, s.detail)
		case s.kind == "netlink":
			t.Logf("%s: netlink socket %s (%s): local to the kernel, not a network connection", what, s.inode, s.detail)
		case s.kind == "other":
			t.Errorf("%s: socket %s of an unknown family (%s)", what, s.inode, s.detail)
		default:
			t.Errorf("%s: a network socket (%s) %s: %s", what, s.kind, s.inode, s.detail)
		}
	}
	t.Logf("%s: %d sockets", what, len(ss))
	return ss
}

// TestSocketCheckerSeesSockets: the checker itself finds a TCP listener,
// a UDP socket and a listening unix socket in this test process.
func TestSocketCheckerSeesSockets(t *testing.T) {
	tl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skip("no loopback network here:", err)
	}
	defer tl.Close()
	ul, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ul.Close()
	xl, err := net.Listen("unix", filepath.Join(t.TempDir(), "s"))
	if err != nil {
		t.Fatal(err)
	}
	defer xl.Close()
	got := map[string]bool{}
	for _, s := range sockets(t, os.Getpid()) {
		got[s.kind+map[bool]string{true: " listening"}[s.listening]] = true
	}
	for _, w := range []string{"tcp", "udp", "unix listening"} {
		if !got[w] {
			t.Errorf("the checker missed a %s socket: %v", w, got)
		}
	}
}

func requireXvfb(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("Xvfb"); err != nil && os.Getenv("SANGSTUDIO_REQUIRE_TOOLS") == "" {
		t.Skip("Xvfb is not installed: cannot start the window to check its sockets")
	}
}

// TestNoNetworkSockets starts the real app on the demo song (no audio
// hardware: the virtual device, or JACK if a server runs), plays it, and
// checks the process holds no inet socket and no listening socket; the same
// for a running `sangstudio record`.
func TestNoNetworkSockets(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real app")
	}
	requireXvfb(t)
	withUmask022(t)
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
	app := startWindow(t, ctx, bin, song, home, display)
	key := func(k string) {
		c := exec.Command(xdotool, "key", "--clearmodifiers", k)
		c.Env = append(os.Environ(), "DISPLAY="+display)
		if out, err := c.CombinedOutput(); err != nil {
			t.Errorf("xdotool key %s: %v %s", k, err, out)
		}
	}
	time.Sleep(1500 * time.Millisecond)
	pid := app.cmd.Process.Pid
	checkSockets(t, "window, song open", pid)
	key("space") // play
	time.Sleep(1500 * time.Millisecond)
	checkSockets(t, "window, playing", pid)
	key("space")
	key("Escape") // any dialog closed
	time.Sleep(500 * time.Millisecond)
	checkSockets(t, "window, stopped", pid)
	key("ctrl+q")
	select {
	case err := <-app.exited:
		if err != nil {
			t.Errorf("quit: %v\n%s", err, app.stderr.String())
		}
	case <-time.After(20 * time.Second):
		app.cmd.Process.Kill()
		<-app.exited
		t.Errorf("Ctrl+Q did not close the app\n%s", app.stderr.String())
	}
	// What the window wrote into the song and the settings is private too.
	for _, p := range []string{song, filepath.Join(home, ".config", "sangstudio")} {
		if _, err := os.Stat(p); err != nil {
			continue
		}
		for _, b := range notPrivate(t, p) {
			t.Error(b)
		}
	}
	checkRecordSockets(t, bin)
}

// checkRecordSockets checks the sockets of a recording from the command
// line (bin).
func checkRecordSockets(t *testing.T, bin string) {
	rec := filepath.Join(t.TempDir(), "s")
	mustSang(t, "new", rec)
	rc := exec.Command(bin, "record", rec, "--device", "virtual", "--virtual-input", "sine", "--seconds", "3", "--inputs", "1")
	rc.Env = append(os.Environ(), "JACK_NO_START_SERVER=1")
	pipe, _ := rc.StderrPipe()
	if err := rc.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(pipe)
	started := false
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "Recording on") {
			started = true
			break
		}
	}
	if !started {
		rc.Process.Kill()
		rc.Wait()
		t.Fatal("the recording did not start")
	}
	go func() {
		for sc.Scan() {
		}
	}()
	time.Sleep(time.Second)
	checkSockets(t, "record", rc.Process.Pid)
	if err := rc.Wait(); err != nil {
		t.Errorf("record: %v", err)
	}
}
