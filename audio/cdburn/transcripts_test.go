package cdburn

import (
	"fmt"
	"strings"
)

// Transcripts of cdrdao 1.2.4, built from the real formats (see doc.go).
// A line ending in "\r" is printed with '\r' (cdrdao's progress lines),
// every other line with '\n'. "@out " sends a line to stdout (disk-info's
// fields are printf'd there; everything else goes to stderr), "@sleep S"
// pauses the fake, "@hang" makes it hang, "@spam" makes it print progress
// lines forever.

const banner = "Cdrdao version 1.2.4 - (C) Andreas Mueller <andreas@daneb.de>"

// diskInfoHeader is what disk-info prints to stderr before the fields
// (dao/main.cc setupDevice and showDiskInfo).
var diskInfoHeader = []string{
	banner,
	"/dev/sr0: HL-DT-ST DVDRAM GH24NSD1\tRev: LG01",
	"Using driver: Generic SCSI-3/MMC - Version 2.0 (options 0x0000)",
	"",
	"That data below may not reflect the real status of the inserted medium",
	"if a simulation run was performed before. Reload the medium in this case.",
	"",
}

func out(lines ...string) []string {
	o := make([]string, len(lines))
	for i, l := range lines {
		o[i] = "@out " + l
	}
	return o
}

func join(parts ...[]string) []string {
	var all []string
	for _, p := range parts {
		all = append(all, p...)
	}
	return all
}

// A blank 80 minute CD-R (Msf(359849) = 79:57:74; (359849*2)>>10 = 702,
// (359849*2352)>>20 = 807, as showDiskInfo computes them).
var diskInfoBlank = join(diskInfoHeader, out(
	"CD-RW                : no",
	"Total Capacity       : 79:57:74 (359849 blocks, 702/807 MB)",
	"CD-R medium          : 97:26:66: unknown vendor ID",
	"Recording Speed      : n/a",
	"CD-R empty           : yes",
))

// A blank 70 minute CD-R (315000 blocks).
var diskInfoBlank70 = join(diskInfoHeader, out(
	"CD-RW                : no",
	"Total Capacity       : 70:00:00 (315000 blocks, 615/706 MB)",
	"CD-R medium          : n/a",
	"Recording Speed      : n/a",
	"CD-R empty           : yes",
))

// A written, closed disc: the real cdrdao 1.2.4 output quoted in a
// public project (a "Sample output" comment of `cdrdao disk-info --device
// /dev/sr1`).
var diskInfoWritten = join([]string{
	banner,
	"/dev/sr1: HL-DT-ST BD-RE WP50NB40       Rev: 1.03",
	"Using driver: Generic SCSI-3/MMC - Version 2.0 (options 0x0000)",
	"",
	"That data below may not reflect the real status of the inserted medium",
	"if a simulation run was performed before. Reload the medium in this case.",
	"",
}, out(
	"CD-RW                : no",
	"Total Capacity       : n/a",
	"CD-R medium          : n/a",
	"Recording Speed      : n/a",
	"CD-R empty           : no",
	"Toc Type             : CD-DA or CD-ROM",
	"Sessions             : 2",
	"Last Track           : 23",
	"Appendable           : no",
))

// A CD-RW with one open session (Remaining = 359849 - 11400 blocks).
var diskInfoRWAppendable = join(diskInfoHeader, out(
	"CD-RW                : yes",
	"Total Capacity       : 79:57:74 (359849 blocks, 702/807 MB)",
	"CD-R medium          : n/a",
	"Recording Speed      : n/a",
	"CD-R empty           : no",
	"Toc Type             : CD-ROM XA",
	"Sessions             : 1",
	"Last Track           : 1",
	"Appendable           : yes",
	"Start of last session: 0 (00:02:00)",
	"Start of new session : 11400 (02:34:00)",
	"Remaining Capacity   : 77:25:74 (348449 blocks, 680/781 MB)",
))

// No disc: setupDevice's ten tries three seconds apart, then giving up.
var diskInfoNoDisc = func() []string {
	l := []string{banner, "/dev/sr0: HL-DT-ST DVDRAM GH24NSD1\tRev: LG01", "Using driver: Generic SCSI-3/MMC - Version 2.0 (options 0x0000)", ""}
	for range 10 {
		l = append(l, "WARNING: Unit not ready, still trying...")
	}
	return append(l, "ERROR: Unit not ready, giving up.", "ERROR: Cannot setup device /dev/sr0.")
}()

// As the installed cdrdao 1.2.4 printed it here for a missing device.
var diskInfoNoDevice = []string{
	banner,
	"ERROR: Unable to open SCSI device /dev/sr0: No such file or directory.",
	"ERROR: Please use option '--device {[proto:]bus,id,lun}|device', e.g. --device 0,6,0, --device ATA:0,0,0 or --device /dev/cdrom",
	"ERROR: Cannot setup device /dev/sr0.",
}

var diskInfoNoPermission = []string{
	banner,
	"ERROR: Unable to open SCSI device /dev/sr0: Permission denied.",
	"ERROR: Please use option '--device {[proto:]bus,id,lun}|device', e.g. --device 0,6,0, --device ATA:0,0,0 or --device /dev/cdrom",
	"ERROR: Cannot setup device /dev/sr0.",
}

// wrote returns the "\r" progress lines for from..to MB of total.
// buffers: the music's "(Buffers 100%  98%)" suffix; else zero data.
func wrote(from, to, total, step int, buffers bool) []string {
	var l []string
	n := 0
	for mb := from; mb <= to; mb += step {
		if buffers {
			l = append(l, fmt.Sprintf("Wrote %d of %d MB (Buffers %3d%% %3d%%).\r", mb, total, 100, 98))
		} else {
			l = append(l, fmt.Sprintf("Wrote %d of %d MB.\r", mb, total))
		}
		if n++; n%6 == 0 {
			l = append(l, "@sleep 0.01")
		}
		if mb != to && mb+step > to {
			mb = to - step
		}
	}
	return l
}

// writeStart is everything up to the lead-in, for the raw driver that
// cdrdao picked by itself in issue #10 (with -n: no "Pausing 10 seconds").
var writeStartRaw = []string{
	banner,
	"/dev/sr0: PLDS DVDRWBD DH-12E3S\tRev: MD11",
	"Using driver: Generic SCSI-3/MMC (raw writing) - Version 2.0 (options 0x0000)",
	"",
	"Starting write at speed 8...",
	`Process can be aborted with QUIT signal (usually CTRL-\).`,
	"Turning BURN-Proof on",
	"Using 96 byte raw P-W sub-channel data mode for CD-TEXT.",
	"Executing power calibration...",
	"@sleep 0.01",
	"Power calibration successful.",
	"WARNING: No super user permission to setup real time scheduling.",
}

// writeRaw is a whole good burn of three tracks (280 MB) with the raw
// driver: lead-in zeros, music, lead-out zeros (dao/GenericMMCraw.cc,
// dao/CdrDriver.cc writeZeros, dao/dao.cc writer, dao/main.cc).
var writeRaw = join(
	writeStartRaw,
	[]string{"Writing lead-in and gap..."},
	wrote(1, 20, 20, 5, false),
	[]string{"Writing track 01 (mode AUDIO/AUDIO )..."},
	wrote(1, 100, 280, 10, true),
	[]string{"Writing track 02 (mode AUDIO/AUDIO )..."},
	wrote(101, 190, 280, 10, true),
	[]string{"Writing track 03 (mode AUDIO/AUDIO )...."},
	wrote(191, 280, 280, 10, true),
	[]string{
		"",
		"Wrote 119047 blocks. Buffer fill min 93%/max 100%.",
		"Writing lead-out...",
	},
	wrote(1, 15, 15, 5, false),
	[]string{
		"",
		"Flushing cache...",
		"Writing finished successfully.",
	},
)

// writeMMC is a good burn with the generic-mmc driver, which writes the
// CD-TEXT lead-in itself and lets the drive write the lead-out
// (dao/GenericMMC.cc).
var writeMMC = join(
	[]string{
		banner,
		"/dev/sr0: HL-DT-ST DVDRAM GH24NSD1\tRev: LG01",
		"Using driver: Generic SCSI-3/MMC - Version 2.0 (options 0x0010)",
		"",
		"Starting write at speed 24...",
		`Process can be aborted with QUIT signal (usually CTRL-\).`,
		"Turning BURN-Proof on",
		"Executing power calibration...",
		"Power calibration successful.",
		"Writing CD-TEXT lead-in...",
		"Writing track 01 (mode AUDIO/AUDIO )...",
	},
	wrote(1, 150, 280, 10, true),
	[]string{"Writing track 02 (mode AUDIO/AUDIO )..."},
	wrote(151, 280, 280, 10, true),
	[]string{
		"",
		"Wrote 119047 blocks. Buffer fill min 88%/max 100%.",
		"Flushing cache...",
		"Writing finished successfully.",
	},
)

// lines returns a transcript as cdrdao's reader sees it: split on '\r' and
// '\n', without empty lines and the fake's directives.
func lines(t []string) []string {
	var l []string
	for _, s := range t {
		if strings.HasPrefix(s, "@sleep") || s == "@hang" || s == "@spam" {
			continue
		}
		s = strings.TrimPrefix(s, "@out ")
		s = strings.TrimSuffix(s, "\r")
		if s != "" {
			l = append(l, s)
		}
	}
	return l
}
