package cdburn

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

func TestParseScanbus(t *testing.T) {
	out := strings.Join([]string{
		banner,
		// cdrdao 1.2.4 on Linux: sysfs block node, fixed-width sysfs fields.
		"/dev/sr0 : HL-DT-ST, DVDRAM GH24NSD1 , LG01",
		"/dev/sr1 : PLDS    , DVDRWBD DH-12E3S, MD11",
		// Older builds: bus,id,lun.
		"0,0,0 : SONY    , CD-RW  CRX320E  , 1.0k",
		// The ATA scan: "%-20s %s, %s, %s", no colon.
		"ATA:1,0,0            ASUS, DRW-24F1ST   a, 1.00",
		// Junk that must be ignored.
		"ERROR: Unable to access sysfs filesystem at /sys/bus/scsi/devices",
		"WARNING: No permission to write to SCSI device.Only read commands are supported.",
		"/dev/sr1: HL-DT-ST BD-RE WP50NB40       Rev: 1.03",
		"Using libscg version 'schily-0.8'",
		"scsibus0:",
		"\t0,1,0\t  1) *",
		"",
		"Using driver: Generic SCSI-3/MMC - Version 2.0 (options 0x0000)",
	}, "\n")
	got := ParseScanbus(out)
	want := []Drive{
		{Device: "/dev/sr0", Vendor: "HL-DT-ST", Model: "DVDRAM GH24NSD1", Revision: "LG01"},
		{Device: "/dev/sr1", Vendor: "PLDS", Model: "DVDRWBD DH-12E3S", Revision: "MD11"},
		{Device: "0,0,0", Vendor: "SONY", Model: "CD-RW  CRX320E", Revision: "1.0k"},
		{Device: "ATA:1,0,0", Vendor: "ASUS", Model: "DRW-24F1ST   a", Revision: "1.00"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParseScanbus:\n got %+v\nwant %+v", got, want)
	}
	if d := ParseScanbus(""); len(d) != 0 {
		t.Errorf("empty output: %+v", d)
	}
	// What the installed cdrdao prints on a machine without sysfs SCSI.
	if d := ParseScanbus(banner + "\nERROR: Unable to access sysfs filesystem at /sys/bus/scsi/devices\n"); len(d) != 0 {
		t.Errorf("no drives: %+v", d)
	}
}

func TestParseDiskInfo(t *testing.T) {
	text := func(l []string) string { return strings.Join(lines(l), "\n") }
	for _, tc := range []struct {
		name string
		in   []string
		want Disc
	}{
		{"blank CD-R", diskInfoBlank, Disc{Present: true, Blank: true, CapacitySectors: 359849}},
		{"written CD-R (real 1.2.4 output)", diskInfoWritten, Disc{Present: true}},
		{"appendable CD-RW", diskInfoRWAppendable, Disc{Present: true, Appendable: true, Rewritable: true, CapacitySectors: 348449}},
		{"no disc", diskInfoNoDisc, Disc{}},
		{"medium not present", []string{banner, "SCSI command failed", "  Sense key: Not Ready, additional sense: Medium not present - tray closed", "ERROR: Cannot setup device /dev/sr0."}, Disc{}},
	} {
		got, err := ParseDiskInfo(text(tc.in))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got != tc.want {
			t.Errorf("%s: got %+v, want %+v", tc.name, got, tc.want)
		}
	}
	// Capacity given only as MSF.
	if d, err := ParseDiskInfo("CD-R empty           : yes\nTotal Capacity       : 74:00:00"); err != nil || d.CapacitySectors != 74*4500 {
		t.Errorf("MSF only: %+v %v", d, err)
	}
	// '\r\n' line ends and stdout/stderr interleaved differently.
	if d, err := ParseDiskInfo("CD-R empty           : yes\r\nCD-RW                : yes\r\n" + banner + "\r\n"); err != nil || !d.Blank || !d.Rewritable {
		t.Errorf("CRLF: %+v %v", d, err)
	}

	for _, tc := range []struct {
		name string
		in   []string
		want error
		says string
	}{
		{"no such device (real output)", diskInfoNoDevice, ErrNoDrive, "(/dev/sr0) was not found"},
		{"no permission", diskInfoNoPermission, ErrPermission, "permission to use the CD writer (/dev/sr0)"},
		{"busy", []string{banner, "ERROR: Unable to open SCSI device /dev/sr0: Device or resource busy."}, ErrBusy, "another program"},
		{"no default device (real output)", []string{banner, "ERROR: Unable to access sysfs filesystem at /sys/bus/scsi/devices", "ERROR: Unable to open SCSI device (null): Bad address.", "ERROR: Cannot setup device (null)."}, ErrNoDrive, "No CD writer was found"},
		{"nonsense", []string{banner, "something else"}, ErrFailed, "did not say"},
	} {
		_, err := ParseDiskInfo(text(tc.in))
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, tc.want) || !strings.Contains(e.Text, tc.says) {
			t.Errorf("%s: got %v (%T), want %v saying %q", tc.name, err, err, tc.want, tc.says)
			continue
		}
		if len(e.Tail) == 0 || e.Tail[len(e.Tail)-1] != lines(tc.in)[len(lines(tc.in))-1] {
			t.Errorf("%s: tail %q", tc.name, e.Tail)
		}
	}
}

func TestParseProgressLines(t *testing.T) {
	for _, tc := range []struct {
		line  string
		ok    bool
		stage string
		track int
		done  int
		total int
		frac  float64
	}{
		{"Starting write at speed 8...", true, StageStarting, 0, 0, 0, 0},
		{"Starting write simulation at speed 8...", true, StageStarting, 0, 0, 0, 0},
		{`Process can be aborted with QUIT signal (usually CTRL-\).`, true, StageStarting, 0, 0, 0, 0},
		{"Turning BURN-Proof on", true, StageStarting, 0, 0, 0, fracSetup},
		{"Writing lead-in and gap...", true, StageLeadIn, 0, 0, 0, fracLeadIn},
		{"Writing lead-in and toc...", true, StageLeadIn, 0, 0, 0, fracLeadIn},
		{"Writing CD-TEXT lead-in...", true, StageLeadIn, 0, 0, 0, fracLeadIn},
		{"Writing track 03 (mode AUDIO/AUDIO )....", true, StageWriting, 3, 0, 0, fracWriting},
		{"Wrote 140 of 280 MB (Buffers 100%  98%).", true, StageWriting, 0, 140, 280, 0.5},
		{"Wrote 140 of 280 MB (Buffer  97%).", true, StageWriting, 0, 140, 280, 0.5},
		{"Wrote 10 of 20 MB.", true, StageLeadIn, 0, 0, 0, (fracLeadIn + fracWriting) / 2},
		{"Wrote 282528 blocks. Buffer fill min 93%/max 100%.", true, StageWriting, 0, 0, 0, fracLeadOut},
		{"Writing lead-out...", true, StageLeadOut, 0, 0, 0, fracLeadOut},
		{"Flushing cache...", true, StageFlushing, 0, 0, 0, fracFlushing},
		{"Writing finished successfully.", true, StageDone, 0, 0, 0, 1},
		{"Simulation finished successfully.", true, StageDone, 0, 0, 0, 1},
		{"Writing completed successfully.", true, StageDone, 0, 0, 0, 1},
		{"ERROR: Writing failed.", false, "", 0, 0, 0, 0},
		{"ERROR: Write data failed.", false, "", 0, 0, 0, 0},
		{banner, false, "", 0, 0, 0, 0},
		{"WARNING: No super user permission to setup real time scheduling.", false, "", 0, 0, 0, 0},
		{"", false, "", 0, 0, 0, 0},
	} {
		p, ok := ParseProgress(tc.line)
		if ok != tc.ok || p.Stage != tc.stage || p.Track != tc.track || p.DoneMB != tc.done || p.TotalMB != tc.total ||
			p.Fraction < tc.frac-1e-9 || p.Fraction > tc.frac+1e-9 {
			t.Errorf("%q: got %+v %v", tc.line, p, ok)
		}
		if ok && p.Line != tc.line {
			t.Errorf("%q: Line %q", tc.line, p.Line)
		}
	}
}

// followTranscript feeds a transcript to a Tracker and checks what every
// run must show: Fraction from 0 to 1 and never back, stages in order.
func followTranscript(t *testing.T, name string, tr []string) []Progress {
	t.Helper()
	var tk Tracker
	var ps []Progress
	for _, l := range lines(tr) {
		if p, ok := tk.Next(l); ok {
			ps = append(ps, p)
		}
	}
	if len(ps) == 0 {
		t.Fatalf("%s: no progress", name)
	}
	if ps[0].Stage != StageStarting || ps[0].Fraction != 0 {
		t.Errorf("%s: first %+v", name, ps[0])
	}
	if last := ps[len(ps)-1]; last.Stage != StageDone || last.Fraction != 1 {
		t.Errorf("%s: last %+v", name, last)
	}
	order := []string{StageStarting, StageLeadIn, StageWriting, StageLeadOut, StageFlushing, StageDone}
	for i := 1; i < len(ps); i++ {
		if ps[i].Fraction < ps[i-1].Fraction {
			t.Errorf("%s: fraction went back at %q: %v → %v", name, ps[i].Line, ps[i-1].Fraction, ps[i].Fraction)
		}
		if slices.Index(order, ps[i].Stage) < slices.Index(order, ps[i-1].Stage) {
			t.Errorf("%s: stage went back at %q: %s → %s", name, ps[i].Line, ps[i-1].Stage, ps[i].Stage)
		}
	}
	return ps
}

func TestTrackerRawTranscript(t *testing.T) {
	ps := followTranscript(t, "raw", writeRaw)
	var stages []string
	var tracks []int
	for _, p := range ps {
		if len(stages) == 0 || stages[len(stages)-1] != p.Stage {
			stages = append(stages, p.Stage)
		}
		if p.Track != 0 && (len(tracks) == 0 || tracks[len(tracks)-1] != p.Track) {
			tracks = append(tracks, p.Track)
		}
		if p.Stage != StageWriting && p.Track != 0 {
			t.Errorf("track %d outside Writing: %+v", p.Track, p)
		}
		switch {
		case strings.HasPrefix(p.Line, "Wrote 5 of 20 MB."):
			if p.Stage != StageLeadIn || p.Fraction <= fracLeadIn || p.Fraction >= fracWriting {
				t.Errorf("lead-in zeros: %+v", p)
			}
		case strings.HasPrefix(p.Line, "Wrote 5 of 15 MB."):
			if p.Stage != StageLeadOut || p.Fraction <= fracLeadOut || p.Fraction >= fracFlushing {
				t.Errorf("lead-out zeros: %+v", p)
			}
		case strings.HasPrefix(p.Line, "Wrote 150 of 280 MB ("):
			if p.Track != 2 || p.DoneMB != 150 || p.TotalMB != 280 {
				t.Errorf("music: %+v", p)
			}
		}
	}
	want := []string{StageStarting, StageLeadIn, StageWriting, StageLeadOut, StageFlushing, StageDone}
	if !reflect.DeepEqual(stages, want) {
		t.Errorf("stages %v, want %v", stages, want)
	}
	if !reflect.DeepEqual(tracks, []int{1, 2, 3}) {
		t.Errorf("tracks %v", tracks)
	}
}

func TestTrackerMMCTranscript(t *testing.T) {
	ps := followTranscript(t, "generic-mmc", writeMMC)
	seen := map[string]bool{}
	for _, p := range ps {
		seen[p.Stage] = true
	}
	for _, s := range []string{StageLeadIn, StageWriting, StageFlushing} {
		if !seen[s] {
			t.Errorf("no %s", s)
		}
	}
	if seen[StageLeadOut] {
		t.Error("generic-mmc prints no lead-out, yet one was seen")
	}
}

func TestArgs(t *testing.T) {
	for _, tc := range []struct {
		opt  Options
		want []string
	}{
		{Options{Device: "/dev/sr0"}, []string{"write", "--device", "/dev/sr0", "-n", "d/disc.toc"}},
		{Options{Device: "/dev/sr1", Simulate: true, Speed: 8, Eject: true}, []string{"write", "--device", "/dev/sr1", "--simulate", "--speed", "8", "--eject", "-n", "d/disc.toc"}},
		{Options{Device: "0,0,0", Speed: -3, Eject: true}, []string{"write", "--device", "0,0,0", "--eject", "-n", "d/disc.toc"}},
		{Options{}, []string{"write", "-n", "d/disc.toc"}},
	} {
		if got := Args("d/disc.toc", tc.opt); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Args(%+v) = %q, want %q", tc.opt, got, tc.want)
		}
	}
}

func TestProblemFor(t *testing.T) {
	dir := t.TempDir()
	dev := filepath.Join(dir, "sr0")
	if err := os.WriteFile(dev, nil, 0o660); err != nil {
		t.Fatal(err)
	}
	if p := checkDevice(dev); p != "" {
		t.Errorf("openable: %q", p)
	}
	if p := checkDevice(dir); !strings.Contains(p, "cannot be opened") {
		t.Errorf("directory: %q", p)
	}
	if p := checkDevice(filepath.Join(dir, "sr9")); p != filepath.Join(dir, "sr9")+" is not connected" {
		t.Errorf("missing: %q", p)
	}
	// As root (the tests here) open(2) never says EACCES, so the mapping
	// is checked directly.
	p := problemFor("/dev/sr0", unix.EACCES)
	if !strings.HasPrefix(p, "you do not have permission to use /dev/sr0 (") || !strings.Contains(p, "group") {
		t.Errorf("EACCES: %q", p)
	}
	if p := problemFor("/dev/sr0", unix.EBUSY); p != "/dev/sr0 is being used by another program" {
		t.Errorf("EBUSY: %q", p)
	}
	var st unix.Stat_t
	if err := unix.Stat(dev, &st); err != nil {
		t.Fatal(err)
	}
	p = problemFor(dev, unix.EACCES)
	if st.Gid == 0 && !strings.Contains(p, "ask whoever looks after this computer") {
		t.Errorf("root's group is no advice: %q", p)
	}
	if st.Gid != 0 && !strings.Contains(p, "add yourself to the group") {
		t.Errorf("group: %q", p)
	}
}

func TestReadCdromInfo(t *testing.T) {
	// The kernel's table (drivers/cdrom/cdrom.c cdrom_sysctl_info).
	info := "CD-ROM information, Id: cdrom.c 3.20 2003/12/17\n\n" +
		"drive name:\t\tsr1\tsr0\ndrive speed:\t\t24\t24\ndrive # of slots:\t1\t1\n" +
		"Can play audio:\t\t1\t0\nCan write CD-R:\t\t0\t1\nCan write CD-RW:\t0\t1\nCan read DVD:\t\t1\t1\n"
	path := filepath.Join(t.TempDir(), "info")
	if err := os.WriteFile(path, []byte(info), 0o644); err != nil {
		t.Fatal(err)
	}
	got := readCdromInfo(path)
	if !reflect.DeepEqual(got, map[string]bool{"sr0": true, "sr1": false}) {
		t.Errorf("got %v", got)
	}
	if readCdromInfo(filepath.Join(t.TempDir(), "none")) != nil {
		t.Error("missing file")
	}
}
