package takehome

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

const sampleMountinfo = `22 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw,errors=remount-ro
25 22 8:1 / /boot rw,relatime shared:2 - vfat /dev/sda1 rw,fmask=0022,dmask=0022
26 22 0:5 / /media rw,nosuid shared:3 - tmpfs tmpfs rw,size=1024k
40 22 8:17 / /media/user/MY\040STICK rw,nosuid,nodev,relatime shared:50 - vfat /dev/nonexistent-sdb1 rw,uid=1000,gid=1000,fmask=0022,dmask=0022,codepage=437,iocharset=ascii,shortname=mixed,showexec,utf8,flush,errors=remount-ro
41 22 8:33 / /run/media/u/ÆØÅ rw,nosuid,nodev,relatime shared:51 - exfat /dev/nonexistent-sdc1 rw,uid=1000,gid=1000,fmask=0022,dmask=0022,iocharset=utf8,errors=remount-ro
42 22 8:49 / /media/user/LOCKED ro,nosuid,nodev,relatime shared:52 - vfat /dev/nonexistent-sdd1 ro,uid=1000
43 22 8:65 / /media/user/Superro rw,nosuid,nodev,relatime shared:53 - ntfs3 /dev/nonexistent-sde1 ro,uid=1000
44 22 8:17 /Music /media/user/bind rw,relatime shared:50 - vfat /dev/nonexistent-sdb1 rw,uid=1000
45 22 8:17 / /run/media/u/again rw,relatime shared:50 - vfat /dev/nonexistent-sdb1 rw,uid=1000
46 22 8:81 / /media/user/WINDOWS rw,relatime shared:54 - ntfs3 /dev/nonexistent-sda3 rw,uid=1000
47 22 1:3 / /media/user/x\x20y rw,relatime shared:55 - vfat /dev/nonexistent-sdf1 rw
48 22 8:97 / /mnt/backup rw,relatime shared:56 - ext4 /dev/nonexistent-sdg1 rw
49 22 0:60 / /run/media/u/ÆØÅ/inner rw,relatime shared:57 - autofs systemd-1 rw
garbage line
`

// fakeSys is a machine with a sysfs and a by-label folder for the sample: 8:17 is a USB
// stick, 8:33 an SD card reader saying removable=1, 8:81 an internal disk.
func fakeSys(t *testing.T) machine {
	t.Helper()
	dir := t.TempDir()
	sys := filepath.Join(dir, "sys")
	disk := filepath.Join(dir, "devices", "sdc")
	must(t, os.MkdirAll(filepath.Join(disk, "sdc1"), 0o755))
	must(t, os.MkdirAll(sys, 0o755))
	must(t, os.WriteFile(filepath.Join(disk, "removable"), []byte("1\n"), 0o644))
	must(t, os.Symlink("../../devices/pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/host6/target6:0:0/6:0:0:0/block/sdb/sdb1", filepath.Join(sys, "8:17")))
	must(t, os.Symlink(filepath.Join(disk, "sdc1"), filepath.Join(sys, "8:33")))
	must(t, os.Symlink("../../devices/pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0/block/sda/sda3", filepath.Join(sys, "8:81")))
	labels := filepath.Join(dir, "by-label")
	must(t, os.MkdirAll(labels, 0o755))
	// /dev/null is 1:3: it stands for the device of the "x y" mount.
	must(t, os.Symlink("/dev/null", filepath.Join(labels, `Sangens\x20stick`)))

	return machine{labelDir: labels, sysDevBlock: sys, statfs: func(path string, buf *unix.Statfs_t) error {
		*buf = unix.Statfs_t{Bsize: 4096, Blocks: 1000, Bavail: 250}
		if strings.Contains(path, "WINDOWS") {
			buf.Bavail = 500
		}
		return nil
	}}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestDrivesIn(t *testing.T) {
	got, err := fakeSys(t).drivesIn(strings.NewReader(sampleMountinfo), []string{"/media/", "/run/media"})
	if err != nil {
		t.Fatal(err)
	}
	want := []Drive{
		{Path: "/media/user/MY STICK", Label: "MY STICK", Free: 250 * 4096, Total: 1000 * 4096, Removable: true, FSType: "vfat"},
		{Path: "/run/media/u/ÆØÅ", Label: "ÆØÅ", Free: 250 * 4096, Total: 1000 * 4096, Removable: true, FSType: "exfat"},
		{Path: "/media/user/x y", Label: "Sangens stick", Free: 250 * 4096, Total: 1000 * 4096, Removable: false, FSType: "vfat"},
		{Path: "/media/user/WINDOWS", Label: "WINDOWS", Free: 500 * 4096, Total: 1000 * 4096, Removable: false, FSType: "ntfs3"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%+v\nwant\n%+v", got, want)
	}
}

func TestDrivesInHiddenMount(t *testing.T) {
	mc := fakeSys(t)
	// A second mount on the same point hides the first.
	text := `40 22 8:17 / /media/u/S rw - vfat /dev/x rw
41 40 8:33 / /media/u/S rw - exfat /dev/y rw
`
	got, err := mc.drivesIn(strings.NewReader(text), []string{"/media"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].FSType != "exfat" {
		t.Errorf("got %+v", got)
	}
}

func TestUnescape(t *testing.T) {
	tests := map[string]string{
		`MY\040STICK`: "MY STICK", `MY\x20STICK`: "MY STICK", `a\134b`: `a\b`, `tab\011x`: "tab\tx",
		`plain`: "plain", `end\`: `end\`, `bad\x2`: `bad\x2`, `\xc3\xa6`: "æ",
	}
	for in, want := range tests {
		if got := unescape(in); got != want {
			t.Errorf("unescape(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDrivesHere(t *testing.T) {
	drives, err := Drives()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range drives {
		t.Logf("%+v", d)
		if !strings.HasPrefix(d.Path, "/media/") && !strings.HasPrefix(d.Path, "/run/media/") {
			t.Errorf("drive outside /media: %+v", d)
		}
	}
}
