package explain

import (
	"context"
	"errors"
	"io/fs"
	"syscall"

	"fyne.io/fyne/v2/lang"

	"sangstudio/internal/fserr"
	"sangstudio/projects/archive"
	"sangstudio/projects/takehome"
)

// Taking a song home on a USB stick (projects/takehome) and song archives
// (projects/archive).

// takeHome says why the song could not be copied to the USB stick.
func takeHome(err error) (string, bool) {
	var ns *takehome.NoSpaceError
	var te *takehome.Error
	switch {
	case errors.As(err, &ns):
		return lang.L("There is not enough room on the USB stick: the files need {{.Need}} MB, and {{.Free}} MB is free. Delete something from the stick, or choose another one.",
			data{"Need": (ns.Need + 999_999) / 1_000_000, "Free": ns.Free / 1_000_000}), true
	case errors.Is(err, takehome.ErrRemoved):
		return lang.L("The USB stick was removed, or stopped answering, while the song was copied. Put it back in and try again."), true
	case errors.Is(err, takehome.ErrWriteProtected):
		return lang.L("The USB stick is write-protected: nothing can be saved on it. Check the little switch on its side, or try another stick."), true
	case errors.Is(err, takehome.ErrCopyDiffers):
		if errors.As(err, &te) && fileName(te.Path) != "" {
			return lang.L("“{{.File}}” was not copied correctly: the copy on the USB stick differs from the original. The stick may be faulty; try another one.", data{"File": fileName(te.Path)}), true
		}
		return lang.L("A file was not copied correctly: the copy on the USB stick differs from the original. The stick may be faulty; try another one."), true
	case errors.As(err, &te):
		return copyFailed(te), true
	}
	return "", false
}

// copyFailed says why writing a file (or the folder) on the stick failed.
func copyFailed(te *takehome.Error) string {
	d := data{"File": fileName(te.Path)}
	switch {
	case errors.Is(te, context.Canceled):
		return lang.L("Stopped. Nothing was left on the stick.")
	case errors.Is(te, context.DeadlineExceeded):
		return lang.L("Copying took too long and was stopped. Nothing was left on the stick.")
	case fserr.IsDiskFull(te):
		return lang.L("The USB stick is full, so “{{.File}}” could not be copied. Delete something from the stick, or choose another one.", d)
	case fserr.IsIOError(te):
		return lang.L("The USB stick reported an error while “{{.File}}” was copied: it may be faulty, or it was removed. Try again, or try another stick.", d)
	case errors.Is(te, fs.ErrPermission):
		return lang.L("Sangstudio is not allowed to write “{{.File}}” there. Choose another USB stick or folder.", d)
	case fserr.IsTooLarge(te):
		return lang.L("“{{.File}}” is too large for the USB stick (its format holds files of at most 4 GB). Choose MP3 or FLAC, or another stick.", d)
	case fserr.IsBadName(te):
		return lang.L("The USB stick does not accept the name “{{.File}}”. Choose another stick or folder.", d)
	case errors.Is(te, syscall.EISDIR), errors.Is(te, fs.ErrExist), errors.Is(te, syscall.ENOTDIR):
		return lang.L("Something named “{{.File}}” is already on the USB stick and is in the way. Remove or rename it there, and try again.", d)
	}
	return lang.L("“{{.File}}” could not be copied to the USB stick. Try again, or try another stick.", d)
}

// archives says why a song archive could not be brought in.
func archives(err error) (string, bool) {
	var ae *archive.Error
	if !errors.As(err, &ae) {
		return "", false
	}
	path := pathIn(ae.Err)
	if path == "" {
		path = ae.Archive
	}
	if msg, ok := fileTrouble(ae.Err, path); ok {
		return msg, true
	}
	d := data{"Archive": fileName(ae.Archive), "Entry": text(ae.Entry)}
	switch {
	case ae.Archive == "":
		return lang.L("This song archive cannot be brought in: it is empty, damaged, too large for the free space, or not made by Sangstudio."), true
	case ae.Entry != "":
		return lang.L("The song archive “{{.Archive}}” cannot be brought in: a file in it (“{{.Entry}}”) is not allowed in a song archive. It may be damaged, or not made by Sangstudio.", d), true
	}
	return lang.L("The song archive “{{.Archive}}” cannot be brought in: it is empty, damaged, too large for the free space, or not made by Sangstudio.", d), true
}
