package takehome

// Tests on real FAT and exFAT file systems, mounted from image files through
// FUSE (the kernel here may have no vfat/exfat modules). They need root,
// /dev/fuse and the Debian packages exfat-fuse, exfatprogs, fusefat and
// dosfstools; without them they are skipped with a message saying so.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// needFUSE skips the test unless it can mount FUSE file systems with the
// given programs. (It does not use testtool.Require: `make test` does not
// install these packages, and a missing one must not fail it.)
func needFUSE(t *testing.T, programs ...string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("mounting a FAT/exFAT image needs root")
	}
	if _, err := os.Stat("/dev/fuse"); err != nil {
		t.Skipf("no /dev/fuse, cannot mount a FAT/exFAT image: %v", err)
	}
	for _, p := range programs {
		if _, err := exec.LookPath(p); err != nil {
			t.Skipf("%s is not installed (apt-get install exfat-fuse exfatprogs fusefat dosfstools): skipping the FAT/exFAT test", p)
		}
	}
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %q: %v\n%s", name, args, err, out)
	}
	return string(out)
}

// image makes an empty image file of size bytes.
func image(t *testing.T, size int64) string {
	t.Helper()
	img := filepath.Join(t.TempDir(), "stick.img")
	f, err := os.Create(img)
	must(t, err)
	must(t, f.Truncate(size))
	must(t, f.Close())
	return img
}

// fuseMount runs mount (a command that mounts at mnt) and returns functions
// that mount again and unmount; the file system is unmounted when the test
// ends.
func fuseMount(t *testing.T, mnt string, mount []string) (remount, unmount func()) {
	t.Helper()
	mounted := false
	remount = func() {
		t.Helper()
		if out, err := exec.Command(mount[0], mount[1:]...).CombinedOutput(); err != nil {
			t.Skipf("cannot mount the image through FUSE (%s): %v\n%s", mount[0], err, out)
		}
		mounted = true
	}
	unmount = func() {
		t.Helper()
		if mounted {
			run(t, "umount", mnt)
			mounted = false
		}
	}
	must(t, os.MkdirAll(mnt, 0o700))
	remount()
	t.Cleanup(unmount)
	return remount, unmount
}

// hostile are names a resident or a therapist might type.
var hostile = []string{
	"CON", "con.mp3", "Lpt1", "aux .txt", "COM10", "Sang: del 2", `Han sa "hei"`, "AC/DC", `a\b|c`,
	"Hvorfor?", "<3 *stjerne*", "trailing dot.", "trailing space ", "   leading", ".hidden",
	"tab\there", "new\nline", "nul\x00byte", "../../etc/passwd", "...", "", "invalid \xff utf-8",
	strings.Repeat("a", 300),
}

// nonASCII are names with letters outside ASCII.
var nonASCII = []string{
	"Blåbær ÆØÅ", "Bla\u030abær dekomponert", "Sang 🎵", "Пісня", "evil\u202egpj",
	strings.Repeat("ø", 150),
}

// deliverNames delivers one small file per name and checks what is on the
// drive: exactly those names, with the right contents.
func deliverNames(t *testing.T, mnt, folder string, names []string) (*Report, []File) {
	t.Helper()
	var files []File
	seen := map[string]bool{}
	for i, h := range names {
		name := SafeFileName(h, ".txt")
		if seen[strings.ToLower(name)] {
			continue
		}
		seen[strings.ToLower(name)] = true
		src := filepath.Join(t.TempDir(), "src")
		must(t, os.WriteFile(src, []byte(strings.Repeat(name+"\n", i+1)), 0o600))
		files = append(files, File{Src: src, Name: name})
	}
	rep, err := Deliver(context.Background(), files, mnt, folder, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkOnDrive(t, rep.Folder, files)
	return rep, files
}

func checkOnDrive(t *testing.T, folder string, files []File) {
	t.Helper()
	entries, err := os.ReadDir(folder)
	must(t, err)
	var got, want []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	for _, f := range files {
		want = append(want, f.Name)
		sameFile(t, f.Src, filepath.Join(folder, f.Name))
	}
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("on the drive:\n%q\nwant:\n%q", got, want)
	}
	t.Logf("%d files on the drive, e.g. %q", len(got), got[:min(len(got), 8)])
}

func TestFUSEExFAT(t *testing.T) {
	needFUSE(t, "mkfs.exfat", "fsck.exfat", "mount.exfat-fuse", "losetup")
	img := image(t, 64<<20)
	run(t, "mkfs.exfat", "-L", "SANG STICK", img)
	loop := strings.TrimSpace(run(t, "losetup", "-f", "--show", img)) // exfat-fuse wants a block device
	t.Cleanup(func() { run(t, "losetup", "-d", loop) })
	root := t.TempDir()
	mnt := filepath.Join(root, "user", "SANG STICK")
	remount, unmount := fuseMount(t, mnt, []string{"mount.exfat-fuse", loop, mnt})

	folder := SafeName("Sangen: «Hjem» / 2025", MaxName, "Sang")
	_, files := deliverNames(t, mnt, folder, append(append([]string{}, hostile...), nonASCII...))

	// The same song again: a file is replaced.
	newer := filepath.Join(t.TempDir(), "newer")
	must(t, os.WriteFile(newer, []byte("a newer take"), 0o600))
	files[0].Src = newer
	if _, err := Deliver(context.Background(), files[:1], mnt, folder, nil); err != nil {
		t.Fatal(err)
	}

	// Too large for the stick.
	big := filepath.Join(t.TempDir(), "big.wav")
	f, err := os.Create(big)
	must(t, err)
	must(t, f.Truncate(70<<20))
	must(t, f.Close())
	_, err = Deliver(context.Background(), []File{{Src: big, Name: "big.wav"}}, mnt, folder, nil)
	var nse *NoSpaceError
	if !errors.As(err, &nse) {
		t.Errorf("70 MB on a 64 MB stick: got %v", err)
	} else {
		t.Log(err)
	}

	// The drive is found under its root.
	mi, err := os.ReadFile("/proc/self/mountinfo")
	must(t, err)
	drives, err := DrivesIn(bytes.NewReader(mi), []string{root})
	must(t, err)
	if len(drives) != 1 || drives[0].Path != mnt || drives[0].Label != "SANG STICK" || drives[0].Free <= 0 || drives[0].Free > 64<<20 {
		t.Errorf("drives: %+v", drives)
	} else {
		t.Logf("drive: %+v", drives[0])
	}

	// What is on the image after unmounting: a clean file system with
	// every file.
	unmount()
	t.Log(strings.TrimSpace(run(t, "fsck.exfat", "-n", img)))
	remount()
	checkOnDrive(t, filepath.Join(mnt, folder), files)
}

// TestFUSEFAT uses fusefat 0.1a, which has bugs of its own: long names are
// ASCII only, and renaming in a folder whose entries outgrow one cluster
// corrupts it (shown with plain shell commands: create 40 files under
// temporary names, rename them, and fsck.fat finds a stray "~NN" entry
// sharing clusters). So the names go in batches of 6 per folder; the
// kernel's vfat, which a real USB stick uses, has neither problem.
func TestFUSEFAT(t *testing.T) {
	needFUSE(t, "mkfs.vfat", "fsck.fat", "fusefat")
	img := image(t, 64<<20)
	// FAT16: fusefat reports no free space for FAT32.
	run(t, "mkfs.vfat", "-F", "16", "-n", "SANGSTICK", img)
	mnt := filepath.Join(t.TempDir(), "SANGSTICK")
	remount, unmount := fuseMount(t, mnt, []string{"fusefat", "-o", "rw+", img, mnt})

	type batch struct {
		folder string
		files  []File
	}
	var batches []batch
	for i := 0; i < len(hostile); i += 6 {
		folder := SafeName(fmt.Sprintf("Sangen: Hjem / %d", i/6+1), MaxName, "Sang")
		_, files := deliverNames(t, mnt, folder, hostile[i:min(i+6, len(hostile))])
		batches = append(batches, batch{folder, files})
	}

	// fusefat writes long names in ASCII only; the kernel's vfat (and
	// Windows, macOS) store any letter. Show what happens here.
	src := filepath.Join(t.TempDir(), "src")
	must(t, os.WriteFile(src, []byte("x"), 0o600))
	_, err := Deliver(context.Background(), []File{{Src: src, Name: SafeFileName("Blåbær", ".txt")}}, mnt, "Blåbær", nil)
	t.Logf("a non-ASCII name on fusefat: %v", err)

	unmount()
	t.Log(strings.TrimSpace(run(t, "fsck.fat", "-n", img)))
	remount()
	for _, b := range batches {
		checkOnDrive(t, filepath.Join(mnt, b.folder), b.files)
	}
	entries, err := os.ReadDir(mnt)
	must(t, err)
	if len(entries) != len(batches)+1 { // and the volume label "SANGSTICK", which fusefat shows as a file
		t.Errorf("%d entries in the root, want %d folders and the label", len(entries), len(batches))
	}
}
