package cdburn

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Error is a failed burn (or look at the drive), in plain words, with
// cdrdao's last lines for the details.
type Error struct {
	Text string   // a sentence or two for the user: "There is no disc in the drive."
	Tail []string // cdrdao's last ~20 lines (without the progress lines)
	// TryWithoutCDText is true when writing itself failed in a way that a
	// drive without CD-TEXT support can cause, and the TOC has CD-TEXT: the
	// caller offers "burn again without CD-TEXT" (WithoutCDText).
	TryWithoutCDText bool
	Err              error // one of the Err… values below, often joined with cdrdao's exit status
}

func (e *Error) Error() string {
	if e.Text != "" {
		return e.Text
	}
	if e.Err != nil {
		return e.Err.Error()
	}
	return "burning the CD failed"
}

func (e *Error) Unwrap() error { return e.Err }

// What went wrong, for errors.Is on an *Error.
var (
	ErrNotInstalled = errors.New("cdrdao is not installed")
	ErrNoDrive      = errors.New("the CD writer was not found")
	ErrPermission   = errors.New("no permission to use the CD writer")
	ErrBusy         = errors.New("the CD writer is busy")
	ErrNoDisc       = errors.New("no disc in the drive")
	ErrNotBlank     = errors.New("the disc is not blank")
	ErrTooSmall     = errors.New("the disc is too small")
	ErrImage        = errors.New("the disc image cannot be read")
	ErrStalled      = errors.New("cdrdao stopped responding")
	ErrTimedOut     = errors.New("cdrdao took too long")
	ErrFailed       = errors.New("cdrdao failed")
)

const tailLines = 20

// tail is the last tailLines lines that are not progress counters.
func tail(lines []string) []string {
	var t []string
	for i := len(lines) - 1; i >= 0 && len(t) < tailLines; i-- {
		l := strings.TrimSpace(lines[i])
		if l == "" || reWrote.MatchString(l) {
			continue
		}
		t = append(t, l)
	}
	for i, j := 0, len(t)-1; i < j; i, j = i+1, j-1 {
		t[i], t[j] = t[j], t[i]
	}
	return t
}

func errNotInstalled(err error) *Error {
	return &Error{
		Text: "The CD burning program (cdrdao) is not installed. Ask whoever looks after this computer to install the package cdrdao.",
		Err:  fmt.Errorf("%w: %w", ErrNotInstalled, err),
	}
}

// "ERROR: Unable to open SCSI device /dev/sr0: No such file or directory."
// (dao/ScsiIf-linux.cc init, as printed by 1.2.4 here).
var reOpenFailed = regexp.MustCompile(`Unable to open SCSI device (.*): ([^:]*?)\.?$`)

// lowerLines is lines in lower case, for matching.
func lowerLines(lines []string) []string {
	low := make([]string, len(lines))
	for i, l := range lines {
		low[i] = strings.ToLower(l)
	}
	return low
}

func anyContains(low []string, subs ...string) bool {
	for _, l := range low {
		for _, s := range subs {
			if strings.Contains(l, s) {
				return true
			}
		}
	}
	return false
}

// deviceProblem finds, in cdrdao's output, the problems with the drive and
// the disc that stop any command: no permission, no such drive, busy, no
// disc. device is what was asked for ("" = cdrdao's choice).
func deviceProblem(lines []string, device string) *Error {
	low := lowerLines(lines)
	for _, l := range lines {
		if m := reOpenFailed.FindStringSubmatch(l); m != nil && m[1] != "(null)" {
			device = m[1]
			break
		}
	}
	the := "The CD writer"
	if device != "" {
		the += " (" + device + ")"
	}
	mk := func(text string, err error) *Error {
		return &Error{Text: text, Tail: tail(lines), Err: err}
	}
	opened := anyContains(low, "unable to open scsi device")
	switch {
	case opened && anyContains(low, "permission denied", "operation not permitted"),
		anyContains(low, "no permission to write to scsi device"):
		hint := "Ask whoever looks after this computer for access to it."
		if strings.HasPrefix(device, "/") {
			hint = "To fix it: " + accessHint(device) + "."
		}
		return mk(fmt.Sprintf("You do not have permission to use %s. %s", strings.ToLower(the[:1])+the[1:], hint), ErrPermission)
	case anyContains(low, "device or resource busy"):
		return mk(the+" is being used by another program. Close other programs that use CDs and try again.", ErrBusy)
	case opened && anyContains(low, "bad address"):
		// No --device and nothing found: "Unable to open SCSI device (null): Bad address."
		return mk("No CD writer was found. Check that it is connected.", ErrNoDrive)
	case opened:
		return mk(the+" was not found. Check that it is connected.", ErrNoDrive)
	case anyContains(low, "no device specified, no default device found"):
		return mk("No CD writer was found. Check that it is connected.", ErrNoDrive)
	case anyContains(low, "unit not ready, giving up", "medium not present", "no disk", "no medium"):
		return mk("There is no disc in the drive.", ErrNoDisc)
	}
	return nil
}
