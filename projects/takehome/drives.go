package takehome

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// Drive is a place to write to.
type Drive struct {
	Path      string // mount point
	Label     string // volume label, or the mount point's last element when there is none
	Free      int64  // bytes available to us (statfs Bavail*Bsize)
	Total     int64  // size of the file system in bytes
	Removable bool   // the kernel says the disk is removable, or it is on USB or an SD/MMC card
	FSType    string // "vfat", "exfat", "ntfs3", "fuseblk", …
}

// DriveRoots are the folders under which the desktop mounts USB sticks (a
// new slice each call).
func DriveRoots() []string {
	return []string{"/media", "/run/media"}
}

// machine is where DrivesIn looks things up: thisMachine() for DrivesIn.
type machine struct {
	labelDir    string                                      // volume labels
	sysDevBlock string                                      // the kernel's block devices by number
	statfs      func(path string, buf *unix.Statfs_t) error // a file system's size
}

// thisMachine is the running system's.
func thisMachine() machine {
	return machine{labelDir: "/dev/disk/by-label", sysDevBlock: "/sys/dev/block", statfs: unix.Statfs}
}

// Drives lists the writable drives mounted under /media and /run/media
// (where the desktop mounts USB sticks), removable ones first, each sorted
// by label. See DrivesIn.
func Drives() ([]Drive, error) {
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return nil, fmt.Errorf("cannot list the drives: %w", err)
	}
	defer f.Close()
	return DrivesIn(f, DriveRoots())
}

// notDrives are file-system types mounted under /media that are not drives.
var notDrives = map[string]bool{
	"autofs": true, "tmpfs": true, "ramfs": true, "proc": true, "sysfs": true,
	"devtmpfs": true, "devpts": true, "overlay": true, "cgroup": true, "cgroup2": true,
	"squashfs": true, "iso9660": true, "udf": true,
}

type mountEntry struct {
	dev    uint64 // st_dev of the file system (from major:minor)
	root   string // the folder of the file system mounted here ("/" unless a bind mount)
	point  string
	opts   string
	fstype string
	source string
	super  string
}

// DrivesIn lists the drives in a /proc/self/mountinfo text whose mount
// points are below one of roots (not the roots themselves). Each file system
// is listed once (bind mounts and mounts hidden under a later mount at the
// same point are left out); read-only ones, pseudo file systems (tmpfs,
// autofs, …) and ones whose size cannot be read are left out. Labels come
// from /dev/disk/by-label, else the mount point's name. Removable drives come
// first, then by label (ignoring case), then by path.
func DrivesIn(mountinfo io.Reader, roots []string) ([]Drive, error) {
	return thisMachine().drivesIn(mountinfo, roots)
}

func (mc machine) drivesIn(mountinfo io.Reader, roots []string) ([]Drive, error) {
	var clean []string
	for _, r := range roots {
		if r != "" {
			clean = append(clean, filepath.Clean(r))
		}
	}
	var mounts []mountEntry
	byPoint := map[string]int{}
	sc := bufio.NewScanner(mountinfo)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		m, ok := parseMountinfo(sc.Text())
		if !ok || !below(m.point, clean) {
			continue
		}
		if i, ok := byPoint[m.point]; ok {
			mounts[i] = m // the later mount hides the earlier one
			continue
		}
		byPoint[m.point] = len(mounts)
		mounts = append(mounts, m)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("cannot list the drives: %w", err)
	}

	// Each file system once: prefer the mount of its whole root, then the
	// first one listed.
	best := map[uint64]int{}
	for i, m := range mounts {
		if j, ok := best[m.dev]; !ok || (m.root == "/" && mounts[j].root != "/") {
			best[m.dev] = i
		}
	}

	labels := mc.readLabels()
	var drives []Drive
	for i, m := range mounts {
		if best[m.dev] != i || notDrives[m.fstype] || hasOpt(m.opts, "ro") || hasOpt(m.super, "ro") {
			continue
		}
		var fs unix.Statfs_t
		if err := mc.statfs(m.point, &fs); err != nil || fs.Flags&unix.ST_RDONLY != 0 {
			continue
		}
		dev := m.dev
		if rdev, ok := blockDevice(m.source); ok {
			dev = rdev // FUSE mounts (exFAT, NTFS) have an anonymous st_dev
		}
		label := labels[dev]
		if label == "" {
			label = filepath.Base(m.point)
		}
		drives = append(drives, Drive{
			Path:      m.point,
			Label:     label,
			Free:      int64(fs.Bavail) * int64(fs.Bsize),
			Total:     int64(fs.Blocks) * int64(fs.Bsize),
			Removable: mc.removable(dev),
			FSType:    m.fstype,
		})
	}
	sort.SliceStable(drives, func(i, j int) bool {
		a, b := drives[i], drives[j]
		if a.Removable != b.Removable {
			return a.Removable
		}
		if la, lb := strings.ToLower(a.Label), strings.ToLower(b.Label); la != lb {
			return la < lb
		}
		return a.Path < b.Path
	})
	return drives, nil
}

// parseMountinfo reads one line of /proc/self/mountinfo:
//
//	36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
func parseMountinfo(line string) (mountEntry, bool) {
	f := strings.Split(line, " ")
	sep := -1
	for i := 6; i < len(f); i++ {
		if f[i] == "-" {
			sep = i
			break
		}
	}
	if sep < 0 || sep+3 > len(f) {
		return mountEntry{}, false
	}
	majS, minS, ok := strings.Cut(f[2], ":")
	if !ok {
		return mountEntry{}, false
	}
	maj, err1 := strconv.ParseUint(majS, 10, 32)
	min, err2 := strconv.ParseUint(minS, 10, 32)
	if err1 != nil || err2 != nil {
		return mountEntry{}, false
	}
	m := mountEntry{
		dev:    unix.Mkdev(uint32(maj), uint32(min)),
		root:   unescape(f[3]),
		point:  unescape(f[4]),
		opts:   f[5],
		fstype: unescape(f[sep+1]),
		source: unescape(f[sep+2]),
	}
	if sep+3 < len(f) {
		m.super = f[sep+3]
	}
	return m, true
}

// unescape decodes the escapes of mountinfo (octal: "\040" is a space) and
// of udev's /dev/disk/by-label names (hex: "\x20").
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			if i+3 < len(s) && s[i+1] == 'x' {
				if v, err := strconv.ParseUint(s[i+2:i+4], 16, 8); err == nil {
					b.WriteByte(byte(v))
					i += 3
					continue
				}
			}
			if i+3 < len(s) {
				if v, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
					b.WriteByte(byte(v))
					i += 3
					continue
				}
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func below(path string, roots []string) bool {
	for _, r := range roots {
		if r == "/" {
			if path != "/" {
				return true
			}
			continue
		}
		if strings.HasPrefix(path, r+"/") {
			return true
		}
	}
	return false
}

func hasOpt(opts, name string) bool {
	for _, o := range strings.Split(opts, ",") {
		if o == name {
			return true
		}
	}
	return false
}

// blockDevice returns the device number of a block device path.
func blockDevice(path string) (uint64, bool) {
	if !strings.HasPrefix(path, "/") {
		return 0, false
	}
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil || st.Mode&unix.S_IFMT != unix.S_IFBLK {
		return 0, false
	}
	return uint64(st.Rdev), true
}

// readLabels maps device numbers to volume labels from /dev/disk/by-label.
func (mc machine) readLabels() map[uint64]string {
	labels := map[uint64]string{}
	entries, err := os.ReadDir(mc.labelDir)
	if err != nil {
		return labels
	}
	for _, e := range entries {
		var st unix.Stat_t
		if err := unix.Stat(filepath.Join(mc.labelDir, e.Name()), &st); err != nil {
			continue
		}
		if t := st.Mode & unix.S_IFMT; t != unix.S_IFBLK && t != unix.S_IFCHR {
			continue
		}
		if label := unescape(e.Name()); label != "" {
			labels[uint64(st.Rdev)] = label
		}
	}
	return labels
}

// removable tells from sysfs whether a disk can be taken away: the kernel's
// removable flag (of the disk or, for a partition, of its disk), or a disk on
// USB or an SD/MMC card (USB hard disks and card readers often say 0).
func (mc machine) removable(dev uint64) bool {
	link := filepath.Join(mc.sysDevBlock, fmt.Sprintf("%d:%d", unix.Major(dev), unix.Minor(dev)))
	if target, err := os.Readlink(link); err == nil {
		if strings.Contains(target, "/usb") || strings.Contains(target, "/mmc") {
			return true
		}
	}
	for _, p := range []string{link + "/removable", link + "/../removable"} {
		if data, err := os.ReadFile(p); err == nil && strings.TrimSpace(string(data)) == "1" {
			return true
		}
	}
	return false
}
