package cdburn

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// Drive is a CD writer.
type Drive struct {
	Device                  string // what cdrdao --device takes: "/dev/sr0" (or "0,0,0", "ATA:0,0,0" from other builds)
	Vendor, Model, Revision string
	Problem                 string // "" or a plain reason it cannot be used
}

// Drives finds the CD writers: those `cdrdao scanbus` lists (it prints to
// stderr; both streams are read) and the /dev/sr* device nodes, once each.
// For each device node it checks that we may open it read-write (as cdrdao
// will) and that the kernel says it can write CD-Rs, and sets Problem
// otherwise. scanbus gets 15 seconds. With no drive the list is empty and
// the error nil; the error is an *Error when cdrdao is not installed (the
// device nodes are still listed) and ctx's error when ctx is done.
func Drives(ctx context.Context) ([]Drive, error) {
	return system().drives(ctx)
}

func (h *host) drives(ctx context.Context) ([]Drive, error) {
	var drives []Drive
	var failure error
	res, err := h.run(ctx, "", []string{"scanbus"}, h.scanbusTimeout, 0, nil)
	switch {
	case err != nil && notInstalled(err):
		failure = errNotInstalled(err)
	case err != nil:
		failure = &Error{Text: "The CD burning program cdrdao could not be started.", Err: err}
	case res.why == stopCanceled:
		return nil, ctx.Err()
	default:
		// A scanbus that fails or hangs just finds nothing: the device
		// nodes are still looked at.
		drives = ParseScanbus(strings.Join(res.lines, "\n"))
	}

	nodes, _ := filepath.Glob(h.devGlob)
	sort.Strings(nodes)
	for _, n := range nodes {
		d := Drive{Device: n}
		d.Vendor, d.Model, d.Revision = h.sysfsIdentity(filepath.Base(n))
		drives = append(drives, d)
	}

	// One entry per device: symlinks (/dev/cdrw → sr0) count once, and
	// scanbus's names win over sysfs's.
	seen := map[string]int{}
	var out []Drive
	for _, d := range drives {
		key := d.Device
		if strings.HasPrefix(key, "/") {
			if r, err := filepath.EvalSymlinks(key); err == nil {
				key = r
			}
		}
		if i, ok := seen[key]; ok {
			if out[i].Vendor == "" && out[i].Model == "" {
				out[i].Vendor, out[i].Model, out[i].Revision = d.Vendor, d.Model, d.Revision
			}
			continue
		}
		seen[key] = len(out)
		out = append(out, d)
	}

	writers := readCdromInfo(h.cdromInfo)
	for i := range out {
		d := &out[i]
		if !strings.HasPrefix(d.Device, "/") {
			continue // "0,0,0": nothing to open
		}
		d.Problem = checkDevice(d.Device)
		if d.Problem != "" {
			continue
		}
		name := d.Device
		if r, err := filepath.EvalSymlinks(name); err == nil {
			name = r
		}
		if w, ok := writers[filepath.Base(name)]; ok && !w {
			d.Problem = fmt.Sprintf("%s can only read CDs, not write them", d.Device)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Device < out[j].Device })
	return out, failure
}

var (
	// "/dev/sr0 : HL-DT-ST, DVDRAM GH24NSD1, LG01" and "0,0,0 : …"
	// (dao/main.cc scanBus: "%s : %s, %s, %s").
	reScanColon = regexp.MustCompile(`^(\S+)\s+:\s+(.*)$`)
	// "ATA:0,0,0            PLDS, DVDRWBD DH-12E3S, MD11" ("%-20s %s, %s, %s").
	reScanATA = regexp.MustCompile(`^((?:[A-Za-z]+:)?\d+,\d+,\d+)\s+(.*)$`)
	reDevice  = regexp.MustCompile(`^(?:/\S+|(?:[A-Za-z]+:)?\d+,\d+,\d+)$`)
)

// ParseScanbus reads `cdrdao scanbus` output (stdout and stderr together).
// Lines that are not "DEVICE : VENDOR, PRODUCT, REVISION" or "ATA:b,t,l
// VENDOR, PRODUCT, REVISION" (the banner, ERROR/WARNING lines, …) are
// ignored. Problem is left empty.
func ParseScanbus(out string) []Drive {
	var drives []Drive
	for _, line := range strings.FieldsFunc(out, func(r rune) bool { return r == '\n' || r == '\r' }) {
		line = strings.TrimSpace(line)
		m := reScanColon.FindStringSubmatch(line)
		if m == nil || !reDevice.MatchString(m[1]) {
			m = reScanATA.FindStringSubmatch(line)
		}
		if m == nil || !reDevice.MatchString(m[1]) {
			continue
		}
		parts := strings.Split(m[2], ",")
		if len(parts) < 3 {
			continue
		}
		d := Drive{
			Device:   m[1],
			Vendor:   strings.TrimSpace(parts[0]),
			Model:    strings.TrimSpace(strings.Join(parts[1:len(parts)-1], ",")),
			Revision: strings.TrimSpace(parts[len(parts)-1]),
		}
		if d.Vendor == "" && d.Model == "" {
			continue
		}
		drives = append(drives, d)
	}
	return drives
}

// sysfsIdentity reads a block device's vendor, model and revision.
func (h *host) sysfsIdentity(name string) (vendor, model, rev string) {
	read := func(f string) string {
		b, err := os.ReadFile(filepath.Join(h.sysBlock, name, "device", f))
		if err != nil {
			return ""
		}
		return strings.TrimSpace(string(b))
	}
	return read("vendor"), read("model"), read("rev")
}

// readCdromInfo reads which drives can write CD-Rs from the kernel's table
// ("drive name:\t\tsr1\tsr0" … "Can write CD-R:\t\t1\t1").
func readCdromInfo(path string) map[string]bool {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var names, writes []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, vals, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		switch strings.TrimSpace(name) {
		case "drive name":
			names = strings.Fields(vals)
		case "Can write CD-R":
			writes = strings.Fields(vals)
		}
	}
	if len(names) == 0 || len(names) != len(writes) {
		return nil
	}
	m := make(map[string]bool, len(names))
	for i, n := range names {
		m[n] = writes[i] != "0"
	}
	return m
}

// checkDevice opens dev read-write as cdrdao does (dao/ScsiIf-linux.cc
// opens O_RDWR|O_NONBLOCK) and says in plain words why that fails.
func checkDevice(dev string) string {
	fd, err := unix.Open(dev, unix.O_RDWR|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err == nil {
		unix.Close(fd)
		return ""
	}
	return problemFor(dev, err)
}

func problemFor(dev string, err error) string {
	switch {
	case errors.Is(err, unix.EACCES), errors.Is(err, unix.EPERM), errors.Is(err, unix.EROFS):
		return fmt.Sprintf("you do not have permission to use %s (%s)", dev, accessHint(dev))
	case errors.Is(err, unix.EBUSY):
		return fmt.Sprintf("%s is being used by another program", dev)
	case errors.Is(err, unix.ENOENT), errors.Is(err, unix.ENXIO), errors.Is(err, unix.ENODEV):
		return fmt.Sprintf("%s is not connected", dev)
	default:
		return fmt.Sprintf("%s cannot be opened: %v", dev, err)
	}
}

// accessHint says which group gives access to dev: the device node's group
// ("cdrom" on Debian and Ubuntu, "optical" on Arch), or else who to ask.
func accessHint(dev string) string {
	group := "cdrom"
	var st unix.Stat_t
	if unix.Stat(dev, &st) == nil {
		if st.Gid == 0 {
			return "ask whoever looks after this computer for access to it"
		}
		if g, err := user.LookupGroupId(strconv.FormatUint(uint64(st.Gid), 10)); err == nil {
			group = g.Name
		}
	}
	return "add yourself to the group " + group + ", then log out and in again"
}
