package archive

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"syscall"
	"testing"

	"sangstudio/audio/demosong"
	"sangstudio/internal/fuzzcheck"
	"sangstudio/projects"
	"sangstudio/projects/songlog"
)

// listing describes everything below dir (names, types, modes, sizes), for
// before/after comparisons.
func listing(t testing.TB, dir string) string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		size := fi.Size()
		if fi.IsDir() {
			size = 0
		}
		out = append(out, rel+" "+fi.Mode().String()+" "+string(rune('0'+size%10)))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// checkPrivate asserts every folder below dir is 0700 and every file 0600,
// with no links or other files.
func checkPrivate(t testing.TB, dir string) {
	t.Helper()
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Error(err)
			return err
		}
		fi, _ := os.Lstat(p)
		switch {
		case fi.IsDir() && fi.Mode().Perm() != projects.DirPerm:
			t.Errorf("%s: folder mode %v, want 0700", p, fi.Mode().Perm())
		case fi.Mode().IsRegular() && fi.Mode().Perm() != projects.FilePerm:
			t.Errorf("%s: file mode %v, want 0600", p, fi.Mode().Perm())
		case !fi.IsDir() && !fi.Mode().IsRegular():
			t.Errorf("%s: not a plain file or folder (%v)", p, fi.Mode())
		}
		return nil
	})
}

func TestRoundTrip(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	src := filepath.Join(t.TempDir(), "Morgenlys")
	song, err := demosong.Create(src, 48000)
	if err != nil {
		t.Fatal(err)
	}
	// Things that must not travel.
	os.MkdirAll(filepath.Join(src, ".history"), 0o700)
	os.WriteFile(filepath.Join(src, ".history", "x"), []byte("undo"), 0o600)
	os.MkdirAll(filepath.Join(src, ".cache", "peaks"), 0o700)
	os.WriteFile(filepath.Join(src, ".open"), nil, 0o600)
	os.WriteFile(filepath.Join(src, projects.ExportsDir, "mix.wav"), []byte("RIFF"), 0o600)
	os.WriteFile(filepath.Join(src, projects.AudioDir, "9999-unused.wav"), []byte("RIFF"), 0o600)

	zipPath := filepath.Join(t.TempDir(), "morgenlys.zip")
	if err := Export(context.Background(), src, zipPath); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(zipPath); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("archive: %v %v", fi, err)
	}
	if m, _ := filepath.Glob(filepath.Join(filepath.Dir(zipPath), ".*")); len(m) != 0 {
		t.Errorf("temporary files left: %v", m)
	}
	checkArchiveEntries(t, zipPath, song)

	root := t.TempDir()
	os.Mkdir(filepath.Join(root, "Morgenlys"), 0o700) // the name is taken
	dir, err := Import(context.Background(), zipPath, root)
	if err != nil {
		t.Fatal(err)
	}
	if dir != filepath.Join(root, "Morgenlys 2") {
		t.Errorf("imported as %s", dir)
	}
	got, rec, err := projects.Load(dir)
	if err != nil || rec != nil {
		t.Fatal(err, rec)
	}
	want, _, _ := projects.Load(src)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the imported song differs:\n%+v\n%+v", got, want)
	}
	for _, c := range want.AllClips() {
		a, _ := os.ReadFile(projects.AudioPath(src, c.Take))
		b, err := os.ReadFile(projects.AudioPath(dir, c.Take))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("take %s differs after the round trip: %v", c.Take, err)
		}
	}
	checkPrivate(t, dir)
	for _, n := range []string{".history", ".cache", ".open", "exports/mix.wav", "audio/9999-unused.wav"} {
		if _, err := os.Lstat(filepath.Join(dir, n)); err == nil {
			t.Errorf("%s travelled with the song", n)
		}
	}
	ents, _ := os.ReadDir(root)
	if len(ents) != 2 {
		t.Errorf("library holds %d entries after the import (temporary folder left?)", len(ents))
	}
	// And a third time: "Morgenlys 3".
	if dir, err := Import(context.Background(), zipPath, root); err != nil || filepath.Base(dir) != "Morgenlys 3" {
		t.Error(dir, err)
	}
}

// checkArchiveEntries checks that the archive at zipPath holds song.json
// (deflated) and the takes of song (stored), and nothing else.
func checkArchiveEntries(t *testing.T, zipPath string, song *projects.Song) {
	t.Helper()
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		if strings.HasSuffix(f.Name, ".wav") && f.Method != zip.Store || strings.HasSuffix(f.Name, ".json") && f.Method != zip.Deflate {
			t.Errorf("%s: method %d", f.Name, f.Method)
		}
	}
	zr.Close()
	takes := map[string]bool{}
	for _, c := range song.AllClips() {
		takes["Morgenlys/audio/"+c.Take] = true
	}
	if len(names) != 1+len(takes) || names[0] != "Morgenlys/song.json" {
		t.Errorf("archive holds %v; want song.json and the %d takes", names, len(takes))
	}
	for _, n := range names[1:] {
		if !takes[n] {
			t.Errorf("archive holds %s", n)
		}
	}
}

func TestExportCancelledLeavesNothing(t *testing.T) {
	src := filepath.Join(t.TempDir(), "S")
	if _, err := demosong.Create(src, 44100); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Export(ctx, src, filepath.Join(out, "s.zip")); err == nil {
		t.Fatal("a cancelled export succeeded")
	}
	if ents, _ := os.ReadDir(out); len(ents) != 0 {
		t.Errorf("left %v", ents)
	}
}

// zentry is one entry of a hand-made archive.
type zentry struct {
	name   string
	data   string
	mode   fs.FileMode // 0: a plain 0644 file (or folder when name ends in /)
	method uint16
}

const songJSON = `{"schema":1,"title":"T","rate":48000,"tempo":120,"time_signature":{"beats":4,"unit":4},
"tracks":[{"name":"V","kind":"audio","channels":1,"gain_db":0,"pan":0,"mute":false,"solo":false,
"clips":[{"take":"0001-V.wav","position":0,"offset":0,"length":1,"gain_db":0,"fade_in":0,"fade_out":0}]}],
"markers":[],"lyrics":"","master":{"gain_db":0},"next_take":1}`

// goodSong is a minimal valid song archive's entries below top.
func goodSong(top string) []zentry {
	return []zentry{{name: top + "/song.json", data: songJSON}, {name: top + "/audio/0001-V.wav", data: "RIFF....WAVE"}}
}

func makeZip(t testing.TB, entries []zentry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: e.method}
		mode := e.mode
		if mode == 0 {
			mode = 0o644
			if strings.HasSuffix(e.name, "/") {
				mode = fs.ModeDir | 0o755
			}
		}
		h.SetMode(mode)
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(e.data))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// patchSizes rewrites the declared uncompressed size of the entry called
// name (in its local header and in the central directory) to size.
func patchSizes(t testing.TB, data []byte, name string, size uint32) []byte {
	t.Helper()
	out := bytes.Clone(data)
	n := 0
	for _, sig := range []struct {
		magic     string
		sizeAt    int
		nameLenAt int
		nameAt    int
	}{{"PK\x03\x04", 22, 26, 30}, {"PK\x01\x02", 24, 28, 46}} {
		for i := 0; ; {
			j := bytes.Index(out[i:], []byte(sig.magic))
			if j < 0 {
				break
			}
			i += j
			nl := int(out[i+sig.nameLenAt]) | int(out[i+sig.nameLenAt+1])<<8
			if string(out[i+sig.nameAt:i+sig.nameAt+nl]) == name {
				out[i+sig.sizeAt] = byte(size)
				out[i+sig.sizeAt+1] = byte(size >> 8)
				out[i+sig.sizeAt+2] = byte(size >> 16)
				out[i+sig.sizeAt+3] = byte(size >> 24)
				n++
			}
			i += 4
		}
	}
	if n == 0 {
		t.Fatalf("no entry %s to patch", name)
	}
	return out
}

func TestImportGood(t *testing.T) {
	root := t.TempDir()
	zp := filepath.Join(t.TempDir(), "a.zip")
	// Folder entries, a hostile mode (0777, setuid) on a file: all made private.
	entries := append([]zentry{{name: "Sang/"}, {name: "Sang/audio/", mode: fs.ModeDir | 0o777}}, goodSong("Sang")...)
	entries[3].mode = 0o4777
	os.WriteFile(zp, makeZip(t, entries), 0o600)
	dir, err := Import(context.Background(), zp, root)
	if err != nil {
		t.Fatal(err)
	}
	if dir != filepath.Join(root, "Sang") {
		t.Error(dir)
	}
	checkPrivate(t, dir)
}

func TestImportRefusesHostileArchives(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	good := goodSong("S")
	huge := makeZip(t, append(good, zentry{name: "S/big", data: strings.Repeat("x", 100), method: zip.Deflate}))
	lying := makeZip(t, append(good, zentry{name: "S/lie", data: strings.Repeat("y", 5000), method: zip.Deflate}))
	lyingStored := makeZip(t, append(good, zentry{name: "S/lie", data: strings.Repeat("y", 5000)}))
	full := makeZip(t, good)
	tests := []struct {
		name string
		zip  []byte
		want string // in the message
	}{
		{"zip-slip", makeZip(t, append(good, zentry{name: "../evil", data: "x"})), `"../evil"`},
		{"zip-slip inside", makeZip(t, append(good, zentry{name: "S/../../evil", data: "x"})), `".."`},
		{"absolute", makeZip(t, append(good, zentry{name: "/abs", data: "x"})), "absolute"},
		{"a/../../x", makeZip(t, append(good, zentry{name: "a/../../x", data: "x"})), ".."},
		{"backslash", makeZip(t, append(good, zentry{name: `S\..\..\evil`, data: "x"})), "backslash"},
		{"drive letter", makeZip(t, append(good, zentry{name: `C:/evil`, data: "x"})), "drive letter"},
		{"NUL", makeZip(t, append(good, zentry{name: "S/a\x00b", data: "x"})), "NUL"},
		{"not UTF-8", makeZip(t, append(good, zentry{name: "S/\xff\xfe", data: "x"})), "UTF-8"},
		{"symlink", makeZip(t, append(good, zentry{name: "S/audio/link", data: "/etc/passwd", mode: fs.ModeSymlink | 0o777})), "symbolic link"},
		{"symlink then through it", makeZip(t, append([]zentry{{name: "S/l", data: "/tmp", mode: fs.ModeSymlink | 0o777}}, append(good, zentry{name: "S/l/evil", data: "x"})...)), "symbolic link"},
		{"device", makeZip(t, append(good, zentry{name: "S/dev", mode: fs.ModeDevice | 0o600})), "not a plain file"},
		{"fifo", makeZip(t, append(good, zentry{name: "S/fifo", mode: fs.ModeNamedPipe | 0o600})), "not a plain file"},
		{"two top folders", makeZip(t, append(good, goodSong("T")...)), "one folder"},
		{"duplicate", makeZip(t, append(good, zentry{name: "S/song.json", data: "{}"})), "same name"},
		{"duplicate in case", makeZip(t, append(good, zentry{name: "S/Audio/0001-V.wav", data: "x"})), "same name"},
		{"file and folder", makeZip(t, append(good, zentry{name: "S/audio", data: "x"})), "same name"},
		{"huge declared size", patchSizes(t, huge, "S/big", 0xFFFFFFF0), "less data than"},
		{"lying size (deflate)", patchSizes(t, lying, "S/lie", 100), "more data than"},
		{"lying size (stored)", patchSizes(t, lyingStored, "S/lie", 100), "declares"},
		{"not a song", makeZip(t, []zentry{{name: "S/notes.txt", data: "hei"}}), "song"},
		{"song missing its take", makeZip(t, good[:1]), "missing"},
		{"damaged song.json", makeZip(t, []zentry{{name: "S/song.json", data: "{"}}), "song"},
		{"truncated", full[:len(full)/2], "zip"},
		{"empty file", nil, "zip"},
		{"empty zip", makeZip(t, nil), "empty"},
		{"hidden top", makeZip(t, goodSong(".S")), "hidden"},
		{"dot part", makeZip(t, append(good, zentry{name: "S/./x", data: "x"})), `"."`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			parent := t.TempDir()
			root := filepath.Join(parent, "lib")
			os.Mkdir(root, 0o700)
			os.WriteFile(filepath.Join(root, "keep.txt"), []byte("mine"), 0o600)
			zp := filepath.Join(t.TempDir(), "hostile.zip")
			os.WriteFile(zp, tc.zip, 0o600)
			beforeRoot, beforeParent := listing(t, root), listing(t, parent)
			dir, err := Import(context.Background(), zp, root)
			if err == nil {
				t.Fatalf("imported as %s", dir)
			}
			var ae *Error
			if !errors.As(err, &ae) || !strings.Contains(err.Error(), zp) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("message %q should name the archive and say %q", err, tc.want)
			}
			t.Logf("%v", err)
			if after := listing(t, root); after != beforeRoot {
				t.Errorf("the library changed:\n%s\n--- was ---\n%s", after, beforeRoot)
			}
			if after := listing(t, parent); after != beforeParent {
				t.Errorf("the library's parent changed:\n%s", after)
			}
			for _, p := range []string{"/evil", "/abs", "/tmp/evil", "/x"} {
				if _, err := os.Lstat(p); err == nil {
					t.Errorf("%s exists", p)
				}
			}
		})
	}
}

// TestSizeLimits: entries over 4 GB, archives over 16 GB in all and more
// than the disk's free space are refused from their declared sizes, before
// anything is read or written.
func TestSizeLimits(t *testing.T) {
	root := t.TempDir()
	file := func(name string, size uint64) *zip.File {
		f := &zip.File{FileHeader: zip.FileHeader{Name: name, Method: zip.Store, UncompressedSize64: size}}
		f.SetMode(0o644)
		return f
	}
	for _, tc := range []struct {
		files []*zip.File
		want  string
	}{
		{[]*zip.File{file("S/song.json", 10), file("S/big", MaxEntrySize+1)}, "per entry"},
		{[]*zip.File{file("S/a", MaxEntrySize), file("S/b", MaxEntrySize), file("S/c", MaxEntrySize), file("S/d", MaxEntrySize), file("S/e", 1)}, "in all"},
		{[]*zip.File{file("S/a", 3000), file("S/b", 2000)}, "free"},
	} {
		free := freeSpace
		if tc.want == "free" {
			free = func(string) (uint64, bool) { return 4096, true }
		}
		_, _, err := check(tc.files, root, free)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("check: %v, want %q", err, tc.want)
		}
	}
	if _, _, err := check([]*zip.File{file("S/song.json", 10)}, root, freeSpace); err != nil {
		t.Error(err)
	}
}

func TestImportCancelled(t *testing.T) {
	root := t.TempDir()
	zp := filepath.Join(t.TempDir(), "a.zip")
	os.WriteFile(zp, makeZip(t, goodSong("S")), 0o600)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Import(ctx, zp, root); err == nil {
		t.Fatal("a cancelled import succeeded")
	}
	if ents, _ := os.ReadDir(root); len(ents) != 0 {
		t.Errorf("left %v", ents)
	}
}

func FuzzImport(f *testing.F) {
	f.Add(makeZip(f, goodSong("S")))
	f.Add(makeZip(f, append(goodSong("S"), zentry{name: "S/audio/l", data: "/", mode: fs.ModeSymlink | 0o777})))
	f.Add(makeZip(f, append(goodSong("S"), zentry{name: "../x", data: "x"})))
	f.Add(makeZip(f, append(goodSong("S"), zentry{name: "S/big", data: strings.Repeat("z", 2000), method: zip.Deflate})))
	f.Add([]byte("PK\x05\x06\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		parent := t.TempDir()
		root := filepath.Join(parent, "lib")
		os.Mkdir(root, 0o700)
		zp := filepath.Join(parent, "in.zip")
		os.WriteFile(zp, data, 0o600)
		var dir string
		var err error
		fuzzcheck.Call(t, len(data), fuzzcheck.Limit{Base: 4 << 20, PerByte: 256}, func() { dir, err = Import(context.Background(), zp, root) })
		ents, _ := os.ReadDir(root)
		if err != nil {
			if len(ents) != 0 {
				t.Fatalf("a refused archive left %v (%v)", ents, err)
			}
		} else {
			if len(ents) != 1 || filepath.Dir(dir) != root || strings.HasPrefix(ents[0].Name(), ".") {
				t.Fatalf("imported as %s; library holds %v", dir, ents)
			}
			if _, _, err := projects.Load(dir); err != nil {
				t.Fatalf("the imported song does not open: %v", err)
			}
			checkPrivate(t, root)
		}
		if pe, _ := os.ReadDir(parent); len(pe) != 2 {
			t.Fatalf("something was written beside the library: %v", pe)
		}
	})
}

// TestTheLogTravels: a song's log (songlog) goes into its archive and
// comes out of it with the song; the export itself is noted in the log of
// the song it was made from.
func TestTheLogTravels(t *testing.T) {
	src := filepath.Join(t.TempDir(), "Morgenlys")
	if _, err := demosong.Create(src, 48000); err != nil {
		t.Fatal(err)
	}
	if err := songlog.Append(src, songlog.Entry{Event: songlog.Take, Track: "Vokal", Seconds: 12}); err != nil {
		t.Fatal(err)
	}
	zipPath := filepath.Join(t.TempDir(), "morgenlys.zip")
	if err := Export(context.Background(), src, zipPath); err != nil {
		t.Fatal(err)
	}
	es, _, err := songlog.Read(src)
	if err != nil || len(es) != 2 || es[1].Event != songlog.Copy || es[1].What != songlog.CopyArchive || es[1].Format != "zip" || es[1].To != zipPath {
		t.Fatalf("the source's log after the export: %+v, %v", es, err)
	}
	dir, err := Import(context.Background(), zipPath, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	got, damaged, err := songlog.Read(dir)
	if err != nil || damaged != 0 || len(got) != 1 || got[0].Track != "Vokal" || got[0].Seconds != 12 {
		t.Fatalf("the imported song's log: %+v, %d damaged, %v", got, damaged, err)
	}
}
