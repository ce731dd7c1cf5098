package library

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"sangstudio/projects"
)

func openLib(t testing.TB) *Library {
	t.Helper()
	l, err := Open(filepath.Join(t.TempDir(), "Sangstudio"))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// makeSong creates Root/name with a title, a track with one clip of frames
// frames at 48 kHz (if frames > 0) and its take file.
func makeSong(t testing.TB, l *Library, name, title string, frames int64) string {
	t.Helper()
	dir := filepath.Join(l.Root, name)
	s := projects.New(title, 48000)
	if frames > 0 {
		tr := projects.NewTrack("Voice", 1)
		tr.Clips = append(tr.Clips, projects.Clip{Take: "0001-Voice.wav", Length: frames})
		s.Tracks = append(s.Tracks, tr)
		s.Takes = []projects.TakeInfo{{File: "0001-Voice.wav", Recorded: "2024-01-01T10:00:00Z", Frames: frames}}
	}
	if err := projects.Create(dir, s); err != nil {
		t.Fatal(err)
	}
	if frames > 0 {
		writeFile(t, filepath.Join(dir, projects.AudioDir, "0001-Voice.wav"), "RIFF")
	}
	return dir
}

func writeFile(t testing.TB, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
}

func setTime(t testing.TB, path string, at time.Time) {
	t.Helper()
	if err := os.Chtimes(path, at, at); err != nil {
		t.Fatal(err)
	}
}

func names(es []Entry) string {
	var n []string
	for _, e := range es {
		n = append(n, e.Name)
	}
	return strings.Join(n, ",")
}

func find(t *testing.T, es []Entry, name string) Entry {
	t.Helper()
	for _, e := range es {
		if e.Name == name {
			return e
		}
	}
	t.Fatalf("%q not listed in %s", name, names(es))
	return Entry{}
}

func TestOpenCreatesPrivateRoot(t *testing.T) {
	l := openLib(t)
	fi, err := os.Stat(l.Root)
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("root: %v %v", fi.Mode(), err)
	}
	if !strings.HasSuffix(DefaultRoot(), string(filepath.Separator)+"Sangstudio") {
		t.Errorf("DefaultRoot = %s", DefaultRoot())
	}
}

func TestList(t *testing.T) {
	l := openLib(t)
	base := time.Date(2024, 5, 1, 12, 0, 0, 0, time.Local)

	a := makeSong(t, l, "A", "Morning song", 96000)
	writeFile(t, filepath.Join(a, projects.ExportsDir, "old.wav"), "x")
	writeFile(t, filepath.Join(a, projects.ExportsDir, "new.wav"), "x")
	writeFile(t, filepath.Join(a, projects.ExportsDir, "newest.mp3"), "x")
	setTime(t, filepath.Join(a, projects.ExportsDir, "old.wav"), base.Add(-time.Hour))
	setTime(t, filepath.Join(a, projects.ExportsDir, "new.wav"), base)
	setTime(t, filepath.Join(a, projects.ExportsDir, "newest.mp3"), base.Add(time.Hour))
	setTime(t, filepath.Join(a, projects.SongFile), base.Add(-2*time.Hour))

	b := makeSong(t, l, "B", "Evening song", 0)
	setTime(t, filepath.Join(b, projects.SongFile), base)

	// Damaged song.json with a good earlier copy.
	c := makeSong(t, l, "C", "Recovered", 0)
	if err := projects.Save(c, projects.New("Recovered", 48000)); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(c, projects.SongFile), "garbage{")
	setTime(t, filepath.Join(c, projects.SongFile), base.Add(-3*time.Hour))

	// Newer schema.
	writeFile(t, filepath.Join(l.Root, "D", projects.SongFile), `{"schema": 99, "title": "Future", "wings": true}`)
	setTime(t, filepath.Join(l.Root, "D", projects.SongFile), base.Add(-4*time.Hour))

	// Garbage, no earlier copy.
	writeFile(t, filepath.Join(l.Root, "E", projects.SongFile), "\x00\x01 not json")
	setTime(t, filepath.Join(l.Root, "E", projects.SongFile), base.Add(-5*time.Hour))

	// Missing take file.
	f := makeSong(t, l, "F", "Gap", 48000)
	os.Remove(filepath.Join(f, projects.AudioDir, "0001-Voice.wav"))
	setTime(t, filepath.Join(f, projects.SongFile), base.Add(-6*time.Hour))

	addSkipped(t, l)

	es, err := l.List()
	if err != nil {
		t.Fatal(err)
	}
	if got := names(es); got != "B,A,C,D,E,F" {
		t.Fatalf("order = %s, want B,A,C,D,E,F", got)
	}
	ea := find(t, es, "A")
	if ea.Dir != a || ea.Title != "Morning song" || ea.Length != 2*time.Second || ea.Tracks != 1 || ea.Takes != 1 || ea.Problem != "" {
		t.Errorf("A = %+v", ea)
	}
	if !ea.Modified.Equal(base.Add(-2 * time.Hour)) {
		t.Errorf("A modified %v", ea.Modified)
	}
	if ea.Bounce != filepath.Join(a, projects.ExportsDir, "new.wav") {
		t.Errorf("A bounce = %q", ea.Bounce)
	}
	if eb := find(t, es, "B"); eb.Title != "Evening song" || eb.Length != 0 || eb.Bounce != "" || eb.Takes != 0 || eb.Problem != "" {
		t.Errorf("B = %+v", eb)
	}
	if ec := find(t, es, "C"); ec.Title != "Recovered" || ec.Problem != "song.json was damaged; it opens from the save before" {
		t.Errorf("C = %+v", ec)
	}
	if ed := find(t, es, "D"); ed.Problem != "made by a newer Sangstudio" || ed.Title != "Future" {
		t.Errorf("D = %+v", ed)
	}
	if ee := find(t, es, "E"); !strings.HasPrefix(ee.Problem, "cannot be read: ") || ee.Title != "E" {
		t.Errorf("E = %+v", ee)
	}
	if ef := find(t, es, "F"); ef.Problem != "some recordings are missing" || ef.Title != "Gap" || ef.Length != time.Second || ef.Takes != 1 {
		t.Errorf("F = %+v", ef)
	}
}

// addSkipped puts in the library what List skips: a folder that is no
// song, hidden folders, a file and a link to a song.
func addSkipped(t *testing.T, l *Library) {
	writeFile(t, filepath.Join(l.Root, "Notes", "readme.txt"), "x")
	makeSong(t, l, ".cache", "Hidden", 0)
	writeFile(t, filepath.Join(l.Root, ".bin", "X 2024-01-01 000000", projects.SongFile), "{}")
	writeFile(t, filepath.Join(l.Root, "loose.txt"), "x")
	outside := filepath.Join(t.TempDir(), "Elsewhere")
	if err := projects.Create(outside, projects.New("Elsewhere", 0)); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(l.Root, "Link")); err != nil {
		t.Fatal(err)
	}
}

func TestNewSong(t *testing.T) {
	l := openLib(t)
	check := func(title, wantName, wantTitle string) string {
		t.Helper()
		dir, err := l.NewSong(title, 0)
		if err != nil {
			t.Fatal(err)
		}
		if filepath.Dir(dir) != l.Root || filepath.Base(dir) != wantName {
			t.Fatalf("NewSong(%q) = %s, want %s in root", title, dir, wantName)
		}
		for _, d := range []string{dir, filepath.Join(dir, projects.AudioDir), filepath.Join(dir, projects.ExportsDir)} {
			if fi, err := os.Stat(d); err != nil || fi.Mode().Perm() != 0o700 {
				t.Errorf("%s: %v %v", d, fi, err)
			}
		}
		s, _, err := projects.Load(dir)
		if err != nil || s.Title != wantTitle || s.Rate != 48000 {
			t.Fatalf("song %q: %+v %v", title, s, err)
		}
		return dir
	}
	check("Min sang", "Min-sang", "Min sang")
	check("min SANG", "min-SANG 2", "min SANG") // case-insensitive collision
	check("Min sang", "Min-sang 3", "Min sang")
	check("a/b", "a-b", "a/b")
	check("..", "Song", "..")
	check("../../etc", "etc", "../../etc")
	check("x\x00\ny", "x-y", "x  y")
	check("   ", "Song 2", "Song 2")
	check("Sølvkre", "Sølvkre", "Sølvkre")
	if dir, err := l.NewSong("Fast", 96000); err != nil || filepath.Base(dir) != "Fast" {
		t.Fatal(dir, err)
	}
	if _, err := l.NewSong("Odd", 12345); err == nil {
		t.Error("rate 12345 accepted")
	}
	if _, err := os.Stat(filepath.Join(l.Root, "Odd")); !os.IsNotExist(err) {
		t.Error("folder left behind for a refused song")
	}
}

func TestRename(t *testing.T) {
	l := openLib(t)
	a := makeSong(t, l, "Old", "Old", 48000)
	makeSong(t, l, "Taken", "Taken", 0)

	dir, err := l.Rename(a, "New name")
	if err != nil || dir != filepath.Join(l.Root, "New-name") {
		t.Fatal(dir, err)
	}
	if s, _, err := projects.Load(dir); err != nil || s.Title != "New name" {
		t.Fatal(s, err)
	}
	if _, err := os.Stat(a); !os.IsNotExist(err) {
		t.Error("old folder still there")
	}
	dir, err = l.Rename(dir, "taken")
	if err != nil || filepath.Base(dir) != "taken 2" {
		t.Fatal(dir, err)
	}
	// The same folder name: only the title changes.
	dir2, err := l.Rename(dir, "taken")
	if err != nil || dir2 != dir {
		t.Fatal(dir2, err)
	}

	// Open in a window: refused, nothing changed.
	win, err := projects.LockOpen(dir, "the Sangstudio window")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Rename(dir, "Other"); err == nil || !strings.Contains(err.Error(), "the song is open in another window") {
		t.Fatalf("rename of a song open in a window: %v", err)
	}
	if err := l.Delete(dir); err == nil || !strings.Contains(err.Error(), "open in another window") {
		t.Fatalf("delete of a song open in a window: %v", err)
	}
	win.Release()
	// Being changed by another program (its lock held): refused too.
	f, err := os.Open(filepath.Join(dir, ".lock"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Rename(dir, "Other"); err == nil || !strings.Contains(err.Error(), "another program is changing the song") {
		t.Fatalf("rename while another program changes the song: %v", err)
	}
	syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	if s, _, err := projects.Load(dir); err != nil || s.Title != "taken" {
		t.Fatal("locked song changed:", s, err)
	}
	if _, err := os.Stat(filepath.Join(l.Root, "Other")); !os.IsNotExist(err) {
		t.Error("locked song's folder renamed")
	}

	// A newer song is never rewritten.
	writeFile(t, filepath.Join(l.Root, "Future", projects.SongFile), `{"schema": 99, "title": "F"}`)
	if _, err := l.Rename(filepath.Join(l.Root, "Future"), "X"); err == nil || !strings.Contains(err.Error(), "newer Sangstudio") {
		t.Fatal(err)
	}
	if _, err := l.Rename(dir, " \n "); err == nil {
		t.Error("empty title accepted")
	}
}

func TestDeleteRestoreEmptyBin(t *testing.T) {
	l := openLib(t)
	a := makeSong(t, l, "Alpha", "Alpha", 48000)
	b := makeSong(t, l, "Beta", "Beta", 0)
	before := time.Now().Truncate(time.Second)

	if err := l.Delete(a); err != nil {
		t.Fatal(err)
	}
	if err := l.Delete(b); err != nil {
		t.Fatal(err)
	}
	if es, _ := l.List(); len(es) != 0 {
		t.Fatalf("List after delete = %s", names(es))
	}
	bin, err := l.Bin()
	if err != nil || len(bin) != 2 {
		t.Fatal(bin, err)
	}
	ea := find(t, bin, "Alpha")
	if filepath.Dir(ea.Dir) != filepath.Join(l.Root, ".bin") || !strings.HasPrefix(filepath.Base(ea.Dir), "Alpha ") ||
		ea.Title != "Alpha" || ea.Length != time.Second || ea.Deleted.Before(before) || ea.Deleted.After(time.Now()) {
		t.Errorf("bin entry = %+v", ea)
	}
	if _, err := os.Stat(filepath.Join(ea.Dir, projects.AudioDir, "0001-Voice.wav")); err != nil {
		t.Error("take lost in the bin:", err)
	}

	// Restore with the name taken in the meantime.
	if _, err := l.NewSong("alpha", 0); err != nil {
		t.Fatal(err)
	}
	dir, err := l.Restore(ea.Dir)
	if err != nil || dir != filepath.Join(l.Root, "Alpha 2") {
		t.Fatal(dir, err)
	}
	if s, _, err := projects.Load(dir); err != nil || s.Title != "Alpha" {
		t.Fatal(s, err)
	}
	if es, _ := l.List(); len(es) != 2 {
		t.Fatalf("List after restore = %s", names(es))
	}

	// A link in the bin to a folder outside: only the link goes.
	outside := t.TempDir()
	writeFile(t, filepath.Join(outside, "keep.txt"), "precious")
	if err := os.Symlink(outside, filepath.Join(l.Root, ".bin", "Link 2024-01-01 000000")); err != nil {
		t.Fatal(err)
	}
	// A link inside a binned song, too.
	if err := os.Symlink(outside, filepath.Join(find(t, bin, "Beta").Dir, "audio", "link")); err != nil {
		t.Fatal(err)
	}
	n, err := l.EmptyBin()
	if err != nil || n != 2 {
		t.Fatal(n, err)
	}
	if data, err := os.ReadFile(filepath.Join(outside, "keep.txt")); err != nil || string(data) != "precious" {
		t.Fatal("link target touched:", err)
	}
	if bin, _ := l.Bin(); len(bin) != 0 {
		t.Errorf("bin after EmptyBin = %s", names(bin))
	}
	if es, _ := l.List(); len(es) != 2 {
		t.Errorf("EmptyBin touched the library: %s", names(es))
	}
	if n, err := l.EmptyBin(); n != 0 || err != nil {
		t.Error(n, err)
	}
}

func TestBinOrderAndNames(t *testing.T) {
	l := openLib(t)
	for _, n := range []string{"Old 2024-01-01 100000", "New 2024-03-01 093000", "New 2024-03-01 093000 2"} {
		if err := projects.Create(filepath.Join(l.Root, ".bin", n), projects.New(strings.Fields(n)[0], 0)); err != nil {
			t.Fatal(err)
		}
	}
	odd := filepath.Join(l.Root, ".bin", "odd")
	if err := projects.Create(odd, projects.New("Odd", 0)); err != nil {
		t.Fatal(err)
	}
	mt := time.Date(2023, 1, 1, 0, 0, 0, 0, time.Local)
	setTime(t, odd, mt)
	bin, err := l.Bin()
	if err != nil {
		t.Fatal(err)
	}
	if got := names(bin); got != "New,New,Old,odd" {
		t.Fatalf("bin order = %s", got)
	}
	if want := time.Date(2024, 3, 1, 9, 30, 0, 0, time.Local); !bin[0].Deleted.Equal(want) {
		t.Errorf("deleted = %v, want %v", bin[0].Deleted, want)
	}
	if !bin[3].Deleted.Equal(mt) {
		t.Errorf("odd deleted = %v", bin[3].Deleted)
	}
	d1, err := l.Restore(bin[0].Dir)
	if err != nil || filepath.Base(d1) != "New" {
		t.Fatal(d1, err)
	}
	d2, err := l.Restore(bin[1].Dir)
	if err != nil || filepath.Base(d2) != "New 2" {
		t.Fatal(d2, err)
	}
}

func TestRefusesPathsOutsideRoot(t *testing.T) {
	l := openLib(t)
	a := makeSong(t, l, "Song", "Song", 0)
	other := openLib(t)
	o := makeSong(t, other, "Other", "Other", 0)
	writeFile(t, filepath.Join(l.Root, "file.txt"), "x")
	makeSong(t, l, "Song/Inner", "Inner", 0)

	for _, p := range []string{"", "/tmp/x", l.Root, l.Root + "/", l.Root + "/../y", l.Root + "/.bin", o,
		filepath.Join(a, "Inner"), filepath.Join(l.Root, "file.txt"), filepath.Join(l.Root, "Missing"), filepath.Dir(l.Root)} {
		if err := l.Delete(p); err == nil {
			t.Errorf("Delete(%q) accepted", p)
		}
		if _, err := l.Rename(p, "X"); err == nil {
			t.Errorf("Rename(%q) accepted", p)
		}
		if _, err := l.Restore(p); err == nil {
			t.Errorf("Restore(%q) accepted", p)
		}
	}
	// Restore only takes entries of the bin, not songs in the library.
	if err := l.Delete(filepath.Join(l.Root, "file.txt")); err == nil {
		t.Error("file deleted")
	}
	if _, err := l.Restore(a); err == nil || !strings.Contains(err.Error(), "bin") {
		t.Errorf("Restore(song in root) = %v", err)
	}
	if es, _ := l.List(); names(es) != "Song" {
		t.Errorf("library changed: %s", names(es))
	}
	if _, err := os.Stat(o); err != nil {
		t.Error("other library touched")
	}
	// The relative spelling of a real song is cleaned and accepted.
	if err := l.Delete(l.Root + "/x/../Song/"); err != nil {
		t.Error(err)
	}
}

func TestLinkedSongAndLinkedBin(t *testing.T) {
	l := openLib(t)
	outside := t.TempDir()
	song := filepath.Join(outside, "Real")
	if err := projects.Create(song, projects.New("Real", 0)); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(l.Root, "Linked")
	if err := os.Symlink(song, link); err != nil {
		t.Fatal(err)
	}
	// Deleting a link moves the link; the song it points at stays put.
	if err := l.Delete(link); err != nil {
		t.Fatal(err)
	}
	if !projects.Exists(song) {
		t.Fatal("linked song moved")
	}
	bin, _ := l.Bin()
	if len(bin) != 1 || bin[0].Problem == "" {
		t.Fatalf("bin = %+v", bin)
	}
	if n, err := l.EmptyBin(); n != 1 || err != nil {
		t.Fatal(n, err)
	}
	if !projects.Exists(song) {
		t.Fatal("EmptyBin removed a linked song")
	}

	// A bin that is itself a link is never used.
	os.Remove(filepath.Join(l.Root, ".bin"))
	target := t.TempDir()
	writeFile(t, filepath.Join(target, "Keep", "data"), "x")
	if err := os.Symlink(target, filepath.Join(l.Root, ".bin")); err != nil {
		t.Fatal(err)
	}
	if _, err := l.EmptyBin(); err == nil {
		t.Error("EmptyBin used a linked bin")
	}
	if _, err := os.Stat(filepath.Join(target, "Keep", "data")); err != nil {
		t.Fatal("linked bin emptied")
	}
	a := makeSong(t, l, "A", "A", 0)
	if err := l.Delete(a); err == nil {
		t.Error("Delete moved a song into a linked bin")
	}
}

// BenchmarkList200 lists a library of 200 small songs.
func BenchmarkList200(b *testing.B) {
	l := openLib(b)
	for i := 0; i < 200; i++ {
		dir := makeSong(b, l, fmt.Sprintf("Song %03d", i), fmt.Sprintf("Song %d", i), 48000*int64(i+1))
		writeFile(b, filepath.Join(dir, projects.ExportsDir, "mix.wav"), "RIFF")
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		es, err := l.List()
		if err != nil || len(es) != 200 {
			b.Fatal(len(es), err)
		}
	}
}
