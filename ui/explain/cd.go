package explain

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2/lang"

	"sangstudio/audio/cdburn"
	"sangstudio/audio/cdimage"
	"sangstudio/audio/cdmake"
)

// CDs: making the CD image (audio/cdmake, audio/cdimage) and burning it
// (audio/cdburn, whose *Error has an English text for the command line
// and wraps one of its Err… kinds).

// cds says why a CD image could not be made or a CD not burned.
func cds(err error) (string, bool) {
	var fe *cdmake.FatalError
	var re *cdimage.RefusedError
	switch {
	case errors.As(err, &fe):
		return lang.L("The CD cannot be made:\n{{.Problems}}", data{"Problems": fatal(fe.Problems)}), true
	case errors.As(err, &re):
		return lang.L("The CD image cannot be made: the songs or their titles do not fit the rules for audio CDs. Check the CD's songs and titles, and try again."), true
	}
	return burning(err)
}

// fatal lists the problems that stop a CD from being made, one a line;
// their texts are in the window's language already (cdmake's Translate).
func fatal(ps []cdimage.Problem) string {
	var lines []string
	for _, p := range ps {
		if p.Fatal {
			lines = append(lines, "• "+text(p.Text))
		}
	}
	return strings.Join(lines, "\n")
}

// burning says why burning a CD (or looking at the CD writer) failed.
func burning(err error) (string, bool) {
	var be *cdburn.Error
	isBurn := errors.As(err, &be)
	switch {
	case errors.Is(err, cdburn.ErrNotInstalled):
		return lang.L("The CD burning program (cdrdao) is not installed. Ask whoever looks after this computer to install the package cdrdao."), true
	case errors.Is(err, cdburn.ErrNoDrive):
		return lang.L("No CD writer was found. Check that it is connected, and try again."), true
	case errors.Is(err, cdburn.ErrPermission):
		return lang.L("You do not have permission to use the CD writer. Ask whoever looks after this computer for access to it."), true
	case errors.Is(err, cdburn.ErrBusy):
		return lang.L("The CD writer is being used by another program. Close other programs that use CDs, and try again."), true
	case errors.Is(err, cdburn.ErrNoDisc):
		return lang.L("There is no disc in the CD writer. Put in a blank CD-R and try again."), true
	case errors.Is(err, cdburn.ErrNotBlank):
		return lang.L("The disc in the CD writer is not blank. Put in a blank CD-R (or erase the CD-RW first)."), true
	case errors.Is(err, cdburn.ErrTooSmall):
		return lang.L("The disc is too small for these songs. Use an 80-minute CD-R, or take a song off the CD."), true
	case errors.Is(err, cdburn.ErrImage):
		return lang.L("The CD image is missing or cannot be read. Make the CD image again, then burn it."), true
	case errors.Is(err, cdburn.ErrStalled):
		return lang.L("The CD writer stopped responding, so burning was stopped. If writing had begun, this disc can probably not be used any more."), true
	case errors.Is(err, cdburn.ErrTimedOut):
		return lang.L("The CD writer took too long, so Sangstudio stopped. Take the disc out, put it back in and try again. If writing had begun, that disc can probably not be used any more."), true
	case isBurn && be.TryWithoutCDText:
		return lang.L("The CD writer could not write the song titles (CD-TEXT). Try burning again without titles. If writing had begun, this disc can probably not be used any more."), true
	case errors.Is(err, cdburn.ErrFailed):
		return lang.L("The CD writer could not write the disc. Try another blank CD-R, or a lower speed. If writing had begun, this disc can probably not be used any more."), true
	case isBurn && errors.Is(err, context.Canceled):
		return lang.L("Stopped. The disc may be unusable if writing had begun."), true
	case isBurn:
		return lang.L("The CD burning program (cdrdao) could not be started, or it failed. Try again; if it fails again, show the details to whoever looks after this computer."), true
	}
	return "", false
}
