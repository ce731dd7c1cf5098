package cdburn

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Options are how to burn.
type Options struct {
	Device   string        // what cdrdao --device takes; "" = cdrdao's choice
	Simulate bool          // cdrdao --simulate: a dry run with the laser off
	Speed    int           // 0 = the drive's choice (its fastest)
	Eject    bool          // eject at the end (callers default to true)
	Timeout  time.Duration // the whole write; 0 = 30 minutes
	Stall    time.Duration // no output for this long means cdrdao hangs; 0 = 3 minutes
}

const (
	defaultTimeout = 30 * time.Minute
	defaultStall   = 3 * time.Minute
)

// Args returns cdrdao's arguments for writing toc with opt:
//
//	write [--device D] [--simulate] [--speed N] [--eject] -n TOC
//
// -n drops the 10 second pause before writing. No --driver: cdrdao picks
// generic-mmc or generic-mmc-raw from its drive table and the drive's
// answers (dao/main.cc selectDriver; issue #10 shows it choosing the raw
// driver by itself), and forcing one would be wrong for some drives.
// No --overburn: a disc that is too small is refused.
func Args(toc string, opt Options) []string {
	args := []string{"write"}
	if opt.Device != "" {
		args = append(args, "--device", opt.Device)
	}
	if opt.Simulate {
		args = append(args, "--simulate")
	}
	if opt.Speed > 0 {
		args = append(args, "--speed", strconv.Itoa(opt.Speed))
	}
	if opt.Eject {
		args = append(args, "--eject")
	}
	return append(args, "-n", toc)
}

// Burn writes the disc image toc (a cdrdao TOC file) to the blank disc in
// opt.Device. It first looks at the disc (Inspect) and refuses, with an
// *Error, when there is none, when it is not blank, or when needSectors
// is more than it holds. needSectors is the image's length in sectors (75
// a second; 0 = do not check) as cdrdao counts it (`cdrdao toc-size`,
// dao/main.cc compares toc->length() with the capacity): without the 150
// sectors of silence before track 1, which go before the disc's LBA 0. Then it runs cdrdao (Args), calling progress for
// each progress line (Fraction never goes back, and is 1 at the end of a
// good burn); cdrdao is stopped (its whole process group) when opt.Timeout
// passes, when it prints nothing for opt.Stall, or when ctx is done. cdrdao
// runs in the TOC's folder with stdin from /dev/null, so its "hit return"
// prompts cannot hang it. progress is called on Burn's goroutine, in order,
// and must return quickly. Every error is an *Error; after ctx is done it
// wraps ctx.Err().
func Burn(ctx context.Context, toc string, needSectors int64, opt Options, progress func(Progress)) error {
	return system().burn(ctx, toc, needSectors, opt, progress)
}

func (h *host) burn(ctx context.Context, toc string, needSectors int64, opt Options, progress func(Progress)) error {
	if opt.Timeout <= 0 {
		opt.Timeout = defaultTimeout
	}
	if opt.Stall <= 0 {
		opt.Stall = defaultStall
	}
	report := func(p Progress) {
		if progress != nil {
			progress(p)
		}
	}
	if _, err := os.Stat(toc); err != nil {
		return &Error{Text: "The disc image is missing. Please make the disc image again.", Err: fmt.Errorf("%w: %w", ErrImage, err)}
	}
	// cdrdao 1.2.4 opens the FILE names in the TOC from its working
	// folder (tried here: `cdrdao toc-size /abs/disc.toc` from / cannot
	// open "disc.bin"), so it runs in the TOC's folder, given the full path.
	abs, err := filepath.Abs(toc)
	if err != nil {
		return &Error{Text: "The disc image is missing. Please make the disc image again.", Err: fmt.Errorf("%w: %w", ErrImage, err)}
	}
	toc = abs

	disc, err := h.inspect(ctx, opt.Device)
	if err != nil {
		return err
	}
	if err := checkDisc(disc, needSectors); err != nil {
		return err
	}

	var tr Tracker
	report(Progress{Stage: StageStarting})
	res, err := h.run(ctx, filepath.Dir(toc), Args(toc, opt), opt.Timeout, opt.Stall, func(line string) {
		if p, ok := tr.Next(line); ok {
			report(p)
		}
	})
	if err != nil {
		if notInstalled(err) {
			return errNotInstalled(err)
		}
		return &Error{Text: "The CD burning program cdrdao could not be started.", Err: err}
	}

	ruined := ""
	if tr.started() && !opt.Simulate {
		ruined = " This disc can probably not be used any more."
	}
	switch res.why {
	case stopCanceled:
		return &Error{Text: "Burning was stopped." + ruined, Tail: tail(res.lines), Err: ctx.Err()}
	case stopStall:
		return &Error{
			Text:             fmt.Sprintf("The CD writer stopped responding (nothing happened for %s), so burning was stopped.%s", minutes(opt.Stall), ruined),
			Tail:             tail(res.lines),
			TryWithoutCDText: tr.Stage() == StageLeadIn && hasCDText(toc),
			Err:              ErrStalled,
		}
	case stopTimeout:
		return &Error{
			Text: fmt.Sprintf("Burning took longer than %s, so it was stopped.%s", minutes(opt.Timeout), ruined),
			Tail: tail(res.lines),
			Err:  ErrTimedOut,
		}
	}
	if res.exitErr == nil {
		if tr.Stage() != StageDone {
			report(Progress{Stage: StageDone, DoneMB: tr.totalMB, TotalMB: tr.totalMB, Fraction: 1})
		}
		return nil
	}
	e := classify(res.lines, &tr, opt)
	e.Err = fmt.Errorf("%w: %w", e.Err, res.exitErr)
	if e.TryWithoutCDText && !hasCDText(toc) {
		e.TryWithoutCDText = false
	}
	return e
}

// checkDisc refuses a disc that is missing, written or too small.
func checkDisc(d Disc, needSectors int64) error {
	switch {
	case !d.Present:
		return &Error{Text: "There is no disc in the drive. Put in a blank CD-R and try again.", Err: ErrNoDisc}
	case !d.Blank && d.Rewritable:
		return &Error{Text: "The disc in the drive is not blank (it is a CD-RW with something on it). Erase it first, or put in a blank CD-R.", Err: ErrNotBlank}
	case !d.Blank:
		return &Error{Text: "The disc in the drive is not blank (something has already been written to it). Put in a blank CD-R.", Err: ErrNotBlank}
	case needSectors > 0 && d.CapacitySectors > 0 && needSectors > d.CapacitySectors:
		// Rounding the image up and the disc down never makes them look equal.
		need := (needSectors + 4499) / 4500
		holds := d.CapacitySectors / 4500
		return &Error{
			Text: fmt.Sprintf("The disc is too small: the image needs %d minutes, the disc holds %d. Use a longer CD-R (80 minutes), or take a song off.", need, holds),
			Err:  ErrTooSmall,
		}
	}
	return nil
}

// minutes says d in words: "3 minutes", "1 minute", "20 seconds".
func minutes(d time.Duration) string {
	switch {
	case d < time.Minute:
		s := int(d.Round(time.Second) / time.Second)
		if s == 1 {
			return "1 second"
		}
		if s == 0 {
			return "a moment"
		}
		return fmt.Sprintf("%d seconds", s)
	case d < 2*time.Minute:
		return "1 minute"
	}
	return fmt.Sprintf("%d minutes", int(d/time.Minute))
}

var reSpeed = regexp.MustCompile(`(?i)writing speed (\d+) not supported`)

// classify turns the output of a cdrdao write that exited with an error
// into plain words. tr has followed the same lines.
func classify(lines []string, tr *Tracker, opt Options) *Error {
	if p := deviceProblem(lines, opt.Device); p != nil {
		return p
	}
	low := lowerLines(lines)
	// Only cdrdao's complaints, not its chatter ("Using 96 byte raw P-W
	// sub-channel data mode for CD-TEXT." is good news).
	var complaints []string
	for _, l := range low {
		if strings.Contains(l, "error") || strings.Contains(l, "warning") || strings.Contains(l, "failed") || strings.Contains(l, "cannot") {
			complaints = append(complaints, l)
		}
	}
	pct := int(tr.Fraction() * 100)
	ruined := ""
	if tr.started() && !opt.Simulate {
		ruined = " This disc can probably not be used any more."
	}
	e := &Error{Tail: tail(lines), Err: ErrFailed}
	switch {
	case anyContains(low, "not empty and not appendable", "medium is not appendable", "disk seems to be written"):
		e.Text, e.Err = "The disc in the drive is not blank. Put in a blank CD-R.", ErrNotBlank
	case anyContains(low, "exceeds capacity"):
		e.Text, e.Err = "The disc is too small for this disc image. Use a longer CD-R (80 minutes), or take a song off.", ErrTooSmall
	case reSpeed.MatchString(strings.Join(lines, "\n")):
		n := reSpeed.FindStringSubmatch(strings.Join(lines, "\n"))[1]
		e.Text = "The CD writer cannot write at speed " + n + ". Try again with the speed left to the drive."
	case anyContains(low, "could not find input file", "cannot open audio file", "could not decode audio files",
		"opening of track data failed", "reading of track data failed", "is inconsistent", "illegal token", "syntax error"):
		e.Text, e.Err = "The disc image could not be read. Please make the disc image again.", ErrImage
	case anyContains(complaints, "cd-text"):
		// "Cannot write CD-TEXT data because the 96 byte raw P-W sub-channel
		// data mode is not supported.", "CD-TEXT encoding failed.", "Writing
		// of CD-TEXT data failed." (dao/GenericMMCraw.cc, dao/GenericMMC.cc)
		e.Text = "The CD writer could not write the song titles (CD-TEXT)." + ruined
		e.TryWithoutCDText = true
	case anyContains(complaints, "cue sheet", "cannot setup write parameters", "cannot setup disk-at-once",
		"not suitable for this drive", "may create undefined results"):
		e.Text = "The CD writer refused to write this disc." + ruined
		e.TryWithoutCDText = true
	case anyContains(complaints, "power calibration failed"):
		e.Text = "The CD writer could not prepare the disc (power calibration failed). Try another blank CD-R, or a lower speed."
	case anyContains(low, "aborted on user request"):
		e.Text = "Burning was stopped." + ruined
	case tr.Stage() == StageLeadIn:
		// The lead-in carries the CD-TEXT; drives that cannot write it fail
		// here ("Writing lead-in and gap..." then "ERROR: Write data
		// failed.", cdrdao issue #36).
		e.Text = fmt.Sprintf("Writing failed at %d %%, at the very start of the disc.%s", pct, ruined)
		e.TryWithoutCDText = true
	case tr.started():
		e.Text = fmt.Sprintf("Writing failed at %d %%.%s", pct, ruined)
		if anyContains(complaints, "buffer under run") {
			e.Text += " Try again at a lower speed."
		}
	default:
		e.Text = "The CD writer reported a problem, so burning did not start."
	}
	return e
}

// hasCDText tells whether the TOC at path has CD_TEXT blocks.
func hasCDText(path string) bool {
	b, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	out, err := stripCDText(b)
	return err != nil || len(out) != len(b)
}
