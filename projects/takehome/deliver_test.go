package takehome

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"

	"sangstudio/internal/testtool"
)

// source writes a local file of n random bytes and returns its path.
func source(t *testing.T, name string, n int, seed int64) string {
	t.Helper()
	data := make([]byte, n)
	rand.New(rand.NewSource(seed)).Read(data)
	p := filepath.Join(t.TempDir(), name)
	must(t, os.WriteFile(p, data, 0o600))
	return p
}

// tree lists everything under dir: relative path → "dir" or the content's hash.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if e.IsDir() {
			m[rel] = "dir"
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		m[rel] = fmt.Sprintf("%x", sha256.Sum256(data))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func sameTree(t *testing.T, before, after map[string]string) {
	t.Helper()
	if !reflect.DeepEqual(before, after) {
		t.Errorf("the destination changed:\nbefore %v\nafter  %v", before, after)
	}
}

func sameFile(t *testing.T, a, b string) {
	t.Helper()
	da, err := os.ReadFile(a)
	must(t, err)
	db, err := os.ReadFile(b)
	must(t, err)
	if !bytes.Equal(da, db) {
		t.Errorf("%s differs from %s", b, a)
	}
}

func TestDeliver(t *testing.T) {
	dest := t.TempDir()
	files := []File{
		{Src: source(t, "a.mp3", 1_500_000, 1), Name: "Min sang.mp3"},
		{Src: source(t, "a.wav", 3<<20+17, 2), Name: "Min sang.wav"},
		{Src: source(t, "a.txt", 120, 3), Name: "Min sang – tekst.txt"},
		{Src: source(t, "empty", 0, 4), Name: "Tom.txt"},
	}
	var calls int
	var last, total int64
	rep, err := Deliver(context.Background(), files, dest, "Blåbær 2025-06-01", func(done, tot int64) {
		if done < last {
			t.Errorf("progress went back: %d after %d", done, last)
		}
		calls++
		last, total = done, tot
	})
	if err != nil {
		t.Fatal(err)
	}
	folder := filepath.Join(dest, "Blåbær 2025-06-01")
	want := int64(1_500_000 + 3<<20 + 17 + 120)
	if rep.Folder != folder || rep.Bytes != want || len(rep.Files) != len(files) {
		t.Errorf("report %+v", rep)
	}
	if last != want || total != want || calls < 4 {
		t.Errorf("progress: %d calls, last %d of %d, want %d", calls, last, total, want)
	}
	for i, f := range files {
		if rep.Files[i] != filepath.Join(folder, f.Name) {
			t.Errorf("report file %d = %s", i, rep.Files[i])
		}
		sameFile(t, f.Src, rep.Files[i])
		fi, err := os.Stat(rep.Files[i])
		must(t, err)
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", rep.Files[i], fi.Mode())
		}
	}
	fi, err := os.Stat(folder)
	must(t, err)
	if fi.Mode().Perm() != 0o700 {
		t.Errorf("folder mode %v, want 0700", fi.Mode())
	}
	if got := len(tree(t, dest)); got != 1+1+len(files) {
		t.Errorf("destination holds %v", tree(t, dest))
	}
}

func TestDeliverIntoRoot(t *testing.T) {
	dest := t.TempDir()
	rep, err := Deliver(context.Background(), []File{{Src: source(t, "a", 10, 1), Name: "a.txt"}}, dest, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Folder != dest || rep.Files[0] != filepath.Join(dest, "a.txt") {
		t.Errorf("report %+v", rep)
	}
}

// The same song taken home twice: the second copy replaces the first, and
// other files in the folder stay.
func TestDeliverReplaces(t *testing.T) {
	dest := t.TempDir()
	first := source(t, "1.mp3", 200_000, 1)
	second := source(t, "2.mp3", 150_000, 2)
	if _, err := Deliver(context.Background(), []File{{Src: first, Name: "Sang.mp3"}}, dest, "Sang", nil); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dest, "Sang", "notater.txt")
	must(t, os.WriteFile(other, []byte("mine"), 0o600))
	rep, err := Deliver(context.Background(), []File{{Src: second, Name: "Sang.mp3"}}, dest, "Sang", nil)
	if err != nil {
		t.Fatal(err)
	}
	sameFile(t, second, rep.Files[0])
	if data, _ := os.ReadFile(other); string(data) != "mine" {
		t.Errorf("other file changed: %q", data)
	}
	if n := len(tree(t, dest)); n != 4 {
		t.Errorf("destination holds %v", tree(t, dest))
	}
}

func TestDeliverNoSpace(t *testing.T) {
	dest := testtool.SmallDisk(t, "1m")
	must(t, os.WriteFile(filepath.Join(dest, "old.txt"), []byte("old"), 0o600))
	before := tree(t, dest)
	files := []File{
		{Src: source(t, "a.wav", 1<<20, 1), Name: "Sang.wav"},
		{Src: source(t, "a.mp3", 1<<20, 2), Name: "Sang.mp3"},
	}
	_, err := Deliver(context.Background(), files, dest, "Sang", nil)
	var nse *NoSpaceError
	if !errors.As(err, &nse) {
		t.Fatalf("got %v, want a *NoSpaceError", err)
	}
	if nse.Dir != dest || nse.Need < 2<<20 || nse.Free > 1<<20 {
		t.Errorf("%+v", nse)
	}
	if !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("errors.Is(%v, ENOSPC) is false", err)
	}
	t.Log(err)
	if !strings.Contains(err.Error(), "not enough space in "+dest+": the files need 3.") {
		t.Errorf("message: %v", err)
	}
	sameTree(t, before, tree(t, dest))
}

// fill writes a file into dir until the disk is full.
func fill(t *testing.T, dir string) {
	t.Helper()
	f, err := os.Create(filepath.Join(dir, "filler"))
	must(t, err)
	defer f.Close()
	buf := make([]byte, 64<<10)
	for {
		if _, err := f.Write(buf); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			return
		}
	}
}

// The free space passes the check, but the disk fills up while writing.
func TestDeliverFullMidway(t *testing.T) {
	for _, existing := range []bool{false, true} {
		t.Run(fmt.Sprintf("existing folder %v", existing), func(t *testing.T) {
			dest := testtool.SmallDisk(t, "4m")
			if existing {
				must(t, os.Mkdir(filepath.Join(dest, "Sang"), 0o700))
				must(t, os.WriteFile(filepath.Join(dest, "Sang", "Sang.mp3"), []byte("older take"), 0o600))
			}
			before := tree(t, dest)
			files := []File{
				{Src: source(t, "a.wav", 1<<20, 1), Name: "Sang.wav"},
				{Src: source(t, "a.mp3", 1<<20, 2), Name: "Sang.mp3"},
			}
			_, err := deliver(context.Background(), files, dest, "Sang", nil, between{spaceChecked: func() { fill(t, dest) }})
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("got %v, want ENOSPC", err)
			}
			t.Log(err)
			if !strings.Contains(err.Error(), dest+" is full") || !strings.Contains(err.Error(), `"Sang.`) {
				t.Errorf("message: %v", err)
			}
			after := tree(t, dest)
			delete(after, "filler")
			sameTree(t, before, after)
		})
	}
}

func TestDeliverCancel(t *testing.T) {
	for _, existing := range []bool{false, true} {
		t.Run(fmt.Sprintf("existing folder %v", existing), func(t *testing.T) {
			dest := t.TempDir()
			if existing {
				must(t, os.Mkdir(filepath.Join(dest, "Sang"), 0o700))
				must(t, os.WriteFile(filepath.Join(dest, "Sang", "Sang.wav"), []byte("older take"), 0o600))
			}
			before := tree(t, dest)
			files := []File{
				{Src: source(t, "a.mp3", 100, 2), Name: "Sang.mp3"},
				{Src: source(t, "a.wav", 5<<20, 1), Name: "Sang.wav"},
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			_, err := Deliver(ctx, files, dest, "Sang", func(done, total int64) {
				if done > 2<<20 {
					cancel()
				}
			})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("got %v, want context.Canceled", err)
			}
			t.Log(err)
			sameTree(t, before, tree(t, dest))
		})
	}
}

func TestDeliverCancelledBefore(t *testing.T) {
	dest := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Deliver(ctx, []File{{Src: source(t, "a", 10, 1), Name: "a.txt"}}, dest, "Sang", nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
	sameTree(t, map[string]string{".": "dir"}, tree(t, dest))
}

func TestDeliverCopyDiffers(t *testing.T) {
	dest := t.TempDir()
	must(t, os.Mkdir(filepath.Join(dest, "Sang"), 0o700))
	must(t, os.WriteFile(filepath.Join(dest, "Sang", "Sang.mp3"), []byte("older take"), 0o600))
	before := tree(t, dest)
	files := []File{
		{Src: source(t, "a.mp3", 300_000, 1), Name: "Sang.mp3"},
		{Src: source(t, "a.txt", 300, 2), Name: "Sang.txt"},
	}
	_, err := deliver(context.Background(), files, dest, "Sang", nil, between{written: func(temps []string) {
		f, err := os.OpenFile(temps[1], os.O_WRONLY, 0)
		must(t, err)
		_, err = f.WriteAt([]byte{'!'}, 100)
		must(t, err)
		must(t, f.Close())
	}})
	if !errors.Is(err, ErrCopyDiffers) || !strings.Contains(err.Error(), `"Sang.txt"`) {
		t.Fatalf("got %v, want ErrCopyDiffers naming the file", err)
	}
	t.Log(err)
	sameTree(t, before, tree(t, dest))
}

func TestDeliverReadOnly(t *testing.T) {
	dest := testtool.SmallDisk(t, "1m")
	must(t, os.WriteFile(filepath.Join(dest, "old.txt"), []byte("old"), 0o600))
	if out, err := exec.Command("mount", "-o", "remount,ro", dest).CombinedOutput(); err != nil {
		t.Skipf("cannot remount read-only: %v %s", err, out)
	}
	before := tree(t, dest)
	_, err := Deliver(context.Background(), []File{{Src: source(t, "a", 10, 1), Name: "a.txt"}}, dest, "Sang", nil)
	if !errors.Is(err, ErrWriteProtected) || !errors.Is(err, syscall.EROFS) || !strings.Contains(err.Error(), dest+" is write-protected") {
		t.Fatalf("got %v, want write-protected", err)
	}
	t.Log(err)
	sameTree(t, before, tree(t, dest))
}

// The stick is pulled (lazily unmounted) while a file is being written.
func TestDeliverRemoved(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting needs root")
	}
	dest := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", dest).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs: %v %s", err, out)
	}
	mounted := true
	unmount := func() {
		if mounted {
			if out, err := exec.Command("umount", "-l", dest).CombinedOutput(); err != nil {
				t.Errorf("umount: %v %s", err, out)
			}
			mounted = false
		}
	}
	t.Cleanup(unmount)
	files := []File{{Src: source(t, "a.wav", 3<<20, 1), Name: "Sang.wav"}}
	_, err := Deliver(context.Background(), files, dest, "Sang", func(done, total int64) {
		if done > 0 {
			unmount()
		}
	})
	if !errors.Is(err, ErrRemoved) || !strings.Contains(err.Error(), dest+" was removed while writing") {
		t.Fatalf("got %v, want ErrRemoved", err)
	}
	t.Log(err)
	sameTree(t, map[string]string{".": "dir"}, tree(t, dest))
}

func TestDeliverMissingDrive(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "gone")
	_, err := Deliver(context.Background(), []File{{Src: source(t, "a", 10, 1), Name: "a.txt"}}, dest, "Sang", nil)
	if !errors.Is(err, ErrRemoved) {
		t.Fatalf("got %v, want ErrRemoved", err)
	}
	t.Log(err)
}

func TestDeliverRefuses(t *testing.T) {
	src := source(t, "a", 10, 1)
	tests := []struct {
		name   string
		files  []File
		folder string
		want   string
	}{
		{"no files", nil, "Sang", "no files"},
		{"unsafe name", []File{{Src: src, Name: "a:b.mp3"}}, "Sang", `"a:b.mp3" cannot be used`},
		{"reserved name", []File{{Src: src, Name: "con.mp3"}}, "Sang", `"con.mp3" cannot be used`},
		{"empty name", []File{{Src: src, Name: ""}}, "Sang", `"" cannot be used`},
		{"unsafe folder", []File{{Src: src, Name: "a.mp3"}}, "../x", `"../x" cannot be used`},
		{"same name in other case", []File{{Src: src, Name: "Sang.mp3"}, {Src: src, Name: "sang.MP3"}}, "Sang", "same name"},
		{"missing source", []File{{Src: src + "-missing", Name: "a.mp3"}}, "Sang", "it does not exist"},
		{"source is a folder", []File{{Src: filepath.Dir(src), Name: "a.mp3"}}, "Sang", "not a file"},
		{"folder is a file", []File{{Src: src, Name: "a.mp3"}}, "file", "a file of that name is in the way"},
		{"file is a folder", []File{{Src: src, Name: "sub"}}, "", "there is a folder of that name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dest := t.TempDir()
			must(t, os.WriteFile(filepath.Join(dest, "file"), []byte("x"), 0o600))
			must(t, os.Mkdir(filepath.Join(dest, "sub"), 0o700))
			before := tree(t, dest)
			_, err := Deliver(context.Background(), tc.files, dest, tc.folder, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
			sameTree(t, before, tree(t, dest))
		})
	}
}

func TestTempName(t *testing.T) {
	if got := tempName("Sang.mp3", 0); got != ".Sang.mp3.part" {
		t.Errorf("got %q", got)
	}
	long := SafeFileName(strings.Repeat("ø", 200), ".mp3")
	a, b := tempName(long, 0), tempName(long, 1)
	if len(a) > MaxName || a == b || !strings.HasSuffix(a, ".part") {
		t.Errorf("%d bytes %q / %q", len(a), a, b)
	}
}
