package main

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"sangstudio/internal/testtool"
	"sangstudio/internal/wavtest"
)

// nobody is the unprivileged user the read-only tests run the program as
// when they run as root (root may write into any folder).
const nobody = 65534

// TestReadOnlySongWorks (issue 17, item 7): every command that only reads
// a song works on a song it may not write to, and leaves the song folder
// byte for byte as it was; every command that changes the song is refused
// naming the song folder. Two cases:
//
//   - "own, 0500": the song belongs to the user running the program, its
//     folders 0500 and files 0400 (a song on a write-protected stick, or
//     made read-only);
//   - "another user's": the song belongs to another user (root), folders
//     0555 and files 0444, so it can be read but not written (a
//     colleague's folder). A folder 0500 of another user could not even be
//     read.
//
// Run as root, the program runs as nobody (through the process's
// credentials), with its home and cache folder in a folder nobody owns;
// not as root, the first case is made with chmod and the second is
// skipped.
func TestReadOnlySongWorks(t *testing.T) {
	for _, c := range []readOnlyCase{
		{"own, 0500", -1, 0o500, 0o400},
		{"another user's", 0, 0o555, 0o444},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := os.Geteuid() == 0
			if c.owner >= 0 && !root {
				t.Skip("a song owned by another user needs root to make")
			}
			r, song, frames := makeReadOnlySong(t, c, root)
			before := testtool.Listing(t, song)
			album := checkReadingCommands(r, song, frames)
			checkChangesRefused(r, song, album)
			if after := testtool.Listing(t, song); after != before {
				t.Fatalf("the song folder changed:\n%s\nwas\n%s", after, before)
			}
		})
	}
}

// readOnlyCase is one case of TestReadOnlySongWorks.
type readOnlyCase struct {
	name       string
	owner      int // -1: the song is owned by the user running the program
	dirs, file os.FileMode
}

// readOnlyRunner runs a copy of the program as uid (when the test runs as
// root) with its home and cache folders in out.
type readOnlyRunner struct {
	t          *testing.T
	bin        string
	out, cache string
	uid        int
	root       bool
}

func (r readOnlyRunner) run(args ...string) (int, string) {
	r.t.Helper()
	cmd := exec.Command(r.bin, args...)
	cmd.Env = append(os.Environ(), "HOME="+r.out, "XDG_CONFIG_HOME="+filepath.Join(r.out, "config"), "XDG_CACHE_HOME="+r.cache)
	if r.root {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(r.uid), Gid: uint32(r.uid), Groups: []uint32{}}}
	}
	b, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		r.t.Fatal(err)
	}
	return code, string(b)
}

func (r readOnlyRunner) must(args ...string) string {
	r.t.Helper()
	code, o := r.run(args...)
	if code != 0 {
		r.t.Fatalf("%s on a read-only song: exit %d\n%s", strings.Join(args, " "), code, o)
	}
	return o
}

func (r readOnlyRunner) exists(p string) {
	r.t.Helper()
	if st, err := os.Stat(p); err != nil || st.Size() == 0 {
		r.t.Errorf("%s was not written: %v", p, err)
	}
}

// makeReadOnlySong makes, in a fresh folder, a copy of the program and a
// song with an audio track (5 s: a CD track needs 4) and two MIDI tracks,
// and no cache (the MIDI renders must be made), owned and made read-only
// as c says. It returns the runner, the song folder and the audio take's
// length in frames.
func makeReadOnlySong(t *testing.T, c readOnlyCase, root bool) (readOnlyRunner, string, int) {
	base, err := os.MkdirTemp("", "sang-readonly-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				os.Chmod(p, 0o700)
			}
			return nil
		})
		os.RemoveAll(base)
	})
	os.Chmod(base, 0o755)
	bin := filepath.Join(base, "sangstudio")
	copyExecutable(t, binary(t), bin)
	song, out := filepath.Join(base, "song"), filepath.Join(base, "out")
	os.Mkdir(out, 0o700)

	wavPath := filepath.Join(out, "gitar.wav")
	sig := make([]float32, 5*48000)
	for i := range sig {
		sig[i] = 0.3 * float32(i%200-100) / 100
	}
	wavtest.Write(t, wavPath, 48000, [][]float32{sig})
	mustSang(t, "import", song, wavPath, writeMID(t, out))
	if err := os.RemoveAll(filepath.Join(song, ".cache")); err != nil {
		t.Fatal(err)
	}
	uid := os.Geteuid()
	if root {
		uid = nobody
		owner := nobody
		if c.owner >= 0 {
			owner = c.owner
		}
		if err := os.Chown(out, nobody, nobody); err != nil {
			t.Fatal(err)
		}
		filepath.WalkDir(song, func(p string, d fs.DirEntry, err error) error {
			if err == nil {
				os.Lchown(p, owner, owner)
			}
			return err
		})
	}
	chmodTree(song, c.dirs, c.file)
	return readOnlyRunner{t: t, bin: bin, out: out, cache: filepath.Join(out, "cache"), uid: uid, root: root}, song, len(sig)
}

// chmodTree gives the files below dir mode file, then the folders (dir
// itself too) mode dirs.
func chmodTree(dir string, dirs, file os.FileMode) {
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			os.Chmod(p, file)
		}
		return err
	})
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			os.Chmod(p, dirs)
		}
		return err
	})
}

// checkReadingCommands runs every command that only reads the song (frames
// long) and checks what each wrote; it returns the album folder it made.
func checkReadingCommands(r readOnlyRunner, song string, frames int) (album string) {
	t, out := r.t, r.out
	if o := r.must("info", song); !strings.Contains(o, "Arpeggio") || !strings.Contains(o, "gitar") {
		t.Errorf("info:\n%s", o)
	}
	r.must("render", song, "--mix", filepath.Join(out, "mix.wav"), "--stems", filepath.Join(out, "stems"))
	if _, audio := wavtest.Read(t, filepath.Join(out, "mix.wav")); len(audio[0]) < frames {
		t.Errorf("the mix has %d frames, the audio take %d", len(audio[0]), frames)
	}
	if o := r.must("loudness", song); !strings.Contains(o, "Integrated loudness") || strings.Contains(o, "NaN") {
		t.Errorf("loudness:\n%s", o)
	}
	r.must("master", song, "--out", filepath.Join(out, "master.mp3"))
	r.exists(filepath.Join(out, "master.mp3"))
	r.must("master", song, "--out", filepath.Join(out, "master.wav"))
	r.exists(filepath.Join(out, "master.wav"))
	r.must("archive", song, filepath.Join(out, "song.zip"))
	r.exists(filepath.Join(out, "song.zip"))
	stick := filepath.Join(out, "stick")
	os.Mkdir(stick, 0o700)
	os.Chown(stick, r.uid, r.uid)
	r.must("takehome", song, "--to", stick, "--wav")
	if ents, _ := filepath.Glob(filepath.Join(stick, "*", "*.wav")); len(ents) != 1 {
		t.Errorf("take home put %v on the stick", ents)
	}
	album = filepath.Join(out, "album")
	r.must("album", album, "--title", "Plata", song)
	r.must("cd", album, "--out", filepath.Join(out, "cd"))
	if cues, _ := filepath.Glob(filepath.Join(out, "cd", "*.cue")); len(cues) != 1 {
		t.Errorf("cd made %v", cues)
	}
	r.must("play", song, "--device", "virtual", "--seconds", "0.5")

	// The MIDI tracks were rendered into the song's own folder in the
	// user's cache; no temporary mix is left there.
	renders, _ := filepath.Glob(filepath.Join(r.cache, "sangstudio", "*", "midi", "*.wav"))
	if len(renders) == 0 {
		t.Errorf("no MIDI render in the user's cache folder %s", r.cache)
	}
	filepath.WalkDir(r.cache, func(p string, d fs.DirEntry, err error) error {
		if err == nil && (strings.Contains(d.Name(), "-mix") || strings.HasPrefix(d.Name(), "takehome-")) {
			t.Errorf("left in the user's cache: %s", p)
		}
		return nil
	})
	return album
}

// checkChangesRefused checks that commands that change the song are
// refused, naming the song folder, and so is a change to the album in a
// folder made read-only.
func checkChangesRefused(r readOnlyRunner, song, album string) {
	for _, args := range [][]string{
		{"set", song, "1", "--gain", "-3"},
		{"add-track", song, "Bass"},
		{"soundfont", song, "builtin"},
		{"record", song, "--device", "virtual", "--virtual-input", "sine", "--seconds", "0.5"},
	} {
		code, o := r.run(args...)
		if code != 1 || !strings.Contains(o, "the song folder may not be written to") || strings.Contains(o, "panic") {
			r.t.Errorf("%s on a read-only song: exit %d\n%s", args[0], code, o)
		}
	}
	os.Chmod(album, 0o500)
	if code, o := r.run("album", album, "--title", "Plata 2"); code != 1 || !strings.Contains(o, "the album folder "+album+" may not be written to") {
		r.t.Errorf("album in a read-only folder: exit %d\n%s", code, o)
	}
}
