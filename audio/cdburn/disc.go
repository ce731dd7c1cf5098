package cdburn

import (
	"context"
	"regexp"
	"strconv"
	"strings"
)

// Disc is what is in the drive.
type Disc struct {
	Present    bool // a disc is in the drive
	Blank      bool // nothing has been written to it ("CD-R empty: yes")
	Appendable bool // written, but another session can be added ("Appendable: yes"); false for blank discs
	Rewritable bool // a CD-RW
	// CapacitySectors is the room left in sectors (75 a second): the total
	// capacity of a blank disc, the remaining capacity of an appendable
	// one; 0 if unknown or full.
	CapacitySectors int64
}

// Inspect runs `cdrdao disk-info --device D` (60 seconds at most: drives
// spin up, and with no disc cdrdao retries for about 30 seconds) and
// parses it. Errors are *Error.
func Inspect(ctx context.Context, device string) (Disc, error) {
	return system().inspect(ctx, device)
}

func (h *host) inspect(ctx context.Context, device string) (Disc, error) {
	args := []string{"disk-info"}
	if device != "" {
		args = append(args, "--device", device)
	}
	res, err := h.run(ctx, "", args, h.inspectTimeout, 0, nil)
	if err != nil {
		if notInstalled(err) {
			return Disc{}, errNotInstalled(err)
		}
		return Disc{}, &Error{Text: "The CD burning program cdrdao could not be started.", Err: err}
	}
	switch res.why {
	case stopCanceled:
		return Disc{}, &Error{Text: "Stopped.", Tail: tail(res.lines), Err: ctx.Err()}
	case stopTimeout:
		return Disc{}, &Error{Text: "The CD writer did not answer within a minute. Take the disc out, put it back in and try again.", Tail: tail(res.lines), Err: ErrTimedOut}
	}
	d, err := ParseDiskInfo(strings.Join(res.lines, "\n"))
	if _, ok := err.(*Error); ok && device != "" {
		// The same, but naming the drive when cdrdao did not.
		if p := deviceProblem(res.lines, device); p != nil {
			return d, p
		}
	}
	return d, err
}

var (
	reDiskField = regexp.MustCompile(`^([A-Za-z][A-Za-z -]*?)\s*:\s*(.*)$`)
	reBlocksN   = regexp.MustCompile(`\((\d+) blocks`)
	reMSF       = regexp.MustCompile(`^(\d+):(\d\d):(\d\d)`)
)

// ParseDiskInfo reads `cdrdao disk-info` output (stdout and stderr
// together). No disc ("Unit not ready, giving up", "Medium not present")
// is Disc{Present: false} and no error; a drive that cannot be used, or
// output without disk information, is an *Error.
func ParseDiskInfo(out string) (Disc, error) {
	lines := strings.FieldsFunc(out, func(r rune) bool { return r == '\n' || r == '\r' })
	fields := map[string]string{}
	for _, l := range lines {
		m := reDiskField.FindStringSubmatch(strings.TrimSpace(l))
		if m == nil {
			continue
		}
		switch k := m[1]; k {
		case "CD-RW", "Total Capacity", "CD-R empty", "Appendable", "Remaining Capacity":
			fields[k] = strings.TrimSpace(m[2])
		}
	}
	if _, ok := fields["CD-R empty"]; !ok {
		if p := deviceProblem(lines, ""); p != nil {
			if p.Err == ErrNoDisc {
				return Disc{}, nil
			}
			return Disc{}, p
		}
		return Disc{}, &Error{Text: "The CD writer did not say what disc is in it.", Tail: tail(lines), Err: ErrFailed}
	}
	d := Disc{
		Present:    true,
		Blank:      fields["CD-R empty"] == "yes",
		Appendable: fields["Appendable"] == "yes",
		Rewritable: fields["CD-RW"] == "yes",
	}
	switch {
	case fields["Remaining Capacity"] != "":
		d.CapacitySectors = sectors(fields["Remaining Capacity"])
	case d.Blank:
		d.CapacitySectors = sectors(fields["Total Capacity"])
	}
	return d, nil
}

// sectors reads "79:57:74 (359849 blocks, 702/807 MB)" (dao/main.cc
// showDiskInfo: Msf::str() "%02d:%02d:%02d", then the block count); 0 for
// "n/a".
func sectors(s string) int64 {
	if m := reBlocksN.FindStringSubmatch(s); m != nil {
		n, _ := strconv.ParseInt(m[1], 10, 64)
		return n
	}
	if m := reMSF.FindStringSubmatch(s); m != nil {
		mi, _ := strconv.ParseInt(m[1], 10, 64)
		se, _ := strconv.ParseInt(m[2], 10, 64)
		fr, _ := strconv.ParseInt(m[3], 10, 64)
		return mi*4500 + se*75 + fr
	}
	return 0
}
