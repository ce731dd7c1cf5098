package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"sangstudio/projects"
)

// runBinary runs the real binary with args and fails the test if it does
// not end within limit. It returns the exit status, stdout, stderr and
// how long it took.
func runBinary(t *testing.T, limit time.Duration, args ...string) (int, string, string, time.Duration) {
	t.Helper()
	bin := binary(t)
	ctx, cancel := context.WithTimeout(context.Background(), limit+10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	took := time.Since(start)
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("sangstudio %s: %v", strings.Join(args, " "), err)
	}
	if took > limit {
		t.Errorf("sangstudio %s took %v; want at most %v", strings.Join(args, " "), took, limit)
	}
	return cmd.ProcessState.ExitCode(), stdout.String(), stderr.String(), took
}

// TestImportRefusesSpecialFiles: importing a FIFO (which blocked open()
// for ever), a device, a folder or a socket ends within a second with a
// message naming the file and what it is, and changes nothing.
func TestImportRefusesSpecialFiles(t *testing.T) {
	src := t.TempDir()
	fifo := filepath.Join(src, "fifo.wav")
	fifoMIDI := filepath.Join(src, "fifo.mid")
	for _, p := range []string{fifo, fifoMIDI} {
		if err := syscall.Mkfifo(p, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	folder := filepath.Join(src, "folder.wav")
	if err := os.Mkdir(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(src, "socket.wav")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	song := filepath.Join(t.TempDir(), "Sang")
	mustSang(t, "new", song)
	before := snapshot(t, song)
	for _, tc := range []struct{ path, is string }{
		{fifo, "a named pipe (FIFO)"},
		{fifoMIDI, "a named pipe (FIFO)"},
		{"/dev/zero", "a device"},
		{"/dev/null", "a device"},
		{folder, "a folder"},
		{sock, "a socket"},
	} {
		for _, into := range []string{song, filepath.Join(t.TempDir(), "Ny")} { // an existing song, and a new one
			code, _, stderr, took := runBinary(t, time.Second, "import", into, tc.path)
			t.Logf("import %s: %v", tc.path, took)
			want := tc.path + " is " + tc.is + ", not a file; Sangstudio reads only ordinary files"
			if code != 1 || !strings.Contains(stderr, want) || !strings.HasSuffix(stderr, "Nothing was changed.\n") {
				t.Errorf("import %s: exit %d, stderr %q; want 1 and %q", tc.path, code, stderr, want)
			}
			if into != song {
				if _, err := os.Stat(into); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("the refused import made the song %s", into)
				}
			}
		}
	}
	if after := snapshot(t, song); after != before {
		t.Errorf("the song changed: %s", lineDiff(before, after))
	}
	// Other commands that read a file the user names say the same.
	for _, args := range [][]string{
		{"loudness", fifo},
		{"unarchive", fifo, t.TempDir()},
		{"soundfont", song, fifo},
	} {
		code, _, stderr, _ := runBinary(t, time.Second, args...)
		if want := fifo + " is a named pipe (FIFO), not a file; Sangstudio reads only ordinary files"; code != 1 || !strings.Contains(stderr, want) {
			t.Errorf("%s: exit %d, stderr %q; want 1 and %q", strings.Join(args, " "), code, stderr, want)
		}
	}
}

// TestSongFileRule: a take that is a link (to a file outside the song, or
// to a device), a FIFO or a device node is refused by every command that
// reads the song, with one message, word for word; and so is song.json
// as a link.
func TestSongFileRule(t *testing.T) {
	for _, how := range []string{"link", "link to a device", "FIFO", "device"} {
		t.Run(how, func(t *testing.T) {
			dir := t.TempDir()
			song := filepath.Join(dir, "Sang")
			mustSang(t, "demo", song)
			s, _, err := projects.Load(song)
			if err != nil {
				t.Fatal(err)
			}
			take := projects.AudioPath(song, s.AllClips()[0].Take)
			elsewhere := filepath.Join(dir, "elsewhere.wav")
			if err := os.Rename(take, elsewhere); err != nil {
				t.Fatal(err)
			}
			want := take + " is a link; a song keeps its own audio files"
			switch how {
			case "link":
				err = os.Symlink(elsewhere, take)
			case "link to a device":
				err = os.Symlink("/dev/zero", take)
			case "FIFO":
				err = syscall.Mkfifo(take, 0o600)
				want = take + " is a named pipe (FIFO), not a file; a song keeps its own audio files"
			case "device": // /dev/zero's numbers; making a device node needs root
				if err = syscall.Mknod(take, syscall.S_IFCHR|0o600, 1<<8|5); err != nil {
					t.Skipf("cannot make a device node here: %v", err)
				}
				want = take + " is a device, not a file; a song keeps its own audio files"
			}
			if err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "out")
			for _, args := range [][]string{
				{"info", song},
				{"render", song, "--mix", filepath.Join(out, "mix.wav")},
				{"archive", song, filepath.Join(dir, "a.zip")},
				{"master", song, "--out", filepath.Join(out, "m.mp3")},
				{"loudness", song},
				{"takehome", song, "--to", out},
				{"play", song, "--device", "virtual", "--seconds", "0.1"},
				{"cd", "--title", "Plate", song, "--out", out},
			} {
				code, stdout, stderr, _ := runBinary(t, 2*time.Second, args...)
				if line := "sangstudio " + args[0] + ": " + want + "\n"; code != 1 || stderr != line || stdout != "" {
					t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit 1 and only %q", strings.Join(args, " "), code, stdout, stderr, line)
				}
			}
			if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("something was written: %v", walk(t, out))
			}
			if _, err := os.Stat(filepath.Join(dir, "a.zip")); !errors.Is(err, os.ErrNotExist) {
				t.Error("an archive was written")
			}
		})
	}
	t.Run("song.json a link", func(t *testing.T) {
		dir := t.TempDir()
		song, other := filepath.Join(dir, "Sang"), filepath.Join(dir, "Annen")
		mustSang(t, "new", song)
		mustSang(t, "new", other, "--title", "Annen")
		path := filepath.Join(song, projects.SongFile)
		os.Remove(path)
		if err := os.Symlink(filepath.Join(other, projects.SongFile), path); err != nil {
			t.Fatal(err)
		}
		want := "sangstudio info: " + path + " is a link; a song keeps its own audio files\n"
		if code, _, stderr, _ := runBinary(t, time.Second, "info", song); code != 1 || stderr != want {
			t.Errorf("info: exit %d, stderr %q; want 1 and %q", code, stderr, want)
		}
	})
}
